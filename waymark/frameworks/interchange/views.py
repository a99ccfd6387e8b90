"""Editor pages: import a framework file, list editions with their downloads, see what an
import repaired, and download an edition as CASE JSON, CSV or XLSX."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from waymark.frameworks.decorators import standards_editor_required
from waymark.frameworks.models import Edition, EditionStatus, Origin

from .export import EXPORT_FORMATS, export_edition
from .files import max_import_bytes, read_upload
from .forms import ImportForm
from .package import EditionTarget, MappingSet
from .problems import InterchangeError, Problem
from .services import mapping_set_import, package_import

FORMAT_LABELS = {"case": "CASE 1.0 JSON", "csv": "CSV", "xlsx": "Excel (XLSX)"}


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@standards_editor_required
def import_view(
    request: HttpRequest,
    framework_slug: str | None = None,
    identifier: UUID | None = None,
    fmt: str | None = None,
) -> HttpResponse:
    """Import a file as a new edition (or replace one); or, reached from an edition's
    page, import a file into that edition in place."""
    target_edition: Edition | None = None
    if identifier is not None:
        target_edition = get_object_or_404(
            Edition.objects.public().select_related("framework"),
            framework__slug=framework_slug,
            identifier=identifier,
        )
    problems: list[Problem] = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, target=target_edition)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            target = None
            if target_edition is not None:
                target = EditionTarget(
                    identifier=str(target_edition.identifier),
                    identifiers_by_code={
                        code: str(ident)
                        for code, ident in target_edition.nodes.exclude(code="").values_list(
                            "code", "identifier"
                        )
                    },
                )
            try:
                loaded = read_upload(
                    upload,
                    name=upload.name or "",
                    size=upload.size or 0,
                    lenient=form.cleaned_data["strictness"] != "strict",
                    target=target,
                )
                if isinstance(loaded, MappingSet):
                    mapped = mapping_set_import(mapping_set=loaded, actor=request.user)  # type: ignore[arg-type]
                    messages.success(
                        request,
                        _(
                            "Loaded the mappings “%(title)s”: %(total)d (%(new)d new, %(updated)d updated, %(removed)d removed)."
                        )
                        % {
                            "title": loaded.title,
                            "total": mapped.total,
                            "new": mapped.created,
                            "updated": mapped.updated,
                            "removed": mapped.removed,
                        },
                    )
                    return redirect("frameworks:interchange_index")
                result = package_import(
                    package=loaded,
                    actor=request.user,  # type: ignore[arg-type]
                    origin=Origin.SHIPPED if loaded.format == "yaml" else Origin.IMPORTED,
                    framework_slug=(
                        target_edition.framework.slug
                        if target_edition is not None
                        else form.cleaned_data["framework_slug"] or None
                    ),
                    replace=target_edition is not None
                    or form.cleaned_data["if_exists"] == "replace",
                )
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
                edition = result.edition
                verb = (
                    _("Imported")
                    if result.created
                    else (_("Updated") if result.changed else _("Nothing changed in"))
                )
                summary = _(
                    "%(verb)s “%(title)s”: %(items)d items, %(associations)d associations "
                    "(%(tree)d isChildOf)."
                ) % {
                    "verb": verb,
                    "title": edition.title,
                    "items": result.items,
                    "associations": result.tree_associations + result.associations,
                    "tree": result.tree_associations,
                }
                if result.warnings:
                    summary += " " + ngettext(
                        "%(count)d warning: see below.",
                        "%(count)d warnings: see below.",
                        len(result.warnings),
                    ) % {"count": len(result.warnings)}
                messages.success(request, summary)
                return redirect(
                    "frameworks:interchange_edition",
                    framework_slug=edition.framework.slug,
                    identifier=edition.identifier,
                )
    else:
        form = ImportForm(target=target_edition)
    return render(
        request,
        "frameworks/interchange/import.html",
        {
            "form": form,
            "problems": problems,
            "target": target_edition,
            "max_megabytes": max_import_bytes() // (1024 * 1024),
            "nav_section": "standards",
        },
    )


@standards_editor_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    editions = (
        Edition.objects.public()
        .select_related("framework")
        .annotate(item_count=Count("nodes"))
        .order_by("framework__title", "-is_current", "-publication_date", "-id")
    )
    return render(
        request,
        "frameworks/interchange/index.html",
        {
            "editions": editions,
            "formats": FORMAT_LABELS,
            "nav_section": "standards",
        },
    )


@standards_editor_required
@require_GET
def edition_view(request: HttpRequest, framework_slug: str, identifier: UUID) -> HttpResponse:
    edition = get_object_or_404(
        Edition.objects.public()
        .select_related("framework")
        .annotate(
            item_count=Count("nodes", distinct=True),
            association_count=Count("associations", distinct=True),
        ),
        framework__slug=framework_slug,
        identifier=identifier,
    )
    warnings = [Problem.from_dict(w) for w in edition.import_warnings or [] if isinstance(w, dict)]
    downloads = [
        (
            label,
            reverse(
                "frameworks:interchange_export",
                kwargs={"framework_slug": framework_slug, "identifier": identifier, "fmt": fmt},
            ),
        )
        for fmt, label in FORMAT_LABELS.items()
    ]
    return render(
        request,
        "frameworks/interchange/edition.html",
        {
            "edition": edition,
            "warnings": warnings,
            "downloads": downloads,
            "nav_section": "standards",
        },
    )


@require_GET
def export_view(
    request: HttpRequest, framework_slug: str, identifier: UUID, fmt: str
) -> HttpResponse:
    """Download an edition. A published edition is public, as it is through the CASE
    service; a draft or retired one only for standards editors."""
    if fmt not in EXPORT_FORMATS:
        raise Http404(_("Unknown export format."))
    edition = get_object_or_404(
        Edition.objects.public().select_related("framework"),
        framework__slug=framework_slug,
        identifier=identifier,
    )
    if edition.status != EditionStatus.PUBLISHED:
        return _editor_export(request, edition, fmt)
    return _download(request, edition, fmt)


@standards_editor_required
def _editor_export(request: HttpRequest, edition: Edition, fmt: str) -> HttpResponse:
    return _download(request, edition, fmt)


def _download(request: HttpRequest, edition: Edition, fmt: str) -> HttpResponse:
    out = export_edition(edition, fmt, base_url=_base_url(request))
    response = HttpResponse(out.content, content_type=out.content_type)
    response["Content-Disposition"] = f'attachment; filename="{out.filename}"'
    return response
