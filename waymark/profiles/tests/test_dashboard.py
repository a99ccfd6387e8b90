"""The dashboard card and the person page section: each shows the PMS to whoever may see
it, and links to the role profiles for those who keep them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from waymark.accounts.models import User
from waymark.conftest import Personas
from waymark.profiles.models import RoleProfile, Specification

pytestmark = pytest.mark.django_db

DASHBOARD = "/o/brightwater/"


def person_page(person: User) -> str:
    return reverse(
        "organisations:person", kwargs={"org_slug": "brightwater", "person_id": person.pk}
    )


def test_a_manager_without_a_pms_is_offered_to_start_one(personas: Personas) -> None:
    page = personas.client_for(personas.manager).get(DASHBOARD).content.decode()
    assert "Your person management specification" in page
    assert f"/o/brightwater/people/{personas.manager.pk}/pms/start/" in page
    assert "Create a role profile" not in page


def test_a_manager_with_a_pms_sees_its_revision_and_agreement(
    spec: Specification, supported: Personas
) -> None:
    page = supported.client_for(supported.manager).get(DASHBOARD).content.decode()
    assert "Team leader, home care, revision 1." in page
    assert "Not agreed by your supervisor yet." in page
    assert f"/o/brightwater/people/{supported.manager.pk}/pms/" in page


def test_an_ld_lead_is_linked_to_the_role_profiles(
    personas: Personas, profile: RoleProfile
) -> None:
    page = personas.client_for(personas.ld_lead).get(DASHBOARD).content.decode()
    assert "1 role profile in use." in page
    assert "/o/brightwater/role-profiles/new/" in page
    assert "Your person management specification" not in page


def test_the_person_page_shows_the_pms_to_the_supervisor_but_not_to_a_mentor(
    spec: Specification, supported: Personas, mentor: User
) -> None:
    page = (
        supported.client_for(supported.supervisor)
        .get(person_page(supported.manager))
        .content.decode()
    )
    assert "Person management specification" in page
    assert "View Maya Manager\u2019s specification" in page
    page = supported.client_for(mentor).get(person_page(supported.manager)).content.decode()
    assert "Person management specification" not in page


def test_the_person_page_offers_the_manager_to_start(personas: Personas) -> None:
    page = personas.client_for(personas.manager).get(person_page(personas.manager)).content.decode()
    assert "Start your specification" in page
