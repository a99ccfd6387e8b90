from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .models import Role


def org_role(
    *allowed: Role | str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Allow an organisation view only to members holding one of `allowed` roles
    (403 for other members; non-members never get here: the middleware 404s them).
    With no roles given, any member may see it."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            roles: frozenset[str] = getattr(request, "roles", frozenset())
            if not roles:
                raise PermissionDenied
            if allowed and not roles.intersection(str(r) for r in allowed):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.org_roles = tuple(str(r) for r in allowed)  # type: ignore[attr-defined]
        return wrapper

    return decorator
