"""Spreadsheets for editors who live in Excel: CSV and XLSX, one row per item.

XLSX: a "Framework" sheet of field/value rows, an "Items" sheet, and an optional
"Associations" sheet. CSV: the framework fields as "#field,value" rows at the top, then
the items table. Column headings are matched without regard to case, spaces, hyphens or
underscores. The layout is described in docs/interchange.md."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

from waymark.frameworks.models import (
    Assesses,
    CompetenceType,
    EditionStatus,
    FrameworkKind,
    FunctionalArea,
)

from .package import (
    AssociationRecord,
    DocumentRecord,
    EditionTarget,
    ItemRecord,
    LinkRef,
    Package,
    stable_uuid,
)
from .problems import Collector, InterchangeError, Problem, merge_warnings
from .values import canonical_identifier, is_uuid, parse_bool, parse_date, short

# (key, heading as written on export, other headings accepted on import)
ITEM_COLUMNS: list[tuple[str, str, tuple[str, ...]]] = [
    ("identifier", "Identifier", ("id", "uuid", "item identifier")),
    ("parent", "Parent", ("parent code", "parent identifier", "parent code or identifier")),
    ("code", "Code", ("human coding scheme", "humancodingscheme")),
    ("item_type", "Item type", ("type", "cfitemtype")),
    ("title", "Title", ("short title", "abbreviated statement")),
    ("statement", "Statement", ("full statement", "fullstatement")),
    ("competence_type", "Competence type", ()),
    ("functional_area", "Functional area", ()),
    ("scqf_level", "SCQF level", ("scqf", "level")),
    ("central", "Central", ("is central",)),
    ("sequence", "Sequence", ("order", "sequence number")),
    ("notes", "Notes", ()),
]
REQUIRED_ITEM_COLUMNS = ["code", "statement"]

DOCUMENT_FIELDS: list[tuple[str, str, tuple[str, ...]]] = [
    ("identifier", "Identifier", ("cfdocument identifier",)),
    ("slug", "Short name", ("slug",)),
    ("title", "Title", ()),
    ("short_title", "Short title", ()),
    ("publisher", "Publisher", ()),
    ("creator", "Creator", ()),
    ("version", "Edition", ("version",)),
    ("date", "Date", ("publication date",)),
    ("kind", "Kind", ()),
    ("assesses", "Assesses", ()),
    ("language", "Language", ()),
    ("licence", "Licence", ("license", "licence and attribution")),
    ("source", "Source", ()),
    (
        "official_source_url",
        "Official source web address",
        ("official source url", "officialsourceurl"),
    ),
    ("description", "Description", ()),
    ("historical", "Historical", ()),
    ("status", "Status", ()),
    ("adoption_status", "Adoption status", ("adoptionstatus",)),
    ("uri", "URI", ()),
]

ASSOCIATION_COLUMNS: list[tuple[str, str, tuple[str, ...]]] = [
    ("identifier", "Identifier", ("id",)),
    ("origin", "From", ("origin",)),
    ("type", "Type", ("association type", "associationtype")),
    ("destination", "To", ("destination",)),
    ("destination_title", "To title", ("destination title",)),
    ("destination_uri", "To URI", ("destination uri",)),
    ("confirmed", "Confirmed", ()),
    ("made_by", "Made by", ()),
    ("note", "Note", ("reasoning",)),
]
MAPPING_KIND_TYPES = {
    "exact": "exactMatchOf",
    "related": "isRelatedTo",
    "broader": "isPartOf",
    "narrower": "isPartOf",
}
CASE_TYPES = [
    "isChildOf",
    "isPeerOf",
    "isPartOf",
    "exactMatchOf",
    "precedes",
    "isRelatedTo",
    "replacedBy",
    "exemplar",
    "hasSkillLevel",
]

# Cells that a spreadsheet program would run as a formula are written with a leading
# apostrophe in CSV (the usual defence against formula injection) and read back without it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _norm(heading: str) -> str:
    return re.sub(r"[^a-z0-9]", "", heading.lower())


def _lookup(columns: list[tuple[str, str, tuple[str, ...]]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, heading, aliases in columns:
        for name in (key, heading, *aliases):
            out[_norm(name)] = key
    return out


def _heading(columns: list[tuple[str, str, tuple[str, ...]]], key: str) -> str:
    return next(h for k, h, _a in columns if k == key)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text[:1] == "'" and text[1:2] in _FORMULA_START and text[1:2]:
        text = text[1:]
    return text.strip()


def _choice(value: str, choices: type) -> str | None:
    """A choice's stored value from its value or its label, in any case; None if neither."""
    wanted = _norm(value)
    for v, label in choices.choices:  # type: ignore[attr-defined]
        if _norm(str(v)) == wanted or _norm(str(label)) == wanted:
            return str(v)
    return None


