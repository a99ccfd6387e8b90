"""Starting, saving and submitting a self-assessment: one open round at a time, ratings
only for the competences of the round's PMS revision, submit only when complete, with
nothing lost on the way; every change audited."""

from __future__ import annotations

import pytest

from waymark.conftest import Personas
from waymark.core.models import AuditEvent

from ..models import Rating, SelfAssessment
from ..services import (
    EVIDENCE_MAX_LENGTH,
    AssessmentError,
    RatingInput,
    assessment_save,
    assessment_start,
    assessment_submit,
)
from .factories import make_framework, make_node, make_pms

pytestmark = pytest.mark.django_db


@pytest.fixture
def nodes(personas: Personas) -> list:
    _e, _d, outcomes = make_framework("SV", domains=2, outcomes=2)
    make_pms(personas.manager, personas.org, outcomes, expected=3, importance=2)
    return outcomes


def test_a_manager_starts_a_round_against_her_current_pms_revision(
    personas: Personas, nodes: list
) -> None:
    assessment = assessment_start(actor=personas.manager, organisation=personas.org)
    assert assessment.manager == personas.manager
    assert assessment.revision.specification.current_id == assessment.revision_id
    assert not assessment.is_submitted
    event = AuditEvent.objects.get(action="assessment.start")
    assert event.actor == personas.manager and event.organisation == personas.org


def test_only_one_round_is_open_at_a_time(personas: Personas, nodes: list) -> None:
    first = assessment_start(actor=personas.manager, organisation=personas.org)
    with pytest.raises(AssessmentError, match="already have a self-assessment in progress"):
        assessment_start(actor=personas.manager, organisation=personas.org)
    assessment_save(
        actor=personas.manager,
        assessment=first,
        ratings={n.pk: RatingInput(level=2) for n in nodes},
    )
    assessment_submit(actor=personas.manager, assessment=first)
    second = assessment_start(actor=personas.manager, organisation=personas.org)
    assert second.pk != first.pk
    assert SelfAssessment.objects.filter(manager=personas.manager).count() == 2


def test_a_round_needs_a_pms_with_competences(personas: Personas) -> None:
    with pytest.raises(AssessmentError, match="do not have a person management specification"):
        assessment_start(actor=personas.manager, organisation=personas.org)
    make_pms(personas.manager, personas.org, [])
    with pytest.raises(AssessmentError, match="has no competences yet"):
        assessment_start(actor=personas.manager, organisation=personas.org)
    assert not SelfAssessment.objects.exists()


def test_saving_part_way_keeps_earlier_answers(personas: Personas, nodes: list) -> None:
    assessment = assessment_start(actor=personas.manager, organisation=personas.org)
    a, b, c, _d = nodes
    assessment_save(
        actor=personas.manager,
        assessment=assessment,
        ratings={
            a.pk: RatingInput(level=1, evidence="Led the team meeting"),
            b.pk: RatingInput(level=None),
        },
    )
    changed = assessment_save(
        actor=personas.manager, assessment=assessment, ratings={c.pk: RatingInput(level=4)}
    )
    assert changed == 1
    saved = {r.node_id: (r.level, r.evidence) for r in Rating.objects.filter(assessment=assessment)}
    # "Not sure yet" with no note stores nothing; the first answer is still there.
    assert saved == {a.pk: (1, "Led the team meeting"), c.pk: (4, "")}
    event = AuditEvent.objects.filter(action="assessment.save").latest("pk")
    assert event.changes == {c.code: [None, 4]}
    # Evidence notes stay out of the audit trail.
    assert not AuditEvent.objects.filter(changes__icontains="team meeting").exists()


