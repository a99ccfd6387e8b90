"""Report pages: the organisation's (L&D leads and admins) and the national view
(national analysts and superusers; everyone else gets 404). Thin: the figures come from
``builders`` through the registry, already suppressed."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from waymark.organisations.decorators import org_role
from waymark.organisations.models import Role

from . import exports
from .forms import NationalFilterForm, OrgFilterForm
from .registry import Report, ReportScope, ReportSpec, get_reports
from .suppression import min_group

# Heatmap shading, lightest to darkest. The text stays #0b0c0c (contrast over 7:1 on
# each) and every cell also shows its value, so colour is never the only signal.
HEAT_BANDS = [
    (0.0, "background-color:#ffffff"),
    (0.01, "background-color:#fde9d9"),
    (0.5, "background-color:#f9c9a5"),
    (1.0, "background-color:#f4a672"),
    (1.5, "background-color:#ee8640"),
]
HEAT_NONE = "background-color:#f3f2f1"
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def is_national_analyst(user: Any) -> bool:
    return bool(
        user.is_authenticated and (user.is_superuser or getattr(user, "is_national_analyst", False))
    )


def _spec(name: str, *, national: bool) -> ReportSpec:
    spec = get_reports().get(name)
    if spec is None or (national and not spec.national):
        raise Http404
    return spec


def org_scope(request: HttpRequest) -> tuple[ReportScope, OrgFilterForm]:
    organisation = request.organisation  # type: ignore[attr-defined]
    form = OrgFilterForm(request.GET or None, organisation=organisation)
    team_id, level = None, None
    if form.is_bound and form.is_valid():
        team_id = form.cleaned_data["team"]
        level = form.cleaned_data["level"] or None
    return ReportScope(organisation=organisation, team_id=team_id, level=level), form


def national_scope(request: HttpRequest) -> tuple[ReportScope, NationalFilterForm]:
    form = NationalFilterForm(request.GET or None)
    data: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = {k: v or None for k, v in form.cleaned_data.items()}
    return ReportScope(organisation=None, **data), form


def heat_style(value: float | None) -> str:
    if value is None:
        return HEAT_NONE
    style = HEAT_BANDS[0][1]
    for floor, band in HEAT_BANDS:
        if value >= floor:
            style = band
    return style


def _context(report: Report, **extra: Any) -> dict[str, Any]:
    tables = []
    for t in report.tables:
        rows = [
            (
                label,
                [
                    (
                        c,
                        exports.cell_text(c),
                        heat_style(None if c.suppressed or c.value is None else float(c.value)),
                    )
                    for c in cells
                ],
            )
            for label, cells in t.rows
        ]
        tables.append({"table": t, "rows": rows})
    return {
        "report": report,
        "tables": tables,
        "min_group": min_group(),
        "legend": [
            (_("0: no gap"), HEAT_BANDS[0][1]),
            (_("above 0, under 0.5"), HEAT_BANDS[1][1]),
            (_("0.5 to under 1"), HEAT_BANDS[2][1]),
            (_("1 to under 1.5"), HEAT_BANDS[3][1]),
            (_("1.5 or more"), HEAT_BANDS[4][1]),
            (_("hidden: fewer than %(min)d people") % {"min": min_group()}, HEAT_NONE),
        ],
        **extra,
    }


def _export(report: Report, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_TYPES:
        raise Http404
    body: str | bytes = exports.to_csv(report) if fmt == "csv" else exports.to_xlsx(report)
    response = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{report.name}.{fmt}"'
    return response


# --- organisation ----------------------------------------------------------------------


def _org_crumbs(request: HttpRequest, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    organisation = request.organisation  # type: ignore[attr-defined]
    return [
        (
            organisation.name,
            reverse("organisations:dashboard", kwargs={"org_slug": organisation.slug}),
        ),
        *extra,
    ]


@org_role(Role.LD_LEAD, Role.ADMIN)
def index(request: HttpRequest, org_slug: str) -> HttpResponse:
    return render(
        request,
        "reports/index.html",
        {
            "organisation": request.organisation,  # type: ignore[attr-defined]
            "specs": list(get_reports().values()),
            "national": False,
            "breadcrumbs": _org_crumbs(request),
            "min_group": min_group(),
        },
    )


@org_role(Role.LD_LEAD, Role.ADMIN)
def report(request: HttpRequest, org_slug: str, name: str) -> HttpResponse:
    spec = _spec(name, national=False)
    scope, form = org_scope(request)
    kw = {"org_slug": org_slug, "name": name}
    return render(
        request,
        "reports/report.html",
        _context(
            spec.build(scope),
            organisation=request.organisation,  # type: ignore[attr-defined]
            form=form,
            national=False,
            query=request.GET.urlencode(),
            csv_url=reverse("reports:export", kwargs={**kw, "fmt": "csv"}),
            xlsx_url=reverse("reports:export", kwargs={**kw, "fmt": "xlsx"}),
            breadcrumbs=_org_crumbs(
                request, (_("Reports"), reverse("reports:index", kwargs={"org_slug": org_slug}))
            ),
        ),
    )


@org_role(Role.LD_LEAD, Role.ADMIN)
def export(request: HttpRequest, org_slug: str, name: str, fmt: str) -> HttpResponse:
    spec = _spec(name, national=False)
    scope, _form = org_scope(request)
    return _export(spec.build(scope), fmt)


# --- national --------------------------------------------------------------------------


def _national_only(request: HttpRequest) -> None:
    if not is_national_analyst(request.user):
        raise Http404


def national_index(request: HttpRequest) -> HttpResponse:
    _national_only(request)
    return render(
        request,
        "reports/index.html",
        {
            "specs": [s for s in get_reports().values() if s.national],
            "national": True,
            "nav_section": "national",
            "min_group": min_group(),
        },
    )


def national_report(request: HttpRequest, name: str) -> HttpResponse:
    _national_only(request)
    spec = _spec(name, national=True)
    scope, form = national_scope(request)
    return render(
        request,
        "reports/report.html",
        _context(
            spec.build(scope),
            form=form,
            national=True,
            nav_section="national",
            query=request.GET.urlencode(),
            csv_url=reverse("national:export", kwargs={"name": name, "fmt": "csv"}),
            xlsx_url=reverse("national:export", kwargs={"name": name, "fmt": "xlsx"}),
            breadcrumbs=[(_("National view"), reverse("national:index"))],
        ),
    )


def national_export(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    _national_only(request)
    spec = _spec(name, national=True)
    scope, _form = national_scope(request)
    return _export(spec.build(scope), fmt)
