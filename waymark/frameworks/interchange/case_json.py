"""Reading 1EdTech CASE 1.0 CFPackage JSON into a `Package`.

Writing is `waymark.frameworks.case_api.case_json.package_json`, shared with the public
CASE service so that a CFItem looks the same whichever way it leaves Waymark. This reader
is its inverse: Waymark's own fields travel in `"extensions": {"waymark": {...}}` on the
CFDocument, each CFItem and each CFAssociation (CASE 1.1 names `extensions` for this; a
CASE 1.0 consumer ignores a field it does not know), with the key names that module
writes (`competence_type`, `functional_area`, `scqf_level`, `is_central`, …). Any other
key found there is kept and written back there. See docs/interchange.md."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from .package import (
    AssociationRecord,
    DocumentRecord,
    ItemRecord,
    ItemTypeRecord,
    LinkRef,
    Package,
    stable_uuid,
)
from .problems import Collector, InterchangeError, Problem, merge_warnings
from .values import (
    canonical_identifier,
    case_datetime,
    is_uuid,
    parse_date,
    parse_datetime,
    short,
    uuid_in,
)

EXTENSION_KEY = "waymark"

ASSOCIATION_TYPES = [
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
DEFINITION_KEYS = [
    "CFConcepts",
    "CFSubjects",
    "CFLicenses",
    "CFItemTypes",
    "CFAssociationGroupings",
]

# CASE 1.0 fields that Waymark keeps verbatim (in case_extra) and writes back on export.
_DOCUMENT_KEPT = {
    "subject",
    "subjectURI",
    "statusStartDate",
    "statusEndDate",
    "licenseURI",
    "notes",
    "CFPackageURI",
    "frameworkType",
    "caseVersion",
}
_DOCUMENT_MAPPED = {
    "identifier",
    "uri",
    "creator",
    "title",
    "lastChangeDateTime",
    "officialSourceURL",
    "publisher",
    "description",
    "language",
    "version",
    "adoptionStatus",
    "extensions",
}
_ITEM_KEPT = {
    "alternativeLabel",
    "listEnumeration",
    "conceptKeywords",
    "conceptKeywordsURI",
    "educationLevel",
    "licenseURI",
    "statusStartDate",
    "statusEndDate",
}
_ITEM_MAPPED = {
    "identifier",
    "uri",
    "fullStatement",
    "humanCodingScheme",
    "abbreviatedStatement",
    "CFItemType",
    "CFItemTypeURI",
    "notes",
    "language",
    "lastChangeDateTime",
    "CFDocumentURI",
    "extensions",
}
_ASSOCIATION_MAPPED = {
    "identifier",
    "associationType",
    "sequenceNumber",
    "uri",
    "originNodeURI",
    "destinationNodeURI",
    "CFAssociationGroupingURI",
    "lastChangeDateTime",
    "CFDocumentURI",
    "extensions",
}

# The keys of extensions.waymark that map to Waymark's columns (as case_api.case_json
# writes them); "is_current" is written for information and never read back.
_DOCUMENT_EXTENSION = {
    "slug",
    "short_title",
    "kind",
    "assesses",
    "historical",
    "status",
    "is_current",
    "publication_date",
    "source",
    "licence",
}
_ITEM_EXTENSION = {"competence_type", "functional_area", "scqf_level", "is_central"}
_ASSOCIATION_EXTENSION = {"confirmed", "made_by_name", "note"}


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, int | float):
        return _("a number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, list):
        return _("a list")
    return _("an object")


# --------------------------------------------------------------------------- reading


def read_case(data: bytes, *, lenient: bool = True) -> Package:
    """Read a CASE 1.0 CFPackage. Raises InterchangeError listing every problem."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InterchangeError(
            [
                Problem(
                    _("byte %(offset)d") % {"offset": exc.start},
                    _("The file is not UTF-8 text, so it cannot be CASE JSON."),
                )
            ]
        ) from exc
    if not text.strip():
        raise InterchangeError([Problem("", _("The file is empty."))])
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InterchangeError(
            [
                Problem(
                    _("line %(line)d, column %(column)d")
                    % {"line": exc.lineno, "column": exc.colno},
                    _("This is not valid JSON: %(reason)s.") % {"reason": exc.msg},
                )
            ]
        ) from exc
    if not isinstance(raw, dict):
        raise InterchangeError(
            [
                Problem(
                    "",
                    _(
                        "This is not a CASE package: the file holds %(type)s, not a JSON object with a CFDocument."
                    )
                    % {"type": _json_type(raw)},
                )
            ]
        )
    if "CFDocument" not in raw:
        raise InterchangeError(
            [
                Problem(
                    "",
                    _(
                        "This is not a CASE package: it has no CFDocument. A CFPackage is a JSON object with CFDocument, CFItems, CFAssociations and CFDefinitions."
                    ),
                )
            ]
        )
    collector = Collector(lenient=lenient)
    package = _CaseReader(raw, collector).read()
    collector.raise_if_errors()
    package.warnings = merge_warnings(collector.warnings)
    return package


