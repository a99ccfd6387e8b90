"""Development programmes in a real browser: an L&D lead sets up a programme from the
template, adds participants and records attendance at the first session; the
participant finds the shared entry in her CPD record. axe-core finds nothing on any page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from waymark.conftest import Personas
from waymark.core.browser import assert_accessible
from waymark.cpd.models import Entry
from waymark.organisations.models import SupportKind, SupportRelationship

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_ld_lead_runs_a_programme_and_attendance_reaches_cpd(
    personas: Personas, signed_in: Any, live_server: Any
) -> None:
    org, maya = personas.org, personas.manager
    SupportRelationship.objects.create(
        organisation=org, manager=maya, supporter=personas.supervisor, kind=SupportKind.SUPERVISOR
    )
    start = timezone.localdate() - datetime.timedelta(days=7)
    while start.weekday() >= 5:
        start -= datetime.timedelta(days=1)

    page = signed_in(personas.ld_lead)
    page.goto(f"{live_server.url}/o/{org.slug}/")
    assert_accessible(page)
    page.get_by_role("link", name="Set up a programme from a template").first.click()
    page.wait_for_load_state()
    assert_accessible(page)

    # Bad input first: too many modules, each too long; told clearly, nothing lost.
    page.get_by_label("Introductory module, up to six modules and a final review").check()
    page.get_by_label("Programme title").fill("First line leadership")
    page.get_by_label("Day", exact=True).fill(str(start.day))
    page.get_by_label("Month", exact=True).fill(str(start.month))
    page.get_by_label("Year", exact=True).fill(str(start.year))
    page.get_by_label("Number of further modules").fill("8")
    page.get_by_label("Days in each further module").fill("4")
    page.get_by_role("button", name="Create programme").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error:")
    assert page.get_by_text("Choose between 0 and 6 further modules").first.is_visible()
    assert page.get_by_label("Programme title").input_value() == "First line leadership"
    assert_accessible(page)

    page.get_by_label("Number of further modules").fill("3")
    page.get_by_label("Days in each further module").fill("2")
    page.get_by_role("button", name="Create programme").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="First line leadership", level=1).is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Choose participants").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Maya Manager").check()
    page.get_by_label("Sam Supervisor").check()
    page.get_by_role("button", name="Save participants").click()
    page.wait_for_load_state()

    page.get_by_role("link", name="Record attendance").first.click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("group", name="Maya Manager").get_by_label("Present").check()
    page.get_by_role("group", name="Sam Supervisor").get_by_label("Sent apologies").check()
    page.get_by_role("button", name="Save attendance").click()
    page.wait_for_load_state()
    assert page.get_by_text("A shared CPD entry was added for 1 participant.").is_visible()
    assert_accessible(page)
    entry = Entry.objects.get(manager=maya)
    assert entry.visibility == "supporters"

    # Maya sees the shared entry in her own record.
    page.context.clear_cookies()
    page = signed_in(maya)
    page.goto(f"{live_server.url}/o/{org.slug}/")
    page.get_by_role("link", name="Your programmes").first.click()
    page.wait_for_load_state()
    assert page.get_by_text("attended 1 of 1 sessions held so far").is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/o/{org.slug}/people/{maya.pk}/cpd/")
    page.wait_for_load_state()
    assert page.get_by_text("First line leadership: Introductory module").first.is_visible()
    assert_accessible(page)
