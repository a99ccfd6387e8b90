"""Pages of the CPD record: the learning log, entries, evidence files and summaries.

Every page is about one person (people/<person_id>/cpd/…) and reads entries only
through `selectors.entries_visible_to`: the manager sees all of hers; her supervisor,
mentors and coaches see what she shared; nobody else sees anything (L&D leads and
admins are refused the pages: 403). An entry a viewer may not see is "not found"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waymark.accounts.models import User
from waymark.frameworks.models import Node
from waymark.frameworks.selectors import counts_towards
from waymark.organisations.access import SELF, person_view
from waymark.organisations.decorators import org_role

from . import services
from .forms import EntryForm, EvidenceForm, FilterForm, PeriodForm
from .models import Entry, Evidence, Visibility
from .selectors import (
    CPD_RELATIONS,
    can_confirm,
    can_edit,
    entries_visible_to,
    hours_total,
    summarise,
    with_details,
)
from .uploads import capped_uploads

PAGE_SIZE = 20


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _scope(request: HttpRequest) -> tuple[Any, Any, frozenset[str]]:
    return request.organisation, request.person, request.relations  # type: ignore[attr-defined]


def _visible(request: HttpRequest) -> Any:
    organisation, person, relations = _scope(request)
    return entries_visible_to(_actor(request), person, organisation, relations)


def _entry_or_404(request: HttpRequest, entry_id: int) -> Entry:
    """The entry, if this viewer may see it; otherwise 404, never a hint it exists."""
    return get_object_or_404(with_details(_visible(request)), pk=entry_id)


def _own_entry_or_404(request: HttpRequest, entry_id: int) -> Entry:
    entry = _entry_or_404(request, entry_id)
    if not can_edit(request.relations):  # type: ignore[attr-defined]
        raise PermissionDenied
    return entry


def _crumbs(request: HttpRequest, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    organisation, person, relations = _scope(request)
    person_label = _("Your development") if SELF in relations else person.display_name
    return [
        (
            organisation.name,
            reverse("organisations:dashboard", kwargs={"org_slug": organisation.slug}),
        ),
        (
            person_label,
            reverse(
                "organisations:person",
                kwargs={"org_slug": organisation.slug, "person_id": person.pk},
            ),
        ),
        *extra,
    ]


def _log_crumb(request: HttpRequest) -> tuple[str, str]:
    organisation, person, relations = _scope(request)
    return (
        _("Your CPD record") if SELF in relations else _("CPD record"),
        reverse("cpd:entry_list", kwargs={"org_slug": organisation.slug, "person_id": person.pk}),
    )


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    organisation, person, relations = _scope(request)
    return {
        "organisation": organisation,
        "person": person,
        "relations": relations,
        "is_self": SELF in relations,
        **extra,
    }


def _pagination(request: HttpRequest, number: int, last: int) -> dict[str, Any] | None:
    """Items for the GOV.UK pagination component."""
    if last <= 1:
        return None

    def url(n: int) -> str:
        q = request.GET.copy()
        q["page"] = str(n)
        return "?" + q.urlencode()

    shown = sorted({n for n in (1, number - 1, number, number + 1, last) if 1 <= n <= last})
    items: list[dict[str, Any]] = []
    previous = 0
    for n in shown:
        if previous and n - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": n, "url": url(n), "current": n == number})
        previous = n
    return {
        "items": items,
        "previous_url": url(number - 1) if number > 1 else "",
        "next_url": url(number + 1) if number < last else "",
    }


# --- the learning log ----------------------------------------------------------------------


@org_role()
@person_view(*CPD_RELATIONS)
def entry_list(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    visible = _visible(request)
    used_nodes = list(
        Node.objects.filter(
            pk__in=Entry.nodes.through.objects.filter(entry__in=visible).values("node_id")
        )
        .select_related("edition__framework")
        .order_by("edition__framework__title", "path")
    )
    filters = FilterForm(request.GET or None, nodes=used_nodes)
    entries = filters.filtered(visible)
    paginator = Paginator(with_details(entries), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    total_hours = hours_total(entries)
    return render(
        request,
        "cpd/entry_list.html",
        _context(
            request,
            filters=filters,
            page=page,
            entries=list(page.object_list),
            count=paginator.count,
            total_hours=total_hours,
            pagination=_pagination(request, page.number, paginator.num_pages),
            breadcrumbs=_crumbs(request),
        ),
    )


@org_role()
@person_view(SELF)
@capped_uploads
def entry_add(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    organisation, person, _relations = _scope(request)
    form = EntryForm(
        request.POST or None, request.FILES or None, organisation=organisation, person=person
    )
    if request.method == "POST":
        if form.searching:
            form.show_without_errors()
        elif form.is_valid():
            try:
                entry = services.entry_create(
                    actor=_actor(request),
                    organisation=organisation,
                    manager=person,
                    data=form.entry_input(),
                    evidence=form.cleaned_data["evidence"],
                )
            except ValidationError as e:
                form.add_service_errors(e)
            else:
                messages.success(request, _("Entry added to your CPD record."))
                return redirect(
                    "cpd:entry_detail",
                    org_slug=organisation.slug,
                    person_id=person.pk,
                    entry_id=entry.pk,
                )
    return render(
        request,
        "cpd/entry_form.html",
        _context(
            request,
            form=form,
            heading=_("Add a CPD entry"),
            files_dropped=bool(request.FILES),
            breadcrumbs=_crumbs(request, _log_crumb(request)),
        ),
    )


@org_role()
@person_view(*CPD_RELATIONS)
def entry_detail(
    request: HttpRequest, org_slug: str, person_id: int, entry_id: int
) -> HttpResponse:
    entry = _entry_or_404(request, entry_id)
    return render(request, "cpd/entry_detail.html", _detail_context(request, entry))


def _detail_context(
    request: HttpRequest, entry: Entry, evidence_form: EvidenceForm | None = None
) -> dict[str, Any]:
    relations = request.relations  # type: ignore[attr-defined]
    nodes = list(entry.nodes.all())
    mapped = counts_towards([n.pk for n in nodes])
    towards = [
        (
            node,
            [
                c
                for c in mapped.get(node.pk, [])
                if c.node.edition.framework_id != node.edition.framework_id
            ],
        )
        for node in nodes
    ]
    return _context(
        request,
        entry=entry,
        evidence=list(entry.evidence.all()),
        towards=[(n, t) for n, t in towards if t],
        nodes=nodes,
        can_edit=can_edit(relations),
        can_confirm=can_confirm(entry, relations),
        evidence_form=evidence_form or (EvidenceForm() if can_edit(relations) else None),
        breadcrumbs=_crumbs(request, _log_crumb(request)),
        Visibility=Visibility,
    )


@org_role()
@person_view(SELF)
@capped_uploads
def entry_edit(request: HttpRequest, org_slug: str, person_id: int, entry_id: int) -> HttpResponse:
    organisation, person, _relations = _scope(request)
    entry = _own_entry_or_404(request, entry_id)
    form = EntryForm(
        request.POST or None,
        request.FILES or None,
        organisation=organisation,
        person=person,
        entry=entry,
    )
    if request.method == "POST":
        if form.searching:
            form.show_without_errors()
        elif form.is_valid():
            try:
                services.entry_update(
                    actor=_actor(request),
                    entry=entry,
                    data=form.entry_input(),
                    evidence=form.cleaned_data["evidence"],
                )
            except ValidationError as e:
                form.add_service_errors(e)
            else:
                messages.success(request, _("Entry saved."))
                return redirect(
                    "cpd:entry_detail",
                    org_slug=organisation.slug,
                    person_id=person.pk,
                    entry_id=entry.pk,
                )
    entry_url = reverse(
        "cpd:entry_detail",
        kwargs={"org_slug": organisation.slug, "person_id": person.pk, "entry_id": entry.pk},
    )
    return render(
        request,
        "cpd/entry_form.html",
        _context(
            request,
            form=form,
            entry=entry,
            heading=_("Change a CPD entry"),
            files_dropped=bool(request.FILES),
            cancel_url=entry_url,
            breadcrumbs=_crumbs(request, _log_crumb(request), (entry.title, entry_url)),
        ),
    )


@org_role()
@person_view(SELF)
def entry_delete(
    request: HttpRequest, org_slug: str, person_id: int, entry_id: int
) -> HttpResponse:
    organisation, person, _relations = _scope(request)
    entry = _own_entry_or_404(request, entry_id)
    if request.method == "POST":
        services.entry_delete(actor=_actor(request), entry=entry)
        messages.success(request, _("Entry deleted."))
        return redirect("cpd:entry_list", org_slug=organisation.slug, person_id=person.pk)
    entry_url = reverse(
        "cpd:entry_detail",
        kwargs={"org_slug": organisation.slug, "person_id": person.pk, "entry_id": entry.pk},
    )
    return render(
        request,
        "cpd/entry_delete.html",
        _context(
            request,
            entry=entry,
            evidence=list(entry.evidence.all()),
            cancel_url=entry_url,
            breadcrumbs=_crumbs(request, _log_crumb(request), (entry.title, entry_url)),
        ),
    )


@org_role()
@person_view(SELF)
@require_POST
def entry_share(request: HttpRequest, org_slug: str, person_id: int, entry_id: int) -> HttpResponse:
    entry = _own_entry_or_404(request, entry_id)
    visibility = request.POST.get("visibility", "")
    try:
        services.entry_share(actor=_actor(request), entry=entry, visibility=visibility)
    except ValidationError:
        messages.error(request, _("Choose who can see this entry."))
    else:
        messages.success(
            request,
            _("Shared with your supervisor, mentors and coaches.")
            if visibility == Visibility.SUPPORTERS
            else _("This entry is now private: only you can see it."),
        )
    return redirect("cpd:entry_detail", org_slug=org_slug, person_id=person_id, entry_id=entry.pk)


@org_role()
@person_view(*CPD_RELATIONS)
@require_POST
def entry_confirm(
    request: HttpRequest, org_slug: str, person_id: int, entry_id: int
) -> HttpResponse:
    entry = _entry_or_404(request, entry_id)
    if not can_confirm(entry, request.relations):  # type: ignore[attr-defined]
        if entry.confirmed_at is not None and "supervisor" in request.relations:  # type: ignore[attr-defined]
            messages.success(request, _("This entry is already confirmed."))
            return redirect(
                "cpd:entry_detail", org_slug=org_slug, person_id=person_id, entry_id=entry.pk
            )
        raise PermissionDenied
    services.entry_confirm(actor=_actor(request), entry=entry)
    messages.success(request, _("Entry confirmed."))
    return redirect("cpd:entry_detail", org_slug=org_slug, person_id=person_id, entry_id=entry.pk)


# --- evidence ------------------------------------------------------------------------------


@org_role()
@person_view(SELF)
@capped_uploads
@require_POST
def evidence_add(
    request: HttpRequest, org_slug: str, person_id: int, entry_id: int
) -> HttpResponse:
    entry = _own_entry_or_404(request, entry_id)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            for upload in form.cleaned_data["evidence"]:
                services.evidence_add(actor=_actor(request), entry=entry, upload=upload)
        except ValidationError as e:
            form.add_error("evidence", e.messages)
        else:
            count = len(form.cleaned_data["evidence"])
            messages.success(
                request,
                _("Evidence added.") if count == 1 else _("%(n)s files added.") % {"n": count},
            )
            return redirect(
                "cpd:entry_detail", org_slug=org_slug, person_id=person_id, entry_id=entry.pk
            )
    entry = _entry_or_404(request, entry_id)  # fresh: some files may have been added
    return render(
        request, "cpd/entry_detail.html", _detail_context(request, entry, evidence_form=form)
    )


def _evidence_or_404(request: HttpRequest, entry_id: int, evidence_id: int) -> Evidence:
    entry = get_object_or_404(_visible(request), pk=entry_id)
    return get_object_or_404(Evidence.objects.select_related("entry"), entry=entry, pk=evidence_id)


@org_role()
@person_view(*CPD_RELATIONS)
def evidence_download(
    request: HttpRequest, org_slug: str, person_id: int, entry_id: int, evidence_id: int
) -> HttpResponse:
    """An evidence file, to those who may see its entry: always as a download, with the
    type Waymark sniffed when it arrived, never one the browser guesses."""
    evidence = _evidence_or_404(request, entry_id, evidence_id)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as e:
        raise Http404 from e
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response  # type: ignore[return-value]  # a FileResponse streams; decorators expect any response


@org_role()
@person_view(SELF)
@require_POST
def evidence_delete(
    request: HttpRequest, org_slug: str, person_id: int, entry_id: int, evidence_id: int
) -> HttpResponse:
    evidence = _evidence_or_404(request, entry_id, evidence_id)
    services.evidence_delete(actor=_actor(request), evidence=evidence)
    messages.success(
        request, _("Evidence file deleted: %(name)s") % {"name": evidence.original_name}
    )
    return redirect("cpd:entry_detail", org_slug=org_slug, person_id=person_id, entry_id=entry_id)


# --- summaries -----------------------------------------------------------------------------


@org_role()
@person_view(*CPD_RELATIONS)
def summary(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    period = PeriodForm(request.GET or None)
    period_from, period_to = period.period()
    result = summarise(_visible(request), period_from=period_from, period_to=period_to)
    return render(
        request,
        "cpd/summary.html",
        _context(
            request,
            period=period,
            summary=result,
            breadcrumbs=_crumbs(request, _log_crumb(request)),
        ),
    )
