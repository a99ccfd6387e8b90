"""The catalogue format (docs/catalogue.md): read JSON, YAML or CSV into a checked
`CataloguePackage`, save it all or nothing, and export the public catalogue.

Reading collects every problem with its place before anything is written:
"resources[12].nodes[0]: no item MM3.99 in the current edition of middle-manager-llf",
"row 14, column cost_from: “ten” is not a whole number of pounds". `catalogue_import`
saves a package in one transaction, upserting by slug; an entry's node tags (and a
qualification's units) are replaced when the entry in the file lists them."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from waymark.core import audit
from waymark.frameworks.interchange.files import check_size
from waymark.frameworks.interchange.problems import Collector, InterchangeError, Problem
from waymark.frameworks.models import Framework, Node
from waymark.organisations.models import Region
from waymark.profiles.models import ManagerLevel

from .models import (
    CatalogueStatus,
    Coverage,
    DeliveryMode,
    Provider,
    ProviderScope,
    Qualification,
    QualificationUnit,
    Resource,
    ResourceNode,
    ResourceType,
)

if TYPE_CHECKING:
    from waymark.accounts.models import User

FORMAT = "waymark-catalogue/1"
KINDS = ("providers", "resources", "qualifications")
READ_FORMATS = ("json", "yaml", "csv")
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_EXTENSIONS = {".json": "json", ".yaml": "yaml", ".yml": "yaml", ".csv": "csv"}

# Fields of each kind in the order the format documents them; CSV columns are these.
PROVIDER_FIELDS = [
    "slug",
    "name",
    "scope",
    "region",
    "url",
    "description",
    "source",
    "historical",
    "historical_as_of",
    "status",
]
RESOURCE_FIELDS = [
    "slug",
    "title",
    "type",
    "description",
    "provider",
    "url",
    "mode",
    "cost_from",
    "cost_to",
    "cost_note",
    "hours",
    "duration",
    "scqf_level",
    "manager_levels",
    "regions",
    "nodes",
    "source",
    "historical",
    "historical_as_of",
    "status",
]
QUALIFICATION_FIELDS = [
    "slug",
    "title",
    "awarding_body",
    "description",
    "scqf_level",
    "credit_points",
    "hours",
    "duration",
    "cost_from",
    "cost_to",
    "cost_note",
    "mode",
    "required_by",
    "manager_levels",
    "providers",
    "url",
    "source",
    "historical",
    "historical_as_of",
    "status",
    "units",
]
UNIT_FIELDS = ["code", "title", "mandatory", "credit_points", "nodes"]
FIELDS = {
    "providers": PROVIDER_FIELDS,
    "resources": RESOURCE_FIELDS,
    "qualifications": QUALIFICATION_FIELDS,
}
REQUIRED = {
    "providers": ["slug", "name", "scope"],
    "resources": ["slug", "title", "type", "description", "mode"],
    "qualifications": ["slug", "title", "awarding_body"],
}
# Format field → model field, where they differ.
_MODEL_FIELD = {"type": "resource_type", "mode": "delivery_mode"}
_MAX_LENGTH = {
    "name": 300,
    "title": 300,
    "awarding_body": 300,
    "cost_note": 300,
    "duration": 100,
    "source": 500,
    "historical_as_of": 100,
    "url": 500,
}


# ------------------------------------------------------------------------ the package


@dataclass
class Entry:
    """One checked entry: `values` holds model field values for the fields the entry
    gives (a field left out keeps its value on an existing entry)."""

    slug: str
    where: str
    values: dict[str, Any] = field(default_factory=dict)
    provider: str | None = None  # resources: provider slug ("" = none), None = not given
    providers: list[str] | None = None  # qualifications: provider slugs, None = not given
    nodes: list[tuple[int, str]] | None = None  # resources: (node id, coverage)
    units: list[dict[str, Any]] | None = None  # qualifications: unit values + "node_ids"
    locate: Any = None  # where(field) -> the place of one of this entry's fields


@dataclass
class CataloguePackage:
    providers: list[Entry] = field(default_factory=list)
    resources: list[Entry] = field(default_factory=list)
    qualifications: list[Entry] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {kind: len(getattr(self, kind)) for kind in KINDS}


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class CatalogueImportResult:
    providers: ImportCounts = field(default_factory=ImportCounts)
    resources: ImportCounts = field(default_factory=ImportCounts)
    qualifications: ImportCounts = field(default_factory=ImportCounts)

    @property
    def changed(self) -> bool:
        return any(getattr(self, k).created or getattr(self, k).updated for k in KINDS)

    def summary(self) -> str:
        parts = []
        for kind, label in _kind_labels().items():
            c: ImportCounts = getattr(self, kind)
            parts.append(
                _("%(kind)s: %(new)d new, %(updated)d updated, %(same)d unchanged")
                % {"kind": label, "new": c.created, "updated": c.updated, "same": c.unchanged}
            )
        return "; ".join(parts)


def _kind_labels() -> dict[str, str]:
    return {
        "providers": _("providers"),
        "resources": _("resources"),
        "qualifications": _("qualifications"),
    }


# ------------------------------------------------------------------------ reading files


def detect_format(name: str, head: bytes) -> str:
    ext = Path(name).suffix.lower()
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith((b"{", b"[")):
        return "json"
    if stripped.startswith((b"format:", b"---", b"#", b"providers:", b"resources:")):
        return "yaml"
    return "csv"


def read_catalogue(
    data: bytes,
    *,
    name: str,
    fmt: str | None = None,
    kind: str | None = None,
    known_providers: Iterable[str] = (),
) -> CataloguePackage:
    """Read and check a whole file; raise InterchangeError listing every problem.
    `known_providers`: provider slugs that other files loaded with this one define."""
    known = set(known_providers)
    check_size(len(data))
    if not data.strip(b"\xef\xbb\xbf \t\r\n"):
        raise InterchangeError([Problem("", _("The file is empty."))])
    fmt = fmt or detect_format(name, data[:512])
    text = _decode(data)
    if fmt == "csv":
        return _CsvReader(text, kind=kind, known=known).read()
    if fmt == "json":
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
    elif fmt == "yaml":
        try:
            raw = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = (
                _("line %(line)d, column %(column)d")
                % {"line": mark.line + 1, "column": mark.column + 1}
                if mark is not None
                else ""
            )
            reason = getattr(exc, "problem", None) or str(exc)
            raise InterchangeError(
                [Problem(where, _("This is not valid YAML: %(reason)s.") % {"reason": reason})]
            ) from exc
    else:
        raise InterchangeError(
            [
                Problem(
                    "",
                    _(
                        "Waymark cannot read this kind of file: use the catalogue format as "
                        "JSON (.json), YAML (.yaml) or CSV (.csv)."
                    ),
                )
            ]
        )
    return _DocumentReader(raw, known=known).read()


def read_catalogue_path(
    path: Path,
    *,
    fmt: str | None = None,
    kind: str | None = None,
    known_providers: Iterable[str] = (),
) -> CataloguePackage:
    if not path.is_file():
        raise InterchangeError([Problem(str(path), _("There is no such file."))])
    check_size(path.stat().st_size)
    return read_catalogue(
        path.read_bytes(), name=path.name, fmt=fmt, kind=kind, known_providers=known_providers
    )


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InterchangeError(
            [
                Problem(
                    _("byte %(offset)d") % {"offset": exc.start + 1},
                    _(
                        "The file is not UTF-8 text. Save it again as UTF-8 (in Excel: "
                        "“CSV UTF-8”)."
                    ),
                )
            ]
        ) from exc


# ------------------------------------------------------------------------ checking values

Where = Callable[..., str]


def _show(value: Any) -> str:
    text = str(value)
    return "“" + (text if len(text) <= 60 else text[:57] + "…") + "”"


_VALUES: dict[Any, list[str]] = {}


def _values(choices: Any) -> list[str]:
    """A choices class's values, read once (Django builds the list on every access)."""
    if choices not in _VALUES:
        _VALUES[choices] = [str(v) for v in choices.values]
    return _VALUES[choices]


