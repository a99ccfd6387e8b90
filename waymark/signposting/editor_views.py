"""The catalogue editor pages, site-wide under /catalogue/edit/, for standards and
catalogue editors only (the frameworks' `standards_editor_required`): list, create, edit
and withdraw providers, resources and qualifications; tag resources and units with
framework items; each entry's history; import and export; the "needs review" list of
links. Only public entries are edited here: organisations' in-house resources are theirs.

Also the organisation's own pages for in-house resources (/o/<org>/learning/in-house/),
which share the tagging page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from waymark.core.models import AuditEvent
from waymark.frameworks.decorators import standards_editor_required
from waymark.frameworks.interchange.files import check_size, max_import_bytes
from waymark.frameworks.interchange.problems import InterchangeError, Problem
from waymark.frameworks.models import Node
from waymark.frameworks.selectors import search_nodes
from waymark.organisations.decorators import org_role
from waymark.organisations.models import Role

from . import services
from .editor_forms import (
    CatalogueImportForm,
    InhouseResourceForm,
    ListFilterForm,
    ProviderForm,
    QualificationForm,
    ResourceForm,
    TagForm,
    UnitForm,
)
from .interchange import KINDS, catalogue_import, export_csv, export_json, read_catalogue
from .linkcheck import needs_review as needs_review_items
from .models import (
    CatalogueStatus,
    Coverage,
    Provider,
    Qualification,
    QualificationUnit,
    Resource,
    ResourceNode,
    ResourceType,
)

if TYPE_CHECKING:
    from waymark.accounts.models import User

PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 50
EXPORTS = {
    "json": ("catalogue.json", "application/json"),
    **{f"{kind}-csv": (f"{kind}.csv", "text/csv; charset=utf-8") for kind in KINDS},
}
NAV = "catalogue"


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (_("Learning catalogue"), reverse("catalogue:search")),
        (_("Edit the catalogue"), reverse("catalogue:edit_index")),
        *extra,
    ]


def _page(request: HttpRequest, qs: Any, size: int = PAGE_SIZE) -> Any:
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    return Paginator(qs, size).get_page(number)


def _pagination(request: HttpRequest, page: Any) -> dict[str, Any] | None:
    if page.paginator.num_pages <= 1:
        return None

    def url(n: int) -> str:
        q = request.GET.copy()
        q["page"] = str(n)
        return "?" + q.urlencode()

    last = page.paginator.num_pages
    shown = sorted(
        {n for n in (1, page.number - 1, page.number, page.number + 1, last) if 1 <= n <= last}
    )
    items: list[dict[str, Any]] = []
    previous = 0
    for n in shown:
        if previous and n - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": n, "url": url(n), "current": n == page.number})
        previous = n
    return {
        "items": items,
        "previous_url": url(page.number - 1) if page.has_previous() else "",
        "next_url": url(page.number + 1) if page.has_next() else "",
    }


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    submit_label: str,
    cancel_url: str,
    breadcrumbs: list[tuple[str, str]],
    caption: str = "",
    intro: str = "",
    links: list[tuple[str, str]] | None = None,
    extra: dict[str, Any] | None = None,
    template: str = "signposting/editor/form_page.html",
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "nav_section": NAV,
            "form": form,
            "page_title": title,
            "caption": caption,
            "intro": intro,
            "submit_label": submit_label,
            "cancel_url": cancel_url,
            "breadcrumbs": breadcrumbs,
            "links": links or [],
            **(extra or {}),
        },
    )


def _confirm_page(
    request: HttpRequest,
    *,
    title: str,
    caption: str,
    body: list[str],
    button: str,
    cancel_url: str,
    breadcrumbs: list[tuple[str, str]],
) -> HttpResponse:
    return render(
        request,
        "signposting/editor/confirm.html",
        {
            "nav_section": NAV,
            "page_title": title,
            "caption": caption,
            "body": body,
            "button": button,
            "cancel_url": cancel_url,
            "breadcrumbs": breadcrumbs,
        },
    )


def _history_page(
    request: HttpRequest, obj: Any, *, title: str, breadcrumbs: list[tuple[str, str]]
) -> HttpResponse:
    events = AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).order_by("-at", "-id")
    page = _page(request, events, HISTORY_PAGE_SIZE)
    rows = [
        (event, [(k, v) for k, v in (event.changes or {}).items() if not k.startswith("_")])
        for event in page.object_list
    ]
    return render(
        request,
        "signposting/editor/history.html",
        {
            "nav_section": NAV,
            "entry_title": title,
            "page": page,
            "rows": rows,
            "pagination": _pagination(request, page),
            "breadcrumbs": breadcrumbs,
        },
    )


# ------------------------------------------------------------------------ overview


@standards_editor_required
@require_GET
def edit_index(request: HttpRequest) -> HttpResponse:
    def counts(model: Any) -> dict[str, int]:
        qs = model.objects.all()
        if model is not Qualification:
            qs = qs.filter(organisation__isnull=True)
        rows = dict(qs.values_list("status").annotate(n=Count("id")).order_by())
        return {s: rows.get(s, 0) for s in CatalogueStatus.values}

    review = needs_review_items()
    return render(
        request,
        "signposting/editor/index.html",
        {
            "nav_section": NAV,
            "counts": [
                (_("Resources"), reverse("catalogue:resource_list"), counts(Resource)),
                (_("Providers"), reverse("catalogue:provider_list"), counts(Provider)),
                (
                    _("Qualifications"),
                    reverse("catalogue:qualification_list"),
                    counts(Qualification),
                ),
            ],
            "breadcrumbs": _crumbs()[:1],
            "review_count": len(review),
            "broken_count": sum(1 for i in review if i.broken),
        },
    )


# ------------------------------------------------------------------------ resources


def _public_resource(slug: str) -> Resource:
    return get_object_or_404(
        Resource.objects.select_related("provider").filter(organisation__isnull=True), slug=slug
    )


def _resource_links(resource: Resource) -> list[tuple[str, str]]:
    public = (
        [(_("See it in the public catalogue"), reverse("catalogue:resource", args=[resource.slug]))]
        if resource.status == CatalogueStatus.PUBLISHED
        else []
    )
    return [
        *public,
        (
            _("Framework items it addresses"),
            reverse("catalogue:resource_nodes", args=[resource.slug]),
        ),
        (_("Who changed what"), reverse("catalogue:resource_history", args=[resource.slug])),
        (_("Withdraw it"), reverse("catalogue:resource_withdraw", args=[resource.slug])),
    ]


@standards_editor_required
@require_GET
def resource_list(request: HttpRequest) -> HttpResponse:
    form = ListFilterForm(request.GET or None, kinds=ResourceType.choices)
    qs = (
        Resource.objects.filter(organisation__isnull=True)
        .select_related("provider")
        .annotate(tag_count=Count("tags"))
        .order_by("title", "id")
    )
    qs = form.apply(qs, title="title", kind_field="resource_type")
    page = _page(request, qs)
    return render(
        request,
        "signposting/editor/resource_list.html",
        {
            "nav_section": NAV,
            "form": form,
            "page": page,
            "pagination": _pagination(request, page),
            "breadcrumbs": _crumbs(),
        },
    )


@standards_editor_required
def resource_create(request: HttpRequest) -> HttpResponse:
    form = ResourceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        resource = services.resource_create(actor=_actor(request), data=form.cleaned_data)
        messages.success(
            request,
            _("%(title)s has been added. Now tag the framework items it addresses.")
            % {"title": resource.title},
        )
        return redirect("catalogue:resource_nodes", slug=resource.slug)
    return _form_page(
        request,
        form,
        title=_("Add a resource"),
        submit_label=_("Add resource"),
        cancel_url=reverse("catalogue:resource_list"),
        breadcrumbs=_crumbs((_("Resources"), reverse("catalogue:resource_list"))),
    )


@standards_editor_required
def resource_edit(request: HttpRequest, slug: str) -> HttpResponse:
    resource = _public_resource(slug)
    form = ResourceForm(request.POST if request.method == "POST" else None, instance=resource)
    if request.method == "POST" and form.is_valid():
        services.resource_update(actor=_actor(request), resource=resource, data=form.cleaned_data)
        messages.success(request, _("Your changes have been saved."))
        return redirect("catalogue:resource_list")
    fresh = _public_resource(slug)
    return _form_page(
        request,
        form,
        title=_("Edit a resource"),
        caption=fresh.title,
        submit_label=_("Save changes"),
        cancel_url=reverse("catalogue:resource_list"),
        breadcrumbs=_crumbs((_("Resources"), reverse("catalogue:resource_list"))),
        links=_resource_links(fresh),
        extra={"tags": _tags(fresh), "show_tags": True, "link_entry": fresh},
    )


@standards_editor_required
def resource_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    resource = _public_resource(slug)
    if request.method == "POST":
        services.resource_withdraw(actor=_actor(request), resource=resource)
        messages.success(request, _("%(title)s has been withdrawn.") % {"title": resource.title})
        return redirect("catalogue:resource_list")
    return _confirm_page(
        request,
        title=_("Withdraw this resource?"),
        caption=resource.title,
        body=[
            _(
                "It will no longer be shown or matched to anyone's needs. Its details and "
                "history are kept, and you can publish it again by editing its status."
            )
        ],
        button=_("Withdraw resource"),
        cancel_url=reverse("catalogue:resource_edit", args=[slug]),
        breadcrumbs=_crumbs((_("Resources"), reverse("catalogue:resource_list"))),
    )


@standards_editor_required
@require_GET
def resource_history(request: HttpRequest, slug: str) -> HttpResponse:
    resource = _public_resource(slug)
    return _history_page(
        request,
        resource,
        title=resource.title,
        breadcrumbs=_crumbs(
            (_("Resources"), reverse("catalogue:resource_list")),
            (resource.title, reverse("catalogue:resource_edit", args=[slug])),
        ),
    )


def _tags(resource: Resource) -> list[ResourceNode]:
    return list(
        ResourceNode.objects.filter(resource=resource)
        .select_related("node__edition__framework")
        .order_by("node__edition__framework__title", "node__path")
    )


def tag_page(
    request: HttpRequest,
    resource: Resource,
    *,
    breadcrumbs: list[tuple[str, str]],
    back_url: str,
    nav_section: str = NAV,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Tag a resource with framework items: by framework and code, or from a search of
    the standards; remove a tag. Plain forms, one per action: no script needed."""
    form = TagForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "remove":
            node = _node_or_none(request.POST.get("node"))
            if node is not None:
                services.resource_tag_remove(actor=_actor(request), resource=resource, node=node)
                messages.success(request, _("%(node)s has been removed.") % {"node": node})
            return redirect(request.get_full_path())
        if action == "pick":
            node = _node_or_none(request.POST.get("node"), current_only=True)
            coverage = request.POST.get("coverage", Coverage.MAIN)
            if node is not None and coverage in Coverage.values:
                services.resource_tag_set(
                    actor=_actor(request), resource=resource, node=node, coverage=coverage
                )
                messages.success(request, _("%(node)s has been added.") % {"node": node})
            return redirect(request.get_full_path())
        form = TagForm(request.POST)
        if form.is_valid() and form.node is not None:
            services.resource_tag_set(
                actor=_actor(request),
                resource=resource,
                node=form.node,
                coverage=form.cleaned_data["coverage"],
            )
            messages.success(request, _("%(node)s has been added.") % {"node": form.node})
            return redirect(request.get_full_path())
    query = request.GET.get("q", "").strip()[:200]
    hits = search_nodes(query, current_only=True, limit=20).hits if query else []
    tagged = {t.node_id for t in _tags(resource)}
    return render(
        request,
        "signposting/editor/nodes.html",
        {
            "nav_section": nav_section,
            "resource": resource,
            "tags": _tags(resource),
            "form": form,
            "query": query,
            "hits": [(h, h.node.pk in tagged) for h in hits],
            "coverages": Coverage.choices,
            "breadcrumbs": breadcrumbs,
            "back_url": back_url,
            **(extra or {}),
        },
    )


