"""Searching the standards through the API."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from waymark.conftest import Personas
from waymark.core.tests.factories import EditionFactory, FrameworkFactory, NodeFactory

from .conftest import client_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def frameworks(personas: Personas) -> None:
    mm = EditionFactory.create(
        framework=FrameworkFactory.create(slug="middle-manager", title="Middle Manager")
    )
    clf = EditionFactory.create(framework=FrameworkFactory.create(slug="clf", title="CLF"))
    NodeFactory.create(
        edition=mm,
        parent=None,
        code="MM6",
        title="Leading change",
        statement="Lead and manage change in the organisation",
    )
    NodeFactory.create(
        edition=mm,
        parent=None,
        code="MM7",
        title="Resources",
        statement="Plan and manage resources",
    )
    NodeFactory.create(
        edition=clf,
        parent=None,
        code="C4",
        title="Creating conditions",
        statement="Create the conditions for change to happen",
    )


def test_it_finds_items_by_their_words_with_a_snippet_and_rank(
    personas: Personas, frameworks: None
) -> None:
    body = client_as(personas.manager).get("/api/v1/search/?q=change").json()
    assert body["count"] == 2
    codes = {r["code"] for r in body["results"]}
    assert codes == {"MM6", "C4"}
    hit = body["results"][0]
    assert set(hit) == {
        "identifier",
        "code",
        "title",
        "statement",
        "snippet",
        "rank",
        "framework",
        "edition",
    }
    assert "<mark>" in hit["snippet"]
    assert isinstance(hit["rank"], float)
    assert set(hit["framework"]) == {"slug", "title"}


def test_it_searches_one_framework(personas: Personas, frameworks: None) -> None:
    body = client_as(personas.manager).get("/api/v1/search/?q=change&framework=clf").json()
    assert [r["code"] for r in body["results"]] == ["C4"]


def test_it_pages_search_results(personas: Personas, frameworks: None) -> None:
    api = client_as(personas.manager)
    first = api.get("/api/v1/search/?q=change&limit=1").json()
    assert first["count"] == 2 and len(first["results"]) == 1
    assert "offset=1" in first["next"] and first["previous"] is None
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert second["results"][0]["code"] != first["results"][0]["code"]
    assert second["next"] is None


def test_an_empty_search_finds_nothing(personas: Personas, frameworks: None) -> None:
    body = client_as(personas.manager).get("/api/v1/search/?q=").json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}


def test_a_search_for_operator_characters_is_safe(personas: Personas, frameworks: None) -> None:
    response = client_as(personas.manager).get("/api/v1/search/", {"q": 'c++ AND "(x'})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("query", "field"),
    [("limit=0", "limit"), ("limit=1000", "limit"), ("offset=-1", "offset"), ("limit=x", "limit")],
)
def test_it_refuses_bad_paging_field_by_field(
    personas: Personas, frameworks: None, query: str, field: str
) -> None:
    response = client_as(personas.manager).get(f"/api/v1/search/?q=change&{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_search_needs_authentication(api: APIClient, frameworks: None) -> None:
    assert api.get("/api/v1/search/?q=change").status_code == 401


def test_search_takes_the_same_number_of_queries_however_many_hits(
    personas: Personas, frameworks: None, django_assert_max_num_queries: Any
) -> None:
    api = client_as(personas.manager)
    with django_assert_max_num_queries(3):
        api.get("/api/v1/search/?q=change")
    edition = EditionFactory.create()
    for i in range(10):
        NodeFactory.create(edition=edition, parent=None, statement=f"Change number {i}")
    with django_assert_max_num_queries(3):
        assert api.get("/api/v1/search/?q=change").json()["count"] == 12
