"""`waymark import-catalogue PATH [--dry-run]`: check a catalogue file (JSON, YAML or CSV
in the format of docs/catalogue.md) and save it all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from waymark.frameworks.interchange.problems import InterchangeError
from waymark.signposting.interchange import (
    KINDS,
    READ_FORMATS,
    catalogue_import,
    read_catalogue_path,
)


def problems_text(problems: list[Any], source: str) -> str:
    lines = [
        _("Nothing was imported from %(source)s: %(count)d problem(s).")
        % {"source": source, "count": len(problems)}
    ]
    lines += [f"  - {p}" for p in problems]
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Import providers, resources and qualifications from a catalogue file (JSON, YAML "
        "or CSV). A file with any problem imports nothing; every problem is listed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and print counts; write nothing."
        )
        parser.add_argument(
            "--format", choices=READ_FORMATS, help="Read as this format (default: by extension)."
        )
        parser.add_argument(
            "--kind",
            choices=KINDS,
            help="For a CSV file: what its rows are (default: from its columns).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            package = read_catalogue_path(path, fmt=options["format"], kind=options["kind"])
        except InterchangeError as exc:
            raise CommandError(problems_text(exc.problems, str(path))) from exc
        counts = package.counts()
        if options["dry_run"]:
            self.stdout.write(
                _(
                    "%(path)s is ready to import: %(providers)d providers, %(resources)d "
                    "resources, %(qualifications)d qualifications. Nothing was written (dry run)."
                )
                % {"path": path, **counts}
            )
            return
        result = catalogue_import(package=package, actor=None, source=path.name)
        self.stdout.write(
            _("Imported %(path)s: %(summary)s.") % {"path": path, "summary": result.summary()}
        )
