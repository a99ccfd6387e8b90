"""`waymark import-framework PATH`: load one framework file (CASE 1.0 JSON, CSV, XLSX, or
Waymark YAML) all or nothing, and say what was loaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from waymark.frameworks.interchange.files import FORMATS, read_path
from waymark.frameworks.interchange.package import MappingSet
from waymark.frameworks.interchange.problems import InterchangeError
from waymark.frameworks.interchange.services import mapping_set_import, package_import
from waymark.frameworks.models import Origin

from ._interchange import problems_text


class Command(BaseCommand):
    help = (
        "Import a framework from a CASE 1.0 JSON package (.json), a spreadsheet (.csv, .xlsx) "
        "or a Waymark YAML file (.yaml). A bad file imports nothing; every problem is listed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--slug", help="Short name of the framework the edition belongs to.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Update an edition already in Waymark in place (only if nothing else uses its items).",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Refuse departures from CASE 1.0 instead of repairing them with a warning.",
        )
        parser.add_argument(
            "--format", choices=FORMATS, help="Read as this format (default: by extension)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            loaded = read_path(path, lenient=not options["strict"], fmt=options["format"])
            if isinstance(loaded, MappingSet):
                mapped = mapping_set_import(mapping_set=loaded, actor=None)
                self.stdout.write(
                    _(
                        "Mappings “%(title)s”: %(total)d (%(new)d new, %(updated)d updated, %(removed)d removed)"
                    )
                    % {
                        "title": loaded.title,
                        "total": mapped.total,
                        "new": mapped.created,
                        "updated": mapped.updated,
                        "removed": mapped.removed,
                    }
                )
                return
            result = package_import(
                package=loaded,
                actor=None,
                origin=Origin.SHIPPED if loaded.format == "yaml" else Origin.IMPORTED,
                framework_slug=options["slug"],
                replace=options["replace"],
            )
        except InterchangeError as exc:
            raise CommandError(problems_text(exc.problems, str(path))) from exc
        edition = result.edition
        state = (
            _("new edition")
            if result.created
            else (_("updated") if result.changed else _("unchanged"))
        )
        other = _("%(count)d other") % {"count": result.associations}
        if result.unresolved_ends:
            other += _("; %(count)d ends outside Waymark") % {"count": result.unresolved_ends}
        lines = [
            (_("Title:"), edition.title),
            (_("Framework:"), f"{edition.framework.slug} ({state})"),
            (_("Edition:"), edition.version or "-"),
            (_("Identifier:"), str(edition.identifier)),
            (_("Items:"), str(result.items)),
            (
                _("Associations:"),
                _("%(total)d (%(tree)d isChildOf, %(other)s)")
                % {
                    "total": result.tree_associations + result.associations,
                    "tree": result.tree_associations,
                    "other": other,
                },
            ),
            (_("Warnings:"), str(len(result.warnings))),
        ]
        for label, value in lines:
            self.stdout.write(f"{label:<14}{value}")
        for warning in result.warnings:
            self.stdout.write(f"  - {warning}")
