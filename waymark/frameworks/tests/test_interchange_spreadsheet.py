"""Spreadsheets for editors: CSV and XLSX round trips, a hand-made sheet, and bad rows
reported by row and column with nothing written."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from waymark.core.models import AuditEvent
from waymark.frameworks.interchange.export import edition_package, export_edition
from waymark.frameworks.interchange.files import read_bytes
from waymark.frameworks.interchange.package import EditionTarget, Package
from waymark.frameworks.interchange.problems import InterchangeError
from waymark.frameworks.interchange.services import ImportResult, package_import
from waymark.frameworks.interchange.spreadsheet import read_csv, read_xlsx, write_csv
from waymark.frameworks.models import Association, Edition, Framework, ItemType, Node

CASE_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "testdata" / "case"


def load_standards() -> None:
    call_command("load_standards", stdout=io.StringIO())


def import_sheet(data: bytes, name: str, **kwargs: Any) -> ImportResult:
    package = read_bytes(data, name=name, target=kwargs.pop("target", None))
    assert isinstance(package, Package)
    return package_import(package=package, actor=None, origin="imported", **kwargs)


def row_counts() -> dict[str, int]:
    return {
        "frameworks": Framework.objects.count(),
        "editions": Edition.objects.count(),
        "nodes": Node.objects.count(),
        "associations": Association.objects.count(),
        "item types": ItemType.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def items_of(edition: Edition) -> dict[str, tuple[Any, ...]]:
    return {
        str(n.identifier): (
            n.code,
            n.title,
            n.statement,
            n.item_type_label,
            str(n.parent.identifier) if n.parent else None,
            n.path,
            n.sequence,
            n.competence_type,
            n.functional_area,
            n.scqf_level,
            n.is_central,
            n.notes,
        )
        for n in edition.nodes.select_related("parent")
    }


def associations_of(edition: Edition) -> set[tuple[Any, ...]]:
    return {
        (
            str(a.identifier),
            a.association_type,
            a.origin_identifier,
            a.destination_identifier,
            a.origin_id is not None,
            a.destination_id is not None,
            a.confirmed,
            a.made_by_name,
            a.note,
        )
        for a in edition.associations.all()
    }


def forget(edition: Edition) -> None:
    framework = edition.framework
    edition.delete()
    if not framework.editions.exists():
        framework.delete()


def csv_text(*rows: list[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


HEADER = [
    "Code",
    "Parent",
    "Item type",
    "Title",
    "Statement",
    "Competence type",
    "Functional area",
    "SCQF level",
    "Central",
]


def hand_made(*rows: list[str], meta: list[list[str]] | None = None) -> bytes:
    meta = (
        meta
        if meta is not None
        else [
            ["#Title", "Supervision framework"],
            ["#Publisher", "Brightwater Care"],
            ["#Edition", "1"],
            ["#Kind", "Guidance"],
        ]
    )
    return csv_text(*meta, [], HEADER, *rows)


GOOD_ROWS = [
    [
        "S1",
        "",
        "Domain",
        "Supervising",
        "Supervise staff well.",
        "specialist",
        "Working with people",
        "",
        "yes",
    ],
    ["S1.1", "S1", "Outcome", "", "Hold regular supervision.", "", "", "7", ""],
    ["S1.2", "S1", "Outcome", "", "Record supervision.", "", "using-resources", "", "no"],
    ["S2", "", "Domain", "", "Plan the service.", "Generic", "", "", ""],
]


# ------------------------------------------------------------------------------ round trips


def test_a_shipped_framework_round_trips_through_csv(db: None) -> None:
    load_standards()
    edition = Edition.objects.get(framework__slug="middle-manager-llf")
    node = edition.nodes.get(code="MM1.03")
    node.scqf_level = 10
    node.save(update_fields=["scqf_level"])
    before = items_of(edition)
    identifier = edition.identifier
    data = export_edition(edition, "csv", base_url="https://w.example").content
    forget(edition)
    again = import_sheet(data, "mm.csv").edition
    assert again.identifier == identifier
    assert again.framework.slug == "middle-manager-llf"
    assert items_of(again) == before
    assert again.nodes.filter(is_central=True).count() == 2


def test_a_shipped_framework_round_trips_through_xlsx_with_its_mappings(db: None) -> None:
    load_standards()
    edition = Edition.objects.get(framework__slug="middle-manager-llf")
    before_items = items_of(edition)
    before_links = associations_of(edition)
    assert len(before_links) == 37
    data = export_edition(edition, "xlsx", base_url="https://w.example").content
    forget(edition)
    again = import_sheet(data, "mm.xlsx").edition
    assert items_of(again) == before_items
    assert associations_of(again) == before_links
    assert (again.kind, again.publisher, again.version) == (
        "guidance",
        "Scottish Social Services Council",
        "2015",
    )


@pytest.mark.skipif(
    not CASE_DIR.is_dir() and not os.environ.get("CI"), reason="shared CASE test data not present"
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_case_package_round_trips_through_a_spreadsheet(db: None, fmt: str) -> None:
    package = read_bytes(
        (CASE_DIR / "opensalt_sample_framework_20c5134f.json").read_bytes(), name="s.json"
    )
    assert isinstance(package, Package)
    edition = package_import(package=package, actor=None, origin="imported").edition
    before = {k: v[:5] for k, v in items_of(edition).items()}  # code … parent
    data = export_edition(edition, fmt, base_url="https://w.example").content
    links = associations_of(edition)
    forget(edition)
    again = import_sheet(data, f"s.{fmt}").edition
    assert {k: v[:5] for k, v in items_of(again).items()} == before
    if fmt == "xlsx":
        assert {a[:6] for a in associations_of(again)} == {a[:6] for a in links}


def test_exporting_then_reimporting_the_same_sheet_with_replace_changes_nothing(db: None) -> None:
    load_standards()
    edition = Edition.objects.get(framework__slug="clf-leadership-capabilities")
    data = export_edition(edition, "xlsx", base_url="https://w.example").content
    # CLF's items are mapped from the Middle Manager edition, so replacing is refused...
    with pytest.raises(InterchangeError, match="other records point at its items"):
        import_sheet(data, "clf.xlsx", replace=True)
    # ...while an unmapped framework updates in place and, unchanged, changes nothing.
    edition = Edition.objects.get(framework__slug="senior-civil-service-core-competencies")
    data = export_edition(edition, "csv", base_url="https://w.example").content
    result = import_sheet(data, "scs.csv", replace=True)
    assert result.edition.pk == edition.pk
    assert not result.changed


# ---------------------------------------------------------------------------- hand-made sheet


def test_a_hand_made_csv_imports_with_codes_parents_labels_and_levels(db: None) -> None:
    result = import_sheet(hand_made(*GOOD_ROWS), "mine.csv")
    edition = result.edition
    assert (edition.title, edition.publisher, edition.version, edition.kind) == (
        "Supervision framework",
        "Brightwater Care",
        "1",
        "guidance",
    )
    assert edition.framework.slug == "supervision-framework"
    s1 = edition.nodes.get(code="S1")
    assert (s1.competence_type, s1.functional_area, s1.is_central) == (
        "specialist",
        "working-with-people",
        True,
    )
    assert list(s1.children.values_list("code", "scqf_level")) == [("S1.1", 7), ("S1.2", None)]
    assert edition.nodes.get(code="S1.2").functional_area == "using-resources"
    assert edition.nodes.get(code="S2").competence_type == "generic"
    assert list(edition.nodes.filter(parent=None).values_list("code", flat=True)) == ["S1", "S2"]
    # The same sheet again is the same edition (stable identifiers): refused, or with
    # replace, unchanged.
    with pytest.raises(InterchangeError, match="is already in Waymark"):
        import_sheet(hand_made(*GOOD_ROWS), "mine.csv")
    assert not import_sheet(hand_made(*GOOD_ROWS), "mine.csv", replace=True).changed


def test_a_semicolon_separated_csv_from_excel_is_read(db: None) -> None:
    text = hand_made(*GOOD_ROWS).decode().replace(",", ";")
    edition = import_sheet(text.encode("utf-8-sig"), "excel.csv").edition
    assert edition.nodes.count() == 4


def test_a_sheet_imported_into_an_edition_keeps_item_identifiers_by_code(db: None) -> None:
    edition = import_sheet(hand_made(*GOOD_ROWS), "mine.csv").edition
    ids = dict(edition.nodes.values_list("code", "identifier"))
    rows = [r.copy() for r in GOOD_ROWS]
    rows[1][4] = "Hold supervision every month."
    target = EditionTarget(
        identifier=str(edition.identifier), identifiers_by_code={c: str(i) for c, i in ids.items()}
    )
    meta = [["#Title", "Supervision framework"], ["#Publisher", "Brightwater Care"]]
    result = import_sheet(hand_made(*rows, meta=meta), "mine.csv", target=target, replace=True)
    assert result.edition.pk == edition.pk
    assert dict(result.edition.nodes.values_list("code", "identifier")) == ids
    assert result.edition.nodes.get(code="S1.1").statement == "Hold supervision every month."


# ------------------------------------------------------------------------------ bad sheets


def refused(data: bytes, name: str) -> str:
    before = row_counts()
    with pytest.raises(InterchangeError) as exc:
        import_sheet(data, name)
    assert row_counts() == before
    return "\n".join(str(p) for p in exc.value.problems)


def test_it_refuses_a_sheet_without_the_required_columns(db: None) -> None:
    data = csv_text(
        ["#Title", "X"], ["#Publisher", "Y"], ["Code", "Parent", "Text"], ["A", "", "hello"]
    )
    text = refused(data, "x.csv")
    assert "The items table has no “Statement” column. Required columns: Code, Statement." in text


def test_it_reports_every_bad_value_by_row_and_column_and_writes_nothing(db: None) -> None:
    rows = [
        ["S1", "", "Domain", "", "Fine.", "", "", "", ""],
        ["S2", "", "Domain", "", "Bad level.", "", "", "13", ""],
        ["S3", "", "Domain", "", "Bad area.", "", "Juggling", "", ""],
        ["S4", "S9", "Outcome", "", "Unknown parent.", "", "", "", ""],
        ["S5", "", "Domain", "", "", "", "", "", ""],
        ["S6", "", "Domain", "", "Bad type.", "heroic", "", "", "maybe"],
    ]
    text = refused(hand_made(*rows), "bad.csv")
    # Row numbers are the spreadsheet's: four framework rows, a blank row, the headings.
    assert (
        "Row 8, column “SCQF level”: “13” is not an SCQF level: write a whole number from 1 to 12."
        in text
    )
    assert "Row 9, column “Functional area”: “Juggling” is not a functional area" in text
    assert "Row 10, column “Parent”: no item in this file has the code or identifier “S9”." in text
    assert "Row 11, column “Statement”: the statement is missing." in text
    assert "Row 12, column “Competence type”: “heroic” is not a competence type" in text
    assert "Row 12, column “Central”: “maybe”: write yes or no." in text


def test_it_refuses_a_sheet_without_a_title_or_publisher(db: None) -> None:
    text = refused(hand_made(*GOOD_ROWS, meta=[]), "x.csv")
    assert "The framework title is missing" in text and "The publisher is missing" in text


def test_it_refuses_a_cycle_of_parents_in_a_sheet(db: None) -> None:
    rows = [
        ["L1", "L2", "", "", "One.", "", "", "", ""],
        ["L2", "L1", "", "", "Two.", "", "", "", ""],
    ]
    assert "form a loop (L1 → L2 → L1)" in refused(hand_made(*rows), "loop.csv")


def test_it_refuses_a_workbook_that_is_not_one(db: None) -> None:
    assert "not an Excel workbook" in refused(b"PK\x03\x04 not really a zip", "x.xlsx")


def test_an_xlsx_with_bad_rows_names_the_sheet(db: None) -> None:
    book = Workbook()
    meta = book.active
    assert meta is not None
    meta.title = "Framework"
    meta.append(["Field", "Value"])
    meta.append(["Title", "T"])
    meta.append(["Publisher", "P"])
    items = book.create_sheet("Items")
    items.append(["Code", "Statement", "SCQF level"])
    items.append(["A", "Fine", 5])
    items.append(["B", "Too high", 13.0])
    out = io.BytesIO()
    book.save(out)
    text = refused(out.getvalue(), "x.xlsx")
    assert "Items sheet, row 3, column “SCQF level”: “13” is not an SCQF level" in text


# --------------------------------------------------------------------------- writing safely


def test_cells_that_look_like_formulas_are_never_formulas(db: None) -> None:
    rows = [
        ["F1", "", "", "", '=HYPERLINK("http://evil")', "", "", "", ""],
        ["F2", "", "", "", "-1 is fine as text", "", "", "", ""],
    ]
    edition = import_sheet(hand_made(*rows), "f.csv").edition
    package = edition_package(edition)
    text = write_csv(package).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'-1 is fine" in text
    again = read_csv(text.encode())
    assert {i.statement for i in again.items} == {'=HYPERLINK("http://evil")', "-1 is fine as text"}
    book = load_workbook(
        io.BytesIO(export_edition(edition, "xlsx", base_url="https://w.example").content)
    )
    cells = [
        c for row in book["Items"].iter_rows() for c in row if str(c.value).startswith("=HYPER")
    ]
    assert cells and all(c.data_type == "s" for c in cells)
    again_x = read_xlsx(export_edition(edition, "xlsx", base_url="https://w.example").content)
    assert {i.statement for i in again_x.items} == {
        '=HYPERLINK("http://evil")',
        "-1 is fine as text",
    }
