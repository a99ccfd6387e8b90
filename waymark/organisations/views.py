from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .decorators import org_role
from .forms import MemberAddForm, OrganisationForm
from .models import Organisation, Role
from .selectors import members_of
from .services import membership_add, organisation_update


@org_role()
def dashboard(request: HttpRequest, org_slug: str) -> HttpResponse:
    return render(request, "organisations/dashboard.html", {"organisation": request.organisation})  # type: ignore[attr-defined]


@org_role(Role.ADMIN, Role.LD_LEAD)
def members(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    return render(request, "organisations/members.html", {"organisation": org, "members": members_of(org)})


@org_role(Role.ADMIN)
def member_add(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        m = membership_add(actor=request.user, organisation=org, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("%(email)s is now a member as %(role)s.") % {"email": m.user.email, "role": m.get_role_display()})
        return redirect("organisations:members", org_slug=org.slug)
    return render(request, "organisations/member_add.html", {"organisation": org, "form": form})


@org_role(Role.ADMIN)
def settings_edit(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    form = OrganisationForm(request.POST or None, instance=Organisation.objects.get(pk=org.pk))
    if request.method == "POST" and form.is_valid():
        organisation_update(actor=request.user, organisation=org, data=form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("Organisation details saved."))
        return redirect("organisations:dashboard", org_slug=org.slug)
    return render(request, "organisations/settings.html", {"organisation": org, "form": form})
