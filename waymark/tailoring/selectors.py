"""Reads for tailoring: an organisation's focus, its own framework and competences, the
mappings from them, its policies and front page."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Prefetch, Q, QuerySet

from waymark.frameworks.models import Association, Edition, Framework, Node

from .models import FocusDomain, FocusFramework, FrontPage, OwnCompetence, Policy

if TYPE_CHECKING:
    from waymark.organisations.models import Organisation

T = TypeVar("T")


@dataclass(frozen=True)
class Focus:
    """The frameworks and domains an organisation has chosen to put first."""

    framework_ids: frozenset[int] = field(default_factory=frozenset)
    domain_ids: frozenset[int] = field(default_factory=frozenset)

    def __bool__(self) -> bool:
        return bool(self.framework_ids or self.domain_ids)

    def is_focus_edition(self, edition: Edition) -> bool:
        return edition.framework_id in self.framework_ids

    def split_editions(self, editions: Iterable[Edition]) -> tuple[list[Edition], list[Edition]]:
        """(focus, other) editions, each keeping the given order. An organisation's own
        framework counts as focus: it is what the organisation added. With no focus
        frameworks chosen, nothing is set apart: ([], all of them, its own first)."""
        focus: list[Edition] = []
        other: list[Edition] = []
        for e in editions:
            own = e.framework.organisation_id is not None
            (focus if own or self.is_focus_edition(e) else other).append(e)
        if not self.framework_ids:
            return [], focus + other
        return focus, other

    def arrange(self, editions: Iterable[Edition]) -> list[Edition]:
        focus, other = self.split_editions(editions)
        return focus + other

    def domains_first(self, items: Sequence[T], key: Callable[[T], int]) -> list[T]:
        """`items` with those whose domain id (given by `key`) is in focus first."""
        return sorted(items, key=lambda i: key(i) not in self.domain_ids)


def focus_for(organisation: Organisation | None) -> Focus:
    """The organisation's focus (two small queries); an empty focus for none."""
    if organisation is None:
        return Focus()
    return Focus(
        framework_ids=frozenset(
            FocusFramework.objects.filter(organisation=organisation).values_list(
                "framework_id", flat=True
            )
        ),
        domain_ids=frozenset(
            FocusDomain.objects.filter(organisation=organisation).values_list("node_id", flat=True)
        ),
    )


def focusable_editions(organisation: Organisation) -> list[Edition]:
    """Current, published editions an organisation may focus on: the shared standards and
    its own framework, each with its domains prefetched as `domains`."""
    return list(
        Edition.objects.filter(is_current=True, status="published")
        .filter(Q(framework__organisation__isnull=True) | Q(framework__organisation=organisation))
        .select_related("framework")
        .prefetch_related(
            Prefetch(
                "nodes",
                queryset=Node.objects.filter(parent__isnull=True).order_by("path"),
                to_attr="domains",
            )
        )
        .order_by("framework__title")
    )


def own_framework(organisation: Organisation) -> Framework | None:
    return Framework.objects.filter(organisation=organisation).first()


def own_edition(organisation: Organisation) -> Edition | None:
    return (
        Edition.objects.filter(framework__organisation=organisation, is_current=True)
        .select_related("framework")
        .first()
    )


def archived_node_ids(organisation: Organisation) -> set[int]:
    return set(
        OwnCompetence.objects.filter(
            organisation=organisation, archived_at__isnull=False
        ).values_list("node_id", flat=True)
    )


@dataclass
class OwnRow:
    node: Node
    archived: bool
    mappings: list[tuple[Association, Node, str]]  # (association, national node, kind)


@dataclass
class OwnDomain:
    node: Node
    rows: list[OwnRow]


def own_competences(organisation: Organisation) -> list[OwnDomain]:
    """The organisation's own domains, each with its competences and their mappings to
    the national standards (three queries)."""
    edition = own_edition(organisation)
    if edition is None:
        return []
    nodes = list(edition.nodes.select_related("own_competence").order_by("path"))
    ids = [n.pk for n in nodes]
    maps: dict[int, list[tuple[Association, Node, str]]] = {i: [] for i in ids}
    for a in (
        Association.objects.filter(Q(origin_id__in=ids) | Q(destination_id__in=ids))
        .exclude(association_type="isChildOf")
        .select_related("origin__edition__framework", "destination__edition__framework")
        .order_by("id")
    ):
        if a.origin_id in maps and a.destination is not None:
            assert a.origin is not None
            maps[a.origin_id].append((a, a.destination, a.kind_from(a.origin)))
        elif a.destination_id in maps and a.origin is not None:
            assert a.destination is not None
            maps[a.destination_id].append((a, a.origin, a.kind_from(a.destination)))
    domains: list[OwnDomain] = []
    for n in nodes:
        n.edition = edition
        if n.parent_id is None:
            domains.append(OwnDomain(n, []))
        elif domains:
            own = getattr(n, "own_competence", None)
            domains[-1].rows.append(OwnRow(n, bool(own and own.archived_at), maps.get(n.pk, [])))
    return domains


def own_node(organisation: Organisation, node_id: int) -> Node | None:
    """An item of the organisation's own framework, by id (never another's)."""
    return (
        Node.objects.filter(pk=node_id, edition__framework__organisation=organisation)
        .select_related("edition__framework", "parent")
        .first()
    )


def policies_for(organisation: Organisation, *, archived: bool = False) -> QuerySet[Policy]:
    return (
        Policy.objects.filter(organisation=organisation, archived_at__isnull=not archived)
        .prefetch_related(
            Prefetch("nodes", queryset=Node.objects.select_related("edition__framework"))
        )
        .order_by("title", "id")
    )


def front_page_html(organisation: Organisation) -> str:
    return (
        FrontPage.objects.filter(organisation=organisation).values_list("html", flat=True).first()
        or ""
    )
