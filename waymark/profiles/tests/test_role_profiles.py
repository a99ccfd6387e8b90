"""Role profile pages: L&D leads and admins create and change them; every member reads
the active ones; archived ones are for L&D leads and admins only."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from waymark.conftest import Personas
from waymark.core.models import AuditEvent
from waymark.frameworks.models import Edition
from waymark.profiles.models import RoleBasic, RoleCompetence, RoleProfile, RoleQualification

from .conftest import node

pytestmark = pytest.mark.django_db


def url(name: str, profile: RoleProfile | None = None, **kwargs: object) -> str:
    kw: dict[str, object] = {"org_slug": "brightwater", **kwargs}
    if profile is not None:
        kw["profile_id"] = profile.pk
    return reverse(f"profiles:{name}", kwargs=kw)


def test_an_ld_lead_creates_a_role_profile_and_is_taken_to_its_starting_point(
    personas: Personas, mm: Edition
) -> None:
    client = personas.client_for(personas.ld_lead)
    response = client.post(
        url("role_profile_create"),
        {
            "title": "First line manager, residential children's services",
            "manager_level": "first-line",
            "description": "Runs a children's house.",
        },
    )
    profile = RoleProfile.objects.get(organisation=personas.org)
    assert response.status_code == 302
    assert response["Location"] == url("role_profile_starting_point", profile)
    assert profile.created_by == personas.ld_lead
    assert AuditEvent.objects.filter(
        action="role_profile.create", object_id=str(profile.pk)
    ).exists()

    page = client.get(response["Location"]).content.decode()
    assert "Choose a starting point" in page
    assert "Small (5 to 50 employees)" in page
    assert "partnership" in page


def test_the_starting_point_adds_only_the_ticked_competences(
    personas: Personas, mm: Edition
) -> None:
    client = personas.client_for(personas.admin)
    client.post(
        url("role_profile_create"), {"title": "Registered manager", "manager_level": "first-line"}
    )
    profile = RoleProfile.objects.get()
    chosen = [node(mm, "MM5.01").pk, node(mm, "MM4.01").pk]
    response = client.post(url("role_profile_starting_point", profile), {"nodes": chosen})
    assert response.status_code == 302
    rows = {
        c.node.code: c
        for c in RoleCompetence.objects.filter(role_profile=profile).select_related("node")
    }
    assert set(rows) == {"MM5.01", "MM4.01"}
    # First line: specialist domains (MM4) expected at Confident and essential.
    assert (rows["MM4.01"].expected_level, rows["MM4.01"].importance) == (3, 3)
    assert (rows["MM5.01"].expected_level, rows["MM5.01"].importance) == (2, 2)


def test_the_starting_point_says_what_is_wrong_when_nothing_is_ticked(
    personas: Personas, mm: Edition
) -> None:
    client = personas.client_for(personas.ld_lead)
    client.post(
        url("role_profile_create"), {"title": "Registered manager", "manager_level": "senior"}
    )
    profile = RoleProfile.objects.get()
    response = client.post(url("role_profile_starting_point", profile), {})
    assert response.status_code == 200
    assert "Choose at least one competence" in response.content.decode()
    assert not profile.competences.exists()


def test_a_role_profile_without_a_title_is_refused_with_a_clear_message_and_keeps_what_was_typed(
    personas: Personas,
) -> None:
    client = personas.client_for(personas.ld_lead)
    response = client.post(
        url("role_profile_create"),
        {
            "title": "",
            "manager_level": "middle",
            "description": "Keeps this text",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the name of the role" in page
    assert "Keeps this text" in page
    assert "There is a problem" in page
    assert not RoleProfile.objects.exists()


def test_every_member_reads_the_role_profiles_but_only_ld_leads_and_admins_change_them(
    supported: Personas, profile: RoleProfile
) -> None:
    for who in (supported.manager, supported.supervisor):
        client = supported.client_for(who)
        listing = client.get(url("role_profiles")).content.decode()
        assert "Team leader, home care" in listing
        assert "Create a role profile" not in listing
        page = client.get(url("role_profile", profile)).content.decode()
        assert "MM4.01" in page
        assert "Registered Manager Award" in page
        assert "Safeguarding procedures" in page
        assert "Add competences" not in page
        assert client.get(url("role_profile_edit", profile)).status_code == 403
        assert client.post(url("role_profile_competences", profile), {}).status_code == 403
    page = (
        supported.client_for(supported.ld_lead).get(url("role_profile", profile)).content.decode()
    )
    assert "Add competences" in page


def test_an_outsider_cannot_reach_a_role_profile(personas: Personas, profile: RoleProfile) -> None:
    client = personas.client_for(personas.outsider)
    assert client.get(url("role_profile", profile)).status_code == 404
    # Nor through her own organisation.
    other = reverse(
        "profiles:role_profile", kwargs={"org_slug": "elsewhere", "profile_id": profile.pk}
    )
    assert client.get(other).status_code == 404
    assert (
        client.get(
            reverse(
                "profiles:role_profile_edit",
                kwargs={"org_slug": "elsewhere", "profile_id": profile.pk},
            )
        ).status_code
        == 404
    )


def test_one_form_sets_levels_and_importance_and_removes_rows(
    personas: Personas, profile: RoleProfile, mm: Edition
) -> None:
    client = personas.client_for(personas.ld_lead)
    ids = {c.node.code: c.node_id for c in profile.competences.select_related("node")}
    page = client.get(url("role_profile_competences", profile)).content.decode()
    assert f'name="level_{ids["MM4.01"]}"' in page
    response = client.post(
        url("role_profile_competences", profile),
        {
            f"level_{ids['MM4.01']}": "4",
            f"importance_{ids['MM4.01']}": "1",
            f"level_{ids['MM5.01']}": "2",
            f"importance_{ids['MM5.01']}": "2",
            f"level_{ids['MM6.01']}": "3",
            f"importance_{ids['MM6.01']}": "3",
            f"remove_{ids['MM6.01']}": "on",
        },
    )
    assert response.status_code == 302
    rows = {
        c.node.code: (c.expected_level, c.importance)
        for c in profile.competences.select_related("node")
    }
    assert rows == {"MM4.01": (4, 1), "MM5.01": (2, 2)}


def test_a_level_out_of_range_is_refused_and_nothing_is_saved(
    personas: Personas, profile: RoleProfile
) -> None:
    client = personas.client_for(personas.ld_lead)
    ids = {c.node.code: c.node_id for c in profile.competences.select_related("node")}
    data = {f"level_{pk}": "3" for pk in ids.values()} | {
        f"importance_{pk}": "2" for pk in ids.values()
    }
    data[f"level_{ids['MM4.01']}"] = "9"
    response = client.post(url("role_profile_competences", profile), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose one of the levels 0 to 4" in page
    assert f'href="#id_level_{ids["MM4.01"]}"' in page
    assert profile.competences.get(node_id=ids["MM4.01"]).expected_level == 3


def test_picking_a_whole_domain_adds_its_outcomes(
    personas: Personas, profile: RoleProfile, mm: Edition
) -> None:
    client = personas.client_for(personas.ld_lead)
    browse = url("role_profile_competences_add", profile) + "?framework=middle-manager-llf"
    page = client.get(browse).content.decode()
    assert "All 7 items in MM5" in page
    response = client.post(browse, {"nodes": [node(mm, "MM5").pk]})
    assert response.status_code == 302
    codes = set(profile.competences.values_list("node__code", flat=True))
    assert {f"MM5.0{i}" for i in range(1, 8)} <= codes
    assert "MM5" not in codes


def test_searching_finds_single_items_to_add(
    personas: Personas, profile: RoleProfile, mm: Edition
) -> None:
    client = personas.client_for(personas.ld_lead)
    search = url("role_profile_competences_add", profile) + "?q=MM9.01"
    page = client.get(search).content.decode()
    assert "MM9.01" in page
    client.post(search, {"nodes": [node(mm, "MM9.01").pk]})
    assert profile.competences.filter(node__code="MM9.01").exists()


def test_picking_nothing_or_only_what_is_held_says_so(
    personas: Personas, profile: RoleProfile, mm: Edition
) -> None:
    client = personas.client_for(personas.ld_lead)
    browse = url("role_profile_competences_add", profile) + "?framework=middle-manager-llf"
    assert "Choose at least one competence to add" in client.post(browse, {}).content.decode()
    page = client.post(browse, {"nodes": [node(mm, "MM4.01").pk]}).content.decode()
    assert "already in the profile" in page
    assert "not-a-number" not in client.post(browse, {"nodes": ["not-a-number"]}).content.decode()


def test_qualifications_and_basics_are_added_and_removed(
    personas: Personas, profile: RoleProfile
) -> None:
    client = personas.client_for(personas.ld_lead)
    client.post(
        url("role_profile_qualifications", profile),
        {"title": "ILM Certificate in First Line Management", "note": ""},
    )
    assert profile.qualifications.filter(title__startswith="ILM").exists()
    refused = client.post(
        url("role_profile_qualifications", profile), {"title": "", "note": "kept note"}
    )
    assert "Enter the qualification" in refused.content.decode()
    assert "kept note" in refused.content.decode()
    client.post(
        url("role_profile_basics", profile), {"kind": "foundation", "title": "Supervision skills"}
    )
    assert profile.basics.filter(kind="foundation", title="Supervision skills").exists()
    q = profile.qualifications.get(title="Registered Manager Award")
    client.post(url("role_profile_qualification_remove", profile, item_id=q.pk))
    assert not RoleQualification.objects.filter(pk=q.pk).exists()
    b = profile.basics.get(title="Safeguarding procedures")
    client.post(url("role_profile_basic_remove", profile, item_id=b.pk))
    assert not RoleBasic.objects.filter(pk=b.pk).exists()


def test_an_archived_profile_is_hidden_from_managers_and_can_be_restored(
    personas: Personas, profile: RoleProfile
) -> None:
    lead = personas.client_for(personas.ld_lead)
    lead.post(url("role_profile_archive", profile))
    profile.refresh_from_db()
    assert profile.archived
    manager = personas.client_for(personas.manager)
    assert "Team leader" not in manager.get(url("role_profiles")).content.decode()
    assert manager.get(url("role_profile", profile)).status_code == 404
    assert "Archived" in lead.get(url("role_profiles")).content.decode()
    lead.post(url("role_profile_archive", profile))
    profile.refresh_from_db()
    assert not profile.archived


def test_the_role_profile_list_takes_the_same_queries_however_many_profiles(
    personas: Personas, profile: RoleProfile, django_assert_max_num_queries: Any
) -> None:
    from .factories import RoleProfileFactory

    for _ in range(15):
        RoleProfileFactory(organisation=personas.org)
    client = personas.client_for(personas.ld_lead)
    client.get(url("role_profiles"))
    with django_assert_max_num_queries(7):
        response = client.get(url("role_profiles"))
    assert response.content.decode().count("/role-profiles/") >= 16


def test_a_role_profile_page_takes_a_fixed_number_of_queries(
    personas: Personas, profile: RoleProfile, mm: Edition, django_assert_max_num_queries: Any
) -> None:
    from waymark.profiles import services
    from waymark.profiles.selectors import CompetenceRow

    services.role_competences_set(
        actor=personas.ld_lead,
        role_profile=profile,
        competences=[
            CompetenceRow(n, 3, 2)
            for n in mm.nodes.filter(depth=1).select_related("edition__framework")
        ],
    )
    client = personas.client_for(personas.ld_lead)
    with django_assert_max_num_queries(11):
        response = client.get(url("role_profile", profile))
    assert response.content.decode().count("waymark-code") >= 74
