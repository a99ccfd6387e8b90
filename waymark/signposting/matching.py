"""Matching learning needs to the catalogue, with reasons in plain words.

A need is a framework node with a gap (expected level minus self-rating) and an
importance. The matcher finds the resources the organisation may see that address the
needs — directly, through the framework tree, or through the map of competences — and
ranks them by how well they cover the needs (weighted by gap times importance), by the ways
of learning managers say work (seeds 001 and 003), and by the manager's own preferences
and limits. Every factor that moves a resource leaves a reason in plain words.

docs/signposting.md describes the rules and weights; bench/signposting_quality.py and
bench/signposting_speed.py measure them.

Cost: needs_for_person 5 queries, needs_for_organisation 4, match 5 plus 1 for each
chunk of candidates scored (7 on a 50,000-resource catalogue; 1 more with free text),
whatever the size of the catalogue; qualification_fit 5."""

from __future__ import annotations

import heapq
import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from waymark.frameworks.models import Association, AssociationType, Node
from waymark.organisations.models import Region
from waymark.profiles.models import ManagerLevel

from .models import (
    Coverage,
    DeliveryMode,
    LearningPreference,
    Qualification,
    QualificationUnit,
    Resource,
    ResourceNode,
    ResourceType,
)
from .search import CatalogueFilters, filtered_resources, text_ranks
from .selectors import visible_qualifications

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.organisations.models import Organisation


# --- needs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Need:
    """A framework node someone needs to develop in."""

    node: Node
    gap: int  # expected level minus self-rating, ≥ 1 (1 for chosen nodes)
    importance: int  # 1-3
    label: str  # "MM3.04 Lead change …"
    chosen: bool = False  # picked by hand rather than found in a gap analysis
    managers: int = 0  # for an organisation's needs: how many managers have this gap

    @property
    def weight(self) -> float:
        return float(self.gap * self.importance)


_NODE_RELATED = ("edition__framework",)
# What the matcher uses of a node, its edition and framework: loading only these keeps
# the long texts and JSON of editions out of every match.
_NODE_FIELDS = (
    "id", "edition_id", "parent_id", "code", "title", "statement", "path", "depth",
    "edition__id", "edition__framework_id", "edition__status", "edition__is_current",
    "edition__framework__id", "edition__framework__slug", "edition__framework__title",
)  # fmt: skip


def needs_for_person(*, person: User, organisation: Organisation) -> list[Need]:
    """The gaps of the person's latest completed self-assessment in the organisation,
    highest priority first; [] if there is none."""
    from waymark.assessment.models import SelfAssessment
    from waymark.assessment.selectors import gap_analysis

    latest = (
        SelfAssessment.objects.filter(
            organisation=organisation, manager=person, submitted_at__isnull=False
        )
        .order_by("-submitted_at", "-pk")
        .first()
    )
    if latest is None:
        return []
    return [
        Need(node=r.node, gap=int(r.gap or 0), importance=r.importance, label=_label(r.node))
        for r in gap_analysis(latest).gaps
    ]


def needs_for_organisation(*, organisation: Organisation) -> list[Need]:
    """The gaps of the organisation's managers, from each one's latest completed round:
    one need per node where at least one manager has a gap; its gap is the mean of their
    gaps rounded up, its importance the highest they were given, `managers` how many
    have it. Largest first (gap times importance times managers). Four queries in all."""
    from waymark.assessment.models import Rating, SelfAssessment
    from waymark.organisations.models import Membership, Role
    from waymark.profiles.models import SpecCompetence

    managers = Membership.objects.filter(organisation=organisation, role=Role.MANAGER).values(
        "user_id"
    )
    latest: dict[int, tuple[int, int]] = {}  # manager → (assessment, revision)
    for a_id, manager_id, revision_id in (
        SelfAssessment.objects.filter(
            organisation=organisation, submitted_at__isnull=False, manager_id__in=managers
        )
        .order_by("manager_id", "-submitted_at", "-pk")
        .values_list("pk", "manager_id", "revision_id")
    ):
        latest.setdefault(manager_id, (a_id, revision_id))
    if not latest:
        return []
    expected: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)  # rev → node → (exp, imp)
    for rev, node_id, exp, imp in SpecCompetence.objects.filter(
        revision_id__in={r for _a, r in latest.values()}
    ).values_list("revision_id", "node_id", "expected_level", "importance"):
        expected[rev][node_id] = (exp, imp)
    revision_of = {a: r for a, r in latest.values()}
    gaps: dict[int, list[int]] = defaultdict(list)
    importance: dict[int, int] = defaultdict(int)
    for a_id, node_id, level in Rating.objects.filter(
        assessment_id__in=revision_of, level__isnull=False
    ).values_list("assessment_id", "node_id", "level"):
        spec = expected[revision_of[a_id]].get(node_id)
        if spec is None:
            continue
        gap = spec[0] - int(level or 0)
        if gap > 0:
            gaps[node_id].append(gap)
            importance[node_id] = max(importance[node_id], spec[1])
    nodes = Node.objects.select_related(*_NODE_RELATED).in_bulk(list(gaps))
    needs = [
        Need(
            node=nodes[node_id],
            gap=math.ceil(sum(g) / len(g)),
            importance=importance[node_id],
            label=_label(nodes[node_id]),
            managers=len(g),
        )
        for node_id, g in gaps.items()
        if node_id in nodes
    ]
    needs.sort(key=lambda n: (-n.weight * n.managers, n.node.edition_id, n.node.path))
    return needs


