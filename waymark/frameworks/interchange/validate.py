"""Checks on a whole package that do not need the database: every reader's output passes
through here before anything is written."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.utils.translation import gettext as _

from waymark.frameworks.models import (
    Assesses,
    AssociationType,
    CompetenceType,
    EditionStatus,
    FrameworkKind,
    FunctionalArea,
)

from .package import ItemRecord, Package
from .problems import Collector, Problem
from .values import is_uuid, short

# Node.path holds each level's 6-digit position and a dot.
MAX_DEPTH = 100

_DOCUMENT_LENGTHS = {
    "title": 300,
    "short_title": 100,
    "version": 50,
    "publisher": 300,
    "uri": 500,
    "official_source_url": 500,
    "language": 20,
    "adoption_status": 50,
    "slug": 100,
}
_ITEM_LENGTHS = {"code": 100, "title": 500, "item_type_label": 200, "uri": 500, "language": 20}
_FIELD_LABELS = {
    "title": "title",
    "short_title": "short title",
    "version": "version",
    "publisher": "publisher",
    "uri": "uri",
    "official_source_url": "officialSourceURL",
    "language": "language",
    "adoption_status": "adoptionStatus",
    "slug": "slug",
    "code": "humanCodingScheme (code)",
    "item_type_label": "CFItemType (item type)",
}


def choice_values(choices: type) -> list[str]:
    return [str(v) for v in choices.values]  # type: ignore[attr-defined]


def validate_package(package: Package) -> list[Problem]:
    c = Collector()
    doc = package.document
    where = doc.where or "CFDocument"
    if not is_uuid(doc.identifier):
        c.error(where, _("the document identifier is missing or not a UUID."))
    if not doc.title.strip():
        c.error(where, _("the framework title is missing."))
    for name, limit in _DOCUMENT_LENGTHS.items():
        value = getattr(doc, name)
        if len(value) > limit:
            c.error(
                where,
                _("%(field)s is %(length)d characters long; the most Waymark keeps is %(limit)d.")
                % {"field": _FIELD_LABELS[name], "length": len(value), "limit": limit},
            )
    if doc.official_source_url:
        try:
            URLValidator()(doc.official_source_url)
        except ValidationError:
            c.error(
                where,
                _("officialSourceURL “%(value)s” is not a web address.")
                % {"value": short(doc.official_source_url)},
            )
    if doc.slug:
        try:
            validate_slug(doc.slug)
        except ValidationError:
            c.error(
                where,
                _(
                    "the short name (slug) “%(value)s” may hold only letters, numbers, hyphens and underscores."
                )
                % {"value": short(doc.slug)},
            )
    _check_choice(c, where, _("kind"), doc.kind, FrameworkKind)
    _check_choice(c, where, _("assesses"), doc.assesses, Assesses)
    _check_choice(c, where, _("status"), doc.status, EditionStatus)

    item_where: dict[str, str] = {}
    used_association_ids: dict[str, str] = {}
    for item in package.items:
        w = item.where
        if not is_uuid(item.identifier):
            c.error(w, _("the item identifier is missing or not a UUID."))
        elif item.identifier in item_where:
            c.error(
                w,
                _("identifier %(id)s is used by more than one item (also %(other)s).")
                % {"id": item.identifier, "other": item_where[item.identifier]},
            )
        elif item.identifier == doc.identifier:
            c.error(
                w,
                _("identifier %(id)s is the document's own identifier.") % {"id": item.identifier},
            )
        else:
            item_where[item.identifier] = w
        if not item.statement.strip():
            c.error(w, _("the statement (fullStatement) is missing."))
        for name, limit in _ITEM_LENGTHS.items():
            value = getattr(item, name)
            if len(value) > limit:
                c.error(
                    w,
                    _(
                        "%(field)s is %(length)d characters long; the most Waymark keeps is %(limit)d."
                    )
                    % {
                        "field": _FIELD_LABELS.get(name, name),
                        "length": len(value),
                        "limit": limit,
                    },
                )
        _check_choice(c, w, _("competence type"), item.competence_type, CompetenceType)
        _check_choice(c, w, _("functional area"), item.functional_area, FunctionalArea)
        if item.scqf_level is not None and not 1 <= item.scqf_level <= 12:
            c.error(w, _("SCQF level %(value)s is outside 1 to 12.") % {"value": item.scqf_level})
        pid = item.parent_association_identifier
        if not is_uuid(pid):
            c.error(
                item.parent_where or w,
                _("the isChildOf association's identifier is missing or not a UUID."),
            )
        elif pid in used_association_ids:
            c.error(
                item.parent_where or w,
                _("association identifier %(id)s is used more than once (also %(other)s).")
                % {"id": pid, "other": used_association_ids[pid]},
            )
        else:
            used_association_ids[pid] = item.parent_where or w
        if item.item_type is not None and not is_uuid(item.item_type.identifier):
            c.error(w, _("CFItemTypeURI.identifier is not a UUID."))

    _check_tree(c, package.items, item_where)

    for assoc in package.associations:
        w = assoc.where
        if not is_uuid(assoc.identifier):
            c.error(w, _("the association identifier is missing or not a UUID."))
        elif assoc.identifier in used_association_ids:
            c.error(
                w,
                _("association identifier %(id)s is used more than once (also %(other)s).")
                % {"id": assoc.identifier, "other": used_association_ids[assoc.identifier]},
            )
        else:
            used_association_ids[assoc.identifier] = w
        if assoc.association_type not in choice_values(AssociationType):
            c.error(
                w,
                _("“%(value)s” is not a CASE association type.")
                % {"value": short(assoc.association_type)},
            )
        for end, label in (
            (assoc.origin, "originNodeURI"),
            (assoc.destination, "destinationNodeURI"),
        ):
            if not end.identifier.strip():
                c.error(w, _("%(field)s has no identifier.") % {"field": label})
            elif len(end.identifier) > 200:
                c.error(
                    w, _("%(field)s.identifier is longer than 200 characters.") % {"field": label}
                )
            if len(end.uri) > 500:
                c.error(w, _("%(field)s.uri is longer than 500 characters.") % {"field": label})
            if len(end.title) > 500:
                c.error(w, _("%(field)s.title is longer than 500 characters.") % {"field": label})
        if len(assoc.uri) > 500:
            c.error(w, _("uri is longer than 500 characters."))
        if len(assoc.made_by_name) > 200:
            c.error(w, _("“made by” is longer than 200 characters."))

    type_where: dict[str, str] = {}
    for t in package.item_types:
        if not is_uuid(t.identifier):
            c.error(t.where, _("the item type identifier is missing or not a UUID."))
        elif t.identifier in type_where:
            c.error(
                t.where,
                _("item type identifier %(id)s is used twice (also %(other)s).")
                % {"id": t.identifier, "other": type_where[t.identifier]},
            )
        else:
            type_where[t.identifier] = t.where
        if not t.title.strip():
            c.error(t.where, _("the item type title is missing."))
        for value, limit, label in (
            (t.title, 200, "title"),
            (t.type_code, 100, "typeCode"),
            (t.hierarchy_code, 100, "hierarchyCode"),
            (t.uri, 500, "uri"),
        ):
            if len(value) > limit:
                c.error(
                    t.where,
                    _("%(field)s is longer than %(limit)d characters.")
                    % {"field": label, "limit": limit},
                )
    return c.all_errors()


def _check_choice(c: Collector, where: str, label: str, value: str, choices: type) -> None:
    allowed = choice_values(choices)
    if value and value not in allowed:
        c.error(
            where,
            _("%(field)s “%(value)s” is not one of: %(allowed)s.")
            % {"field": label, "value": short(value), "allowed": ", ".join(allowed)},
        )


def _check_tree(c: Collector, items: list[ItemRecord], item_where: dict[str, str]) -> None:
    parent_of = {i.identifier: i.parent for i in items if i.identifier in item_where}
    by_id = {i.identifier: i for i in items}
    for item in items:
        if item.parent is not None and item.parent not in parent_of:
            c.error(
                item.parent_where or item.where,
                _("the parent %(parent)s is neither the document nor an item in this file.")
                % {"parent": item.parent},
            )
    # Walk up from every item; a walk that meets itself is a loop. Each loop is reported once.
    state: dict[str, int] = {}  # 1 on the current walk, 2 finished
    reported: set[str] = set()
    for start in parent_of:
        walk: list[str] = []
        node: str | None = start
        while node is not None and node in parent_of and state.get(node) is None:
            state[node] = 1
            walk.append(node)
            node = parent_of[node]
        if node is not None and state.get(node) == 1:
            loop = walk[walk.index(node) :]
            if not reported.intersection(loop):
                reported.update(loop)
                first = by_id[loop[0]]
                names = " → ".join(by_id[i].code or i for i in [*loop, loop[0]])
                c.error(
                    first.parent_where or first.where,
                    _("isChildOf associations form a loop (%(loop)s): a framework must be a tree.")
                    % {"loop": names},
                )
        for n in walk:
            state[n] = 2
    # Depth, for items not in a loop.
    depth: dict[str, int] = {}
    for start in parent_of:
        if start in reported:
            continue
        chain: list[str] = []
        node = start
        while node is not None and node not in depth and node in parent_of and node not in reported:
            chain.append(node)
            node = parent_of[node]
        base = depth.get(node, -1) if node is not None else -1
        for n in reversed(chain):
            base += 1
            depth[n] = base
        if depth.get(start, 0) >= MAX_DEPTH:
            c.error(
                by_id[start].where,
                _("the item is nested %(depth)d levels deep; Waymark keeps at most %(max)d.")
                % {"depth": depth[start] + 1, "max": MAX_DEPTH},
            )
