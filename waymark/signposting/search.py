"""Full-text search over the catalogue's resources, with filters, within what an
organisation may see (`selectors.visible_resources`, the one visibility rule).

The words of a resource's title, description, provider name and type are indexed
(migrations/0002_search_index.py): an FTS5 table kept in step by triggers on SQLite,
ranked by bm25 with the title counting most; a trigger-maintained weighted tsvector
table with a GIN index on PostgreSQL, ranked by ts_rank. Both stem English words.

Every term a person types is quoted before it reaches the search engine, so "c++",
"a-b", "AND" or a stray quote are words, never syntax."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.html import escape

from .models import Resource
from .selectors import visible_resources

if TYPE_CHECKING:
    from waymark.organisations.models import Organisation

# Words and codes a person might type; anything else (quotes, operators, brackets) is dropped.
_TERM = re.compile(r"[\w][\w.\-'\u2019]*", re.UNICODE)

# Words too common to help when free text is matched term by term (any term may match).
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "want",
        "need",
        "needs",
        "get",
        "getting",
        "better",
        "help",
        "how",
        "learn",
        "learning",
    ]
)


@dataclass
class CatalogueFilters:
    """What a search or match may be narrowed to. Empty or None means no filter.

    max_cost and max_hours keep only entries known to be within them (an entry whose
    cost or hours is not known is left out); region keeps entries available anywhere
    or in that region; manager_level keeps entries for any level or for that one;
    scqf_level keeps entries at that SCQF level."""

    types: list[str] = field(default_factory=list)
    modes: list[str] = field(default_factory=list)
    max_cost: int | None = None
    region: str | None = None
    manager_level: str | None = None
    max_hours: int | None = None
    scqf_level: int | None = None

    @property
    def is_empty(self) -> bool:
        return not (
            self.types
            or self.modes
            or self.max_cost is not None
            or self.region
            or self.manager_level
            or self.max_hours is not None
            or self.scqf_level is not None
        )


@dataclass(frozen=True)
class CatalogueHit:
    resource: Resource
    rank: float
    snippet: str  # HTML-safe: the description escaped, with matches wrapped in <mark>


@dataclass(frozen=True)
class CatalogueSearchResult:
    query: str
    total: int
    hits: list[CatalogueHit]


PREFIX_FROM = 3  # the last term matches as a prefix from this many characters


def search_terms(query: str) -> list[str]:
    return _TERM.findall(query or "")[:20]


def filtered_resources(
    organisation: Organisation | None, filters: CatalogueFilters | None = None
) -> QuerySet[Resource]:
    """The resources the organisation may see, narrowed by the filters."""
    qs = visible_resources(organisation)
    f = filters
    if f is None or f.is_empty:
        return qs
    if f.types:
        qs = qs.filter(resource_type__in=f.types)
    if f.modes:
        qs = qs.filter(delivery_mode__in=f.modes)
    if f.max_cost is not None:
        qs = qs.filter(cost_from__isnull=False, cost_from__lte=f.max_cost)
    if f.max_hours is not None:
        qs = qs.filter(hours__isnull=False, hours__lte=f.max_hours)
    if f.scqf_level is not None:
        qs = qs.filter(scqf_level=f.scqf_level)
    # The JSON lists are matched as text: the quoted value is unique among the choices
    # ("east-of-england" never matches inside "north-east"), and this reads the same way
    # on SQLite and PostgreSQL.
    if f.region:
        qs = qs.filter(Q(regions=[]) | Q(regions__icontains=f'"{f.region}"'))
    if f.manager_level:
        qs = qs.filter(Q(manager_levels=[]) | Q(manager_levels__icontains=f'"{f.manager_level}"'))
    return qs


def search_catalogue(
    query: str,
    *,
    organisation: Organisation | None,
    filters: CatalogueFilters | None = None,
    limit: int = 20,
    offset: int = 0,
) -> CatalogueSearchResult:
    """Ranked search of the resources the organisation may see (the public catalogue
    for None), by the words of their title, description, provider and type, every term
    required (the last also as a prefix). With no words, the filtered catalogue in
    title order."""
    terms = search_terms(query)
    scope = filtered_resources(organisation, filters)
    if not terms:
        total = scope.count()
        page = list(
            scope.select_related("provider").order_by("title", "pk")[offset : offset + limit]
        )
        hits = [CatalogueHit(resource=r, rank=0.0, snippet=_plain_snippet(r)) for r in page]
        return CatalogueSearchResult(query=query, total=total, hits=hits)
    total, rows = _ranked(terms, scope, any_term=False, limit=limit, offset=offset, snippets=True)
    resources = Resource.objects.select_related("provider").in_bulk([r[0] for r in rows])
    hits = [
        CatalogueHit(resource=resources[r[0]], rank=r[1], snippet=r[2])
        for r in rows
        if r[0] in resources
    ]
    return CatalogueSearchResult(query=query, total=total, hits=hits)


def text_ranks(
    text: str,
    *,
    organisation: Organisation | None,
    filters: CatalogueFilters | None = None,
    limit: int = 200,
) -> dict[int, float]:
    """Resource id → search rank (higher is better) for free text, any term matching
    (common words left out), over what the organisation may see. The matcher blends
    this into its ranking."""
    terms = [t for t in search_terms(text) if t.lower() not in STOPWORDS]
    if not terms:
        return {}
    scope = filtered_resources(organisation, filters)
    _total, rows = _ranked(terms, scope, any_term=True, limit=limit, offset=0, snippets=False)
    return {r[0]: r[1] for r in rows}


def _ranked(
    terms: list[str],
    scope: QuerySet[Resource],
    *,
    any_term: bool,
    limit: int,
    offset: int,
    snippets: bool,
) -> tuple[int, list[tuple[int, float, str]]]:
    scope_sql, scope_params = scope.order_by().values("pk").query.sql_with_params()
    if connection.vendor == "sqlite":
        return _ranked_sqlite(
            terms, scope_sql, list(scope_params), any_term, limit, offset, snippets
        )
    return _ranked_postgres(terms, scope_sql, list(scope_params), any_term, limit, offset, snippets)


def _fts5_query(terms: list[str], *, any_term: bool) -> str:
    # Every term quoted, so that "c++", "a-b" and "AND" are words, not syntax.
    quoted = ['"' + t.replace('"', '""') + '"' for t in terms]
    if any_term:
        return " OR ".join(quoted)
    # The last term also matches as a prefix, so results appear while someone types
    # (from three letters: "c" as a prefix would match most of the catalogue).
    if len(terms[-1]) >= PREFIX_FROM:
        quoted[-1] += "*"
    return " ".join(quoted)


def _ranked_sqlite(
    terms: list[str],
    scope_sql: str,
    scope_params: list[Any],
    any_term: bool,
    limit: int,
    offset: int,
    snippets: bool,
) -> tuple[int, list[tuple[int, float, str]]]:
    match = _fts5_query(terms, any_term=any_term)
    base = (
        " FROM signposting_resource_fts"
        " WHERE signposting_resource_fts MATCH %s"
        # The unary plus keeps SQLite from handing the IN list to FTS5 as rowid lookups,
        # which would run the full-text query once per resource in scope.
        f" AND +signposting_resource_fts.rowid IN ({scope_sql})"
    )
    snippet = (
        ", snippet(signposting_resource_fts, 1, char(1), char(2), '…', 30)" if snippets else ""
    )
    with connection.cursor() as cur:
        total = 0
        if snippets:  # a page of search results shows how many there are in all
            cur.execute("SELECT count(*)" + base, [match, *scope_params])
            total = cur.fetchone()[0]
        # bm25 weights: title, description, provider name, type.
        cur.execute(
            "SELECT signposting_resource_fts.rowid,"
            " bm25(signposting_resource_fts, 10.0, 2.0, 4.0, 3.0) AS rank"
            + snippet
            + base
            + " ORDER BY rank LIMIT %s OFFSET %s",
            [match, *scope_params, limit, offset],
        )
        rows = [
            (int(r[0]), -float(r[1]), _marked(r[2]) if snippets else "") for r in cur.fetchall()
        ]
    return (total if snippets else len(rows)), rows


def _pg_lexemes(term: str) -> list[str]:
    # Split on anything to_tsquery treats as syntax; keep plain word characters only.
    return [p for p in re.split(r"[^\w]+", term) if p]


def _pg_term(term: str, *, prefix: bool) -> str:
    """One term for to_tsquery: its words as a phrase, or the whole term as one quoted
    lexeme (PostgreSQL's parser reads "MM1.02" as one token)."""
    parts = _pg_lexemes(term)
    if not parts:
        return ""
    star = ":*" if prefix else ""
    phrase = " <-> ".join(p + star for p in parts)
    if len(parts) == 1:
        return f"({phrase})"
    whole = "'" + term.replace("'", "''").replace("\\", "") + "'" + star
    return f"({phrase} | {whole})"


def _ranked_postgres(
    terms: list[str],
    scope_sql: str,
    scope_params: list[Any],
    any_term: bool,
    limit: int,
    offset: int,
    snippets: bool,
) -> tuple[int, list[tuple[int, float, str]]]:
    joiner = " | " if any_term else " & "
    tsquery = joiner.join(
        q
        for i, t in enumerate(terms)
        if (q := _pg_term(t, prefix=not any_term and i == len(terms) - 1 and len(t) >= PREFIX_FROM))
    )
    if not tsquery:
        return 0, []
    base = (
        " FROM signposting_resource_search s"
        " JOIN signposting_resource r ON r.id = s.resource_id"
        " WHERE s.document @@ to_tsquery('english', %s)"
        f" AND r.id IN ({scope_sql})"
    )
    snippet = (
        ", ts_headline('english', r.description, to_tsquery('english', %s),"
        " 'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=30, MinWords=12')"
        if snippets
        else ""
    )
    with connection.cursor() as cur:
        total = 0
        if snippets:
            cur.execute("SELECT count(*)" + base, [tsquery, *scope_params])
            total = cur.fetchone()[0]
        params: list[Any] = [tsquery]
        if snippets:
            params.append(tsquery)
        cur.execute(
            "SELECT r.id, ts_rank(s.document, to_tsquery('english', %s), 1) AS rank"
            + snippet
            + base
            + " ORDER BY rank DESC, r.id LIMIT %s OFFSET %s",
            [*params, tsquery, *scope_params, limit, offset],
        )
        rows = [(int(r[0]), float(r[1]), _marked(r[2]) if snippets else "") for r in cur.fetchall()]
    return (total if snippets else len(rows)), rows


def _marked(text: str) -> str:
    return escape(text or "").replace("\x01", "<mark>").replace("\x02", "</mark>")


def _plain_snippet(resource: Resource, words: int = 30) -> str:
    parts = (resource.description or "").split()
    text = " ".join(parts[:words]) + ("…" if len(parts) > words else "")
    return str(escape(text))
