from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    organisations = []
    if request.user.is_authenticated:
        from waymark.organisations.selectors import organisations_of

        organisations = organisations_of(request.user)
    from django.conf import settings

    return {
        "site_name": "Waymark",
        "signup_open": settings.WAYMARK_ALLOW_SIGNUP,
        "my_organisations": organisations,
        "current_organisation": getattr(request, "organisation", None),
        "current_roles": getattr(request, "roles", frozenset()),
    }
