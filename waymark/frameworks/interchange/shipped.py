"""The shipped YAML data (waymark/frameworks/data, described in its README): framework
files and mapping files.

Every identifier is a uuid5 over a fixed namespace — the edition from
"<slug>/<edition>", each node from "<slug>/<edition>/<code>" — so loading a file again,
on any machine, finds the same rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from .package import (
    DocumentRecord,
    ItemRecord,
    ItemTypeRecord,
    LinkRef,
    MappingRecord,
    MappingSet,
    Package,
    stable_uuid,
)
from .problems import Collector, InterchangeError, Problem
from .values import parse_date, short

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

_DOCUMENT_KEYS = {
    "slug",
    "title",
    "short_title",
    "publisher",
    "edition",
    "date",
    "kind",
    "assesses",
    "language",
    "licence",
    "source",
    "description",
    "historical",
    "nodes",
    "official_source_url",
    "status",
}
_NODE_KEYS = {
    "code",
    "item_type",
    "title",
    "statement",
    "competence_type",
    "functional_area",
    "scqf_level",
    "central",
    "notes",
    "children",
}
_MAPPING_FILE_KEYS = {"title", "made_by", "made_on", "method", "confirmed", "mappings"}
_MAPPING_KEYS = {"from", "to", "type", "note"}


def framework_identifiers(slug: str, edition: str, code: str | None = None) -> str:
    """The identifier of a shipped edition (no code) or of one of its nodes."""
    return stable_uuid(f"{slug}/{edition}/{code}" if code is not None else f"{slug}/{edition}")


def load_yaml(data: bytes, name: str) -> Any:
    if not data.strip():
        raise InterchangeError([Problem(name, _("The file is empty."))])
    try:
        return yaml.safe_load(data)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = (
            _("%(name)s, line %(line)d, column %(column)d")
            % {"name": name, "line": mark.line + 1, "column": mark.column + 1}
            if mark is not None
            else name
        )
        reason = getattr(exc, "problem", None) or str(exc)
        raise InterchangeError(
            [Problem(where, _("This is not valid YAML: %(reason)s.") % {"reason": reason})]
        ) from exc


def is_mapping_file(raw: Any) -> bool:
    return isinstance(raw, dict) and "mappings" in raw and "nodes" not in raw


def read_framework_yaml(data: bytes, *, name: str = "framework.yaml") -> Package:
    raw = load_yaml(data, name)
    return framework_from_yaml(raw, name=name)


def _text(
    c: Collector, obj: dict[str, Any], key: str, where: str, *, required: bool = False
) -> str:
    value = obj.get(key)
    if value is None:
        if required:
            c.error(where, _("“%(field)s” is missing.") % {"field": key})
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float | date):
        c.error(where, _("“%(field)s” must be text.") % {"field": key})
        return ""
    text = str(value).strip()
    if required and not text:
        c.error(where, _("“%(field)s” is empty.") % {"field": key})
    return text


def framework_from_yaml(raw: Any, *, name: str) -> Package:
    c = Collector(lenient=False)
    if not isinstance(raw, dict):
        raise InterchangeError(
            [
                Problem(
                    name,
                    _(
                        "A framework file must be a YAML mapping with slug, title, edition and nodes."
                    ),
                )
            ]
        )
    for key in raw:
        if key not in _DOCUMENT_KEYS:
            c.error(
                name,
                _("“%(field)s” is not a framework field (expected: %(allowed)s).")
                % {"field": key, "allowed": ", ".join(sorted(_DOCUMENT_KEYS))},
            )
    slug = _text(c, raw, "slug", name, required=True)
    edition = _text(c, raw, "edition", name, required=True)
    for key in ("title", "publisher", "kind"):
        _text(c, raw, key, name, required=True)
    when = raw.get("date")
    publication_date = parse_date(when) if when is not None else None
    if when is not None and publication_date is None:
        c.error(name, _("“date” must be a date written YYYY-MM-DD."))
    historical = raw.get("historical", False)
    if not isinstance(historical, bool):
        c.error(name, _("“historical” must be true or false."))
        historical = False
    doc = DocumentRecord(
        identifier=framework_identifiers(slug, edition),
        title=_text(c, raw, "title", name),
        publisher=_text(c, raw, "publisher", name),
        creator=_text(c, raw, "publisher", name),
        short_title=_text(c, raw, "short_title", name),
        version=edition,
        publication_date=publication_date,
        source=_text(c, raw, "source", name),
        official_source_url=_text(c, raw, "official_source_url", name),
        licence=_text(c, raw, "licence", name),
        description=_text(c, raw, "description", name),
        kind=_text(c, raw, "kind", name),
        assesses=_text(c, raw, "assesses", name),
        language=_text(c, raw, "language", name) or "en",
        status=_text(c, raw, "status", name),
        historical=historical,
        slug=slug,
        where=name,
    )
    package = Package(document=doc, format="yaml")
    item_types: dict[str, ItemTypeRecord] = {}
    codes: dict[str, str] = {}

    def walk(nodes: Any, parent: ItemRecord | None, path: str, depth: int) -> None:
        if nodes is None:
            return
        if not isinstance(nodes, list):
            c.error(f"{name}: {path}", _("must be a list of nodes."))
            return
        for index, node in enumerate(nodes):
            here = f"{path}[{index}]"
            if not isinstance(node, dict):
                c.error(f"{name}: {here}", _("a node must be a mapping with code and statement."))
                continue
            code = _text(c, node, "code", f"{name}: {here}", required=True)
            where = (
                _("%(name)s: node “%(code)s”") % {"name": name, "code": code}
                if code
                else f"{name}: {here}"
            )
            for key in node:
                if key not in _NODE_KEYS:
                    c.error(
                        where,
                        _("“%(field)s” is not a node field (expected: %(allowed)s).")
                        % {"field": key, "allowed": ", ".join(sorted(_NODE_KEYS))},
                    )
            if code in codes:
                c.error(
                    where,
                    _("the code “%(code)s” is used twice (also at %(other)s).")
                    % {"code": code, "other": codes[code]},
                )
            elif code:
                codes[code] = where
            label = _text(c, node, "item_type", where)
            type_link = None
            if label:
                if label not in item_types:
                    item_types[label] = ItemTypeRecord(
                        identifier=stable_uuid(f"{slug}/item-type/{label}"),
                        title=label,
                        hierarchy_code=str(depth + 1),
                        where=where,
                    )
                t = item_types[label]
                type_link = LinkRef(identifier=t.identifier, title=t.title)
            scqf = node.get("scqf_level")
            if scqf is not None and (isinstance(scqf, bool) or not isinstance(scqf, int)):
                c.error(where, _("“scqf_level” must be a whole number from 1 to 12."))
                scqf = None
            central = node.get("central", False)
            if not isinstance(central, bool):
                c.error(where, _("“central” must be true or false."))
                central = False
            item = ItemRecord(
                identifier=framework_identifiers(slug, edition, code),
                statement=_text(c, node, "statement", where, required=True),
                code=code,
                title=_text(c, node, "title", where),
                item_type_label=label,
                item_type=type_link,
                competence_type=_text(c, node, "competence_type", where),
                functional_area=_text(c, node, "functional_area", where),
                scqf_level=scqf,
                is_central=central,
                notes=_text(c, node, "notes", where),
                parent=parent.identifier if parent else None,
                parent_association_identifier=stable_uuid(f"{slug}/{edition}/{code}/isChildOf"),
                sequence=index + 1,
                where=where,
            )
            package.items.append(item)
            walk(node.get("children"), item, f"{here}.children", depth + 1)

    if "nodes" not in raw:
        c.error(name, _("“nodes” is missing."))
    walk(raw.get("nodes"), None, "nodes", 0)
    package.item_types = list(item_types.values())
    c.raise_if_errors()
    return package


def read_mapping_yaml(data: bytes, *, name: str) -> MappingSet:
    raw = load_yaml(data, name)
    return mapping_set_from_yaml(raw, name=name)


def mapping_set_from_yaml(raw: Any, *, name: str) -> MappingSet:
    c = Collector(lenient=False)
    if not isinstance(raw, dict):
        raise InterchangeError(
            [Problem(name, _("A mapping file must be a YAML mapping with title and mappings."))]
        )
    for key in raw:
        if key not in _MAPPING_FILE_KEYS:
            c.error(
                name,
                _("“%(field)s” is not a mapping file field (expected: %(allowed)s).")
                % {"field": key, "allowed": ", ".join(sorted(_MAPPING_FILE_KEYS))},
            )
    made_on = raw.get("made_on")
    confirmed = raw.get("confirmed", False)
    if not isinstance(confirmed, bool):
        c.error(name, _("“confirmed” must be true or false."))
        confirmed = False
    stem = Path(name).stem
    mapping_set = MappingSet(
        name=stem,
        title=_text(c, raw, "title", name, required=True),
        made_by=_text(c, raw, "made_by", name)[:200],
        made_on=parse_date(made_on),
        method=_text(c, raw, "method", name),
        confirmed=confirmed,
    )
    if made_on is not None and mapping_set.made_on is None:
        c.error(name, _("“made_on” must be a date written YYYY-MM-DD."))
    mappings = raw.get("mappings")
    if not isinstance(mappings, list):
        c.error(name, _("“mappings” must be a list."))
        mappings = []
    for index, entry in enumerate(mappings):
        where = f"{name}: mappings[{index}]"
        if not isinstance(entry, dict):
            c.error(where, _("a mapping must have from, to and type."))
            continue
        for key in entry:
            if key not in _MAPPING_KEYS:
                c.error(
                    where,
                    _("“%(field)s” is not a mapping field (expected: %(allowed)s).")
                    % {"field": key, "allowed": ", ".join(sorted(_MAPPING_KEYS))},
                )
        origin = _text(c, entry, "from", where, required=True)
        destination = _text(c, entry, "to", where, required=True)
        where = f"{where} ({short(origin, 40)} → {short(destination, 40)})"
        mapping_set.mappings.append(
            MappingRecord(
                origin=origin,
                destination=destination,
                kind=_text(c, entry, "type", where, required=True),
                note=_text(c, entry, "note", where),
                where=where,
            )
        )
    c.raise_if_errors()
    return mapping_set
