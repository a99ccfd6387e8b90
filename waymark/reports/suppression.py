"""Small-group suppression for reports.

The rule: any cell, chart point or export row describing fewer than ``MIN_GROUP``
people (setting ``WAYMARK_REPORT_MIN_GROUP``, default 5) is suppressed: it is shown as
"fewer than 5" and carries ``value=None`` (never 0). Then *complementary* suppression:
no row or column (totals included) may hold exactly one hidden figure, nor exactly one
hidden non-zero figure; where one does, the next smallest visible figure in it is hidden
too (or, when there is no other, its total), for rows and columns in turn until nothing
changes. So no hidden figure can be worked out by subtracting the visible ones from a
total.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waymark.reports.registry import Cell, Report, Table

Number = float | int | None


def min_group() -> int:
    return int(getattr(settings, "WAYMARK_REPORT_MIN_GROUP", 5))


MIN_GROUP = min_group()


def is_small(people: int | None) -> bool:
    """True when a group of ``people`` must not be shown (fewer than MIN_GROUP)."""
    return people is None or people < min_group()


def count_cell(people: int | None) -> Cell:
    """A cell counting people: suppressed below MIN_GROUP."""
    if is_small(people):
        return Cell(None, True)
    return Cell(people)


def people_count(people: int | None) -> int | None:
    """A report's people count: None (suppressed) below MIN_GROUP."""
    return None if is_small(people) else people


def primary_mask(people: Sequence[Sequence[int | None]]) -> list[list[bool]]:
    """True where a cell describes fewer than MIN_GROUP people."""
    return [[is_small(n) for n in row] for row in people]


def complementary_mask(
    mask: Sequence[Sequence[bool]],
    values: Sequence[Sequence[Number]],
    *,
    total_column: int | None = None,
    total_row: int | None = None,
) -> list[list[bool]]:
    """Extend ``mask`` so that no row or column has exactly one hidden figure (nor
    exactly one hidden non-zero figure): the smallest visible figure that is not a total
    is hidden too, or the total when there is no other. Repeated over rows and columns
    until stable. Returns a new mask."""
    out = [list(r) for r in mask]
    n_rows = len(out)
    n_cols = max((len(r) for r in out), default=0)

    def value(i: int, j: int) -> Number:
        return values[i][j] if j < len(values[i]) else None

    def nonzero(i: int, j: int) -> bool:
        v = value(i, j)
        return v is None or v != 0

    def key(c: tuple[int, int]) -> tuple[int, float, int, int]:
        i, j = c
        v = value(i, j)
        is_total = (j == total_column) or (i == total_row)
        return (1 if is_total else 0, float(v) if v is not None else 0.0, i, j)

    def fix(cells: list[tuple[int, int]]) -> bool:
        # A hidden zero is poor cover (it may be known to be zero), so what counts is
        # also the number of hidden non-zero figures.
        if len(cells) < 2:
            return False
        hidden = [c for c in cells if out[c[0]][c[1]]]
        visible = [c for c in cells if not out[c[0]][c[1]]]
        if len([c for c in hidden if nonzero(*c)]) == 1:
            candidates = [c for c in visible if nonzero(*c)]
        elif len(hidden) == 1:
            candidates = visible
        else:
            return False
        if not candidates:
            return False
        i, j = min(candidates, key=key)
        out[i][j] = True
        return True

    changed = True
    while changed:
        changed = False
        for i in range(n_rows):
            if fix([(i, j) for j in range(len(out[i]))]):
                changed = True
        for j in range(n_cols):
            if fix([(i, j) for i in range(n_rows) if j < len(out[i])]):
                changed = True
    return out


def apply_mask(table: Table, mask: Sequence[Sequence[bool]]) -> Table:
    """Replace masked cells with suppressed ones (value None)."""
    table.rows = [
        (
            label,
            [
                Cell(None, True) if (m or c.suppressed) else c
                for c, m in zip(cells, mrow, strict=True)
            ],
        )
        for (label, cells), mrow in zip(table.rows, mask, strict=True)
    ]
    return table


def suppress_table(
    table: Table,
    people: Sequence[Sequence[int | None]] | None = None,
    *,
    complementary: bool = True,
) -> list[list[bool]]:
    """Suppress ``table`` in place and return the mask used.

    ``people`` gives the number of people each cell describes; by default the cells'
    own values (a table of counts of people). Cells already suppressed stay so.
    """
    values = [[c.value for c in cells] for _label, cells in table.rows]
    if people is None:
        people = [[None if v is None else int(v) for v in row] for row in values]
    mask = primary_mask(people)
    for i, (_label, cells) in enumerate(table.rows):
        for j, c in enumerate(cells):
            if c.suppressed:
                mask[i][j] = True
    primary = sum(m for row in mask for m in row)
    if complementary:
        mask = complementary_mask(
            mask, values, total_column=table.total_column, total_row=table.total_row
        )
    secondary = sum(m for row in mask for m in row) - primary
    apply_mask(table, mask)
    add_notes(table, primary=primary, secondary=secondary)
    return mask


def add_notes(table: Table, *, primary: int, secondary: int) -> None:
    n = min_group()
    if primary:
        table.notes.append(
            ngettext(
                "%(count)d figure describes fewer than %(min)d people, so it is shown "
                "as “fewer than %(min)d” instead of a number.",
                "%(count)d figures describe fewer than %(min)d people, so they are "
                "shown as “fewer than %(min)d” instead of numbers.",
                primary,
            )
            % {"count": primary, "min": n}
        )
    if secondary:
        table.notes.append(
            ngettext(
                "%(count)d more figure is hidden so that a hidden one cannot be worked "
                "out by subtracting the others from a total.",
                "%(count)d more figures are hidden so that a hidden one cannot be "
                "worked out by subtracting the others from a total.",
                secondary,
            )
            % {"count": secondary}
        )


def suppress_everything(report: Report, reason: str | None = None) -> Report:
    """Hide every figure of ``report`` (it, or its filters, describe too few people)."""
    message = reason or _(
        "These filters leave fewer than %(min)d people, so every figure is hidden: "
        "otherwise they could describe identifiable people. Widen the filters."
    ) % {"min": min_group()}
    for table in report.tables:
        table.rows = [(label, [Cell(None, True) for _c in cells]) for label, cells in table.rows]
        table.notes = [message]
    report.people_count = None
    report.suppressed_count = sum(t.suppressed_count for t in report.tables)
    if message not in report.notes:
        report.notes.insert(0, message)
    return report


def finish(report: Report) -> Report:
    """Recount hidden figures; hide everything when the people count is small."""
    if report.people_count is None or is_small(report.people_count):
        if report.scope is not None and report.scope.is_filtered:
            return suppress_everything(report)
        return suppress_everything(
            report,
            _(
                "This report describes fewer than %(min)d people, so every figure is "
                "hidden: otherwise they could describe identifiable people."
            )
            % {"min": min_group()},
        )
    report.suppressed_count = sum(t.suppressed_count for t in report.tables)
    return report
