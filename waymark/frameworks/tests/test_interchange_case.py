"""CASE 1.0 JSON packages in and out: the five shared real packages, round trips, the
lenient repairs of an older OpenSALT export, and every kind of bad file (all or nothing)."""

from __future__ import annotations

import copy
import json
import os
import uuid
from pathlib import Path
from typing import Any

import pytest

from waymark.core.models import AuditEvent
from waymark.frameworks.interchange.case_json import read_case
from waymark.frameworks.interchange.export import export_edition
from waymark.frameworks.interchange.files import read_bytes, read_path
from waymark.frameworks.interchange.package import Package
from waymark.frameworks.interchange.problems import InterchangeError
from waymark.frameworks.interchange.services import ImportResult, package_import
from waymark.frameworks.models import Association, Edition, Framework, ItemType, Node

CASE_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "testdata" / "case"
ORDERING = "opensalt_Ordering.json"
SAMPLE = "opensalt_sample_framework_20c5134f.json"
SMARTLEVEL = "opensalt_SmartLevelFramework.json"
HSMATH = "smarterbalanced_mockHSMATH.json"
DOK = "smarterbalanced_mockDOK.json"

pytestmark = pytest.mark.skipif(
    not CASE_DIR.is_dir() and not os.environ.get("CI"), reason="shared CASE test data not present"
)

# name: (items, associations in the file, isChildOf among them)
EXPECTED = {
    ORDERING: (28, 28, 28),
    SAMPLE: (16, 39, 16),
    SMARTLEVEL: (14, 14, 14),
    HSMATH: (86, 126, 86),
    DOK: (15, 15, 15),
}

BASE_URL = "https://waymark.example"


def case_bytes(name: str) -> bytes:
    return (CASE_DIR / name).read_bytes()


