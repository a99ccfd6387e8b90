"""`waymark export-framework IDENTIFIER --format case|csv|xlsx -o PATH`: write an edition
as a CASE 1.0 JSON package or a spreadsheet. IDENTIFIER is the edition's CFDocument
identifier, or a framework's short name for its current edition."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from waymark.frameworks.interchange.export import EXPORT_FORMATS, export_edition, find_edition


class Command(BaseCommand):
    help = "Export a framework edition as CASE 1.0 JSON, CSV or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "identifier", help="CFDocument identifier, or a framework's short name."
        )
        parser.add_argument("--format", choices=sorted(EXPORT_FORMATS), default="case")
        parser.add_argument(
            "-o", "--output", required=True, help="File to write; - for standard output."
        )
        parser.add_argument(
            "--base-url",
            default="http://localhost:8000",
            help="Scheme and host of this Waymark, for the CASE addresses of objects that have no "
            "URI of their own (default: http://localhost:8000).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        edition = find_edition(options["identifier"])
        if edition is None:
            raise CommandError(
                _(
                    "No edition has the identifier, and no framework the short name, “%(value)s”. "
                    "See `waymark list-frameworks`."
                )
                % {"value": options["identifier"]}
            )
        out = export_edition(edition, options["format"], base_url=options["base_url"].rstrip("/"))
        if options["output"] == "-":
            sys.stdout.buffer.write(out.content)
            sys.stdout.flush()
            return
        Path(options["output"]).write_bytes(out.content)
        self.stdout.write(
            _("Wrote %(title)s (%(edition)s) as %(format)s to %(path)s (%(size)d bytes)")
            % {
                "title": edition.title,
                "edition": edition.version or "-",
                "format": options["format"],
                "path": options["output"],
                "size": len(out.content),
            }
        )
