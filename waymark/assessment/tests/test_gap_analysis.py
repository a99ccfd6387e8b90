"""The gap analysis, worked out by hand: gap = max(expected - self, 0), priority =
gap x importance, domain means and totals, the ranking and its tie-breaks, progress
between rounds; and the charts drawn from it."""

from __future__ import annotations

import re
from typing import Any

import pytest

from waymark.conftest import Personas

from ..charts import competence_bars_svg, domain_radar_svg
from ..selectors import (
    DOWN,
    GONE,
    NEW,
    SAME,
    UP,
    competences_by_domain,
    gap_analysis,
    progress,
    rating_pages,
)
from .factories import make_assessment, make_framework, make_node, make_pms, rate_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked(personas: Personas) -> dict[str, Any]:
    """Two domains: D1 = a1, a2, a3 and D2 = b1, b2 (+ c1, only in the first revision)."""
    _edition, (d1, d2), _ = make_framework("GA", domains=2, outcomes=0)
    a1, a2, a3 = (
        make_node(edition=d1.edition, parent=d1, code=f"GA1.0{i}", sequence=i) for i in (1, 2, 3)
    )
    b1, b2, c1 = (
        make_node(edition=d2.edition, parent=d2, code=f"GA2.0{i}", sequence=i) for i in (1, 2, 3)
    )
    old_revision = make_pms(
        personas.manager,
        personas.org,
        [a1, a2, a3, b1, c1],
        expected=[3, 2, 4, 3, 2],
        importance=[3, 1, 2, 2, 1],
        number=1,
    )
    first = make_assessment(revision=old_revision)
    rate_all(first, {a1: 0, a2: 3, a3: 3, b1: 0, c1: 2}, submit=True)
    revision = make_pms(
        personas.manager,
        personas.org,
        [a1, a2, a3, b1, b2],
        expected=[3, 2, 4, 3, 1],
        importance=[3, 1, 2, 2, 3],
        number=2,
    )
    second = make_assessment(revision=revision)
    rate_all(second, {a1: 1, a2: 3, a3: 2, b1: 0, b2: 1}, submit=True)
    return {
        "first": first, "second": second, "d1": d1, "d2": d2,
        "a1": a1, "a2": a2, "a3": a3, "b1": b1, "b2": b2, "c1": c1,
    }  # fmt: skip


def test_gaps_and_priorities_are_worked_out_per_competence(worked: dict[str, Any]) -> None:
    analysis = gap_analysis(worked["second"])
    by_code = {r.node.code: r for r in analysis.rows}
    # (expected, self, gap, importance, priority), checked by hand.
    expected = {
        "GA1.01": (3, 1, 2, 3, 6),
        "GA1.02": (2, 3, 0, 1, 0),  # above the level expected: no gap
        "GA1.03": (4, 2, 2, 2, 4),
        "GA2.01": (3, 0, 3, 2, 6),
        "GA2.02": (1, 1, 0, 3, 0),
    }
    for code, (exp, self_level, gap, importance, priority) in expected.items():
        row = by_code[code]
        assert (row.expected, row.self_level, row.gap, row.importance, row.priority) == (
            exp, self_level, gap, importance, priority,
        ), code  # fmt: skip
    assert by_code["GA1.02"].above_expected == 1


def test_competences_are_ranked_by_gap_times_importance_with_clear_tie_breaks(
    worked: dict[str, Any],
) -> None:
    analysis = gap_analysis(worked["second"])
    # Priority 6 twice: the bigger gap first (GA2.01, gap 3, before GA1.01, gap 2); then
    # priority 4; then the no-gap rows, the more important first.
    assert [r.node.code for r in analysis.rows] == [
        "GA2.01",
        "GA1.01",
        "GA1.03",
        "GA2.02",
        "GA1.02",
    ]
    assert [r.node.code for r in analysis.gaps] == ["GA2.01", "GA1.01", "GA1.03"]


