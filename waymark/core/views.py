from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from waymark.organisations.selectors import organisations_of


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        organisations = organisations_of(request.user)
        if len(organisations) == 1:
            return redirect("organisations:dashboard", org_slug=organisations[0].slug)
    return render(request, "core/home.html")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/403.html", status=403)


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")