def needs_from_nodes(nodes: Iterable[Node]) -> list[Need]:
    """Needs for nodes picked by hand: each with gap 1 and importance 2."""
    return [Need(node=n, gap=1, importance=2, label=_label(n), chosen=True) for n in nodes if n.pk]


def _label(node: Node, width: int = 70) -> str:
    """The node's code and short title, cut at a word for long statements."""
    title = node.display_title
    if len(title) > width:
        title = title[:width].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return f"{node.code} {title}".strip()


# --- ranking -----------------------------------------------------------------------------

# How much each route from a need to a resource's tag counts.
DIRECT = 1.0
ANCESTOR = 0.6  # the resource addresses the whole domain the need sits in
DESCENDANT = 0.7  # the resource addresses a part of the (domain-level) need
MAPPED = {  # through the map of competences, by kind read from the need's side
    AssociationType.EXACT_MATCH.value: 0.85,
    "broader": 0.6,  # the need's node is part of the mapped node
    "narrower": 0.6,  # the mapped node is part of the need's node
    AssociationType.IS_RELATED_TO.value: 0.45,
}
MAPPED_FROM_ANCESTOR = 0.6  # a mapping of the need's domain, not of the need itself
UNCONFIRMED = 0.8  # a mapping not yet confirmed by an editor
MAIN, PART = Coverage.MAIN.value, Coverage.PART.value
COVERAGE_FACTOR = {Coverage.MAIN.value: 1.0, Coverage.PART.value: 0.5}

# What managers said works (seeds 001 and 003): learning with peers face to face or
# blended, coaching, mentoring and action learning first; online with others next;
# reading; self-directed e-learning on its own last.
MODE_WEIGHT = {
    DeliveryMode.FACE_TO_FACE.value: 1.0,
    DeliveryMode.BLENDED.value: 1.0,
    DeliveryMode.ONLINE_GROUP.value: 0.85,
    DeliveryMode.READING.value: 0.75,
    DeliveryMode.SELF_DIRECTED.value: 0.6,
}
PEER_TYPES = {ResourceType.ACTION_LEARNING.value, ResourceType.MENTORING.value}
PEER_TYPE_WEIGHT = 1.05
FUNDING_WEIGHT = 0.6  # money towards learning, not learning itself

PREFERRED = 1.35  # first preferred mode; each later one 0.05 less
AVOIDED = 0.35
OVER_BUDGET = 0.35
OVER_HOURS = 0.45
OUT_OF_REGION = 0.4
IN_REGION = 1.05
LEVEL_FIT = 1.1
LEVEL_MISFIT = 0.7
SCQF_MISFIT = 0.85
HISTORICAL = 0.9
COST_UNKNOWN = 0.97
TEXT_WEIGHT = 0.5  # a perfect text match adds half of a perfect coverage
FOCUS_FLOOR = 0.75  # a resource wholly about the needs keeps 1.0; one mostly about others 0.75

# SCQF levels that usually fit each manager level (seed 004's SVQ and award levels).
SCQF_FIT = {
    ManagerLevel.ASPIRING.value: range(6, 9),
    ManagerLevel.FIRST_LINE.value: range(7, 10),
    ManagerLevel.MIDDLE.value: range(8, 12),
    ManagerLevel.SENIOR.value: range(10, 13),
}


@dataclass(frozen=True)
class Covered:
    """A need that a resource (or a qualification unit) covers, how well, and through
    which node when the coverage is not direct."""

    need: Need
    coverage: str  # "main" | "part"
    via: Node | None = None  # the resource's tag, when it is not the need's own node
    route: str = "direct"  # direct | ancestor | descendant | mapped
    kind: str = ""  # for mapped: the mapping kind in words
    strength: float = 1.0


@dataclass
class Reason:
    text: str


@dataclass
class Match:
    resource: Resource
    score: float
    reasons: list[str] = field(default_factory=list)
    covered: list[Covered] = field(default_factory=list)


@dataclass(frozen=True)
class _Route:
    need_index: int
    route: str
    strength: float
    kind: str = ""


