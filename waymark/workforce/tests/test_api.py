from __future__ import annotations

from django.contrib import admin

from waymark.conftest import Personas
from waymark.workforce import services
from waymark.workforce.models import DiversityAnswers, WorkforceRecord


def _records(personas: Personas) -> str:
    return f"/api/v1/organisations/{personas.org.slug}/workforce/records/"


def test_ld_leads_list_and_change_workforce_records(personas: Personas) -> None:
    team = services.team_create(actor=personas.ld_lead, organisation=personas.org, name="Day care")
    services.record_set(
        actor=personas.ld_lead,
        organisation=personas.org,
        person=personas.manager,
        manager_level="first-line",
        service_area="adults",
        team=None,
    )
    client = personas.client_for(personas.ld_lead)
    listing = client.get(_records(personas)).json()
    assert listing["results"][0]["manager_level"] == "first-line"
    assert "gender" not in listing["results"][0]
    url = f"{_records(personas)}{personas.supervisor.pk}/"
    response = client.patch(
        url, {"manager_level": "middle", "team": team.pk}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    record = WorkforceRecord.objects.get(user=personas.supervisor)
    assert (record.manager_level, record.team) == ("middle", team)
    teams = client.get(f"/api/v1/organisations/{personas.org.slug}/workforce/teams/").json()
    assert [t["name"] for t in teams["results"]] == ["Day care"]


def test_other_members_and_outsiders_cannot_reach_workforce_records(personas: Personas) -> None:
    assert personas.client_for(personas.manager).get(_records(personas)).status_code == 403
    assert personas.client_for(personas.outsider).get(_records(personas)).status_code == 404
    outsider_url = f"{_records(personas)}{personas.outsider.pk}/"
    assert (
        personas.client_for(personas.ld_lead)
        .patch(outsider_url, {"manager_level": "middle"}, content_type="application/json")
        .status_code
        == 404
    )


def test_diversity_answers_are_only_ever_the_callers_own(personas: Personas) -> None:
    services.diversity_set(
        actor=personas.manager, person=personas.manager, answers={"ethnicity": "black"}
    )
    mine = personas.client_for(personas.manager).get("/api/v1/me/diversity/")
    assert mine.json()["ethnicity"] == "black"
    theirs = personas.client_for(personas.ld_lead).get("/api/v1/me/diversity/")
    assert theirs.json()["ethnicity"] == ""
    changed = personas.client_for(personas.ld_lead).post(
        "/api/v1/me/diversity/", {"gender": "man"}, content_type="application/json"
    )
    assert changed.status_code == 200
    assert DiversityAnswers.objects.get(user=personas.manager).gender == ""
    assert DiversityAnswers.objects.get(user=personas.ld_lead).gender == "man"
    bad = personas.client_for(personas.manager).post(
        "/api/v1/me/diversity/", {"gender": "robot"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert personas.client_for(None).get("/api/v1/me/diversity/").status_code in (401, 403)
    # Nor anywhere in the records API an L&D lead reads.
    body = personas.client_for(personas.ld_lead).get(_records(personas)).content.decode()
    assert "black" not in body


def test_diversity_answers_are_not_in_the_django_admin() -> None:
    assert DiversityAnswers not in admin.site._registry
