"""`waymark export-record EMAIL --format pdf|json -o PATH [--organisation SLUG]`: a
person's record, for an administrator answering her subject access request."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from waymark.accounts.models import User
from waymark.organisations.models import Organisation
from waymark.records.export import organisations_of, to_json
from waymark.records.record import EVERYTHING
from waymark.records.services import record_data_export, record_pdf_export

HELP = """Write a person's development record, to answer her subject access request.

A subject access request covers ALL of the person's data, so the export includes what
nobody else in Waymark may see: her PRIVATE CPD entries and EVERY reflection. That is
correct: it is the person's own data going to the person. Send it to her only.

--format json: all her data (PMS revisions, self-assessments with ratings, plans with
objectives, activities, milestones and comments, CPD entries with reflections and
evidence file details, memberships and support relationships). Without --organisation
it covers EVERY organisation she has data in.

--format pdf: her record (PMS, latest gap analysis with charts, plan, CPD log with every
reflection) in one organisation. If she has data in more than one, name it with
--organisation.

Each export is written to the audit trail. Exits with 1 and says why for an unknown
email address or organisation, an ambiguous PDF, or a path that cannot be written."""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        from argparse import RawDescriptionHelpFormatter

        kwargs["formatter_class"] = RawDescriptionHelpFormatter
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The person's email address.")
        parser.add_argument("--format", choices=["pdf", "json"], required=True, help="pdf or json.")
        parser.add_argument(
            "-o", "--output", required=True, help="File to write; - for standard output."
        )
        parser.add_argument(
            "--organisation",
            metavar="SLUG",
            help="Only this organisation (its short name in web addresses). Needed for a "
            "PDF when the person has data in several organisations.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip()
        person = User.objects.filter(email__iexact=email).first()
        if person is None:
            raise CommandError(_("Nobody has the email address “%(email)s”.") % {"email": email})
        theirs = organisations_of(person)
        organisations = self._organisations(person, theirs, options["organisation"])
        output = options["output"]
        target = None if output == "-" else self._writable(Path(output))

        if options["format"] == "pdf":
            if len(organisations) != 1:
                raise CommandError(
                    _(
                        "%(email)s has data in %(count)d organisations (%(slugs)s): a PDF "
                        "record is of one; choose it with --organisation SLUG."
                    )
                    % {
                        "email": person.email,
                        "count": len(organisations),
                        "slugs": ", ".join(o.slug for o in organisations),
                    }
                )
            pdf = record_pdf_export(
                actor=None,
                person=person,
                organisation=organisations[0],
                options=EVERYTHING,
                reason="subject-access-request",
            )
            content, summary = pdf.content, _("%(pages)d pages") % {"pages": pdf.pages}
        else:
            content = to_json(
                record_data_export(
                    actor=None,
                    person=person,
                    organisations=organisations,
                    reason="subject-access-request",
                )
            )
            summary = _("%(count)d organisation(s)") % {"count": len(organisations)}

        if target is None:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
            return
        self._write(target, content)
        self.stdout.write(
            _("Wrote the %(format)s record of %(email)s to %(path)s (%(summary)s, %(size)d bytes).")
            % {
                "format": options["format"].upper(),
                "email": person.email,
                "path": target,
                "summary": summary,
                "size": len(content),
            }
        )

    def _organisations(
        self, person: User, theirs: list[Organisation], slug: str | None
    ) -> list[Organisation]:
        if slug is None:
            if not theirs:
                raise CommandError(
                    _("%(email)s has no data in any organisation.") % {"email": person.email}
                )
            return theirs
        chosen = [o for o in theirs if o.slug == slug]
        if chosen:
            return chosen
        if not Organisation.objects.filter(slug=slug).exists():
            raise CommandError(_("There is no organisation “%(slug)s”.") % {"slug": slug})
        raise CommandError(
            _("%(email)s has no data in “%(slug)s”; they have data in: %(slugs)s.")
            % {
                "email": person.email,
                "slug": slug,
                "slugs": ", ".join(o.slug for o in theirs) or _("none"),
            }
        )

    def _writable(self, path: Path) -> Path:
        """Refuse before any work is done if the file cannot be written."""
        path = path.expanduser()
        if path.is_dir():
            raise CommandError(_("%(path)s is a directory: give a file name.") % {"path": path})
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir():
            raise CommandError(_("The folder %(path)s does not exist.") % {"path": parent})
        if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
            raise CommandError(_("Cannot write to %(path)s: permission denied.") % {"path": path})
        return path

    def _write(self, path: Path, content: bytes) -> None:
        """Write whole or not at all: a temporary file beside it, then renamed."""
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".waymark-record-")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(content)
                os.chmod(tmp, 0o600)  # a subject access export is personal data
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as e:
            raise CommandError(
                _("Could not write %(path)s: %(reason)s")
                % {"path": path, "reason": e.strerror or e}
            ) from e
