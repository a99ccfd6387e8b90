"""The standards database: frameworks (families), their editions (CASE CFDocuments),
nodes in a tree of any depth (CFItems), item types (CFItemTypes) and associations
between nodes (CFAssociations), which include the cross-framework map of competences.

The tree lives in `Node.parent`; the CASE `isChildOf` association that placed a node
under its parent keeps its identifier on the node. All other associations, including
any second parent, are `Association` rows."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class FrameworkKind(models.TextChoices):
    MANDATORY = "mandatory", _("Mandatory standard")
    GUIDANCE = "guidance", _("Guidance")
    ASPIRATIONAL = "aspirational", _("Aspirational capability framework")


class Assesses(models.TextChoices):
    INDIVIDUAL = "individual", _("Individuals")
    ORGANISATION = "organisation", _("Organisations")


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class Origin(models.TextChoices):
    SHIPPED = "shipped", _("Shipped with Waymark")
    IMPORTED = "imported", _("Imported")
    CREATED = "created", _("Created in Waymark")


class CompetenceType(models.TextChoices):
    GENERIC = "generic", _("Generic")
    SPECIALIST = "specialist", _("Specialist")
    PARTNERSHIP = "partnership", _("Partnership")
    ORGANISATIONAL = "organisational", _("Organisational")


class FunctionalArea(models.TextChoices):
    """The six functional areas of the national leadership and management standards."""

    MANAGING_SELF = "managing-self", _("Managing self and personal skills")
    PROVIDING_DIRECTION = "providing-direction", _("Providing direction")
    FACILITATING_CHANGE = "facilitating-change", _("Facilitating change")
    WORKING_WITH_PEOPLE = "working-with-people", _("Working with people")
    USING_RESOURCES = "using-resources", _("Using resources")
    ACHIEVING_RESULTS = "achieving-results", _("Achieving results")


class FrameworkQuerySet(models.QuerySet["Framework"]):
    def public(self) -> FrameworkQuerySet:
        """The shared national standards: not an organisation's own framework."""
        return self.filter(organisation__isnull=True)


class EditionQuerySet(models.QuerySet["Edition"]):
    def public(self) -> EditionQuerySet:
        return self.filter(framework__organisation__isnull=True)


class NodeQuerySet(models.QuerySet["Node"]):
    def public(self) -> NodeQuerySet:
        return self.filter(edition__framework__organisation__isnull=True)


class AssociationQuerySet(models.QuerySet["Association"]):
    def public(self) -> AssociationQuerySet:
        """Associations of the shared standards only: neither end, nor the edition that
        holds it, belongs to an organisation's own framework."""
        return (
            self.filter(edition__framework__organisation__isnull=True)
            .exclude(origin__edition__framework__organisation__isnull=False)
            .exclude(destination__edition__framework__organisation__isnull=False)
        )


