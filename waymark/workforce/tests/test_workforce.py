from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse

from waymark.conftest import Personas
from waymark.core.models import AuditEvent
from waymark.core.tests.factories import MembershipFactory, UserFactory
from waymark.organisations.models import SupportRelationship
from waymark.signposting.models import Qualification
from waymark.workforce import selectors, services
from waymark.workforce.models import DiversityAnswers, QualificationRecord, Team, WorkforceRecord


def _url(personas: Personas, name: str, **kwargs: object) -> str:
    return reverse(f"workforce:{name}", kwargs={"org_slug": personas.org.slug, **kwargs})


@pytest.fixture
def team(personas: Personas) -> Team:
    return services.team_create(
        actor=personas.ld_lead, organisation=personas.org, name="Residential"
    )


# --- teams and records ------------------------------------------------------------------


def test_an_ld_lead_adds_a_team_and_a_duplicate_is_refused(personas: Personas) -> None:
    client = personas.client_for(personas.ld_lead)
    assert client.post(_url(personas, "teams"), {"name": "Home care"}).status_code == 302
    again = client.post(_url(personas, "teams"), {"name": "home care"})
    assert again.status_code == 200
    assert "already a team or service with that name" in again.content.decode()
    empty = client.post(_url(personas, "teams"), {"name": ""})
    assert "Enter the name of the team or service" in empty.content.decode()


def test_an_ld_lead_sets_a_members_workforce_record_with_audit(
    personas: Personas, team: Team
) -> None:
    client = personas.client_for(personas.ld_lead)
    url = _url(personas, "record_edit", person_id=personas.manager.pk)
    response = client.post(
        url, {"manager_level": "first-line", "service_area": "adults", "team": team.pk}
    )
    assert response.status_code == 302
    record = WorkforceRecord.objects.get(user=personas.manager)
    assert (record.manager_level, record.service_area, record.team) == (
        "first-line",
        "adults",
        team,
    )
    event = AuditEvent.objects.get(action="workforce.record_set")
    assert event.changes["manager_level"] == ["", "first-line"]


def test_a_team_of_another_organisation_is_refused(personas: Personas) -> None:
    other = services.team_create(
        actor=personas.outsider, organisation=personas.other_org, name="Elsewhere team"
    )
    client = personas.client_for(personas.ld_lead)
    response = client.post(
        _url(personas, "record_edit", person_id=personas.manager.pk),
        {"manager_level": "middle", "team": other.pk},
    )
    assert response.status_code == 200
    assert "Choose a team or service from the list" in response.content.decode()


def test_the_member_sees_her_own_record_but_cannot_change_it(
    personas: Personas, team: Team
) -> None:
    services.record_set(
        actor=personas.ld_lead,
        organisation=personas.org,
        person=personas.manager,
        manager_level="middle",
        service_area="justice",
        team=team,
    )
    client = personas.client_for(personas.manager)
    page = client.get(_url(personas, "person", person_id=personas.manager.pk))
    assert page.status_code == 200
    assert "Middle manager" in page.content.decode()
    assert "Residential" in page.content.decode()
    assert (
        client.get(_url(personas, "record_edit", person_id=personas.manager.pk)).status_code == 403
    )
    assert client.get(_url(personas, "people")).status_code == 403
    assert client.get(_url(personas, "person", person_id=personas.supervisor.pk)).status_code == 404


def test_the_people_list_filters_and_counts_qualifications(personas: Personas, team: Team) -> None:
    services.record_set(
        actor=personas.ld_lead,
        organisation=personas.org,
        person=personas.manager,
        manager_level="first-line",
        service_area="adults",
        team=team,
    )
    services.qualification_add(
        actor=personas.manager,
        organisation=personas.org,
        person=personas.manager,
        qualification=None,
        title="SVQ 4 LMCS",
        status="studying",
    )
    client = personas.client_for(personas.ld_lead)
    everyone = client.get(_url(personas, "people")).content.decode()
    assert "Maya Manager" in everyone and "Sam Supervisor" in everyone
    first_line = client.get(_url(personas, "people"), {"level": "first-line"}).content.decode()
    assert "Maya Manager" in first_line and "Sam Supervisor" not in first_line
    by_team = client.get(_url(personas, "people"), {"team": team.pk}).content.decode()
    assert "Maya Manager" in by_team and "Sam Supervisor" not in by_team
    rows = selectors.people(personas.org, selectors.PeopleFilters())
    maya = next(r for r in rows if r.user == personas.manager)
    assert (maya.held, maya.studying) == (0, 1)


