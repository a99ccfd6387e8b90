"""Fixtures for the profiles tests: the shipped frameworks, support relationships for the
shared personas, a role profile, a started PMS, and uploads kept in a temporary folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest
from django.core.management import call_command

from waymark.accounts.models import User
from waymark.conftest import Personas
from waymark.core.tests.factories import MembershipFactory, UserFactory
from waymark.frameworks.models import Edition, Node
from waymark.organisations.models import SupportRelationship
from waymark.profiles import services
from waymark.profiles.models import RoleProfile, Specification
from waymark.profiles.selectors import CompetenceRow


@pytest.fixture
def mm(db: None) -> Edition:
    """The shipped frameworks; returns the Middle Manager framework's current edition."""
    call_command("load_standards", verbosity=0)
    return Edition.objects.select_related("framework").get(
        framework__slug="middle-manager-llf", is_current=True
    )


@pytest.fixture
def supported(personas: Personas) -> Personas:
    """Sam supervises Maya."""
    SupportRelationship.objects.create(
        organisation=personas.org,
        manager=personas.manager,
        supporter=personas.supervisor,
        kind="supervisor",
    )
    return personas


@pytest.fixture
def mentor(personas: Personas) -> User:
    """Maya's mentor, a manager in the same organisation."""
    user = cast(User, UserFactory(email="mo@brightwater.example", full_name="Mo Mentor"))
    MembershipFactory(organisation=personas.org, user=user, role="manager")
    SupportRelationship.objects.create(
        organisation=personas.org, manager=personas.manager, supporter=user, kind="mentor"
    )
    return user


@pytest.fixture
def colleague(personas: Personas) -> User:
    """A manager in Maya's organisation with no relation to her."""
    user = cast(User, UserFactory(email="cal@brightwater.example", full_name="Cal Colleague"))
    MembershipFactory(organisation=personas.org, user=user, role="manager")
    return user


def node(edition: Edition, code: str) -> Node:
    return Node.objects.select_related("edition__framework", "parent").get(
        edition=edition, code=code
    )


@pytest.fixture
def profile(personas: Personas, mm: Edition) -> RoleProfile:
    """A first line manager's role profile with three competences, a qualification and
    an induction item."""
    p = services.role_profile_create(
        actor=personas.ld_lead,
        organisation=personas.org,
        title="Team leader, home care",
        manager_level="first-line",
        description="Leads a team of care workers.",
    )
    services.role_competences_set(
        actor=personas.ld_lead,
        role_profile=p,
        competences=[
            CompetenceRow(node(mm, "MM4.01"), 3, 3),
            CompetenceRow(node(mm, "MM5.01"), 2, 2),
            CompetenceRow(node(mm, "MM6.01"), 3, 3),
        ],
    )
    services.role_qualification_add(
        actor=personas.ld_lead,
        role_profile=p,
        title="Registered Manager Award",
        note="Within two years",
    )
    services.role_basic_add(
        actor=personas.ld_lead, role_profile=p, kind="induction", title="Safeguarding procedures"
    )
    return p


@pytest.fixture
def spec(supported: Personas, profile: RoleProfile) -> Specification:
    """Maya's PMS, started from the role profile (revision 1)."""
    return services.spec_start(
        actor=supported.manager,
        organisation=supported.org,
        manager=supported.manager,
        role_profile=profile,
    )


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return Path(settings.MEDIA_ROOT)
