"""The catalogue format: reading JSON, YAML and CSV, every problem reported with its
place and nothing written, all-or-nothing saves, export of the public catalogue only,
and round trips that keep everything."""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waymark.core.models import AuditEvent
from waymark.core.tests.factories import OrganisationFactory
from waymark.frameworks.interchange.problems import InterchangeError
from waymark.frameworks.models import Node
from waymark.signposting.interchange import (
    catalogue_import,
    export_csv,
    export_document,
    export_json,
    read_catalogue,
)
from waymark.signposting.models import (
    Provider,
    Qualification,
    QualificationUnit,
    Resource,
    ResourceNode,
)

from .curation_helpers import as_yaml, catalogue, make_frameworks

pytestmark = pytest.mark.django_db


@pytest.fixture
def nodes(db: None) -> dict[str, Node]:
    return make_frameworks()


def problems_of(data: bytes, name: str, **kwargs: Any) -> list[str]:
    with pytest.raises(InterchangeError) as caught:
        read_catalogue(data, name=name, **kwargs)
    return [str(p) for p in caught.value.problems]


def assert_nothing_written() -> None:
    assert Provider.objects.count() == 0
    assert Resource.objects.count() == 0
    assert Qualification.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def load(document: dict[str, Any], name: str = "catalogue.json") -> Any:
    data = json.dumps(document).encode()
    return catalogue_import(package=read_catalogue(data, name=name), actor=None)


# ------------------------------------------------------------------------ good files


def test_it_imports_every_field_of_a_yaml_catalogue(nodes: dict[str, Node]) -> None:
    result = catalogue_import(
        package=read_catalogue(as_yaml(catalogue()), name="c.yaml"), actor=None
    )
    assert (result.providers.created, result.resources.created) == (2, 2)
    assert result.qualifications.created == 1
    guide = Resource.objects.get(slug="scie-leading-change")
    assert guide.provider is not None and guide.provider.slug == "scie"
    assert guide.manager_levels == ["first-line", "middle"]
    assert {(t.node.code, t.coverage) for t in guide.tags.select_related("node")} == {
        ("MM3.04", "main"),
        ("C2", "part"),
    }
    sets = Resource.objects.get(slug="nw-action-learning")
    assert (sets.cost_from, sets.cost_to, str(sets.hours), sets.scqf_level) == (450, 900, "7.5", 9)
    assert sets.historical and sets.historical_as_of == "2006" and sets.status == "draft"
    svq = Qualification.objects.get(slug="svq4-lmcs")
    assert [u.code for u in svq.units.all()] == ["U1", "U2"]
    assert [n.code for n in svq.units.get(code="U1").nodes.all()] == ["MM3.04"]
    assert not svq.units.get(code="U2").mandatory
    assert [p.slug for p in svq.providers.all()] == ["scie"]


def test_it_records_each_entry_and_the_import_in_the_audit_trail(nodes: dict[str, Node]) -> None:
    load(catalogue())
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("provider.import") == 2
    assert actions.count("resource.import") == 2
    assert actions.count("qualification.import") == 1
    assert actions.count("catalogue.import") == 1


def test_importing_the_same_file_again_changes_nothing(nodes: dict[str, Node]) -> None:
    load(catalogue())
    events = AuditEvent.objects.count()
    result = load(catalogue())
    assert not result.changed
    assert result.resources.unchanged == 2 and result.qualifications.unchanged == 1
    assert AuditEvent.objects.count() == events


