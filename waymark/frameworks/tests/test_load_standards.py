"""The shipped standards: every framework and mapping file loads, idempotently, with
stable identifiers; a new edition value adds an edition and leaves the old one intact."""

from __future__ import annotations

import io
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from waymark.core.models import AuditEvent
from waymark.frameworks.interchange.package import WAYMARK_NAMESPACE
from waymark.frameworks.interchange.problems import InterchangeError
from waymark.frameworks.interchange.services import mapping_set_import, package_import
from waymark.frameworks.interchange.shipped import (
    DATA_DIR,
    framework_from_yaml,
    read_framework_yaml,
    read_mapping_yaml,
)
from waymark.frameworks.models import Association, Edition, Framework, Node


def load(path: Path | None = None) -> str:
    out = io.StringIO()
    args = ["--path", str(path)] if path else []
    call_command("load_standards", *args, stdout=out)
    return out.getvalue()


def state() -> dict[str, Any]:
    return {
        "frameworks": list(Framework.objects.order_by("slug").values_list("slug", "title")),
        "editions": list(
            Edition.objects.order_by("identifier").values_list(
                "identifier", "version", "is_current", "updated_at", "last_change"
            )
        ),
        "nodes": list(
            Node.objects.order_by("identifier").values_list(
                "identifier",
                "parent_id",
                "statement",
                "path",
                "parent_association_identifier",
                "last_change",
            )
        ),
        "associations": list(
            Association.objects.order_by("identifier").values_list(
                "identifier", "origin_id", "destination_id", "association_type", "note", "confirmed"
            )
        ),
        "audit": AuditEvent.objects.count(),
    }


def copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("*.md"))
    return target


def test_the_middle_manager_framework_has_9_domains_74_outcomes_and_2_central(db: None) -> None:
    load()
    edition = Edition.objects.get(framework__slug="middle-manager-llf", is_current=True)
    domains = edition.nodes.filter(parent__isnull=True)
    assert domains.count() == 9
    assert edition.nodes.filter(depth=1).count() == 74
    assert set(domains.filter(is_central=True).values_list("code", flat=True)) == {"MM1", "MM2"}
    assert edition.nodes.filter(is_central=True).count() == 2
    assert list(domains.values_list("code", flat=True)) == [f"MM{i}" for i in range(1, 10)]
    mm1 = domains.get(code="MM1")
    assert mm1.functional_area == "managing-self" and mm1.competence_type == "generic"
    assert mm1.children.count() == 11
    assert edition.origin == "shipped" and edition.publisher == "Scottish Social Services Council"
    assert set(edition.nodes.values_list("item_type__title", flat=True)) == {
        "Domain",
        "Learning outcome",
    }


def test_every_shipped_framework_file_loads(db: None) -> None:
    output = load()
    files = sorted((DATA_DIR / "frameworks").glob("*.yaml"))
    assert Edition.objects.count() == len(files) == 10
    for path in files:
        raw = yaml.safe_load(path.read_text())
        edition = Edition.objects.get(framework__slug=raw["slug"])
        assert edition.version == str(raw["edition"])
        assert f"frameworks/{path.name}: new edition" in output


def test_every_mapping_file_resolves_to_nodes_of_current_editions(db: None) -> None:
    load()
    for path in sorted((DATA_DIR / "mappings").glob("*.yaml")):
        raw = yaml.safe_load(path.read_text())
        rows = Association.objects.filter(case_extra__mapping_set=path.stem).select_related(
            "origin__edition__framework", "destination__edition__framework"
        )
        assert rows.count() == len(raw["mappings"])
        for row in rows:
            assert row.origin is not None and row.destination is not None
            assert row.origin.edition.is_current and row.destination.edition.is_current
            assert row.confirmed is raw["confirmed"]
            assert row.made_by_name == raw["made_by"]
            assert row.note
        pairs = {
            (
                f"{o.edition.framework.slug}:{o.code}",
                f"{d.edition.framework.slug}:{d.code}",
                r.association_type,
            )
            for r in rows
            if (o := r.origin) is not None and (d := r.destination) is not None
        }
        for m in raw["mappings"]:
            if m["type"] == "narrower":
                assert (m["to"], m["from"], "isPartOf") in pairs
            else:
                kind = {"exact": "exactMatchOf", "related": "isRelatedTo", "broader": "isPartOf"}[
                    m["type"]
                ]
                assert (m["from"], m["to"], kind) in pairs


def test_loading_twice_changes_nothing(db: None) -> None:
    load()
    before = state()
    output = load()
    assert state() == before
    assert output.count("unchanged") == 12
    assert "new" not in output and "updated" not in output.replace("0 updated", "")


def test_shipped_identifiers_are_uuid5_over_slug_edition_and_code(db: None) -> None:
    load()
    node = Node.objects.get(edition__framework__slug="middle-manager-llf", code="MM1.01")
    assert node.identifier == uuid.uuid5(WAYMARK_NAMESPACE, "middle-manager-llf/2015/MM1.01")
    edition = node.edition
    assert edition.identifier == uuid.uuid5(WAYMARK_NAMESPACE, "middle-manager-llf/2015")
    # Same namespace on every machine: the value itself is fixed.
    assert str(WAYMARK_NAMESPACE) == "6f1c6a52-4d0e-5b8e-9a3f-2b7d0c6e9a41"


def test_an_edited_statement_updates_the_edition_in_place(db: None, tmp_path: Path) -> None:
    load()
    node = Node.objects.get(edition__framework__slug="middle-manager-llf", code="MM1.07")
    data = copy_data(tmp_path)
    path = data / "frameworks" / "middle-manager-llf.yaml"
    text = path.read_text()
    path.write_text(
        text.replace(
            "adapt to different people and situations while remaining authentic",
            "adapt to different people and situations and stay authentic",
        )
    )
    output = load(data)
    assert "frameworks/middle-manager-llf.yaml: updated" in output
    again = Node.objects.get(pk=node.pk)
    assert again.statement == "adapt to different people and situations and stay authentic"
    assert again.identifier == node.identifier
    assert Edition.objects.filter(framework__slug="middle-manager-llf").count() == 1


