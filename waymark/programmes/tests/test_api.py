"""The programmes API: same access as the pages."""

from __future__ import annotations

import pytest

from waymark.conftest import Personas
from waymark.cpd.models import Entry

from ..models import Participant, Programme
from .factories import make_programme

pytestmark = pytest.mark.django_db


def _base(p: Personas) -> str:
    return f"/api/v1/organisations/{p.org.slug}/programmes/"


def test_an_ld_lead_creates_a_programme_from_the_template(personas: Personas) -> None:
    client = personas.client_for(personas.ld_lead)
    response = client.post(
        _base(personas),
        {
            "template": "modular",
            "title": "First line",
            "start_date": "2027-01-11",
            "module_count": 3,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert len(response.json()["modules"]) == 5


def test_the_api_answers_more_than_six_modules_clearly(personas: Personas) -> None:
    response = personas.client_for(personas.admin).post(
        _base(personas),
        {
            "template": "modular",
            "title": "First line",
            "start_date": "2027-01-11",
            "module_count": 9,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["module_count"] == ["Choose between 0 and 6 further modules"]
    assert not Programme.objects.exists()


def test_a_manager_cannot_create_programmes(personas: Personas) -> None:
    response = personas.client_for(personas.manager).post(
        _base(personas),
        {"template": "modular", "title": "Mine", "start_date": "2027-01-11"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_participants_read_their_own_programmes_and_attendance(supervised: Personas) -> None:
    p = supervised
    setup = make_programme(p.org, participants=(p.manager, p.supervisor))
    make_programme(p.org, title="Someone else's")
    lead = p.client_for(p.ld_lead)
    url = f"{_base(p)}{setup.programme.pk}/sessions/{setup.session.pk}/attendance/"
    marks = [
        {"participant": pl.pk, "status": "present"}
        for pl in Participant.objects.filter(cohort=setup.cohort)
    ]
    response = lead.post(url, {"marks": marks}, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["entries_made"] == 2
    again = lead.post(url, {"marks": marks}, content_type="application/json")
    assert again.json()["entries_made"] == 0
    assert Entry.objects.count() == 2
    maya = p.client_for(p.manager)
    listed = maya.get(_base(p)).json()
    titles = [x["title"] for x in listed.get("results", listed)]
    assert titles == ["First line leadership"]
    mine = maya.get(url).json()
    assert [m["name"] for m in mine] == ["Maya Manager"]
    assert maya.post(url, {"marks": marks}, content_type="application/json").status_code == 403
    sessions = maya.get(f"{_base(p)}{setup.programme.pk}/sessions/").json()
    assert len(sessions.get("results", sessions)) == 1


def test_duplicate_marks_are_refused(personas: Personas) -> None:
    setup = make_programme(personas.org, participants=(personas.manager,))
    place = Participant.objects.get()
    url = f"{_base(personas)}{setup.programme.pk}/sessions/{setup.session.pk}/attendance/"
    response = personas.client_for(personas.ld_lead).post(
        url,
        {
            "marks": [
                {"participant": place.pk, "status": "present"},
                {"participant": place.pk, "status": "absent"},
            ]
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "more than once" in response.json()["marks"][0]
    assert not Entry.objects.exists()


def test_outsiders_and_strangers_to_a_programme_get_not_found(personas: Personas) -> None:
    setup = make_programme(personas.org)
    assert personas.client_for(personas.outsider).get(_base(personas)).status_code == 404
    url = f"{_base(personas)}{setup.programme.pk}/"
    assert personas.client_for(personas.manager).get(url).status_code == 404
    assert personas.client_for(personas.ld_lead).get(url).status_code == 200


def test_a_session_is_added_within_the_cohort_dates_only(personas: Personas) -> None:
    setup = make_programme(personas.org)
    other = make_programme(personas.other_org)
    url = f"{_base(personas)}{setup.programme.pk}/sessions/"
    client = personas.client_for(personas.ld_lead)
    body = {
        "module": setup.module.pk,
        "cohort": setup.cohort.pk,
        "date": str(setup.cohort.end_date.replace(year=setup.cohort.end_date.year + 1)),
        "start_time": "10:00",
        "end_time": "12:00",
    }
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert "within the cohort's dates" in response.json()["date"][0]
    response = client.post(
        url, {**body, "module": other.module.pk}, content_type="application/json"
    )
    assert response.status_code == 400 and "module" in response.json()
    response = client.post(
        url, {**body, "date": str(setup.cohort.start_date)}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
