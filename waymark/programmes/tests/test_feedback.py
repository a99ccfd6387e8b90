"""Session feedback (evaluation level 1, reactions): once per participant who attended,
shown only in aggregate and only from five responses or more."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from waymark.accounts.models import User
from waymark.conftest import Personas
from waymark.core.tests.factories import MembershipFactory, UserFactory

from ..models import Attendance, Participant, SessionFeedback
from ..selectors import programme_reactions, session_reactions
from ..services import FeedbackInput, attendance_record, feedback_submit
from .factories import Setup, make_programme

pytestmark = pytest.mark.django_db


def _attended(p: Personas, n: int) -> tuple[Setup, list[User]]:
    people: list[User] = [p.manager]
    for i in range(n - 1):
        u: User = UserFactory.create(full_name=f"Participant {i}")
        MembershipFactory(organisation=p.org, user=u)
        people.append(u)
    setup = make_programme(p.org, participants=tuple(people))
    marks = {pl.pk: "present" for pl in Participant.objects.filter(cohort=setup.cohort)}
    attendance_record(actor=p.ld_lead, session=setup.session, marks=marks)
    return setup, people


def test_a_participant_who_attended_gives_feedback_once(personas: Personas) -> None:
    setup, _people = _attended(personas, 1)
    data = FeedbackInput(usefulness=4, met_needs=5, will_use="The change curve")
    feedback_submit(actor=personas.manager, session=setup.session, data=data)
    with pytest.raises(ValidationError) as e:
        feedback_submit(actor=personas.manager, session=setup.session, data=data)
    assert "already given feedback" in str(e.value)
    assert SessionFeedback.objects.count() == 1


def test_someone_marked_absent_cannot_give_feedback(personas: Personas) -> None:
    setup, _people = _attended(personas, 1)
    Attendance.objects.update(status="absent")
    with pytest.raises(ValidationError) as e:
        feedback_submit(
            actor=personas.manager,
            session=setup.session,
            data=FeedbackInput(usefulness=4, met_needs=4),
        )
    assert "Only participants who attended" in str(e.value)


def test_fewer_than_five_responses_are_suppressed_comments_too(personas: Personas) -> None:
    setup, people = _attended(personas, 4)
    for u in people:
        feedback_submit(
            actor=u,
            session=setup.session,
            data=FeedbackInput(usefulness=5, met_needs=4, improve="More breaks"),
        )
    reactions = session_reactions(setup.session)
    assert reactions.responses == 4 and reactions.suppressed
    assert reactions.usefulness == {} and reactions.improve == []
    page = personas.client_for(personas.ld_lead).get(
        f"/o/{personas.org.slug}/programmes/{setup.programme.pk}/sessions/{setup.session.pk}/"
    )
    html = page.content.decode()
    assert "4 responses so far" in html and "More breaks" not in html


def test_five_responses_are_shown_in_aggregate_without_names(personas: Personas) -> None:
    setup, people = _attended(personas, 5)
    for i, u in enumerate(people):
        feedback_submit(
            actor=u,
            session=setup.session,
            data=FeedbackInput(usefulness=i % 5 + 1, met_needs=4, will_use=f"Idea {i}"),
        )
    reactions = session_reactions(setup.session)
    assert not reactions.suppressed
    assert reactions.usefulness == {1: 1, 2: 1, 3: 1, 4: 1, 5: 1}
    assert str(reactions.usefulness_mean) == "3.0"
    assert reactions.will_use == [f"Idea {i}" for i in range(5)]
    assert programme_reactions(setup.programme).responses == 5
    html = (
        personas.client_for(personas.ld_lead)
        .get(f"/o/{personas.org.slug}/programmes/{setup.programme.pk}/")
        .content.decode()
    )
    assert "Idea 3" in html
    assert "Maya Manager" in html  # as a participant of the cohort …
    assert "Participant 0" in html
    # … but nothing ties an answer to a name: comments are listed apart, sorted.
    assert html.index("Idea 0") > html.index('id="reactions"')


def test_the_feedback_form_keeps_what_was_typed_when_a_score_is_missing(
    personas: Personas,
) -> None:
    setup, _people = _attended(personas, 1)
    url = (
        f"/o/{personas.org.slug}/programmes/{setup.programme.pk}/"
        f"sessions/{setup.session.pk}/feedback/"
    )
    client = personas.client_for(personas.manager)
    response = client.post(url, {"usefulness": "4", "will_use": "Rota planning"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose how well it met your needs, from 1 to 5" in html
    assert "Rota planning" in html
    assert not SessionFeedback.objects.exists()
    response = client.post(url, {"usefulness": "4", "met_needs": "3"})
    assert response.status_code == 302
    assert SessionFeedback.objects.count() == 1


def test_my_programmes_lists_feedback_due(personas: Personas) -> None:
    _setup, _people = _attended(personas, 1)
    client = personas.client_for(personas.manager)
    html = client.get(f"/o/{personas.org.slug}/programmes/mine/").content.decode()
    assert "Your feedback on Leading change" in html
    dashboard = client.get(f"/o/{personas.org.slug}/").content.decode()
    assert "1 session is waiting for your feedback" in dashboard


def test_the_feedback_page_says_when_feedback_was_already_given(personas: Personas) -> None:
    setup, _people = _attended(personas, 1)
    feedback_submit(
        actor=personas.manager, session=setup.session, data=FeedbackInput(usefulness=3, met_needs=3)
    )
    url = (
        f"/o/{personas.org.slug}/programmes/{setup.programme.pk}/"
        f"sessions/{setup.session.pk}/feedback/"
    )
    response = personas.client_for(personas.manager).get(url, follow=True)
    assert "already given feedback" in response.content.decode()
