"""Reads for the learning needs audit: the competences of a PMS revision grouped by
domain, the gap analysis of a self-assessment round, progress between two rounds, who
may see which rounds, and what each competence counts towards through the map.

Every function here runs a constant number of queries whatever the size of the PMS:
the gap page for 80 competences costs what it costs for 10."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from waymark.frameworks.models import EditionStatus, Node
from waymark.frameworks.selectors import CountsTowards, counts_towards
from waymark.organisations.access import SELF
from waymark.organisations.models import Membership, Role, SupportKind, SupportRelationship
from waymark.profiles.models import Importance, Level, SpecCompetence, Specification

from .models import Rating, SelfAssessment

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.organisations.models import Organisation

# Who may see a person's self-assessment rounds, besides the person herself. Mentors and
# coaches are left out: a self-assessment is the manager's own working record, and she
# shares what she chooses with a mentor through her CPD record and plan instead. Only
# submitted rounds are shown to viewers; a round in progress is the manager's alone.
VIEWER_RELATIONS = frozenset({SupportKind.SUPERVISOR.value, Role.LD_LEAD.value, Role.ADMIN.value})
PAGE_RELATIONS = (SELF, *sorted(VIEWER_RELATIONS))

# A PMS with this many competences or fewer is rated on one page; a longer one gets one
# page per domain, each saved as the manager goes.
ONE_PAGE_LIMIT = 12


@lru_cache(maxsize=32)
def _level_words(language: str | None) -> dict[int, tuple[str, str]]:
    # Each level's label "Word: what it means" split in two, once per language.
    out = {}
    for level in Level:
        word, sep, rest = str(level.label).partition(":")
        out[int(level)] = (word.strip(), rest.strip() if sep else "")
    return out


def level_word(level: int | None) -> str:
    """The short word for a level ("Confident"), from its plain-words label."""
    if level is None:
        return _("Not rated")
    return _level_words(get_language())[level][0]


def level_description(level: int) -> str:
    """The plain-words description of a level ("I do this well and consistently …")."""
    return _level_words(get_language())[level][1]


# --- who sees what ------------------------------------------------------------------------


def may_see(assessment: SelfAssessment, relations: Iterable[str]) -> bool:
    """Whether a viewer with these relations to the manager may see this round: the
    manager always; her supervisor, L&D lead and admin once it is submitted."""
    rel = set(relations)
    if SELF in rel:
        return True
    return assessment.is_submitted and bool(rel & VIEWER_RELATIONS)


def rounds_for(
    *, organisation: Organisation, person: User, relations: Iterable[str]
) -> QuerySet[SelfAssessment]:
    """The rounds of `person` that a viewer with `relations` may see, newest first."""
    qs = SelfAssessment.objects.filter(organisation=organisation, manager=person)
    if SELF not in set(relations):
        qs = qs.filter(submitted_at__isnull=False)
    return qs.select_related("revision").order_by("-started_at", "-pk")


def assessments_visible_to(user: User) -> QuerySet[SelfAssessment]:
    """Every round `user` may see, in every organisation: the same rule as the pages
    (their own rounds; submitted rounds of people they supervise, or of anyone in an
    organisation where they are L&D lead or admin, while that person is a member)."""
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
    return SelfAssessment.objects.filter(
        Q(manager=user.pk)
        | (Q(submitted_at__isnull=False) & manager_is_member & (supervises | leads))
    )


def with_counts(qs: QuerySet[SelfAssessment]) -> QuerySet[SelfAssessment]:
    """Each round with `rated_count` (competences rated) and `competence_count` (in its
    PMS revision), as subqueries: no join of ratings with competences."""
    rated = (
        Rating.objects.filter(assessment=OuterRef("pk"), level__isnull=False)
        .order_by()
        .values("assessment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    competences = (
        SpecCompetence.objects.filter(revision=OuterRef("revision"))
        .order_by()
        .values("revision")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        rated_count=Coalesce(Subquery(rated, output_field=IntegerField()), 0),
        competence_count=Coalesce(Subquery(competences, output_field=IntegerField()), 0),
    )


# --- domains ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Domain:
    """The top-level node of a framework that a competence sits under (the competence
    itself when it is top-level, as in a flat framework)."""

    node: Node

    @property
    def pk(self) -> int:
        return int(self.node.pk)

    @property
    def code(self) -> str:
        return self.node.code

    @property
    def label(self) -> str:
        return str(self.node).strip()

    @property
    def framework_title(self) -> str:
        return self.node.edition.framework.title


@dataclass
class DomainGroup:
    """A domain and the revision's competences in it, in framework order."""

    domain: Domain
    competences: list[SpecCompetence]


