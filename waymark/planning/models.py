"""The personal development plan: objectives linked to gaps, each SMART, at one of the
seeds' three levels, with planned learning, milestones and status; a SWOT; the guided
route through the five stages of self-directed learning; the supervisor's comments
and agreement."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanLevel(models.TextChoices):
    BASICS = "basics", _("Organisational basics (induction and foundation)")
    QUALIFICATIONS = "qualifications", _("Required qualifications")
    OTHER = "other", _("Other learning")


class Route(models.TextChoices):
    GUIDED = "guided", _("Guided: the five stages of self-directed learning")
    OUTCOMES = "outcomes", _("Outcome by outcome: working through every competence in turn")


class ObjectiveStatus(models.TextChoices):
    NOT_STARTED = "not-started", _("Not started")
    IN_PROGRESS = "in-progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class ActivityType(models.TextChoices):
    WORK_BASED = "work-based", _("Work-based learning")
    ACTION_LEARNING = "action-learning", _("Action learning")
    NETWORKING = "networking", _("Networking")
    MENTORING = "mentoring", _("Mentoring")
    COACHING = "coaching", _("Coaching")
    SHADOWING = "shadowing", _("Shadowing")
    SECONDMENT = "secondment", _("Secondment")
    E_LEARNING = "e-learning", _("E-learning")
    EVENT = "event", _("Event")
    EXTERNAL_COURSE = "external-course", _("External course")
    FORMAL_STUDY = "formal-study", _("Formal study")


class Plan(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="plans"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plans"
    )
    title = models.CharField(_("title"), max_length=200, default=_("My development plan"))
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("to"), null=True, blank=True)
    route = models.CharField(
        _("route"), max_length=20, choices=Route.choices, default=Route.OUTCOMES
    )
    # The guided route's five stages [seed 000 §4.4].
    ideal_self = models.TextField(_("Ideal self: who do I want to be as a leader?"), blank=True)
    real_self = models.TextField(_("Real self: where am I now, my strengths and gaps?"), blank=True)
    learning_agenda = models.TextField(_("Learning agenda: what will I work on?"), blank=True)
    practice = models.TextField(_("Practice: how will I try new ways in my work?"), blank=True)
    supportive_relationships = models.TextField(
        _("Supportive relationships: who will help me?"), blank=True
    )
    strengths = models.TextField(_("Strengths"), blank=True)
    weaknesses = models.TextField(_("Weaknesses"), blank=True)
    opportunities = models.TextField(_("Opportunities"), blank=True)
    threats = models.TextField(_("Threats"), blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    # When the manager last changed what the plan says (its details, stages, SWOT, or
    # any objective, activity or milestone). Progress (an objective in progress or
    # achieved, a milestone done) and comments do not count. Compared with `agreed_at`
    # to show "changed since agreed"; `updated_at` cannot serve, since agreeing saves too.
    changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["manager", "-created_at"]
        indexes = [models.Index(fields=["organisation", "manager", "created_at"])]

    def __str__(self) -> str:
        return f"{self.title} — {self.manager}"

    @property
    def is_agreed(self) -> bool:
        return self.agreed_at is not None

    @property
    def changed_since_agreed(self) -> bool:
        return (
            self.agreed_at is not None
            and self.changed_at is not None
            and self.changed_at > self.agreed_at
        )

    @property
    def needs_agreement(self) -> bool:
        """Never agreed, or changed by the manager since it was."""
        return self.agreed_at is None or self.changed_since_agreed


class Objective(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    level = models.CharField(
        _("level of the plan"), max_length=20, choices=PlanLevel.choices, default=PlanLevel.OTHER
    )
    title = models.CharField(_("objective"), max_length=300)
    specific = models.TextField(_("What exactly will I do or change?"))
    measure = models.TextField(_("How will I and others know I have succeeded?"))
    achievable = models.TextField(_("How will I make it achievable?"), blank=True)
    relevant = models.TextField(_("Why does it matter to people who use services?"), blank=True)
    target_date = models.DateField(_("by when"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ObjectiveStatus.choices,
        default=ObjectiveStatus.NOT_STARTED,
    )
    support_needed = models.TextField(_("support needed"), blank=True)
    nodes = models.ManyToManyField(
        "frameworks.Node", blank=True, related_name="+", verbose_name=_("competences")
    )
    sequence = models.PositiveIntegerField(default=0)
    # The PMS item (induction or foundation basic, required qualification) the objective
    # was started from, so that seeding again adds only what is new.
    seeded_from = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the manager last changed what the objective says (see Plan.changed_at).
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "level", "sequence", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_smart_complete(self) -> bool:
        """Whether every SMART part is written (seeded objectives start with gaps)."""
        return all((self.title, self.specific, self.measure, self.achievable, self.relevant))


class Activity(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="activities")
    activity_type = models.CharField(
        _("type of learning"), max_length=30, choices=ActivityType.choices
    )
    description = models.CharField(_("what"), max_length=500)
    planned_date = models.DateField(_("when"), null=True, blank=True)
    # The catalogue entry this learning was chosen from ("add to my plan"), if any.
    resource = models.ForeignKey(
        "signposting.Resource",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("learning resource"),
    )

    class Meta:
        ordering = ["objective", "planned_date", "id"]
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return f"{self.get_activity_type_display()}: {self.description}"


class Milestone(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=300)
    due_date = models.DateField(_("date"))
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["objective", "due_date", "id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_date:%d %b %Y})"


class PlanComment(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "created_at"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.plan}"
