"""The public 1EdTech CASE 1.0 service at /ims/case/v1p0/: shapes, errors, visibility
of published editions only, and a constant number of queries."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from waymark.core.tests.factories import (
    AssociationFactory,
    EditionFactory,
    FrameworkFactory,
    ItemTypeFactory,
    NodeFactory,
)
from waymark.frameworks.case_api import case_json
from waymark.frameworks.models import Association, Edition, EditionStatus, ItemType, Node

pytestmark = pytest.mark.django_db

BASE = "/ims/case/v1p0"
ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

# Required properties of each CASE 1.0 object (the spec's JSON binding).
REQUIRED = {
    "CFDocument": {"identifier", "uri", "creator", "title", "lastChangeDateTime", "CFPackageURI"},
    "CFPckgDocument": {"identifier", "uri", "creator", "title", "lastChangeDateTime"},
    "CFItem": {"identifier", "fullStatement", "uri", "lastChangeDateTime", "CFDocumentURI"},
    "CFPckgItem": {"identifier", "fullStatement", "uri", "lastChangeDateTime"},
    "CFAssociation": {
        "identifier",
        "associationType",
        "uri",
        "originNodeURI",
        "destinationNodeURI",
        "lastChangeDateTime",
    },
    "CFItemType": {
        "identifier",
        "uri",
        "title",
        "description",
        "hierarchyCode",
        "lastChangeDateTime",
    },
    "CFLicense": {"identifier", "uri", "title", "licenseText", "lastChangeDateTime"},
}


def assert_shape(obj: dict[str, Any], kind: str) -> None:
    missing = REQUIRED[kind] - set(obj)
    assert not missing, f"{kind} lacks {missing}"
    assert ISO_Z.match(obj["lastChangeDateTime"]), obj["lastChangeDateTime"]
    assert None not in obj.values(), f"{kind} has a null: CASE 1.0 has no nullable properties"
    for key, value in obj.items():
        if key.endswith("URI") and isinstance(value, dict):
            assert set(value) == {"title", "identifier", "uri"}, f"{key} is not a LinkURI"


def assert_status_info(response: Any, status: int, minor: str) -> dict[str, Any]:
    assert response.status_code == status
    body = response.json()
    assert body["imsx_codeMajor"] == "failure"
    assert body["imsx_severity"] == "error"
    assert body["imsx_description"]
    field = body["imsx_codeMinor"]["imsx_codeMinorField"][0]
    assert field["imsx_codeMinorFieldValue"] == minor
    assert field["imsx_codeMinorFieldName"]
    return body


@dataclass
class Tree:
    edition: Edition
    domain: Node
    outcome1: Node
    outcome2: Node
    other: Node  # in another published framework
    mapping: Association  # domain exactMatchOf other
    incoming: Association  # other isRelatedTo outcome1, stored in the other edition
    item_type: ItemType


@pytest.fixture
def tree() -> Tree:
    item_type = ItemTypeFactory.create(title="Domain", hierarchy_code="1", description="A domain")
    edition = EditionFactory.create(
        framework=FrameworkFactory.create(slug="middle-manager", title="Middle Manager framework"),
        title="Middle Manager framework",
        version="2008",
        publisher="Scottish Social Services Council",
        licence="© SSSC. Reproduced with attribution.",
        source="Seed 000 §4.2",
        kind="guidance",
        last_change=dt.datetime(2024, 5, 1, 12, 30, tzinfo=dt.UTC),
    )
    domain = NodeFactory.create(
        edition=edition,
        parent=None,
        code="MM1",
        title="Self-leadership",
        statement="Middle managers lead themselves.",
        item_type=item_type,
        item_type_label="Domain",
        competence_type="generic",
        functional_area="managing-self",
        scqf_level=10,
        is_central=True,
        sequence=1,
    )
    outcome1 = NodeFactory.create(edition=edition, parent=domain, code="MM1.01", sequence=1)
    outcome2 = NodeFactory.create(edition=edition, parent=domain, code="MM1.02", sequence=2)
    other = NodeFactory.create(parent=None, code="C1", statement="Leading with vision")
    mapping = AssociationFactory.create(
        origin=domain, destination=other, association_type="exactMatchOf", note="Same idea"
    )
    incoming = AssociationFactory.create(origin=other, destination=outcome1)
    return Tree(edition, domain, outcome1, outcome2, other, mapping, incoming, item_type)


def get(client: Client, path: str, **params: Any) -> Any:
    return client.get(BASE + path, params)


# --- CFDocuments ----------------------------------------------------------------------


def test_it_lists_published_CFDocuments_without_sign_in(client: Client, tree: Tree) -> None:
    EditionFactory.create(title="A draft", status=EditionStatus.DRAFT)
    EditionFactory.create(title="A retired one", status=EditionStatus.RETIRED)
    response = get(client, "/CFDocuments")
    assert response.status_code == 200
    docs = response.json()["CFDocuments"]
    titles = [d["title"] for d in docs]
    assert "Middle Manager framework" in titles
    assert "A draft" not in titles and "A retired one" not in titles
    for d in docs:
        assert_shape(d, "CFDocument")
    assert response["X-Total-Count"] == str(len(docs))
    assert response["Access-Control-Allow-Origin"] == "*"


def test_it_answers_the_CFDocuments_list_with_a_trailing_slash_too(
    client: Client, tree: Tree
) -> None:
    assert get(client, "/CFDocuments/").status_code == 200


def test_it_pages_CFDocuments_with_limit_and_offset(client: Client) -> None:
    for i in range(5):
        EditionFactory.create(title=f"Framework {i}")
    first = get(client, "/CFDocuments", limit=2, offset=0)
    assert [d["title"] for d in first.json()["CFDocuments"]] == ["Framework 0", "Framework 1"]
    assert first["X-Total-Count"] == "5"
    assert 'rel="next"' in first["Link"] and "offset=2" in first["Link"]
    last = get(client, "/CFDocuments", limit=2, offset=4)
    assert [d["title"] for d in last.json()["CFDocuments"]] == ["Framework 4"]
    assert 'rel="next"' not in last["Link"] and 'rel="prev"' in last["Link"]


def test_it_sorts_CFDocuments_by_a_field_in_either_order(client: Client) -> None:
    for title in ("Beta", "Alpha", "Gamma"):
        EditionFactory.create(title=title)
    response = get(client, "/CFDocuments", sort="title", orderBy="desc")
    assert [d["title"] for d in response.json()["CFDocuments"]] == ["Gamma", "Beta", "Alpha"]


def test_it_filters_CFDocuments(client: Client) -> None:
    EditionFactory.create(title="Leadership qualities", version="2002", publisher="NHS")
    EditionFactory.create(title="Leadership capabilities", version="2011", publisher="SSSC")
    EditionFactory.create(title="Management standards", version="2008", publisher="MSC")

    def titles(expr: str) -> list[str]:
        response = get(client, "/CFDocuments", filter=expr)
        assert response.status_code == 200, response.json()
        return sorted(d["title"] for d in response.json()["CFDocuments"])

    assert titles("title~'leadership'") == ["Leadership capabilities", "Leadership qualities"]
    assert titles("title~'leadership' AND version>'2005'") == ["Leadership capabilities"]
    assert titles("publisher='NHS' OR publisher='MSC'") == [
        "Leadership qualities",
        "Management standards",
    ]
    assert titles("version!='2002'") == ["Leadership capabilities", "Management standards"]


def test_it_filters_CFDocuments_by_last_change(client: Client) -> None:
    EditionFactory.create(title="Old", last_change=dt.datetime(2001, 1, 1, tzinfo=dt.UTC))
    EditionFactory.create(title="New", last_change=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    response = get(client, "/CFDocuments", filter="lastChangeDateTime>'2020-01-01T00:00:00Z'")
    assert [d["title"] for d in response.json()["CFDocuments"]] == ["New"]


def test_it_returns_only_the_fields_asked_for(client: Client, tree: Tree) -> None:
    response = get(
        client, "/CFDocuments", fields="identifier,title", filter="title='Middle Manager framework'"
    )
    assert response.json()["CFDocuments"] == [
        {"identifier": str(tree.edition.identifier), "title": "Middle Manager framework"}
    ]


@pytest.mark.parametrize(
    ("params", "field", "minor"),
    [
        ({"filter": "colour='blue'"}, "filter", "invalid_selection_field"),
        ({"filter": "title~leadership"}, "filter", "invalid_selection_field"),
        (
            {"filter": "title='a' AND version='b' OR version='c'"},
            "filter",
            "invalid_selection_field",
        ),
        ({"filter": "lastChangeDateTime>'yesterday'"}, "filter", "invalid_selection_field"),
        ({"sort": "colour"}, "sort", "invalid_sort_field"),
        ({"orderBy": "sideways"}, "orderBy", "invalid_selection_field"),
        ({"limit": "0"}, "limit", "invalid_selection_field"),
        ({"limit": "many"}, "limit", "invalid_selection_field"),
        ({"offset": "-1"}, "offset", "invalid_selection_field"),
        ({"fields": "identifier,colour"}, "fields", "invalid_selection_field"),
    ],
)
def test_it_answers_bad_CFDocuments_parameters_with_the_status_envelope(
    client: Client, params: dict[str, str], field: str, minor: str
) -> None:
    body = assert_status_info(get(client, "/CFDocuments", **params), 400, minor)
    assert body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldName"] == field


# --- single objects -------------------------------------------------------------------


def test_it_answers_a_CFDocument_in_CASE_shape(client: Client, tree: Tree) -> None:
    doc = get(client, f"/CFDocuments/{tree.edition.identifier}").json()
    assert_shape(doc, "CFDocument")
    ident = str(tree.edition.identifier)
    assert doc["identifier"] == ident
    assert doc["uri"] == f"http://testserver{BASE}/CFDocuments/{ident}"
    assert doc["creator"] == "Scottish Social Services Council"
    assert doc["lastChangeDateTime"] == "2024-05-01T12:30:00Z"
    assert doc["adoptionStatus"] == "Adopted"
    assert doc["CFPackageURI"] == {
        "title": "Middle Manager framework",
        "identifier": ident,
        "uri": f"http://testserver{BASE}/CFPackages/{ident}",
    }
    assert doc["licenseURI"]["uri"].startswith(f"http://testserver{BASE}/CFLicenses/")
    waymark = doc["extensions"]["waymark"]
    assert waymark["kind"] == "guidance"
    assert waymark["assesses"] == "individual"
    assert waymark["historical"] is False
    assert waymark["slug"] == "middle-manager"


def test_it_keeps_an_editions_own_uri(client: Client) -> None:
    edition = EditionFactory.create(uri="https://example.org/frameworks/abc")
    doc = get(client, f"/CFDocuments/{edition.identifier}").json()
    assert doc["uri"] == "https://example.org/frameworks/abc"


def test_it_answers_a_CFPackage_with_the_whole_tree(client: Client, tree: Tree) -> None:
    response = get(client, f"/CFPackages/{tree.edition.identifier}")
    assert response.status_code == 200
    package = response.json()
    assert_shape(package["CFDocument"], "CFPckgDocument")
    assert "CFPackageURI" not in package["CFDocument"]
    assert [i["humanCodingScheme"] for i in package["CFItems"]] == ["MM1", "MM1.01", "MM1.02"]
    for item in package["CFItems"]:
        assert_shape(item, "CFPckgItem")
    for assoc in package["CFAssociations"]:
        assert_shape(assoc, "CFAssociation")
    children = [a for a in package["CFAssociations"] if a["associationType"] == "isChildOf"]
    assert {a["identifier"] for a in children} == {
        str(n.parent_association_identifier) for n in (tree.domain, tree.outcome1, tree.outcome2)
    }
    top = next(
        a for a in children if a["originNodeURI"]["identifier"] == str(tree.domain.identifier)
    )
    assert top["destinationNodeURI"]["identifier"] == str(tree.edition.identifier)
    mapping = next(a for a in package["CFAssociations"] if a["associationType"] == "exactMatchOf")
    assert mapping["destinationNodeURI"]["identifier"] == str(tree.other.identifier)
    definitions = package["CFDefinitions"]
    assert [t["title"] for t in definitions["CFItemTypes"]] == ["Domain"]
    assert_shape(definitions["CFItemTypes"][0], "CFItemType")
    assert definitions["CFLicenses"][0]["licenseText"] == "© SSSC. Reproduced with attribution."


def test_it_answers_a_CFItem_with_waymarks_fields_as_extensions(client: Client, tree: Tree) -> None:
    item = get(client, f"/CFItems/{tree.domain.identifier}").json()
    assert_shape(item, "CFItem")
    assert item["fullStatement"] == "Middle managers lead themselves."
    assert item["abbreviatedStatement"] == "Self-leadership"
    assert item["humanCodingScheme"] == "MM1"
    assert item["CFItemType"] == "Domain"
    assert item["CFItemTypeURI"]["identifier"] == str(tree.item_type.identifier)
    assert item["CFDocumentURI"]["identifier"] == str(tree.edition.identifier)
    assert item["uri"] == f"http://testserver{BASE}/CFItems/{tree.domain.identifier}"
    assert item["extensions"]["waymark"] == {
        "competence_type": "generic",
        "functional_area": "managing-self",
        "scqf_level": 10,
        "is_central": True,
    }


def test_it_merges_unmodelled_CASE_fields_back_into_a_CFItem(client: Client, tree: Tree) -> None:
    tree.outcome1.case_extra = {
        "alternativeLabel": "Outcome one",
        "conceptKeywords": ["ethics"],
        "fullStatement": "An out-of-date statement",
        "derivedFrom": "1b7e0cf2-0000-4000-8000-000000000000",
        "extensions": {"other": {"x": 1}},
    }
    tree.outcome1.uri = "https://example.org/items/1"
    tree.outcome1.save()
    item = get(client, f"/CFItems/{tree.outcome1.identifier}").json()
    assert item["alternativeLabel"] == "Outcome one"
    assert item["conceptKeywords"] == ["ethics"]
    assert item["fullStatement"] == tree.outcome1.statement
    assert "derivedFrom" not in item
    assert item["extensions"]["waymark"]["derivedFrom"] == "1b7e0cf2-0000-4000-8000-000000000000"
    assert item["extensions"]["other"] == {"x": 1}
    assert item["uri"] == "https://example.org/items/1"


def test_it_answers_CFItemAssociations_both_ways_with_the_isChildOf_ones(
    client: Client, tree: Tree
) -> None:
    body = get(client, f"/CFItemAssociations/{tree.domain.identifier}").json()
    assert_shape(body["CFItem"], "CFItem")
    by_id = {a["identifier"]: a for a in body["CFAssociations"]}
    for a in by_id.values():
        assert_shape(a, "CFAssociation")
    # its own place in the tree, its children's, and the mapping it makes
    assert set(by_id) == {
        str(tree.domain.parent_association_identifier),
        str(tree.outcome1.parent_association_identifier),
        str(tree.outcome2.parent_association_identifier),
        str(tree.mapping.identifier),
    }
    incoming = get(client, f"/CFItemAssociations/{tree.outcome1.identifier}").json()
    types = {a["associationType"]: a for a in incoming["CFAssociations"]}
    assert types["isRelatedTo"]["originNodeURI"]["identifier"] == str(tree.other.identifier)
    assert types["isChildOf"]["destinationNodeURI"]["identifier"] == str(tree.domain.identifier)


def test_it_answers_a_stored_CFAssociation(client: Client, tree: Tree) -> None:
    assoc = get(client, f"/CFAssociations/{tree.mapping.identifier}").json()
    assert_shape(assoc, "CFAssociation")
    assert assoc["associationType"] == "exactMatchOf"
    assert assoc["originNodeURI"]["identifier"] == str(tree.domain.identifier)
    assert assoc["CFDocumentURI"]["identifier"] == str(tree.edition.identifier)
    assert assoc["extensions"]["waymark"]["confirmed"] is True


def test_it_answers_an_isChildOf_CFAssociation_by_its_identifier(
    client: Client, tree: Tree
) -> None:
    assoc = get(client, f"/CFAssociations/{tree.outcome2.parent_association_identifier}").json()
    assert_shape(assoc, "CFAssociation")
    assert assoc["associationType"] == "isChildOf"
    assert assoc["originNodeURI"]["identifier"] == str(tree.outcome2.identifier)
    assert assoc["destinationNodeURI"]["identifier"] == str(tree.domain.identifier)
    assert assoc["sequenceNumber"] == 2


def test_it_answers_an_association_to_something_outside_waymark(client: Client, tree: Tree) -> None:
    far = "5f0e9d1c-1111-4222-8333-444455556666"
    outside = Association.objects.create(
        edition=tree.edition,
        association_type="isRelatedTo",
        origin=tree.outcome2,
        origin_identifier=str(tree.outcome2.identifier),
        destination_identifier=far,
        destination_title="A standard elsewhere",
        destination_uri="https://example.org/items/far",
    )
    assoc = get(client, f"/CFAssociations/{outside.identifier}").json()
    assert assoc["destinationNodeURI"] == {
        "title": "A standard elsewhere",
        "identifier": far,
        "uri": "https://example.org/items/far",
    }


def test_it_answers_a_CFItemType_with_the_types_below_it(client: Client) -> None:
    top = ItemTypeFactory.create(title="Domain", hierarchy_code="7")
    ItemTypeFactory.create(title="Outcome", hierarchy_code="7.1")
    ItemTypeFactory.create(title="Elsewhere", hierarchy_code="8")
    body = get(client, f"/CFItemTypes/{top.identifier}").json()
    assert [t["title"] for t in body["CFItemTypes"]] == ["Domain", "Outcome"]
    for t in body["CFItemTypes"]:
        assert_shape(t, "CFItemType")


def test_it_answers_the_CFLicense_of_an_edition(client: Client, tree: Tree) -> None:
    doc = get(client, f"/CFDocuments/{tree.edition.identifier}").json()
    licence = client.get(doc["licenseURI"]["uri"]).json()
    assert_shape(licence, "CFLicense")
    assert licence["licenseText"] == "© SSSC. Reproduced with attribution."


# --- errors and visibility ------------------------------------------------------------

PATHS = [
    "CFDocuments",
    "CFPackages",
    "CFItems",
    "CFItemAssociations",
    "CFAssociations",
    "CFItemTypes",
    "CFLicenses",
]


@pytest.mark.parametrize("path", PATHS)
def test_it_answers_an_unknown_identifier_with_the_status_envelope(
    client: Client, path: str
) -> None:
    response = get(client, f"/{path}/{uuid.uuid4()}")
    body = assert_status_info(response, 404, "unknownobject")
    assert (
        body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldName"] == "sourcedId"
    )


@pytest.mark.parametrize("path", PATHS)
def test_it_answers_an_invalid_uuid_with_the_status_envelope(client: Client, path: str) -> None:
    assert_status_info(get(client, f"/{path}/not-a-uuid"), 400, "invaliduuid")


def test_it_answers_an_unknown_CFItem_with_the_status_envelope(client: Client) -> None:
    body = assert_status_info(get(client, f"/CFItems/{uuid.uuid4()}"), 404, "unknownobject")
    assert "CFItem" in body["imsx_description"]


@pytest.mark.parametrize("status", [EditionStatus.DRAFT, EditionStatus.RETIRED])
def test_it_hides_every_object_of_an_unpublished_edition(
    client: Client, tree: Tree, status: str
) -> None:
    Edition.objects.filter(pk=tree.edition.pk).update(status=status)
    for path in (
        f"/CFDocuments/{tree.edition.identifier}",
        f"/CFPackages/{tree.edition.identifier}",
        f"/CFItems/{tree.domain.identifier}",
        f"/CFItemAssociations/{tree.domain.identifier}",
        f"/CFAssociations/{tree.mapping.identifier}",
        f"/CFAssociations/{tree.domain.parent_association_identifier}",
        f"/CFLicenses/{case_json.license_identifier(tree.edition)}",
    ):
        assert_status_info(get(client, path), 404, "unknownobject")
    # and the published side no longer shows the association to the hidden item
    other = get(client, f"/CFItemAssociations/{tree.other.identifier}").json()
    assert str(tree.mapping.identifier) not in {a["identifier"] for a in other["CFAssociations"]}


def test_it_is_read_only(client: Client, tree: Tree) -> None:
    response = client.post(f"{BASE}/CFDocuments/{tree.edition.identifier}", {})
    assert response.status_code == 405
    assert response.json()["imsx_codeMajor"] == "failure"


# --- queries --------------------------------------------------------------------------


def _grow(tree: Tree, n: int) -> None:
    for i in range(n):
        leaf = NodeFactory.create(
            edition=tree.edition, parent=tree.outcome1, item_type=ItemTypeFactory.create()
        )
        AssociationFactory.create(origin=leaf, destination=tree.other)
        AssociationFactory.create(origin=tree.other, destination=tree.domain)
        EditionFactory.create(title=f"More {i}")


def test_it_answers_each_path_in_a_constant_number_of_queries(
    client: Client, tree: Tree, django_assert_max_num_queries: Any
) -> None:
    paths = {
        "/CFDocuments": 2,
        f"/CFDocuments/{tree.edition.identifier}": 1,
        f"/CFPackages/{tree.edition.identifier}": 3,
        f"/CFItems/{tree.domain.identifier}": 1,
        f"/CFItemAssociations/{tree.domain.identifier}": 3,
        f"/CFAssociations/{tree.mapping.identifier}": 1,
        f"/CFAssociations/{tree.outcome1.parent_association_identifier}": 2,
        f"/CFItemTypes/{tree.item_type.identifier}": 2,
    }
    for grown in (False, True):
        if grown:
            _grow(tree, 8)
        for path, most in paths.items():
            with django_assert_max_num_queries(most):
                assert get(client, path).status_code == 200, path


def test_a_CFPackage_reads_back_through_the_interchange_reader_without_a_warning(
    client: Client, tree: Tree
) -> None:
    interchange = pytest.importorskip("waymark.frameworks.interchange.case_json")
    tree.edition.case_extra = {"CFDocument": {"subject": ["Leadership"]}}
    tree.edition.save()
    data = get(client, f"/CFPackages/{tree.edition.identifier}").content
    package = interchange.read_case(data)
    assert package.warnings == []
    assert package.document.kind == "guidance"
    assert package.document.extra["subject"] == ["Leadership"]
    domain = next(i for i in package.items if i.code == "MM1")
    assert (domain.competence_type, domain.functional_area, domain.scqf_level) == (
        "generic",
        "managing-self",
        10,
    )
    assert domain.is_central
    [mapping] = package.associations
    assert (mapping.association_type, mapping.confirmed, mapping.note) == (
        "exactMatchOf",
        True,
        "Same idea",
    )


def test_it_puts_back_what_an_import_kept_of_the_document_and_package(
    client: Client, tree: Tree
) -> None:
    unused = ItemTypeFactory.create(title="Cluster")
    tree.edition.case_extra = {
        "CFDocument": {"subject": ["Leadership"], "title": "An old title"},
        "creator": "The original author",
        "CFDefinitions": {"CFConcepts": [{"identifier": "c-1", "title": "Ethics"}]},
        "CFRubrics": [{"identifier": "r-1"}],
        "itemTypes": [str(unused.identifier)],
        "derivedFrom": "0b0c0d0e-0000-4000-8000-000000000000",
    }
    tree.edition.save()
    doc = get(client, f"/CFDocuments/{tree.edition.identifier}").json()
    assert doc["subject"] == ["Leadership"]
    assert doc["title"] == "Middle Manager framework"
    assert doc["creator"] == "The original author"
    assert doc["extensions"]["waymark"]["derivedFrom"] == "0b0c0d0e-0000-4000-8000-000000000000"
    for own in ("CFDefinitions", "CFRubrics", "itemTypes", "CFDocument"):
        assert own not in doc
    package = get(client, f"/CFPackages/{tree.edition.identifier}").json()
    assert package["CFDefinitions"]["CFConcepts"] == [{"identifier": "c-1", "title": "Ethics"}]
    assert package["CFRubrics"] == [{"identifier": "r-1"}]
    assert {t["title"] for t in package["CFDefinitions"]["CFItemTypes"]} == {"Domain", "Cluster"}


def test_it_names_the_grouping_of_a_shipped_mapping(client: Client, tree: Tree) -> None:
    grouping = {"title": "Domains to capabilities", "identifier": str(uuid.uuid4()), "uri": ""}
    tree.mapping.case_extra = {
        "mappingSet": "mm-to-clf",
        "CFAssociationGroupingURI": grouping,
        "grouping": {"title": "Domains to capabilities", "description": "Read side by side"},
    }
    tree.mapping.save()
    assoc = get(client, f"/CFAssociations/{tree.mapping.identifier}").json()
    assert assoc["CFAssociationGroupingURI"] == grouping
    assert "mappingSet" not in assoc and "grouping" not in assoc
    assert "mappingSet" not in assoc["extensions"]["waymark"]
    package = get(client, f"/CFPackages/{tree.edition.identifier}").json()
    [defined] = package["CFDefinitions"]["CFAssociationGroupings"]
    assert defined["identifier"] == grouping["identifier"]
    assert defined["description"] == "Read side by side"
