from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    STATUTORY = "statutory", _("Statutory")
    VOLUNTARY = "voluntary", _("Voluntary")
    PRIVATE = "private", _("Private")
    USER_LED = "user-led", _("User-led")


class SizeBand(models.TextChoices):
    MICRO = "micro", _("Micro (fewer than 5 employees)")
    SMALL = "small", _("Small (5 to 50 employees)")
    MEDIUM = "medium", _("Medium (50 to 250 employees)")
    LARGE = "large", _("Large (more than 250 employees)")


class Region(models.TextChoices):
    NORTH_EAST = "north-east", _("North East")
    NORTH_WEST = "north-west", _("North West")
    YORKSHIRE = "yorkshire-humber", _("Yorkshire and the Humber")
    EAST_MIDLANDS = "east-midlands", _("East Midlands")
    WEST_MIDLANDS = "west-midlands", _("West Midlands")
    EAST = "east-of-england", _("East of England")
    LONDON = "london", _("London")
    SOUTH_EAST = "south-east", _("South East")
    SOUTH_WEST = "south-west", _("South West")
    SCOTLAND = "scotland", _("Scotland")
    WALES = "wales", _("Wales")
    NORTHERN_IRELAND = "northern-ireland", _("Northern Ireland")


class Role(models.TextChoices):
    MANAGER = "manager", _("Manager")
    SUPERVISOR = "supervisor", _("Supervisor")
    LD_LEAD = "ld-lead", _("Learning and development lead")
    ADMIN = "admin", _("Organisation admin")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name for web addresses"), max_length=60, unique=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    size_band = models.CharField(_("size"), max_length=20, choices=SizeBand.choices)
    region = models.CharField(_("region"), max_length=30, choices=Region.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in an organisation. A person may hold several roles in one
    organisation (a supervisor is often a manager with her own development)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "role"], name="membership_unique_role"
            )
        ]
        ordering = ["organisation", "user", "role"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"


class SupportKind(models.TextChoices):
    SUPERVISOR = "supervisor", _("Supervisor (line manager)")
    MENTOR = "mentor", _("Mentor")
    COACH = "coach", _("Coach")


class SupportRelationship(models.Model):
    """Who supports whose development: a manager's supervisor, mentor or coach, within
    one organisation. It decides who may agree a plan, see shared CPD entries and
    confirm them."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="support_relationships"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supported_by"
    )
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supporting"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SupportKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "manager", "supporter", "kind"],
                name="support_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(manager=models.F("supporter")), name="support_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supporter} — {self.get_kind_display()} of {self.manager}"
