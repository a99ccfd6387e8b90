"""The 1EdTech CASE 1.0 service (read-only, public): published editions only.

Every answer is JSON; every failure is the spec's `imsx_StatusInfo` envelope. Each view
runs a constant number of queries, whatever the size of the framework."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from ..models import Association, Edition, EditionStatus, ItemType, Node
from . import case_json

PUBLISHED = EditionStatus.PUBLISHED
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000

JSON = dict[str, Any]


class CaseError(Exception):
    """A failure answered with the imsx_StatusInfo envelope."""

    def __init__(self, status: int, description: str, field: str, value: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.field = field
        self.value = value


def status_info(status: int, description: str, field: str, value: str) -> JsonResponse:
    """The CASE imsx_StatusInfo failure envelope."""
    return _json(
        {
            "imsx_codeMajor": "failure",
            "imsx_severity": "error",
            "imsx_description": description,
            "imsx_codeMinor": {
                "imsx_codeMinorField": [
                    {"imsx_codeMinorFieldName": field, "imsx_codeMinorFieldValue": value}
                ]
            },
        },
        status=status,
    )


def _json(data: JSON, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    # Public, read-only data without credentials: any web page may read it.
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "X-Total-Count, Link"
    return response


def _unknown(kind: str, sourced_id: str) -> CaseError:
    return CaseError(
        404,
        _("There is no published %(kind)s with the identifier %(id)s.")
        % {"kind": kind, "id": sourced_id},
        "sourcedId",
        "unknownobject",
    )


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def case_view(view: Callable[..., JsonResponse]) -> Callable[..., HttpResponse]:
    """GET and HEAD only; the sourcedId (if any) checked to be a UUID and passed on as
    one; every CaseError turned into its envelope."""

    @wraps(view)
    def wrapper(request: HttpRequest, sourced_id: str | None = None) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            response = status_info(
                405,
                _("The CASE service is read-only: use GET."),
                "method",
                "unsupported",
            )
            response["Allow"] = "GET, HEAD"
            return response
        try:
            if sourced_id is None:
                return view(request)
            try:
                identifier = uuid.UUID(sourced_id)
            except ValueError:
                raise CaseError(
                    400,
                    _("%(id)s is not a valid UUID.") % {"id": sourced_id},
                    "sourcedId",
                    "invaliduuid",
                ) from None
            return view(request, identifier)
        except CaseError as e:
            return status_info(e.status, e.description, e.field, e.value)

    return wrapper


# --- CFDocuments: the list, with limit, offset, sort, orderBy, filter and fields ------

# CASE property → the model field (or annotation) it is sorted and filtered by.
_DOCUMENT_FIELDS = {
    "identifier": "identifier",
    "title": "title",
    "creator": "publisher",
    "publisher": "publisher",
    "description": "description",
    "language": "language",
    "version": "version",
    "adoptionStatus": "adoption_status",
    "officialSourceURL": "official_source_url",
    "lastChangeDateTime": "changed",
}
_LOOKUPS = {"=": "exact", ">": "gt", ">=": "gte", "<": "lt", "<=": "lte", "~": "icontains"}
_PREDICATE = re.compile(r"\s*(\w+)\s*(!=|>=|<=|=|>|<|~)\s*'((?:[^']|'')*)'")
_JOIN = re.compile(r"\s+(AND|OR)\s+")


def _int_param(request: HttpRequest, name: str, default: int, lo: int, hi: int) -> int:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = lo - 1
    if not lo <= value <= hi:
        raise CaseError(
            400,
            _("%(name)s must be a whole number from %(lo)d to %(hi)d.")
            % {"name": name, "lo": lo, "hi": hi},
            name,
            "invalid_selection_field",
        )
    return value


def _bad_filter(message: str) -> CaseError:
    return CaseError(400, message, "filter", "invalid_selection_field")


def parse_filter(text: str) -> Q:
    """A CASE/OneRoster filter (`title~'leader' AND version='2008'`) as a Q over editions.
    Predicates are `field op 'value'` with op one of = != > >= < <= ~ (contains), joined
    all by AND or all by OR; a quote inside a value is doubled."""
    pos, parts, joins = 0, [], set()
    while True:
        m = _PREDICATE.match(text, pos)
        if m is None:
            raise _bad_filter(
                _("The filter could not be read near “%(rest)s”.") % {"rest": text[pos:]}
            )
        parts.append(_predicate(m.group(1), m.group(2), m.group(3).replace("''", "'")))
        pos = m.end()
        if not text[pos:].strip():
            break
        j = _JOIN.match(text, pos)
        if j is None:
            raise _bad_filter(
                _("The filter could not be read near “%(rest)s”.") % {"rest": text[pos:]}
            )
        joins.add(j.group(1))
        pos = j.end()
    if len(joins) > 1:
        raise _bad_filter(_("A filter may join its conditions with AND or with OR, not both."))
    combined = parts[0]
    for q in parts[1:]:
        combined = (combined | q) if joins == {"OR"} else (combined & q)
    return combined


def _predicate(field: str, op: str, value: str) -> Q:
    model_field = _DOCUMENT_FIELDS.get(field)
    if model_field is None:
        raise _bad_filter(_("CFDocuments cannot be filtered by %(field)s.") % {"field": field})
    typed: object = value
    if field == "lastChangeDateTime":
        when = parse_datetime(value)
        if when is None and (day := parse_date(value)) is not None:
            when = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        if when is None:
            raise _bad_filter(_("%(value)s is not a date and time.") % {"value": value})
        typed = when
    elif field == "identifier":
        try:
            typed = uuid.UUID(value)
        except ValueError:
            raise _bad_filter(_("%(value)s is not a valid UUID.") % {"value": value}) from None
        if op not in ("=", "!="):
            raise _bad_filter(_("An identifier can only be compared with = or !=."))
    if op == "!=":
        return ~Q(**{model_field: typed})
    return Q(**{f"{model_field}__{_LOOKUPS[op]}": typed})


def _published_editions() -> QuerySet[Edition]:
    return Edition.objects.public().filter(status=PUBLISHED).select_related("framework")


@case_view
def documents(request: HttpRequest) -> JsonResponse:
    limit = _int_param(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = _int_param(request, "offset", 0, 0, 10**9)
    editions = _published_editions().annotate(changed=Coalesce("last_change", "updated_at"))
    if request.GET.get("filter"):
        editions = editions.filter(parse_filter(request.GET["filter"]))
    sort = request.GET.get("sort") or "title"
    order_by = (request.GET.get("orderBy") or "asc").lower()
    if sort not in _DOCUMENT_FIELDS:
        raise CaseError(
            400,
            _("CFDocuments cannot be sorted by %(field)s.") % {"field": sort},
            "sort",
            "invalid_sort_field",
        )
    if order_by not in ("asc", "desc"):
        raise CaseError(
            400, _("orderBy must be asc or desc."), "orderBy", "invalid_selection_field"
        )
    prefix = "-" if order_by == "desc" else ""
    editions = editions.order_by(f"{prefix}{_DOCUMENT_FIELDS[sort]}", f"{prefix}id")
    fields = _fields(request)

    total = editions.count()
    base_url = _base_url(request)
    page = [case_json.document_json(e, base_url) for e in editions[offset : offset + limit]]
    if fields:
        page = [{k: v for k, v in d.items() if k in fields} for d in page]
    response = _json({"CFDocuments": page})
    response["X-Total-Count"] = str(total)
    links = _page_links(request, total, limit, offset)
    if links:
        response["Link"] = ", ".join(links)
    return response


_DOCUMENT_PROPERTIES = frozenset(
    {
        *_DOCUMENT_FIELDS,
        "uri", "subject", "subjectURI", "statusStartDate", "statusEndDate", "licenseURI",
        "notes", "CFPackageURI", "extensions",
    }
)  # fmt: skip


def _fields(request: HttpRequest) -> set[str]:
    raw = request.GET.get("fields", "")
    fields = {f.strip() for f in raw.split(",") if f.strip()}
    unknown = fields - _DOCUMENT_PROPERTIES
    if unknown:
        raise CaseError(
            400,
            _("CFDocuments have no field %(field)s.") % {"field": ", ".join(sorted(unknown))},
            "fields",
            "invalid_selection_field",
        )
    return fields


def _page_links(request: HttpRequest, total: int, limit: int, offset: int) -> list[str]:
    def link(rel: str, at: int) -> str:
        query = request.GET.copy()
        query["limit"], query["offset"] = str(limit), str(max(at, 0))
        url = request.build_absolute_uri(request.path) + "?" + urlencode(sorted(query.items()))
        return f'<{url}>; rel="{rel}"'

    out = []
    if offset + limit < total:
        out.append(link("next", offset + limit))
        out.append(link("last", ((total - 1) // limit) * limit))
    if offset > 0:
        out.append(link("first", 0))
        out.append(link("prev", offset - limit))
    return out


# --- single objects ---------------------------------------------------------------------


@case_view
def document(request: HttpRequest, identifier: uuid.UUID) -> JsonResponse:
    edition = _published_editions().filter(identifier=identifier).first()
    if edition is None:
        raise _unknown("CFDocument", str(identifier))
    return _json(case_json.document_json(edition, _base_url(request)))


@case_view
def package(request: HttpRequest, identifier: uuid.UUID) -> JsonResponse:
    edition = _published_editions().filter(identifier=identifier).first()
    if edition is None:
        raise _unknown("CFPackage", str(identifier))
    return _json(case_json.package_json(edition, _base_url(request)))


def _published_nodes() -> QuerySet[Node]:
    return (
        Node.objects.public()
        .filter(edition__status=PUBLISHED)
        .select_related("edition", "item_type", "parent")
    )


@case_view
def item(request: HttpRequest, identifier: uuid.UUID) -> JsonResponse:
    node = _published_nodes().filter(identifier=identifier).first()
    if node is None:
        raise _unknown("CFItem", str(identifier))
    return _json(case_json.item_json(node, _base_url(request)))


def _published_associations() -> QuerySet[Association]:
    """Associations of published editions whose linked ends are published too."""
    return (
        Association.objects.public()
        .filter(edition__status=PUBLISHED)
        .filter(Q(origin__isnull=True) | Q(origin__edition__status=PUBLISHED))
        .filter(Q(destination__isnull=True) | Q(destination__edition__status=PUBLISHED))
        .select_related("edition", "origin", "destination")
    )


@case_view
def item_associations(request: HttpRequest, identifier: uuid.UUID) -> JsonResponse:
    node = _published_nodes().filter(identifier=identifier).first()
    if node is None:
        raise _unknown("CFItem", str(identifier))
    children = list(node.children.order_by("path"))
    for child in children:
        child.edition = node.edition
        child.parent = node
    associations = list(
        _published_associations().filter(Q(origin=node) | Q(destination=node)).order_by("id")
    )
    return _json(case_json.item_associations_json(node, associations, children, _base_url(request)))


@case_view
def association(request: HttpRequest, identifier: uuid.UUID) -> JsonResponse:
    base_url = _base_url(request)
    stored = _published_associations().filter(identifier=identifier).first()
    if stored is not None:
        return _json(case_json.association_json(stored, base_url))
    # Every node's place in its tree is an isChildOf association too.
    node = _published_nodes().filter(parent_association_identifier=identifier).first()
    if node is None:
        raise _unknown("CFAssociation", str(identifier))
    return _json(case_json.child_association_json(node, base_url))


@case_view
def item_type(request: HttpRequest, identifier: uuid.UUID) -> JsonResponse:
    found = ItemType.objects.filter(identifier=identifier).first()
    if found is None:
        raise _unknown("CFItemType", str(identifier))
    # A CFItemTypeSet: the type asked for, then those below it by hierarchyCode.
    types = [found]
    if found.hierarchy_code:
        types += list(
            ItemType.objects.filter(hierarchy_code__startswith=found.hierarchy_code + ".")
            .exclude(pk=found.pk)
            .order_by("hierarchy_code", "title")
        )
    base_url = _base_url(request)
    return _json({"CFItemTypes": [case_json.item_type_json(t, base_url) for t in types]})


@case_view
def cf_license(request: HttpRequest, identifier: uuid.UUID) -> JsonResponse:
    # A licence's identifier is derived from its edition's, so look through the
    # (few) published editions that have one.
    for edition in Edition.objects.public().filter(status=PUBLISHED).exclude(licence=""):
        if case_json.license_identifier(edition) == identifier:
            licence = case_json.license_json(edition, _base_url(request))
            assert licence is not None
            return _json(licence)
    raise _unknown("CFLicense", str(identifier))
