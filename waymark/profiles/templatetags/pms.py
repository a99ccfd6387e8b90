"""What the organisation dashboard card and a person's page show about role profiles and
the PMS, in a constant number of queries."""

from __future__ import annotations

from typing import Any

from django import template

from waymark.organisations.models import Role
from waymark.profiles.models import RoleProfile, Specification
from waymark.profiles.selectors import PMS_READERS, PROFILE_EDITORS

register = template.Library()


def _spec_summary(organisation: Any, person: Any) -> Specification | None:
    return (
        Specification.objects.filter(organisation=organisation, manager=person)
        .select_related("current__agreed_by")
        .first()
    )


@register.simple_tag(takes_context=True)
def pms_dashboard(context: template.Context) -> dict[str, Any]:
    """For the signed-in member: her own PMS (if she is a manager or supervisor, or has
    one) and, for L&D leads and admins, the number of active role profiles."""
    request = context.get("request")
    organisation = context.get("organisation")
    roles: frozenset[str] = frozenset(context.get("current_roles") or ())
    if request is None or organisation is None or not request.user.is_authenticated:
        return {}
    spec = _spec_summary(organisation, request.user)
    out: dict[str, Any] = {
        "spec": spec,
        "show_pms": spec is not None or bool(roles & {Role.MANAGER.value, Role.SUPERVISOR.value}),
        "can_edit_profiles": bool(roles & PROFILE_EDITORS),
    }
    if out["can_edit_profiles"]:
        out["n_profiles"] = RoleProfile.objects.filter(
            organisation=organisation, archived=False
        ).count()
    return out


@register.simple_tag(takes_context=True)
def pms_person(context: template.Context) -> dict[str, Any]:
    """For a person's page: her PMS, if the viewer may see it."""
    organisation = context.get("organisation")
    person = context.get("person")
    relations: frozenset[str] = frozenset(context.get("relations") or ())
    if organisation is None or person is None or not relations & PMS_READERS:
        return {"allowed": False}
    spec = _spec_summary(organisation, person)
    n = spec.current.competences.count() if spec and spec.current else 0
    return {"allowed": True, "spec": spec, "n_competences": n, "is_self": "self" in relations}


@register.simple_tag
def level_scale() -> list[tuple[int, str]]:
    """The level scale (0 to 4), each level in plain words."""
    from waymark.profiles.models import Level

    return [(int(v), str(label)) for v, label in Level.choices]
