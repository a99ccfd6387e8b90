"""Reads over workforce data. `workforce_rows` and `diversity_counts` are what the
reports build on: one query each, whatever the number of people, and counts only for
diversity (the reports apply the small-group suppression)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db.models import Count, Q

from waymark.accounts.models import User
from waymark.organisations.models import Membership

from .models import (
    DIVERSITY_FIELDS,
    AgeBand,
    Disability,
    DiversityAnswers,
    Ethnicity,
    Gender,
    QualificationRecord,
    QualificationStatus,
    Team,
    WorkforceRecord,
)

if TYPE_CHECKING:
    from waymark.organisations.models import Organisation

# Who may see and change a person's workforce record and qualifications (relations from
# organisations.access). Diversity answers: the person only, never anyone else.
RECORD_READERS = frozenset({"self", "ld-lead", "admin"})
RECORD_EDITORS = frozenset({"ld-lead", "admin"})
QUALIFICATION_EDITORS = frozenset({"self", "ld-lead", "admin"})

DIVERSITY_CHOICES: dict[str, Any] = {
    "gender": Gender,
    "ethnicity": Ethnicity,
    "disability": Disability,
    "age_band": AgeBand,
}


class WorkforceRow(NamedTuple):
    user_id: int
    organisation_id: int
    level: str
    service_area: str
    team_id: int | None
    sector: str
    size_band: str
    region: str


def workforce_rows(organisation_ids: Iterable[int]) -> list[WorkforceRow]:
    """One row per workforce record in the organisations, with the organisation's
    sector, size band and region: one query. Members without a record are not
    categorised and have no row."""
    return [
        WorkforceRow(*r)
        for r in WorkforceRecord.objects.filter(organisation_id__in=list(organisation_ids))
        .order_by()
        .values_list(
            "user_id",
            "organisation_id",
            "manager_level",
            "service_area",
            "team_id",
            "organisation__sector",
            "organisation__size_band",
            "organisation__region",
        )
    ]


def diversity_counts(organisation_ids: Iterable[int], field_name: str) -> dict[str, int]:
    """How many members of the organisations gave each answer to one diversity question
    ("" for those who answered others but left this blank); each person counted once.
    Counts only: never who. Suppression of small groups is the reports' job."""
    if field_name not in DIVERSITY_FIELDS:
        raise ValueError(f"Not a diversity question: {field_name}")
    members = Membership.objects.filter(organisation_id__in=list(organisation_ids)).values(
        "user_id"
    )
    rows = (
        DiversityAnswers.objects.filter(user_id__in=members)
        .order_by()
        .values_list(field_name)
        .annotate(n=Count("id"))
    )
    return {value: n for value, n in rows}


def qualification_counts(organisation_ids: Iterable[int]) -> dict[tuple[str, str], int]:
    """(qualification, status) → number of people: catalogue qualifications by their
    slug, named ones by their name."""
    counts: Counter[tuple[str, str]] = Counter()
    for slug, title, status, n in (
        QualificationRecord.objects.filter(organisation_id__in=list(organisation_ids))
        .order_by()
        .values_list("qualification__slug", "title", "status")
        .annotate(n=Count("user_id", distinct=True))
    ):
        counts[(slug or title, status)] += n
    return dict(counts)


# --- pages ----------------------------------------------------------------------------


@dataclass
class PersonRow:
    user: User
    record: WorkforceRecord | None
    held: int = 0
    studying: int = 0


@dataclass
class PeopleFilters:
    level: str = ""
    service_area: str = ""
    team: int | None = None
    q: str = ""
    active: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        self.active = bool(self.level or self.service_area or self.team or self.q)


def people(organisation: Organisation, filters: PeopleFilters) -> list[PersonRow]:
    """The organisation's members with their workforce record and how many
    qualifications they hold and are studying: three queries whatever the number."""
    users = User.objects.filter(memberships__organisation=organisation).distinct()
    if filters.q:
        users = users.filter(Q(full_name__icontains=filters.q) | Q(email__icontains=filters.q))
    on_record = Q(workforce_records__organisation=organisation)
    if filters.level:
        users = users.filter(on_record & Q(workforce_records__manager_level=filters.level))
    if filters.service_area:
        users = users.filter(on_record & Q(workforce_records__service_area=filters.service_area))
    if filters.team:
        users = users.filter(on_record & Q(workforce_records__team_id=filters.team))
    user_list = list(users.order_by("full_name", "email"))
    ids = [u.pk for u in user_list]
    records = {
        r.user_id: r
        for r in WorkforceRecord.objects.filter(
            organisation=organisation, user_id__in=ids
        ).select_related("team")
    }
    quals: Counter[tuple[int, str]] = Counter()
    for user_id, status, n in (
        QualificationRecord.objects.filter(organisation=organisation, user_id__in=ids)
        .order_by()
        .values_list("user_id", "status")
        .annotate(n=Count("id"))
    ):
        quals[(user_id, status)] = n
    return [
        PersonRow(
            u,
            records.get(u.pk),
            quals[(u.pk, QualificationStatus.HELD)],
            quals[(u.pk, QualificationStatus.STUDYING)],
        )
        for u in user_list
    ]


def teams_of(organisation: Organisation) -> list[Team]:
    return list(
        Team.objects.filter(organisation=organisation)
        .annotate(n=Count("records"))
        .order_by("name", "id")
    )


def record_of(person: User, organisation: Organisation) -> WorkforceRecord | None:
    return (
        WorkforceRecord.objects.filter(organisation=organisation, user=person)
        .select_related("team")
        .first()
    )


def qualifications_of(person: User, organisation: Organisation) -> list[QualificationRecord]:
    return list(
        QualificationRecord.objects.filter(organisation=organisation, user=person)
        .select_related("qualification")
        .order_by("status", "title", "id")
    )


def own_diversity(person: User) -> DiversityAnswers | None:
    """The person's own answers. Call only for the signed-in person about herself."""
    return DiversityAnswers.objects.filter(user=person).first()


def own_diversity_export(person: User) -> dict[str, Any] | None:
    """The person's own answers for her subject-access export (records)."""
    answers = own_diversity(person)
    if answers is None:
        return None
    out: dict[str, Any] = {}
    for name in DIVERSITY_FIELDS:
        value = getattr(answers, name)
        choices = DIVERSITY_CHOICES[name]
        out[name] = value
        out[f"{name}_label"] = str(choices(value).label) if value else ""
    out["updated_at"] = answers.updated_at.isoformat()
    return out
