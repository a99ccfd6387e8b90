"""Workforce data: a common categorisation of managers, the qualifications they hold or
are studying, and optional, self-declared diversity monitoring.

Reports group by these columns across thousands of managers, so each is a short choice
string in its own indexed column (no per-person JSON). Manager level reuses
`profiles.ManagerLevel` (aspiring, first line/supervisory, middle, senior/strategic);
sector, size band and region come from the organisation.

Diversity answers (`DiversityAnswers`) are seen individually only by the person: never
by an L&D lead, admin, supervisor, the Django admin list or the API of anyone else. They
are reported only in aggregate, with small groups suppressed by the reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waymark.organisations.models import Organisation
from waymark.profiles.models import ManagerLevel

__all__ = [
    "AgeBand",
    "Disability",
    "DiversityAnswers",
    "Ethnicity",
    "Gender",
    "ManagerLevel",
    "QualificationRecord",
    "QualificationStatus",
    "ServiceArea",
    "Team",
    "WorkforceRecord",
]


class ServiceArea(models.TextChoices):
    CHILDREN_FAMILIES = "children-families", _("Children and families")
    JUSTICE = "justice", _("Justice")
    ADULTS = "adults", _("Adults and community care")
    INTEGRATED = "integrated", _("Integrated")


class Team(models.Model):
    """A team or service within an organisation, for breaking reports down."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("team or service")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="workforce_team_unique")
        ]

    def __str__(self) -> str:
        return self.name


class WorkforceRecord(models.Model):
    """A member's categorisation in one organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="workforce_records"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workforce_records"
    )
    manager_level = models.CharField(
        _("manager level"), max_length=20, choices=ManagerLevel.choices, blank=True
    )
    service_area = models.CharField(
        _("service area"), max_length=20, choices=ServiceArea.choices, blank=True
    )
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="records",
        verbose_name=_("team or service"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="workforce_record_unique")
        ]
        indexes = [
            models.Index(fields=["organisation", "manager_level"]),
            models.Index(fields=["organisation", "service_area"]),
        ]

    def __str__(self) -> str:
        return f"Workforce record {self.organisation_id}/{self.user_id}"


class QualificationStatus(models.TextChoices):
    HELD = "held", _("Held")
    STUDYING = "studying", _("Studying")


class QualificationRecord(models.Model):
    """A qualification a person holds or is studying: one from the catalogue, or named."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="qualification_records"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="qualification_records"
    )
    qualification = models.ForeignKey(
        "signposting.Qualification",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("qualification from the catalogue"),
    )
    title = models.CharField(_("qualification name"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=QualificationStatus.choices)
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)
    expected_on = models.DateField(_("expected to finish"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["status", "title", "id"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.qualification.title if self.qualification_id else self.title  # type: ignore[union-attr]


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non-binary", _("Non-binary")
    OTHER = "other", _("In another way")
    PREFER_NOT = "prefer-not", _("Prefer not to say")


class Ethnicity(models.TextChoices):
    """The high-level ethnic groups of the 2021 census of England and Wales (ONS)."""

    ASIAN = "asian", _("Asian, Asian British or Asian Welsh")
    BLACK = "black", _("Black, Black British, Black Welsh, Caribbean or African")
    MIXED = "mixed", _("Mixed or Multiple ethnic groups")
    WHITE = "white", _("White")
    OTHER = "other", _("Other ethnic group")
    PREFER_NOT = "prefer-not", _("Prefer not to say")


class Disability(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    PREFER_NOT = "prefer-not", _("Prefer not to say")


class AgeBand(models.TextChoices):
    UNDER_25 = "under-25", _("Under 25")
    A25_34 = "25-34", _("25 to 34")
    A35_44 = "35-44", _("35 to 44")
    A45_54 = "45-54", _("45 to 54")
    A55_64 = "55-64", _("55 to 64")
    A65_PLUS = "65-plus", _("65 or over")
    PREFER_NOT = "prefer-not", _("Prefer not to say")


DIVERSITY_FIELDS = ("gender", "ethnicity", "disability", "age_band")


class DiversityAnswers(models.Model):
    """One person's own, optional answers (blank: not answered). Seen individually only
    by that person; counted only in aggregate."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="diversity_answers"
    )
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(
        _("ethnic group"), max_length=20, choices=Ethnicity.choices, blank=True
    )
    disability = models.CharField(
        _("disability"), max_length=20, choices=Disability.choices, blank=True
    )
    age_band = models.CharField(_("age band"), max_length=20, choices=AgeBand.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        # Never the answers themselves: this string can reach logs and admin pages.
        return f"Diversity answers #{self.pk}"