def _allowed(choices: type) -> str:
    return ", ".join(str(v) for v in choices.values)  # type: ignore[attr-defined]


@dataclass
class _Row:
    number: int
    cells: dict[str, str]


class _Table:
    """A sheet's rows keyed by the columns Waymark reads, with where each came from."""

    def __init__(
        self,
        label: str,
        header_row: int,
        headings: list[str],
        columns: list[tuple[str, str, tuple[str, ...]]],
        c: Collector,
    ) -> None:
        self.label = label
        self.columns = columns
        self.index: dict[int, str] = {}
        self.headings: dict[str, str] = {}
        lookup = _lookup(columns)
        for i, heading in enumerate(headings):
            if not heading:
                continue
            key = lookup.get(_norm(heading))
            if key is None:
                c.warn(
                    self.where(header_row, heading),
                    _("Waymark does not read this column; it is ignored."),
                )
            elif key in self.headings:
                c.error(self.where(header_row, heading), _("this column appears twice."))
            else:
                self.index[i] = key
                self.headings[key] = heading
        self.rows: list[_Row] = []

    def where(self, row: int, column: str | None = None) -> str:
        if self.label:
            if column is None:
                return _("%(sheet)srow %(row)d") % {"sheet": self.label, "row": row}
            return _("%(sheet)srow %(row)d, column “%(column)s”") % {
                "sheet": self.label,
                "row": row,
                "column": column,
            }
        if column is None:
            return _("Row %(row)d") % {"row": row}
        return _("Row %(row)d, column “%(column)s”") % {"row": row, "column": column}

    def cell_where(self, row: _Row, key: str) -> str:
        return self.where(row.number, self.headings.get(key, _heading(self.columns, key)))

    def add(self, number: int, values: list[Any]) -> None:
        cells = {
            key: _cell_text(values[i]) if i < len(values) else "" for i, key in self.index.items()
        }
        if any(cells.values()):
            self.rows.append(_Row(number, cells))


# ----------------------------------------------------------------------------- reading