def _choices_text(values: Iterable[str]) -> str:
    return ", ".join(values)


class _Checker:
    """Turns one raw entry (from a document or a CSV row) into an `Entry`, recording
    every problem against `where(field)`. CSV gives every value as text, documents
    give typed values: both are accepted everywhere."""

    def __init__(self, c: Collector, kind: str, raw: dict[str, Any], where: Where) -> None:
        self.c = c
        self.kind = kind
        self.raw = raw
        self.where = where

    def error(self, name: str, message: str, index: int | None = None) -> None:
        self.c.error(self.where(name, index), message)

    # -- single values

    def text(self, name: str) -> str | None:
        if name not in self.raw:
            return None
        value = self.raw[name]
        if value is None:
            return ""
        if isinstance(value, bool | dict | list):
            self.error(name, _("this must be text"))
            return None
        text = str(value).strip()
        limit = _MAX_LENGTH.get(name)
        if limit and len(text) > limit:
            self.error(
                name,
                _("%(length)d characters is too long: at most %(limit)d")
                % {"length": len(text), "limit": limit},
            )
            return None
        return text

    def required_text(self, name: str) -> str | None:
        value = self.raw.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.error(name, _("this is required"))
            return None
        return self.text(name)

    def whole(self, name: str, *, what: str, low: int = 0, high: int | None = None) -> Any:
        """A whole number or None; returns the sentinel `_MISSING` when not given or bad."""
        if name not in self.raw:
            return _MISSING
        value = self.raw[name]
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif (isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value)) or (
            isinstance(value, float) and value.is_integer()
        ):
            number = int(value)
        if number is None:
            self.error(name, _("%(value)s is not %(what)s") % {"value": _show(value), "what": what})
            return _MISSING
        if number < low or (high is not None and number > high):
            if high is not None:
                self.error(
                    name,
                    _("%(value)s is out of range: give a whole number from %(low)d to %(high)d")
                    % {"value": _show(value), "low": low, "high": high},
                )
            else:
                self.error(
                    name,
                    _("%(value)s is not %(what)s") % {"value": _show(value), "what": what},
                )
            return _MISSING
        return number

    def hours(self, name: str) -> Any:
        if name not in self.raw:
            return _MISSING
        value = self.raw[name]
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            if isinstance(value, bool):
                raise InvalidOperation
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or number < 0 or number > Decimal("999999.9"):
            self.error(
                name,
                _("%(value)s is not a number of hours (such as 3 or 7.5)")
                % {"value": _show(value)},
            )
            return _MISSING
        quantised = number.quantize(Decimal("0.1"))
        if quantised != number:
            self.error(
                name,
                _("%(value)s has too many decimal places: give hours to one place, such as 7.5")
                % {"value": _show(value)},
            )
            return _MISSING
        return quantised

    def boolean(self, name: str) -> bool | None:
        if name not in self.raw:
            return None
        value = self.raw[name]
        if isinstance(value, bool):
            return value
        if value is None:
            return False
        text = str(value).strip().lower()
        if text in {"true", "yes", "y", "1"}:
            return True
        if text in {"false", "no", "n", "0", ""}:
            return False
        self.error(name, _("%(value)s is not true or false") % {"value": _show(value)})
        return None

    def choice(self, name: str, choices: type[Any], *, required: bool = False) -> str | None:
        text = self.required_text(name) if required else self.text(name)
        if text is None or (text == "" and not required):
            return text
        allowed = _values(choices)
        if text not in allowed:
            self.error(
                name,
                _("%(value)s is not one of the allowed values: %(allowed)s")
                % {"value": _show(text), "allowed": _choices_text(allowed)},
            )
            return None
        return text

    def url(self, name: str = "url") -> str | None:
        text = self.text(name)
        if text:
            try:
                URLValidator(schemes=["http", "https"])(text)
            except ValidationError:
                self.error(
                    name,
                    _("%(value)s is not a web address starting http:// or https://")
                    % {"value": _show(text)},
                )
                return None
        return text

    def slug_list(self, name: str, *, choices: type[Any] | None = None) -> list[str] | None:
        if name not in self.raw:
            return None
        value = self.raw[name]
        if value is None:
            return []
        if isinstance(value, str):
            items = [v.strip() for v in value.split(";") if v.strip()]
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            items = [v.strip() for v in value if v.strip()]
        else:
            self.error(name, _("this must be a list of short names"))
            return None
        if choices is not None:
            allowed = _values(choices)
            bad = [v for v in items if v not in allowed]
            if bad:
                self.error(
                    name,
                    _("%(value)s is not one of the allowed values: %(allowed)s")
                    % {"value": _show(", ".join(bad)), "allowed": _choices_text(allowed)},
                )
                return None
        seen: list[str] = []
        for v in items:
            if v not in seen:
                seen.append(v)
        return seen

    def node_refs(self, name: str, *, coverage: bool) -> list[dict[str, Any]] | None:
        """[{framework, code, coverage, index}] with form checked; resolved later."""
        if name not in self.raw:
            return None
        value = self.raw[name]
        if value is None:
            return []
        items: list[Any]
        if isinstance(value, str):
            items = []
            for part in [p.strip() for p in value.split(";") if p.strip()]:
                bits = [b.strip() for b in part.split(":")]
                if len(bits) not in (2, 3) or not all(bits):
                    items.append({"_bad": part})
                    continue
                item = {"framework": bits[0], "code": bits[1]}
                if len(bits) == 3:
                    item["coverage"] = bits[2]
                items.append(item)
        elif isinstance(value, list):
            items = value
        else:
            self.error(name, _("this must be a list of framework items"))
            return None
        out: list[dict[str, Any]] = []
        seen: dict[tuple[str, str], int] = {}
        allowed_keys = {"framework", "code", "coverage"} if coverage else {"framework", "code"}
        for i, item in enumerate(items):
            if isinstance(item, dict) and "_bad" in item:
                self.error(
                    name,
                    _(
                        "%(value)s is not written as framework:code:coverage "
                        "(for example middle-manager-llf:MM3.04:main)"
                    )
                    % {"value": _show(item["_bad"])}
                    if coverage
                    else _(
                        "%(value)s is not written as framework:code "
                        "(for example middle-manager-llf:MM3.04)"
                    )
                    % {"value": _show(item["_bad"])},
                    i,
                )
                continue
            if not isinstance(item, dict):
                self.error(name, _("this must be a mapping with framework and code"), i)
                continue
            unknown = sorted(set(item) - allowed_keys)
            if unknown:
                self.error(
                    name,
                    _("unknown field %(field)s; the fields are: %(allowed)s")
                    % {"field": _show(unknown[0]), "allowed": ", ".join(sorted(allowed_keys))},
                    i,
                )
                continue
            fw = str(item.get("framework") or "").strip()
            code = str(item.get("code") or "").strip()
            if not fw or not code:
                self.error(name, _("each item needs both framework and code"), i)
                continue
            cov = str(item.get("coverage") or Coverage.MAIN).strip()
            if coverage and cov not in _values(Coverage):
                self.error(
                    name,
                    _("coverage %(value)s is not one of the allowed values: %(allowed)s")
                    % {"value": _show(cov), "allowed": _choices_text(Coverage.values)},
                    i,
                )
                continue
            if (fw, code) in seen:
                self.error(
                    name,
                    _("%(code)s of %(framework)s is listed twice")
                    % {"code": code, "framework": fw},
                    i,
                )
                continue
            seen[(fw, code)] = i
            out.append({"framework": fw, "code": code, "coverage": cov, "index": i})
        return out

    # -- whole entries

    def common(self, values: dict[str, Any]) -> None:
        for name in ("source", "historical_as_of"):
            text = self.text(name)
            if text is not None:
                values[name] = text
        historical = self.boolean("historical")
        if historical is not None:
            values["historical"] = historical
            if historical and not str(self.raw.get("historical_as_of") or "").strip():
                self.error(
                    "historical_as_of",
                    _("a historical entry needs the date it is described as of (such as 2006)"),
                )
        status = self.choice("status", CatalogueStatus)
        if status:
            values["status"] = status
        url = self.url()
        if url is not None:
            values["url"] = url

    def unknown_fields(self) -> None:
        allowed = set(FIELDS[self.kind])
        for key in self.raw:
            if key not in allowed:
                self.error(
                    str(key),
                    _("unknown field %(field)s; the fields are: %(allowed)s")
                    % {"field": _show(key), "allowed": ", ".join(FIELDS[self.kind])},
                )

    def slug(self) -> str | None:
        slug = self.required_text("slug")
        if not slug:
            return None
        limit = 100 if self.kind == "providers" else 150
        if not _SLUG_RE.match(slug) or len(slug) > limit:
            self.error(
                "slug",
                _(
                    "%(value)s is not a short name: use lower-case letters, numbers and single "
                    "hyphens, up to %(limit)d characters"
                )
                % {"value": _show(slug), "limit": limit},
            )
            return None
        return slug


