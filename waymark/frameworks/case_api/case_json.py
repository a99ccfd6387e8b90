"""The one place where Waymark's standards become 1EdTech CASE 1.0 JSON.

Both the public CASE service (`waymark.frameworks.case_api.views`) and the CASE package
writer (`waymark.frameworks.interchange`) build their JSON here, so a CFItem looks the
same whichever way it leaves Waymark.

Conventions:

* `base_url` is the scheme and host the links are made absolute with, without a
  trailing slash (`request.build_absolute_uri("/").rstrip("/")`, or the site's address
  when there is no request).
* Every `uri` is the object's own `uri` when it has one (kept from an import), else the
  address of the object in this CASE service.
* Empty values are left out: CASE 1.0 has no nullable properties.
* Waymark's own fields go in `"extensions": {"waymark": {...}}`.
* CASE fields that Waymark does not model, kept in `case_extra` at import as a flat
  dict of CASE property name → JSON value, are merged back in; fields Waymark models
  always come from the model. On an edition, `case_extra["CFDefinitions"]` (CFConcepts,
  CFSubjects, CFAssociationGroupings, …) and `case_extra["CFRubrics"]` are package
  leftovers: `package_json` puts them back in the package, never in the CFDocument.

The functions read only what is already loaded on the objects passed in (see each
docstring for what to `select_related`), except `package_json`, which runs two or three.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Association, Edition, EditionStatus, ItemType, Node

JSON = dict[str, Any]

# The CASE service's own paths, by URL name in `waymark.frameworks.case_api.urls`.
_DOCUMENT = "case_api:document"
_PACKAGE = "case_api:package"
_ITEM = "case_api:item"
_ASSOCIATION = "case_api:association"
_ITEM_TYPE = "case_api:item_type"
_LICENSE = "case_api:license"

# The CASE 1.0 properties of each object (with 1.1's additions). A `case_extra` value
# for one of these is merged back in unless the model builds it; any other `case_extra`
# key (Waymark's own, such as "derivedFrom") goes under extensions.waymark instead.
_DOCUMENT_PROPS = frozenset(
    {
        "identifier", "uri", "frameworkType", "caseVersion", "creator", "title",
        "lastChangeDateTime", "officialSourceURL", "publisher", "description", "subject",
        "subjectURI", "language", "version", "adoptionStatus", "statusStartDate",
        "statusEndDate", "licenseURI", "notes", "CFPackageURI", "extensions",
    }
)  # fmt: skip
_ITEM_PROPS = frozenset(
    {
        "identifier", "fullStatement", "alternativeLabel", "CFItemType", "uri",
        "humanCodingScheme", "listEnumeration", "abbreviatedStatement", "conceptKeywords",
        "conceptKeywordsURI", "notes", "subject", "subjectURI", "language", "educationLevel",
        "CFItemTypeURI", "licenseURI", "statusStartDate", "statusEndDate",
        "lastChangeDateTime", "CFDocumentURI", "extensions",
    }
)  # fmt: skip
_ASSOCIATION_PROPS = frozenset(
    {
        "identifier", "associationType", "sequenceNumber", "uri", "originNodeURI",
        "destinationNodeURI", "CFAssociationGroupingURI", "lastChangeDateTime",
        "CFDocumentURI", "notes", "extensions",
    }
)  # fmt: skip
_ITEM_TYPE_PROPS = frozenset(
    {
        "identifier", "uri", "title", "description", "hierarchyCode", "typeCode",
        "lastChangeDateTime", "extensions",
    }
)  # fmt: skip
# Properties the model always builds: a kept value never overrides them, even when the
# model's is empty (an editor cleared it).
_DOCUMENT_MODELLED = frozenset(
    {
        "identifier", "uri", "creator", "title", "lastChangeDateTime", "officialSourceURL",
        "publisher", "description", "language", "version", "adoptionStatus", "CFPackageURI",
    }
)  # fmt: skip
_ITEM_MODELLED = frozenset(
    {
        "identifier", "uri", "fullStatement", "abbreviatedStatement", "humanCodingScheme",
        "CFItemType", "CFItemTypeURI", "notes", "language", "lastChangeDateTime",
        "CFDocumentURI",
    }
)  # fmt: skip
_ASSOCIATION_MODELLED = frozenset(
    {
        "identifier", "uri", "associationType", "sequenceNumber", "originNodeURI",
        "destinationNodeURI", "lastChangeDateTime", "CFDocumentURI",
    }
)  # fmt: skip
_ITEM_TYPE_MODELLED = frozenset(
    {"identifier", "uri", "title", "description", "hierarchyCode", "typeCode", "lastChangeDateTime"}
)
# How `case_extra` is laid out (the import in waymark.frameworks.interchange writes it):
# on an edition, the unmodelled CFDocument properties are under "CFDocument", the
# document's creator (when not the publisher) under "creator", and the package's other
# definitions, rubrics and item types under "CFDefinitions", "CFRubrics" and "itemTypes";
# on a node, the unmodelled CFItem properties sit at the top and those of the isChildOf
# association placing it under "isChildOf"; on an association, "mappingSet" and
# "grouping" are Waymark's bookkeeping for shipped mapping files.
EDITION_DOCUMENT_KEY = "CFDocument"
_EDITION_OWN_KEYS = frozenset(
    {EDITION_DOCUMENT_KEY, "creator", "CFDefinitions", "CFRubrics", "itemTypes"}
)
CHILD_ASSOCIATION_KEY = "isChildOf"
_ASSOCIATION_OWN_KEYS = frozenset({"mappingSet", "grouping"})

# When an edition has no CASE adoption status of its own, its Waymark status says it.
_ADOPTION_STATUS: dict[str, str] = {
    EditionStatus.DRAFT.value: "Draft",
    EditionStatus.PUBLISHED.value: "Adopted",
    EditionStatus.RETIRED.value: "Deprecated",
}


# --- small pieces ---------------------------------------------------------------------


def case_datetime(value: dt.datetime | dt.date | None) -> str:
    """An ISO 8601 date-time in UTC with a `Z`, to the second, as CASE writes them."""
    if value is None:
        value = timezone.now()
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def link_uri(title: str, identifier: uuid.UUID | str, uri: str) -> JSON:
    """A CASE LinkURI: the title, identifier and address of another object."""
    return {"title": title, "identifier": str(identifier), "uri": uri}


def service_url(base_url: str, url_name: str, identifier: uuid.UUID | str) -> str:
    """The absolute address of an object in this CASE service."""
    return base_url + reverse(url_name, args=[str(identifier)])


def edition_uri(edition: Edition, base_url: str) -> str:
    return edition.uri or service_url(base_url, _DOCUMENT, edition.identifier)


def node_uri(node: Node, base_url: str) -> str:
    return node.uri or service_url(base_url, _ITEM, node.identifier)


def node_link_title(node: Node) -> str:
    """How a link names an item: its code, else its short title, else its statement."""
    if node.code or node.title:
        return node.code or node.title
    return node.statement if len(node.statement) <= 60 else node.statement[:59] + "…"


def document_link(edition: Edition, base_url: str) -> JSON:
    return link_uri(edition.title, edition.identifier, edition_uri(edition, base_url))


def item_link(node: Node, base_url: str) -> JSON:
    return link_uri(node_link_title(node), node.identifier, node_uri(node, base_url))


def license_identifier(edition: Edition) -> uuid.UUID:
    """The stable identifier of the CFLicense that carries an edition's licence text."""
    return uuid.uuid5(edition.identifier, "licence")


