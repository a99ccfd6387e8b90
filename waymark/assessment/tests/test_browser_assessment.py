"""The self-assessment in a real browser (Debian's Chromium through Playwright): start
from the dashboard, answer by keyboard, save and come back, try to complete too early,
follow the error link, finish and read the gap analysis. axe-core finds nothing on any
page."""

from __future__ import annotations

import re
from typing import Any

import pytest

from waymark.conftest import Personas
from waymark.core.browser import assert_accessible
from waymark.core.tests.factories import (
    AssociationFactory,
    EditionFactory,
    FrameworkFactory,
)

from .factories import make_assessment, make_framework, make_node, make_pms, rate_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = False  # set True to keep screenshots of the pages in /tmp while working on them


def test_a_manager_rates_herself_and_reads_her_gaps(
    personas: Personas, signed_in: Any, live_server: Any
) -> None:
    _e, domains, outcomes = make_framework("MM", domains=3, outcomes=5)  # 15: a domain a page
    clf = EditionFactory(
        framework=FrameworkFactory(slug="clf", title="CLF leadership capabilities")
    )
    c3 = make_node(edition=clf, parent=None, code="C3", title="Motivating and inspiring others")
    AssociationFactory(origin=outcomes[0], destination=c3, association_type="isRelatedTo")
    revision = make_pms(
        personas.manager, personas.org, outcomes, expected=3, importance=[1, 2, 3] * 5
    )
    rate_all(make_assessment(revision=revision), [2] * 15, outcomes, submit=True)

    page = signed_in(personas.manager)
    assert_accessible(page)
    page.get_by_role("button", name="Start a new self-assessment").click()
    page.wait_for_load_state()
    assert "page 1 of 3" in page.content()
    assert "C3 Motivating and inspiring others (related)" in page.content()
    assert_accessible(page)

    # Answer the first page by keyboard: focus a radio, arrow to the level, next question.
    for node in outcomes[:5]:
        page.locator(f"#level-{node.pk}").focus()
        page.keyboard.press("ArrowDown")  # 0 → 1 Aware
    page.get_by_label("Evidence for MM1.01 (optional)").fill("Led the handover review")
    if SHOTS:
        page.screenshot(path="/tmp/shot-rate.png", full_page=True)
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()
    assert "page 2 of 3" in page.content()

    page.get_by_role("button", name="Save and come back later").click()
    page.wait_for_load_state()
    assert "Your answers are saved" in page.content()
    assert_accessible(page)

    page.get_by_role("button", name="Complete self-assessment").click()
    page.wait_for_load_state()
    assert "You have not rated 10 competences yet." in page.content()
    if SHOTS:
        page.screenshot(path="/tmp/shot-detail.png", full_page=True)
    assert_accessible(page)
    page.locator(".govuk-error-summary__list a").first.click()
    page.wait_for_load_state()
    assert f"#level-{outcomes[5].pk}" in page.url
    assert_accessible(page)

    for p in (2, 3):
        for node in outcomes[(p - 1) * 5 : p * 5]:
            page.locator(f"label[for='level-{node.pk}-4']").click()  # 3 Confident
        page.get_by_role("button", name="Save and continue").click()
        page.wait_for_load_state()
    page.get_by_role("button", name="Complete self-assessment").click()
    page.wait_for_load_state()
    assert "Gap analysis" in page.content()
    assert "Your self-assessment is complete" in page.content()
    assert page.locator("svg[role='img']").count() == 2
    assert "Up 1 level" in page.content() and "Down 1 level" in page.content()
    assert_accessible(page)

    if SHOTS:
        page.screenshot(path="/tmp/shot-gaps.png", full_page=True)
    page.get_by_role("link", name="See every answer and evidence note").click()
    page.wait_for_load_state()
    assert "Led the handover review" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="All self-assessment rounds").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("link", name="Gap analysis", exact=False).first.click()
    page.wait_for_load_state()

    # Choose two gaps by keyboard and ask the planning page for them.
    boxes = page.locator("input[name='node']")
    assert boxes.count() == 5
    boxes.nth(0).focus()
    page.keyboard.press("Space")
    boxes.nth(1).check()
    page.get_by_role("button", name="Plan for the chosen gaps").click()
    page.wait_for_load_state()
    # The planning page (or, before a plan exists, the page that starts one and comes
    # back to it) carries the two chosen competences.
    from urllib.parse import unquote

    target = unquote(page.url)
    assert "/plan/objectives/new/" in target
    chosen = {int(n) for n in re.findall(r"node=(\d+)", target)}
    assert len(chosen) == 2 and chosen <= {n.pk for n in outcomes}
    del domains
