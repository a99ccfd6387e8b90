"""The evaluation pages in a real browser: an evaluation with every level filled in, an
indicator's chart and table, the programme summary, and a manager's own evaluation with
a clear error. axe-core finds nothing on any page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from waymark.conftest import Personas
from waymark.core.browser import assert_accessible
from waymark.programmes.demo import seed_programmes

from ..demo import seed_evaluation
from ..models import Evaluation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _go(page: Any, name: str) -> None:
    page.get_by_role("link", name=name).first.click()
    page.wait_for_load_state()
    assert_accessible(page)


def test_the_evaluation_pages_read_well_and_pass_axe(
    personas: Personas, signed_in: Any, live_server: Any
) -> None:
    seed_programmes(write=lambda _s: None)
    seed_evaluation(write=lambda _s: None)
    org = personas.org
    page = signed_in(personas.ld_lead)
    page.goto(f"{live_server.url}/o/{org.slug}/")
    _go(page, "Evaluation of development at five levels")
    _go(page, "First line leadership: evaluation during the programme")
    assert page.get_by_role("heading", name="Level 4: the organisation").is_visible()
    assert page.locator("svg[role=img]").count() == 1
    _go(page, "The programme's evaluation summary")
    assert page.get_by_text("Not yet evaluated").first.is_visible()
    page.go_back()
    _go(page, "Evaluation")
    _go(page, "Organisation indicators")
    _go(page, "Staff retention")
    page.get_by_label("Value").fill("a lot")
    page.get_by_label("Day", exact=True).fill("1")
    page.get_by_label("Month", exact=True).fill("1")
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_role("button", name="Add the value").click()
    page.wait_for_load_state()
    assert page.get_by_text("Enter a number, like 12 or 85.5").first.is_visible()
    assert_accessible(page)

    # Maya evaluates her own learning.
    page.context.clear_cookies()
    page = signed_in(personas.manager)
    page.goto(f"{live_server.url}/o/{org.slug}/")
    _go(page, "Evaluate your learning")
    _go(page, "Evaluate your learning")
    page.get_by_label("Title").fill("What I took from module 1")
    page.get_by_label("Summative: done on completion").check()
    page.get_by_label("Improving: what have we learnt?").check()
    page.get_by_role("button", name="Save").click()  # no dates: a clear error
    page.wait_for_load_state()
    assert page.title().startswith("Error:")
    assert_accessible(page)
    today = timezone.localdate()
    start = today - datetime.timedelta(days=30)
    for i, day in enumerate((start, today)):
        page.get_by_label("Day", exact=True).nth(i).fill(str(day.day))
        page.get_by_label("Month", exact=True).nth(i).fill(str(day.month))
        page.get_by_label("Year", exact=True).nth(i).fill(str(day.year))
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert Evaluation.objects.filter(manager=personas.manager).count() == 1
