"""Writes to the development plan. Each function is keyword-only, runs in a transaction,
checks who may do it, and leaves an audit record.

Who may do what: the manager writes her own plan (details, guided stages, SWOT,
objectives, activities, milestones); she, her supervisor, mentors and coaches comment;
only a supervisor agrees it. Rules broken raise `PermissionDenied`; bad input raises
`ValidationError` keyed by field, which forms and the API show where it belongs.

"Changed since agreed": every change the manager makes to what the plan says stamps
`changed_at` on the plan (and the objective), and the plan shows the stamp against
`agreed_at`. Progress does not count: an objective started or achieved, a milestone
ticked off. Dropping an objective, or taking it up again, does."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core import audit
from waymark.organisations.models import SupportKind, SupportRelationship
from waymark.profiles.models import BasicKind, SpecBasic, SpecQualification

from .models import (
    Activity,
    ActivityType,
    Milestone,
    Objective,
    ObjectiveStatus,
    Plan,
    PlanComment,
    PlanLevel,
    Route,
)
from .selectors import current_revision, node_label, pms_node_ids
from .stages import STAGE_FIELDS

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.frameworks.models import Node
    from waymark.organisations.models import Organisation
    from waymark.signposting.models import Resource

PLAN_FIELDS = frozenset(
    {
        "title",
        "period_start",
        "period_end",
        "route",
        *STAGE_FIELDS,
        "strengths",
        "weaknesses",
        "opportunities",
        "threats",
    }
)
OBJECTIVE_FIELDS = frozenset(
    {
        "title",
        "specific",
        "measure",
        "achievable",
        "relevant",
        "target_date",
        "level",
        "support_needed",
    }
)
ACTIVITY_FIELDS = frozenset({"activity_type", "description", "planned_date"})
MILESTONE_FIELDS = frozenset({"title", "due_date", "done"})


# --- rules ------------------------------------------------------------------------------------


def _require_manager(actor: User, plan: Plan) -> None:
    if actor.pk != plan.manager_id:
        raise PermissionDenied(_("Only the person whose plan it is can change it."))


def _supporter_kinds(actor: User, plan: Plan) -> set[str]:
    return set(
        SupportRelationship.objects.filter(
            organisation_id=plan.organisation_id, manager_id=plan.manager_id, supporter=actor
        ).values_list("kind", flat=True)
    )


def _check_period(start: datetime.date | None, end: datetime.date | None) -> None:
    if start and end and end < start:
        raise ValidationError({"period_end": _("The end of the plan must be after its start")})


def _check_target_date(target_date: datetime.date) -> None:
    if target_date <= timezone.localdate():
        raise ValidationError({"target_date": _("Target date must be in the future")})


def _check_nodes(plan: Plan, nodes: Iterable[Node], keep: Iterable[int] = ()) -> list[Node]:
    """The competences must come from the manager's current PMS revision (or already be
    on the objective: a new PMS revision never silently changes an objective)."""
    chosen = list(nodes)
    if not chosen:
        return chosen
    allowed = pms_node_ids(organisation=plan.organisation, manager=plan.manager) | set(keep)
    outside = [n for n in chosen if n.pk not in allowed]
    if outside:
        raise ValidationError(
            {
                "nodes": _(
                    "%(items)s is not in the current person management specification. "
                    "Choose competences from the specification."
                )
                % {"items": ", ".join(node_label(n) for n in outside)}
            }
        )
    return chosen


def _touch(plan: Plan, *, objective: Objective | None = None) -> None:
    """Stamp a change to what the plan says (see the module's note)."""
    now = timezone.now()
    plan.changed_at = now
    plan.save(update_fields=["changed_at", "updated_at"])
    if objective is not None:
        objective.changed_at = now
        objective.save(update_fields=["changed_at"])


def _apply(instance: Any, data: Mapping[str, Any], allowed: frozenset[str]) -> dict[str, list[Any]]:
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))}")
    changes = audit.diff(instance, dict(data))
    for name in changes:
        setattr(instance, name, data[name])
    return changes


# --- plans ------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    actor: User,
    organisation: Organisation,
    manager: User,
    title: str,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    route: Route | str = Route.OUTCOMES,
) -> Plan:
    if actor.pk != manager.pk:
        raise PermissionDenied(_("Only the person whose plan it is can create it."))
    _check_period(period_start, period_end)
    plan = Plan.objects.create(
        organisation=organisation,
        manager=manager,
        title=title.strip() or _("My development plan"),
        period_start=period_start,
        period_end=period_end,
        route=Route(str(route)),
    )
    audit.record(
        actor=actor,
        action="plan.create",
        obj=plan,
        organisation=organisation,
        summary=f"Created development plan {plan.title!r}",
    )
    return plan