def _targets(needs: Sequence[Need]) -> tuple[dict[int, list[_Route]], dict[int, Node]]:
    """Every node whose tag counts towards a need, with how: the need's own node, its
    ancestors, its descendants (for a need at domain level), and the nodes mapped to
    the node or its ancestors. Three queries."""
    routes: dict[int, list[_Route]] = defaultdict(list)
    nodes: dict[int, Node] = {}
    ancestors_of: dict[int, list[int]] = {}  # need index → ancestor node ids
    prefixes: set[tuple[int, str]] = set()
    for i, need in enumerate(needs):
        n = need.node
        routes[n.pk].append(_Route(i, "direct", DIRECT))
        nodes[n.pk] = n
        parts = n.path.split(".")[:-1]
        for k in range(1, len(parts)):
            prefixes.add((n.edition_id, ".".join(parts[:k]) + "."))
    by_path: dict[tuple[int, str], Node] = {}
    query = Q()
    for edition_id, path in prefixes:
        query |= Q(edition_id=edition_id, path=path)
    shallow = [need for need in needs if need.node.depth == 0]
    for need in shallow:
        query |= Q(edition_id=need.node.edition_id, path__startswith=need.node.path)
    if query:
        for node in Node.objects.filter(query).select_related(*_NODE_RELATED).only(*_NODE_FIELDS):
            by_path[(node.edition_id, node.path)] = node
    for i, need in enumerate(needs):
        n = need.node
        ancestors_of[i] = []
        parts = n.path.split(".")[:-1]
        for k in range(1, len(parts)):
            anc = by_path.get((n.edition_id, ".".join(parts[:k]) + "."))
            if anc is not None:
                routes[anc.pk].append(_Route(i, "ancestor", ANCESTOR))
                nodes[anc.pk] = anc
                ancestors_of[i].append(anc.pk)
        if n.depth == 0:
            for (edition_id, path), d in by_path.items():
                if edition_id == n.edition_id and path.startswith(n.path) and d.pk != n.pk:
                    routes[d.pk].append(_Route(i, "descendant", DESCENDANT))
                    nodes[d.pk] = d
    # The map: associations either way between a need's node (or its ancestors) and a
    # node of another framework.
    sources: dict[int, list[tuple[int, float]]] = defaultdict(list)  # node → (need, factor)
    for i, need in enumerate(needs):
        sources[need.node.pk].append((i, 1.0))
        for a_id in ancestors_of[i]:
            sources[a_id].append((i, MAPPED_FROM_ANCESTOR))
    mapping_types = [
        AssociationType.EXACT_MATCH,
        AssociationType.IS_PART_OF,
        AssociationType.IS_RELATED_TO,
    ]
    ids = list(sources)
    for a in (
        Association.objects.filter(association_type__in=mapping_types)
        .filter(
            Q(origin_id__in=ids, destination__isnull=False)
            | Q(destination_id__in=ids, origin__isnull=False)
        )
        .select_related("origin__edition__framework", "destination__edition__framework")
        .only(
            "id",
            "association_type",
            "origin_id",
            "destination_id",
            "confirmed",
            *(f"origin__{f}" for f in _NODE_FIELDS),
            *(f"destination__{f}" for f in _NODE_FIELDS),
        )
    ):
        assert a.origin is not None and a.destination is not None
        for source, far in ((a.origin, a.destination), (a.destination, a.origin)):
            if source.pk not in sources or far.edition.framework_id == source.edition.framework_id:
                continue
            if a.association_type == AssociationType.IS_PART_OF:
                key = "broader" if source.pk == a.origin_id else "narrower"
            else:
                key = a.association_type
            strength = MAPPED[key] * (1.0 if a.confirmed else UNCONFIRMED)
            kind = a.kind_from(source)
            for i, factor in sources[source.pk]:
                routes[far.pk].append(_Route(i, "mapped", strength * factor, kind))
                nodes[far.pk] = far
    return routes, nodes


_RESOURCE_FIELDS = (
    "id",
    "resource_type",
    "delivery_mode",
    "cost_from",
    "cost_to",
    "hours",
    "scqf_level",
    "manager_levels",
    "regions",
    "historical",
    "historical_as_of",
    "organisation_id",
)
# Candidates are scored in chunks, best coverage first, until no later one can beat the
# last of the top `limit` (see `match`): the first chunk small, each next one twice as big.
FIRST_CHUNK = 200
REFINE = 1000  # candidates whose bound is refined with their way of learning


_FUNDING_WORDS = re.compile(
    r"\b(fund|funds|funding|funded|grant|grants|bursar(y|ies)|pay for)\b", re.I
)


def asks_about_funding(text: str) -> bool:
    """Whether free text asks about money for learning: then funding sources are not
    moved down for being money rather than learning."""
    return bool(text) and _FUNDING_WORDS.search(text) is not None


def _max_factor(*, regional: bool, levelled: bool) -> float:
    """The most the multipliers other than the way of learning can raise a resource
    (region and level, when they are known): with each candidate's way-of-learning
    multiplier, the bound that lets `match` stop early."""
    most = 1.0
    if regional:
        most *= IN_REGION
    if levelled:
        most *= LEVEL_FIT
    return most


def _ways(
    ids: list[int], preferred: list[str], avoided: list[str], funding: bool
) -> dict[int, float]:
    """Each resource's way-of-learning multiplier, from its mode and type (one query by
    primary key; visibility is checked later, when candidates are loaded)."""
    if not ids:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    out: dict[int, float] = {}
    cache: dict[tuple[str, str], float] = {}
    with connection.cursor() as cur:
        cur.execute(_WAYS_SQL.format(marks=marks), list(ids))
        for rid, mode, rtype in cur.fetchall():
            key = (mode, rtype)
            if key not in cache:
                cache[key] = _way_factor(mode, rtype, preferred, avoided, funding)
            out[int(rid)] = cache[key]
    return out


_WAYS_SQL = (
    "SELECT id, delivery_mode, resource_type FROM signposting_resource WHERE id IN ({marks})"
)


