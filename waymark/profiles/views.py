"""Pages for role profiles (organisation pages) and each manager's person management
specification (person pages). Views stay thin: reads through `selectors`, writes
through `services`.

Who may do what:
- Role profiles: every member may read the organisation's active role profiles (a
  manager picks one to start her PMS; a supervisor sees what is expected of a role);
  L&D leads and admins create, change and archive them, and see archived ones.
- A PMS: the manager changes her own; her supervisor reads it and agrees a revision;
  L&D leads and admins read it. Mentors and coaches get 403: they support what the
  manager chooses to share through her CPD record, and a PMS is not shared that way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from waymark.frameworks.models import Edition, Node
from waymark.frameworks.selectors import search_nodes
from waymark.organisations.access import SELF, person_view
from waymark.organisations.decorators import org_role
from waymark.organisations.models import Organisation, Role
from waymark.tailoring.selectors import archived_node_ids, focus_for

from . import forms, services
from .files import CONTENT_TYPES
from .models import Revision, RoleBasic, RoleProfile, RoleQualification, Specification
from .selectors import (
    PMS_AGREERS,
    PMS_EDITORS,
    PMS_READERS,
    PROFILE_EDITORS,
    BasicRow,
    CompetenceRow,
    QualificationRow,
    SpecContent,
    content_of,
    current_spec,
    edition_updates,
    edition_updates_for,
    grouped_by_domain,
    pickable_editions,
    revision_diff,
    role_content,
    role_profiles_for,
)

if TYPE_CHECKING:
    from waymark.accounts.models import User

EDITORS = (Role.LD_LEAD, Role.ADMIN)
READERS = tuple(sorted(PMS_READERS))
SEARCH_LIMIT = 30


def _org(request: HttpRequest) -> Organisation:
    return request.organisation  # type: ignore[attr-defined]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _roles(request: HttpRequest) -> frozenset[str]:
    return getattr(request, "roles", frozenset())


def _posted(request: HttpRequest) -> Any:
    """The POST data to bind a form to, even when empty (so that "nothing chosen" is an
    error, not an unbound form); None for GET."""
    return request.POST if request.method == "POST" else None


def _files(request: HttpRequest) -> Any:
    return request.FILES if request.method == "POST" else None


def _can_edit_profiles(request: HttpRequest) -> bool:
    return bool(_roles(request) & PROFILE_EDITORS)


# ---------------------------------------------------------------------------------------
# The picker: a framework's tree with checkboxes, or search results


@dataclass
class PickItem:
    node: Node
    depth: int
    leaves: int  # items without children below it (0 for such an item itself)
    held: bool  # already in the profile (for a parent: every item below it is)


def _pick_items(nodes: list[Node], held: set[int]) -> list[PickItem]:
    """Each node with how many items are below it and whether they are all held, from
    one query over the trees of the nodes' editions."""
    if not nodes:
        return []
    rows = list(
        Node.objects.filter(edition_id__in={n.edition_id for n in nodes}).values_list(
            "id", "edition_id", "path", "parent_id"
        )
    )
    parents = {p for _i, _e, _p, p in rows if p}
    leaves_by_edition: dict[int, list[tuple[int, str]]] = {}
    for pk, edition_id, path, _parent in rows:
        if pk not in parents:
            leaves_by_edition.setdefault(edition_id, []).append((pk, path))
    items = []
    for n in nodes:
        if n.pk not in parents:
            items.append(PickItem(n, n.depth, 0, n.pk in held))
            continue
        below = [
            pk for pk, path in leaves_by_edition.get(n.edition_id, []) if path.startswith(n.path)
        ]
        items.append(
            PickItem(n, n.depth, len(below), bool(below) and all(pk in held for pk in below))
        )
    return items


