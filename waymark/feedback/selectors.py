"""Reads for 360° feedback: rounds a viewer may see, rounds ready for review, and the
results with the anonymity rule applied (see docs/feedback.md)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waymark.assessment.models import Rating, SelfAssessment
from waymark.assessment.selectors import (
    Domain,
    competences_by_domain,
    describe_change,
    level_word,
)
from waymark.frameworks.models import Node
from waymark.organisations.access import SELF
from waymark.organisations.models import Membership, Role, SupportKind, SupportRelationship

from .models import (
    FeedbackAnswer,
    FeedbackResponse,
    FeedbackRound,
    RaterGroup,
    RaterInvitation,
    hash_token,
)


def min_group() -> int:
    """The fewest responses a group needs before its results are shown (a setting)."""
    return int(getattr(settings, "FEEDBACK_MIN_GROUP", 3))


def showable(counts: dict[str, int]) -> bool:
    """Whether any result of a round with these responses per group can be shown: the
    line manager's view is shown openly; the other groups need `min_group()` responses
    each, or together once merged into "Other raters". If the other groups hold at
    least that many in all, one of them or the merged group reaches it."""
    if counts.get(RaterGroup.LINE_MANAGER.value, 0) > 0:
        return True
    return sum(n for g, n in counts.items() if g != RaterGroup.LINE_MANAGER.value) >= min_group()


def rounds_ready_for(*, organisation: Any, manager_ids: Iterable[int]) -> dict[int, int]:
    """For each manager id, the number of her feedback rounds that are *ready*: results
    can be shown (see `showable`) and the manager has not yet looked at them (results
    are shown once she closes the round; `results_seen_at` is set when she first opens
    them). Managers with none are left out. One query."""
    ids = list(manager_ids)
    if not ids:
        return {}
    per_round: dict[int, tuple[int, dict[str, int]]] = {}
    rows = (
        FeedbackResponse.objects.filter(
            round__organisation=organisation,
            round__manager_id__in=ids,
            round__results_seen_at__isnull=True,
        )
        .order_by()
        .values_list("round_id", "round__manager_id", "group")
        .annotate(n=Count("id"))
    )
    for round_id, manager_id, group, n in rows:
        entry = per_round.setdefault(round_id, (manager_id, {}))
        entry[1][group] = n
    out: dict[int, int] = defaultdict(int)
    for manager_id, counts in per_round.values():
        if showable(counts):
            out[manager_id] += 1
    return dict(out)


# --- who sees what ------------------------------------------------------------------------

# Run a person's rounds (start, invite, remind, revoke, close) and see who was invited:
# the person, or her L&D lead or admin for her (services.MANAGE_RELATIONS).
MANAGE_RELATIONS = frozenset({SELF, Role.LD_LEAD.value, Role.ADMIN.value})
# See the rounds and the results of a closed round (never who said what: no page does).
RESULT_RELATIONS = MANAGE_RELATIONS | {SupportKind.SUPERVISOR.value}
PAGE_RELATIONS = tuple(sorted(RESULT_RELATIONS))


def rounds_for(*, organisation: Any, person: Any) -> QuerySet[FeedbackRound]:
    """A person's rounds, newest first, with their counts of invitations and responses
    (two subqueries: one query in all)."""
    invited = (
        RaterInvitation.objects.filter(round=OuterRef("pk"), revoked_at__isnull=True)
        .order_by()
        .values("round")
        .annotate(n=Count("pk"))
        .values("n")
    )
    answered = (
        FeedbackResponse.objects.filter(round=OuterRef("pk"))
        .order_by()
        .values("round")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        FeedbackRound.objects.filter(organisation=organisation, manager=person)
        .select_related("revision")
        .annotate(
            invited_count=Coalesce(Subquery(invited, output_field=IntegerField()), 0),
            response_count=Coalesce(Subquery(answered, output_field=IntegerField()), 0),
        )
        .order_by("-opened_at", "-pk")
    )


def rounds_visible_to(user: Any) -> QuerySet[FeedbackRound]:
    """Every round `user` may see through the API: her own, those of people she
    supervises, and every round of an organisation where she is L&D lead or admin, while
    the manager is a member there."""
    manager_is_member = Exists(
        Membership.objects.filter(organisation=OuterRef("organisation"), user=OuterRef("manager"))
    )
    supervises = Exists(
        SupportRelationship.objects.filter(
            organisation=OuterRef("organisation"),
            manager=OuterRef("manager"),
            supporter=user.pk,
            kind=SupportKind.SUPERVISOR,
        )
    )
    leads = Exists(
        Membership.objects.filter(
            organisation=OuterRef("organisation"),
            user=user.pk,
            role__in=[Role.LD_LEAD, Role.ADMIN],
        )
    )
    return FeedbackRound.objects.filter(
        Q(manager=user.pk) | (manager_is_member & (supervises | leads))
    )


def rounds_managed_by(user: Any) -> QuerySet[FeedbackRound]:
    """Rounds whose invitations `user` may see and run (API): her own, and those of an
    organisation where she is L&D lead or admin."""
    manager_is_member = Exists(
        Membership.objects.filter(organisation=OuterRef("organisation"), user=OuterRef("manager"))
    )
    leads = Exists(
        Membership.objects.filter(
            organisation=OuterRef("organisation"),
            user=user.pk,
            role__in=[Role.LD_LEAD, Role.ADMIN],
        )
    )
    return FeedbackRound.objects.filter(Q(manager=user.pk) | (manager_is_member & leads))


def invitation_by_token(token: str) -> RaterInvitation | None:
    """The invitation a rater's link belongs to, or None. Looked up by the hash only."""
    if not token or len(token) > 100:
        return None
    return (
        RaterInvitation.objects.filter(token_hash=hash_token(token))
        .select_related("round__manager", "round__organisation")
        .first()
    )