def match(
    *,
    needs: Sequence[Need],
    text: str = "",
    organisation: Organisation | None,
    preference: LearningPreference | None = None,
    manager_level: str | None = None,
    region: str | None = None,
    filters: CatalogueFilters | None = None,
    limit: int = 10,
) -> list[Match]:
    """The resources the organisation may see that best meet the needs (and the free
    text, when given), best first, each with its reasons. `region` defaults to the
    organisation's region; `preference` is the manager's LearningPreference.

    score = (coverage + text) * focus * the multipliers of `_factor`, where coverage is
    the sum over the needs met of gap * importance * route strength * main/part, divided
    by the sum of gap * importance over all needs; text is the search rank of the free
    text scaled to the best one (* TEXT_WEIGHT when there are needs too).

    How it stays fast on a large catalogue: one query reads the tags of the target
    nodes from the covering ResourceNode index and gives every candidate an upper bound
    of its coverage; candidates are then scored exactly in chunks, best bound first, and
    scoring stops as soon as no remaining candidate, even with every multiplier in its
    favour, could enter the top `limit` (docs/signposting.md)."""
    if limit < 1 or (not needs and not (text or "").strip()):
        return []
    if region is None and organisation is not None:
        region = organisation.region or None
    routes, target_nodes = _targets(needs) if needs else ({}, {})
    weights = [n.weight for n in needs]
    total_weight = sum(weights) or 1.0
    tag_rows = _tag_rows(routes, organisation, filters) if routes else []
    upper = _coverage_bounds(tag_rows, routes, needs) if routes else {}
    texts = text_ranks(text, organisation=organisation, filters=filters) if text else {}
    top_text = max(texts.values(), default=0.0) or 1.0
    text_weight = TEXT_WEIGHT if needs else 1.0
    bound: dict[int, float] = {rid: c / total_weight for rid, c in upper.items()}
    for rid, rank in texts.items():
        bound[rid] = bound.get(rid, 0.0) + text_weight * rank / top_text
    funding = asks_about_funding(text)
    preferred = list(preference.preferred_modes) if preference else []
    avoided = list(preference.avoid_modes) if preference else []
    # Candidates are taken in batches of the best REFINE bounds; each batch's bounds
    # are refined with each one's way-of-learning multiplier (one light query by
    # primary key) and the batch is scored in that order. A candidate not yet refined
    # may have any multiplier up to the ceiling, which `tail_top` accounts for.
    ceiling = _way_factor_ceiling(preferred)
    refined: dict[int, float] = {}
    order: list[int] = []
    unrefined: list[int] = heapq.nlargest(REFINE, bound, key=bound.__getitem__)
    sorted_rest = len(unrefined) == len(bound)

    def refine_next() -> float:
        """Refine the next batch onto `order`; return the highest bound left after it."""
        nonlocal unrefined, sorted_rest
        if not unrefined:
            return 0.0
        batch, unrefined = unrefined[:REFINE], unrefined[REFINE:]
        ways = _ways(batch, preferred, avoided, funding)
        for rid in batch:
            refined[rid] = bound[rid] * ways.get(rid, ceiling)
        order.extend(sorted(batch, key=lambda rid: (-refined[rid], rid)))
        if not unrefined and not sorted_rest:
            taken = set(refined)
            unrefined = sorted(
                (rid for rid in bound if rid not in taken), key=bound.__getitem__, reverse=True
            )
            sorted_rest = True
        return bound[unrefined[0]] * ceiling if unrefined else 0.0

    tail_top = refine_next()
    most = _max_factor(
        regional=bool(region or (preference and preference.regions)),
        levelled=bool(manager_level),
    )
    scope = filtered_resources(organisation, filters)

    best: list[tuple[float, int]] = []  # (score, id), kept sorted best first, len <= limit
    rows: dict[int, dict[str, Any]] = {}
    bests: dict[int, dict[int, tuple[float, int, str, _Route]]] = {}
    start, size = 0, max(FIRST_CHUNK, limit)
    while True:
        if start >= len(order):
            if not unrefined:
                break
            tail_top = refine_next()
        ahead = max(refined[order[start]], tail_top)
        if len(best) >= limit and ahead * most < best[-1][0]:
            break
        chunk = order[start : start + size]
        start, size = start + len(chunk), size * 2
        loaded = _load_rows(scope, chunk)
        chunk_tags: dict[int, list[tuple[int, str]]] = defaultdict(list)
        if routes:
            wanted = set(loaded)
            for node_id, rid, is_main in tag_rows:
                if rid in wanted:
                    chunk_tags[rid].append((node_id, MAIN if is_main else PART))
        for rid in chunk:
            row = loaded.get(rid)
            if row is None:  # not visible to this organisation, or filtered out
                continue
            found = _best_routes(chunk_tags.get(rid, []), routes)
            relevance = 0.0
            if found:
                # Focus: the share of its tags that meet the needs.
                met = len({b[1] for b in found.values()})
                focus = FOCUS_FLOOR + (1 - FOCUS_FLOOR) * min(met / max(row["n_tags"], 1), 1.0)
                relevance = sum(weights[i] * b[0] for i, b in found.items()) / total_weight
                relevance *= focus
            if rid in texts:
                relevance += text_weight * texts[rid] / top_text
            score = relevance * _factor(
                row, preference, manager_level, region, reasons=None, wants_funding=funding
            )
            # Ties go to the lower id, whatever order the candidates come in.
            if len(best) < limit or (-score, rid) < (-best[-1][0], best[-1][1]):
                best.append((score, rid))
                best.sort(key=lambda s: (-s[0], s[1]))
                del best[limit:]
                rows[rid] = row
                bests[rid] = found

    ids = [rid for _score, rid in best]
    resources = Resource.objects.select_related("provider").in_bulk(ids)
    biggest = max(needs, key=lambda n: n.weight * max(n.managers, 1)) if needs else None
    out = []
    for score, rid in best:
        covered = _covered(bests[rid], target_nodes, needs)
        reasons = _coverage_reasons(covered, biggest)
        if rid in texts and not covered:
            reasons.append(_("Matches the words you searched for"))
        _factor(
            rows[rid], preference, manager_level, region, reasons=reasons, wants_funding=funding
        )
        out.append(
            Match(resource=resources[rid], score=round(score, 4), reasons=reasons, covered=covered)
        )
    return out


