"""Test data for programmes: a small programme with one cohort, module and session."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from waymark.accounts.models import User
from waymark.core.tests.factories import EditionFactory, NodeFactory
from waymark.frameworks.models import Framework, Node
from waymark.organisations.models import Organisation

from ..models import Cohort, Module, ModuleKind, Participant, Programme, Session


@dataclass
class Setup:
    programme: Programme
    cohort: Cohort
    module: Module
    session: Session
    nodes: list[Node]


def make_programme(
    organisation: Organisation,
    *,
    participants: tuple[User, ...] = (),
    session_date: datetime.date | None = None,
    title: str = "First line leadership",
) -> Setup:
    today = timezone.localdate()
    day = session_date or today - datetime.timedelta(days=7)
    start = min(day, today) - datetime.timedelta(days=30)
    end = max(day, today) + datetime.timedelta(days=300)
    programme = Programme.objects.create(
        organisation=organisation, title=title, start_date=start, end_date=end
    )
    cohort = Cohort.objects.create(
        programme=programme, name="Cohort 1", start_date=start, end_date=end
    )
    module = Module.objects.create(
        programme=programme,
        title="Leading change",
        kind=ModuleKind.MODULE,
        days=Decimal("1"),
        activity_type="external-course",
    )
    nodes = [NodeFactory.create(code="MM3"), NodeFactory.create(code="MM3.01")]
    module.nodes.set(nodes)
    session = Session.objects.create(
        programme=programme,
        module=module,
        cohort=cohort,
        date=day,
        start_time=datetime.time(9, 30),
        end_time=datetime.time(16, 0),
        place="Training room",
    )
    for user in participants:
        Participant.objects.create(cohort=cohort, organisation=organisation, user=user)
    return Setup(programme=programme, cohort=cohort, module=module, session=session, nodes=nodes)


def make_framework(domains: int = 9) -> Framework:
    edition = EditionFactory.create(status="published", is_current=True)
    for i in range(1, domains + 1):
        NodeFactory.create(edition=edition, code=f"D{i}", title=f"Domain {i}")
    return edition.framework
