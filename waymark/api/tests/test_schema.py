"""The OpenAPI description of the API, and its documentation pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_validates_without_a_warning(tmp_path: Path) -> None:
    out = tmp_path / "schema.yml"
    # --fail-on-warn raises on any warning, --validate checks it against the OpenAPI spec.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in (
        "/api/v1/frameworks/",
        "/api/v1/nodes/{identifier}/",
        "/api/v1/mappings/",
        "/api/v1/search/",
        "/api/v1/organisations/{org_slug}/members/",
        "/api/v1/auth/token/",
    ):
        assert f"{path}:" in text


def test_the_schema_is_served_to_anyone(client: Client) -> None:
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"openapi:" in response.content


@pytest.mark.parametrize("url", ["/api/docs/", "/api/docs/redoc/"])
def test_the_docs_pages_load_their_scripts_from_waymark_not_a_cdn(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    for cdn in ("cdn.jsdelivr", "unpkg.com", "cdnjs"):
        assert cdn not in html


def test_the_api_root_lists_the_endpoints(client: Client) -> None:
    body = client.get("/api/v1/").json()
    assert body["frameworks"].endswith("/api/v1/frameworks/")
    assert body["docs"].endswith("/api/docs/")
