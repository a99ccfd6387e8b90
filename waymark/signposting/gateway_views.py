"""The public signposting gateway, at /gateway/: what other agencies' sites embed or call.

- `/gateway/` is a search page with minimal chrome, made to sit in another site's
  iframe: no sign-in, no cookies, no forms that post, public catalogue entries only
  (`visible_resources(None)`). It is the one page of Waymark that may be framed: it
  sends `Content-Security-Policy: frame-ancestors <WAYMARK_GATEWAY_FRAME_ANCESTORS>`
  and no X-Frame-Options; every other page keeps X-Frame-Options DENY.
- `/gateway/api/search` and `/gateway/api/signpost` answer GET with JSON, to any origin
  (django-cors-headers, limited to /gateway/api/ by CORS_URLS_REGEX, no credentials).

Nothing personal goes in or out: no user, organisation, preference or gap is read.
docs/gateway.md has the embedding snippet and the parameters."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from . import matching
from .forms import SearchForm
from .search import search_catalogue
from .views import (
    OPTIONS_LIMIT,
    chosen_nodes,
    hit_rows,
    pagination_for,
    result_rows,
    unknown_codes,
)

SEARCH_PAGE_SIZE = 20
MAX_LIMIT = 50


def _codes(request: HttpRequest) -> list[str]:
    raw = [*request.GET.getlist("node"), *request.GET.get("codes", "").replace(",", " ").split()]
    return [c.strip() for c in raw if c.strip()][:30]


def _frame_policy(response: HttpResponse) -> HttpResponse:
    ancestors = str(getattr(settings, "WAYMARK_GATEWAY_FRAME_ANCESTORS", "*")).strip() or "*"
    response["Content-Security-Policy"] = f"frame-ancestors {ancestors}"
    return response


@xframe_options_exempt
@require_GET
def gateway(request: HttpRequest) -> HttpResponse:
    """Search and signposting for anyone, in a page that other sites may frame. Rendered
    without the request's context processors: nothing of a signed-in visitor is read."""
    form = SearchForm(request.GET if request.GET else None)
    q = form.query() if form.is_bound else ""
    filters = form.filters() if form.is_bound else None
    codes = _codes(request)
    nodes = chosen_nodes([], codes)
    options: list[dict[str, Any]] = []
    result = None
    pagination = None
    if nodes or q:
        options = result_rows(
            matching.match(
                needs=matching.needs_from_nodes(nodes),
                text=q,
                organisation=None,
                manager_level=filters.manager_level if filters else None,
                filters=filters,
                limit=OPTIONS_LIMIT,
            )
        )
    elif filters is not None and not filters.is_empty:
        number = max(1, min(_int(request.GET.get("page"), 1), 10_000))
        result = search_catalogue(
            "",
            organisation=None,
            filters=filters,
            limit=SEARCH_PAGE_SIZE,
            offset=(number - 1) * SEARCH_PAGE_SIZE,
        )
        pagination = pagination_for(request, number, result.total, SEARCH_PAGE_SIZE)
    html = render_to_string(
        "signposting/gateway/search.html",
        {
            "form": form,
            "q": q,
            "codes": " ".join(codes),
            "filtering": filters is not None and not filters.is_empty,
            "nodes": nodes,
            "unknown_codes": unknown_codes(codes, nodes),
            "options": options,
            "result": result,
            "hits": hit_rows(result.hits) if result else [],
            "pagination": pagination,
            "action": reverse("gateway:search"),
            "organisation": None,
            "new_tab": True,
        },
    )
    return _frame_policy(HttpResponse(html))


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def _limit(request: HttpRequest, default: int) -> int | JsonResponse:
    raw = request.GET.get("limit")
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_LIMIT:
        return _bad(
            {"limit": [_("limit must be a whole number from 1 to %(max)s") % {"max": MAX_LIMIT}]}
        )
    return value


def _bad(errors: dict[str, Any]) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=400)


def _form_errors(form: SearchForm) -> dict[str, list[str]]:
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


def _catalogue_url(request: HttpRequest, slug: str) -> str:
    return request.build_absolute_uri(reverse("catalogue:resource", kwargs={"slug": slug}))


@require_GET
def api_search(request: HttpRequest) -> JsonResponse:
    """Full-text search of the public catalogue, with the page's filters, as JSON."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        return _bad(_form_errors(form))
    limit = _limit(request, SEARCH_PAGE_SIZE)
    if isinstance(limit, JsonResponse):
        return limit
    offset = max(0, _int(request.GET.get("offset"), 0))
    result = search_catalogue(
        form.query(), organisation=None, filters=form.filters(), limit=limit, offset=offset
    )
    results = []
    for hit in result.hits:
        item = matching.match_to_dict(
            matching.Match(resource=hit.resource, score=round(hit.rank, 4))
        )
        item["catalogue_url"] = _catalogue_url(request, hit.resource.slug)
        results.append(item)
    return JsonResponse(
        {"query": result.query, "total": result.total, "offset": offset, "results": results}
    )


@require_GET
def api_signpost(request: HttpRequest) -> JsonResponse:
    """Ranked options, with reasons, for framework node codes (`node`, repeated) and/or
    words (`need`), over the public catalogue, as JSON."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        return _bad(_form_errors(form))
    limit = _limit(request, OPTIONS_LIMIT)
    if isinstance(limit, JsonResponse):
        return limit
    codes = _codes(request)
    text = request.GET.get("need", "")[:500].strip()
    nodes = chosen_nodes([], codes)
    if not nodes and not text:
        return _bad(
            {"node": [_("Give at least one framework node code (node=MM3.04) or need=words")]}
        )
    filters = form.filters()
    needs = matching.needs_from_nodes(nodes)
    matches = matching.match(
        needs=needs,
        text=text,
        organisation=None,
        manager_level=filters.manager_level,
        filters=filters,
        limit=limit,
    )
    results = []
    for m in matches:
        item = matching.match_to_dict(m)
        item["catalogue_url"] = _catalogue_url(request, m.resource.slug)
        results.append(item)
    return JsonResponse(
        {
            "needs": [
                {"framework": n.node.edition.framework.slug, "code": n.node.code, "label": n.label}
                for n in needs
            ],
            "unknown_nodes": unknown_codes(codes, nodes),
            "need": text,
            "results": results,
        }
    )
