"""Reads for supervision and appraisal, and the rule of who sees them.

Who sees a person's supervision records and appraisals (notes, agenda, action points,
discussion): the person herself and her supervisor (a SupportRelationship of kind
"supervisor" in the organisation) — nobody else. Mentors and coaches do not (the
manager chooses what she shares with them, and supervision is not part of it); L&D leads
and admins do not see the records either, only on the person page the date of the last
supervision and of the next review, so that an organisation can see that supervision is
regular without reading it. A member named on an action point is emailed that action
point (not the notes) and sees it in "Action points for you" on her dashboard.

Every function runs a fixed number of queries whatever the number of people or records."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from waymark.organisations.models import Membership, SupportKind, SupportRelationship

from .models import (
    ActionEvent,
    ActionEventKind,
    ActionPoint,
    ActionStatus,
    Appraisal,
    RecordStatus,
    SupervisionRecord,
)

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.organisations.models import Organisation

# Relations that may open a person's supervision and appraisal pages.
SUPERVISION_RELATIONS = ("self", SupportKind.SUPERVISOR.value)
APPRAISAL_DUE_AFTER_DAYS = 365


def records_of(*, organisation: Organisation, manager: User) -> QuerySet[SupervisionRecord]:
    return (
        SupervisionRecord.objects.filter(organisation=organisation, manager=manager)
        .select_related("supervisor", "manager")
        .order_by("-date", "-id")
    )


def actions_with_details() -> QuerySet[ActionPoint]:
    return ActionPoint.objects.select_related("owner", "record").prefetch_related(
        Prefetch("events", queryset=ActionEvent.objects.select_related("actor", "record"))
    )


@dataclass
class RecordActions:
    agreed: list[ActionPoint]
    carried: list[ActionPoint]

    @property
    def all(self) -> list[ActionPoint]:
        return [*self.carried, *self.agreed]


def record_actions(record: SupervisionRecord) -> RecordActions:
    """The action points agreed in a record and those carried into it. Three queries."""
    carried_ids = ActionEvent.objects.filter(record=record, kind=ActionEventKind.CARRIED).values(
        "action_id"
    )
    rows = list(
        actions_with_details()
        .filter(Q(record=record) | Q(pk__in=carried_ids))
        .order_by("due_date", "id")
    )
    carried = [a for a in rows if a.record_id != record.pk]
    for a in carried:
        # What this meeting decided about it, if anything yet (its last review here).
        reviews = [
            e
            for e in a.events.all()
            if e.record_id == record.pk and e.kind != ActionEventKind.CARRIED
        ]
        a.review_here = reviews[-1] if reviews else None  # type: ignore[attr-defined]
    return RecordActions(agreed=[a for a in rows if a.record_id == record.pk], carried=carried)


def overdue_actions(*, organisation: Organisation, manager: User) -> QuerySet[ActionPoint]:
    return ActionPoint.objects.filter(
        organisation=organisation,
        manager=manager,
        status=ActionStatus.OPEN,
        due_date__lt=timezone.localdate(),
    ).select_related("owner", "record")


def open_actions(*, organisation: Organisation, manager: User) -> QuerySet[ActionPoint]:
    return ActionPoint.objects.filter(
        organisation=organisation, manager=manager, status=ActionStatus.OPEN
    ).select_related("owner", "record")


def appraisals_of(*, organisation: Organisation, manager: User) -> QuerySet[Appraisal]:
    return (
        Appraisal.objects.filter(organisation=organisation, manager=manager)
        .select_related("supervisor", "supervisor_signed_by", "pms_revision", "manager")
        .order_by("-date", "-id")
    )


# --- the person page and the dashboard ---------------------------------------------------------


@dataclass
class PersonSummary:
    last_record: SupervisionRecord | None
    open_actions: int
    overdue_actions: int
    last_appraisal: Appraisal | None

    @property
    def review_due(self) -> bool:
        return self.last_record is not None and self.last_record.review_due

    @property
    def appraisal_due(self) -> bool:
        return self.last_appraisal is None or self.last_appraisal.date < appraisal_cutoff()


def appraisal_cutoff() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=APPRAISAL_DUE_AFTER_DAYS)


def person_summary(*, organisation: Organisation, manager: User) -> PersonSummary:
    """Three queries."""
    counts = ActionPoint.objects.filter(
        organisation=organisation, manager=manager, status=ActionStatus.OPEN
    ).aggregate(open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=timezone.localdate())))
    return PersonSummary(
        last_record=records_of(organisation=organisation, manager=manager).first(),
        open_actions=counts["open"],
        overdue_actions=counts["overdue"],
        last_appraisal=appraisals_of(organisation=organisation, manager=manager).first(),
    )


def actions_owned_by(*, organisation: Organisation, user: User) -> list[ActionPoint]:
    """Open action points that name `user` in other people's supervision."""
    return list(
        ActionPoint.objects.filter(organisation=organisation, owner=user, status=ActionStatus.OPEN)
        .exclude(manager=user)
        .select_related("manager", "record")
        .order_by("due_date", "id")
    )