# --- results ------------------------------------------------------------------------------

OTHERS = "others"


def group_label(key: str) -> str:
    if key == OTHERS:
        return _("Other raters")
    return str(RaterGroup(key).label)


@dataclass
class Column:
    """A group of raters as shown: one group, or "Other raters" (small groups merged)."""

    key: str
    responses: int
    groups: list[str]

    @property
    def label(self) -> str:
        return group_label(self.key)

    @property
    def is_line_manager(self) -> bool:
        return self.key == RaterGroup.LINE_MANAGER.value


@dataclass
class Explanation:
    """Why a group is not shown on its own: merged into "Other raters" or withheld."""

    group: str
    responses: int
    merged: bool

    @property
    def text(self) -> str:
        label = str(RaterGroup(self.group).label).lower()
        if self.merged:
            return ngettext(
                "%(count)d response from %(group)s is included in “Other raters” so that "
                "no one can be identified.",
                "%(count)d responses from %(group)s are included in “Other raters” so that "
                "no one can be identified.",
                self.responses,
            ) % {"count": self.responses, "group": label}
        return ngettext(
            "%(count)d response from %(group)s is not shown: fewer than %(min)d people "
            "answered from groups too small to show on their own, so it could identify "
            "who gave it.",
            "%(count)d responses from %(group)s are not shown: fewer than %(min)d people "
            "answered from groups too small to show on their own, so they could identify "
            "who gave them.",
            self.responses,
        ) % {"count": self.responses, "group": label, "min": min_group()}


@dataclass
class Cell:
    total: int = 0
    count: int = 0
    shown: bool = False

    @property
    def mean(self) -> float | None:
        if not self.shown or not self.count:
            return None
        return self.total / self.count


@dataclass
class ResultRow:
    node: Node
    domain: Domain
    expected: int
    self_level: int | None
    cells: dict[str, Cell]
    order: int = 0

    @property
    def others_mean(self) -> float | None:
        """The mean of others' answers in the cells shown (no cell hidden counts)."""
        shown = [c for c in self.cells.values() if c.shown and c.count]
        if not shown:
            return None
        return sum(c.total for c in shown) / sum(c.count for c in shown)

    @property
    def difference(self) -> float | None:
        """Self minus others: positive when the manager rates herself higher."""
        if self.self_level is None or self.others_mean is None:
            return None
        return self.self_level - self.others_mean

    @property
    def is_blind_spot(self) -> bool:
        return self.difference is not None and self.difference >= BLIND_SPOT_GAP

    @property
    def is_hidden_strength(self) -> bool:
        return self.difference is not None and self.difference <= -BLIND_SPOT_GAP

    def cell_list(self, columns: list[Column]) -> list[Cell]:
        return [self.cells[c.key] for c in columns]

    @property
    def self_word(self) -> str:
        return level_word(self.self_level)

    @property
    def expected_word(self) -> str:
        return level_word(self.expected)


