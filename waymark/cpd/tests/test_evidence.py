"""Evidence files: judged by their content, capped in size, stored under a random name
outside the static files, served only through a permission check, deletable by the
manager; a refused file is explained by name and nothing typed is lost."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from waymark.conftest import Personas
from waymark.core.models import AuditEvent
from waymark.cpd.models import Entry, Evidence
from waymark.cpd.services import evidence_add
from waymark.cpd.uploads import UploadRejected, check_upload, clean_name

from .conftest import Cpd
from .factories import EXE_BYTES, HTML_BYTES, PDF_BYTES, PNG_BYTES, TEXT_BYTES, make_entry, upload

pytestmark = pytest.mark.django_db


def add_url(p: Personas) -> str:
    return f"/o/{p.org.slug}/people/{p.manager.pk}/cpd/add/"


def entry_form(**files: Any) -> dict[str, Any]:
    day = timezone.localdate() - datetime.timedelta(days=2)
    return {
        "date_0": day.day,
        "date_1": day.month,
        "date_2": day.year,
        "activity_type": "external-course",
        "title": "Safeguarding adults course",
        "hours": "6",
        "what_learnt": "Thresholds for referral.",
        "visibility": "private",
        **files,
    }


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def plain_zip_docx() -> bytes:
    """A Word document whose parts libmagic cannot see at the start of the archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("docProps/app.xml", "x" * 5000)
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


# --- judging a file -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "sniffed"),
    [
        ("certificate.pdf", PDF_BYTES, "application/pdf"),
        ("photo.PNG", PNG_BYTES, "image/png"),
        ("notes.txt", TEXT_BYTES, "text/plain"),
        (
            "reflection.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "odd-order.docx",
            plain_zip_docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_real_documents_images_and_text_are_accepted(
    name: str, content: bytes, sniffed: str
) -> None:
    checked = check_upload(upload(name, content, "application/octet-stream"))
    assert checked.content_type == sniffed


def test_an_html_page_named_pdf_is_refused_saying_what_it_really_is() -> None:
    with pytest.raises(UploadRejected) as e:
        check_upload(upload("certificate.pdf", HTML_BYTES))
    assert (
        "“certificate.pdf” is not a PDF document: it is really a web page (HTML)."
        in e.value.message
    )


def test_a_program_named_pdf_is_refused_saying_what_it_really_is() -> None:
    with pytest.raises(UploadRejected) as e:
        check_upload(upload("minutes.pdf", EXE_BYTES))
    assert "“minutes.pdf” is not a PDF document: it is really a Windows program." in e.value.message


def test_a_program_under_its_own_name_is_refused() -> None:
    with pytest.raises(UploadRejected) as e:
        check_upload(upload("setup.exe", EXE_BYTES))
    assert "“setup.exe” is a Windows program." in e.value.message
    assert "Waymark accepts PDF, Word" in e.value.message


def test_an_image_named_as_a_pdf_is_refused_and_the_right_name_suggested() -> None:
    with pytest.raises(UploadRejected) as e:
        check_upload(upload("scan.pdf", PNG_BYTES))
    assert "“scan.pdf” is not a PDF document: it is really a PNG image." in e.value.message
    assert "Rename it to end in .png" in e.value.message


def test_an_svg_image_is_refused_because_it_can_carry_scripts() -> None:
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(UploadRejected) as e:
        check_upload(upload("diagram.svg", svg))
    assert "SVG image" in e.value.message


def test_an_empty_file_is_refused_by_name() -> None:
    with pytest.raises(UploadRejected) as e:
        check_upload(upload("blank.pdf", b""))
    assert "“blank.pdf” is empty" in e.value.message


def test_a_file_too_large_is_refused_before_it_is_read(settings: Any) -> None:
    settings.WAYMARK_MAX_UPLOAD_BYTES = 1024

    class Unreadable(io.BytesIO):
        def read(self, *args: Any) -> bytes:
            raise AssertionError("the content was read")

    big = upload("big.pdf", PDF_BYTES)
    big.file = Unreadable(b"x")
    big.size = 5 * 1024 * 1024
    with pytest.raises(UploadRejected) as e:
        check_upload(big)
    assert "“big.pdf” is 5 MB. Each file must be 1 KB or smaller." in e.value.message


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\maya\\cert.pdf", "cert.pdf"),
        ("evil\x00name.pdf", "evilname.pdf"),
        ("", "evidence"),
    ],
)
def test_file_names_are_cleaned_for_showing(given: str, kept: str) -> None:
    assert clean_name(given) == kept


