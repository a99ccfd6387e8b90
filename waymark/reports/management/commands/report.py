"""`waymark report NAME --org SLUG --format json|csv [-o PATH]` (or `--national
[--sector … --size-band … --region …]`): a report with exactly the suppressed figures
of its page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waymark.organisations.models import Organisation, Region, Sector, SizeBand
from waymark.reports import exports
from waymark.reports.registry import ReportScope, get_reports


class Command(BaseCommand):
    help = "Print a report (groups of fewer than 5 people suppressed) as JSON or CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="report name: " + ", ".join(get_reports()))
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--org", help="the organisation's short name (slug)")
        where.add_argument("--national", action="store_true", help="across organisations")
        parser.add_argument("--sector", choices=Sector.values)
        parser.add_argument("--size-band", choices=SizeBand.values)
        parser.add_argument("--region", choices=Region.values)
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("-o", "--output", help="write to this file instead of the screen")

    def handle(self, *args: Any, **options: Any) -> None:
        spec = get_reports().get(options["name"])
        if spec is None:
            raise CommandError(
                f"No report called {options['name']!r}. Reports: {', '.join(get_reports())}."
            )
        if options["national"]:
            if not spec.national:
                raise CommandError(f"The {spec.name} report has no national view.")
            scope = ReportScope(
                organisation=None,
                sector=options["sector"],
                size_band=options["size_band"],
                region=options["region"],
            )
        else:
            if options["sector"] or options["size_band"] or options["region"]:
                raise CommandError("--sector, --size-band and --region go with --national.")
            organisation = Organisation.objects.filter(slug=options["org"]).first()
            if organisation is None:
                raise CommandError(f"No organisation with the short name {options['org']!r}.")
            scope = ReportScope(organisation=organisation)
        report = spec.build(scope)
        if options["format"] == "csv":
            text = exports.to_csv(report)
        else:
            text = json.dumps(exports.to_json(report), indent=2, ensure_ascii=False) + "\n"
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {options['output']}")
        else:
            self.stdout.write(text, ending="")
