"""Tenancy, in one place. Every URL with an `org_slug` argument resolves here to
`request.organisation` and `request.roles`; anyone who is not a member of that
organisation gets 404, so another organisation's pages and data are unreachable."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from .models import Membership, Organisation


class OrganisationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        slug = view_kwargs.get("org_slug")
        if slug is None:
            return None
        if request.path.startswith("/api/"):
            # The API authenticates by token inside DRF; it resolves tenancy itself
            # through `waymark.organisations.selectors.organisation_for`.
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        organisation, roles = organisation_for(request.user.pk, slug)
        request.organisation = organisation  # type: ignore[attr-defined]
        request.roles = roles  # type: ignore[attr-defined]
        return None


def organisation_for(user_id: int, slug: str) -> tuple[Organisation, frozenset[str]]:
    """The organisation and the person's roles in it, or 404 if they are not a member."""
    roles = frozenset(
        Membership.objects.filter(organisation__slug=slug, user_id=user_id).values_list(
            "role", flat=True
        )
    )
    if not roles:
        raise Http404("No such organisation")
    return Organisation.objects.get(slug=slug), roles