# --- uploading on the entry form ----------------------------------------------------------


def test_files_upload_with_a_new_entry_and_are_stored_under_random_names(
    personas: Personas, media_root: Path
) -> None:
    client = personas.client_for(personas.manager)
    response = client.post(
        add_url(personas),
        entry_form(
            evidence=[
                upload("My certificate.pdf", PDF_BYTES),
                upload("notes.txt", TEXT_BYTES, "text/plain"),
            ]
        ),
    )
    assert response.status_code == 302
    entry = Entry.objects.get()
    files = list(entry.evidence.order_by("original_name"))
    assert [f.original_name for f in files] == ["My certificate.pdf", "notes.txt"]
    assert [f.content_type for f in files] == ["application/pdf", "text/plain"]
    for f in files:
        assert f.file.name
        path = Path(f.file.path)
        assert path.is_file()
        assert media_root in path.parents  # under MEDIA_ROOT, not static files
        assert "certificate" not in f.file.name and "notes" not in f.file.name
        assert f.stored_name in f.file.name and len(f.stored_name) >= 32


def test_a_disguised_upload_fails_the_form_names_the_file_and_keeps_the_rest(
    personas: Personas,
) -> None:
    client = personas.client_for(personas.manager)
    response = client.post(
        add_url(personas),
        entry_form(
            evidence=[
                upload("certificate.pdf", PDF_BYTES),
                upload("results.pdf", HTML_BYTES),
            ]
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "“results.pdf” is not a PDF document: it is really a web page (HTML)." in page
    assert 'value="Safeguarding adults course"' in page
    assert "Thresholds for referral." in page
    assert "choose your evidence files again" in page
    # Nothing saved: not the entry, not the good file.
    assert not Entry.objects.exists() and not Evidence.objects.exists()


def test_an_oversized_upload_fails_the_form_with_a_message_and_keeps_the_rest(
    personas: Personas, settings: Any, media_root: Path
) -> None:
    settings.WAYMARK_MAX_UPLOAD_BYTES = 2048
    big = PDF_BYTES + b"%" * 10_000
    response = personas.client_for(personas.manager).post(
        add_url(personas), entry_form(evidence=[upload("scanned-pack.pdf", big)])
    )
    page = response.content.decode()
    assert "“scanned-pack.pdf” is 10 KB. Each file must be 2 KB or smaller." in page
    assert 'value="Safeguarding adults course"' in page
    assert not Entry.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*.pdf"))


def test_the_upload_handler_never_writes_more_than_the_limit(settings: Any) -> None:
    from django.test import RequestFactory

    from waymark.cpd.uploads import CappedUploadHandler

    settings.WAYMARK_MAX_UPLOAD_BYTES = 100
    handler = CappedUploadHandler(RequestFactory().post("/"))
    handler.new_file("file", "big.pdf", "application/pdf", 1000)
    for start in range(0, 1000, 64):
        handler.receive_data_chunk(b"x" * 64, start)
    stored = handler.file_complete(1024)
    assert stored is not None
    assert stored.size == 1024  # the true size, for the message
    stored.seek(0, io.SEEK_END)
    assert stored.tell() <= 101  # but no more than the limit (and a byte) on disk


def test_the_upload_pages_still_check_the_csrf_token(personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.manager)
    response = client.post(add_url(personas), entry_form(evidence=[upload("c.pdf", PDF_BYTES)]))
    assert response.status_code == 403
    assert not Entry.objects.exists()


# --- on an existing entry -----------------------------------------------------------------


def test_the_manager_adds_files_to_an_entry(cpd: Cpd) -> None:
    client = cpd.p.client_for(cpd.p.manager)
    response = client.post(
        cpd.url("evidence/", entry=cpd.private),
        {"evidence": [upload("a.pdf", PDF_BYTES), upload("b.png", PNG_BYTES)]},
    )
    assert response.status_code == 302
    assert cpd.private.evidence.count() == 3
    assert AuditEvent.objects.filter(action="cpd.evidence.add").count() == 4


def test_a_refused_file_on_the_entry_page_is_explained(cpd: Cpd) -> None:
    response = cpd.p.client_for(cpd.p.manager).post(
        cpd.url("evidence/", entry=cpd.private), {"evidence": [upload("payslip.pdf", EXE_BYTES)]}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "“payslip.pdf” is not a PDF document: it is really a Windows program." in page
    assert cpd.private.evidence.count() == 1


def test_uploading_nothing_is_explained(cpd: Cpd) -> None:
    page = (
        cpd.p.client_for(cpd.p.manager)
        .post(cpd.url("evidence/", entry=cpd.private), {})
        .content.decode()
    )
    assert "Choose one or more files to upload" in page


def test_the_supervisor_cannot_add_evidence_to_a_shared_entry(cpd: Cpd) -> None:
    response = cpd.p.client_for(cpd.p.supervisor).post(
        cpd.url("evidence/", entry=cpd.shared), {"evidence": [upload("x.pdf", PDF_BYTES)]}
    )
    assert response.status_code == 403
    assert cpd.shared.evidence.count() == 1


# --- downloading --------------------------------------------------------------------------


def test_a_download_is_an_attachment_with_the_sniffed_type_and_nosniff(cpd: Cpd) -> None:
    url = cpd.url(f"evidence/{cpd.private_file.pk}/", entry=cpd.private)
    response = cpd.p.client_for(cpd.p.manager).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="private-diary.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF_BYTES  # type: ignore[attr-defined]


def test_a_file_whose_name_lies_is_served_with_the_type_found_on_upload(cpd: Cpd) -> None:
    """Plain text named .txt is stored as text/plain whatever the browser claimed."""
    ev = evidence_add(
        actor=cpd.p.manager, entry=cpd.private, upload=upload("notes.txt", TEXT_BYTES, "text/html")
    )
    response = cpd.p.client_for(cpd.p.manager).get(cpd.url(f"evidence/{ev.pk}/", entry=cpd.private))
    assert response["Content-Type"] == "text/plain"


def test_an_outsider_cannot_download_evidence(cpd: Cpd) -> None:
    url = cpd.url(f"evidence/{cpd.shared_file.pk}/", entry=cpd.shared)
    assert cpd.p.client_for(cpd.p.outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to sign in


# --- deleting -----------------------------------------------------------------------------


def test_the_manager_deletes_a_file_and_it_leaves_the_disk(
    cpd: Cpd, django_capture_on_commit_callbacks: Any
) -> None:
    path = Path(cpd.private_file.file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = cpd.p.client_for(cpd.p.manager).post(
            cpd.url(f"evidence/{cpd.private_file.pk}/delete/", entry=cpd.private)
        )
    assert response.status_code == 302
    assert not Evidence.objects.filter(pk=cpd.private_file.pk).exists()
    assert not path.exists()
    assert AuditEvent.objects.filter(action="cpd.evidence.delete").exists()


def test_the_supervisor_cannot_delete_a_file(cpd: Cpd) -> None:
    response = cpd.p.client_for(cpd.p.supervisor).post(
        cpd.url(f"evidence/{cpd.shared_file.pk}/delete/", entry=cpd.shared)
    )
    assert response.status_code == 403
    assert Evidence.objects.filter(pk=cpd.shared_file.pk).exists()


def test_deleting_an_entry_or_its_manager_removes_the_files(
    cpd: Cpd, django_capture_on_commit_callbacks: Any
) -> None:
    private_path = Path(cpd.private_file.file.path)
    shared_path = Path(cpd.shared_file.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        cpd.p.client_for(cpd.p.manager).post(cpd.url("delete/", entry=cpd.private))
    assert not private_path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        cpd.p.manager.delete()
    assert not shared_path.exists()


def test_another_managers_entry_cannot_take_evidence_through_her_address(cpd: Cpd) -> None:
    theirs = make_entry(organisation=cpd.p.org, manager=cpd.p.supervisor)
    response = cpd.p.client_for(cpd.p.manager).post(
        cpd.url(f"{theirs.pk}/evidence/"),
        {"evidence": [upload("x.pdf", PDF_BYTES)]},
    )
    assert response.status_code == 404
