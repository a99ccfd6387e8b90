"""The editor pages: import (who may, success, every problem shown, nothing written) and
the downloads."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from waymark.conftest import Personas
from waymark.frameworks.models import Association, Edition, EditionStatus, Node

CASE_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "testdata" / "case"
needs_case = pytest.mark.skipif(
    not CASE_DIR.is_dir() and not os.environ.get("CI"), reason="shared CASE test data not present"
)
IMPORT_URL = reverse("frameworks:interchange_import")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def post_file(
    client: Client, name: str, content: bytes, url: str = IMPORT_URL, **fields: str
) -> Any:
    data: dict[str, Any] = {
        "file": upload(name, content),
        "if_exists": "refuse",
        "strictness": "lenient",
    }
    data.update(fields)
    return client.post(url, data)


def counts() -> tuple[int, int, int]:
    return Edition.objects.count(), Node.objects.count(), Association.objects.count()


# ------------------------------------------------------------------------------ who may


def test_anyone_signed_out_is_sent_to_sign_in(personas: Personas) -> None:
    response = personas.client_for(None).get(IMPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    response = personas.client_for(None).get(reverse("frameworks:interchange_index"))
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["manager", "supervisor", "ld_lead", "admin", "outsider"])
def test_people_who_are_not_standards_editors_are_refused(personas: Personas, who: str) -> None:
    client = personas.client_for(getattr(personas, who))
    assert client.get(IMPORT_URL).status_code == 403
    assert post_file(client, "x.json", b"{}").status_code == 403
    assert client.get(reverse("frameworks:interchange_index")).status_code == 403
    assert counts() == (0, 0, 0)


def test_an_editor_sees_the_import_form(personas: Personas) -> None:
    response = personas.client_for(personas.editor).get(IMPORT_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="file"' in html and "govuk-file-upload" in html
    assert 'enctype="multipart/form-data"' in html
    assert "govuk-radios" in html


# ------------------------------------------------------------------------------- success


@needs_case
def test_an_editor_imports_a_case_package_and_sees_the_counts_and_warnings(
    personas: Personas,
) -> None:
    client = personas.client_for(personas.editor)
    content = (CASE_DIR / "opensalt_sample_framework_20c5134f.json").read_bytes()
    response = post_file(client, "sample.json", content)
    edition = Edition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "frameworks:interchange_edition",
        kwargs={"framework_slug": edition.framework.slug, "identifier": edition.identifier},
    )
    page = client.get(response["Location"]).content.decode()
    assert "Imported “What Standards Could Be”: 16 items, 39 associations (16 isChildOf)." in page
    assert "warnings: see below" in page
    assert "educationalLevel is not a CASE field; read as educationLevel." in page
    assert edition.nodes.count() == 16
    from waymark.core.models import AuditEvent

    assert AuditEvent.objects.get(action="framework.edition_imported").actor == personas.editor


def test_an_editor_imports_a_spreadsheet_into_a_framework_of_their_choosing(
    personas: Personas,
) -> None:
    client = personas.client_for(personas.editor)
    sheet = (
        b"#Title,Team leading\r\n#Publisher,Brightwater Care\r\n\r\n"
        b"Code,Parent,Statement,SCQF level\r\nT1,,Lead the team.,8\r\nT1.1,T1,Run team meetings.,\r\n"
    )
    response = post_file(client, "team.csv", sheet, framework_slug="brightwater-team")
    assert response.status_code == 302
    edition = Edition.objects.get()
    assert edition.framework.slug == "brightwater-team"
    assert edition.nodes.get(code="T1").scqf_level == 8


# -------------------------------------------------------------------------------- problems


def test_a_bad_file_shows_every_problem_in_the_error_summary_and_writes_nothing(
    personas: Personas,
) -> None:
    client = personas.client_for(personas.editor)
    sheet = (
        b"#Title,Team leading\r\n#Publisher,Brightwater Care\r\n\r\n"
        b"Code,Parent,Statement,SCQF level,Functional area\r\n"
        b"T1,,Lead the team.,13,\r\n"
        b"T2,T9,Run team meetings.,,Juggling\r\n"
    )
    response = post_file(
        client,
        "team.csv",
        sheet,
        framework_slug="my-team",
        if_exists="replace",
        strictness="strict",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "There are 3 problems with the file: nothing was imported" in html
    assert "Row 5, column “SCQF level”" in html and "is not an SCQF level" in html
    assert (
        "Row 6, column “Parent”" in html
        and "no item in this file has the code or identifier “T9”" in html
    )
    assert "Row 6, column “Functional area”" in html
    assert 'href="#id_file"' in html
    assert "The file has 3 problems, listed above; nothing was imported." in html
    # The choices are kept.
    assert 'value="my-team"' in html
    assert re.search(r'value="replace"\s+checked', html)
    assert html.count("<title>Error:") == 1
    assert counts() == (0, 0, 0)


def test_malformed_json_is_reported_with_its_line_and_column(personas: Personas) -> None:
    response = post_file(personas.client_for(personas.editor), "x.json", b'{"CFDocument": }')
    html = response.content.decode()
    assert "line 1, column 16" in html and "This is not valid JSON" in html
    assert counts() == (0, 0, 0)


def test_a_form_without_a_file_asks_for_one(personas: Personas) -> None:
    response = personas.client_for(personas.editor).post(
        IMPORT_URL, {"if_exists": "refuse", "strictness": "lenient"}
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_a_file_over_the_limit_is_refused(personas: Personas, settings: Any) -> None:
    settings.WAYMARK_MAX_IMPORT_BYTES = 1000
    response = post_file(
        personas.client_for(personas.editor), "big.json", b"{" + b" " * 2000 + b"}"
    )
    assert "the largest file Waymark imports is 0.0 MB" in response.content.decode()
    assert counts() == (0, 0, 0)


# ---------------------------------------------------------------------------- downloads


@pytest.fixture
def standards(db: None) -> None:
    call_command("load_standards", stdout=io.StringIO())


def export_url(edition: Edition, fmt: str) -> str:
    return reverse(
        "frameworks:interchange_export",
        kwargs={
            "framework_slug": edition.framework.slug,
            "identifier": edition.identifier,
            "fmt": fmt,
        },
    )


def test_a_published_edition_downloads_in_every_format(personas: Personas, standards: None) -> None:
    edition = Edition.objects.get(framework__slug="middle-manager-llf")
    client = personas.client_for(None)
    case = client.get(export_url(edition, "case"))
    assert case.status_code == 200 and case["Content-Type"] == "application/json"
    assert case["Content-Disposition"] == 'attachment; filename="middle-manager-llf-2015.json"'
    data = json.loads(case.content)
    assert len(data["CFItems"]) == 83
    assert data["CFItems"][0]["uri"].startswith("http://testserver/ims/case/v1p0/CFItems/")
    csv_response = client.get(export_url(edition, "csv"))
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "MM1.01" in csv_response.content.decode("utf-8-sig")
    xlsx = client.get(export_url(edition, "xlsx"))
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book["Items"].max_row == 84
    assert client.get(export_url(edition, "pdf")).status_code == 404


def test_a_draft_edition_downloads_only_for_editors(personas: Personas, standards: None) -> None:
    edition = Edition.objects.get(framework__slug="clf-leadership-capabilities")
    edition.status = EditionStatus.DRAFT
    edition.save(update_fields=["status"])
    url = export_url(edition, "csv")
    assert personas.client_for(None).get(url).status_code == 302
    assert personas.client_for(personas.manager).get(url).status_code == 403
    assert personas.client_for(personas.editor).get(url).status_code == 200


def test_the_editions_list_links_every_download_without_a_query_per_row(
    personas: Personas, standards: None, django_assert_max_num_queries: Any
) -> None:
    client = personas.client_for(personas.editor)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("frameworks:interchange_index"))
    html = response.content.decode()
    for edition in Edition.objects.select_related("framework"):
        assert export_url(edition, "xlsx") in html


def test_an_editor_imports_a_sheet_into_an_edition_from_its_page(
    personas: Personas, standards: None
) -> None:
    edition = Edition.objects.get(framework__slug="senior-civil-service-core-competencies")
    node = edition.nodes.order_by("path").first()
    assert node is not None
    client = personas.client_for(personas.editor)
    url = reverse(
        "frameworks:interchange_import",
        kwargs={
            "framework_slug": edition.framework.slug,
            "identifier": edition.identifier,
            "fmt": "csv",
        },
    )
    page = client.get(url).content.decode()
    assert "Import into this edition" in page and 'name="if_exists"' not in page
    sheet = (
        f"#Title,{edition.title}\r\n#Publisher,{edition.publisher}\r\n\r\n"
        f"Code,Statement\r\n{node.code},A clearer statement.\r\n"
    ).encode()
    response = client.post(url, {"file": upload("scs.csv", sheet), "strictness": "lenient"})
    assert response.status_code == 302
    node.refresh_from_db()
    assert node.statement == "A clearer statement."
    assert Edition.objects.get(pk=edition.pk).nodes.count() == 1
