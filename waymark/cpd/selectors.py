"""Reads of the CPD record, and THE rule of who sees which entries.

The rule, in one place (`entries_visible_to`), used by every page, the API, the
summaries, the dashboard counts and anything else that reads entries for a viewer:

* A **private** entry (the default) is seen by its manager only. Never by her supervisor,
  mentor, coach, L&D lead, organisation admin or a site administrator: not in a list,
  a count, a total, a summary, an export, the API or the Django admin.
* A **shared** entry (visibility "supporters") is seen, with its reflections and
  evidence, by the manager and by those who support her development through a
  SupportRelationship in that organisation: her supervisor, mentors and coaches. Her
  supervisor may confirm it; a mentor or coach may not.
* An **L&D lead or organisation admin** sees nothing of a person's CPD log, not even
  hours totals of shared entries: sharing is with the people who support her, not with
  the organisation. (Organisation-wide CPD activity belongs to the privacy-safe reports,
  which will count only what managers choose to share there.)

Every function here runs a constant number of queries whatever the number of entries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, DecimalField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from waymark.frameworks.models import Edition, EditionStatus, Node
from waymark.frameworks.selectors import CountsTowards, counts_towards
from waymark.organisations.access import SELF, SUPPORTER_RELATIONS
from waymark.organisations.models import SupportKind, SupportRelationship
from waymark.planning.models import ActivityType, Objective
from waymark.profiles.models import SpecCompetence, Specification

from .models import Entry, Evidence, Visibility, scqf_credits

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.organisations.models import Organisation

# Relations that may open a person's CPD pages at all: she herself and her supporters.
CPD_RELATIONS = (SELF, *sorted(SUPPORTER_RELATIONS))


def entries_visible_to(
    viewer: User, person: User, organisation: Organisation, relations: Iterable[str]
) -> QuerySet[Entry]:
    """The entries of `person` in `organisation` that `viewer` may see, given the viewer's
    `relations` to the person (as `organisations.access.relations_to` gives them)."""
    relations = frozenset(relations)
    entries = Entry.objects.filter(organisation=organisation, manager=person)
    if SELF in relations and viewer.pk is not None and viewer.pk == person.pk:
        return entries
    if relations & SUPPORTER_RELATIONS:
        return entries.filter(visibility=Visibility.SUPPORTERS)
    return entries.none()


def can_edit(relations: Iterable[str]) -> bool:
    """Only the manager herself adds, changes, shares or deletes her entries."""
    return SELF in frozenset(relations)


def can_confirm(entry: Entry, relations: Iterable[str]) -> bool:
    """Her supervisor may confirm an entry she has shared; nobody else may."""
    return (
        SupportKind.SUPERVISOR.value in frozenset(relations)
        and entry.visibility == Visibility.SUPPORTERS
        and entry.confirmed_at is None
    )


def with_details(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    """Everything the list, the entry page and the API show, in a fixed number of queries."""
    return (
        entries.select_related("objective__plan", "confirmed_by")
        .prefetch_related(
            Prefetch(
                "nodes",
                queryset=Node.objects.select_related("edition__framework").order_by(
                    "edition_id", "path"
                ),
            ),
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "id")),
        )
        .order_by("-date", "-id")
    )


# --- choices for the entry form ---------------------------------------------------------


def pms_competences(*, person: User, organisation: Organisation) -> list[Node]:
    """The competences of the manager's current person management specification."""
    spec = (
        Specification.objects.filter(organisation=organisation, manager=person)
        .only("id", "current_id")
        .first()
    )
    if spec is None or spec.current_id is None:
        return []
    return [
        sc.node
        for sc in SpecCompetence.objects.filter(revision_id=spec.current_id)
        .select_related("node__edition__framework")
        .order_by("node__edition_id", "node__path")
    ]


def objectives_of(*, person: User, organisation: Organisation) -> QuerySet[Objective]:
    """The objectives of the manager's own development plans: the only ones an entry may
    be linked to."""
    return (
        Objective.objects.filter(plan__organisation=organisation, plan__manager=person)
        .select_related("plan")
        .order_by("-plan__created_at", "plan_id", "level", "sequence", "id")
    )


def taggable_nodes() -> QuerySet[Node]:
    """Items an entry may be tagged with: any item of a published (or retired) edition."""
    return Node.objects.exclude(edition__status=EditionStatus.DRAFT)


# --- totals --------------------------------------------------------------------------------


def hours_total(entries: QuerySet[Entry]) -> Decimal:
    total = entries.aggregate(
        hours=Coalesce(Sum("hours"), Value(Decimal("0")), output_field=DecimalField())
    )["hours"]
    return Decimal(total)


@dataclass(frozen=True)
class OwnCard:
    hours_this_year: Decimal
    entries_this_year: int
    year: int

    @property
    def credits_this_year(self) -> Decimal:
        return scqf_credits(self.hours_this_year)


