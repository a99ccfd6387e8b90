from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from waymark.feedback import services

from .factories import invite, make_round, tokens_from_outbox

pytestmark = pytest.mark.django_db


def test_an_invitation_email_has_a_plain_text_and_an_html_part_in_plain_language(
    personas: Any, mailoutbox: list[Any]
) -> None:
    setup = make_round(personas)
    invite(setup, "peer", "jo@example.org", send=True)
    (message,) = mailoutbox
    assert message.to == ["jo@example.org"]
    assert message.subject == "Maya Manager would value your feedback"
    assert "Tell me about team meetings" in message.body
    assert "you do not need an account" in message.body
    assert "shown without your name" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and 'lang="en-GB"' in html
    (token,) = tokens_from_outbox()
    assert Client().get(f"/rate/{token}/").status_code == 200


def test_a_line_manager_is_told_in_the_email_that_their_view_is_shown_as_theirs(
    personas: Any, mailoutbox: list[Any]
) -> None:
    setup = make_round(personas)
    invite(setup, "line-manager", "boss@example.org", send=True)
    assert "shown as the line manager's view" in mailoutbox[0].body


def test_a_reminder_carries_a_new_link_and_the_old_one_stops(
    personas: Any, mailoutbox: list[Any]
) -> None:
    setup = make_round(personas)
    ((inv, old),) = invite(setup, "peer", "jo@example.org", send=True)
    services.invitation_remind(actor=personas.manager, invitation=inv)
    assert mailoutbox[1].subject.startswith("Reminder:")
    new = tokens_from_outbox()[1]
    assert new != old
    assert Client().get(f"/rate/{old}/").status_code == 404
    assert Client().get(f"/rate/{new}/").status_code == 200
    inv.refresh_from_db()
    assert inv.reminders_sent == 1


def test_reminders_stop_after_three(personas: Any, mailoutbox: list[Any]) -> None:
    setup = make_round(personas)
    ((inv, _old),) = invite(setup, "peer", "jo@example.org")
    for _i in range(3):
        services.invitation_remind(actor=personas.manager, invitation=inv)
    with pytest.raises(ValidationError):
        services.invitation_remind(actor=personas.manager, invitation=inv)
    assert len(mailoutbox) == 3


def test_the_reminder_button_sends_an_email_from_the_round_page(
    personas: Any, mailoutbox: list[Any]
) -> None:
    from django.urls import reverse

    setup = make_round(personas)
    ((inv, _old),) = invite(setup, "staff", "jo@example.org")
    url = reverse(
        "feedback:invitation_remind",
        kwargs={
            "org_slug": personas.org.slug,
            "person_id": personas.manager.pk,
            "round_id": setup.round.pk,
            "invitation_id": inv.pk,
        },
    )
    response = personas.client_for(personas.manager).post(url)
    assert response.status_code == 302 and len(mailoutbox) == 1
