from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from waymark.conftest import Personas
from waymark.core.models import AuditEvent
from waymark.frameworks.models import Association
from waymark.profiles.models import RoleCompetence, RoleProfile
from waymark.profiles.tests.factories import RoleProfileFactory
from waymark.tailoring import services
from waymark.tailoring.models import FocusFramework, FrontPage, Policy
from waymark.tailoring.selectors import focus_for

from .conftest import Tailored


def _url(personas: Personas, name: str, **kwargs: object) -> str:
    return reverse(f"tailoring:{name}", kwargs={"org_slug": personas.org.slug, **kwargs})


# --- focus ------------------------------------------------------------------------------


def test_an_ld_lead_sets_the_focus_and_it_is_audited(
    personas: Personas, tailored: Tailored
) -> None:
    client = personas.client_for(personas.ld_lead)
    fw = tailored.national.framework
    response = client.post(
        _url(personas, "focus"),
        {"frameworks": [fw.pk], "domains": [tailored.national_domain.pk]},
    )
    assert response.status_code == 302
    focus = focus_for(personas.org)
    assert focus.framework_ids == {fw.pk}
    assert focus.domain_ids == {tailored.national_domain.pk}
    assert AuditEvent.objects.filter(action="tailoring.focus", organisation=personas.org).exists()


def test_a_domain_without_its_framework_is_refused_with_a_message(
    personas: Personas, tailored: Tailored
) -> None:
    client = personas.client_for(personas.ld_lead)
    response = client.post(_url(personas, "focus"), {"domains": [tailored.national_domain.pk]})
    assert response.status_code == 200
    assert "Tick the framework of each domain" in response.content.decode()
    assert not FocusFramework.objects.exists()


def test_a_manager_cannot_change_the_focus(personas: Personas) -> None:
    client = personas.client_for(personas.manager)
    assert client.get(_url(personas, "focus")).status_code == 403


def test_the_role_profile_picker_shows_the_focus_first_and_others_after(
    personas: Personas, tailored: Tailored
) -> None:
    from waymark.core.tests.factories import EditionFactory, FrameworkFactory

    EditionFactory(
        framework=FrameworkFactory(slug="aaa-other", title="AAA other"),
        title="AAA other",
        status="published",
    )
    services.focus_set(
        actor=personas.ld_lead,
        organisation=personas.org,
        frameworks=[tailored.national.framework],
        domains=[],
    )
    profile: RoleProfile = RoleProfileFactory.create(organisation=personas.org)
    client = personas.client_for(personas.ld_lead)
    url = reverse(
        "profiles:role_profile_competences_add",
        kwargs={"org_slug": personas.org.slug, "profile_id": profile.pk},
    )
    page = client.get(url).content.decode()
    focus_part, other_part = page.split('id="other-frameworks"', 1)
    assert "National framework" in focus_part.split('id="focus-frameworks"', 1)[1]
    assert "Brightwater Care" in focus_part  # its own framework
    assert "AAA other" in other_part


def test_own_competences_can_be_picked_into_a_role_profile(
    personas: Personas, tailored: Tailored
) -> None:
    profile: RoleProfile = RoleProfileFactory.create(organisation=personas.org)
    client = personas.client_for(personas.ld_lead)
    url = reverse(
        "profiles:role_profile_competences_add",
        kwargs={"org_slug": personas.org.slug, "profile_id": profile.pk},
    )
    found = client.get(url, {"q": "zebrafinch"}).content.decode()
    assert f'value="{tailored.own_item.pk}"' in found
    response = client.post(url + "?q=zebrafinch", {"nodes": [tailored.own_item.pk]})
    assert response.status_code == 302
    assert RoleCompetence.objects.filter(role_profile=profile, node=tailored.own_item).exists()


def test_another_organisation_cannot_pick_them(personas: Personas, tailored: Tailored) -> None:
    profile: RoleProfile = RoleProfileFactory.create(organisation=personas.other_org)
    client = personas.client_for(personas.outsider)
    url = reverse(
        "profiles:role_profile_competences_add",
        kwargs={"org_slug": personas.other_org.slug, "profile_id": profile.pk},
    )
    assert (
        f'value="{tailored.own_item.pk}"'
        not in client.get(url, {"q": "zebrafinch"}).content.decode()
    )
    response = client.post(url, {"nodes": [tailored.own_item.pk]})
    assert response.status_code == 200
    assert not RoleCompetence.objects.filter(node=tailored.own_item).exists()


