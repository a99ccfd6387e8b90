from __future__ import annotations

import pytest
from django.urls import reverse

from waymark.conftest import Personas
from waymark.core.tests.factories import UserFactory
from waymark.reports.builders import learning_needs, workforce
from waymark.reports.registry import ReportScope
from waymark.reports.tests.factories import add_manager, mini_framework, population

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_orgs(personas: Personas) -> Personas:
    """Brightwater (small, voluntary by default) with 7 managers; Elsewhere Council
    (statutory, large) with 3 sharing the same national framework."""
    fw = mini_framework()
    a = population(personas.org, fw)
    for _i in range(7):
        add_manager(a, self_levels=[1, 2, 3, 3])
    b = population(personas.other_org, fw)
    for _i in range(3):
        add_manager(b, self_levels=[0, 3, 3, 3], level="senior")
    return personas


def _analyst() -> object:
    return UserFactory.create(email="nat@example.org", is_national_analyst=True)


def test_only_national_analysts_and_superusers_see_the_national_view(two_orgs: Personas) -> None:
    url = reverse("national:index")
    for user in (two_orgs.manager, two_orgs.ld_lead, two_orgs.admin, two_orgs.editor):
        assert two_orgs.client_for(user).get(url).status_code == 404
    analyst = two_orgs.client_for(_analyst())  # type: ignore[arg-type]
    assert analyst.get(url).status_code == 200
    superuser = UserFactory.create(email="root@example.org", is_superuser=True, is_staff=True)
    assert two_orgs.client_for(superuser).get(url).status_code == 200
    report = reverse("national:report", kwargs={"name": "learning-needs"})
    assert two_orgs.client_for(two_orgs.admin).get(report).status_code == 404
    export = reverse("national:export", kwargs={"name": "workforce", "fmt": "csv"})
    assert two_orgs.client_for(two_orgs.admin).get(export).status_code == 404
    assert analyst.get(export).status_code == 200


def test_the_national_view_adds_up_across_organisations(two_orgs: Personas) -> None:
    report = learning_needs(ReportScope())
    assert report.people_count == 10
    by_sector = next(t for t in report.tables if str(t.title) == "Managers with a gap, by sector")
    d11 = next([c.value for c in cells] for label, cells in by_sector.rows if "D1.1" in label)
    assert d11[-1] == 10
    # the council's 3 are hidden in their sector, and another sector's cell with them
    statutory = by_sector.columns.index("Statutory")
    assert d11[statutory] is None
    assert sum(v is None for v in d11[:-1]) >= 2


def test_the_national_view_filters_by_sector_size_and_region_with_the_same_suppression(
    two_orgs: Personas,
) -> None:
    assert workforce(ReportScope(size_band="small")).people_count == 7
    large = workforce(ReportScope(size_band="large"))
    assert large.people_count is None
    assert all(c.suppressed for t in large.tables for _l, cells in t.rows for c in cells)
    analyst = two_orgs.client_for(_analyst())  # type: ignore[arg-type]
    page = analyst.get(
        reverse("national:report", kwargs={"name": "workforce"}), {"size_band": "large"}
    ).content.decode()
    assert "fewer than 5 people" in page
    bad = analyst.get(reverse("national:report", kwargs={"name": "workforce"}), {"region": "mars"})
    assert "Select a valid choice" in bad.content.decode()


def test_the_national_workforce_report_has_sector_size_and_region_tables(
    two_orgs: Personas,
) -> None:
    titles = [str(t.title) for t in workforce(ReportScope()).tables]
    assert titles == [
        "Managers by level and service area",
        "Managers by level and sector",
        "Managers by level and size band",
        "Managers by level and region",
    ]


def test_succession_has_no_national_view(two_orgs: Personas) -> None:
    analyst = two_orgs.client_for(_analyst())  # type: ignore[arg-type]
    assert analyst.get(reverse("national:report", kwargs={"name": "succession"})).status_code == 404
    assert "succession" not in analyst.get(reverse("national:index")).content.decode()


def test_the_top_navigation_links_to_the_national_view_only_for_analysts(
    two_orgs: Personas,
) -> None:
    home = reverse("organisations:dashboard", kwargs={"org_slug": "brightwater"})
    url = reverse("national:index")
    assert url not in two_orgs.client_for(two_orgs.admin).get(home).content.decode()
    analyst = _analyst()
    from waymark.core.tests.factories import MembershipFactory

    MembershipFactory.create(organisation=two_orgs.org, user=analyst, role="manager")
    assert url in two_orgs.client_for(analyst).get(home).content.decode()  # type: ignore[arg-type]


@pytest.mark.parametrize("n", [6, 30])
def test_the_national_page_takes_a_fixed_number_of_queries(
    personas: Personas, n: int, django_assert_num_queries: object
) -> None:
    pop = population(personas.org)
    for _i in range(n):
        add_manager(pop, self_levels=[1, 2, 3, 3])
    client = personas.client_for(_analyst())  # type: ignore[arg-type]
    url = reverse("national:report", kwargs={"name": "learning-needs"})
    client.get(url)
    with django_assert_num_queries(8):  # type: ignore[operator]
        client.get(url)