# What the pages, the API and the PDF use of a node, its edition and framework: loading
# only these keeps an 80-competence PMS cheap (editions carry long texts and JSON).
_NODE_FIELDS = (
    "id", "edition_id", "parent_id", "identifier", "code", "title", "statement", "path", "depth",
    "edition__id", "edition__framework_id", "edition__status", "edition__title",
    "edition__short_title", "edition__version", "edition__is_current",
    "edition__framework__id", "edition__framework__slug", "edition__framework__title",
)  # fmt: skip
_COMPETENCE_FIELDS = (
    "id", "revision_id", "node_id", "expected_level", "importance",
    *(f"node__{f}" for f in _NODE_FIELDS),
)  # fmt: skip


def _root_path(path: str) -> str:
    head, sep, _rest = path.partition(".")
    return head + sep


def competences_by_domain(revision_id: int) -> list[DomainGroup]:
    """The competences of a PMS revision grouped by domain, both in framework order.
    Two queries."""
    competences = list(
        SpecCompetence.objects.filter(revision_id=revision_id)
        .select_related("node__edition__framework")
        .only(*_COMPETENCE_FIELDS)
        .order_by("node__edition_id", "node__path", "node_id")
    )
    wanted = {(c.node.edition_id, _root_path(c.node.path)) for c in competences}
    known = {(c.node.edition_id, c.node.path): c.node for c in competences}
    missing = {k for k in wanted if k not in known}
    roots: dict[tuple[int, str], Node] = {}
    if missing:
        for node in (
            Node.objects.filter(
                edition_id__in={e for e, _p in missing}, path__in={p for _e, p in missing}
            )
            .select_related("edition__framework")
            .only(*_NODE_FIELDS)
        ):
            roots[(node.edition_id, node.path)] = node
    groups: dict[int, DomainGroup] = {}
    for c in competences:
        key = (c.node.edition_id, _root_path(c.node.path))
        root = roots.get(key) or known.get(key) or c.node
        group = groups.get(root.pk)
        if group is None:
            group = groups[root.pk] = DomainGroup(domain=Domain(root), competences=[])
        group.competences.append(c)
    return list(groups.values())


def rating_pages(groups: list[DomainGroup]) -> list[list[DomainGroup]]:
    """How the rating form is split: a short PMS on one page, a long one a domain a page."""
    if not groups:
        return []
    if sum(len(g.competences) for g in groups) <= ONE_PAGE_LIMIT:
        return [groups]
    return [[g] for g in groups]


# --- counts towards -----------------------------------------------------------------------


def counts_towards_elsewhere(nodes: Iterable[Node]) -> dict[int, list[CountsTowards]]:
    """For each node, the nodes of *other* frameworks it is mapped to (draft editions
    left out), through `frameworks.selectors.counts_towards`: two queries in all. The
    nodes given must have `edition` loaded."""
    by_id = {n.pk: n for n in nodes}
    found = counts_towards(set(by_id))
    out: dict[int, list[CountsTowards]] = {}
    for node_id, items in found.items():
        own = by_id[node_id].edition.framework_id
        out[node_id] = sorted(
            (
                c
                for c in items
                if c.node.edition.framework_id != own
                and c.node.edition.status != EditionStatus.DRAFT
            ),
            key=lambda c: (c.node.edition.framework.title, c.node.path),
        )
    return out


# --- gap analysis -------------------------------------------------------------------------


@dataclass
class GapRow:
    """One competence: expected level, self-rating, gap and priority (gap times importance)."""

    node: Node
    domain: Domain
    expected: int
    self_level: int | None
    importance: int
    evidence: str = ""
    order: int = 0  # framework order, for ties

    @property
    def rated(self) -> bool:
        return self.self_level is not None

    @property
    def gap(self) -> int | None:
        if self.self_level is None:
            return None
        return max(self.expected - self.self_level, 0)

    @property
    def priority(self) -> int:
        return (self.gap or 0) * self.importance

    @property
    def above_expected(self) -> int:
        """Levels above what the role expects (a strength), 0 otherwise."""
        if self.self_level is None:
            return 0
        return max(self.self_level - self.expected, 0)

    @property
    def expected_word(self) -> str:
        return level_word(self.expected)

    @property
    def self_word(self) -> str:
        return level_word(self.self_level)

    @property
    def importance_word(self) -> str:
        return str(Importance(self.importance).label)