def test_an_archived_own_competence_is_no_longer_offered(
    personas: Personas, tailored: Tailored
) -> None:
    services.own_competence_archive(
        actor=personas.ld_lead, organisation=personas.org, node=tailored.own_item
    )
    profile: RoleProfile = RoleProfileFactory.create(organisation=personas.org)
    client = personas.client_for(personas.ld_lead)
    url = reverse(
        "profiles:role_profile_competences_add",
        kwargs={"org_slug": personas.org.slug, "profile_id": profile.pk},
    )
    assert (
        f'value="{tailored.own_item.pk}"'
        not in client.get(url, {"q": "zebrafinch"}).content.decode()
    )
    client.post(url, {"nodes": [tailored.own_domain.pk]})
    assert not RoleCompetence.objects.filter(node=tailored.own_item).exists()


# --- own competences --------------------------------------------------------------------


def test_an_ld_lead_adds_a_domain_a_competence_and_maps_it(
    personas: Personas, tailored: Tailored
) -> None:
    client = personas.client_for(personas.ld_lead)
    assert client.post(_url(personas, "domain_add"), {"title": "Community"}).status_code == 302
    listing = client.get(_url(personas, "competences")).content.decode()
    assert "Community" in listing
    domain = tailored.own_domain
    response = client.post(
        _url(personas, "competence_add"),
        {"domain": domain.pk, "statement": "Know the neighbours", "title": "Neighbours"},
    )
    assert response.status_code == 302
    node = domain.children.get(title="Neighbours")
    assert node.code == "BC1.02"
    assert node.competence_type == "organisational"
    map_url = _url(personas, "competence_map", node_id=node.pk)
    page = client.get(map_url, {"q": "NF1.01"}).content.decode()
    assert "Supervise staff" in page
    response = client.post(
        map_url, {"q": "NF1.01", "target": tailored.national_item.pk, "kind": "broader"}
    )
    assert response.status_code == 302
    assert Association.objects.filter(edition=node.edition).count() == 2
    assert AuditEvent.objects.filter(
        action="tailoring.mapping_create", organisation=personas.org
    ).exists()


