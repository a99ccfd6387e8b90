from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from waymark.core.models import AuditEvent
from waymark.feedback import services
from waymark.feedback.models import FeedbackRound, RaterInvitation
from waymark.feedback.selectors import rounds_ready_for

from .factories import close, invite, make_round, respond, supervise

pytestmark = pytest.mark.django_db


def _url(personas: Any, name: str, **kw: Any) -> str:
    return reverse(
        f"feedback:{name}",
        kwargs={"org_slug": personas.org.slug, "person_id": personas.manager.pk, **kw},
    )


def test_a_manager_starts_a_round_on_her_current_pms_with_every_competence_by_default(
    personas: Any,
) -> None:
    setup = make_round(personas)
    assert setup.round.revision == setup.revision
    assert setup.round.competences.count() == 4
    assert AuditEvent.objects.filter(action="feedback.round_create").exists()


def test_the_start_page_chooses_competences_and_keeps_what_was_typed_on_error(
    personas: Any,
) -> None:
    setup = make_round(personas)
    client = personas.client_for(personas.manager)
    page = client.get(_url(personas, "round_start"))
    assert page.status_code == 200
    assert page.content.decode().count('name="competences"') == 4
    first = setup.revision.competences.first()
    assert first is not None
    bad = client.post(
        _url(personas, "round_start"),
        {"competences": [first.pk], "note": "Hello raters", "closes_on": "31/2/2020"},
    )
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "Enter a real date" in html
    assert "Hello raters" in html
    good = client.post(
        _url(personas, "round_start"),
        {
            "competences": [first.pk],
            "note": "Hello raters",
            "closes_on": (timezone.localdate() + datetime.timedelta(days=10)).strftime("%d/%m/%Y"),
        },
    )
    assert good.status_code == 302
    newest = FeedbackRound.objects.order_by("-pk").first()
    assert newest is not None and list(newest.competences.all()) == [first]


def test_choosing_no_competence_is_refused_with_a_message(personas: Any) -> None:
    make_round(personas)
    client = personas.client_for(personas.manager)
    page = client.post(_url(personas, "round_start"), {"note": "", "closes_on": "1/1/2099"})
    assert "Choose at least one competence" in page.content.decode()


