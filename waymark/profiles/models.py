"""Role profiles (an organisation's competence profile for a role) and each manager's
person management specification (PMS), kept as numbered revisions: a change makes a new
revision; earlier ones stay readable; a supervisor can agree a revision."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ManagerLevel(models.TextChoices):
    ASPIRING = "aspiring", _("Aspiring manager")
    FIRST_LINE = "first-line", _("First line manager or supervisor")
    MIDDLE = "middle", _("Middle manager")
    SENIOR = "senior", _("Senior or strategic manager")


class Level(models.IntegerChoices):
    """The one scale for expected and assessed levels, each described in plain words."""

    NOT_YET = 0, _("Not yet: I have not had the chance to do this")
    AWARE = 1, _("Aware: I know what it involves but rarely do it")
    DEVELOPING = 2, _("Developing: I do this with support or now and then")
    CONFIDENT = 3, _("Confident: I do this well and consistently on my own")
    LEADING = 4, _("Leading: I do this in complex situations and help others to")


class Importance(models.IntegerChoices):
    USEFUL = 1, _("Useful")
    IMPORTANT = 2, _("Important")
    ESSENTIAL = 3, _("Essential")


class BasicKind(models.TextChoices):
    INDUCTION = "induction", _("Induction")
    FOUNDATION = "foundation", _("Foundation learning")


level_validators = [MinValueValidator(0), MaxValueValidator(4)]


class RoleProfile(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="role_profiles"
    )
    title = models.CharField(_("role"), max_length=200)
    manager_level = models.CharField(
        _("manager level"), max_length=20, choices=ManagerLevel.choices
    )
    description = models.TextField(_("description"), blank=True)
    archived = models.BooleanField(_("archived"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "title"]

    def __str__(self) -> str:
        return self.title


class RoleCompetence(models.Model):
    role_profile = models.ForeignKey(
        RoleProfile, on_delete=models.CASCADE, related_name="competences"
    )
    node = models.ForeignKey("frameworks.Node", on_delete=models.PROTECT, related_name="+")
    expected_level = models.PositiveSmallIntegerField(
        _("level expected"),
        choices=Level.choices,
        default=Level.CONFIDENT,
        validators=level_validators,
    )
    importance = models.PositiveSmallIntegerField(
        _("importance to the role"), choices=Importance.choices, default=Importance.IMPORTANT
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["role_profile", "node"], name="role_competence_unique")
        ]
        ordering = ["node__edition_id", "node__path"]

    def __str__(self) -> str:
        return f"{self.node} ({self.expected_level})"


class RoleQualification(models.Model):
    role_profile = models.ForeignKey(
        RoleProfile, on_delete=models.CASCADE, related_name="qualifications"
    )
    title = models.CharField(_("qualification"), max_length=300)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class RoleBasic(models.Model):
    """Organisational basics a new manager in the role needs: induction and foundation."""

    role_profile = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="basics")
    kind = models.CharField(_("kind"), max_length=20, choices=BasicKind.choices)
    title = models.CharField(_("item"), max_length=300)

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.title


class Specification(models.Model):
    """A manager's person management specification in one organisation. Its content
    lives in revisions; `current` is the latest."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="specifications"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="specifications"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    current = models.OneToOneField(
        "Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "manager"], name="one_pms_per_manager")
        ]

    def __str__(self) -> str:
        return f"PMS of {self.manager}"


def job_description_path(instance: Revision, filename: str) -> str:
    return f"job-descriptions/{instance.specification.organisation_id}/{instance.specification_id}/{filename}"


class Revision(models.Model):
    specification = models.ForeignKey(
        Specification, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    role_profile = models.ForeignKey(
        RoleProfile,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started from role profile"),
    )
    job_title = models.CharField(_("job title"), max_length=200)
    manager_level = models.CharField(
        _("manager level"), max_length=20, choices=ManagerLevel.choices
    )
    job_description = models.TextField(_("job description"), blank=True)
    job_description_file = models.FileField(
        _("job description file"), upload_to=job_description_path, blank=True, max_length=500
    )
    # The name the file had on the manager's computer; it is stored under a random name.
    job_description_name = models.CharField(
        _("job description file name"), max_length=255, blank=True
    )
    change_note = models.CharField(_("what changed and why"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["specification", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["specification", "number"], name="revision_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.job_title} (revision {self.number})"


class SpecCompetence(models.Model):
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="competences")
    node = models.ForeignKey("frameworks.Node", on_delete=models.PROTECT, related_name="+")
    expected_level = models.PositiveSmallIntegerField(
        _("level expected"),
        choices=Level.choices,
        default=Level.CONFIDENT,
        validators=level_validators,
    )
    importance = models.PositiveSmallIntegerField(
        _("importance to the role"), choices=Importance.choices, default=Importance.IMPORTANT
    )
    from_role_profile = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["revision", "node"], name="spec_competence_unique")
        ]
        ordering = ["node__edition_id", "node__path"]

    def __str__(self) -> str:
        return f"{self.node} ({self.expected_level})"


class SpecQualification(models.Model):
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="qualifications")
    title = models.CharField(_("qualification"), max_length=300)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class SpecBasic(models.Model):
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="basics")
    kind = models.CharField(_("kind"), max_length=20, choices=BasicKind.choices)
    title = models.CharField(_("item"), max_length=300)

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.title
