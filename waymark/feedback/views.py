"""Pages for 360° feedback: a person's rounds, starting one, inviting raters and
following their invitations (the manager, or her L&D lead or admin for her), and the
results of a closed round (also her supervisor). The raters' own pages are in
rater_views.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from waymark.accounts.models import User
from waymark.assessment.selectors import competences_by_domain
from waymark.core.forms import add_service_errors
from waymark.organisations.access import SELF, person_view
from waymark.organisations.decorators import org_role
from waymark.profiles.models import Specification

from . import charts, services
from .forms import InviteForm, RoundForm
from .models import FeedbackRound, RaterGroup, RaterInvitation
from .selectors import (
    MANAGE_RELATIONS,
    PAGE_RELATIONS,
    compare,
    min_group,
    previous_closed,
    round_results,
    rounds_for,
    showable,
)

MANAGE = tuple(sorted(MANAGE_RELATIONS))


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _scope(request: HttpRequest) -> tuple[Any, Any, frozenset[str]]:
    return request.organisation, request.person, request.relations  # type: ignore[attr-defined]


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    organisation, person, relations = _scope(request)
    return {
        "organisation": organisation,
        "person": person,
        "relations": relations,
        "is_self": SELF in relations,
        "may_manage": bool(relations & MANAGE_RELATIONS),
        "min_group": min_group(),
        **extra,
    }


def _round(request: HttpRequest, round_id: int) -> FeedbackRound:
    organisation, person, _relations = _scope(request)
    return get_object_or_404(
        FeedbackRound.objects.select_related("revision", "manager", "organisation"),
        pk=round_id,
        organisation=organisation,
        manager=person,
    )


def _round_url(request: HttpRequest, feedback_round: FeedbackRound, name: str = "round") -> str:
    organisation, person, _relations = _scope(request)
    return reverse(
        f"feedback:{name}",
        kwargs={
            "org_slug": organisation.slug,
            "person_id": person.pk,
            "round_id": feedback_round.pk,
        },
    )


def _invitation(
    request: HttpRequest, feedback_round: FeedbackRound, invitation_id: int
) -> RaterInvitation:
    return get_object_or_404(
        RaterInvitation.objects.select_related("round__manager", "round__organisation"),
        pk=invitation_id,
        round=feedback_round,
    )


@org_role()
@person_view(*PAGE_RELATIONS)
def round_list(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    organisation, person, _relations = _scope(request)
    rounds = list(rounds_for(organisation=organisation, person=person))
    has_pms = Specification.objects.filter(
        organisation=organisation, manager=person, current__isnull=False
    ).exists()
    return render(
        request,
        "feedback/round_list.html",
        _context(request, rounds=rounds, has_pms=has_pms),
    )


@org_role()
@person_view(*MANAGE)
def round_start(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    organisation, person, relations = _scope(request)
    spec = (
        Specification.objects.filter(organisation=organisation, manager=person)
        .select_related("current")
        .first()
    )
    if spec is None or spec.current is None:
        return render(request, "feedback/no_pms.html", _context(request))
    groups = competences_by_domain(spec.current.pk)
    form = RoundForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            feedback_round = services.round_create(
                actor=_actor(request),
                organisation=organisation,
                manager=person,
                relations=relations,
                competence_ids=form.cleaned_data["competences"],
                note=form.cleaned_data["note"],
                closes_on=form.cleaned_data["closes_on"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Feedback round started. Now invite your raters."))
            return redirect(_round_url(request, feedback_round, "invite"))
    return render(
        request,
        "feedback/round_start.html",
        _context(request, form=form, revision=spec.current, groups=groups, chosen=form.chosen()),
    )


@org_role()
@person_view(*MANAGE)
def round_detail(
    request: HttpRequest, org_slug: str, person_id: int, round_id: int
) -> HttpResponse:
    feedback_round = _round(request, round_id)
    invitations = list(feedback_round.invitations.order_by("group", "email", "pk"))
    counts = {g: 0 for g in RaterGroup.values}
    for inv in invitations:
        if inv.is_submitted:
            counts[inv.group] += 1
    by_group = [
        {
            "label": label,
            "key": key,
            "invitations": [i for i in invitations if i.group == key],
            "submitted": counts[key],
            "live": sum(1 for i in invitations if i.group == key and not i.is_revoked),
            "is_line_manager": key == RaterGroup.LINE_MANAGER,
        }
        for key, label in RaterGroup.choices
    ]
    return render(
        request,
        "feedback/round_detail.html",
        _context(
            request,
            round=feedback_round,
            by_group=[g for g in by_group if g["invitations"]],
            invitations=invitations,
            submitted=sum(counts.values()),
            ready=showable(counts),
            competence_count=feedback_round.competences.count(),
        ),
    )


@org_role()
@person_view(*MANAGE)
def invite(request: HttpRequest, org_slug: str, person_id: int, round_id: int) -> HttpResponse:
    feedback_round = _round(request, round_id)
    if not feedback_round.is_open:
        messages.error(request, _("This feedback round is closed: no one else can be invited."))
        return redirect(_round_url(request, feedback_round))
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        group = form.cleaned_data["group"]
        raters = [
            services.RaterInput(group=group, email=r.email, name=r.name)
            for r in form.cleaned_data["raters"]
        ]
        try:
            issued = services.invitations_create(
                actor=_actor(request),
                feedback_round=feedback_round,
                raters=raters,
                site_url=request.build_absolute_uri("/"),
            )
        except ValidationError as e:
            for message in e.message_dict.get("raters", e.messages):
                form.add_error("raters", message)
            return render(
                request,
                "feedback/invite.html",
                _context(request, form=form, round=feedback_round),
            )
        skipped = len(raters) - len(issued)
        # The links are shown now, once: only their hashes are kept.
        return render(
            request,
            "feedback/links.html",
            _context(
                request,
                round=feedback_round,
                issued=issued,
                skipped=skipped,
                heading=ngettext("%(count)d rater invited", "%(count)d raters invited", len(issued))
                % {"count": len(issued)},
                emailed=True,
            ),
        )
    return render(
        request,
        "feedback/invite.html",
        _context(request, form=form, round=feedback_round),
    )


@org_role()
@person_view(*MANAGE)
@require_POST
def invitation_revoke(
    request: HttpRequest, org_slug: str, person_id: int, round_id: int, invitation_id: int
) -> HttpResponse:
    feedback_round = _round(request, round_id)
    invitation = _invitation(request, feedback_round, invitation_id)
    services.invitation_revoke(actor=_actor(request), invitation=invitation)
    messages.success(
        request, _("The link for %(email)s no longer works.") % {"email": invitation.email}
    )
    return redirect(_round_url(request, feedback_round))


@org_role()
@person_view(*MANAGE)
@require_POST
def invitation_remind(
    request: HttpRequest, org_slug: str, person_id: int, round_id: int, invitation_id: int
) -> HttpResponse:
    feedback_round = _round(request, round_id)
    invitation = _invitation(request, feedback_round, invitation_id)
    try:
        services.invitation_remind(
            actor=_actor(request), invitation=invitation, site_url=request.build_absolute_uri("/")
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(
            request, _("A reminder has been sent to %(email)s.") % {"email": invitation.email}
        )
    return redirect(_round_url(request, feedback_round))


@org_role()
@person_view(*MANAGE)
@require_POST
def invitation_link(
    request: HttpRequest, org_slug: str, person_id: int, round_id: int, invitation_id: int
) -> HttpResponse:
    feedback_round = _round(request, round_id)
    invitation = _invitation(request, feedback_round, invitation_id)
    try:
        issued = services.invitation_new_link(
            actor=_actor(request), invitation=invitation, site_url=request.build_absolute_uri("/")
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect(_round_url(request, feedback_round))
    return render(
        request,
        "feedback/links.html",
        _context(
            request,
            round=feedback_round,
            issued=[issued],
            skipped=0,
            heading=_("A new link for %(email)s") % {"email": invitation.email},
            emailed=False,
        ),
    )


@org_role()
@person_view(*MANAGE)
def round_close(request: HttpRequest, org_slug: str, person_id: int, round_id: int) -> HttpResponse:
    feedback_round = _round(request, round_id)
    if not feedback_round.is_open:
        return redirect(_round_url(request, feedback_round, "results"))
    if request.method == "POST":
        services.round_close(actor=_actor(request), feedback_round=feedback_round)
        messages.success(request, _("The feedback round is closed."))
        return redirect(_round_url(request, feedback_round, "results"))
    pending = feedback_round.invitations.filter(
        submitted_at__isnull=True, revoked_at__isnull=True
    ).count()
    return render(
        request,
        "feedback/round_close.html",
        _context(request, round=feedback_round, pending=pending),
    )


@org_role()
@person_view(*PAGE_RELATIONS)
def results(request: HttpRequest, org_slug: str, person_id: int, round_id: int) -> HttpResponse:
    feedback_round = _round(request, round_id)
    if feedback_round.is_open:
        # Results show once the round is closed: a page that changed with each answer
        # would tell the manager what the latest rater said.
        return render(
            request,
            "feedback/results_not_yet.html",
            _context(request, round=feedback_round),
        )
    found = round_results(feedback_round)
    if SELF in request.relations:  # type: ignore[attr-defined]
        services.results_seen(actor=_actor(request), feedback_round=feedback_round)
    before = previous_closed(feedback_round)
    comparison = compare(round_results(before), found) if before else []
    rows = [{"row": r, "cells": r.cell_list(found.columns)} for r in found.rows]
    domains = [{"d": d, "means": d.means(found.columns)} for d in found.domains]
    return render(
        request,
        "feedback/results.html",
        _context(
            request,
            round=feedback_round,
            results=found,
            rows=rows,
            domains=domains,
            previous=before,
            comparison=comparison,
            chart_svg=charts.results_svg(found),
        ),
    )