def _node_or_none(value: str | None, *, current_only: bool = False) -> Node | None:
    try:
        pk = int(value or "")
    except ValueError:
        return None
    qs = Node.objects.select_related("edition__framework")
    if current_only:
        qs = qs.filter(edition__is_current=True)
    return qs.filter(pk=pk).first()


@standards_editor_required
def resource_nodes(request: HttpRequest, slug: str) -> HttpResponse:
    resource = _public_resource(slug)
    return tag_page(
        request,
        resource,
        breadcrumbs=_crumbs(
            (_("Resources"), reverse("catalogue:resource_list")),
            (resource.title, reverse("catalogue:resource_edit", args=[slug])),
        ),
        back_url=reverse("catalogue:resource_edit", args=[slug]),
    )


# ------------------------------------------------------------------------ providers


def _public_provider(slug: str) -> Provider:
    return get_object_or_404(Provider.objects.filter(organisation__isnull=True), slug=slug)


@standards_editor_required
@require_GET
def provider_list(request: HttpRequest) -> HttpResponse:
    form = ListFilterForm(request.GET or None)
    qs = (
        Provider.objects.filter(organisation__isnull=True)
        .annotate(resource_count=Count("resources"))
        .order_by("name", "id")
    )
    page = _page(request, form.apply(qs, title="name"))
    return render(
        request,
        "signposting/editor/provider_list.html",
        {
            "nav_section": NAV,
            "form": form,
            "page": page,
            "pagination": _pagination(request, page),
            "breadcrumbs": _crumbs(),
        },
    )