class _CaseReader:
    def __init__(self, raw: dict[str, Any], collector: Collector) -> None:
        self.raw = raw
        self.c = collector

    # -- field helpers ---------------------------------------------------------

    def text(self, obj: dict[str, Any], key: str, where: str, *, required: bool = False) -> str:
        if key not in obj:
            if required:
                self.c.error(where, _("%(field)s is missing.") % {"field": key})
            return ""
        value = obj[key]
        if isinstance(value, str):
            if required and not value.strip():
                self.c.error(where, _("%(field)s is empty.") % {"field": key})
            return value
        if value is None:
            if required:
                self.c.error(where, _("%(field)s is null; it must be text.") % {"field": key})
            else:
                self.c.repair(where, _("%(field)s is null; treated as not given.") % {"field": key})
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            if self.c.repair(
                where,
                _("%(field)s is a number (%(value)s), not text; read as the text “%(value)s”.")
                % {"field": key, "value": value},
            ):
                return str(value)
            return ""
        self.c.error(
            where,
            _("%(field)s must be text, not %(type)s.") % {"field": key, "type": _json_type(value)},
        )
        return ""

    def identifier(self, obj: dict[str, Any], where: str) -> str:
        value = obj.get("identifier")
        if value is None:
            self.c.error(where, _("identifier is missing."))
            return ""
        if not isinstance(value, str):
            self.c.error(
                where, _("identifier must be text, not %(type)s.") % {"type": _json_type(value)}
            )
            return ""
        if not is_uuid(value):
            self.c.error(
                where, _("identifier “%(value)s” is not a UUID.") % {"value": short(value)}
            )
            return ""
        return canonical_identifier(value)

    def when(
        self, obj: dict[str, Any], key: str, where: str, *, required: bool = True
    ) -> datetime | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.c.repair(where, _("%(field)s is missing.") % {"field": key})
            return None
        if not isinstance(value, str):
            self.c.error(
                where,
                _("%(field)s must be a date and time as text, not %(type)s.")
                % {"field": key, "type": _json_type(value)},
            )
            return None
        parsed, assumed = parse_datetime(value)
        if parsed is None:
            self.c.repair(
                where,
                _("%(field)s “%(value)s” is not an ISO 8601 date and time; it is left out.")
                % {"field": key, "value": short(value)},
            )
            return None
        if assumed:
            self.c.repair(where, _("%(field)s has no time zone; UTC assumed.") % {"field": key})
        return parsed

    def link(
        self,
        obj: dict[str, Any],
        key: str,
        where: str,
        *,
        required: bool = False,
        uuid_required: bool = True,
    ) -> LinkRef | None:
        if key not in obj or obj[key] is None:
            if required:
                self.c.error(where, _("%(field)s is missing.") % {"field": key})
            elif key in obj:
                self.c.repair(where, _("%(field)s is null; treated as not given.") % {"field": key})
            return None
        value = obj[key]
        if isinstance(value, str):
            found = uuid_in(value)
            if found is None and uuid_required:
                self.c.error(
                    where,
                    _(
                        "%(field)s is a plain string with no identifier in it; it must be a LinkURI object {title, identifier, uri}."
                    )
                    % {"field": key},
                )
                return None
            if self.c.repair(
                where,
                _(
                    "%(field)s is a plain string, not a LinkURI object {title, identifier, uri}; read as a link to %(uri)s."
                )
                % {"field": key, "uri": value},
            ):
                return LinkRef(identifier=found or value, uri=value)
            return None
        if not isinstance(value, dict):
            self.c.error(
                where,
                _("%(field)s must be a LinkURI object {title, identifier, uri}, not %(type)s.")
                % {"field": key, "type": _json_type(value)},
            )
            return None
        ident = value.get("identifier")
        if not isinstance(ident, str) or not ident.strip():
            self.c.error(where, _("%(field)s has no identifier.") % {"field": key})
            return None
        if uuid_required and not is_uuid(ident):
            self.c.error(
                where,
                _("%(field)s.identifier “%(value)s” is not a UUID.")
                % {"field": key, "value": short(ident)},
            )
            return None
        uri = value.get("uri")
        title = value.get("title")
        if not isinstance(uri, str):
            self.c.repair(where, _("%(field)s has no uri.") % {"field": key})
            uri = ""
        if not isinstance(title, str):
            if title is not None or "title" in value:
                self.c.repair(where, _("%(field)s.title is not text; left out.") % {"field": key})
            title = ""
        return LinkRef(identifier=canonical_identifier(ident), uri=uri, title=title)

    def extension(self, obj: dict[str, Any], where: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """(Waymark's extension, other extensions verbatim)."""
        value = obj.get("extensions")
        if value is None:
            return {}, {}
        if not isinstance(value, dict):
            self.c.error(
                where,
                _("extensions must be an object, not %(type)s.") % {"type": _json_type(value)},
            )
            return {}, {}
        ours = value.get(EXTENSION_KEY) or {}
        if not isinstance(ours, dict):
            self.c.error(
                where,
                _("extensions.waymark must be an object, not %(type)s.")
                % {"type": _json_type(ours)},
            )
            ours = {}
        others = {k: v for k, v in value.items() if k != EXTENSION_KEY}
        return dict(ours), others

    def leftover_extension(self, ours: dict[str, Any], known: set[str]) -> dict[str, Any]:
        """Keys of extensions.waymark that this reader does not map: kept in case_extra,
        from where the CASE writer puts them back under extensions.waymark."""
        return {k: v for k, v in ours.items() if k not in known}

    def keep_unknown(
        self, obj: dict[str, Any], known: set[str], kept: set[str], where: str, what: str
    ) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        for key, value in obj.items():
            if key in known:
                continue
            if key not in kept:
                self.c.warn(
                    where,
                    _(
                        "%(field)s is not a CASE 1.0 %(what)s field; kept as it is and exported again."
                    )
                    % {"field": key, "what": what},
                )
            if value is None:
                self.c.repair(where, _("%(field)s is null; treated as not given.") % {"field": key})
                continue
            extra[key] = value
        return extra

    def ext_text(self, ext: dict[str, Any], key: str, where: str) -> str:
        value = ext.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.c.error(where, _("extensions.waymark.%(field)s must be text.") % {"field": key})
            return ""
        return value

    def ext_bool(self, ext: dict[str, Any], key: str, where: str) -> bool:
        value = ext.get(key, False)
        if not isinstance(value, bool):
            self.c.error(
                where, _("extensions.waymark.%(field)s must be true or false.") % {"field": key}
            )
            return False
        return value

    # -- the package -----------------------------------------------------------

    def read(self) -> Package:
        for key in self.raw:
            if key not in {"CFDocument", "CFItems", "CFAssociations", "CFDefinitions", "CFRubrics"}:
                self.c.warn(
                    key, _("%(field)s is not part of a CASE 1.0 package; ignored.") % {"field": key}
                )
        document = self.document(self.raw["CFDocument"])
        item_types, definitions = self.definitions(self.raw.get("CFDefinitions"))
        items = [self.item(i, obj) for i, obj in enumerate(self._list("CFItems"))]
        associations = [
            self.association(i, obj) for i, obj in enumerate(self._list("CFAssociations"))
        ]
        rubrics = self._list("CFRubrics")
        package = Package(
            document=document or DocumentRecord(identifier="", title=""),
            item_types=item_types,
            definitions=definitions,
            rubrics=[r for r in rubrics if isinstance(r, dict)],
            format="case",
        )
        real_items = [i for i in items if i is not None]
        real_associations = [a for a in associations if a is not None]
        self.place_items(package, real_items, real_associations)
        return package

    def _list(self, key: str) -> list[Any]:
        value = self.raw.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.c.error(
                key,
                _("%(field)s must be a list, not %(type)s.")
                % {"field": key, "type": _json_type(value)},
            )
            return []
        return value

    def document(self, obj: Any) -> DocumentRecord | None:
        where = "CFDocument"
        if not isinstance(obj, dict):
            self.c.error(
                where, _("CFDocument must be an object, not %(type)s.") % {"type": _json_type(obj)}
            )
            return None
        ident = self.identifier(obj, where)
        if ident:
            where = _("CFDocument (identifier %(id)s)") % {"id": ident}
        title = self.text(obj, "title", where, required=True)
        creator = self.text(obj, "creator", where)
        publisher = self.text(obj, "publisher", where)
        if "creator" not in obj:
            self.c.repair(
                where,
                _("creator is missing; the publisher is used in its place.")
                if publisher
                else _("creator is missing."),
            )
        uri = self.text(obj, "uri", where)
        if "uri" not in obj:
            self.c.repair(where, _("uri is missing; Waymark will give it one on export."))
        ours, other_ext = self.extension(obj, where)
        extra = self.keep_unknown(obj, _DOCUMENT_MAPPED, _DOCUMENT_KEPT, where, "CFDocument")
        if "CFPackageURI" in extra:
            # Checked, then dropped: a package's own address is made again on export.
            self.link(obj, "CFPackageURI", where)
            extra.pop("CFPackageURI")
        if other_ext:
            extra["extensions"] = other_ext
        extra.update(self.leftover_extension(ours, _DOCUMENT_EXTENSION))
        given_date = ours.get("publication_date")
        publication_date = parse_date(given_date) if given_date else None
        if given_date and publication_date is None:
            self.c.error(
                where, _("extensions.waymark.publication_date must be a date (YYYY-MM-DD).")
            )
        return DocumentRecord(
            identifier=ident,
            uri=uri,
            title=title,
            creator=creator,
            publisher=publisher or creator,
            short_title=self.ext_text(ours, "short_title", where),
            version=self.text(obj, "version", where),
            publication_date=publication_date,
            source=self.ext_text(ours, "source", where),
            official_source_url=self.text(obj, "officialSourceURL", where),
            licence=self.ext_text(ours, "licence", where),
            description=self.text(obj, "description", where),
            kind=self.ext_text(ours, "kind", where),
            assesses=self.ext_text(ours, "assesses", where),
            language=self.text(obj, "language", where),
            adoption_status=self.text(obj, "adoptionStatus", where),
            status=self.ext_text(ours, "status", where),
            historical=self.ext_bool(ours, "historical", where),
            last_change=self.when(obj, "lastChangeDateTime", where),
            slug=self.ext_text(ours, "slug", where),
            extra=extra,
            where=where,
        )

    def definitions(self, obj: Any) -> tuple[list[ItemTypeRecord], dict[str, list[dict[str, Any]]]]:
        if obj is None:
            return [], {}
        if not isinstance(obj, dict):
            self.c.error(
                "CFDefinitions",
                _("CFDefinitions must be an object, not %(type)s.") % {"type": _json_type(obj)},
            )
            return [], {}
        item_types: list[ItemTypeRecord] = []
        kept: dict[str, list[dict[str, Any]]] = {}
        for key, value in obj.items():
            where = f"CFDefinitions.{key}"
            if key not in DEFINITION_KEYS:
                self.c.warn(
                    where,
                    _(
                        "%(field)s is not a CASE 1.0 definition list; kept as it is and exported again."
                    )
                    % {"field": key},
                )
            if value is None:
                continue
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                self.c.error(where, _("%(field)s must be a list of objects.") % {"field": key})
                continue
            if key == "CFItemTypes":
                item_types = [self.item_type(i, v) for i, v in enumerate(value)]
            elif value:
                for i, definition in enumerate(value):
                    if not is_uuid(definition.get("identifier")):
                        self.c.error(f"{where}[{i}]", _("identifier is missing or not a UUID."))
                kept[key] = value
        return item_types, kept

    def item_type(self, index: int, obj: dict[str, Any]) -> ItemTypeRecord:
        where = f"CFDefinitions.CFItemTypes[{index}]"
        ident = self.identifier(obj, where)
        title = self.text(obj, "title", where, required=True)
        description = self.text(obj, "description", where)
        hierarchy = self.text(obj, "hierarchyCode", where)
        if "hierarchyCode" not in obj:
            self.c.repair(where, _("hierarchyCode is missing."))
        type_code = obj.get("typeCode")
        if type_code is not None and not isinstance(type_code, str):
            self.c.error(where, _("typeCode must be text."))
            type_code = ""
        extra = {
            k: v
            for k, v in obj.items()
            if k
            not in {
                "identifier",
                "uri",
                "title",
                "description",
                "hierarchyCode",
                "typeCode",
                "lastChangeDateTime",
            }
        }
        return ItemTypeRecord(
            identifier=ident,
            title=title,
            uri=self.text(obj, "uri", where),
            description=description,
            type_code=type_code or "",
            hierarchy_code=hierarchy,
            last_change=self.when(obj, "lastChangeDateTime", where, required=False),
            extra=extra,
            where=where,
        )

    def item(self, index: int, obj: Any) -> ItemRecord | None:
        where = f"CFItems[{index}]"
        if not isinstance(obj, dict):
            self.c.error(
                where, _("a CFItem must be an object, not %(type)s.") % {"type": _json_type(obj)}
            )
            return None
        ident = self.identifier(obj, where)
        if ident:
            where = _("CFItems[%(index)d] (identifier %(id)s)") % {"index": index, "id": ident}
        statement = self.text(obj, "fullStatement", where, required=True)
        if "uri" not in obj:
            self.c.repair(where, _("uri is missing; Waymark will give it one on export."))
        last_change = self.when(obj, "lastChangeDateTime", where)
        ours, other_ext = self.extension(obj, where)
        if (
            "educationalLevel" in obj
            and "educationLevel" not in obj
            and self.c.repair(
                where, _("educationalLevel is not a CASE field; read as educationLevel.")
            )
        ):
            obj = {("educationLevel" if k == "educationalLevel" else k): v for k, v in obj.items()}
        extra = self.keep_unknown(obj, _ITEM_MAPPED, _ITEM_KEPT, where, "CFItem")
        if "educationLevel" in extra:
            level = extra["educationLevel"]
            if isinstance(level, str):
                pass
            elif not (isinstance(level, list) and all(isinstance(v, str) for v in level)):
                self.c.error(where, _("educationLevel must be text or a list of text."))
        if (
            "listEnumeration" in extra
            and not isinstance(extra["listEnumeration"], str)
            and self.c.repair(
                where,
                _("listEnumeration is not text; read as “%(value)s”.")
                % {"value": extra["listEnumeration"]},
            )
        ):
            extra["listEnumeration"] = str(extra["listEnumeration"])
        if other_ext:
            extra["extensions"] = other_ext
        extra.update(self.leftover_extension(ours, _ITEM_EXTENSION))
        scqf = ours.get("scqf_level")
        if scqf is not None and (isinstance(scqf, bool) or not isinstance(scqf, int)):
            self.c.error(
                where, _("extensions.waymark.scqf_level must be a whole number from 1 to 12.")
            )
            scqf = None
        item_type_link = self.link(obj, "CFItemTypeURI", where)
        return ItemRecord(
            identifier=ident,
            statement=statement,
            uri=self.text(obj, "uri", where),
            code=self.text(obj, "humanCodingScheme", where),
            title=self.text(obj, "abbreviatedStatement", where),
            item_type_label=self.text(obj, "CFItemType", where)
            or (item_type_link.title if item_type_link else ""),
            item_type=item_type_link,
            competence_type=self.ext_text(ours, "competence_type", where),
            functional_area=self.ext_text(ours, "functional_area", where),
            scqf_level=scqf,
            is_central=self.ext_bool(ours, "is_central", where),
            notes=self.text(obj, "notes", where),
            language=self.text(obj, "language", where),
            last_change=last_change,
            extra=extra,
            where=where,
        )

    def association(self, index: int, obj: Any) -> AssociationRecord | None:
        where = f"CFAssociations[{index}]"
        if not isinstance(obj, dict):
            self.c.error(
                where,
                _("a CFAssociation must be an object, not %(type)s.") % {"type": _json_type(obj)},
            )
            return None
        ident = self.identifier(obj, where)
        if ident:
            where = _("CFAssociations[%(index)d] (identifier %(id)s)") % {
                "index": index,
                "id": ident,
            }
        kind = obj.get("associationType")
        if not isinstance(kind, str) or not kind:
            self.c.error(where, _("associationType is missing."))
            kind = ""
        elif kind not in ASSOCIATION_TYPES:
            match = next((t for t in ASSOCIATION_TYPES if t.lower() == kind.lower()), None)
            if match and self.c.repair(
                where,
                _("associationType “%(value)s” read as “%(match)s”.")
                % {"value": kind, "match": match},
            ):
                kind = match
            else:
                self.c.error(
                    where,
                    _("associationType “%(value)s” is not a CASE association type (%(types)s).")
                    % {"value": short(kind), "types": ", ".join(ASSOCIATION_TYPES)},
                )
                kind = ""
        origin = self.link(obj, "originNodeURI", where, required=True, uuid_required=False)
        destination = self.link(
            obj, "destinationNodeURI", where, required=True, uuid_required=False
        )
        sequence = obj.get("sequenceNumber")
        if sequence is not None:
            if isinstance(sequence, bool) or not isinstance(sequence, int | str | float):
                self.c.error(where, _("sequenceNumber must be a whole number."))
                sequence = None
            elif isinstance(sequence, str):
                if sequence.strip().lstrip("-").isdigit():
                    if self.c.repair(
                        where,
                        _(
                            "sequenceNumber is the text “%(value)s”, not a number; read as %(value)s."
                        )
                        % {"value": sequence.strip()},
                    ):
                        sequence = int(sequence)
                    else:
                        sequence = None
                else:
                    self.c.error(
                        where,
                        _("sequenceNumber “%(value)s” is not a whole number.")
                        % {"value": short(sequence)},
                    )
                    sequence = None
            elif isinstance(sequence, float):
                if sequence.is_integer() and self.c.repair(
                    where,
                    _("sequenceNumber %(value)s read as %(int)d.")
                    % {"value": sequence, "int": int(sequence)},
                ):
                    sequence = int(sequence)
                else:
                    self.c.error(where, _("sequenceNumber must be a whole number."))
                    sequence = None
        if "uri" not in obj:
            self.c.repair(where, _("uri is missing; Waymark will give it one on export."))
        ours, other_ext = self.extension(obj, where)
        extra = self.keep_unknown(obj, _ASSOCIATION_MAPPED, set(), where, "CFAssociation")
        grouping = self.link(obj, "CFAssociationGroupingURI", where)
        if grouping is not None:
            extra["CFAssociationGroupingURI"] = grouping.as_case()
        if other_ext:
            extra["extensions"] = other_ext
        extra.update(self.leftover_extension(ours, _ASSOCIATION_EXTENSION))
        if not (ident and kind and origin and destination):
            return None
        return AssociationRecord(
            identifier=ident,
            association_type=kind,
            origin=origin,
            destination=destination,
            uri=self.text(obj, "uri", where),
            sequence_number=sequence if isinstance(sequence, int) else None,
            confirmed=self.ext_bool(ours, "confirmed", where),
            made_by_name=self.ext_text(ours, "made_by_name", where),
            note=self.ext_text(ours, "note", where),
            last_change=self.when(obj, "lastChangeDateTime", where),
            extra=extra,
            where=where,
        )

    def place_items(
        self, package: Package, items: list[ItemRecord], associations: list[AssociationRecord]
    ) -> None:
        """Put each item in the tree by its first isChildOf to the document or to another
        item of this package; keep every other association as it is."""
        doc_id = package.document.identifier
        by_id: dict[str, ItemRecord] = {}
        for item in items:
            if item.identifier:
                by_id.setdefault(item.identifier, item)
        placed: set[str] = set()
        by_title = {t.title: t for t in package.item_types}
        for assoc in associations:
            origin = by_id.get(assoc.origin.identifier)
            dest_id = assoc.destination.identifier
            if (
                assoc.association_type == "isChildOf"
                and origin is not None
                and origin.identifier not in placed
                and (dest_id == doc_id or dest_id in by_id)
            ):
                placed.add(origin.identifier)
                origin.parent = None if dest_id == doc_id else dest_id
                origin.parent_association_identifier = assoc.identifier
                origin.sequence = assoc.sequence_number
                origin.parent_where = assoc.where
                extra = dict(assoc.extra)
                if assoc.uri:
                    extra["uri"] = assoc.uri
                if assoc.last_change:
                    extra["lastChangeDateTime"] = case_datetime(assoc.last_change)
                origin.parent_association_extra = extra
                continue
            package.associations.append(assoc)
        external_child_of = {
            a.origin.identifier for a in package.associations if a.association_type == "isChildOf"
        }
        for item in items:
            if item.item_type is None and item.item_type_label in by_title:
                t = by_title[item.item_type_label]
                item.item_type = LinkRef(identifier=t.identifier, uri=t.uri, title=t.title)
            if item.identifier and item.identifier not in placed:
                item.parent_association_identifier = stable_uuid(
                    f"{item.identifier}/isChildOf/{doc_id}"
                )
                item.parent_association_generated = True
                if item.identifier not in external_child_of:
                    self.c.warn(
                        item.where,
                        _("no isChildOf association places this item; it is put at the top level."),
                    )
        package.items = items
