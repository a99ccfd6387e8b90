from __future__ import annotations

from waymark.conftest import Personas
from waymark.core.models import AuditEvent
from waymark.organisations.models import Membership


def test_the_dashboard_names_the_organisation_for_its_members(personas: Personas) -> None:
    response = personas.client_for(personas.manager).get("/o/brightwater/")
    assert response.status_code == 200
    assert "Brightwater Care" in response.content.decode()


def test_an_admin_adds_a_member_and_it_is_audited(personas: Personas) -> None:
    client = personas.client_for(personas.admin)
    response = client.post(
        "/o/brightwater/members/add/",
        {"email": "new.person@brightwater.example", "full_name": "New Person", "role": "manager"},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(
        organisation=personas.org, user__email="new.person@brightwater.example", role="manager"
    ).exists()
    assert AuditEvent.objects.filter(action="membership.add", organisation=personas.org).exists()


def test_a_bad_member_form_says_what_is_wrong_and_keeps_what_was_typed(personas: Personas) -> None:
    client = personas.client_for(personas.admin)
    response = client.post(
        "/o/brightwater/members/add/", {"email": "not-an-email", "full_name": "Kept Name"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Enter a valid email address" in body
    assert 'value="Kept Name"' in body
    assert not Membership.objects.filter(user__full_name="Kept Name").exists()


def test_the_members_page_lists_people_in_a_constant_number_of_queries(
    personas: Personas, django_assert_max_num_queries
) -> None:
    client = personas.client_for(personas.ld_lead)
    with django_assert_max_num_queries(12):
        response = client.get("/o/brightwater/members/")
    assert "Maya Manager" in response.content.decode()


def test_an_admin_changes_the_organisation_details_and_the_change_is_recorded(
    personas: Personas,
) -> None:
    client = personas.client_for(personas.admin)
    response = client.post(
        "/o/brightwater/settings/",
        {
            "name": "Brightwater Care Ltd",
            "sector": "private",
            "size_band": "medium",
            "region": "north-west",
        },
    )
    assert response.status_code == 302
    personas.org.refresh_from_db()
    assert personas.org.size_band == "medium"
    event = AuditEvent.objects.get(action="organisation.update")
    assert event.changes["size_band"] == ["small", "medium"]
    assert event.actor == personas.admin