def own_card(*, person: User, organisation: Organisation) -> OwnCard:
    """The manager's own figures for her dashboard and person page: one query."""
    year = timezone.localdate().year
    row = (
        entries_visible_to(person, person, organisation, {SELF})
        .filter(date__year=year)
        .aggregate(
            hours=Coalesce(Sum("hours"), Value(Decimal("0")), output_field=DecimalField()),
            n=Count("id"),
        )
    )
    return OwnCard(hours_this_year=Decimal(row["hours"]), entries_this_year=row["n"], year=year)


@dataclass(frozen=True)
class SupportedCard:
    """What one supported manager has shared with the viewer."""

    manager: User
    kinds: tuple[str, ...]
    shared: int
    awaiting: int  # awaiting the viewer's confirmation: only when she is the supervisor

    @property
    def is_supervisor(self) -> bool:
        return SupportKind.SUPERVISOR.value in self.kinds


def supported_cards(*, supporter: User, organisation: Organisation) -> list[SupportedCard]:
    """For each manager the viewer supports: her shared entries, and how many await the
    viewer's confirmation. Two queries. Counts only shared entries (the same rule as
    `entries_visible_to`: a supporter sees exactly the shared ones)."""
    kinds: dict[int, set[str]] = defaultdict(set)
    managers: dict[int, User] = {}
    for rel in (
        SupportRelationship.objects.filter(organisation=organisation, supporter=supporter)
        .select_related("manager")
        .order_by("manager__full_name", "manager__email")
    ):
        kinds[rel.manager_id].add(rel.kind)
        managers[rel.manager_id] = rel.manager
    if not managers:
        return []
    counts = {
        row["manager_id"]: row
        for row in Entry.objects.filter(
            organisation=organisation,
            manager_id__in=list(managers),
            visibility=Visibility.SUPPORTERS,
        )
        .values("manager_id")
        .annotate(shared=Count("id"), awaiting=Count("id", filter=Q(confirmed_at__isnull=True)))
    }
    cards = []
    for manager_id, manager in managers.items():
        row = counts.get(manager_id, {"shared": 0, "awaiting": 0})
        supervisor = SupportKind.SUPERVISOR.value in kinds[manager_id]
        cards.append(
            SupportedCard(
                manager=manager,
                kinds=tuple(sorted(kinds[manager_id])),
                shared=row["shared"],
                awaiting=row["awaiting"] if supervisor else 0,
            )
        )
    return cards


def supporter_card(
    *, viewer: User, person: User, organisation: Organisation, relations: Iterable[str]
) -> SupportedCard:
    """The same figures for one person, for the person page."""
    relations = frozenset(relations)
    visible = entries_visible_to(viewer, person, organisation, relations)
    row = visible.aggregate(
        shared=Count("id"), awaiting=Count("id", filter=Q(confirmed_at__isnull=True))
    )
    supervisor = SupportKind.SUPERVISOR.value in relations
    return SupportedCard(
        manager=person,
        kinds=tuple(sorted(relations & SUPPORTER_RELATIONS)),
        shared=row["shared"],
        awaiting=row["awaiting"] if supervisor else 0,
    )


# --- summaries -----------------------------------------------------------------------------


@dataclass
class Row:
    """Hours, credits and number of entries for one period, type or competence."""

    key: str
    label: str
    hours: Decimal = Decimal("0")
    entries: int = 0
    node: Node | None = None

    @property
    def credits(self) -> Decimal:
        return scqf_credits(self.hours)

    def add(self, entry: Entry) -> None:
        self.hours += entry.hours
        self.entries += 1


@dataclass
class OutcomeProgress:
    node: Node
    entries: int


@dataclass
class DomainProgress:
    node: Node | None  # None: outcomes that sit at the top of their framework
    outcomes: list[OutcomeProgress] = field(default_factory=list)
    direct_entries: int = 0  # entries tagged with the domain itself

    @property
    def reached(self) -> int:
        return sum(1 for o in self.outcomes if o.entries)

    @property
    def total(self) -> int:
        return len(self.outcomes)


@dataclass
class FrameworkProgress:
    edition: Edition
    domains: list[DomainProgress]

    @property
    def reached(self) -> int:
        return sum(d.reached for d in self.domains)

    @property
    def total(self) -> int:
        return sum(d.total for d in self.domains)


@dataclass
class CountsTowardsRow:
    node: Node
    towards: list[CountsTowards]


@dataclass
class Summary:
    period_from: datetime.date | None
    period_to: datetime.date | None
    entries: int
    hours: Decimal
    by_year: list[Row]
    by_month: list[Row]
    by_type: list[Row]
    by_competence: list[Row]
    frameworks: list[FrameworkProgress]
    counts_towards: list[CountsTowardsRow]

    @property
    def credits(self) -> Decimal:
        return scqf_credits(self.hours)


def summary_entries(
    entries: QuerySet[Entry],
    *,
    period_from: datetime.date | None = None,
    period_to: datetime.date | None = None,
) -> QuerySet[Entry]:
    if period_from:
        entries = entries.filter(date__gte=period_from)
    if period_to:
        entries = entries.filter(date__lte=period_to)
    return entries.prefetch_related(
        Prefetch("nodes", queryset=Node.objects.select_related("edition__framework"))
    ).order_by("-date", "-id")


