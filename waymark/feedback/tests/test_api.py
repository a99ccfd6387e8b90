from __future__ import annotations

import secrets
from typing import Any

import pytest
from rest_framework.test import APIClient

from waymark.feedback.models import FeedbackResponse

from .factories import invite, make_round, supervise

pytestmark = pytest.mark.django_db


def _api(user: Any = None) -> APIClient:
    client = APIClient(enforce_csrf_checks=True)
    if user is not None:
        client.force_authenticate(user)
    return client


def test_rounds_are_listed_for_the_manager_her_supervisor_and_ld_lead_only(personas: Any) -> None:
    setup = make_round(personas)
    supervise(personas)
    for user in (personas.manager, personas.supervisor, personas.ld_lead):
        ids = [r["id"] for r in _api(user).get("/api/v1/feedback-rounds/").json()["results"]]
        assert ids == [setup.round.pk]
    assert _api(personas.outsider).get("/api/v1/feedback-rounds/").json()["results"] == []
    assert (
        _api(personas.outsider).get(f"/api/v1/feedback-rounds/{setup.round.pk}/").status_code == 404
    )


def test_the_supervisor_may_not_see_who_was_invited(personas: Any) -> None:
    setup = make_round(personas)
    supervise(personas)
    invite(setup, "peer", "a@example.org")
    assert (
        _api(personas.supervisor)
        .get(f"/api/v1/feedback-rounds/{setup.round.pk}/invitations/")
        .status_code
        == 403
    )
    assert (
        _api(personas.manager)
        .get(f"/api/v1/feedback-rounds/{setup.round.pk}/invitations/")
        .status_code
        == 200
    )


def test_a_manager_starts_a_round_and_invites_through_the_api(
    personas: Any, mailoutbox: list[Any]
) -> None:
    setup = make_round(personas)
    client = _api(personas.manager)
    created = client.post(
        "/api/v1/feedback-rounds/",
        {
            "organisation": personas.org.slug,
            "manager": personas.manager.pk,
            "competences": [setup.nodes[0].pk],
            "note": "Hi",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["competences"] == [setup.nodes[0].pk]
    round_id = created.json()["id"]
    invited = client.post(
        f"/api/v1/feedback-rounds/{round_id}/invite/",
        {
            "group": "partner",
            "raters": [{"email": "p@example.org", "name": "Pat"}],
            "send_email": False,
        },
        format="json",
    )
    assert invited.status_code == 201
    assert "/rate/" in invited.json()[0]["url"] and mailoutbox == []
    listed = client.get(f"/api/v1/feedback-rounds/{round_id}/invitations/").json()
    assert "url" not in listed[0]
    bad = client.post(
        "/api/v1/feedback-rounds/",
        {
            "organisation": personas.org.slug,
            "manager": personas.manager.pk,
            "competences": [999999],
        },
        format="json",
    )
    assert bad.status_code == 400


def test_the_rater_endpoint_works_with_the_token_alone(personas: Any) -> None:
    setup = make_round(personas)
    ((_inv, token),) = invite(setup, "peer", "a@example.org")
    client = _api()  # no sign-in, CSRF enforced: the endpoint needs neither
    form = client.get(f"/api/v1/rate/{token}/")
    assert form.status_code == 200
    data = form.json()
    assert data["manager_name"] == "Maya Manager" and len(data["questions"]) == 4
    assert set(data) == {
        "manager_name",
        "organisation",
        "note",
        "group",
        "line_manager_shown_openly",
        "expires_at",
        "levels",
        "questions",
        "draft",
    }
    assert form["Referrer-Policy"] == "no-referrer"
    node = setup.nodes[0].pk
    saved = client.put(
        f"/api/v1/rate/{token}/draft/",
        {"answers": [{"node": node, "level": 3}], "strengths": "Calm"},
        format="json",
    )
    assert saved.status_code == 200 and saved.json()["draft"]["answers"] == [
        {"node": node, "level": 3}
    ]
    sent = client.post(
        f"/api/v1/rate/{token}/submit/",
        {
            "answers": [{"node": node, "level": 3}, {"node": setup.nodes[1].pk, "level": None}],
            "develop": "Delegate",
        },
        format="json",
    )
    assert sent.status_code == 200, sent.content
    assert FeedbackResponse.objects.get().develop == "Delegate"
    again = client.post(
        f"/api/v1/rate/{token}/submit/", {"answers": [{"node": node, "level": 1}]}, format="json"
    )
    assert again.status_code == 409


def test_the_rater_endpoint_refuses_bad_input(personas: Any) -> None:
    setup = make_round(personas)
    ((_inv, token),) = invite(setup, "peer", "a@example.org")
    client = _api()
    node = setup.nodes[0].pk
    assert (
        client.post(
            f"/api/v1/rate/{token}/submit/",
            {"answers": [{"node": node, "level": 7}]},
            format="json",
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"/api/v1/rate/{token}/submit/",
            {"answers": [{"node": 999999, "level": 2}]},
            format="json",
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"/api/v1/rate/{token}/submit/", {"develop": "x" * 2001}, format="json"
        ).status_code
        == 400
    )
    skipped = client.post(
        f"/api/v1/rate/{token}/submit/", {"answers": [{"node": node, "level": None}]}, format="json"
    )
    assert skipped.status_code == 400
    assert not FeedbackResponse.objects.exists()


def test_the_rater_endpoint_answers_unknown_expired_and_revoked_tokens(personas: Any) -> None:
    from waymark.feedback.services import invitation_revoke

    from .factories import expire

    setup = make_round(personas)
    ((a, token_a), (b, token_b)) = invite(setup, "peer", "a@example.org", "b@example.org")
    client = _api()
    unknown = client.get(f"/api/v1/rate/{secrets.token_urlsafe(32)}/")
    assert unknown.status_code == 404 and "Maya" not in unknown.content.decode()
    expire(a)
    assert client.get(f"/api/v1/rate/{token_a}/").status_code == 410
    invitation_revoke(actor=personas.manager, invitation=b)
    assert client.get(f"/api/v1/rate/{token_b}/").status_code == 410


def test_the_rater_endpoint_is_rate_limited(personas: Any, settings: Any) -> None:
    settings.FEEDBACK_RATE_LIMIT = "2/m"
    client = _api()
    guess = secrets.token_urlsafe(32)
    assert [client.get(f"/api/v1/rate/{guess}/").status_code for _i in range(3)] == [404, 404, 429]


def test_the_manager_revokes_and_reminds_through_the_api(
    personas: Any, mailoutbox: list[Any]
) -> None:
    setup = make_round(personas)
    ((a, token_a), (b, _token_b)) = invite(setup, "peer", "a@example.org", "b@example.org")
    client = _api(personas.manager)
    revoked = client.post(
        f"/api/v1/feedback-rounds/{setup.round.pk}/revoke/", {"invitation": a.pk}, format="json"
    )
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert _api().get(f"/api/v1/rate/{token_a}/").status_code == 410
    reminded = client.post(
        f"/api/v1/feedback-rounds/{setup.round.pk}/remind/", {"invitation": b.pk}, format="json"
    )
    assert reminded.status_code == 200 and reminded.json()["reminders_sent"] == 1
    assert len(mailoutbox) == 1
    supervise(personas)
    assert (
        _api(personas.supervisor)
        .post(
            f"/api/v1/feedback-rounds/{setup.round.pk}/revoke/", {"invitation": b.pk}, format="json"
        )
        .status_code
        == 403
    )
