"""The standards pages (public to read; drafts only for editors) and the editor pages.

Reads stay in a constant number of queries whatever the size of a framework: the tree is
one query in path order, nested in Python. Writes go through `services`."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import CharField, Count, ProtectedError, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waymark.core.models import AuditEvent

from . import services
from .decorators import standards_editor_required
from .forms import (
    EditionForm,
    EditionNewForm,
    FrameworkCreateForm,
    MappingEditForm,
    MappingForm,
    NodeForm,
)
from .models import (
    Assesses,
    Association,
    Edition,
    EditionStatus,
    Framework,
    FrameworkKind,
    MappingKind,
    Node,
)
from .selectors import edition_tree, mappings_of, search_nodes

if TYPE_CHECKING:
    from waymark.accounts.models import User

SEARCH_PAGE_SIZE = 20
HISTORY_PAGE_SIZE = 50
MAX_QUERY_CHARS = 300


def is_editor(user: Any) -> bool:
    return bool(
        user.is_authenticated and (getattr(user, "is_standards_editor", False) or user.is_superuser)
    )


def _can_see(edition: Edition, editor: bool) -> bool:
    if edition.framework.organisation_id is not None:
        return False  # an organisation's own competences: only inside the organisation
    return editor or edition.status != EditionStatus.DRAFT


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# ---------------------------------------------------------------------------------------
# Shared pieces


@dataclass
class TreeItem:
    node: Node
    children: list[TreeItem] = field(default_factory=list)


def build_tree(nodes: Iterable[Node]) -> tuple[list[TreeItem], int]:
    """Nest nodes given in path order by their parent links; returns (roots, count).
    Nesting follows `parent`, so it stays right even if two siblings share a path."""
    items: dict[int, TreeItem] = {}
    roots: list[TreeItem] = []
    for node in nodes:
        item = TreeItem(node)
        items[node.pk] = item
        parent = items.get(node.parent_id) if node.parent_id else None
        (parent.children if parent else roots).append(item)
    return roots, len(items)


def _pagination(request: HttpRequest, number: int, last: int) -> dict[str, Any] | None:
    """Items for the GOV.UK pagination component: first, last, and the pages around this."""
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


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        return 1


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Standards"), reverse("frameworks:index")), *extra]


def _framework_crumb(edition: Edition) -> tuple[str, str]:
    return (
        edition.framework.title,
        reverse("frameworks:framework", kwargs={"framework_slug": edition.framework.slug}),
    )


def _edition_url(edition: Edition) -> str:
    return reverse(
        "frameworks:edition",
        kwargs={"framework_slug": edition.framework.slug, "identifier": edition.identifier},
    )


def _node_url(node: Node) -> str:
    return reverse(
        "frameworks:node",
        kwargs={"framework_slug": node.edition.framework.slug, "identifier": node.identifier},
    )


def _edition_label(edition: Edition) -> str:
    if edition.version:
        return _("Edition %(version)s") % {"version": edition.version}
    return edition.title


def _edition_crumbs(edition: Edition) -> list[tuple[str, str]]:
    crumbs = _crumbs(_framework_crumb(edition))
    if not edition.is_current:
        crumbs.append((_edition_label(edition), _edition_url(edition)))
    return crumbs


# ---------------------------------------------------------------------------------------
# Public pages


def index(request: HttpRequest) -> HttpResponse:
    """Every framework's current edition, grouped by kind, filterable by kind and by
    whom it assesses. One query for the list, whatever its length."""
    editor = is_editor(request.user)
    kind = request.GET.get("kind", "")
    kind = kind if kind in FrameworkKind.values else ""
    assesses = request.GET.get("assesses", "")
    assesses = assesses if assesses in Assesses.values else ""
    editions = (
        Edition.objects.public()
        .filter(is_current=True)
        .select_related("framework")
        .annotate(item_count=Count("nodes"))
        .order_by("framework__title")
    )
    if not editor:
        editions = editions.exclude(status=EditionStatus.DRAFT)
    if kind:
        editions = editions.filter(kind=kind)
    if assesses:
        editions = editions.filter(assesses=assesses)
    rows = list(editions)
    headings = {
        FrameworkKind.MANDATORY: _("Mandatory standards"),
        FrameworkKind.GUIDANCE: _("Guidance"),
        FrameworkKind.ASPIRATIONAL: _("Aspirational capability frameworks"),
    }
    groups = [
        {"kind": k.value, "label": headings[k], "editions": [e for e in rows if e.kind == k.value]}
        for k in FrameworkKind
    ]
    return render(
        request,
        "frameworks/index.html",
        {
            "nav_section": "standards",
            "groups": [g for g in groups if g["editions"]],
            "total": len(rows),
            "kind": kind,
            "assesses": assesses,
            "kind_choices": FrameworkKind.choices,
            "assesses_choices": Assesses.choices,
            "filtered": bool(kind or assesses),
            "is_editor": editor,
        },
    )


def framework(request: HttpRequest, framework_slug: str) -> HttpResponse:
    """A framework's page: its current edition."""
    fw = get_object_or_404(Framework.objects.public(), slug=framework_slug)
    edition = fw.editions.filter(is_current=True).first()
    if edition is None or not _can_see(edition, is_editor(request.user)):
        raise Http404
    edition.framework = fw
    return _edition_page(request, edition)


