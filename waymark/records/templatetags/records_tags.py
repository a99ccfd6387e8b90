"""Template filters for the PDF record."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def css_string(value: object) -> SafeString:
    """`value` as a quoted CSS string, for the running header and footer in the record's
    <style>. Every character but ASCII letters and digits is written as a six-digit
    CSS escape, so no quote, backslash or `</style>` can end the string or the element,
    and a name like "Siobhán O'Brien" prints as typed."""
    out = []
    for ch in str(value):
        # Spaces are escaped too: CSS swallows one space after an escape.
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):06x}")
    return mark_safe('"' + "".join(out) + '"')  # noqa: S308 - every risky character is escaped above