def _tag_rows(
    routes: dict[int, list[_Route]],
    organisation: Organisation | None,
    filters: CatalogueFilters | None,
) -> list[tuple[int, int, int]]:
    """(node, resource, 1 if main else 0) of every tag on a target node, read from the
    covering index (node, resource, coverage) in one query. Entries of other organisations and
    drafts are left in (they drop out when candidates are loaded); filters, when given,
    are applied here so that they do not waste chunks."""
    marks = ", ".join(["%s"] * len(routes))
    params: list[Any] = [int(n) for n in routes]
    query = _TAGS_SQL.format(marks=marks)
    if filters is not None and not filters.is_empty:
        sql, scope_params = (
            filtered_resources(organisation, filters)
            .order_by()
            .values("pk")
            .query.sql_with_params()
        )
        query += _TAGS_SCOPE_SQL.format(scope=sql)
        params += list(scope_params)
    with connection.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchall()


# Read from the covering index alone: joining the resources for their mode here costs
# five times as much as scoring the few hundred candidates that need it later.
_TAGS_SQL = (
    "SELECT node_id, resource_id, CASE WHEN coverage = 'main' THEN 1 ELSE 0 END"
    " FROM signposting_resourcenode WHERE node_id IN ({marks})"
)
_TAGS_SCOPE_SQL = " AND resource_id IN ({scope})"


def _coverage_bounds(
    rows: list[tuple[int, int, int]],
    routes: dict[int, list[_Route]],
    needs: Sequence[Need],
) -> dict[int, float]:
    """Resource id → an upper bound of its coverage sum: each tag counts the best route
    to every need its node serves, summed over the tags (the exact sum takes only each
    need's best tag). Plain Python over the rows: faster than an SQL aggregate here."""
    node_weight: dict[int, float] = {}
    for node_id, node_routes in routes.items():
        per_need: dict[int, float] = {}
        for r in node_routes:
            w = needs[r.need_index].weight * r.strength
            if w > per_need.get(r.need_index, 0.0):
                per_need[r.need_index] = w
        node_weight[node_id] = sum(per_need.values())
    main = COVERAGE_FACTOR[Coverage.MAIN.value]
    part = COVERAGE_FACTOR[Coverage.PART.value]
    acc: dict[int, float] = {}
    get = acc.get
    for node_id, rid, is_main in rows:
        acc[rid] = get(rid, 0.0) + node_weight[node_id] * (main if is_main else part)
    return acc


def _load_rows(scope: QuerySet[Resource], ids: list[int]) -> dict[int, dict[str, Any]]:
    """What scoring needs of each resource in `ids` that is in scope, with how many
    nodes it is tagged to in all (`n_tags`). One query, run as plain SQL: the ORM's
    per-row conversions cost more than scoring a thousand candidates."""
    n_tags = (
        ResourceNode.objects.filter(resource=OuterRef("pk"))
        .order_by()
        .values("resource")
        .annotate(n=Count("pk"))
        .values("n")
    )
    sql, params = (
        scope.filter(pk__in=ids)
        .order_by()
        .annotate(n_tags=Subquery(n_tags, output_field=IntegerField()))
        .values_list(*_RESOURCE_FIELDS, "n_tags")
        .query.sql_with_params()
    )
    out: dict[int, dict[str, Any]] = {}
    with connection.cursor() as cur:
        cur.execute(sql, params)
        for values in cur.fetchall():
            row = dict(zip((*_RESOURCE_FIELDS, "n_tags"), values, strict=True))
            row["manager_levels"] = _json_list(row["manager_levels"])
            row["regions"] = _json_list(row["regions"])
            row["n_tags"] = int(row["n_tags"] or 0)
            out[int(row["id"])] = row
    return out


def _json_list(value: Any) -> list[Any]:
    if isinstance(value, str):
        return [] if value in ("", "[]") else list(json.loads(value))
    return list(value or [])


def _best_routes(
    tags: list[tuple[int, str]], routes: dict[int, list[_Route]]
) -> dict[int, tuple[float, int, str, _Route]]:
    """need index → (strength, tag node, coverage, route) of the resource's best route to
    each need it meets. Plain tuples: this runs for every candidate scored."""
    best: dict[int, tuple[float, int, str, _Route]] = {}
    main = COVERAGE_FACTOR[Coverage.MAIN.value]
    part = COVERAGE_FACTOR[Coverage.PART.value]
    for node_id, coverage in tags:
        factor = main if coverage == Coverage.MAIN.value else part
        for r in routes.get(node_id, ()):
            strength = r.strength * factor
            current = best.get(r.need_index)
            if current is None or strength > current[0]:
                best[r.need_index] = (strength, node_id, coverage, r)
    return best


def _covered(
    best: dict[int, tuple[float, int, str, _Route]],
    target_nodes: dict[int, Node],
    needs: Sequence[Need],
) -> list[Covered]:
    """The needs a resource meets, biggest contribution first, for its reasons."""
    out = [
        Covered(
            need=needs[i],
            coverage=coverage,
            via=None if r.route == "direct" else target_nodes[node_id],
            route=r.route,
            kind=r.kind,
            strength=strength,
        )
        for i, (strength, node_id, coverage, r) in best.items()
    ]
    return sorted(out, key=lambda c: (-c.need.weight * c.strength, c.need.label))