def test_ratings_are_only_accepted_for_competences_of_the_revision(
    personas: Personas, nodes: list
) -> None:
    assessment = assessment_start(actor=personas.manager, organisation=personas.org)
    stranger = make_node(code="ELSEWHERE.1", parent=None)
    with pytest.raises(AssessmentError) as caught:
        assessment_save(
            actor=personas.manager,
            assessment=assessment,
            ratings={nodes[0].pk: RatingInput(level=2), stranger.pk: RatingInput(level=3)},
        )
    assert (
        "ELSEWHERE.1 is not a competence of the person management specification"
        in caught.value.message
    )
    assert caught.value.unknown == [stranger.pk]
    assert not Rating.objects.exists()  # nothing half-saved


def test_a_level_outside_the_scale_and_an_overlong_note_are_refused(
    personas: Personas, nodes: list
) -> None:
    assessment = assessment_start(actor=personas.manager, organisation=personas.org)
    with pytest.raises(AssessmentError) as caught:
        assessment_save(
            actor=personas.manager,
            assessment=assessment,
            ratings={
                nodes[0].pk: RatingInput(level=7),
                nodes[1].pk: RatingInput(level=2, evidence="x" * (EVIDENCE_MAX_LENGTH + 1)),
            },
        )
    assert set(caught.value.problems) == {nodes[0].pk, nodes[1].pk}
    assert "Choose one of the levels for SV1.01" in caught.value.problems[nodes[0].pk]
    assert "5,000 characters or fewer (it has 5,001)" in caught.value.problems[nodes[1].pk]
    assert not Rating.objects.exists()


def test_a_half_finished_round_cannot_be_submitted_and_loses_nothing(
    personas: Personas, nodes: list
) -> None:
    assessment = assessment_start(actor=personas.manager, organisation=personas.org)
    a, b, c, d = nodes
    assessment_save(
        actor=personas.manager,
        assessment=assessment,
        ratings={
            a.pk: RatingInput(level=3, evidence="Supervision notes"),
            c.pk: RatingInput(level=None, evidence="Ask Sam"),
        },
    )
    with pytest.raises(AssessmentError) as caught:
        assessment_submit(actor=personas.manager, assessment=assessment)
    assert caught.value.message.startswith("You have not rated 3 competences yet.")
    assert [n.code for n in caught.value.missing] == [b.code, c.code, d.code]
    assessment.refresh_from_db()
    assert not assessment.is_submitted
    saved = {r.node_id: (r.level, r.evidence) for r in Rating.objects.filter(assessment=assessment)}
    assert saved == {a.pk: (3, "Supervision notes"), c.pk: (None, "Ask Sam")}
    assert not AuditEvent.objects.filter(action="assessment.submit").exists()


def test_a_complete_round_is_submitted_with_its_date_and_then_kept_as_it_was(
    personas: Personas, nodes: list
) -> None:
    assessment = assessment_start(actor=personas.manager, organisation=personas.org)
    assessment_save(
        actor=personas.manager,
        assessment=assessment,
        ratings={n.pk: RatingInput(level=i % 5) for i, n in enumerate(nodes)},
    )
    assessment_submit(actor=personas.manager, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.submitted_at is not None
    assert AuditEvent.objects.filter(
        action="assessment.submit", object_id=str(assessment.pk)
    ).exists()
    with pytest.raises(AssessmentError, match="can no longer be changed"):
        assessment_save(
            actor=personas.manager,
            assessment=assessment,
            ratings={nodes[0].pk: RatingInput(level=4)},
        )
    with pytest.raises(AssessmentError, match="can no longer be changed"):
        assessment_submit(actor=personas.manager, assessment=assessment)
    assert Rating.objects.get(assessment=assessment, node=nodes[0]).level == 0


def test_nobody_else_changes_a_managers_self_assessment(personas: Personas, nodes: list) -> None:
    assessment = assessment_start(actor=personas.manager, organisation=personas.org)
    for other in (personas.supervisor, personas.ld_lead, personas.admin):
        with pytest.raises(AssessmentError, match="Only the manager"):
            assessment_save(
                actor=other, assessment=assessment, ratings={nodes[0].pk: RatingInput(level=1)}
            )
        with pytest.raises(AssessmentError, match="Only the manager"):
            assessment_submit(actor=other, assessment=assessment)
    assert not Rating.objects.exists()
