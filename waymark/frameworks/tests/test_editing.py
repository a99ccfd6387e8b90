"""The standards editor pages and the services behind them."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from waymark.accounts.models import User
from waymark.conftest import Personas
from waymark.core.models import AuditEvent
from waymark.frameworks import services
from waymark.frameworks.models import (
    Association,
    AssociationType,
    Edition,
    EditionStatus,
    Framework,
    MappingKind,
)
from waymark.frameworks.selectors import search_nodes

from .builders import build_edition, make_node, node, related


@dataclass
class World:
    mm: Edition
    clf: Edition
    mapping: Association
    editor: User


@pytest.fixture
def world(personas: Personas) -> World:
    mm = build_edition(version="2015")
    clf = build_edition("clf", "CLF leadership capabilities", prefix="C")
    mapping = related(node(mm, "MM1"), node(clf, "C1"), confirmed=False, note="Vision")
    return World(mm=mm, clf=clf, mapping=mapping, editor=personas.editor)


def _body(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _text(html: str) -> str:
    """The page's words: inline tags dropped, block tags as spaces."""
    html = re.sub(r"</?(a|span|strong|mark)\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _edition_kwargs(w: World) -> dict[str, object]:
    return {"framework_slug": "middle-manager", "identifier": w.mm.identifier}


def _item_kwargs(w: World, code: str = "MM1") -> dict[str, object]:
    return {"framework_slug": "middle-manager", "identifier": node(w.mm, code).identifier}


def _mapping_kwargs(w: World) -> dict[str, object]:
    return {**_item_kwargs(w), "mapping": w.mapping.identifier}


EDITOR_URLS: list[tuple[str, str, Callable[[World], dict[str, object]]]] = [
    ("framework_create", "get", lambda w: {}),
    ("edition_edit", "get", _edition_kwargs),
    ("edition_new", "get", _edition_kwargs),
    ("edition_publish", "get", _edition_kwargs),
    ("edition_retire", "get", _edition_kwargs),
    ("edition_history", "get", _edition_kwargs),
    ("node_create", "get", _edition_kwargs),
    ("node_edit", "get", _item_kwargs),
    ("node_delete", "get", _item_kwargs),
    ("mapping_create", "get", _item_kwargs),
    ("mapping_edit", "get", _mapping_kwargs),
    ("mapping_confirm", "post", _mapping_kwargs),
    ("mapping_delete", "get", _mapping_kwargs),
]


@pytest.mark.parametrize(("name", "method", "kwargs"), EDITOR_URLS, ids=[u[0] for u in EDITOR_URLS])
def test_editor_pages_send_anonymous_people_to_sign_in_refuse_others_and_serve_editors(
    personas: Personas,
    world: World,
    name: str,
    method: str,
    kwargs: Callable[[World], dict[str, object]],
) -> None:
    url = reverse(f"frameworks:{name}", kwargs=kwargs(world))
    anonymous = getattr(personas.client_for(None), method)(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for user in (personas.manager, personas.ld_lead, personas.admin, personas.outsider):
        assert getattr(personas.client_for(user), method)(url).status_code == 403, user
    response = getattr(personas.client_for(personas.editor), method)(url)
    assert response.status_code == (302 if method == "post" else 200)


def test_confirming_a_mapping_needs_a_post(personas: Personas, world: World) -> None:
    url = reverse("frameworks:mapping_confirm", kwargs=_mapping_kwargs(world))
    assert personas.client_for(personas.editor).get(url).status_code == 405


# --- frameworks and editions -------------------------------------------------------------

FRAMEWORK_FORM = {
    "title": "Social care leadership standards",
    "slug": "social-care-leadership",
    "short_title": "",
    "publisher": "A regional body",
    "version": "1",
    "publication_date_0": "1",
    "publication_date_1": "3",
    "publication_date_2": "2026",
    "kind": "mandatory",
    "assesses": "individual",
    "description": "What it is.",
    "source": "Our own work",
    "official_source_url": "",
    "licence": "CC BY 4.0",
    "status": "draft",
}


def test_an_editor_creates_a_draft_framework_that_only_editors_can_see(personas: Personas) -> None:
    client = personas.client_for(personas.editor)
    response = client.post("/standards/new/", FRAMEWORK_FORM)
    assert (
        response.status_code == 302 and response["Location"] == "/standards/social-care-leadership/"
    )
    framework = Framework.objects.get(slug="social-care-leadership")
    edition = framework.editions.get()
    assert edition.status == EditionStatus.DRAFT and edition.is_current
    assert edition.publication_date == datetime.date(2026, 3, 1)
    assert edition.kind == "mandatory" and edition.licence == "CC BY 4.0"
    assert AuditEvent.objects.filter(
        action="framework.create", actor=personas.editor, object_id=str(edition.pk)
    ).exists()
    assert personas.client_for(None).get("/standards/social-care-leadership/").status_code == 404
    assert "Social care leadership standards" in _body(
        client.get("/standards/social-care-leadership/")
    )


def test_a_framework_can_be_published_straight_away(personas: Personas) -> None:
    client = personas.client_for(personas.editor)
    client.post("/standards/new/", {**FRAMEWORK_FORM, "status": "published"})
    assert personas.client_for(None).get("/standards/social-care-leadership/").status_code == 200


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("search", "is used by Waymark itself"),
        ("new", "is used by Waymark itself"),
        ("middle-manager", "already exists"),
        ("Not A Slug!", "Use only lower-case letters"),
    ],
)
def test_a_reserved_taken_or_malformed_short_name_is_refused(
    personas: Personas, world: World, slug: str, message: str
) -> None:
    response = personas.client_for(personas.editor).post(
        "/standards/new/", {**FRAMEWORK_FORM, "slug": slug}
    )
    body = _body(response)
    assert message in body and "There is a problem" in body
    assert not Framework.objects.filter(title=FRAMEWORK_FORM["title"]).exists()