def _coverage_reasons(covered: list[Covered], biggest: Need | None) -> list[str]:
    out = []
    for c in covered:
        need = c.need
        if c.route == "direct":
            if c.coverage == Coverage.MAIN:
                if need is biggest and not need.chosen:
                    text = _("Covers your biggest gap, %(need)s (main focus)")
                elif need.chosen:
                    text = _("Covers %(need)s (main focus)")
                else:
                    text = _("Covers your gap %(need)s (main focus)")
            elif need is biggest and not need.chosen:
                text = _("Covers your biggest gap, %(need)s, in part")
            else:
                text = _("Also covers %(need)s in part")
            out.append(text % {"need": need.label})
        elif c.route == "ancestor":
            assert c.via is not None
            out.append(
                _("Covers %(domain)s as a whole, which includes %(need)s")
                % {"domain": _label(c.via), "need": need.label}
            )
        elif c.route == "descendant":
            assert c.via is not None
            out.append(
                _("Covers %(part)s, part of %(need)s") % {"part": _label(c.via), "need": need.label}
            )
        else:
            assert c.via is not None
            values = {
                "need": need.label,
                "framework": c.via.edition.framework.title,
                "node": c.via.display_title,
                "code": c.via.code,
            }
            if need.chosen:
                text = _("Counts towards %(need)s through its mapping to %(framework)s: %(node)s")
            else:
                text = _(
                    "Counts towards your gap %(need)s through its mapping to "
                    "%(framework)s: %(node)s"
                )
            out.append(text % values)
    return out


def _money(value: int | Decimal) -> str:
    return f"£{int(value):,}"


def _hours(value: Decimal | float) -> str:
    return f"{float(value):g}"


def _way_factor(
    mode: str, rtype: str, preferred: list[str], avoided: list[str], wants_funding: bool
) -> float:
    """The multiplier for the way of learning: the manager's own preferences, else the
    seeds' order of what works; peer learning schemes up, funding sources down."""
    f = 1.0
    if mode in avoided:
        f *= AVOIDED
    elif mode in preferred:
        f *= PREFERRED - 0.05 * preferred.index(mode)
    if rtype == ResourceType.FUNDING.value:
        if not wants_funding:
            f *= FUNDING_WEIGHT
    elif rtype in PEER_TYPES:
        f *= PEER_TYPE_WEIGHT
    elif mode not in preferred and mode not in avoided:
        f *= MODE_WEIGHT.get(mode, 0.75)
    return f


def _way_factor_ceiling(preferred: list[str]) -> float:
    """The highest way-of-learning multiplier any resource can get."""
    top = PREFERRED if preferred else max(MODE_WEIGHT.values())
    return top * PEER_TYPE_WEIGHT


def _factor(
    row: dict[str, Any],
    preference: LearningPreference | None,
    manager_level: str | None,
    region: str | None,
    *,
    reasons: list[str] | None,
    wants_funding: bool = False,
) -> float:
    """The product of every multiplier for one resource; with `reasons`, also the plain
    words for each one that applies."""

    def say(text: Callable[[], str]) -> None:
        # The words are only made when they are wanted: scoring thousands of candidates
        # must not pay for translating reasons no one will read.
        if reasons is not None:
            reasons.append(text())

    f = 1.0
    mode = row["delivery_mode"]
    rtype = row["resource_type"]

    def mode_label() -> str:
        return str(DeliveryMode(mode).label) if mode in DeliveryMode.values else mode

    # Ways of learning: the manager's own, or else what managers said works.
    preferred = list(preference.preferred_modes) if preference else []
    avoided = list(preference.avoid_modes) if preference else []
    f *= _way_factor(mode, rtype, preferred, avoided, wants_funding)
    if mode in avoided:
        say(lambda: _("%(mode)s: a way of learning you said to avoid") % {"mode": mode_label()})
    elif mode in preferred:
        say(lambda: _("%(mode)s: a way of learning you said suits you") % {"mode": mode_label()})
    if rtype == ResourceType.FUNDING:
        say(lambda: _("A source of funding towards learning, not learning in itself"))
    elif rtype in PEER_TYPES:
        if mode not in preferred and mode not in avoided:
            if rtype == ResourceType.ACTION_LEARNING:
                say(lambda: _("Action learning with peers, which managers say works best"))
            else:
                say(lambda: _("Coaching or mentoring, which managers say works best"))
    elif mode not in preferred and mode not in avoided:
        if mode in (DeliveryMode.FACE_TO_FACE, DeliveryMode.BLENDED):
            say(
                lambda: (
                    _("%(mode)s learning with peers, which managers say works best")
                    % {"mode": mode_label()}
                )
            )
        elif mode == DeliveryMode.ONLINE_GROUP:
            say(lambda: _("Online learning with others"))
        elif mode == DeliveryMode.READING:
            say(lambda: _("Reading you can do in your own time"))
        elif mode == DeliveryMode.SELF_DIRECTED:
            say(
                lambda: _(
                    "Self-directed e-learning: managers say it works best alongside learning with others"
                )
            )

    # Cost.
    cost_from, cost_to = row["cost_from"], row["cost_to"]
    limit_cost = preference.max_cost if preference else None
    if cost_from is not None and limit_cost is not None and cost_from > limit_cost:
        f *= OVER_BUDGET
        say(
            lambda: (
                _("Costs %(cost)s, more than your %(limit)s limit")
                % {"cost": _money(cost_from), "limit": _money(limit_cost)}
            )
        )
    elif cost_to == 0 or (cost_from == 0 and cost_to is None):
        say(lambda: _("Free"))
    elif cost_from is not None:
        if cost_to and cost_to != cost_from:
            say(
                lambda: (
                    _("Costs %(low)s to %(high)s")
                    % {"low": _money(cost_from), "high": _money(cost_to)}
                )
            )
        else:
            say(lambda: _("Costs %(cost)s") % {"cost": _money(cost_from)})
    elif rtype != ResourceType.FUNDING:
        f *= COST_UNKNOWN
        say(lambda: _("Cost not known: ask the provider"))

    # Time.
    hours = row["hours"]
    limit_hours = preference.max_hours if preference else None
    if hours is not None and limit_hours is not None and hours > limit_hours:
        f *= OVER_HOURS
        say(
            lambda: (
                _("Takes about %(hours)s hours, more than the %(limit)s you can give")
                % {"hours": _hours(hours), "limit": limit_hours}
            )
        )
    elif hours is not None:
        say(lambda: _("About %(hours)s hours") % {"hours": _hours(hours)})

    # Region, for learning that means travelling.
    regions = row["regions"] or []
    if mode in (DeliveryMode.FACE_TO_FACE, DeliveryMode.BLENDED) and regions:
        allowed = set(preference.regions) if preference and preference.regions else set()
        if not allowed and region:
            allowed = {region}
        if allowed:

            def names() -> str:
                return ", ".join(_region_name(r) for r in regions)

            if allowed & set(regions):
                f *= IN_REGION
                say(lambda: _("Runs in your region (%(regions)s)") % {"regions": names()})
            else:
                f *= OUT_OF_REGION
                say(
                    lambda: (
                        _("Runs in %(regions)s, outside the regions you can travel to")
                        % {"regions": names()}
                    )
                )

    # Level.
    levels = row["manager_levels"] or []
    if manager_level and levels:

        def level_name() -> str:
            return _level_name(str(manager_level)).lower()

        if manager_level in levels:
            f *= LEVEL_FIT
            say(lambda: _("Meant for managers at your level (%(level)s)") % {"level": level_name()})
        else:
            f *= LEVEL_MISFIT
            say(
                lambda: (
                    _("Meant for %(levels)s rather than %(level)s")
                    % {
                        "levels": ", ".join(_level_name(lv).lower() for lv in levels),
                        "level": level_name(),
                    }
                )
            )
    scqf = row["scqf_level"]
    if scqf and manager_level in SCQF_FIT:
        fit = SCQF_FIT[manager_level]
        if scqf in fit:
            say(lambda: _("At SCQF level %(level)s, which fits your role") % {"level": scqf})
        else:
            f *= SCQF_MISFIT
            side = _("below") if scqf < fit.start else _("above")
            say(
                lambda: (
                    _("At SCQF level %(level)s, %(side)s what usually fits your role")
                    % {"level": scqf, "side": side}
                )
            )

    if row["historical"]:
        f *= HISTORICAL
        say(
            lambda: (
                _("Described as it stood in %(when)s: check it still runs")
                % {"when": row["historical_as_of"] or _("the past")}
            )
        )
    if row["organisation_id"] is not None:
        say(lambda: _("Offered by your own organisation"))
    return f


