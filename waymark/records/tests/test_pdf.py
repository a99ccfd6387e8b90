"""The PDF record: a real, well-set PDF with what she chose, and a url fetcher that lets
nothing but data: URIs in."""

from __future__ import annotations

import datetime
import re

import pytest

from waymark.cpd.models import Entry
from waymark.planning.models import Objective
from waymark.records.pdf import DataOnlyURLFetcher, URLRefused, html_to_pdf, render_record_pdf
from waymark.records.record import RecordOptions, build_record

from .conftest import Records, pdf_pages, pdf_text, record_form


def _pdf(records: Records, **options: object) -> bytes:
    record = build_record(
        person=records.manager,
        organisation=records.p.org,
        options=RecordOptions(**options),  # type: ignore[arg-type]
    )
    return render_record_pdf(record).content


def test_the_downloaded_record_is_a_pdf_of_several_pages_with_her_choices(
    records: Records,
) -> None:
    keep, leave_out = records.entry(0), records.entry(1)
    response = records.p.client_for(records.manager).post(
        records.url(),
        record_form(include_reflections="on", reflection_entries=[keep.pk]),
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="waymark-record-')
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    content = response.content
    assert content.startswith(b"%PDF")
    assert pdf_pages(content) > 1

    text = pdf_text(content)
    assert "Maya Manager" in text
    assert "Brightwater Care" in text
    competence = records.journey.nodes[0].statement
    assert " ".join(competence.split()[:6]) in text
    objective = Objective.objects.filter(plan=records.journey.plan).first()
    assert objective is not None and objective.title in text
    assert keep.title in text and leave_out.title in text
    assert keep.what_learnt in text, "the reflection she chose is in the record"
    assert leave_out.what_learnt not in text, "a reflection she left out is not"


def test_the_record_has_a_title_page_contents_with_page_numbers_and_running_footers(
    records: Records,
) -> None:
    text = pdf_text(_pdf(records))
    assert "Development record" in text
    assert re.search(r"Date produced \d{1,2} \w+ \d{4}", text)
    assert re.search(r"Person management specification \.+ ?\d+", text), "contents with pages"
    pages = re.findall(r"Page (\d+) of (\d+)", text)
    assert pages and len({total for _n, total in pages}) == 1
    assert int(pages[0][1]) > 3
    # The charts of the gap page are in it, with their titles and the legend.
    assert "Expected level and your rating, by domain" in text
    assert "Gaps by competence, highest priority first" in text


def test_private_entries_are_hers_so_they_are_in_her_own_record(records: Records) -> None:
    private = records.private_entry()
    text = pdf_text(_pdf(records, include_reflections=True))
    assert private.title in text
    assert private.what_learnt in text


def test_no_reflection_goes_in_unless_she_ticks_include_my_reflections(records: Records) -> None:
    text = pdf_text(_pdf(records))
    for entry in records.journey.entries:
        assert entry.title in text
        assert entry.what_learnt not in text


def test_the_cpd_log_keeps_to_the_dates_she_chose(records: Records) -> None:
    entries = sorted(records.journey.entries, key=lambda e: e.date)
    inside, before = entries[-1], entries[0]
    text = pdf_text(_pdf(records, cpd_from=inside.date, cpd_to=inside.date))
    assert inside.title in text
    assert before.title not in text


def test_sections_she_leaves_out_are_not_in_the_record(records: Records) -> None:
    text = pdf_text(_pdf(records, sections=frozenset({"cpd"})))
    assert "Gap analysis" not in text
    assert "Personal development plan" not in text
    assert records.entry(0).title in text


def test_nothing_of_another_person_is_in_her_record(records: Records) -> None:
    text = pdf_text(_pdf(records, include_reflections=True))
    assert "[Nia]" not in text
    assert "Nia Neighbour" not in text


def test_an_empty_record_says_what_is_missing_rather_than_failing(records: Records) -> None:
    newcomer = records.other
    Entry.objects.filter(manager=newcomer).delete()
    newcomer.plans.all().delete()
    newcomer.self_assessments.all().delete()
    newcomer.specifications.all().delete()
    record = build_record(person=newcomer, organisation=records.p.org)
    text = pdf_text(render_record_pdf(record).content)
    assert "There is no person management specification in this organisation yet" in text
    assert "No self-assessment has been completed" in text
    assert "There is no development plan" in text
    assert "No learning log entries in this period" in text


# --- the url fetcher: the second wall ------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://example.org/tracker.png",
        "https://example.org/style.css",
        "ftp://example.org/x",
        "//example.org/x.png",
        "/etc/passwd",
        "etc/passwd",
    ],
)
def test_the_url_fetcher_refuses_everything_but_data_uris(url: str) -> None:
    fetcher = DataOnlyURLFetcher()
    with pytest.raises(URLRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_url_fetcher_serves_data_uris() -> None:
    response = DataOnlyURLFetcher().fetch("data:text/plain;base64,aGVsbG8=")
    assert response.read() == b"hello"


def test_a_document_pointing_at_local_files_or_the_network_fetches_none_of_them() -> None:
    fetcher = DataOnlyURLFetcher()
    html = """<!DOCTYPE html><html><head>
      <link rel="stylesheet" href="http://127.0.0.1:9/evil.css">
      <style>@import url("file:///etc/hostname"); body { background: url(http://127.0.0.1:9/bg.png) }</style>
      </head><body><p>Visible text</p>
      <img src="file:///etc/passwd" alt="passwd">
      <img src="http://127.0.0.1:9/tracker.png" alt="tracker">
      <object data="file:///etc/passwd"></object>
      <iframe src="file:///etc/passwd"></iframe>
      <img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgAAIAAAUAAaJPXQAAAABJRU5ErkJggg==" alt="dot">
      </body></html>"""
    pdf = html_to_pdf(html, fetcher=fetcher)
    assert pdf.content.startswith(b"%PDF")
    refused = set(fetcher.refused)
    assert "file:///etc/passwd" in refused
    assert "http://127.0.0.1:9/tracker.png" in refused
    assert "http://127.0.0.1:9/evil.css" in refused
    assert not any(u.startswith("data:") for u in refused)
    text = pdf_text(pdf.content)
    assert "Visible text" in text
    assert "root:" not in text


def test_markup_typed_into_an_entry_is_printed_as_text_and_fetches_nothing(
    records: Records,
) -> None:
    entry = records.entry(0)
    entry.title = '<img src="file:///etc/passwd"> <b>bold</b>'
    entry.what_learnt = '<img src="http://127.0.0.1:9/x.png">learnt'
    entry.save(update_fields=["title", "what_learnt"])
    record = build_record(
        person=records.manager,
        organisation=records.p.org,
        options=RecordOptions(include_reflections=True),
    )
    from waymark.records.pdf import record_html

    fetcher = DataOnlyURLFetcher()
    pdf = html_to_pdf(record_html(record), fetcher=fetcher)
    assert fetcher.refused == []  # escaped: no element, so nothing even asked for
    text = pdf_text(pdf.content)
    assert '<img src="file:///etc/passwd"> <b>bold</b>' in text
    assert "root:" not in text


def test_the_record_is_dated_today(records: Records) -> None:
    text = pdf_text(_pdf(records, sections=frozenset({"pms"})))
    from django.utils import timezone
    from django.utils.formats import date_format

    assert date_format(timezone.localdate(), "j F Y") in text
    assert isinstance(timezone.localdate(), datetime.date)


def test_gathering_a_record_costs_the_same_queries_for_a_longer_journey(
    records: Records,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from waymark.records.record import EVERYTHING

    from .factories import build_journey

    def count(person: object) -> int:
        with CaptureQueriesContext(connection) as ctx:
            build_record(person=person, organisation=records.p.org, options=EVERYTHING)  # type: ignore[arg-type]
        return len(ctx.captured_queries)

    small = count(records.other)  # 4 competences, 3 entries, 3 objectives, 2 rounds
    bigger = records.p.supervisor
    build_journey(
        organisation=records.p.org,
        manager=bigger,
        nodes=records.journey.nodes,
        rounds=3,
        entries=40,
        objectives=6,
        label=" [big]",
    )
    assert count(bigger) == small


def test_a_name_with_quotes_and_markup_prints_as_typed_in_the_running_header(
    records: Records,
) -> None:
    name = 'Siobhán O\'Brien "Shiv" </style>\\'
    records.manager.full_name = name
    records.manager.save(update_fields=["full_name"])
    text = pdf_text(_pdf(records, sections=frozenset({"pms", "plan"})))
    assert text.count(f"{name} · Brightwater Care") >= 2  # on every page after the first
    assert re.search(r"Page 2 of \d+", text)