def test_an_invalid_framework_form_shows_errors_and_keeps_what_was_typed(
    personas: Personas,
) -> None:
    data = {
        **FRAMEWORK_FORM,
        "publisher": "",
        "kind": "",
        "publication_date_0": "31",
        "publication_date_1": "2",
        "description": "Kept description",
    }
    body = _body(personas.client_for(personas.editor).post("/standards/new/", data))
    assert "There is a problem" in body
    assert "Enter the publisher" in body and "Choose what kind of framework it is" in body
    assert "The date must be a real date" in body
    assert "Kept description" in body and 'value="social-care-leadership"' in body
    assert "<title>Error:" in body
    assert not Framework.objects.filter(slug="social-care-leadership").exists()


def test_editing_the_edition_details_is_audited_with_what_changed(
    personas: Personas, world: World
) -> None:
    client = personas.client_for(personas.editor)
    url = reverse("frameworks:edition_edit", kwargs=_edition_kwargs(world))
    form = _body(client.get(url))
    assert 'value="Middle Manager framework"' in form
    data = {
        **FRAMEWORK_FORM,
        "title": "Middle Manager framework, revised",
        "kind": "guidance",
        "publisher": "SSSC",
    }
    del data["slug"], data["status"]
    response = client.post(url, data)
    assert response.status_code == 302
    world.mm.refresh_from_db()
    assert world.mm.title == "Middle Manager framework, revised" and world.mm.publisher == "SSSC"
    world.mm.framework.refresh_from_db()
    assert world.mm.framework.title == "Middle Manager framework, revised"
    event = AuditEvent.objects.get(action="edition.update")
    assert event.changes["title"] == [
        "Middle Manager framework",
        "Middle Manager framework, revised",
    ]
    assert event.changes["publisher"] == ["Test publisher", "SSSC"]
    assert "kind" not in event.changes


