"""A small known population for the report tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from waymark.accounts.models import User
from waymark.assessment.models import Rating, SelfAssessment
from waymark.core.tests.factories import EditionFactory, MembershipFactory, NodeFactory, UserFactory
from waymark.frameworks.models import Edition, Node
from waymark.organisations.models import Organisation
from waymark.profiles.models import Revision, SpecCompetence, Specification
from waymark.workforce.models import Team, WorkforceRecord


@dataclass
class MiniFramework:
    edition: Edition
    domains: list[Node]
    competences: list[Node]  # two per domain: D1.1, D1.2, D2.1, D2.2


def mini_framework() -> MiniFramework:
    edition = EditionFactory.create()
    domains, comps = [], []
    for d in range(2):
        dom = NodeFactory.create(
            edition=edition, code=f"D{d + 1}", title=f"Domain {d + 1}", sequence=d + 1
        )
        domains.append(dom)
        for c in range(2):
            comps.append(
                NodeFactory.create(
                    edition=edition,
                    parent=dom,
                    code=f"D{d + 1}.{c + 1}",
                    title=f"Competence {d + 1}.{c + 1}",
                    sequence=c + 1,
                )
            )
    return MiniFramework(edition, domains, comps)


@dataclass
class Population:
    org: Organisation
    fw: MiniFramework
    managers: list[User] = field(default_factory=list)
    teams: dict[str, Team] = field(default_factory=dict)


def add_manager(
    pop: Population,
    *,
    self_levels: list[int | None],
    expected: int = 3,
    level: str = "middle",
    team: str | None = "North",
    submitted: dt.datetime | None = None,
    record: bool = True,
) -> User:
    """A manager with a PMS expecting `expected` on every competence and one completed
    round rating the competences `self_levels`."""
    n = len(pop.managers)
    user: User = UserFactory.create(email=f"m{n}-{pop.org.slug}@example.org")
    MembershipFactory.create(organisation=pop.org, user=user, role="manager")
    if record:
        team_obj = None
        if team:
            team_obj = pop.teams.get(team)
            if team_obj is None:
                team_obj = pop.teams[team] = Team.objects.create(organisation=pop.org, name=team)
        WorkforceRecord.objects.create(
            organisation=pop.org, user=user, manager_level=level, team=team_obj
        )
    spec = Specification.objects.create(organisation=pop.org, manager=user)
    rev = Revision.objects.create(
        specification=spec, number=1, job_title="Manager", manager_level=level
    )
    spec.current = rev
    spec.save()
    SpecCompetence.objects.bulk_create(
        SpecCompetence(revision=rev, node=node, expected_level=expected, importance=2)
        for node in pop.fw.competences
    )
    add_round(pop, user, rev, self_levels, submitted=submitted)
    pop.managers.append(user)
    return user


def add_round(
    pop: Population,
    user: User,
    rev: Revision,
    self_levels: list[int | None],
    *,
    submitted: dt.datetime | None = None,
) -> SelfAssessment:
    a = SelfAssessment.objects.create(
        organisation=pop.org, manager=user, revision=rev, submitted_at=submitted or timezone.now()
    )
    Rating.objects.bulk_create(
        Rating(assessment=a, node=node, level=lvl)
        for node, lvl in zip(pop.fw.competences, self_levels, strict=True)
    )
    return a


def population(org: Organisation, fw: MiniFramework | None = None) -> Population:
    return Population(org=org, fw=fw or mini_framework())