@dataclass
class DomainSummary:
    domain: Domain
    rows: list[GapRow]  # in framework order
    order: int = 0

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def rated(self) -> int:
        return sum(1 for r in self.rows if r.rated)

    @property
    def mean_expected(self) -> float:
        return sum(r.expected for r in self.rows) / len(self.rows)

    @property
    def mean_self(self) -> float | None:
        rated = [r.self_level for r in self.rows if r.self_level is not None]
        return sum(rated) / len(rated) if rated else None

    @property
    def total_priority(self) -> int:
        return sum(r.priority for r in self.rows)

    @property
    def total_gap(self) -> int:
        return sum(r.gap or 0 for r in self.rows)


@dataclass
class GapAnalysis:
    assessment: SelfAssessment
    rows: list[GapRow]  # ranked: highest priority first
    domains: list[DomainSummary]  # in framework order

    @cached_property
    def domains_by_priority(self) -> list[DomainSummary]:
        return sorted(self.domains, key=lambda d: (-d.total_priority, -d.total_gap, d.order))

    @cached_property
    def gaps(self) -> list[GapRow]:
        """Competences rated below the level expected, highest priority first."""
        return [r for r in self.rows if r.gap]

    @property
    def total(self) -> int:
        return len(self.rows)

    @cached_property
    def rated(self) -> int:
        return sum(1 for r in self.rows if r.rated)

    @property
    def is_complete(self) -> bool:
        return self.rated == self.total

    def row_for(self, node_id: int) -> GapRow | None:
        return next((r for r in self.rows if r.node.pk == node_id), None)

    def nodes(self) -> list[Node]:
        """Every competence and every domain node, for `counts_towards_elsewhere`."""
        out = {r.node.pk: r.node for r in self.rows}
        out.update({d.domain.pk: d.domain.node for d in self.domains})
        return list(out.values())


def _rank(row: GapRow) -> tuple[int, int, int, int, int]:
    # Highest priority first; then the bigger gap, the more important, unrated last,
    # and framework order.
    return (-row.priority, -(row.gap or 0), -row.importance, 0 if row.rated else 1, row.order)


def gap_analysis(assessment: SelfAssessment) -> GapAnalysis:
    """Expected level against self-rating for every competence of the round's PMS
    revision and for each domain, ranked by gap times importance. Three queries.

    gap = max(expected - self, 0) (being above the expected level is no gap);
    priority = gap * importance; a domain's figures are the mean expected level, the
    mean self-rating (of the competences rated) and the sum of its priorities. Unrated
    competences (a round still in progress) have no gap and rank last."""
    groups = competences_by_domain(assessment.revision_id)
    ratings = {
        r.node_id: r
        for r in Rating.objects.filter(assessment=assessment).only(
            "id", "assessment_id", "node_id", "level", "evidence"
        )
    }
    rows: list[GapRow] = []
    domains: list[DomainSummary] = []
    order = 0
    for d_index, group in enumerate(groups):
        summary = DomainSummary(domain=group.domain, rows=[], order=d_index)
        for c in group.competences:
            rating = ratings.get(c.node_id)
            row = GapRow(
                node=c.node,
                domain=group.domain,
                expected=c.expected_level,
                self_level=rating.level if rating else None,
                importance=c.importance,
                evidence=rating.evidence if rating else "",
                order=order,
            )
            order += 1
            summary.rows.append(row)
            rows.append(row)
        domains.append(summary)
    rows.sort(key=_rank)
    return GapAnalysis(assessment=assessment, rows=rows, domains=domains)


# --- progress between rounds --------------------------------------------------------------

UP, DOWN, SAME, NEW, GONE, UNRATED = "up", "down", "same", "new", "gone", "unrated"


def _direction(
    before: float | None, after: float | None, *, present_before: bool, present_after: bool
) -> str:
    if not present_before:
        return NEW
    if not present_after:
        return GONE
    if before is None or after is None:
        return UNRATED
    if after > before:
        return UP
    if after < before:
        return DOWN
    return SAME


def describe_change(direction: str, change: float | None, *, mean: bool = False) -> str:
    """The change in words, so that it never rests on colour or an arrow alone."""
    if direction == NEW:
        return _("New in this round")
    if direction == GONE:
        return _("Not in this round")
    if direction == UNRATED:
        return _("Not rated in one of the rounds")
    if direction == SAME or change is None:
        return _("No change")
    size = abs(change)
    if mean:
        amount = f"{size:.2f}".rstrip("0").rstrip(".")
        if direction == UP:
            return _("Up %(amount)s on average") % {"amount": amount}
        return _("Down %(amount)s on average") % {"amount": amount}
    levels = int(size)
    if direction == UP:
        return ngettext("Up %(count)d level", "Up %(count)d levels", levels) % {"count": levels}
    return ngettext("Down %(count)d level", "Down %(count)d levels", levels) % {"count": levels}