def test_a_new_edition_copies_the_tree_and_leaves_the_old_nodes_and_mappings_intact(
    personas: Personas, world: World
) -> None:
    old_nodes = {
        n.pk: (n.identifier, n.parent_association_identifier, n.path, n.statement)
        for n in world.mm.nodes.all()
    }
    client = personas.client_for(personas.editor)
    response = client.post(
        reverse("frameworks:edition_new", kwargs=_edition_kwargs(world)),
        {"version": "2026", "title": "Middle Manager framework"},
    )
    assert response.status_code == 302
    new = Edition.objects.get(framework=world.mm.framework, version="2026")
    assert response["Location"] == f"/standards/middle-manager/editions/{new.identifier}/"
    assert new.status == EditionStatus.DRAFT and not new.is_current
    world.mm.refresh_from_db()
    assert world.mm.is_current and world.mm.status == EditionStatus.PUBLISHED
    # Old nodes untouched.
    assert {
        n.pk: (n.identifier, n.parent_association_identifier, n.path, n.statement)
        for n in world.mm.nodes.all()
    } == old_nodes
    # The copy: same shape, new identifiers everywhere.
    copies = list(new.nodes.select_related("parent").order_by("path"))
    assert [(c.code, c.path, c.depth) for c in copies] == [
        (n.code, n.path, n.depth) for n in world.mm.nodes.order_by("path")
    ]
    old_ids = {v[0] for v in old_nodes.values()}
    old_pa = {v[1] for v in old_nodes.values()}
    assert not {c.identifier for c in copies} & old_ids
    assert not {c.parent_association_identifier for c in copies} & old_pa
    assert all(c.parent is None or c.parent.edition_id == new.pk for c in copies)
    # The old mapping still joins the old node; the copy joins the new one.
    world.mapping.refresh_from_db()
    assert world.mapping.origin == node(world.mm, "MM1")
    copied = Association.objects.get(origin=node(new, "MM1"))
    assert copied.destination == node(world.clf, "C1") and copied.note == "Vision"
    assert copied.identifier != world.mapping.identifier and copied.edition == new
    assert AuditEvent.objects.filter(action="edition.new", object_id=str(new.pk)).exists()
    # The public still sees the old edition as the framework page.
    assert "Edition 2026" not in _body(personas.client_for(None).get("/standards/middle-manager/"))


def test_publishing_a_new_edition_makes_it_current_and_keeps_the_old_one_readable(
    personas: Personas, world: World
) -> None:
    new = services.edition_new(actor=world.editor, source=world.mm, version="2026")
    client = personas.client_for(personas.editor)
    url = reverse(
        "frameworks:edition_publish",
        kwargs={"framework_slug": "middle-manager", "identifier": new.identifier},
    )
    assert "It will replace" in _body(client.get(url))
    assert client.post(url).status_code == 302
    new.refresh_from_db()
    world.mm.refresh_from_db()
    assert new.is_current and new.status == EditionStatus.PUBLISHED
    assert not world.mm.is_current and world.mm.status == EditionStatus.PUBLISHED
    public = personas.client_for(None)
    assert "2026" in _body(public.get("/standards/middle-manager/"))
    assert (
        public.get(f"/standards/middle-manager/editions/{world.mm.identifier}/").status_code == 200
    )
    hits = search_nodes("MM1.01")
    assert [h.node.edition_id for h in hits.hits] == [new.pk]
    assert AuditEvent.objects.filter(action="edition.publish", object_id=str(new.pk)).exists()


def test_retiring_an_edition_takes_it_out_of_search_but_keeps_its_pages(
    personas: Personas, world: World
) -> None:
    client = personas.client_for(personas.editor)
    url = reverse("frameworks:edition_retire", kwargs=_edition_kwargs(world))
    assert client.post(url).status_code == 302
    world.mm.refresh_from_db()
    assert world.mm.status == EditionStatus.RETIRED
    assert search_nodes("MM1.01").total == 0
    body = _body(personas.client_for(None).get("/standards/middle-manager/"))
    assert "Retired" in body
    event = AuditEvent.objects.get(action="edition.retire")
    assert event.changes == {"status": ["published", "retired"]}


# --- nodes -----------------------------------------------------------------------------

