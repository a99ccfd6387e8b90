"""Writes for 360° feedback. Each runs in a transaction and leaves an audit record.

Audit records name the round and the invitation (who was invited is the manager's to
know), never a response: a rater's submission records `submitted_at` on the invitation
and writes a `FeedbackResponse` that carries no trace of it (models.py)."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waymark.core import audit
from waymark.organisations.access import SELF
from waymark.organisations.models import Role
from waymark.profiles.models import Level, SpecCompetence, Specification

from .models import (
    FeedbackAnswer,
    FeedbackResponse,
    FeedbackRound,
    RaterGroup,
    RaterInvitation,
    hash_token,
)

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.organisations.models import Organisation

# Who may run a person's feedback rounds: the person, or her L&D lead or admin for her.
MANAGE_RELATIONS = frozenset({SELF, Role.LD_LEAD.value, Role.ADMIN.value})

MAX_COMMENT = 2000
MAX_NOTE = 1000
DEFAULT_DAYS = 21
MAX_DAYS = 90
MAX_REMINDERS = 3

MESSAGES = {
    "no_pms": gettext_lazy("There is no PMS to ask about yet: set up the PMS first"),
    "no_competences": gettext_lazy("Choose at least one competence to ask about"),
    "foreign_competence": gettext_lazy("Choose competences from the current PMS only"),
    "note_long": gettext_lazy("The note to raters must be 1000 characters or fewer"),
    "closes_past": gettext_lazy("The closing date must be in the future"),
    "closes_far": gettext_lazy("The closing date must be within 90 days"),
    "closed": gettext_lazy("This feedback round is closed"),
    "level": gettext_lazy("Choose one of the levels shown, or “I can't judge this”"),
    "comment_long": gettext_lazy("Comments must be 2000 characters or fewer"),
    "nothing": gettext_lazy(
        "Answer at least one question or write a comment before you send your feedback"
    ),
    "reminders": gettext_lazy("Three reminders have been sent already"),
    "not_live": gettext_lazy("This invitation is no longer open"),
    "one_line_manager": gettext_lazy(
        "A round has one line manager: their answers are shown as theirs. Withdraw the "
        "line manager already invited first, or invite this person in another group"
    ),
}


def _now() -> datetime.datetime:
    return timezone.now()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def rater_url(token: str, site_url: str = "") -> str:
    """The rater's link: absolute when `site_url` (the site's address, as
    request.build_absolute_uri("/") gives it) is known, as it must be in an email."""
    from django.urls import reverse

    return site_url.rstrip("/") + reverse("rater:form", kwargs={"token": token})


# --- rounds --------------------------------------------------------------------------


def round_create(
    *,
    actor: User,
    organisation: Organisation,
    manager: User,
    relations: Iterable[str],
    competence_ids: Sequence[int] | None = None,
    note: str = "",
    closes_on: datetime.date | None = None,
) -> FeedbackRound:
    """Open a feedback round on the manager's current PMS revision, asking about the
    chosen competences (default: all of them)."""
    if not set(relations) & MANAGE_RELATIONS:
        raise PermissionDenied
    spec = (
        Specification.objects.filter(organisation=organisation, manager=manager)
        .select_related("current")
        .first()
    )
    if spec is None or spec.current is None:
        raise ValidationError({"competences": [MESSAGES["no_pms"]]})
    revision = spec.current
    available = {c.pk: c for c in SpecCompetence.objects.filter(revision=revision)}
    errors: dict[str, list[Any]] = {}
    chosen_ids = list(available) if competence_ids is None else list(competence_ids)
    if not chosen_ids:
        errors["competences"] = [MESSAGES["no_competences"]]
    elif any(i not in available for i in chosen_ids):
        errors["competences"] = [MESSAGES["foreign_competence"]]
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        errors["note"] = [MESSAGES["note_long"]]
    today = timezone.localdate()
    closes_on = closes_on or today + datetime.timedelta(days=DEFAULT_DAYS)
    if closes_on <= today:
        errors["closes_on"] = [MESSAGES["closes_past"]]
    elif closes_on > today + datetime.timedelta(days=MAX_DAYS):
        errors["closes_on"] = [MESSAGES["closes_far"]]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        feedback_round = FeedbackRound.objects.create(
            organisation=organisation,
            manager=manager,
            revision=revision,
            note=note,
            closes_on=closes_on,
            created_by=actor,
        )
        feedback_round.competences.set([available[i] for i in chosen_ids])
        audit.record(
            actor=actor,
            action="feedback.round_create",
            obj=feedback_round,
            organisation=organisation,
            summary=f"Opened a feedback round for {manager.email}",
            changes={"competences": len(chosen_ids), "closes_on": closes_on.isoformat()},
        )
    return feedback_round


def round_close(*, actor: User, feedback_round: FeedbackRound) -> FeedbackRound:
    """Close the round: no more answers; its results can now be seen. Links that were
    not used stop working."""
    if feedback_round.closed_at is not None:
        return feedback_round
    with transaction.atomic():
        feedback_round.closed_at = _now()
        feedback_round.save(update_fields=["closed_at"])
        # Drafts never submitted are the raters' own: they go with the round's closing.
        RaterInvitation.objects.filter(round=feedback_round, submitted_at__isnull=True).update(
            draft={}
        )
        audit.record(
            actor=actor,
            action="feedback.round_close",
            obj=feedback_round,
            organisation=feedback_round.organisation,
            summary="Closed a feedback round",
        )
    return feedback_round


def results_seen(*, actor: User, feedback_round: FeedbackRound) -> None:
    """The manager has opened the results of her closed round (not audited: a read)."""
    if (
        feedback_round.closed_at is not None
        and feedback_round.results_seen_at is None
        and actor.pk == feedback_round.manager_id
    ):
        feedback_round.results_seen_at = _now()
        feedback_round.save(update_fields=["results_seen_at"])


# --- invitations ---------------------------------------------------------------------


@dataclass(frozen=True)
class RaterInput:
    group: str
    email: str
    name: str = ""


@dataclass(frozen=True)
class Issued:
    """An invitation with its plain link: the only time the link exists outside the
    rater's email."""

    invitation: RaterInvitation
    url: str


