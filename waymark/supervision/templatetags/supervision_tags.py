"""The data behind the supervision card on the organisation dashboard and the section
on a person's page (which the organisation templates include without knowing about
supervision)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from waymark.organisations.access import SELF
from waymark.organisations.models import SupportKind, SupportRelationship

from ..models import ActionPoint, ActionStatus
from ..selectors import actions_owned_by, overdue_actions, person_summary

register = template.Library()


@register.simple_tag(takes_context=True)
def supervision_dashboard(context: template.Context) -> dict[str, Any]:
    """For the signed-in person: her own supervision (last record, overdue actions), the
    action points that name her in others' supervision, and, if she supervises anyone,
    how many of their action points are overdue."""
    request = context.get("request")
    organisation = context.get("organisation")
    if request is None or organisation is None or not request.user.is_authenticated:
        return {}
    user = request.user
    supervised_ids = list(
        SupportRelationship.objects.filter(
            organisation=organisation, supporter=user, kind=SupportKind.SUPERVISOR
        ).values_list("manager_id", flat=True)
    )
    has_supervisor = SupportRelationship.objects.filter(
        organisation=organisation, manager=user, kind=SupportKind.SUPERVISOR
    ).exists()
    own = person_summary(organisation=organisation, manager=user)
    own_overdue = (
        list(overdue_actions(organisation=organisation, manager=user).order_by("due_date", "id"))
        if own.overdue_actions
        else []
    )
    supervisees_overdue = 0
    if supervised_ids:
        supervisees_overdue = ActionPoint.objects.filter(
            organisation=organisation,
            manager_id__in=supervised_ids,
            status=ActionStatus.OPEN,
            due_date__lt=timezone.localdate(),
        ).count()
    return {
        "show_own": has_supervisor or own.last_record is not None,
        "own": own,
        "own_overdue": own_overdue,
        "owned": actions_owned_by(organisation=organisation, user=user),
        "supervises": len(supervised_ids),
        "supervisees_overdue": supervisees_overdue,
    }


@register.simple_tag(takes_context=True)
def supervision_person(context: template.Context, person: Any, relations: Any) -> dict[str, Any]:
    """What the person page shows of someone's supervision, to this viewer: everything to
    the person and her supervisor; to L&D leads and admins the dates only; to mentors
    and coaches nothing."""
    organisation = context.get("organisation")
    relations = frozenset(relations or ())
    if organisation is None:
        return {}
    sees_all = SELF in relations or SupportKind.SUPERVISOR.value in relations
    sees_dates = bool(relations & {"ld-lead", "admin"})
    if not (sees_all or sees_dates):
        return {"private": True}
    summary = person_summary(organisation=organisation, manager=person)
    return {
        "full": sees_all,
        "summary": summary,
        "overdue": (
            list(overdue_actions(organisation=organisation, manager=person).order_by("due_date"))
            if sees_all and summary.overdue_actions
            else []
        ),
    }