@transaction.atomic
def plan_update(*, actor: User, plan: Plan, data: Mapping[str, Any]) -> Plan:
    """Change the plan's details, route, guided stages or SWOT (any of PLAN_FIELDS)."""
    fresh = Plan.objects.select_for_update().get(pk=plan.pk)
    _require_manager(actor, fresh)
    if "route" in data:
        Route(str(data["route"]))
    _check_period(
        data.get("period_start", fresh.period_start), data.get("period_end", fresh.period_end)
    )
    changes = _apply(fresh, data, PLAN_FIELDS)
    if not changes:
        return fresh
    fresh.changed_at = timezone.now()
    fresh.save(update_fields=[*changes, "changed_at", "updated_at"])
    audit.record(
        actor=actor,
        action="plan.update",
        obj=fresh,
        organisation=fresh.organisation,
        summary=f"Changed {', '.join(sorted(changes))} of development plan {fresh.title!r}",
        changes=changes,
    )
    return fresh


@transaction.atomic
def plan_comment_add(*, actor: User, plan: Plan, body: str) -> PlanComment:
    """The manager, her supervisor, mentors and coaches may comment on the plan."""
    if actor.pk != plan.manager_id and not _supporter_kinds(actor, plan):
        raise PermissionDenied(
            _("Only the manager and their supervisor, mentors and coaches can comment on the plan.")
        )
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Enter your comment")})
    comment = PlanComment.objects.create(plan=plan, author=actor, body=body)
    audit.record(
        actor=actor,
        action="plan.comment",
        obj=comment,
        organisation=plan.organisation,
        summary=f"Commented on development plan {plan.title!r} of {plan.manager.email}",
    )
    return comment


@transaction.atomic
def plan_agree(*, actor: User, plan: Plan) -> Plan:
    """A supervisor agrees the plan as it now stands: who and when are recorded. Agreeing
    again after the manager has changed the plan records the new agreement."""
    fresh = Plan.objects.select_for_update().get(pk=plan.pk)
    if actor.pk == fresh.manager_id:
        raise PermissionDenied(_("You cannot agree your own plan: your supervisor agrees it."))
    if SupportKind.SUPERVISOR.value not in _supporter_kinds(actor, fresh):
        raise PermissionDenied(_("Only the manager's supervisor can agree the plan."))
    if not fresh.objectives.exists():
        raise ValidationError(_("The plan has no objectives yet, so there is nothing to agree."))
    before = {
        "agreed_by": str(fresh.agreed_by) if fresh.agreed_by_id else None,
        "agreed_at": fresh.agreed_at.isoformat() if fresh.agreed_at else None,
    }
    fresh.agreed_by = actor
    fresh.agreed_at = timezone.now()
    fresh.save(update_fields=["agreed_by", "agreed_at", "updated_at"])
    audit.record(
        actor=actor,
        action="plan.agree",
        obj=fresh,
        organisation=fresh.organisation,
        summary=f"Agreed development plan {fresh.title!r} of {fresh.manager.email}",
        changes={
            "agreed_by": [before["agreed_by"], str(actor)],
            "agreed_at": [before["agreed_at"], fresh.agreed_at.isoformat()],
        },
    )
    return fresh


# --- objectives -------------------------------------------------------------------------------


def _next_sequence(plan: Plan, level: str) -> int:
    top = plan.objectives.filter(level=level).aggregate(top=Max("sequence"))["top"]
    return (top or 0) + 1


@transaction.atomic
def objective_create(
    *,
    actor: User,
    plan: Plan,
    title: str,
    specific: str,
    measure: str,
    target_date: datetime.date,
    achievable: str = "",
    relevant: str = "",
    level: PlanLevel | str = PlanLevel.OTHER,
    support_needed: str = "",
    nodes: Iterable[Node] = (),
    seeded_from: str = "",
) -> Objective:
    _require_manager(actor, plan)
    level = PlanLevel(str(level))
    _check_target_date(target_date)
    chosen = _check_nodes(plan, nodes)
    objective = Objective.objects.create(
        plan=plan,
        level=level,
        title=title,
        specific=specific,
        measure=measure,
        achievable=achievable,
        relevant=relevant,
        target_date=target_date,
        support_needed=support_needed,
        sequence=_next_sequence(plan, level),
        seeded_from=seeded_from,
    )
    objective.nodes.set(chosen)
    _touch(plan)
    audit.record(
        actor=actor,
        action="objective.create",
        obj=objective,
        organisation=plan.organisation,
        summary=f"Added objective {title!r} to development plan {plan.title!r}",
        changes={"nodes": [None, sorted(n.pk for n in chosen)]} if chosen else None,
    )
    return objective