# --- the supervisor's page --------------------------------------------------------------------


@dataclass
class Supervisee:
    person: User
    plan_awaiting: Any = None  # the plan awaiting agreement, if any
    entries_to_confirm: int = 0
    overdue_actions: int = 0
    last_record_id: int | None = None
    last_record_date: datetime.date | None = None
    review_date: datetime.date | None = None
    draft_record_id: int | None = None
    last_appraisal_date: datetime.date | None = None
    feedback_rounds_ready: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def review_due(self) -> bool:
        return self.review_date is not None and self.review_date <= timezone.localdate()

    @property
    def appraisal_due(self) -> bool:
        return self.last_appraisal_date is None or self.last_appraisal_date < appraisal_cutoff()

    @property
    def needs_attention(self) -> bool:
        return bool(
            self.plan_awaiting
            or self.entries_to_confirm
            or self.overdue_actions
            or self.review_due
            or self.appraisal_due
            or self.feedback_rounds_ready
        )


def supervised_by(*, organisation: Organisation, supervisor: User) -> list[User]:
    """The members `supervisor` supervises, in name order (one query)."""
    members = Membership.objects.filter(organisation=organisation, user=OuterRef("manager"))
    return [
        r.manager
        for r in SupportRelationship.objects.filter(
            organisation=organisation, supporter=supervisor, kind=SupportKind.SUPERVISOR
        )
        .filter(Exists(members))
        .select_related("manager")
        .order_by("manager__full_name", "manager__email")
    ]


def feedback_rounds_ready(*, organisation: Organisation, manager_ids: list[int]) -> dict[int, int]:
    """Feedback rounds with results ready, per manager (from waymark.feedback)."""
    if not manager_ids:
        return {}
    from waymark.feedback.selectors import rounds_ready_for

    return dict(rounds_ready_for(organisation=organisation, manager_ids=manager_ids))


def supervisees(*, organisation: Organisation, supervisor: User) -> list[Supervisee]:
    """Everyone `supervisor` supervises with what needs her attention: a plan awaiting
    agreement, shared CPD entries to confirm, overdue action points, a supervision review
    due, a feedback round ready, an appraisal due. A fixed number of queries."""
    from waymark.cpd.selectors import supported_cards
    from waymark.planning.selectors import plans_awaiting_agreement

    people = supervised_by(organisation=organisation, supervisor=supervisor)
    if not people:
        return []
    ids = [p.pk for p in people]
    rows = {p.pk: Supervisee(person=p) for p in people}
    for plan in plans_awaiting_agreement(organisation=organisation, supervisor=supervisor):
        if plan.manager_id in rows:
            rows[plan.manager_id].plan_awaiting = plan
    for card in supported_cards(supporter=supervisor, organisation=organisation):
        if card.manager.pk in rows and card.is_supervisor:
            rows[card.manager.pk].entries_to_confirm = card.awaiting
    today = timezone.localdate()
    for row in (
        ActionPoint.objects.filter(
            organisation=organisation,
            manager_id__in=ids,
            status=ActionStatus.OPEN,
            due_date__lt=today,
        )
        .values("manager_id")
        .annotate(n=Count("id"))
    ):
        rows[row["manager_id"]].overdue_actions = row["n"]
    seen: set[int] = set()
    for record in (
        SupervisionRecord.objects.filter(organisation=organisation, manager_id__in=ids)
        .order_by("manager_id", "-date", "-id")
        .only("id", "manager_id", "date", "review_date", "status")
        .filter(
            Q(status=RecordStatus.DRAFT)
            | Q(
                date=SupervisionRecord.objects.filter(
                    organisation=organisation, manager=OuterRef("manager")
                )
                .order_by("-date", "-id")
                .values("date")[:1]
            )
        )
    ):
        s = rows[record.manager_id]
        if record.status == RecordStatus.DRAFT:
            s.draft_record_id = record.pk
        if record.manager_id not in seen:
            seen.add(record.manager_id)
            s.last_record_id, s.last_record_date = record.pk, record.date
            if record.status == RecordStatus.FINALISED:
                s.review_date = record.review_date
    for appraised in (
        Appraisal.objects.filter(organisation=organisation, manager_id__in=ids)
        .values("manager_id")
        .annotate(last=Max("date"))
    ):
        rows[appraised["manager_id"]].last_appraisal_date = appraised["last"]
    for manager_id, n in feedback_rounds_ready(organisation=organisation, manager_ids=ids).items():
        if manager_id in rows:
            rows[manager_id].feedback_rounds_ready = n
    return list(rows.values())


