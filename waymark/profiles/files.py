"""Job description files attached to a PMS: PDF, Word (DOCX), OpenDocument text (ODT) or
plain text, at most `max_bytes()`. The file's contents decide, not its name: the type
is sniffed with libmagic (python-magic) and, for DOCX and ODT, the package is opened and
checked. Files are stored under MEDIA_ROOT with a random name (never under static files)
and served only through a view that checks who may see the PMS."""

from __future__ import annotations

import zipfile
from pathlib import PurePath

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
ZIP = "application/zip"

# Extension → the types libmagic may report for a genuine file of that kind.
ALLOWED: dict[str, frozenset[str]] = {
    ".pdf": frozenset({"application/pdf"}),
    ".docx": frozenset({DOCX, ZIP}),
    ".odt": frozenset({ODT, ZIP}),
    ".txt": frozenset({"text/plain"}),
}
# What the file is served as.
CONTENT_TYPES = {".pdf": "application/pdf", ".docx": DOCX, ".odt": ODT, ".txt": "text/plain"}
KIND_NAMES = {
    ".pdf": gettext_lazy("PDF"),
    ".docx": gettext_lazy("Word (DOCX)"),
    ".odt": gettext_lazy("OpenDocument text (ODT)"),
    ".txt": gettext_lazy("plain text"),
}

# Plain words for what a disguised file really is.
_DESCRIBED = {
    "text/html": gettext_lazy("a web page (HTML)"),
    "application/x-dosexec": gettext_lazy("a Windows program"),
    "application/vnd.microsoft.portable-executable": gettext_lazy("a Windows program"),
    "application/x-msdownload": gettext_lazy("a Windows program"),
    "application/x-executable": gettext_lazy("a program"),
    "application/x-sharedlib": gettext_lazy("a program"),
    "application/x-mach-binary": gettext_lazy("a program"),
    "application/zip": gettext_lazy("a zip archive"),
    "application/x-shellscript": gettext_lazy("a script"),
    "image/svg+xml": gettext_lazy("an SVG image"),
    "application/javascript": gettext_lazy("a script"),
    "text/x-shellscript": gettext_lazy("a script"),
}


def max_bytes() -> int:
    return int(getattr(settings, "WAYMARK_MAX_JOB_DESCRIPTION_BYTES", 5 * 1024 * 1024))


def _what(mime: str) -> str:
    if mime in _DESCRIBED:
        return str(_DESCRIBED[mime])
    if mime.startswith("image/"):
        return _("an image")
    return mime


def check_job_description(upload: UploadedFile) -> str:
    """The upload's extension (".pdf", ".docx", ".odt" or ".txt") if it is a job
    description file we accept; otherwise a ValidationError that says what is wrong."""
    name = PurePath(upload.name or "").name
    ext = PurePath(name.lower()).suffix
    kinds = [str(KIND_NAMES[e]) for e in ALLOWED]
    allowed_list = _("%(first)s or %(last)s") % {"first": ", ".join(kinds[:-1]), "last": kinds[-1]}
    if ext not in ALLOWED:
        raise ValidationError(
            _("“%(name)s” is not a file type we accept. Choose a %(allowed)s file.")
            % {"name": name, "allowed": allowed_list},
            code="extension",
        )
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    limit = max_bytes()
    if size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s. The job description file must be smaller than %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_big",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    mime = magic.from_buffer(head, mime=True)
    genuine = mime in ALLOWED[ext]
    if genuine and ext in {".docx", ".odt"}:
        genuine = _is_package(upload, ext)
    if not genuine:
        raise ValidationError(
            _(
                "“%(name)s” is named as a %(kind)s file but its contents are %(what)s. "
                "Choose a %(allowed)s file."
            )
            % {"name": name, "kind": KIND_NAMES[ext], "what": _what(mime), "allowed": allowed_list},
            code="disguised",
        )
    return ext


def _is_package(upload: UploadedFile, ext: str) -> bool:
    """A DOCX or ODT file is a zip package with the parts that make it one."""
    try:
        with zipfile.ZipFile(upload.file) as z:  # type: ignore[arg-type]
            names = set(z.namelist())
            if ext == ".docx":
                return "[Content_Types].xml" in names and "word/document.xml" in names
            if "mimetype" not in names or "content.xml" not in names:
                return False
            return z.read("mimetype")[:100].strip() == ODT.encode()
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return False
    finally:
        upload.seek(0)
