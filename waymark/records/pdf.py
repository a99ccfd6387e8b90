"""The record as a PDF, set with WeasyPrint from `records/record_pdf.html` and the print
stylesheet beside this module (`print/record.css`, read from the app, not through the
static files manifest).

WeasyPrint fetches whatever a document points at: images, stylesheets, fonts, by any
protocol, local files included. User-entered text is escaped by the template, so it
cannot add an element; the url fetcher is the second wall: it refuses every URL that is
not a `data:` URI, so a record can neither read a file on the server nor reach the
network. Fonts come from the system (fontconfig: DejaVu on Debian), not by URL."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

if TYPE_CHECKING:
    from .record import RecordData

logger = logging.getLogger(__name__)

PRINT_CSS = Path(__file__).resolve().parent / "print" / "record.css"


class URLRefused(ValueError):
    """A document asked for something other than a data: URI."""


class DataOnlyURLFetcher(URLFetcher):
    """A WeasyPrint (v70) url fetcher that serves `data:` URIs and refuses everything
    else: file:, http:, https:, ftp: and any other scheme, and relative URLs (there is
    no base URL). Refused URLs are kept in `refused`, for logging and tests."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.update(allowed_protocols=("data",), allow_redirects=False, fail_on_errors=False)
        super().__init__(**kwargs)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        scheme, sep, _rest = url.partition(":")
        if not sep or scheme.strip().lower() != "data":
            self.refused.append(url)
            logger.warning("Refused to fetch %.200s while making a PDF record", url)
            raise URLRefused(f"Only data: URIs may be used in a record, not {url[:200]}")
        return super().fetch(url, headers)


@cache
def _print_css_text() -> str:
    return PRINT_CSS.read_text(encoding="utf-8")


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int

    @property
    def size(self) -> int:
        return len(self.content)


def html_to_pdf(html: str, *, fetcher: DataOnlyURLFetcher | None = None) -> RenderedPdf:
    """Set `html` as a PDF with the print stylesheet, fetching nothing but data: URIs."""
    fetcher = fetcher or DataOnlyURLFetcher()
    font_config = FontConfiguration()
    stylesheet = CSS(string=_print_css_text(), url_fetcher=fetcher, font_config=font_config)
    document = HTML(string=html, url_fetcher=fetcher, base_url=None).render(
        stylesheets=[stylesheet], font_config=font_config, pdf_tags=True
    )
    content = document.write_pdf(pdf_tags=True)
    assert content is not None
    return RenderedPdf(content=content, pages=len(document.pages))


def record_html(record: RecordData) -> str:
    return render_to_string(
        "records/record_pdf.html",
        {
            "record": record,
            "person": record.person,
            "organisation": record.organisation,
            "title": _("Development record of %(name)s") % {"name": record.person.display_name},
            # The words of the running header and footer, set in CSS strings.
            "running_head": f"{record.person.display_name} · {record.organisation.name}",
            "running_foot": _("Produced by Waymark on %(date)s")
            % {"date": date_format(record.produced_at, "j F Y")},
            "page_word": _("Page"),
            "of_word": _("of"),
        },
    )


def render_record_pdf(record: RecordData) -> RenderedPdf:
    return html_to_pdf(record_html(record))