@transaction.atomic
def objective_update(
    *,
    actor: User,
    objective: Objective,
    data: Mapping[str, Any],
    nodes: Iterable[Node] | None = None,
) -> Objective:
    """Change what an objective says (any of OBJECTIVE_FIELDS) and, when `nodes` is given,
    the competences it addresses."""
    fresh = Objective.objects.select_for_update().select_related("plan").get(pk=objective.pk)
    plan = fresh.plan
    _require_manager(actor, plan)
    if "level" in data:
        PlanLevel(str(data["level"]))
    if "target_date" in data and data["target_date"] != fresh.target_date:
        _check_target_date(data["target_date"])
    changes = _apply(fresh, data, OBJECTIVE_FIELDS)
    if nodes is not None:
        before = set(fresh.nodes.values_list("pk", flat=True))
        chosen = _check_nodes(plan, nodes, keep=before)
        after = {n.pk for n in chosen}
        if after != before:
            fresh.nodes.set(chosen)
            changes["nodes"] = [sorted(before), sorted(after)]
    if not changes:
        return fresh
    fields = [f for f in changes if f != "nodes"]
    if fields:
        fresh.save(update_fields=fields)
    _touch(plan, objective=fresh)
    audit.record(
        actor=actor,
        action="objective.update",
        obj=fresh,
        organisation=plan.organisation,
        summary=f"Changed {', '.join(sorted(changes))} of objective {fresh.title!r}",
        changes=changes,
    )
    return fresh


@transaction.atomic
def objective_set_status(
    *, actor: User, objective: Objective, status: ObjectiveStatus | str
) -> Objective:
    fresh = Objective.objects.select_for_update().select_related("plan").get(pk=objective.pk)
    _require_manager(actor, fresh.plan)
    new = ObjectiveStatus(str(status))
    old = ObjectiveStatus(fresh.status)
    if new == old:
        return fresh
    fresh.status = new
    fresh.save(update_fields=["status"])
    if ObjectiveStatus.DROPPED in (old, new):
        _touch(fresh.plan, objective=fresh)
    audit.record(
        actor=actor,
        action="objective.status",
        obj=fresh,
        organisation=fresh.plan.organisation,
        summary=f"Objective {fresh.title!r} is now {new.label}",
        changes={"status": [old.value, new.value]},
    )
    return fresh


@transaction.atomic
def objectives_seed_basics(*, actor: User, plan: Plan) -> list[Objective]:
    """Add an objective for each induction and foundation item (organisational basics) and
    each required qualification of the manager's current PMS, skipping those the plan
    already has. Their SMART parts are left for the manager to write."""
    _require_manager(actor, plan)
    revision = current_revision(organisation=plan.organisation, manager=plan.manager)
    if revision is None:
        raise ValidationError(
            _(
                "There is no person management specification yet, so there are no induction "
                "items or required qualifications to add."
            )
        )
    have = set(plan.objectives.exclude(seeded_from="").values_list("level", "seeded_from"))
    today = timezone.localdate()
    target = (
        plan.period_end
        if plan.period_end and plan.period_end > today
        else today + datetime.timedelta(days=365)
    )
    wanted: list[tuple[str, str, str]] = []
    for basic in SpecBasic.objects.filter(revision=revision).order_by("kind", "id"):
        if basic.kind == BasicKind.INDUCTION:
            specific = _("Complete this part of my induction: %(item)s.") % {"item": basic.title}
        else:
            specific = _("Complete this foundation learning: %(item)s.") % {"item": basic.title}
        wanted.append((PlanLevel.BASICS.value, basic.title, specific))
    for q in SpecQualification.objects.filter(revision=revision).order_by("id"):
        specific = _(
            "Gain, or make progress towards, the qualification my role requires: %(item)s."
        ) % {"item": q.title}
        if q.note:
            specific += " " + q.note
        wanted.append((PlanLevel.QUALIFICATIONS.value, q.title, specific))
    created: list[Objective] = []
    for level, item, specific in wanted:
        if (level, item) in have:
            continue
        have.add((level, item))
        created.append(
            Objective.objects.create(
                plan=plan,
                level=level,
                title=item[:300],
                specific=specific,
                measure="",
                target_date=target,
                sequence=_next_sequence(plan, level),
                seeded_from=item[:300],
            )
        )
    if created:
        _touch(plan)
        audit.record(
            actor=actor,
            action="objective.seed",
            obj=plan,
            organisation=plan.organisation,
            summary=f"Added {len(created)} objectives for induction and required qualifications "
            f"to development plan {plan.title!r}",
            changes={"objectives": [None, [o.pk for o in created]]},
        )
    return created