def _picker(request: HttpRequest, held: set[int]) -> dict[str, Any]:
    organisation = _org(request)
    focus = focus_for(organisation)  # the organisation's focus first (waymark/tailoring)
    editions = focus.arrange(pickable_editions(organisation))
    archived = archived_node_ids(organisation)
    slug = request.GET.get("framework", "")
    edition: Edition | None = next((e for e in editions if e.framework.slug == slug), None)
    q = request.GET.get("q", "").strip()[:200]
    tree: list[dict[str, Any]] = []
    hits: list[PickItem] = []
    total = 0
    if q:
        result = search_nodes(
            q,
            framework_slug=edition.framework.slug if edition else None,
            limit=SEARCH_LIMIT,
            organisation_id=organisation.pk,
        )
        allowed = {e.pk for e in editions}
        found = [
            h.node
            for h in result.hits
            if h.node.edition_id in allowed and h.node.pk not in archived
        ]
        total = result.total
        hits = _pick_items(found, held)
    elif edition is not None:
        nodes = [n for n in edition.nodes.order_by("path") if n.pk not in archived]
        for n in nodes:
            n.edition = edition
        for item in _pick_items(nodes, held):
            if item.node.parent_id is None:
                tree.append({"root": item, "below": []})
            elif tree:
                tree[-1]["below"].append(item)
        tree = focus.domains_first(tree, lambda g: g["root"].node.pk)
    first = hits[0].node.pk if hits else tree[0]["root"].node.pk if tree else None
    focus_editions, other_editions = focus.split_editions(editions)
    return {
        "editions": editions,
        "focus_editions": focus_editions,
        "other_editions": other_editions,
        "chosen": edition,
        "q": q,
        "hits": hits,
        "hits_total": total,
        "tree_leaves": [g["root"] for g in tree if not g["below"]],
        "tree_groups": [g for g in tree if g["below"]],
        "first_id": f"pick-{first}" if first else "",
        "picked": request.POST.getlist("nodes") if request.method == "POST" else [],
    }


# ---------------------------------------------------------------------------------------
# Role profiles


def _profile_or_404(request: HttpRequest, profile_id: int) -> RoleProfile:
    profiles = RoleProfile.objects.filter(organisation=_org(request))
    if not _can_edit_profiles(request):
        profiles = profiles.filter(archived=False)
    return get_object_or_404(profiles.select_related("created_by"), pk=profile_id)


def _profile_url(profile: RoleProfile, name: str = "role_profile") -> str:
    return reverse(
        f"profiles:{name}", kwargs={"org_slug": profile.organisation.slug, "profile_id": profile.pk}
    )


@org_role()
def role_profiles(request: HttpRequest, org_slug: str) -> HttpResponse:
    editor = _can_edit_profiles(request)
    profiles = list(role_profiles_for(_org(request), include_archived=editor))
    return render(
        request,
        "profiles/role_profiles.html",
        {
            "organisation": _org(request),
            "active": [p for p in profiles if not p.archived],
            "archived": [p for p in profiles if p.archived],
            "can_edit": editor,
        },
    )


@org_role(*EDITORS)
def role_profile_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = _org(request)
    form = forms.RoleProfileForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        profile = services.role_profile_create(
            actor=_user(request), organisation=org, **form.cleaned_data
        )
        messages.success(request, _("Role profile created. Now choose its starting point."))
        return redirect(_profile_url(profile, "role_profile_starting_point"))
    return render(
        request,
        "profiles/form_page.html",
        {
            "organisation": org,
            "form": form,
            "page_title": _("New role profile"),
            "intro": _(
                "Name the role and its level. Next, Waymark suggests a starting set of competences for an organisation of your size, which you can change."
            ),
            "submit_label": _("Continue"),
            "cancel_url": reverse("profiles:role_profiles", kwargs={"org_slug": org.slug}),
            "back": (
                _("Role profiles"),
                reverse("profiles:role_profiles", kwargs={"org_slug": org.slug}),
            ),
        },
    )


