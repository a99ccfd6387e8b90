"""Pages for supervision records, action points and appraisals (people/<id>/supervision/…
and people/<id>/appraisal/…, seen by the person and her supervisor only), and the
supervisor's page (supervision/). Views are thin: the services hold the rules."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waymark.accounts.models import User
from waymark.organisations.access import SELF, person_view
from waymark.organisations.decorators import org_role
from waymark.organisations.models import SupportKind
from waymark.planning.selectors import current_revision

from . import selectors, services
from .forms import (
    ActionForm,
    ActionReviewForm,
    AppraisalForm,
    ObjectiveForm,
    PmsForm,
    RecordForm,
    ReopenForm,
)
from .models import Appraisal, SupervisionRecord

SUPERVISOR = SupportKind.SUPERVISOR.value


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _org(request: HttpRequest) -> Any:
    return request.organisation  # type: ignore[attr-defined]


def _person(request: HttpRequest) -> User:
    return request.person  # type: ignore[attr-defined]


def _relations(request: HttpRequest) -> frozenset[str]:
    return request.relations  # type: ignore[attr-defined]


def _url(request: HttpRequest, name: str, **kwargs: Any) -> str:
    return reverse(
        f"supervision:{name}",
        kwargs={"org_slug": _org(request).slug, "person_id": _person(request).pk, **kwargs},
    )


def _crumbs(request: HttpRequest, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    organisation, person = _org(request), _person(request)
    return [
        (
            organisation.name,
            reverse("organisations:dashboard", kwargs={"org_slug": organisation.slug}),
        ),
        (
            _("Your development") if SELF in _relations(request) else person.display_name,
            reverse(
                "organisations:person",
                kwargs={"org_slug": organisation.slug, "person_id": person.pk},
            ),
        ),
        *extra,
    ]


def _records_crumb(request: HttpRequest) -> tuple[str, str]:
    return (_("Supervision"), _url(request, "record_list"))


def _appraisals_crumb(request: HttpRequest) -> tuple[str, str]:
    return (_("Appraisal"), _url(request, "appraisal_list"))


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    relations = _relations(request)
    return {
        "organisation": _org(request),
        "person": _person(request),
        "relations": relations,
        "is_self": SELF in relations,
        "is_supervisor": SUPERVISOR in relations,
        **extra,
    }


def _form_page(
    request: HttpRequest, form: Any, *, title: str, caption: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "supervision/form_page.html",
        _context(request, form=form, page_title=title, caption=caption, **extra),
    )


def _record_or_404(request: HttpRequest, record_id: int) -> SupervisionRecord:
    record = (
        selectors.records_of(organisation=_org(request), manager=_person(request))
        .filter(pk=record_id)
        .first()
    )
    if record is None:
        raise Http404
    return record


def _appraisal_or_404(request: HttpRequest, appraisal_id: int) -> Appraisal:
    appraisal = (
        selectors.appraisals_of(organisation=_org(request), manager=_person(request))
        .filter(pk=appraisal_id)
        .first()
    )
    if appraisal is None:
        raise Http404
    return appraisal


def _refused(request: HttpRequest, error: PermissionDenied | ValidationError) -> None:
    text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    messages.error(request, text or _("That cannot be done."))


# --- supervision records ------------------------------------------------------------------


@org_role()
@person_view(*selectors.SUPERVISION_RELATIONS)
def record_list(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    organisation, person = _org(request), _person(request)
    records = list(selectors.records_of(organisation=organisation, manager=person))
    return render(
        request,
        "supervision/record_list.html",
        _context(
            request,
            records=records,
            has_draft=any(not r.is_final for r in records),
            open_actions=list(
                selectors.open_actions(organisation=organisation, manager=person).order_by(
                    "due_date", "id"
                )
            ),
            today=_today(),
            breadcrumbs=_crumbs(request),
        ),
    )


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


@org_role()
@person_view(SUPERVISOR)
def record_new(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    organisation, person = _org(request), _person(request)
    form = RecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.supervision_record_create(
                actor=_actor(request),
                organisation=organisation,
                manager=person,
                **form.cleaned_data,
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Supervision record started."))
            return redirect(_url(request, "record_detail", record_id=record.pk))
    return _form_page(
        request,
        form,
        title=_("Start a supervision record"),
        caption=person.display_name,
        intro=_("Open action points from earlier supervision are carried into it, to be reviewed."),
        submit_label=_("Start the record"),
        cancel_url=_url(request, "record_list"),
        breadcrumbs=_crumbs(request, _records_crumb(request)),
    )


@org_role()
@person_view(*selectors.SUPERVISION_RELATIONS)
def record_detail(
    request: HttpRequest, org_slug: str, person_id: int, record_id: int
) -> HttpResponse:
    record = _record_or_404(request, record_id)
    actions = selectors.record_actions(record)
    return render(
        request,
        "supervision/record_detail.html",
        _context(
            request,
            record=record,
            actions=actions,
            today=_today(),
            overdue=[a for a in actions.all if a.is_overdue()],
            breadcrumbs=_crumbs(request, _records_crumb(request)),
        ),
    )


@org_role()
@person_view(*selectors.SUPERVISION_RELATIONS)
def record_edit(
    request: HttpRequest, org_slug: str, person_id: int, record_id: int
) -> HttpResponse:
    record = _record_or_404(request, record_id)
    detail = _url(request, "record_detail", record_id=record.pk)
    if record.is_final:
        messages.error(
            request, _("This supervision record has been finalised, so it cannot change.")
        )
        return redirect(detail)
    initial = {f: getattr(record, f) for f in services.RECORD_FIELDS}
    form = RecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.supervision_record_update(
                actor=_actor(request), record=record, data=form.cleaned_data
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Supervision record saved."))
            return redirect(detail)
    return _form_page(
        request,
        form,
        title=_("Change the supervision record"),
        caption=_person(request).display_name,
        cancel_url=detail,
        breadcrumbs=_crumbs(request, _records_crumb(request)),
    )


@org_role()
@person_view(SUPERVISOR)
@require_POST
def record_finalise(
    request: HttpRequest, org_slug: str, person_id: int, record_id: int
) -> HttpResponse:
    record = _record_or_404(request, record_id)
    try:
        services.supervision_record_finalise(
            actor=_actor(request), record=record, site_url=request.build_absolute_uri("/")
        )
    except (ValidationError, PermissionDenied) as e:
        _refused(request, e)
    else:
        messages.success(
            request,
            _(
                "Supervision record finalised and circulated by email to both of you and to those named on its action points."
            ),
        )
    return redirect(_url(request, "record_detail", record_id=record.pk))


@org_role()
@person_view(*selectors.SUPERVISION_RELATIONS)
def action_add(request: HttpRequest, org_slug: str, person_id: int, record_id: int) -> HttpResponse:
    record = _record_or_404(request, record_id)
    detail = _url(request, "record_detail", record_id=record.pk)
    if record.is_final:
        messages.error(
            request,
            _(
                "This supervision record has been finalised: agree new action points in the next supervision."
            ),
        )
        return redirect(detail)
    form = ActionForm(
        request.POST or None, members=selectors.members_for_owner_choice(_org(request))
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_point_add(
                actor=_actor(request),
                record=record,
                description=form.cleaned_data["description"],
                due_date=form.cleaned_data["due_date"],
                owner=form.owner_user(),
                owner_name=form.cleaned_data["owner_name"],
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Action point added."))
            return redirect(detail)
    return _form_page(
        request,
        form,
        title=_("Add an action point"),
        caption=_person(request).display_name,
        submit_label=_("Add the action point"),
        cancel_url=detail,
        breadcrumbs=_crumbs(request, _records_crumb(request)),
    )


@org_role()
@person_view(*selectors.SUPERVISION_RELATIONS)
def action_review(
    request: HttpRequest, org_slug: str, person_id: int, action_id: int
) -> HttpResponse:
    action = (
        selectors.actions_with_details()
        .filter(organisation=_org(request), manager=_person(request), pk=action_id)
        .first()
    )
    if action is None:
        raise Http404
    record: SupervisionRecord | None = None
    record_id = request.GET.get("record") or request.POST.get("record")
    if record_id and str(record_id).isdigit():
        record = _record_or_404(request, int(record_id))
    back = (
        _url(request, "record_detail", record_id=record.pk)
        if record
        else _url(request, "record_list")
    )
    form = ActionReviewForm(request.POST or None, is_open=action.is_open)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_point_update(
                actor=_actor(request),
                action=action,
                outcome=form.cleaned_data["outcome"],
                due_date=form.cleaned_data.get("due_date"),
                note=form.cleaned_data.get("note", ""),
                record=record,
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Action point updated."))
            return redirect(back)
    return render(
        request,
        "supervision/action_review.html",
        _context(
            request,
            action=action,
            record=record,
            form=form,
            cancel_url=back,
            today=_today(),
            breadcrumbs=_crumbs(request, _records_crumb(request)),
        ),
    )


# --- appraisals -------------------------------------------------------------------------


@org_role()
@person_view(*selectors.SUPERVISION_RELATIONS)
def appraisal_list(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    organisation, person = _org(request), _person(request)
    appraisals = list(selectors.appraisals_of(organisation=organisation, manager=person))
    return render(
        request,
        "supervision/appraisal_list.html",
        _context(
            request,
            appraisals=appraisals,
            summary=selectors.person_summary(organisation=organisation, manager=person),
            breadcrumbs=_crumbs(request),
        ),
    )


@org_role()
@person_view(SUPERVISOR)
def appraisal_new(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    organisation, person = _org(request), _person(request)
    last = selectors.appraisals_of(organisation=organisation, manager=person).first()
    today = _today()
    initial = {
        "date": today,
        "period_start": last.date if last else today.replace(year=today.year - 1),
        "period_end": today,
    }
    form = AppraisalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            appraisal = services.appraisal_create(
                actor=_actor(request),
                organisation=organisation,
                manager=person,
                **form.cleaned_data,
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Appraisal started."))
            return redirect(_url(request, "appraisal_detail", appraisal_id=appraisal.pk))
    return _form_page(
        request,
        form,
        title=_("Start an appraisal"),
        caption=person.display_name,
        submit_label=_("Start the appraisal"),
        cancel_url=_url(request, "appraisal_list"),
        breadcrumbs=_crumbs(request, _appraisals_crumb(request)),
    )


@org_role()
@person_view(*selectors.SUPERVISION_RELATIONS)
def appraisal_detail(
    request: HttpRequest, org_slug: str, person_id: int, appraisal_id: int
) -> HttpResponse:
    appraisal = _appraisal_or_404(request, appraisal_id)
    relations = _relations(request)
    proposals = list(appraisal.objectives.select_related("objective", "proposed_by"))
    actor = _actor(request)
    return render(
        request,
        "supervision/appraisal_detail.html",
        _context(
            request,
            appraisal=appraisal,
            look_back=selectors.look_back(appraisal),
            private_count=(
                selectors.private_entries_in_period(appraisal) if SELF in relations else 0
            ),
            revision=current_revision(organisation=_org(request), manager=_person(request)),
            proposals=proposals,
            pending=[p for p in proposals if p.objective_id is None],
            can_sign=not appraisal.is_locked
            and (
                (SELF in relations and appraisal.manager_signed_at is None)
                or (
                    SUPERVISOR in relations
                    and appraisal.supervisor_signed_at is None
                    and actor.pk != appraisal.manager_id
                )
            ),
            breadcrumbs=_crumbs(request, _appraisals_crumb(request)),
        ),
    )


def _locked_redirect(request: HttpRequest, appraisal: Appraisal) -> HttpResponse | None:
    if appraisal.is_locked:
        messages.error(
            request,
            _("Both of you have signed this appraisal, so it is locked. Reopen it to change it."),
        )
        return redirect(_url(request, "appraisal_detail", appraisal_id=appraisal.pk))
    return None


@org_role()
@person_view(*selectors.SUPERVISION_RELATIONS)
def appraisal_edit(
    request: HttpRequest, org_slug: str, person_id: int, appraisal_id: int
) -> HttpResponse:
    appraisal = _appraisal_or_404(request, appraisal_id)
    locked = _locked_redirect(request, appraisal)
    if locked:
        return locked
    detail = _url(request, "appraisal_detail", appraisal_id=appraisal.pk)
    form = AppraisalForm(
        request.POST or None, initial={f: getattr(appraisal, f) for f in services.APPRAISAL_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.appraisal_update(
                actor=_actor(request), appraisal=appraisal, data=form.cleaned_data
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Appraisal saved."))
            return redirect(detail)
    return _form_page(
        request,
        form,
        title=_("Change the appraisal"),
        caption=_person(request).display_name,
        intro=_("Saving a change withdraws any signature already given: sign again after it."),
        cancel_url=detail,
        breadcrumbs=_crumbs(request, _appraisals_crumb(request)),
    )


@org_role()
@person_view(*selectors.SUPERVISION_RELATIONS)
def appraisal_pms(
    request: HttpRequest, org_slug: str, person_id: int, appraisal_id: int
) -> HttpResponse:
    appraisal = _appraisal_or_404(request, appraisal_id)
    locked = _locked_redirect(request, appraisal)
    if locked:
        return locked
    detail = _url(request, "appraisal_detail", appraisal_id=appraisal.pk)
    revision = current_revision(organisation=_org(request), manager=_person(request))
    if revision is None:
        messages.error(
            request,
            _("%(name)s has no person management specification yet: start one first.")
            % {"name": _person(request).display_name},
        )
        return redirect(detail)
    form = PmsForm(
        request.POST or None,
        initial={
            "job_title": revision.job_title,
            "manager_level": revision.manager_level,
            "job_description": revision.job_description,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = services.appraisal_revise_pms(
                actor=_actor(request), appraisal=appraisal, **form.cleaned_data
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(
                request,
                _("The PMS now has revision %(n)d, made at this appraisal.") % {"n": made.number},
            )
            return redirect(detail)
    return _form_page(
        request,
        form,
        title=_("Revise the person management specification"),
        caption=_person(request).display_name,
        intro=_("Saving makes a new revision (now revision %(n)d); earlier revisions are kept.")
        % {"n": revision.number},
        submit_label=_("Make a new revision"),
        cancel_url=detail,
        breadcrumbs=_crumbs(request, _appraisals_crumb(request)),
    )


@org_role()
@person_view(*selectors.SUPERVISION_RELATIONS)
def appraisal_objective_add(
    request: HttpRequest, org_slug: str, person_id: int, appraisal_id: int
) -> HttpResponse:
    appraisal = _appraisal_or_404(request, appraisal_id)
    locked = _locked_redirect(request, appraisal)
    if locked:
        return locked
    detail = _url(request, "appraisal_detail", appraisal_id=appraisal.pk)
    form = ObjectiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appraisal_objective_propose(
                actor=_actor(request), appraisal=appraisal, **form.cleaned_data
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Objective proposed."))
            return redirect(detail + "#objectives")
    return _form_page(
        request,
        form,
        title=_("Propose a next objective"),
        caption=_person(request).display_name,
        intro=_(
            "It joins the development plan when %(name)s agrees the objectives or signs the appraisal."
        )
        % {"name": _person(request).display_name},
        submit_label=_("Propose the objective"),
        cancel_url=detail,
        breadcrumbs=_crumbs(request, _appraisals_crumb(request)),
    )


@org_role()
@person_view(SELF)
@require_POST
def appraisal_agree(
    request: HttpRequest, org_slug: str, person_id: int, appraisal_id: int
) -> HttpResponse:
    appraisal = _appraisal_or_404(request, appraisal_id)
    try:
        made = services.appraisal_agree_objectives(actor=_actor(request), appraisal=appraisal)
    except (ValidationError, PermissionDenied) as e:
        _refused(request, e)
    else:
        messages.success(
            request,
            _("%(n)d objective(s) added to your development plan.") % {"n": len(made)},
        )
    return redirect(_url(request, "appraisal_detail", appraisal_id=appraisal.pk) + "#objectives")


@org_role()
@person_view(*selectors.SUPERVISION_RELATIONS)
@require_POST
def appraisal_sign(
    request: HttpRequest, org_slug: str, person_id: int, appraisal_id: int
) -> HttpResponse:
    appraisal = _appraisal_or_404(request, appraisal_id)
    try:
        signed = services.appraisal_sign(actor=_actor(request), appraisal=appraisal)
    except (ValidationError, PermissionDenied) as e:
        _refused(request, e)
    else:
        messages.success(
            request,
            _("Signed. Both of you have signed: the appraisal is now locked.")
            if signed.is_locked
            else _("Signed. The appraisal is locked once both of you have signed."),
        )
    return redirect(_url(request, "appraisal_detail", appraisal_id=appraisal.pk))


@org_role()
@person_view(*selectors.SUPERVISION_RELATIONS)
def appraisal_reopen(
    request: HttpRequest, org_slug: str, person_id: int, appraisal_id: int
) -> HttpResponse:
    appraisal = _appraisal_or_404(request, appraisal_id)
    detail = _url(request, "appraisal_detail", appraisal_id=appraisal.pk)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appraisal_reopen(
                actor=_actor(request), appraisal=appraisal, reason=form.cleaned_data["reason"]
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Appraisal reopened: both signatures are withdrawn."))
            return redirect(detail)
    return _form_page(
        request,
        form,
        title=_("Reopen the appraisal"),
        caption=_person(request).display_name,
        intro=_("Reopening withdraws both signatures; the reason is kept in the audit trail."),
        submit_label=_("Reopen"),
        cancel_url=detail,
        breadcrumbs=_crumbs(request, _appraisals_crumb(request)),
    )


# --- the supervisor's page ----------------------------------------------------------------


@org_role()
def supervisor_page(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = _org(request)
    rows = selectors.supervisees(organisation=organisation, supervisor=_actor(request))
    return render(
        request,
        "supervision/supervisor.html",
        {
            "organisation": organisation,
            "rows": rows,
            "attention": sum(1 for r in rows if r.needs_attention),
            "breadcrumbs": [
                (
                    organisation.name,
                    reverse("organisations:dashboard", kwargs={"org_slug": organisation.slug}),
                )
            ],
        },
    )