def read_csv(data: bytes, *, lenient: bool = True, target: EditionTarget | None = None) -> Package:
    c = Collector(lenient=lenient)
    if not data.strip():
        raise InterchangeError([Problem("", _("The file is empty."))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if not c.repair(
            "",
            _(
                "The file is not UTF-8 text; it was read as Windows-1252 (save it as “CSV UTF-8” to avoid this)."
            ),
        ):
            c.raise_if_errors()
        text = data.decode("cp1252", errors="replace")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    meta: dict[str, tuple[str, str]] = {}
    items: _Table | None = None
    for number, row in enumerate(rows, start=1):
        first = row[0].strip() if row else ""
        if items is None:
            if not any(cell.strip() for cell in row):
                continue
            if first.startswith("#"):
                meta[first[1:].strip()] = (
                    row[1] if len(row) > 1 else "",
                    _("Row %(row)d") % {"row": number},
                )
                continue
            items = _Table("", number, [h.strip() for h in row], ITEM_COLUMNS, c)
            continue
        items.add(number, list(row))
    if items is None:
        raise InterchangeError(
            [Problem("", _("The file has no row of column headings (Code, Statement, …)."))]
        )
    package = _build(
        c, meta, items, None, fmt="csv", meta_label=_("“#” rows at the top"), target=target
    )
    return package


def _delimiter(text: str) -> str:
    """Comma, or the semicolon or tab that spreadsheet programs in some locales write:
    whichever splits the row of column headings into the most cells."""
    for line in text.splitlines()[:200]:
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and stripped.strip(",;\t"):
            return max(",;\t", key=lambda d: (line.count(d), d == ","))
    return ","


def read_xlsx(data: bytes, *, lenient: bool = True, target: EditionTarget | None = None) -> Package:
    from openpyxl import load_workbook

    c = Collector(lenient=lenient)
    if not data.strip():
        raise InterchangeError([Problem("", _("The file is empty."))])
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InterchangeError(
            [
                Problem(
                    "",
                    _("This is not an Excel workbook (.xlsx) that Waymark can read: %(reason)s.")
                    % {"reason": exc},
                )
            ]
        ) from exc
    try:
        names = {_norm(n): n for n in book.sheetnames}
        items_name = names.get("items") or book.sheetnames[0]
        meta: dict[str, tuple[str, str]] = {}
        framework_name = names.get("framework")
        if framework_name:
            for number, values in enumerate(
                book[framework_name].iter_rows(values_only=True), start=1
            ):
                key = _cell_text(values[0]) if values else ""
                if not key or (number == 1 and _norm(key) == "field"):
                    continue
                value = _cell_text(values[1]) if len(values) > 1 else ""
                meta[key] = (value, _("Framework sheet, row %(row)d") % {"row": number})
        items = _sheet_table(
            book[items_name], _("%(sheet)s sheet, ") % {"sheet": items_name}, ITEM_COLUMNS, c
        )
        assoc_name = names.get("associations")
        associations = (
            _sheet_table(
                book[assoc_name],
                _("%(sheet)s sheet, ") % {"sheet": assoc_name},
                ASSOCIATION_COLUMNS,
                c,
            )
            if assoc_name
            else None
        )
    finally:
        book.close()
    if items is None:
        raise InterchangeError(
            [
                Problem(
                    _("%(sheet)s sheet") % {"sheet": items_name},
                    _("The sheet has no row of column headings (Code, Statement, …)."),
                )
            ]
        )
    return _build(
        c, meta, items, associations, fmt="xlsx", meta_label=_("the Framework sheet"), target=target
    )


def _sheet_table(
    sheet: Any, label: str, columns: list[tuple[str, str, tuple[str, ...]]], c: Collector
) -> _Table | None:
    table: _Table | None = None
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        values = list(values)
        if table is None:
            if not any(_cell_text(v) for v in values):
                continue
            table = _Table(label, number, [_cell_text(v) for v in values], columns, c)
            continue
        table.add(number, values)
    return table


def _build(
    c: Collector,
    meta: dict[str, tuple[str, str]],
    items: _Table,
    associations: _Table | None,
    *,
    fmt: str,
    meta_label: str,
    target: EditionTarget | None = None,
) -> Package:
    document = _document(c, meta, meta_label, target)
    missing = [k for k in REQUIRED_ITEM_COLUMNS if k not in items.headings]
    if missing:
        c.error(
            items.label.rstrip(", ") or _("column headings"),
            _("The items table has no %(columns)s column. Required columns: %(required)s.")
            % {
                "columns": _(" or ").join(f"“{_heading(ITEM_COLUMNS, k)}”" for k in missing),
                "required": ", ".join(_heading(ITEM_COLUMNS, k) for k in REQUIRED_ITEM_COLUMNS),
            },
        )
        c.raise_if_errors()
    if not items.rows:
        c.error(items.label.rstrip(", ") or "", _("The items table has no rows."))
    package = Package(document=document, format=fmt)
    records = _items(c, items, document, package, target)
    package.items = records
    if associations is not None:
        package.associations = _associations(c, associations, records)
    c.raise_if_errors()
    package.warnings = merge_warnings(c.warnings)
    return package


def _document(
    c: Collector,
    meta: dict[str, tuple[str, str]],
    meta_label: str,
    target: EditionTarget | None = None,
) -> DocumentRecord:
    lookup = _lookup(DOCUMENT_FIELDS)
    values: dict[str, str] = {}
    where_of: dict[str, str] = {}
    for name, (value, where) in meta.items():
        key = lookup.get(_norm(name))
        if key is None:
            c.warn(
                where,
                _("“%(field)s” is not a framework field Waymark reads; it is ignored.")
                % {"field": name},
            )
            continue
        values[key] = value.strip()
        where_of[key] = where
    here = meta_label
    title = values.get("title", "")
    if not title:
        c.error(
            here,
            _("The framework title is missing: add a “Title” field to %(place)s.")
            % {"place": meta_label},
        )
    publisher = values.get("publisher", "") or values.get("creator", "")
    if not publisher:
        c.error(
            here,
            _("The publisher is missing: add a “Publisher” field to %(place)s.")
            % {"place": meta_label},
        )
    ident = values.get("identifier", "")
    if ident and not is_uuid(ident):
        c.error(
            where_of["identifier"],
            _("the identifier “%(value)s” is not a UUID; leave it empty to have one made.")
            % {"value": short(ident)},
        )
    slug = values.get("slug", "")
    version = values.get("version", "")
    if target is not None:
        if ident and is_uuid(ident) and canonical_identifier(ident) != target.identifier:
            c.error(
                where_of["identifier"],
                _(
                    "this spreadsheet is the edition %(id)s, not the one it is being imported into (%(target)s)."
                )
                % {"id": ident, "target": target.identifier},
            )
        ident = target.identifier
    elif not ident or not is_uuid(ident):
        ident = stable_uuid(f"spreadsheet/{slug or slugify(title)}/{version}")
    choice_fields = {"kind": FrameworkKind, "assesses": Assesses, "status": EditionStatus}
    chosen: dict[str, str] = {}
    for key, choices in choice_fields.items():
        raw = values.get(key, "")
        if raw:
            found = _choice(raw, choices)
            if found is None:
                c.error(
                    where_of[key],
                    _("“%(value)s” is not one of: %(allowed)s.")
                    % {"value": short(raw), "allowed": _allowed(choices)},
                )
            chosen[key] = found or ""
    publication_date = None
    if values.get("date"):
        publication_date = parse_date(values["date"])
        if publication_date is None:
            c.error(
                where_of["date"],
                _("“%(value)s” is not a date written YYYY-MM-DD.")
                % {"value": short(values["date"])},
            )
    historical = False
    if values.get("historical"):
        parsed = parse_bool(values["historical"])
        if parsed is None:
            c.error(where_of["historical"], _("write yes or no."))
        historical = bool(parsed)
    return DocumentRecord(
        identifier=canonical_identifier(ident),
        title=title,
        uri=values.get("uri", ""),
        creator=values.get("creator", "") or publisher,
        publisher=publisher,
        short_title=values.get("short_title", ""),
        version=version,
        publication_date=publication_date,
        source=values.get("source", ""),
        official_source_url=values.get("official_source_url", ""),
        licence=values.get("licence", ""),
        description=values.get("description", ""),
        kind=chosen.get("kind", ""),
        assesses=chosen.get("assesses", ""),
        language=values.get("language", ""),
        adoption_status=values.get("adoption_status", ""),
        status=chosen.get("status", ""),
        historical=historical,
        slug=slug,
        where=meta_label,
    )


def _items(
    c: Collector,
    table: _Table,
    document: DocumentRecord,
    package: Package,
    target: EditionTarget | None = None,
) -> list[ItemRecord]:
    known = target.identifiers_by_code if target is not None else {}
    records: list[ItemRecord] = []
    parents: list[tuple[ItemRecord, str, _Row]] = []
    by_identifier: dict[str, ItemRecord] = {}
    by_code: dict[str, list[ItemRecord]] = {}
    for row in table.rows:
        cells = row.cells
        where = table.where(row.number)
        code = cells.get("code", "")
        ident = cells.get("identifier", "")
        if ident and not is_uuid(ident):
            c.error(
                table.cell_where(row, "identifier"),
                _("“%(value)s” is not a UUID; leave it empty to have one made.")
                % {"value": short(ident)},
            )
            ident = ""
        if not ident and not code:
            c.error(table.cell_where(row, "code"), _("each item needs a code (or an identifier)."))
        if ident:
            ident = canonical_identifier(ident)
        else:
            ident = known.get(code) or stable_uuid(f"{document.identifier}/{code}")
        if not cells.get("statement", ""):
            c.error(table.cell_where(row, "statement"), _("the statement is missing."))
        competence = cells.get("competence_type", "")
        if competence:
            found = _choice(competence, CompetenceType)
            if found is None:
                c.error(
                    table.cell_where(row, "competence_type"),
                    _("“%(value)s” is not a competence type (%(allowed)s).")
                    % {"value": short(competence), "allowed": _allowed(CompetenceType)},
                )
            competence = found or ""
        area = cells.get("functional_area", "")
        if area:
            found = _choice(area, FunctionalArea)
            if found is None:
                c.error(
                    table.cell_where(row, "functional_area"),
                    _("“%(value)s” is not a functional area (%(allowed)s).")
                    % {"value": short(area), "allowed": _allowed(FunctionalArea)},
                )
            area = found or ""
        scqf: int | None = None
        if cells.get("scqf_level", ""):
            raw = cells["scqf_level"]
            if raw.isdigit() and 1 <= int(raw) <= 12:
                scqf = int(raw)
            else:
                c.error(
                    table.cell_where(row, "scqf_level"),
                    _("“%(value)s” is not an SCQF level: write a whole number from 1 to 12.")
                    % {"value": short(raw)},
                )
        central = False
        if cells.get("central", ""):
            parsed = parse_bool(cells["central"])
            if parsed is None:
                c.error(
                    table.cell_where(row, "central"),
                    _("“%(value)s”: write yes or no.") % {"value": short(cells["central"])},
                )
            central = bool(parsed)
        sequence: int | None = None
        if cells.get("sequence", ""):
            raw = cells["sequence"]
            if raw.isdigit():
                sequence = int(raw)
            else:
                c.error(
                    table.cell_where(row, "sequence"),
                    _("“%(value)s” is not a whole number.") % {"value": short(raw)},
                )
        # A label only: the save service finds the item type (see _label_item_types).
        label = cells.get("item_type", "")
        record = ItemRecord(
            identifier=ident,
            statement=cells.get("statement", ""),
            code=code,
            title=cells.get("title", ""),
            item_type_label=label,
            competence_type=competence,
            functional_area=area,
            scqf_level=scqf,
            is_central=central,
            notes=cells.get("notes", ""),
            sequence=sequence,
            where=where,
        )
        if ident in by_identifier:
            c.error(
                table.cell_where(row, "identifier" if cells.get("identifier") else "code"),
                _("this item is already on %(other)s.") % {"other": by_identifier[ident].where},
            )
        else:
            by_identifier[ident] = record
        if code:
            by_code.setdefault(code, []).append(record)
        records.append(record)
        parents.append((record, cells.get("parent", ""), row))
    for record, ref, row in parents:
        parent: ItemRecord | None = None
        if ref:
            key = canonical_identifier(ref)
            if key in by_identifier:
                parent = by_identifier[key]
            elif len(by_code.get(ref, [])) == 1:
                parent = by_code[ref][0]
            elif len(by_code.get(ref, [])) > 1:
                c.error(
                    table.cell_where(row, "parent"),
                    _(
                        "more than one item has the code “%(code)s” (%(rows)s); name the parent by its identifier."
                    )
                    % {"code": short(ref), "rows": ", ".join(r.where for r in by_code[ref])},
                )
            else:
                c.error(
                    table.cell_where(row, "parent"),
                    _("no item in this file has the code or identifier “%(value)s”.")
                    % {"value": short(ref)},
                )
        if parent is record:
            c.error(table.cell_where(row, "parent"), _("an item cannot be its own parent."))
            parent = None
        record.parent = parent.identifier if parent else None
        record.parent_where = table.cell_where(row, "parent") if ref else record.where
        record.parent_association_generated = True
        record.parent_association_identifier = stable_uuid(
            f"{record.identifier}/isChildOf/{record.parent or document.identifier}"
        )
    return records


def _associations(c: Collector, table: _Table, items: list[ItemRecord]) -> list[AssociationRecord]:
    by_code: dict[str, list[ItemRecord]] = {}
    by_id = {i.identifier: i for i in items}
    for i in items:
        if i.code:
            by_code.setdefault(i.code, []).append(i)
    out: list[AssociationRecord] = []

    def end(row: _Row, key: str) -> LinkRef | None:
        ref = row.cells.get(key, "")
        if not ref:
            c.error(
                table.cell_where(row, key),
                _("this is empty: give the code of an item in this file or an item identifier."),
            )
            return None
        key_id = canonical_identifier(ref)
        if key_id in by_id:
            i = by_id[key_id]
            return LinkRef(identifier=i.identifier, title=i.code or short(i.statement))
        matches = by_code.get(ref, [])
        if len(matches) == 1:
            return LinkRef(identifier=matches[0].identifier, title=matches[0].code)
        if len(matches) > 1:
            c.error(
                table.cell_where(row, key),
                _("more than one item has the code “%(code)s”; use its identifier.")
                % {"code": short(ref)},
            )
            return None
        if is_uuid(ref):
            return LinkRef(identifier=key_id)
        c.error(
            table.cell_where(row, key),
            _(
                "no item in this file has the code “%(value)s”; to point outside the file, give an item identifier."
            )
            % {"value": short(ref)},
        )
        return None

    for row in table.rows:
        cells = row.cells
        origin = end(row, "origin")
        destination = end(row, "destination")
        raw_type = cells.get("type", "")
        atype = next((t for t in CASE_TYPES if t.lower() == raw_type.lower()), None)
        kind = raw_type.lower()
        if atype is None and kind in MAPPING_KIND_TYPES:
            atype = MAPPING_KIND_TYPES[kind]
            if kind == "narrower" and origin is not None and destination is not None:
                origin, destination = destination, origin
        if atype is None:
            c.error(
                table.cell_where(row, "type"),
                _(
                    "“%(value)s” is not an association type (%(allowed)s, or exact, broader, narrower, related)."
                )
                % {"value": short(raw_type), "allowed": ", ".join(CASE_TYPES)},
            )
        ident = cells.get("identifier", "")
        if ident and not is_uuid(ident):
            c.error(
                table.cell_where(row, "identifier"),
                _("“%(value)s” is not a UUID; leave it empty to have one made.")
                % {"value": short(ident)},
            )
        confirmed = parse_bool(cells.get("confirmed", ""))
        if confirmed is None:
            c.error(table.cell_where(row, "confirmed"), _("write yes or no."))
        if origin is None or destination is None or atype is None:
            continue
        if cells.get("destination_title"):
            destination.title = cells["destination_title"]
        if cells.get("destination_uri"):
            destination.uri = cells["destination_uri"]
        out.append(
            AssociationRecord(
                identifier=canonical_identifier(ident)
                if is_uuid(ident)
                else stable_uuid(f"{origin.identifier}/{atype}/{destination.identifier}"),
                association_type=atype,
                origin=origin,
                destination=destination,
                confirmed=bool(confirmed),
                made_by_name=cells.get("made_by", ""),
                note=cells.get("note", ""),
                where=table.where(row.number),
            )
        )
    return out


# ----------------------------------------------------------------------------- writing


def _document_rows(package: Package) -> list[tuple[str, str]]:
    d = package.document
    values = {
        "identifier": d.identifier,
        "slug": d.slug,
        "title": d.title,
        "short_title": d.short_title,
        "publisher": d.publisher,
        "creator": d.creator if d.creator != d.publisher else "",
        "version": d.version,
        "date": d.publication_date.isoformat() if d.publication_date else "",
        "kind": d.kind,
        "assesses": d.assesses,
        "language": d.language,
        "licence": d.licence,
        "source": d.source,
        "official_source_url": d.official_source_url,
        "description": d.description,
        "historical": "yes" if d.historical else "no",
        "status": d.status,
        "adoption_status": d.adoption_status,
        "uri": d.uri,
    }
    return [(heading, values[key]) for key, heading, _a in DOCUMENT_FIELDS]


def _item_rows(package: Package) -> Iterable[list[Any]]:
    counts: dict[str, int] = {}
    for i in package.items:
        if i.code:
            counts[i.code] = counts.get(i.code, 0) + 1
    by_id = {i.identifier: i for i in package.items}
    for i in package.items:
        parent = by_id.get(i.parent) if i.parent else None
        parent_ref = ""
        if parent is not None:
            parent_ref = (
                parent.code if parent.code and counts[parent.code] == 1 else parent.identifier
            )
        yield [
            i.identifier,
            parent_ref,
            i.code,
            i.item_type_label,
            i.title,
            i.statement,
            i.competence_type,
            i.functional_area,
            i.scqf_level if i.scqf_level is not None else "",
            "yes" if i.is_central else "",
            i.sequence if i.sequence is not None else "",
            i.notes,
        ]


def _association_rows(package: Package) -> Iterable[list[Any]]:
    counts: dict[str, int] = {}
    for i in package.items:
        if i.code:
            counts[i.code] = counts.get(i.code, 0) + 1
    by_id = {i.identifier: i for i in package.items}

    def ref(link: LinkRef) -> str:
        item = by_id.get(link.identifier)
        if item is not None and item.code and counts[item.code] == 1:
            return item.code
        return link.identifier

    for a in package.associations:
        far = by_id.get(a.destination.identifier)
        yield [
            a.identifier,
            ref(a.origin),
            a.association_type,
            ref(a.destination),
            "" if far else a.destination.title,
            "" if far else a.destination.uri,
            "yes" if a.confirmed else "no",
            a.made_by_name,
            a.note,
        ]


def _safe_csv(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(package: Package) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for heading, value in _document_rows(package):
        if value:
            writer.writerow([f"#{heading}", _safe_csv(value)])
    writer.writerow([])
    writer.writerow([h for _k, h, _a in ITEM_COLUMNS])
    for row in _item_rows(package):
        writer.writerow([_safe_csv(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def write_xlsx(package: Package) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    bold = Font(bold=True)
    meta = book.active
    assert meta is not None
    meta.title = "Framework"
    meta.append(["Field", "Value"])
    for heading, value in _document_rows(package):
        meta.append([heading, _text_cell(value)])
    meta.column_dimensions["A"].width = 28
    meta.column_dimensions["B"].width = 100
    items = book.create_sheet("Items")
    items.append([h for _k, h, _a in ITEM_COLUMNS])
    for row in _item_rows(package):
        items.append([_text_cell(v) for v in row])
    widths = [38, 14, 12, 18, 40, 80, 18, 22, 10, 9, 10, 40]
    for index, width in enumerate(widths):
        items.column_dimensions[chr(ord("A") + index)].width = width
    items.freeze_panes = "A2"
    last = max(items.max_row, 2) + 1000
    for column, choices in (("G", CompetenceType), ("H", FunctionalArea)):
        rule = DataValidation(
            type="list",
            formula1='"' + ",".join(str(v) for v in choices.values) + '"',
            allow_blank=True,
        )
        items.add_data_validation(rule)
        rule.add(f"{column}2:{column}{last}")
    scqf = DataValidation(
        type="whole", operator="between", formula1="1", formula2="12", allow_blank=True
    )
    items.add_data_validation(scqf)
    scqf.add(f"I2:I{last}")
    for row in items.iter_rows(min_row=2, min_col=6, max_col=6):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    assoc = book.create_sheet("Associations")
    assoc.append([h for _k, h, _a in ASSOCIATION_COLUMNS])
    for row in _association_rows(package):
        assoc.append([_text_cell(v) for v in row])
    for sheet in (meta, items, assoc):
        for cell in sheet[1]:
            cell.font = bold
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text_cell(value: Any) -> Any:
    """Strings that start like a formula are stored as text cells, never as formulas."""
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell.cell import Cell

        cell = Cell(None)
        cell.value = value
        cell.data_type = "s"
        return cell
    return value