def _provider_links(provider: Provider) -> list[tuple[str, str]]:
    return [
        (_("Who changed what"), reverse("catalogue:provider_history", args=[provider.slug])),
        (_("Withdraw it"), reverse("catalogue:provider_withdraw", args=[provider.slug])),
    ]


@standards_editor_required
def provider_create(request: HttpRequest) -> HttpResponse:
    form = ProviderForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        provider = services.provider_create(actor=_actor(request), data=form.cleaned_data)
        messages.success(request, _("%(name)s has been added.") % {"name": provider.name})
        return redirect("catalogue:provider_list")
    return _form_page(
        request,
        form,
        title=_("Add a provider"),
        submit_label=_("Add provider"),
        cancel_url=reverse("catalogue:provider_list"),
        breadcrumbs=_crumbs((_("Providers"), reverse("catalogue:provider_list"))),
    )


@standards_editor_required
def provider_edit(request: HttpRequest, slug: str) -> HttpResponse:
    provider = _public_provider(slug)
    form = ProviderForm(request.POST if request.method == "POST" else None, instance=provider)
    if request.method == "POST" and form.is_valid():
        services.provider_update(actor=_actor(request), provider=provider, data=form.cleaned_data)
        messages.success(request, _("Your changes have been saved."))
        return redirect("catalogue:provider_list")
    fresh = _public_provider(slug)
    return _form_page(
        request,
        form,
        title=_("Edit a provider"),
        caption=fresh.name,
        submit_label=_("Save changes"),
        cancel_url=reverse("catalogue:provider_list"),
        breadcrumbs=_crumbs((_("Providers"), reverse("catalogue:provider_list"))),
        links=_provider_links(fresh),
        extra={"link_entry": fresh},
    )