_REGIONS = frozenset(Region.values)
_LEVELS = frozenset(ManagerLevel.values)


def _region_name(value: str) -> str:
    return str(Region(value).label) if value in _REGIONS else value


def _level_name(value: str) -> str:
    return str(ManagerLevel(value).label) if value in _LEVELS else value


def match_to_dict(m: Match) -> dict[str, Any]:
    """A match as JSON-ready data: the same shape for the `signpost` command and the API."""
    r = m.resource
    return {
        "slug": r.slug,
        "title": r.title,
        "type": r.resource_type,
        "mode": r.delivery_mode,
        "provider": r.provider.name if r.provider_id and r.provider else None,
        "url": r.url,
        "cost_from": r.cost_from,
        "cost_to": r.cost_to,
        "cost_note": r.cost_note,
        "hours": float(r.hours) if r.hours is not None else None,
        "duration": r.duration,
        "historical": r.historical,
        "historical_as_of": r.historical_as_of,
        "in_house": r.organisation_id is not None,
        "score": m.score,
        "reasons": list(m.reasons),
        "covered": [
            {
                "framework": c.need.node.edition.framework.slug,
                "code": c.need.node.code,
                "label": c.need.label,
                "coverage": c.coverage,
                "route": c.route,
                "via": (
                    {
                        "framework": c.via.edition.framework.slug,
                        "code": c.via.code,
                        "label": _label(c.via),
                        "kind": c.kind,
                    }
                    if c.via is not None
                    else None
                ),
            }
            for c in m.covered
        ],
    }


def person_context(
    *, person: User, organisation: Organisation
) -> tuple[LearningPreference | None, str | None]:
    """The manager's learning preferences (None if she has stated none) and her manager
    level (from her current PMS revision in the organisation, None if she has none).
    Two queries."""
    from waymark.profiles.models import Specification

    preference = LearningPreference.objects.filter(user=person).first()
    level = (
        Specification.objects.filter(
            organisation=organisation, manager=person, current__isnull=False
        )
        .values_list("current__manager_level", flat=True)
        .first()
    )
    return preference, (level or None)


def signpost_person(
    *,
    person: User,
    organisation: Organisation,
    text: str = "",
    filters: CatalogueFilters | None = None,
    limit: int = 10,
) -> tuple[list[Need], list[Match]]:
    """A manager's needs (her latest completed round) and the options for them, with her
    own preferences, level and her organisation's region: what the `signpost --email`
    command, the pages and the API all show."""
    needs = needs_for_person(person=person, organisation=organisation)
    preference, level = person_context(person=person, organisation=organisation)
    if not needs and not text:
        return needs, []
    matches = match(
        needs=needs,
        text=text,
        organisation=organisation,
        preference=preference,
        manager_level=level,
        filters=filters,
        limit=limit,
    )
    return needs, matches


