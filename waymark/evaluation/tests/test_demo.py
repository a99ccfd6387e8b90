"""The demo story: Brightwater evaluates "First line leadership" and keeps an action plan."""

from __future__ import annotations

import pytest

from waymark.conftest import Personas
from waymark.programmes.demo import seed_programmes

from .. import selectors
from ..demo import seed_evaluation
from ..models import ActionPlan, Evaluation, IndicatorValue, ProgressUpdate

pytestmark = pytest.mark.django_db


def test_the_demo_evaluation_and_action_plan_are_made_once(personas: Personas) -> None:
    quiet = lambda _s: None  # noqa: E731
    seed_programmes(write=quiet)
    seed_evaluation(write=quiet)
    seed_evaluation(write=quiet)
    evaluation = Evaluation.objects.get()
    assert evaluation.programme is not None
    assert evaluation.programme.title == "First line leadership"
    assert IndicatorValue.objects.filter(indicator__name="Staff retention").count() == 4
    plan = ActionPlan.objects.get()
    assert plan.objectives.count() == 2
    assert ProgressUpdate.objects.count() == 1
    levels = selectors.summary(evaluation)
    assert levels[3].headline is not None and levels[3].headline.startswith("Staff retention")
    assert levels[4].headline == "Recorded views: 1 (groups of stakeholders: 1)"
