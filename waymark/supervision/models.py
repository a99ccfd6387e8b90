"""Supervision and appraisal [seed 004 §5]: supervision that is regular, structured and
recorded, with action points that each have a timescale and a named person, a record
circulated to those present and those responsible for an action, and a date on which
the actions are reviewed; and the periodic appraisal that looks back over the PDP and
the CPD record, revises the PMS and agrees the next objectives, signed by both.

An action point is one row for its whole life: it is agreed in one record, carried into
each later record until it is closed, and every review leaves an `ActionEvent`, so its
history shows and it is never copied."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RecordStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINALISED = "finalised", _("Finalised and circulated")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ActionEventKind(models.TextChoices):
    AGREED = "agreed", _("Agreed")
    CARRIED = "carried", _("Carried into the next supervision")
    KEPT_OPEN = "kept-open", _("Kept open")
    REDATED = "redated", _("Due date changed")
    DONE = "done", _("Marked done")
    DROPPED = "dropped", _("Dropped")
    REOPENED = "reopened", _("Opened again")


class SupervisionRecord(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="supervision_records"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supervision_records"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervisions_held"
    )
    date = models.DateField(_("date of the supervision"))
    agenda = models.TextField(_("agenda"), blank=True)
    notes = models.TextField(_("notes of the discussion"), blank=True)
    review_date = models.DateField(_("date the action points will be reviewed"))
    status = models.CharField(
        max_length=20, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["manager", "-date", "-id"]
        indexes = [models.Index(fields=["organisation", "manager", "date"])]
        verbose_name = _("supervision record")

    def __str__(self) -> str:
        # Says nothing of the discussion: this string reaches audit trails and the admin.
        return f"Supervision record {self.pk}"

    @property
    def is_final(self) -> bool:
        return self.status == RecordStatus.FINALISED

    @property
    def review_due(self) -> bool:
        return self.review_date <= timezone.localdate()


class ActionPoint(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supervision_actions"
    )
    record = models.ForeignKey(SupervisionRecord, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("action"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervision_actions_owned",
        verbose_name=_("who will do it"),
    )
    owner_name = models.CharField(_("name of someone outside Waymark"), max_length=200, blank=True)
    due_date = models.DateField(_("by when"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    closed_on = models.DateField(_("done or dropped on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["organisation", "manager", "status", "due_date"])]
        verbose_name = _("action point")

    def __str__(self) -> str:
        return f"Action point {self.pk}"

    @property
    def person_responsible(self) -> str:
        if self.owner_id is not None and self.owner is not None:
            return self.owner.display_name
        return self.owner_name

    @property
    def is_open(self) -> bool:
        return self.status == ActionStatus.OPEN

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.is_open and self.due_date < (today or timezone.localdate())


class ActionEvent(models.Model):
    """One line of an action point's history; "carried" rows tie it to each later record
    it was reviewed in (once per record)."""

    action = models.ForeignKey(ActionPoint, on_delete=models.CASCADE, related_name="events")
    record = models.ForeignKey(
        SupervisionRecord, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=ActionEventKind.choices)
    due_before = models.DateField(null=True, blank=True)
    due_after = models.DateField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["action", "at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "record"],
                condition=models.Q(kind="carried"),
                name="action_carried_once_per_record",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.action_id})"


class Appraisal(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="appraisals"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appraisals"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appraisals_held"
    )
    date = models.DateField(_("date of the appraisal"))
    period_start = models.DateField(_("looking back from"))
    period_end = models.DateField(_("looking back to"))
    discussion = models.TextField(_("what we said about the period"), blank=True)
    pms_revision = models.ForeignKey(
        "profiles.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("PMS revision made at this appraisal"),
    )
    manager_signed_at = models.DateTimeField(null=True, blank=True)
    supervisor_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    supervisor_signed_at = models.DateTimeField(null=True, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["manager", "-date", "-id"]
        indexes = [models.Index(fields=["organisation", "manager", "date"])]
        verbose_name = _("appraisal")

    def __str__(self) -> str:
        return f"Appraisal {self.pk}"

    @property
    def is_locked(self) -> bool:
        return self.manager_signed_at is not None and self.supervisor_signed_at is not None


class AppraisalObjective(models.Model):
    """A next objective agreed at the appraisal; `objective` is the PDP objective it
    became on the manager's plan (made through planning's services)."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(_("objective"), max_length=300)
    specific = models.TextField(_("What exactly will be done or changed?"))
    measure = models.TextField(_("How will we know it has succeeded?"))
    target_date = models.DateField(_("by when"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    objective = models.OneToOneField(
        "planning.Objective",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appraisal_link",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["appraisal", "id"]

    def __str__(self) -> str:
        return self.title