# --- activities and milestones ----------------------------------------------------------------


def _objective_with_plan(objective: Objective) -> Objective:
    return Objective.objects.select_related("plan").get(pk=objective.pk)


@transaction.atomic
def activity_add(
    *,
    actor: User,
    objective: Objective,
    activity_type: ActivityType | str,
    description: str,
    planned_date: datetime.date | None = None,
    resource: Resource | None = None,
) -> Activity:
    objective = _objective_with_plan(objective)
    _require_manager(actor, objective.plan)
    activity = Activity.objects.create(
        objective=objective,
        activity_type=ActivityType(str(activity_type)),
        description=description,
        planned_date=planned_date,
        resource=resource,
    )
    _touch(objective.plan, objective=objective)
    audit.record(
        actor=actor,
        action="activity.add",
        obj=activity,
        organisation=objective.plan.organisation,
        summary=f"Planned {activity.get_activity_type_display()} for objective {objective.title!r}",
    )
    return activity


@transaction.atomic
def activity_update(*, actor: User, activity: Activity, data: Mapping[str, Any]) -> Activity:
    fresh = Activity.objects.select_related("objective__plan").get(pk=activity.pk)
    objective = fresh.objective
    _require_manager(actor, objective.plan)
    if "activity_type" in data:
        ActivityType(str(data["activity_type"]))
    changes = _apply(fresh, data, ACTIVITY_FIELDS)
    if not changes:
        return fresh
    fresh.save(update_fields=list(changes))
    _touch(objective.plan, objective=objective)
    audit.record(
        actor=actor,
        action="activity.update",
        obj=fresh,
        organisation=objective.plan.organisation,
        summary=f"Changed a learning activity of objective {objective.title!r}",
        changes=changes,
    )
    return fresh


@transaction.atomic
def activity_remove(*, actor: User, activity: Activity) -> None:
    fresh = Activity.objects.select_related("objective__plan").get(pk=activity.pk)
    objective = fresh.objective
    _require_manager(actor, objective.plan)
    audit.record(
        actor=actor,
        action="activity.remove",
        obj=fresh,
        organisation=objective.plan.organisation,
        summary=f"Removed {fresh.get_activity_type_display()} from objective {objective.title!r}",
        changes={"description": [fresh.description, None]},
    )
    fresh.delete()
    _touch(objective.plan, objective=objective)


@transaction.atomic
def milestone_add(
    *, actor: User, objective: Objective, title: str, due_date: datetime.date, done: bool = False
) -> Milestone:
    objective = _objective_with_plan(objective)
    _require_manager(actor, objective.plan)
    milestone = Milestone.objects.create(
        objective=objective, title=title, due_date=due_date, done=done
    )
    _touch(objective.plan, objective=objective)
    audit.record(
        actor=actor,
        action="milestone.add",
        obj=milestone,
        organisation=objective.plan.organisation,
        summary=f"Added milestone {title!r} to objective {objective.title!r}",
    )
    return milestone


@transaction.atomic
def milestone_update(*, actor: User, milestone: Milestone, data: Mapping[str, Any]) -> Milestone:
    """Change a milestone; ticking it off (or not) alone is progress, not a change of plan."""
    fresh = Milestone.objects.select_related("objective__plan").get(pk=milestone.pk)
    objective = fresh.objective
    _require_manager(actor, objective.plan)
    changes = _apply(fresh, data, MILESTONE_FIELDS)
    if not changes:
        return fresh
    fresh.save(update_fields=list(changes))
    if set(changes) - {"done"}:
        _touch(objective.plan, objective=objective)
    audit.record(
        actor=actor,
        action="milestone.update",
        obj=fresh,
        organisation=objective.plan.organisation,
        summary=f"Changed milestone {fresh.title!r} of objective {objective.title!r}",
        changes=changes,
    )
    return fresh


@transaction.atomic
def milestone_remove(*, actor: User, milestone: Milestone) -> None:
    fresh = Milestone.objects.select_related("objective__plan").get(pk=milestone.pk)
    objective = fresh.objective
    _require_manager(actor, objective.plan)
    audit.record(
        actor=actor,
        action="milestone.remove",
        obj=fresh,
        organisation=objective.plan.organisation,
        summary=f"Removed milestone {fresh.title!r} from objective {objective.title!r}",
    )
    fresh.delete()
    _touch(objective.plan, objective=objective)
