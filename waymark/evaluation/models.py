"""Evaluation of leadership and management development at five levels (seed 003 §11,
tables 11 and 13), and the organisation's action plans (table 12).

An Evaluation is about a development programme, one of its modules, one manager's
planned learning activity, or the organisation as a whole. An evaluation with a
`manager` is that manager's own (individual) evaluation; without one it is the
organisation's. Levels: 1 reactions, 2 the learning (computed from self-assessment
rounds, see selectors.py), 3 application (a supervisor's re-rating and the manager's
own account), 4 organisation (indicators with dated values), 5 stakeholders."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waymark.profiles.models import Level, level_validators


class EvaluationKind(models.TextChoices):
    FORMATIVE = "formative", _("Formative: continuous feedback during the work")
    SUMMATIVE = "summative", _("Summative: done on completion")


class Purpose(models.TextChoices):
    PROVING = "proving", _("Proving: were targets and indicators met?")
    IMPROVING = "improving", _("Improving: what have we learnt?")


class EvaluationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in-progress", _("In progress")
    COMPLETE = "complete", _("Complete")


class Evaluation(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="evaluations"
    )
    title = models.CharField(_("title"), max_length=200)
    # The manager whose individual evaluation this is; empty for the organisation's.
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("programme"),
    )
    module = models.ForeignKey(
        "programmes.Module",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("module"),
    )
    activity = models.ForeignKey(
        "planning.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evaluations",
        verbose_name=_("learning activity"),
    )
    kind = models.CharField(_("type of evaluation"), max_length=10, choices=EvaluationKind.choices)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.PLANNED,
    )
    # Level 2: the date from which a completed self-assessment round counts as "after";
    # empty: the programme's end (or the period's end).
    learning_after = models.DateField(
        _("count assessment rounds completed from"), null=True, blank=True
    )
    # Level 1 for an individual: the manager's own reaction.
    reaction_rating = models.PositiveSmallIntegerField(
        _("How useful was the learning? (1 to 5)"), null=True, blank=True
    )
    reaction_comment = models.TextField(_("Your reaction to the learning"), blank=True)
    # Level 3: the manager's own account of applying the learning.
    manager_account = models.TextField(
        _("How have you applied the learning in your work?"), blank=True
    )
    findings_reactions = models.TextField(_("Findings: level 1, reactions"), blank=True)
    findings_learning = models.TextField(_("Findings: level 2, the learning"), blank=True)
    findings_application = models.TextField(_("Findings: level 3, application"), blank=True)
    findings_organisation = models.TextField(_("Findings: level 4, the organisation"), blank=True)
    findings_stakeholders = models.TextField(_("Findings: level 5, stakeholders"), blank=True)
    indicators: models.ManyToManyField[Indicator, Any] = models.ManyToManyField(
        "Indicator",
        blank=True,
        related_name="evaluations",
        verbose_name=_("organisation indicators (level 4)"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_end", "title", "id"]
        indexes = [
            models.Index(fields=["organisation", "manager"]),
            models.Index(fields=["organisation", "programme"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="evaluation_period_in_order",
            )
        ]
        verbose_name = _("evaluation")

    def __str__(self) -> str:
        return self.title

    @property
    def is_individual(self) -> bool:
        return self.manager_id is not None

    @property
    def subject_label(self) -> str:
        if self.module_id:
            return str(_("Module: %(m)s") % {"m": self.module})
        if self.programme_id:
            return str(_("Programme: %(p)s") % {"p": self.programme})
        if self.activity_id:
            return str(_("Learning activity: %(a)s") % {"a": self.activity})
        return str(_("The organisation as a whole"))


class ApplicationRating(models.Model):
    """Level 3: a supervisor's re-rating of one competence for a manager, some months
    after the learning."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="application_ratings"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rated_on = models.DateField(_("rated on"))
    node = models.ForeignKey("frameworks.Node", on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(
        _("level"), choices=Level.choices, validators=level_validators
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "manager", "node"], name="application_rating_once"
            )
        ]

    def __str__(self) -> str:
        return f"Application rating {self.pk}"


class Direction(models.TextChoices):
    UP = "up", _("Higher is better")
    DOWN = "down", _("Lower is better")


