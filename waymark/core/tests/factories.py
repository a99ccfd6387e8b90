"""Factories for tests. Demo data for people lives in `waymark seed_demo`, not here."""

from __future__ import annotations

import factory

from waymark.accounts.models import User
from waymark.frameworks.models import (
    Association,
    Edition,
    Framework,
    FrameworkKind,
    ItemType,
    Node,
)
from waymark.organisations.models import Membership, Organisation


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password("correct horse battery staple")


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    sector = "private"
    size_band = "small"
    region = "north-west"


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = "manager"


class FrameworkFactory(factory.django.DjangoModelFactory[Framework]):
    class Meta:
        model = Framework

    slug = factory.Sequence(lambda n: f"framework-{n}")
    title = factory.Sequence(lambda n: f"Framework {n}")


class EditionFactory(factory.django.DjangoModelFactory[Edition]):
    class Meta:
        model = Edition

    framework = factory.SubFactory(FrameworkFactory)
    title = factory.LazyAttribute(lambda o: o.framework.title)
    version = "1"
    publisher = "Test publisher"
    kind = FrameworkKind.GUIDANCE


class NodeFactory(factory.django.DjangoModelFactory[Node]):
    class Meta:
        model = Node

    edition = factory.SubFactory(EditionFactory)
    parent = None
    code = factory.Sequence(lambda n: f"N{n}")
    statement = factory.Sequence(lambda n: f"Statement number {n}")
    item_type_label = "Competence"
    sequence = factory.Sequence(lambda n: n)
    path = factory.LazyAttribute(
        lambda o: (o.parent.path if o.parent else "") + f"{o.sequence:06d}."
    )
    depth = factory.LazyAttribute(lambda o: (o.parent.depth + 1) if o.parent else 0)


class AssociationFactory(factory.django.DjangoModelFactory[Association]):
    class Meta:
        model = Association

    origin = factory.SubFactory(NodeFactory)
    destination = factory.SubFactory(NodeFactory)
    edition = factory.LazyAttribute(lambda o: o.origin.edition)
    association_type = "isRelatedTo"
    origin_identifier = factory.LazyAttribute(lambda o: str(o.origin.identifier))
    destination_identifier = factory.LazyAttribute(lambda o: str(o.destination.identifier))
    confirmed = True
    made_by_name = "Test"


class ItemTypeFactory(factory.django.DjangoModelFactory[ItemType]):
    class Meta:
        model = ItemType

    title = factory.Sequence(lambda n: f"Item type {n}")
    hierarchy_code = factory.Sequence(lambda n: f"{n + 1}")
