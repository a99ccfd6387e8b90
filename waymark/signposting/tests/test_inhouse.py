"""Organisations' in-house resources: their L&D leads and admins manage them; nobody
outside the organisation can see or reach them; they never appear in the public
catalogue, its export or the gateway's queryset."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from waymark.conftest import Personas
from waymark.core.models import AuditEvent
from waymark.core.tests.factories import MembershipFactory, UserFactory
from waymark.frameworks.models import Node
from waymark.signposting import services
from waymark.signposting.interchange import export_csv, export_json
from waymark.signposting.linkcheck import needs_review
from waymark.signposting.models import Resource
from waymark.signposting.selectors import visible_resources

from .curation_helpers import make_frameworks

POST = {
    "title": "Brightwater induction for new shift leaders",
    "resource_type": "course",
    "description": "Our own two-day induction, run by the training team.",
    "url": "https://intranet.brightwater.example/induction",
    "delivery_mode": "face-to-face",
    "cost_from": "0",
    "cost_to": "0",
    "hours": "14",
    "duration": "two days",
}


@pytest.fixture
def nodes(db: None) -> dict[str, Node]:
    return make_frameworks()


def url(org_slug: str, name: str, resource: Resource | None = None) -> str:
    kwargs: dict[str, Any] = {"org_slug": org_slug}
    if resource is not None:
        kwargs["resource_id"] = resource.pk
    return reverse(f"signposting:{name}", kwargs=kwargs)


@pytest.fixture
def ours(personas: Personas) -> Resource:
    return services.inhouse_resource_create(
        actor=personas.ld_lead,
        organisation=personas.org,
        data={k: v for k, v in POST.items() if k not in ("cost_from", "cost_to", "hours")},
    )


def test_the_ld_lead_adds_an_in_house_resource_for_her_organisation_only(
    personas: Personas, nodes: Any
) -> None:
    client = personas.client_for(personas.ld_lead)
    response = client.post(url(personas.org.slug, "inhouse_create"), POST)
    resource = Resource.objects.get(title=POST["title"])
    assert response.status_code == 302
    assert response["Location"] == url(personas.org.slug, "inhouse_nodes", resource)
    assert resource.organisation == personas.org and resource.status == "published"
    assert resource.slug.startswith("brightwater-") and resource.created_by == personas.ld_lead
    event = AuditEvent.objects.get(action="inhouse_resource.create")
    assert event.organisation == personas.org and event.actor == personas.ld_lead


def test_bad_input_is_answered_and_kept(personas: Personas) -> None:
    client = personas.client_for(personas.admin)
    response = client.post(
        url(personas.org.slug, "inhouse_create"), POST | {"hours": "lots", "description": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert POST["title"] in html and "Enter a number" in html
    assert not Resource.objects.exists()


def test_the_admin_edits_tags_and_withdraws_it(
    personas: Personas, nodes: dict[str, Node], ours: Resource
) -> None:
    client = personas.client_for(personas.admin)
    edit = client.post(
        url(personas.org.slug, "inhouse_edit", ours), POST | {"title": "Induction (new)"}
    )
    assert edit.status_code == 302
    ours.refresh_from_db()
    assert ours.title == "Induction (new)" and ours.organisation == personas.org
    tag = client.post(
        url(personas.org.slug, "inhouse_nodes", ours),
        {"action": "add", "framework": "middle-manager-llf", "code": "MM3.04", "coverage": "main"},
    )
    assert tag.status_code == 302 and ours.tags.get().node == nodes["MM3.04"]
    assert client.post(url(personas.org.slug, "inhouse_withdraw", ours)).status_code == 302
    ours.refresh_from_db()
    assert ours.status == "withdrawn"
    actions = set(
        AuditEvent.objects.filter(organisation=personas.org).values_list("action", flat=True)
    )
    assert {"inhouse_resource.update", "resource.tag", "inhouse_resource.withdraw"} <= actions


def test_managers_and_supervisors_cannot_manage_them(personas: Personas, ours: Resource) -> None:
    for user in (personas.manager, personas.supervisor):
        client = personas.client_for(user)
        for name in ("inhouse_list", "inhouse_create"):
            assert client.get(url(personas.org.slug, name)).status_code == 403
        for name in ("inhouse_edit", "inhouse_nodes", "inhouse_withdraw"):
            assert client.get(url(personas.org.slug, name, ours)).status_code == 403
            assert client.post(url(personas.org.slug, name, ours), POST).status_code == 403
    assert Resource.objects.get(pk=ours.pk).title == POST["title"]


def test_another_organisation_cannot_see_or_reach_them(personas: Personas, ours: Resource) -> None:
    outsider = personas.client_for(personas.outsider)  # L&D lead and admin of the other org
    # Through the owning organisation: not a member, so not found.
    for name in ("inhouse_edit", "inhouse_nodes", "inhouse_withdraw"):
        assert outsider.get(url(personas.org.slug, name, ours)).status_code == 404
    # Through their own organisation, by the resource's number: not found either.
    for name in ("inhouse_edit", "inhouse_nodes", "inhouse_withdraw"):
        assert outsider.get(url(personas.other_org.slug, name, ours)).status_code == 404
        assert outsider.post(url(personas.other_org.slug, name, ours), POST).status_code == 404
    listing = outsider.get(url(personas.other_org.slug, "inhouse_list")).content.decode()
    assert POST["title"] not in listing
    assert Resource.objects.get(pk=ours.pk).status == "published"
    assert ours not in visible_resources(personas.other_org)


def test_they_never_reach_the_public_catalogue_export_or_gateway(
    personas: Personas, ours: Resource
) -> None:
    assert ours in visible_resources(personas.org)
    assert ours not in visible_resources(None)
    assert POST["title"] not in export_json() + export_csv("resources")
    assert ours.slug not in [r["slug"] for r in json.loads(export_json())["resources"]]
    assert ours.pk not in [i.entry.pk for i in needs_review()]
    public = Client().get(reverse("catalogue:search"), {"q": "induction"})
    assert public.status_code == 200
    assert POST["title"] not in public.content.decode()
    assert Client().get(reverse("catalogue:resource", args=[ours.slug])).status_code == 404


def test_members_see_the_organisations_list_of_its_own_only(
    personas: Personas, ours: Resource, django_assert_max_num_queries: Any
) -> None:
    other = services.inhouse_resource_create(
        actor=personas.outsider,
        organisation=personas.other_org,
        data={
            "title": "Elsewhere's own course",
            "resource_type": "course",
            "description": "x",
            "delivery_mode": "face-to-face",
        },
    )
    lead: Any = UserFactory.create()
    MembershipFactory(organisation=personas.org, user=lead, role="ld-lead")
    client = personas.client_for(lead)
    for i in range(15):
        services.inhouse_resource_create(
            actor=personas.ld_lead,
            organisation=personas.org,
            data={
                "title": f"Course {i}",
                "resource_type": "course",
                "description": "x",
                "delivery_mode": "blended",
            },
        )
    with django_assert_max_num_queries(12):
        html = client.get(url(personas.org.slug, "inhouse_list")).content.decode()
    assert POST["title"] in html and other.title not in html
