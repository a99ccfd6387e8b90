"""The plan API: scoped like the pages, writes by the manager only, comments by her and
her supporters, agreement by her supervisor only."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from waymark.accounts.models import User
from waymark.core.models import AuditEvent

from ..models import Objective, Plan
from .conftest import PlanWorld
from .factories import in_days, make_activity, make_milestone, make_node, make_objective, make_plan

pytestmark = pytest.mark.django_db


def api(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def ids(response: Any) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def test_a_stranger_must_sign_in(world: PlanWorld) -> None:
    assert api(None).get("/api/v1/plans/").status_code in (401, 403)


def test_plans_are_scoped_like_the_pages(world: PlanWorld) -> None:
    colleague_plan = make_plan(organisation=world.p.org, manager=world.colleague)
    elsewhere = make_plan(organisation=world.p.other_org, manager=world.p.outsider)
    assert ids(api(world.p.manager).get("/api/v1/plans/")) == [world.plan.pk]
    assert ids(api(world.p.supervisor).get("/api/v1/plans/")) == [world.plan.pk]
    assert ids(api(world.mentor).get("/api/v1/plans/")) == [world.plan.pk]
    assert sorted(ids(api(world.p.ld_lead).get("/api/v1/plans/"))) == sorted(
        [world.plan.pk, colleague_plan.pk]
    )
    assert ids(api(world.colleague).get("/api/v1/plans/")) == [colleague_plan.pk]
    assert ids(api(world.p.outsider).get("/api/v1/plans/")) == [elsewhere.pk]
    assert api(world.p.outsider).get(f"/api/v1/plans/{world.plan.pk}/").status_code == 404
    assert api(world.colleague).get(f"/api/v1/plans/{world.plan.pk}/").status_code == 404


def test_objectives_come_with_their_activities_and_milestones(world: PlanWorld) -> None:
    objective = make_objective(plan=world.plan, title="Coach my deputies")
    objective.nodes.add(world.pms.nodes[0])
    make_activity(objective=objective, description="Coaching course")
    make_milestone(objective=objective, title="First session")
    make_objective(plan=make_plan(organisation=world.p.org, manager=world.colleague))
    data = api(world.p.supervisor).get("/api/v1/objectives/").json()
    assert data["count"] == 1
    row = data["results"][0]
    assert row["title"] == "Coach my deputies"
    assert row["activities"][0]["description"] == "Coaching course"
    assert row["milestones"][0]["title"] == "First session"
    assert row["nodes"][0]["code"] == "MM1.01"
    assert row["nodes"][0]["node"] == str(world.pms.nodes[0].identifier)
    detail = api(world.p.manager).get(f"/api/v1/plans/{world.plan.pk}/").json()
    assert detail["objectives"][0]["title"] == "Coach my deputies"
    assert detail["manager"]["email"] == world.p.manager.email


def test_the_objective_list_keeps_its_queries_constant(
    world: PlanWorld, django_assert_max_num_queries: Any
) -> None:
    for _ in range(6):
        o = make_objective(plan=world.plan)
        o.nodes.add(*world.pms.nodes)
        make_activity(objective=o)
        make_milestone(objective=o)
    with django_assert_max_num_queries(8):
        assert api(world.p.supervisor).get("/api/v1/objectives/").status_code == 200


def test_the_manager_creates_and_changes_her_plan(world: PlanWorld) -> None:
    client = api(world.p.manager)
    created = client.post(
        "/api/v1/plans/",
        {"organisation": world.p.org.slug, "title": "Next year", "route": "guided"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    plan_id = created.json()["id"]
    changed = client.patch(
        f"/api/v1/plans/{plan_id}/",
        {"ideal_self": "A coach to my team", "strengths": "Patience"},
        format="json",
    )
    assert changed.status_code == 200
    plan = Plan.objects.get(pk=plan_id)
    assert (plan.ideal_self, plan.strengths, plan.manager) == (
        "A coach to my team",
        "Patience",
        world.p.manager,
    )
    backwards = client.patch(
        f"/api/v1/plans/{plan_id}/",
        {"period_start": "2030-01-01", "period_end": "2029-01-01"},
        format="json",
    )
    assert backwards.status_code == 400
    assert "period_end" in backwards.json()


def test_a_plan_cannot_be_made_in_an_organisation_she_is_not_in(world: PlanWorld) -> None:
    response = api(world.p.manager).post(
        "/api/v1/plans/", {"organisation": world.p.other_org.slug, "title": "Sneaky"}, format="json"
    )
    assert response.status_code == 404


def test_only_the_manager_writes_her_plan(world: PlanWorld) -> None:
    objective = make_objective(plan=world.plan)
    for user in (world.p.supervisor, world.mentor, world.p.ld_lead):
        client = api(user)
        assert (
            client.patch(
                f"/api/v1/plans/{world.plan.pk}/", {"title": "x"}, format="json"
            ).status_code
            == 403
        )
        assert (
            client.patch(
                f"/api/v1/objectives/{objective.pk}/", {"title": "x"}, format="json"
            ).status_code
            == 403
        )
        assert (
            client.post(
                "/api/v1/objectives/",
                {
                    "plan": world.plan.pk,
                    "title": "x",
                    "specific": "s",
                    "measure": "m",
                    "achievable": "a",
                    "relevant": "r",
                    "target_date": str(in_days(9)),
                },
                format="json",
            ).status_code
            == 403
        )
        assert (
            client.post(
                "/api/v1/plan-milestones/",
                {"objective": objective.pk, "title": "x", "due_date": str(in_days(9))},
                format="json",
            ).status_code
            == 403
        )
    assert (
        api(world.colleague)
        .patch(f"/api/v1/objectives/{objective.pk}/", {"title": "x"}, format="json")
        .status_code
        == 404
    )


def test_the_manager_adds_an_objective_with_competences_by_identifier(world: PlanWorld) -> None:
    node = world.pms.nodes[1]
    response = api(world.p.manager).post(
        "/api/v1/objectives/",
        {
            "plan": world.plan.pk,
            "title": "Budgets",
            "specific": "Learn the budget cycle",
            "measure": "I set next year's budget",
            "achievable": "With finance",
            "relevant": "Money well spent",
            "target_date": str(in_days(90)),
            "level": "other",
            "nodes": [str(node.identifier)],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    objective = Objective.objects.get(pk=response.json()["id"])
    assert list(objective.nodes.all()) == [node]
    assert AuditEvent.objects.filter(action="objective.create", actor=world.p.manager).exists()


def test_bad_objectives_are_answered_by_field(world: PlanWorld) -> None:
    client = api(world.p.manager)
    base = {
        "plan": world.plan.pk,
        "title": "T",
        "specific": "S",
        "measure": "M",
        "achievable": "A",
        "relevant": "R",
        "target_date": str(in_days(90)),
    }
    past = client.post("/api/v1/objectives/", {**base, "target_date": "2020-01-01"}, format="json")
    assert past.status_code == 400
    assert past.json()["target_date"] == ["Target date must be in the future"]
    stranger = make_node()
    outside = client.post(
        "/api/v1/objectives/", {**base, "nodes": [str(stranger.identifier)]}, format="json"
    )
    assert outside.status_code == 400
    assert "not in the current person management specification" in outside.json()["nodes"][0]
    missing = client.post("/api/v1/objectives/", {"plan": world.plan.pk}, format="json")
    assert set(missing.json()) >= {
        "title",
        "specific",
        "measure",
        "achievable",
        "relevant",
        "target_date",
    }
    other = client.post(
        "/api/v1/objectives/",
        {**base, "plan": make_plan(organisation=world.p.org, manager=world.colleague).pk},
        format="json",
    )
    assert other.status_code == 400
    assert not Objective.objects.exists()


def test_status_and_parts_change_through_the_objective(world: PlanWorld) -> None:
    objective = make_objective(plan=world.plan)
    client = api(world.p.manager)
    response = client.patch(
        f"/api/v1/objectives/{objective.pk}/",
        {"status": "achieved", "title": "Done it"},
        format="json",
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["title"]) == ("achieved", "Done it")
    activity = client.post(
        "/api/v1/plan-activities/",
        {"objective": objective.pk, "activity_type": "mentoring", "description": "Monthly with Mo"},
        format="json",
    )
    assert activity.status_code == 201
    bad_type = client.post(
        "/api/v1/plan-activities/",
        {"objective": objective.pk, "activity_type": "nap", "description": "x"},
        format="json",
    )
    assert bad_type.status_code == 400
    milestone = client.post(
        "/api/v1/plan-milestones/",
        {"objective": objective.pk, "title": "Half way", "due_date": str(in_days(20))},
        format="json",
    )
    assert milestone.status_code == 201
    ticked = client.patch(
        f"/api/v1/plan-milestones/{milestone.json()['id']}/", {"done": True}, format="json"
    )
    assert ticked.json()["done"] is True
    assert client.delete(f"/api/v1/plan-activities/{activity.json()['id']}/").status_code == 204
    assert client.delete(f"/api/v1/plan-milestones/{milestone.json()['id']}/").status_code == 204
    assert not objective.activities.exists() and not objective.milestones.exists()


def test_supporters_comment_and_the_supervisor_agrees(world: PlanWorld) -> None:
    make_objective(plan=world.plan)
    url = f"/api/v1/plans/{world.plan.pk}/"
    assert (
        api(world.mentor).post(url + "comments/", {"body": "Good plan"}, format="json").status_code
        == 201
    )
    assert (
        api(world.p.manager).post(url + "comments/", {"body": "Thanks"}, format="json").status_code
        == 201
    )
    assert (
        api(world.p.ld_lead).post(url + "comments/", {"body": "Hi"}, format="json").status_code
        == 403
    )
    assert (
        api(world.p.manager).post(url + "comments/", {"body": ""}, format="json").status_code == 400
    )
    comments = api(world.p.ld_lead).get(url + "comments/").json()
    assert [c["body"] for c in comments] == ["Good plan", "Thanks"]
    assert comments[0]["author_role"] == "Mentor"
    assert api(world.p.manager).post(url + "agree/").status_code == 403
    assert api(world.mentor).post(url + "agree/").status_code == 403
    agreed = api(world.p.supervisor).post(url + "agree/")
    assert agreed.status_code == 200
    assert agreed.json()["agreed_by"]["email"] == world.p.supervisor.email
    assert agreed.json()["agreed_at"]
    assert api(world.colleague).post(url + "agree/").status_code == 404
