"""Template helpers for the standards pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def optional_url(name: str, *args: Any, **kwargs: Any) -> str:
    """The URL of a page another part of Waymark may or may not provide yet (for example
    the import and export pages); an empty string when it does not, so the link is left out."""
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""
