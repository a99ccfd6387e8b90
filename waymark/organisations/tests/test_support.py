from __future__ import annotations

from waymark.conftest import Personas
from waymark.organisations.models import SupportRelationship


def test_an_ld_lead_makes_sam_the_supervisor_of_maya(personas: Personas) -> None:
    client = personas.client_for(personas.ld_lead)
    response = client.post(
        "/o/brightwater/support/",
        {"manager": personas.manager.pk, "supporter": personas.supervisor.pk, "kind": "supervisor"},
    )
    assert response.status_code == 302
    assert SupportRelationship.objects.filter(
        manager=personas.manager, supporter=personas.supervisor, kind="supervisor"
    ).exists()
    page = client.get("/o/brightwater/support/").content.decode()
    assert "Sam Supervisor" in page and "Maya Manager" in page


def test_nobody_can_be_their_own_supervisor(personas: Personas) -> None:
    client = personas.client_for(personas.ld_lead)
    response = client.post(
        "/o/brightwater/support/",
        {"manager": personas.manager.pk, "supporter": personas.manager.pk, "kind": "supervisor"},
    )
    assert response.status_code == 200
    assert "Choose someone other than the manager" in response.content.decode()
    assert not SupportRelationship.objects.exists()


def test_a_person_from_another_organisation_cannot_be_chosen(personas: Personas) -> None:
    client = personas.client_for(personas.ld_lead)
    response = client.post(
        "/o/brightwater/support/",
        {"manager": personas.manager.pk, "supporter": personas.outsider.pk, "kind": "mentor"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not SupportRelationship.objects.exists()


def test_the_supervisor_sees_the_people_she_supports_and_can_open_their_page(
    personas: Personas,
) -> None:
    SupportRelationship.objects.create(
        organisation=personas.org,
        manager=personas.manager,
        supporter=personas.supervisor,
        kind="supervisor",
    )
    client = personas.client_for(personas.supervisor)
    dashboard = client.get("/o/brightwater/").content.decode()
    url = f"/o/brightwater/people/{personas.manager.pk}/"
    assert url in dashboard
    assert client.get(url).status_code == 200


def test_a_colleague_cannot_open_a_managers_page(personas: Personas) -> None:
    client = personas.client_for(personas.supervisor)  # no relationship yet
    assert client.get(f"/o/brightwater/people/{personas.manager.pk}/").status_code == 404


def test_removing_a_relationship_ends_access(personas: Personas) -> None:
    rel = SupportRelationship.objects.create(
        organisation=personas.org,
        manager=personas.manager,
        supporter=personas.supervisor,
        kind="supervisor",
    )
    personas.client_for(personas.admin).post(f"/o/brightwater/support/{rel.pk}/remove/")
    client = personas.client_for(personas.supervisor)
    assert client.get(f"/o/brightwater/people/{personas.manager.pk}/").status_code == 404
