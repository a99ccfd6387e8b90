"""Factories for the planning tests, and a small PMS builder (the profiles app's rows are
made directly, so these tests do not depend on its pages)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, cast

import factory
from django.utils import timezone

from waymark.accounts.models import User
from waymark.core.tests.factories import (
    EditionFactory,
    NodeFactory,
    OrganisationFactory,
    UserFactory,
)
from waymark.frameworks.models import Node
from waymark.organisations.models import Organisation
from waymark.profiles.models import (
    Revision,
    SpecBasic,
    SpecCompetence,
    Specification,
    SpecQualification,
)

from ..models import Activity, Milestone, Objective, Plan, PlanComment


def make_user(**kwargs: Any) -> User:
    return cast(User, UserFactory(**kwargs))


def make_node(**kwargs: Any) -> Node:
    return cast(Node, NodeFactory(**kwargs))


def make_plan(**kwargs: Any) -> Plan:
    return cast(Plan, PlanFactory(**kwargs))


def make_objective(**kwargs: Any) -> Objective:
    return cast(Objective, ObjectiveFactory(**kwargs))


def make_activity(**kwargs: Any) -> Activity:
    return cast(Activity, ActivityFactory(**kwargs))


def make_milestone(**kwargs: Any) -> Milestone:
    return cast(Milestone, MilestoneFactory(**kwargs))


def make_comment(**kwargs: Any) -> PlanComment:
    return cast(PlanComment, PlanCommentFactory(**kwargs))


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    organisation = factory.SubFactory(OrganisationFactory)
    manager = factory.SubFactory(UserFactory)
    title = "My development plan"
    period_start = factory.LazyFunction(timezone.localdate)
    period_end = factory.LazyFunction(lambda: in_days(364))


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Objective {n}")
    specific = "Run monthly team meetings that plan the rota together."
    measure = "Staff say in supervision that they help shape the rota."
    achievable = "One meeting a month, with my supervisor's backing."
    relevant = "A settled team means people get the staff they know."
    target_date = factory.LazyFunction(lambda: in_days(180))
    sequence = factory.Sequence(lambda n: n)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    objective = factory.SubFactory(ObjectiveFactory)
    activity_type = "shadowing"
    description = "Shadow the registered manager at Oak House"
    planned_date = factory.LazyFunction(lambda: in_days(30))


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    objective = factory.SubFactory(ObjectiveFactory)
    title = "First team meeting held"
    due_date = factory.LazyFunction(lambda: in_days(40))


class PlanCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanComment

    plan = factory.SubFactory(PlanFactory)
    author = factory.SubFactory(UserFactory)
    body = "Looks good."


@dataclass
class Pms:
    specification: Specification
    revision: Revision
    domain: Node
    nodes: list[Node]


def build_pms(
    *,
    organisation: Organisation,
    manager: User,
    competences: int = 3,
    basics: tuple[tuple[str, str], ...] = (
        ("induction", "Safeguarding induction"),
        ("foundation", "Medication awareness"),
    ),
    qualifications: tuple[str, ...] = ("Level 5 Diploma in Leadership and Management",),
) -> Pms:
    """A PMS with a current revision of `competences` outcomes of one small framework."""
    edition = EditionFactory(title="Middle Manager framework", short_title="MM")
    domain = make_node(
        edition=edition, code="MM1", title="Leading and managing change", item_type_label="Domain"
    )
    nodes = [
        make_node(
            edition=edition,
            parent=domain,
            code=f"MM1.0{i + 1}",
            statement=f"Leads change number {i + 1}",
        )
        for i in range(competences)
    ]
    spec = Specification.objects.create(organisation=organisation, manager=manager)
    revision = Revision.objects.create(
        specification=spec, number=1, job_title="Registered manager", manager_level="first-line"
    )
    spec.current = revision
    spec.save(update_fields=["current"])
    for i, node in enumerate(nodes):
        SpecCompetence.objects.create(
            revision=revision, node=node, expected_level=3, importance=1 + i % 3
        )
    for kind, title in basics:
        SpecBasic.objects.create(revision=revision, kind=kind, title=title)
    for title in qualifications:
        SpecQualification.objects.create(revision=revision, title=title)
    return Pms(specification=spec, revision=revision, domain=domain, nodes=nodes)
