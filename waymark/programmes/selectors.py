"""Reads of development programmes: who sees which programme, the participant's view,
and session feedback in aggregate (level 1 "reactions" of evaluation).

Who sees what: learning and development leads and admins see and run every programme of
the organisation; a participant sees the programmes she is in; a facilitator sees the
programmes whose sessions she facilitates. Session feedback is shown only in aggregate,
and not at all from fewer than MIN_RESPONSES people. Nothing here reads CPD entries'
content: attendance links to an entry, and programme pages never follow the link."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from waymark.frameworks.models import Node
from waymark.organisations.models import Role

from .models import (
    MIN_RESPONSES,
    Attendance,
    AttendanceStatus,
    Cohort,
    Group,
    GroupMember,
    Module,
    Participant,
    Programme,
    Session,
    SessionFeedback,
)

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.organisations.models import Organisation

MANAGERS = (Role.LD_LEAD.value, Role.ADMIN.value)


def can_manage(roles: Iterable[str]) -> bool:
    return bool(set(roles) & set(MANAGERS))


def programmes_visible_to(
    user: User, organisation: Organisation, roles: Iterable[str]
) -> QuerySet[Programme]:
    programmes = Programme.objects.filter(organisation=organisation)
    if can_manage(roles):
        return programmes
    return programmes.filter(
        Q(pk__in=Participant.objects.filter(user=user).values("cohort__programme_id"))
        | Q(pk__in=Session.objects.filter(facilitators=user).values("programme_id"))
    )


def facilitates(user: User, programme: Programme) -> bool:
    return Session.objects.filter(programme=programme, facilitators=user).exists()


def programme_list(user: User, organisation: Organisation, roles: Iterable[str]) -> list[Programme]:
    return list(
        programmes_visible_to(user, organisation, roles).annotate(
            cohort_count=Count("cohorts", distinct=True),
            module_count=Count("modules", distinct=True),
            participant_count=Count("cohorts__participants", distinct=True),
        )
    )


def programme_detail(programme: Programme) -> dict[str, object]:
    """Everything the programme page shows, in a fixed handful of queries."""
    nodes = Node.objects.select_related("edition__framework").order_by("path")
    modules = list(
        Module.objects.filter(programme=programme).prefetch_related(Prefetch("nodes", nodes))
    )
    cohorts = list(
        Cohort.objects.filter(programme=programme).prefetch_related(
            Prefetch("participants", Participant.objects.select_related("user"))
        )
    )
    sessions = list(
        Session.objects.filter(programme=programme)
        .select_related("module", "cohort")
        .prefetch_related("facilitators")
        .annotate(
            present=Count("attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT)),
            recorded=Count("attendance"),
        )
    )
    return {"modules": modules, "cohorts": cohorts, "sessions": sessions}


def attendance_rows(session: Session) -> list[tuple[Participant, Attendance | None]]:
    """The cohort's participants with their attendance at the session (status only)."""
    participants = list(session.cohort.participants.select_related("user"))
    marks = {
        a.participant_id: a
        for a in Attendance.objects.filter(session=session).only(
            "id", "participant_id", "status", "session_id"
        )
    }
    return [(p, marks.get(p.pk)) for p in participants]


def groups_of(organisation: Organisation) -> list[Group]:
    return list(
        Group.objects.filter(organisation=organisation)
        .select_related("programme")
        .prefetch_related(Prefetch("members", GroupMember.objects.select_related("user")))
    )


# --- the participant's view ----------------------------------------------------------------


@dataclass
class MyProgramme:
    programme: Programme
    cohort: Cohort
    upcoming: list[Session] = field(default_factory=list)
    feedback_due: list[Session] = field(default_factory=list)
    attended: int = 0
    held: int = 0