# --- qualifications -----------------------------------------------------------------------


@dataclass
class CoveredCompetence:
    node: Node
    importance: int
    units: list[QualificationUnit]
    via: Node | None = None  # the unit's node, when coverage is through the tree or the map
    route: str = "direct"


@dataclass
class QualificationFit:
    qualification: Qualification
    covered: list[CoveredCompetence]
    remaining: list[Node]
    coverage_ratio: float  # importance-weighted share of the competences covered
    level_fit: str  # "fits" | "below" | "above" | "unknown"
    reasons: list[str]


def qualification_fit(
    *, competences: Sequence[tuple[Node, int, int]], manager_level: str | None
) -> list[QualificationFit]:
    """For each published qualification, which of the competences (node, expected
    level, importance) its units cover — directly, through the framework tree or the
    map — and which remain; the share covered weighted by importance, SCQF level fit
    against the manager level, credits, hours and cost. Best coverage first."""
    if not competences:
        return []
    needs = [
        Need(node=node, gap=1, importance=importance, label=_label(node))
        for node, _expected, importance in competences
    ]
    routes, target_nodes = _targets(needs)
    quals = list(visible_qualifications().order_by("title"))
    units = {u.pk: u for u in QualificationUnit.objects.filter(qualification__in=quals).order_by()}
    unit_nodes: dict[int, list[tuple[int, int]]] = defaultdict(list)  # qual → (unit, node)
    for unit_id, node_id in QualificationUnit.nodes.through.objects.filter(
        qualificationunit_id__in=list(units)
    ).values_list("qualificationunit_id", "node_id"):
        unit_nodes[units[unit_id].qualification_id].append((unit_id, node_id))
    total = sum(n.importance for n in needs) or 1
    out = []
    for q in quals:
        best: dict[int, tuple[float, CoveredCompetence]] = {}
        for unit_id, node_id in unit_nodes.get(q.pk, []):
            for r in routes.get(node_id, []):
                need = needs[r.need_index]
                current = best.get(r.need_index)
                via = None if r.route == "direct" else target_nodes[node_id]
                if current is None or r.strength > current[0]:
                    best[r.need_index] = (
                        r.strength,
                        CoveredCompetence(
                            node=need.node,
                            importance=need.importance,
                            units=[units[unit_id]],
                            via=via,
                            route=r.route,
                        ),
                    )
                elif r.strength == current[0] and units[unit_id] not in current[1].units:
                    current[1].units.append(units[unit_id])
        covered = [best[i][1] for i in sorted(best)]
        remaining = [n.node for i, n in enumerate(needs) if i not in best]
        ratio = sum(best[i][0] * needs[i].importance for i in best) / total
        level_fit = _qualification_level_fit(q.scqf_level, manager_level)
        out.append(
            QualificationFit(
                qualification=q,
                covered=covered,
                remaining=remaining,
                coverage_ratio=round(ratio, 4),
                level_fit=level_fit,
                reasons=_qualification_reasons(q, covered, remaining, level_fit, manager_level),
            )
        )
    out.sort(key=lambda f: (-f.coverage_ratio, f.level_fit != "fits", f.qualification.title))
    return out


def _qualification_level_fit(scqf: int | None, manager_level: str | None) -> str:
    if not scqf or manager_level not in SCQF_FIT:
        return "unknown"
    fit = SCQF_FIT[manager_level]
    if scqf in fit:
        return "fits"
    return "below" if scqf < fit.start else "above"


def _qualification_reasons(
    q: Qualification,
    covered: list[CoveredCompetence],
    remaining: list[Node],
    level_fit: str,
    manager_level: str | None,
) -> list[str]:
    n_all = len(covered) + len(remaining)
    out = [
        _("Its units cover %(covered)s of your %(total)s competences")
        % {"covered": len(covered), "total": n_all}
    ]
    mapped = [c for c in covered if c.route == "mapped"]
    if mapped:
        out.append(_("%(count)s of them through the map of competences") % {"count": len(mapped)})
    if q.scqf_level:
        if level_fit == "fits":
            out.append(_("At SCQF level %(level)s, which fits your role") % {"level": q.scqf_level})
        elif level_fit in ("below", "above"):
            side = _("below") if level_fit == "below" else _("above")
            out.append(
                _("At SCQF level %(level)s, %(side)s what usually fits your role")
                % {"level": q.scqf_level, "side": side}
            )
        else:
            out.append(_("At SCQF level %(level)s") % {"level": q.scqf_level})
    if q.credit_points:
        out.append(_("%(credits)s SCQF credit points") % {"credits": q.credit_points})
    if q.hours:
        out.append(_("About %(hours)s hours") % {"hours": _hours(q.hours)})
    elif q.duration:
        out.append(_("Takes %(duration)s") % {"duration": q.duration})
    if q.cost_from is not None:
        if q.cost_to and q.cost_to != q.cost_from:
            out.append(
                _("Costs %(low)s to %(high)s")
                % {"low": _money(q.cost_from), "high": _money(q.cost_to)}
            )
        elif q.cost_to == 0 and q.cost_from == 0:
            out.append(_("Free"))
        else:
            out.append(_("Costs %(cost)s") % {"cost": _money(q.cost_from)})
    if q.historical:
        out.append(
            _("Described as it stood in %(when)s: check it still runs")
            % {"when": q.historical_as_of or _("the past")}
        )
    return out
