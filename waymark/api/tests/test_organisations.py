"""Organisation endpoints: members see their own organisations; outsiders get 404 on
every organisation URL; only admins and L&D leads see the member list."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from waymark.conftest import Personas
from waymark.core.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .conftest import client_as

pytestmark = pytest.mark.django_db


def test_a_person_sees_the_organisations_they_belong_to_with_their_roles(
    personas: Personas,
) -> None:
    body = client_as(personas.supervisor).get("/api/v1/organisations/").json()
    assert body["count"] == 1
    [org] = body["results"]
    assert org["slug"] == "brightwater"
    assert org["roles"] == ["manager", "supervisor"]


def test_an_outsider_sees_only_their_own_organisation(personas: Personas) -> None:
    body = client_as(personas.outsider).get("/api/v1/organisations/").json()
    assert [o["slug"] for o in body["results"]] == ["elsewhere"]


def test_a_member_sees_their_organisation(personas: Personas) -> None:
    body = client_as(personas.manager).get("/api/v1/organisations/brightwater/").json()
    assert body["name"] == "Brightwater Care"
    assert body["roles"] == ["manager"]


@pytest.mark.parametrize("who", ["admin", "ld_lead"])
def test_admins_and_ld_leads_see_the_members(personas: Personas, who: str) -> None:
    body = (
        client_as(getattr(personas, who)).get("/api/v1/organisations/brightwater/members/").json()
    )
    by_email = {m["email"]: m for m in body["results"]}
    assert set(by_email) == {
        "maya@brightwater.example",
        "sam@brightwater.example",
        "lee@brightwater.example",
        "ada@brightwater.example",
    }
    assert by_email["sam@brightwater.example"]["roles"] == ["manager", "supervisor"]
    assert by_email["sam@brightwater.example"]["full_name"] == "Sam Supervisor"


@pytest.mark.parametrize("who", ["manager", "supervisor"])
def test_other_members_may_not_see_the_members(personas: Personas, who: str) -> None:
    response = client_as(getattr(personas, who)).get("/api/v1/organisations/brightwater/members/")
    assert response.status_code == 403


def test_the_member_list_takes_the_same_number_of_queries_however_many_members(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    api = client_as(personas.admin)
    with django_assert_max_num_queries(5):
        api.get("/api/v1/organisations/brightwater/members/")
    for _ in range(10):
        user = UserFactory.create()
        MembershipFactory.create(organisation=personas.org, user=user, role="manager")
        MembershipFactory.create(organisation=personas.org, user=user, role="supervisor")
    with django_assert_max_num_queries(5):
        assert api.get("/api/v1/organisations/brightwater/members/").json()["count"] == 14


def test_the_organisation_list_takes_the_same_number_of_queries_however_many(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    api = client_as(personas.manager)
    with django_assert_max_num_queries(3):
        api.get("/api/v1/organisations/")
    for _ in range(5):
        MembershipFactory.create(
            organisation=OrganisationFactory.create(), user=personas.manager, role="manager"
        )
    with django_assert_max_num_queries(3):
        assert api.get("/api/v1/organisations/").json()["count"] == 6


# --- the matrix: every organisation URL of the API --------------------------------------


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


API_ORG_ROUTES = sorted(
    {r for r in _walk(get_resolver().url_patterns) if r.startswith("api/") and "org_slug" in r}
)


def concrete(route: str, slug: str) -> str:
    def sub(m: re.Match[str]) -> str:
        if m.group(2) == "org_slug":
            return slug
        # A value each converter accepts, so that the route itself is reached.
        return "1" if m.group(1) == "int" else str(uuid.uuid4())

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", sub, route)


def test_the_matrix_covers_the_organisation_endpoints() -> None:
    assert len(API_ORG_ROUTES) >= 2


@pytest.mark.parametrize("route", API_ORG_ROUTES)
def test_an_outsider_gets_not_found_on_every_organisation_endpoint(
    personas: Personas, route: str
) -> None:
    response = client_as(personas.outsider).get(concrete(route, "brightwater"))
    assert response.status_code == 404


@pytest.mark.parametrize("route", API_ORG_ROUTES)
def test_an_unknown_organisation_is_not_found_either(personas: Personas, route: str) -> None:
    response = client_as(personas.admin).get(concrete(route, "no-such-org"))
    assert response.status_code == 404


@pytest.mark.parametrize("route", API_ORG_ROUTES)
def test_anonymous_callers_must_authenticate_on_every_organisation_endpoint(
    api: APIClient, personas: Personas, route: str
) -> None:
    assert api.get(concrete(route, "brightwater")).status_code == 401
