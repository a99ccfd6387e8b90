"""Template helpers for the plan pages, and the data behind the dashboard card and the
person section (which the organisation templates include without knowing about plans)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import template
from django.db.models import Count

from waymark.profiles.models import Level

from ..models import ObjectiveStatus
from ..selectors import current_plan, plans_awaiting_agreement

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.organisations.models import Organisation

register = template.Library()

STATUS_TAGS = {
    ObjectiveStatus.NOT_STARTED.value: "govuk-tag--grey",
    ObjectiveStatus.IN_PROGRESS.value: "govuk-tag--light-blue",
    ObjectiveStatus.ACHIEVED.value: "govuk-tag--green",
    ObjectiveStatus.DROPPED.value: "govuk-tag--orange",
}


@register.filter
def status_tag(status: str) -> str:
    """The GOV.UK tag colour for an objective's status."""
    return STATUS_TAGS.get(status, "govuk-tag--grey")


@register.filter
def level_name(value: int | None) -> str:
    """The short name of a level on the one scale: "Confident"."""
    if value is None:
        return ""
    try:
        return str(Level(value).label).split(":")[0]
    except ValueError:
        return str(value)


def _summary(organisation: Organisation, person: User) -> dict[str, Any]:
    plan = current_plan(organisation=organisation, manager=person)
    if plan is None:
        return {"plan": None}
    counts = {
        row["status"]: row["n"]
        for row in plan.objectives.values("status").annotate(n=Count("id")).order_by()
    }
    return {
        "plan": plan,
        "total": sum(counts.values()),
        "counts": [(s.value, s.label, counts.get(s.value, 0)) for s in ObjectiveStatus],
    }


@register.simple_tag
def plan_summary(organisation: Organisation, person: User) -> dict[str, Any]:
    """The person's current plan with its objectives counted by status (two queries)."""
    return _summary(organisation, person)


@register.simple_tag
def plan_dashboard(organisation: Organisation, user: User, roles: Any) -> dict[str, Any]:
    """For the signed-in person's dashboard: her own plan, and the plans of those she
    supervises that wait for her agreement."""
    data = _summary(organisation, user)
    data["awaiting"] = plans_awaiting_agreement(organisation=organisation, supervisor=user)
    data["show"] = bool(data["plan"] or data["awaiting"] or "manager" in (roles or ()))
    return data
