"""Development programmes: programmes with cohorts, modules mapped to framework domains,
sessions, participants and their attendance, session feedback (level 1 "reactions" of
evaluation), and groups (action learning sets, mentoring pairs).

Modelled to be aggregated across many organisations: every row a report groups by has an
indexed foreign key to its organisation or programme, and choices are short strings."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from waymark.planning.models import ActivityType

# Seed 001 §11.4: "no module to be longer than three days", "no more than 6 further
# modules", "programme to be planned over a 10 month period".
MAX_MODULE_DAYS = Decimal("3")
MAX_FURTHER_MODULES = 6
PROGRAMME_MONTHS = 10
# Fewer session feedback responses than this are never shown, not even as comments.
MIN_RESPONSES = 5


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")


class Template(models.TextChoices):
    NONE = "", _("No template")
    MODULAR = "modular", _("Introductory module, up to six modules and a final review")
    MONTHLY = "monthly", _("A monthly session per framework domain")


class Programme(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="programmes"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    template = models.CharField(
        _("template"), max_length=10, choices=Template.choices, blank=True, default=""
    )
    framework = models.ForeignKey(
        "frameworks.Framework",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("framework"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "title", "id"]
        indexes = [models.Index(fields=["organisation", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="programme_ends_after_start",
            )
        ]
        verbose_name = _("development programme")

    def __str__(self) -> str:
        return self.title

    @property
    def limits_module_days(self) -> bool:
        return self.template == Template.MODULAR


class Cohort(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(_("name"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        ordering = ["programme", "start_date", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="cohort_unique_name"),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="cohort_ends_after_start",
            ),
        ]
        verbose_name = _("cohort")

    def __str__(self) -> str:
        return self.name

    def covers(self, day: datetime.date) -> bool:
        return self.start_date <= day <= self.end_date


class ModuleKind(models.TextChoices):
    INTRODUCTORY = "intro", _("Introductory module")
    MODULE = "module", _("Module")
    FINAL_REVIEW = "review", _("Final learning review")
    MONTHLY = "monthly", _("Monthly session")


# The type of learning a module's attendance counts as in the CPD record.
KIND_ACTIVITY = {
    ModuleKind.INTRODUCTORY: ActivityType.EXTERNAL_COURSE,
    ModuleKind.MODULE: ActivityType.EXTERNAL_COURSE,
    ModuleKind.FINAL_REVIEW: ActivityType.EXTERNAL_COURSE,
    ModuleKind.MONTHLY: ActivityType.EVENT,
}


class Module(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="modules")
    sequence = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ModuleKind.choices)
    days = models.DecimalField(
        _("length in days"),
        max_digits=3,
        decimal_places=1,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("10"))],
    )
    activity_type = models.CharField(
        _("type of learning in the CPD record"),
        max_length=30,
        choices=ActivityType.choices,
        default=ActivityType.EXTERNAL_COURSE,
    )
    nodes = models.ManyToManyField(
        "frameworks.Node",
        blank=True,
        related_name="programme_modules",
        verbose_name=_("framework domains and competences addressed"),
    )

    class Meta:
        ordering = ["programme", "sequence", "id"]
        verbose_name = _("module")

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="sessions", editable=False
    )
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="sessions")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), max_length=500, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_sessions",
        verbose_name=_("facilitators from the organisation"),
    )
    external_facilitators = models.CharField(_("other facilitators"), max_length=500, blank=True)

    class Meta:
        ordering = ["date", "start_time", "id"]
        indexes = [models.Index(fields=["programme", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="session_ends_after_start",
            )
        ]
        verbose_name = _("session")

    def __str__(self) -> str:
        return f"{self.module} ({self.date:%d %b %Y})"

    @property
    def hours(self) -> Decimal:
        start = datetime.datetime.combine(self.date, self.start_time)
        end = datetime.datetime.combine(self.date, self.end_time)
        minutes = int((end - start).total_seconds() // 60)
        return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01"))

    @property
    def external_names(self) -> list[str]:
        return [n.strip() for n in self.external_facilitators.split(",") if n.strip()]


class Participant(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="participants")
    # Denormalised for reports that count participants across organisations.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="programme_participants",
        editable=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_places"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cohort", "user__full_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="participant_unique")
        ]
        indexes = [models.Index(fields=["organisation", "user"])]
        verbose_name = _("participant")

    def __str__(self) -> str:
        return f"Participant {self.pk}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    APOLOGIES = "apologies", _("Sent apologies")


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    # The shared CPD entry this attendance made; kept apart from the entry's content.
    cpd_entry = models.ForeignKey(
        "cpd.Entry", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set once an entry was made: if the participant later deletes it, it is not remade.
    cpd_entry_made_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="attendance_unique")
        ]
        indexes = [models.Index(fields=["session", "status"])]
        verbose_name = _("attendance")

    def __str__(self) -> str:
        return f"Attendance {self.pk}"


class Score(models.IntegerChoices):
    ONE = 1, _("1: not at all")
    TWO = 2, "2"
    THREE = 3, "3"
    FOUR = 4, "4"
    FIVE = 5, _("5: very much")


class SessionFeedback(models.Model):
    """A participant's reactions to one session. Shown to others only in aggregate: the
    participant link exists so that each person answers once, and is never displayed."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="feedback")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="feedback")
    usefulness = models.PositiveSmallIntegerField(
        _("How useful was the session?"), choices=Score.choices
    )
    met_needs = models.PositiveSmallIntegerField(
        _("How well did it meet your learning needs?"), choices=Score.choices
    )
    will_use = models.TextField(_("What will you use from it in your work?"), blank=True)
    improve = models.TextField(_("What would have made it better?"), blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="feedback_once")
        ]
        verbose_name = _("session feedback")

    def __str__(self) -> str:
        return f"Session feedback {self.pk}"


class GroupKind(models.TextChoices):
    ACTION_LEARNING_SET = "als", _("Action learning set")
    MENTORING_PAIR = "mentoring", _("Mentoring pair")


class GroupRole(models.TextChoices):
    MEMBER = "member", _("Member")
    FACILITATOR = "facilitator", _("Facilitator")
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")


class Group(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="programme_groups"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=GroupKind.choices)
    name = models.CharField(_("name"), max_length=200)
    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="groups",
        verbose_name=_("programme"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "kind", "name", "id"]
        indexes = [models.Index(fields=["organisation", "kind"])]
        verbose_name = _("group")

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_groups"
    )
    role = models.CharField(_("role"), max_length=12, choices=GroupRole.choices)

    class Meta:
        ordering = ["group", "role", "user__full_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="group_member_unique")
        ]
        verbose_name = _("group member")

    def __str__(self) -> str:
        return f"Group member {self.pk}"
