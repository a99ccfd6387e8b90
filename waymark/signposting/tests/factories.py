"""Factories for the signposting tests (engineers append; never rewrite). The shipped
catalogue loads with `waymark load-catalogue`; these make small catalogues by hand."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import factory

from waymark.frameworks.models import Node

from ..models import Provider, Qualification, QualificationUnit, Resource, ResourceNode


class ProviderFactory(factory.django.DjangoModelFactory[Provider]):
    class Meta:
        model = Provider

    slug = factory.Sequence(lambda n: f"provider-{n}")
    name = factory.Sequence(lambda n: f"Provider {n}")
    scope = "national"


class ResourceFactory(factory.django.DjangoModelFactory[Resource]):
    class Meta:
        model = Resource

    slug = factory.Sequence(lambda n: f"resource-{n}")
    title = factory.Sequence(lambda n: f"Learning resource {n}")
    resource_type = "course"
    description = "A learning resource for managers in social care."
    provider = factory.SubFactory(ProviderFactory)
    delivery_mode = "face-to-face"
    cost_from = 0
    cost_to = 0
    hours = 6


class QualificationFactory(factory.django.DjangoModelFactory[Qualification]):
    class Meta:
        model = Qualification

    slug = factory.Sequence(lambda n: f"qualification-{n}")
    title = factory.Sequence(lambda n: f"Qualification {n}")
    awarding_body = "SQA"
    scqf_level = 9


def make_resource(*, nodes: Sequence[Node | tuple[Node, str]] = (), **kwargs: Any) -> Resource:
    """A resource tagged to `nodes` (a node, or (node, "main"|"part"))."""
    resource = cast(Resource, ResourceFactory(**kwargs))
    for item in nodes:
        node, coverage = item if isinstance(item, tuple) else (item, "main")
        ResourceNode.objects.create(resource=resource, node=node, coverage=coverage)
    return resource


def make_qualification(*, units: Sequence[Sequence[Node]] = (), **kwargs: Any) -> Qualification:
    """A qualification with one unit per list of nodes."""
    qualification = cast(Qualification, QualificationFactory(**kwargs))
    for i, nodes in enumerate(units, start=1):
        unit = QualificationUnit.objects.create(
            qualification=qualification, code=f"U{i}", title=f"Unit {i}", sequence=i
        )
        unit.nodes.set(nodes)
    return qualification
