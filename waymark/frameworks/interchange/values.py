"""Small conversions shared by the readers and writers."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime

_UUID_RE = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)


def canonical_identifier(value: str) -> str:
    """A UUID in its canonical lower-case form; anything else unchanged (trimmed)."""
    value = value.strip()
    return str(uuid.UUID(value)) if is_uuid(value) else value


def is_uuid(value: object) -> bool:
    """True for a UUID written the CASE way: 8-4-4-4-12 hexadecimal digits."""
    return isinstance(value, str) and _UUID_RE.fullmatch(value.strip()) is not None


def uuid_in(text: str) -> str | None:
    """The last UUID written inside a string (a URI ending in an identifier)."""
    found = _UUID_RE.findall(text)
    return str(uuid.UUID(found[-1])) if found else None


def parse_datetime(value: str) -> tuple[datetime | None, bool]:
    """(aware datetime, whether a time zone had to be assumed); (None, False) if unreadable."""
    text = value.strip()
    if not text:
        return None, False
    try:
        parsed = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        try:
            d = date.fromisoformat(text)
        except ValueError:
            return None, False
        return datetime(d.year, d.month, d.day, tzinfo=UTC), True
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC), True
    return parsed, False


def case_datetime(value: datetime | None) -> str:
    """ISO 8601 in UTC with a Z, to the second, as CASE expects."""
    if value is None:
        value = datetime(1970, 1, 1, tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def parse_bool(value: object) -> bool | None:
    """Yes/no as people write it in a spreadsheet; None if it is neither."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        return None
    text = str(value).strip().lower()
    if text in {"yes", "y", "true", "t", "1", "x", "✓"}:
        return True
    if text in {"no", "n", "false", "f", "0", ""}:
        return False
    return None


def short(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"