class _Missing:
    pass


_MISSING = _Missing()


def _put(values: dict[str, Any], name: str, value: Any) -> None:
    if value is not _MISSING:
        values[name] = value


def _check_provider(ch: _Checker) -> Entry | None:
    ch.unknown_fields()
    slug = ch.slug()
    values: dict[str, Any] = {}
    name = ch.required_text("name")
    if name:
        values["name"] = name
    scope = ch.choice("scope", ProviderScope, required=True)
    if scope:
        values["scope"] = scope
    region = ch.choice("region", Region)
    if region is not None:
        values["region"] = region
    if scope in (ProviderScope.REGIONAL, ProviderScope.LOCAL) and not region:
        if "region" in ch.raw and region is None:
            pass  # already reported as a bad value
        else:
            ch.error(
                "region",
                _("a %(scope)s provider needs a region; the regions are: %(allowed)s")
                % {"scope": scope, "allowed": _choices_text(Region.values)},
            )
    description = ch.text("description")
    if description is not None:
        values["description"] = description
    ch.common(values)
    return Entry(slug=slug, where="", values=values) if slug else None


def _check_costs(ch: _Checker, values: dict[str, Any]) -> None:
    pounds = _("a whole number of pounds")
    _put(values, "cost_from", ch.whole("cost_from", what=pounds))
    _put(values, "cost_to", ch.whole("cost_to", what=pounds))
    low, high = values.get("cost_from"), values.get("cost_to")
    if isinstance(low, int) and isinstance(high, int) and high < low:
        ch.error(
            "cost_to",
            _("the cost up to (£%(high)d) is less than the cost from (£%(low)d)")
            % {"high": high, "low": low},
        )
    note = ch.text("cost_note")
    if note is not None:
        values["cost_note"] = note
    _put(values, "hours", ch.hours("hours"))
    duration = ch.text("duration")
    if duration is not None:
        values["duration"] = duration
    _put(
        values,
        "scqf_level",
        ch.whole("scqf_level", what=_("an SCQF level from 1 to 12"), low=1, high=12),
    )
    levels = ch.slug_list("manager_levels", choices=ManagerLevel)
    if levels is not None:
        values["manager_levels"] = levels