class Framework(models.Model):
    """A framework across its editions: "the Middle Manager framework", whatever its version.

    A framework with an `organisation` is that organisation's own competences (see
    waymark/tailoring): it is seen only inside the organisation. Every public surface
    (standards pages, search, CASE API, REST API, exports) reads through `.public()`."""

    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=300)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_frameworks",
        verbose_name=_("organisation (own competences only)"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("framework")

    def __str__(self) -> str:
        return self.title

    @property
    def current_edition(self) -> Edition | None:
        return self.editions.filter(is_current=True).first()


class Edition(models.Model):
    """One edition of a framework: a CASE CFDocument. Profiles and evidence point at the
    nodes of an edition; loading a new edition adds rows and never changes these."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="editions")
    identifier = models.UUIDField(_("CASE identifier"), default=uuid.uuid4, unique=True)
    uri = models.CharField(_("CASE URI"), max_length=500, blank=True)
    title = models.CharField(_("title"), max_length=300)
    short_title = models.CharField(_("short title"), max_length=100, blank=True)
    version = models.CharField(_("edition"), max_length=50, blank=True)
    publication_date = models.DateField(_("date"), null=True, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300)
    source = models.TextField(_("source"), blank=True)
    official_source_url = models.URLField(
        _("official source web address"), max_length=500, blank=True
    )
    licence = models.TextField(_("licence and attribution"), blank=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=FrameworkKind.choices)
    assesses = models.CharField(
        _("assesses"), max_length=20, choices=Assesses.choices, default=Assesses.INDIVIDUAL
    )
    language = models.CharField(_("language"), max_length=20, default="en", blank=True)
    adoption_status = models.CharField(_("CASE adoption status"), max_length=50, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=EditionStatus.choices, default=EditionStatus.PUBLISHED
    )
    is_current = models.BooleanField(_("current edition"), default=True)
    historical = models.BooleanField(
        _("historical"),
        default=False,
        help_text=_(
            "Described by the source documents but since replaced or no longer maintained."
        ),
    )
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.CREATED)
    last_change = models.DateTimeField(_("last changed"), null=True, blank=True)
    case_extra = models.JSONField(default=dict, blank=True)
    import_warnings = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["framework__title", "-publication_date", "-id"]
        verbose_name = _("framework edition")
        constraints = [
            models.UniqueConstraint(
                fields=["framework"],
                condition=models.Q(is_current=True),
                name="edition_one_current_per_framework",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})" if self.version else self.title

    @property
    def display_title(self) -> str:
        return self.short_title or self.title


class ItemType(models.Model):
    """A CASE CFItemType: the label a framework gives a kind of node ("Domain")."""

    identifier = models.UUIDField(default=uuid.uuid4, unique=True)
    uri = models.CharField(max_length=500, blank=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    code = models.CharField(max_length=100, blank=True)
    hierarchy_code = models.CharField(max_length=100, blank=True)
    last_change = models.DateTimeField(null=True, blank=True)
    case_extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Node(models.Model):
    """A domain, competence, learning outcome, … : a CASE CFItem, placed in its edition's tree."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    identifier = models.UUIDField(_("CASE identifier"), default=uuid.uuid4, unique=True)
    uri = models.CharField(max_length=500, blank=True)
    parent_association_identifier = models.UUIDField(default=uuid.uuid4, unique=True)
    code = models.CharField(_("code"), max_length=100, blank=True, db_index=True)
    title = models.CharField(_("short title"), max_length=500, blank=True)
    statement = models.TextField(_("statement"))
    item_type_label = models.CharField(_("type of item"), max_length=200, blank=True)
    item_type = models.ForeignKey(
        ItemType, null=True, blank=True, on_delete=models.SET_NULL, related_name="nodes"
    )
    competence_type = models.CharField(
        _("competence type"), max_length=20, choices=CompetenceType.choices, blank=True
    )
    functional_area = models.CharField(
        _("functional area"), max_length=30, choices=FunctionalArea.choices, blank=True
    )
    scqf_level = models.PositiveSmallIntegerField(
        _("SCQF level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    is_central = models.BooleanField(_("central to the framework"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    sequence = models.PositiveIntegerField(_("order"), default=0)
    depth = models.PositiveSmallIntegerField(default=0)
    # Order of the whole tree in one column: each level's zero-padded sequence.
    path = models.CharField(max_length=1000, default="", db_index=True)
    language = models.CharField(max_length=20, blank=True)
    last_change = models.DateTimeField(null=True, blank=True)
    case_extra = models.JSONField(default=dict, blank=True)

    objects = NodeQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "path"]
        indexes = [models.Index(fields=["edition", "path"])]
        verbose_name = _("framework item")

    def __str__(self) -> str:
        return f"{self.code} {self.display_title}".strip()

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        return self.statement if len(self.statement) <= 120 else self.statement[:117] + "…"


class AssociationType(models.TextChoices):
    """CASE 1.0 association types. `isChildOf` is held in the tree except for second parents."""

    EXACT_MATCH = "exactMatchOf", _("Exact match of")
    IS_PART_OF = "isPartOf", _("Is part of")
    IS_RELATED_TO = "isRelatedTo", _("Is related to")
    IS_PEER_OF = "isPeerOf", _("Is peer of")
    PRECEDES = "precedes", _("Precedes")
    EXEMPLAR = "exemplar", _("Exemplar")
    HAS_SKILL_LEVEL = "hasSkillLevel", _("Has skill level")
    REPLACED_BY = "replacedBy", _("Replaced by")
    IS_CHILD_OF = "isChildOf", _("Is child of")


class MappingKind(models.TextChoices):
    """The four kinds of mapping an editor makes. Each is stored as a CASE association:
    exact → exactMatchOf; related → isRelatedTo; broader (the target contains this node)
    → this isPartOf target; narrower (this node contains the target) → target isPartOf this."""

    EXACT = "exact", _("Exact match")
    BROADER = "broader", _("Broader")
    NARROWER = "narrower", _("Narrower")
    RELATED = "related", _("Related")


class Association(models.Model):
    """A CASE CFAssociation between two nodes, or between a node and something outside
    Waymark (then only the identifier, URI and title of the far end are kept)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="associations")
    identifier = models.UUIDField(default=uuid.uuid4, unique=True)
    uri = models.CharField(max_length=500, blank=True)
    association_type = models.CharField(max_length=30, choices=AssociationType.choices)
    origin = models.ForeignKey(
        Node, null=True, blank=True, on_delete=models.CASCADE, related_name="outgoing"
    )
    origin_identifier = models.CharField(max_length=200)
    origin_uri = models.CharField(max_length=500, blank=True)
    origin_title = models.CharField(max_length=500, blank=True)
    destination = models.ForeignKey(
        Node, null=True, blank=True, on_delete=models.CASCADE, related_name="incoming"
    )
    destination_identifier = models.CharField(max_length=200)
    destination_uri = models.CharField(max_length=500, blank=True)
    destination_title = models.CharField(max_length=500, blank=True)
    sequence_number = models.IntegerField(null=True, blank=True)
    confirmed = models.BooleanField(_("confirmed"), default=False)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_by_name = models.CharField(_("made by"), max_length=200, blank=True)
    note = models.TextField(_("reasoning"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_change = models.DateTimeField(null=True, blank=True)
    case_extra = models.JSONField(default=dict, blank=True)

    objects = AssociationQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "id"]
        verbose_name = _("association")

    def __str__(self) -> str:
        return f"{self.origin_title or self.origin_identifier} {self.association_type} {self.destination_title or self.destination_identifier}"

    @property
    def is_mapping(self) -> bool:
        return self.association_type in {
            AssociationType.EXACT_MATCH,
            AssociationType.IS_PART_OF,
            AssociationType.IS_RELATED_TO,
        }

    def kind_from(self, node: Node) -> str:
        """How the far end relates, read from `node`'s side: "exact match", "broader", …"""
        outgoing = self.origin_id == node.pk
        if self.association_type == AssociationType.EXACT_MATCH:
            return str(MappingKind.EXACT.label)
        if self.association_type == AssociationType.IS_RELATED_TO:
            return str(MappingKind.RELATED.label)
        if self.association_type == AssociationType.IS_PART_OF:
            return str((MappingKind.BROADER if outgoing else MappingKind.NARROWER).label)
        return str(
            self.get_association_type_display()
            if outgoing
            else _("%(type)s (from the other side)") % {"type": self.get_association_type_display()}
        )
