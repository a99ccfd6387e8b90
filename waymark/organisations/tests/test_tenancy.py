"""The tenancy matrix: every URL under /o/<org-slug>/ is unreachable (404) for people
outside the organisation, forbidden (403) for members without a role it allows, and
every such view declares its roles through the one decorator."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from waymark.accounts.models import User
from waymark.conftest import Personas
from waymark.core.tests.factories import MembershipFactory, UserFactory
from waymark.organisations.models import Role

SAMPLE_VALUES = {
    "int": "1",
    "slug": "sample",
    "uuid": str(uuid.uuid4()),
    "str": "sample",
    "path": "sample",
}


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def organisation_urls() -> list[tuple[str, URLPattern]]:
    found = [
        (route, p)
        for route, p in _walk(get_resolver().url_patterns)
        if "<slug:org_slug>" in route and not route.startswith("api/")
    ]
    assert found, "no organisation URLs found"
    return found


def concrete(route: str, org_slug: str, person_id: int | None = None) -> str:
    import re

    def sub(m: re.Match[str]) -> str:
        conv, name = m.group(1), m.group(2)
        if name == "org_slug":
            return org_slug
        if name == "person_id" and person_id is not None:
            return str(person_id)
        return SAMPLE_VALUES.get(conv or "str", "sample")

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", sub, route)


ROUTES = organisation_urls()


@pytest.mark.parametrize(("route", "pattern"), ROUTES, ids=[r for r, _ in ROUTES])
def test_every_organisation_view_declares_its_roles(route: str, pattern: URLPattern) -> None:
    assert hasattr(pattern.callback, "org_roles"), f"{route} is not wrapped in @org_role"


@pytest.mark.parametrize(("route", "pattern"), ROUTES, ids=[r for r, _ in ROUTES])
def test_an_outsider_gets_not_found_on_every_organisation_url(
    personas: Personas, route: str, pattern: URLPattern
) -> None:
    client = personas.client_for(personas.outsider)
    url = concrete(route, personas.org.slug)
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


@pytest.mark.parametrize(("route", "pattern"), ROUTES, ids=[r for r, _ in ROUTES])
def test_a_stranger_is_asked_to_sign_in_on_every_organisation_url(
    personas: Personas, route: str, pattern: URLPattern
) -> None:
    response = personas.client_for(None).get(concrete(route, personas.org.slug))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(("route", "pattern"), ROUTES, ids=[r for r, _ in ROUTES])
def test_a_member_without_an_allowed_role_gets_forbidden(
    personas: Personas, route: str, pattern: URLPattern
) -> None:
    allowed = set(pattern.callback.org_roles)  # type: ignore[attr-defined]
    if not allowed:
        pytest.skip("open to every member")
    url = concrete(route, personas.org.slug)
    for role in Role:
        if role.value in allowed:
            continue
        user: User = UserFactory.create()
        MembershipFactory(organisation=personas.org, user=user, role=role.value)
        client = personas.client_for(user)
        assert client.get(url).status_code == 403, (route, role)
        assert client.post(url, {}).status_code == 403, (route, role)


PERSON_ROUTES = [(r, p) for r, p in ROUTES if "<int:person_id>" in r]


@pytest.mark.parametrize(("route", "pattern"), PERSON_ROUTES, ids=[r for r, _ in PERSON_ROUTES])
def test_every_page_about_a_person_declares_who_may_see_it(route: str, pattern: URLPattern) -> None:
    assert hasattr(pattern.callback, "person_relations"), f"{route} is not wrapped in @person_view"


@pytest.mark.parametrize(("route", "pattern"), PERSON_ROUTES, ids=[r for r, _ in PERSON_ROUTES])
def test_a_colleague_with_no_relation_to_the_manager_gets_not_found(
    personas: Personas, route: str, pattern: URLPattern
) -> None:
    colleague: User = UserFactory.create()
    MembershipFactory(organisation=personas.org, user=colleague, role="manager")
    client = personas.client_for(colleague)
    url = concrete(route, personas.org.slug, person_id=personas.manager.pk)
    assert client.get(url).status_code == 404, route
    assert client.post(url, {}).status_code == 404, route


@pytest.mark.parametrize(("route", "pattern"), PERSON_ROUTES, ids=[r for r, _ in PERSON_ROUTES])
def test_an_outsider_cannot_reach_a_manager_through_her_own_organisation(
    personas: Personas, route: str, pattern: URLPattern
) -> None:
    client = personas.client_for(personas.outsider)
    url = concrete(route, personas.org.slug, person_id=personas.manager.pk)
    assert client.get(url).status_code == 404, route
    # Nor through the outsider's organisation, where the manager is not a member.
    url = concrete(route, personas.other_org.slug, person_id=personas.manager.pk)
    assert client.get(url).status_code == 404, route


def test_an_unknown_organisation_is_not_found_for_everyone(personas: Personas) -> None:
    client = personas.client_for(personas.admin)
    assert client.get("/o/no-such-organisation/").status_code == 404