@standards_editor_required
def provider_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    provider = _public_provider(slug)
    if request.method == "POST":
        services.provider_withdraw(actor=_actor(request), provider=provider)
        messages.success(request, _("%(name)s has been withdrawn.") % {"name": provider.name})
        return redirect("catalogue:provider_list")
    return _confirm_page(
        request,
        title=_("Withdraw this provider?"),
        caption=provider.name,
        body=[
            _(
                "It will no longer be shown. Its resources stay in the catalogue: withdraw them "
                "too if they are no longer offered."
            )
        ],
        button=_("Withdraw provider"),
        cancel_url=reverse("catalogue:provider_edit", args=[slug]),
        breadcrumbs=_crumbs((_("Providers"), reverse("catalogue:provider_list"))),
    )


@standards_editor_required
@require_GET
def provider_history(request: HttpRequest, slug: str) -> HttpResponse:
    provider = _public_provider(slug)
    return _history_page(
        request,
        provider,
        title=provider.name,
        breadcrumbs=_crumbs(
            (_("Providers"), reverse("catalogue:provider_list")),
            (provider.name, reverse("catalogue:provider_edit", args=[slug])),
        ),
    )


# ------------------------------------------------------------------------ qualifications


def _qualification(slug: str) -> Qualification:
    return get_object_or_404(Qualification, slug=slug)


