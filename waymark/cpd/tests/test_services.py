"""The service functions hold the rules whichever door an entry comes in by."""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from waymark.conftest import Personas
from waymark.core.models import AuditEvent
from waymark.cpd import services
from waymark.cpd.models import Entry, scqf_credits
from waymark.cpd.services import EntryInput

from .factories import make_entry, objective_for

pytestmark = pytest.mark.django_db


def data(**overrides: object) -> EntryInput:
    base = EntryInput(
        date=timezone.localdate(),
        activity_type="coaching",
        title="Coaching session",
        hours=Decimal("1.5"),
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


def test_an_entry_is_created_private_and_audited(personas: Personas) -> None:
    entry = services.entry_create(
        actor=personas.manager, organisation=personas.org, manager=personas.manager, data=data()
    )
    assert entry.visibility == "private"
    event = AuditEvent.objects.get(action="cpd.entry.create")
    assert event.actor == personas.manager and event.organisation == personas.org
    assert "Coaching session" not in event.summary


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"date": timezone.localdate() + datetime.timedelta(days=1)},
            "date",
            "The date must be today or in the past",
        ),
        ({"hours": Decimal("0")}, "hours", "Hours must be a number greater than 0"),
        ({"hours": Decimal("-3")}, "hours", "Hours must be a number greater than 0"),
        ({"hours": Decimal("1001")}, "hours", "Hours must be 1000 or fewer"),
        ({"title": "  "}, "title", "Enter a title for the learning"),
        ({"activity_type": "sky-diving"}, "activity_type", "Choose the type of learning"),
        ({"visibility": "everyone"}, "visibility", "Choose who can see this entry"),
    ],
)
def test_bad_input_is_refused_with_a_message_for_the_field(
    personas: Personas, overrides: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as e:
        services.entry_create(
            actor=personas.manager,
            organisation=personas.org,
            manager=personas.manager,
            data=data(**overrides),
        )
    assert e.value.message_dict[field] == [message]
    assert not Entry.objects.exists()


def test_an_objective_must_be_one_of_the_managers_own(personas: Personas) -> None:
    theirs = objective_for(personas.org, personas.supervisor)
    with pytest.raises(ValidationError) as e:
        services.entry_create(
            actor=personas.manager,
            organisation=personas.org,
            manager=personas.manager,
            data=data(objective=theirs),
        )
    assert e.value.message_dict["objective"] == [
        "Choose one of your own development plan objectives"
    ]
    mine = objective_for(personas.org, personas.manager)
    entry = services.entry_create(
        actor=personas.manager,
        organisation=personas.org,
        manager=personas.manager,
        data=data(objective=mine),
    )
    assert entry.objective == mine


def test_an_objective_of_her_own_in_another_organisation_is_refused(personas: Personas) -> None:
    elsewhere = objective_for(personas.other_org, personas.manager)
    with pytest.raises(ValidationError):
        services.entry_create(
            actor=personas.manager,
            organisation=personas.org,
            manager=personas.manager,
            data=data(objective=elsewhere),
        )


def test_nobody_else_writes_a_managers_entries(personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        services.entry_create(
            actor=personas.supervisor,
            organisation=personas.org,
            manager=personas.manager,
            data=data(),
        )
    entry = make_entry(organisation=personas.org, manager=personas.manager)
    for call in (
        lambda: services.entry_update(actor=personas.admin, entry=entry, data=data()),
        lambda: services.entry_delete(actor=personas.admin, entry=entry),
        lambda: services.entry_share(actor=personas.admin, entry=entry, visibility="supporters"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    entry.refresh_from_db()
    assert entry.visibility == "private"


def test_sharing_is_audited_both_ways(personas: Personas) -> None:
    entry = make_entry(organisation=personas.org, manager=personas.manager)
    services.entry_share(actor=personas.manager, entry=entry, visibility="supporters")
    services.entry_share(actor=personas.manager, entry=entry, visibility="private")
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["cpd.entry.share", "cpd.entry.unshare"]


def test_the_database_refuses_hours_out_of_range(personas: Personas) -> None:
    for hours in (Decimal("0"), Decimal("1000.01")):
        with pytest.raises(IntegrityError), transaction.atomic():
            make_entry(organisation=personas.org, manager=personas.manager, hours=hours)


@pytest.mark.parametrize(
    ("hours", "credits"),
    [
        (Decimal("25"), Decimal("2.5")),
        (Decimal("10"), Decimal("1.0")),
        (Decimal("1.25"), Decimal("0.1")),
        (Decimal("0.5"), Decimal("0.1")),
        (Decimal("0.4"), Decimal("0.0")),
        (Decimal("1000"), Decimal("100.0")),
    ],
)
def test_credits_are_hours_over_ten_to_one_decimal(hours: Decimal, credits: Decimal) -> None:
    assert scqf_credits(hours) == credits


def test_an_entry_from_another_system_has_no_actor_and_a_source(personas: Personas) -> None:
    entry = services.entry_create(
        actor=None, organisation=personas.org, manager=personas.manager, data=data(), source="xapi"
    )
    assert entry.source == "xapi"
    assert AuditEvent.objects.get(action="cpd.entry.create").actor_label == "system"
