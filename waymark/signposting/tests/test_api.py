"""Signposting in the REST API: the same results as `waymark signpost --json`, the same
access as the pages, the public catalogue only, and the caller's own preferences."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from waymark.conftest import Personas
from waymark.core.tests.factories import MembershipFactory, UserFactory
from waymark.organisations.models import SupportRelationship

from ..models import LearningPreference
from .pages_helpers import World, build_world

SIGNPOST = "/api/v1/signpost/"


@pytest.fixture
def world(personas: Personas) -> World:
    return build_world(personas)


def api(user: Any) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _command(*args: str) -> list[dict[str, Any]]:
    out = StringIO()
    call_command("signpost", *args, "--json", stdout=out)
    return list(json.loads(out.getvalue()))


def test_the_api_and_the_command_agree_for_chosen_nodes(world: World) -> None:
    response = api(world.p.manager).get(
        SIGNPOST, {"node": "middle-manager-llf:MM1.01", "limit": "10"}
    )
    assert response.status_code == 200, response.content
    from_command = _command("--node", "MM1.01", "--framework", "middle-manager-llf")
    assert response.json()["results"] == from_command
    assert [r["slug"] for r in from_command][:2] == [world.course.slug, world.elearning.slug]


def test_the_api_and_the_command_agree_for_a_manager(world: World) -> None:
    response = api(world.p.manager).get(
        SIGNPOST, {"organisation": world.p.org.slug, "person": str(world.p.manager.pk)}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["results"] == _command("--email", world.p.manager.email)
    assert body["needs"][0]["code"] == "MM1.01"
    slugs = {r["slug"] for r in body["results"]}
    assert world.in_house.slug in slugs
    assert world.other_in_house.slug not in slugs


def test_the_api_and_the_command_agree_for_words(world: World) -> None:
    response = api(world.p.manager).get(SIGNPOST, {"need": "planning services"})
    assert response.status_code == 200
    assert response.json()["results"] == _command("--need", "planning services")


def test_a_persons_options_follow_the_gap_analysis_access_rules(world: World) -> None:
    params = {"organisation": world.p.org.slug, "person": str(world.p.manager.pk)}
    assert api(world.p.supervisor).get(SIGNPOST, params).status_code == 200
    assert api(world.p.ld_lead).get(SIGNPOST, params).status_code == 200
    mentor = UserFactory.create()
    MembershipFactory(organisation=world.p.org, user=mentor, role="manager")
    SupportRelationship.objects.create(
        organisation=world.p.org, manager=world.p.manager, supporter=mentor, kind="mentor"
    )
    assert api(mentor).get(SIGNPOST, params).status_code == 403
    colleague = UserFactory.create()
    MembershipFactory(organisation=world.p.org, user=colleague, role="manager")
    assert api(colleague).get(SIGNPOST, params).status_code == 404
    assert api(world.p.outsider).get(SIGNPOST, params).status_code == 404
    assert api(None).get(SIGNPOST, params).status_code in (401, 403)


def test_filters_and_limit_apply(world: World) -> None:
    response = api(world.p.manager).get(
        SIGNPOST, {"node": "MM1.01", "mode": "self-directed", "limit": "1"}
    )
    assert [r["slug"] for r in response.json()["results"]] == [world.elearning.slug]


def test_bad_parameters_are_explained(world: World) -> None:
    client = api(world.p.manager)
    response = client.get(SIGNPOST, {"node": "MM1.01", "max_cost": "cheap", "limit": "999"})
    assert response.status_code == 400
    assert set(response.json()) >= {"max_cost", "limit"}
    response = client.get(SIGNPOST, {"node": "NOPE"})
    assert response.status_code == 400
    assert "NOPE" in response.json()["node"][0]
    assert client.get(SIGNPOST).status_code == 400
    assert client.get(SIGNPOST, {"person": str(world.p.manager.pk)}).status_code == 400


def test_an_organisation_you_do_not_belong_to_is_not_found(world: World) -> None:
    response = api(world.p.outsider).get(
        SIGNPOST, {"organisation": world.p.org.slug, "node": "MM1.01"}
    )
    assert response.status_code == 404


def test_the_catalogue_endpoints_list_public_entries_only(world: World) -> None:
    client = api(world.p.manager)
    slugs = {r["slug"] for r in client.get("/api/v1/catalogue/resources/").json()["results"]}
    assert world.course.slug in slugs
    assert not slugs & {
        world.in_house.slug,
        world.other_in_house.slug,
        world.draft.slug,
        world.withdrawn.slug,
    }
    assert client.get(f"/api/v1/catalogue/resources/{world.in_house.slug}/").status_code == 404
    detail = client.get(f"/api/v1/catalogue/resources/{world.course.slug}/").json()
    assert detail["nodes"][0]["code"] == "MM1.01"
    filtered = client.get("/api/v1/catalogue/resources/", {"type": "e-learning"}).json()
    assert [r["slug"] for r in filtered["results"]] == [world.elearning.slug]
    assert client.get("/api/v1/catalogue/resources/", {"mode": "x"}).status_code == 400
    providers = client.get("/api/v1/catalogue/providers/").json()["results"]
    assert "scie" in [p["slug"] for p in providers]
    quals = client.get("/api/v1/catalogue/qualifications/", {"scqf_level": "10"}).json()["results"]
    assert quals[0]["slug"] == "svq4-lmcs"
    assert quals[0]["units"][0]["nodes"][0]["code"] == "MM1.01"


def test_learning_preferences_are_your_own(world: World) -> None:
    client = api(world.p.manager)
    assert client.get("/api/v1/learning-preferences/").json()["preferred_modes"] == []
    response = client.post(
        "/api/v1/learning-preferences/",
        {"preferred_modes": ["blended"], "max_cost": 200, "regions": ["scotland"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["max_cost"] == 200
    assert LearningPreference.objects.get(user=world.p.manager).preferred_modes == ["blended"]
    assert api(world.p.supervisor).get("/api/v1/learning-preferences/").json()["max_cost"] is None
    response = client.post(
        "/api/v1/learning-preferences/",
        {"preferred_modes": ["blended"], "avoid_modes": ["blended"]},
        format="json",
    )
    assert response.status_code == 400
    assert "avoid_modes" in response.json()
