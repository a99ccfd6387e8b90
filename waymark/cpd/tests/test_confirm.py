"""Confirmation: the manager's supervisor confirms an entry she has shared (recorded with
who and when, and audited); a mentor cannot; nobody confirms a private entry; changing
what was confirmed withdraws the confirmation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from waymark.core.models import AuditEvent
from waymark.cpd import services
from waymark.cpd.services import EntryInput

from .conftest import Cpd
from .factories import support

pytestmark = pytest.mark.django_db


def test_the_supervisor_confirms_a_shared_entry(cpd: Cpd) -> None:
    client = cpd.p.client_for(cpd.p.supervisor)
    page = client.get(cpd.url(entry=cpd.shared)).content.decode()
    assert "Confirm this entry" in page
    response = client.post(cpd.url("confirm/", entry=cpd.shared))
    assert response.status_code == 302
    cpd.shared.refresh_from_db()
    assert cpd.shared.confirmed_by == cpd.p.supervisor
    assert cpd.shared.confirmed_at is not None
    event = AuditEvent.objects.get(action="cpd.entry.confirm")
    assert event.actor == cpd.p.supervisor and event.object_id == str(cpd.shared.pk)
    page = cpd.p.client_for(cpd.p.manager).get(cpd.url(entry=cpd.shared)).content.decode()
    assert "Confirmed by Sam Supervisor" in page


def test_a_mentor_cannot_confirm(cpd: Cpd) -> None:
    client = cpd.p.client_for(cpd.mentor)
    assert "Confirm this entry" not in client.get(cpd.url(entry=cpd.shared)).content.decode()
    assert client.post(cpd.url("confirm/", entry=cpd.shared)).status_code == 403
    cpd.shared.refresh_from_db()
    assert cpd.shared.confirmed_at is None
    with pytest.raises(PermissionDenied):
        services.entry_confirm(actor=cpd.mentor, entry=cpd.shared)


def test_a_coach_cannot_confirm(cpd: Cpd) -> None:
    support(cpd.p.org, cpd.p.manager, cpd.p.ld_lead, "coach")
    assert (
        cpd.p.client_for(cpd.p.ld_lead).post(cpd.url("confirm/", entry=cpd.shared)).status_code
        == 403
    )


def test_nobody_confirms_a_private_entry(cpd: Cpd) -> None:
    assert (
        cpd.p.client_for(cpd.p.supervisor).post(cpd.url("confirm/", entry=cpd.private)).status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        services.entry_confirm(actor=cpd.p.supervisor, entry=cpd.private)


def test_the_manager_cannot_confirm_her_own_entry(cpd: Cpd) -> None:
    assert (
        cpd.p.client_for(cpd.p.manager).post(cpd.url("confirm/", entry=cpd.shared)).status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        services.entry_confirm(actor=cpd.p.manager, entry=cpd.shared)


@pytest.mark.parametrize("who", ["ld_lead", "admin", "outsider"])
def test_others_cannot_confirm(cpd: Cpd, who: str) -> None:
    status = (
        cpd.p.client_for(getattr(cpd.p, who))
        .post(cpd.url("confirm/", entry=cpd.shared))
        .status_code
    )
    assert status in (403, 404)
    cpd.shared.refresh_from_db()
    assert cpd.shared.confirmed_at is None


def test_confirming_twice_changes_nothing(cpd: Cpd) -> None:
    first = services.entry_confirm(actor=cpd.p.supervisor, entry=cpd.shared)
    again = services.entry_confirm(actor=cpd.p.supervisor, entry=cpd.shared)
    assert again.confirmed_at == first.confirmed_at
    assert AuditEvent.objects.filter(action="cpd.entry.confirm").count() == 1


def test_changing_the_hours_withdraws_the_confirmation(cpd: Cpd) -> None:
    services.entry_confirm(actor=cpd.p.supervisor, entry=cpd.shared)
    cpd.shared.refresh_from_db()
    updated = services.entry_update(
        actor=cpd.p.manager,
        entry=cpd.shared,
        data=EntryInput.from_entry(cpd.shared, hours=Decimal("50")),
    )
    assert updated.confirmed_at is None and updated.confirmed_by is None
    assert (
        AuditEvent.objects.get(action="cpd.entry.update").changes["confirmation_withdrawn"] is True
    )


def test_changing_only_the_reflection_keeps_the_confirmation(cpd: Cpd) -> None:
    services.entry_confirm(actor=cpd.p.supervisor, entry=cpd.shared)
    cpd.shared.refresh_from_db()
    updated = services.entry_update(
        actor=cpd.p.manager,
        entry=cpd.shared,
        data=EntryInput.from_entry(cpd.shared, how_use="In supervision with my team."),
    )
    assert updated.confirmed_by == cpd.p.supervisor


def test_awaiting_confirmation_filter_for_the_supervisor(cpd: Cpd) -> None:
    client = cpd.p.client_for(cpd.p.supervisor)
    assert "Rota workshop" in client.get(cpd.url(), {"confirmation": "awaiting"}).content.decode()
    services.entry_confirm(actor=cpd.p.supervisor, entry=cpd.shared)
    page = client.get(cpd.url(), {"confirmation": "awaiting"}).content.decode()
    assert "Rota workshop" not in page
    page = client.get(f"/o/{cpd.p.org.slug}/").content.decode()
    assert "none awaiting your confirmation" in page
