"""Link health: check the web address of every provider, resource and qualification,
and list what editors need to review.

`check_links` reads the entries, checks each distinct address once, concurrently with a
bound (asyncio and a semaphore around httpx), each request with its own timeout and
redirects followed and recorded hop by hop; then it stores status, final address,
redirects, error and the time on every entry with that address. `needs_review` lists
broken links, links that now lead somewhere else, and links not checked for 90 days."""

from __future__ import annotations

import asyncio
import itertools
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CatalogueStatus, Provider, Qualification, Resource

USER_AGENT = "Waymark link checker (+https://github.com/waymark)"
MAX_REDIRECTS = 10
# --due-only checks entries not checked for this long; the review list flags them at 90.
DUE_AFTER = timedelta(days=7)
STALE_AFTER = timedelta(days=90)
MODELS: tuple[type[Provider] | type[Resource] | type[Qualification], ...] = (
    Provider,
    Resource,
    Qualification,
)


@dataclass
class LinkResult:
    url: str
    status: int | None = None
    final_url: str = ""
    redirects: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and self.status is not None and self.status < 400


@dataclass
class LinkCheckSummary:
    entries: int = 0
    addresses: int = 0
    ok: int = 0
    redirected: int = 0
    broken: int = 0
    failed: int = 0  # no answer: timeout, refused, bad certificate …
    seconds: float = 0.0
    results: dict[str, LinkResult] = field(default_factory=dict)


# ------------------------------------------------------------------------ checking


async def _check_one(
    client: httpx.AsyncClient, semaphore: asyncio.Semaphore, url: str, timeout: float
) -> LinkResult:
    async with semaphore:
        result = LinkResult(url=url)
        try:
            # The body is never read: the status line and headers are enough.
            async with asyncio.timeout(timeout * (MAX_REDIRECTS + 1)):
                async with client.stream("GET", url) as response:
                    chain = [*response.history, response]
                    result.redirects = [
                        {"status": hop.status_code, "url": str(nxt.url)}
                        for hop, nxt in itertools.pairwise(chain)
                    ]
                    result.status = response.status_code
                    result.final_url = str(response.url)
        except (httpx.TimeoutException, TimeoutError):
            result.error = _("No answer within %(seconds)s seconds") % {"seconds": f"{timeout:g}"}
        except httpx.TooManyRedirects:
            result.error = _("More than %(n)d redirects") % {"n": MAX_REDIRECTS}
        except httpx.ConnectError as exc:
            result.error = _("Could not connect: %(reason)s") % {"reason": exc or "refused"}
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
            result.error = f"{type(exc).__name__}: {exc}"
        result.error = result.error[:300]
        return result


async def _check_all(urls: list[str], concurrency: int, timeout: float) -> list[LinkResult]:
    semaphore = asyncio.Semaphore(max(1, concurrency))
    limits = httpx.Limits(max_connections=max(1, concurrency))
    async with httpx.AsyncClient(
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=httpx.Timeout(timeout),
        limits=limits,
        headers={"User-Agent": USER_AGENT},
    ) as client:
        return list(
            await asyncio.gather(*(_check_one(client, semaphore, u, timeout) for u in urls))
        )


def check_urls(urls: list[str], *, concurrency: int = 8, timeout: float = 10.0) -> list[LinkResult]:
    """Check addresses concurrently (at most `concurrency` at once); results in order."""
    if not urls:
        return []
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_check_all(urls, concurrency, timeout))
    # Called where an event loop already runs (an async caller, Playwright's sync API in
    # tests): run ours in a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _check_all(urls, concurrency, timeout)).result()


def _targets(due_only: bool, now: datetime) -> list[Any]:
    scope = Q(~Q(url=""), ~Q(status=CatalogueStatus.WITHDRAWN))
    if due_only:
        scope &= Q(link_checked_at__isnull=True) | Q(link_checked_at__lt=now - DUE_AFTER)
    out: list[Any] = []
    for model in MODELS:
        out.extend(model.objects.filter(scope).only("id", "url", "link_checked_at"))
    return out


