from __future__ import annotations

import logging
import secrets
from typing import Any

import pytest
from django.test import Client

from waymark.feedback.models import RaterInvitation, hash_token

from .factories import answer, close, expire, invite, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(personas: Any) -> Any:
    return make_round(personas)


def _one(setup: Any) -> tuple[RaterInvitation, str]:
    return invite(setup, "peer", "rater@example.org")[0]


def test_a_live_link_opens_the_form_with_private_headers_and_no_session(setup: Any) -> None:
    _inv, token = _one(setup)
    response = Client().get(f"/rate/{token}/")
    assert response.status_code == 200
    assert "Feedback for Maya Manager" in response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies


def test_only_a_hash_of_the_token_is_stored(setup: Any) -> None:
    inv, token = _one(setup)
    inv.refresh_from_db()
    assert inv.token_hash == hash_token(token)
    stored = " ".join(str(v) for v in RaterInvitation.objects.values().first().values())  # type: ignore[union-attr]
    assert token not in stored


def test_a_guessed_token_gets_a_404_that_says_nothing_about_any_round(setup: Any) -> None:
    _one(setup)
    for guess in (secrets.token_urlsafe(32), "x", "a" * 200):
        response = Client().get(f"/rate/{guess}/")
        assert response.status_code == 404
        html = response.content.decode()
        assert "This link does not work" in html
        assert "Maya" not in html and "Brightwater" not in html
        assert response["Referrer-Policy"] == "no-referrer"


def test_an_expired_link_says_so(setup: Any) -> None:
    inv, token = _one(setup)
    expire(inv)
    response = Client().get(f"/rate/{token}/")
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert Client().post(f"/rate/{token}/check/").status_code == 410


def test_a_link_of_a_closed_round_has_expired(setup: Any) -> None:
    _inv, token = _one(setup)
    close(setup)
    assert "This link has expired" in Client().get(f"/rate/{token}/").content.decode()


def test_a_revoked_link_says_it_was_withdrawn(setup: Any, personas: Any) -> None:
    from waymark.feedback.services import invitation_revoke

    inv, token = _one(setup)
    invitation_revoke(actor=personas.manager, invitation=inv)
    response = Client().get(f"/rate/{token}/")
    assert response.status_code == 410
    assert "This invitation has been withdrawn" in response.content.decode()


def test_a_link_used_again_after_submission_says_thank_you_and_takes_nothing(setup: Any) -> None:
    inv, token = _one(setup)
    answer(inv, [2, 2, 2, 2], setup.nodes)
    client = Client()
    response = client.get(f"/rate/{token}/")
    assert response.status_code == 200
    assert "You have already sent your feedback" in response.content.decode()
    posted = client.post(f"/rate/{token}/", {"action": "check", f"level_{setup.nodes[0].pk}": "4"})
    assert "already sent" in posted.content.decode()
    assert setup.round.responses.count() == 1


def test_the_raters_pages_are_rate_limited_by_ip(setup: Any, settings: Any) -> None:
    settings.FEEDBACK_RATE_LIMIT = "3/m"
    _inv, token = _one(setup)
    client = Client()
    statuses = [client.get(f"/rate/{token}/").status_code for _i in range(3)]
    assert statuses == [200, 200, 200]
    limited = client.get(f"/rate/{token}/")
    assert limited.status_code == 429
    assert "Too many requests" in limited.content.decode()
    # Guessing is limited too: the counter is by address, whatever the token.
    assert client.get(f"/rate/{secrets.token_urlsafe(32)}/").status_code == 429
    # Another address is not.
    assert Client(REMOTE_ADDR="10.0.0.9").get(f"/rate/{token}/").status_code == 200


def test_the_token_never_appears_in_a_log_line(setup: Any, caplog: Any, settings: Any) -> None:
    inv, token = _one(setup)
    caplog.set_level(logging.DEBUG)
    client = Client()
    client.get(f"/rate/{token}/")
    client.get(f"/rate/{token}x/")
    expire(inv)
    client.get(f"/rate/{token}/")
    settings.FEEDBACK_RATE_LIMIT = "1/m"
    client.get(f"/rate/{token}/")
    assert token not in caplog.text
    assert "/rate/" not in caplog.text


def test_the_form_posts_without_a_cookie_even_when_the_browser_sends_origin_null(
    setup: Any,
) -> None:
    # With Referrer-Policy no-referrer, browsers send "Origin: null" on a form post; the
    # token in the address is the rater's secret, so the pages need no CSRF cookie.
    _inv, token = _one(setup)
    client = Client(enforce_csrf_checks=True)
    page = client.get(f"/rate/{token}/")
    assert not page.cookies
    saved = client.post(
        f"/rate/{token}/",
        {"action": "save", f"level_{setup.nodes[0].pk}": "2"},
        HTTP_ORIGIN="null",
    )
    assert saved.status_code == 200 and "Your answers are saved" in saved.content.decode()
