"""Writes a manager makes from the signposting pages: her learning preferences, and
"add to my plan" (a planned learning activity linked to the catalogue entry, under an
objective of her plan, new or existing). Catalogue curation lives in `services.py`.

Each function is keyword-only, runs in one transaction (nothing half-done on error) and
leaves an audit record."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from waymark.core import audit
from waymark.organisations.models import Region
from waymark.planning import services as planning
from waymark.planning.models import Activity, ActivityType, Objective, Plan

from .models import DeliveryMode, LearningPreference, Resource

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.frameworks.models import Node


def _check_values(values: Sequence[str], allowed: Iterable[str], field: str) -> list[str]:
    allowed_set = set(allowed)
    bad = [v for v in values if v not in allowed_set]
    if bad:
        raise ValidationError({field: _("Unknown value: %(values)s") % {"values": ", ".join(bad)}})
    return list(dict.fromkeys(values))


@transaction.atomic
def learning_preference_save(
    *,
    actor: User,
    user: User,
    preferred_modes: Sequence[str] = (),
    avoid_modes: Sequence[str] = (),
    max_cost: int | None = None,
    max_hours: int | None = None,
    regions: Sequence[str] = (),
) -> LearningPreference:
    """Set a manager's own learning preferences and limits (only she may)."""
    if actor.pk != user.pk:
        raise PermissionDenied(_("Only the manager sets her own learning preferences."))
    preferred = _check_values(preferred_modes, DeliveryMode.values, "preferred_modes")
    avoid = _check_values(avoid_modes, DeliveryMode.values, "avoid_modes")
    if set(preferred) & set(avoid):
        raise ValidationError(
            {"avoid_modes": _("A way of learning cannot be both preferred and avoided")}
        )
    for name, value in (("max_cost", max_cost), ("max_hours", max_hours)):
        if value is not None and value < 0:
            raise ValidationError({name: _("Must be 0 or more")})
    data: dict[str, Any] = {
        "preferred_modes": preferred,
        "avoid_modes": avoid,
        "max_cost": max_cost,
        "max_hours": max_hours,
        "regions": _check_values(regions, Region.values, "regions"),
    }
    preference = LearningPreference.objects.select_for_update().filter(user=user).first()
    created = preference is None
    if preference is None:
        preference = LearningPreference(user=user)
    changes = (
        audit.diff(preference, data) if not created else {k: [None, v] for k, v in data.items()}
    )
    for name, value in data.items():
        setattr(preference, name, value)
    if created:
        preference.save()
    elif changes:
        preference.save(update_fields=[*changes, "updated_at"])
    if changes:
        audit.record(
            actor=actor,
            action="learning_preference.save",
            obj=preference,
            organisation=None,
            summary="Saved learning preferences",
            changes=changes,
        )
    return preference


@transaction.atomic
def resource_add_to_plan(
    *,
    actor: User,
    plan: Plan,
    resource: Resource,
    activity_type: ActivityType | str,
    objective: Objective | None = None,
    new_objective_title: str = "",
    target_date: datetime.date | None = None,
    nodes: Iterable[Node] = (),
) -> Activity:
    """Plan to use a catalogue entry: a learning activity linked to `resource`, under
    `objective` (one of the plan's) or under a new objective seeded from the gaps
    (`nodes`) the resource covers. Planning's own services do the writing, so their rules
    (only the manager, a future target date, competences from her PMS) hold here too."""
    if objective is not None and objective.plan_id != plan.pk:
        raise ValidationError({"objective": _("Choose an objective of this plan")})
    chosen = list(nodes)
    if objective is None:
        title = new_objective_title.strip()
        if not title:
            raise ValidationError({"title": _("Enter a name for the new objective")})
        if target_date is None:
            raise ValidationError({"target_date": _("Enter the target date of the new objective")})
        gaps = ", ".join(f"{n.code} {n.display_title}".strip() for n in chosen)
        specific = (
            _("Develop %(gaps)s, starting with “%(resource)s”.")
            % {"gaps": gaps, "resource": resource.title}
            if gaps
            else _("Learn from “%(resource)s”.") % {"resource": resource.title}
        )
        objective = planning.objective_create(
            actor=actor,
            plan=plan,
            title=title[:300],
            specific=specific,
            measure="",
            target_date=target_date,
            nodes=chosen,
        )
    activity = planning.activity_add(
        actor=actor,
        objective=objective,
        activity_type=activity_type,
        description=resource.title[:500],
        resource=resource,
    )
    audit.record(
        actor=actor,
        action="signposting.add_to_plan",
        obj=activity,
        organisation=plan.organisation,
        summary=f"Added {resource.title!r} from the catalogue to objective {objective.title!r}",
        changes={"resource": [None, resource.slug]},
    )
    return activity
