from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from waymark.assessment.models import Rating, SelfAssessment
from waymark.conftest import Personas
from waymark.core.tests.factories import EditionFactory, FrameworkFactory, NodeFactory
from waymark.profiles.models import SpecCompetence
from waymark.reports.builders import learning_needs
from waymark.reports.registry import Report, ReportScope, Table
from waymark.reports.tests.factories import Population, add_manager, add_round, population

pytestmark = pytest.mark.django_db
URL = ("reports:report", {"org_slug": "brightwater", "name": "learning-needs"})


@pytest.fixture
def pop(personas: Personas) -> Population:
    """6 managers in North, 5 in East and 2 in South, all middle managers expected at
    level 3 and rating themselves 1, 2, 3, 3: gaps 2 and 1 in domain 1, none in 2."""
    p = population(personas.org)
    for team, n in [("North", 6), ("East", 5), ("South", 2)]:
        for _i in range(n):
            add_manager(p, self_levels=[1, 2, 3, 3], team=team)
    return p


def _table(report: Report, title_start: str) -> Table:
    return next(t for t in report.tables if str(t.title).startswith(title_start))


def _row(table: Table, label_part: str) -> list[float | int | None]:
    return next([c.value for c in cells] for label, cells in table.rows if label_part in label)


def test_it_counts_managers_with_a_gap_and_the_mean_gap_by_team(pop: Population) -> None:
    report = learning_needs(ReportScope(organisation=pop.org))
    assert report.people_count == 13
    counts = _table(report, "Managers with a gap, by team")
    assert counts.columns == ["East", "North", "South", "Not recorded", "All"]
    # South's 2 is hidden, and East's 5 with it, so 13 - 6 reveals nothing
    assert _row(counts, "D1.1") == [None, 6, None, None, 13]
    assert _row(counts, "Domain 1") == [None, 6, None, None, 13]
    means = _table(report, "Mean gap, by team")
    assert means.heatmap
    assert _row(means, "D1.1") == [None, 2.0, None, None, 2.0]
    assert _row(means, "D1.2") == [None, 1.0, None, None, 1.0]
    assert _row(means, "Domain 1") == [None, 1.5, None, None, 1.5]


def test_a_competence_where_nobody_has_a_gap_shows_no_zero(pop: Population) -> None:
    report = learning_needs(ReportScope(organisation=pop.org))
    assert _row(_table(report, "Managers with a gap, by team"), "D2.1") == [None] * 5


def test_it_breaks_down_by_manager_level_with_the_pms_level_when_no_record(
    pop: Population,
) -> None:
    for _i in range(5):
        add_manager(pop, self_levels=[0, 3, 3, 3], level="senior", record=False)
    report = learning_needs(ReportScope(organisation=pop.org))
    counts = _table(report, "Managers with a gap, by manager level")
    senior = counts.columns.index("Senior or strategic manager")
    middle = counts.columns.index("Middle manager")
    row = _row(counts, "D1.1")
    assert (row[senior], row[middle], row[-1]) == (5, 13, 18)
    assert _row(_table(report, "Mean gap, by manager level"), "D1.1")[senior] == 3.0


def test_it_uses_each_managers_latest_completed_round_only(pop: Population) -> None:
    user = pop.managers[0]
    rev = user.specifications.get().current
    assert rev is not None
    add_round(pop, user, rev, [3, 3, 0, 0], submitted=timezone.now() - dt.timedelta(days=400))
    SelfAssessment.objects.create(organisation=pop.org, manager=user, revision=rev)  # open
    report = learning_needs(ReportScope(organisation=pop.org))
    assert report.people_count == 13
    assert _row(_table(report, "Managers with a gap, by team"), "D1.1")[-1] == 13
    assert _row(_table(report, "Managers with a gap, by team"), "D2.1") == [None] * 5


def test_an_organisations_own_competences_appear_only_in_its_own_report(
    personas: Personas, pop: Population
) -> None:
    own = FrameworkFactory.create(organisation=pop.org)
    other = FrameworkFactory.create(organisation=personas.other_org)
    own_node = NodeFactory.create(edition=EditionFactory.create(framework=own), code="OWN1")
    other_node = NodeFactory.create(edition=EditionFactory.create(framework=other), code="OTH1")
    for a in SelfAssessment.objects.filter(organisation=pop.org):
        for node in (own_node, other_node):
            SpecCompetence.objects.create(
                revision=a.revision, node=node, expected_level=3, importance=2
            )
            Rating.objects.create(assessment=a, node=node, level=1)
    labels = [
        label for label, _c in learning_needs(ReportScope(organisation=pop.org)).tables[0].rows
    ]
    assert any("OWN1" in label for label in labels)
    assert not any("OTH1" in label for label in labels)
    national = [label for label, _c in learning_needs(ReportScope()).tables[0].rows]
    assert any("D1.1" in label for label in national)
    assert not any("OWN1" in label or "OTH1" in label for label in national)


def test_a_filter_that_leaves_fewer_than_five_hides_everything_and_says_why(
    personas: Personas, pop: Population
) -> None:
    south = pop.teams["South"]
    report = learning_needs(ReportScope(organisation=pop.org, team_id=south.pk))
    assert report.people_count is None
    assert all(c.suppressed for t in report.tables for _l, cells in t.rows for c in cells)
    client = personas.client_for(personas.ld_lead)
    page = client.get(reverse(URL[0], kwargs=URL[1]), {"team": south.pk}).content.decode()
    assert "These filters leave fewer than 5 people" in page


def test_a_filter_with_enough_people_narrows_the_figures(pop: Population) -> None:
    north = pop.teams["North"]
    report = learning_needs(ReportScope(organisation=pop.org, team_id=north.pk))
    assert report.people_count == 6
    assert _row(_table(report, "Managers with a gap, by team"), "D1.1")[-1] == 6


def test_the_heatmap_page_explains_the_hidden_cells_next_to_the_table(
    personas: Personas, pop: Population
) -> None:
    response = personas.client_for(personas.ld_lead).get(reverse(URL[0], kwargs=URL[1]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "What is hidden and why" in page
    assert "describe fewer than 5 people" in page
    assert "data-suppressed" in page and "fewer than 5</span>" in page
    assert "Key to the shading" in page
    assert 'scope="col"' in page and 'scope="row"' in page
    # a shaded cell still shows its value
    assert 'style="background-color:#ee8640">2</td>' in page


def test_a_bad_filter_is_answered_with_a_message(personas: Personas, pop: Population) -> None:
    client = personas.client_for(personas.ld_lead)
    response = client.get(reverse(URL[0], kwargs=URL[1]), {"level": "emperor"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice" in page and "Error:" in page


@pytest.mark.parametrize("n", [6, 30])
def test_the_page_takes_the_same_number_of_queries_for_6_or_30_managers(
    personas: Personas, n: int, django_assert_num_queries: object
) -> None:
    p = population(personas.org)
    for i in range(n):
        add_manager(p, self_levels=[1, 2, 3, 3], team=f"Team {i % 3}")
    client = personas.client_for(personas.ld_lead)
    url = reverse(URL[0], kwargs=URL[1])
    client.get(url)
    with django_assert_num_queries(11):  # type: ignore[operator]
        client.get(url)
