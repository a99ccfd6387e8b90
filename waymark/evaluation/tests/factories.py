"""Test data for evaluation: a programme whose participants completed self-assessment
rounds before and after it, with the levels each test chooses."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from waymark.accounts.models import User
from waymark.assessment.tests.factories import (
    make_assessment,
    make_framework,
    make_member,
    make_pms,
    rate_all,
)
from waymark.frameworks.models import Node
from waymark.organisations.models import Organisation
from waymark.profiles.models import Revision
from waymark.programmes.models import Cohort, Module, ModuleKind, Participant, Programme

from ..models import Evaluation, EvaluationKind, Purpose


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def make_programme(
    organisation: Organisation, *, start: datetime.date, end: datetime.date
) -> tuple[Programme, Module, list[Node], list[Node]]:
    """A programme with one module addressing domain MM1 (so everything under it) and
    outcome MM2.01 of a two-domain framework with two outcomes each."""
    _edition, domains, outcomes = make_framework("MM", domains=2, outcomes=2)
    programme = Programme.objects.create(
        organisation=organisation, title="First line leadership", start_date=start, end_date=end
    )
    module = Module.objects.create(
        programme=programme, title="Leading people", kind=ModuleKind.MODULE, days=Decimal("1")
    )
    module.nodes.set([domains[0], outcomes[2]])
    return programme, module, domains, outcomes


def add_participant(programme: Programme, user: User) -> None:
    cohort, _ = Cohort.objects.get_or_create(
        programme=programme,
        name="Cohort 1",
        defaults={"start_date": programme.start_date, "end_date": programme.end_date},
    )
    Participant.objects.create(cohort=cohort, organisation=programme.organisation, user=user)


def completed_round(
    organisation: Organisation, manager: User, levels: dict[Node, int | None], day: datetime.date
) -> None:
    """A self-assessment round with these levels, completed on `day`."""
    number = Revision.objects.filter(specification__manager=manager).count() + 1
    revision = make_pms(manager, organisation, list(levels), number=number)
    assessment = make_assessment(revision=revision, organisation=organisation, manager=manager)
    rate_all(assessment, levels)
    assessment.submitted_at = at(day)
    assessment.save(update_fields=["submitted_at"])


def manager_in(organisation: Organisation, name: str) -> User:
    return make_member(organisation, "manager", full_name=name)


def make_evaluation(organisation: Organisation, **kwargs: Any) -> Evaluation:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "title": "Evaluation",
        "kind": EvaluationKind.SUMMATIVE,
        "purpose": Purpose.PROVING,
        "period_start": today - datetime.timedelta(days=300),
        "period_end": today,
    }
    values.update(kwargs)
    return Evaluation.objects.create(organisation=organisation, **values)
