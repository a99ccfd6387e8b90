"""The person's own record in the API: hers alone."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from waymark.accounts.models import User
from waymark.core.models import AuditEvent
from waymark.core.tests.factories import MembershipFactory, UserFactory

from .conftest import OTHER_MARK, Records


def _url(records: Records, person: User | None = None, org: str | None = None) -> str:
    person = person or records.manager
    return f"/api/v1/organisations/{org or records.p.org.slug}/people/{person.pk}/record/"


def client_as(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_she_gets_all_her_own_data(records: Records) -> None:
    response = client_as(records.manager).get(_url(records))
    assert response.status_code == 200
    data = response.json()
    assert data["format_version"] == 1
    [org] = data["organisations"]
    titles = {e["title"] for e in org["cpd_entries"]}
    assert records.private_entry().title in titles
    assert OTHER_MARK.strip() not in response.content.decode()
    assert AuditEvent.objects.filter(action="records.data.export", actor=records.manager).exists()


def test_a_token_works_as_well_as_a_session(records: Records) -> None:
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=records.manager)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(_url(records)).status_code == 200


@pytest.mark.parametrize("who", ["supervisor", "ld_lead", "admin", "mentor"])
def test_the_people_around_her_are_refused(records: Records, who: str) -> None:
    viewer = records.mentor if who == "mentor" else getattr(records.p, who)
    response = client_as(viewer).get(_url(records))
    assert response.status_code == 403
    assert "cpd_entries" not in response.content.decode()


def test_outsiders_and_colleagues_do_not_find_it(records: Records) -> None:
    colleague = UserFactory.create()
    MembershipFactory.create(organisation=records.p.org, user=colleague, role="manager")
    assert client_as(colleague).get(_url(records)).status_code == 404
    assert client_as(records.p.outsider).get(_url(records)).status_code == 404
    # Nor through the outsider's own organisation, where Maya is not a member.
    outsider_org = _url(records, org=records.p.other_org.slug)
    assert client_as(records.p.outsider).get(outsider_org).status_code == 404


def test_signed_out_callers_are_refused(records: Records) -> None:
    assert client_as(None).get(_url(records)).status_code in (401, 403)


def test_it_only_reads(records: Records) -> None:
    assert client_as(records.manager).post(_url(records), {}).status_code == 405
