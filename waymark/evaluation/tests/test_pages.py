"""The evaluation and action plan pages: who may see what, and bad input answered
clearly with nothing lost."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from waymark.assessment.tests.factories import make_framework
from waymark.conftest import Personas
from waymark.programmes.models import Cohort, Session

from ..models import (
    ActionPlan,
    ActionPlanObjective,
    ApplicationRating,
    Evaluation,
    Indicator,
    IndicatorValue,
    ProgressUpdate,
)
from .factories import completed_round, make_evaluation, make_programme

pytestmark = pytest.mark.django_db

ORG = "brightwater"


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"evaluation:{name}", kwargs={"org_slug": ORG, **kwargs})


def date_fields(name: str, day: datetime.date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def test_the_lead_creates_an_evaluation_and_sees_its_five_levels(personas: Personas) -> None:
    client = personas.client_for(personas.ld_lead)
    today = timezone.localdate()
    response = client.post(
        url("new"),
        {
            "title": "Whole organisation 2026",
            "kind": "summative",
            "purpose": "proving",
            "status": "planned",
            **date_fields("period_start", today - datetime.timedelta(days=100)),
            **date_fields("period_end", today),
        },
    )
    evaluation = Evaluation.objects.get(title="Whole organisation 2026")
    assert response.status_code == 302
    text = client.get(url("detail", evaluation_id=evaluation.pk)).content.decode()
    for heading in ("Level 1", "Level 2", "Level 3", "Level 4", "Level 5"):
        assert heading in text
    assert "Whole organisation 2026" in client.get(url("index")).content.decode()


def test_an_evaluation_period_ending_before_it_starts_is_refused_and_kept(
    personas: Personas,
) -> None:
    client = personas.client_for(personas.ld_lead)
    response = client.post(
        url("new"),
        {
            "title": "Backwards",
            "kind": "summative",
            "purpose": "proving",
            "status": "planned",
            **date_fields("period_start", datetime.date(2026, 5, 1)),
            **date_fields("period_end", datetime.date(2026, 4, 1)),
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "The end of the period must be on or after its start" in text
    assert 'value="Backwards"' in text
    assert not Evaluation.objects.exists()


def test_managers_and_supervisors_cannot_reach_organisation_evaluation(
    personas: Personas,
) -> None:
    evaluation = make_evaluation(personas.org)
    for user in (personas.manager, personas.supervisor):
        client = personas.client_for(user)
        assert client.get(url("index")).status_code == 403
        assert client.get(url("detail", evaluation_id=evaluation.pk)).status_code == 403
        assert client.get(url("plans")).status_code == 403
    assert personas.client_for(personas.outsider).get(url("index")).status_code == 404


def test_a_facilitator_reads_the_programme_summary_and_others_do_not(
    personas: Personas,
) -> None:
    programme, module, *_ = make_programme(
        personas.org, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 10, 1)
    )
    cohort = Cohort.objects.create(
        programme=programme, name="C", start_date=programme.start_date, end_date=programme.end_date
    )
    session = Session.objects.create(
        programme=programme,
        module=module,
        cohort=cohort,
        date=datetime.date(2026, 2, 1),
        start_time=datetime.time(9),
        end_time=datetime.time(12),
    )
    session.facilitators.add(personas.supervisor)
    make_evaluation(personas.org, programme=programme, title="Mid-point")
    summary = url("programme_summary", programme_id=programme.pk)
    page = personas.client_for(personas.supervisor).get(summary)
    assert page.status_code == 200
    assert "Mid-point" in page.content.decode()
    assert "Not yet evaluated" in page.content.decode()
    assert personas.client_for(personas.manager).get(summary).status_code == 404
    assert personas.client_for(personas.ld_lead).get(summary).status_code == 200


def test_a_manager_writes_her_own_evaluation_which_others_cannot_change(
    supervised: Personas,
) -> None:
    p = supervised
    me = p.client_for(p.manager)
    base = {"person_id": p.manager.pk}
    today = timezone.localdate()
    response = me.post(
        url("person_new", **base),
        {
            "title": "Coaching course",
            "kind": "summative",
            "purpose": "improving",
            "status": "complete",
            "reaction_rating": "4",
            "manager_account": "I now coach my team weekly.",
            **date_fields("period_start", today - datetime.timedelta(days=90)),
            **date_fields("period_end", today),
        },
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(manager=p.manager)
    detail = url("person_detail", evaluation_id=evaluation.pk, **base)
    assert "I now coach my team weekly." in me.get(detail).content.decode()
    sam = p.client_for(p.supervisor)
    assert sam.get(detail).status_code == 200
    assert sam.get(url("person_edit", evaluation_id=evaluation.pk, **base)).status_code == 403
    assert me.get(url("rerate", evaluation_id=evaluation.pk, **base)).status_code == 403
    assert p.client_for(p.outsider).get(detail).status_code == 404
    assert p.client_for(p.ld_lead).get(detail).status_code == 200
    # Her own evaluations are not in the organisation's list.
    assert "Coaching course" not in p.client_for(p.ld_lead).get(url("index")).content.decode()


def test_the_supervisor_re_rates_competences_from_her_latest_round(supervised: Personas) -> None:
    p = supervised
    _edition, _domains, outcomes = make_framework("MM", domains=1, outcomes=2)
    completed_round(p.org, p.manager, {outcomes[0]: 1, outcomes[1]: 2}, datetime.date(2026, 1, 1))
    evaluation = make_evaluation(p.org, manager=p.manager)
    rerate = url("rerate", person_id=p.manager.pk, evaluation_id=evaluation.pk)
    sam = p.client_for(p.supervisor)
    assert "MM1.01" in sam.get(rerate).content.decode()
    response = sam.post(
        rerate, {**date_fields("rated_on", timezone.localdate()), f"node_{outcomes[0].pk}": "3"}
    )
    assert response.status_code == 302
    assert list(ApplicationRating.objects.values_list("node_id", "level")) == [(outcomes[0].pk, 3)]
    detail = url("person_detail", person_id=p.manager.pk, evaluation_id=evaluation.pk)
    assert "MM1.01" in p.client_for(p.manager).get(detail).content.decode()


def test_an_indicator_value_that_is_not_a_number_is_refused_and_kept(
    personas: Personas,
) -> None:
    indicator = Indicator.objects.create(organisation=personas.org, name="Staff retention")
    client = personas.client_for(personas.ld_lead)
    response = client.post(
        url("indicator", indicator_id=indicator.pk),
        {**date_fields("date", datetime.date(2026, 1, 1)), "value": "eighty"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Enter a number, like 12 or 85.5" in text
    assert 'value="eighty"' in text
    assert not IndicatorValue.objects.exists()


def test_an_indicator_value_dated_in_the_future_is_refused(personas: Personas) -> None:
    indicator = Indicator.objects.create(organisation=personas.org, name="Staff retention")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = personas.client_for(personas.ld_lead).post(
        url("indicator", indicator_id=indicator.pk),
        {**date_fields("date", tomorrow), "value": "80"},
    )
    assert "The date must be today or in the past" in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_an_indicator_page_shows_a_chart_without_script_and_its_data_table(
    personas: Personas,
) -> None:
    indicator = Indicator.objects.create(
        organisation=personas.org, name="Staff retention", unit="%"
    )
    for i, v in enumerate(("78", "80")):
        IndicatorValue.objects.create(
            indicator=indicator, date=datetime.date(2026, 1 + i, 1), value=v
        )
    text = (
        personas.client_for(personas.ld_lead)
        .get(url("indicator", indicator_id=indicator.pk))
        .content.decode()
    )
    svg = text.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "<script" not in svg and 'role="img"' in svg
    assert "80.00%" in text


def test_another_organisations_indicator_is_not_found(personas: Personas) -> None:
    theirs = Indicator.objects.create(organisation=personas.other_org, name="Theirs")
    client = personas.client_for(personas.ld_lead)
    assert client.get(url("indicator", indicator_id=theirs.pk)).status_code == 404


def _plan(personas: Personas) -> ActionPlan:
    return ActionPlan.objects.create(
        organisation=personas.org, title="Plan", start_date=datetime.date(2026, 1, 1)
    )


def test_an_objective_due_before_the_plan_starts_is_refused_and_kept(
    personas: Personas,
) -> None:
    plan = _plan(personas)
    response = personas.client_for(personas.ld_lead).post(
        url("objective_add", plan_id=plan.pk),
        {
            "objective": "Train every supervisor",
            "responsible_text": "Training officer",
            "status": "not-started",
            **date_fields("due_date", datetime.date(2025, 12, 1)),
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "The timescale must be on or after the plan&#x27;s start, 01 January 2026" in text
    assert "Train every supervisor" in text
    assert not ActionPlanObjective.objects.exists()


def test_a_progress_update_dated_in_the_future_is_refused_and_kept(personas: Personas) -> None:
    plan = _plan(personas)
    objective = ActionPlanObjective.objects.create(
        plan=plan, objective="O", due_date=datetime.date(2026, 6, 1), responsible_text="X"
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = personas.client_for(personas.ld_lead).post(
        url("progress_add", plan_id=plan.pk, objective_id=objective.pk),
        {**date_fields("date", tomorrow), "note": "Half done", "value": "12"},
    )
    text = response.content.decode()
    assert "The date must be today or in the past" in text
    assert "Half done" in text
    assert not ProgressUpdate.objects.exists()


def test_the_plan_page_flags_overdue_objectives(personas: Personas) -> None:
    plan = _plan(personas)
    ActionPlanObjective.objects.create(
        plan=plan, objective="Late one", due_date=datetime.date(2026, 2, 1), responsible_text="X"
    )
    ActionPlanObjective.objects.create(
        plan=plan,
        objective="Done one",
        due_date=datetime.date(2026, 2, 1),
        responsible_text="X",
        status="achieved",
    )
    client = personas.client_for(personas.ld_lead)
    text = client.get(url("plan", plan_id=plan.pk)).content.decode()
    assert text.count("Overdue</strong>") == 1
    assert 'govuk-tag--red">1<' in client.get(url("plans")).content.decode()


def test_list_pages_take_a_fixed_number_of_queries(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    for i in range(6):
        plan = ActionPlan.objects.create(
            organisation=personas.org,
            title=f"Plan {i}",
            start_date=datetime.date(2026, 1, 1),
            reports_to=personas.admin,
        )
        ActionPlanObjective.objects.create(
            plan=plan, objective="O", due_date=datetime.date(2026, 2, 1), responsible=personas.admin
        )
        make_evaluation(personas.org, title=f"E{i}")
        indicator = Indicator.objects.create(organisation=personas.org, name=f"I{i}")
        IndicatorValue.objects.create(indicator=indicator, date=datetime.date(2026, 1, 1), value=1)
        make_evaluation(personas.org, title=f"Own {i}", manager=personas.manager)
    client = personas.client_for(personas.ld_lead)
    for page in (
        url("index"),
        url("plans"),
        url("indicators"),
        url("person", person_id=personas.manager.pk),
        url("plan", plan_id=plan.pk),
    ):
        with django_assert_max_num_queries(14):
            assert client.get(page).status_code == 200


def test_the_dashboard_links_a_facilitator_to_her_programmes_summary(personas: Personas) -> None:
    programme, module, *_ = make_programme(
        personas.org, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 10, 1)
    )
    cohort = Cohort.objects.create(
        programme=programme, name="C", start_date=programme.start_date, end_date=programme.end_date
    )
    session = Session.objects.create(
        programme=programme,
        module=module,
        cohort=cohort,
        date=datetime.date(2026, 2, 1),
        start_time=datetime.time(9),
        end_time=datetime.time(12),
    )
    session.facilitators.add(personas.supervisor)
    dashboard = reverse("organisations:dashboard", kwargs={"org_slug": ORG})
    text = personas.client_for(personas.supervisor).get(dashboard).content.decode()
    assert url("programme_summary", programme_id=programme.pk) in text
    text = personas.client_for(personas.manager).get(dashboard).content.decode()
    assert url("programme_summary", programme_id=programme.pk) not in text
    assert url("person", person_id=personas.manager.pk) in text
