from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    organisations = []
    if request.user.is_authenticated:
        from waymark.organisations.selectors import organisations_of

        organisations = organisations_of(request.user)
    return {
        "site_name": "Waymark",
        "my_organisations": organisations,
        "current_organisation": getattr(request, "organisation", None),
        "current_roles": getattr(request, "roles", frozenset()),
    }
