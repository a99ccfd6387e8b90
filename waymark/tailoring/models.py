"""How an organisation tailors Waymark to itself, on top of the shared national standards.

* Focus: the frameworks and domains that matter to the organisation. Pages that list or
  pick competences show these first; the others stay reachable.
* Own competences: an organisation-owned `frameworks.Framework` (its `organisation` set)
  with one current edition, domains and competences of type "organisational", mapped to
  national items through ordinary `frameworks.Association` rows held in that edition.
  `OwnCompetence` records which of its items are archived. The shared standards are
  never changed: every public surface reads frameworks through `.public()`.
* Policies and procedures: an uploaded file or a link, for members.
* Front page text: sanitised rich text on the organisation's dashboard."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waymark.frameworks.models import Framework, Node
from waymark.organisations.models import Organisation


class FocusFramework(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="focus_frameworks"
    )
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "framework"], name="tailoring_focus_framework_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Focus {self.organisation_id}: framework {self.framework_id}"


class FocusDomain(models.Model):
    """A domain (top-level item) of a framework the organisation focuses on."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="focus_domains"
    )
    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "node"], name="tailoring_focus_domain_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Focus {self.organisation_id}: domain {self.node_id}"


class OwnCompetence(models.Model):
    """An item of an organisation's own framework, with whether it is archived (kept for
    the profiles and records that point at it, but no longer offered)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="own_competences"
    )
    node = models.OneToOneField(Node, on_delete=models.CASCADE, related_name="own_competence")
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "archived_at"])]

    def __str__(self) -> str:
        return f"Own competence {self.node_id}"


def policy_path(instance: Policy, filename: str) -> str:
    # Never the uploader's file name: a random one, under the organisation.
    ext = filename.rsplit(".", 1)[-1].lower()[:10] if "." in filename else "bin"
    return f"policies/{instance.organisation_id}/{secrets.token_hex(16)}.{ext}"


class Policy(models.Model):
    """A policy or procedure of the organisation: an uploaded file or a link."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="policies"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("what it covers"), blank=True)
    url = models.URLField(_("web address"), max_length=500, blank=True)
    file = models.FileField(upload_to=policy_path, max_length=500, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=150, blank=True)
    size = models.PositiveIntegerField(default=0)
    nodes = models.ManyToManyField(
        Node, blank=True, related_name="policies", verbose_name=_("competences")
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("policy or procedure")
        verbose_name_plural = _("policies and procedures")

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        return bool(self.file)


class FrontPage(models.Model):
    """The organisation's own text for its dashboard, stored already sanitised."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="front_page"
    )
    html = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Front page of organisation {self.organisation_id}"
