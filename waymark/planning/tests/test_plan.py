"""The plan page, its two routes (guided, and outcome by outcome), the SWOT, and the
dashboard card and person section."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from waymark.core.models import AuditEvent

from ..models import Plan, Route
from .conftest import PlanWorld
from .factories import (
    in_days,
    make_activity,
    make_comment,
    make_milestone,
    make_objective,
)
from .test_objectives import date_fields

pytestmark = pytest.mark.django_db


def plan_data(**overrides: Any) -> dict[str, Any]:
    start, end = in_days(0), in_days(364)
    return {
        "title": "My plan 2027",
        "route": "guided",
        **date_fields("period_start", start.day, start.month, start.year),
        **date_fields("period_end", end.day, end.month, end.year),
        **overrides,
    }


def test_a_manager_without_a_plan_is_invited_to_start_one(world: PlanWorld) -> None:
    world.plan.delete()
    html = world.client(world.p.manager).get(world.url("plan")).content.decode()
    assert "Start your plan" in html
    supervisor_view = world.client(world.p.supervisor).get(world.url("plan")).content.decode()
    assert "has not started a development plan yet" in supervisor_view
    assert "Start your plan" not in supervisor_view


def test_creating_a_plan_on_the_guided_route_leads_to_its_stages(world: PlanWorld) -> None:
    world.plan.delete()
    response = world.client(world.p.manager).post(world.url("plan_new"), plan_data())
    plan = Plan.objects.get(manager=world.p.manager)
    assert plan.route == Route.GUIDED
    assert plan.period_end == in_days(364)
    assert response["Location"] == world.url("plan_guided", plan_id=plan.pk)
    assert AuditEvent.objects.filter(action="plan.create", object_id=str(plan.pk)).exists()


def test_creating_a_plan_outcome_by_outcome_leads_to_the_competences(world: PlanWorld) -> None:
    response = world.client(world.p.manager).post(
        world.url("plan_new"), plan_data(route="outcomes")
    )
    newest = Plan.objects.filter(manager=world.p.manager).order_by("-created_at", "-id").first()
    assert newest is not None and newest != world.plan
    assert response["Location"] == world.url("plan_outcomes", plan_id=newest.pk)
    # The newest plan is now the current one; the earlier one stays readable.
    html = world.client(world.p.manager).get(world.url("plan")).content.decode()
    assert "My plan 2027" in html
    assert "Plan 2027" in html  # listed among the other plans
    earlier = world.client(world.p.manager).get(world.plan_url()).content.decode()
    assert "This is an earlier plan." in earlier


def test_a_plan_that_ends_before_it_starts_is_refused_and_kept(world: PlanWorld) -> None:
    end = in_days(-30)
    response = world.client(world.p.manager).post(
        world.url("plan_new"),
        plan_data(title="Backwards", **date_fields("period_end", end.day, end.month, end.year)),
    )
    html = response.content.decode()
    assert "End date must be after the start date" in html
    assert 'value="Backwards"' in html
    assert not Plan.objects.filter(title="Backwards").exists()


def test_the_plan_shows_its_three_levels_with_their_objectives(world: PlanWorld) -> None:
    make_objective(plan=world.plan, level="basics", title="Finish the induction")
    make_objective(plan=world.plan, level="qualifications", title="Start the Level 5 Diploma")
    make_objective(
        plan=world.plan, level="other", title="Lead the rota change", status="in-progress"
    )
    html = world.client(world.p.manager).get(world.url("plan")).content.decode()
    basics = html.index("Organisational basics (induction and foundation)")
    quals = html.index("Required qualifications")
    other = html.index("Other learning")
    assert (
        basics
        < html.index("Finish the induction")
        < quals
        < html.index("Start the Level 5 Diploma")
        < other
    )
    assert other < html.index("Lead the rota change")
    assert "Progress: 3 objectives" in html


def test_the_plan_page_loads_in_the_same_queries_however_many_objectives(
    world: PlanWorld, django_assert_num_queries: Any
) -> None:
    client = world.client(world.p.supervisor)
    url = world.url("plan")

    def add(n: int) -> None:
        for _ in range(n):
            o = make_objective(plan=world.plan)
            o.nodes.add(*world.pms.nodes)
            make_activity(objective=o)
            make_milestone(objective=o)
            make_comment(plan=world.plan, author=world.p.supervisor)

    add(1)
    client.get(url)  # warm up sessions and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(8)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_guided_route_saves_each_stage_and_resumes_where_she_stopped(world: PlanWorld) -> None:
    client = world.client(world.p.manager)
    first = world.plan_url("plan_stage", stage="ideal-self")
    page = client.get(first).content.decode()
    assert "Stage 1 of 5: Ideal self" in page
    assert "govuk-back-link" in page
    response = client.post(first, {"answer": "A manager who grows people."})
    assert response["Location"] == world.plan_url("plan_stage", stage="real-self")
    response = client.post(
        world.plan_url("plan_stage", stage="real-self"),
        {"answer": "Good with people, new to budgets.", "later": "1"},
    )
    assert response["Location"] == world.plan_url()
    world.plan.refresh_from_db()
    assert world.plan.ideal_self == "A manager who grows people."
    assert world.plan.real_self == "Good with people, new to budgets."
    overview = client.get(world.plan_url("plan_guided")).content.decode()
    assert "You have answered 2 of 5." in overview
    learning = world.plan_url("plan_stage", stage="learning-agenda")
    assert f'href="{learning}">Continue</a>' in overview
    back = client.get(world.plan_url("plan_stage", stage="learning-agenda")).content.decode()
    assert world.plan_url("plan_stage", stage="real-self") in back
    # The answers show on the plan, for her and her supervisor.
    seen = world.client(world.p.supervisor).get(world.plan_url()).content.decode()
    assert "A manager who grows people." in seen
    assert AuditEvent.objects.filter(action="plan.update").count() == 2


def test_the_last_stage_returns_to_the_overview(world: PlanWorld) -> None:
    response = world.client(world.p.manager).post(
        world.plan_url("plan_stage", stage="supportive-relationships"), {"answer": "My mentor, Mo."}
    )
    assert response["Location"] == world.plan_url("plan_guided")


def test_an_unknown_stage_is_not_found(world: PlanWorld) -> None:
    assert (
        world.client(world.p.manager)
        .get(world.plan_url("plan_stage", stage="sixth-sense"))
        .status_code
        == 404
    )


def test_the_real_self_stage_shows_the_latest_gap_analysis(world: PlanWorld) -> None:
    from django.utils import timezone

    from waymark.assessment.models import Rating, SelfAssessment

    assessment = SelfAssessment.objects.create(
        organisation=world.p.org,
        manager=world.p.manager,
        revision=world.pms.revision,
        submitted_at=timezone.now(),
    )
    first, second, third = world.pms.nodes
    Rating.objects.create(assessment=assessment, node=first, level=1)
    Rating.objects.create(assessment=assessment, node=second, level=4)
    Rating.objects.create(assessment=assessment, node=third, level=2)
    html = (
        world.client(world.p.manager)
        .get(world.plan_url("plan_stage", stage="real-self"))
        .content.decode()
    )
    assert "From your self-assessment completed on" in html
    strengths, gaps = html.index("Strengths"), html.index("Largest gaps")
    assert strengths < html.index("MM1.02") < gaps < html.index("MM1.01")
    assert "MM1.03" in html[gaps:]
    assert "See your whole gap analysis" in html


def test_the_real_self_stage_works_without_an_assessment(world: PlanWorld) -> None:
    html = (
        world.client(world.p.manager)
        .get(world.plan_url("plan_stage", stage="real-self"))
        .content.decode()
    )
    assert "When you have completed a self-assessment" in html


def test_outcome_by_outcome_lists_every_competence_with_a_way_to_add_an_objective(
    world: PlanWorld,
) -> None:
    covered = make_objective(plan=world.plan, title="Lead change well")
    covered.nodes.add(world.pms.nodes[0])
    html = world.client(world.p.manager).get(world.plan_url("plan_outcomes")).content.decode()
    positions = [html.index(n.code) for n in world.pms.nodes]
    assert positions == sorted(positions)
    for node in world.pms.nodes:
        assert f"{world.url('objective_new')}?node={node.pk}" in html
    assert "Lead change well" in html
    assert "1 of 3 competences" in html


def test_outcome_by_outcome_without_a_pms_says_so(world: PlanWorld) -> None:
    world.pms.specification.delete()
    html = world.client(world.p.manager).get(world.plan_url("plan_outcomes")).content.decode()
    assert "You do not have a person management specification yet" in html


def test_the_swot_is_edited_on_its_own_page(world: PlanWorld) -> None:
    client = world.client(world.p.manager)
    long = "x" * 5001
    bad = client.post(world.plan_url("plan_swot"), {"strengths": "Calm", "threats": long})
    assert "Threats must be 5,000 characters or fewer" in bad.content.decode()
    assert "Calm" in bad.content.decode()
    client.post(
        world.plan_url("plan_swot"),
        {
            "strengths": "Calm in a crisis",
            "weaknesses": "Budgets",
            "opportunities": "New programme",
            "threats": "Staffing",
        },
    )
    world.plan.refresh_from_db()
    assert (world.plan.strengths, world.plan.threats) == ("Calm in a crisis", "Staffing")
    html = client.get(world.plan_url()).content.decode()
    assert "Calm in a crisis" in html and "New programme" in html


def test_the_dashboard_card_links_to_her_plan(world: PlanWorld) -> None:
    make_objective(plan=world.plan, status="in-progress")
    html = (
        world.client(world.p.manager)
        .get(reverse("organisations:dashboard", args=[world.p.org.slug]))
        .content.decode()
    )
    assert world.url("plan") in html
    assert "Plan 2027" in html
    assert "1 in progress" in html


def test_the_dashboard_card_lists_plans_waiting_for_the_supervisor(world: PlanWorld) -> None:
    make_objective(plan=world.plan)
    html = (
        world.client(world.p.supervisor)
        .get(reverse("organisations:dashboard", args=[world.p.org.slug]))
        .content.decode()
    )
    assert "Plans waiting for you to agree" in html
    assert world.plan_url() in html


def test_the_person_section_summarises_the_plan_for_those_who_may_see_it(world: PlanWorld) -> None:
    make_objective(plan=world.plan, status="achieved")
    url = reverse("organisations:person", args=[world.p.org.slug, world.p.manager.pk])
    html = world.client(world.p.ld_lead).get(url).content.decode()
    assert "Development plan" in html
    assert "Plan 2027" in html
    assert "Not yet agreed" in html
    supervisor = world.client(world.p.supervisor).get(url).content.decode()
    assert "Agree the plan" in supervisor