def test_it_updates_by_slug_and_replaces_the_node_tags_of_each_entry_in_the_file(
    nodes: dict[str, Node],
) -> None:
    load(catalogue())
    changed = catalogue()
    guide = changed["resources"][0]
    guide["title"] = "Leading change (second edition)"
    guide["nodes"] = [{"framework": "middle-manager-llf", "code": "MM4.02", "coverage": "part"}]
    del changed["resources"][1]["nodes"]  # left out: its tags stay as they are
    result = load(changed)
    assert result.resources.updated == 1 and result.resources.unchanged == 1
    updated = Resource.objects.get(slug="scie-leading-change")
    assert updated.title == "Leading change (second edition)"
    assert [(t.node.code, t.coverage) for t in updated.tags.select_related("node")] == [
        ("MM4.02", "part")
    ]
    assert Resource.objects.get(slug="nw-action-learning").tags.count() == 1
    event = AuditEvent.objects.filter(action="resource.import").latest("id")
    assert event.changes["title"] == [
        "Leading change in care services",
        changed["resources"][0]["title"],
    ]
    assert event.changes["nodes"][1] == ["middle-manager-llf:MM4.02:part"]


def test_a_file_may_name_a_provider_already_in_waymark(nodes: dict[str, Node]) -> None:
    load(catalogue())
    only_resource = {"format": "waymark-catalogue/1", "resources": [catalogue()["resources"][0]]}
    only_resource["resources"][0]["slug"] = "another-guide"
    load(only_resource)
    assert Resource.objects.get(slug="another-guide").provider == Provider.objects.get(slug="scie")


# ------------------------------------------------------------------------ bad files


def test_an_item_missing_from_the_current_edition_is_reported_with_its_place(
    nodes: dict[str, Node],
) -> None:
    doc = catalogue()
    doc["resources"][1]["nodes"] = [
        {"framework": "middle-manager-llf", "code": "MM3.99", "coverage": "main"},
        {"framework": "middle-manager-llf", "code": "MM9.99", "coverage": "main"},
        {"framework": "no-such-framework", "code": "X1", "coverage": "main"},
    ]
    doc["qualifications"][0]["units"][1]["nodes"] = [
        {"framework": "middle-manager-llf", "code": "MM7.7"}
    ]
    problems = problems_of(json.dumps(doc).encode(), "c.json")
    assert (
        "resources[1].nodes[0]: no item MM3.99 in the current edition of middle-manager-llf"
        in problems
    )
    # In an older edition only: not good enough.
    assert (
        "resources[1].nodes[1]: no item MM9.99 in the current edition of middle-manager-llf"
        in problems
    )
    assert any(
        p.startswith("resources[1].nodes[2]: no framework “no-such-framework”") for p in problems
    )
    assert (
        "qualifications[0].units[1].nodes[0]: no item MM7.7 in the current edition of middle-manager-llf"
        in problems
    )
    assert len(problems) == 4
    assert_nothing_written()