def _last_change(edition: Edition) -> dt.datetime | None:
    return edition.last_change or edition.updated_at


def _compact(data: JSON) -> JSON:
    """Drop the properties that have no value (CASE 1.0 allows no nulls)."""
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def _merged(
    built: JSON,
    extra: Any,
    props: frozenset[str],
    modelled: frozenset[str],
    skip: frozenset[str] = frozenset(),
) -> JSON:
    """`built` without its empty values, then what an import kept: CASE properties the
    model does not build, back at the top level; anything else under extensions.waymark."""
    out = _compact(built)
    if not isinstance(extra, dict):
        return out
    extensions: JSON = dict(out.get("extensions", {}))
    waymark: JSON = dict(extensions.get("waymark", {}))
    for key, value in extra.items():
        if key == "extensions":
            if isinstance(value, dict):
                extensions = {**value, **extensions}
                kept = value.get("waymark")
                if isinstance(kept, dict):
                    waymark = {**kept, **waymark}
        elif key in skip or key in modelled or key in out:
            continue
        elif key in props:
            out[key] = value
        else:
            waymark.setdefault(key, value)
    if waymark:
        extensions["waymark"] = waymark
    if extensions:
        out["extensions"] = extensions
    return out


# --- the objects ----------------------------------------------------------------------


