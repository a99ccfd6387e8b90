"""The plan pages in a real browser (Debian's Chromium through Playwright): the manager
starts a plan on the guided route, answers a stage, adds an objective for a gap with the
keyboard, plans learning; her supervisor comments and agrees. axe-core finds nothing
on any page."""

from __future__ import annotations

from typing import Any

import pytest

from waymark.conftest import Personas
from waymark.core.browser import assert_accessible
from waymark.organisations.models import SupportRelationship

from .factories import build_pms, in_days

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_builds_a_plan_and_her_supervisor_agrees_it(
    personas: Personas, signed_in: Any, live_server: Any
) -> None:
    org = personas.org
    SupportRelationship.objects.create(
        organisation=org, manager=personas.manager, supporter=personas.supervisor, kind="supervisor"
    )
    pms = build_pms(organisation=org, manager=personas.manager)
    base = f"{live_server.url}/o/{org.slug}/people/{personas.manager.pk}/plan/"

    page = signed_in(personas.manager)
    page.goto(base)
    assert_accessible(page)
    page.get_by_role("button", name="Start your plan").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Guided: the five stages of self-directed learning").check()
    page.get_by_role("button", name="Create the plan").click()
    page.wait_for_load_state()
    assert "The five stages of self-directed learning" in page.content()
    assert_accessible(page)

    page.get_by_role("button", name="Start").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Who do you want to be as a leader?").fill("A manager who grows people.")
    page.get_by_role("button", name="Save and come back later").click()
    page.wait_for_load_state()
    assert "A manager who grows people." in page.content()
    assert_accessible(page)

    # The gap page's link, with one gap chosen; a bad date first.
    page.goto(f"{base}objectives/new/?node={pms.nodes[1].pk}")
    assert page.get_by_label("MM1.02 Leads change number 2 (MM)").is_checked()
    page.get_by_label("Objective", exact=True).fill("Lead the rota change")
    page.get_by_label("What exactly will you do or change?").fill("Plan the rota with the team.")
    page.get_by_label("How will you and others know you have succeeded?").fill(
        "Staff say they shaped it."
    )
    page.get_by_label("How will you make it achievable?").fill("Time agreed with Sam.")
    page.get_by_label("Why does it matter to people who use services?").fill("Familiar staff.")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2031")
    page.get_by_label("Year").press("Enter")
    page.wait_for_load_state()
    assert "Target date must be a real date" in page.content()
    assert_accessible(page)
    target = in_days(120)
    page.get_by_label("Day").fill(str(target.day))
    page.get_by_label("Month").fill(str(target.month))
    page.get_by_label("Year").fill(str(target.year))
    page.get_by_role("button", name="Add the objective").click()
    page.wait_for_load_state()
    assert "Lead the rota change" in page.content()
    assert_accessible(page)
    page.get_by_label("Type of learning").select_option("shadowing")
    page.get_by_label("What will you do?").fill("Shadow the manager at Oak House")
    page.get_by_role("button", name="Add the activity").click()
    page.wait_for_load_state()
    assert "Shadow the manager at Oak House" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the plan").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Work through every competence in your specification").click()
    page.wait_for_load_state()
    assert "1 of 3 competences" in page.content()
    assert_accessible(page)
    page.goto(page.url.replace("outcomes/", "swot/"))
    assert_accessible(page)

    page.context.clear_cookies()
    page = signed_in(personas.supervisor)
    page.goto(base)
    assert_accessible(page)
    page.get_by_label("Comment").fill("Good start. Add a budget objective?")
    page.get_by_role("button", name="Add comment").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Agree this plan").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("button", name="Agree this plan").click()
    page.wait_for_load_state()
    assert "Agreed by Sam Supervisor on" in page.content()
    assert_accessible(page)