def my_programmes(user: User, organisation: Organisation) -> list[MyProgramme]:
    """The programmes `user` takes part in: upcoming sessions, sessions she attended and
    has not yet given feedback on, and how many of the sessions held she attended."""
    today = timezone.localdate()
    places = list(
        Participant.objects.filter(user=user, organisation=organisation).select_related(
            "cohort__programme"
        )
    )
    if not places:
        return []
    sessions = list(
        Session.objects.filter(cohort__in=[p.cohort_id for p in places])
        .select_related("module")
        .order_by("date", "start_time")
    )
    present = set(
        Attendance.objects.filter(
            participant__in=places, status=AttendanceStatus.PRESENT
        ).values_list("session_id", flat=True)
    )
    answered = set(
        SessionFeedback.objects.filter(participant__in=places).values_list("session_id", flat=True)
    )
    out = []
    for place in places:
        mine = [s for s in sessions if s.cohort_id == place.cohort_id]
        out.append(
            MyProgramme(
                programme=place.cohort.programme,
                cohort=place.cohort,
                upcoming=[s for s in mine if s.date >= today][:5],
                feedback_due=[s for s in mine if s.pk in present and s.pk not in answered],
                attended=sum(1 for s in mine if s.pk in present),
                held=sum(1 for s in mine if s.date <= today),
            )
        )
    return out


def participant_in(user: User, session: Session) -> Participant | None:
    return Participant.objects.filter(cohort_id=session.cohort_id, user=user).first()


def attended(participant: Participant | None, session: Session) -> bool:
    return participant is not None and (
        Attendance.objects.filter(
            session=session, participant=participant, status=AttendanceStatus.PRESENT
        ).exists()
    )


# --- reactions (evaluation level 1) ---------------------------------------------------------


@dataclass
class Reactions:
    """Session feedback in aggregate. When `suppressed`, only `responses` is known: no
    counts, averages or comments are given from fewer than MIN_RESPONSES people."""

    responses: int
    suppressed: bool
    usefulness: dict[int, int] = field(default_factory=dict)
    met_needs: dict[int, int] = field(default_factory=dict)
    usefulness_mean: Decimal | None = None
    met_needs_mean: Decimal | None = None
    will_use: list[str] = field(default_factory=list)
    improve: list[str] = field(default_factory=list)
    minimum: int = MIN_RESPONSES

    @property
    def usefulness_rows(self) -> list[tuple[int, int]]:
        return [(score, self.usefulness.get(score, 0)) for score in range(1, 6)]

    @property
    def met_needs_rows(self) -> list[tuple[int, int]]:
        return [(score, self.met_needs.get(score, 0)) for score in range(1, 6)]


def _mean(counts: Counter[int], n: int) -> Decimal:
    return (Decimal(sum(k * v for k, v in counts.items())) / Decimal(n)).quantize(Decimal("0.1"))


def reactions(feedback: QuerySet[SessionFeedback]) -> Reactions:
    rows = list(feedback.values_list("usefulness", "met_needs", "will_use", "improve"))
    n = len(rows)
    if n < MIN_RESPONSES:
        return Reactions(responses=n, suppressed=True)
    usefulness = Counter(r[0] for r in rows)
    met_needs = Counter(r[1] for r in rows)
    return Reactions(
        responses=n,
        suppressed=False,
        usefulness=dict(usefulness),
        met_needs=dict(met_needs),
        usefulness_mean=_mean(usefulness, n),
        met_needs_mean=_mean(met_needs, n),
        # Sorted, so the order says nothing about who answered when.
        will_use=sorted(r[2] for r in rows if r[2]),
        improve=sorted(r[3] for r in rows if r[3]),
    )


def session_reactions(session: Session) -> Reactions:
    return reactions(SessionFeedback.objects.filter(session=session))


def programme_reactions(programme: Programme) -> Reactions:
    return reactions(SessionFeedback.objects.filter(session__programme=programme))


# --- a person's section and the dashboard -----------------------------------------------------


@dataclass
class PersonProgrammes:
    places: list[MyProgramme]

    @property
    def attended(self) -> int:
        return sum(p.attended for p in self.places)

    @property
    def held(self) -> int:
        return sum(p.held for p in self.places)


def person_programmes(person: User, organisation: Organisation) -> PersonProgrammes:
    return PersonProgrammes(places=my_programmes(person, organisation))


def today() -> datetime.date:
    return timezone.localdate()
