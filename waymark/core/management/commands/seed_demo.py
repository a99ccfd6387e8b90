"""`waymark seed-demo`: demo organisations and people, so a newcomer sees Waymark working,
and the brief's story partly done in Brightwater Care (`waymark.core.demo_journey`; it
needs the frameworks of `waymark load-standards`). Idempotent: running it again changes
nothing that is already there."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from waymark.accounts.models import User
from waymark.core.demo_journey import seed_journey
from waymark.evaluation.demo import seed_evaluation
from waymark.feedback.demo import seed_feedback
from waymark.organisations.models import Membership, Organisation, Role, SupportRelationship
from waymark.organisations.services import membership_add, organisation_create, support_add
from waymark.programmes.demo import seed_programmes
from waymark.signposting.demo import seed_signposting
from waymark.supervision.demo import seed_supervision
from waymark.tailoring.demo import seed_tailoring
from waymark.workforce.demo import seed_workforce

DEMO_ORGANISATIONS = [
    # slug, name, sector, size band, region
    ("brightwater", "Brightwater Care", "private", "small", "north-west"),
    ("riverside", "Riverside Council Adult Services", "statutory", "large", "yorkshire-humber"),
]

DEMO_PEOPLE = [
    # email, name, organisation slug, roles
    ("maya@brightwater.example", "Maya Patel", "brightwater", [Role.MANAGER]),
    ("sam@brightwater.example", "Sam Okafor", "brightwater", [Role.SUPERVISOR, Role.MANAGER]),
    ("lee@brightwater.example", "Lee Chen", "brightwater", [Role.LD_LEAD]),
    ("ada@brightwater.example", "Ada Brown", "brightwater", [Role.ADMIN]),
    ("rita@riverside.example", "Rita Singh", "riverside", [Role.MANAGER]),
    ("ravi@riverside.example", "Ravi Jones", "riverside", [Role.LD_LEAD, Role.ADMIN]),
]


DEMO_SUPPORT = [
    # manager, supporter, organisation slug, kind
    ("maya@brightwater.example", "sam@brightwater.example", "brightwater", "supervisor"),
]


class Command(BaseCommand):
    help = "Create the demo organisations and people (safe to run again)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--password",
            default=os.environ.get("WAYMARK_DEMO_PASSWORD", "waymark-demo"),
            help="Password for every demo person (default: WAYMARK_DEMO_PASSWORD or 'waymark-demo').",
        )

    @transaction.atomic
    def handle(self, *args: Any, password: str, **options: Any) -> None:
        orgs: dict[str, Organisation] = {}
        for slug, name, sector, size, region in DEMO_ORGANISATIONS:
            org = Organisation.objects.filter(slug=slug).first()
            orgs[slug] = org or organisation_create(
                actor=None, name=name, slug=slug, sector=sector, size_band=size, region=region
            )
        for email, name, slug, roles in DEMO_PEOPLE:
            held = set(
                Membership.objects.filter(
                    organisation=orgs[slug], user__email__iexact=email
                ).values_list("role", flat=True)
            )
            for role in roles:
                if role.value not in held:  # membership_add records an event every time
                    membership_add(
                        actor=None, organisation=orgs[slug], email=email, role=role, full_name=name
                    )
            self._password(email, name, password)
        people = {u.email: u for u in User.objects.filter(email__in=[p[0] for p in DEMO_PEOPLE])}
        for manager, supporter, slug, kind in DEMO_SUPPORT:
            if not SupportRelationship.objects.filter(
                organisation=orgs[slug],
                manager=people[manager],
                supporter=people[supporter],
                kind=kind,
            ).exists():
                support_add(
                    actor=None,
                    organisation=orgs[slug],
                    manager=people[manager],
                    supporter=people[supporter],
                    kind=kind,
                )
        editor = self._password("eddie@standards.example", "Eddie Walsh", password)
        if not editor.is_standards_editor:
            editor.is_standards_editor = True
            editor.save(update_fields=["is_standards_editor"])
        admin = self._password("admin@waymark.example", "Site Admin", password)
        if not admin.is_superuser:
            admin.is_superuser = admin.is_staff = True
            admin.save(update_fields=["is_superuser", "is_staff"])
        self.stdout.write(
            f"Demo data ready: {len(orgs)} organisations, {User.objects.count()} people."
        )
        seed_journey(write=self.stdout.write)
        seed_signposting(write=self.stdout.write)
        seed_supervision(write=self.stdout.write)
        seed_feedback(write=self.stdout.write)
        seed_programmes(write=self.stdout.write)
        seed_tailoring(write=self.stdout.write)
        seed_workforce(write=self.stdout.write)
        seed_evaluation(write=self.stdout.write)

    def _password(self, email: str, name: str, password: str) -> User:
        user, _ = User.objects.get_or_create(email=email, defaults={"full_name": name})
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        return user
