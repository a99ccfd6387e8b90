"""`waymark signpost (--email EMAIL [--org SLUG] | --need TEXT | --node CODE ... [--framework
SLUG]) [--limit N] [--json]`: ranked learning options with their reasons, from a manager's
latest gap analysis, from free text, or from chosen framework items. `--json` prints the
same data as the API (a list of `match_to_dict`)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from waymark.accounts.models import User
from waymark.frameworks.models import Node
from waymark.organisations.models import Membership, Organisation

from ...matching import (
    Match,
    Need,
    match,
    match_to_dict,
    needs_from_nodes,
    signpost_person,
)
from ...models import DeliveryMode, ResourceType

DEFAULT_FRAMEWORK = "middle-manager-llf"


class Command(BaseCommand):
    help = "Signpost learning options for a manager's gaps, for free text or for chosen items."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", help="The manager: her latest completed self-assessment.")
        parser.add_argument(
            "--org", help="Organisation short name (needed if she belongs to several)."
        )
        parser.add_argument("--need", default="", help="A learning need in your own words.")
        parser.add_argument(
            "--node",
            action="append",
            default=[],
            metavar="CODE",
            help="A framework item code, e.g. MM3.02 (repeat for more).",
        )
        parser.add_argument(
            "--framework",
            default=DEFAULT_FRAMEWORK,
            help=f"Framework of the --node codes (default {DEFAULT_FRAMEWORK}).",
        )
        parser.add_argument("--limit", type=int, default=10, help="How many options (default 10).")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of text.")

    def handle(self, *args: Any, **options: Any) -> None:
        email: str | None = options["email"]
        text: str = (options["need"] or "").strip()
        codes: list[str] = options["node"]
        limit: int = options["limit"]
        if limit < 1:
            raise CommandError(_("--limit must be 1 or more."))
        if not (email or text or codes):
            raise CommandError(_("Give --email, --need or at least one --node."))
        if email and codes:
            raise CommandError(_("Give either --email or --node, not both."))
        organisation = self._organisation(options["org"], email)
        needs: list[Need]
        matches: list[Match]
        if email:
            person = User.objects.filter(email__iexact=email).first()
            if person is None:
                raise CommandError(_("No one has the email address %(email)s.") % {"email": email})
            assert organisation is not None
            needs, matches = signpost_person(
                person=person, organisation=organisation, text=text, limit=limit
            )
            if not needs and not text:
                self.stderr.write(
                    _(
                        "%(email)s has no completed self-assessment with gaps in %(org)s, "
                        "so there is nothing to signpost."
                    )
                    % {"email": email, "org": organisation.name}
                )
        else:
            needs = needs_from_nodes(self._nodes(codes, options["framework"])) if codes else []
            matches = match(needs=needs, text=text, organisation=organisation, limit=limit)
        if options["json"]:
            self.stdout.write(json.dumps([match_to_dict(m) for m in matches], indent=2))
            return
        self._print(needs, matches)

    def _organisation(self, slug: str | None, email: str | None) -> Organisation | None:
        if slug:
            org = Organisation.objects.filter(slug=slug).first()
            if org is None:
                raise CommandError(
                    _("No organisation has the short name %(slug)s.") % {"slug": slug}
                )
            return org
        if not email:
            return None  # the public catalogue only
        orgs = list(
            Organisation.objects.filter(
                pk__in=Membership.objects.filter(user__email__iexact=email).values(
                    "organisation_id"
                )
            )
        )
        if len(orgs) == 1:
            return orgs[0]
        if not orgs:
            raise CommandError(
                _("%(email)s belongs to no organisation: check the address.") % {"email": email}
            )
        raise CommandError(
            _("%(email)s belongs to several organisations: choose one with --org (%(slugs)s).")
            % {"email": email, "slugs": ", ".join(o.slug for o in orgs)}
        )

    def _nodes(self, codes: list[str], framework: str) -> list[Node]:
        found = {
            n.code.lower(): n
            for n in Node.objects.filter(
                edition__framework__slug=framework,
                edition__is_current=True,
                code__in={*codes, *(c.upper() for c in codes)},
            ).select_related("edition__framework")
        }
        missing = [c for c in codes if c.lower() not in found]
        if missing:
            raise CommandError(
                _("No item %(codes)s in the current edition of %(framework)s.")
                % {"codes": ", ".join(missing), "framework": framework}
            )
        return [found[c.lower()] for c in codes]

    def _print(self, needs: list[Need], matches: list[Match]) -> None:
        if needs:
            self.stdout.write(_("Needs:"))
            for n in needs:
                self.stdout.write(f"  - {n.label}")
            self.stdout.write("")
        if not matches:
            self.stdout.write(_("No learning options found."))
            return
        for i, m in enumerate(matches, start=1):
            r = m.resource
            kind = (
                ResourceType(r.resource_type).label
                if r.resource_type in ResourceType.values
                else ""
            )
            mode = (
                DeliveryMode(r.delivery_mode).label
                if r.delivery_mode in DeliveryMode.values
                else ""
            )
            provider = f" — {r.provider.name}" if r.provider else ""
            self.stdout.write(f"{i}. {r.title}{provider}")
            self.stdout.write(f"   {kind}, {mode} · {_('score')} {m.score:.3f}")
            for reason in m.reasons:
                self.stdout.write(f"   - {reason}")
            if r.url:
                self.stdout.write(f"   {r.url}")
