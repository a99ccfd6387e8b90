"""Pages of the learning needs audit, under /o/<org>/people/<person_id>/assessments/.

The manager rates herself and sees everything of her own, rounds in progress included.
Her supervisor, the organisation's L&D lead and its admins see her submitted rounds and
their gap analysis; a round in progress is not found for them (404). Mentors and coaches
are refused (403): see `selectors.VIEWER_RELATIONS`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from waymark.frameworks.models import Node
from waymark.organisations.access import SELF, person_view
from waymark.organisations.decorators import org_role
from waymark.profiles.models import Specification

from . import charts
from .forms import RatingPageForm, evidence_name, level_name
from .models import Rating, SelfAssessment
from .selectors import (
    PAGE_RELATIONS,
    DomainGroup,
    competences_by_domain,
    counts_towards_elsewhere,
    gap_analysis,
    may_see,
    previous_round,
    progress,
    rating_pages,
    rounds_for,
    with_counts,
)
from .services import AssessmentError, assessment_save, assessment_start, assessment_submit


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    relations = request.relations  # type: ignore[attr-defined]
    return {
        "organisation": request.organisation,  # type: ignore[attr-defined]
        "person": request.person,  # type: ignore[attr-defined]
        "relations": relations,
        "is_self": SELF in relations,
        **extra,
    }


def _assessment(request: HttpRequest, assessment_id: int) -> SelfAssessment:
    """The round, looked up through the organisation and the person; 404 if the viewer
    may not see it (a round in progress, for anyone but the manager)."""
    assessment = get_object_or_404(
        SelfAssessment.objects.select_related("revision", "organisation"),
        organisation=request.organisation,  # type: ignore[attr-defined]
        manager=request.person,  # type: ignore[attr-defined]
        pk=assessment_id,
    )
    if not may_see(assessment, request.relations):  # type: ignore[attr-defined]
        raise Http404
    return assessment


def _url(name: str, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    return reverse(
        f"assessment:{name}",
        kwargs={
            "org_slug": request.organisation.slug,  # type: ignore[attr-defined]
            "person_id": request.person.pk,  # type: ignore[attr-defined]
            **kwargs,
        },
    )


def _page_url(request: HttpRequest, assessment: SelfAssessment, page: int) -> str:
    return _url("rate", request, assessment_id=assessment.pk, page=page)


def plan_url(request: HttpRequest) -> str:
    """The planning app's "new objective" page for this person, if it exists yet."""
    try:
        return reverse(
            "planning:objective_new",
            kwargs={
                "org_slug": request.organisation.slug,  # type: ignore[attr-defined]
                "person_id": request.person.pk,  # type: ignore[attr-defined]
            },
        )
    except NoReverseMatch:
        return ""


