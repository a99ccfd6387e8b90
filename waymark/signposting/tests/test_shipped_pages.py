"""Every public page of the shipped starting catalogue renders, and the gateway and the
catalogue search find real options for a real gap."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from ..selectors import visible_providers, visible_qualifications, visible_resources


@pytest.fixture
def shipped(db: None) -> None:
    call_command("load_standards", verbosity=0)
    call_command("load_catalogue", verbosity=0)


def test_every_public_catalogue_page_of_the_shipped_catalogue_renders(
    shipped: None, client: Client
) -> None:
    resources = list(visible_resources(None).values_list("slug", flat=True))
    qualifications = list(visible_qualifications().values_list("slug", flat=True))
    providers = list(visible_providers(None).values_list("slug", flat=True))
    assert resources and qualifications and providers
    for name, slugs in (
        ("catalogue:resource", resources),
        ("catalogue:qualification", qualifications),
        ("catalogue:provider", providers),
    ):
        for slug in slugs:
            response = client.get(reverse(name, kwargs={"slug": slug}))
            assert response.status_code == 200, (name, slug)
    assert client.get(reverse("catalogue:search")).status_code == 200


def test_the_gateway_signposts_real_options_for_a_real_gap(shipped: None, client: Client) -> None:
    body: dict[str, Any] = client.get("/gateway/api/signpost", {"node": "MM7.01"}).json()
    assert body["needs"][0]["code"] == "MM7.01"
    assert body["results"], "no options for MM7.01 in the shipped catalogue"
    assert all(r["reasons"] for r in body["results"])
    html = client.get("/gateway/", {"codes": "MM7.01"}).content.decode()
    assert "Why it is suggested" in html