def _expiry(feedback_round: FeedbackRound) -> datetime.datetime:
    end = datetime.datetime.combine(feedback_round.closes_on, datetime.time(23, 59, 59))
    return timezone.make_aware(end) if timezone.is_naive(end) else end


def invitations_create(
    *,
    actor: User,
    feedback_round: FeedbackRound,
    raters: Sequence[RaterInput],
    send: bool = True,
    site_url: str = "",
) -> list[Issued]:
    """Invite raters to an open round, each with a fresh link, and email them (unless
    `send` is false: the manager will pass the link on herself). An email already
    invited (and not revoked) is skipped."""
    if not feedback_round.is_open:
        raise ValidationError(MESSAGES["closed"])
    live_rows = list(
        RaterInvitation.objects.filter(round=feedback_round, revoked_at__isnull=True).values_list(
            "email", "group"
        )
    )
    live = {email for email, _group in live_rows}
    # The line manager's answers are shown openly, as theirs: so one per round, or a
    # manager could single out anyone by inviting them "as line manager".
    line_managers = sum(1 for _e, g in live_rows if g == RaterGroup.LINE_MANAGER) + sum(
        1
        for r in raters
        if r.group == RaterGroup.LINE_MANAGER and r.email.strip().lower() not in live
    )
    if line_managers > 1:
        raise ValidationError({"raters": [MESSAGES["one_line_manager"]]})
    issued: list[Issued] = []
    with transaction.atomic():
        for rater in raters:
            email = rater.email.strip().lower()
            if email in live or rater.group not in RaterGroup.values:
                continue
            live.add(email)
            token = new_token()
            invitation = RaterInvitation.objects.create(
                round=feedback_round,
                group=rater.group,
                email=email,
                name=rater.name.strip()[:200],
                token_hash=hash_token(token),
                expires_at=_expiry(feedback_round),
            )
            issued.append(Issued(invitation=invitation, url=rater_url(token, site_url)))
        if issued:
            audit.record(
                actor=actor,
                action="feedback.invitations_create",
                obj=feedback_round,
                organisation=feedback_round.organisation,
                summary=f"Invited {len(issued)} raters",
                changes={"invitations": [i.invitation.pk for i in issued]},
            )
    if send:
        for item in issued:
            send_invitation(item.invitation, item.url, reminder=False)
    return issued


