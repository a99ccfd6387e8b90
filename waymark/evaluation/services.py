"""Writes for evaluation and action plans: typed, keyword-only, atomic and audited.
Every rule lives here, so pages and the API answer bad input the same way."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core.audit import diff, record
from waymark.organisations.models import Membership

from .models import (
    ActionPlan,
    ActionPlanObjective,
    ApplicationRating,
    Evaluation,
    Indicator,
    IndicatorValue,
    ProgressUpdate,
    StakeholderView,
)

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.frameworks.models import Node
    from waymark.organisations.models import Organisation
    from waymark.planning.models import Activity
    from waymark.programmes.models import Module, Programme


def _number_message() -> str:
    return _("Enter a number, like 12 or 85.5")


def _number(value: Any, field_name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        number = value
    else:
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except (InvalidOperation, ValueError):
            raise ValidationError({field_name: _number_message()}, code="invalid") from None
    if not number.is_finite() or abs(number) >= Decimal("1e10"):
        raise ValidationError({field_name: _number_message()}, code="invalid")
    return number


def _not_future(day: datetime.date, field_name: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(
            {field_name: _("The date must be today or in the past")}, code="future"
        )


def _member(organisation: Organisation, user: User | None, field_name: str) -> None:
    if (
        user is not None
        and not Membership.objects.filter(organisation=organisation, user=user).exists()
    ):
        raise ValidationError(
            {field_name: _("Choose a member of the organisation")}, code="not_member"
        )


# --- evaluations ----------------------------------------------------------------------------


@dataclass
class EvaluationInput:
    title: str
    kind: str
    purpose: str
    period_start: datetime.date
    period_end: datetime.date
    status: str = "planned"
    programme: Programme | None = None
    module: Module | None = None
    activity: Activity | None = None
    learning_after: datetime.date | None = None
    reaction_rating: int | None = None
    reaction_comment: str = ""
    manager_account: str = ""
    findings_reactions: str = ""
    findings_learning: str = ""
    findings_application: str = ""
    findings_organisation: str = ""
    findings_stakeholders: str = ""
    indicators: list[Indicator] = field(default_factory=list)


_EVAL_FIELDS = [
    "title",
    "kind",
    "purpose",
    "period_start",
    "period_end",
    "status",
    "programme",
    "module",
    "activity",
    "learning_after",
    "reaction_rating",
    "reaction_comment",
    "manager_account",
    "findings_reactions",
    "findings_learning",
    "findings_application",
    "findings_organisation",
    "findings_stakeholders",
]


def _evaluation_values(
    organisation: Organisation, data: EvaluationInput, manager: User | None
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Enter a title")
    if data.period_end < data.period_start:
        errors["period_end"] = _("The end of the period must be on or after its start")
    if data.programme is not None and data.programme.organisation_id != organisation.pk:
        errors["programme"] = _("Choose a programme of this organisation")
    if data.module is not None:
        if data.module.programme.organisation_id != organisation.pk:
            errors["module"] = _("Choose a module of this organisation's programmes")
        elif data.programme is not None and data.module.programme_id != data.programme.pk:
            errors["module"] = _("Choose a module of the programme chosen")
    if data.activity is not None:
        plan = data.activity.objective.plan
        if (
            manager is None
            or plan.manager_id != manager.pk
            or plan.organisation_id != organisation.pk
        ):
            errors["activity"] = _("Choose one of your own planned learning activities")
    if data.reaction_rating is not None and not 1 <= data.reaction_rating <= 5:
        errors["reaction_rating"] = _("Enter a rating from 1 to 5")
    if any(i.organisation_id != organisation.pk for i in data.indicators):
        errors["indicators"] = _("There is no such indicator in this organisation")
    if errors:
        raise ValidationError(errors)
    values = {f: getattr(data, f) for f in _EVAL_FIELDS}
    if data.module is not None and data.programme is None:
        values["programme"] = data.module.programme
    return values


@transaction.atomic
def evaluation_create(
    *,
    actor: User,
    organisation: Organisation,
    data: EvaluationInput,
    manager: User | None = None,
) -> Evaluation:
    values = _evaluation_values(organisation, data, manager)
    evaluation = Evaluation.objects.create(
        organisation=organisation, manager=manager, created_by=actor, **values
    )
    evaluation.indicators.set(data.indicators)
    record(
        actor=actor,
        action="evaluation.create",
        obj=evaluation,
        organisation=organisation,
        summary=f"Evaluation created: {evaluation.title}",
    )
    return evaluation


@transaction.atomic
def evaluation_update(*, actor: User, evaluation: Evaluation, data: EvaluationInput) -> Evaluation:
    fresh = Evaluation.objects.select_related("organisation", "manager").get(pk=evaluation.pk)
    values = _evaluation_values(fresh.organisation, data, fresh.manager)
    changes = diff(fresh, values)
    for name, value in values.items():
        setattr(fresh, name, value)
    fresh.save()
    fresh.indicators.set(data.indicators)
    record(
        actor=actor,
        action="evaluation.update",
        obj=fresh,
        organisation=fresh.organisation,
        summary=f"Evaluation changed: {fresh.title}",
        changes=changes,
    )
    return fresh


@transaction.atomic
def application_rate(
    *,
    actor: User,
    evaluation: Evaluation,
    levels: dict[Node, int | None],
    rated_on: datetime.date,
) -> int:
    """A supervisor's re-rating of the manager's competences (level 3). Returns how many
    competences are rated; an empty level removes an earlier rating."""
    if evaluation.manager is None:
        raise ValidationError(_("Only an individual evaluation takes a supervisor's re-rating"))
    _not_future(rated_on, "rated_on")
    if any(level is not None and not 0 <= level <= 4 for level in levels.values()):
        raise ValidationError(_("Levels run from 0 to 4"))
    count = 0
    for node, level in levels.items():
        if level is None:
            ApplicationRating.objects.filter(
                evaluation=evaluation, manager=evaluation.manager, node=node
            ).delete()
            continue
        ApplicationRating.objects.update_or_create(
            evaluation=evaluation,
            manager=evaluation.manager,
            node=node,
            defaults={"level": level, "rated_by": actor, "rated_on": rated_on},
        )
        count += 1
    record(
        actor=actor,
        action="evaluation.application_rate",
        obj=evaluation,
        organisation=evaluation.organisation,
        summary=f"Supervisor re-rated {count} competences",
    )
    return count


@dataclass
class StakeholderInput:
    group: str
    date: datetime.date
    summary: str
    source: str
    rating: int | None = None


@transaction.atomic
def stakeholder_view_add(
    *, actor: User, evaluation: Evaluation, data: StakeholderInput
) -> StakeholderView:
    errors: dict[str, str] = {}
    if data.date > timezone.localdate():
        errors["date"] = _("The date must be today or in the past")
    if data.rating is not None and not 1 <= data.rating <= 5:
        errors["rating"] = _("Enter a rating from 1 to 5")
    if not data.summary.strip():
        errors["summary"] = _("Enter a summary of the views")
    if errors:
        raise ValidationError(errors)
    view = StakeholderView.objects.create(
        evaluation=evaluation,
        group=data.group,
        date=data.date,
        summary=data.summary,
        source=data.source,
        rating=data.rating,
    )
    record(
        actor=actor,
        action="evaluation.stakeholder_view_add",
        obj=view,
        organisation=evaluation.organisation,
        summary=f"Stakeholder view recorded ({view.group})",
    )
    return view


# --- indicators -----------------------------------------------------------------------------


@dataclass
class IndicatorInput:
    name: str
    unit: str = ""
    direction: str = "up"
    target: Decimal | str | None = None
    description: str = ""


def _indicator_values(
    organisation: Organisation, data: IndicatorInput, exclude: int | None = None
) -> dict[str, Any]:
    target = _number(data.target, "target")
    name = data.name.strip()
    if not name:
        raise ValidationError({"name": _("Enter the indicator's name")})
    same = Indicator.objects.filter(organisation=organisation, name__iexact=name)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise ValidationError({"name": _("There is already an indicator with this name")})
    return {
        "name": name,
        "unit": data.unit,
        "direction": data.direction,
        "target": target,
        "description": data.description,
    }


@transaction.atomic
def indicator_create(*, actor: User, organisation: Organisation, data: IndicatorInput) -> Indicator:
    indicator = Indicator.objects.create(
        organisation=organisation, **_indicator_values(organisation, data)
    )
    record(
        actor=actor,
        action="indicator.create",
        obj=indicator,
        organisation=organisation,
        summary=f"Indicator created: {indicator.name}",
    )
    return indicator


@transaction.atomic
def indicator_update(*, actor: User, indicator: Indicator, data: IndicatorInput) -> Indicator:
    fresh = Indicator.objects.select_related("organisation").get(pk=indicator.pk)
    values = _indicator_values(fresh.organisation, data, exclude=fresh.pk)
    changes = diff(fresh, values)
    for k, v in values.items():
        setattr(fresh, k, v)
    fresh.save()
    record(
        actor=actor,
        action="indicator.update",
        obj=fresh,
        organisation=fresh.organisation,
        summary=f"Indicator changed: {fresh.name}",
        changes=changes,
    )
    return fresh


@transaction.atomic
def indicator_value_add(
    *,
    actor: User,
    organisation: Organisation,
    indicator_id: int,
    date: datetime.date,
    value: Decimal | str,
    note: str = "",
) -> IndicatorValue:
    """Record the indicator's value on a date (a second value for the same date replaces
    the first)."""
    indicator = Indicator.objects.filter(organisation=organisation, pk=indicator_id).first()
    if indicator is None:
        raise ValidationError(
            {"indicator": _("There is no such indicator in this organisation")}, code="unknown"
        )
    errors: dict[str, str] = {}
    number: Decimal | None = None
    try:
        number = _number(value, "value")
    except ValidationError:
        errors["value"] = _number_message()
    else:
        if number is None:
            errors["value"] = _("Enter the value")
    if date > timezone.localdate():
        errors["date"] = _("The date must be today or in the past")
    if errors or number is None:
        raise ValidationError(errors)
    row, created = IndicatorValue.objects.update_or_create(
        indicator=indicator, date=date, defaults={"value": number, "note": note}
    )
    record(
        actor=actor,
        action="indicator.value_add" if created else "indicator.value_change",
        obj=row,
        organisation=organisation,
        summary=f"{indicator.name}: {number} on {date:%Y-%m-%d}",
    )
    return row


# --- action plans ---------------------------------------------------------------------------


@dataclass
class ActionPlanInput:
    title: str
    start_date: datetime.date
    aims: str = ""
    status: str = "draft"
    reports_to: User | None = None
    reports_to_text: str = ""
    evaluations: list[Evaluation] = field(default_factory=list)
    report_names: list[str] = field(default_factory=list)


def _plan_values(organisation: Organisation, data: ActionPlanInput) -> dict[str, Any]:
    from .selectors import report_titles

    if not data.title.strip():
        raise ValidationError({"title": _("Enter a title")})
    _member(organisation, data.reports_to, "reports_to")
    if any(e.organisation_id != organisation.pk for e in data.evaluations):
        raise ValidationError({"evaluations": _("Choose evaluations of this organisation")})
    known = report_titles()
    unknown = [n for n in data.report_names if known and n not in known]
    if unknown:
        raise ValidationError(
            {"report_names": _("There is no report called %(n)s") % {"n": unknown[0]}}
        )
    return {
        "title": data.title.strip(),
        "start_date": data.start_date,
        "aims": data.aims,
        "status": data.status,
        "reports_to": data.reports_to,
        "reports_to_text": data.reports_to_text,
        "report_names": list(data.report_names),
    }


@transaction.atomic
def action_plan_create(
    *, actor: User, organisation: Organisation, data: ActionPlanInput
) -> ActionPlan:
    values = _plan_values(organisation, data)
    plan = ActionPlan.objects.create(organisation=organisation, created_by=actor, **values)
    plan.evaluations.set(data.evaluations)
    record(
        actor=actor,
        action="action_plan.create",
        obj=plan,
        organisation=organisation,
        summary=f"Action plan created: {plan.title}",
    )
    return plan


@transaction.atomic
def action_plan_update(*, actor: User, plan: ActionPlan, data: ActionPlanInput) -> ActionPlan:
    fresh = ActionPlan.objects.select_related("organisation").get(pk=plan.pk)
    values = _plan_values(fresh.organisation, data)
    if fresh.objectives.filter(due_date__lt=data.start_date).exists():
        raise ValidationError(
            {"start_date": _("Some objectives are due before this date: change them first")}
        )
    changes = diff(fresh, values)
    for k, v in values.items():
        setattr(fresh, k, v)
    fresh.save()
    fresh.evaluations.set(data.evaluations)
    record(
        actor=actor,
        action="action_plan.update",
        obj=fresh,
        organisation=fresh.organisation,
        summary=f"Action plan changed: {fresh.title}",
        changes=changes,
    )
    return fresh


@dataclass
class ObjectiveInput:
    objective: str
    due_date: datetime.date
    performance_indicator: str = ""
    indicator: Indicator | None = None
    target: str = ""
    target_value: Decimal | str | None = None
    responsible: User | None = None
    responsible_text: str = ""
    status: str = "not-started"


def _objective_values(plan: ActionPlan, data: ObjectiveInput) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if not data.objective.strip():
        errors["objective"] = _("Enter the objective")
    if data.due_date < plan.start_date:
        errors["due_date"] = _("The timescale must be on or after the plan's start, %(d)s") % {
            "d": plan.start_date.strftime("%d %B %Y")
        }
    if data.indicator is not None and data.indicator.organisation_id != plan.organisation_id:
        errors["indicator"] = _("There is no such indicator in this organisation")
    if data.responsible is None and not data.responsible_text.strip():
        errors["responsible"] = _("Say who is responsible: choose a member or write a name")
    try:
        target_value = _number(data.target_value, "target_value")
    except ValidationError:
        errors["target_value"] = _number_message()
        target_value = None
    if errors:
        raise ValidationError(errors)
    _member(plan.organisation, data.responsible, "responsible")
    return {
        "objective": data.objective.strip(),
        "due_date": data.due_date,
        "performance_indicator": data.performance_indicator,
        "indicator": data.indicator,
        "target": data.target,
        "target_value": target_value,
        "responsible": data.responsible,
        "responsible_text": data.responsible_text,
        "status": data.status,
    }


@transaction.atomic
def objective_add(*, actor: User, plan: ActionPlan, data: ObjectiveInput) -> ActionPlanObjective:
    objective = ActionPlanObjective.objects.create(plan=plan, **_objective_values(plan, data))
    record(
        actor=actor,
        action="action_plan.objective_add",
        obj=objective,
        organisation=plan.organisation,
        summary=f"Objective added to {plan.title}: {objective.objective}",
    )
    return objective


@transaction.atomic
def objective_update(
    *, actor: User, objective: ActionPlanObjective, data: ObjectiveInput
) -> ActionPlanObjective:
    fresh = ActionPlanObjective.objects.select_related("plan__organisation").get(pk=objective.pk)
    values = _objective_values(fresh.plan, data)
    changes = diff(fresh, values)
    for k, v in values.items():
        setattr(fresh, k, v)
    fresh.save()
    record(
        actor=actor,
        action="action_plan.objective_update",
        obj=fresh,
        organisation=fresh.plan.organisation,
        summary=f"Objective changed: {fresh.objective}",
        changes=changes,
    )
    return fresh


@transaction.atomic
def progress_add(
    *,
    actor: User,
    objective: ActionPlanObjective,
    date: datetime.date,
    note: str,
    status: str = "",
    value: Decimal | str | None = None,
) -> ProgressUpdate:
    errors: dict[str, str] = {}
    if date > timezone.localdate():
        errors["date"] = _("The date must be today or in the past")
    if not note.strip():
        errors["note"] = _("Describe the progress made")
    number: Decimal | None = None
    try:
        number = _number(value, "value")
    except ValidationError:
        errors["value"] = _number_message()
    if errors:
        raise ValidationError(errors)
    before = objective.status
    update = ProgressUpdate.objects.create(
        objective=objective, date=date, note=note, status=status, value=number, written_by=actor
    )
    if status and status != before:
        ActionPlanObjective.objects.filter(pk=objective.pk).update(status=status)
        objective.status = status
    record(
        actor=actor,
        action="action_plan.progress_add",
        obj=update,
        organisation=objective.plan.organisation,
        summary=f"Progress on {objective.objective}",
        changes={"status": [before, status]} if status and status != before else {},
    )
    return update
