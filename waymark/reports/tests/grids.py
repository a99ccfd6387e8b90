"""Read a report's tables back out of each format (page, CSV, XLSX, JSON) as grids of
numbers (None = hidden), and find what a subtraction attack would reveal."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from typing import Any

Grid = list[list[float | None]]


def number(text: str) -> float | None:
    text = text.strip()
    if text.startswith("fewer than"):
        return None
    if text in ("", "\u2013"):
        return 0.0
    return float(text)


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[Grid] = []
        self._row: list[float | None] | None = None
        self._header = False
        self._in_td = False
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row = []
            self._header = False
        elif tag == "th" and ("scope", "col") in attrs:
            self._header = True
        elif tag == "td" and self._row is not None:
            self._in_td = True
            self._text = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._in_td:
            self._in_td = False
            assert self._row is not None
            self._row.append(number(self._text))
        elif tag == "tr" and self._row is not None:
            if self._row and self.tables and not self._header:
                self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._in_td:
            self._text += data


def from_page(html: str) -> list[Grid]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def from_csv(text: str) -> list[Grid]:
    tables: dict[str, dict[str, list[float | None]]] = {}
    for row in list(csv.reader(io.StringIO(text)))[1:]:
        _report, table, label, _column, value = row
        if table:
            tables.setdefault(table, {}).setdefault(label, []).append(number(value))
    return [list(rows.values()) for rows in tables.values()]


def from_xlsx(data: bytes) -> list[Grid]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    grids = []
    for ws in wb.worksheets[1:]:
        rows = list(ws.iter_rows(values_only=True))
        width = len([v for v in rows[1] if v is not None])
        grid: Grid = []
        for r in rows[2:]:
            cells = r[1 : width + 1]
            if len(cells) < width or all(v is None for v in cells):
                continue  # a note
            grid.append([None if isinstance(v, str) else float(v or 0) for v in cells])
        grids.append(grid)
    return grids


def from_json(data: dict[str, Any]) -> list[Grid]:
    return [
        [[None if c["suppressed"] else c["value"] for c in row["cells"]] for row in t["rows"]]
        for t in data["tables"]
    ]


def revealed(grid: Grid, *, total_column: bool = True, total_row: bool = True) -> list[str]:
    """What subtracting reveals: for each row (and column) whose total is visible and
    which hides exactly one cell, total minus the visible cells."""
    lines: list[list[float | None]] = []
    if total_column:
        lines += [list(row) for row in (grid[:-1] if total_row else grid)]
    if total_row and grid:
        columns = [list(col) for col in zip(*grid, strict=True)]
        lines += columns[:-1] if total_column else columns
    found = []
    for line in lines:
        total, inner = line[-1], line[:-1]
        hidden = [i for i, v in enumerate(inner) if v is None]
        if total is not None and len(hidden) == 1:
            found.append(f"{line}: cell {hidden[0]} = {total - sum(v or 0 for v in inner)}")
    return found