def test_domains_are_aggregated_as_means_and_a_total_priority(worked: dict[str, Any]) -> None:
    analysis = gap_analysis(worked["second"])
    d1, d2 = analysis.domains
    assert d1.domain.node == worked["d1"] and d2.domain.node == worked["d2"]
    assert d1.mean_expected == pytest.approx(3.0)  # (3 + 2 + 4) / 3
    assert d1.mean_self == pytest.approx(2.0)  # (1 + 3 + 2) / 3
    assert d1.total_priority == 10  # 6 + 0 + 4
    assert d2.mean_expected == pytest.approx(2.0)  # (3 + 1) / 2
    assert d2.mean_self == pytest.approx(0.5)  # (0 + 1) / 2
    assert d2.total_priority == 6  # 6 + 0
    assert [d.domain.code for d in analysis.domains_by_priority] == ["GA1", "GA2"]
    assert (analysis.total, analysis.rated, analysis.is_complete) == (5, 5, True)


def test_an_unrated_competence_has_no_gap_and_ranks_last(personas: Personas) -> None:
    _e, _d, (x1, x2, x3) = make_framework("UR", domains=1, outcomes=3)
    revision = make_pms(personas.manager, personas.org, [x1, x2, x3], expected=3, importance=1)
    draft = make_assessment(revision=revision)
    rate_all(draft, {x1: 3, x2: None})  # x3 has no rating at all
    analysis = gap_analysis(draft)
    assert [r.node.code for r in analysis.rows] == ["UR1.01", "UR1.02", "UR1.03"]
    assert [r.gap for r in analysis.rows] == [0, None, None]
    assert [r.priority for r in analysis.rows] == [0, 0, 0]
    assert (analysis.rated, analysis.is_complete) == (1, False)
    assert analysis.domains[0].mean_self == 3


def test_progress_between_rounds_is_given_per_competence_and_per_domain(
    worked: dict[str, Any],
) -> None:
    change = progress(gap_analysis(worked["first"]), gap_analysis(worked["second"]))
    by_code = {c.node.code: c for c in change.competences}
    assert (by_code["GA1.01"].direction, by_code["GA1.01"].change) == (UP, 1)  # 0 → 1
    assert by_code["GA1.01"].words == "Up 1 level"
    assert (by_code["GA1.02"].direction, by_code["GA1.02"].words) == (SAME, "No change")
    assert (by_code["GA1.03"].direction, by_code["GA1.03"].words) == (DOWN, "Down 1 level")
    assert by_code["GA2.01"].direction == SAME
    assert (by_code["GA2.02"].direction, by_code["GA2.02"].words) == (NEW, "New in this round")
    assert (by_code["GA2.03"].direction, by_code["GA2.03"].before) == (GONE, 2)
    assert (change.count_up, change.count_down, change.count_same, change.count_new) == (1, 1, 2, 1)
    d1, d2 = change.domains
    # D1: mean self (0 + 3 + 3) / 3 = 2.0 before, (1 + 3 + 2) / 3 = 2.0 after.
    assert (d1.before, d1.after, d1.direction) == (pytest.approx(2.0), pytest.approx(2.0), SAME)
    # D2: (0 + 2) / 2 = 1.0 before (b1 and c1), (0 + 1) / 2 = 0.5 after.
    assert (d2.before, d2.after, d2.direction) == (pytest.approx(1.0), pytest.approx(0.5), DOWN)
    assert d2.words == "Down 0.5 on average"


def test_the_gap_analysis_takes_three_queries_whatever_the_size(
    personas: Personas, django_assert_num_queries: Any
) -> None:
    _e, _d, outcomes = make_framework("BIG", domains=8, outcomes=10)
    revision = make_pms(personas.manager, personas.org, outcomes)
    assessment = make_assessment(revision=revision)
    rate_all(assessment, [i % 5 for i in range(80)], outcomes, submit=True)
    with django_assert_num_queries(3):
        analysis = gap_analysis(assessment)
        assert len(analysis.domains) == 8
        assert analysis.total == 80


