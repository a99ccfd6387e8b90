"""The one in-memory shape of a framework package that every reader produces and every
writer consumes: a CASE CFPackage, with Waymark's own fields beside the CASE ones.

Readers (CASE JSON, CSV, XLSX, shipped YAML) turn a file into a `Package`; the save
service (`services.package_import`) writes a `Package` to the database; export turns an
edition back into a `Package` and the writers turn that into a file. Nothing here touches
the database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .problems import Problem

# Deterministic identifiers (shipped YAML, spreadsheets without identifiers) are uuid5
# over this namespace. Never change it: every shipped node's identifier depends on it.
WAYMARK_NAMESPACE = uuid.UUID("6f1c6a52-4d0e-5b8e-9a3f-2b7d0c6e9a41")


def stable_uuid(name: str) -> str:
    return str(uuid.uuid5(WAYMARK_NAMESPACE, name))


@dataclass
class LinkRef:
    """A CASE LinkURI / LinkGenURI: the far end of a link, as the file names it."""

    identifier: str
    uri: str = ""
    title: str = ""

    def as_case(self) -> dict[str, str]:
        return {"title": self.title, "identifier": self.identifier, "uri": self.uri}


@dataclass
class ItemTypeRecord:
    """A CASE CFItemType."""

    identifier: str
    title: str
    uri: str = ""
    description: str = ""
    type_code: str = ""
    hierarchy_code: str = ""
    last_change: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    where: str = ""


@dataclass
class DocumentRecord:
    """A CASE CFDocument with Waymark's edition fields."""

    identifier: str
    title: str
    uri: str = ""
    creator: str = ""
    publisher: str = ""
    short_title: str = ""
    version: str = ""
    publication_date: date | None = None
    source: str = ""
    official_source_url: str = ""
    licence: str = ""
    description: str = ""
    kind: str = ""
    assesses: str = ""
    language: str = ""
    adoption_status: str = ""
    status: str = ""
    historical: bool = False
    last_change: datetime | None = None
    # The framework family's short name, where the file says it (shipped YAML, spreadsheets).
    slug: str = ""
    # CFDocument fields Waymark has no column for (subject, licenseURI, notes, …), verbatim.
    extra: dict[str, Any] = field(default_factory=dict)
    where: str = "CFDocument"


@dataclass
class ItemRecord:
    """A CASE CFItem placed in the tree: `parent` is the identifier of its parent item, or
    None for a top-level item (a child of the document)."""

    identifier: str
    statement: str
    uri: str = ""
    code: str = ""
    title: str = ""
    item_type_label: str = ""
    item_type: LinkRef | None = None
    competence_type: str = ""
    functional_area: str = ""
    scqf_level: int | None = None
    is_central: bool = False
    notes: str = ""
    language: str = ""
    last_change: datetime | None = None
    parent: str | None = None
    # Identifier of the isChildOf association that places this item under its parent.
    parent_association_identifier: str = ""
    # True when the file gave no identifier for that association and the reader made one:
    # an item already in the edition under the same parent then keeps the one it has.
    parent_association_generated: bool = False
    # That association's other fields (uri, lastChangeDateTime, grouping, …), verbatim.
    parent_association_extra: dict[str, Any] = field(default_factory=dict)
    # Order among siblings as the file gives it (None: the file's order).
    sequence: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    where: str = ""
    parent_where: str = ""


@dataclass
class AssociationRecord:
    """A CASE CFAssociation other than the isChildOf that places an item in the tree."""

    identifier: str
    association_type: str
    origin: LinkRef
    destination: LinkRef
    uri: str = ""
    sequence_number: int | None = None
    confirmed: bool = False
    made_by_name: str = ""
    note: str = ""
    last_change: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    where: str = ""


@dataclass
class Package:
    document: DocumentRecord
    items: list[ItemRecord] = field(default_factory=list)
    associations: list[AssociationRecord] = field(default_factory=list)
    item_types: list[ItemTypeRecord] = field(default_factory=list)
    # Other CFDefinitions (CFSubjects, CFConcepts, CFLicenses, CFAssociationGroupings) and
    # CFRubrics, kept verbatim so that they export again.
    definitions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rubrics: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    format: str = ""


@dataclass
class EditionTarget:
    """An import aimed at one edition already in Waymark (the editor's "import into this
    edition"): a spreadsheet without identifiers takes the edition's identifier, and a row
    without an identifier takes that of the edition's item with the same code."""

    identifier: str
    identifiers_by_code: dict[str, str] = field(default_factory=dict)


@dataclass
class MappingRecord:
    """One line of a shipped mapping file, before its ends are found in the database."""

    origin: str  # "<framework slug>:<node code>"
    destination: str
    kind: str  # exact | broader | narrower | related
    note: str = ""
    where: str = ""


@dataclass
class MappingSet:
    """A shipped mapping file: cross-framework associations made and confirmed together."""

    name: str
    title: str
    made_by: str = ""
    made_on: date | None = None
    method: str = ""
    confirmed: bool = False
    mappings: list[MappingRecord] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
