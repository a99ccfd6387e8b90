"""Supervision and appraisal in the API: the same rule as the pages (the manager and her
supervisor; nobody else), writes through the services, bad input as 400 by field, and
the appraisal's CPD look back holding shared entries only."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from rest_framework.test import APIClient

from waymark.accounts.models import User
from waymark.supervision.models import ActionPoint, SupervisionRecord

from .conftest import Sup
from .factories import action, days, entry, record

pytestmark = pytest.mark.django_db


def api(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def ids(response: Any) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def test_a_stranger_must_sign_in() -> None:
    assert api(None).get("/api/v1/supervision-records/").status_code in (401, 403)


def test_records_and_actions_are_scoped_like_the_pages(sup: Sup) -> None:
    p = sup.p
    rec = record(p.org, p.manager, p.supervisor)
    point = action(rec, p.supervisor, "Book the course", days(5))
    for user in (p.manager, p.supervisor):
        assert ids(api(user).get("/api/v1/supervision-records/")) == [rec.pk]
        assert ids(api(user).get("/api/v1/supervision-actions/")) == [point.pk]
    for user in (sup.mentor, p.ld_lead, p.admin, sup.colleague, p.outsider):
        assert ids(api(user).get("/api/v1/supervision-records/")) == []
        assert ids(api(user).get("/api/v1/supervision-actions/")) == []
        assert api(user).get(f"/api/v1/supervision-records/{rec.pk}/").status_code == 404
        assert api(user).get(f"/api/v1/supervision-actions/{point.pk}/").status_code == 404


def test_the_supervisor_creates_a_record_and_actions_and_finalises_it(sup: Sup) -> None:
    p = sup.p
    client = api(p.supervisor)
    response = client.post(
        "/api/v1/supervision-records/",
        {
            "organisation": p.org.slug,
            "manager": p.manager.pk,
            "date": days(0).isoformat(),
            "review_date": days(28).isoformat(),
            "agenda": "Rota",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    record_id = response.json()["id"]
    response = client.post(
        "/api/v1/supervision-actions/",
        {
            "record": record_id,
            "description": "Call the council",
            "due_date": days(7).isoformat(),
            "owner_name": "Pat at the council",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["person_responsible"] == "Pat at the council"
    response = client.post(f"/api/v1/supervision-records/{record_id}/finalise/")
    assert response.status_code == 200
    assert response.json()["status"] == "finalised"
    assert len(mail.outbox) == 2


def test_bad_input_is_answered_field_by_field(sup: Sup) -> None:
    p = sup.p
    rec = record(p.org, p.manager, p.supervisor)
    response = api(p.supervisor).post(
        "/api/v1/supervision-actions/",
        {"record": rec.pk, "description": "Do it", "due_date": days(-3).isoformat()},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert "owner" in body and "due_date" in body
    assert not ActionPoint.objects.exists()
    response = api(p.supervisor).post(
        "/api/v1/supervision-records/",
        {
            "organisation": p.org.slug,
            "manager": p.manager.pk,
            "date": days(-3).isoformat(),
            "review_date": days(-1).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert "review_date" in response.json()


def test_the_manager_and_mentor_cannot_start_records(sup: Sup) -> None:
    p = sup.p
    payload = {
        "organisation": p.org.slug,
        "manager": p.manager.pk,
        "date": days(0).isoformat(),
        "review_date": days(20).isoformat(),
    }
    assert (
        api(p.manager).post("/api/v1/supervision-records/", payload, format="json").status_code
        == 403
    )
    assert (
        api(sup.mentor).post("/api/v1/supervision-records/", payload, format="json").status_code
        == 403
    )
    assert (
        api(p.outsider).post("/api/v1/supervision-records/", payload, format="json").status_code
        == 404
    )
    assert not SupervisionRecord.objects.exists()


def test_an_action_is_reviewed_through_the_api(sup: Sup) -> None:
    p = sup.p
    rec = record(p.org, p.manager, p.supervisor)
    point = action(rec, p.supervisor, "Book the course", days(5))
    response = api(p.manager).post(
        f"/api/v1/supervision-actions/{point.pk}/review/", {"outcome": "done"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "done"
    assert [h["kind"] for h in response.json()["history"]] == ["agreed", "done"]


def test_appraisals_are_scoped_signed_and_look_back_at_shared_entries_only(sup: Sup) -> None:
    p = sup.p
    entry(p.org, p.manager, "Shared course", shared=True, hours="4")
    entry(p.org, p.manager, "Private diary", shared=False, hours="9")
    response = api(p.supervisor).post(
        "/api/v1/appraisals/",
        {
            "organisation": p.org.slug,
            "manager": p.manager.pk,
            "date": days(0).isoformat(),
            "period_start": days(-365).isoformat(),
            "period_end": days(0).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    appraisal_id = response.json()["id"]
    back = api(p.supervisor).get(f"/api/v1/appraisals/{appraisal_id}/look-back/").json()
    assert [e["title"] for e in back["cpd_entries"]] == ["Shared course"]
    assert back["cpd_hours"] == "4.00"
    for user in (sup.mentor, p.ld_lead, p.outsider, sup.colleague):
        assert api(user).get(f"/api/v1/appraisals/{appraisal_id}/").status_code == 404
    assert api(p.supervisor).post(f"/api/v1/appraisals/{appraisal_id}/sign/").status_code == 200
    again = api(p.supervisor).post(f"/api/v1/appraisals/{appraisal_id}/sign/")
    assert again.status_code == 400
    signed = api(p.manager).post(f"/api/v1/appraisals/{appraisal_id}/sign/").json()
    assert signed["locked"] is True
    locked = api(p.manager).patch(
        f"/api/v1/appraisals/{appraisal_id}/", {"discussion": "x"}, format="json"
    )
    assert locked.status_code == 400