def test_every_problem_in_a_file_is_listed_at_once(nodes: dict[str, Node]) -> None:
    doc = catalogue()
    doc["providers"][1]["scope"] = "galactic"
    doc["providers"][1]["region"] = ""
    doc["resources"][0]["type"] = "magazine"
    doc["resources"][0]["provider"] = "nobody"
    doc["resources"][1]["slug"] = "scie-leading-change"
    del doc["resources"][1]["title"]
    doc["resources"][1]["cost_from"] = "ten"
    doc["resources"][1]["mode"] = None
    doc["qualifications"][0]["scqf_level"] = 13
    doc["qualifications"][0]["url"] = "not a web address"
    doc["qualifications"][0]["colour"] = "blue"
    problems = problems_of(json.dumps(doc).encode(), "c.json")
    expected = [
        "providers[1].scope: “galactic” is not one of the allowed values: national, regional, local",
        "resources[0].type: “magazine” is not one of the allowed values: practice-guide, report, "
        "book, video, website, e-learning, course, programme, action-learning, mentoring, funding",
        "resources[1].title: this is required",
        "resources[1].mode: this is required",
        "resources[1].cost_from: “ten” is not a whole number of pounds",
        "resources[1].slug: the short name “scie-leading-change” is used twice in this file: "
        "also at resources[0]",
        "qualifications[0].scqf_level: “13” is out of range: give a whole number from 1 to 12",
        "qualifications[0].url: “not a web address” is not a web address starting http:// or https://",
        "resources[0].provider: no provider “nobody” in this file or in Waymark",
    ]
    for line in expected:
        assert line in problems, line
    assert any(p.startswith("qualifications[0].colour: unknown field “colour”") for p in problems)
    assert_nothing_written()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["providers"][1].update(region=""),
            "providers[1].region: a regional provider needs a region",
        ),
        (
            lambda d: d["providers"][0].update(slug="Not A Slug"),
            "providers[0].slug: “Not A Slug” is not a short name",
        ),
        (
            lambda d: d["resources"][0].update(historical=True, historical_as_of=""),
            "resources[0].historical_as_of: a historical entry needs the date",
        ),
        (
            lambda d: d["resources"][1].update(cost_from=900, cost_to=450),
            "resources[1].cost_to: the cost up to (£450) is less than the cost from (£900)",
        ),
        (
            lambda d: d["resources"][1].update(hours="a week"),
            "resources[1].hours: “a week” is not a number of hours",
        ),
        (
            lambda d: d["resources"][1].update(regions=["atlantis"]),
            "resources[1].regions: “atlantis” is not one of the allowed values: north-east",
        ),
        (
            lambda d: d["resources"][1].update(manager_levels=["chief"]),
            "resources[1].manager_levels: “chief” is not one of the allowed values: aspiring",
        ),
        (
            lambda d: d["resources"][0]["nodes"][0].update(coverage="most"),
            "resources[0].nodes[0]: coverage “most” is not one of the allowed values: main, part",
        ),
        (
            lambda d: d["resources"][0]["nodes"].append(dict(d["resources"][0]["nodes"][0])),
            "resources[0].nodes[2]: C2 of clf-leadership-capabilities is listed twice",
        ),
        (
            lambda d: d["resources"][0].update(status="hidden"),
            "resources[0].status: “hidden” is not one of the allowed values: published, draft, withdrawn",
        ),
        (
            lambda d: d.update(format="waymark-catalogue/9"),
            "format: “waymark-catalogue/9” is not a format Waymark reads",
        ),
        (lambda d: d.pop("format"), "format: the key format is required"),
        (lambda d: d.update(courses=[]), "courses: unknown key “courses”"),
        (
            lambda d: d["qualifications"][0]["units"][0].pop("title"),
            "qualifications[0].units[0].title: this is required",
        ),
        (
            lambda d: d["qualifications"][0].update(providers=["nobody"]),
            "qualifications[0].providers: no provider “nobody” in this file or in Waymark",
        ),
        (
            lambda d: d["resources"].append("just text"),
            "resources[2]: each entry must be a mapping",
        ),
    ],
)
def test_a_bad_value_is_named_with_its_place_and_nothing_is_written(
    nodes: dict[str, Node], change: Any, expected: str
) -> None:
    doc = copy.deepcopy(catalogue())
    change(doc)
    problems = problems_of(json.dumps(doc).encode(), "c.json")
    assert any(p.startswith(expected) for p in problems), problems
    assert_nothing_written()


def test_malformed_json_is_reported_with_its_line(nodes: dict[str, Node]) -> None:
    data = b'{\n  "format": "waymark-catalogue/1",\n  "providers": [\n    {"slug": "x",}\n  ]\n}\n'
    (problem,) = problems_of(data, "c.json")
    assert problem.startswith("line 4, column 18: This is not valid JSON")


def test_malformed_yaml_is_reported_with_its_line(nodes: dict[str, Node]) -> None:
    data = b"format: waymark-catalogue/1\nproviders:\n  - slug: scie\n    name: [unclosed\n"
    (problem,) = problems_of(data, "c.yaml")
    assert problem.startswith("line 5, column 1: This is not valid YAML")