def test_a_new_edition_value_adds_an_edition_and_keeps_the_old_one_intact(
    db: None, tmp_path: Path
) -> None:
    load()
    old = Edition.objects.get(framework__slug="middle-manager-llf")
    old_nodes = list(old.nodes.order_by("pk").values_list("pk", "identifier", "statement", "path"))
    old_mappings = set(Association.objects.filter(edition=old).values_list("pk", flat=True))
    data = copy_data(tmp_path)
    path = data / "frameworks" / "middle-manager-llf.yaml"
    text = path.read_text().replace('edition: "2015"', 'edition: "2016"')
    path.write_text(
        text.replace(
            "adapt to different people and situations while remaining authentic",
            "adapt to people and situations and stay authentic",
        )
    )
    output = load(data)
    assert "frameworks/middle-manager-llf.yaml: new edition" in output
    old.refresh_from_db()
    new = Edition.objects.get(framework__slug="middle-manager-llf", version="2016")
    assert new.is_current and not old.is_current
    assert (
        list(old.nodes.order_by("pk").values_list("pk", "identifier", "statement", "path"))
        == old_nodes
    )
    assert new.nodes.count() == 83
    assert (
        new.nodes.get(code="MM1.07").statement
        == "adapt to people and situations and stay authentic"
    )
    # The mapping files now resolve against the new edition; the old mappings stay for
    # whatever points at the old edition.
    assert set(Association.objects.filter(edition=old).values_list("pk", flat=True)) == old_mappings
    assert Association.objects.filter(edition=new).count() == len(old_mappings)
    assert load(data).count("unchanged") == 12


def test_removing_a_mapped_node_from_a_shipped_file_is_refused(db: None, tmp_path: Path) -> None:
    load()
    data = copy_data(tmp_path)
    path = data / "frameworks" / "clf-leadership-capabilities.yaml"
    raw = yaml.safe_load(path.read_text())
    raw["nodes"] = [n for n in raw["nodes"] if n["code"] != "C4"]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False))
    before = state()
    err = io.StringIO()
    with pytest.raises(
        CommandError, match=r"1 file\(s\) not loaded: frameworks/clf-leadership-capabilities.yaml"
    ):
        call_command("load_standards", "--path", str(data), stdout=io.StringIO(), stderr=err)
    assert "are no longer in the file, but other records point at them" in err.getvalue()
    assert "C4" in err.getvalue()
    assert state() == before


def test_a_shipped_file_with_mistakes_lists_every_one(db: None) -> None:
    raw = {
        "slug": "broken",
        "title": "Broken",
        "publisher": "Me",
        "edition": "1",
        "kind": "sometimes",
        "colour": "red",
        "nodes": [
            {"code": "B1", "statement": "One", "scqf_level": 13, "functional_area": "juggling"},
            {"code": "B1", "statement": "Again"},
            {"code": "B2", "children": [{"statement": "no code", "central": "yes"}]},
        ],
    }
    with pytest.raises(InterchangeError) as exc:
        package_import(
            package=framework_from_yaml(raw, name="broken.yaml"), actor=None, origin="shipped"
        )
    text = "\n".join(str(p) for p in exc.value.problems)
    assert "“colour” is not a framework field" in text
    assert "broken.yaml: node “B1”: the code “B1” is used twice" in text
    assert "broken.yaml: node “B2”: “statement” is missing." in text
    assert "nodes[2].children[0]: “code” is missing." in text
    assert "“central” must be true or false." in text
    assert Framework.objects.count() == 0


def test_a_mapping_to_an_unknown_code_is_refused(db: None) -> None:
    load()
    mapping = read_mapping_yaml(
        b"title: T\nmade_by: me\nconfirmed: false\nmappings:\n"
        b"  - {from: middle-manager-llf:MM99, to: clf-leadership-capabilities:C1, type: related}\n"
        b"  - {from: nowhere:X1, to: clf-leadership-capabilities:C1, type: sideways}\n",
        name="bad.yaml",
    )
    before = Association.objects.count()
    with pytest.raises(InterchangeError) as exc:
        mapping_set_import(mapping_set=mapping, actor=None)
    text = "\n".join(str(p) for p in exc.value.problems)
    assert "the current edition of “middle-manager-llf” has no item with the code “MM99”" in text
    assert "there is no framework “nowhere”" in text
    assert "type “sideways” is not one of" in text
    assert Association.objects.count() == before


def test_a_yaml_syntax_error_names_the_line(db: None) -> None:
    with pytest.raises(InterchangeError) as exc:
        read_framework_yaml(b"slug: x\ntitle: [unclosed\n", name="x.yaml")
    assert "x.yaml, line 3" in str(exc.value.problems[0]) or "x.yaml, line 2" in str(
        exc.value.problems[0]
    )


def test_reloading_keeps_what_other_parts_of_waymark_stored_in_case_extra(db: None) -> None:
    load()
    edition = Edition.objects.get(framework__slug="clf-leadership-capabilities")
    edition.case_extra = {"derivedFrom": "something"}
    edition.save(update_fields=["case_extra"])
    node = edition.nodes.get(code="C1")
    node.case_extra = {"note_by_editor": "kept"}
    node.save(update_fields=["case_extra"])
    load()
    edition.refresh_from_db()
    node.refresh_from_db()
    assert edition.case_extra == {"derivedFrom": "something"}
    assert node.case_extra == {"note_by_editor": "kept"}
