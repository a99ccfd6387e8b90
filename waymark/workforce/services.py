"""Writes for workforce data, each in a transaction with an audit record. Diversity
answers are audited as "changed" only: the audit trail never holds the answers."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from waymark.core import audit

from .models import (
    DIVERSITY_FIELDS,
    DiversityAnswers,
    QualificationRecord,
    QualificationStatus,
    Team,
    WorkforceRecord,
)

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.organisations.models import Organisation
    from waymark.signposting.models import Qualification


class WorkforceError(Exception):
    """A change that cannot be made, with a message for the person who asked."""


@transaction.atomic
def team_create(*, actor: User, organisation: Organisation, name: str) -> Team:
    name = name.strip()
    if Team.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise WorkforceError(_("There is already a team or service with that name."))
    try:
        with transaction.atomic():
            team = Team.objects.create(organisation=organisation, name=name)
    except IntegrityError as e:
        raise WorkforceError(_("There is already a team or service with that name.")) from e
    audit.record(
        actor=actor,
        action="workforce.team_create",
        obj=team,
        organisation=organisation,
        summary=f"Added team or service {name}",
    )
    return team


@transaction.atomic
def team_update(*, actor: User, team: Team, name: str) -> Team:
    name = name.strip()
    clash = Team.objects.filter(organisation_id=team.organisation_id, name__iexact=name).exclude(
        pk=team.pk
    )
    if clash.exists():
        raise WorkforceError(_("There is already a team or service with that name."))
    before = Team.objects.get(pk=team.pk).name
    team.name = name
    team.save(update_fields=["name"])
    audit.record(
        actor=actor,
        action="workforce.team_update",
        obj=team,
        organisation=team.organisation,
        summary=f"Renamed team or service {before} to {name}",
        changes={"name": [before, name]},
    )
    return team


@transaction.atomic
def record_set(
    *,
    actor: User,
    organisation: Organisation,
    person: User,
    manager_level: str,
    service_area: str,
    team: Team | None,
) -> WorkforceRecord:
    if team is not None and team.organisation_id != organisation.pk:
        raise WorkforceError(_("The team is not one of the organisation's."))
    record, _created = WorkforceRecord.objects.select_for_update().get_or_create(
        organisation=organisation, user=person
    )
    data: dict[str, Any] = {
        "manager_level": manager_level,
        "service_area": service_area,
        "team": team,
    }
    changes = audit.diff(record, data)
    for key, value in data.items():
        setattr(record, key, value)
    record.save()
    audit.record(
        actor=actor,
        action="workforce.record_set",
        obj=record,
        organisation=organisation,
        summary=f"Changed the workforce record of {person.display_name}",
        changes=changes,
    )
    return record


def _check_qualification(
    qualification: Qualification | None,
    title: str,
    status: str,
    achieved_on: datetime.date | None,
    expected_on: datetime.date | None,
) -> None:
    if qualification is None and not title.strip():
        raise WorkforceError(_("Choose a qualification from the catalogue or name it."))
    if status not in QualificationStatus.values:
        raise WorkforceError(_("Say whether the qualification is held or being studied."))


@transaction.atomic
def qualification_add(
    *,
    actor: User,
    organisation: Organisation,
    person: User,
    qualification: Qualification | None,
    title: str,
    status: str,
    achieved_on: datetime.date | None = None,
    expected_on: datetime.date | None = None,
) -> QualificationRecord:
    _check_qualification(qualification, title, status, achieved_on, expected_on)
    record = QualificationRecord.objects.create(
        organisation=organisation,
        user=person,
        qualification=qualification,
        title="" if qualification else title.strip(),
        status=status,
        achieved_on=achieved_on if status == QualificationStatus.HELD else None,
        expected_on=expected_on if status == QualificationStatus.STUDYING else None,
    )
    audit.record(
        actor=actor,
        action="workforce.qualification_add",
        obj=record,
        organisation=organisation,
        summary=f"Added {record.display_title} ({status}) for {person.display_name}",
    )
    return record


@transaction.atomic
def qualification_update(
    *,
    actor: User,
    record: QualificationRecord,
    qualification: Qualification | None,
    title: str,
    status: str,
    achieved_on: datetime.date | None = None,
    expected_on: datetime.date | None = None,
) -> QualificationRecord:
    _check_qualification(qualification, title, status, achieved_on, expected_on)
    fresh = QualificationRecord.objects.get(pk=record.pk)
    data: dict[str, Any] = {
        "qualification": qualification,
        "title": "" if qualification else title.strip(),
        "status": status,
        "achieved_on": achieved_on if status == QualificationStatus.HELD else None,
        "expected_on": expected_on if status == QualificationStatus.STUDYING else None,
    }
    changes = audit.diff(fresh, data)
    for key, value in data.items():
        setattr(record, key, value)
    record.save()
    audit.record(
        actor=actor,
        action="workforce.qualification_update",
        obj=record,
        organisation=record.organisation,
        summary=f"Changed {record.display_title}",
        changes=changes,
    )
    return record


@transaction.atomic
def qualification_delete(*, actor: User, record: QualificationRecord) -> None:
    title = record.display_title
    organisation = record.organisation
    pk = record.pk
    record.delete()
    audit.record(
        actor=actor,
        action="workforce.qualification_delete",
        organisation=organisation,
        summary=f"Removed qualification {title} (#{pk})",
    )


@transaction.atomic
def diversity_set(*, actor: User, person: User, answers: dict[str, str]) -> DiversityAnswers:
    """Save the person's own answers. Only the person may: anyone else is refused."""
    if actor.pk != person.pk:
        raise PermissionError("Only the person answers diversity monitoring questions.")
    unknown = set(answers) - set(DIVERSITY_FIELDS)
    if unknown:
        raise WorkforceError(f"Not a diversity question: {sorted(unknown)}")
    record, _created = DiversityAnswers.objects.select_for_update().get_or_create(user=person)
    for key, value in answers.items():
        setattr(record, key, value or "")
    record.save()
    # Never the answers: the audit trail is read by others.
    audit.record(
        actor=actor,
        action="workforce.diversity_set",
        summary="Changed own diversity monitoring answers",
    )
    return record


@transaction.atomic
def diversity_clear(*, actor: User, person: User) -> None:
    if actor.pk != person.pk:
        raise PermissionError("Only the person answers diversity monitoring questions.")
    DiversityAnswers.objects.filter(user=person).delete()
    audit.record(
        actor=actor,
        action="workforce.diversity_clear",
        summary="Withdrew own diversity monitoring answers",
    )
