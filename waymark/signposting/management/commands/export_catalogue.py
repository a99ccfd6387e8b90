"""`waymark export-catalogue --format json|csv [--kind K] -o PATH`: the public catalogue
(never an organisation's in-house entries) in the format of docs/catalogue.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from waymark.signposting.interchange import KINDS, export_csv, export_document, export_json


class Command(BaseCommand):
    help = (
        "Export the public catalogue as one JSON file, or as CSV: one file per kind "
        "(--kind resources|providers|qualifications; default resources)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=("json", "csv"), default="json")
        parser.add_argument(
            "--kind", choices=KINDS, default="resources", help="For CSV: which kind of entry."
        )
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            required=True,
            help="File to write ('-' for standard output).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        document = export_document()
        if options["format"] == "json":
            text = export_json(document)
            count = sum(len(document[k]) for k in KINDS)
        else:
            text = export_csv(options["kind"], document)
            count = len(document[options["kind"]])
        output: Path = options["output"]
        if str(output) == "-":
            self.stdout.write(text, ending="")
            return
        try:
            output.write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(path)s: %(reason)s") % {"path": output, "reason": exc}
            ) from exc
        self.stdout.write(
            _("Wrote %(count)d entries to %(path)s.") % {"count": count, "path": output}
        )
