"""Starting points scale with the organisation's size and lean by manager level: first
line specialist, senior generic, partnership in every profile, short for a micro
organisation and the full range for a large one [003 Diagram 3, Diagram 5]."""

from __future__ import annotations

import itertools
from typing import Any, cast

import pytest

from waymark.core.tests.factories import EditionFactory, NodeFactory
from waymark.frameworks.models import Edition
from waymark.profiles.models import Importance, Level
from waymark.profiles.services import StartingPoint, role_profile_starting_point

pytestmark = pytest.mark.django_db

SIZES = ["micro", "small", "medium", "large"]
LEVELS = ["aspiring", "first-line", "middle", "senior"]


def point(size: str, level: str) -> StartingPoint:
    return role_profile_starting_point(size_band=size, manager_level=level)


def codes(p: StartingPoint) -> list[str]:
    return [c.node.code for c in p.competences]


@pytest.mark.parametrize(("size", "level"), list(itertools.product(SIZES, LEVELS)))
def test_every_starting_point_carries_partnership_competences(
    mm: Edition, size: str, level: str
) -> None:
    p = point(size, level)
    assert p.count("partnership") >= 2
    assert any(c.startswith("MM5.") for c in codes(p))
    # And the domains at the centre of the framework.
    assert any(c.startswith("MM1.") for c in codes(p))
    assert any(c.startswith("MM2.") for c in codes(p))


def test_a_micro_organisation_gets_a_short_profile_and_a_large_one_the_full_range(
    mm: Edition,
) -> None:
    outcomes = mm.nodes.filter(depth=1).count()
    for level in LEVELS:
        sizes = [len(point(s, level).competences) for s in SIZES]
        assert 8 <= sizes[0] <= 12
        assert sizes == sorted(sizes) and len(set(sizes)) == 4
        assert sizes[-1] == outcomes == 74


def test_first_line_leans_specialist_and_senior_leans_generic(mm: Edition) -> None:
    full = point("large", "middle")
    available = {mix: full.count(mix) for mix in ("specialist", "generic")}

    def share(p: StartingPoint, mix: str) -> float:
        return p.count(mix) / available[mix]

    for size in ("micro", "small", "medium"):
        first, senior = point(size, "first-line"), point(size, "senior")
        # A first line profile takes a larger share of the specialist items than of the
        # generic ones; a senior profile the other way round.
        assert share(first, "specialist") > share(first, "generic")
        assert share(senior, "generic") > share(senior, "specialist")
        assert first.count("specialist") > senior.count("specialist")
        assert senior.count("generic") > first.count("generic")
    assert point("micro", "first-line").count("specialist") > point("micro", "first-line").count(
        "generic"
    )


def test_starting_points_differ_by_size_and_level(mm: Edition) -> None:
    seen = {(s, lv): tuple(codes(point(s, lv))) for s in SIZES for lv in ("first-line", "senior")}
    # Same level, different size: different sets; same size, different level: different sets
    # (a large organisation takes everything, so there the difference is in the levels).
    assert len({seen[(s, "first-line")] for s in SIZES}) == 4
    assert all(seen[(s, "first-line")] != seen[(s, "senior")] for s in ("micro", "small", "medium"))
    large_first = {c.node.code: c.expected_level for c in point("large", "first-line").competences}
    large_senior = {c.node.code: c.expected_level for c in point("large", "senior").competences}
    assert large_first["MM4.01"] == Level.CONFIDENT and large_first["MM9.01"] == Level.DEVELOPING
    assert large_senior["MM9.01"] == Level.LEADING and large_senior["MM4.01"] == Level.CONFIDENT


def test_importance_follows_the_lean(mm: Edition) -> None:
    first = {c.mix: c.importance for c in point("large", "first-line").competences}
    assert first["specialist"] == Importance.ESSENTIAL
    assert first["generic"] == Importance.USEFUL
    assert first["partnership"] == Importance.IMPORTANT
    senior = {c.mix: c.importance for c in point("large", "senior").competences}
    assert senior["generic"] == Importance.ESSENTIAL and senior["specialist"] == Importance.USEFUL


def test_the_starting_point_writes_nothing(mm: Edition, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(2):
        point("small", "middle")


def test_without_the_framework_there_is_no_starting_point(db: None) -> None:
    p = point("small", "first-line")
    assert p.edition is None and p.competences == []


def test_the_rule_works_on_any_edition_given(db: None) -> None:
    edition = cast(Edition, EditionFactory(is_current=True))
    partner = NodeFactory(edition=edition, parent=None, code="P", competence_type="partnership")
    spec = NodeFactory(edition=edition, parent=None, code="S")
    for i in range(5):
        NodeFactory(edition=edition, parent=partner, code=f"P.{i}")
        NodeFactory(edition=edition, parent=spec, code=f"S.{i}")
    p = role_profile_starting_point(size_band="micro", manager_level="first-line", edition=edition)
    assert len(p.competences) == 10
    p = role_profile_starting_point(size_band="small", manager_level="senior", edition=edition)
    assert {c.mix for c in p.competences} == {"partnership", "specialist"}
