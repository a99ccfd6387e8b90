"""Pages of evaluation (/o/<org>/evaluation/…), individual evaluations
(/o/<org>/people/<id>/evaluation/…) and action plans (/o/<org>/action-plans/…).

L&D leads and admins manage the organisation's evaluations, indicators and action
plans; a programme's facilitators read its evaluation summary; a manager writes her own
individual evaluations, which her supervisor reads and re-rates (level 3)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.accounts.models import User
from waymark.assessment.models import Rating
from waymark.frameworks.models import Node
from waymark.organisations.access import person_view
from waymark.organisations.decorators import org_role
from waymark.organisations.models import Role
from waymark.programmes.models import Programme
from waymark.programmes.selectors import facilitates

from . import selectors, services
from .forms import (
    ActionPlanForm,
    EvaluationForm,
    IndicatorForm,
    IndicatorValueForm,
    ObjectiveForm,
    ProgressForm,
    RerateForm,
    StakeholderForm,
)
from .models import ActionPlan, ActionPlanObjective, ApplicationRating, Evaluation, Indicator

MANAGE = (Role.LD_LEAD, Role.ADMIN)
PERSON_READERS = ("self", "supervisor", "ld-lead", "admin")


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _org(request: HttpRequest) -> Any:
    return request.organisation  # type: ignore[attr-defined]


def _person(request: HttpRequest) -> User:
    return request.person  # type: ignore[attr-defined]


def _url(name: str, request: HttpRequest, **kwargs: Any) -> str:
    return reverse(name, kwargs={"org_slug": _org(request).slug, **kwargs})


def _crumbs(request: HttpRequest, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (_org(request).name, _url("organisations:dashboard", request)),
        (_("Evaluation"), _url("evaluation:index", request)),
        *extra,
    ]


def _plan_crumbs(request: HttpRequest, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (_org(request).name, _url("organisations:dashboard", request)),
        (_("Action plans"), _url("evaluation:plans", request)),
        *extra,
    ]


def _person_crumbs(request: HttpRequest, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    person = _person(request)
    return [
        (_org(request).name, _url("organisations:dashboard", request)),
        (person.display_name, _url("organisations:person", request, person_id=person.pk)),
        (_("Evaluations"), _url("evaluation:person", request, person_id=person.pk)),
        *extra,
    ]


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    heading: str,
    crumbs: list[tuple[str, str]],
    cancel_url: str,
    submit_label: str | None = None,
    intro: str = "",
) -> HttpResponse:
    return render(
        request,
        "evaluation/form.html",
        {
            "organisation": _org(request),
            "form": form,
            "heading": heading,
            "intro": intro,
            "breadcrumbs": crumbs,
            "cancel_url": cancel_url,
            "submit_label": submit_label or _("Save"),
        },
    )


def _levels_context(evaluation: Evaluation) -> dict[str, Any]:
    reactions = selectors.reactions_for(evaluation)
    own = isinstance(reactions, selectors.OwnReaction)
    views, groups = selectors.stakeholders(evaluation)
    series = [] if evaluation.is_individual else selectors.series_for(evaluation)
    return {
        "evaluation": evaluation,
        "own_reaction": reactions if own else None,
        "reactions": None if own else reactions,
        "learning": selectors.learning(evaluation),
        "application": selectors.application(evaluation),
        "feedback": selectors.feedback_after(evaluation),
        "series": [(s, selectors.indicator_chart(s) if s.values else "") for s in series],
        "stakeholder_views": views,
        "stakeholder_groups": groups,
    }


# --- organisation evaluations ---------------------------------------------------------------


@org_role(*MANAGE)
def index(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = _org(request)
    return render(
        request,
        "evaluation/index.html",
        {
            "organisation": org,
            "evaluations": selectors.organisation_evaluations(org),
            "programmes": list(Programme.objects.filter(organisation=org)),
            "breadcrumbs": _crumbs(request)[:1],
        },
    )


@org_role(*MANAGE)
def evaluation_new(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = _org(request)
    initial: dict[str, Any] = {}
    programme_id = request.GET.get("programme", "")
    if programme_id.isdigit():
        initial["programme"] = Programme.objects.filter(organisation=org, pk=programme_id).first()
    form = EvaluationForm(request.POST or None, organisation=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluation_create(
                actor=_actor(request), organisation=org, data=form.evaluation_input()
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Evaluation created."))
            return redirect(_url("evaluation:detail", request, evaluation_id=evaluation.pk))
    return _form_page(
        request,
        form,
        heading=_("New evaluation"),
        crumbs=_crumbs(request),
        cancel_url=_url("evaluation:index", request),
        intro=_(
            "Evaluate a programme, one of its modules, or the organisation's leadership and "
            "management development as a whole. Formative evaluation gives continuous "
            "feedback; summative is done on completion. Proving evaluation shows whether "
            "targets were met; improving evaluation looks at what was learnt."
        ),
    )


def _org_evaluation(request: HttpRequest, evaluation_id: int) -> Evaluation:
    return get_object_or_404(
        Evaluation.objects.select_related("programme", "module", "activity", "organisation"),
        organisation=_org(request),
        manager__isnull=True,
        pk=evaluation_id,
    )


@org_role(*MANAGE)
def evaluation_detail(request: HttpRequest, org_slug: str, evaluation_id: int) -> HttpResponse:
    evaluation = _org_evaluation(request, evaluation_id)
    return render(
        request,
        "evaluation/detail.html",
        {
            "organisation": _org(request),
            **_levels_context(evaluation),
            "can_edit": True,
            "edit_url": _url("evaluation:edit", request, evaluation_id=evaluation.pk),
            "breadcrumbs": _crumbs(request),
        },
    )


@org_role(*MANAGE)
def evaluation_edit(request: HttpRequest, org_slug: str, evaluation_id: int) -> HttpResponse:
    evaluation = _org_evaluation(request, evaluation_id)
    form = EvaluationForm(request.POST or None, organisation=_org(request), instance=evaluation)
    detail = _url("evaluation:detail", request, evaluation_id=evaluation.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_update(
                actor=_actor(request), evaluation=evaluation, data=form.evaluation_input()
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Evaluation saved."))
            return redirect(detail)
    return _form_page(
        request,
        form,
        heading=_("Change the evaluation"),
        crumbs=_crumbs(request, (evaluation.title, detail)),
        cancel_url=detail,
    )


@org_role(*MANAGE)
def stakeholder_add(request: HttpRequest, org_slug: str, evaluation_id: int) -> HttpResponse:
    evaluation = _org_evaluation(request, evaluation_id)
    form = StakeholderForm(request.POST or None)
    detail = _url("evaluation:detail", request, evaluation_id=evaluation.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.stakeholder_view_add(
                actor=_actor(request), evaluation=evaluation, data=form.stakeholder_input()
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Stakeholders' views recorded."))
            return redirect(detail + "#level-5")
    return _form_page(
        request,
        form,
        heading=_("Record stakeholders' views"),
        crumbs=_crumbs(request, (evaluation.title, detail)),
        cancel_url=detail,
        intro=_(
            "Record the views of partner agencies, people who use services or carers, as "
            "gathered in a survey or a meeting. Summarise them without personal names."
        ),
    )


@org_role()
def programme_summary(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """The evaluation summary of a programme across the five levels: for L&D leads,
    admins and the programme's facilitators (anyone else: 404)."""
    programme = get_object_or_404(Programme, organisation=_org(request), pk=programme_id)
    manage = selectors.can_manage(request.roles)  # type: ignore[attr-defined]
    if not manage and not facilitates(_actor(request), programme):
        raise Http404
    evaluations = selectors.programme_evaluations(programme)
    return render(
        request,
        "evaluation/programme_summary.html",
        {
            "organisation": _org(request),
            "programme": programme,
            "can_manage": manage,
            "rows": [(e, selectors.summary(e)) for e in evaluations],
            "breadcrumbs": _crumbs(request) if manage else _crumbs(request)[:1],
        },
    )