NODE_FORM = {
    "parent": "",
    "code": "MM3",
    "title": "Partnership working",
    "statement": "Working with partners across services.",
    "item_type_label": "Domain",
    "competence_type": "partnership",
    "functional_area": "working-with-people",
    "scqf_level": "",
    "notes": "",
    "sequence": "",
}


def test_an_editor_adds_an_item_which_goes_last_under_its_parent(
    personas: Personas, world: World
) -> None:
    client = personas.client_for(personas.editor)
    url = reverse("frameworks:node_create", kwargs=_edition_kwargs(world))
    mm1 = node(world.mm, "MM1")
    form = _body(client.get(url, {"parent": str(mm1.identifier)}))
    assert f'<option value="{mm1.pk}" selected>' in form
    response = client.post(
        url,
        {
            **NODE_FORM,
            "parent": str(mm1.pk),
            "code": "MM1.03",
            "title": "",
            "item_type_label": "Learning outcome",
            "scqf_level": "10",
            "is_central": "on",
        },
    )
    assert response.status_code == 302
    added = node(world.mm, "MM1.03")
    assert added.parent == mm1 and added.depth == 1 and added.scqf_level == 10 and added.is_central
    assert added.path == mm1.path + "000003."
    assert response["Location"] == f"/standards/middle-manager/items/{added.identifier}/"
    event = AuditEvent.objects.get(action="node.create")
    assert event.object_id == str(added.pk) and event.actor == personas.editor
    codes = [n.code for n in world.mm.nodes.order_by("path")]
    assert codes == ["MM1", "MM1.01", "MM1.02", "MM1.03", "MM2", "MM2.01", "MM2.02"]


def test_a_code_already_used_in_the_edition_is_refused_but_other_editions_may_share_it(
    personas: Personas, world: World
) -> None:
    client = personas.client_for(personas.editor)
    url = reverse("frameworks:node_create", kwargs=_edition_kwargs(world))
    body = _body(client.post(url, {**NODE_FORM, "code": "mm1.01"}))
    assert "Another item in this edition already has the code mm1.01" in body
    clf_url = reverse(
        "frameworks:node_create",
        kwargs={"framework_slug": "clf", "identifier": world.clf.identifier},
    )
    assert client.post(clf_url, {**NODE_FORM, "code": "MM1.01"}).status_code == 302


def test_an_invalid_item_form_shows_errors_and_keeps_what_was_typed(
    personas: Personas, world: World
) -> None:
    client = personas.client_for(personas.editor)
    url = reverse("frameworks:node_edit", kwargs=_item_kwargs(world, "MM1.01"))
    body = _body(
        client.post(
            url,
            {
                **NODE_FORM,
                "code": "MM1.01",
                "statement": "  ",
                "scqf_level": "13",
                "title": "Kept title",
                "sequence": "soon",
            },
        )
    )
    assert "There is a problem" in body
    assert "Enter the statement" in body
    assert "Enter the SCQF level as a whole number from 1 to 12" in body
    assert "Enter the position as a whole number" in body
    assert 'value="Kept title"' in body and 'value="13"' in body
    assert node(world.mm, "MM1.01").statement == "Outcome 1 of domain 1."
    assert not AuditEvent.objects.filter(action="node.update").exists()


def test_editing_an_item_records_the_change_against_what_was_saved_before(
    personas: Personas, world: World
) -> None:
    client = personas.client_for(personas.editor)
    item = node(world.mm, "MM1.01")
    url = reverse("frameworks:node_edit", kwargs=_item_kwargs(world, "MM1.01"))
    data = {
        **NODE_FORM,
        "parent": str(item.parent_id),
        "code": "MM1.01",
        "title": "",
        "statement": "A better statement.",
        "item_type_label": "Learning outcome",
        "competence_type": "",
        "functional_area": "",
        "sequence": str(item.sequence),
    }
    assert client.post(url, data).status_code == 302
    event = AuditEvent.objects.get(action="node.update")
    assert event.changes["statement"] == ["Outcome 1 of domain 1.", "A better statement."]
    assert "parent" not in event.changes and "path" not in event.changes
    assert search_nodes("better").hits[0].node.code == "MM1.01"


