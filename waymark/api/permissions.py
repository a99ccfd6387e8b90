"""Who may do what through the API. Reading the standards needs only a sign-in; changing
them needs a site-wide standards editor. Organisation endpoints resolve membership
themselves (404 for outsiders, through `organisation_for`) and check roles with
`HasOrganisationRole`."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from waymark.organisations.models import Role


def is_standards_editor(user: Any) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and (getattr(user, "is_standards_editor", False) or user.is_superuser)
    )


class IsStandardsEditorOrReadOnly(BasePermission):
    """Any signed-in person may read; only standards editors may write."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or is_standards_editor(request.user)


class CanSeeMembers(BasePermission):
    """Organisation admins and learning and development leads (403 for other members).
    The view puts the caller's roles on `request.organisation_roles` first."""

    allowed = frozenset({Role.ADMIN.value, Role.LD_LEAD.value})

    def has_permission(self, request: Request, view: APIView) -> bool:
        roles: frozenset[str] = getattr(request, "organisation_roles", frozenset())
        return bool(roles & self.allowed)
