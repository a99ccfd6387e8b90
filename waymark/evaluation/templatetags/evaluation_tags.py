"""The evaluation dashboard card's one read: the programmes the signed-in user
facilitates, whose evaluation summaries she may read."""

from __future__ import annotations

from typing import Any

from django import template

from waymark.programmes.models import Programme, Session

register = template.Library()


@register.simple_tag(takes_context=True)
def facilitated_programmes(context: Any) -> list[Programme]:
    organisation = context.get("organisation")
    request = context.get("request")
    user = getattr(request, "user", None)
    if organisation is None or user is None or not user.is_authenticated:
        return []
    return list(
        Programme.objects.filter(
            organisation=organisation,
            pk__in=Session.objects.filter(facilitators=user).values("programme_id"),
        )
    )
