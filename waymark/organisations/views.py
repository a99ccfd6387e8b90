from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .access import ORGANISATION_RELATIONS, SELF, SUPPORTER_RELATIONS, person_view
from .decorators import org_role
from .forms import MemberAddForm, OrganisationForm, SupportForm
from .models import Organisation, Role, SupportRelationship
from .selectors import members_of
from .services import membership_add, organisation_update, support_add
from .services import support_remove as support_remove_service


@org_role()
def dashboard(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    roles = request.roles  # type: ignore[attr-defined]
    supported = (
        SupportRelationship.objects.filter(organisation=org, supporter_id=request.user.pk)
        .select_related("manager")
        .order_by("manager__full_name")
    )
    return render(
        request,
        "organisations/dashboard.html",
        {
            "organisation": org,
            "role_labels": [r.label for r in Role if r.value in roles],
            "supported": list(supported),
        },
    )


@org_role()
@person_view(SELF, *SUPPORTER_RELATIONS, *ORGANISATION_RELATIONS)
def person(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    """One person's development at a glance, as far as the viewer may see it."""
    context = {
        "organisation": request.organisation,  # type: ignore[attr-defined]
        "person": request.person,  # type: ignore[attr-defined]
        "relations": request.relations,  # type: ignore[attr-defined]
    }
    return render(request, "organisations/person.html", context)


@org_role(Role.ADMIN, Role.LD_LEAD)
def support(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    form = SupportForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        support_add(actor=request.user, organisation=org, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("Saved."))
        return redirect("organisations:support", org_slug=org.slug)
    relationships = (
        SupportRelationship.objects.filter(organisation=org)
        .select_related("manager", "supporter")
        .order_by("manager__full_name", "kind")
    )
    return render(
        request,
        "organisations/support.html",
        {"organisation": org, "form": form, "relationships": relationships},
    )


@org_role(Role.ADMIN, Role.LD_LEAD)
@require_POST
def support_remove(request: HttpRequest, org_slug: str, relationship_id: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    rel = get_object_or_404(SupportRelationship, organisation=org, pk=relationship_id)
    support_remove_service(actor=request.user, relationship=rel)  # type: ignore[arg-type]
    messages.success(request, _("Removed."))
    return redirect("organisations:support", org_slug=org.slug)


@org_role(Role.ADMIN, Role.LD_LEAD)
def members(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    return render(
        request, "organisations/members.html", {"organisation": org, "members": members_of(org)}
    )


@org_role(Role.ADMIN)
def member_add(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        m = membership_add(actor=request.user, organisation=org, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(
            request,
            _("%(email)s is now a member as %(role)s.")
            % {"email": m.user.email, "role": m.get_role_display()},
        )
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
