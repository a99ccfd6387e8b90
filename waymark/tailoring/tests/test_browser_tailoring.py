"""Tailoring in a real browser: the L&D lead sets the organisation's focus, adds a
competence of its own and maps it to a national outcome, writes the front page text
with a preview, and checks the workforce pages; axe-core finds nothing on any page."""

from __future__ import annotations

from typing import Any

import pytest

from waymark.conftest import Personas
from waymark.core.browser import assert_accessible
from waymark.core.tests.factories import EditionFactory, FrameworkFactory, NodeFactory
from waymark.frameworks.models import Association, Edition, Node
from waymark.tailoring.selectors import focus_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_ld_lead_tailors_the_organisation(
    personas: Personas, signed_in: Any, live_server: Any
) -> None:
    org = personas.org
    edition: Edition = EditionFactory.create(
        framework=FrameworkFactory.create(slug="mm", title="Middle Manager framework"),
        title="Middle Manager framework",
        status="published",
    )
    domain: Node = NodeFactory.create(
        edition=edition, code="MM4", title="Planning and resource management", statement="P"
    )
    NodeFactory.create(
        edition=edition,
        parent=domain,
        code="MM4.01",
        statement="Plan the use of resources to meet the needs of people who use services",
    )
    page = signed_in(personas.ld_lead)
    page.goto(f"{live_server.url}/o/{org.slug}/")
    assert_accessible(page)
    page.get_by_role("link", name="Tailor Waymark to the organisation").click()
    page.wait_for_load_state()
    assert_accessible(page)

    # Focus.
    page.get_by_role("link", name="Choose the frameworks and domains that matter").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Middle Manager framework").check()
    page.get_by_text("Domains of Middle Manager framework").first.click()
    page.get_by_label("Planning and resource management").check()
    page.get_by_role("button", name="Save the focus").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert focus_for(org).domain_ids == {domain.pk}

    # An own competence, mapped.
    page.get_by_role("link", name="Own competences and how they map").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("link", name="Add a domain").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Add domain").click()  # empty: a clear error
    page.wait_for_load_state()
    assert_accessible(page)
    assert page.get_by_text("Enter the name of the domain").first.is_visible()
    page.get_by_label("Name of the domain").fill("The Brightwater way")
    page.get_by_role("button", name="Add domain").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Add a competence").first.click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Short title (optional)").fill("Daily safety huddle")
    page.get_by_label("Statement").fill("Lead the daily safety huddle with the shift team")
    page.get_by_role("button", name="Add competence").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Find a national item").fill("MM4.01")
    page.get_by_label("Find a national item").press("Enter")
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("MM4.01", exact=False).check()
    page.get_by_label("Related").check()
    page.get_by_role("button", name="Add the mapping").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert Association.objects.filter(edition__framework__organisation=org).count() == 1
    assert page.get_by_text("MM4.01").first.is_visible()

    # Front page text, previewed then saved.
    page.goto(f"{live_server.url}/o/{org.slug}/tailoring/front-page/")
    assert_accessible(page)
    page.get_by_label("Front page text").fill(
        "<h2>Welcome</h2><p onclick='x()'>Our <strong>plan</strong> for the year.</p>"
        "<script>alert(1)</script>"
    )
    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert page.get_by_role("heading", name="Preview").is_visible()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert page.locator("#front-page h2").inner_text() == "Welcome"
    assert page.locator("#front-page [onclick]").count() == 0

    # Policies and the workforce pages.
    page.get_by_role("link", name="The organisation's policies and procedures").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.goto(f"{live_server.url}/o/{org.slug}/tailoring/policies/add/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/o/{org.slug}/workforce/")
    assert_accessible(page)
    page.get_by_role("link", name="Maya Manager").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("link", name="Change the workforce record").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("First line manager or supervisor").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.get_by_text("First line manager or supervisor").is_visible()


def test_a_manager_answers_diversity_monitoring_accessibly(
    personas: Personas, signed_in: Any, live_server: Any
) -> None:
    page = signed_in(personas.manager)
    page.goto(f"{live_server.url}/o/{personas.org.slug}/people/{personas.manager.pk}/workforce/")
    assert_accessible(page)
    page.get_by_role("link", name="Diversity monitoring (optional, seen only by you)").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("group", name="What is your age?").get_by_label("35 to 44").check()
    page.get_by_role("button", name="Save my answers").click()
    page.wait_for_load_state()
    assert_accessible(page)
    base = f"{live_server.url}/o/{personas.org.slug}/people/{personas.manager.pk}"
    page.goto(f"{base}/workforce/qualifications/add/")
    assert_accessible(page)
