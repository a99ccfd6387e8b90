"""Role profiles and the PMS in a real browser (Debian's Chromium through Playwright): the
L&D lead creates a role profile from its starting point; the manager starts her PMS from
it, changes a level and adds a competence; her supervisor agrees it. axe-core finds
nothing on any page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from waymark.conftest import Personas
from waymark.core.browser import assert_accessible
from waymark.organisations.models import SupportRelationship
from waymark.profiles.models import RoleProfile, Specification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def standards(transactional_db: None) -> None:
    call_command("load_standards", verbosity=0)


def test_a_role_profile_becomes_an_agreed_pms(
    standards: None, personas: Personas, signed_in: Any, live_server: Any, browser: Any
) -> None:
    SupportRelationship.objects.create(
        organisation=personas.org,
        manager=personas.manager,
        supporter=personas.supervisor,
        kind="supervisor",
    )
    # The L&D lead creates a role profile and keeps the suggested starting point.
    page = signed_in(personas.ld_lead)
    page.get_by_role("link", name="Create a role profile").first.click()
    assert_accessible(page)
    page.get_by_label("Role").fill("Team leader, home care")
    page.get_by_label("First line manager or supervisor").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert "Choose a starting point" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Add the ticked competences").click()
    page.wait_for_load_state()
    assert_accessible(page)
    profile = RoleProfile.objects.get()
    assert profile.competences.count() == 20  # a small organisation

    page.get_by_role("link", name="Change levels and importance, or remove competences").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("link", name="Add competences").first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Middle Manager framework").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Search for").fill("supervision")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=supervision**")
    page.wait_for_load_state()
    assert "results for" in page.content()
    assert_accessible(page)

    # The manager starts her PMS from the profile, by keyboard where a person would.
    context = browser.new_context()
    mpage = context.new_page()
    mpage.goto(f"{live_server.url}/accounts/login/")
    mpage.get_by_label("Email").fill(personas.manager.email)
    mpage.get_by_label("Password").fill("correct horse battery staple")
    mpage.get_by_role("button", name="Sign in").click()
    mpage.wait_for_load_state()
    mpage.get_by_role("link", name="Start your specification").first.click()
    mpage.wait_for_load_state()
    assert_accessible(mpage)
    mpage.get_by_label("Team leader, home care").check()
    mpage.get_by_role("button", name="Start").click()
    mpage.wait_for_load_state()
    assert "Person management specification" in mpage.content()
    assert_accessible(mpage)

    mpage.get_by_role("link", name="Change levels and importance, or remove competences").click()
    mpage.wait_for_load_state()
    assert_accessible(mpage)
    first_level = mpage.locator("select[name^=level_]").first
    first_level.select_option("4")
    mpage.get_by_label("What changed and why (optional)").fill("I lead the rota too")
    mpage.get_by_role("button", name="Save as a new revision").click()
    mpage.wait_for_load_state()
    assert "Saved as revision 2" in mpage.content()

    mpage.get_by_role("link", name="Change the job details or description").click()
    mpage.wait_for_load_state()
    assert_accessible(mpage)
    mpage.get_by_label("Job description (optional)").fill("Leads the night team.")
    mpage.get_by_role("button", name="Save as a new revision").click()
    mpage.wait_for_load_state()
    mpage.get_by_role("link", name="See all 3 revisions").click()
    mpage.wait_for_load_state()
    assert_accessible(mpage)
    mpage.get_by_role("link", name="What changed in revision 2").click()
    mpage.wait_for_load_state()
    assert "I lead the rota too" in mpage.content()
    assert_accessible(mpage)
    context.close()

    # The supervisor agrees the current revision.
    context = browser.new_context()
    spage = context.new_page()
    spage.goto(f"{live_server.url}/accounts/login/")
    spage.get_by_label("Email").fill(personas.supervisor.email)
    spage.get_by_label("Password").fill("correct horse battery staple")
    spage.get_by_role("button", name="Sign in").click()
    spage.wait_for_load_state()
    spage.goto(f"{live_server.url}/o/brightwater/people/{personas.manager.pk}/pms/")
    assert_accessible(spage)
    spage.get_by_role("link", name="Agree revision 3").click()
    spage.wait_for_load_state()
    assert_accessible(spage)
    spage.get_by_role("button", name="Agree").click()
    spage.wait_for_load_state()
    assert "You agreed revision 3" in spage.content()
    context.close()
    spec = Specification.objects.get()
    assert spec.current is not None and spec.current.agreed_by == personas.supervisor