def test_the_people_list_takes_the_same_queries_for_many_people(
    personas: Personas, team: Team, django_assert_max_num_queries: object
) -> None:
    for i in range(30):
        user = UserFactory.create(email=f"m{i}@brightwater.example", full_name=f"Manager {i}")
        MembershipFactory.create(organisation=personas.org, user=user, role="manager")
        services.record_set(
            actor=personas.ld_lead,
            organisation=personas.org,
            person=user,
            manager_level="middle",
            service_area="adults",
            team=team,
        )
        services.qualification_add(
            actor=personas.ld_lead,
            organisation=personas.org,
            person=user,
            qualification=None,
            title="Degree",
            status="held",
        )
    client = personas.client_for(personas.ld_lead)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client.get(_url(personas, "people"))
    assert response.content.decode().count("Manager ") >= 30


# --- qualifications ---------------------------------------------------------------------


def test_a_person_adds_a_catalogue_qualification_and_a_named_one(personas: Personas) -> None:
    catalogue = Qualification.objects.create(
        slug="svq4-lmcs",
        title="SVQ 4 Leadership and Management for Care Services",
        awarding_body="SQA",
    )
    client = personas.client_for(personas.manager)
    url = _url(personas, "qualification_add", person_id=personas.manager.pk)
    assert "SVQ 4 Leadership" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "qualification": catalogue.pk,
            "status": "held",
            "achieved_on_0": "3",
            "achieved_on_1": "7",
            "achieved_on_2": "2019",
        },
    )
    assert response.status_code == 302
    held = QualificationRecord.objects.get(qualification=catalogue)
    assert held.achieved_on == datetime.date(2019, 7, 3)
    response = client.post(
        url,
        {
            "title": "BA Social Work",
            "status": "studying",
            "expected_on_0": "31",
            "expected_on_1": "7",
            "expected_on_2": "2027",
        },
    )
    assert response.status_code == 302
    page = client.get(_url(personas, "person", person_id=personas.manager.pk)).content.decode()
    assert "BA Social Work" in page and "SVQ 4 Leadership" in page


def test_a_qualification_needs_a_name_and_a_status(personas: Personas) -> None:
    client = personas.client_for(personas.manager)
    url = _url(personas, "qualification_add", person_id=personas.manager.pk)
    response = client.post(
        url, {"achieved_on_0": "40", "achieved_on_1": "1", "achieved_on_2": "2020"}
    )
    body = response.content.decode()
    assert "Choose a qualification from the catalogue, or name it" in body
    assert "Say whether the qualification is held or being studied" in body
    assert "The date must be a real date" in body
    assert not QualificationRecord.objects.exists()


def test_a_supervisor_cannot_see_or_edit_qualifications(personas: Personas) -> None:
    SupportRelationship.objects.create(
        organisation=personas.org,
        manager=personas.manager,
        supporter=personas.supervisor,
        kind="supervisor",
    )
    client = personas.client_for(personas.supervisor)
    assert client.get(_url(personas, "person", person_id=personas.manager.pk)).status_code == 403
    assert (
        client.get(_url(personas, "qualification_add", person_id=personas.manager.pk)).status_code
        == 403
    )


# --- selectors for the reports ---------------------------------------------------------


def test_workforce_rows_carry_the_organisations_categories_in_one_query(
    personas: Personas, team: Team, django_assert_num_queries: object
) -> None:
    services.record_set(
        actor=personas.ld_lead,
        organisation=personas.org,
        person=personas.manager,
        manager_level="first-line",
        service_area="adults",
        team=team,
    )
    services.record_set(
        actor=personas.outsider,
        organisation=personas.other_org,
        person=personas.outsider,
        manager_level="senior",
        service_area="justice",
        team=None,
    )
    with django_assert_num_queries(1):  # type: ignore[operator]
        rows = selectors.workforce_rows([personas.org.pk, personas.other_org.pk])
    assert sorted(rows) == sorted(
        [
            (
                personas.manager.pk,
                personas.org.pk,
                "first-line",
                "adults",
                team.pk,
                personas.org.sector,
                "small",
                personas.org.region,
            ),
            (
                personas.outsider.pk,
                personas.other_org.pk,
                "senior",
                "justice",
                None,
                "statutory",
                "large",
                personas.other_org.region,
            ),
        ]
    )
    assert selectors.workforce_rows([personas.org.pk])[0].level == "first-line"


