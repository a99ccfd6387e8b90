"""`waymark list-frameworks [--json]`: every edition in the standards database."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Count
from django.utils.translation import gettext as _

from waymark.frameworks.models import Edition


class Command(BaseCommand):
    help = "List framework editions: identifier, short name, title, edition and number of items."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="One JSON list instead of a table.")

    def handle(self, *args: Any, **options: Any) -> None:
        editions = (
            Edition.objects.public()
            .select_related("framework")
            .annotate(item_count=Count("nodes"))
            .order_by("framework__slug", "-is_current", "-publication_date", "-id")
        )
        rows: list[dict[str, Any]] = [
            {
                "identifier": str(e.identifier),
                "slug": e.framework.slug,
                "title": e.title,
                "edition": e.version,
                "items": e.item_count,
                "current": e.is_current,
                "origin": e.origin,
            }
            for e in editions
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write(
                _("No frameworks yet: run `waymark load-standards` or `waymark import-framework`.")
            )
            return
        slug_w = max(len(r["slug"]) for r in rows)
        ed_w = max(max(len(r["edition"]) for r in rows), 7)
        self.stdout.write(
            f"{'identifier':36}  {'slug':{slug_w}}  {'edition':{ed_w}}  {'items':>5}  title"
        )
        for r in rows:
            mark = "" if r["current"] else "  " + _("(not current)")
            self.stdout.write(
                f"{r['identifier']:36}  {r['slug']:{slug_w}}  {r['edition']:{ed_w}}  {r['items']:>5}  {r['title']}{mark}"
            )
