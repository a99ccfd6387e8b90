from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from waymark.conftest import Personas
from waymark.reports.tests import grids
from waymark.reports.tests.factories import add_manager, population

pytestmark = pytest.mark.django_db


@pytest.fixture
def pop(personas: Personas) -> Personas:
    p = population(personas.org)
    for team, n in [("North", 6), ("East", 5), ("South", 2)]:
        for _i in range(n):
            add_manager(p, self_levels=[1, 2, 3, 3], team=team)
    return personas


def test_the_command_gives_the_same_figures_as_the_page(
    pop: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("report", "learning-needs", "--org", "brightwater", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["people_count"] == {"value": 13, "suppressed": False}
    page = (
        pop.client_for(pop.ld_lead)
        .get(
            reverse("reports:report", kwargs={"org_slug": "brightwater", "name": "learning-needs"})
        )
        .content.decode()
    )
    assert grids.from_json(data) == grids.from_page(page)


def test_the_command_writes_csv_to_a_file(pop: Personas, tmp_path: Path) -> None:
    out = tmp_path / "needs.csv"
    call_command(
        "report", "learning-needs", "--org", "brightwater", "--format", "csv", "-o", str(out)
    )
    text = out.read_text()
    assert text.startswith("report,table,row,column,value")
    assert "fewer than 5" in text


def test_the_command_gives_the_national_view_with_filters(
    pop: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("report", "workforce", "--national", "--size-band", "small", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["people_count"]["value"] == 13
    call_command("report", "workforce", "--national", "--size-band", "large", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["people_count"] == {"value": None, "suppressed": True}


def test_the_command_refuses_bad_input_with_a_clear_message(pop: Personas) -> None:
    with pytest.raises(CommandError, match="No report called 'salaries'"):
        call_command("report", "salaries", "--org", "brightwater")
    with pytest.raises(CommandError, match="No organisation with the short name 'nowhere'"):
        call_command("report", "workforce", "--org", "nowhere")
    with pytest.raises(CommandError, match="has no national view"):
        call_command("report", "succession", "--national")
    with pytest.raises(CommandError, match="go with --national"):
        call_command("report", "workforce", "--org", "brightwater", "--sector", "private")
