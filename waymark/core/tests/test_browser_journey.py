"""The brief's story for one manager and her supervisor, in a real browser (Debian's
Chromium through Playwright), through the pages only:

Maya picks the role profile her organisation made and adjusts it; rates herself (saving
part-way and coming back); reads her gaps as a chart and a table; chooses gaps and plans
a SMART objective for them (by keyboard); logs two pieces of learning, one private, one
shared. Sam, her supervisor, comments on and agrees the plan and confirms the shared
entry, and never sees the private one. Maya downloads her record as a PDF, which names
her, the objective and the confirmed learning.

axe-core finds nothing on any page visited."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from waymark.conftest import Personas
from waymark.core.browser import assert_accessible
from waymark.cpd.models import Entry
from waymark.frameworks.models import Node
from waymark.organisations.models import SupportRelationship
from waymark.planning.models import Plan
from waymark.profiles.models import BasicKind, Importance, Level, ManagerLevel
from waymark.profiles.selectors import CompetenceRow
from waymark.profiles.services import (
    role_basic_add,
    role_competences_set,
    role_profile_create,
    role_qualification_add,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLE = "First line manager, home care"
# The role profile the L&D lead made: code → (level expected, importance). Short enough
# for the self-assessment to fit on one page.
PROFILE = {
    "MM2.01": (Level.DEVELOPING, Importance.IMPORTANT),
    "MM4.01": (Level.CONFIDENT, Importance.ESSENTIAL),
    "MM4.02": (Level.CONFIDENT, Importance.ESSENTIAL),
    "MM4.06": (Level.CONFIDENT, Importance.ESSENTIAL),
    "MM5.01": (Level.DEVELOPING, Importance.IMPORTANT),
    "MM7.01": (Level.CONFIDENT, Importance.IMPORTANT),
    "MM7.02": (Level.CONFIDENT, Importance.ESSENTIAL),
    "MM7.03": (Level.CONFIDENT, Importance.IMPORTANT),
    "MM8.01": (Level.CONFIDENT, Importance.IMPORTANT),
}
REMOVED = "MM8.01"  # Maya's adjustment: quality assurance is her manager's, not hers
# Maya's self-ratings: gaps in leading change (MM7) and planning and resources (MM4).
RATINGS = {
    "MM2.01": 3,
    "MM4.01": 2,
    "MM4.02": 1,
    "MM4.06": 1,
    "MM5.01": 2,
    "MM7.01": 2,
    "MM7.02": 1,
    "MM7.03": 1,
}
FIRST_VISIT = ["MM2.01", "MM4.01", "MM4.02", "MM4.06"]  # then "save and come back later"
CHOSEN_GAPS = ["MM7.02", "MM7.03"]

OBJECTIVE = "Lead my team through the move to electronic care planning"
PRIVATE = "Diary: the rota conversation that went wrong"
SHARED = "Action learning set on leading change"


@pytest.fixture
def story(transactional_db: None, personas: Personas) -> dict[str, Node]:
    call_command("load_standards", verbosity=0)
    org = personas.org
    SupportRelationship.objects.create(
        organisation=org, manager=personas.manager, supporter=personas.supervisor, kind="supervisor"
    )
    nodes = {
        n.code: n
        for n in Node.objects.filter(
            edition__framework__slug="middle-manager-llf", edition__is_current=True
        ).exclude(code="")
    }
    lee = personas.ld_lead
    profile = role_profile_create(
        actor=lee, organisation=org, title=ROLE, manager_level=ManagerLevel.FIRST_LINE
    )
    role_competences_set(
        actor=lee,
        role_profile=profile,
        competences=[CompetenceRow(nodes[c], lvl, imp) for c, (lvl, imp) in PROFILE.items()],
    )
    role_qualification_add(
        actor=lee,
        role_profile=profile,
        title="Level 5 Diploma in Leadership and Management for Adult Care",
    )
    role_basic_add(
        actor=lee, role_profile=profile, kind=BasicKind.INDUCTION, title="Lone working policy"
    )
    return nodes


class Visits:
    """Every page the story reaches goes through here and is checked with axe-core; while
    `hidden` is set, the page must not show it anywhere (the private entry, to Sam)."""

    def __init__(self) -> None:
        self.hidden = ""

    def check(self, page: Any) -> str:
        content = str(page.content())
        if self.hidden:
            assert self.hidden not in content, f"{self.hidden!r} shown on {page.url}"
        assert_accessible(page)
        return content

    def click(self, page: Any, locator: Any) -> str:
        """Follow a link or submit a form; check the page that answers."""
        with page.expect_navigation():
            locator.click()
        return self.check(page)

    def press(self, page: Any, key: str) -> str:
        """Submit a form from the keyboard; check the page that answers."""
        with page.expect_navigation():
            page.keyboard.press(key)
        return self.check(page)

    def goto(self, page: Any, url: str) -> str:
        page.goto(url)
        return self.check(page)


def _fill_date(page: Any, day: datetime.date) -> None:
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))


def test_a_manager_and_her_supervisor_live_the_story(
    story: dict[str, Node],
    personas: Personas,
    signed_in: Any,
    live_server: Any,
    tmp_path: Path,
) -> None:
    nodes = story
    maya, org = personas.manager, personas.org
    dashboard = f"{live_server.url}/o/{org.slug}/"
    visits = Visits()

    # --- Maya: her PMS from the role profile, adjusted ---------------------------------
    page = signed_in(maya)
    visits.check(page)
    visits.goto(page, dashboard)
    visits.click(page, page.get_by_role("link", name="Start your specification").first)
    page.get_by_label(ROLE).check()
    assert "Person management specification" in visits.click(
        page, page.get_by_role("button", name="Start")
    )
    visits.click(
        page,
        page.get_by_role("link", name="Change levels and importance, or remove competences"),
    )
    page.get_by_label(f"Remove {REMOVED}").check()
    page.get_by_label("What changed and why (optional)").fill("Quality assurance sits with Sam.")
    content = visits.click(page, page.get_by_role("button", name="Save as a new revision"))
    assert "Saved as revision 2" in content and REMOVED not in content

    # --- the self-assessment: part now, the rest later ---------------------------------
    visits.goto(page, dashboard)
    visits.click(page, page.get_by_role("button", name="Start your self-assessment"))
    for code in FIRST_VISIT:  # by keyboard: focus the first level, arrow down to hers
        page.locator(f"#level-{nodes[code].pk}").focus()
        for _ in range(RATINGS[code]):
            page.keyboard.press("ArrowDown")
    page.get_by_label("Evidence for MM4.01 (optional)").fill("I keep the weekly rota in budget.")
    content = visits.click(page, page.get_by_role("button", name="Save and come back later"))
    assert "Your answers are saved" in content
    assert "You have rated 4 of 8 competences." in content

    visits.goto(page, dashboard)
    visits.click(page, page.get_by_role("link", name="Continue your self-assessment"))
    visits.click(page, page.get_by_role("link", name="Go back to your answers"))
    assert page.locator(f"#level-{nodes['MM4.02'].pk}-2").is_checked()  # kept: 1 Aware
    for code, level in RATINGS.items():
        if code not in FIRST_VISIT:
            page.locator(f"label[for='level-{nodes[code].pk}-{level + 1}']").click()
    visits.click(page, page.get_by_role("button", name="Save and continue"))
    content = visits.click(page, page.get_by_role("button", name="Complete self-assessment"))

    # --- the gap analysis: chart and table; gaps chosen for the plan -------------------
    assert "Your self-assessment is complete" in content
    assert page.locator("svg[role='img']").count() == 2  # radar by domain, bars by competence
    assert page.locator("table#gaps-by-domain tbody tr").count() == 4
    table = page.locator("table#gaps-by-competence")
    assert table.locator("tbody tr").count() == 8
    assert "Leading and managing change" in table.inner_text()
    for code in CHOSEN_GAPS:
        page.get_by_label(f"Plan for {code}").check()
    content = visits.click(page, page.get_by_role("button", name="Plan for the chosen gaps"))
    assert "First, start your plan" in content  # and then it comes back with the gaps
    visits.click(page, page.get_by_role("button", name="Create the plan"))
    assert "/plan/objectives/new/" in page.url
    checked = page.locator("input[name='nodes']:checked")
    assert {checked.nth(i).get_attribute("value") for i in range(checked.count())} == {
        str(nodes[c].pk) for c in CHOSEN_GAPS
    }

    # The SMART objective, by keyboard only: type, Tab to the next field, Enter to save.
    target = timezone.localdate() + datetime.timedelta(days=150)
    page.get_by_label("Objective", exact=True).focus()
    answers = [
        OBJECTIVE,
        "Explain why we are changing and plan the move with the team.",
        "Every care worker uses the new system; the team says it had a say.",
        "Action learning set; monthly supervision with Sam.",
        "People keep familiar carers and up-to-date care plans through the change.",
        str(target.day),
        str(target.month),
        str(target.year),
    ]
    for i, text in enumerate(answers):
        page.keyboard.type(text)
        if i < len(answers) - 1:
            page.keyboard.press("Tab")
    content = visits.press(page, "Enter")
    assert "Objective added" in content and OBJECTIVE in content

    # --- two CPD entries: one private, one shared --------------------------------------
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for title, kind, hours, shared in (
        (PRIVATE, "Work-based learning", "1", False),
        (SHARED, "Action learning", "3", True),
    ):
        visits.goto(page, dashboard)
        visits.click(page, page.get_by_role("link", name="Add a CPD entry"))
        _fill_date(page, yesterday)
        page.get_by_label(kind, exact=True).check()
        page.get_by_label("Title").fill(title)
        page.get_by_label("Hours").fill(hours)
        page.get_by_label(re.compile(r"\bMM7\.02 clearly")).check()
        page.get_by_label("What did I learn?").fill("Listen before explaining the change.")
        if shared:
            page.get_by_label("Development plan objective (optional)").select_option(
                label=f"{OBJECTIVE} (My development plan)"
            )
            page.get_by_label("Shared with my supervisor and mentors").check()
        assert title in visits.click(page, page.get_by_role("button", name="Save entry"))
    entries = {e.title: e for e in Entry.objects.filter(manager=maya)}
    assert not entries[PRIVATE].is_shared and entries[SHARED].is_shared
    visits.click(page, page.get_by_role("button", name="Sign out"))

    # --- Sam: the plan agreed, the shared entry confirmed, the private one unseen ------
    visits.hidden = PRIVATE
    page = signed_in(personas.supervisor)
    visits.check(page)
    visits.goto(page, dashboard)
    assert "Maya Manager" in visits.click(
        page, page.get_by_role("link", name=re.compile(r"^Maya Manager")).first
    )
    visits.goto(page, dashboard)
    assert OBJECTIVE in visits.click(
        page, page.get_by_role("link", name="Maya Manager: My development plan")
    )
    page.get_by_label("Comment").focus()  # the comment, by keyboard only
    page.keyboard.type("A good focus for this year. Book the learning set now.")
    page.keyboard.press("Tab")
    assert "Book the learning set now." in visits.press(page, "Enter")
    # "Agree this plan" is a link styled as a button, then the form's button.
    visits.click(page, page.get_by_role("button", name="Agree this plan"))
    content = visits.click(page, page.get_by_role("button", name="Agree this plan"))
    assert "Agreed by Sam Supervisor on" in content

    visits.goto(page, dashboard)
    visits.click(page, page.get_by_role("link", name="1 awaiting your confirmation"))
    visits.click(page, page.get_by_role("link", name=SHARED))
    content = visits.click(page, page.get_by_role("button", name="Confirm this entry"))
    assert "Confirmed by Sam Supervisor" in content
    assert SHARED in visits.goto(page, f"{dashboard}people/{maya.pk}/cpd/")
    visits.goto(page, f"{dashboard}people/{maya.pk}/cpd/summary/")
    visits.goto(page, f"{dashboard}people/{maya.pk}/")
    assert Plan.objects.get(manager=maya).agreed_by == personas.supervisor
    visits.click(page, page.get_by_role("button", name="Sign out"))
    visits.hidden = ""

    # --- Maya: her record as a PDF -----------------------------------------------------
    page = signed_in(maya)
    visits.goto(page, f"{dashboard}people/{maya.pk}/")
    visits.click(page, page.get_by_role("link", name="Download your record"))
    assert "/record/" in page.url
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download your record (PDF)").click()
    pdf = tmp_path / "record.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = _pdf_text(pdf)
    assert maya.full_name in text
    assert OBJECTIVE in text
    assert SHARED in text
    assert "Confirmed by Sam Supervisor" in text


def _pdf_text(pdf: Path) -> str:
    """The PDF's text, through poppler's pdftotext (scripts/test installs poppler-utils),
    in reading order (not -layout, which interleaves table columns) with lines joined, so
    that a title wrapped in a narrow column is still found."""
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext is missing: install poppler-utils (scripts/test does)"
    out = subprocess.run([tool, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", out)
