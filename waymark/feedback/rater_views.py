"""The raters' pages, at /rate/<token>/: no account, no organisation, the token alone.

Every response here:
- is rate limited by IP address (settings.FEEDBACK_RATE_LIMIT, 429 page);
- says nothing about whether a round exists when the token is unknown (404);
- carries `Referrer-Policy: no-referrer` (the token is in the address), `X-Robots-Tag:
  noindex` and `Cache-Control: no-store`;
- is marked as already logged, so Django's request logger never writes its address
  (which holds the token) for a 4xx answer. We write no log line with it either.
The pages need no session and set no cookie. They are exempt from Django's CSRF check:
the token in the address is itself an unguessable secret for this one rater, so a
forged cross-site request would need it already; and with `no-referrer` browsers send
`Origin: null` on a form post, which the check would refuse."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.core import is_ratelimited

from waymark.assessment.selectors import competences_by_domain

from . import services
from .forms import RaterForm, level_choices
from .models import RaterGroup, RaterInvitation
from .selectors import invitation_by_token

RATE_GROUP = "feedback-rater"


def private_headers(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    # Django's request logger writes the address of every 4xx answer; ours holds the
    # token. Mark the response logged so that no line is written.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def rate_limited(request: HttpRequest) -> bool:
    return bool(
        is_ratelimited(
            request,
            group=RATE_GROUP,
            key="ip",
            rate=settings.FEEDBACK_RATE_LIMIT,
            increment=True,
        )
    )


def token_state(invitation: RaterInvitation | None) -> str:
    """What a link may do: "unknown", "submitted", "revoked", "closed" (the round or the
    link expired) or "live"."""
    if invitation is None:
        return "unknown"
    if invitation.is_submitted:
        return "submitted"
    if invitation.is_revoked:
        return "revoked"
    if invitation.is_expired or not invitation.round.is_open:
        return "closed"
    return "live"


STATE_STATUS = {"unknown": 404, "submitted": 200, "revoked": 410, "closed": 410}


def rater_page(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Rate limit, resolve the token to a live invitation (or answer with the page for
    its state), and set the private headers."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, token: str) -> HttpResponse:
        if rate_limited(request):
            return private_headers(render(request, "feedback/rate/429.html", status=429))
        invitation = invitation_by_token(token)
        state = token_state(invitation)
        if state != "live":
            return private_headers(
                render(
                    request,
                    f"feedback/rate/{state}.html",
                    {"invitation": invitation if state != "unknown" else None},
                    status=STATE_STATUS[state],
                )
            )
        assert invitation is not None
        return private_headers(view(request, token=token, invitation=invitation))

    return wrapper


def _nodes(invitation: RaterInvitation) -> tuple[list[Any], list[Any]]:
    """The competences asked about, grouped by domain, in framework order."""
    asked = set(invitation.round.competences.values_list("pk", flat=True))
    groups: list[dict[str, Any]] = []
    nodes: list[Any] = []
    for g in competences_by_domain(invitation.round.revision_id):
        chosen = [c for c in g.competences if c.pk in asked]
        if chosen:
            groups.append({"domain": g.domain, "nodes": [c.node for c in chosen]})
            nodes.extend(c.node for c in chosen)
    return groups, nodes


def _context(invitation: RaterInvitation, **extra: Any) -> dict[str, Any]:
    feedback_round = invitation.round
    return {
        "invitation": invitation,
        "round": feedback_round,
        "manager_name": feedback_round.manager.display_name,
        "organisation_name": feedback_round.organisation.name,
        "is_line_manager": invitation.group == RaterGroup.LINE_MANAGER,
        "group_label": invitation.get_group_display(),
        "levels": level_choices(),
        **extra,
    }


@rater_page
def rater_form(request: HttpRequest, token: str, invitation: RaterInvitation) -> HttpResponse:
    groups, nodes = _nodes(invitation)
    saved = services.Answers.from_draft(invitation.draft or {})
    if request.method == "POST":
        form = RaterForm(request.POST, nodes=nodes)
        if form.is_valid():
            answers = form.answers()
            try:
                services.rater_save_draft(invitation=invitation, answers=answers)
            except ValidationError as e:
                form.add_service_errors(e)
            else:
                if request.POST.get("action") == "check":
                    return redirect(reverse("rater:check", kwargs={"token": token}))
                return render(
                    request,
                    "feedback/rate/saved.html",
                    _context(invitation, token=token),
                )
    else:
        form = RaterForm(initial=RaterForm.initial_from(saved), nodes=nodes)
    sections = [
        {"domain": g["domain"], "fields": [form[f"level_{n.pk}"] for n in g["nodes"]]}
        for g in groups
    ]
    return render(
        request,
        "feedback/rate/form.html",
        _context(invitation, form=form, sections=sections, token=token, count=len(nodes)),
    )


@rater_page
def rater_check(request: HttpRequest, token: str, invitation: RaterInvitation) -> HttpResponse:
    groups, nodes = _nodes(invitation)
    answers = services.Answers.from_draft(invitation.draft or {})
    error = ""
    if request.method == "POST":
        try:
            services.rater_submit(invitation=invitation, answers=answers)
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            return render(
                request,
                "feedback/rate/submitted.html",
                {"invitation": invitation, "just_sent": True},
            )
    words = {str(v): w for v, w, _d in level_choices()}
    summary = [
        {
            "domain": g["domain"],
            "items": [
                {
                    "node": n,
                    "answer": (
                        words["na"]
                        if n.pk in answers.levels and answers.levels[n.pk] is None
                        else words.get(str(answers.levels.get(n.pk)), "")
                    ),
                }
                for n in g["nodes"]
            ],
        }
        for g in groups
    ]
    answered = sum(1 for v in answers.levels.values() if v is not None)
    return render(
        request,
        "feedback/rate/check.html",
        _context(
            invitation,
            token=token,
            summary=summary,
            answers=answers,
            answered=answered,
            count=len(nodes),
            error=error,
        ),
    )