class Indicator(models.Model):
    """Level 4: something the organisation measures over time."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("For example, %"))
    direction = models.CharField(
        _("which way is better"), max_length=4, choices=Direction.choices, default=Direction.UP
    )
    target = models.DecimalField(
        _("target"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="indicator_unique_name")
        ]
        verbose_name = _("indicator")

    def __str__(self) -> str:
        return self.name

    def meets_target(self, value: Any) -> bool | None:
        if self.target is None or value is None:
            return None
        if self.direction == Direction.UP:
            return bool(value >= self.target)
        return bool(value <= self.target)


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["indicator", "date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "date"], name="indicator_value_once")
        ]
        verbose_name = _("indicator value")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} on {self.date}"


class StakeholderGroup(models.TextChoices):
    PARTNER = "partner", _("Partner agencies")
    SERVICE_USER = "service-user", _("People who use services")
    CARER = "carer", _("Carers")
    OTHER = "other", _("Other stakeholders")


class StakeholderView(models.Model):
    """Level 5: a recorded view of a group of stakeholders (no personal names)."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="stakeholder_views"
    )
    group = models.CharField(_("whose views"), max_length=15, choices=StakeholderGroup.choices)
    date = models.DateField(_("date"))
    summary = models.TextField(_("summary of the views"))
    rating = models.PositiveSmallIntegerField(_("overall rating (1 to 5)"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=200, help_text=_("For example, a survey or a meeting")
    )

    class Meta:
        ordering = ["evaluation", "date", "id"]
        verbose_name = _("stakeholder view")

    def __str__(self) -> str:
        return f"Stakeholder view {self.pk}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    COMPLETE = "complete", _("Complete")


class ActionPlan(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="action_plans"
    )
    title = models.CharField(_("title"), max_length=200)
    aims = models.TextField(_("agreed aims"), blank=True)
    start_date = models.DateField(_("start date"))
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    reports_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reports to (a member)"),
    )
    reports_to_text = models.CharField(
        _("reports to (anyone else)"),
        max_length=200,
        blank=True,
        help_text=_("For example, the senior management team"),
    )
    evaluations = models.ManyToManyField(
        Evaluation, blank=True, related_name="action_plans", verbose_name=_("evaluations")
    )
    # Names from waymark.reports.registry.REPORTS.
    report_names = models.JSONField(_("reports"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "-start_date", "title", "id"]
        verbose_name = _("action plan")

    def __str__(self) -> str:
        return self.title

    @property
    def reporting_line(self) -> str:
        if self.reports_to_id and self.reports_to is not None:
            return self.reports_to.display_name
        return self.reports_to_text


class ObjectiveStatus(models.TextChoices):
    NOT_STARTED = "not-started", _("Not started")
    ON_TRACK = "on-track", _("On track")
    AT_RISK = "at-risk", _("At risk")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


DONE = (ObjectiveStatus.ACHIEVED.value, ObjectiveStatus.DROPPED.value)


class ActionPlanObjective(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="objectives")
    objective = models.CharField(_("objective"), max_length=500)
    performance_indicator = models.CharField(_("indicator of success"), max_length=500, blank=True)
    indicator = models.ForeignKey(
        Indicator,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="objectives",
        verbose_name=_("organisation indicator"),
    )
    target = models.CharField(_("target"), max_length=200, blank=True)
    target_value = models.DecimalField(
        _("target value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    due_date = models.DateField(_("timescale: due by"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("responsible (a member)"),
    )
    responsible_text = models.CharField(_("responsible (anyone else)"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ObjectiveStatus.choices,
        default=ObjectiveStatus.NOT_STARTED,
    )

    class Meta:
        ordering = ["plan", "due_date", "id"]
        verbose_name = _("action plan objective")

    def __str__(self) -> str:
        return self.objective

    @property
    def responsibility(self) -> str:
        if self.responsible_id and self.responsible is not None:
            return self.responsible.display_name
        return self.responsible_text

    def is_overdue(self, today: Any) -> bool:
        return self.status not in DONE and bool(self.due_date < today)


class ProgressUpdate(models.Model):
    objective = models.ForeignKey(
        ActionPlanObjective, on_delete=models.CASCADE, related_name="updates"
    )
    date = models.DateField(_("date"))
    note = models.TextField(_("progress"))
    status = models.CharField(
        _("new status"), max_length=12, choices=ObjectiveStatus.choices, blank=True
    )
    value = models.DecimalField(
        _("value towards the target"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["objective", "-date", "-id"]
        verbose_name = _("progress update")

    def __str__(self) -> str:
        return f"Progress update {self.pk}"