def test_the_ld_lead_may_start_a_round_for_the_manager_but_the_supervisor_may_not(
    personas: Any,
) -> None:
    make_round(personas)
    supervise(personas)
    assert (
        personas.client_for(personas.ld_lead).get(_url(personas, "round_start")).status_code == 200
    )
    assert (
        personas.client_for(personas.supervisor).get(_url(personas, "round_start")).status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        services.round_create(
            actor=personas.supervisor,
            organisation=personas.org,
            manager=personas.manager,
            relations={"supervisor"},
        )


def test_inviting_reports_bad_lines_by_number_and_loses_nothing(personas: Any) -> None:
    setup = make_round(personas)
    client = personas.client_for(personas.manager)
    text = "Jo Peer, jo@example.org\nnot-an-email\nKim <kim@example.org>"
    page = client.post(
        _url(personas, "invite", round_id=setup.round.pk), {"group": "peer", "raters": text}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Line 2" in html and "not-an-email" in html
    assert "kim@example.org" in html  # what was typed is still there
    assert not RaterInvitation.objects.exists()


def test_inviting_several_at_once_shows_each_link_once(
    personas: Any, mailoutbox: list[Any]
) -> None:
    setup = make_round(personas)
    client = personas.client_for(personas.manager)
    page = client.post(
        _url(personas, "invite", round_id=setup.round.pk),
        {"group": "peer", "raters": "Jo Peer, jo@example.org\nKim <kim@example.org>"},
    )
    html = page.content.decode()
    assert html.count("data-rater-link") == 2
    assert len(mailoutbox) == 2
    names = set(RaterInvitation.objects.values_list("name", flat=True))
    assert names == {"Jo Peer", "Kim"}
    # The round page shows who was invited, never a link.
    detail = client.get(_url(personas, "round", round_id=setup.round.pk)).content.decode()
    assert "jo@example.org" in detail and "/rate/" not in detail


def test_inviting_the_same_email_twice_skips_it(personas: Any) -> None:
    setup = make_round(personas)
    invite(setup, "peer", "a@x.example")
    assert invite(setup, "peer", "A@x.example") == []


def test_revoking_a_link_stops_it_and_a_new_link_replaces_the_old(personas: Any) -> None:
    setup = make_round(personas)
    ((inv, token),) = invite(setup, "peer", "a@x.example")
    client = personas.client_for(personas.manager)
    copied = client.post(
        _url(personas, "invitation_link", round_id=setup.round.pk, invitation_id=inv.pk)
    )
    assert copied.status_code == 200 and "data-rater-link" in copied.content.decode()
    from django.test import Client

    assert Client().get(f"/rate/{token}/").status_code == 404  # the old link stopped
    client.post(_url(personas, "invitation_revoke", round_id=setup.round.pk, invitation_id=inv.pk))
    inv.refresh_from_db()
    assert inv.is_revoked


def test_closing_a_round_ends_it_and_shows_results(personas: Any) -> None:
    setup = make_round(personas)
    client = personas.client_for(personas.manager)
    assert client.get(_url(personas, "results", round_id=setup.round.pk)).status_code == 200
    assert (
        "not ready yet"
        in client.get(_url(personas, "results", round_id=setup.round.pk)).content.decode()
    )
    response = client.post(_url(personas, "close", round_id=setup.round.pk))
    assert response.status_code == 302
    setup.round.refresh_from_db()
    assert not setup.round.is_open


def test_rounds_repeat_and_the_results_compare_with_the_previous_round(personas: Any) -> None:
    first = make_round(personas)
    respond(first, "peer", [[2, 2, 2, 2]] * 3)
    close(first)
    second_round = services.round_create(
        actor=personas.manager,
        organisation=personas.org,
        manager=personas.manager,
        relations={"self"},
    )
    first.round = second_round
    respond(first, "peer", [[3, 3, 3, 3]] * 3)
    close(first)
    html = (
        personas.client_for(personas.manager)
        .get(_url(personas, "results", round_id=second_round.pk))
        .content.decode()
    )
    assert "compared with the round started" in html
    assert "Up 1 on average" in html
    assert FeedbackRound.objects.count() == 2


def test_a_round_is_ready_for_the_supervisor_once_results_can_be_shown_until_the_manager_sees_them(
    personas: Any,
) -> None:
    setup = make_round(personas)
    ids = [personas.manager.pk, personas.supervisor.pk]
    respond(setup, "peer", [[2, 2, 2, 2]] * 2)
    assert rounds_ready_for(organisation=personas.org, manager_ids=ids) == {}
    respond(setup, "staff", [[2, 2, 2, 2]])
    assert rounds_ready_for(organisation=personas.org, manager_ids=ids) == {personas.manager.pk: 1}
    close(setup)
    assert rounds_ready_for(organisation=personas.org, manager_ids=ids) == {personas.manager.pk: 1}
    personas.client_for(personas.manager).get(_url(personas, "results", round_id=setup.round.pk))
    assert rounds_ready_for(organisation=personas.org, manager_ids=ids) == {}
    assert rounds_ready_for(organisation=personas.other_org, manager_ids=ids) == {}


def test_a_line_managers_answer_alone_makes_a_round_ready(personas: Any) -> None:
    setup = make_round(personas)
    respond(setup, "line-manager", [[2, 2, 2, 2]])
    assert rounds_ready_for(organisation=personas.org, manager_ids=[personas.manager.pk]) == {
        personas.manager.pk: 1
    }


def test_the_round_list_costs_a_constant_number_of_queries(
    personas: Any, django_assert_max_num_queries: Any
) -> None:
    setup = make_round(personas)
    for _i in range(4):
        services.round_create(
            actor=personas.manager,
            organisation=personas.org,
            manager=personas.manager,
            relations={"self"},
        )
    respond(setup, "peer", [[2, 2, 2, 2]] * 3)
    client = personas.client_for(personas.manager)
    client.get(_url(personas, "round_list"))
    with django_assert_max_num_queries(12):
        assert client.get(_url(personas, "round_list")).status_code == 200


def test_bad_closing_dates_are_refused(personas: Any) -> None:
    make_round(personas)
    with pytest.raises(ValidationError) as e:
        services.round_create(actor=personas.manager, organisation=personas.org, manager=personas.manager,
                              relations={"self"}, closes_on=timezone.localdate())  # fmt: skip
    assert "closes_on" in e.value.message_dict


def test_the_person_page_and_dashboard_link_to_feedback(personas: Any) -> None:
    make_round(personas)
    client = personas.client_for(personas.manager)
    person = client.get(
        reverse(
            "organisations:person",
            kwargs={"org_slug": personas.org.slug, "person_id": personas.manager.pk},
        )
    )
    assert _url(personas, "round_list") in person.content.decode()
    dash = client.get(reverse("organisations:dashboard", kwargs={"org_slug": personas.org.slug}))
    assert "Your 360° feedback" in dash.content.decode()


def test_a_round_has_one_line_manager_so_no_one_else_can_be_singled_out(personas: Any) -> None:
    setup = make_round(personas)
    client = personas.client_for(personas.manager)
    url = _url(personas, "invite", round_id=setup.round.pk)
    two = client.post(url, {"group": "line-manager", "raters": "a@example.org\nb@example.org"})
    assert "A round has one line manager" in two.content.decode()
    assert not RaterInvitation.objects.exists()
    invite(setup, "line-manager", "a@example.org")
    again = client.post(url, {"group": "line-manager", "raters": "b@example.org"})
    assert "A round has one line manager" in again.content.decode()
    assert RaterInvitation.objects.count() == 1


def test_the_round_and_results_pages_cost_a_constant_number_of_queries(
    personas: Any, django_assert_max_num_queries: Any
) -> None:
    setup = make_round(personas, domains=4, outcomes=5)
    respond(setup, "peer", [[2] * 20] * 4, ["a", "b", "c", "d"])
    respond(setup, "staff", [[3] * 20] * 2)
    client = personas.client_for(personas.manager)
    with django_assert_max_num_queries(14):
        assert client.get(_url(personas, "round", round_id=setup.round.pk)).status_code == 200
    close(setup)
    client.get(_url(personas, "results", round_id=setup.round.pk))
    with django_assert_max_num_queries(22):
        assert client.get(_url(personas, "results", round_id=setup.round.pk)).status_code == 200