@standards_editor_required
@require_GET
def qualification_list(request: HttpRequest) -> HttpResponse:
    form = ListFilterForm(request.GET or None)
    qs = Qualification.objects.annotate(unit_count=Count("units")).order_by("title", "id")
    page = _page(request, form.apply(qs, title="title"))
    return render(
        request,
        "signposting/editor/qualification_list.html",
        {
            "nav_section": NAV,
            "form": form,
            "page": page,
            "pagination": _pagination(request, page),
            "breadcrumbs": _crumbs(),
        },
    )


def _units(qualification: Qualification) -> list[QualificationUnit]:
    return list(
        qualification.units.prefetch_related("nodes__edition__framework").order_by("sequence", "id")
    )


@standards_editor_required
def qualification_create(request: HttpRequest) -> HttpResponse:
    form = QualificationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        qualification = services.qualification_create(
            actor=_actor(request),
            data=form.cleaned_data,
            providers=form.cleaned_data["providers"],
        )
        messages.success(
            request,
            _("%(title)s has been added. Now add its units.") % {"title": qualification.title},
        )
        return redirect("catalogue:qualification_edit", slug=qualification.slug)
    return _form_page(
        request,
        form,
        title=_("Add a qualification"),
        submit_label=_("Add qualification"),
        cancel_url=reverse("catalogue:qualification_list"),
        breadcrumbs=_crumbs((_("Qualifications"), reverse("catalogue:qualification_list"))),
    )


@standards_editor_required
def qualification_edit(request: HttpRequest, slug: str) -> HttpResponse:
    qualification = _qualification(slug)
    form = QualificationForm(
        request.POST if request.method == "POST" else None, instance=qualification
    )
    if request.method == "POST" and form.is_valid():
        services.qualification_update(
            actor=_actor(request),
            qualification=qualification,
            data=form.cleaned_data,
            providers=form.cleaned_data["providers"],
        )
        messages.success(request, _("Your changes have been saved."))
        return redirect("catalogue:qualification_list")
    fresh = _qualification(slug)
    return _form_page(
        request,
        form,
        title=_("Edit a qualification"),
        caption=fresh.title,
        submit_label=_("Save changes"),
        cancel_url=reverse("catalogue:qualification_list"),
        breadcrumbs=_crumbs((_("Qualifications"), reverse("catalogue:qualification_list"))),
        links=[
            (_("Add a unit"), reverse("catalogue:unit_create", args=[slug])),
            (_("Who changed what"), reverse("catalogue:qualification_history", args=[slug])),
            (_("Withdraw it"), reverse("catalogue:qualification_withdraw", args=[slug])),
        ],
        extra={"units": _units(fresh), "qualification": fresh, "link_entry": fresh},
    )


@standards_editor_required
def qualification_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    qualification = _qualification(slug)
    if request.method == "POST":
        services.qualification_withdraw(actor=_actor(request), qualification=qualification)
        messages.success(
            request, _("%(title)s has been withdrawn.") % {"title": qualification.title}
        )
        return redirect("catalogue:qualification_list")
    return _confirm_page(
        request,
        title=_("Withdraw this qualification?"),
        caption=qualification.title,
        body=[_("It will no longer be shown or matched to anyone's profile.")],
        button=_("Withdraw qualification"),
        cancel_url=reverse("catalogue:qualification_edit", args=[slug]),
        breadcrumbs=_crumbs((_("Qualifications"), reverse("catalogue:qualification_list"))),
    )


@standards_editor_required
@require_GET
def qualification_history(request: HttpRequest, slug: str) -> HttpResponse:
    qualification = _qualification(slug)
    return _history_page(
        request,
        qualification,
        title=qualification.title,
        breadcrumbs=_crumbs(
            (_("Qualifications"), reverse("catalogue:qualification_list")),
            (qualification.title, reverse("catalogue:qualification_edit", args=[slug])),
        ),
    )


