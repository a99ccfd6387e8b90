"""Factories for the assessment tests. The PMS (profiles app) is built elsewhere, so
Specification, Revision and SpecCompetence rows are made here directly."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import factory

from waymark.accounts.models import User
from waymark.core.tests.factories import EditionFactory, FrameworkFactory, NodeFactory
from waymark.frameworks.models import Edition, Node
from waymark.organisations.models import Organisation, SupportRelationship
from waymark.profiles.models import Revision, SpecCompetence, Specification

from ..models import Rating, SelfAssessment


class SpecificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specification

    organisation = factory.SubFactory("waymark.core.tests.factories.OrganisationFactory")
    manager = factory.SubFactory("waymark.core.tests.factories.UserFactory")


class RevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Revision

    specification = factory.SubFactory(SpecificationFactory)
    number = factory.Sequence(lambda n: n + 1)
    job_title = "Registered manager"
    manager_level = "first-line"


class SpecCompetenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpecCompetence

    revision = factory.SubFactory(RevisionFactory)
    node = factory.SubFactory(NodeFactory, parent=None)
    expected_level = 3
    importance = 2


class SelfAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelfAssessment

    organisation = factory.LazyAttribute(lambda o: o.revision.specification.organisation)
    manager = factory.LazyAttribute(lambda o: o.revision.specification.manager)
    revision = factory.SubFactory(RevisionFactory)


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    assessment = factory.SubFactory(SelfAssessmentFactory)
    node = factory.SubFactory(NodeFactory, parent=None)
    level = 2


def make_framework(
    prefix: str = "MM", *, domains: int = 2, outcomes: int = 2, title: str | None = None
) -> tuple[Edition, list[Node], list[Node]]:
    """A framework of `domains` domains with `outcomes` outcomes each (codes MM1,
    MM1.01, …). Returns the edition, the domain nodes and the outcome nodes."""
    title = title or f"{prefix} framework"
    edition = cast(
        Edition,
        EditionFactory(
            framework=FrameworkFactory(slug=f"{prefix.lower()}-fw", title=title), title=title
        ),
    )
    domain_nodes: list[Node] = []
    outcome_nodes: list[Node] = []
    for d in range(1, domains + 1):
        domain = cast(
            Node,
            NodeFactory(
                edition=edition,
                parent=None,
                code=f"{prefix}{d}",
                title=f"Domain {d}",
                statement=f"What domain {d} is about.",
                item_type_label="Domain",
                sequence=d,
            ),
        )
        domain_nodes.append(domain)
        for o in range(1, outcomes + 1):
            outcome_nodes.append(
                cast(
                    Node,
                    NodeFactory(
                        edition=edition,
                        parent=domain,
                        code=f"{prefix}{d}.{o:02d}",
                        statement=f"Outcome {o} of domain {d}.",
                        item_type_label="Learning outcome",
                        sequence=o,
                    ),
                )
            )
    return edition, domain_nodes, outcome_nodes


def make_pms(
    manager: User,
    organisation: Organisation,
    nodes: Sequence[Node],
    *,
    expected: Sequence[int] | int = 3,
    importance: Sequence[int] | int = 2,
    number: int = 1,
    specification: Specification | None = None,
) -> Revision:
    """A PMS for `manager` whose current revision holds `nodes`, with the levels
    expected and importance given (one value for all, or one per node)."""
    spec = (
        specification
        or Specification.objects.filter(organisation=organisation, manager=manager).first()
    )
    if spec is None:
        spec = cast(Specification, SpecificationFactory(organisation=organisation, manager=manager))
    revision = cast(Revision, RevisionFactory(specification=spec, number=number))
    for i, node in enumerate(nodes):
        SpecCompetenceFactory(
            revision=revision,
            node=node,
            expected_level=expected[i] if not isinstance(expected, int) else expected,
            importance=importance[i] if not isinstance(importance, int) else importance,
        )
    spec.current = revision
    spec.save(update_fields=["current"])
    return revision


def rate_all(
    assessment: SelfAssessment,
    levels: dict[Node, int | None] | Sequence[int | None],
    nodes: Sequence[Node] | None = None,
    *,
    submit: bool = False,
    **extra: Any,
) -> None:
    """Rate an assessment directly (no service): `levels` by node, or a list in the
    order of `nodes`."""
    from django.utils import timezone

    pairs = levels.items() if isinstance(levels, dict) else zip(nodes or [], levels, strict=True)
    for node, level in pairs:
        RatingFactory(assessment=assessment, node=node, level=level, **extra)
    if submit:
        assessment.submitted_at = timezone.now()
        assessment.save(update_fields=["submitted_at"])


def supervise(personas: Any, kind: str = "supervisor") -> SupportRelationship:
    """Give the supervisor persona a support relationship of `kind` to the manager."""
    return SupportRelationship.objects.create(
        organisation=personas.org,
        manager=personas.manager,
        supporter=personas.supervisor,
        kind=kind,
    )


# Typed wrappers, so that tests read as the models they make.


def make_assessment(**kwargs: Any) -> SelfAssessment:
    return cast(SelfAssessment, SelfAssessmentFactory(**kwargs))


def make_node(**kwargs: Any) -> Node:
    kwargs.setdefault("parent", None)
    return cast(Node, NodeFactory(**kwargs))


def make_member(organisation: Organisation, role: str = "manager", **kwargs: Any) -> User:
    from waymark.core.tests.factories import MembershipFactory, UserFactory

    user = cast(User, UserFactory(**kwargs))
    MembershipFactory(organisation=organisation, user=user, role=role)
    return user