def invitation_revoke(*, actor: User, invitation: RaterInvitation) -> RaterInvitation:
    if invitation.is_submitted or invitation.is_revoked:
        return invitation
    with transaction.atomic():
        invitation.revoked_at = _now()
        invitation.draft = {}
        invitation.save(update_fields=["revoked_at", "draft"])
        audit.record(
            actor=actor,
            action="feedback.invitation_revoke",
            obj=invitation,
            organisation=invitation.round.organisation,
            summary="Withdrew a rater's invitation",
        )
    return invitation


def _check_live(invitation: RaterInvitation) -> None:
    if (
        invitation.is_submitted
        or invitation.is_revoked
        or invitation.is_expired
        or not invitation.round.is_open
    ):
        raise ValidationError(MESSAGES["not_live"])


def invitation_new_link(*, actor: User, invitation: RaterInvitation, site_url: str = "") -> Issued:
    """Make a new link for the rater (to copy and send another way): only a hash of
    each link is kept, so an old link cannot be shown again. The old link stops
    working; the rater's saved answers stay."""
    _check_live(invitation)
    token = new_token()
    with transaction.atomic():
        invitation.token_hash = hash_token(token)
        invitation.save(update_fields=["token_hash"])
        audit.record(
            actor=actor,
            action="feedback.invitation_new_link",
            obj=invitation,
            organisation=invitation.round.organisation,
            summary="Made a new link for a rater",
        )
    return Issued(invitation=invitation, url=rater_url(token, site_url))


def invitation_remind(*, actor: User, invitation: RaterInvitation, site_url: str = "") -> Issued:
    """Email the rater a reminder with a new link (the old one stops working: only its
    hash was kept). At most three reminders."""
    _check_live(invitation)
    if invitation.reminders_sent >= MAX_REMINDERS:
        raise ValidationError(MESSAGES["reminders"])
    token = new_token()
    with transaction.atomic():
        invitation.token_hash = hash_token(token)
        invitation.reminders_sent += 1
        invitation.save(update_fields=["token_hash", "reminders_sent"])
        audit.record(
            actor=actor,
            action="feedback.invitation_remind",
            obj=invitation,
            organisation=invitation.round.organisation,
            summary="Sent a reminder to a rater",
        )
    url = rater_url(token, site_url)
    send_invitation(invitation, url, reminder=True)
    return Issued(invitation=invitation, url=url)


def send_invitation(invitation: RaterInvitation, url: str, *, reminder: bool) -> None:
    feedback_round = invitation.round
    context = {
        "invitation": invitation,
        "round": feedback_round,
        "manager_name": feedback_round.manager.display_name,
        "organisation": feedback_round.organisation,
        "url": url,
        "reminder": reminder,
        "is_line_manager": invitation.group == RaterGroup.LINE_MANAGER,
        "closes_on": feedback_round.closes_on,
    }
    if reminder:
        subject = _("Reminder: feedback for %(name)s") % {"name": context["manager_name"]}
    else:
        subject = _("%(name)s would value your feedback") % {"name": context["manager_name"]}
    text = render_to_string("feedback/email/invitation.txt", context)
    html = render_to_string("feedback/email/invitation.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=None, to=[invitation.email]
    )
    message.attach_alternative(html, "text/html")
    message.send()
    invitation.last_sent_at = _now()
    invitation.save(update_fields=["last_sent_at"])


