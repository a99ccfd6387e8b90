"""Tailoring in the demo story: Brightwater Care puts the Middle Manager framework first
(its domains "Planning and resource management" and "Leading and managing change"
before the others), has two competences of its own mapped to the national outcomes, a
safeguarding policy linked from its intranet, and a welcome on its front page.

Needs the frameworks of `waymark load-standards`; skipped without them. Idempotent:
skipped when Brightwater already has its own competences."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from waymark.accounts.models import User
from waymark.frameworks.models import Framework, Node
from waymark.organisations.models import Organisation

from . import services
from .models import OwnCompetence

ORGANISATION = "brightwater"
LEAD = "lee@brightwater.example"
FRAMEWORK = "middle-manager-llf"
FOCUS_DOMAINS = ("MM4", "MM7")
OWN = [
    # title, statement, national code it maps to, kind
    (
        "The Brightwater welcome",
        "Welcome every new resident and their family with the Brightwater welcome visit, "
        "agreeing with them how they want their care and their day to run.",
        "MM2.01",
        "related",
    ),
    (
        "Daily safety huddle",
        "Lead the daily ten-minute safety huddle with the shift team: who is at risk "
        "today, what has changed, who needs support.",
        "MM3.01",
        "related",
    ),
]
FRONT_PAGE = (
    "<h2>Welcome to Brightwater Care's development pages</h2>"
    "<p>Every manager and senior carer here has a development plan agreed with their "
    "supervisor. Start with <strong>your role profile</strong>, rate yourself, and talk "
    "it through at your next supervision.</p>"
    "<ul><li>Our focus this year: planning and resources, and leading change.</li>"
    "<li>Ask Lee Chen about the leadership programme starting in the spring.</li></ul>"
)


@transaction.atomic
def seed_tailoring(write: Callable[[str], object] = print) -> None:
    org = Organisation.objects.filter(slug=ORGANISATION).first()
    lead = User.objects.filter(email=LEAD).first()
    framework = Framework.objects.public().filter(slug=FRAMEWORK).first()
    if org is None or lead is None:
        write("Tailoring demo skipped: run the demo people first.")
        return
    if framework is None or framework.current_edition is None:
        write("Tailoring demo skipped: load the standards first (waymark load-standards).")
        return
    if OwnCompetence.objects.filter(organisation=org).exists():
        write("Tailoring demo already there.")
        return
    edition = framework.current_edition
    national = {
        n.code: n for n in Node.objects.filter(edition=edition).select_related("edition__framework")
    }
    domains = [national[c] for c in FOCUS_DOMAINS if c in national]
    for d in domains:
        d.edition = edition
    services.focus_set(actor=lead, organisation=org, frameworks=[framework], domains=domains)
    own_domain = services.own_domain_create(
        actor=lead,
        organisation=org,
        title="The Brightwater way",
        statement="How we work at Brightwater Care, beyond the national standards.",
    )
    for title, statement, code, kind in OWN:
        node = services.own_competence_create(
            actor=lead, organisation=org, domain=own_domain, title=title, statement=statement
        )
        target = national.get(code)
        if target is not None:
            services.own_mapping_create(
                actor=lead, organisation=org, node=node, target=target, kind=kind
            )
    services.policy_create(
        actor=lead,
        organisation=org,
        title="Safeguarding adults policy and procedure",
        description="What to do when you are worried about a resident, and who to tell.",
        url="https://brightwater.example/intranet/policies/safeguarding",
        nodes=[n for c in ("MM6.01",) if (n := national.get(c)) is not None],
    )
    services.front_page_set(actor=lead, organisation=org, html=FRONT_PAGE)
    write("Tailoring demo: Brightwater's focus, own competences, a policy and front page text.")
