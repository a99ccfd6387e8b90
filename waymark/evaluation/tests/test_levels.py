"""The five levels' evidence: level 2 computed exactly on a known population, and
every group figure suppressed below five people."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from waymark.assessment.models import SelfAssessment
from waymark.conftest import Personas
from waymark.programmes.models import Participant, Session, SessionFeedback

from .. import selectors
from ..models import ApplicationRating, StakeholderView
from .factories import (
    add_participant,
    completed_round,
    make_evaluation,
    make_programme,
    manager_in,
)

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 10)
END = datetime.date(2026, 10, 10)
DAY = datetime.timedelta(days=1)

# (change on MM1.01, on MM1.02, on MM2.01) for each of five participants.
CHANGES = [(1, 1, 0), (2, 0, 1), (0, 0, 2), (1, 0, 1), (3, 1, -1)]


@pytest.fixture
def population(personas: Personas) -> Any:
    org = personas.org
    programme, module, domains, outcomes = make_programme(org, start=START, end=END)
    mm101, mm102, mm201, mm202 = outcomes
    people = []
    for i, (a, b, c) in enumerate(CHANGES):
        person = manager_in(org, f"Participant {i}")
        add_participant(programme, person)
        # An older round before (ignored: the latest one before counts) ...
        completed_round(org, person, {mm101: 0, mm102: 0, mm201: 0}, START - 200 * DAY)
        # ... the latest round before the start ...
        completed_round(org, person, {mm101: 1, mm102: 1, mm201: 2, mm202: 0}, START - 5 * DAY)
        # ... a round during the programme (neither before nor after) ...
        completed_round(org, person, {mm101: 4, mm102: 4, mm201: 4}, START + 30 * DAY)
        # ... the first round after the end (MM2.02 is not addressed by the programme) ...
        completed_round(
            org, person, {mm101: 1 + a, mm102: 1 + b, mm201: 2 + c, mm202: 4}, END + 3 * DAY
        )
        # ... and a later one (ignored: the first one after counts).
        completed_round(org, person, {mm101: 0, mm102: 0, mm201: 0}, END + 60 * DAY)
        people.append(person)
    # A participant with no round after: not counted.
    late = manager_in(org, "Participant late")
    add_participant(programme, late)
    completed_round(org, late, {mm101: 0, mm102: 0, mm201: 0}, START - DAY)
    # Someone outside the programme with both rounds: not counted.
    other = manager_in(org, "Not a participant")
    completed_round(org, other, {mm101: 0}, START - DAY)
    completed_round(org, other, {mm101: 4}, END + DAY)
    return programme, module, domains, people


def test_level_two_is_the_mean_change_per_domain_and_overall(
    personas: Personas, population: Any
) -> None:
    programme, *_ = population
    result = selectors.learning(make_evaluation(personas.org, programme=programme))
    assert not result.suppressed
    assert (result.people, result.eligible) == (5, 6)
    by_code = {d.node.code: d for d in result.domains}
    assert set(by_code) == {"MM1", "MM2"}
    # MM1: per person the mean of the MM1.01 and MM1.02 changes: 1, 1, 0, 0.5, 2 -> 0.9
    assert by_code["MM1"].mean_change == Decimal("0.90")
    # MM2 (only MM2.01 is addressed): 0, 1, 2, 1, -1 -> 0.6
    assert by_code["MM2"].mean_change == Decimal("0.60")
    # Overall, per person the mean of three changes: 2/3, 1, 2/3, 2/3, 1 -> 0.8
    assert result.overall == Decimal("0.80")


def test_level_two_uses_a_chosen_after_date(personas: Personas, population: Any) -> None:
    programme, *_ = population
    # Counting from END + 10 days, the first round after is the all-zero one.
    evaluation = make_evaluation(personas.org, programme=programme, learning_after=END + 10 * DAY)
    result = selectors.learning(evaluation)
    by_code = {d.node.code: d.mean_change for d in result.domains}
    assert by_code == {"MM1": Decimal("-1.00"), "MM2": Decimal("-2.00")}
    assert result.overall == Decimal("-1.33")


def test_level_two_of_a_module_counts_its_competences(personas: Personas, population: Any) -> None:
    programme, module, *_ = population
    result = selectors.learning(make_evaluation(personas.org, programme=programme, module=module))
    # Without sessions, the module's dates are the programme's.
    assert result.people == 5
    assert result.overall == Decimal("0.80")


def test_level_two_is_suppressed_below_five_people(personas: Personas, population: Any) -> None:
    programme, _module, _domains, people = population
    SelfAssessment.objects.filter(manager=people[0]).delete()
    result = selectors.learning(make_evaluation(personas.org, programme=programme))
    assert result.suppressed
    assert result.people == 4
    assert result.overall is None and result.domains == []


def test_an_individual_evaluation_shows_her_own_change(personas: Personas, population: Any) -> None:
    programme, _module, _domains, people = population
    own = make_evaluation(personas.org, programme=programme, manager=people[4])
    result = selectors.learning(own)
    assert not result.suppressed and result.people == 1
    assert {d.node.code: d.mean_change for d in result.domains} == {
        "MM1": Decimal("2.00"),
        "MM2": Decimal("-1.00"),
    }
    assert result.overall == Decimal("1.00")


def _feedback(programme: Any, people: list[Any], n: int) -> None:
    cohort = programme.cohorts.first()
    session = Session.objects.create(
        programme=programme,
        module=programme.modules.first(),
        cohort=cohort,
        date=START + 7 * DAY,
        start_time=datetime.time(9),
        end_time=datetime.time(12),
    )
    for person in people[:n]:
        SessionFeedback.objects.create(
            session=session,
            participant=Participant.objects.get(user=person, cohort=cohort),
            usefulness=4,
            met_needs=3,
        )


def test_level_one_reactions_are_suppressed_below_five(personas: Personas, population: Any) -> None:
    programme, _module, _domains, people = population
    _feedback(programme, people, 4)
    r = selectors.reactions_for(make_evaluation(personas.org, programme=programme))
    assert isinstance(r, selectors.Reactions)
    assert r.suppressed and r.usefulness_mean is None and r.will_use == []


def test_level_one_reactions_show_from_five(personas: Personas, population: Any) -> None:
    programme, _module, _domains, people = population
    _feedback(programme, people, 5)
    r = selectors.reactions_for(make_evaluation(personas.org, programme=programme))
    assert isinstance(r, selectors.Reactions) and not r.suppressed
    assert r.usefulness_mean == Decimal("4.0")


def _rerate(personas: Personas, programme: Any, people: list[Any], n: int) -> None:
    node = programme.modules.first().nodes.first()
    for person in people[:n]:
        own = make_evaluation(personas.org, programme=programme, manager=person)
        ApplicationRating.objects.create(
            evaluation=own,
            manager=person,
            rated_by=personas.supervisor,
            rated_on=timezone.localdate(),
            node=node,
            level=3,
        )


def test_level_three_is_suppressed_below_five_managers(personas: Personas, population: Any) -> None:
    programme, _module, _domains, people = population
    _rerate(personas, programme, people, 4)
    app = selectors.application(make_evaluation(personas.org, programme=programme))
    assert app.suppressed and app.people == 4
    assert app.mean_level is None and app.ratings == []


def test_level_three_shows_the_mean_from_five_managers(personas: Personas, population: Any) -> None:
    programme, _module, _domains, people = population
    _rerate(personas, programme, people, 5)
    app = selectors.application(make_evaluation(personas.org, programme=programme))
    assert not app.suppressed and app.people == 5 and app.mean_level == Decimal("3.00")
    assert app.ratings == []  # nobody's own ratings at organisation level


def test_level_five_gives_counts_and_mean_ratings_by_group(personas: Personas) -> None:
    evaluation = make_evaluation(personas.org)
    for rating in (4, 5, None):
        StakeholderView.objects.create(
            evaluation=evaluation,
            group="carer",
            date=START,
            summary="Managers listen more",
            rating=rating,
            source="Carers' survey",
        )
    _views, groups = selectors.stakeholders(evaluation)
    assert [(g.group, g.views, g.mean_rating) for g in groups] == [("carer", 3, Decimal("4.50"))]


def test_the_summary_says_not_yet_evaluated_for_empty_levels(personas: Personas) -> None:
    levels = selectors.summary(make_evaluation(personas.org))
    assert [lvl.number for lvl in levels] == [1, 2, 3, 4, 5]
    assert [lvl.headline for lvl in levels] == [None] * 5


def test_the_summary_gives_each_levels_headline(personas: Personas, population: Any) -> None:
    programme, _module, _domains, people = population
    _feedback(programme, people, 5)
    levels = selectors.summary(make_evaluation(personas.org, programme=programme))
    assert levels[0].headline == "Usefulness 4.0 out of 5 from 5 responses"
    assert levels[1].headline == "Mean change +0.80 levels (5 people)"


def test_360_feedback_closed_after_the_learning_counts_in_aggregate(personas: Personas) -> None:
    from waymark.feedback.tests.factories import close, make_round, respond

    setup = make_round(personas, prefix="FB")
    respond(setup, "partner", [[2, 2, 2, 2], [3, 3, 3, 3], [4, 4, 4, 4]])
    respond(setup, "peer", [[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]])
    close(setup)
    yesterday = timezone.localdate() - DAY
    own = make_evaluation(personas.org, manager=personas.manager, period_end=yesterday)
    evidence = selectors.feedback_after(own)
    assert not evidence.suppressed and evidence.managers == 1
    assert evidence.others_mean == Decimal("2.00")  # (36 + 12) / 24 answers
    assert [(g.label, g.mean) for g in evidence.stakeholders] == [
        ("Partner agencies", Decimal("3.00"))
    ]
    # At programme level one manager's round is too few to show.
    programme, *_ = make_programme(personas.org, start=yesterday - 90 * DAY, end=yesterday)
    add_participant(programme, personas.manager)
    group = selectors.feedback_after(make_evaluation(personas.org, programme=programme))
    assert group.suppressed and group.others_mean is None and group.stakeholders == []
    # A round closed before the learning ended does not count.
    early = make_evaluation(
        personas.org, manager=personas.manager, period_end=timezone.localdate() + DAY
    )
    assert selectors.feedback_after(early).others_mean is None


def test_the_summary_falls_back_on_360_feedback_for_application(personas: Personas) -> None:
    from waymark.feedback.tests.factories import close, make_round, respond

    setup = make_round(personas, prefix="FB")
    respond(setup, "peer", [[2, 2, 2, 2], [3, 3, 3, 3], [4, 4, 4, 4]])
    close(setup)
    own = make_evaluation(
        personas.org, manager=personas.manager, period_end=timezone.localdate() - DAY
    )
    assert selectors.summary(own)[2].headline == (
        "Mean level given by others in 360° feedback 3.00 (1 person)"
    )


def _activity(personas: Personas, owner: Any, nodes: list[Any], day: datetime.date) -> Any:
    from waymark.planning.models import Activity, Objective, Plan

    plan = Plan.objects.create(organisation=personas.org, manager=owner)
    objective = Objective.objects.create(
        plan=plan, title="Lead supervision well", specific="S", measure="M", target_date=day
    )
    objective.nodes.set(nodes)
    return Activity.objects.create(
        objective=objective, activity_type="coaching", description="Coaching", planned_date=day
    )


def test_level_two_of_her_own_activity_uses_the_objectives_competences(
    personas: Personas,
) -> None:
    from waymark.assessment.tests.factories import make_framework

    _edition, domains, outcomes = make_framework("AC", domains=2, outcomes=2)
    maya = personas.manager
    activity = _activity(personas, maya, [domains[0]], START)
    completed_round(
        personas.org, maya, {outcomes[0]: 1, outcomes[1]: 2, outcomes[2]: 0}, START - DAY
    )
    completed_round(personas.org, maya, {outcomes[0]: 3, outcomes[1]: 2, outcomes[2]: 4}, END)
    own = make_evaluation(
        personas.org, manager=maya, activity=activity, period_start=START, period_end=END
    )
    result = selectors.learning(own)
    # Only AC1 (the objective's domain) counts: changes 2 and 0.
    assert [(d.node.code, d.mean_change) for d in result.domains] == [("AC1", Decimal("1.00"))]
    assert result.overall == Decimal("1.00")


def test_someone_elses_activity_cannot_be_evaluated(personas: Personas) -> None:
    from django.core.exceptions import ValidationError

    from .. import services

    activity = _activity(personas, personas.supervisor, [], START)
    with pytest.raises(ValidationError) as caught:
        services.evaluation_create(
            actor=personas.manager,
            organisation=personas.org,
            manager=personas.manager,
            data=services.EvaluationInput(
                title="Not mine",
                kind="summative",
                purpose="improving",
                period_start=START,
                period_end=END,
                activity=activity,
            ),
        )
    assert caught.value.message_dict == {
        "activity": ["Choose one of your own planned learning activities"]
    }