def _check_resource(ch: _Checker) -> tuple[Entry | None, list[dict[str, Any]] | None]:
    ch.unknown_fields()
    slug = ch.slug()
    values: dict[str, Any] = {}
    for name in ("title", "description"):
        text = ch.required_text(name)
        if text:
            values[name] = text
    rtype = ch.choice("type", ResourceType, required=True)
    if rtype:
        values["resource_type"] = rtype
    mode = ch.choice("mode", DeliveryMode, required=True)
    if mode:
        values["delivery_mode"] = mode
    _check_costs(ch, values)
    regions = ch.slug_list("regions", choices=Region)
    if regions is not None:
        values["regions"] = regions
    ch.common(values)
    provider = ch.text("provider")
    refs = ch.node_refs("nodes", coverage=True)
    if not slug:
        return None, None
    return Entry(slug=slug, where="", values=values, provider=provider), refs


def _check_qualification(ch: _Checker) -> tuple[Entry | None, list[dict[str, Any]] | None]:
    ch.unknown_fields()
    slug = ch.slug()
    values: dict[str, Any] = {}
    for name in ("title", "awarding_body"):
        text = ch.required_text(name)
        if text:
            values[name] = text
    for name in ("description", "required_by"):
        text = ch.text(name)
        if text is not None:
            values[name] = text
    _check_costs(ch, values)
    _put(
        values,
        "credit_points",
        ch.whole("credit_points", what=_("a whole number of credit points")),
    )
    mode = ch.choice("mode", DeliveryMode)
    if mode is not None:
        values["delivery_mode"] = mode
    ch.common(values)
    providers = ch.slug_list("providers")
    units = _check_units(ch)
    if not slug:
        return None, None
    return Entry(slug=slug, where="", values=values, providers=providers), units


def _parse_unit_lines(ch: _Checker, text: str) -> list[Any]:
    """CSV: one unit a line, "code | title | mandatory or optional | credit points |
    framework:code;framework:code"."""
    units: list[Any] = []
    for i, line in enumerate([ln for ln in text.splitlines() if ln.strip()]):
        bits = [b.strip() for b in line.split("|")]
        if len(bits) != 5:
            ch.error(
                "units",
                _(
                    "line %(line)d: %(value)s does not have the five parts "
                    "code | title | mandatory or optional | credit points | framework:code;…"
                )
                % {"line": i + 1, "value": _show(line)},
            )
            units.append(None)
            continue
        flag = bits[2].lower()
        if flag not in {"mandatory", "optional"}:
            ch.error(
                "units",
                _("line %(line)d: %(value)s is not mandatory or optional")
                % {"line": i + 1, "value": _show(bits[2])},
            )
            units.append(None)
            continue
        units.append(
            {
                "code": bits[0],
                "title": bits[1],
                "mandatory": flag == "mandatory",
                "credit_points": bits[3],
                "nodes": bits[4],
            }
        )
    return units


def _check_units(ch: _Checker) -> list[dict[str, Any]] | None:
    if "units" not in ch.raw:
        return None
    value = ch.raw["units"]
    if value is None:
        return []
    if isinstance(value, str):
        raw_units = _parse_unit_lines(ch, value)
    elif isinstance(value, list):
        raw_units = value
    else:
        ch.error("units", _("this must be a list of units"))
        return None
    out: list[dict[str, Any]] = []
    for i, unit in enumerate(raw_units):
        if unit is None:
            continue
        if not isinstance(unit, dict):
            ch.error("units", _("each unit must be a mapping with at least a title"), i)
            continue

        def unit_where(name: str, index: int | None = None, _i: int = i) -> str:
            return ch.where("units", _i) + f".{name}" + (f"[{index}]" if index is not None else "")

        uc = _Checker(ch.c, "units", unit, unit_where)
        for key in unit:
            if key not in UNIT_FIELDS:
                uc.error(
                    str(key),
                    _("unknown field %(field)s; the fields are: %(allowed)s")
                    % {"field": _show(key), "allowed": ", ".join(UNIT_FIELDS)},
                )
        title = uc.required_text("title")
        code = uc.text("code") or ""
        if len(code) > 50:
            uc.error("code", _("a unit code has at most 50 characters"))
        mandatory = uc.boolean("mandatory")
        credits = uc.whole("credit_points", what=_("a whole number of credit points"))
        refs = uc.node_refs("nodes", coverage=False) or []
        out.append(
            {
                "code": code,
                "title": title or "",
                "mandatory": True if mandatory is None else mandatory,
                "credit_points": None if credits is _MISSING else credits,
                "refs": refs,
                "where": unit_where,
            }
        )
    return out


# ------------------------------------------------------------------------ readers


class _Reader:
    """Shared second pass: duplicate slugs, provider references, framework items."""

    def __init__(self, known: set[str]) -> None:
        self.known = known
        self.c = Collector(lenient=False)
        self.package = CataloguePackage()
        self.resource_refs: list[tuple[Entry, list[dict[str, Any]] | None, Where]] = []
        self.unit_refs: list[tuple[Entry, list[dict[str, Any]] | None]] = []
        self.slug_places: dict[str, dict[str, str]] = {k: {} for k in KINDS}

    def add(self, kind: str, raw: Any, where: Where, place: str) -> None:
        if not isinstance(raw, dict):
            self.c.error(place, _("each entry must be a mapping of field names to values"))
            return
        ch = _Checker(self.c, kind, raw, where)
        entry: Entry | None
        if kind == "providers":
            entry = _check_provider(ch)
        elif kind == "resources":
            entry, refs = _check_resource(ch)
            if entry is not None:
                self.resource_refs.append((entry, refs, where))
        else:
            entry, units = _check_qualification(ch)
            if entry is not None:
                self.unit_refs.append((entry, units))
        if entry is None:
            return
        entry.where = place
        entry.locate = where
        seen = self.slug_places[kind]
        if entry.slug in seen:
            self.c.error(
                where("slug"),
                _("the short name %(slug)s is used twice in this file: also at %(other)s")
                % {"slug": _show(entry.slug), "other": seen[entry.slug]},
            )
            return
        seen[entry.slug] = place
        getattr(self.package, kind).append(entry)

    def finish(self) -> CataloguePackage:
        self._check_taken()
        self._resolve_providers()
        self._resolve_nodes()
        self.c.raise_if_errors()
        return self.package

    def _check_taken(self) -> None:
        """A slug used by an organisation's in-house entry cannot be imported over."""
        for kind, model in (("providers", Provider), ("resources", Resource)):
            entries = getattr(self.package, kind)
            taken = set(
                model.objects.filter(
                    slug__in=[e.slug for e in entries], organisation__isnull=False
                ).values_list("slug", flat=True)
            )
            for e in entries:
                if e.slug in taken:
                    self.c.error(
                        e.locate("slug"),
                        _(
                            "the short name %(slug)s belongs to an organisation's in-house "
                            "entry: choose another"
                        )
                        % {"slug": _show(e.slug)},
                    )

    def _resolve_providers(self) -> None:
        wanted: set[str] = set()
        for e in self.package.resources:
            if e.provider:
                wanted.add(e.provider)
        for e in self.package.qualifications:
            wanted.update(e.providers or [])
        known = (
            self.known
            | {e.slug for e in self.package.providers}
            | set(
                Provider.objects.filter(slug__in=wanted, organisation__isnull=True).values_list(
                    "slug", flat=True
                )
            )
        )
        for e, _refs, where in self.resource_refs:
            if e.provider and e.provider not in known:
                self.c.error(
                    where("provider"),
                    _("no provider %(slug)s in this file or in Waymark")
                    % {"slug": _show(e.provider)},
                )
        for e in self.package.qualifications:
            for slug in e.providers or []:
                if slug not in known:
                    self.c.error(
                        e.locate("providers"),
                        _("no provider %(slug)s in this file or in Waymark")
                        % {"slug": _show(slug)},
                    )

    def _resolve_nodes(self) -> None:
        pairs: set[tuple[str, str]] = set()
        for _e, refs, _w in self.resource_refs:
            pairs.update((r["framework"], r["code"]) for r in refs or [])
        for _e, units in self.unit_refs:
            for u in units or []:
                pairs.update((r["framework"], r["code"]) for r in u["refs"])
        frameworks = {fw for fw, _code in pairs}
        known_frameworks = set(
            Framework.objects.filter(slug__in=frameworks).values_list("slug", flat=True)
        )
        found: dict[tuple[str, str], int] = {}
        if pairs:
            rows = (
                Node.objects.filter(
                    edition__is_current=True,
                    edition__framework__slug__in=known_frameworks,
                    code__in={code for _fw, code in pairs},
                )
                .order_by("path", "id")
                .values_list("edition__framework__slug", "code", "id")
            )
            for fw, code, pk in rows:
                found.setdefault((fw, code), pk)

        def resolve(ref: dict[str, Any], where: str) -> int | None:
            key = (ref["framework"], ref["code"])
            if ref["framework"] not in known_frameworks:
                self.c.error(
                    where,
                    _("no framework %(slug)s in Waymark (load it first, or check its short name)")
                    % {"slug": _show(ref["framework"])},
                )
                return None
            if key not in found:
                self.c.error(
                    where,
                    _("no item %(code)s in the current edition of %(framework)s")
                    % {"code": ref["code"], "framework": ref["framework"]},
                )
                return None
            return found[key]

        for e, refs, where in self.resource_refs:
            if refs is None:
                continue
            nodes: list[tuple[int, str]] = []
            for r in refs:
                node_id = resolve(r, where("nodes", r["index"]))
                if node_id is not None:
                    nodes.append((node_id, r["coverage"]))
            e.nodes = nodes
        for e, units in self.unit_refs:
            if units is None:
                continue
            out = []
            for u in units:
                ids = []
                for r in u["refs"]:
                    node_id = resolve(r, u["where"]("nodes", r["index"]))
                    if node_id is not None:
                        ids.append(node_id)
                out.append(
                    {
                        "code": u["code"],
                        "title": u["title"],
                        "mandatory": u["mandatory"],
                        "credit_points": u["credit_points"],
                        "node_ids": ids,
                    }
                )
            e.units = out


