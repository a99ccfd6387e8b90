from __future__ import annotations

import json
import random

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from waymark.conftest import Personas
from waymark.reports import exports, suppression
from waymark.reports.builders import workforce
from waymark.reports.registry import Cell, Report, ReportScope, Table
from waymark.reports.suppression import complementary_mask, primary_mask, suppress_table
from waymark.reports.tests import grids
from waymark.reports.tests.factories import add_manager, population


def _table(values: list[list[int]], *, total: bool = True) -> Table:
    rows = []
    for i, row in enumerate(values):
        cells = [Cell(v) for v in row] + ([Cell(sum(row))] if total else [])
        rows.append((f"row {i}", cells))
    columns = [f"c{j}" for j in range(len(values[0]))] + (["All"] if total else [])
    if total:
        sums = [sum(r[j] for r in values) for j in range(len(values[0]))]
        rows.append(("All", [Cell(s) for s in sums] + [Cell(sum(sums))]))
    return Table(
        title="t",
        columns=columns,
        rows=rows,
        total_column=len(columns) - 1 if total else None,
        total_row=len(rows) - 1 if total else None,
    )


def _grid(table: Table) -> grids.Grid:
    return [[c.value for c in cells] for _l, cells in table.rows]


# --- the rules ----------------------------------------------------------------------------


def test_a_cell_of_fewer_than_five_people_is_hidden_with_no_value_never_zero() -> None:
    table = _table([[4, 12], [7, 9]], total=False)
    suppress_table(table, complementary=False)
    hidden = table.rows[0][1][0]
    assert hidden.suppressed and hidden.value is None
    assert table.rows[1][1][0] == Cell(7)


def test_five_people_is_enough_to_be_shown() -> None:
    assert primary_mask([[5, 4, 0]]) == [[False, True, True]]


def test_zero_is_hidden_too() -> None:
    assert suppression.count_cell(0) == Cell(None, True)


@override_settings(WAYMARK_REPORT_MIN_GROUP=10)
def test_the_smallest_group_shown_is_a_setting() -> None:
    assert suppression.count_cell(9).suppressed
    assert not suppression.count_cell(10).suppressed


def test_a_row_with_one_hidden_cell_also_hides_the_next_smallest() -> None:
    mask = complementary_mask([[True, False, False, False]], [[3, 9, 6, 18]], total_column=3)
    assert mask == [[True, False, True, False]]


def test_with_no_other_cell_to_hide_the_total_is_withheld() -> None:
    mask = complementary_mask([[True, False]], [[3, 3]], total_column=1)
    assert mask == [[True, True]]


def test_a_hidden_zero_is_not_enough_cover_for_a_hidden_figure() -> None:
    mask = complementary_mask([[True, True, False, False]], [[3, 0, 9, 12]], total_column=3)
    assert mask == [[True, True, True, False]]


def test_complementary_suppression_runs_on_rows_and_columns_until_stable() -> None:
    table = _table([[3, 10, 12], [8, 9, 20], [11, 6, 7]])
    suppress_table(table)
    g = _grid(table)
    assert grids.revealed(g) == []
    assert g[0][0] is None
    assert sum(v is None for v in g[0][:-1]) >= 2
    assert sum(row[0] is None for row in g[:-1]) >= 2


def test_the_notes_say_what_was_hidden_and_why_in_plain_words() -> None:
    table = _table([[3, 10, 12], [8, 9, 20]])
    suppress_table(table)
    text = " ".join(table.notes)
    assert "fewer than 5 people" in text
    assert "subtracting the others from a total" in text


def test_a_report_of_fewer_than_five_people_hides_everything_even_its_people_count() -> None:
    table = _table([[30, 10]])
    report = Report("x", "X", [table], 0, 4, scope=ReportScope())
    suppression.finish(report)
    assert report.people_count is None
    assert all(c.suppressed for _l, cells in table.rows for c in cells)
    assert "describes fewer than 5 people" in report.notes[0]


def test_a_filter_that_narrows_below_five_says_so() -> None:
    report = Report("x", "X", [_table([[30]])], 0, 3, scope=ReportScope(level="senior"))
    suppression.finish(report)
    assert "filters leave fewer than 5 people" in report.notes[0]


@pytest.mark.parametrize("seed", range(40))
def test_no_random_table_gives_away_a_hidden_figure_by_subtraction(seed: int) -> None:
    rnd = random.Random(seed)
    rows, cols = rnd.randint(1, 6), rnd.randint(1, 6)
    values = [
        [rnd.choice([0, 1, 2, 3, 4, 5, 6, 8, 12, 30]) for _c in range(cols)] for _r in range(rows)
    ]
    table = _table(values)
    suppress_table(table)
    g = _grid(table)
    assert grids.revealed(g) == []
    assert all(v is None or v >= 5 for row in g for v in row)


# --- the subtraction attack on a real report, in every format -----------------------------


@pytest.fixture
def small_group(personas: Personas) -> Personas:
    """8 middle managers in adults' services, 3 senior in adults', 6 first-line in
    children's: the 3 must stay hidden however the totals are read."""
    from waymark.workforce.models import WorkforceRecord

    pop = population(personas.org)
    for level, area, n in [
        ("middle", "adults", 8),
        ("senior", "adults", 3),
        ("first-line", "children", 6),
    ]:
        for _i in range(n):
            user = add_manager(pop, self_levels=[1, 2, 3, 3], level=level)
            WorkforceRecord.objects.filter(user=user).update(service_area=area)
    return personas


def _check(tables: list[grids.Grid]) -> None:
    assert tables, "no tables found"
    for g in tables:
        assert grids.revealed(g) == []
        assert 3 not in [v for row in g for v in row]


def test_the_subtraction_attack_fails_on_the_built_report(small_group: Personas) -> None:
    report = workforce(ReportScope(organisation=small_group.org))
    g = _grid(report.tables[0])
    assert g[-1][-1] == 17  # the grand total is shown
    _check([g])


def test_the_subtraction_attack_fails_on_the_page_and_every_export(small_group: Personas) -> None:
    client = small_group.client_for(small_group.ld_lead)
    kw = {"org_slug": "brightwater", "name": "workforce"}
    page = client.get(reverse("reports:report", kwargs=kw)).content.decode()
    _check(grids.from_page(page))
    csv_text = client.get(reverse("reports:export", kwargs={**kw, "fmt": "csv"})).content.decode()
    _check(grids.from_csv(csv_text))
    xlsx = client.get(reverse("reports:export", kwargs={**kw, "fmt": "xlsx"})).content
    _check(grids.from_xlsx(xlsx))
    data = client.get("/api/v1/organisations/brightwater/reports/workforce/").json()
    _check(grids.from_json(data))


def test_the_subtraction_attack_fails_on_the_command_output(
    small_group: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("report", "workforce", "--org", "brightwater", "--format", "json")
    _check(grids.from_json(json.loads(capsys.readouterr().out)))
    call_command("report", "workforce", "--org", "brightwater", "--format", "csv")
    _check(grids.from_csv(capsys.readouterr().out))


def test_the_export_writes_hidden_cells_as_fewer_than_five_never_zero(
    small_group: Personas,
) -> None:
    report = workforce(ReportScope(organisation=small_group.org))
    senior = [line for line in exports.rows(report) if line[2] == "Senior or strategic manager"]
    assert senior and all(line[4] == "fewer than 5" for line in senior)
