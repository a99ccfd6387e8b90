"""The shipped starting catalogue (waymark/signposting/data) and the judged relevance set
(bench/data/signposting_relevance.yaml): they load, every reference resolves, every entry
is tagged and sourced, historical entries say as of when, and the demo story's signposting
part is made once however often it runs."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.db.models import Count

from waymark.accounts.models import User
from waymark.frameworks.models import Node
from waymark.signposting.demo import INHOUSE_TITLE, MAYA, seed_signposting
from waymark.signposting.models import (
    LearningPreference,
    Provider,
    Qualification,
    QualificationUnit,
    Resource,
)

DATA = Path(__file__).resolve().parents[1] / "data"
RELEVANCE = Path(__file__).resolve().parents[3] / "bench" / "data" / "signposting_relevance.yaml"
MM = "middle-manager-llf"


def _yaml(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture
def catalogue(db: None) -> None:
    call_command("load_standards", verbosity=0, stdout=StringIO())
    call_command("load_catalogue", verbosity=0, stdout=StringIO())


def _current_node(framework: str, code: str) -> bool:
    return Node.objects.filter(
        edition__framework__slug=framework, edition__is_current=True, code=code
    ).exists()


def test_the_shipped_files_load_into_a_broad_catalogue_and_reload_unchanged(
    catalogue: None,
) -> None:
    assert Provider.objects.filter(organisation__isnull=True).count() >= 30
    assert Resource.objects.filter(organisation__isnull=True).count() >= 80
    assert Qualification.objects.count() >= 10
    # Every entry in the files arrived: nothing was silently dropped.
    files = [_yaml(p) for p in DATA.glob("*.yaml")]
    in_files = sum(len(d.get("resources", [])) for d in files)
    assert Resource.objects.filter(organisation__isnull=True).count() == in_files
    out = StringIO()
    call_command("load_catalogue", stdout=out)
    assert "resources: 0 new, 0 updated" in out.getvalue()
    assert "qualifications: 0 new, 0 updated" in out.getvalue()


def test_every_resource_and_unit_addresses_framework_nodes_some_only_through_the_map(
    catalogue: None,
) -> None:
    untagged = Resource.objects.annotate(n=Count("tags")).filter(n=0)
    assert list(untagged.values_list("slug", flat=True)) == []
    assert not Qualification.objects.annotate(n=Count("units")).filter(n=0).exists()
    bare = QualificationUnit.objects.annotate(n=Count("nodes")).filter(n=0)
    assert list(bare.values_list("title", flat=True)) == []
    # Entries written in CLF or functional-area terms are tagged in those terms only, so
    # the matcher must reach them through the shipped mappings.
    outside_only = (
        Resource.objects.exclude(tags__node__edition__framework__slug=MM)
        .filter(
            tags__node__edition__framework__slug__in=[
                "clf-leadership-capabilities",
                "lm-standards-functional-areas",
            ]
        )
        .distinct()
    )
    assert outside_only.count() >= 3


def test_every_entry_names_its_seed_and_historical_ones_say_as_of_when(
    catalogue: None,
) -> None:
    shipped = {
        "providers": Provider.objects.filter(organisation__isnull=True),
        "resources": Resource.objects.filter(organisation__isnull=True),
        "qualifications": Qualification.objects.all(),
    }
    for name, entries in shipped.items():
        assert not entries.exclude(source__startswith="Seed").exists(), name
        assert not entries.filter(historical=True, historical_as_of="").exists(), name
    # The seeds' programmes and funding are as they stood then.
    assert not Resource.objects.filter(resource_type="funding", historical=False).exists()
    assert Resource.objects.filter(historical=True).count() >= 40
    assert not Qualification.objects.filter(historical=False).exists()


def test_the_files_name_only_nodes_in_current_editions() -> None:
    """Without a database: every framework reference in the files is a real node in the
    shipped frameworks (the same data load-standards loads)."""
    codes: set[tuple[str, str]] = set()

    def walk(slug: str, nodes: list[dict[str, Any]]) -> None:
        for n in nodes:
            codes.add((slug, str(n["code"])))
            walk(slug, n.get("children") or [])

    frameworks = Path(__file__).resolve().parents[2] / "frameworks" / "data" / "frameworks"
    for path in frameworks.glob("*.yaml"):
        fw = _yaml(path)
        walk(fw["slug"], fw["nodes"])
    refs = []
    for path in DATA.glob("*.yaml"):
        data = _yaml(path)
        for r in data.get("resources", []):
            refs += [(r["slug"], n) for n in r["nodes"]]
        for q in data.get("qualifications", []):
            refs += [(q["slug"], n) for u in q["units"] for n in u["nodes"]]
    assert refs
    bad = [(who, n) for who, n in refs if (n["framework"], n["code"]) not in codes]
    assert bad == []


def test_the_relevance_set_judges_enough_needs_against_the_shipped_catalogue() -> None:
    data = _yaml(RELEVANCE)
    assert data["format"] == "waymark-relevance/1"
    needs = data["needs"]
    assert len(needs) >= 40
    assert len({n["id"] for n in needs}) == len(needs)
    slugs = {
        r["slug"]
        for p in DATA.glob("*.yaml")
        for r in _yaml(p).get("resources", [])
        if r.get("status", "published") == "published"
    }
    for need in needs:
        assert need["text"].strip()
        assert 1 <= len(need["nodes"]) <= 3, need["id"]
        assert need["manager_level"] in {"aspiring", "first-line", "middle", "senior"}
        judged = need["judgements"]
        assert judged, need["id"]
        assert set(judged) <= slugs, (need["id"], set(judged) - slugs)
        assert set(judged.values()) <= {1, 2, 3}, need["id"]
    # Most needs have at least two resources graded relevant or better.
    rich = [n for n in needs if sum(1 for g in n["judgements"].values() if g >= 2) >= 2]
    assert len(rich) >= 0.85 * len(needs)
    levels = {n["manager_level"] for n in needs}
    assert {"first-line", "middle", "senior"} <= levels
    assert sum(1 for n in needs if n.get("preference")) >= len(needs) // 5


def test_the_relevance_set_names_real_framework_nodes(db: None) -> None:
    call_command("load_standards", verbosity=0, stdout=StringIO())
    for need in _yaml(RELEVANCE)["needs"]:
        for node in need["nodes"]:
            assert _current_node(node["framework"], node["code"]), (need["id"], node)


def test_the_demo_gives_maya_preferences_and_brightwater_its_own_resource_once(
    db: None,
) -> None:
    call_command("load_standards", verbosity=0, stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    assert seed_signposting(write=lambda _msg: None) is True
    maya = User.objects.get(email=MAYA)
    preference = LearningPreference.objects.get(user=maya)
    assert preference.preferred_modes == ["face-to-face", "blended"]
    assert preference.max_cost == 500
    assert preference.regions == ["north-west"]
    inhouse = Resource.objects.get(title=INHOUSE_TITLE)
    assert inhouse.organisation is not None and inhouse.organisation.slug == "brightwater"
    assert set(inhouse.tags.values_list("node__code", flat=True)) == {"MM7.02", "MM7.03", "MM7.04"}
    assert Resource.objects.filter(organisation__isnull=True).count() >= 80
    # Maya changes her mind; seeding again leaves her choice alone and adds nothing.
    preference.max_cost = 800
    preference.save()
    before = Resource.objects.count()
    seed_signposting(write=lambda _msg: None)
    assert Resource.objects.count() == before
    assert LearningPreference.objects.get(user=maya).max_cost == 800


def test_the_demo_waits_for_the_standards(db: None) -> None:
    said: list[str] = []
    assert seed_signposting(write=said.append) is False
    assert "load-standards" in said[0]
    assert not Resource.objects.exists()
