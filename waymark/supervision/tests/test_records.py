"""Supervision records: action points with a named person and a timescale, carried into
the next record without copies, overdue flags on both sides, circulation by email,
clear answers to bad input, and who may see what."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from waymark.core.models import AuditEvent
from waymark.supervision import services
from waymark.supervision.models import ActionEvent, ActionPoint, ActionStatus, SupervisionRecord
from waymark.supervision.selectors import record_actions

from .conftest import Sup
from .factories import action, backdate, days, make_overdue, record


def _finalised_with_actions(sup: Sup) -> tuple[SupervisionRecord, ActionPoint, ActionPoint]:
    p = sup.p
    first = record(p.org, p.manager, p.supervisor)
    done = action(first, p.supervisor, "Book the fire safety course", days(7))
    carried = action(first, p.supervisor, "Draft the new night rota", days(14))
    services.supervision_record_finalise(actor=p.supervisor, record=first)
    return first, done, carried


def test_the_next_record_opens_with_the_open_action_points_carried_in(sup: Sup) -> None:
    p = sup.p
    first, done, carried = _finalised_with_actions(sup)
    services.action_point_update(actor=p.manager, action=done, outcome="done")
    second = record(p.org, p.manager, p.supervisor)
    actions = record_actions(second)
    assert [a.pk for a in actions.carried] == [carried.pk]
    assert actions.agreed == []
    assert second.previous_id == first.pk


def test_carrying_an_action_again_never_duplicates_it(sup: Sup) -> None:
    p = sup.p
    _first, _done, carried = _finalised_with_actions(sup)
    second = record(p.org, p.manager, p.supervisor)
    services.action_point_carry(actor=p.supervisor, action=carried, record=second)
    services.action_point_carry(actor=p.supervisor, action=carried, record=second)
    assert ActionPoint.objects.filter(manager=p.manager).count() == 2
    assert ActionEvent.objects.filter(action=carried, record=second, kind="carried").count() == 1
    services.supervision_record_finalise(actor=p.supervisor, record=second)
    third = record(p.org, p.manager, p.supervisor)
    assert [a.pk for a in record_actions(third).carried] == [_done.pk, carried.pk]
    assert ActionPoint.objects.filter(manager=p.manager).count() == 2


def test_a_carried_action_keeps_its_history_through_each_review(sup: Sup) -> None:
    p = sup.p
    _first, _done, carried = _finalised_with_actions(sup)
    second = record(p.org, p.manager, p.supervisor)
    services.action_point_update(
        actor=p.supervisor, action=carried, outcome="redate", due_date=days(30), record=second
    )
    services.action_point_update(
        actor=p.manager, action=carried, outcome="drop", note="Rota changed anyway", record=second
    )
    carried.refresh_from_db()
    assert carried.status == ActionStatus.DROPPED
    assert carried.closed_on == timezone.localdate()
    kinds = list(carried.events.values_list("kind", flat=True))
    assert kinds == ["agreed", "carried", "redated", "dropped"]
    assert carried.events.get(kind="redated").due_after == days(30)
    page = p.client_for(p.supervisor).get(f"{sup.base()}supervision/{second.pk}/").content.decode()
    assert "In this supervision" in page and "Dropped" in page
    history = p.client_for(p.manager).get(f"{sup.base()}supervision/actions/{carried.pk}/")
    assert "Rota changed anyway" in history.content.decode()


def test_overdue_actions_are_flagged_to_the_manager_and_the_supervisor(sup: Sup) -> None:
    p = sup.p
    first, _done, carried = _finalised_with_actions(sup)
    make_overdue(carried, days(-2))
    for viewer in (p.manager, p.supervisor):
        client = p.client_for(viewer)
        page = client.get(f"{sup.base()}supervision/{first.pk}/").content.decode()
        assert "1 action point is overdue" in page
        person = client.get(sup.base()).content.decode()
        assert "Overdue action points" in person and "Draft the new night rota" in person
    dashboard_maya = p.client_for(p.manager).get(f"/o/{p.org.slug}/").content.decode()
    assert "1 of your action points is overdue" in dashboard_maya
    dashboard_sam = p.client_for(p.supervisor).get(f"/o/{p.org.slug}/").content.decode()
    assert "1 overdue action point" in dashboard_sam


def test_finalising_circulates_the_record_to_both_and_to_those_named(sup: Sup) -> None:
    p = sup.p
    rec = record(p.org, p.manager, p.supervisor, notes="Private thoughts about the rota")
    action(rec, p.supervisor, "Find a course", days(10), owner=p.ld_lead)
    action(rec, p.supervisor, "Ask the council", days(10), owner_name="Pat at the council")
    mail.outbox.clear()
    services.supervision_record_finalise(
        actor=p.supervisor, record=rec, site_url="https://waymark.example/"
    )
    to = {m.to[0]: m for m in mail.outbox}
    assert set(to) == {p.manager.email, p.supervisor.email, p.ld_lead.email}
    assert "Private thoughts about the rota" in to[p.manager.email].body
    assert "Ask the council" in to[p.supervisor.email].body
    assert f"https://waymark.example/o/{p.org.slug}/people/{p.manager.pk}/supervision/" in (
        to[p.manager.email].body
    )
    lee = to[p.ld_lead.email].body
    assert "Find a course" in lee
    assert "Private thoughts" not in lee and "Ask the council" not in lee
    assert AuditEvent.objects.filter(action="supervision.finalise").count() == 1


def test_a_finalised_record_cannot_change_or_be_finalised_twice(sup: Sup) -> None:
    p = sup.p
    rec, _a, _b = _finalised_with_actions(sup)
    with pytest.raises(ValidationError, match="already been finalised"):
        services.supervision_record_finalise(actor=p.supervisor, record=rec)
    with pytest.raises(ValidationError, match="cannot change"):
        services.supervision_record_update(actor=p.manager, record=rec, data={"notes": "x"})
    with pytest.raises(ValidationError, match="next supervision"):
        action(rec, p.supervisor, "Late idea", days(5))


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"due": -1}, "due_date", "on or after the date of the supervision"),
        ({"owner": None, "owner_name": ""}, "owner", "Name the person who will do it"),
        ({"description": " "}, "description", "Enter what is to be done"),
    ],
)
def test_bad_action_points_are_refused_with_a_clear_message(
    sup: Sup, kwargs: dict[str, object], field: str, message: str
) -> None:
    p = sup.p
    rec = record(p.org, p.manager, p.supervisor)
    with pytest.raises(ValidationError) as e:
        services.action_point_add(
            actor=p.supervisor,
            record=rec,
            description=str(kwargs.get("description", "Do a thing")),
            due_date=days(int(kwargs.get("due", 3))),  # type: ignore[call-overload]
            owner=kwargs.get("owner", p.manager),  # type: ignore[arg-type]
            owner_name=str(kwargs.get("owner_name", "")),
        )
    assert message in " ".join(e.value.message_dict[field])
    assert not ActionPoint.objects.exists()


def test_a_review_date_in_the_past_is_refused(sup: Sup) -> None:
    p = sup.p
    with pytest.raises(ValidationError) as e:
        services.supervision_record_create(
            actor=p.supervisor,
            organisation=p.org,
            manager=p.manager,
            date=days(-3),
            review_date=days(-1),
        )
    assert "today or in the future" in " ".join(e.value.message_dict["review_date"])
    assert not SupervisionRecord.objects.exists()


def test_the_form_keeps_what_was_typed_and_says_what_is_wrong(sup: Sup) -> None:
    p = sup.p
    past = days(-1)
    today = timezone.localdate()
    response = p.client_for(p.supervisor).post(
        f"{sup.base()}supervision/new/",
        {
            "date_0": today.day,
            "date_1": today.month,
            "date_2": today.year,
            "agenda": "Rota and training",
            "notes": "",
            "review_date_0": past.day,
            "review_date_1": past.month,
            "review_date_2": past.year,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "The review date must be today or in the future" in page
    assert "Rota and training" in page


def test_only_the_supervisor_starts_a_record_and_only_once_at_a_time(sup: Sup) -> None:
    p = sup.p
    with pytest.raises(PermissionDenied):
        record(p.org, p.manager, p.manager)
    with pytest.raises(PermissionDenied):
        record(p.org, p.manager, sup.mentor)
    record(p.org, p.manager, p.supervisor)
    with pytest.raises(ValidationError, match="draft"):
        record(p.org, p.manager, p.supervisor)


def test_the_supervisor_walks_a_record_through_the_pages(sup: Sup) -> None:
    p = sup.p
    client = p.client_for(p.supervisor)
    today = timezone.localdate()
    review = days(28)
    response = client.post(
        f"{sup.base()}supervision/new/",
        {
            "date_0": today.day,
            "date_1": today.month,
            "date_2": today.year,
            "agenda": "Rota",
            "notes": "Talked",
            "review_date_0": review.day,
            "review_date_1": review.month,
            "review_date_2": review.year,
        },
    )
    rec = SupervisionRecord.objects.get()
    assert response.status_code == 302
    due = days(7)
    response = client.post(
        f"{sup.base()}supervision/{rec.pk}/actions/add/",
        {
            "description": "Book the course",
            "owner": str(p.manager.pk),
            "owner_name": "",
            "due_date_0": due.day,
            "due_date_1": due.month,
            "due_date_2": due.year,
        },
    )
    assert response.status_code == 302
    response = client.post(f"{sup.base()}supervision/{rec.pk}/finalise/")
    rec.refresh_from_db()
    assert rec.is_final
    assert len(mail.outbox) == 2


def _statuses(sup: Sup, rec: SupervisionRecord) -> dict[str, int]:
    p = sup.p
    urls = [
        f"{sup.base()}supervision/",
        f"{sup.base()}supervision/{rec.pk}/",
        f"{sup.base()}appraisal/",
    ]
    out = {}
    for name, user in (
        ("self", p.manager),
        ("supervisor", p.supervisor),
        ("mentor", sup.mentor),
        ("ld_lead", p.ld_lead),
        ("admin", p.admin),
        ("colleague", sup.colleague),
        ("outsider", p.outsider),
    ):
        codes = {p.client_for(user).get(u).status_code for u in urls}
        assert len(codes) == 1, (name, codes)
        out[name] = codes.pop()
    return out


def test_records_are_seen_by_the_manager_and_her_supervisor_only(sup: Sup) -> None:
    p = sup.p
    rec = record(p.org, p.manager, p.supervisor)
    assert _statuses(sup, rec) == {
        "self": 200,
        "supervisor": 200,
        "mentor": 403,
        "ld_lead": 403,
        "admin": 403,
        "colleague": 404,
        "outsider": 404,
    }


def test_the_person_page_shows_organisation_roles_the_dates_only(sup: Sup) -> None:
    p = sup.p
    rec = record(p.org, p.manager, p.supervisor, notes="Secret supervision note")
    action(rec, p.supervisor, "Secret action", days(3))
    lee = p.client_for(p.ld_lead).get(sup.base()).content.decode()
    assert "Last supervision" in lee
    assert "Secret" not in lee
    mo = p.client_for(sup.mentor).get(sup.base()).content.decode()
    assert "seen by the manager and her supervisor only" in mo
    assert "Secret" not in mo


def test_another_supervisors_record_of_another_person_is_not_found(sup: Sup) -> None:
    p = sup.p
    rec = record(p.org, p.manager, p.supervisor)
    # Kim's pages do not show Maya's record, even to Maya's supervisor who also supervises Kim.
    from .factories import support

    support(p.org, sup.colleague, p.supervisor, "supervisor")
    client = p.client_for(p.supervisor)
    assert client.get(f"{sup.base(sup.colleague)}supervision/{rec.pk}/").status_code == 404


def test_an_overdue_action_can_be_given_a_new_date_on_its_page(sup: Sup) -> None:
    p = sup.p
    first, _done, carried = _finalised_with_actions(sup)
    backdate(first, date=days(-40), review_date=days(-5))
    make_overdue(carried, days(-3))
    new = days(10)
    response = p.client_for(p.manager).post(
        f"{sup.base()}supervision/actions/{carried.pk}/",
        {
            "outcome": "redate",
            "due_date_0": new.day,
            "due_date_1": new.month,
            "due_date_2": new.year,
        },
    )
    assert response.status_code == 302
    carried.refresh_from_db()
    assert carried.due_date == new and not carried.is_overdue()
    past = days(-1)
    response = p.client_for(p.manager).post(
        f"{sup.base()}supervision/actions/{carried.pk}/",
        {
            "outcome": "redate",
            "due_date_0": past.day,
            "due_date_1": past.month,
            "due_date_2": past.year,
        },
    )
    assert "The new due date must be today or in the future" in response.content.decode()