def test_a_top_level_competence_is_its_own_domain(personas: Personas) -> None:
    _e, (flat1, flat2), _ = make_framework("CLF", domains=2, outcomes=0)
    _e2, _d2, (mm1,) = make_framework("MM", domains=1, outcomes=1)
    revision = make_pms(personas.manager, personas.org, [flat1, flat2, mm1])
    groups = competences_by_domain(revision.pk)
    assert [g.domain.code for g in groups] == ["CLF1", "CLF2", "MM1"]
    assert [[c.node.code for c in g.competences] for g in groups] == [
        ["CLF1"],
        ["CLF2"],
        ["MM1.01"],
    ]


def test_a_short_pms_is_rated_on_one_page_and_a_long_one_a_domain_a_page(
    personas: Personas,
) -> None:
    _e, _d, short = make_framework("SH", domains=3, outcomes=4)  # 12 competences
    assert (
        len(rating_pages(competences_by_domain(make_pms(personas.manager, personas.org, short).pk)))
        == 1
    )
    _e, _d, long = make_framework("LO", domains=3, outcomes=5)  # 15 competences
    pages = rating_pages(competences_by_domain(make_pms(personas.ld_lead, personas.org, long).pk))
    assert [[g.domain.code for g in page] for page in pages] == [["LO1"], ["LO2"], ["LO3"]]


# --- charts -----------------------------------------------------------------------------


def _external_references(svg: str) -> list[str]:
    """Every "http" in the SVG except the SVG namespace declaration itself."""
    without_namespace = svg.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
        'xmlns:xlink="http://www.w3.org/1999/xlink"', ""
    )
    return re.findall(r".{0,40}(?:https?:|//[a-z]).{0,40}", without_namespace)


@pytest.mark.parametrize("draw", [domain_radar_svg, competence_bars_svg])
def test_the_charts_are_self_contained_svg_with_a_title_and_description(
    worked: dict[str, Any], draw: Any
) -> None:
    svg = draw(gap_analysis(worked["second"]))
    assert svg.startswith("<svg")
    assert "<script" not in svg  # pygal's CDN script and its inline config are removed
    assert "<!--" not in svg  # and its comments with links
    assert _external_references(svg) == []
    assert "<?xml" not in svg
    title = re.search(r'<title id="(chart-title-[0-9a-f]+)">([^<]+)</title>', svg)
    desc = re.search(r'<desc id="(chart-desc-[0-9a-f]+)">([^<]+)</desc>', svg)
    assert title and desc
    assert f'aria-labelledby="{title.group(1)} {desc.group(1)}"' in svg
    assert 'role="img"' in svg


def test_the_radar_shows_each_domain_and_the_bars_each_gap(worked: dict[str, Any]) -> None:
    analysis = gap_analysis(worked["second"])
    radar = domain_radar_svg(analysis)
    assert "GA1 Domain 1" in radar and "GA2 Domain 2" in radar
    assert "Expected for the role" in radar and "Your rating" in radar
    bars = competence_bars_svg(analysis)
    for code in ("GA2.01", "GA1.01", "GA1.03"):
        assert code in bars
    assert "GA1.02" not in bars  # no gap, so no bar (the table lists it)


def test_the_charts_say_so_when_there_is_nothing_to_show(personas: Personas) -> None:
    _e, _d, (x1,) = make_framework("NO", domains=1, outcomes=1)
    assessment = make_assessment(revision=make_pms(personas.manager, personas.org, [x1]))
    rate_all(assessment, {x1: 4}, submit=True)
    bars = competence_bars_svg(gap_analysis(assessment))
    assert "No gaps" in bars and "<title" in bars
    assert "<script" not in domain_radar_svg(gap_analysis(assessment))


def test_a_framework_title_with_markup_is_escaped_in_the_chart(personas: Personas) -> None:
    _e, (domain,), (x1,) = make_framework("XS", domains=1, outcomes=1)
    domain.title = "<script>alert(1)</script>"
    domain.save(update_fields=["title"])
    x1.title = "<b>bold</b>"
    x1.save(update_fields=["title"])
    assessment = make_assessment(revision=make_pms(personas.manager, personas.org, [x1]))
    rate_all(assessment, {x1: 0}, submit=True)
    analysis = gap_analysis(assessment)
    svg = domain_radar_svg(analysis) + competence_bars_svg(analysis)
    assert "<script" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg
