"""The reports' shared interface: scope, cells, tables, reports and the registry.

Every figure a report shows is a :class:`Cell`. A suppressed cell carries ``value=None``
and ``suppressed=True`` (never 0). Build functions take a :class:`ReportScope` and
return a :class:`Report` whose tables have already been through
``waymark.reports.suppression``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from waymark.organisations.models import Organisation


@dataclass(frozen=True)
class ReportScope:
    """Whose data a report describes.

    ``organisation=None`` is the national view: every organisation, narrowed by
    ``sector``, ``size_band`` and ``region`` when given. ``team_id`` and ``level`` are
    the organisation pages' filters (team or service, manager level).
    """

    organisation: Organisation | None = None
    sector: str | None = None
    size_band: str | None = None
    region: str | None = None
    team_id: int | None = None
    level: str | None = None

    @property
    def is_national(self) -> bool:
        return self.organisation is None

    @property
    def is_filtered(self) -> bool:
        return self.team_id is not None or bool(self.level)

    def organisation_ids(self) -> list[int]:
        from waymark.organisations.models import Organisation

        if self.organisation is not None:
            return [self.organisation.pk]
        qs = Organisation.objects.all()
        if self.sector:
            qs = qs.filter(sector=self.sector)
        if self.size_band:
            qs = qs.filter(size_band=self.size_band)
        if self.region:
            qs = qs.filter(region=self.region)
        return list(qs.values_list("pk", flat=True))


@dataclass
class Cell:
    value: float | int | None
    suppressed: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"value": self.value, "suppressed": self.suppressed}


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[tuple[str, list[Cell]]]
    notes: list[str] = field(default_factory=list)
    # Which column / row holds totals, if any (suppression prefers to keep them).
    total_column: int | None = None
    total_row: int | None = None
    # Whether the cells count people (else they need a separate count of people).
    counts_people: bool = True
    # Shown as a shaded heatmap (with the value written in each cell) and a legend.
    heatmap: bool = False

    @property
    def suppressed_count(self) -> int:
        return sum(1 for _label, cells in self.rows for c in cells if c.suppressed)

    def as_json(self) -> dict[str, Any]:
        return {
            "title": str(self.title),
            "columns": [str(c) for c in self.columns],
            "rows": [
                {"label": str(label), "cells": [c.as_json() for c in cells]}
                for label, cells in self.rows
            ],
            "notes": [str(n) for n in self.notes],
        }


@dataclass
class Report:
    name: str
    title: str
    tables: list[Table]
    suppressed_count: int
    # How many people the report describes; None when fewer than MIN_GROUP (suppressed).
    people_count: int | None
    notes: list[str] = field(default_factory=list)
    scope: ReportScope | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": str(self.title),
            "people_count": {
                "value": self.people_count,
                "suppressed": self.people_count is None,
            },
            "suppressed_count": self.suppressed_count,
            "notes": [str(n) for n in self.notes],
            "tables": [t.as_json() for t in self.tables],
        }


@dataclass(frozen=True)
class ReportSpec:
    name: str
    title: str | Promise
    build: Callable[[ReportScope], Report]
    national: bool = True
    description: str | Promise = ""


REPORTS: dict[str, ReportSpec] = {}


def register(spec: ReportSpec) -> ReportSpec:
    REPORTS[spec.name] = spec
    return spec


def get_reports() -> Mapping[str, ReportSpec]:
    """The registry, with every built-in report loaded."""
    from waymark.reports import builders  # noqa: F401  (registers the reports)

    return REPORTS


def build_report(name: str, scope: ReportScope) -> Report:
    return get_reports()[name].build(scope)
