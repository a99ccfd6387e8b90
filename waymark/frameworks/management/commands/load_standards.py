"""`waymark load-standards [--path DIR]`: load every shipped framework file, then every
mapping file. Safe to run again: a file already loaded changes nothing, an edited file
updates its edition in place, and a new `edition:` value adds an edition beside the old."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from waymark.frameworks.interchange.problems import InterchangeError
from waymark.frameworks.interchange.services import mapping_set_import, package_import
from waymark.frameworks.interchange.shipped import (
    DATA_DIR,
    read_framework_yaml,
    read_mapping_yaml,
)
from waymark.frameworks.models import Origin


class Command(BaseCommand):
    help = "Load the shipped frameworks and mappings (waymark/frameworks/data); safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--path",
            type=Path,
            default=DATA_DIR,
            help="Folder holding frameworks/ and mappings/ (default: the shipped data).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        root: Path = options["path"]
        frameworks = sorted((root / "frameworks").glob("*.yaml"))
        mappings = sorted((root / "mappings").glob("*.yaml"))
        if not frameworks and not mappings:
            raise CommandError(
                _("No YAML files in %(root)s/frameworks or %(root)s/mappings.") % {"root": root}
            )
        failed: list[str] = []
        quiet = int(options.get("verbosity", 1)) == 0
        for path in frameworks:
            label = f"{path.parent.name}/{path.name}"
            try:
                result = package_import(
                    package=read_framework_yaml(path.read_bytes(), name=path.name),
                    actor=None,
                    origin=Origin.SHIPPED,
                )
            except InterchangeError as exc:
                failed.append(label)
                self.stderr.write(_("%(file)s: not loaded") % {"file": label})
                for p in exc.problems:
                    self.stderr.write(f"  - {p}")
                continue
            state = (
                _("new edition")
                if result.created
                else (_("updated") if result.changed else _("unchanged"))
            )
            if not quiet:
                self.stdout.write(
                    _("%(file)s: %(state)s, %(slug)s %(edition)s (%(items)d items)")
                    % {
                        "file": label,
                        "state": state,
                        "slug": result.edition.framework.slug,
                        "edition": result.edition.version,
                        "items": result.items,
                    }
                )
        for path in mappings:
            label = f"{path.parent.name}/{path.name}"
            try:
                mapped = mapping_set_import(
                    mapping_set=read_mapping_yaml(path.read_bytes(), name=path.name), actor=None
                )
            except InterchangeError as exc:
                failed.append(label)
                self.stderr.write(_("%(file)s: not loaded") % {"file": label})
                for p in exc.problems:
                    self.stderr.write(f"  - {p}")
                continue
            changed = mapped.created or mapped.updated or mapped.removed
            state = (
                _("%(new)d new, %(updated)d updated, %(removed)d removed")
                % {"new": mapped.created, "updated": mapped.updated, "removed": mapped.removed}
                if changed
                else _("unchanged")
            )
            if not quiet:
                self.stdout.write(
                    _("%(file)s: %(state)s (%(total)d mappings)")
                    % {"file": label, "state": state, "total": mapped.total}
                )
        if failed:
            raise CommandError(
                _("%(count)d file(s) not loaded: %(files)s")
                % {"count": len(failed), "files": ", ".join(failed)}
            )