def case_data(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(case_bytes(name))
    return data


def import_json(data: dict[str, Any] | bytes, **kwargs: Any) -> ImportResult:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    package = read_case(raw, lenient=kwargs.pop("lenient", True))
    return package_import(package=package, actor=None, origin="imported", **kwargs)


def import_file(name: str, **kwargs: Any) -> ImportResult:
    return import_json(case_bytes(name), **kwargs)


def row_counts() -> dict[str, int]:
    return {
        "frameworks": Framework.objects.count(),
        "editions": Edition.objects.count(),
        "nodes": Node.objects.count(),
        "associations": Association.objects.count(),
        "item types": ItemType.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def snapshot(edition: Edition) -> dict[str, Any]:
    """Everything a round trip must keep: items, tree, associations, identifiers."""
    nodes = list(edition.nodes.select_related("parent", "item_type"))
    return {
        "document": (str(edition.identifier), edition.title, edition.version, edition.publisher),
        "items": {
            str(n.identifier): (
                n.code,
                n.title,
                n.statement,
                n.item_type_label,
                str(n.item_type.identifier) if n.item_type else None,
                str(n.parent.identifier) if n.parent else None,
                str(n.parent_association_identifier),
                n.path,
                n.depth,
                n.sequence,
                n.competence_type,
                n.functional_area,
                n.scqf_level,
                n.is_central,
                n.notes,
            )
            for n in nodes
        },
        "associations": {
            str(a.identifier): (
                a.association_type,
                a.origin_identifier,
                a.destination_identifier,
                a.origin_id is not None,
                a.destination_id is not None,
                a.sequence_number,
                a.confirmed,
                a.made_by_name,
                a.note,
            )
            for a in edition.associations.all()
        },
    }


def forget(edition: Edition) -> None:
    """Remove an edition (and its framework if it was the only one), as on a fresh database."""
    framework = edition.framework
    edition.delete()
    if not framework.editions.exists():
        framework.delete()


def problems_of(exc: pytest.ExceptionInfo[InterchangeError]) -> str:
    return "\n".join(str(p) for p in exc.value.problems)


def minimal_package(
    items: list[dict[str, Any]], associations: list[dict[str, Any]]
) -> dict[str, Any]:
    doc = "11111111-1111-4111-8111-111111111111"
    return {
        "CFDocument": {
            "identifier": doc,
            "uri": f"https://example.org/{doc}",
            "creator": "Test",
            "title": "A small framework",
            "lastChangeDateTime": "2024-01-01T00:00:00Z",
        },
        "CFItems": items,
        "CFAssociations": associations,
        "CFDefinitions": {},
    }


def item(ident: str, statement: str = "A statement", **extra: Any) -> dict[str, Any]:
    return {
        "identifier": ident,
        "uri": f"https://example.org/{ident}",
        "fullStatement": statement,
        "lastChangeDateTime": "2024-01-01T00:00:00Z",
        **extra,
    }


def child_of(ident: str, origin: str, destination: str, **extra: Any) -> dict[str, Any]:
    return {
        "identifier": ident,
        "uri": f"https://example.org/{ident}",
        "associationType": "isChildOf",
        "originNodeURI": {
            "title": "o",
            "identifier": origin,
            "uri": f"https://example.org/{origin}",
        },
        "destinationNodeURI": {
            "title": "d",
            "identifier": destination,
            "uri": f"https://example.org/{destination}",
        },
        "lastChangeDateTime": "2024-01-01T00:00:00Z",
        **extra,
    }


DOC = "11111111-1111-4111-8111-111111111111"
A = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
B = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"
C = "cccccccc-cccc-4ccc-8ccc-cccccccccccc"
AS1 = "a1a1a1a1-0000-4000-8000-000000000001"
AS2 = "a1a1a1a1-0000-4000-8000-000000000002"
AS3 = "a1a1a1a1-0000-4000-8000-000000000003"


# --------------------------------------------------------------------- the real packages


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_shared_case_package_imports_with_the_counts_in_sources(db: None, name: str) -> None:
    items, associations, tree = EXPECTED[name]
    result = import_file(name)
    edition = result.edition
    assert result.items == items
    assert result.tree_associations == tree
    assert result.tree_associations + result.associations == associations
    assert edition.nodes.count() == items
    assert edition.associations.count() == associations - tree
    assert str(edition.identifier) == case_data(name)["CFDocument"]["identifier"]
    # The tree: every item is placed, and its path orders it under its parent.
    for node in edition.nodes.select_related("parent"):
        if node.parent is not None:
            assert node.path.startswith(node.parent.path)
            assert node.depth == node.parent.depth + 1
        else:
            assert node.depth == 0


def test_the_ordering_package_keeps_28_items_under_28_isChildOf(db: None) -> None:
    data = case_data(ORDERING)
    edition = import_file(ORDERING).edition
    parents = {
        a["originNodeURI"]["identifier"]: a["destinationNodeURI"]["identifier"]
        for a in data["CFAssociations"]
    }
    tree_ids = {a["identifier"] for a in data["CFAssociations"]}
    nodes = list(edition.nodes.select_related("parent"))
    assert {str(n.parent_association_identifier) for n in nodes} == tree_ids
    for n in nodes:
        expected = parents[str(n.identifier)]
        assert (str(n.parent.identifier) if n.parent else str(edition.identifier)) == expected


def test_the_sample_framework_keeps_its_39_associations_and_far_ends(db: None) -> None:
    edition = import_file(SAMPLE).edition
    kinds = sorted(edition.associations.values_list("association_type", flat=True))
    assert kinds.count("exactMatchOf") == 16
    assert kinds.count("precedes") == 3
    assert kinds.count("exemplar") == 2
    assert kinds.count("isRelatedTo") == 2
    assert edition.nodes.count() + len(kinds) == 39
    # An end outside Waymark keeps its identifier, address and title.
    far = edition.associations.filter(destination__isnull=True, association_type="exemplar").first()
    assert far is not None
    assert far.destination_uri.startswith("http://opensalt-staging.opened.com/uri/https://")
    assert far.destination_title == "Destination"
    assert ItemType.objects.filter(title__in=["Cluster", "Standard", "Component"]).count() == 3


def test_cross_framework_associations_resolve_across_editions(db: None) -> None:
    dok = import_file(DOK).edition
    hsmath = import_file(HSMATH).edition
    into_dok = Association.objects.filter(edition=hsmath, destination__edition=dok)
    assert into_dok.exists()
    # Loaded the other way round, the ends stay identifiers until the far framework comes.
    assert hsmath.associations.filter(destination__isnull=True).count() < 24


def test_item_types_and_other_definitions_are_kept(db: None) -> None:
    edition = import_file(HSMATH).edition
    assert ItemType.objects.count() == 13
    assert edition.case_extra["CFDefinitions"]["CFSubjects"][0]["title"] == "Math"
    assert edition.case_extra["subject"] == ["Math"]
    assert edition.official_source_url.startswith("https://case.smarterbalanced.org/")
    exported = json.loads(export_edition(edition, "case", base_url=BASE_URL).content)
    assert (
        exported["CFDefinitions"]["CFSubjects"][0]["identifier"]
        == "d41fb0f6-b390-11e7-9a98-233b080813ce"
    )
    assert len(exported["CFDefinitions"]["CFItemTypes"]) == 13
    assert exported["CFDocument"]["subject"] == ["Math"]


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_case_import_export_import_keeps_items_tree_associations_and_identifiers(
    db: None, name: str
) -> None:
    first = import_file(name).edition
    before = snapshot(first)
    exported = export_edition(first, "case", base_url=BASE_URL).content
    forget(first)
    again = import_json(exported).edition
    assert snapshot(again) == before


def test_the_exported_package_is_spec_shaped(db: None) -> None:
    edition = import_file(SAMPLE).edition
    data = json.loads(export_edition(edition, "case", base_url=BASE_URL).content)
    assert set(data) >= {"CFDocument", "CFItems", "CFAssociations", "CFDefinitions"}
    doc = data["CFDocument"]
    for key in ("identifier", "uri", "creator", "title", "lastChangeDateTime"):
        assert doc[key]
    assert doc["lastChangeDateTime"].endswith("Z")

    def is_link(value: Any) -> bool:
        return isinstance(value, dict) and set(value) == {"title", "identifier", "uri"}

    for it in data["CFItems"]:
        assert uuid.UUID(it["identifier"])
        assert it["fullStatement"] and it["uri"] and it["lastChangeDateTime"].endswith("Z")
        if "CFItemTypeURI" in it:
            assert is_link(it["CFItemTypeURI"])
    tree = [a for a in data["CFAssociations"] if a["associationType"] == "isChildOf"]
    assert len(tree) == 16
    tops = [a for a in tree if a["destinationNodeURI"]["identifier"] == doc["identifier"]]
    assert len(tops) == 2
    for a in data["CFAssociations"]:
        assert is_link(a["originNodeURI"]) and is_link(a["destinationNodeURI"])
        assert a["lastChangeDateTime"].endswith("Z")
    assert all(isinstance(a["sequenceNumber"], int) for a in tree)


def test_waymark_fields_survive_a_case_round_trip_in_extensions(db: None) -> None:
    data = minimal_package(
        [
            item(
                A,
                "Lead people",
                humanCodingScheme="D1",
                extensions={
                    "waymark": {
                        "competence_type": "generic",
                        "functional_area": "working-with-people",
                        "is_central": True,
                    },
                    "acme": {"colour": "blue"},
                },
            ),
            item(
                B,
                "Hold supervision",
                humanCodingScheme="D1.1",
                extensions={"waymark": {"scqf_level": 9, "derived_from": "x"}},
            ),
        ],
        [child_of(AS1, A, DOC), child_of(AS2, B, A)],
    )
    data["CFDocument"]["extensions"] = {
        "waymark": {
            "kind": "mandatory",
            "assesses": "organisation",
            "historical": True,
            "short_title": "Small",
            "publication_date": "2019-04-01",
        }
    }
    edition = import_json(data).edition
    a = edition.nodes.get(code="D1")
    b = edition.nodes.get(code="D1.1")
    assert (a.competence_type, a.functional_area, a.is_central) == (
        "generic",
        "working-with-people",
        True,
    )
    assert b.scqf_level == 9 and b.parent == a
    assert (edition.kind, edition.assesses, edition.historical, edition.short_title) == (
        "mandatory",
        "organisation",
        True,
        "Small",
    )
    assert str(edition.publication_date) == "2019-04-01"
    before = snapshot(edition)
    exported = json.loads(export_edition(edition, "case", base_url=BASE_URL).content)
    by_id = {i["identifier"]: i for i in exported["CFItems"]}
    assert by_id[A]["extensions"]["waymark"]["functional_area"] == "working-with-people"
    assert by_id[A]["extensions"]["acme"] == {"colour": "blue"}
    assert by_id[B]["extensions"]["waymark"]["scqf_level"] == 9
    assert by_id[B]["extensions"]["waymark"]["derived_from"] == "x"
    forget(edition)
    again = import_json(exported).edition
    assert snapshot(again) == before
    assert again.kind == "mandatory" and again.historical


# ------------------------------------------------------------------------ lenient repairs


def test_the_older_opensalt_export_imports_with_warnings_saying_what_was_repaired(db: None) -> None:
    result = import_file(SAMPLE)
    text = "\n".join(str(w) for w in result.warnings)
    assert "CFPackageURI is a plain string" in text
    assert "educationalLevel is not a CASE field; read as educationLevel" in text
    assert "sequenceNumber is the text “1”, not a number; read as 1" in text
    assert "CFDefinitions.CFItemTypes[0]" in text and "description is null" in text
    assert "CFItemAssociationURI is not a CASE 1.0 CFItem field" in text
    assert "CFAssociations[15] (identifier a7364b9e-91e7-4b09-875f-5eab0d3e6f7c)" in text
    stored = result.edition.import_warnings
    assert len(stored) == len(result.warnings)
    assert {"where", "message"} <= set(stored[0])
    node = result.edition.nodes.get(code="CCSS.Math.Content.6.RP.A")
    assert node.case_extra["educationLevel"] == "06"
    assert "educationalLevel" not in node.case_extra


def test_a_strict_import_refuses_the_older_export_and_writes_nothing(db: None) -> None:
    before = row_counts()
    with pytest.raises(InterchangeError) as exc:
        read_case(case_bytes(SAMPLE), lenient=False)
    text = problems_of(exc)
    assert "Strict import: not repaired" in text
    assert "educationalLevel" in text and "CFPackageURI is a plain string" in text
    assert row_counts() == before


def test_the_conformant_packages_import_without_warnings(db: None) -> None:
    for name in (ORDERING, SMARTLEVEL, DOK, HSMATH):
        assert import_file(name, lenient=False).warnings == []


def test_an_item_with_no_isChildOf_goes_to_the_top_level_with_a_warning(db: None) -> None:
    result = import_json(minimal_package([item(A), item(B)], [child_of(AS1, A, DOC)]))
    assert result.edition.nodes.get(identifier=B).parent is None
    assert any(
        "no isChildOf association places this item" in w.message and B in w.where
        for w in result.warnings
    )


def test_a_second_isChildOf_is_kept_as_an_association(db: None) -> None:
    edition = import_json(
        minimal_package(
            [item(A), item(B), item(C)],
            [
                child_of(AS1, A, DOC),
                child_of(AS2, B, DOC),
                child_of(AS3, C, A),
                child_of("a1a1a1a1-0000-4000-8000-000000000004", C, B),
            ],
        )
    ).edition
    assert edition.nodes.get(identifier=C).parent.identifier == uuid.UUID(A)  # type: ignore[union-attr]
    second = edition.associations.get()
    assert second.association_type == "isChildOf" and second.destination.identifier == uuid.UUID(B)  # type: ignore[union-attr]
    exported = json.loads(export_edition(edition, "case", base_url=BASE_URL).content)
    assert sum(a["associationType"] == "isChildOf" for a in exported["CFAssociations"]) == 4


# ------------------------------------------------------------------------------ bad input


def assert_refused(data: bytes, *expected: str, lenient: bool = True) -> str:
    before = row_counts()
    with pytest.raises(InterchangeError) as exc:
        package = read_bytes(data, name="bad.json", lenient=lenient)
        assert isinstance(package, Package)
        package_import(package=package, actor=None, origin="imported")
    text = problems_of(exc)
    for phrase in expected:
        assert phrase in text, f"{phrase!r} not in:\n{text}"
    assert row_counts() == before
    return text


def test_it_refuses_malformed_json_with_line_and_column_and_writes_nothing(db: None) -> None:
    assert_refused(
        b'{\n  "CFDocument": {\n    "title": "x",,\n  }\n}',
        "line 3, column 18",
        "This is not valid JSON",
    )


def test_it_refuses_json_that_is_not_a_cfpackage(db: None) -> None:
    assert_refused(b'{"CFItems": []}', "not a CASE package: it has no CFDocument")
    assert_refused(b"[1, 2]", "not a CASE package")


def test_it_refuses_an_empty_file(db: None) -> None:
    assert_refused(b"", "The file is empty.")
    assert_refused(b"   \n", "The file is empty.")


def test_it_refuses_wrong_types_naming_the_item(db: None) -> None:
    data = minimal_package([item(A, statement=["not", "text"]), item("not-a-uuid")], [])  # type: ignore[arg-type]
    data["CFAssociations"] = {"not": "a list"}
    text = assert_refused(
        json.dumps(data).encode(),
        f"CFItems[0] (identifier {A}): fullStatement must be text, not a list",
        "CFItems[1]: identifier “not-a-uuid” is not a UUID",
        "CFAssociations: CFAssociations must be a list",
    )
    assert text.count("\n") >= 2  # every problem, not just the first


def test_it_refuses_missing_required_fields_naming_the_item_identifier(db: None) -> None:
    no_statement = item(B)
    del no_statement["fullStatement"]
    data = minimal_package([item(A), no_statement], [child_of(AS1, A, DOC), child_of(AS2, B, DOC)])
    del data["CFDocument"]["title"]
    assert_refused(
        json.dumps(data).encode(),
        f"CFItems[1] (identifier {B}): fullStatement is missing",
        "title is missing",
    )


def test_it_refuses_duplicate_identifiers(db: None) -> None:
    data = minimal_package(
        [item(A), item(A, "Again")], [child_of(AS1, A, DOC), child_of(AS1, A, DOC)]
    )
    assert_refused(json.dumps(data).encode(), f"identifier {A} is used by more than one item")


def test_it_refuses_an_isChildOf_pointing_at_nothing(db: None) -> None:
    nowhere = "99999999-9999-4999-8999-999999999999"
    data = minimal_package([item(A)], [child_of(AS1, A, nowhere)])
    assert_refused(
        json.dumps(data).encode(),
        f"isChildOf points at {nowhere}",
        "neither the CFDocument, an item in this file, nor an item already in Waymark",
    )


def test_it_refuses_a_cyclic_isChildOf_and_writes_nothing(db: None) -> None:
    data = minimal_package(
        [
            item(A, humanCodingScheme="X1"),
            item(B, humanCodingScheme="X2"),
            item(C, humanCodingScheme="X3"),
        ],
        [child_of(AS1, A, B), child_of(AS2, B, C), child_of(AS3, C, A)],
    )
    assert_refused(
        json.dumps(data).encode(),
        "isChildOf associations form a loop",
        "X1 → X2 → X3 → X1",
        "a framework must be a tree",
    )


def test_it_refuses_an_unknown_association_type(db: None) -> None:
    data = minimal_package([item(A)], [child_of(AS1, A, DOC, associationType="isCousinOf")])
    assert_refused(
        json.dumps(data).encode(), "associationType “isCousinOf” is not a CASE association type"
    )


def test_it_refuses_bad_waymark_values_in_extensions(db: None) -> None:
    data = minimal_package(
        [item(A, extensions={"waymark": {"scqf_level": 13, "functional_area": "juggling"}})],
        [child_of(AS1, A, DOC)],
    )
    assert_refused(
        json.dumps(data).encode(),
        "SCQF level 13 is outside 1 to 12",
        "functional area “juggling” is not one of",
    )


def test_it_refuses_a_file_over_the_size_limit_before_reading_it(
    db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.WAYMARK_MAX_IMPORT_BYTES = 20 * 1024 * 1024
    big = tmp_path / "big.json"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk

    def never(self: Path) -> bytes:
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", never)
    with pytest.raises(InterchangeError) as exc:
        read_path(big)
    assert "The file is 50.0 MB; the largest file Waymark imports is 20.0 MB." in problems_of(exc)


# ------------------------------------------------------------------- existing editions


def test_reimporting_the_same_document_is_refused_without_replace(db: None) -> None:
    import_file(ORDERING)
    before = row_counts()
    with pytest.raises(InterchangeError) as exc:
        import_file(ORDERING)
    assert "is already in Waymark" in problems_of(exc) and "replace" in problems_of(exc)
    assert row_counts() == before


def test_replace_updates_the_edition_in_place(db: None) -> None:
    first = import_file(ORDERING).edition
    node_pks = dict(first.nodes.values_list("identifier", "pk"))
    data = case_data(ORDERING)
    changed = copy.deepcopy(data)
    changed["CFItems"][0]["fullStatement"] = "A new statement"
    dropped = changed["CFItems"].pop()
    changed["CFAssociations"] = [
        a
        for a in changed["CFAssociations"]
        if a["originNodeURI"]["identifier"] != dropped["identifier"]
    ]
    result = import_json(changed, replace=True)
    assert result.edition.pk == first.pk and not result.created and result.changed
    node = result.edition.nodes.get(identifier=data["CFItems"][0]["identifier"])
    assert node.statement == "A new statement" and node.pk == node_pks[node.identifier]
    assert result.edition.nodes.count() == 27
    assert AuditEvent.objects.filter(action="framework.edition_updated").count() == 1


def test_replacing_with_the_same_file_changes_nothing(db: None) -> None:
    import_file(SAMPLE)
    before = row_counts()
    result = import_file(SAMPLE, replace=True)
    assert not result.changed
    assert row_counts() == before


def test_replace_is_refused_while_another_edition_points_at_its_items(db: None) -> None:
    import_file(DOK)
    import_file(HSMATH)  # its isRelatedTo associations point at DOK's items
    before = row_counts()
    with pytest.raises(InterchangeError) as exc:
        import_file(DOK, replace=True)
    assert "cannot be replaced, because other records point at its items" in problems_of(exc)
    assert "HS Mathematics Item Specification C1 TH" in problems_of(exc)
    assert row_counts() == before


def test_an_import_with_an_existing_framework_slug_becomes_its_current_edition(db: None) -> None:
    old = import_file(ORDERING).edition
    data = case_data(ORDERING)
    data["CFDocument"]["identifier"] = "22222222-2222-4222-8222-222222222222"
    data["CFDocument"]["version"] = "2"
    for it in data["CFItems"]:
        it["identifier"] = str(uuid.uuid5(uuid.NAMESPACE_URL, it["identifier"]))
    ids = {
        i: str(uuid.uuid5(uuid.NAMESPACE_URL, i))
        for i in [x["identifier"] for x in case_data(ORDERING)["CFItems"]]
    }
    for a in data["CFAssociations"]:
        a["identifier"] = str(uuid.uuid5(uuid.NAMESPACE_URL, a["identifier"]))
        a["originNodeURI"]["identifier"] = ids[a["originNodeURI"]["identifier"]]
        dest = a["destinationNodeURI"]["identifier"]
        a["destinationNodeURI"]["identifier"] = ids.get(
            dest, "22222222-2222-4222-8222-222222222222"
        )
    new = import_json(data, framework_slug=old.framework.slug).edition
    old.refresh_from_db()
    assert new.framework == old.framework
    assert new.is_current and not old.is_current
    assert old.nodes.count() == 28


def test_a_draft_edition_does_not_take_over_as_current(db: None) -> None:
    first = import_json(
        minimal_package([item(A)], [child_of(AS1, A, DOC)]), framework_slug="small"
    ).edition
    data = minimal_package([item(B)], [child_of(AS2, B, "22222222-2222-4222-8222-222222222222")])
    data["CFDocument"]["identifier"] = "22222222-2222-4222-8222-222222222222"
    data["CFDocument"]["extensions"] = {"waymark": {"status": "draft"}}
    draft = import_json(data, framework_slug="small").edition
    first.refresh_from_db()
    assert first.is_current and not draft.is_current and draft.status == "draft"


def test_item_identifiers_already_used_by_another_edition_are_refused(db: None) -> None:
    import_file(ORDERING)
    data = case_data(ORDERING)
    data["CFDocument"]["identifier"] = "33333333-3333-4333-8333-333333333333"
    before = row_counts()
    with pytest.raises(InterchangeError) as exc:
        import_json(data)
    assert "is already used by an item of “ACT Holistic Framework, Math”" in problems_of(exc)
    assert row_counts() == before


def test_an_import_is_audited(db: None) -> None:
    edition = import_file(DOK).edition
    event = AuditEvent.objects.get(action="framework.edition_imported")
    assert event.object_id == str(edition.pk)
    assert event.changes["items"] == 15


def test_imported_and_replaced_items_are_found_by_search(db: None) -> None:
    from waymark.frameworks.selectors import search_nodes

    import_file(ORDERING)
    assert search_nodes("Geometry").total >= 1
    data = case_data(ORDERING)
    data["CFItems"][0]["fullStatement"] = "Tessellations of the hyperbolic plane"
    import_json(data, replace=True)
    assert search_nodes("hyperbolic").total == 1
    assert search_nodes("Properties and measurements of and relationships").total == 0
