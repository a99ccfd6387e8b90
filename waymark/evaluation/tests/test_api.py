"""The evaluation API: the same access and the same answers to bad input as the pages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from waymark.conftest import Personas

from ..models import ActionPlan, ActionPlanObjective, Evaluation, Indicator, IndicatorValue
from .factories import make_evaluation

pytestmark = pytest.mark.django_db


def _api(p: Personas, path: str) -> str:
    return f"/api/v1/organisations/{p.org.slug}/{path}"


def _post(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


def test_the_lead_creates_an_evaluation_and_reads_its_five_levels(personas: Personas) -> None:
    client = personas.client_for(personas.ld_lead)
    response = _post(
        client,
        _api(personas, "evaluations/"),
        {
            "title": "Whole organisation",
            "kind": "formative",
            "purpose": "improving",
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
        },
    )
    assert response.status_code == 201, response.json()
    levels = response.json()["levels"]
    assert [lv["number"] for lv in levels] == [1, 2, 3, 4, 5]
    assert all(lv["headline"] is None for lv in levels)


def test_a_backwards_period_is_answered_clearly(personas: Personas) -> None:
    response = _post(
        personas.client_for(personas.ld_lead),
        _api(personas, "evaluations/"),
        {
            "title": "Backwards",
            "kind": "formative",
            "purpose": "improving",
            "period_start": "2026-06-01",
            "period_end": "2026-01-01",
        },
    )
    assert response.status_code == 400
    assert response.json() == {
        "period_end": ["The end of the period must be on or after its start"]
    }
    assert not Evaluation.objects.exists()


def test_a_manager_sees_and_creates_only_her_own_evaluations(
    personas: Personas,
) -> None:
    make_evaluation(personas.org, title="Organisation's")
    mine = make_evaluation(personas.org, title="Mine", manager=personas.manager)
    make_evaluation(personas.org, title="Sam's", manager=personas.supervisor)
    client = personas.client_for(personas.manager)
    listed = client.get(_api(personas, "evaluations/")).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["id"] for r in rows] == [mine.pk]
    created = _post(
        client,
        _api(personas, "evaluations/"),
        {
            "title": "X",
            "kind": "formative",
            "purpose": "improving",
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
        },
    )
    assert created.status_code == 201, created.json()
    assert Evaluation.objects.get(pk=created.json()["id"]).manager == personas.manager
    assert created.json()["manager"] == personas.manager.pk


def test_outsiders_get_not_found(personas: Personas) -> None:
    client = personas.client_for(personas.outsider)
    for path in ("evaluations/", "indicators/", "action-plans/"):
        assert client.get(_api(personas, path)).status_code == 404


def test_managers_cannot_reach_indicators_or_action_plans(personas: Personas) -> None:
    client = personas.client_for(personas.manager)
    assert client.get(_api(personas, "indicators/")).status_code == 403
    assert client.get(_api(personas, "action-plans/")).status_code == 403


def test_indicator_values_are_recorded_and_bad_ones_refused(personas: Personas) -> None:
    client = personas.client_for(personas.ld_lead)
    made = _post(client, _api(personas, "indicators/"), {"name": "Staff retention", "unit": "%"})
    assert made.status_code == 201, made.json()
    values = _api(personas, f"indicators/{made.json()['id']}/values/")
    assert _post(client, values, {"date": "2026-01-31", "value": "78.5"}).status_code == 201
    bad = _post(client, values, {"date": "2026-02-28", "value": "high"})
    assert bad.status_code == 400 and "value" in bad.json()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    future = _post(client, values, {"date": tomorrow, "value": "80"})
    assert future.status_code == 400
    assert future.json() == {"date": ["The date must be today or in the past"]}
    assert [v["value"] for v in client.get(values).json()] == ["78.50"]
    theirs = Indicator.objects.create(organisation=personas.other_org, name="Theirs")
    unknown = _api(personas, f"indicators/{theirs.pk}/values/")
    assert _post(client, unknown, {"date": "2026-01-31", "value": "1"}).status_code == 404
    assert IndicatorValue.objects.count() == 1


def test_action_plans_objectives_and_progress(personas: Personas) -> None:
    client = personas.client_for(personas.admin)
    plan = _post(
        client,
        _api(personas, "action-plans/"),
        {"title": "Plan", "start_date": "2026-01-01", "reports_to_text": "The board"},
    )
    assert plan.status_code == 201, plan.json()
    objectives = _api(personas, f"action-plans/{plan.json()['id']}/objectives/")
    early = _post(
        client,
        objectives,
        {"objective": "O", "due_date": "2025-12-01", "responsible_text": "X"},
    )
    assert early.status_code == 400 and "due_date" in early.json()
    made = _post(
        client,
        objectives,
        {"objective": "O", "due_date": "2026-02-01", "responsible_text": "X"},
    )
    assert made.status_code == 201, made.json()
    assert made.json()["overdue"] is True
    progress = _api(
        personas, f"action-plans/{plan.json()['id']}/objectives/{made.json()['id']}/progress/"
    )
    done = _post(
        client,
        progress,
        {"date": timezone.localdate().isoformat(), "note": "Done", "status": "achieved"},
    )
    assert done.status_code == 201, done.json()
    assert ActionPlanObjective.objects.get().status == "achieved"
    assert client.get(objectives).json()[0]["overdue"] is False
    other = ActionPlan.objects.create(
        organisation=personas.other_org, title="Theirs", start_date=datetime.date(2026, 1, 1)
    )
    assert client.get(_api(personas, f"action-plans/{other.pk}/")).status_code == 404


def test_the_evaluation_list_takes_a_fixed_number_of_queries(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    for i in range(8):
        make_evaluation(personas.org, title=f"E{i}")
    client = personas.client_for(personas.ld_lead)
    with django_assert_max_num_queries(12):
        response = client.get(_api(personas, "evaluations/"))
    assert response.status_code == 200