def _unit_crumbs(qualification: Qualification) -> list[tuple[str, str]]:
    return _crumbs(
        (_("Qualifications"), reverse("catalogue:qualification_list")),
        (qualification.title, reverse("catalogue:qualification_edit", args=[qualification.slug])),
    )


@standards_editor_required
def unit_create(request: HttpRequest, slug: str) -> HttpResponse:
    qualification = _qualification(slug)
    form = UnitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        unit = services.unit_create(
            actor=_actor(request),
            qualification=qualification,
            data=form.cleaned_data,
            nodes=form.nodes,
        )
        messages.success(request, _("The unit %(unit)s has been added.") % {"unit": unit})
        return redirect("catalogue:qualification_edit", slug=slug)
    return _form_page(
        request,
        form,
        title=_("Add a unit"),
        caption=qualification.title,
        submit_label=_("Add unit"),
        cancel_url=reverse("catalogue:qualification_edit", args=[slug]),
        breadcrumbs=_unit_crumbs(qualification),
    )


def _unit(qualification: Qualification, unit_id: int) -> QualificationUnit:
    return get_object_or_404(QualificationUnit, qualification=qualification, pk=unit_id)


@standards_editor_required
def unit_edit(request: HttpRequest, slug: str, unit_id: int) -> HttpResponse:
    qualification = _qualification(slug)
    unit = _unit(qualification, unit_id)
    form = UnitForm(request.POST if request.method == "POST" else None, instance=unit)
    if request.method == "POST" and form.is_valid():
        services.unit_update(
            actor=_actor(request), unit=unit, data=form.cleaned_data, nodes=form.nodes
        )
        messages.success(request, _("Your changes have been saved."))
        return redirect("catalogue:qualification_edit", slug=slug)
    return _form_page(
        request,
        form,
        title=_("Edit a unit"),
        caption=qualification.title,
        submit_label=_("Save changes"),
        cancel_url=reverse("catalogue:qualification_edit", args=[slug]),
        breadcrumbs=_unit_crumbs(qualification),
        links=[(_("Remove this unit"), reverse("catalogue:unit_delete", args=[slug, unit.pk]))],
    )


@standards_editor_required
def unit_delete(request: HttpRequest, slug: str, unit_id: int) -> HttpResponse:
    qualification = _qualification(slug)
    unit = _unit(qualification, unit_id)
    if request.method == "POST":
        services.unit_delete(actor=_actor(request), unit=unit)
        messages.success(request, _("The unit has been removed."))
        return redirect("catalogue:qualification_edit", slug=slug)
    return _confirm_page(
        request,
        title=_("Remove this unit?"),
        caption=f"{qualification.title}: {unit}",
        body=[
            _("The unit and the framework items it covers will be removed from the qualification.")
        ],
        button=_("Remove unit"),
        cancel_url=reverse("catalogue:unit_edit", args=[slug, unit.pk]),
        breadcrumbs=_unit_crumbs(qualification),
    )


# ------------------------------------------------------------------------ import and export


@standards_editor_required
def import_view(request: HttpRequest) -> HttpResponse:
    """Upload a catalogue file: every problem listed on the page and nothing written; or
    (with "only check") the counts it would import."""
    problems: list[Problem] = []
    checked: dict[str, int] | None = None
    if request.method == "POST":
        form = CatalogueImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                check_size(upload.size or 0)  # refuse a file by its size before reading it
                package = read_catalogue(upload.read(), name=upload.name or "")
                if form.cleaned_data["dry_run"]:
                    checked = package.counts()
                else:
                    result = catalogue_import(
                        package=package, actor=_actor(request), source=upload.name or ""
                    )
                    messages.success(
                        request,
                        _("Imported %(name)s: %(summary)s.")
                        % {"name": upload.name, "summary": result.summary()},
                    )
                    return redirect("catalogue:edit_index")
            except InterchangeError as exc:
                problems = exc.problems
                form.add_error(
                    "file",
                    ngettext(
                        "The file has %(count)d problem, listed above; nothing was imported.",
                        "The file has %(count)d problems, listed above; nothing was imported.",
                        len(problems),
                    )
                    % {"count": len(problems)},
                )
    else:
        form = CatalogueImportForm()
    return render(
        request,
        "signposting/editor/import.html",
        {
            "nav_section": NAV,
            "form": form,
            "problems": problems,
            "checked": checked,
            "max_megabytes": max_import_bytes() // (1024 * 1024),
            "breadcrumbs": _crumbs(),
        },
    )


