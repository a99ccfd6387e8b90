"""Writes to the catalogue: providers, resources, their framework tags, qualifications
and their units, and organisations' in-house resources. Each is one transaction with
an audit record; updates diff against a fresh copy from the database (a ModelForm has
already changed the instance it validated). Bulk import is `interchange.catalogue_import`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from waymark.core import audit
from waymark.frameworks.models import Node

from .models import (
    CatalogueStatus,
    Coverage,
    Provider,
    Qualification,
    QualificationUnit,
    Resource,
    ResourceNode,
)

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.organisations.models import Organisation

RESOURCE_FIELDS = (
    "slug",
    "title",
    "resource_type",
    "description",
    "provider",
    "url",
    "delivery_mode",
    "cost_from",
    "cost_to",
    "cost_note",
    "hours",
    "duration",
    "scqf_level",
    "manager_levels",
    "regions",
    "source",
    "historical",
    "historical_as_of",
    "status",
)
INHOUSE_FIELDS = (
    "title",
    "resource_type",
    "description",
    "url",
    "delivery_mode",
    "cost_from",
    "cost_to",
    "cost_note",
    "hours",
    "duration",
    "manager_levels",
)
PROVIDER_FIELDS = (
    "slug",
    "name",
    "scope",
    "region",
    "url",
    "description",
    "source",
    "historical",
    "historical_as_of",
    "status",
)
QUALIFICATION_FIELDS = (
    "slug",
    "title",
    "awarding_body",
    "description",
    "scqf_level",
    "credit_points",
    "hours",
    "duration",
    "cost_from",
    "cost_to",
    "cost_note",
    "delivery_mode",
    "required_by",
    "manager_levels",
    "url",
    "source",
    "historical",
    "historical_as_of",
    "status",
)
UNIT_FIELDS = ("code", "title", "mandatory", "credit_points")
LINK_FIELDS: dict[str, Any] = {
    "link_checked_at": None,
    "link_status": None,
    "link_final_url": "",
    "link_redirects": [],
    "link_error": "",
}


def _only(data: dict[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in allowed}


def _update(obj: Any, data: dict[str, Any]) -> dict[str, list[Any]]:
    """Set `data` on `obj` (read fresh) and save the changed fields; return the diff."""
    fresh = type(obj).objects.get(pk=obj.pk)
    changes = audit.diff(fresh, data)
    if changes:
        for name in changes:
            setattr(fresh, name, data[name])
        update_fields = [*changes.keys()]
        if "url" in changes and hasattr(fresh, "link_checked_at"):
            # A new address has not been checked: forget what the checker found at the old.
            for name, empty in LINK_FIELDS.items():
                setattr(fresh, name, list(empty) if isinstance(empty, list) else empty)
                setattr(obj, name, list(empty) if isinstance(empty, list) else empty)
            update_fields += list(LINK_FIELDS)
        if hasattr(fresh, "updated_at"):
            update_fields.append("updated_at")
        fresh.save(update_fields=update_fields)
    for name, value in data.items():
        setattr(obj, name, value)
    return changes


# ------------------------------------------------------------------------ resources


@transaction.atomic
def resource_create(*, actor: User, data: dict[str, Any]) -> Resource:
    resource = Resource.objects.create(created_by=actor, **_only(data, RESOURCE_FIELDS))
    audit.record(
        actor=actor,
        action="resource.create",
        obj=resource,
        summary=_("Added resource %(title)s") % {"title": resource.title},
    )
    return resource


@transaction.atomic
def resource_update(*, actor: User, resource: Resource, data: dict[str, Any]) -> Resource:
    changes = _update(resource, _only(data, RESOURCE_FIELDS))
    if changes:
        audit.record(
            actor=actor,
            action="resource.update",
            obj=resource,
            organisation=resource.organisation,
            summary=_("Changed resource %(title)s") % {"title": resource.title},
            changes=changes,
        )
    return resource


@transaction.atomic
def resource_withdraw(*, actor: User, resource: Resource) -> Resource:
    changes = _update(resource, {"status": CatalogueStatus.WITHDRAWN})
    audit.record(
        actor=actor,
        action="resource.withdraw",
        obj=resource,
        organisation=resource.organisation,
        summary=_("Withdrew resource %(title)s") % {"title": resource.title},
        changes=changes,
    )
    return resource


def _tag_label(node: Node) -> str:
    return f"{node.edition.framework.slug}:{node.code}"


@transaction.atomic
def resource_tag_set(
    *, actor: User, resource: Resource, node: Node, coverage: str = Coverage.MAIN
) -> ResourceNode:
    """Tag a resource with a framework item (or change how well it covers it)."""
    tag, created = ResourceNode.objects.get_or_create(
        resource=resource, node=node, defaults={"coverage": coverage}
    )
    before = None if created else tag.coverage
    if not created and tag.coverage != coverage:
        tag.coverage = coverage
        tag.save(update_fields=["coverage"])
    if created or before != coverage:
        audit.record(
            actor=actor,
            action="resource.tag",
            obj=resource,
            organisation=resource.organisation,
            summary=_("Tagged %(title)s with %(node)s (%(coverage)s)")
            % {"title": resource.title, "node": node, "coverage": coverage},
            changes={_tag_label(node): [before, coverage]},
        )
    return tag


@transaction.atomic
def resource_tag_remove(*, actor: User, resource: Resource, node: Node) -> None:
    deleted, _rows = ResourceNode.objects.filter(resource=resource, node=node).delete()
    if deleted:
        audit.record(
            actor=actor,
            action="resource.untag",
            obj=resource,
            organisation=resource.organisation,
            summary=_("Removed %(node)s from %(title)s") % {"title": resource.title, "node": node},
            changes={_tag_label(node): ["tagged", None]},
        )


# ------------------------------------------------------------------------ in-house resources


def _inhouse_slug(organisation: Organisation, title: str) -> str:
    base = slugify(f"{organisation.slug} {title}")[:140].strip("-") or organisation.slug
    slug, n = base, 2
    while Resource.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def inhouse_resource_create(
    *, actor: User, organisation: Organisation, data: dict[str, Any]
) -> Resource:
    """An organisation's own resource: visible to its members only, never public."""
    resource = Resource.objects.create(
        organisation=organisation,
        slug=_inhouse_slug(organisation, str(data.get("title", ""))),
        created_by=actor,
        source=_("In-house: %(organisation)s") % {"organisation": organisation.name},
        status=CatalogueStatus.PUBLISHED,
        **_only(data, INHOUSE_FIELDS),
    )
    audit.record(
        actor=actor,
        action="inhouse_resource.create",
        obj=resource,
        organisation=organisation,
        summary=_("Added in-house resource %(title)s") % {"title": resource.title},
    )
    return resource


