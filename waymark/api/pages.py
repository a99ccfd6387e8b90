"""The page where a signed-in person sees, creates, replaces or revokes their API token."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

from .services import token_create, token_delete


@login_required
@require_http_methods(["GET", "POST"])
def token_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert user.pk is not None  # login_required
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            token_create(actor=user, replace=True)
            messages.success(
                request, _("Your new API token is below. The old one, if any, no longer works.")
            )
        elif action == "delete":
            token_delete(actor=user)
            messages.success(request, _("Your API token is revoked."))
        return redirect("api:token_page")
    token = Token.objects.filter(user_id=user.pk).first()
    return render(request, "api/token.html", {"token": token, "nav_section": "account"})
