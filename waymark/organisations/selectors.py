from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Membership, Organisation, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from waymark.accounts.models import User


def organisations_of(user: User | AnonymousUser) -> list[Organisation]:
    if not user.is_authenticated:
        return []
    return list(Organisation.objects.filter(memberships__user=user).distinct().order_by("name"))


def members_of(organisation: Organisation) -> list[dict[str, object]]:
    """Each member once, with all their roles, in name order."""
    people: dict[int, dict[str, object]] = {}
    for m in (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__full_name", "user__email", "role")
    ):
        entry = people.setdefault(m.user_id, {"user": m.user, "roles": []})
        roles = entry["roles"]
        assert isinstance(roles, list)
        roles.append(Role(m.role).label)
    return list(people.values())
