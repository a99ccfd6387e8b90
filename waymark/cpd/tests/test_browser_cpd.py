"""The CPD record in a real browser (Debian's Chromium through Playwright): the manager
logs learning with the keyboard, is told clearly about a future date and a disguised
file, finds a competence in another framework, attaches evidence and shares the entry;
her supervisor confirms it. axe-core finds nothing on any page."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from waymark.conftest import Personas
from waymark.core.browser import assert_accessible
from waymark.cpd.models import Entry

from .factories import (
    HTML_BYTES,
    PDF_BYTES,
    make_node,
    objective_for,
    pms_for,
    small_framework,
    support,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_logs_learning_and_her_supervisor_confirms_it(
    personas: Personas, signed_in: Any, live_server: Any, tmp_path: Path
) -> None:
    org, maya = personas.org, personas.manager
    support(org, maya, personas.supervisor, "supervisor")
    mm = small_framework()
    pms_for(org, maya, [mm["o11"], mm["o12"]])
    objective_for(org, maya)
    make_node(code="CLF-C3", title="Vision", statement="Creating a compelling vision")
    base = f"{live_server.url}/o/{org.slug}/people/{maya.pk}/cpd/"
    good = tmp_path / "certificate.pdf"
    good.write_bytes(PDF_BYTES)
    fake = tmp_path / "results.pdf"
    fake.write_bytes(HTML_BYTES)

    page = signed_in(maya)
    page.goto(f"{live_server.url}/o/{org.slug}/")
    assert_accessible(page)
    page.get_by_role("link", name="Add a CPD entry").click()
    page.wait_for_load_state()
    assert_accessible(page)

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_label("Day").fill(str(tomorrow.day))
    page.get_by_label("Month").fill(str(tomorrow.month))
    page.get_by_label("Year").fill(str(tomorrow.year))
    page.get_by_label("Action learning").check()
    page.get_by_label("Title").fill("Action learning set on rotas")
    page.get_by_label("Hours").fill("2.5")
    page.get_by_label("MM1.01 Outcome 1.1").check()
    page.get_by_label("What did I learn?").fill("Open questions help the team own the answer.")
    page.get_by_label("Evidence files (optional)").set_input_files([str(good), str(fake)])
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_load_state()
    content = page.content()
    assert "The date must be today or in the past" in content
    assert "is not a PDF document: it is really a web page (HTML)" in content
    assert page.get_by_label("Title").input_value() == "Action learning set on rotas"
    assert page.get_by_label("MM1.01 Outcome 1.1").is_checked()
    assert_accessible(page)
    assert not Entry.objects.exists()

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Day").fill(str(yesterday.day))
    page.get_by_label("Month").fill(str(yesterday.month))
    page.get_by_label("Year").fill(str(yesterday.year))
    page.get_by_label("Find a competence in any framework").fill("compelling vision")
    page.get_by_role("button", name="Find competences").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("CLF-C3 Vision").check()
    page.get_by_label("Evidence files (optional)").set_input_files([str(good)])
    page.get_by_label("Development plan objective (optional)").select_option(
        label="Lead the rota change (My plan)"
    )
    page.get_by_label("Title").press("End")
    page.get_by_role("button", name="Save entry").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    entry = Entry.objects.get()
    assert {n.code for n in entry.nodes.all()} == {"MM1.01", "CLF-C3"}
    assert entry.evidence.count() == 1
    assert "Private: only you can see this entry." in page.content()
    assert_accessible(page)

    page.get_by_role("button", name="Share with my supervisor and mentors").click()
    page.wait_for_load_state()
    assert_accessible(page)

    page.goto(base)
    assert "Action learning set on rotas" in page.content()
    assert_accessible(page)
    page.goto(base + "summary/")
    assert "2.5 hours, 0.3 SCQF credits" in page.content()
    assert_accessible(page)

    page.context.clear_cookies()
    page = signed_in(personas.supervisor)
    page.goto(f"{live_server.url}/o/{org.slug}/")
    page.get_by_role("link", name="1 awaiting your confirmation").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("link", name="Action learning set on rotas").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm this entry").click()
    page.wait_for_load_state()
    assert "Confirmed by Sam Supervisor" in page.content()
    assert_accessible(page)
