"""The public standards pages: the index, a framework, an edition, an item."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from waymark.conftest import Personas
from waymark.frameworks.models import (
    Assesses,
    AssociationType,
    EditionStatus,
    FrameworkKind,
)
from waymark.frameworks.templatetags.standards import optional_url

from .builders import build_edition, make_edition, make_node, make_user, node, related


def _body(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _text(html: str) -> str:
    """The page's words: inline tags dropped, block tags as spaces."""
    html = re.sub(r"</?(a|span|strong|mark)\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- index ---------------------------------------------------------------------------


def test_the_index_lists_frameworks_grouped_by_kind_with_publisher_edition_and_count(
    client: Client, db: None
) -> None:
    build_edition(
        publisher="Scottish Social Services Council",
        version="2015",
        publication_date=datetime.date(2015, 3, 1),
        domains=2,
        outcomes=3,
    )
    build_edition(
        "nos",
        "National Occupational Standards",
        kind=FrameworkKind.MANDATORY,
        prefix="N",
        domains=1,
        outcomes=1,
    )
    body = _body(client.get("/standards/"))
    text = _text(body)
    assert "Middle Manager framework" in body and "National Occupational Standards" in body
    assert "Scottish Social Services Council" in body
    assert "2015" in text and "March 2015" in text
    assert ">8<" in body.replace(" ", "")  # 2 domains + 6 outcomes
    # Grouped: the mandatory standard's heading comes before the guidance heading.
    assert body.index('id="kind-mandatory">Mandatory standards<') < body.index(
        'id="kind-guidance">Guidance<'
    )
    assert 'href="/standards/middle-manager/"' in body


def test_the_index_filters_by_kind_and_by_who_is_assessed(client: Client, db: None) -> None:
    build_edition("llf", "Leadership framework", kind=FrameworkKind.GUIDANCE)
    build_edition(
        "iip",
        "Investors in People principles",
        kind=FrameworkKind.ASPIRATIONAL,
        assesses=Assesses.ORGANISATION,
        prefix="IIP",
    )
    body = _body(client.get("/standards/", {"kind": "aspirational"}))
    assert "Investors in People principles" in body and "Leadership framework" not in body
    body = _body(client.get("/standards/", {"assesses": "individual"}))
    assert "Leadership framework" in body and "Investors in People principles" not in body
    body = _body(client.get("/standards/", {"kind": "guidance", "assesses": "organisation"}))
    assert "No frameworks match these filters" in body
    # Nonsense filters are ignored, not an error.
    body = _body(client.get("/standards/", {"kind": "<script>", "assesses": "x"}))
    assert "Leadership framework" in body and "Investors in People principles" in body


def test_the_index_marks_historical_frameworks_as_such(client: Client, db: None) -> None:
    build_edition("old", "An old framework", historical=True)
    body = _body(client.get("/standards/"))
    assert "Historical" in body


def test_drafts_are_on_the_index_only_for_editors(personas: Personas) -> None:
    build_edition("draft-one", "A draft framework", status=EditionStatus.DRAFT)
    for user in (None, personas.manager, personas.outsider):
        assert "A draft framework" not in _body(personas.client_for(user).get("/standards/"))
    body = _body(personas.client_for(personas.editor).get("/standards/"))
    assert "A draft framework" in body and "Draft" in body


@pytest.mark.parametrize("as_editor", [False, True])
def test_the_index_takes_the_same_number_of_queries_for_3_or_30_frameworks(
    personas: Personas, django_assert_num_queries, as_editor: bool
) -> None:
    client = personas.client_for(personas.editor if as_editor else None)
    for i in range(3):
        build_edition(f"f{i}", f"Framework {i}", prefix=f"F{i}-")
    client.get("/standards/")  # warm up sessions and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/standards/")
    for i in range(3, 30):
        build_edition(f"f{i}", f"Framework {i}", prefix=f"F{i}-")
    with django_assert_num_queries(len(few.captured_queries)):
        body = _body(client.get("/standards/"))
    assert "Framework 29" in body


# --- framework and edition pages -------------------------------------------------------


def test_the_framework_page_shows_metadata_and_the_whole_tree_nested(
    client: Client, db: None
) -> None:
    ed = build_edition(
        publisher="Scottish Social Services Council",
        version="2015",
        publication_date=datetime.date(2015, 3, 1),
        source="Seed 000 §5",
        licence="© SSSC, with attribution",
        description="What it is for.",
        official_source_url="https://example.org/llf",
    )
    mm1 = node(ed, "MM1")
    mm1.is_central = True
    mm1.functional_area = "managing-self"
    mm1.competence_type = "generic"
    mm1.save()
    make_node(
        edition=ed,
        parent=node(ed, "MM1.01"),
        code="MM1.01.a",
        statement="Deeper",
        sequence=1,
        scqf_level=10,
    )
    body = _body(client.get("/standards/middle-manager/"))
    text = _text(body)
    for expected in (
        "Scottish Social Services Council",
        "March 2015",
        "Seed 000 §5",
        "© SSSC, with attribution",
        "What it is for.",
        "Guidance",
        "https://example.org/llf",
        "Central",
        "Managing self and personal skills",
        "Generic",
        "SCQF level 10",
    ):
        assert expected in text, expected
    assert 'class="govuk-summary-list"' in body and 'class="govuk-breadcrumbs"' in body
    # Nested: the deeper item's list sits inside MM1.01's list item, in tree order.
    tree = body[body.index('id="main-content"') :]
    assert (
        tree.index(">MM1<")
        < tree.index(">MM1.01<")
        < tree.index(">MM1.01.a<")
        < tree.index(">MM1.02<")
        < tree.index(">MM2<")
    )
    between = tree[tree.index(">MM1.01<") : tree.index(">MM1.01.a<")]
    assert '<ul class="waymark-tree">' in between
    deep = node(ed, "MM1.01.a")
    assert f'href="/standards/middle-manager/items/{deep.identifier}/"' in body


def test_the_framework_page_lists_other_editions_and_each_can_be_viewed(
    client: Client, db: None
) -> None:
    ed = build_edition(version="2015")

    old = make_edition(
        framework=ed.framework,
        title="Middle Manager framework (2008)",
        version="2008",
        is_current=False,
        publication_date=datetime.date(2008, 6, 1),
    )
    make_node(edition=old, code="OLD1", statement="An old statement", sequence=1)
    body = _body(client.get("/standards/middle-manager/"))
    assert f"/standards/middle-manager/editions/{old.identifier}/" in body
    assert "Edition 2008" in body
    old_body = _body(client.get(f"/standards/middle-manager/editions/{old.identifier}/"))
    assert "OLD1" in old_body and "Not the current edition" in old_body
    assert "The current edition is" in _text(old_body)


def test_an_unknown_framework_edition_or_item_is_not_found(client: Client, db: None) -> None:
    ed = build_edition()
    other = build_edition("other", "Other framework", prefix="O")
    assert client.get("/standards/nope/").status_code == 404
    assert client.get(f"/standards/other/editions/{ed.identifier}/").status_code == 404
    # An item asked for under the wrong framework's address is not found.
    assert (
        client.get(f"/standards/middle-manager/items/{node(other, 'O1').identifier}/").status_code
        == 404
    )
    assert (
        client.get(
            "/standards/middle-manager/items/00000000-0000-0000-0000-000000000000/"
        ).status_code
        == 404
    )


@pytest.mark.parametrize("as_editor", [False, True])
def test_the_framework_page_takes_the_same_number_of_queries_for_5_or_50_items(
    personas: Personas, django_assert_num_queries, as_editor: bool
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = personas.client_for(personas.editor if as_editor else None)
    small = build_edition("small", "Small", domains=1, outcomes=4, prefix="S")
    big = build_edition("big", "Big", domains=5, outcomes=9, prefix="B")
    deep = node(big, "B5.09")
    for i in range(5):  # and some depth
        deep = make_node(edition=big, parent=deep, code=f"B-deep-{i}", sequence=1)
    assert small.nodes.count() == 5 and big.nodes.count() == 55
    client.get("/standards/small/")
    with CaptureQueriesContext(connection) as few:
        client.get("/standards/small/")
    with django_assert_num_queries(len(few.captured_queries)):
        body = _body(client.get("/standards/big/"))
    assert "B-deep-4" in body


def test_a_draft_framework_and_its_items_are_not_found_except_by_editors(
    personas: Personas,
) -> None:
    ed = build_edition("draft-one", "A draft framework", status=EditionStatus.DRAFT)
    urls = [
        "/standards/draft-one/",
        f"/standards/draft-one/editions/{ed.identifier}/",
        f"/standards/draft-one/items/{node(ed, 'MM1').identifier}/",
    ]
    for url in urls:
        for user in (None, personas.manager, personas.ld_lead, personas.outsider):
            assert personas.client_for(user).get(url).status_code == 404, (url, user)
        assert personas.client_for(personas.editor).get(url).status_code == 200, url


def test_a_draft_next_edition_is_hidden_but_the_published_one_still_shows(
    personas: Personas,
) -> None:
    ed = build_edition(version="1")

    draft = make_edition(
        framework=ed.framework, version="2", is_current=False, status=EditionStatus.DRAFT
    )
    public = personas.client_for(None)
    assert "Edition 2" not in _body(public.get("/standards/middle-manager/"))
    assert public.get(f"/standards/middle-manager/editions/{draft.identifier}/").status_code == 404
    assert "Edition 2" in _body(
        personas.client_for(personas.editor).get("/standards/middle-manager/")
    )


# --- item pages ------------------------------------------------------------------------


def test_the_item_page_shows_breadcrumbs_statement_metadata_and_children(
    client: Client, db: None
) -> None:
    ed = build_edition()
    outcome = node(ed, "MM1.01")
    outcome.competence_type = "partnership"
    outcome.functional_area = "working-with-people"
    outcome.scqf_level = 9
    outcome.notes = "A note from the source."
    outcome.save()
    child = make_node(
        edition=ed, parent=outcome, code="MM1.01.a", statement="A sub-outcome", sequence=1
    )
    body = _body(client.get(f"/standards/middle-manager/items/{outcome.identifier}/"))
    text = _text(body)
    crumbs = body[
        body.index('class="govuk-breadcrumbs"') : body.index(
            "</nav>", body.index('class="govuk-breadcrumbs"')
        )
    ]
    assert "Standards" in crumbs and "Middle Manager framework" in crumbs
    assert "MM1 Domain 1 of Middle Manager framework" in _text(crumbs)
    assert "Outcome 1 of domain 1." in body
    for expected in (
        "MM1.01",
        "Learning outcome",
        "Partnership",
        "Working with people",
        "9",
        "A note from the source.",
        "A sub-outcome",
    ):
        assert expected in text, expected
    assert f"/standards/middle-manager/items/{child.identifier}/" in body
    assert "not mapped to items in other frameworks yet" in text


def test_it_shows_a_mapping_from_both_ends(personas: Personas) -> None:
    mm = build_edition()
    clf = build_edition("clf", "CLF leadership capabilities", prefix="C")
    editor = make_user(full_name="Morag Mapper")
    # MM1.01 is part of C1: from MM1.01's side C1 is broader, from C1's side MM1.01 is narrower.
    related(
        node(mm, "MM1.01"),
        node(clf, "C1"),
        association_type=AssociationType.IS_PART_OF,
        confirmed=True,
        made_by=editor,
        note="Both are about vision.",
    )
    client = personas.client_for(None)
    from_mm = _text(
        _body(client.get(f"/standards/middle-manager/items/{node(mm, 'MM1.01').identifier}/"))
    )
    assert "Maps to" in from_mm
    assert (
        "Counts towards CLF leadership capabilities: C1 Domain 1 of CLF leadership capabilities (broader)"
        in from_mm
    )
    assert (
        "Confirmed" in from_mm and "Morag Mapper" in from_mm and "Both are about vision." in from_mm
    )
    from_clf_html = _body(client.get(f"/standards/clf/items/{node(clf, 'C1').identifier}/"))
    from_clf = _text(from_clf_html)
    assert "Mapped from" in from_clf
    assert (
        "Counts towards Middle Manager framework: MM1.01 Outcome 1 of domain 1. (narrower)"
        in from_clf
    )
    assert f"/standards/middle-manager/items/{node(mm, 'MM1.01').identifier}/" in from_clf_html


def test_an_unconfirmed_mapping_says_so_in_words(client: Client, db: None) -> None:
    mm = build_edition()
    clf = build_edition("clf", "CLF", prefix="C")
    related(node(mm, "MM1"), node(clf, "C1"), confirmed=False, made_by_name="Founding team")
    text = _text(
        _body(client.get(f"/standards/middle-manager/items/{node(mm, 'MM1').identifier}/"))
    )
    assert "Not confirmed" in text and "Founding team" in text and "(related)" in text


def test_mappings_to_draft_items_are_hidden_from_the_public(personas: Personas) -> None:
    mm = build_edition()
    draft = build_edition("secret", "Secret draft", prefix="S", status=EditionStatus.DRAFT)
    related(node(mm, "MM1"), node(draft, "S1"))
    url = f"/standards/middle-manager/items/{node(mm, 'MM1').identifier}/"
    assert "Secret draft" not in _body(personas.client_for(None).get(url))
    assert "Secret draft" in _body(personas.client_for(personas.editor).get(url))


def test_the_item_page_takes_the_same_number_of_queries_however_deep_or_mapped(
    client: Client, db: None, django_assert_num_queries
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ed = build_edition()
    clf = build_edition("clf", "CLF", prefix="C", domains=6)
    shallow = node(ed, "MM1.01")
    related(shallow, node(clf, "C1"))
    client.get(f"/standards/middle-manager/items/{shallow.identifier}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/standards/middle-manager/items/{shallow.identifier}/")
    deep = shallow
    for i in range(6):
        deep = make_node(edition=ed, parent=deep, code=f"D{i}", sequence=1)
    for i in range(2, 7):
        related(deep, node(clf, f"C{i}"))
        related(node(clf, f"C{i}.01"), deep)
    make_node(edition=ed, parent=deep, code="leaf1", sequence=1)
    make_node(edition=ed, parent=deep, code="leaf2", sequence=2)
    with django_assert_num_queries(len(few.captured_queries)):
        body = _body(client.get(f"/standards/middle-manager/items/{deep.identifier}/"))
    assert "leaf2" in body and "C6" in body


def test_editor_links_appear_only_for_editors(personas: Personas) -> None:
    ed = build_edition()
    clf = build_edition("clf", "CLF", prefix="C")
    related(node(ed, "MM1"), node(clf, "C1"))
    pages = [
        "/standards/",
        "/standards/middle-manager/",
        f"/standards/middle-manager/items/{node(ed, 'MM1').identifier}/",
    ]
    for url in pages:
        for user in (None, personas.manager, personas.admin):
            body = _body(personas.client_for(user).get(url))
            assert "Editor actions" not in body and "/edit/" not in body and "/new/" not in body
    editor = personas.client_for(personas.editor)
    assert reverse("frameworks:framework_create") in _body(editor.get("/standards/"))
    fw = _body(editor.get("/standards/middle-manager/"))
    assert f"/standards/middle-manager/editions/{ed.identifier}/edit/" in fw
    assert f"/standards/middle-manager/editions/{ed.identifier}/history/" in fw
    item = _body(editor.get(pages[2]))
    assert "/mappings/new/" in item and "/edit/" in item and "Withdraw confirmation" in item


def test_optional_url_is_empty_for_a_page_that_does_not_exist_yet() -> None:
    assert optional_url("frameworks:no_such_page", framework_slug="x") == ""
    assert optional_url("frameworks:index") == "/standards/"


def test_the_admin_lists_and_searches_every_standards_model(db: None) -> None:
    ed = build_edition()
    clf = build_edition("clf", "CLF", prefix="C")
    related(node(ed, "MM1"), node(clf, "C1"))
    admin = make_user(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    for model in ("framework", "edition", "node", "association", "itemtype"):
        assert client.get(f"/admin/frameworks/{model}/").status_code == 200, model
        assert client.get(f"/admin/frameworks/{model}/", {"q": "MM1"}).status_code == 200, model
    assert client.get(f"/admin/frameworks/node/?edition__id__exact={ed.pk}").status_code == 200
    assert client.get(f"/admin/frameworks/node/{node(ed, 'MM1').pk}/change/").status_code == 200


def test_a_mapping_from_an_older_edition_says_which_edition(client: Client, db: None) -> None:
    mm = build_edition(version="2015")
    clf = build_edition("clf", "CLF", prefix="C")
    old = make_edition(framework=mm.framework, version="2008", is_current=False)
    old_node = make_node(edition=old, code="OLD1", statement="Old statement")
    related(old_node, node(clf, "C1"))
    related(node(mm, "MM1"), node(clf, "C1"))
    text = _text(_body(client.get(f"/standards/clf/items/{node(clf, 'C1').identifier}/")))
    assert "In edition 2008, not the current edition" in text
    assert text.count("not the current edition") == 1
