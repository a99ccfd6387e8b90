"""360° feedback in the demo story: Maya Patel (Brightwater Care) asked nine people for
feedback on part of her PMS three weeks ago and closed the round last week.

Sam, her line manager, answered (shown as his view); three peers and three staff
answered (each group shown); two carers answered, too few to show even merged, so their
answers are withheld and the results page says why; one partner agency did not answer.

Skipped when Maya already has a feedback round, so running `seed-demo` again changes
nothing. Services make every row; dates are then moved into the past."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from waymark.accounts.models import User
from waymark.organisations.models import Organisation
from waymark.profiles.models import Specification

from . import services
from .models import FeedbackRound, RaterGroup, RaterInvitation

ORGANISATION = "brightwater"
MAYA = "maya@brightwater.example"
SAM = "sam@brightwater.example"
ASKED = 8  # competences asked about: a short form

RATERS: list[tuple[str, str, str, int | None, str, str]] = [
    # group, email, name, shift from the level expected (None: did not answer), comments
    (RaterGroup.LINE_MANAGER, SAM, "Sam Okafor", 0,
     "Maya keeps the team calm when things go wrong and always follows up.",
     "Plan the rota further ahead and share the plan with the team earlier."),
    (RaterGroup.PEER, "priya@brightwater.example", "Priya", 0,
     "Generous with her time when another unit is short.",
     "Speak up more in the managers' meeting: her ideas are good."),
    (RaterGroup.PEER, "tom@brightwater.example", "Tom", -1,
     "Knows every resident and family by name.", ""),
    (RaterGroup.PEER, "ruth@brightwater.example", "Ruth", 0, "",
     "Delegate more of the paperwork so she has time to lead."),
    (RaterGroup.STAFF, "jo@brightwater.example", "Jo", 1,
     "Listens, and does what she says she will.", "Team meetings could be shorter."),
    (RaterGroup.STAFF, "dev@brightwater.example", "Dev", 0,
     "Fair with the rota and the weekends.", ""),
    (RaterGroup.STAFF, "amira@brightwater.example", "Amira", 0, "",
     "Explain changes before they happen, not after."),
    (RaterGroup.SERVICE_USER, "carer.one@example.org", "", 1,
     "She always has time for my mother.", ""),
    (RaterGroup.SERVICE_USER, "carer.two@example.org", "", 0,
     "Kind and clear when we had to talk about end of life care.", ""),
    (RaterGroup.PARTNER, "district.nurses@example.nhs.uk", "District nursing team", None, "", ""),
]  # fmt: skip


@transaction.atomic
def seed_feedback(write: Callable[[str], object] = print) -> None:
    org = Organisation.objects.filter(slug=ORGANISATION).first()
    maya = User.objects.filter(email=MAYA).first()
    if org is None or maya is None:
        write("Feedback demo skipped: run the demo people first.")
        return
    if FeedbackRound.objects.filter(organisation=org, manager=maya).exists():
        write("Feedback demo already there.")
        return
    spec = Specification.objects.filter(organisation=org, manager=maya).first()
    if spec is None or spec.current is None:
        write("Feedback demo skipped: Maya has no PMS yet.")
        return
    competences = list(spec.current.competences.order_by("node__edition_id", "node__path"))[:ASKED]
    feedback_round = services.round_create(
        actor=maya,
        organisation=org,
        manager=maya,
        relations={"self"},
        competence_ids=[c.pk for c in competences],
        note=(
            "I am a year into managing Brightwater's residential unit. I would most like to "
            "know how I lead the team through changes, and how I work with families."
        ),
    )
    issued = services.invitations_create(
        actor=maya,
        feedback_round=feedback_round,
        raters=[services.RaterInput(group=g, email=e, name=n) for g, e, n, *_rest in RATERS],
        send=False,
    )
    by_email = {i.invitation.email: i.invitation for i in issued}
    for index, (_group, email, _name, shift, strengths, develop) in enumerate(RATERS):
        if shift is None:
            continue
        levels: dict[int, int | None] = {}
        for n, c in enumerate(competences):
            if (index + n) % 7 == 6:
                levels[c.node_id] = None  # "I can't judge this"
                continue
            wobble = -1 if (index * 3 + n) % 5 == 0 else 0
            levels[c.node_id] = max(0, min(4, c.expected_level + shift + wobble))
        services.rater_submit(
            invitation=by_email[email],
            answers=services.Answers(levels=levels, strengths=strengths, develop=develop),
        )
    services.round_close(actor=maya, feedback_round=feedback_round)
    now = timezone.now()
    FeedbackRound.objects.filter(pk=feedback_round.pk).update(
        opened_at=now - datetime.timedelta(days=21),
        closes_on=timezone.localdate() - datetime.timedelta(days=7),
        closed_at=now - datetime.timedelta(days=7),
    )
    RaterInvitation.objects.filter(round=feedback_round).update(
        created_at=now - datetime.timedelta(days=21)
    )
    write("Feedback demo: Maya's closed 360° round with 9 answers.")
