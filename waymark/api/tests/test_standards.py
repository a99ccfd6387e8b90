"""The standards through the API: frameworks, editions, items and the map of competences.
Anyone signed in reads; only standards editors change mappings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from rest_framework.test import APIClient

from waymark.conftest import Personas
from waymark.core.models import AuditEvent
from waymark.core.tests.factories import (
    AssociationFactory,
    EditionFactory,
    FrameworkFactory,
    NodeFactory,
)
from waymark.frameworks.models import Association, Edition, EditionStatus, Node

from .conftest import client_as

pytestmark = pytest.mark.django_db


@dataclass
class Standards:
    mm: Edition  # Middle Manager framework, guidance, individual
    iip: Edition  # Investors in People, aspirational, organisation, historical
    draft: Edition  # a draft framework, editors only
    domain: Node
    outcome: Node
    outcome2: Node
    principle: Node
    draft_node: Node
    mapping: Association  # domain related to principle, unconfirmed


@pytest.fixture
def std(personas: Personas) -> Standards:
    mm = EditionFactory.create(
        framework=FrameworkFactory.create(slug="middle-manager", title="Middle Manager framework"),
        kind="guidance",
        assesses="individual",
    )
    iip = EditionFactory.create(
        framework=FrameworkFactory.create(slug="iip", title="Investors in People"),
        kind="aspirational",
        assesses="organisation",
        historical=True,
    )
    draft = EditionFactory.create(
        framework=FrameworkFactory.create(slug="draft-one", title="Draft framework"),
        status=EditionStatus.DRAFT,
    )
    domain = NodeFactory.create(
        edition=mm, parent=None, code="MM1", item_type_label="Domain", competence_type="generic"
    )
    outcome = NodeFactory.create(
        edition=mm,
        parent=domain,
        code="MM1.01",
        item_type_label="Learning outcome",
        functional_area="managing-self",
        scqf_level=10,
    )
    outcome2 = NodeFactory.create(
        edition=mm, parent=domain, code="MM1.02", item_type_label="Learning outcome"
    )
    principle = NodeFactory.create(edition=iip, parent=None, code="P1", item_type_label="Principle")
    draft_node = NodeFactory.create(edition=draft, parent=None, code="D1")
    mapping = AssociationFactory.create(
        origin=domain, destination=principle, association_type="isRelatedTo", confirmed=False
    )
    return Standards(mm, iip, draft, domain, outcome, outcome2, principle, draft_node, mapping)


def results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return list(response.json()["results"])


# --- frameworks and editions ------------------------------------------------------------


def test_it_lists_frameworks_with_their_current_edition(personas: Personas, std: Standards) -> None:
    rows = results(client_as(personas.manager).get("/api/v1/frameworks/"))
    by_slug = {r["slug"]: r for r in rows}
    assert set(by_slug) == {"middle-manager", "iip"}
    assert by_slug["middle-manager"]["current_edition"]["identifier"] == str(std.mm.identifier)
    assert by_slug["iip"]["current_edition"]["assesses"] == "organisation"


def test_it_shows_draft_frameworks_to_standards_editors_only(
    personas: Personas, std: Standards
) -> None:
    slugs = {r["slug"] for r in results(client_as(personas.editor).get("/api/v1/frameworks/"))}
    assert "draft-one" in slugs
    manager = client_as(personas.manager)
    assert manager.get("/api/v1/frameworks/draft-one/").status_code == 404
    assert manager.get(f"/api/v1/editions/{std.draft.identifier}/").status_code == 404
    assert manager.get(f"/api/v1/nodes/{std.draft_node.identifier}/").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=aspirational", {"iip"}),
        ("kind=guidance", {"middle-manager"}),
        ("assesses=organisation", {"iip"}),
        ("historical=true", {"iip"}),
        ("historical=false", {"middle-manager"}),
    ],
)
def test_it_filters_frameworks_by_their_current_edition(
    personas: Personas, std: Standards, query: str, expected: set[str]
) -> None:
    rows = results(client_as(personas.manager).get(f"/api/v1/frameworks/?{query}"))
    assert {r["slug"] for r in rows} == expected


def test_it_refuses_an_unknown_kind_of_framework_field_by_field(
    personas: Personas, std: Standards
) -> None:
    response = client_as(personas.manager).get("/api/v1/frameworks/?kind=compulsory")
    assert response.status_code == 400
    assert "kind" in response.json()


def test_it_shows_a_framework_with_its_editions(personas: Personas, std: Standards) -> None:
    old = EditionFactory.create(framework=std.mm.framework, version="0.9", is_current=False)
    body = client_as(personas.manager).get("/api/v1/frameworks/middle-manager/").json()
    assert body["title"] == "Middle Manager framework"
    assert [e["identifier"] for e in body["editions"]] == [
        str(std.mm.identifier),
        str(old.identifier),
    ]


def test_it_lists_the_editions_of_a_framework(personas: Personas, std: Standards) -> None:
    EditionFactory.create(framework=std.mm.framework, version="0.9", is_current=False)
    rows = results(client_as(personas.manager).get("/api/v1/editions/?framework=middle-manager"))
    assert {r["version"] for r in rows} == {"1", "0.9"}
    assert all(r["framework"] == "middle-manager" for r in rows)


def test_it_shows_an_edition_by_its_identifier(personas: Personas, std: Standards) -> None:
    body = client_as(personas.manager).get(f"/api/v1/editions/{std.mm.identifier}/").json()
    assert body["framework"] == "middle-manager"
    assert body["case_uri"].endswith(f"/ims/case/v1p0/CFPackages/{std.mm.identifier}")


# --- nodes ------------------------------------------------------------------------------


def test_it_shows_an_item_with_its_parent_children_and_mappings_both_ways(
    personas: Personas, std: Standards
) -> None:
    api = client_as(personas.manager)
    domain = api.get(f"/api/v1/nodes/{std.domain.identifier}/").json()
    assert domain["parent"] is None
    assert domain["children"] == [str(std.outcome.identifier), str(std.outcome2.identifier)]
    assert domain["framework"] == "middle-manager"
    assert domain["edition"] == str(std.mm.identifier)
    [out] = domain["mappings"]
    assert out["direction"] == "outgoing"
    assert out["kind"] == "related"
    assert out["node"]["identifier"] == str(std.principle.identifier)
    assert out["node"]["framework"] == "iip"

    principle = api.get(f"/api/v1/nodes/{std.principle.identifier}/").json()
    [incoming] = principle["mappings"]
    assert incoming["direction"] == "incoming"
    assert incoming["node"]["identifier"] == str(std.domain.identifier)

    outcome = api.get(f"/api/v1/nodes/{std.outcome.identifier}/").json()
    assert outcome["parent"] == str(std.domain.identifier)


def test_it_hides_mappings_to_draft_items_from_readers(personas: Personas, std: Standards) -> None:
    AssociationFactory.create(origin=std.domain, destination=std.draft_node)
    mappings = (
        client_as(personas.manager)
        .get(f"/api/v1/nodes/{std.domain.identifier}/")
        .json()["mappings"]
    )
    assert [m["node"]["identifier"] for m in mappings] == [str(std.principle.identifier)]


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("code=mm1.01", {"MM1.01"}),
        ("item_type=domain", {"MM1"}),
        ("competence_type=generic", {"MM1"}),
        ("functional_area=managing-self", {"MM1.01"}),
        ("scqf_level=10", {"MM1.01"}),
        ("top_level=true&framework=middle-manager", {"MM1"}),
    ],
)
def test_it_filters_items(personas: Personas, std: Standards, query: str, codes: set[str]) -> None:
    rows = results(client_as(personas.manager).get(f"/api/v1/nodes/?{query}"))
    assert {r["code"] for r in rows} == codes


def test_it_filters_items_by_edition_and_parent(personas: Personas, std: Standards) -> None:
    api = client_as(personas.manager)
    in_edition = results(api.get(f"/api/v1/nodes/?edition={std.iip.identifier}"))
    assert {r["code"] for r in in_edition} == {"P1"}
    children = results(api.get(f"/api/v1/nodes/?parent={std.domain.identifier}"))
    assert [r["code"] for r in children] == ["MM1.01", "MM1.02"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("scqf_level=ten", "scqf_level"),
        ("competence_type=heroic", "competence_type"),
        ("edition=not-a-uuid", "edition"),
    ],
)
def test_it_refuses_bad_item_filters_field_by_field(
    personas: Personas, std: Standards, query: str, field: str
) -> None:
    response = client_as(personas.manager).get(f"/api/v1/nodes/?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_it_pages_items_with_limit_and_offset(personas: Personas, std: Standards) -> None:
    body = client_as(personas.manager).get("/api/v1/nodes/?limit=2&offset=1").json()
    assert body["count"] == 4
    assert len(body["results"]) == 2
    assert "offset=3" in body["next"]


# --- mappings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("confirmed=false", {"domain-principle"}),
        ("confirmed=true", {"outcome-principle"}),
        ("type=exactMatchOf", {"outcome-principle"}),
        ("type=isRelatedTo", {"domain-principle"}),
    ],
)
def test_it_filters_mappings(
    personas: Personas, std: Standards, query: str, expected: set[str]
) -> None:
    AssociationFactory.create(
        origin=std.outcome, destination=std.principle, association_type="exactMatchOf"
    )
    rows = results(client_as(personas.manager).get(f"/api/v1/mappings/?{query}"))
    codes = {f"{r['origin']['code']}-{r['destination']['code']}" for r in rows}
    named = {"MM1-P1": "domain-principle", "MM1.01-P1": "outcome-principle"}
    assert {named[c] for c in codes} == expected


def test_it_filters_mappings_by_an_item_at_either_end(personas: Personas, std: Standards) -> None:
    api = client_as(personas.manager)
    assert len(results(api.get(f"/api/v1/mappings/?node={std.principle.identifier}"))) == 1
    assert len(results(api.get(f"/api/v1/mappings/?node={std.domain.identifier}"))) == 1
    assert results(api.get(f"/api/v1/mappings/?node={std.outcome.identifier}")) == []


def test_a_standards_editor_maps_one_item_to_another(personas: Personas, std: Standards) -> None:
    response = client_as(personas.editor).post(
        "/api/v1/mappings/",
        {
            "from_node": str(std.outcome.identifier),
            "to_node": str(std.principle.identifier),
            "kind": "broader",
            "note": "The principle covers this outcome",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["type"] == "isPartOf"
    assert body["kind"] == "broader"
    assert body["origin"]["identifier"] == str(std.outcome.identifier)
    assert body["confirmed"] is False
    assert body["made_by_name"] == "Eddie Editor"
    assert AuditEvent.objects.filter(action="mapping.create", actor=personas.editor).exists()


@pytest.mark.parametrize("who", ["manager", "ld_lead", "admin", "outsider"])
def test_only_standards_editors_may_change_mappings(
    personas: Personas, std: Standards, who: str
) -> None:
    api = client_as(getattr(personas, who))
    url = f"/api/v1/mappings/{std.mapping.identifier}/"
    create = api.post(
        "/api/v1/mappings/",
        {
            "from_node": str(std.outcome.identifier),
            "to_node": str(std.principle.identifier),
            "kind": "exact",
        },
        format="json",
    )
    assert create.status_code == 403
    assert api.patch(url, {"confirmed": True}, format="json").status_code == 403
    assert api.delete(url).status_code == 403
    assert api.get(url).status_code == 200
    assert Association.objects.filter(pk=std.mapping.pk, confirmed=False).exists()


def test_anonymous_callers_cannot_change_mappings(api: APIClient, std: Standards) -> None:
    assert api.post("/api/v1/mappings/", {}, format="json").status_code == 401


def test_a_standards_editor_confirms_a_mapping(personas: Personas, std: Standards) -> None:
    response = client_as(personas.editor).patch(
        f"/api/v1/mappings/{std.mapping.identifier}/", {"confirmed": True}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["confirmed"] is True
    std.mapping.refresh_from_db()
    assert std.mapping.confirmed
    assert AuditEvent.objects.filter(action="mapping.update").exists()


def test_a_standards_editor_changes_a_mappings_kind_from_either_side(
    personas: Personas, std: Standards
) -> None:
    response = client_as(personas.editor).patch(
        f"/api/v1/mappings/{std.mapping.identifier}/",
        {"kind": "broader", "from_node": str(std.principle.identifier)},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    # the principle is inside the domain: principle isPartOf domain
    assert body["type"] == "isPartOf"
    assert body["origin"]["identifier"] == str(std.principle.identifier)


def test_a_standards_editor_deletes_a_mapping(personas: Personas, std: Standards) -> None:
    response = client_as(personas.editor).delete(f"/api/v1/mappings/{std.mapping.identifier}/")
    assert response.status_code == 204
    assert not Association.objects.filter(pk=std.mapping.pk).exists()
    assert AuditEvent.objects.filter(action="mapping.delete").exists()


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({}, {"from_node", "to_node", "kind"}),
        ({"from_node": "nope", "to_node": "nope", "kind": "exact"}, {"from_node", "to_node"}),
        ({"from_node": "{outcome}", "to_node": "{principle}", "kind": "sideways"}, {"kind"}),
        ({"from_node": "{outcome}", "to_node": "{outcome}", "kind": "exact"}, {"to_node"}),
        ({"from_node": "{domain}", "to_node": "{principle}", "kind": "exact"}, {"to_node"}),
        (
            {
                "from_node": "00000000-0000-4000-8000-000000000000",
                "to_node": "{principle}",
                "kind": "exact",
            },
            {"from_node"},
        ),
    ],
    ids=["empty", "not-uuids", "bad-kind", "itself", "already-mapped", "unknown-item"],
)
def test_it_refuses_a_bad_mapping_field_by_field(
    personas: Personas, std: Standards, payload: dict[str, str], fields: set[str]
) -> None:
    ids = {
        "{outcome}": str(std.outcome.identifier),
        "{principle}": str(std.principle.identifier),
        "{domain}": str(std.domain.identifier),
    }
    data = {k: ids.get(v, v) for k, v in payload.items()}
    response = client_as(personas.editor).post("/api/v1/mappings/", data, format="json")
    assert response.status_code == 400
    assert set(response.json()) == fields
    assert Association.objects.count() == 1


def test_it_refuses_a_kind_change_read_from_an_item_outside_the_mapping(
    personas: Personas, std: Standards
) -> None:
    response = client_as(personas.editor).patch(
        f"/api/v1/mappings/{std.mapping.identifier}/",
        {"kind": "exact", "from_node": str(std.outcome.identifier)},
        format="json",
    )
    assert response.status_code == 400
    assert "from_node" in response.json()


# --- queries ----------------------------------------------------------------------------


def _grow(std: Standards, n: int) -> None:
    for i in range(n):
        framework = FrameworkFactory.create()
        edition = EditionFactory.create(framework=framework)
        EditionFactory.create(framework=framework, is_current=False, version=f"0.{i}")
        node = NodeFactory.create(edition=edition, parent=None)
        child = NodeFactory.create(edition=edition, parent=node)
        AssociationFactory.create(origin=node, destination=std.domain)
        AssociationFactory.create(origin=std.outcome, destination=child)


@pytest.mark.parametrize(
    ("url", "most"),
    [
        ("/api/v1/frameworks/", 3),
        ("/api/v1/frameworks/middle-manager/", 3),
        ("/api/v1/editions/", 2),
        ("/api/v1/nodes/", 5),
        ("/api/v1/mappings/", 2),
    ],
)
def test_list_endpoints_take_the_same_number_of_queries_however_many_rows(
    personas: Personas, std: Standards, django_assert_max_num_queries: Any, url: str, most: int
) -> None:
    api = client_as(personas.manager)
    for grown in (False, True):
        if grown:
            _grow(std, 6)
        with django_assert_max_num_queries(most):
            assert api.get(url).status_code == 200