def test_moving_an_item_recomputes_the_paths_of_everything_below_it(
    personas: Personas, world: World
) -> None:
    mm1, mm2 = node(world.mm, "MM1"), node(world.mm, "MM2")
    leaf = make_node(edition=world.mm, parent=node(world.mm, "MM1.01"), code="MM1.01.a", sequence=1)
    client = personas.client_for(personas.editor)
    url = reverse("frameworks:node_edit", kwargs=_item_kwargs(world, "MM1.01"))
    item = node(world.mm, "MM1.01")
    data = {
        **NODE_FORM,
        "parent": str(mm2.pk),
        "code": "MM1.01",
        "title": "",
        "statement": item.statement,
        "item_type_label": "Learning outcome",
        "competence_type": "",
        "functional_area": "",
        "sequence": str(item.sequence),
    }
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    leaf.refresh_from_db()
    assert item.parent == mm2 and item.depth == 1
    assert item.path == mm2.path + "000003."  # moved without a new position: last
    assert leaf.path == item.path + "000001." and leaf.depth == 2
    assert [n.code for n in world.mm.nodes.order_by("path")] == [
        "MM1",
        "MM1.02",
        "MM2",
        "MM2.01",
        "MM2.02",
        "MM1.01",
        "MM1.01.a",
    ]
    assert mm1.children.count() == 1
    event = AuditEvent.objects.get(action="node.update")
    assert event.changes["parent"][1].startswith("MM2")


def test_moving_a_domain_under_another_moves_its_whole_subtree(world: World) -> None:
    mm1, mm2 = node(world.mm, "MM1"), node(world.mm, "MM2")
    services.node_update(actor=world.editor, node=mm2, data={"parent": mm1, "sequence": 1})
    rows = [(n.code, n.depth, n.path) for n in world.mm.nodes.order_by("path")]
    assert rows == [
        ("MM1", 0, "000001."),
        ("MM2", 1, "000001.000001."),
        ("MM2.01", 2, "000001.000001.000001."),
        ("MM2.02", 2, "000001.000001.000002."),
        ("MM1.01", 1, "000001.000002."),
        ("MM1.02", 1, "000001.000003."),
    ]


def test_reordering_an_item_before_a_sibling_moves_the_siblings_along(world: World) -> None:
    services.node_update(actor=world.editor, node=node(world.mm, "MM1.02"), data={"sequence": 1})
    assert [(n.code, n.sequence) for n in node(world.mm, "MM1").children.order_by("path")] == [
        ("MM1.02", 1),
        ("MM1.01", 2),
    ]


def test_an_item_cannot_be_placed_under_itself_or_its_own_items(
    personas: Personas, world: World
) -> None:
    mm1 = node(world.mm, "MM1")
    form = _body(
        personas.client_for(personas.editor).get(
            reverse("frameworks:node_edit", kwargs=_item_kwargs(world, "MM1"))
        )
    )
    options = re.findall(r'<option value="(\d+)"', form)
    assert str(mm1.pk) not in options and str(node(world.mm, "MM1.01").pk) not in options
    assert str(node(world.mm, "MM2").pk) in options
    with pytest.raises(services.StandardsError):
        services.node_update(
            actor=world.editor, node=mm1, data={"parent": node(world.mm, "MM1.01")}
        )
    with pytest.raises(services.StandardsError):
        services.node_update(actor=world.editor, node=mm1, data={"parent": node(world.clf, "C1")})