def document_json(edition: Edition, base_url: str, *, in_package: bool = False) -> JSON:
    """A CFDocument. Reads `edition.framework` (select_related it).

    Inside a package (`in_package=True`) it has no CFPackageURI, as CASE's CFPckgDocument.
    The licence: a licenseURI kept from an import wins; otherwise, when the edition has
    licence text, a link to the CFLicense that `license_json` builds from it."""
    own = edition.case_extra if isinstance(edition.case_extra, dict) else {}
    kept = own.get(EDITION_DOCUMENT_KEY)
    # Unmodelled CFDocument properties; anything else at the top level (say "derivedFrom")
    # that is not the edition's own bookkeeping travels too.
    extra = {
        **{k: v for k, v in own.items() if k not in _EDITION_OWN_KEYS},
        **(kept if isinstance(kept, dict) else {}),
    }
    waymark = _compact(
        {
            "slug": edition.framework.slug,
            "short_title": edition.short_title,
            "kind": edition.kind,
            "assesses": edition.assesses,
            "status": edition.status,
            "is_current": edition.is_current,
            "historical": edition.historical,
            "source": edition.source,
            "licence": edition.licence,
            "publication_date": (
                edition.publication_date.isoformat() if edition.publication_date else None
            ),
        }
    )
    built: JSON = {
        "identifier": str(edition.identifier),
        "uri": edition_uri(edition, base_url),
        "creator": str(own.get("creator") or edition.publisher),
        "title": edition.title,
        "lastChangeDateTime": case_datetime(_last_change(edition)),
        "officialSourceURL": edition.official_source_url,
        "publisher": edition.publisher,
        "description": edition.description,
        "language": edition.language,
        "version": edition.version,
        "adoptionStatus": edition.adoption_status or _ADOPTION_STATUS.get(edition.status, ""),
        "licenseURI": _license_link(edition, base_url) if not extra.get("licenseURI") else None,
        "extensions": {"waymark": waymark},
    }
    if not in_package:
        built["CFPackageURI"] = link_uri(
            edition.title,
            edition.identifier,
            service_url(base_url, _PACKAGE, edition.identifier),
        )
    return _merged(built, extra, _DOCUMENT_PROPS, _DOCUMENT_MODELLED)


def _license_title(edition: Edition) -> str:
    return _("%(title)s: licence and attribution") % {"title": edition.title}


def _license_link(edition: Edition, base_url: str) -> JSON | None:
    if not edition.licence:
        return None
    ident = license_identifier(edition)
    return link_uri(_license_title(edition), ident, service_url(base_url, _LICENSE, ident))


def license_json(edition: Edition, base_url: str) -> JSON | None:
    """The CFLicense holding an edition's licence and attribution text, if it has one."""
    if not edition.licence:
        return None
    ident = license_identifier(edition)
    return {
        "identifier": str(ident),
        "uri": service_url(base_url, _LICENSE, ident),
        "title": _license_title(edition),
        "licenseText": edition.licence,
        "lastChangeDateTime": case_datetime(_last_change(edition)),
    }


def item_json(node: Node, base_url: str, *, in_package: bool = False) -> JSON:
    """A CFItem. Reads `node.edition` and `node.item_type` (select_related both).

    Inside a package (`in_package=True`) it has no CFDocumentURI, as CASE's CFPckgItem.
    The node's short title is the abbreviatedStatement; its code the humanCodingScheme."""
    edition = node.edition
    item_type = node.item_type
    waymark = _compact(
        {
            "competence_type": node.competence_type,
            "functional_area": node.functional_area,
            "scqf_level": node.scqf_level,
            "is_central": node.is_central,
        }
    )
    built: JSON = {
        "identifier": str(node.identifier),
        "uri": node_uri(node, base_url),
        "fullStatement": node.statement,
        "abbreviatedStatement": node.title,
        "humanCodingScheme": node.code,
        "CFItemType": item_type.title if item_type is not None else node.item_type_label,
        "CFItemTypeURI": (
            link_uri(
                item_type.title,
                item_type.identifier,
                item_type.uri or service_url(base_url, _ITEM_TYPE, item_type.identifier),
            )
            if item_type is not None
            else None
        ),
        "notes": node.notes,
        "language": node.language or edition.language,
        "lastChangeDateTime": case_datetime(node.last_change or _last_change(edition)),
        "extensions": {"waymark": waymark},
    }
    if not in_package:
        built["CFDocumentURI"] = document_link(edition, base_url)
    return _merged(
        built,
        node.case_extra,
        _ITEM_PROPS,
        _ITEM_MODELLED,
        skip=frozenset({CHILD_ASSOCIATION_KEY}),
    )