def test_diversity_counts_are_counts_only_each_person_once(personas: Personas) -> None:
    services.diversity_set(
        actor=personas.manager, person=personas.manager, answers={"gender": "woman"}
    )
    # The supervisor holds two roles: she is still one person.
    services.diversity_set(
        actor=personas.supervisor,
        person=personas.supervisor,
        answers={"gender": "woman", "ethnicity": "white"},
    )
    services.diversity_set(
        actor=personas.outsider, person=personas.outsider, answers={"gender": "man"}
    )
    assert selectors.diversity_counts([personas.org.pk], "gender") == {"woman": 2}
    assert selectors.diversity_counts([personas.org.pk], "ethnicity") == {"": 1, "white": 1}
    assert selectors.diversity_counts([personas.org.pk, personas.other_org.pk], "gender") == {
        "woman": 2,
        "man": 1,
    }
    with pytest.raises(ValueError):
        selectors.diversity_counts([personas.org.pk], "email")


# --- diversity: only the person ---------------------------------------------------------


def test_the_person_answers_and_changes_her_own_diversity_questions(personas: Personas) -> None:
    client = personas.client_for(personas.manager)
    url = _url(personas, "diversity", person_id=personas.manager.pk)
    page = client.get(url).content.decode()
    assert "fewer than 5 people is suppressed" in page
    assert "Prefer not to say" in page
    response = client.post(
        url, {"gender": "prefer-not", "ethnicity": "asian", "disability": "", "age_band": "35-44"}
    )
    assert response.status_code == 302
    answers = DiversityAnswers.objects.get(user=personas.manager)
    assert (answers.gender, answers.ethnicity, answers.disability, answers.age_band) == (
        "prefer-not",
        "asian",
        "",
        "35-44",
    )
    bad = client.post(url, {"gender": "robot"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()
    client.post(url, {"withdraw": "1"})
    assert not DiversityAnswers.objects.filter(user=personas.manager).exists()


def test_no_one_else_sees_an_individuals_diversity_answers(personas: Personas) -> None:
    SupportRelationship.objects.create(
        organisation=personas.org,
        manager=personas.manager,
        supporter=personas.supervisor,
        kind="supervisor",
    )
    services.diversity_set(
        actor=personas.manager,
        person=personas.manager,
        answers={"ethnicity": "mixed", "age_band": "55-64", "gender": "non-binary"},
    )
    url = _url(personas, "diversity", person_id=personas.manager.pk)
    for user in (personas.supervisor, personas.ld_lead, personas.admin):
        client = personas.client_for(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"gender": "man"}).status_code == 403
        for page in (
            _url(personas, "people"),
            _url(personas, "person", person_id=personas.manager.pk),
            reverse(
                "organisations:person",
                kwargs={"org_slug": personas.org.slug, "person_id": personas.manager.pk},
            ),
        ):
            body = client.get(page).content.decode()
            for secret in ("Mixed or Multiple", "55 to 64", "Non-binary"):
                assert secret not in body, (user, page)
    outsider = personas.client_for(personas.outsider)
    assert outsider.get(url).status_code == 404
    # The audit trail records that answers changed, never what they are.
    for event in AuditEvent.objects.filter(action__startswith="workforce.diversity"):
        assert "mixed" not in json.dumps(event.changes) + event.summary
    # The service itself refuses anyone but the person.
    with pytest.raises(PermissionError):
        services.diversity_set(
            actor=personas.ld_lead, person=personas.manager, answers={"gender": "man"}
        )
    assert DiversityAnswers.objects.get(user=personas.manager).gender == "non-binary"
    assert "non-binary" not in str(DiversityAnswers.objects.get(user=personas.manager))


def test_the_persons_own_data_export_includes_her_answers(personas: Personas) -> None:
    from waymark.records.export import person_data

    services.diversity_set(
        actor=personas.manager, person=personas.manager, answers={"disability": "yes"}
    )
    data = person_data(person=personas.manager)
    assert data["diversity_monitoring"]["disability"] == "yes"
    assert data["diversity_monitoring"]["disability_label"] == "Yes"
    assert person_data(person=personas.supervisor)["diversity_monitoring"] is None
