"""The anonymity rule on every surface: a group is shown only with at least
FEEDBACK_MIN_GROUP responses (the line manager openly); small groups are merged into
"Other raters" or withheld, with a reason; comments unnamed and alphabetical; nothing
anywhere joins an answer to a rater."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from waymark.assessment.tests.factories import make_assessment, rate_all
from waymark.core.tests.factories import UserFactory
from waymark.feedback.models import FeedbackAnswer, FeedbackResponse, RaterInvitation
from waymark.feedback.selectors import round_results

from .factories import close, make_round, respond, supervise

pytestmark = pytest.mark.django_db

WITHHELD = "Secret words from a carer"
MERGED = "Words from a partner agency"


@pytest.fixture
def merged(personas: Any) -> Any:
    """Line manager 1, peers 3, staff 2 and partners 1 (merged: 3), closed."""
    setup = make_round(personas)
    respond(setup, "line-manager", [[3, 3, 3, 3]], ["Line manager words"])
    respond(setup, "peer", [[2, 2, 2, 2]] * 3, ["Zebra crossing", "apple pie", "Mango season"])
    respond(setup, "staff", [[1, 1, 1, 1]] * 2)
    respond(setup, "partner", [[4, 4, 4, 4]], [MERGED])
    close(setup)
    return setup


@pytest.fixture
def withheld(personas: Any) -> Any:
    """Line manager 1, peers 3, people who use services and carers 2 (withheld), closed;
    the manager has a completed self-assessment."""
    setup = make_round(personas)
    assessment = make_assessment(
        organisation=personas.org, manager=personas.manager, revision=setup.revision
    )
    rate_all(assessment, [4, 4, 1, 2], setup.nodes, submit=True)
    respond(setup, "line-manager", [[2, 2, 3, 2]])
    respond(setup, "peer", [[2, 2, 3, 2]] * 3)
    respond(setup, "service-user", [[0, 0, 0, 0]] * 2, [WITHHELD, WITHHELD + " again"])
    close(setup)
    return setup


def _results_url(personas: Any, setup: Any) -> str:
    return reverse(
        "feedback:results",
        kwargs={
            "org_slug": personas.org.slug,
            "person_id": personas.manager.pk,
            "round_id": setup.round.pk,
        },
    )


def test_small_groups_are_merged_into_other_raters_and_the_page_says_why(
    personas: Any, merged: Any
) -> None:
    found = round_results(merged.round)
    assert [c.key for c in found.columns] == ["line-manager", "peer", "others"]
    assert found.columns[2].responses == 3
    html = (
        personas.client_for(personas.manager).get(_results_url(personas, merged)).content.decode()
    )
    assert (
        "2 responses from staff they manage are included in “Other raters” so that no one can be identified."
        in html
    )
    assert "1 response from partner agencies is included in “Other raters”" in html
    assert "Line manager: 1 response, shown as theirs" in html


def test_a_group_too_small_even_merged_is_withheld_everywhere(personas: Any, withheld: Any) -> None:
    found = round_results(withheld.round)
    assert [c.key for c in found.columns] == ["line-manager", "peer"]
    # The withheld zeros count nowhere: others' mean is the shown groups' alone.
    assert found.rows[0].others_mean == 2
    html = (
        personas.client_for(personas.manager).get(_results_url(personas, withheld)).content.decode()
    )
    assert "2 responses from people who use services and carers are not shown" in html
    assert WITHHELD not in html


def test_comments_are_unnamed_and_alphabetical_not_in_the_order_they_came(
    personas: Any, merged: Any
) -> None:
    found = round_results(merged.round)
    peers = [c.text for c in found.strengths if c.column == "peer"]
    assert peers == ["apple pie", "Mango season", "Zebra crossing"]
    html = (
        personas.client_for(personas.manager).get(_results_url(personas, merged)).content.decode()
    )
    assert html.index("apple pie") < html.index("Mango season") < html.index("Zebra crossing")
    assert "peer0@raters.example" not in html and "@raters.example" not in html


def test_a_group_mean_for_a_competence_needs_enough_raters_who_could_judge_it(
    personas: Any,
) -> None:
    setup = make_round(personas)
    respond(setup, "peer", [[4, 2, 2, 2], [None, 2, 2, 2], [None, 2, 2, 2]])
    close(setup)
    found = round_results(setup.round)
    first = found.row_for(setup.nodes[0].pk)
    assert first is not None
    assert not first.cells["peer"].shown and first.others_mean is None
    html = personas.client_for(personas.manager).get(_results_url(personas, setup)).content.decode()
    assert "Too few answers to show" in html


def test_blind_spots_and_hidden_strengths_are_named(personas: Any, withheld: Any) -> None:
    found = round_results(withheld.round)
    assert [r.node.pk for r in found.blind_spots] == [withheld.nodes[0].pk, withheld.nodes[1].pk]
    assert [r.node.pk for r in found.hidden_strengths] == [withheld.nodes[2].pk]
    html = (
        personas.client_for(personas.manager).get(_results_url(personas, withheld)).content.decode()
    )
    assert "Blind spot" in html and "Hidden strength" in html


def test_the_gap_analysis_shows_others_views_with_the_same_rule(
    personas: Any, withheld: Any
) -> None:
    assessment = withheld.revision.self_assessments.get()
    url = reverse(
        "assessment:gaps",
        kwargs={
            "org_slug": personas.org.slug,
            "person_id": personas.manager.pk,
            "assessment_id": assessment.pk,
        },
    )
    supervise(personas)
    for viewer in (personas.manager, personas.supervisor):
        html = personas.client_for(viewer).get(url).content.decode()
        assert "How others see it" in html
        assert "2 responses from people who use services and carers are not shown" in html
        assert WITHHELD not in html


def test_the_api_results_apply_the_same_rule(personas: Any, withheld: Any) -> None:
    client = personas.client_for(personas.manager)
    data = client.get(f"/api/v1/feedback-rounds/{withheld.round.pk}/results/").json()
    assert [c["key"] for c in data["shown"]] == ["line-manager", "peer"]
    assert "not shown" in data["not_shown"][0]
    text = json.dumps(data)
    assert WITHHELD not in text and "service-user" not in [
        g["group"] for r in data["competences"] for g in r["groups"]
    ]
    invitations = client.get(f"/api/v1/feedback-rounds/{withheld.round.pk}/invitations/").json()
    assert all(
        set(i) == {"id", "group", "email", "name", "status", "reminders_sent", "expires_at"}
        for i in invitations
    )


def test_the_records_export_holds_no_rater_answers(personas: Any, withheld: Any) -> None:
    url = reverse(
        "records:record_data",
        kwargs={"org_slug": personas.org.slug, "person_id": personas.manager.pk},
    )
    response = personas.client_for(personas.manager).get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode()
    assert WITHHELD not in text and "@raters.example" not in text


def test_the_admin_shows_counts_only_and_no_answers_or_invitations(
    personas: Any, withheld: Any
) -> None:
    from django.test import Client

    admin_user = UserFactory.create(email="root@example.org", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin_user)
    listing = client.get("/admin/feedback/feedbackround/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert WITHHELD not in html and "@raters.example" not in html
    for model in ("feedbackresponse", "feedbackanswer", "raterinvitation"):
        assert client.get(f"/admin/feedback/{model}/").status_code == 404
    detail = client.get(
        f"/admin/feedback/feedbackround/{withheld.round.pk}/change/"
    ).content.decode()
    assert WITHHELD not in detail and "@raters.example" not in detail


def test_no_stored_field_joins_a_response_to_an_invitation(withheld: Any) -> None:
    response_fields = {f.name for f in FeedbackResponse._meta.concrete_fields}
    answer_fields = {f.name for f in FeedbackAnswer._meta.concrete_fields}
    assert response_fields == {"id", "round", "group", "strengths", "develop"}
    assert answer_fields == {"id", "response", "node", "level"}
    # Random keys: no id order to line up with the order invitations were submitted.
    assert FeedbackResponse._meta.pk.get_internal_type() == "UUIDField"
    assert FeedbackAnswer._meta.pk.get_internal_type() == "UUIDField"
    assert all(i.draft == {} for i in RaterInvitation.objects.filter(submitted_at__isnull=False))


def test_the_invitation_page_shows_status_never_answers(personas: Any, merged: Any) -> None:
    url = reverse(
        "feedback:round",
        kwargs={
            "org_slug": personas.org.slug,
            "person_id": personas.manager.pk,
            "round_id": merged.round.pk,
        },
    )
    html = personas.client_for(personas.manager).get(url).content.decode()
    assert "peer0@raters.example" not in html or "Answered" in html
    assert "apple pie" not in html and MERGED not in html


def test_results_wait_for_the_round_to_close(personas: Any) -> None:
    setup = make_round(personas)
    respond(setup, "peer", [[2, 2, 2, 2]] * 3, ["Early words"])
    html = personas.client_for(personas.manager).get(_results_url(personas, setup)).content.decode()
    assert "Early words" not in html and "not ready yet" in html
    api = personas.client_for(personas.manager).get(
        f"/api/v1/feedback-rounds/{setup.round.pk}/results/"
    )
    assert api.status_code == 409
