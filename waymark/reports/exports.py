"""CSV, XLSX and JSON of a report: exactly the suppressed figures the page shows."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext as _

from waymark.reports.registry import Cell, Report
from waymark.reports.suppression import min_group


def suppressed_label() -> str:
    return _("fewer than %(min)d") % {"min": min_group()}


def cell_text(cell: Cell) -> str:
    if cell.suppressed:
        return suppressed_label()
    if cell.value is None:
        return ""
    if isinstance(cell.value, float):
        return f"{cell.value:g}"
    return str(cell.value)


def rows(report: Report) -> list[list[str]]:
    """Every line of the export: report, table, row, column, value; then the notes."""
    people = str(report.people_count) if report.people_count is not None else suppressed_label()
    out = [[_("report"), _("table"), _("row"), _("column"), _("value")]]
    out.append([report.name, "", "", _("people"), people])
    for table in report.tables:
        for label, cells in table.rows:
            for column, cell in zip(table.columns, cells, strict=True):
                out.append([report.name, str(table.title), label, str(column), cell_text(cell)])
    for note in [*report.notes, *(n for t in report.tables for n in t.notes)]:
        out.append([report.name, "", "", _("note"), str(note)])
    return out


def to_csv(report: Report) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows(report))
    return buf.getvalue()


def to_json(report: Report) -> dict[str, Any]:
    return report.as_json()


def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "About"
    ws.append([str(report.title)])
    ws.append(
        [
            _("People"),
            report.people_count if report.people_count is not None else suppressed_label(),
        ]
    )
    for note in report.notes:
        ws.append([str(note)])
    for n, table in enumerate(report.tables, start=1):
        sheet = wb.create_sheet(f"Table {n}")
        sheet.append([str(table.title)])
        sheet.append(["", *[str(c) for c in table.columns]])
        for label, cells in table.rows:
            sheet.append([label, *[suppressed_label() if c.suppressed else c.value for c in cells]])
        for note in table.notes:
            sheet.append([str(note)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
