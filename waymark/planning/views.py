"""The development plan pages, under /o/<org>/people/<person_id>/plan/.

Who may do what (decided here):
- the manager ("self") writes her plan: details, route, guided stages, SWOT,
  objectives, activities, milestones;
- her supervisor reads it, comments and agrees it;
- her mentors and coaches read it and comment: supporting her development is what
  they are there for, and the plan is not a private diary. They cannot agree it;
- the organisation's L&D lead and admins read it (to see learning needs and plan
  programmes), and neither comment nor agree;
- anyone else in the organisation gets 404, as does everyone outside it.

Views stay thin: reads through `selectors`, writes through `services`."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waymark.core.forms import add_service_errors
from waymark.frameworks.selectors import counts_towards
from waymark.organisations.access import (
    ORGANISATION_RELATIONS,
    SELF,
    SUPPORTER_RELATIONS,
    person_view,
)
from waymark.organisations.decorators import org_role

from . import selectors, services
from .forms import (
    ActivityForm,
    CommentForm,
    MilestoneEditForm,
    MilestoneForm,
    ObjectiveForm,
    PlanForm,
    StageForm,
    StatusForm,
    SwotForm,
)
from .models import Activity, Milestone, Objective, ObjectiveStatus, Plan, PlanLevel, Route
from .stages import STAGES, next_stage, previous_stage, stage_by_slug

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.organisations.models import Organisation

READERS = (SELF, *sorted(SUPPORTER_RELATIONS), *sorted(ORGANISATION_RELATIONS))
COMMENTERS = frozenset({SELF, *SUPPORTER_RELATIONS})
SUPERVISOR = "supervisor"


# --- helpers ----------------------------------------------------------------------------------


def _org(request: HttpRequest) -> Organisation:
    return request.organisation  # type: ignore[attr-defined]


def _person(request: HttpRequest) -> User:
    return request.person  # type: ignore[attr-defined]


def _relations(request: HttpRequest) -> frozenset[str]:
    return request.relations  # type: ignore[attr-defined]


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    relations = _relations(request)
    return {
        "organisation": _org(request),
        "person": _person(request),
        "relations": relations,
        "is_self": SELF in relations,
        "can_comment": bool(relations & COMMENTERS),
        "can_agree": SUPERVISOR in relations,
        **extra,
    }


def _url(request: HttpRequest, name: str, **kwargs: Any) -> str:
    return reverse(
        f"planning:{name}",
        kwargs={"org_slug": _org(request).slug, "person_id": _person(request).pk, **kwargs},
    )


def _plan_or_404(request: HttpRequest, plan_id: int) -> Plan:
    plan = selectors.plan_for(organisation=_org(request), manager=_person(request), plan_id=plan_id)
    if plan is None:
        raise Http404
    return plan


def _objective_or_404(request: HttpRequest, objective_id: int) -> Objective:
    objective = selectors.objective_for(
        organisation=_org(request), manager=_person(request), objective_id=objective_id
    )
    if objective is None:
        raise Http404
    return objective


def _plan_url(request: HttpRequest, plan: Plan) -> str:
    return _url(request, "plan_detail", plan_id=plan.pk)


def _objective_url(request: HttpRequest, objective: Objective, anchor: str = "") -> str:
    url = _url(request, "objective", objective_id=objective.pk)
    return f"{url}#{anchor}" if anchor else url


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _optional_url(name: str, **kwargs: Any) -> str | None:
    """A URL in an app that may not be built yet."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _form_page(
    request: HttpRequest, form: Any, *, title: str, back_url: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "planning/form_page.html",
        _context(
            request, form=form, page_title=title, back_url=back_url, cancel_url=back_url, **extra
        ),
    )


# --- the plan ---------------------------------------------------------------------------------


def _render_plan(request: HttpRequest, plan: Plan) -> HttpResponse:
    overview = selectors.plan_overview(plan)
    plans = list(selectors.plans_of(organisation=_org(request), manager=_person(request)))
    return render(
        request,
        "planning/plan.html",
        _context(
            request,
            plan=plan,
            overview=overview,
            other_plans=[p for p in plans if p.pk != plan.pk],
            is_current=bool(plans) and plans[0].pk == plan.pk,
            comment_form=CommentForm(),
            stages=[(s, getattr(plan, s.field)) for s in STAGES],
            swot=[
                (_("Strengths"), plan.strengths),
                (_("Weaknesses"), plan.weaknesses),
                (_("Opportunities"), plan.opportunities),
                (_("Threats"), plan.threats),
            ],
        ),
    )