@standards_editor_required
@require_GET
def export_index(request: HttpRequest) -> HttpResponse:
    downloads = [
        (_("The whole catalogue as JSON"), reverse("catalogue:export_download", args=["json"])),
        (_("Resources as CSV"), reverse("catalogue:export_download", args=["resources-csv"])),
        (_("Providers as CSV"), reverse("catalogue:export_download", args=["providers-csv"])),
        (
            _("Qualifications as CSV"),
            reverse("catalogue:export_download", args=["qualifications-csv"]),
        ),
    ]
    return render(
        request,
        "signposting/editor/export.html",
        {"nav_section": NAV, "downloads": downloads, "breadcrumbs": _crumbs()},
    )


@standards_editor_required
@require_GET
def export_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in EXPORTS:
        raise Http404(_("Unknown export format."))
    filename, content_type = EXPORTS[fmt]
    content = export_json() if fmt == "json" else export_csv(fmt.removesuffix("-csv"))
    response = HttpResponse(content, content_type=content_type)
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="waymark-{stamp}-{filename}"'
    return response


# ------------------------------------------------------------------------ needs review


@standards_editor_required
@require_GET
def needs_review(request: HttpRequest) -> HttpResponse:
    items = needs_review_items()
    sections = [
        (
            "broken",
            _("Broken links"),
            _("The address gave an error or no answer when last checked."),
            [i for i in items if i.broken],
        ),
        (
            "moved",
            _("Redirected elsewhere"),
            _(
                "The address now leads to another page: check it is still the right one, and update it."
            ),
            [i for i in items if i.moved],
        ),
        (
            "stale",
            _("Not checked for 90 days"),
            _("Run “waymark check-links” to check them."),
            [i for i in items if i.stale and not (i.broken or i.moved)],
        ),
    ]
    edit_names = {
        "resource": "catalogue:resource_edit",
        "provider": "catalogue:provider_edit",
        "qualification": "catalogue:qualification_edit",
    }
    kind_labels = {
        "resource": _("Resource"),
        "provider": _("Provider"),
        "qualification": _("Qualification"),
    }
    return render(
        request,
        "signposting/editor/needs_review.html",
        {
            "nav_section": NAV,
            "sections": [
                (
                    key,
                    title,
                    hint,
                    [
                        (
                            item,
                            kind_labels[item.kind],
                            reverse(edit_names[item.kind], args=[item.entry.slug]),
                        )
                        for item in rows
                    ],
                )
                for key, title, hint, rows in sections
            ],
            "breadcrumbs": _crumbs(),
        },
    )


# ------------------------------------------------------------------------ in-house resources