def test_deleting_an_item_deletes_what_is_below_it_and_is_recorded_on_the_edition(
    personas: Personas, world: World
) -> None:
    client = personas.client_for(personas.editor)
    url = reverse("frameworks:node_delete", kwargs=_item_kwargs(world, "MM1"))
    confirm = _text(_body(client.get(url)))
    assert "The 2 items below it will be deleted too" in confirm and "1 in all" in confirm
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"/standards/middle-manager/editions/{world.mm.identifier}/"
    assert [n.code for n in world.mm.nodes.order_by("path")] == ["MM2", "MM2.01", "MM2.02"]
    assert not Association.objects.filter(pk=world.mapping.pk).exists()
    event = AuditEvent.objects.get(action="node.delete")
    assert event.object_type == "frameworks.edition" and event.object_id == str(world.mm.pk)
    assert "the 2 items below it" in event.summary


# --- mappings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "stored", "from_is_origin"),
    [
        (MappingKind.EXACT, AssociationType.EXACT_MATCH, True),
        (MappingKind.RELATED, AssociationType.IS_RELATED_TO, True),
        (MappingKind.BROADER, AssociationType.IS_PART_OF, True),
        (MappingKind.NARROWER, AssociationType.IS_PART_OF, False),
    ],
)
def test_mappings_are_stored_as_mapping_kind_says_and_read_back_the_same_from_each_side(
    world: World, kind: MappingKind, stored: str, from_is_origin: bool
) -> None:
    this, other = node(world.mm, "MM2.01"), node(world.clf, "C2")
    a = services.mapping_create(
        actor=world.editor, from_node=this, to_node=other, kind=kind, confirmed=True, note="Why"
    )
    assert a.association_type == stored
    assert (a.origin, a.destination) == ((this, other) if from_is_origin else (other, this))
    assert a.made_by == world.editor and a.made_by_name == "Eddie Editor"
    assert a.edition == world.mm
    assert services.mapping_kind(a, this) == kind
    opposite = {
        MappingKind.BROADER: MappingKind.NARROWER,
        MappingKind.NARROWER: MappingKind.BROADER,
    }.get(kind, kind)
    assert services.mapping_kind(a, other) == opposite
    assert a.kind_from(this) == str(kind.label)


def test_an_editor_maps_an_item_by_framework_and_code(personas: Personas, world: World) -> None:
    client = personas.client_for(personas.editor)
    url = reverse("frameworks:mapping_create", kwargs=_item_kwargs(world, "MM2"))
    response = client.post(
        url,
        {
            "framework": str(world.clf.framework_id),
            "code": "c2",
            "kind": "narrower",
            "confirmed": "on",
            "note": "MM2 contains C2",
        },
    )
    assert response.status_code == 302
    a = Association.objects.get(note="MM2 contains C2")
    assert (a.origin, a.destination) == (node(world.clf, "C2"), node(world.mm, "MM2"))
    assert a.association_type == AssociationType.IS_PART_OF and a.confirmed
    assert a.made_by == personas.editor
    page = _text(_body(client.get(reverse("frameworks:node", kwargs=_item_kwargs(world, "MM2")))))
    assert (
        "Counts towards CLF leadership capabilities: C2 Domain 2 of CLF leadership capabilities (narrower)"
        in page
    )
    assert AuditEvent.objects.filter(action="mapping.create", object_id=str(a.pk)).exists()


def test_an_editor_finds_the_other_item_by_search_and_picks_it(
    personas: Personas, world: World
) -> None:
    client = personas.client_for(personas.editor)
    url = reverse("frameworks:mapping_create", kwargs=_item_kwargs(world, "MM2"))
    c2 = node(world.clf, "C2")
    found = _body(client.get(url, {"q": "C2", "framework": "clf"}))
    assert f"?target={c2.identifier}" in found
    chosen = _body(client.get(url, {"target": str(c2.identifier)}))
    assert "C2 Domain 2 of CLF leadership capabilities" in chosen
    assert 'name="code"' not in chosen and f'value="{c2.identifier}"' in chosen
    response = client.post(
        url + f"?target={c2.identifier}", {"target": str(c2.identifier), "kind": "related"}
    )
    assert response.status_code == 302
    assert Association.objects.filter(
        origin=node(world.mm, "MM2"), destination=c2, association_type=AssociationType.IS_RELATED_TO
    ).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"framework": "CLF", "code": "C99", "kind": "related"}, "There is no item C99"),
        ({"framework": "MM", "code": "MM1", "kind": "related"}, "cannot be mapped to itself"),
        ({"framework": "CLF", "code": "C1", "kind": "exact"}, "already mapped"),
        ({"framework": "", "code": "", "kind": ""}, "Choose the framework of the other item"),
    ],
)
def test_a_bad_mapping_is_refused_with_a_reason_and_keeps_what_was_typed(
    personas: Personas, world: World, data: dict[str, str], message: str
) -> None:
    frameworks = {"CLF": str(world.clf.framework_id), "MM": str(world.mm.framework_id), "": ""}
    client = personas.client_for(personas.editor)
    url = reverse("frameworks:mapping_create", kwargs=_item_kwargs(world, "MM1"))
    before = Association.objects.count()
    body = _body(
        client.post(url, {**data, "framework": frameworks[data["framework"]], "note": "Kept note"})
    )
    assert message in body and "There is a problem" in body and "Kept note" in body
    assert Association.objects.count() == before


