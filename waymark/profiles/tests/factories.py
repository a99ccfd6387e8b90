"""Factories for role profiles and PMSs. Tests that need a PMS usually start one through
`services.spec_start`, as a manager would."""

from __future__ import annotations

import factory

from waymark.core.tests.factories import NodeFactory, OrganisationFactory, UserFactory
from waymark.profiles.models import RoleCompetence, RoleProfile, Specification


class RoleProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleProfile

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Role {n}")
    manager_level = "first-line"


class RoleCompetenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleCompetence

    role_profile = factory.SubFactory(RoleProfileFactory)
    node = factory.SubFactory(NodeFactory, parent=None)
    expected_level = 3
    importance = 2


class SpecificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specification

    organisation = factory.SubFactory(OrganisationFactory)
    manager = factory.SubFactory(UserFactory)
