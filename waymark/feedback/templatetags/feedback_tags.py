"""Template tags for the feedback card, the person section and the "others' views"
section of the gap analysis page."""

from __future__ import annotations

from typing import Any

from django import template

from waymark.organisations.access import SELF

from ..selectors import (
    MANAGE_RELATIONS,
    RESULT_RELATIONS,
    latest_results_for,
    min_group,
    rounds_for,
)

register = template.Library()


@register.simple_tag
def feedback_overview(organisation: Any, person: Any, relations: Any = None) -> dict[str, Any]:
    """What the dashboard card and person section show: the open round (with counts),
    the latest closed one, and what the viewer may do. One query."""
    rel = set(relations) if relations is not None else {SELF}
    visible = bool(rel & RESULT_RELATIONS)
    if not visible:
        return {"visible": False}
    rounds = list(rounds_for(organisation=organisation, person=person)[:5])
    return {
        "visible": True,
        "is_self": SELF in rel,
        "may_manage": bool(rel & MANAGE_RELATIONS),
        "open_round": next((r for r in rounds if r.is_open), None),
        "latest_closed": next((r for r in rounds if not r.is_open), None),
        "any": bool(rounds),
    }


@register.inclusion_tag("feedback/_gap_others.html")
def feedback_gap_others(
    organisation: Any, person: Any, relations: Any, analysis: Any = None
) -> dict[str, Any]:
    """Others' views (latest closed round with results) beside the gap analysis, for the
    competences of the analysis, with the same anonymity rule as the results page."""
    rel = set(relations or ())
    if not rel & RESULT_RELATIONS:
        return {"results": None}
    results = latest_results_for(organisation=organisation, person=person)
    if results is None:
        return {"results": None}
    wanted = {r.node.pk for r in analysis.rows} if analysis is not None else None
    rows = [
        {"row": r, "cells": r.cell_list(results.columns)}
        for r in results.rows
        if wanted is None or r.node.pk in wanted
    ]
    return {
        "results": results,
        "rows": rows,
        "organisation": organisation,
        "person": person,
        "min_group": min_group(),
        "is_self": SELF in rel,
    }