def summarise(
    entries: QuerySet[Entry],
    *,
    period_from: datetime.date | None = None,
    period_to: datetime.date | None = None,
) -> Summary:
    """Hours and SCQF credits by year, month, type and competence; progress through each
    framework's outcomes; what the tagged items count towards through the map.

    `entries` must already be the viewer's visible entries (`entries_visible_to`): the
    summary of a supervisor is the summary of what was shared with her. An entry's hours
    count in full towards every competence it is tagged with. Five queries."""
    rows = list(summary_entries(entries, period_from=period_from, period_to=period_to))
    total = sum((e.hours for e in rows), Decimal("0"))
    by_year: dict[str, Row] = {}
    by_month: dict[str, Row] = {}
    by_type: dict[str, Row] = {}
    by_node: dict[int, Row] = {}
    entries_per_node: dict[int, int] = defaultdict(int)
    type_labels = dict(ActivityType.choices)
    for entry in rows:
        year = f"{entry.date:%Y}"
        by_year.setdefault(year, Row(key=year, label=year)).add(entry)
        month = f"{entry.date:%Y-%m}"
        by_month.setdefault(month, Row(key=month, label=_month_label(entry.date))).add(entry)
        by_type.setdefault(
            entry.activity_type,
            Row(
                key=entry.activity_type,
                label=str(type_labels.get(entry.activity_type, entry.activity_type)),
            ),
        ).add(entry)
        for node in entry.nodes.all():
            by_node.setdefault(
                node.pk, Row(key=str(node.identifier), label=str(node), node=node)
            ).add(entry)
            entries_per_node[node.pk] += 1
    competence_rows = sorted(
        by_node.values(),
        key=lambda r: (
            r.node.edition.framework.title if r.node else "",
            r.node.path if r.node else "",
        ),
    )
    tagged = [r.node for r in competence_rows if r.node is not None]
    return Summary(
        period_from=period_from,
        period_to=period_to,
        entries=len(rows),
        hours=total,
        by_year=sorted(by_year.values(), key=lambda r: r.key, reverse=True),
        by_month=sorted(by_month.values(), key=lambda r: r.key, reverse=True),
        by_type=sorted(by_type.values(), key=lambda r: (-r.hours, r.label)),
        by_competence=competence_rows,
        frameworks=framework_progress(tagged, entries_per_node),
        counts_towards=_counts_towards(tagged),
    )


def _month_label(day: datetime.date) -> str:
    from django.utils.formats import date_format

    return date_format(day, "F Y")


def framework_progress(
    tagged: list[Node], entries_per_node: dict[int, int]
) -> list[FrameworkProgress]:
    """For each edition the tagged items belong to: its outcomes (the items with no items
    below them), grouped by domain (their top-level item), each with its number of
    entries. One query for all the editions' items."""
    edition_ids = sorted({n.edition_id for n in tagged})
    if not edition_ids:
        return []
    editions = {n.edition_id: n.edition for n in tagged}
    nodes_by_edition: dict[int, list[Node]] = defaultdict(list)
    for node in Node.objects.filter(edition_id__in=edition_ids).order_by("edition_id", "path"):
        nodes_by_edition[node.edition_id].append(node)
    out = []
    for edition_id in edition_ids:
        nodes = nodes_by_edition[edition_id]
        by_id = {n.pk: n for n in nodes}
        parents = {n.parent_id for n in nodes if n.parent_id}
        domains: dict[int | None, DomainProgress] = {}
        for node in nodes:  # in tree order, so domains come in order
            if node.parent_id is None and node.pk in parents:
                domains[node.pk] = DomainProgress(
                    node=node, direct_entries=entries_per_node.get(node.pk, 0)
                )
            if node.pk in parents:
                continue
            top = _top(node, by_id)
            key = top.pk if top.pk != node.pk else None
            domain = domains.setdefault(key, DomainProgress(node=None))
            domain.outcomes.append(
                OutcomeProgress(node=node, entries=entries_per_node.get(node.pk, 0))
            )
        ordered = [d for k, d in domains.items() if k is not None] + (
            [domains[None]] if None in domains else []
        )
        out.append(FrameworkProgress(edition=editions[edition_id], domains=ordered))
    return sorted(out, key=lambda f: f.edition.framework.title)


def _top(node: Node, by_id: dict[int, Node]) -> Node:
    seen = 0
    while node.parent_id is not None and node.parent_id in by_id and seen < 50:
        node = by_id[node.parent_id]
        seen += 1
    return node


def _counts_towards(tagged: list[Node]) -> list[CountsTowardsRow]:
    if not tagged:
        return []
    mapped = counts_towards([n.pk for n in tagged])
    rows = []
    for node in tagged:
        towards = [
            c
            for c in mapped.get(node.pk, [])
            if c.node.edition.framework_id != node.edition.framework_id
        ]
        if towards:
            rows.append(
                CountsTowardsRow(
                    node=node,
                    towards=sorted(
                        towards, key=lambda c: (c.node.edition.framework.title, c.node.path)
                    ),
                )
            )
    return rows
