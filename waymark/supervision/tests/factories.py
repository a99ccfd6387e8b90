"""Builders for supervision tests: relationships, records with action points made
through the services, a PMS and shared/private CPD entries."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from waymark.accounts.models import User
from waymark.core.tests.factories import MembershipFactory, UserFactory
from waymark.cpd.models import Entry, Visibility
from waymark.organisations.models import Organisation, SupportRelationship
from waymark.profiles import services as profile_services
from waymark.supervision import services
from waymark.supervision.models import ActionPoint, SupervisionRecord


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def support(org: Organisation, manager: User, supporter: User, kind: str) -> SupportRelationship:
    return SupportRelationship.objects.create(
        organisation=org, manager=manager, supporter=supporter, kind=kind
    )


def member(org: Organisation, *roles: str, **fields: Any) -> User:
    user: User = UserFactory.create(**fields)
    for role in roles or ("manager",):
        MembershipFactory(organisation=org, user=user, role=role)
    return user


def record(
    org: Organisation,
    manager: User,
    supervisor: User,
    *,
    date: datetime.date | None = None,
    **kw: Any,
) -> SupervisionRecord:
    return services.supervision_record_create(
        actor=supervisor,
        organisation=org,
        manager=manager,
        date=date or timezone.localdate(),
        review_date=kw.pop("review_date", days(28)),
        agenda=kw.pop("agenda", "Rota; training"),
        notes=kw.pop("notes", "We talked about the night rota."),
    )


def action(
    rec: SupervisionRecord, actor: User, description: str, due: datetime.date, **kw: Any
) -> ActionPoint:
    return services.action_point_add(
        actor=actor,
        record=rec,
        description=description,
        due_date=due,
        owner=kw.get("owner", rec.manager if "owner_name" not in kw else None),
        owner_name=kw.get("owner_name", ""),
    )


def backdate(rec: SupervisionRecord, *, date: datetime.date, review_date: datetime.date) -> None:
    """Move a record into the past (services refuse past review dates, rightly)."""
    SupervisionRecord.objects.filter(pk=rec.pk).update(date=date, review_date=review_date)
    rec.refresh_from_db()


def make_overdue(a: ActionPoint, due: datetime.date) -> None:
    ActionPoint.objects.filter(pk=a.pk).update(due_date=due)
    a.refresh_from_db()


def entry(
    org: Organisation,
    manager: User,
    title: str,
    *,
    shared: bool,
    hours: str = "2",
    on: datetime.date | None = None,
) -> Entry:
    return Entry.objects.create(
        organisation=org,
        manager=manager,
        date=on or days(-10),
        activity_type="e-learning",
        title=title,
        hours=Decimal(hours),
        visibility=Visibility.SUPPORTERS if shared else Visibility.PRIVATE,
    )


def pms(org: Organisation, manager: User) -> Any:
    return profile_services.spec_start(
        actor=manager,
        organisation=org,
        manager=manager,
        job_title="Registered manager",
        manager_level="first-line",
    )
