"""The link checker against a real local HTTP server: 200, 301 → 200, 301 → 404, 404,
500 and a response slower than the timeout; the bound on concurrency; --due-only; and
the editors' "needs review" list."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from waymark.core.tests.factories import OrganisationFactory
from waymark.signposting.linkcheck import (
    check_links,
    check_urls,
    needs_review,
    redirected_elsewhere,
)
from waymark.signposting.models import Provider, Qualification, Resource

SLOW_SECONDS = 1.5
TIMEOUT = 0.5


class _State:
    active = 0
    most = 0
    lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str | None]] = {
        "/ok": (200, None),
        "/ok/": (200, None),
        "/moved": (301, "/ok"),
        "/moved-to-gone": (301, "/gone"),
        "/gone": (404, None),
        "/error": (500, None),
    }

    def do_GET(self) -> None:
        with _State.lock:
            _State.active += 1
            _State.most = max(_State.most, _State.active)
        try:
            if self.path == "/slow":
                time.sleep(SLOW_SECONDS)
                status, location = 200, None
            elif self.path.startswith("/pause"):
                time.sleep(0.2)
                status, location = 200, None
            else:
                status, location = self.routes.get(self.path, (404, None))
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"hi")
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with _State.lock:
                _State.active -= 1

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _State.active = _State.most = 0
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def resource(slug: str, url: str, **extra: Any) -> Resource:
    return Resource.objects.create(
        slug=slug,
        title=slug.replace("-", " ").title(),
        resource_type="website",
        description="A test resource.",
        delivery_mode="reading",
        url=url,
        **extra,
    )


@pytest.mark.django_db
def test_it_records_status_final_address_redirects_and_errors(server: str) -> None:
    entries = {
        name: resource(name, f"{server}/{path}")
        for name, path in [
            ("fine", "ok"),
            ("moved", "moved"),
            ("moved-to-gone", "moved-to-gone"),
            ("gone", "gone"),
            ("error", "error"),
            ("slow", "slow"),
        ]
    }
    provider = Provider.objects.create(slug="p", name="P", scope="national", url=f"{server}/ok")
    qualification = Qualification.objects.create(
        slug="q", title="Q", awarding_body="SQA", url=f"{server}/gone"
    )
    summary = check_links(concurrency=4, timeout=TIMEOUT)
    assert (summary.entries, summary.addresses) == (8, 6)
    assert (summary.ok, summary.redirected, summary.broken, summary.failed) == (1, 1, 3, 1)
    got = {k: Resource.objects.get(pk=v.pk) for k, v in entries.items()}
    assert got["fine"].link_status == 200 and got["fine"].link_redirects == []
    assert got["fine"].link_final_url == f"{server}/ok" and got["fine"].link_checked_at
    assert got["moved"].link_status == 200
    assert got["moved"].link_redirects == [{"status": 301, "url": f"{server}/ok"}]
    assert got["moved"].link_final_url == f"{server}/ok"
    assert got["moved-to-gone"].link_status == 404
    assert got["moved-to-gone"].link_redirects == [{"status": 301, "url": f"{server}/gone"}]
    assert got["gone"].link_status == 404
    assert got["error"].link_status == 500
    assert got["slow"].link_status is None
    assert got["slow"].link_error == "No answer within 0.5 seconds"
    assert Provider.objects.get(pk=provider.pk).link_status == 200
    assert Qualification.objects.get(pk=qualification.pk).link_status == 404


def test_it_never_has_more_requests_open_than_the_bound(server: str) -> None:
    urls = [f"{server}/pause{i}" for i in range(8)]
    results = check_urls(urls, concurrency=2, timeout=5)
    assert [r.status for r in results] == [200] * 8
    assert _State.most == 2


def test_a_refused_connection_is_an_error_not_a_crash() -> None:
    (result,) = check_urls(["http://127.0.0.1:9/"], concurrency=1, timeout=2)
    assert result.status is None and result.error.startswith("Could not connect")


@pytest.mark.django_db
def test_due_only_skips_links_checked_recently_and_withdrawn_entries(server: str) -> None:
    recent = resource("recent", f"{server}/gone", link_checked_at=timezone.now(), link_status=200)
    due = resource("due", f"{server}/gone", link_checked_at=timezone.now() - timedelta(days=30))
    never = resource("never", f"{server}/gone")
    withdrawn = resource("withdrawn", f"{server}/gone", status="withdrawn")
    summary = check_links(due_only=True, timeout=2)
    assert summary.entries == 2
    assert Resource.objects.get(pk=recent.pk).link_status == 200
    assert Resource.objects.get(pk=due.pk).link_status == 404
    assert Resource.objects.get(pk=never.pk).link_status == 404
    assert Resource.objects.get(pk=withdrawn.pk).link_checked_at is None


@pytest.mark.django_db
def test_the_command_prints_a_summary(server: str) -> None:
    resource("fine", f"{server}/ok")
    resource("gone", f"{server}/gone")
    out = io.StringIO()
    call_command("check_links", "--concurrency", "2", "--timeout", "2", stdout=out)
    text = out.getvalue()
    assert "Checked 2 addresses for 2 entries" in text
    assert "1 fine, 0 redirected, 1 broken (4xx/5xx), 0 no answer" in text


def test_a_redirect_to_https_or_a_trailing_slash_is_not_elsewhere() -> None:
    assert not redirected_elsewhere("http://example.org/a", "https://www.example.org/a/")
    assert redirected_elsewhere("http://example.org/a", "https://example.org/b")
    assert redirected_elsewhere("http://example.org/a", "https://other.example/a")


@pytest.mark.django_db
def test_needs_review_lists_broken_moved_and_stale_links_only(server: str) -> None:
    now = timezone.now()
    fine = resource(
        "fine",
        "https://a.example/x",
        link_checked_at=now,
        link_status=200,
        link_final_url="https://a.example/x/",
    )
    broken = resource(
        "broken",
        "https://a.example/gone",
        link_checked_at=now,
        link_status=404,
        link_final_url="https://a.example/gone",
    )
    moved = resource(
        "moved",
        "https://a.example/old",
        link_checked_at=now,
        link_status=200,
        link_final_url="https://b.example/new",
    )
    stale = resource(
        "stale",
        "https://a.example/s",
        link_checked_at=now - timedelta(days=91),
        link_status=200,
        link_final_url="https://a.example/s",
    )
    never = resource("never", "https://a.example/n")
    resource("no-address", "")
    resource("in-house", "https://a.example/n2", organisation=OrganisationFactory.create())
    resource("withdrawn", "https://a.example/w", status="withdrawn")
    items = needs_review(now=now)
    assert [i.entry.slug for i in items] == ["broken", "moved", "never", "stale"]
    by_slug = {i.entry.slug: i for i in items}
    assert by_slug["broken"].reasons == ["The address answered 404"]
    assert by_slug["moved"].reasons == ["Now leads to another address"]
    assert by_slug["stale"].reasons == ["Not checked for 90 days"]
    assert by_slug["never"].reasons == ["Never checked"]
    assert fine.slug not in by_slug and broken.pk and moved.pk and stale.pk and never.pk