def test_a_competence_without_a_statement_is_refused_and_keeps_what_was_typed(
    personas: Personas, tailored: Tailored
) -> None:
    client = personas.client_for(personas.ld_lead)
    response = client.post(
        _url(personas, "competence_add"),
        {"domain": tailored.own_domain.pk, "title": "Half done", "statement": ""},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter what the competence expects" in body
    assert 'value="Half done"' in body


def test_mapping_to_an_item_not_in_the_results_is_refused(
    personas: Personas, tailored: Tailored
) -> None:
    client = personas.client_for(personas.ld_lead)
    response = client.post(
        _url(personas, "competence_map", node_id=tailored.own_item.pk),
        {"q": "nothing-matches-this", "target": tailored.own_domain.pk, "kind": "exact"},
    )
    assert response.status_code == 200
    assert "Choose a national item from the search results" in response.content.decode()


# --- front page -------------------------------------------------------------------------


def test_front_page_text_is_sanitised() -> None:
    dirty = (
        '<h2 onclick="steal()">Welcome</h2><script>alert(1)</script><style>p{}</style>'
        '<p style="color:red">Read <a href="javascript:alert(1)">this</a> and '
        '<a href="https://example.org" target="_blank">that</a></p><img src=x onerror=y>'
        "<ul><li><strong>A</strong> <em>B</em></li></ul>"
    )
    clean = services.sanitise(dirty)
    assert "script" not in clean
    assert "alert" not in clean
    assert "style" not in clean
    assert "onclick" not in clean
    assert "<img" not in clean
    assert "javascript" not in clean
    assert "<h2>Welcome</h2>" in clean
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">that</a>' in clean
    assert "<ul><li><strong>A</strong> <em>B</em></li></ul>" in clean


def test_an_ld_lead_previews_then_saves_front_page_text_members_see(
    personas: Personas,
) -> None:
    client = personas.client_for(personas.ld_lead)
    url = _url(personas, "front_page")
    text = "<h2>Welcome to Brightwater</h2><script>alert(1)</script>"
    preview = client.post(url, {"html": text, "preview": "1"})
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "<h2>Welcome to Brightwater</h2>" in body
    assert "<script>alert(1)</script>" not in body
    assert not FrontPage.objects.exists()
    assert client.post(url, {"html": text, "save": "1"}).status_code == 302
    dashboard = personas.client_for(personas.manager).get(f"/o/{personas.org.slug}/")
    assert "<h2>Welcome to Brightwater</h2>" in dashboard.content.decode()
    assert "alert(1)" not in dashboard.content.decode()
    other = personas.client_for(personas.outsider).get(f"/o/{personas.other_org.slug}/")
    assert "Welcome to Brightwater" not in other.content.decode()


def test_a_manager_cannot_write_the_front_page(personas: Personas) -> None:
    assert (
        personas.client_for(personas.manager).get(_url(personas, "front_page")).status_code == 403
    )


# --- policies ---------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(tmp_path: object, settings: object) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]


def test_a_policy_file_is_uploaded_and_served_only_to_members(
    personas: Personas, tailored: Tailored, media: None
) -> None:
    client = personas.client_for(personas.ld_lead)
    upload = SimpleUploadedFile("Safeguarding.pdf", PDF, content_type="application/pdf")
    response = client.post(
        _url(personas, "policy_add"),
        {"title": "Safeguarding policy", "file": upload, "codes": "NF1.01"},
    )
    assert response.status_code == 302, response.content.decode()
    policy = Policy.objects.get()
    assert policy.content_type == "application/pdf"
    assert "Safeguarding" not in str(policy.file.name)
    assert list(policy.nodes.all()) == [tailored.national_item]
    listing = personas.client_for(personas.manager).get(_url(personas, "policies"))
    assert "Safeguarding policy" in listing.content.decode()
    download = personas.client_for(personas.manager).get(
        _url(personas, "policy_file", policy_id=policy.pk)
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert download["X-Content-Type-Options"] == "nosniff"
    outsider = personas.client_for(personas.outsider)
    assert outsider.get(_url(personas, "policy_file", policy_id=policy.pk)).status_code == 404
    assert (
        outsider.get(
            reverse(
                "tailoring:policy_file",
                kwargs={"org_slug": personas.other_org.slug, "policy_id": policy.pk},
            )
        ).status_code
        == 404
    )
    assert personas.client_for(None).get(
        _url(personas, "policy_file", policy_id=policy.pk)
    ).status_code in (302, 404)


def test_a_disguised_file_is_refused_with_its_name(personas: Personas, media: None) -> None:
    client = personas.client_for(personas.ld_lead)
    upload = SimpleUploadedFile("policy.pdf", b"<html><script>x</script></html>")
    response = client.post(_url(personas, "policy_add"), {"title": "Sneaky", "file": upload})
    assert response.status_code == 200
    assert "“policy.pdf” is not a PDF document" in response.content.decode()
    assert not Policy.objects.exists()


@override_settings(WAYMARK_MAX_UPLOAD_BYTES=10)
def test_an_oversized_file_is_refused(personas: Personas, media: None) -> None:
    client = personas.client_for(personas.ld_lead)
    upload = SimpleUploadedFile("big.pdf", PDF)
    response = client.post(_url(personas, "policy_add"), {"title": "Big", "file": upload})
    assert response.status_code == 200
    assert "must be" in response.content.decode()


def test_a_policy_link_and_unknown_codes(personas: Personas, tailored: Tailored) -> None:
    client = personas.client_for(personas.ld_lead)
    bad = client.post(
        _url(personas, "policy_add"),
        {"title": "Lone working", "url": "https://example.org/lone", "codes": "NF1.01, ZZ9"},
    )
    assert "No current competence has the code ZZ9" in bad.content.decode()
    assert 'value="Lone working"' in bad.content.decode()
    neither = client.post(_url(personas, "policy_add"), {"title": "Nothing"})
    assert "Choose a file to upload, or give a web address" in neither.content.decode()
    ok = client.post(
        _url(personas, "policy_add"),
        {"title": "Lone working", "url": "https://example.org/lone", "codes": "BC1.01"},
    )
    assert ok.status_code == 302
    assert list(Policy.objects.get().nodes.all()) == [tailored.own_item]
    assert (
        personas.client_for(personas.manager).get(_url(personas, "policy_add")).status_code == 403
    )


def test_profile_services_refuse_another_organisations_competences(
    personas: Personas, tailored: Tailored
) -> None:
    from waymark.profiles import services as profiles
    from waymark.profiles.selectors import CompetenceRow

    theirs: RoleProfile = RoleProfileFactory.create(organisation=personas.other_org)
    with pytest.raises(profiles.ProfileError):
        profiles.role_competences_set(
            actor=personas.outsider,
            role_profile=theirs,
            competences=[CompetenceRow(tailored.own_item)],
        )
    ours: RoleProfile = RoleProfileFactory.create(organisation=personas.org)
    profiles.role_competences_set(
        actor=personas.ld_lead, role_profile=ours, competences=[CompetenceRow(tailored.own_item)]
    )
    assert RoleCompetence.objects.filter(role_profile=ours, node=tailored.own_item).exists()


def test_the_standards_index_reached_from_the_organisation_shows_its_focus_first(
    personas: Personas, tailored: Tailored
) -> None:
    services.focus_set(
        actor=personas.ld_lead,
        organisation=personas.org,
        frameworks=[tailored.national.framework, tailored.own_item.edition.framework],
        domains=[tailored.national_domain],
    )
    url = reverse("frameworks:index") + f"?org={personas.org.slug}"
    page = personas.client_for(personas.manager).get(url).content.decode()
    box = page.split('id="organisation-focus"', 1)[1].split("</div>", 1)[0]
    assert "National framework" in box
    assert "Leading people" in box or "NF1" in box
    assert "Brightwater Care: own competences" not in page  # never on a public page
    # Not a member: no box, and nothing about the organisation.
    other = personas.client_for(personas.outsider).get(url).content.decode()
    assert 'id="organisation-focus"' not in other
    assert 'id="organisation-focus"' not in personas.client_for(None).get(url).content.decode()


def test_a_manager_self_assesses_against_an_own_competence(
    personas: Personas, tailored: Tailored
) -> None:
    from waymark.assessment import services as assessment
    from waymark.assessment.selectors import gap_analysis
    from waymark.assessment.tests.factories import make_pms

    make_pms(personas.manager, personas.org, [tailored.own_item, tailored.national_item])
    round_ = assessment.assessment_start(actor=personas.manager, organisation=personas.org)
    assessment.assessment_save(
        actor=personas.manager,
        assessment=round_,
        ratings={
            tailored.own_item.pk: assessment.RatingInput(1),
            tailored.national_item.pk: assessment.RatingInput(3),
        },
    )
    assessment.assessment_submit(actor=personas.manager, assessment=round_)
    gaps = gap_analysis(round_)
    top = gaps.gaps[0]
    assert top.node == tailored.own_item  # expected 3, rated 1: the biggest gap
    assert top.self_level == 1


def test_the_own_competences_page_takes_the_same_queries_for_many(
    personas: Personas, tailored: Tailored, django_assert_max_num_queries: Any
) -> None:
    for i in range(15):
        node = services.own_competence_create(
            actor=personas.ld_lead,
            organisation=personas.org,
            domain=tailored.own_domain,
            statement=f"Own competence {i}",
        )
        services.own_mapping_create(
            actor=personas.ld_lead,
            organisation=personas.org,
            node=node,
            target=tailored.national_item,
            kind="related",
        )
    client = personas.client_for(personas.ld_lead)
    with django_assert_max_num_queries(12):
        page = client.get(_url(personas, "competences"))
    assert page.content.decode().count("NF1.01") >= 16
