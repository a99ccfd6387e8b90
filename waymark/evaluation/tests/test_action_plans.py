"""Action plans: objectives with indicators, targets, timescales and responsibilities;
dated progress updates; overdue objectives flagged; links to evaluations and reports."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from waymark.conftest import Personas
from waymark.core.models import AuditEvent

from .. import selectors, services
from ..models import ActionPlan, ActionPlanObjective, Indicator, ProgressUpdate
from .factories import make_evaluation

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 1)


def _plan(personas: Personas, **kwargs: object) -> ActionPlan:
    data = services.ActionPlanInput(title="Development plan", start_date=START, **kwargs)  # type: ignore[arg-type]
    return services.action_plan_create(actor=personas.ld_lead, organisation=personas.org, data=data)


def _objective(personas: Personas, plan: ActionPlan, **kwargs: object) -> ActionPlanObjective:
    values: dict[str, object] = {
        "objective": "Every supervisor trained",
        "due_date": datetime.date(2026, 6, 1),
        "responsible_text": "Training officer",
    }
    values.update(kwargs)
    return services.objective_add(
        actor=personas.ld_lead,
        plan=plan,
        data=services.ObjectiveInput(**values),  # type: ignore[arg-type]
    )


def test_a_plan_links_evaluations_reports_and_a_reporting_line(personas: Personas) -> None:
    evaluation = make_evaluation(personas.org)
    plan = _plan(
        personas,
        evaluations=[evaluation],
        report_names=["learning-needs"],
        reports_to=personas.admin,
    )
    assert list(plan.evaluations.all()) == [evaluation]
    assert plan.report_names == ["learning-needs"]
    assert plan.reporting_line == "Ada Admin"
    assert AuditEvent.objects.filter(action="action_plan.create").exists()


def test_a_plan_reporting_to_someone_outside_the_organisation_is_refused(
    personas: Personas,
) -> None:
    with pytest.raises(ValidationError) as caught:
        _plan(personas, reports_to=personas.outsider)
    assert "reports_to" in caught.value.message_dict


def test_an_evaluation_of_another_organisation_cannot_be_linked(personas: Personas) -> None:
    theirs = make_evaluation(personas.other_org)
    with pytest.raises(ValidationError):
        _plan(personas, evaluations=[theirs])


def test_an_objective_due_before_the_plan_starts_is_refused(personas: Personas) -> None:
    plan = _plan(personas)
    with pytest.raises(ValidationError) as caught:
        _objective(personas, plan, due_date=START - datetime.timedelta(days=1))
    assert caught.value.message_dict["due_date"] == [
        "The timescale must be on or after the plan's start, 01 January 2026"
    ]
    assert not ActionPlanObjective.objects.exists()


def test_an_objective_needs_someone_responsible(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        _objective(personas, _plan(personas), responsible_text="")
    assert "responsible" in caught.value.message_dict


def test_an_objective_with_another_organisations_indicator_is_refused(personas: Personas) -> None:
    theirs = Indicator.objects.create(organisation=personas.other_org, name="Theirs")
    with pytest.raises(ValidationError) as caught:
        _objective(personas, _plan(personas), indicator=theirs)
    assert caught.value.message_dict["indicator"] == [
        "There is no such indicator in this organisation"
    ]


def test_a_non_numeric_target_value_is_refused(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        _objective(personas, _plan(personas), target_value="ninety")
    assert caught.value.message_dict == {"target_value": ["Enter a number, like 12 or 85.5"]}


def test_progress_updates_are_dated_and_change_the_status(personas: Personas) -> None:
    objective = _objective(personas, _plan(personas))
    today = timezone.localdate()
    services.progress_add(
        actor=personas.ld_lead,
        objective=objective,
        date=today,
        note="Four of six trained",
        status="on-track",
        value="4",
    )
    objective.refresh_from_db()
    assert objective.status == "on-track"
    update = ProgressUpdate.objects.get()
    assert (update.date, update.value, update.written_by) == (today, Decimal("4"), personas.ld_lead)
    event = AuditEvent.objects.get(action="action_plan.progress_add")
    assert event.changes == {"status": ["not-started", "on-track"]}


def test_a_progress_update_dated_in_the_future_or_with_a_bad_value_is_refused(
    personas: Personas,
) -> None:
    objective = _objective(personas, _plan(personas))
    with pytest.raises(ValidationError) as caught:
        services.progress_add(
            actor=personas.ld_lead,
            objective=objective,
            date=timezone.localdate() + datetime.timedelta(days=2),
            note="Planned",
            value="lots",
        )
    assert set(caught.value.message_dict) == {"date", "value"}
    assert not ProgressUpdate.objects.exists()


def test_overdue_objectives_are_flagged_unless_achieved_or_dropped(personas: Personas) -> None:
    plan = _plan(personas)
    late = _objective(personas, plan, due_date=datetime.date(2026, 2, 1))
    _objective(personas, plan, due_date=datetime.date(2026, 2, 1), status="achieved")
    _objective(personas, plan, due_date=datetime.date(2026, 2, 1), status="dropped")
    _objective(personas, plan, due_date=timezone.localdate() + datetime.timedelta(days=10))
    today = timezone.localdate()
    assert [o.pk for o in selectors.plan_objectives(plan) if o.is_overdue(today)] == [late.pk]
    [listed] = selectors.action_plan_list(personas.org)
    assert (listed.objective_count, listed.overdue_count) == (4, 1)  # type: ignore[attr-defined]


def test_moving_the_start_after_an_objective_is_due_is_refused(personas: Personas) -> None:
    plan = _plan(personas)
    _objective(personas, plan, due_date=datetime.date(2026, 2, 1))
    with pytest.raises(ValidationError) as caught:
        services.action_plan_update(
            actor=personas.ld_lead,
            plan=plan,
            data=services.ActionPlanInput(title="P", start_date=datetime.date(2026, 3, 1)),
        )
    assert "start_date" in caught.value.message_dict


def test_the_latest_value_given_towards_a_target_is_shown(personas: Personas) -> None:
    objective = _objective(personas, _plan(personas))
    today = timezone.localdate()
    for days, value in ((10, "3"), (5, "5"), (1, "")):
        services.progress_add(
            actor=personas.ld_lead,
            objective=objective,
            date=today - datetime.timedelta(days=days),
            note="Update",
            value=value,
        )
    [shown] = selectors.plan_objectives(objective.plan)
    assert shown.latest_valued.value == Decimal("5")  # type: ignore[attr-defined]
