"""The standards journey in a real browser (Debian's Chromium through Playwright):
sign in, browse the Middle Manager framework, search "risk", open an outcome and follow
its mapping, by keyboard where a person would; axe-core finds nothing on any page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from waymark.conftest import Personas
from waymark.core.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def standards(transactional_db: None) -> None:
    call_command("load_standards", verbosity=0)


def test_a_manager_browses_searches_and_follows_a_mapping(
    standards: None, personas: Personas, signed_in: Any, live_server: Any
) -> None:
    page = signed_in(personas.manager)
    assert page.url.endswith("/o/brightwater/")
    assert_accessible(page)

    page.get_by_role("link", name="Standards", exact=True).first.click()
    page.wait_for_load_state()
    assert_accessible(page)

    page.get_by_role("link", name="Middle Manager Leadership Learning Framework").first.click()
    page.wait_for_load_state()
    assert "Managing risk and uncertainty" in page.content()
    assert_accessible(page)

    # Search by keyboard only: focus the search box from the menu, type, press Enter.
    page.get_by_role("link", name="Search standards").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    search_box = page.get_by_role("searchbox").first
    search_box.focus()
    page.keyboard.type("risk")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=risk**")
    results = page.locator("main")
    assert "result" in results.inner_text().lower()
    assert_accessible(page)

    # Open an outcome of the Managing risk domain from the results.
    page.locator("main a", has_text="MM6.").first.click()
    page.wait_for_load_state()
    assert "/standards/middle-manager-llf/items/" in page.url
    assert_accessible(page)

    # Its domain carries the map of competences; follow one mapping to the other framework.
    page.locator("nav.govuk-breadcrumbs a", has_text="Managing risk").first.click()
    page.wait_for_load_state()
    assert_accessible(page)
    mapping = page.locator("[data-mapping] a").first
    target_text = mapping.inner_text()
    mapping.click()
    page.wait_for_load_state()
    assert target_text.split()[0] in page.content()
    assert "middle-manager-llf" not in page.url
    assert_accessible(page)