def edition(request: HttpRequest, framework_slug: str, identifier: str) -> HttpResponse:
    ed = get_object_or_404(
        Edition.objects.public().select_related("framework"),
        framework__slug=framework_slug,
        identifier=identifier,
    )
    if not _can_see(ed, is_editor(request.user)):
        raise Http404
    return _edition_page(request, ed)


def _edition_page(request: HttpRequest, edition: Edition) -> HttpResponse:
    editor = is_editor(request.user)
    editions = [
        e
        for e in Edition.objects.filter(framework_id=edition.framework_id).order_by(
            "-is_current", "-publication_date", "-id"
        )
        if _can_see(e, editor)
    ]
    tree, count = build_tree(edition_tree(edition))
    crumbs = _crumbs() if edition.is_current else _edition_crumbs(edition)[:-1]
    return render(
        request,
        "frameworks/edition.html",
        {
            "nav_section": "standards",
            "framework": edition.framework,
            "edition": edition,
            "editions": editions,
            "current_edition": next((e for e in editions if e.is_current), None),
            "tree": tree,
            "item_count": count,
            "breadcrumbs": crumbs,
            "is_editor": editor,
        },
    )


@dataclass
class MappingRow:
    association: Association
    far: Node | None
    far_label: str
    far_framework: str
    far_old_edition: str  # the far node's edition when it is not the current one, else ""
    kind: str
    explanation: str
    is_mapping: bool
    outgoing: bool
    made_by: str
    made_on: datetime.datetime | None


def _explain(kind: MappingKind | None) -> str:
    return (
        {
            MappingKind.EXACT: _("The two items say the same thing."),
            MappingKind.BROADER: _("The other item is broader: it contains this one."),
            MappingKind.NARROWER: _("The other item is narrower: this one contains it."),
            MappingKind.RELATED: _("The two items overlap, but neither contains the other."),
        }.get(kind, "")
        if kind
        else ""
    )


def _mapping_rows(node: Node, editor: bool) -> tuple[list[MappingRow], list[MappingRow]]:
    outgoing: list[MappingRow] = []
    incoming: list[MappingRow] = []
    for association, far, kind, is_outgoing in mappings_of(node):
        if far is not None and not _can_see(far.edition, editor):
            continue
        if far is not None:
            far_label = str(far)
            far_framework = far.edition.display_title
        else:
            far_label = (
                association.destination_title if is_outgoing else association.origin_title
            ) or (
                association.destination_identifier if is_outgoing else association.origin_identifier
            )
            far_framework = _("outside Waymark")
        row = MappingRow(
            association=association,
            far=far,
            far_label=far_label,
            far_framework=far_framework,
            far_old_edition=(
                far.edition.version or far.edition.title
                if far is not None and not far.edition.is_current
                else ""
            ),
            kind=kind,
            explanation=_explain(services.mapping_kind(association, node)),
            is_mapping=association.is_mapping,
            outgoing=is_outgoing,
            made_by=(
                association.made_by.display_name
                if association.made_by
                else association.made_by_name
            ),
            # Made in Waymark: when it was created. Imported: the date the source gives
            # (kept as last_change), which is earlier than the import.
            made_on=min(d for d in (association.created_at, association.last_change) if d),
        )
        (outgoing if is_outgoing else incoming).append(row)
    return outgoing, incoming