# Self at least one whole level above (blind spot) or below (hidden strength) the mean of
# what others said.
BLIND_SPOT_GAP = 1.0


@dataclass
class DomainResult:
    domain: Domain
    rows: list[ResultRow]

    @property
    def mean_expected(self) -> float:
        return sum(r.expected for r in self.rows) / len(self.rows)

    @property
    def mean_self(self) -> float | None:
        rated = [r.self_level for r in self.rows if r.self_level is not None]
        return sum(rated) / len(rated) if rated else None

    def mean_for(self, key: str) -> float | None:
        cells = [r.cells[key] for r in self.rows if r.cells[key].shown and r.cells[key].count]
        if not cells:
            return None
        return sum(c.total for c in cells) / sum(c.count for c in cells)

    @property
    def others_mean(self) -> float | None:
        cells = [c for r in self.rows for c in r.cells.values() if c.shown and c.count]
        if not cells:
            return None
        return sum(c.total for c in cells) / sum(c.count for c in cells)

    def means(self, columns: list[Column]) -> list[float | None]:
        return [self.mean_for(c.key) for c in columns]


@dataclass
class Comment:
    column: str
    text: str

    @property
    def label(self) -> str:
        return group_label(self.column)


@dataclass
class Results:
    round: FeedbackRound
    counts: dict[str, int]  # submitted responses per group (shown to the manager)
    columns: list[Column]
    explanations: list[Explanation]
    rows: list[ResultRow]  # framework order
    domains: list[DomainResult]
    strengths: list[Comment]
    develop: list[Comment]
    self_assessment: SelfAssessment | None

    @property
    def shown_responses(self) -> int:
        return sum(c.responses for c in self.columns)

    @property
    def total_responses(self) -> int:
        return sum(self.counts.values())

    @property
    def has_results(self) -> bool:
        return bool(self.columns)

    @property
    def blind_spots(self) -> list[ResultRow]:
        return sorted(
            (r for r in self.rows if r.is_blind_spot), key=lambda r: (-(r.difference or 0), r.order)
        )

    @property
    def hidden_strengths(self) -> list[ResultRow]:
        return sorted(
            (r for r in self.rows if r.is_hidden_strength),
            key=lambda r: (r.difference or 0, r.order),
        )

    def row_for(self, node_id: int) -> ResultRow | None:
        return next((r for r in self.rows if r.node.pk == node_id), None)


def plan_columns(counts: dict[str, int]) -> tuple[list[Column], list[Explanation]]:
    """Which groups are shown: the line manager openly; every other group with at least
    `min_group()` responses on its own; the smaller ones merged into "Other raters" when
    together they reach it, withheld otherwise."""
    minimum = min_group()
    columns: list[Column] = []
    explanations: list[Explanation] = []
    small: list[str] = []
    for group in RaterGroup.values:
        n = counts.get(group, 0)
        if not n:
            continue
        if group == RaterGroup.LINE_MANAGER.value or n >= minimum:
            columns.append(Column(key=group, responses=n, groups=[group]))
        else:
            small.append(group)
    merged = sum(counts[g] for g in small)
    if small and merged >= minimum:
        columns.append(Column(key=OTHERS, responses=merged, groups=small))
    explanations = [
        Explanation(group=g, responses=counts[g], merged=merged >= minimum) for g in small
    ]
    return columns, explanations


def _comment_key(text: str) -> tuple[str, str]:
    # Alphabetical, whatever the case: an order that says nothing of who wrote first.
    return (text.casefold(), text)