def _inhouse_crumbs(request: HttpRequest, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    organisation = request.organisation  # type: ignore[attr-defined]
    return [
        (
            organisation.name,
            reverse("organisations:dashboard", kwargs={"org_slug": organisation.slug}),
        ),
        (
            _("In-house learning"),
            reverse("signposting:inhouse_list", kwargs={"org_slug": organisation.slug}),
        ),
        *extra,
    ]


def _inhouse(request: HttpRequest) -> QuerySet[Resource]:
    return Resource.objects.filter(organisation=request.organisation)  # type: ignore[attr-defined]


def _inhouse_resource(request: HttpRequest, resource_id: int) -> Resource:
    """One of this organisation's own resources; anyone else's is not found."""
    return get_object_or_404(_inhouse(request), pk=resource_id)


def _inhouse_url(request: HttpRequest, name: str, resource: Resource | None = None) -> str:
    kwargs: dict[str, Any] = {"org_slug": request.organisation.slug}  # type: ignore[attr-defined]
    if resource is not None:
        kwargs["resource_id"] = resource.pk
    return reverse(f"signposting:{name}", kwargs=kwargs)


@org_role(Role.LD_LEAD, Role.ADMIN)
@require_GET
def inhouse_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    show_withdrawn = request.GET.get("withdrawn") == "1"
    qs = _inhouse(request).annotate(tag_count=Count("tags")).order_by("title", "id")
    if not show_withdrawn:
        qs = qs.exclude(status=CatalogueStatus.WITHDRAWN)
    page = _page(request, qs)
    return render(
        request,
        "signposting/editor/inhouse_list.html",
        {
            "organisation": request.organisation,  # type: ignore[attr-defined]
            "page": page,
            "pagination": _pagination(request, page),
            "show_withdrawn": show_withdrawn,
            "breadcrumbs": _inhouse_crumbs(request)[:1],
        },
    )


@org_role(Role.LD_LEAD, Role.ADMIN)
def inhouse_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    form = InhouseResourceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        resource = services.inhouse_resource_create(
            actor=_actor(request),
            organisation=request.organisation,  # type: ignore[attr-defined]
            data=form.cleaned_data,
        )
        messages.success(
            request,
            _("%(title)s has been added. Now tag the framework items it addresses.")
            % {"title": resource.title},
        )
        return redirect(_inhouse_url(request, "inhouse_nodes", resource))
    return _form_page(
        request,
        form,
        title=_("Add an in-house resource"),
        intro=_(
            "Your organisation's own courses, guides and schemes. Only members of your "
            "organisation see them; they are matched to your managers' needs beside the "
            "national catalogue."
        ),
        submit_label=_("Add resource"),
        cancel_url=_inhouse_url(request, "inhouse_list"),
        breadcrumbs=_inhouse_crumbs(request),
    )


@org_role(Role.LD_LEAD, Role.ADMIN)
def inhouse_edit(request: HttpRequest, org_slug: str, resource_id: int) -> HttpResponse:
    resource = _inhouse_resource(request, resource_id)
    form = InhouseResourceForm(
        request.POST if request.method == "POST" else None, instance=resource
    )
    if request.method == "POST" and form.is_valid():
        services.inhouse_resource_update(
            actor=_actor(request), resource=resource, data=form.cleaned_data
        )
        messages.success(request, _("Your changes have been saved."))
        return redirect(_inhouse_url(request, "inhouse_list"))
    fresh = _inhouse_resource(request, resource_id)
    return _form_page(
        request,
        form,
        title=_("Edit an in-house resource"),
        caption=fresh.title,
        submit_label=_("Save changes"),
        cancel_url=_inhouse_url(request, "inhouse_list"),
        breadcrumbs=_inhouse_crumbs(request),
        links=[
            (_("Framework items it addresses"), _inhouse_url(request, "inhouse_nodes", fresh)),
            (_("Withdraw it"), _inhouse_url(request, "inhouse_withdraw", fresh)),
        ],
        extra={"tags": _tags(fresh), "show_tags": True, "link_entry": fresh},
    )


@org_role(Role.LD_LEAD, Role.ADMIN)
def inhouse_withdraw(request: HttpRequest, org_slug: str, resource_id: int) -> HttpResponse:
    resource = _inhouse_resource(request, resource_id)
    if request.method == "POST":
        services.inhouse_resource_withdraw(actor=_actor(request), resource=resource)
        messages.success(request, _("%(title)s has been withdrawn.") % {"title": resource.title})
        return redirect(_inhouse_url(request, "inhouse_list"))
    return _confirm_page(
        request,
        title=_("Withdraw this resource?"),
        caption=resource.title,
        body=[
            _(
                "Your managers will no longer see it or be offered it. Plans that already "
                "name it keep their entries."
            )
        ],
        button=_("Withdraw resource"),
        cancel_url=_inhouse_url(request, "inhouse_edit", resource),
        breadcrumbs=_inhouse_crumbs(request),
    )


@org_role(Role.LD_LEAD, Role.ADMIN)
def inhouse_nodes(request: HttpRequest, org_slug: str, resource_id: int) -> HttpResponse:
    resource = _inhouse_resource(request, resource_id)
    return tag_page(
        request,
        resource,
        breadcrumbs=_inhouse_crumbs(
            request, (resource.title, _inhouse_url(request, "inhouse_edit", resource))
        ),
        back_url=_inhouse_url(request, "inhouse_edit", resource),
        nav_section="",
    )