def _ancestors(node: Node) -> list[Node]:
    """The node's ancestors from the top down, in one query."""
    if node.parent_id is None:
        return []
    upper = {
        n.pk: n
        for n in Node.objects.filter(edition_id=node.edition_id, depth__lt=node.depth).only(
            "id", "parent_id", "identifier", "code", "title", "statement", "edition_id"
        )
    }
    chain: list[Node] = []
    current = upper.get(node.parent_id)
    while current is not None and len(chain) <= node.depth:
        chain.append(current)
        current = upper.get(current.parent_id) if current.parent_id else None
    return list(reversed(chain))


def _node_or_404(request: HttpRequest, framework_slug: str, identifier: str) -> Node:
    node = get_object_or_404(
        Node.objects.public().select_related("edition__framework", "parent", "item_type"),
        identifier=identifier,
        edition__framework__slug=framework_slug,
    )
    if not _can_see(node.edition, is_editor(request.user)):
        raise Http404
    return node


def _node_crumbs(node: Node) -> list[tuple[str, str]]:
    crumbs = _edition_crumbs(node.edition)
    for ancestor in _ancestors(node):
        ancestor.edition = node.edition
        crumbs.append((str(ancestor), _node_url(ancestor)))
    return crumbs


def _node_trail(node: Node) -> list[tuple[str, str]]:
    """Breadcrumbs for a page about a node: down to the node itself."""
    return [*_node_crumbs(node), (str(node), _node_url(node))]


def node(request: HttpRequest, framework_slug: str, identifier: str) -> HttpResponse:
    """One item: where it sits, what it says, what is under it and how it maps both ways."""
    n = _node_or_404(request, framework_slug, identifier)
    editor = is_editor(request.user)
    children = list(n.children.order_by("path", "id"))
    for child in children:
        child.edition = n.edition
    outgoing, incoming = _mapping_rows(n, editor)
    return render(
        request,
        "frameworks/node.html",
        {
            "nav_section": "standards",
            "node": n,
            "edition": n.edition,
            "framework": n.edition.framework,
            "children": children,
            "maps_to": outgoing,
            "mapped_from": incoming,
            "breadcrumbs": _node_crumbs(n),
            "is_editor": editor,
        },
    )


