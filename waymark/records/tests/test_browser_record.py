"""The record page in a real browser: Maya reaches it from her dashboard, is told
clearly when she has chosen nothing, then downloads her PDF with one reflection left out.
axe-core finds nothing on either page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from waymark.core.browser import assert_accessible

from .conftest import Records, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_downloads_her_record_with_the_reflections_she_chooses(
    records: Records, signed_in: Any, live_server: Any
) -> None:
    keep, leave_out = records.entry(0), records.entry(1)
    page = signed_in(records.manager)
    page.goto(f"{live_server.url}/o/{records.p.org.slug}/")
    page.get_by_role("link", name="Download your record").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Download your record", level=1).is_visible()
    assert_accessible(page)

    for label in (
        "Person management specification (the current revision)",
        "Gap analysis from the latest completed self-assessment, with its charts",
        "Development plan: objectives, planned learning, milestones and agreement",
        "CPD record: the learning log, with hours and credits",
    ):
        page.get_by_label(label).uncheck()
    page.get_by_role("button", name="Download your record (PDF)").press("Enter")
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert page.get_by_role("link", name="Choose at least one part to include in your record")
    assert_accessible(page)

    page.get_by_label("CPD record: the learning log, with hours and credits").check()
    page.get_by_label("Include my reflections").check()
    page.locator("#reflection-choices summary").click()
    page.get_by_label(leave_out.title, exact=False).uncheck()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download your record (PDF)").click()
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    assert download.value.suggested_filename.endswith(".pdf")
    text = pdf_text(content)
    assert keep.what_learnt in text
    assert leave_out.what_learnt not in text