@org_role()
@person_view(*PAGE_RELATIONS)
def assessment_list(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    """Every round with its dates; the manager starts or continues one here."""
    rounds = list(
        with_counts(
            rounds_for(
                organisation=request.organisation,  # type: ignore[attr-defined]
                person=request.person,  # type: ignore[attr-defined]
                relations=request.relations,  # type: ignore[attr-defined]
            )
        )
    )
    context = _context(request, rounds=rounds)
    if context["is_self"]:
        spec = (
            Specification.objects.filter(
                organisation=request.organisation,  # type: ignore[attr-defined]
                manager=request.person,  # type: ignore[attr-defined]
            )
            .select_related("current")
            .first()
        )
        context["current_revision"] = spec.current if spec else None
        context["open_round"] = next((r for r in rounds if not r.is_submitted), None)
    return render(request, "assessment/list.html", context)


@org_role()
@person_view(SELF)
@require_POST
def assessment_start_view(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    try:
        assessment = assessment_start(
            actor=request.user,  # type: ignore[arg-type]
            organisation=request.organisation,  # type: ignore[attr-defined]
        )
    except AssessmentError as e:
        messages.error(request, e.message)
        return redirect(_url("list", request))
    return redirect(_page_url(request, assessment, 1))


@org_role()
@person_view(*PAGE_RELATIONS)
def assessment_detail(
    request: HttpRequest, org_slug: str, person_id: int, assessment_id: int
) -> HttpResponse:
    """A round in progress: where each page stands, and the button to complete it (a
    POST here). A completed round: every answer, as it was given."""
    assessment = _assessment(request, assessment_id)
    missing: list[Any] = []
    error = ""
    if request.method == "POST":
        if SELF not in request.relations:  # type: ignore[attr-defined]
            raise PermissionDenied
        if assessment.is_submitted:
            return redirect(_url("gaps", request, assessment_id=assessment.pk))
        try:
            assessment_submit(actor=request.user, assessment=assessment)  # type: ignore[arg-type]
        except AssessmentError as e:
            missing, error = e.missing, e.message
        else:
            messages.success(
                request, _("Your self-assessment is complete. These are your gaps, by priority.")
            )
            return redirect(_url("gaps", request, assessment_id=assessment.pk))
    groups = competences_by_domain(assessment.revision_id)
    ratings = {r.node_id: r for r in Rating.objects.filter(assessment=assessment)}
    pages = rating_pages(groups)
    page_of = {g.domain.pk: i for i, page in enumerate(pages, start=1) for g in page}
    sections = []
    for group in groups:
        answered = [ratings.get(c.node_id) for c in group.competences]
        rated = sum(1 for r in answered if r is not None and r.level is not None)
        sections.append(
            {
                "group": group,
                "rated": rated,
                "total": len(group.competences),
                "url": _page_url(request, assessment, page_of[group.domain.pk]),
                "answers": [(c, ratings.get(c.node_id)) for c in group.competences],
            }
        )
    missing_links = _missing_links(request, assessment, groups, page_of, missing)
    total = sum(len(g.competences) for g in groups)
    rated = sum(
        1
        for g in groups
        for c in g.competences
        if (r := ratings.get(c.node_id)) and r.level is not None
    )
    return render(
        request,
        "assessment/detail.html",
        _context(
            request,
            assessment=assessment,
            sections=sections,
            total=total,
            rated=rated,
            error=error,
            missing_links=missing_links,
            first_page_url=_page_url(request, assessment, 1) if pages else "",
        ),
    )


# Up to this many competences still to rate are listed one by one in the error
# summary; more are listed a domain at a time.
MISSING_LISTED_ONE_BY_ONE = 10


def _missing_links(
    request: HttpRequest,
    assessment: SelfAssessment,
    groups: list[DomainGroup],
    page_of: dict[int, int],
    missing: list[Node],
) -> list[tuple[str, str]]:
    """(text, link) for each competence still to rate, or for each domain with some."""
    if not missing:
        return []
    missing_ids = {n.pk for n in missing}
    out: list[tuple[str, str]] = []
    for group in groups:
        todo = [c.node for c in group.competences if c.node_id in missing_ids]
        if not todo:
            continue
        page = _page_url(request, assessment, page_of[group.domain.pk])
        if len(missing) <= MISSING_LISTED_ONE_BY_ONE:
            out += [
                (_("Rate %(competence)s") % {"competence": str(n)}, f"{page}#{level_name(n.pk)}")
                for n in todo
            ]
        else:
            out.append(
                (
                    ngettext(
                        "Rate the %(count)d competence not yet rated in %(domain)s",
                        "Rate the %(count)d competences not yet rated in %(domain)s",
                        len(todo),
                    )
                    % {"count": len(todo), "domain": group.domain.label},
                    f"{page}#{level_name(todo[0].pk)}",
                )
            )
    return out


@org_role()
@person_view(SELF)
def assessment_rate(
    request: HttpRequest, org_slug: str, person_id: int, assessment_id: int, page: int
) -> HttpResponse:
    """One page of the rating form. "Save and continue" goes on to the next page (after
    the last, to the round's page to complete it); "Save and come back later" saves and
    leaves. A page with a problem is shown again with everything typed kept."""
    assessment = _assessment(request, assessment_id)
    if assessment.is_submitted:
        messages.info(request, _("This self-assessment is complete and can no longer be changed."))
        return redirect(_url("detail", request, assessment_id=assessment.pk))
    pages = rating_pages(competences_by_domain(assessment.revision_id))
    if not 1 <= page <= len(pages):
        raise Http404
    groups = pages[page - 1]
    node_ids = [c.node_id for g in groups for c in g.competences]
    ratings = {
        r.node_id: r for r in Rating.objects.filter(assessment=assessment, node_id__in=node_ids)
    }
    form = RatingPageForm(request.POST or None, groups=groups, ratings=ratings)
    if request.method == "POST" and form.is_valid():
        try:
            assessment_save(
                actor=request.user,  # type: ignore[arg-type]
                assessment=assessment,
                ratings=form.answers(),
            )
        except AssessmentError as e:
            for node_id, problem in e.problems.items():
                form.add_error(level_name(node_id), problem)
            if not e.problems:
                form.add_error(None, e.message)
        else:
            if request.POST.get("action") == "later":
                messages.success(
                    request,
                    _(
                        "Your answers are saved. Come back to them at any time: you can "
                        "complete your self-assessment once every competence is rated."
                    ),
                )
                return redirect(_url("detail", request, assessment_id=assessment.pk))
            if page < len(pages):
                return redirect(_page_url(request, assessment, page + 1))
            messages.success(
                request,
                _("Your answers are saved. Check them, then complete your self-assessment."),
            )
            return redirect(_url("detail", request, assessment_id=assessment.pk))
    nodes = [c.node for g in groups for c in g.competences] + [g.domain.node for g in groups]
    counts = counts_towards_elsewhere(nodes)
    error_links: list[tuple[str, str]] = []
    for err in form.non_field_errors():
        error_links.append((f"#{level_name(node_ids[0])}" if node_ids else "#", str(err)))
    for _group, questions in form.questions(counts):
        for q in questions:
            error_links += [(f"#{q.level_id}", str(e)) for e in q.level_errors]
            error_links += [(f"#{evidence_name(q.node.pk)}", str(e)) for e in q.evidence_errors]
    return render(
        request,
        "assessment/rate.html",
        _context(
            request,
            assessment=assessment,
            form=form,
            sections=[
                (group, questions, counts.get(group.domain.pk, []))
                for group, questions in form.questions(counts)
            ],
            page=page,
            page_count=len(pages),
            previous_url=_page_url(request, assessment, page - 1) if page > 1 else "",
            error_links=error_links,
        ),
    )


@org_role()
@person_view(*PAGE_RELATIONS)
def assessment_gaps(
    request: HttpRequest, org_slug: str, person_id: int, assessment_id: int
) -> HttpResponse:
    """The gap analysis of a round: charts, the same figures as tables ranked by
    priority, progress since the previous round, what each competence counts towards,
    and (for the manager) a way to plan for chosen gaps."""
    assessment = _assessment(request, assessment_id)
    analysis = gap_analysis(assessment)
    before = previous_round(assessment)
    change = progress(gap_analysis(before), analysis) if before else None
    counts = counts_towards_elsewhere(analysis.nodes())
    is_self = SELF in request.relations  # type: ignore[attr-defined]
    rows = [
        {
            "rank": i,
            "row": row,
            "change": change.for_node(row.node.pk) if change else None,
            "counts": counts.get(row.node.pk, []),
        }
        for i, row in enumerate(analysis.rows, start=1)
    ]
    domains = [
        {
            "summary": d,
            "change": change.for_domain(d.domain.pk) if change else None,
            "counts": counts.get(d.domain.pk, []),
        }
        for d in analysis.domains_by_priority
    ]
    return render(
        request,
        "assessment/gaps.html",
        _context(
            request,
            assessment=assessment,
            analysis=analysis,
            rows=rows,
            domains=domains,
            previous=before,
            progress=change,
            gone=[c for c in change.competences if c.direction == "gone"] if change else [],
            radar_svg=charts.domain_radar_svg(analysis),
            bars_svg=charts.competence_bars_svg(analysis),
            plan_url=plan_url(request) if is_self else "",
            has_gaps=bool(analysis.gaps),
        ),
    )
