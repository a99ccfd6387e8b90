"""The role profile and PMS endpoints reach only what the pages would show: members read
role profiles, L&D leads and admins change them; a PMS is read by the manager, her
supervisor, L&D leads and admins, changed only by the manager, agreed only by her
supervisor; everyone else gets 404."""

from __future__ import annotations

from typing import Any, cast

import pytest
from rest_framework.test import APIClient

from waymark.accounts.models import User
from waymark.conftest import Personas
from waymark.frameworks.models import Edition
from waymark.profiles.models import RoleProfile, Specification

from .conftest import node

pytestmark = pytest.mark.django_db

BASE = "/api/v1/organisations/brightwater"


def api(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_members_read_the_role_profiles(supported: Personas, profile: RoleProfile) -> None:
    for who in (supported.manager, supported.supervisor, supported.ld_lead):
        body = api(who).get(f"{BASE}/role-profiles/").json()
        [row] = body["results"]
        assert row["title"] == "Team leader, home care"
        assert {c["code"] for c in row["competences"]} == {"MM4.01", "MM5.01", "MM6.01"}
        assert row["qualifications"] == [
            {"title": "Registered Manager Award", "note": "Within two years"}
        ]
    assert api(supported.manager).get(f"{BASE}/role-profiles/{profile.pk}/").status_code == 200


def test_outsiders_get_not_found_on_every_endpoint(
    spec: Specification, supported: Personas, profile: RoleProfile
) -> None:
    client = api(supported.outsider)
    pid = supported.manager.pk
    for path in (
        f"{BASE}/role-profiles/",
        f"{BASE}/role-profiles/{profile.pk}/",
        f"{BASE}/pms/",
        f"{BASE}/pms/{pid}/",
        f"{BASE}/pms/{pid}/revisions/",
        f"{BASE}/pms/{pid}/revisions/1/",
    ):
        assert client.get(path).status_code == 404, path
    assert (
        client.post(
            f"{BASE}/role-profiles/", {"title": "x", "manager_level": "middle"}, format="json"
        ).status_code
        == 404
    )
    # Nor through the outsider's own organisation.
    assert (
        client.get(f"/api/v1/organisations/elsewhere/role-profiles/{profile.pk}/").status_code
        == 404
    )
    assert client.get(f"/api/v1/organisations/elsewhere/pms/{pid}/").status_code == 404
    assert api(None).get(f"{BASE}/role-profiles/").status_code in (401, 403)


def test_an_ld_lead_creates_and_changes_a_role_profile(supported: Personas, mm: Edition) -> None:
    client = api(supported.ld_lead)
    response = client.post(
        f"{BASE}/role-profiles/",
        {
            "title": "Registered manager",
            "manager_level": "first-line",
            "competences": [
                {"node": str(node(mm, "MM6.02").identifier), "expected_level": 3, "importance": 3}
            ],
            "qualifications": [{"title": "Registered Manager Award"}],
            "basics": [{"kind": "induction", "title": "Fire safety"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [c["code"] for c in body["competences"]] == ["MM6.02"]
    pk = body["id"]
    response = client.patch(
        f"{BASE}/role-profiles/{pk}/",
        {
            "title": "Registered manager (adults)",
            "archived": True,
            "competences": [
                {"node": str(node(mm, "MM8.01").identifier), "expected_level": 4, "importance": 2}
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["title"] == "Registered manager (adults)" and body["archived"] is True
    assert [(c["code"], c["expected_level"]) for c in body["competences"]] == [("MM8.01", 4)]
    assert body["basics"] == [{"kind": "induction", "title": "Fire safety"}]
    # Archived: gone for managers.
    assert api(supported.manager).get(f"{BASE}/role-profiles/{pk}/").status_code == 404


def test_managers_and_supervisors_cannot_change_role_profiles(
    supported: Personas, profile: RoleProfile
) -> None:
    for who in (supported.manager, supported.supervisor):
        client = api(who)
        assert (
            client.post(
                f"{BASE}/role-profiles/", {"title": "x", "manager_level": "middle"}, format="json"
            ).status_code
            == 403
        )
        assert (
            client.patch(
                f"{BASE}/role-profiles/{profile.pk}/", {"title": "x"}, format="json"
            ).status_code
            == 403
        )
    profile.refresh_from_db()
    assert profile.title == "Team leader, home care"


def test_bad_role_profile_input_is_answered_clearly(supported: Personas, mm: Edition) -> None:
    client = api(supported.ld_lead)
    body = client.post(
        f"{BASE}/role-profiles/", {"title": "", "manager_level": "boss"}, format="json"
    ).json()
    assert "title" in body and "manager_level" in body
    body = client.post(
        f"{BASE}/role-profiles/",
        {
            "title": "x",
            "manager_level": "middle",
            "competences": [
                {
                    "node": "00000000-0000-0000-0000-000000000000",
                    "expected_level": 3,
                    "importance": 2,
                }
            ],
        },
        format="json",
    ).json()
    assert "No such item" in str(body)
    assert not RoleProfile.objects.exists()


@pytest.mark.parametrize("who", ["manager", "supervisor", "ld_lead", "admin"])
def test_the_pms_is_read_by_those_the_pages_allow(
    spec: Specification, supported: Personas, who: str
) -> None:
    client = api(getattr(supported, who))
    pid = supported.manager.pk
    listing = client.get(f"{BASE}/pms/").json()
    assert [r["person"]["id"] for r in listing["results"]] == [pid]
    body = client.get(f"{BASE}/pms/{pid}/").json()
    assert body["current"]["number"] == 1
    assert body["edition_updates"] == []
    assert {c["code"] for c in body["current"]["competences"]} == {"MM4.01", "MM5.01", "MM6.01"}
    revisions = client.get(f"{BASE}/pms/{pid}/revisions/").json()
    assert [r["number"] for r in revisions["results"]] == [1]
    assert (
        client.get(f"{BASE}/pms/{pid}/revisions/1/").json()["job_title"] == "Team leader, home care"
    )


def test_a_mentor_and_a_colleague_cannot_reach_the_pms(
    spec: Specification, supported: Personas, mentor: User, colleague: User
) -> None:
    pid = supported.manager.pk
    for who in (mentor, colleague):
        client = api(who)
        assert client.get(f"{BASE}/pms/").json()["results"] == []
        assert client.get(f"{BASE}/pms/{pid}/").status_code == 404
        assert client.get(f"{BASE}/pms/{pid}/revisions/").status_code == 404
        assert client.post(f"{BASE}/pms/{pid}/revisions/", {}, format="json").status_code == 404


def revision_body(mm: Edition, **extra: Any) -> dict[str, Any]:
    return {
        "job_title": "Team leader, home care",
        "manager_level": "first-line",
        "competences": [
            {"node": str(node(mm, "MM4.01").identifier), "expected_level": 4, "importance": 3},
            {"node": str(node(mm, "MM7.01").identifier), "expected_level": 3, "importance": 2},
        ],
        "qualifications": [{"title": "Registered Manager Award", "note": ""}],
        "basics": [],
        "change_note": "After my appraisal",
        **extra,
    }


def test_the_manager_posts_a_new_revision(
    spec: Specification, supported: Personas, mm: Edition
) -> None:
    pid = supported.manager.pk
    response = api(supported.manager).post(
        f"{BASE}/pms/{pid}/revisions/", revision_body(mm, based_on=1), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == 2 and body["change_note"] == "After my appraisal"
    assert {c["code"] for c in body["competences"]} == {"MM4.01", "MM7.01"}
    spec.refresh_from_db()
    assert spec.current is not None and spec.current.number == 2
    # Based on an old revision: refused, nothing written.
    stale = api(supported.manager).post(
        f"{BASE}/pms/{pid}/revisions/", revision_body(mm, based_on=1, job_title="x"), format="json"
    )
    assert stale.status_code == 400
    assert "after you opened" in str(stale.json())
    assert spec.revisions.count() == 2


def test_the_first_revision_through_the_api_starts_the_pms(
    supported: Personas, profile: RoleProfile, mm: Edition
) -> None:
    pid = supported.manager.pk
    response = api(supported.manager).post(
        f"{BASE}/pms/{pid}/revisions/",
        {
            "job_title": "",
            "manager_level": "first-line",
            "role_profile": profile.pk,
        },
        format="json",
    )
    # A job title is required by the API even when starting from a profile.
    assert response.status_code == 400
    response = api(supported.manager).post(
        f"{BASE}/pms/{pid}/revisions/",
        {
            "job_title": "Night team leader",
            "manager_level": "first-line",
            "role_profile": profile.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == 1 and body["job_title"] == "Night team leader"
    assert body["role_profile"] == profile.pk
    assert len(body["competences"]) == 3


def test_only_the_manager_writes_and_only_the_supervisor_agrees(
    spec: Specification, supported: Personas, mm: Edition
) -> None:
    pid = supported.manager.pk
    for who in (supported.supervisor, supported.ld_lead):
        assert (
            api(who)
            .post(f"{BASE}/pms/{pid}/revisions/", revision_body(mm), format="json")
            .status_code
            == 403
        )
    for who in (supported.manager, supported.ld_lead):
        assert api(who).post(f"{BASE}/pms/{pid}/revisions/1/agree/").status_code == 403
    response = api(supported.supervisor).post(f"{BASE}/pms/{pid}/revisions/1/agree/")
    assert response.status_code == 200
    assert response.json()["agreed_by"] == "Sam Supervisor"
    assert api(supported.supervisor).post(f"{BASE}/pms/{pid}/revisions/1/agree/").status_code == 400


def test_the_pms_list_takes_a_fixed_number_of_queries(
    spec: Specification, supported: Personas, django_assert_max_num_queries: Any
) -> None:
    from waymark.core.tests.factories import MembershipFactory, UserFactory
    from waymark.profiles import services

    for i in range(5):
        user = cast(User, UserFactory(email=f"m{i}@brightwater.example"))
        MembershipFactory(organisation=supported.org, user=user, role="manager")
        services.spec_start(
            actor=user,
            organisation=supported.org,
            manager=user,
            job_title=f"Job {i}",
            manager_level="middle",
        )
    with django_assert_max_num_queries(12):
        body = api(supported.ld_lead).get(f"{BASE}/pms/").json()
    assert body["count"] == 6