@transaction.atomic
def inhouse_resource_update(*, actor: User, resource: Resource, data: dict[str, Any]) -> Resource:
    assert resource.organisation_id is not None
    changes = _update(resource, _only(data, INHOUSE_FIELDS))
    if changes:
        audit.record(
            actor=actor,
            action="inhouse_resource.update",
            obj=resource,
            organisation=resource.organisation,
            summary=_("Changed in-house resource %(title)s") % {"title": resource.title},
            changes=changes,
        )
    return resource


@transaction.atomic
def inhouse_resource_withdraw(*, actor: User, resource: Resource) -> Resource:
    assert resource.organisation_id is not None
    changes = _update(resource, {"status": CatalogueStatus.WITHDRAWN})
    audit.record(
        actor=actor,
        action="inhouse_resource.withdraw",
        obj=resource,
        organisation=resource.organisation,
        summary=_("Withdrew in-house resource %(title)s") % {"title": resource.title},
        changes=changes,
    )
    return resource


# ------------------------------------------------------------------------ providers


@transaction.atomic
def provider_create(*, actor: User, data: dict[str, Any]) -> Provider:
    provider = Provider.objects.create(**_only(data, PROVIDER_FIELDS))
    audit.record(
        actor=actor,
        action="provider.create",
        obj=provider,
        summary=_("Added provider %(name)s") % {"name": provider.name},
    )
    return provider


@transaction.atomic
def provider_update(*, actor: User, provider: Provider, data: dict[str, Any]) -> Provider:
    changes = _update(provider, _only(data, PROVIDER_FIELDS))
    if changes:
        audit.record(
            actor=actor,
            action="provider.update",
            obj=provider,
            summary=_("Changed provider %(name)s") % {"name": provider.name},
            changes=changes,
        )
    return provider