def search(request: HttpRequest) -> HttpResponse:
    """Search every current, published framework; ranked, stemmed, paged."""
    q = request.GET.get("q", "")[:MAX_QUERY_CHARS].strip()
    frameworks = [
        (e.framework.slug, e.display_title)
        for e in Edition.objects.public()
        .filter(is_current=True, status=EditionStatus.PUBLISHED)
        .select_related("framework")
        .order_by("framework__title")
    ]
    slugs = {slug for slug, _title in frameworks}
    chosen = request.GET.get("framework", "")
    chosen = chosen if chosen in slugs else ""
    number = _page_number(request)
    result = None
    pagination = None
    if q:
        result = search_nodes(
            q,
            framework_slug=chosen or None,
            limit=SEARCH_PAGE_SIZE,
            offset=(number - 1) * SEARCH_PAGE_SIZE,
        )
        last = max(1, -(-result.total // SEARCH_PAGE_SIZE))
        if number > last:
            number = last
            result = search_nodes(
                q,
                framework_slug=chosen or None,
                limit=SEARCH_PAGE_SIZE,
                offset=(number - 1) * SEARCH_PAGE_SIZE,
            )
        pagination = _pagination(request, number, last)
    return render(
        request,
        "frameworks/search.html",
        {
            "nav_section": "search",
            "q": q,
            "framework_choices": frameworks,
            "chosen_framework": chosen,
            "result": result,
            "page_number": number,
            "first_rank": (number - 1) * SEARCH_PAGE_SIZE + 1,
            "pagination": pagination,
        },
    )


# ---------------------------------------------------------------------------------------
# Editor pages


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    caption: str = "",
    submit_label: str,
    cancel_url: str,
    breadcrumbs: list[tuple[str, str]] | None = None,
    intro: str = "",
    warning: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "frameworks/form_page.html",
        {
            "nav_section": "standards",
            "form": form,
            "page_title": title,
            "caption": caption,
            "submit_label": submit_label,
            "cancel_url": cancel_url,
            "breadcrumbs": breadcrumbs or _crumbs(),
            "intro": intro,
            "warning": warning,
        },
        status=status,
    )


def _published_warning(edition: Edition) -> str:
    if edition.status == EditionStatus.DRAFT:
        return ""
    return _(
        "This edition is %(status)s: changes show to everyone at once, and profiles may "
        "point at its items. For larger changes, create a new edition."
    ) % {"status": edition.get_status_display().lower()}


@standards_editor_required
def framework_create(request: HttpRequest) -> HttpResponse:
    form = FrameworkCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        fw = services.framework_create(actor=_actor(request), **form.cleaned_data)
        messages.success(request, _("%(title)s has been created.") % {"title": fw.title})
        return redirect("frameworks:framework", framework_slug=fw.slug)
    return _form_page(
        request,
        form,
        title=_("Create a framework"),
        submit_label=_("Create framework"),
        cancel_url=reverse("frameworks:index"),
        intro=_("Enter the framework's details. You add its items after creating it."),
    )


def _editor_edition(framework_slug: str, identifier: str) -> Edition:
    return get_object_or_404(
        Edition.objects.public().select_related("framework"),
        framework__slug=framework_slug,
        identifier=identifier,
    )


@standards_editor_required
def edition_edit(request: HttpRequest, framework_slug: str, identifier: str) -> HttpResponse:
    ed = _editor_edition(framework_slug, identifier)
    form = EditionForm(request.POST if request.method == "POST" else None, instance=ed)
    if request.method == "POST" and form.is_valid():
        ed = services.edition_update(actor=_actor(request), edition=ed, data=form.cleaned_data)
        messages.success(request, _("The edition's details have been saved."))
        return redirect(_edition_url(ed))
    fresh = Edition.objects.select_related("framework").get(pk=ed.pk)
    return _form_page(
        request,
        form,
        title=_("Edit the edition's details"),
        caption=str(fresh),
        submit_label=_("Save details"),
        cancel_url=_edition_url(fresh),
        breadcrumbs=_edition_crumbs(fresh),
        warning=_published_warning(fresh),
    )


@standards_editor_required
def edition_new(request: HttpRequest, framework_slug: str, identifier: str) -> HttpResponse:
    source = _editor_edition(framework_slug, identifier)
    form = EditionNewForm(request.POST if request.method == "POST" else None, source=source)
    if request.method == "POST" and form.is_valid():
        new = services.edition_new(actor=_actor(request), source=source, **form.cleaned_data)
        messages.success(
            request,
            _(
                "Draft edition %(version)s has been created. It becomes the current edition "
                "when you publish it."
            )
            % {"version": new.version},
        )
        return redirect(_edition_url(new))
    return _form_page(
        request,
        form,
        title=_("Create a new edition"),
        caption=str(source),
        submit_label=_("Create draft edition"),
        cancel_url=_edition_url(source),
        breadcrumbs=_edition_crumbs(source),
        intro=_(
            "The new edition starts as a draft copy of this one: the same details, every "
            "item with new identifiers, and the same mappings. This edition and its items "
            "stay exactly as they are."
        ),
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
    warning: bool = False,
) -> HttpResponse:
    return render(
        request,
        "frameworks/confirm.html",
        {
            "nav_section": "standards",
            "page_title": title,
            "caption": caption,
            "body": body,
            "button": button,
            "cancel_url": cancel_url,
            "breadcrumbs": breadcrumbs,
            "warning": warning,
        },
    )


@standards_editor_required
def edition_publish(request: HttpRequest, framework_slug: str, identifier: str) -> HttpResponse:
    ed = _editor_edition(framework_slug, identifier)
    if request.method == "POST":
        services.edition_publish(actor=_actor(request), edition=ed)
        messages.success(
            request, _("%(edition)s is published and is now the current edition.") % {"edition": ed}
        )
        return redirect("frameworks:framework", framework_slug=ed.framework.slug)
    current = ed.framework.editions.filter(is_current=True).exclude(pk=ed.pk).first()
    body = [_("Everyone will be able to see this edition and search its items.")]
    if current is not None:
        body.append(
            _(
                "It will replace %(current)s as the current edition. That edition stays "
                "readable and anything that points at it keeps working."
            )
            % {"current": current}
        )
    return _confirm_page(
        request,
        title=_("Publish this edition?"),
        caption=str(ed),
        body=body,
        button=_("Publish edition"),
        cancel_url=_edition_url(ed),
        breadcrumbs=_edition_crumbs(ed),
    )


@standards_editor_required
def edition_retire(request: HttpRequest, framework_slug: str, identifier: str) -> HttpResponse:
    ed = _editor_edition(framework_slug, identifier)
    if request.method == "POST":
        services.edition_retire(actor=_actor(request), edition=ed)
        messages.success(request, _("%(edition)s has been retired.") % {"edition": ed})
        return redirect(_edition_url(ed))
    return _confirm_page(
        request,
        title=_("Retire this edition?"),
        caption=str(ed),
        body=[
            _(
                "A retired edition stays readable, and profiles that point at its items keep "
                "working, but its items no longer appear in search."
            ),
        ],
        button=_("Retire edition"),
        cancel_url=_edition_url(ed),
        breadcrumbs=_edition_crumbs(ed),
        warning=True,
    )


def _deleted_ids(events: Iterable[Any], key: str) -> set[str]:
    """Ids kept under `key` in the `changes` of deletion events."""
    out: set[str] = set()
    for changes in events:
        before = changes.get(key, [None])[0] if isinstance(changes, dict) else None
        if isinstance(before, list):
            out.update(str(x) for x in before)
    return out


def edition_events(edition: Edition) -> QuerySet[AuditEvent]:
    """Audit events about an edition, its items and their mappings, including items and
    mappings deleted since (their ids are kept in the deletion events)."""
    node_ids = (
        Node.objects.filter(edition=edition)
        .annotate(sid=Cast("pk", output_field=CharField()))
        .values("sid")
    )
    association_ids = (
        Association.objects.filter(Q(origin__edition=edition) | Q(destination__edition=edition))
        .annotate(sid=Cast("pk", output_field=CharField()))
        .values("sid")
    )
    node_deletions = list(
        AuditEvent.objects.filter(
            object_type="frameworks.edition", object_id=str(edition.pk), action="node.delete"
        ).values_list("changes", flat=True)
    )
    gone_nodes = _deleted_ids(node_deletions, "_deleted_nodes")
    gone_associations = _deleted_ids(node_deletions, "_deleted_associations")
    mapping_deletions = AuditEvent.objects.filter(
        Q(object_id__in=node_ids) | Q(object_id__in=gone_nodes),
        object_type="frameworks.node",
        action="mapping.delete",
    ).values_list("changes", flat=True)
    gone_associations |= _deleted_ids(mapping_deletions, "_deleted_associations")
    return AuditEvent.objects.filter(
        Q(object_type="frameworks.edition", object_id=str(edition.pk))
        | Q(object_type="frameworks.node", object_id__in=node_ids)
        | Q(object_type="frameworks.node", object_id__in=gone_nodes)
        | Q(object_type="frameworks.association", object_id__in=association_ids)
        | Q(object_type="frameworks.association", object_id__in=gone_associations)
    ).order_by("-at", "-id")


@standards_editor_required
def edition_history(request: HttpRequest, framework_slug: str, identifier: str) -> HttpResponse:
    """Who changed what in an edition: events on the edition, its items and their mappings."""
    ed = _editor_edition(framework_slug, identifier)
    paginator = Paginator(edition_events(ed), HISTORY_PAGE_SIZE)
    page = paginator.get_page(_page_number(request))
    rows = [
        (event, [(k, v) for k, v in (event.changes or {}).items() if not k.startswith("_")])
        for event in page.object_list
    ]
    return render(
        request,
        "frameworks/edition_history.html",
        {
            "nav_section": "standards",
            "edition": ed,
            "framework": ed.framework,
            "page": page,
            "rows": rows,
            "pagination": _pagination(request, page.number, paginator.num_pages),
            "breadcrumbs": _edition_crumbs(ed),
        },
    )


def _editor_node(framework_slug: str, identifier: str) -> Node:
    return get_object_or_404(
        Node.objects.public().select_related("edition__framework", "parent"),
        identifier=identifier,
        edition__framework__slug=framework_slug,
    )


@standards_editor_required
def node_create(request: HttpRequest, framework_slug: str, identifier: str) -> HttpResponse:
    ed = _editor_edition(framework_slug, identifier)
    initial: dict[str, Any] = {}
    parent_id = request.GET.get("parent", "")
    if _is_uuid(parent_id):
        initial["parent"] = Node.objects.filter(edition=ed, identifier=parent_id).first()
    form = NodeForm(request.POST if request.method == "POST" else None, edition=ed, initial=initial)
    if request.method == "POST" and form.is_valid():
        new = services.node_create(actor=_actor(request), edition=ed, **form.cleaned_data)
        new.edition = ed
        messages.success(request, _("%(item)s has been added.") % {"item": new})
        return redirect(_node_url(new))
    return _form_page(
        request,
        form,
        title=_("Add an item"),
        caption=str(ed),
        submit_label=_("Add item"),
        cancel_url=_edition_url(ed),
        breadcrumbs=_edition_crumbs(ed),
        warning=_published_warning(ed),
    )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@standards_editor_required
def node_edit(request: HttpRequest, framework_slug: str, identifier: str) -> HttpResponse:
    n = _editor_node(framework_slug, identifier)
    form = NodeForm(
        request.POST if request.method == "POST" else None, instance=n, edition=n.edition
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if "parent" in form.changed_data and "sequence" not in form.changed_data:
            data["sequence"] = None  # moved without a new position: put it last
        updated = services.node_update(actor=_actor(request), node=n, data=data)
        updated.edition = n.edition
        messages.success(request, _("%(item)s has been saved.") % {"item": updated})
        return redirect(_node_url(updated))
    fresh = _editor_node(framework_slug, identifier)
    return _form_page(
        request,
        form,
        title=_("Edit an item"),
        caption=str(fresh),
        submit_label=_("Save item"),
        cancel_url=_node_url(fresh),
        breadcrumbs=_node_trail(fresh),
        warning=_published_warning(fresh.edition),
    )


@standards_editor_required
def node_delete(request: HttpRequest, framework_slug: str, identifier: str) -> HttpResponse:
    n = _editor_node(framework_slug, identifier)
    if request.method == "POST":
        try:
            count = services.node_delete(actor=_actor(request), node=n)
        except ProtectedError:
            messages.error(
                request,
                _(
                    "%(item)s cannot be deleted: profiles or records point at it or at an item "
                    "below it. Create a new edition without it instead."
                )
                % {"item": n},
            )
            return redirect(_node_url(n))
        messages.success(
            request,
            _("%(item)s has been deleted.") % {"item": n}
            if count == 1
            else _("%(item)s and the %(n)s items below it have been deleted.")
            % {"item": n, "n": count - 1},
        )
        return redirect(_edition_url(n.edition))
    below = services.descendant_ids(n)
    doomed = {n.pk, *below}
    n_associations = Association.objects.filter(
        Q(origin_id__in=doomed) | Q(destination_id__in=doomed)
    ).count()
    body = []
    if below:
        body.append(_("The %(n)s items below it will be deleted too.") % {"n": len(below)})
    if n_associations:
        body.append(
            _(
                "Mappings and other associations that involve them will be deleted "
                "too: %(n)s in all."
            )
            % {"n": n_associations}
        )
    body.append(_("This cannot be undone."))
    return _confirm_page(
        request,
        title=_("Delete this item?"),
        caption=str(n),
        body=body,
        button=_("Delete item"),
        cancel_url=_node_url(n),
        breadcrumbs=_node_trail(n),
        warning=True,
    )


def _mapping_or_404(n: Node, mapping: str) -> Association:
    association = (
        Association.objects.public()
        .select_related("origin__edition__framework", "destination__edition__framework")
        .filter(Q(origin=n) | Q(destination=n), identifier=mapping)
        .first()
    )
    if association is None:
        raise Http404
    return association


def _far(association: Association, n: Node) -> Node | None:
    return association.destination if association.origin_id == n.pk else association.origin


@standards_editor_required
def mapping_create(request: HttpRequest, framework_slug: str, identifier: str) -> HttpResponse:
    n = _editor_node(framework_slug, identifier)
    q = request.GET.get("q", "")[:MAX_QUERY_CHARS].strip()
    search_framework = request.GET.get("framework", "")
    hits = None
    if q:
        found = search_nodes(q, framework_slug=search_framework or None, limit=20)
        hits = [h for h in found.hits if h.node.pk != n.pk]
    initial = {}
    if request.GET.get("target"):
        initial["target"] = request.GET["target"]
    form = MappingForm(
        request.POST if request.method == "POST" else None, from_node=n, initial=initial
    )
    if request.method == "POST" and form.is_valid() and form.to_node is not None:
        services.mapping_create(
            actor=_actor(request),
            from_node=n,
            to_node=form.to_node,
            kind=form.cleaned_data["kind"],
            confirmed=form.cleaned_data["confirmed"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("The mapping has been added."))
        return redirect(_node_url(n) + "#mappings")
    target = form.chosen
    frameworks = [
        (e.framework.slug, e.display_title)
        for e in Edition.objects.public()
        .filter(is_current=True)
        .select_related("framework")
        .order_by("framework__title")
    ]
    return render(
        request,
        "frameworks/mapping_create.html",
        {
            "nav_section": "standards",
            "node": n,
            "form": form,
            "target": target,
            "q": q,
            "search_framework": search_framework,
            "framework_choices": frameworks,
            "hits": hits,
            "breadcrumbs": _node_trail(n),
            "cancel_url": _node_url(n),
        },
    )


@standards_editor_required
def mapping_edit(
    request: HttpRequest, framework_slug: str, identifier: str, mapping: str
) -> HttpResponse:
    n = _editor_node(framework_slug, identifier)
    association = _mapping_or_404(n, mapping)
    form = MappingEditForm(
        request.POST if request.method == "POST" else None,
        initial={
            "kind": services.mapping_kind(association, n),
            "confirmed": association.confirmed,
            "note": association.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.mapping_update(
                actor=_actor(request), association=association, from_node=n, **form.cleaned_data
            )
        except services.StandardsError as e:
            form.add_error("kind", str(e))
        else:
            messages.success(request, _("The mapping has been saved."))
            return redirect(_node_url(n) + "#mappings")
    far = _far(association, n)
    return _form_page(
        request,
        form,
        title=_("Edit a mapping"),
        caption=_("%(item)s and %(other)s")
        % {"item": n, "other": far or association.destination_title},
        submit_label=_("Save mapping"),
        cancel_url=_node_url(n) + "#mappings",
        breadcrumbs=_node_trail(n),
    )


@standards_editor_required
@require_POST
def mapping_confirm(
    request: HttpRequest, framework_slug: str, identifier: str, mapping: str
) -> HttpResponse:
    """Confirm (confirmed=1) or withdraw confirmation (confirmed=0) in one click."""
    n = _editor_node(framework_slug, identifier)
    association = _mapping_or_404(n, mapping)
    confirmed = request.POST.get("confirmed") == "1"
    services.mapping_update(
        actor=_actor(request), association=association, from_node=n, confirmed=confirmed
    )
    messages.success(
        request,
        _("The mapping is confirmed.") if confirmed else _("The mapping is no longer confirmed."),
    )
    return redirect(_node_url(n) + "#mappings")


@standards_editor_required
def mapping_delete(
    request: HttpRequest, framework_slug: str, identifier: str, mapping: str
) -> HttpResponse:
    n = _editor_node(framework_slug, identifier)
    association = _mapping_or_404(n, mapping)
    far = _far(association, n)
    if request.method == "POST":
        services.mapping_delete(actor=_actor(request), association=association, from_node=n)
        messages.success(request, _("The mapping has been deleted."))
        return redirect(_node_url(n) + "#mappings")
    return _confirm_page(
        request,
        title=_("Delete this mapping?"),
        caption=_("%(item)s and %(other)s")
        % {"item": n, "other": far or association.destination_title},
        body=[
            _(
                "Evidence for one item will no longer count towards the other. "
                "This cannot be undone."
            )
        ],
        button=_("Delete mapping"),
        cancel_url=_node_url(n) + "#mappings",
        breadcrumbs=_node_trail(n),
        warning=True,
    )