@pytest.mark.parametrize("data", [b"", b"  \n\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(nodes: dict[str, Node], data: bytes) -> None:
    assert problems_of(data, "c.json") == ["The file is empty."]


def test_a_file_over_the_size_limit_is_refused_unread(
    nodes: dict[str, Node], settings: Any
) -> None:
    settings.WAYMARK_MAX_IMPORT_BYTES = 1024
    (problem,) = problems_of(b"x" * 2048, "c.json")
    assert "the largest file Waymark imports is" in problem


def test_a_file_that_is_not_utf8_is_refused(nodes: dict[str, Node]) -> None:
    (problem,) = problems_of("slug,name,scope\nscie,Café,national\n".encode("latin-1"), "p.csv")
    assert "not UTF-8" in problem


def test_a_slug_of_an_organisations_in_house_resource_cannot_be_imported_over(
    nodes: dict[str, Node],
) -> None:
    org = OrganisationFactory.create()
    Resource.objects.create(
        slug="scie-leading-change",
        title="Ours",
        resource_type="course",
        description="x",
        delivery_mode="face-to-face",
        organisation=org,
    )
    problems = problems_of(json.dumps(catalogue()).encode(), "c.json")
    assert any(
        p.startswith(
            "resources[0].slug: the short name “scie-leading-change” belongs to an organisation"
        )
        for p in problems
    )
    assert Resource.objects.get(slug="scie-leading-change").title == "Ours"


# ------------------------------------------------------------------------ CSV


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


RESOURCE_HEADER = ["slug", "title", "type", "description", "mode", "cost_from", "nodes"]


def test_a_resources_csv_imports_with_its_nodes_column(nodes: dict[str, Node]) -> None:
    data = csv_bytes(
        [
            RESOURCE_HEADER,
            [
                "guide",
                "A guide",
                "practice-guide",
                "Read it.",
                "reading",
                "0",
                "middle-manager-llf:MM3.04:main;clf-leadership-capabilities:C2:part",
            ],
        ]
    )
    result = catalogue_import(package=read_catalogue(data, name="resources.csv"), actor=None)
    assert result.resources.created == 1
    assert Resource.objects.get(slug="guide").tags.count() == 2


def test_csv_problems_name_the_row_and_column(nodes: dict[str, Node]) -> None:
    data = csv_bytes(
        [
            RESOURCE_HEADER,
            ["guide", "A guide", "practice-guide", "Read it.", "reading", "0", ""],
            ["guide-2", "Guide 2", "practice-guide", "Read it.", "reading", "ten", ""],
            ["guide-3", "", "poster", "Read it.", "reading", "", "middle-manager-llf/MM3.04"],
            [
                "guide",
                "Guide 4",
                "book",
                "Read it.",
                "reading",
                "",
                "middle-manager-llf:MM3.99:main",
            ],
        ]
    )
    problems = problems_of(data, "resources.csv")
    assert "row 3, column cost_from: “ten” is not a whole number of pounds" in problems
    assert "row 4, column title: this is required" in problems
    assert any(
        p.startswith("row 4, column type: “poster” is not one of the allowed values")
        for p in problems
    )
    assert any(
        p.startswith(
            "row 4, column nodes (item 1): “middle-manager-llf/MM3.04” is not written as framework:code:coverage"
        )
        for p in problems
    )
    assert (
        "row 5, column slug: the short name “guide” is used twice in this file: also at row 2"
        in problems
    )
    assert (
        "row 5, column nodes (item 1): no item MM3.99 in the current edition of middle-manager-llf"
        in problems
    )
    assert_nothing_written()


def test_a_csv_with_an_unknown_or_missing_column_is_refused(nodes: dict[str, Node]) -> None:
    data = csv_bytes(
        [["slug", "title", "type", "mode", "colour"], ["a", "A", "book", "reading", "red"]]
    )
    problems = problems_of(data, "resources.csv")
    assert any(p.startswith("row 1, column 5: unknown column “colour”") for p in problems)
    assert "row 1: the column description is missing" in problems


def test_a_csv_whose_kind_cannot_be_told_is_refused(nodes: dict[str, Node]) -> None:
    (problem,) = problems_of(csv_bytes([["colour"], ["red"]]), "x.csv")
    assert "cannot tell whether this CSV holds providers, resources or qualifications" in problem


def test_qualification_units_in_csv_are_one_a_line(nodes: dict[str, Node]) -> None:
    units = (
        "U1 | Lead change | mandatory | 10 | middle-manager-llf:MM3.04\nU2 | Plan | sometimes | | "
    )
    data = csv_bytes([["slug", "title", "awarding_body", "units"], ["q", "Q", "SQA", units]])
    problems = problems_of(data, "qualifications.csv")
    assert problems == ["row 2, column units: line 2: “sometimes” is not mandatory or optional"]


# ------------------------------------------------------------------------ export and round trips


def _in_house(org: Any) -> None:
    provider = Provider.objects.create(
        slug="our-team",
        name="Our training team",
        scope="local",
        region="north-west",
        organisation=org,
    )
    Resource.objects.create(
        slug="our-induction",
        title="Our induction day",
        resource_type="course",
        description="Ours only.",
        delivery_mode="face-to-face",
        organisation=org,
        provider=provider,
    )


def test_export_holds_the_public_catalogue_and_never_in_house_entries(
    nodes: dict[str, Node],
) -> None:
    load(catalogue())
    _in_house(OrganisationFactory.create())
    document = export_document()
    assert [r["slug"] for r in document["resources"]] == [
        "nw-action-learning",
        "scie-leading-change",
    ]
    assert "our-team" not in [p["slug"] for p in document["providers"]]
    text = export_json() + export_csv("resources") + export_csv("providers")
    assert "our-induction" not in text and "Our training team" not in text


def _wipe() -> None:
    Resource.objects.all().delete()
    QualificationUnit.objects.all().delete()
    Qualification.objects.all().delete()
    Provider.objects.all().delete()


def test_a_json_export_imports_back_to_the_same_catalogue(nodes: dict[str, Node]) -> None:
    load(catalogue())
    first = export_json()
    assert json.loads(first) == catalogue() | {
        "providers": sorted(catalogue()["providers"], key=lambda p: p["slug"]),
        "resources": sorted(catalogue()["resources"], key=lambda r: r["slug"]),
    }
    _wipe()
    catalogue_import(package=read_catalogue(first.encode(), name="export.json"), actor=None)
    assert export_json() == first


def test_csv_exports_import_back_to_the_same_catalogue(nodes: dict[str, Node]) -> None:
    load(catalogue())
    before = export_document()
    files = {
        kind: export_csv(kind).encode() for kind in ("providers", "resources", "qualifications")
    }
    assert files["resources"].splitlines()[0].decode() == (
        "slug,title,type,description,provider,url,mode,cost_from,cost_to,cost_note,hours,"
        "duration,scqf_level,manager_levels,regions,nodes,source,historical,historical_as_of,status"
    )
    _wipe()
    for kind in ("providers", "resources", "qualifications"):
        catalogue_import(package=read_catalogue(files[kind], name=f"{kind}.csv"), actor=None)
    assert export_document() == before
    assert ResourceNode.objects.count() == 3


# ------------------------------------------------------------------------ commands


def test_import_catalogue_dry_run_prints_counts_and_writes_nothing(
    nodes: dict[str, Node], tmp_path: Path
) -> None:
    path = tmp_path / "catalogue.yaml"
    path.write_bytes(as_yaml(catalogue()))
    out = io.StringIO()
    call_command("import_catalogue", str(path), "--dry-run", stdout=out)
    assert "2 providers, 2 resources, 1 qualifications" in out.getvalue()
    assert_nothing_written()
    call_command("import_catalogue", str(path), stdout=out)
    assert Resource.objects.count() == 2


def test_import_catalogue_lists_every_problem_and_exits_non_zero(
    nodes: dict[str, Node], tmp_path: Path
) -> None:
    doc = catalogue()
    doc["resources"][0]["cost_from"] = "ten"
    doc["resources"][1]["type"] = "poster"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(CommandError) as caught:
        call_command("import_catalogue", str(path))
    message = str(caught.value)
    assert "2 problem(s)" in message
    assert "resources[0].cost_from: “ten” is not a whole number of pounds" in message
    assert "resources[1].type: “poster”" in message
    assert_nothing_written()


def test_export_catalogue_writes_json_and_csv(nodes: dict[str, Node], tmp_path: Path) -> None:
    load(catalogue())
    call_command(
        "export_catalogue", "--format", "json", "-o", str(tmp_path / "c.json"), stdout=io.StringIO()
    )
    assert json.loads((tmp_path / "c.json").read_text())["format"] == "waymark-catalogue/1"
    call_command(
        "export_catalogue",
        "--format",
        "csv",
        "--kind",
        "qualifications",
        "-o",
        str(tmp_path / "q.csv"),
        stdout=io.StringIO(),
    )
    assert "svq4-lmcs" in (tmp_path / "q.csv").read_text()


def test_load_catalogue_is_safe_to_run_again(nodes: dict[str, Node], tmp_path: Path) -> None:
    doc = catalogue()
    (tmp_path / "providers.yaml").write_bytes(
        as_yaml({"format": "waymark-catalogue/1", "providers": doc["providers"]})
    )
    (tmp_path / "resources.yaml").write_bytes(
        as_yaml(
            {
                "format": "waymark-catalogue/1",
                "resources": doc["resources"],
                "qualifications": doc["qualifications"],
            }
        )
    )
    out = io.StringIO()
    call_command("load_catalogue", "--path", str(tmp_path), stdout=out)
    assert "2 new" in out.getvalue()
    events = AuditEvent.objects.count()
    out = io.StringIO()
    call_command("load_catalogue", "--path", str(tmp_path), stdout=out)
    assert "0 new, 0 updated, 2 unchanged" in out.getvalue()
    assert AuditEvent.objects.count() == events
    assert Resource.objects.count() == 2


def test_load_catalogue_loads_nothing_when_any_file_is_bad(
    nodes: dict[str, Node], tmp_path: Path
) -> None:
    doc = catalogue()
    (tmp_path / "a.yaml").write_bytes(
        as_yaml({"format": "waymark-catalogue/1", "providers": doc["providers"]})
    )
    (tmp_path / "b.yaml").write_bytes(b"format: waymark-catalogue/1\nresources: [\n")
    with pytest.raises(CommandError):
        call_command(
            "load_catalogue", "--path", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO()
        )
    assert_nothing_written()


def test_load_catalogue_refuses_a_slug_used_in_two_files(
    nodes: dict[str, Node], tmp_path: Path
) -> None:
    provider = catalogue()["providers"][0]
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_bytes(
            as_yaml({"format": "waymark-catalogue/1", "providers": [provider]})
        )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("load_catalogue", "--path", str(tmp_path), stdout=io.StringIO(), stderr=err)
    assert (
        "b.yaml providers[0]: the short name scie is also used at a.yaml providers[0]"
        in err.getvalue()
    )
    assert_nothing_written()


def test_the_shipped_catalogue_loads_and_survives_a_round_trip(db: None) -> None:
    from waymark.signposting.management.commands.load_catalogue import DATA_DIR

    if not any(DATA_DIR.glob("*.yaml")):
        pytest.skip("no shipped catalogue yet")
    call_command("load_standards", verbosity=0)
    call_command("load_catalogue", verbosity=0)
    assert (
        Resource.objects.exists()
        and not Resource.objects.filter(organisation__isnull=False).exists()
    )
    untagged = list(Resource.objects.filter(tags__isnull=True).values_list("slug", flat=True))
    assert untagged == [], f"resources with no framework items: {untagged}"
    first = export_json()
    result = catalogue_import(package=read_catalogue(first.encode(), name="c.json"), actor=None)
    assert not result.changed
    out = io.StringIO()
    call_command("load_catalogue", stdout=out)
    assert " 0 new, 0 updated" in out.getvalue()
