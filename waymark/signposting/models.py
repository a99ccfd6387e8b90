"""The signposting catalogue: providers, learning resources and qualifications, each
tagged to the framework nodes it addresses, with link health; and each manager's own
learning preferences and limits, which the matcher respects."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waymark.organisations.models import Region


class ProviderScope(models.TextChoices):
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")
    LOCAL = "local", _("Local")


class ResourceType(models.TextChoices):
    PRACTICE_GUIDE = "practice-guide", _("Practice guide")
    REPORT = "report", _("Report")
    BOOK = "book", _("Book")
    VIDEO = "video", _("Video")
    WEBSITE = "website", _("Website")
    E_LEARNING = "e-learning", _("E-learning")
    COURSE = "course", _("Course")
    PROGRAMME = "programme", _("Programme")
    ACTION_LEARNING = "action-learning", _("Action learning set")
    MENTORING = "mentoring", _("Mentoring or coaching scheme")
    FUNDING = "funding", _("Funding source")


class DeliveryMode(models.TextChoices):
    FACE_TO_FACE = "face-to-face", _("Face-to-face")
    BLENDED = "blended", _("Blended")
    ONLINE_GROUP = "online-group", _("Online with others")
    SELF_DIRECTED = "self-directed", _("Self-directed online")
    READING = "reading", _("Reading")


class Coverage(models.TextChoices):
    """How well a resource (or a qualification unit) addresses a node."""

    MAIN = "main", _("Main focus")
    PART = "part", _("Covers in part")


class CatalogueStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    DRAFT = "draft", _("Draft")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class LinkHealth(models.Model):
    """What the link checker last found at an entry's web address."""

    url = models.URLField(_("web address"), max_length=500, blank=True)
    link_checked_at = models.DateTimeField(_("link last checked"), null=True, blank=True)
    link_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    link_final_url = models.URLField(_("address after redirects"), max_length=500, blank=True)
    link_redirects = models.JSONField(
        _("redirects followed"), default=list, blank=True
    )  # [{"status": 301, "url": "..."}, ...]
    link_error = models.CharField(_("link error"), max_length=300, blank=True)

    class Meta:
        abstract = True


class Provenance(models.Model):
    """Where a catalogue entry comes from, and whether it is historical (the seeds name
    programmes and awards as they stood when they were written)."""

    source = models.CharField(_("source"), max_length=500, blank=True)
    historical = models.BooleanField(_("historical"), default=False)
    historical_as_of = models.CharField(
        _("historical: as described in"), max_length=100, blank=True
    )  # e.g. "2006", "March 2005"
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CatalogueStatus.choices,
        default=CatalogueStatus.PUBLISHED,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Provider(Provenance, LinkHealth):
    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=300)
    scope = models.CharField(_("reach"), max_length=20, choices=ProviderScope.choices)
    region = models.CharField(_("region"), max_length=30, choices=Region.choices, blank=True)
    description = models.TextField(_("description"), blank=True)
    # An organisation's in-house provider (its own training team) is visible only to it.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="providers",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("provider")

    def __str__(self) -> str:
        return self.name


