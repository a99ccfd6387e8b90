"""Template helpers for the assessment card on the organisation dashboard and the
assessment section of a person's page (both included by organisations templates, which
give no view of ours a chance to add context)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from waymark.organisations.access import SELF

from ..selectors import VIEWER_RELATIONS, GapRow, gap_analysis, overview

register = template.Library()


@register.simple_tag
def assessment_overview(
    organisation: Any, person: Any, relations: Iterable[str] | None = None
) -> dict[str, Any]:
    """What a viewer may see of `person`'s self-assessment: for the person herself,
    her PMS, round in progress and latest completed round; for her supervisor, L&D lead
    or admin, the latest completed round with its three highest-priority gaps; for
    anyone else (mentors, coaches) nothing. Two queries, five with the top gaps."""
    rel = set(relations) if relations is not None else {SELF}
    if SELF in rel:
        return {
            "visible": True,
            "is_self": True,
            "overview": overview(organisation=organisation, person=person),
        }
    if not rel & VIEWER_RELATIONS:
        return {"visible": False}
    seen = overview(organisation=organisation, person=person, include_open=False)
    top: list[GapRow] = []
    if seen.latest is not None:
        top = gap_analysis(seen.latest).gaps[:3]
    return {"visible": True, "is_self": False, "overview": seen, "top": top}
