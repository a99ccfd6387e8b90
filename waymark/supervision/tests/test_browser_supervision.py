"""Supervision in a real browser: Sam starts a supervision record with Maya, agrees two
action points, finalises and circulates it, then starts the next record and finds the
open actions carried into it; his supervisor's page lists Maya with what needs his
attention; Maya sees the record and the overdue flag. axe-core finds nothing on any
page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from waymark.conftest import Personas
from waymark.core.browser import assert_accessible
from waymark.supervision.models import ActionPoint, SupervisionRecord

from .factories import support

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _date(page: Any, group: str, day: datetime.date) -> None:
    fieldset = page.get_by_role("group", name=group)
    fieldset.get_by_label("Day").fill(str(day.day))
    fieldset.get_by_label("Month").fill(str(day.month))
    fieldset.get_by_label("Year").fill(str(day.year))


def _go(page: Any, how: Any) -> None:
    how.click()
    page.wait_for_load_state()
    assert_accessible(page)


def test_a_supervisor_records_supervision_and_the_actions_carry_over(
    personas: Personas, signed_in: Any, live_server: Any
) -> None:
    org, maya, sam = personas.org, personas.manager, personas.supervisor
    support(org, maya, sam, "supervisor")
    today = timezone.localdate()

    page = signed_in(sam)
    page.goto(f"{live_server.url}/o/{org.slug}/")
    assert_accessible(page)
    _go(page, page.get_by_role("link", name="People you supervise"))
    assert "Appraisal due" in page.content()
    _go(page, page.get_by_role("link", name="Maya Manager"))
    _go(page, page.get_by_role("link", name="Supervision records"))
    _go(page, page.get_by_role("link", name="Start the next supervision record"))

    # A review date in the past is refused, and what was typed is kept.
    _date(page, "Date of the supervision", today)
    page.get_by_label("Agenda").fill("Night rota\nFire safety")
    page.get_by_label("Notes of the discussion").fill("Cover is thin from December.")
    _date(page, "Date the action points will be reviewed", today - datetime.timedelta(days=1))
    _go(page, page.get_by_role("button", name="Start the record"))
    assert "The review date must be today or in the future" in page.content()
    assert page.get_by_label("Agenda").input_value() == "Night rota\nFire safety"
    _date(page, "Date the action points will be reviewed", today + datetime.timedelta(days=28))
    _go(page, page.get_by_role("button", name="Start the record"))
    assert "Supervision record started" in page.content()

    _go(page, page.get_by_role("link", name="Add an action point"))
    page.get_by_label("Action").fill("Draft the new night rota")
    page.get_by_label("Who will do it").select_option(label="Maya Manager")
    _date(page, "By when", today + datetime.timedelta(days=7))
    _go(page, page.get_by_role("button", name="Add the action point"))
    _go(page, page.get_by_role("link", name="Add an action point"))
    page.get_by_label("Action").fill("Ask the council about night cover")
    page.get_by_label("Or the name of someone outside Waymark").fill("Pat at the council")
    _date(page, "By when", today + datetime.timedelta(days=14))
    _go(page, page.get_by_role("button", name="Add the action point"))
    assert "Pat at the council" in page.content()

    _go(page, page.get_by_role("button", name="Finalise and circulate"))
    assert "finalised and circulated" in page.content()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([maya.email, sam.email])

    # A week on, the rota is overdue; Sam starts the next record.
    first = SupervisionRecord.objects.get()
    rota = ActionPoint.objects.get(description="Draft the new night rota")
    ActionPoint.objects.filter(pk=rota.pk).update(due_date=today - datetime.timedelta(days=2))
    page.goto(f"{live_server.url}/o/{org.slug}/supervision/")
    assert_accessible(page)
    row = page.locator("#supervisees tbody tr").filter(has_text="Maya Manager")
    assert "1 overdue action point" in row.inner_text()
    _go(page, row.get_by_role("link", name="1 overdue action point"))
    _go(page, page.get_by_role("link", name="Start the next supervision record"))
    _date(page, "Date of the supervision", today)
    _date(page, "Date the action points will be reviewed", today + datetime.timedelta(days=28))
    _go(page, page.get_by_role("button", name="Start the record"))
    carried = page.get_by_role("table", name="Action points carried in from earlier supervision")
    text = carried.inner_text()
    assert "Draft the new night rota" in text and "Ask the council about night cover" in text
    assert "Overdue" in text
    assert ActionPoint.objects.count() == 2
    second = SupervisionRecord.objects.exclude(pk=first.pk).get()
    assert second.previous_id == first.pk

    # Maya sees the records and the overdue flag.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    page = signed_in(maya)
    page.goto(f"{live_server.url}/o/{org.slug}/")
    assert_accessible(page)
    assert "1 of your action points is overdue" in page.content()
    _go(page, page.get_by_role("link", name="Your supervision records"))
    _go(page, page.get_by_role("link", name=first.date.strftime("%-d %B %Y")).last)
    assert "1 action point is overdue" in page.content()
    assert "Cover is thin from December." in page.content()


def test_an_appraisal_is_agreed_and_signed_by_both(
    personas: Personas, signed_in: Any, live_server: Any
) -> None:
    from .factories import action, entry, pms, record

    org, maya, sam = personas.org, personas.manager, personas.supervisor
    support(org, maya, sam, "supervisor")
    pms(org, maya)
    entry(org, maya, "Shared rota workshop", shared=True, hours="5")
    entry(org, maya, "My private worries", shared=False)
    rec = record(org, maya, sam)
    point = action(rec, sam, "Book the fire safety course", timezone.localdate())
    today = timezone.localdate()

    page = signed_in(sam)
    base = f"{live_server.url}/o/{org.slug}/people/{maya.pk}/"
    page.goto(f"{base}supervision/actions/{point.pk}/?record={rec.pk}")
    assert_accessible(page)
    page.get_by_label("Keep it open with a new date").check()
    _go(page, page.get_by_role("button", name="Save the review"))
    assert "Enter the new date it is due by" in page.content()
    page.get_by_label("It is done").check()
    _go(page, page.get_by_role("button", name="Save the review"))
    assert "Action point updated" in page.content()

    page.goto(f"{base}appraisal/")
    assert_accessible(page)
    _go(page, page.get_by_role("link", name="Start an appraisal"))
    _go(page, page.get_by_role("button", name="Start the appraisal"))
    assert "Shared rota workshop" in page.content()
    assert "My private worries" not in page.content()
    _go(page, page.get_by_role("link", name="Revise the specification"))
    page.get_by_label("Job title").fill("Registered manager, two homes")
    _go(page, page.get_by_role("button", name="Make a new revision"))
    assert "revision 2" in page.content()
    _go(page, page.get_by_role("link", name="Propose an objective"))
    page.get_by_label("Objective").fill("Lead the rota change")
    page.get_by_label("What exactly will be done or changed?").fill("Introduce the new rota")
    page.get_by_label("How will we know it has succeeded?").fill("Staff survey in six months")
    _date(page, "By when", today + datetime.timedelta(days=180))
    _go(page, page.get_by_role("button", name="Propose the objective"))
    _go(page, page.get_by_role("button", name="Sign the appraisal"))
    assert "locked once both of you have signed" in page.content()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    page = signed_in(maya)
    page.goto(f"{base}appraisal/")
    assert_accessible(page)
    _go(page, page.get_by_role("link", name=today.strftime("%-d %B %Y")))
    _go(page, page.get_by_role("button", name="Sign the appraisal"))
    assert "the appraisal is now locked" in page.content()
    assert "Agreed: on the plan" in page.content()
    _go(page, page.get_by_role("link", name="Reopen it to change it"))
