"""`waymark check-links [--concurrency N] [--timeout S] [--due-only]`: check the web
address of every provider, resource and qualification and record what was found."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from waymark.signposting.linkcheck import DUE_AFTER, check_links


class Command(BaseCommand):
    help = (
        "Check catalogue links concurrently; record status, final address, redirects, error "
        "and date on each entry. Editors see the results at /catalogue/edit/needs-review/."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--concurrency", type=int, default=8, help="Most requests at once (default 8)."
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=10.0,
            help="Seconds to wait for each request (default 10).",
        )
        parser.add_argument(
            "--due-only",
            action="store_true",
            help=f"Only entries never checked or not checked for {DUE_AFTER.days} days.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = check_links(
            concurrency=options["concurrency"],
            timeout=options["timeout"],
            due_only=options["due_only"],
        )
        if int(options.get("verbosity", 1)) > 1:
            for url, r in sorted(summary.results.items()):
                state = r.error or str(r.status)
                hops = " → ".join(f"{h['status']} {h['url']}" for h in r.redirects)
                self.stdout.write(f"{state:<10} {url}" + (f"  ({hops})" if hops else ""))
        self.stdout.write(
            _(
                "Checked %(addresses)d addresses for %(entries)d entries in %(seconds).1f s: "
                "%(ok)d fine, %(redirected)d redirected, %(broken)d broken (4xx/5xx), "
                "%(failed)d no answer."
            )
            % {
                "addresses": summary.addresses,
                "entries": summary.entries,
                "seconds": summary.seconds,
                "ok": summary.ok,
                "redirected": summary.redirected,
                "broken": summary.broken,
                "failed": summary.failed,
            }
        )