# --- the API ------------------------------------------------------------------------------


def visible_records(user: User) -> QuerySet[SupervisionRecord]:
    """Every supervision record `user` may read, in any organisation: her own, and those
    of the people she supervises now. The manager must still be a member."""
    supervising = SupportRelationship.objects.filter(
        organisation=OuterRef("organisation"),
        manager=OuterRef("manager"),
        supporter=user,
        kind=SupportKind.SUPERVISOR,
    )
    member = Membership.objects.filter(
        organisation=OuterRef("organisation"), user=OuterRef("manager")
    )
    return SupervisionRecord.objects.filter(
        Q(manager=user) | Q(Exists(supervising)), Exists(member)
    )


def visible_actions(user: User) -> QuerySet[ActionPoint]:
    return ActionPoint.objects.filter(record__in=visible_records(user))


def visible_appraisals(user: User) -> QuerySet[Appraisal]:
    supervising = SupportRelationship.objects.filter(
        organisation=OuterRef("organisation"),
        manager=OuterRef("manager"),
        supporter=user,
        kind=SupportKind.SUPERVISOR,
    )
    member = Membership.objects.filter(
        organisation=OuterRef("organisation"), user=OuterRef("manager")
    )
    return Appraisal.objects.filter(Q(manager=user) | Q(Exists(supervising)), Exists(member))


# --- the appraisal's look back ----------------------------------------------------------


@dataclass
class LookBack:
    plan: Any
    objectives: list[Any]
    objective_counts: dict[str, int]
    cpd_entries: list[Any]
    cpd_hours: Decimal
    cpd_by_type: list[Any]

    @property
    def cpd_credits(self) -> Decimal:
        from waymark.cpd.models import scqf_credits

        return scqf_credits(self.cpd_hours)


def look_back(appraisal: Appraisal) -> LookBack:
    """The PDP and the CPD record over the appraisal's period, as the supervisor may see
    them: the CPD entries are those the manager shared (`cpd.selectors.entries_visible_to`
    with the supervisor's relation), the same for both of them, so that a private entry
    never reaches the supervisor through an appraisal."""
    from waymark.cpd.selectors import entries_visible_to, summarise
    from waymark.planning.selectors import current_plan, objectives_with_details

    plan = current_plan(organisation=appraisal.organisation, manager=appraisal.manager)
    objectives = (
        list(objectives_with_details().filter(plan=plan).select_related("plan")) if plan else []
    )
    counts: dict[str, int] = defaultdict(int)
    for o in objectives:
        counts[o.get_status_display()] += 1
    shared = entries_visible_to(
        appraisal.supervisor,
        appraisal.manager,
        appraisal.organisation,
        {SupportKind.SUPERVISOR.value},
    )
    summary = summarise(shared, period_from=appraisal.period_start, period_to=appraisal.period_end)
    entries = list(
        shared.filter(date__gte=appraisal.period_start, date__lte=appraisal.period_end).order_by(
            "-date", "-id"
        )
    )
    return LookBack(
        plan=plan,
        objectives=objectives,
        objective_counts=dict(counts),
        cpd_entries=entries,
        cpd_hours=summary.hours,
        cpd_by_type=summary.by_type,
    )


def private_entries_in_period(appraisal: Appraisal) -> int:
    """For the manager only: how many of her entries in the period are private (and so
    not in the appraisal)."""
    from waymark.cpd.models import Entry, Visibility

    return Entry.objects.filter(
        organisation=appraisal.organisation,
        manager=appraisal.manager,
        visibility=Visibility.PRIVATE,
        date__gte=appraisal.period_start,
        date__lte=appraisal.period_end,
    ).count()


def members_for_owner_choice(organisation: Organisation) -> list[User]:
    from waymark.accounts.models import User

    return list(
        User.objects.filter(memberships__organisation=organisation)
        .distinct()
        .order_by("full_name", "email")
    )
