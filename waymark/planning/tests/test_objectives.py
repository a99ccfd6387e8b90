"""Objectives: SMART, with dates in the GOV.UK pattern, competences from the manager's
PMS only, pre-selected from the gap analysis through ?node=, and everything typed kept
when something is wrong."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from waymark.core.models import AuditEvent

from ..models import Objective, ObjectiveStatus, PlanLevel
from .conftest import PlanWorld
from .factories import build_pms, in_days, make_node, make_objective, make_plan

pytestmark = pytest.mark.django_db


def date_fields(name: str, day: Any, month: Any, year: Any) -> dict[str, str]:
    return {f"{name}_0": str(day), f"{name}_1": str(month), f"{name}_2": str(year)}


def objective_data(**overrides: Any) -> dict[str, Any]:
    target = in_days(200)
    data: dict[str, Any] = {
        "title": "Lead the move to the new rota",
        "specific": "Plan the new rota with the team in three meetings.",
        "measure": "The rota starts on time and staff say they shaped it.",
        "achievable": "My supervisor has agreed the time.",
        "relevant": "People who use services keep the staff they know.",
        "level": "other",
        "support_needed": "Time with the HR adviser",
        **date_fields("target_date", target.day, target.month, target.year),
    }
    data.update(overrides)
    return data


def post_new(world: PlanWorld, data: dict[str, Any]) -> Any:
    return world.client(world.p.manager).post(world.url("objective_new"), data)


def test_a_manager_adds_a_smart_objective_for_competences_in_her_pms(world: PlanWorld) -> None:
    node = world.pms.nodes[0]
    response = post_new(world, objective_data(nodes=[node.pk]))
    objective = Objective.objects.get(plan=world.plan)
    assert response.status_code == 302
    assert response["Location"] == world.url("objective", objective_id=objective.pk)
    assert objective.title == "Lead the move to the new rota"
    assert objective.target_date == in_days(200)
    assert list(objective.nodes.all()) == [node]
    assert objective.support_needed == "Time with the HR adviser"
    event = AuditEvent.objects.get(action="objective.create")
    assert event.actor == world.p.manager
    assert event.object_id == str(objective.pk)


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("title", "Enter a short name for the objective"),
        ("specific", "Enter what exactly you will do or change"),
        ("measure", "Enter how you and others will know you have succeeded"),
        ("achievable", "Enter how you will make it achievable"),
        ("relevant", "Enter why it matters to people who use services"),
    ],
)
def test_each_missing_smart_part_is_named_and_the_rest_is_kept(
    world: PlanWorld, field: str, message: str
) -> None:
    response = post_new(world, objective_data(**{field: ""}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    # What was typed elsewhere is still there.
    if field != "specific":
        assert "Plan the new rota with the team in three meetings." in html
    if field != "title":
        assert 'value="Lead the move to the new rota"' in html
    assert not Objective.objects.exists()


@pytest.mark.parametrize(
    ("date", "message"),
    [
        (("", "", ""), "Enter the target date"),
        (("31", "2", "2030"), "Target date must be a real date"),
        (("aa", "3", "2030"), "Target date must be a real date"),
        (("1", "13", "2030"), "Target date must be a real date"),
        (("1", "", "2030"), "Target date must include a month"),
        (("", "", "2030"), "Target date must include a day and month"),
        (("1", "3", "30"), "Year must include 4 numbers"),
        (("1", "1", "2020"), "Target date must be in the future"),
    ],
)
def test_a_bad_target_date_is_answered_clearly_and_what_was_typed_is_kept(
    world: PlanWorld, date: tuple[str, str, str], message: str
) -> None:
    response = post_new(world, objective_data(**date_fields("target_date", *date)))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "govuk-error-summary" in html
    for i, part in enumerate(date):
        if part:
            assert f'name="target_date_{i}" value="{part}"' in html
    assert not Objective.objects.exists()


def test_today_is_not_in_the_future(world: PlanWorld) -> None:
    today = datetime.date.today()
    response = post_new(
        world, objective_data(**date_fields("target_date", today.day, today.month, today.year))
    )
    assert "Target date must be in the future" in response.content.decode()


def test_a_month_can_be_typed_as_a_word(world: PlanWorld) -> None:
    year = in_days(400).year
    post_new(world, objective_data(**date_fields("target_date", 3, "March", year)))
    assert Objective.objects.get().target_date == datetime.date(year, 3, 3)


def test_a_competence_outside_her_pms_is_refused_with_a_clear_message(world: PlanWorld) -> None:
    stranger = make_node(code="XX9", statement="Not in her specification")
    response = post_new(world, objective_data(nodes=[stranger.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "not in your current person management specification" in html
    assert not Objective.objects.exists()


def test_the_service_refuses_a_competence_outside_the_pms_too(world: PlanWorld) -> None:
    from django.core.exceptions import ValidationError

    from ..services import objective_create

    stranger = make_node(code="XX9", statement="Not in her specification")
    with pytest.raises(ValidationError) as e:
        objective_create(
            actor=world.p.manager,
            plan=world.plan,
            title="T",
            specific="S",
            measure="M",
            target_date=in_days(10),
            nodes=[stranger],
        )
    assert "XX9" in str(e.value.message_dict["nodes"])
    assert "not in the current person management specification" in str(
        e.value.message_dict["nodes"]
    )


def test_gaps_chosen_on_the_gap_page_arrive_ticked(world: PlanWorld) -> None:
    first, _second, third = world.pms.nodes
    stranger = make_node(code="XX9")
    url = f"{world.url('objective_new')}?node={first.pk}&node={third.pk}&node={stranger.pk}&node=nonsense"
    response = world.client(world.p.manager).get(url)
    html = response.content.decode()
    assert response.status_code == 200
    checked = [
        n.pk for n in world.pms.nodes if f'value="{n.pk}" checked' in html or _checked(html, n.pk)
    ]
    assert checked == [first.pk, third.pk]
    assert (
        "1 of the competences you chose is not in your current person management specification"
        in html
    )
    assert "XX9" not in html


def _checked(html: str, pk: int) -> bool:
    import re

    return bool(re.search(rf'<input[^>]*value="{pk}"[^>]*checked', html))


def test_the_objective_page_url_keeps_its_contract(world: PlanWorld) -> None:
    assert (
        world.url("objective_new")
        == f"/o/{world.p.org.slug}/people/{world.p.manager.pk}/plan/objectives/new/"
    )


def test_without_a_plan_the_manager_is_sent_to_start_one_and_comes_back(world: PlanWorld) -> None:
    world.plan.delete()
    client = world.client(world.p.manager)
    node = world.pms.nodes[1]
    response = client.get(f"{world.url('objective_new')}?node={node.pk}")
    assert response.status_code == 302
    start = response["Location"]
    assert start.startswith(world.url("plan_new"))
    page = client.get(start)
    assert page.status_code == 200
    today, end = in_days(0), in_days(300)
    created = client.post(
        start,
        {
            "title": "Plan",
            "route": "outcomes",
            **date_fields("period_start", today.day, today.month, today.year),
            **date_fields("period_end", end.day, end.month, end.year),
        },
    )
    assert created.status_code == 302
    assert created["Location"] == f"{world.url('objective_new')}?node={node.pk}"


def test_the_objective_page_shows_everything_about_it(world: PlanWorld) -> None:
    objective = make_objective(plan=world.plan, title="Coach my deputies")
    objective.nodes.add(world.pms.nodes[0])
    response = world.client(world.p.supervisor).get(
        world.url("objective", objective_id=objective.pk)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Coach my deputies" in html
    assert "Why it matters to people who use services" in html
    assert "MM1.01" in html
    assert "Add a learning activity" not in html  # the supervisor reads, the manager writes


def test_editing_an_overdue_objective_keeps_its_past_date(world: PlanWorld) -> None:
    objective = make_objective(plan=world.plan, target_date=in_days(-10))
    past = objective.target_date
    data = objective_data(
        title="Renamed", **date_fields("target_date", past.day, past.month, past.year)
    )
    response = world.client(world.p.manager).post(
        world.url("objective_edit", objective_id=objective.pk), data
    )
    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.title == "Renamed"
    assert objective.target_date == past


def test_moving_a_date_into_the_past_is_refused(world: PlanWorld) -> None:
    objective = make_objective(plan=world.plan)
    data = objective_data(**date_fields("target_date", 1, 1, 2020))
    response = world.client(world.p.manager).post(
        world.url("objective_edit", objective_id=objective.pk), data
    )
    assert "Target date must be in the future" in response.content.decode()


def test_a_competence_from_an_earlier_pms_revision_stays_when_editing(world: PlanWorld) -> None:
    old_node = make_node(code="OLD1")
    objective = make_objective(plan=world.plan)
    objective.nodes.add(old_node)
    response = world.client(world.p.manager).get(
        world.url("objective_edit", objective_id=objective.pk)
    )
    assert "OLD1" in response.content.decode()
    data = objective_data(nodes=[old_node.pk, world.pms.nodes[0].pk])
    world.client(world.p.manager).post(world.url("objective_edit", objective_id=objective.pk), data)
    assert set(objective.nodes.values_list("code", flat=True)) == {"OLD1", "MM1.01"}


def test_the_manager_changes_the_status(world: PlanWorld) -> None:
    objective = make_objective(plan=world.plan)
    client = world.client(world.p.manager)
    bad = client.post(
        world.url("objective_status", objective_id=objective.pk), {"status": "finished"}
    )
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode() or "Choose" in bad.content.decode()
    client.post(world.url("objective_status", objective_id=objective.pk), {"status": "in-progress"})
    objective.refresh_from_db()
    assert objective.status == ObjectiveStatus.IN_PROGRESS
    assert AuditEvent.objects.filter(action="objective.status").count() == 1


def test_activities_are_added_changed_and_removed_on_the_objective(world: PlanWorld) -> None:
    objective = make_objective(plan=world.plan)
    client = world.client(world.p.manager)
    when = in_days(20)
    missing = client.post(
        world.url("activity_new", objective_id=objective.pk),
        {"activity_type": "", "description": "Visit Oak House"},
    )
    html = missing.content.decode()
    assert "Choose the type of learning" in html
    assert 'value="Visit Oak House"' in html
    client.post(
        world.url("activity_new", objective_id=objective.pk),
        {
            "activity_type": "shadowing",
            "description": "Shadow the manager at Oak House",
            **date_fields("planned_date", when.day, when.month, when.year),
        },
    )
    activity = objective.activities.get()
    assert activity.planned_date == when
    page = client.get(world.url("objective", objective_id=objective.pk)).content.decode()
    assert "Shadow the manager at Oak House" in page
    client.post(
        world.url("activity_edit", objective_id=objective.pk, activity_id=activity.pk),
        {"activity_type": "coaching", "description": "Coaching with Jo"},
    )
    activity.refresh_from_db()
    assert (activity.activity_type, activity.description, activity.planned_date) == (
        "coaching",
        "Coaching with Jo",
        None,
    )
    confirm = client.get(
        world.url("activity_remove", objective_id=objective.pk, activity_id=activity.pk)
    )
    assert "Remove this learning activity?" in confirm.content.decode()
    client.post(world.url("activity_remove", objective_id=objective.pk, activity_id=activity.pk))
    assert not objective.activities.exists()
    assert list(
        AuditEvent.objects.filter(action__startswith="activity.")
        .values_list("action", flat=True)
        .order_by("id")
    ) == ["activity.add", "activity.update", "activity.remove"]


def test_milestones_are_added_ticked_off_changed_and_removed(world: PlanWorld) -> None:
    objective = make_objective(plan=world.plan)
    client = world.client(world.p.manager)
    bad = client.post(
        world.url("milestone_new", objective_id=objective.pk),
        {"title": "First set meeting", **date_fields("due_date", 30, 2, 2028)},
    )
    assert "Date must be a real date" in bad.content.decode()
    when = in_days(15)
    client.post(
        world.url("milestone_new", objective_id=objective.pk),
        {"title": "First set meeting", **date_fields("due_date", when.day, when.month, when.year)},
    )
    milestone = objective.milestones.get()
    client.post(
        world.url("milestone_done", objective_id=objective.pk, milestone_id=milestone.pk),
        {"done": "1"},
    )
    milestone.refresh_from_db()
    assert milestone.done
    client.post(
        world.url("milestone_edit", objective_id=objective.pk, milestone_id=milestone.pk),
        {"title": "Second set meeting", **date_fields("due_date", when.day, when.month, when.year)},
    )
    milestone.refresh_from_db()
    assert (milestone.title, milestone.done) == ("Second set meeting", False)
    client.post(world.url("milestone_remove", objective_id=objective.pk, milestone_id=milestone.pk))
    assert not objective.milestones.exists()


def test_an_activity_of_another_objective_cannot_be_reached_through_this_one(
    world: PlanWorld,
) -> None:
    mine = make_objective(plan=world.plan)
    other_plan = make_plan(organisation=world.p.org, manager=world.colleague)
    theirs = make_objective(plan=other_plan)
    activity = theirs.activities.create(activity_type="event", description="Conference")
    response = world.client(world.p.manager).post(
        world.url("activity_remove", objective_id=mine.pk, activity_id=activity.pk)
    )
    assert response.status_code == 404
    assert theirs.activities.exists()
    # Nor her colleague's objective through her own person pages.
    assert (
        world.client(world.p.manager)
        .get(world.url("objective", objective_id=theirs.pk))
        .status_code
        == 404
    )


def test_seeding_adds_basics_and_qualifications_from_the_pms_once(world: PlanWorld) -> None:
    client = world.client(world.p.manager)
    response = client.post(world.plan_url("plan_seed"))
    assert response.status_code == 302
    levels = sorted(world.plan.objectives.values_list("level", "title"))
    assert levels == [
        ("basics", "Medication awareness"),
        ("basics", "Safeguarding induction"),
        ("qualifications", "Level 5 Diploma in Leadership and Management"),
    ]
    client.post(world.plan_url("plan_seed"))
    assert world.plan.objectives.count() == 3
    assert AuditEvent.objects.filter(action="objective.seed").count() == 1
    seeded = world.plan.objectives.get(title="Safeguarding induction")
    assert not seeded.is_smart_complete
    assert "Complete this part of my induction" in seeded.specific


def test_seeding_without_a_pms_says_why_nothing_was_added(world: PlanWorld) -> None:
    world.pms.specification.delete()
    response = world.client(world.p.manager).post(world.plan_url("plan_seed"), follow=True)
    assert "no person management specification yet" in response.content.decode()
    assert not world.plan.objectives.exists()


def test_an_objective_can_be_started_at_a_chosen_level(world: PlanWorld) -> None:
    html = (
        world.client(world.p.manager)
        .get(world.url("objective_new") + "?level=qualifications")
        .content.decode()
    )
    assert _checked_radio(html, "level", "qualifications")
    post_new(world, objective_data(level="basics"))
    assert Objective.objects.get().level == PlanLevel.BASICS


def _checked_radio(html: str, name: str, value: str) -> bool:
    import re

    return bool(
        re.search(rf'<input[^>]*name="{name}"[^>]*value="{value}"[^>]*checked', html)
        or re.search(rf'<input[^>]*value="{value}"[^>]*name="{name}"[^>]*checked', html)
        or re.search(rf'<input[^>]*checked[^>]*name="{name}"[^>]*value="{value}"', html)
    )


def test_without_a_pms_an_objective_can_still_be_added(world: PlanWorld) -> None:
    world.pms.specification.delete()
    page = world.client(world.p.manager).get(world.url("objective_new")).content.decode()
    assert "You do not have a person management specification yet" in page
    post_new(world, objective_data())
    assert Objective.objects.count() == 1


def test_another_organisations_pms_does_not_count(world: PlanWorld) -> None:
    other = build_pms(organisation=world.p.other_org, manager=world.p.manager)
    response = post_new(world, objective_data(nodes=[other.nodes[0].pk]))
    assert "not in your current person management specification" in response.content.decode()