def round_results(feedback_round: FeedbackRound) -> Results:
    """The results of a round with the anonymity rule applied everywhere: which groups
    show (plan_columns); within a shown group, a competence's mean only when at least
    `min_group()` of its raters answered it (the line manager always); others' mean
    only from what is shown; comments only from shown groups, alphabetically.
    Six queries whatever the size of the round."""
    minimum = min_group()
    responses = list(
        FeedbackResponse.objects.filter(round=feedback_round).only(
            "id", "round_id", "group", "strengths", "develop"
        )
    )
    counts: dict[str, int] = defaultdict(int)
    for r in responses:
        counts[r.group] += 1
    columns, explanations = plan_columns(dict(counts))
    column_of = {g: c.key for c in columns for g in c.groups}
    asked = set(feedback_round.competences.values_list("pk", flat=True))
    groups = competences_by_domain(feedback_round.revision_id)
    self_assessment = (
        SelfAssessment.objects.filter(
            organisation_id=feedback_round.organisation_id,
            manager_id=feedback_round.manager_id,
            submitted_at__isnull=False,
        )
        .order_by("-submitted_at", "-pk")
        .first()
    )
    self_levels: dict[int, int | None] = {}
    if self_assessment is not None:
        self_levels = dict(
            Rating.objects.filter(assessment=self_assessment).values_list("node_id", "level")
        )
    group_of = {r.pk: r.group for r in responses}
    sums: dict[tuple[int, str], Cell] = defaultdict(Cell)
    for response_id, node_id, level in FeedbackAnswer.objects.filter(
        response__round=feedback_round, level__isnull=False
    ).values_list("response_id", "node_id", "level"):
        key = column_of.get(group_of.get(response_id, ""))
        if key is None:
            continue  # a withheld group counts nowhere
        cell = sums[(node_id, key)]
        cell.total += int(level or 0)
        cell.count += 1
    rows: list[ResultRow] = []
    domains: list[DomainResult] = []
    order = 0
    for group in groups:
        domain_rows = []
        for c in group.competences:
            if c.pk not in asked:
                continue
            cells = {}
            for col in columns:
                cell = sums.get((c.node_id, col.key), Cell())
                cell.shown = cell.count > 0 and (col.is_line_manager or cell.count >= minimum)
                cells[col.key] = cell
            row = ResultRow(
                node=c.node,
                domain=group.domain,
                expected=c.expected_level,
                self_level=self_levels.get(c.node_id),
                cells=cells,
                order=order,
            )
            order += 1
            domain_rows.append(row)
        if domain_rows:
            rows.extend(domain_rows)
            domains.append(DomainResult(domain=group.domain, rows=domain_rows))
    strengths = sorted(
        (
            Comment(column=column_of[r.group], text=r.strengths)
            for r in responses
            if r.strengths and r.group in column_of
        ),
        key=lambda c: (list(column_of.values()).index(c.column), *_comment_key(c.text)),
    )
    develop = sorted(
        (
            Comment(column=column_of[r.group], text=r.develop)
            for r in responses
            if r.develop and r.group in column_of
        ),
        key=lambda c: (list(column_of.values()).index(c.column), *_comment_key(c.text)),
    )
    return Results(
        round=feedback_round,
        counts=dict(counts),
        columns=columns,
        explanations=explanations,
        rows=rows,
        domains=domains,
        strengths=strengths,
        develop=develop,
        self_assessment=self_assessment,
    )


def previous_closed(feedback_round: FeedbackRound) -> FeedbackRound | None:
    return (
        FeedbackRound.objects.filter(
            organisation_id=feedback_round.organisation_id,
            manager_id=feedback_round.manager_id,
            closed_at__isnull=False,
            opened_at__lt=feedback_round.opened_at,
        )
        .exclude(pk=feedback_round.pk)
        .select_related("revision")
        .order_by("-opened_at", "-pk")
        .first()
    )


@dataclass
class Comparison:
    node: Node
    before: float | None
    after: float | None

    @property
    def words(self) -> str:
        if self.before is None and self.after is None:
            return _("Not enough answers in either round")
        if self.before is None:
            return _("Not shown in the earlier round")
        if self.after is None:
            return _("Not shown in this round")
        change = self.after - self.before
        if abs(change) < 0.05:
            return describe_change("same", 0, mean=True)
        return describe_change("up" if change > 0 else "down", change, mean=True)


def compare(previous: Results, current: Results) -> list[Comparison]:
    """Others' mean per competence, this round against the one before (both with the
    anonymity rule applied), for the competences asked in this round."""
    before = {r.node.pk: r.others_mean for r in previous.rows}
    return [
        Comparison(node=r.node, before=before.get(r.node.pk), after=r.others_mean)
        for r in current.rows
    ]


def latest_results_for(*, organisation: Any, person: Any) -> Results | None:
    """The results of the person's latest closed round that has any, for the gap
    analysis page."""
    latest = (
        FeedbackRound.objects.filter(
            organisation=organisation, manager=person, closed_at__isnull=False
        )
        .select_related("revision")
        .order_by("-closed_at", "-pk")
        .first()
    )
    if latest is None:
        return None
    results = round_results(latest)
    return results if results.has_results else None