class _DocumentReader(_Reader):
    def __init__(self, raw: Any, *, known: set[str]) -> None:
        super().__init__(known)
        self.raw = raw

    def read(self) -> CataloguePackage:
        raw = self.raw
        if not isinstance(raw, dict):
            raise InterchangeError(
                [
                    Problem(
                        "",
                        _(
                            "The file must be a mapping with the keys format, providers, "
                            "resources and qualifications."
                        ),
                    )
                ]
            )
        fmt = raw.get("format")
        if fmt is None:
            self.c.error("format", _("the key format is required: format: %(f)s") % {"f": FORMAT})
        elif fmt != FORMAT:
            self.c.error(
                "format",
                _("%(value)s is not a format Waymark reads: use %(f)s")
                % {"value": _show(fmt), "f": FORMAT},
            )
        for key in raw:
            if key not in ("format", *KINDS):
                self.c.error(
                    str(key),
                    _("unknown key %(key)s; the keys are: format, %(kinds)s")
                    % {"key": _show(key), "kinds": ", ".join(KINDS)},
                )
        for kind in KINDS:
            items = raw.get(kind)
            if items is None:
                continue
            if not isinstance(items, list):
                self.c.error(kind, _("this must be a list"))
                continue
            for i, item in enumerate(items):

                def where(name: str, index: int | None = None, _k: str = kind, _i: int = i) -> str:
                    return f"{_k}[{_i}].{name}" + (f"[{index}]" if index is not None else "")

                self.add(kind, item, where, f"{kind}[{i}]")
        if not any(self.package.counts().values()) and self.c.ok:
            self.c.error("", _("The file has no providers, resources or qualifications."))
        return self.finish()


class _CsvReader(_Reader):
    def __init__(self, text: str, *, kind: str | None, known: set[str]) -> None:
        super().__init__(known)
        self.text = text
        self.kind = kind

    def read(self) -> CataloguePackage:
        try:
            rows = list(csv.reader(io.StringIO(self.text, newline="")))
        except csv.Error as exc:
            raise InterchangeError(
                [Problem("", _("This is not valid CSV: %(reason)s.") % {"reason": exc})]
            ) from exc
        rows = [r for r in rows if any(cell.strip() for cell in r)]
        if not rows:
            raise InterchangeError([Problem("", _("The file is empty."))])
        header = [h.strip().lstrip("\ufeff") for h in rows[0]]
        kind = self.kind or _kind_from_header(header)
        if kind not in KINDS:
            raise InterchangeError(
                [
                    Problem(
                        _("row 1"),
                        _(
                            "Waymark cannot tell whether this CSV holds providers, resources or "
                            "qualifications: its first row must name the columns (see "
                            "docs/catalogue.md)."
                        ),
                    )
                ]
            )
        columns = FIELDS[kind]
        for i, name in enumerate(header):
            if name and name not in columns:
                self.c.error(
                    _("row 1, column %(n)d") % {"n": i + 1},
                    _("unknown column %(name)s; the columns for %(kind)s are: %(allowed)s")
                    % {"name": _show(name), "kind": kind, "allowed": ", ".join(columns)},
                )
        for name in REQUIRED[kind]:
            if name not in header:
                self.c.error(_("row 1"), _("the column %(name)s is missing") % {"name": name})
        if header.count("slug") > 1 or len(set(header)) != len(header):
            self.c.error(_("row 1"), _("a column name is used twice"))
        if not self.c.ok:
            self.c.raise_if_errors()
        if len(rows) == 1:
            raise InterchangeError([Problem("", _("The file has a header row but no entries."))])
        for number, row in enumerate(rows[1:], start=2):
            if len(row) > len(header):
                self.c.error(
                    _("row %(row)d") % {"row": number},
                    _("this row has %(n)d cells but the header names %(m)d columns")
                    % {"n": len(row), "m": len(header)},
                )
                continue
            row = row + [""] * (len(header) - len(row))
            raw = {name: cell for name, cell in zip(header, row, strict=True) if name}

            def where(name: str, index: int | None = None, _n: int = number) -> str:
                place = _("row %(row)d, column %(column)s") % {"row": _n, "column": name}
                if index is not None:
                    place += " " + _("(item %(n)d)") % {"n": index + 1}
                return place

            self.add(kind, raw, where, _("row %(row)d") % {"row": number})
        return self.finish()


def _kind_from_header(header: list[str]) -> str | None:
    names = set(header)
    if "awarding_body" in names or "units" in names:
        return "qualifications"
    if "type" in names or "nodes" in names or "mode" in names:
        return "resources"
    if "scope" in names or "name" in names:
        return "providers"
    return None


# ------------------------------------------------------------------------ saving


