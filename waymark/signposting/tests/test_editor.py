"""The catalogue editor pages: editors only, every change audited, bad input answered
on the page, import that writes nothing on a bad file, and the "needs review" list."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from waymark.conftest import Personas
from waymark.core.browser import assert_accessible
from waymark.core.models import AuditEvent
from waymark.frameworks.models import Node
from waymark.signposting.interchange import catalogue_import, read_catalogue
from waymark.signposting.models import Provider, Qualification, Resource

from .curation_helpers import as_yaml, catalogue, make_frameworks


@pytest.fixture
def nodes(db: None) -> dict[str, Node]:
    return make_frameworks()


@pytest.fixture
def loaded(nodes: dict[str, Node]) -> dict[str, Node]:
    catalogue_import(package=read_catalogue(as_yaml(catalogue()), name="c.yaml"), actor=None)
    return nodes


@pytest.fixture
def editor(personas: Personas) -> Client:
    return personas.client_for(personas.editor)


EDITOR_URLS = [
    ("catalogue:edit_index", []),
    ("catalogue:needs_review", []),
    ("catalogue:import", []),
    ("catalogue:export", []),
    ("catalogue:export_download", ["json"]),
    ("catalogue:resource_list", []),
    ("catalogue:resource_create", []),
    ("catalogue:resource_edit", ["scie-leading-change"]),
    ("catalogue:resource_nodes", ["scie-leading-change"]),
    ("catalogue:resource_withdraw", ["scie-leading-change"]),
    ("catalogue:resource_history", ["scie-leading-change"]),
    ("catalogue:provider_list", []),
    ("catalogue:provider_create", []),
    ("catalogue:provider_edit", ["scie"]),
    ("catalogue:provider_withdraw", ["scie"]),
    ("catalogue:provider_history", ["scie"]),
    ("catalogue:qualification_list", []),
    ("catalogue:qualification_create", []),
    ("catalogue:qualification_edit", ["svq4-lmcs"]),
    ("catalogue:qualification_withdraw", ["svq4-lmcs"]),
    ("catalogue:qualification_history", ["svq4-lmcs"]),
    ("catalogue:unit_create", ["svq4-lmcs"]),
]


def test_only_editors_reach_the_editor_pages(personas: Personas, loaded: Any) -> None:
    anonymous = personas.client_for(None)
    others = [personas.client_for(u) for u in (personas.manager, personas.ld_lead, personas.admin)]
    editor = personas.client_for(personas.editor)
    for name, args in EDITOR_URLS:
        url = reverse(name, args=args)
        response = anonymous.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
        for client in others:
            assert client.get(url).status_code == 403, name
            assert client.post(url, {}).status_code in (403, 405), name
        assert editor.get(url).status_code == 200, name


def test_the_unit_pages_are_for_editors_too(
    personas: Personas, loaded: Any, editor: Client
) -> None:
    unit = Qualification.objects.get(slug="svq4-lmcs").units.get(code="U1")
    for name in ("catalogue:unit_edit", "catalogue:unit_delete"):
        url = reverse(name, args=["svq4-lmcs", unit.pk])
        assert personas.client_for(personas.manager).get(url).status_code == 403
        assert editor.get(url).status_code == 200


RESOURCE_POST = {
    "slug": "new-guide",
    "title": "A new guide",
    "resource_type": "practice-guide",
    "description": "What it is.",
    "provider": "",
    "url": "https://example.org/guide",
    "delivery_mode": "reading",
    "cost_from": "0",
    "cost_to": "0",
    "hours": "2",
    "status": "published",
    "manager_levels": ["middle"],
}


def test_an_editor_adds_a_resource_and_it_is_audited(
    personas: Personas, loaded: Any, editor: Client
) -> None:
    response = editor.post(reverse("catalogue:resource_create"), RESOURCE_POST)
    assert response.status_code == 302
    resource = Resource.objects.get(slug="new-guide")
    assert response["Location"] == reverse("catalogue:resource_nodes", args=["new-guide"])
    assert resource.manager_levels == ["middle"] and resource.created_by == personas.editor
    event = AuditEvent.objects.get(action="resource.create")
    assert event.actor == personas.editor and event.object_id == str(resource.pk)


def test_bad_input_is_answered_on_the_page_and_keeps_what_was_typed(
    loaded: Any, editor: Client
) -> None:
    post = RESOURCE_POST | {
        "slug": "scie-leading-change",
        "cost_from": "ten",
        "cost_to": "5",
        "title": "Kept title",
    }
    response = editor.post(reverse("catalogue:resource_create"), post)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "Kept title" in html
    assert "Enter a whole number" in html
    assert "already exists" in html
    assert not Resource.objects.filter(title="Kept title").exists()


def test_an_edit_records_what_changed(personas: Personas, loaded: Any, editor: Client) -> None:
    resource = Resource.objects.get(slug="scie-leading-change")
    post = RESOURCE_POST | {
        "title": "Leading change, revised",
        "provider": str(resource.provider_id),
    }
    response = editor.post(reverse("catalogue:resource_edit", args=[resource.slug]), post)
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.title == "Leading change, revised" and resource.slug == "scie-leading-change"
    event = AuditEvent.objects.get(action="resource.update")
    assert event.changes["title"] == ["Leading change in care services", "Leading change, revised"]
    history = editor.get(
        reverse("catalogue:resource_history", args=[resource.slug])
    ).content.decode()
    assert "Leading change, revised" in history and "eddie@standards.example" in history
    assert "Added resource Leading change in care services by import" in history


def test_a_changed_address_forgets_the_old_link_check(loaded: Any, editor: Client) -> None:
    resource = Resource.objects.get(slug="scie-leading-change")
    Resource.objects.filter(pk=resource.pk).update(link_status=404, link_checked_at=timezone.now())
    post = RESOURCE_POST | {"title": resource.title, "url": "https://example.org/moved"}
    editor.post(reverse("catalogue:resource_edit", args=[resource.slug]), post)
    resource.refresh_from_db()
    assert resource.link_status is None and resource.link_checked_at is None


def test_withdrawing_a_resource_is_audited(loaded: Any, editor: Client) -> None:
    url = reverse("catalogue:resource_withdraw", args=["scie-leading-change"])
    assert editor.post(url).status_code == 302
    assert Resource.objects.get(slug="scie-leading-change").status == "withdrawn"
    assert AuditEvent.objects.filter(action="resource.withdraw").count() == 1


def test_an_editor_tags_items_by_code_and_from_the_standards_search(
    loaded: dict[str, Node], editor: Client
) -> None:
    resource = Resource.objects.get(slug="scie-leading-change")
    url = reverse("catalogue:resource_nodes", args=[resource.slug])
    bad = editor.post(
        url,
        {"action": "add", "framework": "middle-manager-llf", "code": "MM3.99", "coverage": "main"},
    )
    assert bad.status_code == 200
    assert (
        "There is no item MM3.99 in the current edition of this framework" in bad.content.decode()
    )
    ok = editor.post(
        url,
        {"action": "add", "framework": "middle-manager-llf", "code": "MM4.02", "coverage": "part"},
    )
    assert ok.status_code == 302
    assert resource.tags.get(node=loaded["MM4.02"]).coverage == "part"
    editor.post(url, {"action": "pick", "node": loaded["MM4.02"].pk, "coverage": "main"})
    assert resource.tags.get(node=loaded["MM4.02"]).coverage == "main"
    editor.post(url, {"action": "remove", "node": loaded["C2"].pk})
    assert not resource.tags.filter(node=loaded["C2"]).exists()
    # An item of an older edition cannot be picked.
    editor.post(url, {"action": "pick", "node": loaded["old MM9.99"].pk, "coverage": "main"})
    assert not resource.tags.filter(node=loaded["old MM9.99"]).exists()
    actions = list(
        AuditEvent.objects.filter(object_id=str(resource.pk)).values_list("action", flat=True)
    )
    assert actions.count("resource.tag") == 2 and actions.count("resource.untag") == 1


def test_the_tag_page_searches_the_standards_without_script(
    loaded: dict[str, Node], editor: Client
) -> None:
    url = reverse("catalogue:resource_nodes", args=["scie-leading-change"])
    html = editor.get(url, {"q": "resources"}).content.decode()
    assert "MM4.02" in html and "Add as main focus" in html


def test_a_regional_provider_needs_a_region(loaded: Any, editor: Client) -> None:
    response = editor.post(
        reverse("catalogue:provider_create"),
        {
            "slug": "local-one",
            "name": "Local One",
            "scope": "local",
            "region": "",
            "status": "published",
        },
    )
    assert "Choose the region of a regional or local provider" in response.content.decode()
    assert not Provider.objects.filter(slug="local-one").exists()


def test_an_editor_adds_a_qualification_and_its_units_with_their_items(
    loaded: dict[str, Node], editor: Client
) -> None:
    response = editor.post(
        reverse("catalogue:qualification_create"),
        {
            "slug": "ilm-3",
            "title": "ILM Certificate",
            "awarding_body": "ILM",
            "status": "published",
            "providers": [Provider.objects.get(slug="scie").pk],
        },
    )
    assert response.status_code == 302
    unit_url = reverse("catalogue:unit_create", args=["ilm-3"])
    bad = editor.post(
        unit_url,
        {
            "code": "U1",
            "title": "Change",
            "mandatory": "on",
            "node_lines": "middle-manager-llf:MM3.04\nnonsense",
        },
    )
    assert "Line 2: no item" in bad.content.decode() or "Line 2:" in bad.content.decode()
    ok = editor.post(
        unit_url,
        {
            "code": "U1",
            "title": "Change",
            "mandatory": "on",
            "node_lines": "middle-manager-llf:MM3.04\nclf-leadership-capabilities C2",
        },
    )
    assert ok.status_code == 302
    qualification = Qualification.objects.get(slug="ilm-3")
    unit = qualification.units.get()
    assert {n.code for n in unit.nodes.all()} == {"MM3.04", "C2"}
    assert [p.slug for p in qualification.providers.all()] == ["scie"]
    page = editor.get(reverse("catalogue:qualification_edit", args=["ilm-3"])).content.decode()
    assert "middle-manager-llf:MM3.04" in page
    assert set(
        AuditEvent.objects.filter(
            object_type="signposting.qualification", object_id=str(qualification.pk)
        ).values_list("action", flat=True)
    ) == {
        "qualification.create",
        "unit.create",
    }


def test_a_bad_upload_lists_every_problem_and_writes_nothing(nodes: Any, editor: Client) -> None:
    doc = catalogue()
    doc["resources"][0]["cost_from"] = "ten"
    doc["resources"][1]["nodes"][0]["code"] = "MM3.99"
    upload = SimpleUploadedFile(
        "bad.json", json.dumps(doc).encode(), content_type="application/json"
    )
    response = editor.post(reverse("catalogue:import"), {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There are 2 problems with the file: nothing was imported" in html
    assert "resources[0].cost_from" in html and "“ten” is not a whole number of pounds" in html
    assert "no item MM3.99 in the current edition of middle-manager-llf" in html
    assert Resource.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_a_checked_upload_writes_nothing_and_a_real_one_imports(nodes: Any, editor: Client) -> None:
    data = as_yaml(catalogue())
    checked = editor.post(
        reverse("catalogue:import"), {"file": SimpleUploadedFile("c.yaml", data), "dry_run": "on"}
    )
    assert "It holds 2 providers, 2 resources and 1 qualifications" in checked.content.decode()
    assert Resource.objects.count() == 0
    done = editor.post(reverse("catalogue:import"), {"file": SimpleUploadedFile("c.yaml", data)})
    assert done.status_code == 302 and Resource.objects.count() == 2
    assert AuditEvent.objects.filter(
        action="catalogue.import", actor_label="eddie@standards.example"
    ).exists()


def test_the_export_download_holds_public_entries_only(
    personas: Personas, loaded: Any, editor: Client
) -> None:
    Resource.objects.create(
        slug="ours",
        title="Ours only",
        resource_type="course",
        description="x",
        delivery_mode="face-to-face",
        organisation=personas.org,
    )
    response = editor.get(reverse("catalogue:export_download", args=["resources-csv"]))
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/csv") and "scie-leading-change" in text
    assert "Ours only" not in text
    assert editor.get(reverse("catalogue:export_download", args=["xml"])).status_code == 404


def test_in_house_resources_are_not_edited_on_the_editor_pages(
    personas: Personas, loaded: Any, editor: Client
) -> None:
    Resource.objects.create(
        slug="ours",
        title="Ours only",
        resource_type="course",
        description="x",
        delivery_mode="face-to-face",
        organisation=personas.org,
    )
    assert editor.get(reverse("catalogue:resource_edit", args=["ours"])).status_code == 404
    assert "Ours only" not in editor.get(reverse("catalogue:resource_list")).content.decode()


def test_the_needs_review_list_shows_status_final_address_and_date(
    loaded: Any, editor: Client
) -> None:
    now = timezone.now()
    Resource.objects.filter(slug="scie-leading-change").update(
        link_checked_at=now, link_status=404, link_final_url="https://www.scie.org.uk/gone"
    )
    Provider.objects.filter(slug="scie").update(
        link_checked_at=now - timedelta(days=100),
        link_status=301,
        link_final_url="https://elsewhere.example/scie",
        link_redirects=[{"status": 301, "url": "https://elsewhere.example/scie"}],
    )
    html = editor.get(reverse("catalogue:needs_review")).content.decode()
    broken = html.split('id="broken"')[1].split('id="moved"')[0]
    assert "Leading change in care services" in broken and "404" in broken
    assert "https://www.scie.org.uk/gone" in broken and now.strftime("%Y") in broken
    moved = html.split('id="moved"')[1].split('id="stale"')[0]
    assert (
        "Social Care Institute for Excellence" in moved
        and "https://elsewhere.example/scie" in moved
    )


def test_the_list_pages_use_a_fixed_number_of_queries(
    loaded: Any, editor: Client, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        Resource.objects.create(
            slug=f"r-{i}",
            title=f"R {i}",
            resource_type="book",
            description="x",
            delivery_mode="reading",
            provider=Provider.objects.get(slug="scie"),
        )
    for name in (
        "catalogue:resource_list",
        "catalogue:provider_list",
        "catalogue:qualification_list",
        "catalogue:needs_review",
        "catalogue:edit_index",
    ):
        with django_assert_max_num_queries(12):
            assert editor.get(reverse(name)).status_code == 200


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_editor_reviews_links_and_tags_a_resource_by_keyboard_with_no_axe_violations(
    personas: Personas, signed_in: Any, live_server: Any
) -> None:
    make_frameworks()
    catalogue_import(package=read_catalogue(as_yaml(catalogue()), name="c.yaml"), actor=None)
    Resource.objects.filter(slug="scie-leading-change").update(
        link_checked_at=timezone.now(),
        link_status=404,
        link_final_url="https://www.scie.org.uk/gone",
    )
    page = signed_in(personas.editor)
    page.goto(f"{live_server.url}/catalogue/edit/")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="See the links that need review").click()
    assert page.get_by_role("heading", name="Links that need review").is_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Leading change in care services").click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Framework items it addresses").click()
    page.get_by_label("Words from the item").fill("resources")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    page.get_by_role("button", name="Add as main focus MM4.02").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("has been added").is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/catalogue/edit/import/")
    page.get_by_label("Upload a catalogue file").set_input_files(
        {"name": "bad.json", "mimeType": "application/json", "buffer": b'{"format": "x"}'}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Check and import").click()
    assert page.get_by_text("nothing was imported").first.is_visible()
    assert_accessible(page)
