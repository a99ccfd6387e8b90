"""`waymark export-record`: for administrators answering a subject access request."""

from __future__ import annotations

import json
import os
import stat
from io import StringIO
from pathlib import Path
from unittest.mock import patch

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waymark.core.models import AuditEvent
from waymark.core.tests.factories import MembershipFactory, OrganisationFactory
from waymark.records.management.commands.export_record import Command

from .conftest import OTHER_MARK, Records, pdf_text
from .factories import build_journey


def run(*argv: str) -> int:
    """The command as the console runs it; its exit status. `run_from_argv` closes every
    database connection when it finishes, as a process would on exit; inside a test that
    would close the test's own connection (PostgreSQL then fails every later query), so
    the closing is held back for the duration."""
    with patch("django.core.management.base.connections.close_all"):
        try:
            Command().run_from_argv(["waymark", "export_record", *argv])
        except SystemExit as e:
            return int(e.code or 0)
    return 0


def test_it_writes_her_record_as_a_pdf_with_every_reflection(
    records: Records, tmp_path: Path
) -> None:
    target = tmp_path / "maya.pdf"
    out = StringIO()
    call_command(
        "export_record", records.manager.email, "--format", "pdf", "-o", str(target), stdout=out
    )
    assert "Wrote the PDF record of maya@brightwater.example" in out.getvalue()
    content = target.read_bytes()
    assert content.startswith(b"%PDF")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = pdf_text(content)
    private = records.private_entry()
    assert private.title in text and private.what_learnt in text  # a SAR covers all her data
    assert OTHER_MARK.strip() not in text
    event = AuditEvent.objects.get(action="records.pdf.export")
    assert event.actor is None and event.changes["reason"] == "subject-access-request"


def test_it_writes_all_her_data_as_json_and_exits_0(records: Records, tmp_path: Path) -> None:
    target = tmp_path / "maya.json"
    assert run(records.manager.email.upper(), "--format", "json", "-o", str(target)) == 0
    data = json.loads(target.read_text())
    assert data["format_version"] == 1
    assert data["person"]["email"] == records.manager.email
    titles = {e["title"] for o in data["organisations"] for e in o["cpd_entries"]}
    assert records.private_entry().title in titles
    assert OTHER_MARK.strip() not in target.read_text()


def test_an_unknown_email_fails_clearly_with_exit_1(
    records: Records, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "x.json"
    assert run("nobody@example.org", "--format", "json", "-o", str(target)) == 1
    assert "Nobody has the email address “nobody@example.org”" in capsys.readouterr().err
    assert not target.exists()


def test_json_covers_every_organisation_and_a_pdf_asks_which(
    records: Records, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = OrganisationFactory.create(name="Second Home", slug="second-home")
    MembershipFactory.create(organisation=elsewhere, user=records.manager, role="manager")
    build_journey(
        organisation=elsewhere,
        manager=records.manager,
        nodes=records.journey.nodes[:2],
        entries=1,
        label=" [second]",
    )
    target = tmp_path / "all.json"
    assert run(records.manager.email, "--format", "json", "-o", str(target)) == 0
    slugs = [o["organisation"]["slug"] for o in json.loads(target.read_text())["organisations"]]
    assert slugs == ["brightwater", "second-home"]

    pdf = tmp_path / "maya.pdf"
    assert run(records.manager.email, "--format", "pdf", "-o", str(pdf)) == 1
    err = capsys.readouterr().err
    assert "2 organisations (brightwater, second-home)" in err and "--organisation" in err
    assert not pdf.exists()

    assert (
        run(
            records.manager.email,
            "--format",
            "pdf",
            "-o",
            str(pdf),
            "--organisation",
            "second-home",
        )
        == 0
    )
    assert "[second]" in pdf_text(pdf.read_bytes())


def test_an_organisation_she_has_no_data_in_is_refused(
    records: Records, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "x.json")
    assert (
        run(records.manager.email, "--format", "json", "-o", out, "--organisation", "elsewhere")
        == 1
    )
    assert "has no data in “elsewhere”; they have data in: brightwater" in capsys.readouterr().err
    assert run(records.manager.email, "--format", "json", "-o", out, "--organisation", "nope") == 1
    assert "There is no organisation “nope”" in capsys.readouterr().err


def test_a_path_that_cannot_be_written_fails_before_any_work(
    records: Records, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-folder" / "maya.json"
    assert run(records.manager.email, "--format", "json", "-o", str(missing)) == 1
    assert "does not exist" in capsys.readouterr().err

    assert run(records.manager.email, "--format", "json", "-o", str(tmp_path)) == 1
    assert "is a directory" in capsys.readouterr().err

    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        try:
            assert run(records.manager.email, "--format", "json", "-o", str(locked / "x.json")) == 1
            assert "permission denied" in capsys.readouterr().err
        finally:
            locked.chmod(0o700)
    assert not AuditEvent.objects.filter(action__startswith="records.").exists()


def test_the_help_says_a_subject_access_request_includes_private_entries() -> None:
    parser = Command().create_parser("waymark", "export-record")
    text = parser.format_help()
    assert "PRIVATE CPD entries" in text
    assert "--organisation" in text


def test_call_command_raises_a_command_error_for_an_unknown_email(db: None) -> None:
    with pytest.raises(CommandError, match="Nobody has the email address"):
        call_command("export_record", "ghost@example.org", "--format", "json", "-o", "-")
