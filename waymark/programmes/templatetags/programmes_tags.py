"""Template tags for the programmes card on the dashboard and the section of a person's
page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template

from waymark.organisations.access import SELF

from .. import selectors
from ..models import Session

register = template.Library()

# Who sees a person's programmes and attendance on her page (never her CPD entries).
PERSON_RELATIONS = frozenset({SELF, "supervisor", "mentor", "coach", "ld-lead", "admin"})


@dataclass
class DashboardCard:
    manage: bool
    facilitates: bool
    places: list[selectors.MyProgramme]
    next: Any
    feedback_due: int


@register.simple_tag(takes_context=True)
def programmes_dashboard(context: dict[str, Any]) -> DashboardCard:
    request = context["request"]
    organisation = context["organisation"]
    roles: frozenset[str] = frozenset(
        context.get("current_roles") or getattr(request, "roles", None) or ()
    )
    places = selectors.my_programmes(request.user, organisation)
    upcoming = sorted((s for p in places for s in p.upcoming), key=lambda s: (s.date, s.start_time))
    return DashboardCard(
        manage=selectors.can_manage(roles),
        facilitates=Session.objects.filter(
            programme__organisation=organisation, facilitators=request.user
        ).exists(),
        places=places,
        next=upcoming[0] if upcoming else None,
        feedback_due=sum(len(p.feedback_due) for p in places),
    )


@dataclass
class PersonSection:
    places: list[selectors.MyProgramme]
    link: bool


@register.simple_tag(takes_context=True)
def programmes_person(context: dict[str, Any], person: Any, relations: Any) -> PersonSection | None:
    relations = frozenset(relations or ())
    if not relations & PERSON_RELATIONS:
        return None
    places = selectors.person_programmes(person, context["organisation"]).places
    return PersonSection(places=places, link=bool(relations & {SELF, "ld-lead", "admin"}))