# --- indicators ------------------------------------------------------------------------------


@org_role(*MANAGE)
def indicators(request: HttpRequest, org_slug: str) -> HttpResponse:
    return render(
        request,
        "evaluation/indicators.html",
        {
            "organisation": _org(request),
            "series": selectors.indicator_list(_org(request)),
            "breadcrumbs": _crumbs(request),
        },
    )


def _indicators_crumb(request: HttpRequest) -> tuple[str, str]:
    return (_("Indicators"), _url("evaluation:indicators", request))


@org_role(*MANAGE)
def indicator_new(request: HttpRequest, org_slug: str) -> HttpResponse:
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_create(
                actor=_actor(request), organisation=_org(request), data=form.indicator_input()
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Indicator added."))
            return redirect(_url("evaluation:indicator", request, indicator_id=indicator.pk))
    return _form_page(
        request,
        form,
        heading=_("New organisation indicator"),
        crumbs=_crumbs(request, _indicators_crumb(request)),
        cancel_url=_url("evaluation:indicators", request),
        intro=_(
            "Something the organisation measures over time to see the effect of development, "
            "such as staff retention or inspection grades."
        ),
    )


@org_role(*MANAGE)
def indicator_edit(request: HttpRequest, org_slug: str, indicator_id: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator, organisation=_org(request), pk=indicator_id)
    form = IndicatorForm(
        request.POST or None,
        initial={
            "name": indicator.name,
            "unit": indicator.unit,
            "direction": indicator.direction,
            "target": "" if indicator.target is None else indicator.target,
            "description": indicator.description,
        },
    )
    detail = _url("evaluation:indicator", request, indicator_id=indicator.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(
                actor=_actor(request), indicator=indicator, data=form.indicator_input()
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Indicator saved."))
            return redirect(detail)
    return _form_page(
        request,
        form,
        heading=_("Change the indicator"),
        crumbs=_crumbs(request, _indicators_crumb(request), (indicator.name, detail)),
        cancel_url=detail,
    )


@org_role(*MANAGE)
def indicator_detail(request: HttpRequest, org_slug: str, indicator_id: int) -> HttpResponse:
    """The indicator's values as a chart and a table, and a form to add one."""
    indicator = get_object_or_404(Indicator, organisation=_org(request), pk=indicator_id)
    form = IndicatorValueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.indicator_value_add(
                actor=_actor(request),
                organisation=_org(request),
                indicator_id=indicator.pk,
                date=d["date"],
                value=d["value"],
                note=d["note"],
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Value recorded."))
            return redirect(_url("evaluation:indicator", request, indicator_id=indicator.pk))
    series = selectors.IndicatorSeries(indicator, list(indicator.values.order_by("date", "id")))
    return render(
        request,
        "evaluation/indicator.html",
        {
            "organisation": _org(request),
            "s": series,
            "chart": selectors.indicator_chart(series) if series.values else "",
            "form": form,
            "submit_label": _("Add the value"),
            "breadcrumbs": _crumbs(request, _indicators_crumb(request)),
        },
    )


# --- individual evaluations --------------------------------------------------------------------


@org_role()
@person_view(*PERSON_READERS)
def person_evaluations(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    person = _person(request)
    return render(
        request,
        "evaluation/person_list.html",
        {
            "organisation": _org(request),
            "person": person,
            "relations": request.relations,  # type: ignore[attr-defined]
            "evaluations": selectors.individual_evaluations(_org(request), person),
            "breadcrumbs": _person_crumbs(request)[:2],
        },
    )


def _person_evaluation(request: HttpRequest, evaluation_id: int) -> Evaluation:
    return get_object_or_404(
        Evaluation.objects.select_related("programme", "module", "activity", "organisation"),
        organisation=_org(request),
        manager=_person(request),
        pk=evaluation_id,
    )


@org_role()
@person_view("self")
def person_evaluation_new(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    org = _org(request)
    person = _person(request)
    form = EvaluationForm(request.POST or None, organisation=org, manager=person)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluation_create(
                actor=_actor(request),
                organisation=org,
                data=form.evaluation_input(),
                manager=person,
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Evaluation created."))
            return redirect(
                _url(
                    "evaluation:person_detail",
                    request,
                    person_id=person.pk,
                    evaluation_id=evaluation.pk,
                )
            )
    return _form_page(
        request,
        form,
        heading=_("Evaluate your learning"),
        crumbs=_person_crumbs(request),
        cancel_url=_url("evaluation:person", request, person_id=person.pk),
        intro=_(
            "Evaluate a programme you took part in or a learning activity from your "
            "development plan: your reaction, what you learnt (computed from your "
            "self-assessment rounds before and after) and how you have applied it."
        ),
    )


@org_role()
@person_view(*PERSON_READERS)
def person_evaluation_detail(
    request: HttpRequest, org_slug: str, person_id: int, evaluation_id: int
) -> HttpResponse:
    evaluation = _person_evaluation(request, evaluation_id)
    relations = request.relations  # type: ignore[attr-defined]
    kwargs = {"person_id": person_id, "evaluation_id": evaluation.pk}
    return render(
        request,
        "evaluation/detail.html",
        {
            "organisation": _org(request),
            **_levels_context(evaluation),
            "person": _person(request),
            "can_edit": "self" in relations,
            "can_rerate": "supervisor" in relations,
            "edit_url": _url("evaluation:person_edit", request, **kwargs),
            "rerate_url": _url("evaluation:rerate", request, **kwargs),
            "breadcrumbs": _person_crumbs(request),
        },
    )


@org_role()
@person_view("self")
def person_evaluation_edit(
    request: HttpRequest, org_slug: str, person_id: int, evaluation_id: int
) -> HttpResponse:
    evaluation = _person_evaluation(request, evaluation_id)
    form = EvaluationForm(
        request.POST or None,
        organisation=_org(request),
        manager=_person(request),
        instance=evaluation,
    )
    detail = _url(
        "evaluation:person_detail", request, person_id=person_id, evaluation_id=evaluation.pk
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_update(
                actor=_actor(request), evaluation=evaluation, data=form.evaluation_input()
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Evaluation saved."))
            return redirect(detail)
    return _form_page(
        request,
        form,
        heading=_("Change your evaluation"),
        crumbs=_person_crumbs(request, (evaluation.title, detail)),
        cancel_url=detail,
    )


def _rerate_nodes(evaluation: Evaluation) -> list[Node]:
    """The competences the learning addresses; otherwise those of the manager's latest
    completed self-assessment round."""
    subject = selectors.subject_of(evaluation)
    if subject.nodes:
        return subject.nodes[:40]
    latest = (
        Rating.objects.filter(
            assessment__manager_id=evaluation.manager_id,
            assessment__organisation_id=evaluation.organisation_id,
            assessment__submitted_at__isnull=False,
        )
        .order_by("-assessment__submitted_at")
        .values_list("assessment_id", flat=True)
        .first()
    )
    if latest is None:
        return []
    return list(
        Node.objects.filter(
            pk__in=Rating.objects.filter(assessment_id=latest).values("node_id")
        ).order_by("path")[:40]
    )


@org_role()
@person_view("supervisor")
def rerate(request: HttpRequest, org_slug: str, person_id: int, evaluation_id: int) -> HttpResponse:
    """Level 3: the supervisor re-rates the manager's competences."""
    evaluation = _person_evaluation(request, evaluation_id)
    nodes = _rerate_nodes(evaluation)
    current = dict(
        ApplicationRating.objects.filter(evaluation=evaluation).values_list("node_id", "level")
    )
    form = RerateForm(
        request.POST or None,
        nodes=nodes,
        current=current,
        initial={"rated_on": timezone.localdate()},
    )
    detail = _url(
        "evaluation:person_detail", request, person_id=person_id, evaluation_id=evaluation.pk
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_rate(
                actor=_actor(request),
                evaluation=evaluation,
                levels=form.levels(),
                rated_on=form.cleaned_data["rated_on"],
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Re-rating saved."))
            return redirect(detail + "#level-3")
    if nodes:
        intro = _(
            "Some months after the learning, rate how the manager now applies each "
            "competence in her work, from 0 (not yet) to 4. Leave any you cannot judge."
        )
    else:
        intro = _(
            "There is nothing to re-rate yet: the manager has no completed self-assessment "
            "round and the learning names no competences."
        )
    return _form_page(
        request,
        form,
        heading=_("Re-rate %(name)s's competences") % {"name": _person(request).display_name},
        crumbs=_person_crumbs(request, (evaluation.title, detail)),
        cancel_url=detail,
        intro=intro,
    )


# --- action plans ------------------------------------------------------------------------------


@org_role(*MANAGE)
def plans(request: HttpRequest, org_slug: str) -> HttpResponse:
    return render(
        request,
        "evaluation/plans.html",
        {
            "organisation": _org(request),
            "plans": selectors.action_plan_list(_org(request)),
            "breadcrumbs": _plan_crumbs(request)[:1],
        },
    )


@org_role(*MANAGE)
def plan_new(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = _org(request)
    form = ActionPlanForm(
        request.POST or None,
        organisation=org,
        reports=selectors.report_titles(),
        initial={"start_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.action_plan_create(
                actor=_actor(request), organisation=org, data=form.plan_input()
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Action plan created. Now add its objectives."))
            return redirect(_url("evaluation:plan", request, plan_id=plan.pk))
    return _form_page(
        request,
        form,
        heading=_("New action plan"),
        crumbs=_plan_crumbs(request),
        cancel_url=_url("evaluation:plans", request),
        intro=_(
            "An action plan states the objectives that meet the agreed aims, with "
            "indicators of success and targets, timescales, who is responsible and to "
            "whom the plan reports."
        ),
    )


def _plan(request: HttpRequest, plan_id: int) -> ActionPlan:
    return get_object_or_404(
        ActionPlan.objects.select_related("reports_to", "organisation"),
        organisation=_org(request),
        pk=plan_id,
    )


@org_role(*MANAGE)
def plan_detail(request: HttpRequest, org_slug: str, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    titles = selectors.report_titles()
    return render(
        request,
        "evaluation/plan.html",
        {
            "organisation": _org(request),
            "plan": plan,
            "objectives": selectors.plan_objectives(plan),
            "evaluations": list(plan.evaluations.all()),
            "reports": [(n, titles.get(n, n), n in titles) for n in plan.report_names],
            "today": timezone.localdate(),
            "breadcrumbs": _plan_crumbs(request),
        },
    )


@org_role(*MANAGE)
def plan_edit(request: HttpRequest, org_slug: str, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    form = ActionPlanForm(
        request.POST or None,
        organisation=_org(request),
        reports=selectors.report_titles(),
        instance=plan,
    )
    detail = _url("evaluation:plan", request, plan_id=plan.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_plan_update(actor=_actor(request), plan=plan, data=form.plan_input())
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Action plan saved."))
            return redirect(detail)
    return _form_page(
        request,
        form,
        heading=_("Change the action plan"),
        crumbs=_plan_crumbs(request, (plan.title, detail)),
        cancel_url=detail,
    )


@org_role(*MANAGE)
def objective_add(request: HttpRequest, org_slug: str, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    form = ObjectiveForm(request.POST or None, organisation=_org(request))
    detail = _url("evaluation:plan", request, plan_id=plan.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_add(actor=_actor(request), plan=plan, data=form.objective_input())
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Objective added."))
            return redirect(detail)
    return _form_page(
        request,
        form,
        heading=_("Add an objective"),
        crumbs=_plan_crumbs(request, (plan.title, detail)),
        cancel_url=detail,
    )


def _objective(plan: ActionPlan, objective_id: int) -> ActionPlanObjective:
    return get_object_or_404(
        ActionPlanObjective.objects.select_related("plan__organisation"),
        plan=plan,
        pk=objective_id,
    )


@org_role(*MANAGE)
def objective_edit(
    request: HttpRequest, org_slug: str, plan_id: int, objective_id: int
) -> HttpResponse:
    plan = _plan(request, plan_id)
    objective = _objective(plan, objective_id)
    form = ObjectiveForm(request.POST or None, organisation=_org(request), instance=objective)
    detail = _url("evaluation:plan", request, plan_id=plan.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_update(
                actor=_actor(request), objective=objective, data=form.objective_input()
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Objective saved."))
            return redirect(detail)
    return _form_page(
        request,
        form,
        heading=_("Change the objective"),
        crumbs=_plan_crumbs(request, (plan.title, detail)),
        cancel_url=detail,
    )


@org_role(*MANAGE)
def progress_add(
    request: HttpRequest, org_slug: str, plan_id: int, objective_id: int
) -> HttpResponse:
    plan = _plan(request, plan_id)
    objective = _objective(plan, objective_id)
    form = ProgressForm(request.POST or None, initial={"date": timezone.localdate()})
    detail = _url("evaluation:plan", request, plan_id=plan.pk)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.progress_add(
                actor=_actor(request),
                objective=objective,
                date=d["date"],
                note=d["note"],
                status=d["status"],
                value=d["value"],
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Progress recorded."))
            return redirect(detail + f"#objective-{objective.pk}")
    return _form_page(
        request,
        form,
        heading=_("Record progress"),
        crumbs=_plan_crumbs(request, (plan.title, detail)),
        cancel_url=detail,
        intro=objective.objective,
    )
