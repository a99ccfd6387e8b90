from __future__ import annotations

from typing import Any

from django import template

from waymark.frameworks.models import Node
from waymark.tailoring.selectors import focus_for as _focus_for
from waymark.tailoring.selectors import front_page_html as _front_page_html

register = template.Library()


@register.simple_tag
def front_page_html(organisation: Any) -> str:
    """The organisation's front page text, sanitised when it was saved."""
    if organisation is None:
        return ""
    return _front_page_html(organisation)


@register.simple_tag(takes_context=True)
def standards_focus(context: Any) -> dict[str, Any] | None:
    """On the public standards index reached from an organisation (`?org=<slug>`): that
    organisation's focus frameworks and domains, for a signed-in member only. Shared
    frameworks only: an organisation's own framework never shows on public pages."""
    from waymark.frameworks.models import Edition
    from waymark.organisations.models import Membership

    request = context.get("request")
    slug = request.GET.get("org", "") if request is not None else ""
    user = getattr(request, "user", None)
    if not slug or user is None or not user.is_authenticated:
        return None
    membership = (
        Membership.objects.filter(organisation__slug=slug, user=user)
        .select_related("organisation")
        .first()
    )
    if membership is None:
        return None
    organisation = membership.organisation
    focus = _focus_for(organisation)
    if not focus:
        return None
    editions = list(
        Edition.objects.public()
        .filter(framework_id__in=focus.framework_ids, is_current=True, status="published")
        .select_related("framework")
        .order_by("framework__title")
    )
    domains = {
        d.pk: d
        for d in Node.objects.public()
        .filter(pk__in=focus.domain_ids)
        .select_related("edition__framework")
    }
    return {
        "organisation": organisation,
        "rows": [(e, [d for d in domains.values() if d.edition_id == e.pk]) for e in editions],
    }