def catalogue_import(
    *, package: CataloguePackage, actor: User | None, source: str = ""
) -> CatalogueImportResult:
    """Save a checked package all or nothing: upsert by slug, each change audited."""
    result = CatalogueImportResult()
    with transaction.atomic():
        providers = _save_providers(package.providers, actor, result.providers)
        _save_resources(package.resources, actor, result.resources, providers)
        _save_qualifications(package.qualifications, actor, result.qualifications, providers)
        if result.changed:
            audit.record(
                actor=actor,
                action="catalogue.import",
                summary=(
                    _("Imported the catalogue file %(source)s: ") % {"source": source}
                    if source
                    else _("Imported a catalogue file: ")
                )
                + result.summary(),
                changes={
                    k: [
                        None,
                        {"new": getattr(result, k).created, "updated": getattr(result, k).updated},
                    ]
                    for k in KINDS
                },
            )
    return result


def _apply(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    changes = audit.diff(obj, values)
    for name, value in values.items():
        setattr(obj, name, value)
    return changes


def _provider_map(slugs: Iterable[str]) -> dict[str, Provider]:
    return {
        p.slug: p for p in Provider.objects.filter(slug__in=set(slugs), organisation__isnull=True)
    }


def _save_providers(
    entries: list[Entry], actor: User | None, counts: ImportCounts
) -> dict[str, Provider]:
    existing = _provider_map(e.slug for e in entries)
    for e in entries:
        obj = existing.get(e.slug)
        if obj is None:
            obj = Provider(slug=e.slug, **e.values)
            obj.save()
            existing[e.slug] = obj
            counts.created += 1
            audit.record(
                actor=actor,
                action="provider.import",
                obj=obj,
                summary=_("Added provider %(name)s by import") % {"name": obj.name},
            )
            continue
        changes = _apply(obj, e.values)
        if changes:
            obj.save(update_fields=[*e.values.keys(), "updated_at"])
            counts.updated += 1
            audit.record(
                actor=actor,
                action="provider.import",
                obj=obj,
                summary=_("Updated provider %(name)s by import") % {"name": obj.name},
                changes=changes,
            )
        else:
            counts.unchanged += 1
    return existing


def _node_label(node_ids: Iterable[int]) -> dict[int, str]:
    return {
        n.pk: f"{n.edition.framework.slug}:{n.code}"
        for n in Node.objects.filter(pk__in=set(node_ids)).select_related("edition__framework")
    }


def _save_resources(
    entries: list[Entry],
    actor: User | None,
    counts: ImportCounts,
    providers: dict[str, Provider],
) -> None:
    wanted = {e.provider for e in entries if e.provider} - set(providers)
    providers = {**providers, **_provider_map(wanted)}
    existing = {
        r.slug: r
        for r in Resource.objects.filter(
            slug__in=[e.slug for e in entries], organisation__isnull=True
        ).prefetch_related("tags")
    }
    tagged = {r.pk: {(t.node_id, t.coverage) for t in r.tags.all()} for r in existing.values()}
    labels = _node_label(
        {n for e in entries for n, _c in e.nodes or []}
        | {n for tags in tagged.values() for n, _c in tags}
    )
    new_tags: list[ResourceNode] = []
    retagged: list[int] = []
    for e in entries:
        values = dict(e.values)
        if e.provider is not None:
            values["provider"] = providers[e.provider] if e.provider else None
        obj = existing.get(e.slug)
        created = obj is None
        if obj is None:
            obj = Resource(slug=e.slug, created_by=actor if actor and actor.pk else None, **values)
            obj.save()
            changes: dict[str, list[Any]] = {}
            before: set[tuple[int, str]] = set()
        else:
            before = tagged[obj.pk]
            changes = _apply(obj, values)
            if changes:
                obj.save(update_fields=[*values.keys(), "updated_at"])
        if e.nodes is not None and set(e.nodes) != before:
            if before:
                retagged.append(obj.pk)
            new_tags += [
                ResourceNode(resource=obj, node_id=node_id, coverage=cov)
                for node_id, cov in e.nodes
            ]
            if not created:
                changes["nodes"] = [
                    sorted(f"{labels.get(n, n)}:{c}" for n, c in before),
                    sorted(f"{labels.get(n, n)}:{c}" for n, c in e.nodes),
                ]
        if created:
            counts.created += 1
            audit.record(
                actor=actor,
                action="resource.import",
                obj=obj,
                summary=_("Added resource %(title)s by import") % {"title": obj.title},
            )
        elif changes:
            counts.updated += 1
            audit.record(
                actor=actor,
                action="resource.import",
                obj=obj,
                summary=_("Updated resource %(title)s by import") % {"title": obj.title},
                changes=changes,
            )
        else:
            counts.unchanged += 1
    # Node tags: replaced for each entry whose list changed, in two statements.
    if retagged:
        ResourceNode.objects.filter(resource_id__in=retagged).delete()
    ResourceNode.objects.bulk_create(new_tags, batch_size=500)


def _unit_key(unit: dict[str, Any]) -> tuple[Any, ...]:
    return (
        unit["code"],
        unit["title"],
        unit["mandatory"],
        unit["credit_points"],
        tuple(sorted(unit["node_ids"])),
    )


def _save_qualifications(
    entries: list[Entry],
    actor: User | None,
    counts: ImportCounts,
    providers: dict[str, Provider],
) -> None:
    wanted = {slug for e in entries for slug in e.providers or []} - set(providers)
    providers = {**providers, **_provider_map(wanted)}
    existing = {
        q.slug: q
        for q in Qualification.objects.filter(slug__in=[e.slug for e in entries]).prefetch_related(
            "providers", "units__nodes"
        )
    }
    for e in entries:
        obj = existing.get(e.slug)
        created = obj is None
        changes: dict[str, list[Any]] = {}
        if obj is None:
            obj = Qualification(slug=e.slug, **e.values)
            obj.save()
            before_providers: list[str] = []
            before_units: list[tuple[Any, ...]] = []
        else:
            before_providers = sorted(p.slug for p in obj.providers.all())
            before_units = [
                _unit_key(
                    {
                        "code": u.code,
                        "title": u.title,
                        "mandatory": u.mandatory,
                        "credit_points": u.credit_points,
                        "node_ids": [n.pk for n in u.nodes.all()],
                    }
                )
                for u in obj.units.all()
            ]
            changes = _apply(obj, e.values)
            if changes:
                obj.save(update_fields=[*e.values.keys(), "updated_at"])
        if e.providers is not None and sorted(e.providers) != before_providers:
            obj.providers.set([providers[s] for s in e.providers])
            changes["providers"] = [before_providers, sorted(e.providers)]
        if e.units is not None and [_unit_key(u) for u in e.units] != before_units:
            QualificationUnit.objects.filter(qualification=obj).delete()
            for seq, u in enumerate(e.units):
                unit = QualificationUnit.objects.create(
                    qualification=obj,
                    code=u["code"],
                    title=u["title"],
                    mandatory=u["mandatory"],
                    credit_points=u["credit_points"],
                    sequence=seq,
                )
                if u["node_ids"]:
                    unit.nodes.set(u["node_ids"])
            changes["units"] = [len(before_units), len(e.units)]
        if created:
            counts.created += 1
            audit.record(
                actor=actor,
                action="qualification.import",
                obj=obj,
                summary=_("Added qualification %(title)s by import") % {"title": obj.title},
            )
        elif changes:
            counts.updated += 1
            audit.record(
                actor=actor,
                action="qualification.import",
                obj=obj,
                summary=_("Updated qualification %(title)s by import") % {"title": obj.title},
                changes=changes,
            )
        else:
            counts.unchanged += 1


# ------------------------------------------------------------------------ export


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _provenance(obj: Any) -> dict[str, Any]:
    return {
        "source": obj.source,
        "historical": obj.historical,
        "historical_as_of": obj.historical_as_of,
        "status": obj.status,
    }


def export_document() -> dict[str, Any]:
    """The whole public catalogue (every status; never an organisation's in-house
    entries) as a catalogue document."""
    providers = [
        {
            "slug": p.slug,
            "name": p.name,
            "scope": p.scope,
            "region": p.region,
            "url": p.url,
            "description": p.description,
            **_provenance(p),
        }
        for p in Provider.objects.filter(organisation__isnull=True).order_by("slug")
    ]
    resources = [
        {
            "slug": r.slug,
            "title": r.title,
            "type": r.resource_type,
            "description": r.description,
            "provider": (
                r.provider.slug
                if r.provider is not None and r.provider.organisation_id is None
                else None
            ),
            "url": r.url,
            "mode": r.delivery_mode,
            "cost_from": r.cost_from,
            "cost_to": r.cost_to,
            "cost_note": r.cost_note,
            "hours": _number(r.hours),
            "duration": r.duration,
            "scqf_level": r.scqf_level,
            "manager_levels": list(r.manager_levels or []),
            "regions": list(r.regions or []),
            "nodes": [
                {
                    "framework": t.node.edition.framework.slug,
                    "code": t.node.code,
                    "coverage": t.coverage,
                }
                for t in sorted(
                    r.tags.all(), key=lambda t: (t.node.edition.framework.slug, t.node.path)
                )
            ],
            **_provenance(r),
        }
        for r in Resource.objects.filter(organisation__isnull=True)
        .select_related("provider")
        .prefetch_related("tags__node__edition__framework")
        .order_by("slug")
    ]
    qualifications = [
        {
            "slug": q.slug,
            "title": q.title,
            "awarding_body": q.awarding_body,
            "description": q.description,
            "scqf_level": q.scqf_level,
            "credit_points": q.credit_points,
            "hours": _number(q.hours),
            "duration": q.duration,
            "cost_from": q.cost_from,
            "cost_to": q.cost_to,
            "cost_note": q.cost_note,
            "mode": q.delivery_mode,
            "required_by": q.required_by,
            "manager_levels": list(q.manager_levels or []),
            "providers": sorted(p.slug for p in q.providers.all() if p.organisation_id is None),
            "url": q.url,
            **_provenance(q),
            "units": [
                {
                    "code": u.code,
                    "title": u.title,
                    "mandatory": u.mandatory,
                    "credit_points": u.credit_points,
                    "nodes": [
                        {"framework": n.edition.framework.slug, "code": n.code}
                        for n in sorted(
                            u.nodes.all(), key=lambda n: (n.edition.framework.slug, n.path)
                        )
                    ],
                }
                for u in q.units.all()
            ],
        }
        for q in Qualification.objects.prefetch_related(
            "providers", "units__nodes__edition__framework"
        ).order_by("slug")
    ]
    return {
        "format": FORMAT,
        "providers": providers,
        "resources": resources,
        "qualifications": qualifications,
    }


def export_json(document: dict[str, Any] | None = None) -> str:
    return json.dumps(document or export_document(), ensure_ascii=False, indent=2) + "\n"


def _cell(name: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if name == "nodes":
        return ";".join(
            f"{n['framework']}:{n['code']}" + (f":{n['coverage']}" if "coverage" in n else "")
            for n in value
        )
    if name == "units":
        return "\n".join(
            " | ".join(
                [
                    u["code"],
                    u["title"],
                    "mandatory" if u["mandatory"] else "optional",
                    "" if u["credit_points"] is None else str(u["credit_points"]),
                    _cell("nodes", u["nodes"]),
                ]
            )
            for u in value
        )
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def export_csv(kind: str, document: dict[str, Any] | None = None) -> str:
    """One kind of entry as CSV, one row each, the columns of docs/catalogue.md."""
    if kind not in KINDS:
        raise ValueError(kind)
    document = document or export_document()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS[kind])
    for item in document[kind]:
        writer.writerow([_cell(name, item.get(name)) for name in FIELDS[kind]])
    return out.getvalue()
