from __future__ import annotations

import pytest
from django.urls import reverse

from waymark.conftest import Personas
from waymark.core.tests.factories import UserFactory
from waymark.reports.tests import grids
from waymark.reports.tests.factories import add_manager, population

pytestmark = pytest.mark.django_db
BASE = "/api/v1/organisations/brightwater/reports/"


@pytest.fixture
def pop(personas: Personas) -> Personas:
    p = population(personas.org)
    for team, n in [("North", 6), ("East", 5), ("South", 2)]:
        for _i in range(n):
            add_manager(p, self_levels=[1, 2, 3, 3], team=team)
    return personas


def test_the_api_lists_the_reports_for_ld_leads_and_admins(pop: Personas) -> None:
    for user in (pop.ld_lead, pop.admin):
        names = [r["name"] for r in pop.client_for(user).get(BASE).json()]
        assert "learning-needs" in names and "succession" in names
    assert pop.client_for(pop.manager).get(BASE).status_code == 403
    assert pop.client_for(pop.outsider).get(BASE).status_code == 404
    assert pop.client_for(None).get(BASE).status_code in (401, 403)


def test_the_api_gives_the_same_suppressed_figures_as_the_page(pop: Personas) -> None:
    data = pop.client_for(pop.ld_lead).get(BASE + "learning-needs/").json()
    page = (
        pop.client_for(pop.ld_lead)
        .get(
            reverse("reports:report", kwargs={"org_slug": "brightwater", "name": "learning-needs"})
        )
        .content.decode()
    )
    assert grids.from_json(data) == grids.from_page(page)
    cells = [c for t in data["tables"] for r in t["rows"] for c in r["cells"]]
    assert all(c["value"] is None for c in cells if c["suppressed"])
    assert data["suppressed_count"] == sum(c["suppressed"] for c in cells)


def test_the_api_takes_filters_and_refuses_bad_ones(pop: Personas) -> None:
    client = pop.client_for(pop.ld_lead)
    north = pop.org.teams.get(name="North")
    data = client.get(BASE + "learning-needs/", {"team": north.pk}).json()
    assert data["people_count"] == {"value": 6, "suppressed": False}
    assert client.get(BASE + "learning-needs/", {"level": "emperor"}).status_code == 400
    assert client.get(BASE + "salaries/").status_code == 404


def test_the_national_api_is_for_national_analysts_only(pop: Personas) -> None:
    url = "/api/v1/national/reports/workforce/"
    assert pop.client_for(pop.admin).get(url).status_code == 404
    assert pop.client_for(pop.admin).get("/api/v1/national/reports/").status_code == 404
    analyst = pop.client_for(UserFactory.create(email="n@example.org", is_national_analyst=True))
    data = analyst.get(url, {"sector": pop.org.sector}).json()
    assert data["people_count"]["value"] == 13
    assert analyst.get("/api/v1/national/reports/succession/").status_code == 404
    assert analyst.get(url, {"region": "mars"}).status_code == 400
