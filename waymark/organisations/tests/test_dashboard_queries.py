"""The organisation dashboard and a person's page cost the same number of queries whether
a manager has 5 or 50 competences, objectives and CPD entries, and whether a supervisor
supports 2 managers or 12: every card and section (profiles, assessment, planning, cpd,
records) reads in bulk.

Each comparison builds two people alike in everything but size, warms the page once
(sessions, content types), then counts the queries of a second request."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from waymark.accounts.models import User
from waymark.assessment.tests.factories import (
    make_assessment,
    make_framework,
    make_member,
    make_pms,
    rate_all,
)
from waymark.conftest import Personas
from waymark.core.tests.factories import AssociationFactory, EditionFactory, NodeFactory
from waymark.cpd.models import Visibility
from waymark.cpd.tests.factories import make_entry
from waymark.frameworks.models import Node
from waymark.organisations.models import Organisation, SupportRelationship
from waymark.planning.models import Objective, Plan
from waymark.planning.tests.factories import (
    ActivityFactory,
    MilestoneFactory,
    ObjectiveFactory,
    PlanCommentFactory,
)

pytestmark = pytest.mark.django_db

SMALL, LARGE = 5, 50
# A ceiling as well as constancy, so that a page that grows a fixed but large number of
# queries is noticed too.
MAX_QUERIES = 30


@dataclass
class Framework:
    outcomes: list[Node]
    clf: Node


@pytest.fixture
def framework() -> Framework:
    """Five domains of ten outcomes, each outcome mapped to a node of another framework
    (so "counts towards" is in play wherever the pages show it)."""
    _edition, _domains, outcomes = make_framework("MM", domains=5, outcomes=10)
    clf = NodeFactory.create(
        edition=EditionFactory.create(title="CLF leadership capabilities"),
        parent=None,
        code="C1",
        title="Vision",
    )
    for node in outcomes:
        AssociationFactory(origin=node, destination=clf, association_type="isRelatedTo")
    return Framework(outcomes=outcomes, clf=clf)


def journey(
    *,
    organisation: Organisation,
    manager: User,
    supervisor: User,
    framework: Framework,
    size: int,
) -> None:
    """A manager part-way through the journey, `size` deep: a PMS of `size` competences
    agreed by her supervisor; one completed self-assessment and one in progress; a plan
    agreed, with `size` objectives (each addressing two competences, with an activity and
    a milestone) and `size` comments; `size` CPD entries, a third private, a third shared,
    a third shared and confirmed, each addressing two competences and most linked to an
    objective."""
    nodes = framework.outcomes[:size]
    revision = make_pms(manager, organisation, nodes, expected=3, importance=[1, 2, 3] * size)
    revision.agreed_by, revision.agreed_at = supervisor, timezone.now()
    revision.save(update_fields=["agreed_by", "agreed_at"])
    done = make_assessment(organisation=organisation, manager=manager, revision=revision)
    rate_all(done, [i % 4 for i in range(size)], nodes, submit=True)
    in_progress = make_assessment(organisation=organisation, manager=manager, revision=revision)
    rate_all(in_progress, [2] * (size // 2), nodes[: size // 2])

    plan = Plan.objects.create(
        organisation=organisation,
        manager=manager,
        title="My development plan",
        agreed_by=supervisor,
        agreed_at=timezone.now(),
    )
    objectives = []
    for i in range(size):
        objective = cast(
            Objective, ObjectiveFactory(plan=plan, status=["not-started", "in-progress"][i % 2])
        )
        objective.nodes.set([nodes[i], nodes[(i + 1) % size]])
        ActivityFactory(objective=objective)
        MilestoneFactory(objective=objective)
        PlanCommentFactory(plan=plan, author=supervisor if i % 2 else manager)
        objectives.append(objective)

    visibilities = [Visibility.PRIVATE, Visibility.SUPPORTERS, Visibility.SUPPORTERS]
    for i in range(size):
        shared = visibilities[i % 3]
        confirmed = i % 3 == 2
        make_entry(
            organisation=organisation,
            manager=manager,
            date=timezone.localdate() - datetime.timedelta(days=i % 20),
            hours=Decimal("1.5"),
            visibility=shared,
            objective=objectives[i] if i % 4 else None,
            confirmed_by=supervisor if confirmed else None,
            confirmed_at=timezone.now() if confirmed else None,
            nodes=[nodes[i], framework.clf],
        )


def queries(client: Client, url: str) -> list[str]:
    assert client.get(url).status_code == 200  # warm: session, content types, caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def assert_same_cost(small: list[str], large: list[str], what: str) -> None:
    if len(small) != len(large):
        extra = "\n".join(large[len(small) :][:10])
        pytest.fail(
            f"{what}: {len(small)} queries at {SMALL}, {len(large)} at {LARGE}. "
            f"The first extra ones:\n{extra}"
        )
    assert len(large) <= MAX_QUERIES, f"{what}: {len(large)} queries"


@dataclass
class TwoManagers:
    small: User
    large: User
    supervisor: User


@pytest.fixture
def two_managers(personas: Personas, framework: Framework) -> TwoManagers:
    """The persona manager with a small journey, a second manager with a large one; the
    persona supervisor supervises both."""
    org = personas.org
    large = make_member(org, "manager", full_name="Lara Large", email="lara@brightwater.example")
    for manager, size in ((personas.manager, SMALL), (large, LARGE)):
        SupportRelationship.objects.create(
            organisation=org, manager=manager, supporter=personas.supervisor, kind="supervisor"
        )
        journey(
            organisation=org,
            manager=manager,
            supervisor=personas.supervisor,
            framework=framework,
            size=size,
        )
    return TwoManagers(small=personas.manager, large=large, supervisor=personas.supervisor)


def _as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_managers_dashboard_costs_the_same_for_5_or_50_of_everything(
    personas: Personas, two_managers: TwoManagers
) -> None:
    url = f"/o/{personas.org.slug}/"
    small = queries(_as(two_managers.small), url)
    large = queries(_as(two_managers.large), url)
    assert_same_cost(small, large, "the manager's dashboard")


def test_her_dashboard_shows_her_journey(personas: Personas, two_managers: TwoManagers) -> None:
    page = _as(two_managers.large).get(f"/o/{personas.org.slug}/").content.decode()
    assert "View your specification" in page
    assert "Continue your self-assessment" in page
    assert "50 objectives" in page
    assert "Add a CPD entry" in page


@pytest.mark.parametrize("viewer", ["self", "supervisor", "ld_lead", "admin"])
def test_a_persons_page_costs_the_same_for_5_or_50_of_everything(
    personas: Personas, two_managers: TwoManagers, viewer: str
) -> None:
    def url(person: User) -> str:
        return f"/o/{personas.org.slug}/people/{person.pk}/"

    def client_for(person: User) -> Client:
        return _as(person if viewer == "self" else getattr(personas, viewer))

    small = queries(client_for(two_managers.small), url(two_managers.small))
    large = queries(client_for(two_managers.large), url(two_managers.large))
    assert_same_cost(small, large, f"a person's page seen by {viewer}")


def _supervisor_of(personas: Personas, framework: Framework, count: int, *, prefix: str) -> User:
    """A supervisor of `count` managers, each with a small journey and a plan that waits
    for her agreement."""
    supervisor = make_member(personas.org, "supervisor", email=f"{prefix}-sup@brightwater.example")
    for i in range(count):
        manager = make_member(personas.org, "manager", email=f"{prefix}-{i}@brightwater.example")
        SupportRelationship.objects.create(
            organisation=personas.org, manager=manager, supporter=supervisor, kind="supervisor"
        )
        journey(
            organisation=personas.org,
            manager=manager,
            supervisor=supervisor,
            framework=framework,
            size=3,
        )
        Plan.objects.filter(manager=manager).update(agreed_at=None, agreed_by=None)
    return supervisor


def test_a_supervisors_dashboard_costs_the_same_for_2_or_12_people_supported(
    personas: Personas, framework: Framework
) -> None:
    few = _supervisor_of(personas, framework, 2, prefix="few")
    many = _supervisor_of(personas, framework, 12, prefix="many")
    url = f"/o/{personas.org.slug}/"
    small = queries(_as(few), url)
    large = queries(_as(many), url)
    assert len(small) == len(large) <= MAX_QUERIES, (
        f"a supervisor's dashboard: {len(small)} queries for 2 people, {len(large)} for 12"
    )
    page = _as(many).get(url).content.decode()
    assert "Plans waiting for you to agree" in page
    assert "awaiting your confirmation" in page