def _end_link(node: Node | None, identifier: str, uri: str, title: str, base_url: str) -> JSON:
    if node is not None:
        return item_link(node, base_url)
    return link_uri(title or identifier, identifier, uri or f"urn:uuid:{identifier}")


def association_json(association: Association, base_url: str, *, in_package: bool = False) -> JSON:
    """A CFAssociation stored as an `Association` row (a mapping, a second parent, …).
    Reads `association.origin`, `.destination` and `.edition` (select_related them; the
    edition only when not `in_package`). Inside a package it has no CFDocumentURI."""
    a = association
    waymark = _compact({"confirmed": a.confirmed, "made_by_name": a.made_by_name, "note": a.note})
    built: JSON = {
        "identifier": str(a.identifier),
        "uri": a.uri or service_url(base_url, _ASSOCIATION, a.identifier),
        "associationType": a.association_type,
        "sequenceNumber": a.sequence_number,
        "originNodeURI": _end_link(
            a.origin, a.origin_identifier, a.origin_uri, a.origin_title, base_url
        ),
        "destinationNodeURI": _end_link(
            a.destination,
            a.destination_identifier,
            a.destination_uri,
            a.destination_title,
            base_url,
        ),
        "lastChangeDateTime": case_datetime(a.last_change or a.created_at),
        "extensions": {"waymark": waymark},
    }
    if not in_package:
        built["CFDocumentURI"] = document_link(a.edition, base_url)
    return _merged(
        built, a.case_extra, _ASSOCIATION_PROPS, _ASSOCIATION_MODELLED, skip=_ASSOCIATION_OWN_KEYS
    )


def child_association_json(node: Node, base_url: str, *, in_package: bool = False) -> JSON:
    """The isChildOf CFAssociation placing `node` under its parent (or, for a top-level
    node, under its CFDocument). Its identifier is `node.parent_association_identifier`;
    the association's properties kept from an import are `node.case_extra["isChildOf"]`.
    Reads `node.parent` and `node.edition` (select_related, or assign them)."""
    edition = node.edition
    parent = node.parent
    kept = node.case_extra.get(CHILD_ASSOCIATION_KEY) if isinstance(node.case_extra, dict) else None
    kept = kept if isinstance(kept, dict) else {}
    destination = (
        item_link(parent, base_url) if parent is not None else document_link(edition, base_url)
    )
    built: JSON = {
        "identifier": str(node.parent_association_identifier),
        "uri": str(kept.get("uri") or "")
        or service_url(base_url, _ASSOCIATION, node.parent_association_identifier),
        "associationType": "isChildOf",
        "sequenceNumber": node.sequence,
        "originNodeURI": item_link(node, base_url),
        "destinationNodeURI": destination,
        "lastChangeDateTime": case_datetime(node.last_change or _last_change(edition)),
    }
    if not in_package:
        built["CFDocumentURI"] = document_link(edition, base_url)
    return _merged(built, kept, _ASSOCIATION_PROPS, _ASSOCIATION_MODELLED)


def item_type_json(
    item_type: ItemType, base_url: str, *, fallback_time: dt.datetime | None = None
) -> JSON:
    """A CFItemType. `fallback_time` stands for lastChangeDateTime when the type has none
    (a package passes its edition's; otherwise now)."""
    built: JSON = {
        "identifier": str(item_type.identifier),
        "uri": item_type.uri or service_url(base_url, _ITEM_TYPE, item_type.identifier),
        "title": item_type.title,
        "description": item_type.description or item_type.title,
        "hierarchyCode": item_type.hierarchy_code,
        "typeCode": item_type.code,
        "lastChangeDateTime": case_datetime(item_type.last_change or fallback_time),
    }
    out = _merged(built, item_type.case_extra, _ITEM_TYPE_PROPS, _ITEM_TYPE_MODELLED)
    out.setdefault("hierarchyCode", "")  # required by CASE, even when unknown
    return out


