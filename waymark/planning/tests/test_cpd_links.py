"""CPD entries linked to an objective show on its page only to those who may see them:
private entries to the manager alone; shared ones to her supervisor and mentors too;
none to the L&D lead or admins (who read the plan, not the learning log)."""

from __future__ import annotations

import pytest

from waymark.cpd.models import Entry

from .conftest import PlanWorld
from .factories import in_days, make_objective

pytestmark = pytest.mark.django_db


@pytest.fixture
def objective_with_entries(world: PlanWorld) -> tuple[PlanWorld, int]:
    objective = make_objective(plan=world.plan)
    common = {
        "organisation": world.p.org,
        "manager": world.p.manager,
        "objective": objective,
        "date": in_days(-3),
        "activity_type": "coaching",
        "hours": 2,
    }
    Entry.objects.create(title="My private diary of coaching", visibility="private", **common)
    Entry.objects.create(title="Coaching session shared", visibility="supporters", **common)
    return world, objective.pk


def page(world: PlanWorld, user: object, objective_id: int) -> str:
    response = world.client(user).get(world.url("objective", objective_id=objective_id))  # type: ignore[arg-type]
    assert response.status_code == 200
    return response.content.decode()


def test_the_manager_sees_every_linked_entry(objective_with_entries: tuple[PlanWorld, int]) -> None:
    world, objective_id = objective_with_entries
    html = page(world, world.p.manager, objective_id)
    assert "My private diary of coaching" in html
    assert "Coaching session shared" in html


@pytest.mark.parametrize("who", ["supervisor", "mentor"])
def test_supporters_see_only_shared_entries(
    objective_with_entries: tuple[PlanWorld, int], who: str
) -> None:
    world, objective_id = objective_with_entries
    user = world.mentor if who == "mentor" else world.p.supervisor
    html = page(world, user, objective_id)
    assert "Coaching session shared" in html
    assert "My private diary of coaching" not in html


@pytest.mark.parametrize("who", ["ld_lead", "admin"])
def test_the_organisation_sees_no_entries(
    objective_with_entries: tuple[PlanWorld, int], who: str
) -> None:
    world, objective_id = objective_with_entries
    html = page(world, getattr(world.p, who), objective_id)
    assert "My private diary of coaching" not in html
    assert "Coaching session shared" not in html
