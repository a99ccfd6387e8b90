"""Evidence files: what Waymark accepts, and how it makes sure.

A file is judged by what it *is*, not by what it is called: its first bytes are sniffed
with libmagic (python-magic). Only documents, images and plain text are accepted, and the
file's name must agree with its content, so an HTML page or a program named "report.pdf"
is refused with a message that names the file and says what it really is.

Size is checked before a byte of content is read. On the pages and the API the request's
files are received by `CappedUploadHandler`, which counts every byte but writes at most
the limit to disk, so an oversized file is reported with its true size and never stored
whole."""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

import magic
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect

# How much of a file libmagic sees. Office files are ZIP archives whose telling parts
# can sit a little way in; anything ambiguous is settled by reading the archive itself.
HEAD_BYTES = 64 * 1024

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"


@dataclass(frozen=True)
class FileKind:
    label: Any  # lazy translation: "a PDF document"
    extensions: tuple[str, ...]  # the first is the one stored files get


ALLOWED: dict[str, FileKind] = {
    "application/pdf": FileKind(gettext_lazy("a PDF document"), (".pdf",)),
    "image/png": FileKind(gettext_lazy("a PNG image"), (".png",)),
    "image/jpeg": FileKind(gettext_lazy("a JPEG image"), (".jpg", ".jpeg", ".jpe", ".jfif")),
    "image/gif": FileKind(gettext_lazy("a GIF image"), (".gif",)),
    "image/webp": FileKind(gettext_lazy("a WebP image"), (".webp",)),
    "text/plain": FileKind(gettext_lazy("a plain text file"), (".txt", ".text", ".md", ".log", "")),
    "text/csv": FileKind(gettext_lazy("a plain text (CSV) file"), (".csv", ".txt")),
    DOCX: FileKind(gettext_lazy("a Word document"), (".docx",)),
    XLSX: FileKind(gettext_lazy("an Excel spreadsheet"), (".xlsx",)),
    PPTX: FileKind(gettext_lazy("a PowerPoint presentation"), (".pptx",)),
    ODT: FileKind(gettext_lazy("an OpenDocument text document"), (".odt",)),
    ODS: FileKind(gettext_lazy("an OpenDocument spreadsheet"), (".ods",)),
}

# What people are told a refused file really is, for the kinds most often disguised.
REFUSED_LABELS: dict[str, Any] = {
    "text/html": gettext_lazy("a web page (HTML)"),
    "application/xhtml+xml": gettext_lazy("a web page (XHTML)"),
    "image/svg+xml": gettext_lazy("an SVG image, which can carry scripts"),
    "text/xml": gettext_lazy("an XML file"),
    "application/xml": gettext_lazy("an XML file"),
    "application/javascript": gettext_lazy("a script (JavaScript)"),
    "text/javascript": gettext_lazy("a script (JavaScript)"),
    "text/x-shellscript": gettext_lazy("a script"),
    "text/x-script.python": gettext_lazy("a script (Python)"),
    "text/x-php": gettext_lazy("a script (PHP)"),
    "application/x-dosexec": gettext_lazy("a Windows program"),
    "application/vnd.microsoft.portable-executable": gettext_lazy("a Windows program"),
    "application/x-msdownload": gettext_lazy("a Windows program"),
    "application/x-executable": gettext_lazy("a program"),
    "application/x-sharedlib": gettext_lazy("a program"),
    "application/x-pie-executable": gettext_lazy("a program"),
    "application/x-mach-binary": gettext_lazy("a program"),
    "application/zip": gettext_lazy("a ZIP archive"),
    "application/x-7z-compressed": gettext_lazy("a compressed archive"),
    "application/x-rar": gettext_lazy("a compressed archive"),
    "application/gzip": gettext_lazy("a compressed archive"),
    "application/msword": gettext_lazy(
        "an old-style Word document (.doc): save it as .docx or PDF"
    ),
    "application/vnd.ms-excel": gettext_lazy(
        "an old-style Excel file (.xls): save it as .xlsx or PDF"
    ),
    "application/rtf": gettext_lazy("a rich text file (RTF): save it as .docx, PDF or plain text"),
    "text/rtf": gettext_lazy("a rich text file (RTF): save it as .docx, PDF or plain text"),
}

ACCEPTED_SUMMARY = gettext_lazy(
    "Waymark accepts PDF, Word, Excel, PowerPoint and OpenDocument files, images "
    "(PNG, JPEG, GIF, WebP) and plain text."
)