# --- the rater's side ------------------------------------------------------------------


@dataclass(frozen=True)
class Answers:
    """What a rater says: a level (or None: "I can't judge this") for each competence
    answered, and two comments."""

    levels: dict[int, int | None]
    strengths: str = ""
    develop: str = ""

    def as_draft(self) -> dict[str, Any]:
        return {
            "levels": {str(k): v for k, v in self.levels.items()},
            "strengths": self.strengths,
            "develop": self.develop,
        }

    @classmethod
    def from_draft(cls, draft: dict[str, Any]) -> Answers:
        levels = {}
        for k, v in (draft.get("levels") or {}).items():
            try:
                levels[int(k)] = None if v is None else int(v)
            except (TypeError, ValueError):
                continue
        return cls(
            levels=levels,
            strengths=str(draft.get("strengths") or ""),
            develop=str(draft.get("develop") or ""),
        )


def asked_node_ids(feedback_round: FeedbackRound) -> set[int]:
    return set(feedback_round.competences.values_list("node_id", flat=True))


def _validate(feedback_round: FeedbackRound, answers: Answers) -> Answers:
    errors: dict[str, list[Any]] = {}
    allowed = asked_node_ids(feedback_round)
    levels = {}
    for node_id, level in answers.levels.items():
        if node_id not in allowed:
            continue  # a question not asked is ignored, never stored
        if level is not None and level not in Level.values:
            errors[f"level_{node_id}"] = [MESSAGES["level"]]
            continue
        levels[node_id] = level
    strengths = (answers.strengths or "").strip()
    develop = (answers.develop or "").strip()
    if len(strengths) > MAX_COMMENT:
        errors["strengths"] = [MESSAGES["comment_long"]]
    if len(develop) > MAX_COMMENT:
        errors["develop"] = [MESSAGES["comment_long"]]
    if errors:
        raise ValidationError(errors)
    return Answers(levels=levels, strengths=strengths, develop=develop)


def rater_save_draft(*, invitation: RaterInvitation, answers: Answers) -> RaterInvitation:
    """Keep the rater's answers so far on their invitation (theirs alone). Not audited:
    the audit trail is read by administrators and would tell them someone started."""
    _check_live(invitation)
    clean = _validate(invitation.round, answers)
    invitation.draft = clean.as_draft()
    invitation.save(update_fields=["draft"])
    return invitation


def rater_submit(*, invitation: RaterInvitation, answers: Answers) -> None:
    """Record the rater's answers as a response with no link to them, mark the
    invitation submitted and delete the draft. A rater must answer at least one
    question (a level, not "can't judge") or write a comment."""
    _check_live(invitation)
    clean = _validate(invitation.round, answers)
    if not any(v is not None for v in clean.levels.values()) and not (
        clean.strengths or clean.develop
    ):
        raise ValidationError({"__all__": [MESSAGES["nothing"]]})
    with transaction.atomic():
        locked = RaterInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.submitted_at is not None:
            raise ValidationError(MESSAGES["not_live"])
        response = FeedbackResponse.objects.create(
            round_id=invitation.round_id,
            group=invitation.group,
            strengths=clean.strengths,
            develop=clean.develop,
        )
        FeedbackAnswer.objects.bulk_create(
            FeedbackAnswer(response=response, node_id=node_id, level=level)
            for node_id, level in sorted(clean.levels.items())
        )
        locked.submitted_at = _now()
        locked.draft = {}
        locked.save(update_fields=["submitted_at", "draft"])
        invitation.submitted_at = locked.submitted_at
        invitation.draft = {}
        audit.record(
            actor=None,
            action="feedback.invitation_submit",
            obj=invitation,
            organisation=invitation.round.organisation,
            summary="A rater sent their feedback",
        )
