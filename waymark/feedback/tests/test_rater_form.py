from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from waymark.core.models import AuditEvent
from waymark.feedback import services
from waymark.feedback.models import FeedbackAnswer, FeedbackResponse, RaterInvitation

from .factories import invite, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def rater(personas: Any) -> Any:
    setup = make_round(personas)
    inv, token = invite(setup, "service-user", "carer@example.org")[0]
    return setup, inv, token


def test_the_form_introduces_the_manager_and_her_note_and_explains_anonymity(rater: Any) -> None:
    _setup, _inv, token = rater
    html = Client().get(f"/rate/{token}/").content.decode()
    assert "Tell me about team meetings" in html
    assert "shown without your name" in html
    assert "I can&#x27;t judge this" in html or "I can't judge this" in html
    assert html.count('type="radio"') == 4 * 6
    assert "Save and finish later" in html


def test_a_line_manager_is_told_their_view_is_shown_as_theirs(personas: Any) -> None:
    setup = make_round(personas)
    _inv, token = invite(setup, "line-manager", "boss@example.org")[0]
    html = Client().get(f"/rate/{token}/").content.decode()
    assert "shown as the line manager" in html


def test_a_rater_saves_part_way_and_comes_back_to_their_answers(rater: Any) -> None:
    setup, inv, token = rater
    client = Client()
    node = setup.nodes[0]
    saved = client.post(
        f"/rate/{token}/", {"action": "save", f"level_{node.pk}": "3", "strengths": "Kind"}
    )
    assert "Your answers are saved" in saved.content.decode()
    inv.refresh_from_db()
    assert inv.draft["levels"] == {str(node.pk): 3}
    again = client.get(f"/rate/{token}/").content.decode()
    assert 'value="3" checked' in again and "Kind" in again
    assert not FeedbackResponse.objects.exists()
    # Saving is not audited: the audit trail would tell an administrator someone started.
    assert not AuditEvent.objects.filter(object_id=str(inv.pk), action__contains="draft").exists()


def test_a_score_outside_the_scale_is_refused_and_what_was_typed_kept(rater: Any) -> None:
    setup, inv, token = rater
    node = setup.nodes[0]
    response = Client().post(
        f"/rate/{token}/", {"action": "check", f"level_{node.pk}": "7", "strengths": "Listens well"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose one of the levels shown" in html
    assert "Listens well" in html
    with pytest.raises(ValidationError):
        services.rater_save_draft(invitation=inv, answers=services.Answers(levels={node.pk: 9}))


def test_an_over_long_comment_is_refused_with_a_message(rater: Any) -> None:
    _setup, _inv, token = rater
    response = Client().post(f"/rate/{token}/", {"action": "check", "develop": "x" * 2001})
    html = response.content.decode()
    assert "2000 characters or fewer" in html
    assert "govuk-error-summary" in html


def test_sending_with_everything_skipped_is_refused(rater: Any) -> None:
    setup, _inv, token = rater
    client = Client()
    na = {f"level_{n.pk}": "na" for n in setup.nodes}
    client.post(f"/rate/{token}/", {"action": "check", **na})
    response = client.post(f"/rate/{token}/check/")
    assert "Answer at least one question or write a comment" in response.content.decode()
    assert not FeedbackResponse.objects.exists()


def test_comments_alone_may_be_sent(rater: Any) -> None:
    _setup, _inv, token = rater
    client = Client()
    client.post(f"/rate/{token}/", {"action": "check", "strengths": "Always on time"})
    client.post(f"/rate/{token}/check/")
    assert FeedbackResponse.objects.get().strengths == "Always on time"


def test_sending_records_an_unlinked_response_and_deletes_the_draft(rater: Any) -> None:
    setup, inv, token = rater
    client = Client()
    answers = {f"level_{n.pk}": str(i % 5) for i, n in enumerate(setup.nodes)}
    answers[f"level_{setup.nodes[3].pk}"] = "na"
    checked = client.post(
        f"/rate/{token}/", {"action": "check", **answers, "develop": "Delegate more"}
    )
    assert checked.status_code == 302
    summary = client.get(checked["Location"]).content.decode()
    assert "Check your answers before sending" in summary and "Delegate more" in summary
    done = client.post(f"/rate/{token}/check/")
    assert "Feedback sent" in done.content.decode()
    inv.refresh_from_db()
    assert inv.submitted_at is not None and inv.draft == {}
    response = FeedbackResponse.objects.get()
    assert response.group == "service-user" and response.develop == "Delegate more"
    assert {f.name for f in FeedbackResponse._meta.get_fields()} == {
        "id",
        "round",
        "group",
        "strengths",
        "develop",
        "answers",
    }
    assert FeedbackAnswer.objects.filter(response=response, level__isnull=True).count() == 1
    assert not any(
        f.is_relation and f.related_model is RaterInvitation
        for f in FeedbackResponse._meta.get_fields()
    )


def test_the_form_works_by_the_submit_buttons_only_no_script_needed(rater: Any) -> None:
    _setup, _inv, token = rater
    html = Client().get(f"/rate/{token}/").content.decode()
    assert 'name="action" value="check"' in html and 'name="action" value="save"' in html
