"""Shared personas for every test: one organisation (a 20-person care agency) with a
manager, her supervisor, an L&D lead and an admin; an outsider who belongs to another
organisation; a site-wide standards editor."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client

from waymark.accounts.models import User
from waymark.core.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from waymark.organisations.models import Organisation

PASSWORD = "correct horse battery staple"


@dataclass
class Personas:
    org: Organisation
    other_org: Organisation
    manager: User
    supervisor: User
    ld_lead: User
    admin: User
    outsider: User
    editor: User

    def client_for(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    # allauth keeps rate limits in the cache; never let one test's sign-ins throttle another.
    cache.clear()


@pytest.fixture
def personas(db: None) -> Personas:
    org = OrganisationFactory(name="Brightwater Care", slug="brightwater", size_band="small")
    other = OrganisationFactory(name="Elsewhere Council", slug="elsewhere", sector="statutory",
                                size_band="large")

    def member(email: str, name: str, *roles: str, organisation: Organisation = org) -> User:
        user = UserFactory(email=email, full_name=name)
        for role in roles:
            MembershipFactory(organisation=organisation, user=user, role=role)
        return user

    return Personas(
        org=org,
        other_org=other,
        manager=member("maya@brightwater.example", "Maya Manager", "manager"),
        supervisor=member("sam@brightwater.example", "Sam Supervisor", "supervisor", "manager"),
        ld_lead=member("lee@brightwater.example", "Lee Learning", "ld-lead"),
        admin=member("ada@brightwater.example", "Ada Admin", "admin"),
        outsider=member("otto@elsewhere.example", "Otto Outsider", "admin", "ld-lead",
                        "manager", "supervisor", organisation=other),
        editor=UserFactory(email="eddie@standards.example", full_name="Eddie Editor",
                           is_standards_editor=True),
    )
