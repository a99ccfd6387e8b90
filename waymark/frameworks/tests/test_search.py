"""Searching the standards: /standards/search/."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from waymark.frameworks.models import EditionStatus

from .builders import build_edition, make_edition, make_node


def _body(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _results(body: str) -> str:
    start = body.index('id="search-results"')
    return body[start : body.index("</main>", start)]


def _hit_codes(body: str) -> list[str]:
    return re.findall(r'<h3[^>]*>\s*<a[^>]*><span class="waymark-code">([^<]+)</span>', body)


@pytest.fixture
def standards(db: None) -> None:
    mm = build_edition(domains=1, outcomes=0)
    domain = mm.nodes.get(code="MM1")
    make_node(
        edition=mm,
        parent=domain,
        code="MM1.01",
        sequence=1,
        statement="assess and manage risk in complex situations",
    )
    make_node(
        edition=mm,
        parent=domain,
        code="MM1.02",
        sequence=2,
        statement="lead a team through change with integrity",
    )
    make_node(
        edition=mm,
        parent=domain,
        code="MM1.03",
        sequence=3,
        statement="work with partners, carers and people who use services",
    )
    clf = build_edition("clf", "CLF leadership capabilities", prefix="C", domains=0)
    make_node(
        edition=clf,
        parent=None,
        code="C1",
        sequence=1,
        title="Vision",
        statement="Leaders create and communicate a compelling picture of the future",
    )
    make_node(
        edition=clf,
        parent=None,
        code="C2",
        sequence=2,
        title="Empowering",
        statement="Leaders help others to share a vision and to act on it",
    )


def test_it_finds_stemmed_words(client: Client, standards: None) -> None:
    body = _body(client.get("/standards/search/", {"q": "risks"}))
    assert "MM1.01" in _hit_codes(body)
    assert "1 result" in body
    assert "<mark>risk</mark>" in body


def test_it_finds_an_item_by_its_code(client: Client, standards: None) -> None:
    body = _body(client.get("/standards/search/", {"q": "MM1.02"}))
    assert _hit_codes(body)[0] == "MM1.02"


def test_it_ranks_a_match_in_the_title_above_one_in_the_statement(
    client: Client, standards: None
) -> None:
    # "vision" is C1's title and only a word in C2's statement.
    codes = _hit_codes(_body(client.get("/standards/search/", {"q": "vision"})))
    assert codes[:2] == ["C1", "C2"]


@pytest.mark.parametrize(
    "query",
    [
        "c++",
        "a-b",
        "AND",
        "OR NOT",
        '"quotes"',
        '"unbalanced',
        "NEAR(risk",
        "risk*",
        "*",
        "(",
        ")",
        "^",
        "'; DROP TABLE frameworks_node; --",
        "café ☃ 日本語",
        "ß",
        "x" * 5000,
        "risk " * 300,
        "\x00",
        "%",
        "_",
        "MM1.",
        ".",
        "-risk",
        "col:risk",
        "{risk}",
    ],
)
def test_it_survives_hostile_input(client: Client, standards: None, query: str) -> None:
    response = client.get("/standards/search/", {"q": query})
    assert response.status_code == 200


def test_it_highlights_matches_and_escapes_everything_else(client: Client, standards: None) -> None:
    ed = make_edition(status=EditionStatus.PUBLISHED)
    make_node(
        edition=ed,
        parent=None,
        code="X1",
        statement="<script>alert('risk')</script> & managing risk",
    )
    body = _body(client.get("/standards/search/", {"q": "managing"}))
    results = _results(body)
    assert "<script>alert" not in results
    assert "&lt;script&gt;" in results and "<mark>managing</mark>" in results


def test_it_filters_by_framework(client: Client, standards: None) -> None:
    body = _body(client.get("/standards/search/", {"q": "leaders", "framework": "clf"}))
    assert set(_hit_codes(body)) == {"C1", "C2"}
    body = _body(client.get("/standards/search/", {"q": "leaders", "framework": "middle-manager"}))
    assert _hit_codes(body) == []
    assert '<option value="clf"' in body


def test_an_unknown_framework_filter_is_ignored(client: Client, standards: None) -> None:
    body = _body(client.get("/standards/search/", {"q": "leaders", "framework": "<nope>"}))
    assert set(_hit_codes(body)) == {"C1", "C2"}


def test_an_empty_query_explains_what_to_do_and_lists_nothing(
    client: Client, standards: None
) -> None:
    for params in ({}, {"q": ""}, {"q": "   "}):
        body = _body(client.get("/standards/search/", params))
        assert "Enter words or a code" in body
        assert _hit_codes(body) == []


def test_no_results_says_so_and_suggests_what_to_try(client: Client, standards: None) -> None:
    body = _body(client.get("/standards/search/", {"q": "zebra"}))
    assert "0 results" in body and "Nothing matched" in body and "check the spelling" in body


def test_it_pages_results_with_the_govuk_pagination_component(client: Client, db: None) -> None:
    ed = build_edition(domains=0)
    for i in range(1, 46):
        make_node(
            edition=ed, parent=None, code=f"P{i:02d}", sequence=i, statement=f"planning item {i}"
        )
    first = _body(client.get("/standards/search/", {"q": "planning"}))
    assert "45 results" in first and len(_hit_codes(first)) == 20
    assert 'class="govuk-pagination"' in first and 'aria-current="page"' in first
    assert "q=planning&amp;page=2" in first
    third = _body(client.get("/standards/search/", {"q": "planning", "page": "3"}))
    assert len(_hit_codes(third)) == 5
    assert 'start="41"' in third
    # A page past the end shows the last page; nonsense is page 1.
    assert (
        len(_hit_codes(_body(client.get("/standards/search/", {"q": "planning", "page": "99"}))))
        == 5
    )
    assert (
        len(_hit_codes(_body(client.get("/standards/search/", {"q": "planning", "page": "x"}))))
        == 20
    )


def test_it_searches_only_current_published_editions(client: Client, db: None) -> None:
    current = build_edition(domains=0)
    make_node(edition=current, parent=None, code="NOW1", sequence=1, statement="safeguarding now")
    old = make_edition(framework=current.framework, version="old", is_current=False)
    make_node(edition=old, parent=None, code="OLD1", sequence=1, statement="safeguarding then")
    draft = build_edition("draft", "Draft", status=EditionStatus.DRAFT, domains=0)
    make_node(edition=draft, parent=None, code="DRAFT1", sequence=1, statement="safeguarding soon")
    body = _body(client.get("/standards/search/", {"q": "safeguarding"}))
    assert _hit_codes(body) == ["NOW1"]


def test_the_search_form_is_a_plain_labelled_get_form(client: Client, standards: None) -> None:
    body = _body(client.get("/standards/search/", {"q": "risk"}))
    assert re.search(r'<form method="get" action="/standards/search/"', body)
    assert '<label class="govuk-label govuk-label--m" for="search-q">' in body
    assert 'type="search"' in body and 'value="risk"' in body
    assert '<label class="govuk-label" for="search-framework">' in body
    assert '<button type="submit" class="govuk-button"' in body
    assert 'aria-current="true"' in body  # "Search standards" is the current menu item


def test_the_query_is_echoed_escaped(client: Client, standards: None) -> None:
    body = _body(client.get("/standards/search/", {"q": '"><script>x</script>'}))
    assert "<script>x</script>" not in body
