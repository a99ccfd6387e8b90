from __future__ import annotations

import pytest
from django.core.management import call_command

from waymark.feedback.models import FeedbackRound
from waymark.feedback.selectors import round_results

pytestmark = pytest.mark.django_db


def test_the_demo_gives_maya_a_closed_round_with_groups_shown_and_one_withheld() -> None:
    call_command("load_standards", verbosity=0)
    call_command("seed_demo", verbosity=0)
    feedback_round = FeedbackRound.objects.get(manager__email="maya@brightwater.example")
    assert not feedback_round.is_open
    found = round_results(feedback_round)
    assert [c.key for c in found.columns] == ["line-manager", "peer", "staff"]
    assert [e.group for e in found.explanations] == ["service-user"]
    assert not found.explanations[0].merged
    call_command("seed_demo", verbosity=0)  # idempotent
    assert FeedbackRound.objects.count() == 1
