"""The CPD record: learning log entries with reflections and evidence. Private by
default: an entry is seen by its manager only, unless she shares it with her
supervisor or mentor; a supervisor can confirm a shared entry."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from waymark.planning.models import ActivityType

# Hours of one entry: more than nothing, at most a long formal course.
MAX_HOURS = Decimal("1000")
# One SCQF credit point is ten notional hours of learning [seed 000 §2.11].
HOURS_PER_CREDIT = Decimal("10")
REFLECTION_FIELDS = ("what_happened", "what_learnt", "how_use", "difference")


def plain_hours(hours: Decimal | int | float | None) -> str:
    """Hours without trailing zeros, as typed: "25", "1.5", "0.25"."""
    if hours is None:
        return ""
    return f"{Decimal(str(hours)).normalize():f}"


def scqf_credits(hours: Decimal | int | float | None) -> Decimal:
    """SCQF credit points for `hours` of learning, to one decimal place."""
    if not hours:
        return Decimal("0.0")
    return (Decimal(str(hours)) / HOURS_PER_CREDIT).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Private: only me")
    SUPPORTERS = "supporters", _("Shared with my supervisor and mentors")


class Entry(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="cpd_entries"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cpd_entries"
    )
    date = models.DateField(_("date"))
    activity_type = models.CharField(
        _("type of learning"), max_length=30, choices=ActivityType.choices
    )
    title = models.CharField(_("title"), max_length=300)
    provider = models.CharField(_("provider or resource"), max_length=300, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    hours = models.DecimalField(
        _("hours"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )
    nodes = models.ManyToManyField(
        "frameworks.Node", blank=True, related_name="+", verbose_name=_("competences addressed")
    )
    objective = models.ForeignKey(
        "planning.Objective",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cpd_entries",
        verbose_name=_("development plan objective"),
    )
    what_happened = models.TextField(_("What happened?"), blank=True)
    what_learnt = models.TextField(_("What did I learn?"), blank=True)
    how_use = models.TextField(_("How will I use it?"), blank=True)
    difference = models.TextField(
        _("What difference will it make for people who use services?"), blank=True
    )
    visibility = models.CharField(
        _("who can see it"), max_length=20, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(
        max_length=50,
        blank=True,
        help_text="Where an entry came from when not typed: xapi, programme, …",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["manager", "-date", "-id"]
        indexes = [models.Index(fields=["organisation", "manager", "date"])]
        constraints = [
            # The forms, API and services say so in words; the database holds the line too.
            models.CheckConstraint(
                condition=models.Q(hours__gt=0) & models.Q(hours__lte=MAX_HOURS),
                name="cpd_entry_hours_in_range",
            ),
        ]
        verbose_name = _("CPD entry")
        verbose_name_plural = _("CPD entries")

    def __str__(self) -> str:
        # Deliberately says nothing of what the entry is about: this string appears in
        # places the manager does not control (the admin's "delete this person?" page,
        # audit trails), and a private entry's title is hers alone.
        return f"CPD entry {self.pk}"

    @property
    def credits(self) -> Decimal:
        return scqf_credits(self.hours)

    @property
    def is_shared(self) -> bool:
        return self.visibility == Visibility.SUPPORTERS

    @property
    def reflection_fields(self) -> list[tuple[str, str]]:
        """(question, answer) for each of the four reflection questions."""
        return [
            (str(getattr(Entry._meta.get_field(name), "verbose_name", name)), getattr(self, name))
            for name in REFLECTION_FIELDS
        ]


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.entry.organisation_id}/{instance.entry.manager_id}/{instance.stored_name}"


class Evidence(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=500)
    stored_name = models.CharField(max_length=100)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entry", "uploaded_at", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        # As for entries: a file's name can say more than its owner wants said.
        return f"Evidence file {self.pk}"