@transaction.atomic
def provider_withdraw(*, actor: User, provider: Provider) -> Provider:
    changes = _update(provider, {"status": CatalogueStatus.WITHDRAWN})
    audit.record(
        actor=actor,
        action="provider.withdraw",
        obj=provider,
        summary=_("Withdrew provider %(name)s") % {"name": provider.name},
        changes=changes,
    )
    return provider


# ------------------------------------------------------------------------ qualifications


def _provider_slugs(qualification: Qualification) -> list[str]:
    return sorted(qualification.providers.values_list("slug", flat=True))


@transaction.atomic
def qualification_create(
    *, actor: User, data: dict[str, Any], providers: Iterable[Provider] = ()
) -> Qualification:
    qualification = Qualification.objects.create(**_only(data, QUALIFICATION_FIELDS))
    qualification.providers.set(list(providers))
    audit.record(
        actor=actor,
        action="qualification.create",
        obj=qualification,
        summary=_("Added qualification %(title)s") % {"title": qualification.title},
    )
    return qualification


@transaction.atomic
def qualification_update(
    *,
    actor: User,
    qualification: Qualification,
    data: dict[str, Any],
    providers: Iterable[Provider] | None = None,
) -> Qualification:
    changes = _update(qualification, _only(data, QUALIFICATION_FIELDS))
    if providers is not None:
        before = _provider_slugs(qualification)
        qualification.providers.set(list(providers))
        after = _provider_slugs(qualification)
        if before != after:
            changes["providers"] = [before, after]
    if changes:
        audit.record(
            actor=actor,
            action="qualification.update",
            obj=qualification,
            summary=_("Changed qualification %(title)s") % {"title": qualification.title},
            changes=changes,
        )
    return qualification


@transaction.atomic
def qualification_withdraw(*, actor: User, qualification: Qualification) -> Qualification:
    changes = _update(qualification, {"status": CatalogueStatus.WITHDRAWN})
    audit.record(
        actor=actor,
        action="qualification.withdraw",
        obj=qualification,
        summary=_("Withdrew qualification %(title)s") % {"title": qualification.title},
        changes=changes,
    )
    return qualification


def _node_labels(nodes: Iterable[Node]) -> list[str]:
    return sorted(_tag_label(n) for n in nodes)


@transaction.atomic
def unit_create(
    *, actor: User, qualification: Qualification, data: dict[str, Any], nodes: Iterable[Node] = ()
) -> QualificationUnit:
    last = qualification.units.order_by("-sequence").values_list("sequence", flat=True).first()
    unit = QualificationUnit.objects.create(
        qualification=qualification,
        sequence=(last or 0) + 1,
        **_only(data, UNIT_FIELDS),
    )
    nodes = list(nodes)
    unit.nodes.set(nodes)
    audit.record(
        actor=actor,
        action="unit.create",
        obj=qualification,
        summary=_("Added unit %(unit)s to %(title)s")
        % {"unit": unit, "title": qualification.title},
        changes={"unit nodes": [None, _node_labels(nodes)]},
    )
    return unit


@transaction.atomic
def unit_update(
    *,
    actor: User,
    unit: QualificationUnit,
    data: dict[str, Any],
    nodes: Iterable[Node] | None = None,
) -> QualificationUnit:
    changes = _update(unit, _only(data, UNIT_FIELDS))
    if nodes is not None:
        nodes = list(nodes)
        before = _node_labels(unit.nodes.select_related("edition__framework"))
        after = _node_labels(nodes)
        if before != after:
            unit.nodes.set(nodes)
            changes["nodes"] = [before, after]
    if changes:
        audit.record(
            actor=actor,
            action="unit.update",
            obj=unit.qualification,
            summary=_("Changed unit %(unit)s of %(title)s")
            % {"unit": unit, "title": unit.qualification.title},
            changes=changes,
        )
    return unit


@transaction.atomic
def unit_delete(*, actor: User, unit: QualificationUnit) -> None:
    qualification = unit.qualification
    label = str(unit)
    unit.delete()
    audit.record(
        actor=actor,
        action="unit.delete",
        obj=qualification,
        summary=_("Removed unit %(unit)s from %(title)s")
        % {"unit": label, "title": qualification.title},
    )
