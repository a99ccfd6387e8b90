from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from waymark.conftest import Personas
from waymark.reports import exports
from waymark.reports.builders import learning_needs
from waymark.reports.registry import ReportScope
from waymark.reports.tests import grids
from waymark.reports.tests.factories import Population, add_manager, population

pytestmark = pytest.mark.django_db


@pytest.fixture
def pop(personas: Personas) -> Population:
    p = population(personas.org)
    for team, n in [("North", 6), ("East", 5), ("South", 2)]:
        for _i in range(n):
            add_manager(p, self_levels=[1, 2, 3, 3], team=team)
    return p


def _url(fmt: str) -> str:
    return reverse(
        "reports:export", kwargs={"org_slug": "brightwater", "name": "learning-needs", "fmt": fmt}
    )


def test_the_csv_holds_exactly_the_figures_of_the_page(personas: Personas, pop: Population) -> None:
    client = personas.client_for(personas.ld_lead)
    response = client.get(_url("csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="learning-needs.csv"' in response["Content-Disposition"]
    page = client.get(
        reverse("reports:report", kwargs={"org_slug": "brightwater", "name": "learning-needs"})
    ).content.decode()
    assert grids.from_csv(response.content.decode()) == grids.from_page(page)


def test_the_csv_writes_fewer_than_five_and_the_notes(personas: Personas, pop: Population) -> None:
    lines = list(
        csv.reader(io.StringIO(exports.to_csv(learning_needs(ReportScope(organisation=pop.org)))))
    )
    assert lines[0] == ["report", "table", "row", "column", "value"]
    assert lines[1] == ["learning-needs", "", "", "people", "13"]
    south = [line for line in lines if line[3] == "South"]
    assert south and all(line[4] == "fewer than 5" for line in south)
    assert not any(line[3] == "South" and line[4] in ("0", "2") for line in lines)
    assert any(line[3] == "note" and "fewer than 5 people" in line[4] for line in lines)


def test_the_xlsx_holds_exactly_the_figures_of_the_page(
    personas: Personas, pop: Population
) -> None:
    client = personas.client_for(personas.ld_lead)
    response = client.get(_url("xlsx"))
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    page = client.get(
        reverse("reports:report", kwargs={"org_slug": "brightwater", "name": "learning-needs"})
    ).content.decode()
    assert grids.from_xlsx(response.content) == grids.from_page(page)


def test_an_unknown_format_is_not_found(personas: Personas, pop: Population) -> None:
    assert personas.client_for(personas.ld_lead).get(_url("pdf")).status_code == 404


def test_the_export_keeps_the_filters(personas: Personas, pop: Population) -> None:
    client = personas.client_for(personas.ld_lead)
    south = pop.teams["South"]
    text = client.get(_url("csv"), {"team": south.pk}).content.decode()
    assert "people,fewer than 5" in text
    assert "These filters leave fewer than 5 people" in text


def test_managers_cannot_export(personas: Personas, pop: Population) -> None:
    assert personas.client_for(personas.manager).get(_url("csv")).status_code == 403