@org_role()
def role_profile(request: HttpRequest, org_slug: str, profile_id: int) -> HttpResponse:
    profile = _profile_or_404(request, profile_id)
    editor = _can_edit_profiles(request)
    content = role_content(profile)
    return render(
        request,
        "profiles/role_profile.html",
        {
            "organisation": _org(request),
            "profile": profile,
            "can_edit": editor,
            "groups": grouped_by_domain(content.competences),
            "content": content,
            "updates": edition_updates_for(c.node for c in content.competences) if editor else [],
        },
    )


@org_role(*EDITORS)
def role_profile_edit(request: HttpRequest, org_slug: str, profile_id: int) -> HttpResponse:
    profile = _profile_or_404(request, profile_id)
    form = forms.RoleProfileForm(
        _posted(request),
        initial={
            "title": profile.title,
            "manager_level": profile.manager_level,
            "description": profile.description,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.role_profile_update(
            actor=_user(request), role_profile=profile, **form.cleaned_data
        )
        messages.success(request, _("Role profile saved."))
        return redirect(_profile_url(profile))
    return render(
        request,
        "profiles/form_page.html",
        {
            "organisation": _org(request),
            "form": form,
            "profile": profile,
            "page_title": _("Change the role profile's details"),
            "caption": profile.title,
            "cancel_url": _profile_url(profile),
            "back": (profile.title, _profile_url(profile)),
        },
    )


@org_role(*EDITORS)
def role_profile_starting_point(
    request: HttpRequest, org_slug: str, profile_id: int
) -> HttpResponse:
    profile = _profile_or_404(request, profile_id)
    org = _org(request)
    point = services.role_profile_starting_point(
        size_band=org.size_band, manager_level=profile.manager_level
    )
    held = set(profile.competences.values_list("node_id", flat=True))
    proposed = {c.node.pk: c for c in point.competences}
    error = ""
    if request.method == "POST":
        chosen = {int(v) for v in request.POST.getlist("nodes") if v.isdigit()} & set(proposed)
        if not chosen:
            error = _("Choose at least one competence, or start with an empty profile.")
        else:
            rows = [
                CompetenceRow(c.node, c.expected_level, c.importance)
                for c in profile.competences.select_related("node")
            ]
            rows += [
                CompetenceRow(
                    proposed[pk].node, proposed[pk].expected_level, proposed[pk].importance
                )
                for pk in proposed
                if pk in chosen and pk not in held
            ]
            try:
                services.role_competences_set(
                    actor=_user(request), role_profile=profile, competences=rows
                )
            except services.ProfileError as e:
                error = str(e)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(n)d competence added from the starting point.",
                        "%(n)d competences added from the starting point.",
                        len(chosen),
                    )
                    % {"n": len(chosen)},
                )
                return redirect(_profile_url(profile))
    selected = (
        {int(v) for v in request.POST.getlist("nodes") if v.isdigit()}
        if request.method == "POST"
        else set(proposed)
    )
    return render(
        request,
        "profiles/starting_point.html",
        {
            "organisation": org,
            "profile": profile,
            "point": point,
            "groups": grouped_by_domain(point.competences),
            "held": held,
            "selected": selected,
            "error": error,
            "size_label": org.get_size_band_display(),
            "counts": {m: point.count(m) for m in ("specialist", "generic", "partnership", "core")},
        },
    )


