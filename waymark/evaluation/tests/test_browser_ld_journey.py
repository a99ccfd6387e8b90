"""The issue's journey in a real browser: an L&D lead tailors the framework (the
organisation's focus), sets up a programme from the template, records attendance,
opens the learning-needs heatmap (with a suppressed cell explained) and writes an
action plan. axe-core finds nothing on any page visited."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from waymark.conftest import Personas
from waymark.core.browser import assert_accessible
from waymark.core.tests.factories import EditionFactory, FrameworkFactory, NodeFactory
from waymark.cpd.models import Entry
from waymark.evaluation.models import ActionPlan, ActionPlanObjective
from waymark.reports.tests.factories import MiniFramework, add_manager, population
from waymark.tailoring.selectors import focus_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _framework() -> MiniFramework:
    edition = EditionFactory.create(
        framework=FrameworkFactory.create(slug="mm", title="Middle Manager framework"),
        title="Middle Manager framework",
        status="published",
        is_current=True,
    )
    domains, competences = [], []
    for d, name in enumerate(("Leading people", "Managing resources"), start=1):
        domain = NodeFactory.create(
            edition=edition, code=f"MM{d}", title=name, statement=name, sequence=d
        )
        domains.append(domain)
        for c in (1, 2):
            competences.append(
                NodeFactory.create(
                    edition=edition,
                    parent=domain,
                    code=f"MM{d}.0{c}",
                    title=f"Outcome {d}.{c}",
                    sequence=c,
                )
            )
    return MiniFramework(edition, domains, competences)


def _fill_date(page: Any, day: datetime.date) -> None:
    page.get_by_label("Day", exact=True).fill(str(day.day))
    page.get_by_label("Month", exact=True).fill(str(day.month))
    page.get_by_label("Year", exact=True).fill(str(day.year))


def _go(page: Any, name: str) -> None:
    page.get_by_role("link", name=name).first.click()
    page.wait_for_load_state()
    assert_accessible(page)


def test_an_ld_lead_tailors_runs_a_programme_reads_needs_and_writes_an_action_plan(
    personas: Personas, signed_in: Any, live_server: Any
) -> None:
    org = personas.org
    fw = _framework()
    # Managers with completed self-assessments: 6 in North, 5 in East and 2 in South,
    # so South's cells are suppressed (fewer than 5 people).
    pop = population(org, fw)
    for team, n in (("North", 6), ("East", 5), ("South", 2)):
        for _ in range(n):
            add_manager(pop, self_levels=[1, 2, 3, 3], team=team)
    start = timezone.localdate() - datetime.timedelta(days=7)
    while start.weekday() >= 5:
        start -= datetime.timedelta(days=1)

    page = signed_in(personas.ld_lead)
    base = f"{live_server.url}/o/{org.slug}/"
    page.goto(base)
    assert_accessible(page)

    # 1. Tailor: the organisation's focus.
    _go(page, "Tailor Waymark to the organisation")
    _go(page, "Choose the frameworks and domains that matter")
    page.get_by_label("Middle Manager framework").check()
    page.get_by_text("Domains of Middle Manager framework").first.click()
    page.get_by_label("Leading people").check()
    page.get_by_role("button", name="Save the focus").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert focus_for(org).domain_ids == {fw.domains[0].pk}

    # 2. A programme from the template.
    page.goto(base)
    _go(page, "Set up a programme from a template")
    page.get_by_label("Introductory module, up to six modules and a final review").check()
    page.get_by_label("Programme title").fill("First line leadership")
    _fill_date(page, start)
    page.get_by_label("Number of further modules").fill("3")
    page.get_by_label("Days in each further module").fill("2")
    page.get_by_role("button", name="Create programme").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="First line leadership", level=1).is_visible()
    assert_accessible(page)

    # 3. Participants and attendance.
    _go(page, "Choose participants")
    page.get_by_label("Maya Manager").check()
    page.get_by_role("button", name="Save participants").click()
    page.wait_for_load_state()
    _go(page, "Record attendance")
    page.get_by_role("group", name="Maya Manager").get_by_label("Present").check()
    page.get_by_role("button", name="Save attendance").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert Entry.objects.filter(manager=personas.manager).count() == 1

    # 4. The learning-needs heatmap, with its suppressed cells explained.
    page.goto(base)
    _go(page, "Reports on learning needs, qualifications, CPD, succession and the workforce")
    _go(page, "Learning needs")
    assert page.get_by_text("What is hidden and why").first.is_visible()
    assert page.get_by_text("describe fewer than 5 people").first.is_visible()
    assert page.locator("[data-suppressed]").count() > 0
    assert page.locator("td", has_text="2").count() > 0  # North's mean gap shows

    # 5. An action plan that follows from the report.
    page.goto(base)
    _go(page, "Action plans")
    _go(page, "New action plan")
    page.get_by_label("Title").fill("Closing the gaps in leading people")
    page.get_by_label("Agreed aims").fill("Every team leader at the level expected.")
    page.get_by_label("Or reports to (anyone else)").fill("Senior management team")
    page.get_by_label("Learning needs").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert_accessible(page)
    plan = ActionPlan.objects.get()
    assert plan.report_names == ["learning-needs"]

    _go(page, "Add an objective")
    page.get_by_label("Objective", exact=True).fill("Team leaders complete module 1")
    page.get_by_label("Target", exact=True).fill("All 13 managers")
    page.get_by_label("Or responsible (anyone else)").fill("Training officer")
    _fill_date(page, plan.start_date - datetime.timedelta(days=10))  # too early
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error:")
    assert page.get_by_text("The timescale must be on or after the plan's start").first.is_visible()
    assert page.get_by_label("Objective", exact=True).input_value() == (
        "Team leaders complete module 1"
    )
    assert_accessible(page)
    _fill_date(page, plan.start_date + datetime.timedelta(days=120))
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert ActionPlanObjective.objects.filter(plan=plan).count() == 1
    assert page.get_by_role("link", name="Learning needs").first.is_visible()

    _go(page, "Record progress")
    page.get_by_label("Progress").fill("Module 1 dates agreed with the trainers.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert page.get_by_text("1 progress update").first.is_visible()
