"""The programme pages: who sees what, forms that answer bad input, efficient lists."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from waymark.conftest import Personas
from waymark.core.tests.factories import MembershipFactory, UserFactory

from ..models import Group, Participant, Programme, Session
from ..services import attendance_record
from .factories import make_framework, make_programme

pytestmark = pytest.mark.django_db


def _url(p: Personas, rest: str = "") -> str:
    return f"/o/{p.org.slug}/programmes/{rest}"


def test_an_ld_lead_sets_up_a_programme_from_the_template(personas: Personas) -> None:
    client = personas.client_for(personas.ld_lead)
    assert client.get(_url(personas, "new/")).status_code == 200
    data = {
        "template": "modular",
        "title": "First line leadership",
        "start_date_0": "11",
        "start_date_1": "1",
        "start_date_2": "2027",
        "module_count": "4",
        "module_days": "2",
        "start_time": "09:30",
        "end_time": "16:30",
    }
    response = client.post(_url(personas, "new/"), data)
    assert response.status_code == 302
    programme = Programme.objects.get()
    assert programme.modules.count() == 6
    page = client.get(response["Location"]).content.decode()
    assert "Introductory module" in page and "Final module" in page


def test_the_template_form_answers_too_many_modules_and_keeps_what_was_typed(
    personas: Personas,
) -> None:
    client = personas.client_for(personas.ld_lead)
    response = client.post(
        _url(personas, "new/"),
        {
            "template": "modular",
            "title": "Leadership for all",
            "start_date_0": "11",
            "start_date_1": "1",
            "start_date_2": "2027",
            "module_count": "8",
            "module_days": "4",
            "start_time": "09:30",
            "end_time": "16:30",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose between 0 and 6 further modules" in html
    assert "A module in this programme can be at most 3 days long" in html
    assert 'value="Leadership for all"' in html
    assert not Programme.objects.exists()


def test_the_monthly_template_is_offered_with_a_framework(personas: Personas) -> None:
    framework = make_framework(domains=3)
    client = personas.client_for(personas.admin)
    response = client.post(
        _url(personas, "new/"),
        {
            "template": "monthly",
            "title": "Monthly forum",
            "start_date_0": "4",
            "start_date_1": "1",
            "start_date_2": "2027",
            "framework": str(framework.pk),
            "module_count": "6",
            "module_days": "2",
            "start_time": "14:00",
            "end_time": "16:00",
        },
    )
    assert response.status_code == 302
    assert Programme.objects.get().modules.count() == 3


def test_a_participant_sees_her_programme_and_a_colleague_does_not(personas: Personas) -> None:
    setup = make_programme(personas.org, participants=(personas.manager,))
    detail = _url(personas, f"{setup.programme.pk}/")
    maya = personas.client_for(personas.manager)
    assert maya.get(detail).status_code == 200
    assert "First line leadership" in maya.get(_url(personas)).content.decode()
    colleague = UserFactory.create()
    MembershipFactory(organisation=personas.org, user=colleague, role="manager")
    other = personas.client_for(colleague)
    assert other.get(detail).status_code == 404
    assert "First line leadership" not in other.get(_url(personas)).content.decode()
    # Participants read; they do not run the programme.
    assert maya.get(_url(personas, f"{setup.programme.pk}/edit/")).status_code == 403


def test_a_facilitator_sees_the_programme_she_facilitates(personas: Personas) -> None:
    setup = make_programme(personas.org)
    setup.session.facilitators.add(personas.supervisor)
    client = personas.client_for(personas.supervisor)
    assert client.get(_url(personas, f"{setup.programme.pk}/")).status_code == 200


def test_programmes_of_another_organisation_are_not_found(personas: Personas) -> None:
    setup = make_programme(personas.other_org)
    client = personas.client_for(personas.ld_lead)
    assert client.get(_url(personas, f"{setup.programme.pk}/")).status_code == 404
    assert client.get(_url(personas, f"{setup.programme.pk}/edit/")).status_code == 404


def test_the_session_form_refuses_a_date_outside_the_cohort(personas: Personas) -> None:
    setup = make_programme(personas.org)
    end = setup.cohort.end_date
    response = personas.client_for(personas.ld_lead).post(
        _url(personas, f"{setup.programme.pk}/sessions/add/"),
        {
            "module": setup.module.pk,
            "cohort": setup.cohort.pk,
            "date_0": str(end.day),
            "date_1": str(end.month),
            "date_2": str(end.year + 1),
            "start_time": "10:00",
            "end_time": "12:00",
            "place": "Room 2",
        },
    )
    html = response.content.decode()
    assert "within the cohort&#x27;s dates" in html
    assert 'value="Room 2"' in html
    assert Session.objects.count() == 1


def test_the_module_form_refuses_over_three_days_in_a_modular_programme(
    personas: Personas,
) -> None:
    setup = make_programme(personas.org)
    Programme.objects.filter(pk=setup.programme.pk).update(template="modular")
    response = personas.client_for(personas.ld_lead).post(
        _url(personas, f"{setup.programme.pk}/modules/{setup.module.pk}/edit/"),
        {
            "title": "Leading change",
            "kind": "module",
            "sequence": "1",
            "days": "4",
            "activity_type": "external-course",
        },
    )
    assert "at most 3 days" in response.content.decode()


def test_participants_are_picked_from_members(personas: Personas) -> None:
    setup = make_programme(personas.org)
    url = _url(personas, f"{setup.programme.pk}/cohorts/{setup.cohort.pk}/participants/")
    client = personas.client_for(personas.ld_lead)
    html = client.get(url).content.decode()
    assert "Maya Manager" in html and "Otto Outsider" not in html
    response = client.post(url, {"users": [personas.manager.pk, personas.supervisor.pk]})
    assert response.status_code == 302
    assert Participant.objects.filter(cohort=setup.cohort).count() == 2
    response = client.post(url, {"users": [personas.outsider.pk]})
    assert response.status_code == 200
    assert Participant.objects.filter(cohort=setup.cohort).count() == 2


def test_groups_are_listed_and_a_mentoring_pair_is_made(personas: Personas) -> None:
    client = personas.client_for(personas.ld_lead)
    response = client.post(
        _url(personas, "groups/new/"),
        {"kind": "mentoring", "name": "Sam and Maya", "mentor": personas.supervisor.pk},
    )
    assert "Choose the mentee" in response.content.decode()
    response = client.post(
        _url(personas, "groups/new/"),
        {
            "kind": "mentoring",
            "name": "Sam and Maya",
            "mentor": personas.supervisor.pk,
            "mentee": personas.manager.pk,
        },
    )
    assert response.status_code == 302
    group = Group.objects.get()
    html = client.get(_url(personas, "groups/")).content.decode()
    assert "Sam and Maya" in html and "(Mentee)" in html
    assert client.get(_url(personas, f"groups/{group.pk}/edit/")).status_code == 200


def test_the_person_page_shows_her_programmes_and_attendance(personas: Personas) -> None:
    setup = make_programme(personas.org, participants=(personas.manager,))
    place = Participant.objects.get()
    attendance_record(actor=personas.ld_lead, session=setup.session, marks={place.pk: "present"})
    html = (
        personas.client_for(personas.ld_lead)
        .get(f"/o/{personas.org.slug}/people/{personas.manager.pk}/")
        .content.decode()
    )
    assert "First line leadership" in html and "attended 1 of 1 sessions" in html


def _many(personas: Personas, n: int) -> None:
    for i in range(n):
        people = []
        for _j in range(3):
            u = UserFactory.create()
            MembershipFactory(organisation=personas.org, user=u)
            people.append(u)
        setup = make_programme(personas.org, participants=tuple(people), title=f"Programme {i}")
        setup.session.facilitators.add(people[0])


def test_the_list_and_detail_pages_take_a_fixed_number_of_queries(
    personas: Personas, django_assert_max_num_queries: object
) -> None:
    _many(personas, 2)
    client = personas.client_for(personas.ld_lead)
    programme = Programme.objects.first()
    assert programme is not None
    with CaptureQueriesContext(connection) as few:
        client.get(_url(personas))
        client.get(_url(personas, f"{programme.pk}/"))
    _many(personas, 6)
    for s in Session.objects.filter(programme=programme):
        for _ in range(3):
            s.facilitators.add(UserFactory.create())
    with CaptureQueriesContext(connection) as more:
        client.get(_url(personas))
        client.get(_url(personas, f"{programme.pk}/"))
    assert len(more) == len(few)
    with django_assert_max_num_queries(25):  # type: ignore[operator]
        client.get(_url(personas, "mine/"))
        client.get(_url(personas, "groups/"))


def test_the_session_and_attendance_pages_do_not_grow_with_the_cohort(
    personas: Personas,
) -> None:
    setup = make_programme(personas.org, participants=(personas.manager,))
    session = f"{setup.programme.pk}/sessions/{setup.session.pk}/"
    client = personas.client_for(personas.ld_lead)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(personas, session)).status_code == 200
            assert client.get(_url(personas, session + "attendance/")).status_code == 200
            assert client.get(_url(personas, f"{setup.programme.pk}/")).status_code == 200
        return len(queries)

    few = count()
    for _i in range(8):
        u = UserFactory.create()
        MembershipFactory(organisation=personas.org, user=u)
        Participant.objects.create(cohort=setup.cohort, organisation=personas.org, user=u)
    marks = {p.pk: "present" for p in Participant.objects.all()}
    attendance_record(actor=personas.ld_lead, session=setup.session, marks=marks)
    assert count() == few


def test_a_session_with_attendance_is_not_deleted_and_one_without_is(
    personas: Personas,
) -> None:
    setup = make_programme(personas.org, participants=(personas.manager,))
    place = Participant.objects.get()
    attendance_record(actor=personas.ld_lead, session=setup.session, marks={place.pk: "absent"})
    client = personas.client_for(personas.ld_lead)
    url = _url(personas, f"{setup.programme.pk}/sessions/{setup.session.pk}/delete/")
    response = client.post(url)
    assert response.status_code == 200
    assert "Attendance has been recorded for this session" in response.content.decode()
    assert Session.objects.count() == 1
    module_url = _url(personas, f"{setup.programme.pk}/modules/{setup.module.pk}/delete/")
    assert "stays" in client.post(module_url).content.decode()
    place.attendance.all().delete()
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not Session.objects.exists()
    assert client.post(module_url).status_code == 302
    assert not setup.programme.modules.exists()