@org_role(*EDITORS)
def role_profile_competences(request: HttpRequest, org_slug: str, profile_id: int) -> HttpResponse:
    profile = _profile_or_404(request, profile_id)
    rows = role_content(profile).competences
    form = forms.CompetenceLevelsForm(_posted(request), rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_competences_set(
                actor=_user(request), role_profile=profile, competences=form.chosen_rows()
            )
        except services.ProfileError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Competences saved."))
            return redirect(_profile_url(profile))
    return render(
        request,
        "profiles/competences_form.html",
        {
            "organisation": _org(request),
            "form": form,
            "caption": profile.title,
            "groups": grouped_by_domain(form.table_rows()) if rows else [],
            "add_url": _profile_url(profile, "role_profile_competences_add"),
            "cancel_url": _profile_url(profile),
            "back": (profile.title, _profile_url(profile)),
        },
    )


@org_role(*EDITORS)
def role_profile_competences_add(
    request: HttpRequest, org_slug: str, profile_id: int
) -> HttpResponse:
    profile = _profile_or_404(request, profile_id)
    content = role_content(profile)
    held = content.node_ids()
    form = forms.PickForm(_posted(request), held=held, organisation=_org(request))
    if request.method == "POST" and form.is_valid():
        new = form.cleaned_data["nodes"]
        level = services.default_level(profile.manager_level)
        rows = content.competences + [CompetenceRow(n, level) for n in new]
        try:
            services.role_competences_set(
                actor=_user(request), role_profile=profile, competences=rows
            )
        except services.ProfileError as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d competence added. Check the level expected and how important it is.",
                    "%(n)d competences added. Check the level expected and how important each is.",
                    len(new),
                )
                % {"n": len(new)},
            )
            return redirect(_profile_url(profile, "role_profile_competences"))
    return render(
        request,
        "profiles/pick.html",
        {
            "organisation": _org(request),
            "form": form,
            "caption": profile.title,
            "page_title": _("Add competences to the role profile"),
            "cancel_url": _profile_url(profile),
            "back": (profile.title, _profile_url(profile)),
            **_picker(request, held),
        },
    )