def test_an_editor_confirms_and_unconfirms_a_mapping(personas: Personas, world: World) -> None:
    client = personas.client_for(personas.editor)
    url = reverse("frameworks:mapping_confirm", kwargs=_mapping_kwargs(world))
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    world.mapping.refresh_from_db()
    assert world.mapping.confirmed
    client.post(url, {"confirmed": "0"})
    world.mapping.refresh_from_db()
    assert not world.mapping.confirmed
    events = AuditEvent.objects.filter(action="mapping.update").order_by("id")
    assert [e.changes["confirmed"] for e in events] == [[False, True], [True, False]]
    assert events[0].summary.startswith("Confirmed the mapping")


def test_an_editor_changes_a_mapping_kind_from_the_far_side(
    personas: Personas, world: World
) -> None:
    client = personas.client_for(personas.editor)
    kwargs = {
        "framework_slug": "clf",
        "identifier": node(world.clf, "C1").identifier,
        "mapping": world.mapping.identifier,
    }
    url = reverse("frameworks:mapping_edit", kwargs=kwargs)
    assert 'value="related" checked' in _body(client.get(url)).replace("\n", " ").replace(
        "  ", " "
    ) or "checked" in _body(client.get(url))
    # From C1's side: "narrower" means C1 contains MM1, so MM1 isPartOf C1.
    assert client.post(url, {"kind": "narrower", "note": "C1 contains MM1"}).status_code == 302
    world.mapping.refresh_from_db()
    assert world.mapping.association_type == AssociationType.IS_PART_OF
    assert (world.mapping.origin, world.mapping.destination) == (
        node(world.mm, "MM1"),
        node(world.clf, "C1"),
    )
    assert world.mapping.note == "C1 contains MM1"
    event = AuditEvent.objects.get(action="mapping.update")
    assert event.changes["kind"] == ["related", "narrower"]


def test_an_editor_deletes_a_mapping(personas: Personas, world: World) -> None:
    client = personas.client_for(personas.editor)
    url = reverse("frameworks:mapping_delete", kwargs=_mapping_kwargs(world))
    assert "Delete this mapping?" in _body(client.get(url))
    assert client.post(url).status_code == 302
    assert not Association.objects.filter(pk=world.mapping.pk).exists()
    event = AuditEvent.objects.get(action="mapping.delete")
    assert event.object_type == "frameworks.node" and event.object_id == str(
        node(world.mm, "MM1").pk
    )


def test_a_mapping_is_looked_up_through_its_item(personas: Personas, world: World) -> None:
    kwargs = {**_item_kwargs(world, "MM2"), "mapping": world.mapping.identifier}
    url = reverse("frameworks:mapping_delete", kwargs=kwargs)
    assert personas.client_for(personas.editor).get(url).status_code == 404


# --- audit -----------------------------------------------------------------------------