class Resource(Provenance, LinkHealth):
    slug = models.SlugField(_("short name"), max_length=150, unique=True)
    title = models.CharField(_("title"), max_length=300)
    resource_type = models.CharField(_("type"), max_length=30, choices=ResourceType.choices)
    description = models.TextField(_("description"))
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="resources"
    )
    delivery_mode = models.CharField(
        _("delivery mode"), max_length=20, choices=DeliveryMode.choices
    )
    # Cost in whole pounds; null means not known. cost_to 0 means free.
    cost_from = models.PositiveIntegerField(_("cost from (£)"), null=True, blank=True)
    cost_to = models.PositiveIntegerField(_("cost up to (£)"), null=True, blank=True)
    cost_note = models.CharField(_("about the cost"), max_length=300, blank=True)
    hours = models.DecimalField(
        _("notional hours"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    duration = models.CharField(_("duration"), max_length=100, blank=True)  # "10 months"
    scqf_level = models.PositiveSmallIntegerField(_("SCQF level"), null=True, blank=True)
    # profiles.ManagerLevel values; empty means any level.
    manager_levels = models.JSONField(_("for manager levels"), default=list, blank=True)
    # organisations.Region values; empty means available everywhere (or online).
    regions = models.JSONField(_("regions"), default=list, blank=True)
    nodes = models.ManyToManyField(
        "frameworks.Node", through="ResourceNode", related_name="resources", blank=True
    )
    # An organisation's in-house resource is visible only to its members.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="resources",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("learning resource")
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return self.title


class ResourceNode(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="tags")
    node = models.ForeignKey("frameworks.Node", on_delete=models.CASCADE, related_name="+")
    coverage = models.CharField(
        _("coverage"), max_length=10, choices=Coverage.choices, default=Coverage.MAIN
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "node"], name="unique_resource_node")
        ]
        # Covering index: the matcher reads (node, resource, coverage) for its target
        # nodes from the index alone (bench/signposting_speed.py).
        indexes = [
            models.Index(fields=["node", "resource", "coverage"], name="signposting_rn_node_cover")
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} → {self.node_id} ({self.coverage})"


class Qualification(Provenance, LinkHealth):
    slug = models.SlugField(_("short name"), max_length=150, unique=True)
    title = models.CharField(_("title"), max_length=300)
    awarding_body = models.CharField(_("awarding body"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    scqf_level = models.PositiveSmallIntegerField(_("SCQF level"), null=True, blank=True)
    credit_points = models.PositiveIntegerField(_("SCQF credit points"), null=True, blank=True)
    hours = models.DecimalField(
        _("notional hours"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    duration = models.CharField(_("duration"), max_length=100, blank=True)
    cost_from = models.PositiveIntegerField(_("cost from (£)"), null=True, blank=True)
    cost_to = models.PositiveIntegerField(_("cost up to (£)"), null=True, blank=True)
    cost_note = models.CharField(_("about the cost"), max_length=300, blank=True)
    delivery_mode = models.CharField(
        _("delivery mode"), max_length=20, choices=DeliveryMode.choices, blank=True
    )
    required_by = models.TextField(_("who requires it"), blank=True)
    manager_levels = models.JSONField(_("for manager levels"), default=list, blank=True)
    providers = models.ManyToManyField(Provider, blank=True, related_name="qualifications")

    class Meta:
        ordering = ["title"]
        verbose_name = _("qualification")

    def __str__(self) -> str:
        return self.title


class QualificationUnit(models.Model):
    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="units")
    code = models.CharField(_("unit code"), max_length=50, blank=True)
    title = models.CharField(_("unit title"), max_length=300)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    credit_points = models.PositiveIntegerField(_("credit points"), null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    nodes = models.ManyToManyField(
        "frameworks.Node", blank=True, related_name="qualification_units"
    )

    class Meta:
        ordering = ["qualification", "sequence", "id"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()


class LearningPreference(models.Model):
    """What a manager says works for them and the limits they learn within."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_preference"
    )
    # DeliveryMode values, most preferred first; empty = the seeds' default order.
    preferred_modes = models.JSONField(_("ways of learning that suit me"), default=list, blank=True)
    avoid_modes = models.JSONField(_("ways of learning to avoid"), default=list, blank=True)
    max_cost = models.PositiveIntegerField(_("most I can spend (£)"), null=True, blank=True)
    max_hours = models.PositiveIntegerField(_("most hours I can give"), null=True, blank=True)
    # Regions the manager can travel to for face-to-face learning; empty = their own region.
    regions = models.JSONField(_("regions I can travel to"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("learning preference")

    def __str__(self) -> str:
        return f"learning preferences of user {self.user_id}"