def _items_page(
    request: HttpRequest,
    profile: RoleProfile,
    *,
    form: Any,
    template: str,
    items: QuerySet[Any],
    adder: Any,
    message: str,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        adder(actor=_user(request), role_profile=profile, **form.cleaned_data)
        messages.success(request, message)
        return redirect(request.path)
    return render(
        request,
        template,
        {
            "organisation": _org(request),
            "profile": profile,
            "form": form,
            "items": items,
            "caption": profile.title,
            "back": (profile.title, _profile_url(profile)),
        },
    )


@org_role(*EDITORS)
def role_profile_qualifications(
    request: HttpRequest, org_slug: str, profile_id: int
) -> HttpResponse:
    profile = _profile_or_404(request, profile_id)
    return _items_page(
        request,
        profile,
        form=forms.QualificationForm(_posted(request)),
        template="profiles/role_qualifications.html",
        items=profile.qualifications.all(),
        adder=services.role_qualification_add,
        message=_("Qualification added."),
    )


@org_role(*EDITORS)
@require_POST
def role_profile_qualification_remove(
    request: HttpRequest, org_slug: str, profile_id: int, item_id: int
) -> HttpResponse:
    profile = _profile_or_404(request, profile_id)
    item = get_object_or_404(RoleQualification, role_profile=profile, pk=item_id)
    services.role_qualification_remove(actor=_user(request), qualification=item)
    messages.success(request, _("Removed “%(title)s”.") % {"title": item.title})
    return redirect(_profile_url(profile, "role_profile_qualifications"))


@org_role(*EDITORS)
def role_profile_basics(request: HttpRequest, org_slug: str, profile_id: int) -> HttpResponse:
    profile = _profile_or_404(request, profile_id)
    return _items_page(
        request,
        profile,
        form=forms.BasicForm(_posted(request)),
        template="profiles/role_basics.html",
        items=profile.basics.all(),
        adder=services.role_basic_add,
        message=_("Organisational basic added."),
    )


@org_role(*EDITORS)
@require_POST
def role_profile_basic_remove(
    request: HttpRequest, org_slug: str, profile_id: int, item_id: int
) -> HttpResponse:
    profile = _profile_or_404(request, profile_id)
    item = get_object_or_404(RoleBasic, role_profile=profile, pk=item_id)
    services.role_basic_remove(actor=_user(request), basic=item)
    messages.success(request, _("Removed “%(title)s”.") % {"title": item.title})
    return redirect(_profile_url(profile, "role_profile_basics"))


@org_role(*EDITORS)
def role_profile_archive(request: HttpRequest, org_slug: str, profile_id: int) -> HttpResponse:
    profile = _profile_or_404(request, profile_id)
    if request.method == "POST":
        archived = not profile.archived
        services.role_profile_archive(actor=_user(request), role_profile=profile, archived=archived)
        messages.success(
            request, _("Role profile archived.") if archived else _("Role profile restored.")
        )
        return redirect(
            _profile_url(profile)
            if not archived
            else reverse("profiles:role_profiles", kwargs={"org_slug": org_slug})
        )
    return render(
        request,
        "profiles/confirm.html",
        {
            "organisation": _org(request),
            "caption": profile.title,
            "page_title": _("Restore this role profile?")
            if profile.archived
            else _("Archive this role profile?"),
            "intro": (
                _("It will be offered again to managers starting their specification.")
                if profile.archived
                else _(
                    "Managers will no longer be offered it when they start their specification. Specifications already started from it do not change. You can restore it later."
                )
            ),
            "submit_label": _("Restore") if profile.archived else _("Archive"),
            "warning": not profile.archived,
            "cancel_url": _profile_url(profile),
            "back": (profile.title, _profile_url(profile)),
        },
    )


@org_role(*EDITORS)
@require_POST
def role_profile_update_editions(
    request: HttpRequest, org_slug: str, profile_id: int
) -> HttpResponse:
    profile = _profile_or_404(request, profile_id)
    try:
        n = services.role_profile_update_editions(actor=_user(request), role_profile=profile)
    except services.ProfileError as e:
        messages.error(request, str(e))
    else:
        messages.success(
            request,
            ngettext(
                "%(n)d competence moved to the current edition.",
                "%(n)d competences moved to the current edition.",
                n,
            )
            % {"n": n},
        )
    return redirect(_profile_url(profile))


# ---------------------------------------------------------------------------------------
# The person management specification (PMS)


def _person(request: HttpRequest) -> User:
    return request.person  # type: ignore[attr-defined]


def _relations(request: HttpRequest) -> frozenset[str]:
    return request.relations  # type: ignore[attr-defined]


def _pms_url(request: HttpRequest, name: str = "pms", **kwargs: Any) -> str:
    return reverse(
        f"profiles:{name}",
        kwargs={"org_slug": _org(request).slug, "person_id": _person(request).pk, **kwargs},
    )


def _spec_or_start(request: HttpRequest) -> Specification:
    spec = current_spec(_person(request), _org(request))
    if spec is None or spec.current is None:
        raise _Redirect(_pms_url(request, "pms_start"))
    return spec


class _Redirect(Exception):
    def __init__(self, url: str) -> None:
        self.url = url


def _pms_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn a `_Redirect` raised inside a PMS view into a redirect."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _Redirect as r:
            return redirect(r.url)

    return wrapper


def _base(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    person = _person(request)
    relations = _relations(request)
    return {
        "organisation": _org(request),
        "person": person,
        "relations": relations,
        "is_self": SELF in relations,
        "pms_url": _pms_url(request),
        "back": (_("Person management specification"), _pms_url(request)),
        **extra,
    }


def _revise(
    request: HttpRequest,
    spec: Specification,
    form: Any,
    content: SpecContent,
    **kwargs: Any,
) -> HttpResponse | None:
    """Save `content` as a new revision; a redirect on success or when nothing changed,
    None (with the error on the form) when the PMS changed in between."""
    try:
        revision = services.spec_revise(
            actor=_user(request),
            specification=spec,
            content=content,
            change_note=form.cleaned_data.get("change_note", ""),
            based_on=form.cleaned_data.get("based_on"),
            **kwargs,
        )
    except services.NothingChanged as e:
        messages.info(request, str(e))
        return redirect(_pms_url(request))
    except services.RevisionConflict as e:
        data = form.data.copy()
        data["based_on"] = str(Specification.objects.get(pk=spec.pk).current.number)  # type: ignore[union-attr]
        form.data = data
        form.add_error(None, str(e))
        return None
    except services.ProfileError as e:
        form.add_error(None, str(e))
        return None
    messages.success(request, _("Saved as revision %(n)d.") % {"n": revision.number})
    return redirect(_pms_url(request))


@org_role()
@person_view(*READERS)
def pms(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    spec = current_spec(_person(request), _org(request))
    revision = spec.current if spec else None
    content = content_of(revision) if revision else None
    relations = _relations(request)
    return render(
        request,
        "profiles/pms.html",
        _base(
            request,
            spec=spec,
            revision=revision,
            content=content,
            groups=grouped_by_domain(content.competences) if content else [],
            updates=edition_updates_for(c.node for c in content.competences) if content else [],
            can_edit=bool(relations & PMS_EDITORS),
            can_agree=bool(relations & PMS_AGREERS)
            and revision is not None
            and revision.agreed_at is None,
            n_revisions=revision.number if revision else 0,
        ),
    )


@org_role()
@person_view(*PMS_EDITORS)
def pms_start(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    org = _org(request)
    if current_spec(_person(request), org) is not None:
        return redirect(_pms_url(request))
    profiles = list(role_profiles_for(org))
    form = forms.PmsStartForm(_posted(request), profiles=profiles)
    if request.method == "POST" and form.is_valid():
        try:
            services.spec_start(
                actor=_user(request),
                organisation=org,
                manager=_person(request),
                role_profile=form.role_profile(),
                job_title=form.cleaned_data["job_title"],
                manager_level=form.cleaned_data["manager_level"],
            )
        except services.ProfileError as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request,
                _(
                    "Your person management specification is started. Adjust it to your real responsibilities."
                ),
            )
            return redirect(_pms_url(request))
    return render(request, "profiles/pms_start.html", _base(request, form=form, profiles=profiles))


@org_role()
@person_view(*PMS_EDITORS)
@_pms_page
def pms_edit(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    spec = _spec_or_start(request)
    current = spec.current
    assert current is not None
    form = forms.PmsDetailsForm(
        _posted(request),
        _files(request),
        has_file=bool(current.job_description_file),
        initial={
            "job_title": current.job_title,
            "manager_level": current.manager_level,
            "job_description": current.job_description,
            "based_on": current.number,
        },
    )
    if request.method == "POST" and form.is_valid():
        content = content_of(current)
        content.job_title = form.cleaned_data["job_title"]
        content.manager_level = form.cleaned_data["manager_level"]
        content.job_description = form.cleaned_data["job_description"]
        response = _revise(
            request,
            spec,
            form,
            content,
            upload=form.cleaned_data.get("job_description_file") or None,
            remove_file=bool(form.cleaned_data.get("remove_file")),
        )
        if response is not None:
            return response
    return render(
        request,
        "profiles/pms_form.html",
        _base(
            request,
            form=form,
            revision=current,
            page_title=_("Change your job details and description"),
        ),
    )


@org_role()
@person_view(*PMS_EDITORS)
@_pms_page
def pms_competences(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    spec = _spec_or_start(request)
    current = spec.current
    assert current is not None
    content = content_of(current)
    form = forms.PmsCompetenceLevelsForm(
        _posted(request), rows=content.competences, initial={"based_on": current.number}
    )
    if request.method == "POST" and form.is_valid():
        content.competences = form.chosen_rows()
        response = _revise(request, spec, form, content)
        if response is not None:
            return response
    return render(
        request,
        "profiles/competences_form.html",
        _base(
            request,
            form=form,
            caption=_person(request).display_name,
            groups=grouped_by_domain(form.table_rows()),
            pms=True,
            add_url=_pms_url(request, "pms_competences_add"),
            cancel_url=_pms_url(request),
        ),
    )


@org_role()
@person_view(*PMS_EDITORS)
@_pms_page
def pms_competences_add(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    spec = _spec_or_start(request)
    current = spec.current
    assert current is not None
    content = content_of(current)
    held = content.node_ids()
    form = forms.PmsPickForm(
        _posted(request),
        held=held,
        initial={"based_on": current.number},
        organisation=_org(request),
    )
    if request.method == "POST" and form.is_valid():
        level = services.default_level(content.manager_level)
        content.competences += [CompetenceRow(n, level) for n in form.cleaned_data["nodes"]]
        response = _revise(request, spec, form, content)
        if response is not None:
            return response
    return render(
        request,
        "profiles/pick.html",
        _base(
            request,
            form=form,
            caption=_person(request).display_name,
            pms=True,
            page_title=_("Add competences to your specification"),
            cancel_url=_pms_url(request),
            **_picker(request, held),
        ),
    )


def _pms_items(
    request: HttpRequest, *, kind: str, form_class: type[Any], template: str
) -> HttpResponse:
    spec = _spec_or_start(request)
    current = spec.current
    assert current is not None
    content = content_of(current)
    form = form_class(_posted(request), initial={"based_on": current.number})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if kind == "qualifications":
            content.qualifications.append(QualificationRow(d["title"].strip(), d["note"].strip()))
        else:
            content.basics.append(BasicRow(d["kind"], d["title"].strip()))
        response = _revise(request, spec, form, content)
        if response is not None:
            return response
    items = current.qualifications.all() if kind == "qualifications" else current.basics.all()
    return render(
        request,
        template,
        _base(
            request,
            form=form,
            items=items,
            revision=current,
            caption=_person(request).display_name,
            pms=True,
        ),
    )


def _pms_item_remove(request: HttpRequest, *, kind: str, item_id: int) -> HttpResponse:
    spec = _spec_or_start(request)
    current = spec.current
    assert current is not None
    items = current.qualifications if kind == "qualifications" else current.basics
    item = items.filter(pk=item_id).first()
    back = _pms_url(request, f"pms_{kind}")
    if item is None:
        messages.error(request, _("That item is not in the current revision any more."))
        return redirect(back)
    content = content_of(current)
    if kind == "qualifications":
        content.qualifications.remove(QualificationRow(item.title, item.note))  # type: ignore[union-attr]
    else:
        content.basics.remove(BasicRow(item.kind, item.title))  # type: ignore[union-attr]
    revision = services.spec_revise(actor=_user(request), specification=spec, content=content)
    messages.success(
        request,
        _("Removed “%(title)s”. Saved as revision %(n)d.")
        % {"title": item.title, "n": revision.number},
    )
    return redirect(back)


@org_role()
@person_view(*PMS_EDITORS)
@_pms_page
def pms_qualifications(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    return _pms_items(
        request,
        kind="qualifications",
        form_class=forms.PmsQualificationForm,
        template="profiles/pms_qualifications.html",
    )


@org_role()
@person_view(*PMS_EDITORS)
@require_POST
@_pms_page
def pms_qualification_remove(
    request: HttpRequest, org_slug: str, person_id: int, item_id: int
) -> HttpResponse:
    return _pms_item_remove(request, kind="qualifications", item_id=item_id)


@org_role()
@person_view(*PMS_EDITORS)
@_pms_page
def pms_basics(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    return _pms_items(
        request, kind="basics", form_class=forms.PmsBasicForm, template="profiles/pms_basics.html"
    )


@org_role()
@person_view(*PMS_EDITORS)
@require_POST
@_pms_page
def pms_basic_remove(
    request: HttpRequest, org_slug: str, person_id: int, item_id: int
) -> HttpResponse:
    return _pms_item_remove(request, kind="basics", item_id=item_id)


def _revision_or_404(request: HttpRequest, number: int) -> tuple[Specification, Revision]:
    spec = current_spec(_person(request), _org(request))
    if spec is None:
        raise Http404
    revision = get_object_or_404(
        Revision.objects.select_related("created_by", "agreed_by", "role_profile"),
        specification=spec,
        number=number,
    )
    return spec, revision


@org_role()
@person_view(*READERS)
def pms_revisions(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    spec = current_spec(_person(request), _org(request))
    if spec is None:
        raise Http404
    revisions = list(spec.revisions.select_related("created_by", "agreed_by").order_by("-number"))
    return render(
        request, "profiles/pms_revisions.html", _base(request, spec=spec, revisions=revisions)
    )


@org_role()
@person_view(*READERS)
def pms_revision(request: HttpRequest, org_slug: str, person_id: int, number: int) -> HttpResponse:
    spec, revision = _revision_or_404(request, number)
    content = content_of(revision)
    return render(
        request,
        "profiles/pms_revision.html",
        _base(
            request,
            spec=spec,
            revision=revision,
            content=content,
            groups=grouped_by_domain(content.competences),
            back=(_("All revisions"), _pms_url(request, "pms_revisions")),
        ),
    )


@org_role()
@person_view(*READERS)
def pms_compare(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    spec = current_spec(_person(request), _org(request))
    if spec is None or spec.current is None:
        raise Http404
    last = spec.current.number

    def number(name: str, default: int) -> int:
        value = request.GET.get(name, "")
        return int(value) if value.isdigit() and 1 <= int(value) <= last else default

    b = number("b", last)
    a = number("a", max(1, b - 1))
    revisions = {
        r.number: r for r in spec.revisions.select_related("created_by").filter(number__in={a, b})
    }
    diff = revision_diff(revisions[a], revisions[b]) if a != b else None
    return render(
        request,
        "profiles/pms_compare.html",
        _base(
            request,
            spec=spec,
            a=revisions[a],
            b=revisions[b],
            diff=diff,
            numbers=range(last, 0, -1),
            back=(_("All revisions"), _pms_url(request, "pms_revisions")),
        ),
    )


@org_role()
@person_view(*READERS)
def pms_file(request: HttpRequest, org_slug: str, person_id: int, number: int) -> HttpResponse:
    _spec, revision = _revision_or_404(request, number)
    f = revision.job_description_file
    name = f.name or ""
    if not name:
        raise Http404
    ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    try:
        handle = f.storage.open(name, "rb")
    except FileNotFoundError as e:
        raise Http404 from e
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=revision.job_description_name or f"job-description{ext}",
        content_type=CONTENT_TYPES.get(ext, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    return response  # type: ignore[return-value]


@org_role()
@person_view(*PMS_AGREERS)
@_pms_page
def pms_agree(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    spec = _spec_or_start(request)
    current = spec.current
    assert current is not None
    form = forms.ConfirmForm(_posted(request), initial={"based_on": current.number})
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["based_on"] != current.number:
            form.add_error(
                None,
                _(
                    "The specification changed (it is now revision %(n)d) after you opened this page. Read it again before you agree it."
                )
                % {"n": current.number},
            )
        else:
            try:
                services.spec_agree(actor=_user(request), revision=current)
            except services.ProfileError as e:
                form.add_error(None, str(e))
            else:
                messages.success(request, _("You agreed revision %(n)d.") % {"n": current.number})
                return redirect(_pms_url(request))
    return render(request, "profiles/pms_agree.html", _base(request, form=form, revision=current))


@org_role()
@person_view(*READERS)
@_pms_page
def pms_update(request: HttpRequest, org_slug: str, person_id: int) -> HttpResponse:
    """What a framework's new edition changes in the PMS; the manager applies it here."""
    spec = _spec_or_start(request)
    current = spec.current
    assert current is not None
    updates = edition_updates(current)
    can_edit = bool(_relations(request) & PMS_EDITORS)
    form = forms.ConfirmForm(_posted(request), initial={"based_on": current.number})
    if request.method == "POST":
        if not can_edit:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        if form.is_valid():
            try:
                revision = services.spec_update_editions(
                    actor=_user(request),
                    specification=spec,
                    change_note=form.cleaned_data["change_note"],
                    based_on=form.cleaned_data["based_on"],
                )
            except services.ProfileError as e:
                form.add_error(None, str(e))
            else:
                messages.success(
                    request,
                    _("Updated to the new edition: saved as revision %(n)d.")
                    % {"n": revision.number},
                )
                return redirect(_pms_url(request))
    return render(
        request,
        "profiles/pms_update.html",
        _base(
            request,
            form=form,
            revision=current,
            updates=updates,
            can_edit=can_edit,
        ),
    )
