"""Reads over the standards database that are more than a filter."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q, QuerySet

from .models import Association, Edition, Node

# Words and codes a person might type; anything else (quotes, operators, brackets) is dropped.
_TERM = re.compile(r"[\w][\w.\-'\u2019]*", re.UNICODE)


@dataclass(frozen=True)
class SearchHit:
    node: Node
    rank: float
    snippet: str  # HTML-safe: the statement escaped, with matches wrapped in <mark>


@dataclass(frozen=True)
class SearchResult:
    query: str
    total: int
    hits: list[SearchHit]


def search_terms(query: str) -> list[str]:
    return _TERM.findall(query or "")[:20]


def _fts5_query(terms: list[str]) -> str:
    # Every term quoted, so that "c++", "a-b" and "AND" are words, not syntax; the last
    # term also matches as a prefix so that results appear while someone is typing.
    quoted = ['"' + t.replace('"', '""') + '"' for t in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def search_nodes(
    query: str,
    *,
    framework_slug: str | None = None,
    current_only: bool = True,
    limit: int = 20,
    offset: int = 0,
    organisation_id: int | None = None,
) -> SearchResult:
    """Ranked search of framework items by the words of their code, title and statement
    (stemmed: "risks" finds "risk"). Current, published editions only unless asked.

    The shared standards only; with `organisation_id`, that organisation's own
    competences too (never another organisation's)."""
    terms = search_terms(query)
    if not terms:
        return SearchResult(query=query, total=0, hits=[])
    if connection.vendor == "sqlite":
        ranked = _search_sqlite(terms, framework_slug, current_only, limit, offset, organisation_id)
    else:
        ranked = _search_postgres(
            terms, framework_slug, current_only, limit, offset, organisation_id
        )
    total, rows = ranked
    # order_by() drops the model's default ordering, which costs more to compile than
    # the search itself; the rows arrive ranked already.
    nodes = {
        n.pk: n
        for n in Node.objects.select_related("edition__framework", "parent")
        .defer(
            "case_extra", "edition__case_extra", "edition__import_warnings", "parent__case_extra"
        )
        .filter(pk__in=[r[0] for r in rows])
        .order_by()
    }
    hits = [SearchHit(node=nodes[r[0]], rank=r[1], snippet=r[2]) for r in rows if r[0] in nodes]
    return SearchResult(query=query, total=total, hits=hits)


def _filters(
    framework_slug: str | None, current_only: bool, organisation_id: int | None = None
) -> tuple[str, list[str]]:
    sql = " AND e.status = 'published'"
    params: list[str] = []
    if organisation_id is None:
        sql += " AND f.organisation_id IS NULL"
    else:
        sql += " AND (f.organisation_id IS NULL OR f.organisation_id = %s)"
        params.append(str(int(organisation_id)))
    if current_only:
        sql += " AND e.is_current"
    if framework_slug:
        sql += " AND f.slug = %s"
        params.append(framework_slug)
    return sql, params


def _search_sqlite(
    terms: list[str],
    framework_slug: str | None,
    current_only: bool,
    limit: int,
    offset: int,
    organisation_id: int | None = None,
) -> tuple[int, list[tuple[int, float, str]]]:
    where, params = _filters(framework_slug, current_only, organisation_id)
    match = _fts5_query(terms)
    base = (
        " FROM frameworks_node_fts JOIN frameworks_node n ON n.id = frameworks_node_fts.rowid"
        " JOIN frameworks_edition e ON e.id = n.edition_id"
        " JOIN frameworks_framework f ON f.id = e.framework_id"
        " WHERE frameworks_node_fts MATCH %s" + where
    )
    with connection.cursor() as cur:
        cur.execute("SELECT count(*)" + base, [match, *params])
        total = cur.fetchone()[0]
        # bm25 weights: a match in the code counts most, then the title, then the statement.
        cur.execute(
            "SELECT n.id, bm25(frameworks_node_fts, 10.0, 5.0, 1.0) AS rank,"
            " snippet(frameworks_node_fts, 2, char(1), char(2), '…', 40)"
            + base
            + " ORDER BY rank LIMIT %s OFFSET %s",
            [match, *params, limit, offset],
        )
        rows = [(r[0], -float(r[1]), _marked(r[2])) for r in cur.fetchall()]
    return total, rows


def _search_postgres(
    terms: list[str],
    framework_slug: str | None,
    current_only: bool,
    limit: int,
    offset: int,
    organisation_id: int | None = None,
) -> tuple[int, list[tuple[int, float, str]]]:
    where, params = _filters(framework_slug, current_only, organisation_id)
    vector = (
        "(setweight(to_tsvector('english', coalesce(n.code, '')), 'A') ||"
        " setweight(to_tsvector('english', coalesce(n.title, '')), 'B') ||"
        " setweight(to_tsvector('english', coalesce(n.statement, '')), 'C'))"
    )
    # Each term becomes a lexeme (prefix-matching for the last one), ANDed together.
    tsquery = " & ".join(
        q for i, t in enumerate(terms) if (q := _pg_term(t, prefix=i == len(terms) - 1))
    )
    if not tsquery:
        return 0, []
    base = (
        " FROM frameworks_node n JOIN frameworks_edition e ON e.id = n.edition_id"
        " JOIN frameworks_framework f ON f.id = e.framework_id"
        f" WHERE {vector} @@ to_tsquery('english', %s)" + where
    )
    with connection.cursor() as cur:
        cur.execute("SELECT count(*)" + base, [tsquery, *params])
        total = cur.fetchone()[0]
        cur.execute(
            f"SELECT n.id, ts_rank({vector}, to_tsquery('english', %s)) AS rank,"
            " ts_headline('english', n.statement, to_tsquery('english', %s),"
            " 'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=40, MinWords=15')"
            + base
            + " ORDER BY rank DESC, n.id LIMIT %s OFFSET %s",
            [tsquery, tsquery, tsquery, *params, limit, offset],
        )
        rows = [(r[0], float(r[1]), _marked(r[2])) for r in cur.fetchall()]
    return total, rows


def _pg_lexemes(term: str) -> list[str]:
    # Split on anything to_tsquery treats as syntax; keep plain word characters only.
    return [p for p in re.split(r"[^\w]+", term) if p]


def _pg_term(term: str, *, prefix: bool) -> str:
    """One term for to_tsquery: its words as a phrase, or the whole term as one quoted
    lexeme, since PostgreSQL's parser reads a code like "MM1.02" as a single token that
    the phrase of its parts would never match."""
    parts = _pg_lexemes(term)
    if not parts:
        return ""
    star = ":*" if prefix else ""
    phrase = " <-> ".join(p + star for p in parts)
    if len(parts) == 1:
        return f"({phrase})"
    whole = "'" + term.replace("'", "''") + "'" + star
    return f"({phrase} | {whole})"


def _marked(text: str) -> str:
    from django.utils.html import escape

    return escape(text).replace("\x01", "<mark>").replace("\x02", "</mark>")


def edition_tree(edition: Edition) -> QuerySet[Node]:
    """All of an edition's nodes in tree order (parents before children), in one query."""
    return edition.nodes.select_related("item_type").order_by("path")


def mappings_of(node: Node) -> list[tuple[Association, Node | None, str, bool]]:
    """The node's associations both ways, as (association, far node, kind label, outgoing)."""
    out: list[tuple[Association, Node | None, str, bool]] = []
    for a in (
        node.outgoing.public()
        .select_related("destination__edition__framework", "made_by")
        .exclude(association_type="isChildOf")
    ):
        out.append((a, a.destination, a.kind_from(node), True))
    for a in (
        node.incoming.public()
        .select_related("origin__edition__framework", "made_by")
        .exclude(association_type="isChildOf")
    ):
        out.append((a, a.origin, a.kind_from(node), False))
    return out


@dataclass(frozen=True)
class CountsTowards:
    """A node that evidence for `source` also counts towards, through the map."""

    source_id: int
    node: Node
    kind: str  # "Exact match", "Broader", "Narrower", "Related", read from the source's side
    confirmed: bool


def counts_towards(node_ids: list[int] | set[int]) -> dict[int, list[CountsTowards]]:
    """For each node id, the nodes of other frameworks it is mapped to (both directions),
    so that evidence recorded against it visibly counts towards them ("counts towards
    CLF: Vision"). Two queries whatever the number of nodes."""
    ids = set(node_ids)
    out: dict[int, list[CountsTowards]] = {i: [] for i in ids}
    if not ids:
        return out
    mapping_types = ["exactMatchOf", "isPartOf", "isRelatedTo"]
    related = ("origin__edition__framework", "destination__edition__framework")
    # An organisation's own competence is a far end only for its own organisation's nodes.
    own = "edition__framework__organisation"
    for a in (
        Association.objects.filter(
            origin_id__in=ids, destination__isnull=False, association_type__in=mapping_types
        )
        .filter(
            Q(**{f"destination__{own}__isnull": True})
            | Q(**{f"destination__{own}": F(f"origin__{own}")})
        )
        .select_related(*related)
    ):
        assert a.origin is not None and a.destination is not None
        out[a.origin_id].append(  # type: ignore[index]
            CountsTowards(a.origin_id, a.destination, a.kind_from(a.origin), a.confirmed)  # type: ignore[arg-type]
        )
    for a in (
        Association.objects.filter(
            destination_id__in=ids, origin__isnull=False, association_type__in=mapping_types
        )
        .filter(
            Q(**{f"origin__{own}__isnull": True})
            | Q(**{f"origin__{own}": F(f"destination__{own}")})
        )
        .select_related(*related)
    ):
        assert a.origin is not None and a.destination is not None
        out[a.destination_id].append(  # type: ignore[index]
            CountsTowards(a.destination_id, a.origin, a.kind_from(a.destination), a.confirmed)  # type: ignore[arg-type]
        )
    return out
