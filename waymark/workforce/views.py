"""Workforce pages: the people list and teams (L&D leads and admins), a person's
workforce record and qualifications, and her own diversity monitoring answers (the
person only)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waymark.accounts.models import User
from waymark.organisations.access import SELF, person_view
from waymark.organisations.decorators import org_role
from waymark.organisations.models import Organisation, Role

from . import forms, selectors, services
from .models import DIVERSITY_FIELDS, ManagerLevel, QualificationRecord, ServiceArea, Team

LEADS = (Role.LD_LEAD, Role.ADMIN)


def _org(request: HttpRequest) -> Organisation:
    return request.organisation  # type: ignore[attr-defined]


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _person(request: HttpRequest) -> User:
    return request.person  # type: ignore[attr-defined]


def _relations(request: HttpRequest) -> frozenset[str]:
    return request.relations  # type: ignore[attr-defined]


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _org_crumb(request: HttpRequest) -> tuple[str, str]:
    org = _org(request)
    return (org.name, reverse("organisations:dashboard", kwargs={"org_slug": org.slug}))


def _people_crumb(request: HttpRequest) -> tuple[str, str]:
    return (_("Workforce"), reverse("workforce:people", kwargs={"org_slug": _org(request).slug}))


def _person_url(request: HttpRequest, name: str = "person", **kwargs: Any) -> str:
    return reverse(
        f"workforce:{name}",
        kwargs={"org_slug": _org(request).slug, "person_id": _person(request).pk, **kwargs},
    )


def _person_crumbs(request: HttpRequest) -> list[tuple[str, str]]:
    org = _org(request)
    person = _person(request)
    crumbs = [_org_crumb(request)]
    if _relations(request) & selectors.RECORD_EDITORS:
        crumbs.append(_people_crumb(request))
    crumbs.append(
        (
            person.display_name,
            reverse("organisations:person", kwargs={"org_slug": org.slug, "person_id": person.pk}),
        )
    )
    return crumbs


def _form_page(request: HttpRequest, form: Any, **context: Any) -> HttpResponse:
    return render(
        request,
        "workforce/form_page.html",
        {"organisation": _org(request), "form": form, **context},
    )


# --- people and teams -----------------------------------------------------------------


@org_role(*LEADS)
def people(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = _org(request)
    teams = selectors.teams_of(org)
    level = request.GET.get("level", "")
    area = request.GET.get("service_area", "")
    team_raw = request.GET.get("team", "")
    filters = selectors.PeopleFilters(
        level=level if level in ManagerLevel.values else "",
        service_area=area if area in ServiceArea.values else "",
        team=int(team_raw)
        if team_raw.isdigit() and int(team_raw) in {t.pk for t in teams}
        else None,
        q=request.GET.get("q", "").strip()[:100],
    )
    rows = selectors.people(org, filters)
    return render(
        request,
        "workforce/people.html",
        {
            "organisation": org,
            "rows": rows,
            "filters": filters,
            "teams": teams,
            "levels": ManagerLevel.choices,
            "areas": ServiceArea.choices,
            "breadcrumbs": [_org_crumb(request)],
        },
    )


@org_role(*LEADS)
def teams(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = _org(request)
    form = forms.TeamForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.team_create(
                actor=_actor(request), organisation=org, name=form.cleaned_data["name"]
            )
        except services.WorkforceError as e:
            form.add_error("name", str(e))
        else:
            messages.success(request, _("Team or service added."))
            return redirect("workforce:teams", org_slug=org.slug)
    return render(
        request,
        "workforce/teams.html",
        {
            "organisation": org,
            "form": form,
            "teams": selectors.teams_of(org),
            "breadcrumbs": [_org_crumb(request), _people_crumb(request)],
        },
    )


@org_role(*LEADS)
def team_edit(request: HttpRequest, org_slug: str, team_id: int) -> HttpResponse:
    org = _org(request)
    team = get_object_or_404(Team, pk=team_id, organisation=org)
    form = forms.TeamForm(_posted(request), initial={"name": team.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(actor=_actor(request), team=team, name=form.cleaned_data["name"])
        except services.WorkforceError as e:
            form.add_error("name", str(e))
        else:
            messages.success(request, _("Saved."))
            return redirect("workforce:teams", org_slug=org.slug)
    return _form_page(
        request,
        form,
        title=_("Rename %(team)s") % {"team": team.name},
        cancel_url=reverse("workforce:teams", kwargs={"org_slug": org.slug}),
        breadcrumbs=[
            _org_crumb(request),
            _people_crumb(request),
            (_("Teams and services"), reverse("workforce:teams", kwargs={"org_slug": org.slug})),
        ],
    )


# --- a person -------------------------------------------------------------------------


@org_role()
@person_view(*selectors.RECORD_READERS)
def person(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    org = _org(request)
    who = _person(request)
    relations = _relations(request)
    return render(
        request,
        "workforce/person.html",
        {
            "organisation": org,
            "person": who,
            "relations": relations,
            "record": selectors.record_of(who, org),
            "qualifications": selectors.qualifications_of(who, org),
            "can_edit_record": bool(relations & selectors.RECORD_EDITORS),
            "can_edit_qualifications": bool(relations & selectors.QUALIFICATION_EDITORS),
            "is_self": SELF in relations,
            "breadcrumbs": _person_crumbs(request),
        },
    )


@org_role()
@person_view(*selectors.RECORD_EDITORS)
def record_edit(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    org = _org(request)
    who = _person(request)
    record = selectors.record_of(who, org)
    initial = (
        {
            "manager_level": record.manager_level,
            "service_area": record.service_area,
            "team": record.team_id,
        }
        if record
        else {}
    )
    form = forms.RecordForm(_posted(request), initial=initial, teams=selectors.teams_of(org))
    if request.method == "POST" and form.is_valid():
        services.record_set(
            actor=_actor(request),
            organisation=org,
            person=who,
            manager_level=form.cleaned_data["manager_level"],
            service_area=form.cleaned_data["service_area"],
            team=form.chosen_team(),
        )
        messages.success(request, _("Saved."))
        return redirect(_person_url(request))
    return _form_page(
        request,
        form,
        title=_("Workforce record of %(name)s") % {"name": who.display_name},
        intro=_("The sector, size and region come from the organisation's details."),
        cancel_url=_person_url(request),
        breadcrumbs=_person_crumbs(request),
    )


@org_role()
@person_view(*selectors.QUALIFICATION_EDITORS)
def qualification_add(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    form = forms.QualificationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.qualification_add(
            actor=_actor(request),
            organisation=_org(request),
            person=_person(request),
            qualification=form.cleaned_data["qualification"],
            title=form.cleaned_data["title"],
            status=form.cleaned_data["status"],
            achieved_on=form.cleaned_data["achieved_on"],
            expected_on=form.cleaned_data["expected_on"],
        )
        messages.success(request, _("Qualification added."))
        return redirect(_person_url(request))
    return _form_page(
        request,
        form,
        title=_("Add a qualification held or being studied"),
        cancel_url=_person_url(request),
        breadcrumbs=_person_crumbs(request),
    )


def _qualification_or_404(request: HttpRequest, qualification_id: int) -> QualificationRecord:
    return get_object_or_404(
        QualificationRecord.objects.select_related("qualification", "organisation"),
        pk=qualification_id,
        organisation=_org(request),
        user=_person(request),
    )


@org_role()
@person_view(*selectors.QUALIFICATION_EDITORS)
def qualification_edit(
    request: HttpRequest, org_slug: str, person_id: int, qualification_id: int
) -> HttpResponse:
    record = _qualification_or_404(request, qualification_id)
    initial = {
        "qualification": record.qualification,
        "title": record.title,
        "status": record.status,
        "achieved_on": record.achieved_on,
        "expected_on": record.expected_on,
    }
    form = forms.QualificationForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.qualification_update(
            actor=_actor(request),
            record=record,
            qualification=form.cleaned_data["qualification"],
            title=form.cleaned_data["title"],
            status=form.cleaned_data["status"],
            achieved_on=form.cleaned_data["achieved_on"],
            expected_on=form.cleaned_data["expected_on"],
        )
        messages.success(request, _("Saved."))
        return redirect(_person_url(request))
    return _form_page(
        request,
        form,
        title=_("Change %(q)s") % {"q": record.display_title},
        cancel_url=_person_url(request),
        breadcrumbs=_person_crumbs(request),
    )


@org_role()
@person_view(*selectors.QUALIFICATION_EDITORS)
@require_POST
def qualification_delete(
    request: HttpRequest, org_slug: str, person_id: int, qualification_id: int
) -> HttpResponse:
    record = _qualification_or_404(request, qualification_id)
    services.qualification_delete(actor=_actor(request), record=record)
    messages.success(request, _("Qualification removed."))
    return redirect(_person_url(request))


# --- diversity monitoring: the person only --------------------------------------------


@org_role()
@person_view(SELF)
def diversity(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    """The person's own diversity monitoring answers. `person_view(SELF)`: anyone else
    with a relation gets 403, everyone else 404."""
    who = _person(request)
    if who.pk != request.user.pk:  # belt and braces: never anyone else's answers
        raise Http404
    answers = selectors.own_diversity(who)
    initial = {f: getattr(answers, f) for f in DIVERSITY_FIELDS} if answers else {}
    form = forms.DiversityForm(_posted(request), initial=initial)
    if request.method == "POST" and "withdraw" in request.POST:
        services.diversity_clear(actor=_actor(request), person=who)
        messages.success(request, _("Your answers have been removed."))
        return redirect(_person_url(request, "diversity"))
    if request.method == "POST" and form.is_valid():
        services.diversity_set(actor=_actor(request), person=who, answers=dict(form.cleaned_data))
        messages.success(request, _("Your answers have been saved. Only you can see them."))
        return redirect(_person_url(request))
    response = render(
        request,
        "workforce/diversity.html",
        {
            "organisation": _org(request),
            "person": who,
            "form": form,
            "answered": answers is not None,
            "breadcrumbs": _person_crumbs(request),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response
