"""Reads for export: an edition back into a `Package`, and that into a file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.utils.text import slugify

from waymark.frameworks.case_api.case_json import package_json
from waymark.frameworks.models import Association, Edition, ItemType, Node

from .package import (
    AssociationRecord,
    DocumentRecord,
    ItemRecord,
    ItemTypeRecord,
    LinkRef,
    Package,
)
from .spreadsheet import write_csv, write_xlsx
from .values import canonical_identifier, is_uuid

EXPORT_FORMATS = {
    "case": ("application/json", "json"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


@dataclass
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def find_edition(identifier: str) -> Edition | None:
    """An edition by its CFDocument identifier, or a framework's current edition by slug."""
    qs = Edition.objects.public().select_related("framework")
    text = identifier.strip()
    if is_uuid(text):
        return qs.filter(identifier=canonical_identifier(text)).first()
    return qs.filter(framework__slug=text, is_current=True).first()


def edition_package(edition: Edition) -> Package:
    """Everything of an edition as a Package, in tree order, in a fixed number of queries."""
    extra: dict[str, Any] = dict(edition.case_extra or {})
    document = DocumentRecord(
        identifier=str(edition.identifier),
        title=edition.title,
        uri=edition.uri,
        creator=extra.get("creator") or edition.publisher,
        publisher=edition.publisher,
        short_title=edition.short_title,
        version=edition.version,
        publication_date=edition.publication_date,
        source=edition.source,
        official_source_url=edition.official_source_url,
        licence=edition.licence,
        description=edition.description,
        kind=edition.kind,
        assesses=edition.assesses,
        language=edition.language,
        adoption_status=edition.adoption_status,
        status=edition.status,
        historical=edition.historical,
        last_change=edition.last_change or edition.updated_at,
        slug=edition.framework.slug,
        extra={
            k: v for k, v in extra.items() if k not in ("CFDefinitions", "CFRubrics", "creator")
        },
    )
    nodes = list(edition.nodes.select_related("item_type").order_by("path"))
    by_pk = {n.pk: n for n in nodes}
    items: list[ItemRecord] = []
    types: dict[str, ItemType] = {}
    for n in nodes:
        node_extra = dict(n.case_extra or {})
        parent_extra = node_extra.pop("isChildOf", {}) or {}
        parent = by_pk.get(n.parent_id) if n.parent_id else None
        item_type = None
        if n.item_type is not None:
            item_type = LinkRef(
                identifier=str(n.item_type.identifier), uri=n.item_type.uri, title=n.item_type.title
            )
            types.setdefault(str(n.item_type.identifier), n.item_type)
        items.append(
            ItemRecord(
                identifier=str(n.identifier),
                statement=n.statement,
                uri=n.uri,
                code=n.code,
                title=n.title,
                item_type_label=n.item_type_label,
                item_type=item_type,
                competence_type=n.competence_type,
                functional_area=n.functional_area,
                scqf_level=n.scqf_level,
                is_central=n.is_central,
                notes=n.notes,
                language=n.language,
                last_change=n.last_change,
                parent=str(parent.identifier) if parent else None,
                parent_association_identifier=str(n.parent_association_identifier),
                parent_association_extra=parent_extra,
                sequence=n.sequence,
                extra=node_extra,
            )
        )
    item_types = [
        ItemTypeRecord(
            identifier=str(t.identifier),
            title=t.title,
            uri=t.uri,
            description=t.description,
            type_code=t.code,
            hierarchy_code=t.hierarchy_code,
            last_change=t.last_change,
            extra=dict(t.case_extra or {}),
        )
        for t in types.values()
    ]
    associations = [
        AssociationRecord(
            identifier=str(a.identifier),
            association_type=a.association_type,
            origin=_end(a.origin, a.origin_identifier, a.origin_uri, a.origin_title),
            destination=_end(
                a.destination, a.destination_identifier, a.destination_uri, a.destination_title
            ),
            uri=a.uri,
            sequence_number=a.sequence_number,
            confirmed=a.confirmed,
            made_by_name=a.made_by_name or (a.made_by.full_name if a.made_by else ""),
            note=a.note,
            last_change=a.last_change or a.created_at,
            extra=dict(a.case_extra or {}),
        )
        for a in Association.objects.public()
        .filter(edition=edition)
        .select_related("origin", "destination", "made_by")
        .order_by("id")
    ]
    definitions: dict[str, list[dict[str, Any]]] = {
        k: list(v) for k, v in (extra.get("CFDefinitions") or {}).items() if isinstance(v, list)
    }
    return Package(
        document=document,
        items=items,
        associations=associations,
        item_types=item_types,
        definitions=definitions,
        rubrics=list(extra.get("CFRubrics") or []),
        format="export",
    )


def _end(node: Node | None, identifier: str, uri: str, title: str) -> LinkRef:
    if node is None:
        return LinkRef(identifier=identifier, uri=uri, title=title)
    return LinkRef(
        identifier=identifier, uri=uri or node.uri, title=title or node.code or node.display_title
    )


def export_edition(edition: Edition, fmt: str, *, base_url: str) -> ExportFile:
    """An edition as a file. `base_url` (scheme and host, no trailing slash) makes the
    CASE addresses of objects that have no URI of their own."""
    content_type, ext = EXPORT_FORMATS[fmt]
    if fmt == "case":
        data = package_json(edition, base_url)
        content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    elif fmt == "csv":
        content = write_csv(edition_package(edition))
    else:
        content = write_xlsx(edition_package(edition))
    stem = slugify(f"{edition.framework.slug} {edition.version}") or str(edition.identifier)
    return ExportFile(content=content, content_type=content_type, filename=f"{stem}.{ext}")
