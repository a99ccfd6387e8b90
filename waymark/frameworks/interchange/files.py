"""From a file (a path or an upload) to a `Package` or `MappingSet`: size first, then
format by extension or by sniffing the first bytes, then the format's reader."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from .case_json import read_case
from .package import EditionTarget, MappingSet, Package
from .problems import InterchangeError, Problem
from .shipped import framework_from_yaml, is_mapping_file, load_yaml, mapping_set_from_yaml
from .spreadsheet import read_csv, read_xlsx

FORMATS = ("case", "csv", "xlsx", "yaml")
_EXTENSIONS = {".json": "case", ".csv": "csv", ".xlsx": "xlsx", ".yaml": "yaml", ".yml": "yaml"}


def max_import_bytes() -> int:
    return int(getattr(settings, "WAYMARK_MAX_IMPORT_BYTES", 20 * 1024 * 1024))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_size(size: int) -> None:
    """Refuse a file by its size alone, before a byte of it is read."""
    if size == 0:
        raise InterchangeError([Problem("", _("The file is empty."))])
    limit = max_import_bytes()
    if size > limit:
        raise InterchangeError(
            [
                Problem(
                    "",
                    _("The file is %(size)s; the largest file Waymark imports is %(limit)s.")
                    % {"size": _megabytes(size), "limit": _megabytes(limit)},
                )
            ]
        )


def detect_format(name: str, head: bytes) -> str:
    ext = Path(name).suffix.lower()
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith((b"{", b"[")):
        return "case"
    if (
        stripped.startswith((b"---", b"slug:", b"title:", b"#"))
        and b"," not in stripped.split(b"\n", 1)[0]
    ):
        return "yaml"
    return "csv"


def read_bytes(
    data: bytes,
    *,
    name: str,
    lenient: bool = True,
    fmt: str | None = None,
    target: EditionTarget | None = None,
) -> Package | MappingSet:
    """Read a file's bytes. With `target`, the file must be that edition (spreadsheets
    without identifiers take its identifiers; see EditionTarget)."""
    check_size(len(data))
    fmt = fmt or detect_format(name, data[:512])
    loaded: Package | MappingSet
    if fmt == "case":
        loaded = read_case(data, lenient=lenient)
    elif fmt == "csv":
        return read_csv(data, lenient=lenient, target=target)
    elif fmt == "xlsx":
        return read_xlsx(data, lenient=lenient, target=target)
    elif fmt == "yaml":
        raw = load_yaml(data, Path(name).name)
        if is_mapping_file(raw):
            loaded = mapping_set_from_yaml(raw, name=Path(name).name)
        else:
            loaded = framework_from_yaml(raw, name=Path(name).name)
    else:
        raise InterchangeError(
            [
                Problem(
                    "",
                    _(
                        "Waymark cannot read this kind of file: use CASE JSON (.json), CSV, Excel (.xlsx) or YAML."
                    ),
                )
            ]
        )
    if target is not None:
        if isinstance(loaded, MappingSet):
            raise InterchangeError(
                [Problem("", _("This is a mapping file, not a framework edition."))]
            )
        if loaded.document.identifier != target.identifier:
            raise InterchangeError(
                [
                    Problem(
                        loaded.document.where,
                        _(
                            "This file is the CASE document %(id)s, not the edition it is being imported into "
                            "(%(target)s). Import it from the “Import a framework” page instead."
                        )
                        % {"id": loaded.document.identifier, "target": target.identifier},
                    )
                ]
            )
    return loaded


def read_path(path: Path, *, lenient: bool = True, fmt: str | None = None) -> Package | MappingSet:
    if not path.is_file():
        raise InterchangeError([Problem(str(path), _("There is no such file."))])
    check_size(path.stat().st_size)
    return read_bytes(path.read_bytes(), name=path.name, lenient=lenient, fmt=fmt)


def read_upload(
    upload: IO[bytes],
    *,
    name: str,
    size: int,
    lenient: bool = True,
    fmt: str | None = None,
    target: EditionTarget | None = None,
) -> Package | MappingSet:
    check_size(size)
    return read_bytes(upload.read(), name=name, lenient=lenient, fmt=fmt, target=target)