def test_every_service_writes_an_audit_event(world: World) -> None:
    actor = world.editor
    fw = services.framework_create(actor=actor, slug="x", title="X", publisher="P", kind="guidance")
    first = fw.editions.get()
    services.edition_update(actor=actor, edition=first, data={"publisher": "Q"})
    n1 = services.node_create(actor=actor, edition=first, code="X1", statement="One")
    n2 = services.node_create(actor=actor, edition=first, code="X2", statement="Two", parent=n1)
    services.node_update(actor=actor, node=n2, data={"statement": "Two, better"})
    a = services.mapping_create(
        actor=actor, from_node=n1, to_node=node(world.clf, "C1"), kind=MappingKind.RELATED
    )
    services.mapping_update(actor=actor, association=a, from_node=n1, confirmed=True)
    services.edition_publish(actor=actor, edition=first)
    second = services.edition_new(actor=actor, source=first, version="2")
    services.edition_publish(actor=actor, edition=second)
    services.edition_retire(actor=actor, edition=first)
    services.mapping_delete(actor=actor, association=a, from_node=n1)
    services.node_delete(actor=actor, node=n2)
    actions = list(
        AuditEvent.objects.filter(actor=actor).order_by("id").values_list("action", flat=True)
    )
    assert actions == [
        "framework.create",
        "edition.update",
        "node.create",
        "node.create",
        "node.update",
        "mapping.create",
        "mapping.update",
        "edition.publish",
        "edition.new",
        "edition.publish",
        "edition.retire",
        "mapping.delete",
        "node.delete",
    ]


def test_the_history_page_lists_who_changed_what_in_an_edition(
    personas: Personas, world: World
) -> None:
    actor = world.editor
    services.edition_update(actor=actor, edition=world.mm, data={"publisher": "SSSC"})
    added = services.node_create(actor=actor, edition=world.mm, code="MM9", statement="New one")
    services.mapping_update(
        actor=actor, association=world.mapping, from_node=node(world.mm, "MM1"), confirmed=True
    )
    services.node_delete(actor=actor, node=added)
    # A change elsewhere does not show.
    services.edition_update(actor=actor, edition=world.clf, data={"publisher": "Elsewhere"})
    body = _body(
        personas.client_for(personas.editor).get(
            reverse("frameworks:edition_history", kwargs=_edition_kwargs(world))
        )
    )
    text = _text(body)
    assert "4 changes" in text
    assert "Changed the details of" in text and "SSSC" in text
    assert "Added item MM9" in text and "Deleted item MM9" in text
    assert "Confirmed the mapping of MM1" in text
    assert "Elsewhere" not in text
    assert "eddie@standards.example" in text
    assert '<th scope="col"' in body and "<caption" in body


def test_the_history_keeps_the_earlier_events_of_deleted_items_and_mappings(
    personas: Personas, world: World
) -> None:
    actor = world.editor
    domain = services.node_create(actor=actor, edition=world.mm, code="MM9", statement="Nine")
    child = services.node_create(
        actor=actor, edition=world.mm, code="MM9.1", statement="Below", parent=domain
    )
    a = services.mapping_create(
        actor=actor, from_node=child, to_node=node(world.clf, "C2"), kind=MappingKind.EXACT
    )
    b = services.mapping_create(
        actor=actor,
        from_node=node(world.mm, "MM2"),
        to_node=node(world.clf, "C2"),
        kind=MappingKind.RELATED,
    )
    services.mapping_delete(actor=actor, association=b, from_node=node(world.mm, "MM2"))
    services.node_delete(actor=actor, node=domain)
    assert not Association.objects.filter(pk=a.pk).exists()
    text = _text(
        _body(
            personas.client_for(personas.editor).get(
                reverse("frameworks:edition_history", kwargs=_edition_kwargs(world))
            )
        )
    )
    assert "6 changes" in text
    for expected in (
        "Added item MM9 Nine",
        "Added item MM9.1 Below",
        "Mapped MM9.1 Below to C2",
        "Mapped MM2",
        "Deleted the mapping of MM2",
        "Deleted item MM9 Nine",
    ):
        assert expected in text, expected
    assert "_deleted" not in text
