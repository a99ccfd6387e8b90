"""The interchange commands: what they print, and their exit codes."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connections
from openpyxl import load_workbook

from waymark.frameworks.models import Edition, Node

CASE_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "testdata" / "case"
needs_case = pytest.mark.skipif(
    not CASE_DIR.is_dir() and not os.environ.get("CI"), reason="shared CASE test data not present"
)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def exit_code(
    *args: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    """Run a command as `waymark …` does, returning its exit status and output. (The
    command closes database connections when it ends; the test's must stay open.)"""
    monkeypatch.setattr(connections, "close_all", lambda: None)
    try:
        ManagementUtility(["waymark", *args]).execute()
    except SystemExit as exc:
        code = int(exc.code or 0)
    else:
        code = 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@needs_case
def test_import_framework_prints_a_summary(db: None) -> None:
    out = run("import_framework", str(CASE_DIR / "opensalt_Ordering.json"))
    assert "Title:        ACT Holistic Framework, Math" in out
    assert "Framework:    act-holistic-framework-math (new edition)" in out
    assert "Identifier:   a33fc64e-5c40-11e7-82c4-3d54268aa9ee" in out
    assert "Items:        28" in out
    assert "Associations: 28 (28 isChildOf, 0 other)" in out
    assert "Warnings:     0" in out


@needs_case
def test_import_framework_lists_the_warnings_of_a_lenient_import(db: None) -> None:
    out = run(
        "import_framework",
        str(CASE_DIR / "opensalt_sample_framework_20c5134f.json"),
        "--slug",
        "what-standards",
    )
    assert "Framework:    what-standards (new edition)" in out
    assert "Associations: 39 (16 isChildOf, 23 other; " in out
    assert (
        "  - CFDocument (identifier 20c5134f-423d-4097-a971-3dd5152bf507): CFPackageURI is a plain string"
        in out
    )


@needs_case
def test_import_framework_strict_exits_non_zero_listing_every_problem(
    db: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _out, err = exit_code(
        "import_framework",
        "--strict",
        str(CASE_DIR / "opensalt_sample_framework_20c5134f.json"),
        capsys=capsys,
        monkeypatch=monkeypatch,
    )
    assert code == 1
    assert "Nothing was imported from" in err
    assert "educationalLevel" in err and "sequenceNumber is the text" in err
    assert Edition.objects.count() == 0


def test_import_framework_exits_non_zero_on_a_bad_file(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"CFDocument": {"identifier": "nope"}, "CFItems": [{"fullStatement": 3}]}')
    code, out, err = exit_code("import_framework", str(bad), capsys=capsys, monkeypatch=monkeypatch)
    assert code == 1
    assert out == ""
    assert "CFDocument: identifier “nope” is not a UUID." in err
    assert "CFDocument: title is missing." in err
    assert "CFItems[0]: identifier is missing." in err
    assert Node.objects.count() == 0


def test_import_framework_refuses_a_missing_file(db: None) -> None:
    with pytest.raises(CommandError, match="There is no such file"):
        run("import_framework", "/nowhere/at/all.json")


@needs_case
def test_import_framework_refuses_a_second_import_unless_replace(db: None) -> None:
    path = str(CASE_DIR / "smarterbalanced_mockDOK.json")
    run("import_framework", path)
    with pytest.raises(CommandError, match="is already in Waymark"):
        run("import_framework", path)
    assert "(unchanged)" in run("import_framework", path, "--replace")


def test_import_framework_reads_shipped_yaml_and_mapping_files(db: None) -> None:
    from waymark.frameworks.interchange.shipped import DATA_DIR

    out = run("import_framework", str(DATA_DIR / "frameworks" / "clf-leadership-capabilities.yaml"))
    assert "Items:        6" in out
    run("import_framework", str(DATA_DIR / "frameworks" / "middle-manager-llf.yaml"))
    out = run("import_framework", str(DATA_DIR / "mappings" / "middle-manager-to-clf.yaml"))
    assert "23 new" in out


def test_load_standards_prints_a_line_per_file_and_is_idempotent(db: None) -> None:
    first = run("load_standards")
    lines = first.strip().splitlines()
    assert len(lines) == 12
    assert lines[0].startswith(
        "frameworks/ccl-leadership-development-capabilities.yaml: new edition"
    )
    assert lines[-1].startswith("mappings/middle-manager-to-functional-areas.yaml: 14 new")
    second = run("load_standards")
    assert all("unchanged" in line for line in second.strip().splitlines())


def test_load_standards_refuses_an_empty_folder(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No YAML files"):
        run("load_standards", "--path", str(tmp_path))


def test_list_frameworks_as_a_table_and_as_json(db: None) -> None:
    assert "No frameworks yet" in run("list_frameworks")
    run("load_standards")
    table = run("list_frameworks")
    assert "middle-manager-llf" in table and "  83  " in table
    rows = json.loads(run("list_frameworks", "--json"))
    mm = next(r for r in rows if r["slug"] == "middle-manager-llf")
    assert mm["items"] == 83 and mm["edition"] == "2015" and mm["current"] is True
    assert set(mm) >= {"identifier", "slug", "title", "edition", "items"}


def test_export_framework_by_slug_or_identifier_in_every_format(db: None, tmp_path: Path) -> None:
    run("load_standards")
    edition = Edition.objects.get(framework__slug="middle-manager-llf")
    case = tmp_path / "mm.json"
    out = run(
        "export_framework",
        "middle-manager-llf",
        "--format",
        "case",
        "-o",
        str(case),
        "--base-url",
        "https://waymark.example",
    )
    assert "as case to" in out
    data = json.loads(case.read_text())
    assert data["CFDocument"]["identifier"] == str(edition.identifier)
    assert len(data["CFItems"]) == 83
    assert data["CFItems"][0]["uri"].startswith("https://waymark.example/ims/case/v1p0/CFItems/")
    csv_path = tmp_path / "mm.csv"
    run("export_framework", str(edition.identifier), "--format", "csv", "-o", str(csv_path))
    assert "#Title,Middle Manager Leadership Learning Framework" in csv_path.read_text(
        encoding="utf-8-sig"
    )
    xlsx = tmp_path / "mm.xlsx"
    run("export_framework", str(edition.identifier), "--format", "xlsx", "-o", str(xlsx))
    assert load_workbook(xlsx).sheetnames == ["Framework", "Items", "Associations"]


def test_export_framework_names_an_unknown_identifier(db: None, tmp_path: Path) -> None:
    with pytest.raises(
        CommandError, match="No edition has the identifier, and no framework the short name"
    ):
        run("export_framework", "no-such-framework", "-o", str(tmp_path / "x.json"))


def test_import_framework_refuses_a_bad_short_name(db: None) -> None:
    from waymark.frameworks.interchange.shipped import DATA_DIR

    with pytest.raises(CommandError, match="The short name “Not A Slug” may hold only"):
        run(
            "import_framework",
            str(DATA_DIR / "frameworks" / "clf-leadership-capabilities.yaml"),
            "--slug",
            "Not A Slug",
        )
    assert Edition.objects.count() == 0
