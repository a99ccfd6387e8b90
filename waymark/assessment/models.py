"""The learning needs audit: self-assessment rounds against a PMS revision. Each round
is kept with its date so progress shows; the gap analysis is computed from the round
and the revision's expected levels (see selectors.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waymark.profiles.models import Level, level_validators


class SelfAssessment(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="self_assessments"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="self_assessments"
    )
    revision = models.ForeignKey(
        "profiles.Revision",
        on_delete=models.PROTECT,
        related_name="self_assessments",
        help_text=_("The PMS revision the manager rated herself against."),
    )
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        ordering = ["manager", "-started_at"]
        indexes = [models.Index(fields=["organisation", "manager", "submitted_at"])]
        constraints = [
            # One round in progress at a time per manager and organisation.
            models.UniqueConstraint(
                fields=["organisation", "manager"],
                condition=models.Q(submitted_at__isnull=True),
                name="assessment_one_open_round",
            )
        ]

    def __str__(self) -> str:
        return f"Self-assessment of {self.manager} started {self.started_at:%d %b %Y}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Rating(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    node = models.ForeignKey("frameworks.Node", on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(
        _("level"), choices=Level.choices, null=True, blank=True, validators=level_validators
    )
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "node"], name="rating_unique")]

    def __str__(self) -> str:
        return f"{self.node_id}: {self.level if self.level is not None else '-'}"
