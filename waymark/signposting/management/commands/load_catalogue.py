"""`waymark load-catalogue [--path DIR]`: load the shipped starting catalogue
(waymark/signposting/data/*.yaml) through the same checks as import-catalogue. Safe to
run again: entries are matched by slug, and an unchanged file changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from waymark.frameworks.interchange.problems import InterchangeError
from waymark.signposting.interchange import (
    KINDS,
    CataloguePackage,
    catalogue_import,
    read_catalogue_path,
)

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


def _provider_slugs(files: list[Path]) -> set[str]:
    """Provider slugs defined anywhere among the files, so that a resource in one file
    may name a provider in another (a file that cannot be read is reported later)."""
    slugs: set[str] = set()
    for path in files:
        try:
            raw = yaml.safe_load(path.read_bytes())
        except (yaml.YAMLError, OSError):
            continue
        if isinstance(raw, dict) and isinstance(raw.get("providers"), list):
            slugs |= {
                str(p["slug"]) for p in raw["providers"] if isinstance(p, dict) and p.get("slug")
            }
    return slugs


class Command(BaseCommand):
    help = "Load the shipped starting catalogue (waymark/signposting/data); safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--path", type=Path, default=DATA_DIR, help="Folder of catalogue YAML/JSON files."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        root: Path = options["path"]
        files = sorted([*root.glob("*.yaml"), *root.glob("*.yml"), *root.glob("*.json")])
        if not files:
            raise CommandError(_("No catalogue files in %(root)s.") % {"root": root})
        # Every file is checked before any is saved, and all are saved in one go, so a
        # provider in one file can be named by resources in another.
        package = CataloguePackage()
        failed: list[str] = []
        providers = _provider_slugs(files)
        places: dict[tuple[str, str], str] = {}
        for path in files:
            try:
                part = read_catalogue_path(path, known_providers=providers)
            except InterchangeError as exc:
                failed.append(path.name)
                self.stderr.write(_("%(file)s: not loaded") % {"file": path.name})
                for p in exc.problems:
                    self.stderr.write(f"  - {p}")
                continue
            twice = False
            for kind in KINDS:
                for entry in getattr(part, kind):
                    here = f"{path.name} {entry.where}"
                    other = places.setdefault((kind, entry.slug), here)
                    if other != here:
                        twice = True
                        self.stderr.write(
                            _("%(here)s: the short name %(slug)s is also used at %(other)s")
                            % {"here": here, "slug": entry.slug, "other": other}
                        )
            if twice:
                failed.append(path.name)
                continue
            package.providers += part.providers
            package.resources += part.resources
            package.qualifications += part.qualifications
        if failed:
            raise CommandError(
                _("%(count)d file(s) have problems, so nothing was loaded: %(files)s")
                % {"count": len(failed), "files": ", ".join(failed)}
            )
        try:
            result = catalogue_import(package=package, actor=None, source=root.name)
        except InterchangeError as exc:
            raise CommandError("\n".join(str(p) for p in exc.problems)) from exc
        if int(options.get("verbosity", 1)) > 0:
            self.stdout.write(_("Catalogue: %(summary)s.") % {"summary": result.summary()})
