"""Test helpers for 360° feedback: a manager with a PMS, a round, raters and answers."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core import mail
from django.utils import timezone

from waymark.accounts.models import User
from waymark.assessment.tests.factories import make_framework, make_pms
from waymark.feedback import services
from waymark.feedback.models import FeedbackRound, RaterInvitation
from waymark.frameworks.models import Node
from waymark.organisations.models import Organisation, SupportRelationship
from waymark.profiles.models import Revision


@dataclass
class Setup:
    org: Organisation
    manager: User
    revision: Revision
    domains: list[Node]
    nodes: list[Node]
    round: FeedbackRound


def make_round(personas: Any, *, prefix: str = "MM", domains: int = 2, outcomes: int = 2,
               note: str = "Tell me about team meetings") -> Setup:  # fmt: skip
    _edition, domain_nodes, nodes = make_framework(prefix, domains=domains, outcomes=outcomes)
    revision = make_pms(personas.manager, personas.org, nodes)
    feedback_round = services.round_create(
        actor=personas.manager,
        organisation=personas.org,
        manager=personas.manager,
        relations={"self"},
        note=note,
    )
    return Setup(personas.org, personas.manager, revision, domain_nodes, nodes, feedback_round)


def supervise(personas: Any) -> SupportRelationship:
    return SupportRelationship.objects.create(
        organisation=personas.org,
        manager=personas.manager,
        supporter=personas.supervisor,
        kind="supervisor",
    )


def invite(setup: Setup, group: str, *emails: str, send: bool = False) -> list[tuple[RaterInvitation, str]]:  # fmt: skip
    """Invite raters; returns each invitation with its token."""
    issued = services.invitations_create(
        actor=setup.manager,
        feedback_round=setup.round,
        raters=[services.RaterInput(group=group, email=e) for e in emails],
        send=send,
    )
    return [(i.invitation, i.url.rstrip("/").rsplit("/", 1)[-1]) for i in issued]


def answer(invitation: RaterInvitation, levels: Sequence[int | None] | dict[int, int | None],
           nodes: Sequence[Node] = (), *, strengths: str = "", develop: str = "") -> None:  # fmt: skip
    if not isinstance(levels, dict):
        levels = {n.pk: lv for n, lv in zip(nodes, levels, strict=True)}
    services.rater_submit(
        invitation=invitation,
        answers=services.Answers(levels=dict(levels), strengths=strengths, develop=develop),
    )


def respond(setup: Setup, group: str, levels: Sequence[Sequence[int | None]],
            comments: Sequence[str] = ()) -> None:  # fmt: skip
    """One rater per item of `levels` in `group`, each answering the round's nodes."""
    base = RaterInvitation.objects.filter(round=setup.round).count()
    pairs = invite(setup, group, *[f"{group}{base + i}@raters.example" for i in range(len(levels))])
    for i, ((inv, _token), lv) in enumerate(zip(pairs, levels, strict=True)):
        answer(inv, lv, setup.nodes, strengths=comments[i] if i < len(comments) else "")


def close(setup: Setup) -> None:
    services.round_close(actor=setup.manager, feedback_round=setup.round)
    setup.round.refresh_from_db()


def tokens_from_outbox() -> list[str]:
    found = []
    for message in mail.outbox:
        m = re.search(r"/rate/([A-Za-z0-9_\-]+)/", str(message.body))
        if m:
            found.append(m.group(1))
    return found


def expire(invitation: RaterInvitation) -> None:
    invitation.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    invitation.save(update_fields=["expires_at"])
