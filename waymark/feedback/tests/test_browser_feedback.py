"""360° feedback in a real browser: Maya starts a round, invites two peers, a member
of staff and a carer from the invite page; three answer through the links in their
emails (one on a phone-sized screen, by keyboard; one saving part-way first); Maya
closes the round and sees her results by group, with the message that says why the
peers are shown with the carer as "Other raters". axe-core finds nothing on any page,
the rater's form included."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from waymark.assessment.tests.factories import make_assessment, make_framework, make_pms, rate_all
from waymark.conftest import Personas
from waymark.core.browser import assert_accessible
from waymark.feedback.models import FeedbackResponse

from .factories import tokens_from_outbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _answer(page: Any, statements: list[str], word: str) -> None:
    for statement in statements:
        page.get_by_role("group", name=statement).get_by_label(word, exact=True).check()


def test_a_manager_invites_four_raters_three_answer_and_she_sees_grouped_results(
    personas: Personas, signed_in: Any, live_server: Any, browser: Any, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    org, maya = personas.org, personas.manager
    _edition, _domains, nodes = make_framework("MM", domains=2, outcomes=2)
    revision = make_pms(maya, org, nodes)
    assessment = make_assessment(organisation=org, manager=maya, revision=revision)
    rate_all(assessment, [4, 2, 1, 2], nodes, submit=True)
    statements = [n.statement for n in nodes]
    mail.outbox = []

    page = signed_in(maya)
    page.goto(f"{live_server.url}/o/{org.slug}/")
    assert_accessible(page)
    page.get_by_role("link", name="Start 360° feedback").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("link", name="Start a feedback round").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Note to raters (optional)").fill("How do I run team meetings?")
    page.get_by_role("button", name="Start the round").click()
    page.wait_for_load_state()
    assert_accessible(page)  # the invite page

    # A bad line is reported by its number, and nothing typed is lost.
    page.get_by_label("Peers").check()
    page.get_by_label("Raters' email addresses").fill("Pat Peer, pat@example.org\nnot an email")
    page.get_by_role("button", name="Send invitations").click()
    page.wait_for_load_state()
    assert "Line 2" in page.content()
    assert_accessible(page)
    page.get_by_label("Raters' email addresses").fill(
        "Pat Peer, pat@example.org\nRob Peer <rob@example.org>"
    )
    page.get_by_role("button", name="Send invitations").click()
    page.wait_for_load_state()
    assert "2 raters invited" in page.content()
    assert_accessible(page)  # the links, shown once
    page.get_by_role("link", name="Invite more raters").click()
    page.wait_for_load_state()
    page.get_by_label("Staff they manage").check()
    page.get_by_label("Raters' email addresses").fill("sue@example.org")
    page.get_by_role("button", name="Send invitations").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Invite more raters").click()
    page.wait_for_load_state()
    page.get_by_label("People who use services and carers").check()
    page.get_by_label("Raters' email addresses").fill("Carol Carer, carol@example.org")
    page.get_by_role("button", name="Send invitations").click()
    page.wait_for_load_state()
    assert len(mail.outbox) == 4
    by_email = dict(zip([m.to[0] for m in mail.outbox], tokens_from_outbox(), strict=True))

    # Pat answers on a desktop with the mouse.
    desktop = browser.new_context()
    pat = desktop.new_page()
    pat.goto(f"{live_server.url}/rate/{by_email['pat@example.org']}/")
    assert_accessible(pat)
    assert "How do I run team meetings?" in pat.content()
    _answer(pat, statements, "Developing")
    pat.get_by_label("What does this person do well?").fill("Warm with families")
    pat.get_by_role("button", name="Continue to check and send").click()
    pat.wait_for_load_state()
    assert_accessible(pat)
    pat.get_by_role("button", name="Send my feedback").click()
    pat.wait_for_load_state()
    assert "Feedback sent" in pat.content()
    assert_accessible(pat)
    desktop.close()

    # Rob answers on a phone-sized screen, by keyboard.
    phone = browser.new_context(viewport={"width": 375, "height": 667}, has_touch=True)
    rob = phone.new_page()
    rob.goto(f"{live_server.url}/rate/{by_email['rob@example.org']}/")
    assert_accessible(rob)
    for statement in statements:
        rob.get_by_role("group", name=statement).get_by_label("Aware", exact=True).focus()
        rob.keyboard.press("Space")
    rob.get_by_label("What could this person develop or do differently?").focus()
    rob.keyboard.type("Shorter meetings")
    rob.get_by_role("button", name="Continue to check and send").focus()
    with rob.expect_navigation():
        rob.keyboard.press("Enter")
    assert_accessible(rob)
    rob.get_by_role("button", name="Send my feedback").focus()
    with rob.expect_navigation():
        rob.keyboard.press("Enter")
    assert "Feedback sent" in rob.content()
    phone.close()

    # Carol saves part-way, comes back and finishes.
    carer = browser.new_context()
    carol = carer.new_page()
    carol_url = f"{live_server.url}/rate/{by_email['carol@example.org']}/"
    carol.goto(carol_url)
    _answer(carol, statements[:2], "Confident")
    carol.get_by_role("button", name="Save and finish later").click()
    carol.wait_for_load_state()
    assert "Your answers are saved" in carol.content()
    assert_accessible(carol)
    carol.goto(carol_url)
    carol.get_by_role("group", name=statements[2]).get_by_label("I can't judge this").check()
    carol.get_by_role("button", name="Continue to check and send").click()
    carol.wait_for_load_state()
    carol.get_by_role("button", name="Send my feedback").click()
    carol.wait_for_load_state()
    carol.goto(carol_url)
    assert "You have already sent your feedback" in carol.content()
    assert_accessible(carol)
    carer.close()
    assert FeedbackResponse.objects.count() == 3

    # Maya follows her invitations, closes the round and sees her results.
    page.get_by_role("link", name="Back to the round").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert page.content().count("govuk-tag--green") == 3
    page.get_by_role("link", name="Close the round and see results").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("button", name="Close the round").click()
    page.wait_for_load_state()
    assert_accessible(page)
    html = page.content()
    assert "Other raters" in html
    assert (
        "2 responses from peers are included in “Other raters” so that no one can be identified."
        in html
    )
    assert "1 response from people who use services and carers is included" in html
    assert "Warm with families" in html and "Shorter meetings" in html
    assert "Blind spot" in html
