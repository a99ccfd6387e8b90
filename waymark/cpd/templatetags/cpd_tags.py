"""Template helpers for the CPD record: figures for the dashboard card and the person
page (read through the one visibility rule), and numbers shown the same way everywhere."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format

from waymark.organisations.access import SELF, SUPPORTER_RELATIONS

from ..models import plain_hours, scqf_credits
from ..selectors import OwnCard, SupportedCard, own_card, supported_cards, supporter_card

register = template.Library()


@register.filter
def hours(value: Decimal | int | float | None) -> str:
    """Hours without trailing zeros: 25, 1.5, 0.25."""
    return number_format(plain_hours(value or 0), use_l10n=True)


@register.filter
def credits(value: Decimal | int | float | None) -> str:
    """SCQF credit points for a number of hours, to one decimal place."""
    return number_format(scqf_credits(value), decimal_pos=1, use_l10n=True)


@register.filter
def one_decimal(value: Decimal | None) -> str:
    return number_format(value or Decimal("0"), decimal_pos=1, use_l10n=True)


@register.simple_tag(takes_context=True)
def cpd_dashboard(context: template.Context) -> dict[str, Any]:
    """The signed-in person's own figures (if she is a manager here) and, for each manager
    she supports, what has been shared with her. Three queries at most."""
    request = context.get("request")
    organisation = context.get("organisation")
    if request is None or organisation is None or not request.user.is_authenticated:
        return {"own": None, "supported": []}
    roles = context.get("current_roles") or frozenset()
    own: OwnCard | None = None
    if "manager" in roles:
        own = own_card(person=request.user, organisation=organisation)
    supported: list[SupportedCard] = supported_cards(
        supporter=request.user, organisation=organisation
    )
    return {"own": own, "supported": supported}


@register.simple_tag(takes_context=True)
def cpd_person(context: template.Context, person: Any, relations: Any) -> dict[str, Any]:
    """What the person page shows of someone's CPD record, to this viewer."""
    request = context.get("request")
    organisation = context.get("organisation")
    relations = frozenset(relations or ())
    if request is None or organisation is None:
        return {}
    if SELF in relations:
        return {"own": own_card(person=person, organisation=organisation)}
    if relations & SUPPORTER_RELATIONS:
        return {
            "supporter": supporter_card(
                viewer=request.user, person=person, organisation=organisation, relations=relations
            )
        }
    return {"private": True}
