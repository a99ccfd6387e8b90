"""Pages of development programmes under /o/<org>/programmes/… .

Learning and development leads and admins run programmes: create them from a template,
edit modules and sessions, choose participants, record attendance and manage groups.
Participants and facilitators see the programmes they are in (others get 404). Session
feedback is shown only in aggregate, to those who run or facilitate the programme."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waymark.accounts.models import User
from waymark.organisations.decorators import org_role
from waymark.organisations.models import Role

from . import selectors, services
from .forms import (
    AttendanceForm,
    CohortForm,
    FeedbackForm,
    GroupForm,
    ModuleForm,
    ParticipantsForm,
    ProgrammeForm,
    SessionForm,
    TemplateForm,
)
from .models import Cohort, Group, GroupKind, GroupRole, Module, Programme, Session

MANAGE = (Role.LD_LEAD, Role.ADMIN)


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _org(request: HttpRequest) -> Any:
    return request.organisation  # type: ignore[attr-defined]


def _roles(request: HttpRequest) -> frozenset[str]:
    return request.roles  # type: ignore[attr-defined]


def _crumbs(request: HttpRequest, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    org = _org(request)
    return [
        (org.name, reverse("organisations:dashboard", kwargs={"org_slug": org.slug})),
        (_("Development programmes"), reverse("programmes:list", kwargs={"org_slug": org.slug})),
        *extra,
    ]


def _programme_crumb(request: HttpRequest, programme: Programme) -> tuple[str, str]:
    return (programme.title, _programme_url(request, programme))


def _programme_url(request: HttpRequest, programme: Programme) -> str:
    return reverse(
        "programmes:detail",
        kwargs={"org_slug": _org(request).slug, "programme_id": programme.pk},
    )


def _visible_programme(request: HttpRequest, programme_id: int) -> Programme:
    """The programme, if this viewer may see it; otherwise 404."""
    return get_object_or_404(
        selectors.programmes_visible_to(_actor(request), _org(request), _roles(request)),
        pk=programme_id,
    )


def _managed_programme(request: HttpRequest, programme_id: int) -> Programme:
    return get_object_or_404(
        Programme.objects.select_related("organisation"),
        organisation=_org(request),
        pk=programme_id,
    )


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    heading: str,
    crumbs: list[tuple[str, str]],
    cancel_url: str,
    submit_label: str | None = None,
    intro: str = "",
    caption: str = "",
) -> HttpResponse:
    return render(
        request,
        "programmes/form.html",
        {
            "organisation": _org(request),
            "form": form,
            "heading": heading,
            "caption": caption,
            "intro": intro,
            "breadcrumbs": crumbs,
            "cancel_url": cancel_url,
            "submit_label": submit_label or _("Save"),
        },
    )


# --- programmes ------------------------------------------------------------------------------


@org_role()
def programme_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = _org(request)
    programmes = selectors.programme_list(_actor(request), org, _roles(request))
    return render(
        request,
        "programmes/list.html",
        {
            "organisation": org,
            "programmes": programmes,
            "can_manage": selectors.can_manage(_roles(request)),
            "breadcrumbs": _crumbs(request)[:1],
        },
    )


@org_role()
def my_programmes(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = _org(request)
    return render(
        request,
        "programmes/mine.html",
        {
            "organisation": org,
            "places": selectors.my_programmes(_actor(request), org),
            "breadcrumbs": _crumbs(request),
        },
    )


@org_role(*MANAGE)
def programme_new(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = _org(request)
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create_from_template(
                actor=_actor(request), organisation=org, data=form.template_input()
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(
                request,
                _(
                    "Programme created with its modules and proposed session dates. "
                    "Change any of them below."
                ),
            )
            return redirect(_programme_url(request, programme))
    return _form_page(
        request,
        form,
        heading=_("Set up a programme from a template"),
        crumbs=_crumbs(request),
        cancel_url=reverse("programmes:list", kwargs={"org_slug": org.slug}),
        submit_label=_("Create programme"),
        intro=_(
            "The introductory module template follows the suggested format of a programme "
            "for first line and middle managers: an introductory module with personal "
            "feedback and a development plan, up to six further modules of at most three "
            "days over about ten months, and a final learning review. The monthly template "
            "takes one domain of a framework as the focus of each month's session."
        ),
    )


@org_role()
def programme_detail(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    programme = _visible_programme(request, programme_id)
    user = _actor(request)
    manage = selectors.can_manage(_roles(request))
    facilitator = selectors.facilitates(user, programme)
    return render(
        request,
        "programmes/detail.html",
        {
            "organisation": _org(request),
            "programme": programme,
            "can_manage": manage,
            "show_reactions": manage or facilitator,
            "reactions": selectors.programme_reactions(programme)
            if manage or facilitator
            else None,
            "breadcrumbs": _crumbs(request),
            "today": selectors.today(),
            **selectors.programme_detail(programme),
        },
    )


@org_role(*MANAGE)
def programme_edit(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    programme = _managed_programme(request, programme_id)
    form = ProgrammeForm.for_programme(programme, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(
                actor=_actor(request), programme=programme, data=form.programme_input()
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Programme saved."))
            return redirect(_programme_url(request, programme))
    return _form_page(
        request,
        form,
        heading=_("Change the programme"),
        caption=programme.title,
        crumbs=_crumbs(request, _programme_crumb(request, programme)),
        cancel_url=_programme_url(request, programme),
    )


@org_role(*MANAGE)
def cohort_add(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    programme = _managed_programme(request, programme_id)
    form = CohortForm(
        request.POST or None,
        initial={"start_date": programme.start_date, "end_date": programme.end_date},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_create(actor=_actor(request), programme=programme, **form.cleaned_data)
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Cohort added."))
            return redirect(_programme_url(request, programme))
    return _form_page(
        request,
        form,
        heading=_("Add a cohort"),
        caption=programme.title,
        crumbs=_crumbs(request, _programme_crumb(request, programme)),
        cancel_url=_programme_url(request, programme),
    )


@org_role(*MANAGE)
def cohort_edit(
    request: HttpRequest, org_slug: str, programme_id: int, cohort_id: int
) -> HttpResponse:
    programme = _managed_programme(request, programme_id)
    cohort = get_object_or_404(Cohort, programme=programme, pk=cohort_id)
    cohort.programme = programme
    form = CohortForm(
        request.POST or None,
        initial={"name": cohort.name, "start_date": cohort.start_date, "end_date": cohort.end_date},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_update(actor=_actor(request), cohort=cohort, **form.cleaned_data)
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Cohort saved."))
            return redirect(_programme_url(request, programme))
    return _form_page(
        request,
        form,
        heading=_("Change the cohort"),
        caption=programme.title,
        crumbs=_crumbs(request, _programme_crumb(request, programme)),
        cancel_url=_programme_url(request, programme),
    )


@org_role(*MANAGE)
def participants(
    request: HttpRequest, org_slug: str, programme_id: int, cohort_id: int
) -> HttpResponse:
    programme = _managed_programme(request, programme_id)
    cohort = get_object_or_404(Cohort, programme=programme, pk=cohort_id)
    cohort.programme = programme
    current = list(User.objects.filter(programme_places__cohort=cohort))
    form = ParticipantsForm(
        request.POST or None, organisation=_org(request), initial={"users": current}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.participants_set(
                actor=_actor(request), cohort=cohort, users=form.cleaned_data["users"]
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Participants saved."))
            return redirect(_programme_url(request, programme))
    return _form_page(
        request,
        form,
        heading=_("Participants of %(cohort)s") % {"cohort": cohort.name},
        caption=programme.title,
        crumbs=_crumbs(request, _programme_crumb(request, programme)),
        cancel_url=_programme_url(request, programme),
        submit_label=_("Save participants"),
    )


# --- modules and sessions --------------------------------------------------------------------


@org_role(*MANAGE)
def module_add(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    programme = _managed_programme(request, programme_id)
    form = ModuleForm(
        request.POST or None,
        programme=programme,
        initial={"sequence": programme.modules.count() + 1, "days": 1},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.module_create(
                actor=_actor(request), programme=programme, data=form.module_input()
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Module added."))
            return redirect(_programme_url(request, programme))
    return _form_page(
        request,
        form,
        heading=_("Add a module"),
        caption=programme.title,
        crumbs=_crumbs(request, _programme_crumb(request, programme)),
        cancel_url=_programme_url(request, programme),
    )


@org_role(*MANAGE)
def module_edit(
    request: HttpRequest, org_slug: str, programme_id: int, module_id: int
) -> HttpResponse:
    programme = _managed_programme(request, programme_id)
    module = get_object_or_404(Module, programme=programme, pk=module_id)
    module.programme = programme
    form = ModuleForm.for_module(module, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.module_update(actor=_actor(request), module=module, data=form.module_input())
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Module saved."))
            return redirect(_programme_url(request, programme))
    return _form_page(
        request,
        form,
        heading=_("Change the module"),
        caption=programme.title,
        crumbs=_crumbs(request, _programme_crumb(request, programme)),
        cancel_url=_programme_url(request, programme),
    )


@org_role(*MANAGE)
def session_add(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    programme = _managed_programme(request, programme_id)
    form = SessionForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_create(
                actor=_actor(request), programme=programme, data=form.session_input()
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Session added."))
            return redirect(_programme_url(request, programme))
    return _form_page(
        request,
        form,
        heading=_("Add a session"),
        caption=programme.title,
        crumbs=_crumbs(request, _programme_crumb(request, programme)),
        cancel_url=_programme_url(request, programme),
    )


def _session_of(programme: Programme, session_id: int) -> Session:
    session = get_object_or_404(
        Session.objects.select_related("module", "cohort"), programme=programme, pk=session_id
    )
    session.programme = programme
    return session


@org_role(*MANAGE)
def session_edit(
    request: HttpRequest, org_slug: str, programme_id: int, session_id: int
) -> HttpResponse:
    programme = _managed_programme(request, programme_id)
    session = _session_of(programme, session_id)
    form = SessionForm(
        request.POST or None,
        programme=programme,
        initial={
            "module": session.module,
            "cohort": session.cohort,
            "date": session.date,
            "start_time": session.start_time,
            "end_time": session.end_time,
            "place": session.place,
            "online_link": session.online_link,
            "facilitators": list(session.facilitators.all()),
            "external_facilitators": session.external_facilitators,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(
                actor=_actor(request), session=session, data=form.session_input()
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Session saved."))
            return redirect(_programme_url(request, programme))
    return _form_page(
        request,
        form,
        heading=_("Change the session"),
        caption=f"{programme.title}: {session.module.title}",
        crumbs=_crumbs(request, _programme_crumb(request, programme)),
        cancel_url=_programme_url(request, programme),
    )


def _confirm_delete(
    request: HttpRequest,
    programme: Programme,
    *,
    heading: str,
    warning: str,
    delete: Any,
    done: str,
) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            delete()
        except ValidationError as e:
            error = " ".join(str(m) for m in e.messages)
        else:
            messages.success(request, done)
            return redirect(_programme_url(request, programme))
    return render(
        request,
        "programmes/confirm_delete.html",
        {
            "organisation": _org(request),
            "programme": programme,
            "heading": heading,
            "warning": warning,
            "error": error,
            "cancel_url": _programme_url(request, programme),
            "breadcrumbs": _crumbs(request, _programme_crumb(request, programme)),
        },
    )


@org_role(*MANAGE)
def module_delete(
    request: HttpRequest, org_slug: str, programme_id: int, module_id: int
) -> HttpResponse:
    programme = _managed_programme(request, programme_id)
    module = get_object_or_404(Module, programme=programme, pk=module_id)
    module.programme = programme
    return _confirm_delete(
        request,
        programme,
        heading=_("Delete the module “%(title)s”?") % {"title": module.title},
        warning=_("Its sessions are deleted with it."),
        delete=lambda: services.module_delete(actor=_actor(request), module=module),
        done=_("Module deleted."),
    )


@org_role(*MANAGE)
def session_delete(
    request: HttpRequest, org_slug: str, programme_id: int, session_id: int
) -> HttpResponse:
    programme = _managed_programme(request, programme_id)
    session = _session_of(programme, session_id)
    return _confirm_delete(
        request,
        programme,
        heading=_("Delete the session on %(date)s?") % {"date": f"{session.date:%-d %B %Y}"},
        warning=session.module.title,
        delete=lambda: services.session_delete(actor=_actor(request), session=session),
        done=_("Session deleted."),
    )


@org_role()
def session_detail(
    request: HttpRequest, org_slug: str, programme_id: int, session_id: int
) -> HttpResponse:
    programme = _visible_programme(request, programme_id)
    session = _session_of(programme, session_id)
    user = _actor(request)
    manage = selectors.can_manage(_roles(request))
    facilitator = session.facilitators.filter(pk=user.pk).exists() or selectors.facilitates(
        user, programme
    )
    participant = selectors.participant_in(user, session)
    attended = selectors.attended(participant, session)
    answered = participant is not None and session.feedback.filter(participant=participant).exists()
    rows = selectors.attendance_rows(session) if manage else []
    return render(
        request,
        "programmes/session.html",
        {
            "organisation": _org(request),
            "programme": programme,
            "session": session,
            "can_manage": manage,
            "nodes": list(session.module.nodes.select_related("edition__framework")),
            "facilitators": list(session.facilitators.all()),
            "participant": participant,
            "attended": attended,
            "answered": answered,
            "reactions": selectors.session_reactions(session) if manage or facilitator else None,
            "rows": rows,
            "rows_recorded": any(a is not None for _p, a in rows),
            "breadcrumbs": _crumbs(request, _programme_crumb(request, programme)),
        },
    )


@org_role(*MANAGE)
def attendance(
    request: HttpRequest, org_slug: str, programme_id: int, session_id: int
) -> HttpResponse:
    programme = _managed_programme(request, programme_id)
    session = _session_of(programme, session_id)
    rows = selectors.attendance_rows(session)
    people = [p for p, _a in rows]
    marks = {p.pk: a.status for p, a in rows if a is not None}
    form = AttendanceForm(request.POST or None, participants=people, marks=marks)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.attendance_record(
                actor=_actor(request), session=session, marks=form.marks()
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Attendance saved."))
            if result.entries_made:
                messages.info(
                    request,
                    ngettext(
                        "A shared CPD entry was added for %(n)d participant.",
                        "Shared CPD entries were added for %(n)d participants.",
                        len(result.entries_made),
                    )
                    % {"n": len(result.entries_made)},
                )
            if result.entries_removed:
                messages.info(
                    request,
                    ngettext(
                        "The CPD entry of %(n)d participant no longer marked present was removed.",
                        "The CPD entries of %(n)d participants no longer marked present were "
                        "removed.",
                        len(result.entries_removed),
                    )
                    % {"n": len(result.entries_removed)},
                )
            for p in result.entries_kept:
                messages.warning(
                    request,
                    _(
                        "%(name)s has written in the CPD entry this session made, so it stays "
                        "in their record; they can delete it themselves."
                    )
                    % {"name": p.user.display_name},
                )
            return redirect(
                "programmes:session",
                org_slug=_org(request).slug,
                programme_id=programme.pk,
                session_id=session.pk,
            )
    return render(
        request,
        "programmes/attendance.html",
        {
            "organisation": _org(request),
            "programme": programme,
            "session": session,
            "form": form,
            "is_future": session.date > selectors.today(),
            "breadcrumbs": _crumbs(request, _programme_crumb(request, programme)),
        },
    )


@org_role()
def feedback(
    request: HttpRequest, org_slug: str, programme_id: int, session_id: int
) -> HttpResponse:
    programme = _visible_programme(request, programme_id)
    session = _session_of(programme, session_id)
    user = _actor(request)
    participant = selectors.participant_in(user, session)
    if participant is None:
        raise Http404
    session_url = reverse(
        "programmes:session",
        kwargs={
            "org_slug": _org(request).slug,
            "programme_id": programme.pk,
            "session_id": session.pk,
        },
    )
    if session.feedback.filter(participant=participant).exists():
        messages.info(request, _("You have already given feedback on this session. Thank you."))
        return redirect(session_url)
    if not selectors.attended(participant, session):
        messages.info(
            request, _("Only participants who attended the session can give feedback on it.")
        )
        return redirect(session_url)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(actor=user, session=session, data=form.feedback_input())
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Thank you: your feedback was sent."))
            return redirect("programmes:mine", org_slug=_org(request).slug)
    return _form_page(
        request,
        form,
        heading=_("Your feedback on the session"),
        caption=f"{programme.title}: {session.module.title}, {session.date:%-d %B %Y}",
        crumbs=_crumbs(request, _programme_crumb(request, programme)),
        cancel_url=session_url,
        submit_label=_("Send feedback"),
        intro=_(
            "Your answers are shown to those who run the programme only together with "
            "at least four other people's, never with your name."
        ),
    )


# --- groups --------------------------------------------------------------------------------


@org_role(*MANAGE)
def group_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = _org(request)
    return render(
        request,
        "programmes/groups.html",
        {
            "organisation": org,
            "groups": selectors.groups_of(org),
            "breadcrumbs": _crumbs(request),
        },
    )


def _groups_url(request: HttpRequest) -> str:
    return reverse("programmes:groups", kwargs={"org_slug": _org(request).slug})


@org_role(*MANAGE)
def group_add(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = _org(request)
    form = GroupForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_create(actor=_actor(request), organisation=org, data=form.group_input())
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Group added."))
            return redirect(_groups_url(request))
    return _form_page(
        request,
        form,
        heading=_("Add an action learning set or mentoring pair"),
        crumbs=_crumbs(
            request, (_("Action learning sets and mentoring pairs"), _groups_url(request))
        ),
        cancel_url=_groups_url(request),
        intro=_(
            "For an action learning set, tick its members. For a mentoring pair, "
            "choose one mentor and one mentee."
        ),
    )


@org_role(*MANAGE)
def group_edit(request: HttpRequest, org_slug: str, group_id: int) -> HttpResponse:
    org = _org(request)
    group = get_object_or_404(Group, organisation=org, pk=group_id)
    members = list(group.members.select_related("user"))
    initial: dict[str, Any] = {"kind": group.kind, "name": group.name, "programme": group.programme}
    if group.kind == GroupKind.MENTORING_PAIR:
        for m in members:
            if m.role == GroupRole.MENTOR:
                initial["mentor"] = m.user
            elif m.role == GroupRole.MENTEE:
                initial["mentee"] = m.user
    else:
        initial["members"] = [m.user for m in members]
    form = GroupForm(request.POST or None, organisation=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_update(actor=_actor(request), group=group, data=form.group_input())
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, _("Group saved."))
            return redirect(_groups_url(request))
    return _form_page(
        request,
        form,
        heading=_("Change the group"),
        caption=group.name,
        crumbs=_crumbs(
            request, (_("Action learning sets and mentoring pairs"), _groups_url(request))
        ),
        cancel_url=_groups_url(request),
    )
