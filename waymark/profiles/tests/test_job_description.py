"""Job description files: only real PDF, DOCX, ODT or plain text files, under the size
cap, stored outside static files, served only to those who may see the PMS; a refused
file loses nothing that was typed and makes no revision."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from waymark.accounts.models import User
from waymark.conftest import Personas
from waymark.profiles.models import Specification

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 44
    + b"\x80\x00\x00\x00"
    + b"\x00" * 64
    + b"PE\x00\x00L\x01"
    + b"\x00" * 200
)
HTML = b"<!DOCTYPE html><html><head><title>x</title></head><body><script>alert(1)</script></body></html>"


def docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def odt() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
        z.writestr("META-INF/manifest.xml", "<manifest/>")
    return buf.getvalue()


def url(name: str, person: User, **kwargs: Any) -> str:
    return reverse(
        f"profiles:{name}", kwargs={"org_slug": "brightwater", "person_id": person.pk, **kwargs}
    )


def upload(client: Any, person: User, name: str, content: bytes, **extra: Any) -> Any:
    data = {
        "job_title": "Team leader, home care",
        "manager_level": "first-line",
        "job_description": "Leads the night team; typed before the upload",
        "change_note": "Attached my job description",
        "based_on": 1,
        "job_description_file": SimpleUploadedFile(name, content),
        **extra,
    }
    return client.post(url("pms_edit", person), data)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("job.pdf", EXE, "a Windows program"),
        ("job.pdf", HTML, "a web page (HTML)"),
        ("job.docx", b"PK\x03\x04 not really a zip", "Word (DOCX)"),
        ("job.txt", HTML, "a web page (HTML)"),
        ("job.exe", EXE, "is not a file type we accept"),
        ("job.pdf", b"", "is empty"),
    ],
)
def test_a_disguised_or_wrong_file_is_refused_with_a_clear_message_and_nothing_is_lost(
    spec: Specification, supported: Personas, media: Path, name: str, content: bytes, says: str
) -> None:
    client = supported.client_for(supported.manager)
    response = upload(client, supported.manager, name, content)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert says in page
    assert 'href="#id_job_description_file"' in page
    # What was typed is still there; no revision was made; nothing was stored.
    assert "Leads the night team; typed before the upload" in page
    assert "Attached my job description" in page
    assert spec.revisions.count() == 1
    assert not any(media.rglob("*")) if media.exists() else True


def test_an_oversized_file_is_refused(
    spec: Specification, supported: Personas, media: Path, settings: Any
) -> None:
    settings.WAYMARK_MAX_JOB_DESCRIPTION_BYTES = 1024
    client = supported.client_for(supported.manager)
    response = upload(client, supported.manager, "big.pdf", PDF + b"0" * 2048)
    page = response.content.decode()
    assert "must be smaller than 1.0\xa0KB" in page
    assert "Leads the night team" in page
    assert spec.revisions.count() == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("job.pdf", PDF),
        ("job.docx", docx()),
        ("job.odt", odt()),
        ("job.txt", b"Team leader\nResponsible for the night team.\n"),
    ],
)
def test_a_real_file_is_stored_outside_static_files_in_a_new_revision(
    spec: Specification, supported: Personas, media: Path, name: str, content: bytes
) -> None:
    client = supported.client_for(supported.manager)
    response = upload(client, supported.manager, name, content)
    assert response.status_code == 302
    spec.refresh_from_db()
    rev = spec.current
    assert rev is not None and rev.number == 2
    assert rev.job_description_name == name
    stored = Path(rev.job_description_file.path)
    assert stored.is_relative_to(media)
    assert stored.read_bytes() == content
    assert stored.name != name  # stored under a random name


def test_the_file_is_served_only_to_those_who_may_see_the_pms(
    spec: Specification, supported: Personas, media: Path, mentor: User, colleague: User
) -> None:
    upload(supported.client_for(supported.manager), supported.manager, "Job description.pdf", PDF)
    file_url = url("pms_file", supported.manager, number=2)
    for who in (supported.manager, supported.supervisor, supported.ld_lead, supported.admin):
        response = supported.client_for(who).get(file_url)
        assert response.status_code == 200, who
        assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        assert (
            "Job%20description.pdf" in response["Content-Disposition"]
            or "Job description.pdf" in response["Content-Disposition"]
        )
    assert supported.client_for(mentor).get(file_url).status_code == 403
    assert supported.client_for(colleague).get(file_url).status_code == 404
    assert supported.client_for(supported.outsider).get(file_url).status_code == 404
    assert supported.client_for(None).get(file_url).status_code == 302
    # A revision without a file has nothing to serve.
    assert (
        supported.client_for(supported.manager)
        .get(url("pms_file", supported.manager, number=1))
        .status_code
        == 404
    )


def test_a_later_revision_keeps_the_file_and_removing_it_leaves_earlier_revisions_theirs(
    spec: Specification, supported: Personas, media: Path
) -> None:
    client = supported.client_for(supported.manager)
    upload(client, supported.manager, "job.pdf", PDF)
    client.post(
        url("pms_qualifications", supported.manager), {"title": "SVQ 4", "note": "", "based_on": 2}
    )
    spec.refresh_from_db()
    assert spec.current is not None and spec.current.number == 3
    assert spec.current.job_description_name == "job.pdf"
    client.post(
        url("pms_edit", supported.manager),
        {
            "job_title": "Team leader, home care",
            "manager_level": "first-line",
            "remove_file": "on",
            "based_on": 3,
        },
    )
    spec.refresh_from_db()
    assert spec.current is not None and spec.current.number == 4
    assert not spec.current.job_description_file
    assert client.get(url("pms_file", supported.manager, number=2)).status_code == 200
    assert client.get(url("pms_file", supported.manager, number=4)).status_code == 404
    compare = client.get(url("pms_compare", supported.manager) + "?a=1&b=2").content.decode()
    assert "Job description file" in compare and "job.pdf" in compare