def check_links(
    *,
    concurrency: int = 8,
    timeout: float = 10.0,
    due_only: bool = False,
    now: datetime | None = None,
) -> LinkCheckSummary:
    """Check every entry with a web address (not withdrawn) and store what was found."""
    now = now or timezone.now()
    started = timezone.now()
    entries = _targets(due_only, now)
    by_url: dict[str, list[Any]] = defaultdict(list)
    for obj in entries:
        by_url[obj.url].append(obj)
    urls = sorted(by_url)
    results = check_urls(urls, concurrency=concurrency, timeout=timeout)
    summary = LinkCheckSummary(entries=len(entries), addresses=len(urls))
    checked_at = timezone.now()
    for result in results:
        summary.results[result.url] = result
        if result.error:
            summary.failed += 1
        elif not result.ok:
            summary.broken += 1
        elif result.redirects:
            summary.redirected += 1
        else:
            summary.ok += 1
        by_model: dict[Any, list[int]] = defaultdict(list)
        for obj in by_url[result.url]:
            by_model[type(obj)].append(obj.pk)
        for model, pks in by_model.items():
            model.objects.filter(pk__in=pks).update(
                link_checked_at=checked_at,
                link_status=result.status,
                link_final_url=result.final_url[:500],
                link_redirects=result.redirects,
                link_error=result.error,
            )
    summary.seconds = (timezone.now() - started).total_seconds()
    return summary


# ------------------------------------------------------------------------ review list


def _normal(url: str) -> str:
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def redirected_elsewhere(url: str, final_url: str) -> bool:
    """True when the address now leads to another page, not just to https:// or a
    trailing slash of the same one."""
    return bool(final_url) and _normal(url) != _normal(final_url)


@dataclass
class ReviewItem:
    kind: str  # "provider" | "resource" | "qualification"
    entry: Any
    reasons: list[str]
    broken: bool
    moved: bool
    stale: bool

    @property
    def title(self) -> str:
        return str(getattr(self.entry, "title", None) or getattr(self.entry, "name", ""))


def review_state(entry: Any, now: datetime) -> tuple[bool, bool, bool]:
    """(broken, redirected elsewhere, not checked for 90 days)."""
    checked = entry.link_checked_at
    stale = checked is None or checked < now - STALE_AFTER
    broken = checked is not None and (
        bool(entry.link_error) or entry.link_status is None or entry.link_status >= 400
    )
    moved = (
        checked is not None and not broken and redirected_elsewhere(entry.url, entry.link_final_url)
    )
    return broken, moved, stale


def needs_review(*, now: datetime | None = None) -> list[ReviewItem]:
    """Public entries (not withdrawn) whose link is broken, leads elsewhere now, or has not
    been checked for 90 days: broken first, then moved, then the longest unchecked."""
    now = now or timezone.now()
    labels = {Provider: "provider", Resource: "resource", Qualification: "qualification"}
    items: list[ReviewItem] = []
    for model in MODELS:
        qs = model.objects.filter(~Q(url=""), ~Q(status=CatalogueStatus.WITHDRAWN))
        if model is not Qualification:
            qs = qs.filter(**{"organisation__isnull": True})
        # Never checked first, on every database (PostgreSQL sorts NULLs last by default).
        for entry in qs.order_by(F("link_checked_at").asc(nulls_first=True), "pk"):
            broken, moved, stale = review_state(entry, now)
            if not (broken or moved or stale):
                continue
            reasons = []
            if broken:
                reasons.append(
                    entry.link_error
                    or _("The address answered %(status)s") % {"status": entry.link_status}
                )
            if moved:
                reasons.append(_("Now leads to another address"))
            if stale:
                reasons.append(
                    _("Never checked")
                    if entry.link_checked_at is None
                    else _("Not checked for 90 days")
                )
            items.append(
                ReviewItem(
                    kind=labels[model],
                    entry=entry,
                    reasons=reasons,
                    broken=broken,
                    moved=moved,
                    stale=stale,
                )
            )
    items.sort(key=lambda i: (not i.broken, not i.moved, i.kind))
    return items