def package_json(edition: Edition, base_url: str) -> JSON:
    """A whole CFPackage: the CFDocument, every CFItem in tree order, the isChildOf
    association of every node, the edition's other associations, and the definitions
    (item types, the licence, and those kept from an import). Whatever the edition's
    status: callers decide who may see it. Reads `edition.framework` (select_related
    it) and runs two queries, three when the edition lists item types of its own."""
    nodes = list(edition.nodes.select_related("item_type").order_by("path", "id"))
    by_pk = {n.pk: n for n in nodes}
    for n in nodes:
        # Fill the caches with what is already loaded, so that nothing below queries.
        n.edition = edition
        if n.parent_id is not None and n.parent_id in by_pk:
            n.parent = by_pk[n.parent_id]
    associations = list(
        Association.objects.public()
        .filter(edition=edition)
        .select_related("origin", "destination")
        .order_by("id")
    )
    for a in associations:
        a.edition = edition

    own = edition.case_extra if isinstance(edition.case_extra, dict) else {}
    item_types: dict[int, ItemType] = {}
    listed = [str(i) for i in own.get("itemTypes") or [] if isinstance(i, str)]
    if listed:  # the types the imported package defined, used or not
        for t in ItemType.objects.filter(identifier__in=listed):
            item_types[t.pk] = t
    for n in nodes:
        if n.item_type is not None:
            item_types.setdefault(n.item_type.pk, n.item_type)
    fallback = _last_change(edition)
    definitions: JSON = {
        "CFItemTypes": [
            item_type_json(t, base_url, fallback_time=fallback)
            for t in sorted(item_types.values(), key=lambda t: (t.hierarchy_code, t.title))
        ],
    }
    document = document_json(edition, base_url, in_package=True)
    licence = license_json(edition, base_url)
    if (
        licence is not None
        and document.get("licenseURI", {}).get("identifier") == licence["identifier"]
    ):
        definitions["CFLicenses"] = [licence]
    _merge_definitions(definitions, own.get("CFDefinitions"))
    _merge_definitions(definitions, {"CFAssociationGroupings": _groupings(associations, fallback)})

    package: JSON = {
        "CFDocument": document,
        "CFItems": [item_json(n, base_url, in_package=True) for n in nodes],
        "CFAssociations": [
            *(child_association_json(n, base_url, in_package=True) for n in nodes),
            *(association_json(a, base_url, in_package=True) for a in associations),
        ],
        "CFDefinitions": _compact(definitions),
    }
    rubrics = own.get("CFRubrics")
    if isinstance(rubrics, list) and rubrics:
        package["CFRubrics"] = rubrics
    return _compact(package)


def _groupings(associations: list[Association], when: dt.datetime | None) -> list[JSON]:
    """The CFAssociationGroupings that shipped mapping files put their associations in."""
    found: dict[str, JSON] = {}
    for a in associations:
        extra = a.case_extra if isinstance(a.case_extra, dict) else {}
        link, grouping = extra.get("CFAssociationGroupingURI"), extra.get("grouping")
        if not (isinstance(link, dict) and link.get("identifier") and isinstance(grouping, dict)):
            continue
        found.setdefault(
            str(link["identifier"]),
            _compact(
                {
                    "identifier": str(link["identifier"]),
                    "uri": link.get("uri") or f"urn:uuid:{link['identifier']}",
                    "title": grouping.get("title") or link.get("title") or "",
                    "description": grouping.get("description"),
                    "lastChangeDateTime": case_datetime(when),
                }
            ),
        )
    return list(found.values())


def _merge_definitions(definitions: JSON, kept: Any) -> None:
    """Add definitions kept from an import, skipping any identifier already present."""
    if not isinstance(kept, dict):
        return
    for key, values in kept.items():
        if not isinstance(values, list):
            continue
        present = {d.get("identifier") for d in definitions.get(key, []) if isinstance(d, dict)}
        definitions.setdefault(key, [])
        definitions[key].extend(
            v for v in values if not (isinstance(v, dict) and v.get("identifier") in present)
        )


def item_associations_json(
    node: Node,
    associations: Iterable[Association],
    children: Iterable[Node],
    base_url: str,
) -> JSON:
    """A CFAssociationSet: the CFItem with every association it takes part in, both
    ways: its own isChildOf, its children's isChildOf, and the stored associations."""
    return {
        "CFItem": item_json(node, base_url),
        "CFAssociations": [
            child_association_json(node, base_url),
            *(child_association_json(c, base_url) for c in children),
            *(association_json(a, base_url) for a in associations),
        ],
    }
