"""Small catalogue builders for the matching, search and signpost command tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from waymark.frameworks.models import Node
from waymark.organisations.models import Organisation

from ..models import Provider, Resource, ResourceNode


def make_provider(
    slug: str = "scie", name: str = "Social Care Institute", **extra: Any
) -> Provider:
    extra.setdefault("scope", "national")
    return Provider.objects.create(slug=slug, name=name, **extra)


def make_resource(
    slug: str,
    *,
    title: str | None = None,
    mode: str = "face-to-face",
    resource_type: str = "course",
    nodes: Sequence[tuple[Node, str]] = (),
    organisation: Organisation | None = None,
    description: str = "A learning resource for managers.",
    **extra: Any,
) -> Resource:
    resource = Resource.objects.create(
        slug=slug,
        title=title or slug.replace("-", " ").capitalize(),
        resource_type=resource_type,
        delivery_mode=mode,
        description=description,
        organisation=organisation,
        **extra,
    )
    for node, coverage in nodes:
        ResourceNode.objects.create(resource=resource, node=node, coverage=coverage)
    return resource
