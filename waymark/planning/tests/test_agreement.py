"""Comments and agreement, and who may do what: the manager writes; her supervisor
comments and agrees; mentors and coaches read and comment; the L&D lead and admins read;
anyone else gets 404."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from waymark.core.models import AuditEvent
from waymark.organisations.models import SupportRelationship

from .. import services
from .conftest import PlanWorld
from .factories import in_days, make_milestone, make_objective

pytestmark = pytest.mark.django_db


def test_the_supervisor_agrees_the_plan_and_who_and_when_are_recorded(world: PlanWorld) -> None:
    make_objective(plan=world.plan)
    world.p.supervisor.full_name = "Sam Okafor"
    world.p.supervisor.save()
    client = world.client(world.p.supervisor)
    confirm = client.get(world.plan_url("plan_agree"))
    assert confirm.status_code == 200
    assert "Agree this plan" in confirm.content.decode()
    response = client.post(world.plan_url("plan_agree"))
    assert response.status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.agreed_by == world.p.supervisor
    assert world.plan.agreed_at is not None
    assert timezone.now() - world.plan.agreed_at < datetime.timedelta(minutes=1)
    event = AuditEvent.objects.get(action="plan.agree")
    assert event.actor == world.p.supervisor
    assert event.object_id == str(world.plan.pk)
    assert event.changes["agreed_by"] == [None, "Sam Okafor"]
    day = timezone.localtime(world.plan.agreed_at)
    expected = f"Agreed by Sam Okafor on {day.day} {day:%B} {day.year}"
    assert expected in world.client(world.p.manager).get(world.plan_url()).content.decode()


def test_a_manager_cannot_agree_her_own_plan(world: PlanWorld) -> None:
    make_objective(plan=world.plan)
    client = world.client(world.p.manager)
    assert client.get(world.plan_url("plan_agree")).status_code == 403
    assert client.post(world.plan_url("plan_agree")).status_code == 403
    world.plan.refresh_from_db()
    assert world.plan.agreed_at is None


def test_the_service_refuses_self_agreement_too(world: PlanWorld) -> None:
    from django.core.exceptions import PermissionDenied

    make_objective(plan=world.plan)
    with pytest.raises(PermissionDenied):
        services.plan_agree(actor=world.p.manager, plan=world.plan)
    with pytest.raises(PermissionDenied):
        services.plan_agree(actor=world.mentor, plan=world.plan)


def test_an_empty_plan_cannot_be_agreed(world: PlanWorld) -> None:
    response = world.client(world.p.supervisor).post(world.plan_url("plan_agree"))
    assert response.status_code == 200
    assert "no objectives yet" in response.content.decode()
    world.plan.refresh_from_db()
    assert world.plan.agreed_at is None


@pytest.mark.parametrize("who", ["mentor", "ld_lead", "admin"])
def test_only_the_supervisor_may_agree(world: PlanWorld, who: str) -> None:
    make_objective(plan=world.plan)
    user = world.mentor if who == "mentor" else getattr(world.p, who)
    assert world.client(user).post(world.plan_url("plan_agree")).status_code == 403


def test_a_change_after_agreement_shows_as_changed_since_agreed(world: PlanWorld) -> None:
    objective = make_objective(plan=world.plan, title="Lead the rota change")
    services.plan_agree(actor=world.p.supervisor, plan=world.plan)
    world.plan.refresh_from_db()
    assert not world.plan.changed_since_agreed
    page = world.client(world.p.manager).get(world.plan_url()).content.decode()
    assert "Changed since agreed" not in page
    services.objective_update(
        actor=world.p.manager, objective=objective, data={"measure": "Staff say so in the survey."}
    )
    world.plan.refresh_from_db()
    assert world.plan.changed_since_agreed
    page = world.client(world.p.supervisor).get(world.plan_url()).content.decode()
    assert "Changed since agreed" in page
    assert "Agree the changed plan" in page
    # Agreeing again clears it.
    services.plan_agree(actor=world.p.supervisor, plan=world.plan)
    world.plan.refresh_from_db()
    assert not world.plan.changed_since_agreed


def test_an_objective_added_after_agreement_is_marked(world: PlanWorld) -> None:
    make_objective(plan=world.plan)
    services.plan_agree(actor=world.p.supervisor, plan=world.plan)
    services.objective_create(
        actor=world.p.manager,
        plan=world.plan,
        title="Something new",
        specific="s",
        measure="m",
        achievable="a",
        relevant="r",
        target_date=in_days(30),
    )
    world.plan.refresh_from_db()
    assert world.plan.changed_since_agreed
    assert (
        "Added since agreed"
        in world.client(world.p.supervisor).get(world.plan_url()).content.decode()
    )


def test_progress_after_agreement_is_not_a_change_of_plan(world: PlanWorld) -> None:
    objective = make_objective(plan=world.plan)
    milestone = make_milestone(objective=objective)
    services.plan_agree(actor=world.p.supervisor, plan=world.plan)
    services.objective_set_status(actor=world.p.manager, objective=objective, status="in-progress")
    services.milestone_update(actor=world.p.manager, milestone=milestone, data={"done": True})
    world.plan.refresh_from_db()
    assert not world.plan.changed_since_agreed
    services.objective_set_status(actor=world.p.manager, objective=objective, status="dropped")
    world.plan.refresh_from_db()
    assert world.plan.changed_since_agreed


def test_comments_list_author_and_date_and_the_manager_replies(world: PlanWorld) -> None:
    supervisor = world.client(world.p.supervisor)
    empty = supervisor.post(world.plan_url("plan_comments"), {"body": "   "})
    assert "Enter your comment" in empty.content.decode()
    supervisor.post(world.plan_url("plan_comments"), {"body": "Can we add a budget objective?"})
    reply = world.client(world.p.manager).post(
        world.plan_url("plan_comments"), {"body": "Yes, I'll add one."}
    )
    assert reply.status_code == 302
    html = world.client(world.p.manager).get(world.plan_url()).content.decode()
    first, second = html.index("Can we add a budget objective?"), html.index("I&#x27;ll add one.")
    assert first < second
    assert "Sam Supervisor</strong> (Supervisor)" in html
    assert "Maya Manager</strong> (Manager)" in html
    assert html.count("<time datetime=") >= 2
    assert AuditEvent.objects.filter(action="plan.comment").count() == 2


def test_a_mentor_reads_the_plan_and_may_comment_but_not_change_it(world: PlanWorld) -> None:
    objective = make_objective(plan=world.plan, title="Coach my deputies")
    client = world.client(world.mentor)
    assert "Coach my deputies" in client.get(world.plan_url()).content.decode()
    assert client.get(world.url("objective", objective_id=objective.pk)).status_code == 200
    assert (
        client.post(
            world.plan_url("plan_comments"), {"body": "Happy to help with this."}
        ).status_code
        == 302
    )
    assert client.get(world.url("objective_edit", objective_id=objective.pk)).status_code == 403
    assert client.post(world.plan_url("plan_swot"), {"strengths": "x"}).status_code == 403
    assert client.get(world.url("objective_new")).status_code == 403


def test_a_coach_is_treated_like_a_mentor(world: PlanWorld) -> None:
    SupportRelationship.objects.filter(supporter=world.mentor).update(kind="coach")
    client = world.client(world.mentor)
    assert client.get(world.plan_url()).status_code == 200
    assert client.post(world.plan_url("plan_comments"), {"body": "Noted."}).status_code == 302


@pytest.mark.parametrize("who", ["ld_lead", "admin"])
def test_the_organisation_reads_the_plan_but_does_not_comment(world: PlanWorld, who: str) -> None:
    client = world.client(getattr(world.p, who))
    html = client.get(world.plan_url()).content.decode()
    assert "Plan 2027" in html
    assert 'name="body"' not in html
    assert client.post(world.plan_url("plan_comments"), {"body": "Hello"}).status_code == 403
    assert client.post(world.url("objective_new"), {}).status_code == 403


def test_someone_outside_the_organisation_gets_not_found(world: PlanWorld) -> None:
    client = world.client(world.p.outsider)
    for url in (
        world.url("plan"),
        world.plan_url(),
        world.url("objective_new"),
        world.plan_url("plan_agree"),
    ):
        assert client.get(url).status_code == 404


def test_a_colleague_with_no_relation_gets_not_found(world: PlanWorld) -> None:
    objective = make_objective(plan=world.plan)
    client = world.client(world.colleague)
    for url in (
        world.url("plan"),
        world.plan_url(),
        world.url("objective", objective_id=objective.pk),
        world.plan_url("plan_comments"),
        world.plan_url("plan_agree"),
    ):
        assert client.get(url).status_code == 404
    assert client.post(world.plan_url("plan_comments"), {"body": "Hi"}).status_code == 404


def test_a_plan_is_found_only_through_its_own_manager(world: PlanWorld) -> None:
    # Maya's plan id under the colleague's person pages is not found, even for the admin.
    from django.urls import reverse

    url = reverse(
        "planning:plan_detail",
        kwargs={
            "org_slug": world.p.org.slug,
            "person_id": world.colleague.pk,
            "plan_id": world.plan.pk,
        },
    )
    assert world.client(world.p.admin).get(url).status_code == 404


def test_a_former_supervisor_can_no_longer_agree(world: PlanWorld) -> None:
    make_objective(plan=world.plan)
    SupportRelationship.objects.filter(supporter=world.p.supervisor).delete()
    # Sam is still a member with the supervisor role, but not Maya's supervisor any more.
    assert world.client(world.p.supervisor).post(world.plan_url("plan_agree")).status_code == 404
