"""The public gateway: public entries only, no cookies, its own frame policy, CORS on its
JSON API only, and the rest of the site still refusing to be framed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from waymark.conftest import Personas

from .pages_helpers import World, build_world

HIDDEN = ("brightwater-induction", "elsewhere-secret", "draft-course", "withdrawn-course")
HIDDEN_TITLES = (
    "Brightwater leading change workshop",
    "Elsewhere Council change workshop",
    "Draft change course",
    "Withdrawn change course",
)


@pytest.fixture
def world(personas: Personas) -> World:
    return build_world(personas)


def _html(response: Any) -> str:
    return str(response.content.decode())


def test_the_gateway_signposts_by_words_and_by_node_code(world: World, client: Client) -> None:
    html = _html(client.get("/gateway/", {"q": "change"}))
    assert world.course.title in html
    assert "Why it is suggested" in html
    html = _html(client.get("/gateway/", {"codes": "MM1.01"}))
    assert world.course.title in html
    assert "Covers MM1.01" in html
    html = _html(client.get("/gateway/", {"type": "e-learning"}))
    assert world.elearning.title in html and world.course.title not in html


@pytest.mark.parametrize(
    "params", [{"q": "change"}, {"codes": "MM1.01"}, {"type": "course"}, {"mode": "face-to-face"}]
)
def test_in_house_draft_and_withdrawn_entries_never_appear_in_the_gateway(
    world: World, client: Client, params: dict[str, str]
) -> None:
    html = _html(client.get("/gateway/", params))
    for title in HIDDEN_TITLES:
        assert title not in html
    for url in ("/gateway/api/search", "/gateway/api/signpost"):
        api_params = dict(params)
        if url.endswith("signpost"):
            api_params = {"node": "MM1.01", "need": params.get("q", "change")}
        body = client.get(url, api_params).json()
        slugs = {r["slug"] for r in body["results"]}
        assert not slugs & set(HIDDEN), url


def test_a_signed_in_member_still_sees_only_public_entries(world: World) -> None:
    client = world.client(world.p.manager)
    html = _html(client.get("/gateway/", {"codes": "MM1.01"}))
    assert world.course.title in html
    assert "Brightwater leading change workshop" not in html
    assert "Maya" not in html


def test_the_gateway_sets_no_cookies(world: World) -> None:
    client = Client()
    for url, params in (
        ("/gateway/", {"q": "change"}),
        ("/gateway/", {}),
        ("/gateway/api/search", {"q": "change"}),
        ("/gateway/api/signpost", {"node": "MM1.01"}),
    ):
        response = client.get(url, params)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers, url
        assert not response.cookies, url
    # Not even for a signed-in visitor.
    signed_in = world.client(world.p.manager)
    response = signed_in.get("/gateway/", {"q": "change"})
    assert "Set-Cookie" not in response.headers
    assert 'name="csrfmiddlewaretoken"' not in _html(response)


def test_the_gateway_may_be_framed_as_configured(world: World, client: Client) -> None:
    response = client.get("/gateway/")
    assert "X-Frame-Options" not in response.headers
    assert response.headers["Content-Security-Policy"] == "frame-ancestors *"
    with override_settings(
        WAYMARK_GATEWAY_FRAME_ANCESTORS="https://agency.example https://council.example"
    ):
        response = client.get("/gateway/")
    assert response.headers["Content-Security-Policy"] == (
        "frame-ancestors https://agency.example https://council.example"
    )


@pytest.mark.parametrize(
    "url",
    [
        "/catalogue/",
        "/catalogue/resources/leading-change-course/",
        "/standards/",
        "/accounts/login/",
    ],
)
def test_the_rest_of_the_site_still_refuses_to_be_framed(
    world: World, client: Client, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_signed_in_page_still_refuses_to_be_framed(world: World) -> None:
    response = world.client(world.p.manager).get(
        reverse("signposting:find", kwargs={"org_slug": world.p.org.slug})
    )
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_gateway_api_allows_any_origin_without_credentials(
    world: World, client: Client
) -> None:
    response = client.get(
        "/gateway/api/search", {"q": "change"}, headers={"Origin": "https://agency.example"}
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    preflight = client.options(
        "/gateway/api/signpost",
        headers={"Origin": "https://agency.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" not in preflight.headers.get("Access-Control-Allow-Methods", "")


def test_cors_is_limited_to_the_gateway_api(world: World, client: Client) -> None:
    for url in ("/gateway/", "/catalogue/", "/api/v1/catalogue/resources/"):
        response = client.get(url, headers={"Origin": "https://agency.example"})
        assert "Access-Control-Allow-Origin" not in response.headers, url


def test_the_gateway_api_is_read_only(world: World, client: Client) -> None:
    for url in ("/gateway/api/search", "/gateway/api/signpost", "/gateway/"):
        assert client.post(url, {"q": "x"}).status_code == 405
        assert client.delete(url).status_code == 405


def test_the_search_api_returns_match_shaped_results(world: World, client: Client) -> None:
    body = client.get("/gateway/api/search", {"q": "e-learning", "limit": "5"}).json()
    assert body["total"] >= 1
    first = body["results"][0]
    assert first["slug"] == world.elearning.slug
    assert set(first) >= {"title", "type", "mode", "provider", "reasons", "covered", "in_house"}
    assert first["catalogue_url"].endswith(f"/catalogue/resources/{world.elearning.slug}/")


def test_the_signpost_api_gives_reasons_for_node_codes(world: World, client: Client) -> None:
    body = client.get("/gateway/api/signpost", {"node": "MM1.01", "limit": "3"}).json()
    assert body["needs"][0]["code"] == "MM1.01"
    assert body["results"][0]["slug"] == world.course.slug
    assert body["results"][0]["reasons"]
    assert all(not r["in_house"] for r in body["results"])


def test_the_gateway_api_explains_bad_parameters(world: World, client: Client) -> None:
    response = client.get("/gateway/api/search", {"max_cost": "cheap"})
    assert response.status_code == 400
    assert "max_cost" in response.json()["errors"]
    assert client.get("/gateway/api/signpost").status_code == 400
    assert client.get("/gateway/api/search", {"limit": "0"}).status_code == 400
    body = client.get("/gateway/api/signpost", {"node": ["MM1.01", "ZZ1"]}).json()
    assert body["unknown_nodes"] == ["ZZ1"]


def test_the_gateway_page_keeps_a_bad_filter_and_explains_it(world: World, client: Client) -> None:
    html = _html(client.get("/gateway/", {"max_hours": "many", "q": "change"}))
    assert "Most hours must be a whole number, like 500" in html
    assert 'value="many"' in html
    assert world.course.title in html
