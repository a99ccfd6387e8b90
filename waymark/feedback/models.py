"""360° feedback: a manager's feedback round on her PMS, the raters invited to it, and
their answers, kept so that nothing joins an answer to the rater who gave it.

- A `RaterInvitation` holds who was invited (email, optional name, group), a *hash* of
  their link's token (the plain link exists only in the email and on the screen the
  moment it is made), its status dates and, until the rater submits, the rater's own
  draft. On submission the draft is wiped and only `submitted_at` remains.
- A `FeedbackResponse` is written at submission with the round and the group only: no
  link to the invitation, no timestamp, and a random UUID key, so neither a foreign key,
  a time nor an id order can join it back to who submitted when.

See docs/feedback.md for the whole design."""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waymark.profiles.models import level_validators


class RaterGroup(models.TextChoices):
    LINE_MANAGER = "line-manager", _("Line manager")
    PEER = "peer", _("Peers")
    STAFF = "staff", _("Staff they manage")
    PARTNER = "partner", _("Partner agencies")
    SERVICE_USER = "service-user", _("People who use services and carers")


class FeedbackRound(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="feedback_rounds"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_rounds"
    )
    revision = models.ForeignKey(
        "profiles.Revision",
        on_delete=models.PROTECT,
        related_name="feedback_rounds",
        help_text=_("The PMS revision the raters are asked about."),
    )
    competences = models.ManyToManyField(
        "profiles.SpecCompetence", related_name="+", verbose_name=_("competences asked about")
    )
    note = models.TextField(_("note to raters"), max_length=1000, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    closes_on = models.DateField(_("raters can answer until"))
    closed_at = models.DateTimeField(null=True, blank=True)
    # When the manager first looked at the results of the closed round.
    results_seen_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["manager", "-opened_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "manager", "closed_at"])]

    def __str__(self) -> str:
        return f"Feedback round for {self.manager} opened {self.opened_at:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


def hash_token(token: str) -> str:
    """What is stored of a rater's link: the SHA-256 of its 256-bit random token. A
    copy of the database gives no working link."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class RaterInvitation(models.Model):
    round = models.ForeignKey(FeedbackRound, on_delete=models.CASCADE, related_name="invitations")
    group = models.CharField(_("group"), max_length=20, choices=RaterGroup.choices)
    email = models.EmailField(_("email address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    # The rater's answers saved part-way: theirs alone, shown on no manager surface,
    # deleted on submission. {"levels": {node_id: level|null}, "strengths", "develop"}.
    draft = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["round", "group", "email", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "email"],
                condition=models.Q(revoked_at__isnull=True),
                name="feedback_invitation_one_live_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_group_display()} invitation ({self.email})"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return not self.is_submitted and self.expires_at <= timezone.now()

    @property
    def status(self) -> str:
        if self.is_submitted:
            return "submitted"
        if self.is_revoked:
            return "revoked"
        if self.is_expired:
            return "expired"
        return "invited"


class FeedbackResponse(models.Model):
    """One rater's submitted answers. Deliberately no link to the invitation and no
    time: see the module docstring."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(FeedbackRound, on_delete=models.CASCADE, related_name="responses")
    group = models.CharField(_("group"), max_length=20, choices=RaterGroup.choices)
    strengths = models.TextField(_("strengths"), blank=True)
    develop = models.TextField(_("what to develop"), blank=True)

    class Meta:
        ordering = ["round", "group", "id"]

    def __str__(self) -> str:
        return f"{self.get_group_display()} response"


class FeedbackAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(FeedbackResponse, on_delete=models.CASCADE, related_name="answers")
    node = models.ForeignKey("frameworks.Node", on_delete=models.PROTECT, related_name="+")
    # None: "I can't judge this".
    level = models.PositiveSmallIntegerField(null=True, blank=True, validators=level_validators)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "node"], name="feedback_answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.node_id}: {self.level if self.level is not None else '-'}"
