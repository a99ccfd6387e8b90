"""Signposting in the demo story: the shipped starting catalogue, Maya Patel's learning
preferences and one in-house resource of Brightwater Care.

Maya (first line manager, home care, North West) has her largest gaps in leading change
(MM7.02-MM7.04) and in planning and resources (MM4). She says she learns best face to face
or blended, with at most £500 to spend. Brightwater's L&D lead, Lee Chen, has added the
company's own change-briefing workshop to the catalogue, visible only to Brightwater, tagged
to the change outcomes Maya is working on.

Every step is skipped when what it makes is already there, so running `seed-demo` again
changes nothing; a preference Maya has since changed herself is left alone."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.core.management import call_command, get_commands
from django.db import transaction

from waymark.accounts.models import User
from waymark.frameworks.models import Node
from waymark.organisations.models import Organisation
from waymark.signposting.learner_services import learning_preference_save
from waymark.signposting.models import (
    Coverage,
    DeliveryMode,
    LearningPreference,
    Resource,
    ResourceType,
)
from waymark.signposting.services import inhouse_resource_create, resource_tag_set

ORGANISATION = "brightwater"
MAYA = "maya@brightwater.example"
LEE = "lee@brightwater.example"
FRAMEWORK = "middle-manager-llf"

PREFERRED_MODES = [DeliveryMode.FACE_TO_FACE.value, DeliveryMode.BLENDED.value]
MAX_COST = 500
REGIONS = ["north-west"]

INHOUSE_TITLE = "Leading change in home care: Brightwater briefing workshop"
INHOUSE = {
    "title": INHOUSE_TITLE,
    "resource_type": ResourceType.COURSE.value,
    "description": (
        "A half-day workshop run by Brightwater's own training team for its first line "
        "managers: explaining why a change is happening to care workers, planning briefings "
        "so that every shift hears it first hand, and listening for worries and loss as the "
        "change lands. Built around the move to the new care planning system."
    ),
    "url": "",
    "delivery_mode": DeliveryMode.FACE_TO_FACE.value,
    "cost_from": 0,
    "cost_to": 0,
    "cost_note": "Free to Brightwater staff.",
    "hours": Decimal("3.5"),
    "duration": "Half a day",
    "manager_levels": ["first-line"],
}
# (node code, coverage): the change outcomes at the top of Maya's gap analysis.
INHOUSE_TAGS = [
    ("MM7.02", Coverage.MAIN),
    ("MM7.03", Coverage.MAIN),
    ("MM7.04", Coverage.PART),
]


@transaction.atomic
def seed_signposting(*, write: Callable[[str], object] = print) -> bool:
    """Seed the signposting part of the story; returns False (having said why) when it
    cannot yet."""
    nodes = {
        n.code: n
        for n in Node.objects.filter(
            edition__framework__slug=FRAMEWORK, edition__is_current=True
        ).exclude(code="")
    }
    if not nodes:
        write("Signposting demo skipped: run `waymark load-standards` first.")
        return False
    if not Resource.objects.filter(organisation__isnull=True).exists():
        if "load_catalogue" not in get_commands():
            write("Signposting demo: no catalogue loader in this install; catalogue left empty.")
        else:
            call_command("load_catalogue", verbosity=0)
            write("Signposting demo: loaded the shipped starting catalogue.")
    org = Organisation.objects.filter(slug=ORGANISATION).first()
    people = {u.email: u for u in User.objects.filter(email__in=[MAYA, LEE])}
    if org is None or len(people) < 2:
        write("Signposting demo skipped: the Brightwater demo people are missing.")
        return False
    maya, lee = people[MAYA], people[LEE]
    if not LearningPreference.objects.filter(user=maya).exists():
        learning_preference_save(
            actor=maya,
            user=maya,
            preferred_modes=PREFERRED_MODES,
            max_cost=MAX_COST,
            regions=REGIONS,
        )
    if not Resource.objects.filter(organisation=org, title=INHOUSE_TITLE).exists():
        resource = inhouse_resource_create(actor=lee, organisation=org, data=dict(INHOUSE))
        for code, coverage in INHOUSE_TAGS:
            if code in nodes:
                resource_tag_set(actor=lee, resource=resource, node=nodes[code], coverage=coverage)
    write("Signposting demo ready: Maya's learning preferences and Brightwater's own workshop.")
    return True