class UploadRejected(Exception):
    """A file Waymark will not keep, with a message for the person who chose it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    original_name: str
    content_type: str
    extension: str  # for the stored name, from the sniffed type
    size: int


def max_upload_bytes() -> int:
    return int(getattr(settings, "WAYMARK_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def megabytes(size: int) -> str:
    mb = size / (1024 * 1024)
    if mb >= 1:
        text = f"{mb:.1f}".removesuffix(".0")
        return _("%(n)s MB") % {"n": text}
    return _("%(n)s KB") % {"n": max(1, round(size / 1024))}


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]+")


def clean_name(name: str | None) -> str:
    """A file's name as shown and offered on download: no folders, no control characters,
    at most 255 characters with its extension kept. Never used in a storage path."""
    base = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    base = _UNSAFE_NAME.sub("", base).strip().strip(".") or _("evidence")
    if len(base) > 255:
        stem, ext = os.path.splitext(base)
        base = stem[: 255 - len(ext[:20])] + ext[:20]
    return base


def stored_name_for(extension: str) -> str:
    """A random name for the stored file: the person's file name never reaches the disk."""
    return secrets.token_hex(16) + extension


def _sniff(upload: UploadedFile) -> tuple[str, str]:
    """(MIME type, description) of the file's content."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    mime = magic.from_buffer(head, mime=True)
    description = magic.from_buffer(head)
    if mime in {"application/zip", "application/octet-stream", DOCX, XLSX, PPTX, ODT, ODS}:
        mime = _office_type(upload) or mime
    return mime, description


def _office_type(upload: UploadedFile) -> str | None:
    """The type of an Office Open XML or OpenDocument file, read from the archive itself
    (the size is already known to be within the limit)."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return declared if declared in (ODT, ODS) else None
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return DOCX
                if "xl/workbook.xml" in names:
                    return XLSX
                if "ppt/presentation.xml" in names:
                    return PPTX
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None
    finally:
        upload.seek(0)
    return None


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def _named_as(extension: str) -> str | None:
    for kind in ALLOWED.values():
        if extension and extension in kind.extensions:
            return str(kind.label)
    return None


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Accept `upload` or raise UploadRejected saying why, naming the file."""
    name = clean_name(upload.name)
    size = int(upload.size or 0)
    limit = max_upload_bytes()
    if size <= 0:
        raise UploadRejected(
            _("“%(name)s” is empty. Choose the file again, or a different one.") % {"name": name}
        )
    if size > limit:
        raise UploadRejected(
            _("“%(name)s” is %(size)s. Each file must be %(limit)s or smaller.")
            % {"name": name, "size": megabytes(size), "limit": megabytes(limit)}
        )
    mime, description = _sniff(upload)
    extension = _extension(name)
    kind = ALLOWED.get(mime)
    if kind is None:
        really = REFUSED_LABELS.get(mime) or _(
            "a kind of file Waymark does not accept (%(what)s)"
        ) % {"what": description[:80]}
        named = _named_as(extension)
        if named:
            message = _("“%(name)s” is not %(named)s: it is really %(really)s.") % {
                "name": name,
                "named": named,
                "really": really,
            }
        else:
            message = _("“%(name)s” is %(really)s.") % {"name": name, "really": really}
        raise UploadRejected(f"{message} {ACCEPTED_SUMMARY}")
    if extension not in kind.extensions:
        named = _named_as(extension)
        if named:
            message = _("“%(name)s” is not %(named)s: it is really %(really)s.") % {
                "name": name,
                "named": named,
                "really": kind.label,
            }
        else:
            message = _("“%(name)s” is really %(really)s, but its name does not say so.") % {
                "name": name,
                "really": kind.label,
            }
        raise UploadRejected(
            message
            + " "
            + _("Rename it to end in %(ext)s and choose it again.") % {"ext": kind.extensions[0]}
        )
    return CheckedFile(
        upload=upload,
        original_name=name,
        content_type=mime,
        extension=kind.extensions[0] or ".txt",
        size=size,
    )


# --- receiving files ---------------------------------------------------------------------


class CappedUploadHandler(TemporaryFileUploadHandler):
    """Receives each file into a temporary file, counting all of it but writing at most
    the limit: an oversized file keeps its true size (for the message) and is never
    stored whole."""

    received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        room = max_upload_bytes() + 1 - self.received
        if room > 0:
            self.file.write(raw_data[:room])
        self.received += len(raw_data)
        return None


def use_capped_uploads(request: HttpRequest) -> None:
    """Receive this request's files with CappedUploadHandler. Call before the body is read."""
    request.upload_handlers = [CappedUploadHandler(request)]


def capped_uploads(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Receive a view's uploads with CappedUploadHandler.

    The CSRF check reads the request body, so the handler must be in place before it:
    the middleware's check is skipped (csrf_exempt) and made inside, after the handler is
    set (csrf_protect). Every request still has its CSRF token checked."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            use_capped_uploads(request)
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapper)
