"""The reports in a real browser: the L&D lead opens the learning-needs heatmap, reads
why cells are hidden, filters by team by keyboard and downloads the CSV; a national
analyst opens the national view. axe-core finds nothing on any page."""

from __future__ import annotations

from typing import Any

import pytest

from waymark.conftest import Personas
from waymark.core.browser import assert_accessible
from waymark.core.tests.factories import UserFactory
from waymark.reports.tests.factories import add_manager, population

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_ld_lead_reads_the_heatmap_and_a_national_analyst_the_national_view(
    personas: Personas, signed_in: Any, live_server: Any
) -> None:
    pop = population(personas.org)
    for team, n in [("North", 6), ("East", 5), ("South", 2)]:
        for _i in range(n):
            add_manager(pop, self_levels=[1, 2, 3, 3], team=team)
    page = signed_in(personas.ld_lead)
    page.goto(f"{live_server.url}/o/brightwater/")
    page.get_by_role("link", name="Reports on learning needs").click()
    assert_accessible(page)
    page.get_by_role("link", name="Learning needs").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="What is hidden and why").is_visible()
    assert page.get_by_text("Key to the shading").first.is_visible()
    assert page.locator("td[data-suppressed]").first.inner_text() == "fewer than 5"
    assert_accessible(page)
    page.get_by_label("Team or service", exact=True).select_option(label="South")
    page.get_by_role("button", name="Show").press("Enter")
    page.wait_for_load_state()
    assert page.get_by_text("These filters leave fewer than 5 people").first.is_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    assert download.value.suggested_filename == "learning-needs.csv"

    analyst = UserFactory.create(email="nat@example.org", is_national_analyst=True)
    page.context.clear_cookies()
    page = signed_in(analyst)
    page.get_by_role("link", name="National view").click()
    assert_accessible(page)
    page.get_by_role("link", name="Workforce").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Managers by level and region").is_visible()
    assert_accessible(page)
