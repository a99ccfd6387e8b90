"""Tailoring pages under /o/<org>/tailoring/ (L&D leads and admins) and the
organisation's policies under /o/<org>/policies/ (every member)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waymark.accounts.models import User
from waymark.cpd.uploads import capped_uploads
from waymark.frameworks.models import Association, Node
from waymark.frameworks.selectors import search_nodes
from waymark.organisations.decorators import org_role
from waymark.organisations.models import Organisation, Role

from . import forms, selectors, services
from .models import Policy

LEADS = (Role.LD_LEAD, Role.ADMIN)


def _org(request: HttpRequest) -> Organisation:
    return request.organisation  # type: ignore[attr-defined]


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _url(request: HttpRequest, name: str, **kwargs: Any) -> str:
    return reverse(f"tailoring:{name}", kwargs={"org_slug": _org(request).slug, **kwargs})


def _crumbs(request: HttpRequest, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    org = _org(request)
    return [
        (org.name, reverse("organisations:dashboard", kwargs={"org_slug": org.slug})),
        (_("Tailoring"), _url(request, "index")),
        *extra,
    ]


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _form_page(request: HttpRequest, form: Any, **context: Any) -> HttpResponse:
    return render(
        request,
        "tailoring/form_page.html",
        {"organisation": _org(request), "form": form, **context},
    )


@org_role(*LEADS)
def index(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = _org(request)
    focus = selectors.focus_for(org)
    editions = selectors.focusable_editions(org)
    focus_editions, _other = focus.split_editions(editions)
    return render(
        request,
        "tailoring/index.html",
        {
            "organisation": org,
            "focus_editions": [e for e in focus_editions if focus.is_focus_edition(e)],
            "domains": selectors.own_competences(org),
            "policy_count": selectors.policies_for(org).count(),
            "has_front_page": bool(selectors.front_page_html(org)),
            "breadcrumbs": _crumbs(request)[:1],
        },
    )


@org_role(*LEADS)
def focus(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = _org(request)
    editions = selectors.focusable_editions(org)
    current = selectors.focus_for(org)
    initial = {"frameworks": sorted(current.framework_ids), "domains": sorted(current.domain_ids)}
    form = forms.FocusForm(_posted(request), initial=initial, editions=editions)
    if request.method == "POST" and form.is_valid():
        services.focus_set(
            actor=_actor(request),
            organisation=org,
            frameworks=form.chosen_frameworks(),
            domains=form.chosen_domains(),
        )
        messages.success(request, _("The organisation's focus has been saved."))
        return redirect(_url(request, "index"))
    if form.is_bound:
        chosen_fw = {int(v) for v in request.POST.getlist("frameworks") if v.isdigit()}
        chosen_d = {int(v) for v in request.POST.getlist("domains") if v.isdigit()}
    else:
        chosen_fw, chosen_d = set(current.framework_ids), set(current.domain_ids)
    return render(
        request,
        "tailoring/focus.html",
        {
            "organisation": org,
            "form": form,
            "editions": editions,
            "chosen_frameworks": chosen_fw,
            "chosen_domains": chosen_d,
            "breadcrumbs": _crumbs(request),
        },
    )


# --- own competences ------------------------------------------------------------------


@org_role(*LEADS)
def competences(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = _org(request)
    return render(
        request,
        "tailoring/competences.html",
        {
            "organisation": org,
            "domains": selectors.own_competences(org),
            "breadcrumbs": _crumbs(request),
        },
    )


@org_role(*LEADS)
def domain_add(request: HttpRequest, org_slug: str) -> HttpResponse:
    form = forms.DomainForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        node = services.own_domain_create(
            actor=_actor(request), organisation=_org(request), **form.cleaned_data
        )
        messages.success(request, _("Domain %(d)s added.") % {"d": node})
        return redirect(_url(request, "competences"))
    return _form_page(
        request,
        form,
        title=_("Add a domain"),
        intro=_("A domain groups the organisation's own competences, for example “Our values”."),
        submit_label=_("Add domain"),
        cancel_url=_url(request, "competences"),
        breadcrumbs=_crumbs(request, (_("Own competences"), _url(request, "competences"))),
    )


@org_role(*LEADS)
def competence_add(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = _org(request)
    domains = [d.node for d in selectors.own_competences(org)]
    if not domains:
        messages.info(request, _("Add a domain first: each competence belongs to one."))
        return redirect(_url(request, "domain_add"))
    initial = {}
    if request.GET.get("domain", "").isdigit():
        initial["domain"] = int(request.GET["domain"])
    form = forms.CompetenceForm(_posted(request), initial=initial, domains=domains)
    if request.method == "POST" and form.is_valid():
        try:
            node = services.own_competence_create(
                actor=_actor(request),
                organisation=org,
                domain=form.domains[form.cleaned_data["domain"]],
                statement=form.cleaned_data["statement"],
                title=form.cleaned_data["title"],
                code=form.cleaned_data["code"],
            )
        except services.TailoringError as e:
            form.add_error("code", str(e))
        else:
            messages.success(
                request, _("%(c)s added. Now map it to the national standards.") % {"c": node}
            )
            return redirect(_url(request, "competence_map", node_id=node.pk))
    return _form_page(
        request,
        form,
        title=_("Add an own competence"),
        submit_label=_("Add competence"),
        cancel_url=_url(request, "competences"),
        breadcrumbs=_crumbs(request, (_("Own competences"), _url(request, "competences"))),
    )


def _own_or_404(request: HttpRequest, node_id: int) -> Node:
    node = selectors.own_node(_org(request), node_id)
    if node is None:
        raise Http404
    return node


@org_role(*LEADS)
def competence_edit(request: HttpRequest, org_slug: str, node_id: int) -> HttpResponse:
    node = _own_or_404(request, node_id)
    form = forms.CompetenceEditForm(
        _posted(request), initial={"title": node.title, "statement": node.statement}
    )
    if request.method == "POST" and form.is_valid():
        services.own_competence_update(
            actor=_actor(request), organisation=_org(request), node=node, **form.cleaned_data
        )
        messages.success(request, _("Saved."))
        return redirect(_url(request, "competences"))
    return _form_page(
        request,
        form,
        title=_("Change %(c)s") % {"c": node.code or node.display_title},
        cancel_url=_url(request, "competences"),
        breadcrumbs=_crumbs(request, (_("Own competences"), _url(request, "competences"))),
    )


@org_role(*LEADS)
@require_POST
def competence_archive(request: HttpRequest, org_slug: str, node_id: int) -> HttpResponse:
    node = _own_or_404(request, node_id)
    restore = request.POST.get("restore") == "1"
    services.own_competence_archive(
        actor=_actor(request), organisation=_org(request), node=node, archived=not restore
    )
    messages.success(
        request,
        (_("%(c)s brought back.") if restore else _("%(c)s archived.")) % {"c": node},
    )
    return redirect(_url(request, "competences"))


@org_role(*LEADS)
def competence_map(request: HttpRequest, org_slug: str, node_id: int) -> HttpResponse:
    """Map an own competence to a national item, found by its code or words."""
    org = _org(request)
    node = _own_or_404(request, node_id)
    q = (request.POST.get("q") or request.GET.get("q") or "").strip()[:200]
    hits = [h.node for h in search_nodes(q, limit=20).hits] if q else []
    form = forms.MappingForm(_posted(request), hits=hits)
    if request.method == "POST" and form.is_valid():
        try:
            services.own_mapping_create(
                actor=_actor(request),
                organisation=org,
                node=node,
                target=form.hits[form.cleaned_data["target"]],
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            )
        except services.TailoringError as e:
            form.add_error("target", str(e))
        else:
            messages.success(request, _("Mapping added."))
            return redirect(_url(request, "competences") + f"#own-{node.pk}")
    current = next(
        (r for d in selectors.own_competences(org) for r in [*d.rows] if r.node.pk == node.pk),
        None,
    )
    return render(
        request,
        "tailoring/map.html",
        {
            "organisation": org,
            "node": node,
            "q": q,
            "hits": hits,
            "form": form,
            "mappings": current.mappings if current else [],
            "breadcrumbs": _crumbs(request, (_("Own competences"), _url(request, "competences"))),
        },
    )


@org_role(*LEADS)
@require_POST
def mapping_delete(
    request: HttpRequest, org_slug: str, node_id: int, association_id: int
) -> HttpResponse:
    node = _own_or_404(request, node_id)
    association = get_object_or_404(Association, pk=association_id, edition_id=node.edition_id)
    if node.pk not in (association.origin_id, association.destination_id):
        raise Http404
    services.own_mapping_delete(
        actor=_actor(request), organisation=_org(request), node=node, association=association
    )
    messages.success(request, _("Mapping removed."))
    return redirect(_url(request, "competence_map", node_id=node.pk))


# --- front page -----------------------------------------------------------------------


@org_role(*LEADS)
def front_page(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = _org(request)
    form = forms.FrontPageForm(_posted(request), initial={"html": selectors.front_page_html(org)})
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = form.cleaned_html()
        else:
            services.front_page_set(
                actor=_actor(request), organisation=org, html=form.cleaned_data["html"]
            )
            messages.success(request, _("The front page text has been saved."))
            return redirect("organisations:dashboard", org_slug=org.slug)
    return render(
        request,
        "tailoring/front_page.html",
        {
            "organisation": org,
            "form": form,
            "preview": preview,
            "breadcrumbs": _crumbs(request),
        },
    )


# --- policies -------------------------------------------------------------------------


@org_role()
def policies(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = _org(request)
    roles: frozenset[str] = getattr(request, "roles", frozenset())
    return render(
        request,
        "tailoring/policies.html",
        {
            "organisation": org,
            "policies": list(selectors.policies_for(org)),
            "can_edit": bool(roles & {Role.LD_LEAD.value, Role.ADMIN.value}),
            "breadcrumbs": [
                (org.name, reverse("organisations:dashboard", kwargs={"org_slug": org.slug}))
            ],
        },
    )


@org_role(*LEADS)
@capped_uploads
def policy_add(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = _org(request)
    form = forms.PolicyForm(
        _posted(request),
        request.FILES if request.method == "POST" else None,
        organisation=org,
    )
    if request.method == "POST" and form.is_valid():
        services.policy_create(
            actor=_actor(request),
            organisation=org,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            url=form.cleaned_data["url"] if form.checked is None else "",
            checked=form.checked,
            nodes=form.nodes,
        )
        messages.success(request, _("Policy added."))
        return redirect(_url(request, "policies"))
    return _form_page(
        request,
        form,
        title=_("Add a policy or procedure"),
        submit_label=_("Add policy"),
        cancel_url=_url(request, "policies"),
        breadcrumbs=[
            (org.name, reverse("organisations:dashboard", kwargs={"org_slug": org.slug})),
            (_("Policies and procedures"), _url(request, "policies")),
        ],
    )


@org_role()
def policy_file(request: HttpRequest, org_slug: str, policy_id: int) -> HttpResponse:
    """A policy's file, to members only, always as a download with the sniffed type."""
    policy = get_object_or_404(
        Policy, pk=policy_id, organisation=_org(request), archived_at__isnull=True
    )
    if not policy.file:
        raise Http404
    try:
        handle = policy.file.open("rb")
    except FileNotFoundError as e:
        raise Http404 from e
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=policy.original_name or "policy",
        content_type=policy.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response  # type: ignore[return-value]


@org_role(*LEADS)
@require_POST
def policy_archive(request: HttpRequest, org_slug: str, policy_id: int) -> HttpResponse:
    policy = get_object_or_404(
        Policy, pk=policy_id, organisation=_org(request), archived_at__isnull=True
    )
    services.policy_archive(actor=_actor(request), organisation=_org(request), policy=policy)
    messages.success(request, _("%(t)s archived.") % {"t": policy.title})
    return redirect(_url(request, "policies"))