@dataclass
class CompetenceChange:
    node: Node
    domain: Domain
    before: int | None
    after: int | None
    direction: str

    @property
    def change(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def words(self) -> str:
        return describe_change(self.direction, self.change)


@dataclass
class DomainChange:
    domain: Domain
    before: float | None  # mean self-rating
    after: float | None
    direction: str

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def words(self) -> str:
        return describe_change(self.direction, self.change, mean=True)


@dataclass
class Progress:
    previous: GapAnalysis
    current: GapAnalysis
    competences: list[CompetenceChange] = field(default_factory=list)  # current's rank order
    domains: list[DomainChange] = field(default_factory=list)  # current's framework order

    def for_node(self, node_id: int) -> CompetenceChange | None:
        return self._by_node.get(node_id)

    def for_domain(self, node_id: int) -> DomainChange | None:
        return self._by_domain.get(node_id)

    def count(self, direction: str) -> int:
        return sum(1 for c in self.competences if c.direction == direction)

    @property
    def count_up(self) -> int:
        return self.count(UP)

    @property
    def count_down(self) -> int:
        return self.count(DOWN)

    @property
    def count_same(self) -> int:
        return self.count(SAME)

    @property
    def count_new(self) -> int:
        return self.count(NEW)

    def __post_init__(self) -> None:
        self._by_node = {c.node.pk: c for c in self.competences}
        self._by_domain = {d.domain.pk: d for d in self.domains}


def progress(previous: GapAnalysis, current: GapAnalysis) -> Progress:
    """How the self-ratings moved from one round to the next, per competence and per
    domain (mean self-rating). Competences and domains are matched by node; one that is
    only in one round is "new" or "gone". No queries: pass two `gap_analysis` results."""
    before_rows = {r.node.pk: r for r in previous.rows}
    after_ids = {r.node.pk for r in current.rows}
    competences = [
        CompetenceChange(
            node=r.node,
            domain=r.domain,
            before=before_rows[r.node.pk].self_level if r.node.pk in before_rows else None,
            after=r.self_level,
            direction=_direction(
                before_rows[r.node.pk].self_level if r.node.pk in before_rows else None,
                r.self_level,
                present_before=r.node.pk in before_rows,
                present_after=True,
            ),
        )
        for r in current.rows
    ]
    competences += [
        CompetenceChange(
            node=r.node, domain=r.domain, before=r.self_level, after=None, direction=GONE
        )
        for r in previous.rows
        if r.node.pk not in after_ids
    ]
    before_domains = {d.domain.pk: d for d in previous.domains}
    domains = []
    for d in current.domains:
        prev = before_domains.get(d.domain.pk)
        domains.append(
            DomainChange(
                domain=d.domain,
                before=prev.mean_self if prev else None,
                after=d.mean_self,
                direction=_direction(
                    prev.mean_self if prev else None,
                    d.mean_self,
                    present_before=prev is not None,
                    present_after=True,
                ),
            )
        )
    return Progress(previous=previous, current=current, competences=competences, domains=domains)


def previous_round(assessment: SelfAssessment) -> SelfAssessment | None:
    """The submitted round before this one, if any (one query)."""
    return (
        SelfAssessment.objects.filter(
            organisation_id=assessment.organisation_id,
            manager_id=assessment.manager_id,
            submitted_at__isnull=False,
            started_at__lt=assessment.started_at,
        )
        .exclude(pk=assessment.pk)
        .select_related("revision")
        .order_by("-started_at", "-pk")
        .first()
    )


# --- a person's rounds at a glance -------------------------------------------------------


@dataclass
class Overview:
    """What the dashboard card and the person section need: whether there is a PMS to
    rate against, the round in progress (with how much is rated) and the latest
    submitted round."""

    has_pms: bool
    open_round: SelfAssessment | None
    latest: SelfAssessment | None

    @property
    def open_rated(self) -> int:
        return int(getattr(self.open_round, "rated_count", 0) or 0)

    @property
    def open_total(self) -> int:
        return int(getattr(self.open_round, "competence_count", 0) or 0)


def overview(
    *, organisation: Organisation | Any, person: User | Any, include_open: bool = True
) -> Overview:
    """Two queries."""
    has_pms = Specification.objects.filter(
        organisation=organisation, manager=person, current__isnull=False
    ).exists()
    qs = SelfAssessment.objects.filter(organisation=organisation, manager=person)
    if not include_open:
        qs = qs.filter(submitted_at__isnull=False)
    # The round in progress, if any, is the newest: no round can start while one is open.
    recent = list(with_counts(qs).select_related("revision").order_by("-started_at", "-pk")[:2])
    open_round = next((a for a in recent if not a.is_submitted), None)
    latest = next((a for a in recent if a.is_submitted), None)
    return Overview(has_pms=has_pms, open_round=open_round, latest=latest)