@org_role()
@person_view(*READERS)
def plan(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    """The manager's current plan, or where to start one."""
    current = selectors.current_plan(organisation=_org(request), manager=_person(request))
    if current is None:
        return render(request, "planning/start.html", _context(request))
    return _render_plan(request, current)


@org_role()
@person_view(*READERS)
def plan_detail(request: HttpRequest, org_slug: str, person_id: int, plan_id: int) -> HttpResponse:
    return _render_plan(request, _plan_or_404(request, plan_id))


def _a_year_on(start: datetime.date) -> datetime.date:
    """The day before the same date next year: a plan that runs for a year."""
    try:
        same_day = start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        same_day = datetime.date(start.year + 1, 3, 1)
    return same_day - datetime.timedelta(days=1)


@org_role()
@person_view(SELF)
def plan_new(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    today = timezone.localdate()
    form = PlanForm(
        request.POST or None,
        initial={
            "title": _("My development plan"),
            "period_start": today,
            "period_end": _a_year_on(today),
            "route": Route.OUTCOMES.value,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.plan_create(
                actor=_actor(request),
                organisation=_org(request),
                manager=_person(request),
                **form.cleaned_data,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Your plan is ready. Now add your objectives."))
            target = _safe_next(request)
            if target:
                return HttpResponseRedirect(target)
            if created.route == Route.GUIDED:
                return redirect(_url(request, "plan_guided", plan_id=created.pk))
            return redirect(_url(request, "plan_outcomes", plan_id=created.pk))
    return _form_page(
        request,
        form,
        title=_("Start your development plan"),
        back_url=_url(request, "plan"),
        submit_label=_("Create the plan"),
        action=request.get_full_path(),
        intro=_(
            "Your plan sets out what you will learn and how, over a period that usually "
            "runs from one appraisal to the next. Your supervisor agrees it with you."
        ),
    )


@org_role()
@person_view(SELF)
def plan_edit(request: HttpRequest, org_slug: str, person_id: int, plan_id: int) -> HttpResponse:
    the_plan = _plan_or_404(request, plan_id)
    form = PlanForm(
        request.POST or None,
        initial={
            "title": the_plan.title,
            "period_start": the_plan.period_start,
            "period_end": the_plan.period_end,
            "route": the_plan.route,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(actor=_actor(request), plan=the_plan, data=form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Plan details saved."))
            return redirect(_plan_url(request, the_plan))
    return _form_page(
        request, form, title=_("Change the plan's details"), back_url=_plan_url(request, the_plan)
    )


@org_role()
@person_view(SELF)
def plan_swot(request: HttpRequest, org_slug: str, person_id: int, plan_id: int) -> HttpResponse:
    the_plan = _plan_or_404(request, plan_id)
    form = SwotForm(
        request.POST or None,
        initial={
            f: getattr(the_plan, f) for f in ("strengths", "weaknesses", "opportunities", "threats")
        },
    )
    if request.method == "POST" and form.is_valid():
        services.plan_update(actor=_actor(request), plan=the_plan, data=form.cleaned_data)
        messages.success(request, _("Strengths, weaknesses, opportunities and threats saved."))
        return redirect(_plan_url(request, the_plan) + "#swot")
    return _form_page(
        request,
        form,
        title=_("Strengths, weaknesses, opportunities and threats"),
        back_url=_plan_url(request, the_plan),
        intro=_(
            "Think about them for the goals in this plan: what helps and what could get in the way."
        ),
    )


# --- the guided route -------------------------------------------------------------------------


@org_role()
@person_view(SELF)
def plan_guided(request: HttpRequest, org_slug: str, person_id: int, plan_id: int) -> HttpResponse:
    """The five stages as a task list: start, or carry on where you left off."""
    the_plan = _plan_or_404(request, plan_id)
    rows = [
        (
            s,
            getattr(the_plan, s.field),
            _url(request, "plan_stage", plan_id=the_plan.pk, stage=s.slug),
        )
        for s in STAGES
    ]
    resume = next((r for r in rows if not r[1].strip()), None)
    return render(
        request,
        "planning/guided.html",
        _context(
            request,
            plan=the_plan,
            rows=rows,
            resume=resume,
            answered=sum(1 for r in rows if r[1].strip()),
        ),
    )


@org_role()
@person_view(SELF)
def plan_stage(
    request: HttpRequest, org_slug: str, person_id: int, plan_id: int, stage: str
) -> HttpResponse:
    """One stage of the guided route: one question on a page."""
    the_plan = _plan_or_404(request, plan_id)
    this = stage_by_slug(stage)
    if this is None:
        raise Http404
    form = StageForm(request.POST or None, initial={"answer": getattr(the_plan, this.field)})
    form.fields["answer"].label = str(this.question)
    form.fields["answer"].help_text = str(this.hint)
    if request.method == "POST" and form.is_valid():
        services.plan_update(
            actor=_actor(request), plan=the_plan, data={this.field: form.cleaned_data["answer"]}
        )
        if "later" in request.POST:
            messages.success(request, _("Saved. You can carry on from where you left off."))
            return redirect(_plan_url(request, the_plan))
        following = next_stage(this)
        if following is None:
            return redirect(_url(request, "plan_guided", plan_id=the_plan.pk))
        return redirect(_url(request, "plan_stage", plan_id=the_plan.pk, stage=following.slug))
    before = previous_stage(this)
    back_url = (
        _url(request, "plan_stage", plan_id=the_plan.pk, stage=before.slug)
        if before
        else _url(request, "plan_guided", plan_id=the_plan.pk)
    )
    gaps = None
    if this.slug == "real-self":
        gaps = selectors.latest_gap_summary(organisation=_org(request), manager=_person(request))
    return render(
        request,
        "planning/stage.html",
        _context(
            request,
            plan=the_plan,
            stage=this,
            form=form,
            back_url=back_url,
            total=len(STAGES),
            gaps=gaps,
            gaps_url=_optional_url(
                "assessment:gaps",
                org_slug=org_slug,
                person_id=person_id,
                assessment_id=gaps.assessment_id,
            )
            if gaps
            else None,
        ),
    )


# --- working through every outcome ------------------------------------------------------------


@org_role()
@person_view(*READERS)
def plan_outcomes(
    request: HttpRequest, org_slug: str, person_id: int, plan_id: int
) -> HttpResponse:
    """Every competence of the manager's current PMS in order, with the objectives that
    address it and a way to add one: the brief's other route through the plan."""
    the_plan = _plan_or_404(request, plan_id)
    org, person = _org(request), _person(request)
    revision = selectors.current_revision(organisation=org, manager=person)
    competences = selectors.pms_competences(revision)
    rated_at, ratings = selectors.latest_ratings(organisation=org, manager=person)
    by_node: dict[int, list[Objective]] = {}
    for objective in selectors.objectives_with_details().filter(plan=the_plan):
        for node in objective.nodes.all():
            by_node.setdefault(node.pk, []).append(objective)
    rows = [
        {
            "competence": sc,
            "node": sc.node,
            "rated": ratings.get(sc.node_id),
            "gap": (sc.expected_level - ratings[sc.node_id]) if sc.node_id in ratings else None,
            "objectives": by_node.get(sc.node_id, []),
        }
        for sc in competences
    ]
    covered = sum(1 for r in rows if r["objectives"])
    return render(
        request,
        "planning/outcomes.html",
        _context(
            request,
            plan=the_plan,
            revision=revision,
            rows=rows,
            covered=covered,
            rated_at=rated_at,
            is_current=the_plan.pk
            == getattr(selectors.current_plan(organisation=org, manager=person), "pk", None),
            pms_url=_optional_url("profiles:pms", org_slug=org_slug, person_id=person_id),
        ),
    )


@org_role()
@person_view(SELF)
@require_POST
def plan_seed(request: HttpRequest, org_slug: str, person_id: int, plan_id: int) -> HttpResponse:
    the_plan = _plan_or_404(request, plan_id)
    try:
        created = services.objectives_seed_basics(actor=_actor(request), plan=the_plan)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        if created:
            messages.success(
                request,
                _(
                    "Added %(count)s objectives for your induction and required qualifications. "
                    "Open each one to say how and by when."
                )
                % {"count": len(created)},
            )
        else:
            messages.info(
                request,
                _(
                    "Your plan already has an objective for every induction item "
                    "and required qualification in your specification."
                ),
            )
    return redirect(_plan_url(request, the_plan) + "#levels")


# --- comments and agreement -------------------------------------------------------------------


@org_role()
@person_view(*READERS)
def plan_comments(
    request: HttpRequest, org_slug: str, person_id: int, plan_id: int
) -> HttpResponse:
    the_plan = _plan_or_404(request, plan_id)
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        if not _relations(request) & COMMENTERS:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.plan_comment_add(
                    actor=_actor(request), plan=the_plan, body=form.cleaned_data["body"]
                )
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("Comment added."))
                return redirect(_plan_url(request, the_plan) + "#comments")
    comments = selectors.plan_comments(the_plan)
    return render(
        request,
        "planning/comments.html",
        _context(
            request,
            plan=the_plan,
            comments=comments,
            form=form,
            back_url=_plan_url(request, the_plan),
        ),
    )


@org_role()
@person_view(SUPERVISOR)
def plan_agree(request: HttpRequest, org_slug: str, person_id: int, plan_id: int) -> HttpResponse:
    """The supervisor agrees the plan (the manager, mentors and others get 403)."""
    the_plan = _plan_or_404(request, plan_id)
    error = None
    if request.method == "POST":
        try:
            services.plan_agree(actor=_actor(request), plan=the_plan)
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            messages.success(
                request, _("You agreed %(name)s's plan.") % {"name": _person(request).display_name}
            )
            return redirect(_plan_url(request, the_plan))
    overview = selectors.plan_overview(the_plan)
    return render(
        request,
        "planning/agree.html",
        _context(
            request,
            plan=the_plan,
            overview=overview,
            error=error,
            back_url=_plan_url(request, the_plan),
        ),
    )


# --- objectives -------------------------------------------------------------------------------


def _requested_nodes(request: HttpRequest, allowed: set[int]) -> tuple[list[int], int]:
    """Node ids asked for with ?node=…, those in the PMS and how many were not."""
    asked: list[int] = []
    for raw in request.GET.getlist("node"):
        try:
            asked.append(int(raw))
        except ValueError:
            continue
    kept = [n for n in dict.fromkeys(asked) if n in allowed]
    return kept, len(set(asked)) - len(kept)


@org_role()
@person_view(SELF)
def objective_new(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    """Add an objective to the current plan. `?node=<id>` (repeatable) ticks competences
    beforehand: the gap analysis links here with the gaps the manager chose."""
    org, person = _org(request), _person(request)
    the_plan = selectors.current_plan(organisation=org, manager=person)
    if the_plan is None:
        messages.info(request, _("First, start your plan. Then you can add the objective."))
        return redirect(f"{_url(request, 'plan_new')}?next={_quote(request.get_full_path())}")
    allowed = selectors.pms_node_ids(organisation=org, manager=person)
    chosen, left_out = _requested_nodes(request, allowed)
    level = request.GET.get("level")
    form = ObjectiveForm(
        request.POST or None,
        node_ids=allowed,
        initial={
            "nodes": chosen,
            "level": level if level in PlanLevel.values else PlanLevel.OTHER.value,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        nodes = list(data.pop("nodes", []))
        try:
            objective = services.objective_create(
                actor=_actor(request), plan=the_plan, nodes=nodes, **data
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Objective added. Now plan how you will learn."))
            return redirect(_objective_url(request, objective))
    return render(
        request,
        "planning/objective_form.html",
        _context(
            request,
            plan=the_plan,
            form=form,
            left_out=left_out,
            has_pms=bool(allowed),
            page_title=_("Add an objective"),
            submit_label=_("Add the objective"),
            back_url=_plan_url(request, the_plan),
            cancel_url=_plan_url(request, the_plan),
            pms_url=_optional_url("profiles:pms", org_slug=org_slug, person_id=person_id),
        ),
    )


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="")


@org_role()
@person_view(*READERS)
def objective(
    request: HttpRequest, org_slug: str, person_id: int, objective_id: int
) -> HttpResponse:
    obj = _objective_or_404(request, objective_id)
    nodes = list(obj.nodes.all())
    towards = counts_towards({n.pk for n in nodes})
    entries = selectors.linked_cpd_entries(
        viewer=request.user,  # type: ignore[arg-type]
        objective=obj,
        relations=_relations(request),
    )
    for entry in entries:
        entry.url = _optional_url(
            "cpd:entry_detail", org_slug=org_slug, person_id=person_id, entry_id=entry.pk
        )
    smart = [
        (_("What exactly"), obj.specific),
        (_("How success will show"), obj.measure),
        (_("How it is achievable"), obj.achievable),
        (_("Why it matters to people who use services"), obj.relevant),
        (_("By when"), date_format(obj.target_date, "j F Y")),
        (_("Support needed"), obj.support_needed),
    ]
    return render(
        request,
        "planning/objective.html",
        _context(
            request,
            plan=obj.plan,
            objective=obj,
            smart=smart,
            node_rows=[(n, towards.get(n.pk, [])) for n in nodes],
            activities=list(obj.activities.all()),
            milestones=list(obj.milestones.all()),
            cpd_entries=entries,
            cpd_new_url=_optional_url("cpd:entry_add", org_slug=org_slug, person_id=person_id),
            statuses=ObjectiveStatus.choices,
            activity_form=ActivityForm(),
            milestone_form=MilestoneForm(),
            changed_since_agreed=selectors.objective_changed_since(obj, obj.plan.agreed_at),
        ),
    )


@org_role()
@person_view(SELF)
def objective_edit(
    request: HttpRequest, org_slug: str, person_id: int, objective_id: int
) -> HttpResponse:
    obj = _objective_or_404(request, objective_id)
    current = {n.pk for n in obj.nodes.all()}
    allowed = selectors.pms_node_ids(organisation=_org(request), manager=_person(request)) | current
    fields = (
        "title",
        "specific",
        "measure",
        "achievable",
        "relevant",
        "target_date",
        "support_needed",
        "level",
    )
    form = ObjectiveForm(
        request.POST or None,
        node_ids=allowed,
        original_date=obj.target_date,
        initial={**{f: getattr(obj, f) for f in fields}, "nodes": sorted(current)},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        nodes = list(data.pop("nodes", []))
        try:
            services.objective_update(actor=_actor(request), objective=obj, data=data, nodes=nodes)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Objective saved."))
            return redirect(_objective_url(request, obj))
    return render(
        request,
        "planning/objective_form.html",
        _context(
            request,
            plan=obj.plan,
            objective=obj,
            form=form,
            left_out=0,
            has_pms=bool(allowed),
            page_title=_("Change the objective"),
            submit_label=_("Save"),
            back_url=_objective_url(request, obj),
            cancel_url=_objective_url(request, obj),
            pms_url=_optional_url("profiles:pms", org_slug=org_slug, person_id=person_id),
        ),
    )


@org_role()
@person_view(SELF)
def objective_status(
    request: HttpRequest, org_slug: str, person_id: int, objective_id: int
) -> HttpResponse:
    obj = _objective_or_404(request, objective_id)
    form = StatusForm(request.POST or None, initial={"status": obj.status})
    if request.method == "POST" and form.is_valid():
        services.objective_set_status(
            actor=_actor(request), objective=obj, status=form.cleaned_data["status"]
        )
        messages.success(request, _("Status saved."))
        return redirect(_objective_url(request, obj))
    return _form_page(
        request,
        form,
        title=_("Status of “%(title)s”") % {"title": obj.title},
        back_url=_objective_url(request, obj),
    )


# --- activities and milestones ----------------------------------------------------------------


def _activity_or_404(obj: Objective, activity_id: int) -> Activity:
    found = next((a for a in obj.activities.all() if a.pk == activity_id), None)
    if found is None:
        raise Http404
    return found


def _milestone_or_404(obj: Objective, milestone_id: int) -> Milestone:
    found = next((m for m in obj.milestones.all() if m.pk == milestone_id), None)
    if found is None:
        raise Http404
    return found


@org_role()
@person_view(SELF)
def activity_new(
    request: HttpRequest, org_slug: str, person_id: int, objective_id: int
) -> HttpResponse:
    obj = _objective_or_404(request, objective_id)
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.activity_add(actor=_actor(request), objective=obj, **form.cleaned_data)
        messages.success(request, _("Learning activity added."))
        return redirect(_objective_url(request, obj, "activities"))
    return _form_page(
        request,
        form,
        title=_("Add a learning activity"),
        caption=obj.title,
        back_url=_objective_url(request, obj, "activities"),
        submit_label=_("Add"),
    )


@org_role()
@person_view(SELF)
def activity_edit(
    request: HttpRequest, org_slug: str, person_id: int, objective_id: int, activity_id: int
) -> HttpResponse:
    obj = _objective_or_404(request, objective_id)
    activity = _activity_or_404(obj, activity_id)
    form = ActivityForm(
        request.POST or None,
        initial={
            "activity_type": activity.activity_type,
            "description": activity.description,
            "planned_date": activity.planned_date,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.activity_update(actor=_actor(request), activity=activity, data=form.cleaned_data)
        messages.success(request, _("Learning activity saved."))
        return redirect(_objective_url(request, obj, "activities"))
    return _form_page(
        request,
        form,
        title=_("Change a learning activity"),
        caption=obj.title,
        back_url=_objective_url(request, obj, "activities"),
    )


@org_role()
@person_view(SELF)
def activity_remove(
    request: HttpRequest, org_slug: str, person_id: int, objective_id: int, activity_id: int
) -> HttpResponse:
    obj = _objective_or_404(request, objective_id)
    activity = _activity_or_404(obj, activity_id)
    if request.method == "POST":
        services.activity_remove(actor=_actor(request), activity=activity)
        messages.success(request, _("Learning activity removed."))
        return redirect(_objective_url(request, obj, "activities"))
    return render(
        request,
        "planning/confirm_remove.html",
        _context(
            request,
            objective=obj,
            back_url=_objective_url(request, obj, "activities"),
            page_title=_("Remove this learning activity?"),
            what=f"{activity.get_activity_type_display()}: {activity.description}",
        ),
    )


@org_role()
@person_view(SELF)
def milestone_new(
    request: HttpRequest, org_slug: str, person_id: int, objective_id: int
) -> HttpResponse:
    obj = _objective_or_404(request, objective_id)
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.milestone_add(actor=_actor(request), objective=obj, **form.cleaned_data)
        messages.success(request, _("Milestone added."))
        return redirect(_objective_url(request, obj, "milestones"))
    return _form_page(
        request,
        form,
        title=_("Add a milestone"),
        caption=obj.title,
        back_url=_objective_url(request, obj, "milestones"),
        submit_label=_("Add"),
    )


@org_role()
@person_view(SELF)
def milestone_edit(
    request: HttpRequest, org_slug: str, person_id: int, objective_id: int, milestone_id: int
) -> HttpResponse:
    obj = _objective_or_404(request, objective_id)
    milestone = _milestone_or_404(obj, milestone_id)
    form = MilestoneEditForm(
        request.POST or None,
        initial={"title": milestone.title, "due_date": milestone.due_date, "done": milestone.done},
    )
    if request.method == "POST" and form.is_valid():
        services.milestone_update(
            actor=_actor(request), milestone=milestone, data=form.cleaned_data
        )
        messages.success(request, _("Milestone saved."))
        return redirect(_objective_url(request, obj, "milestones"))
    return _form_page(
        request,
        form,
        title=_("Change a milestone"),
        caption=obj.title,
        back_url=_objective_url(request, obj, "milestones"),
    )


@org_role()
@person_view(SELF)
@require_POST
def milestone_done(
    request: HttpRequest, org_slug: str, person_id: int, objective_id: int, milestone_id: int
) -> HttpResponse:
    """Tick a milestone off, or back on, from the objective page."""
    obj = _objective_or_404(request, objective_id)
    milestone = _milestone_or_404(obj, milestone_id)
    done = request.POST.get("done") == "1"
    services.milestone_update(actor=_actor(request), milestone=milestone, data={"done": done})
    messages.success(
        request, _("Milestone marked as done.") if done else _("Milestone marked as not done.")
    )
    return redirect(_objective_url(request, obj, "milestones"))


@org_role()
@person_view(SELF)
def milestone_remove(
    request: HttpRequest, org_slug: str, person_id: int, objective_id: int, milestone_id: int
) -> HttpResponse:
    obj = _objective_or_404(request, objective_id)
    milestone = _milestone_or_404(obj, milestone_id)
    if request.method == "POST":
        services.milestone_remove(actor=_actor(request), milestone=milestone)
        messages.success(request, _("Milestone removed."))
        return redirect(_objective_url(request, obj, "milestones"))
    return render(
        request,
        "planning/confirm_remove.html",
        _context(
            request,
            objective=obj,
            back_url=_objective_url(request, obj, "milestones"),
            page_title=_("Remove this milestone?"),
            what=milestone.title,
        ),
    )
