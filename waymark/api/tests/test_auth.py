"""Signing in to the API: tokens from email and password, session cookies, and nothing
for anonymous callers."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from waymark.conftest import PASSWORD, Personas
from waymark.core.models import AuditEvent

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def test_an_anonymous_caller_is_asked_to_authenticate(api: APIClient, personas: Personas) -> None:
    response = api.get("/api/v1/frameworks/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_person_gets_a_token_with_their_email_and_password(
    api: APIClient, personas: Personas
) -> None:
    response = api.post(TOKEN_URL, {"email": personas.manager.email, "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=personas.manager).key == token
    assert AuditEvent.objects.filter(action="api_token.create", actor=personas.manager).exists()
    # asking again returns the same token
    again = api.post(TOKEN_URL, {"email": personas.manager.email, "password": PASSWORD})
    assert again.json()["token"] == token


def test_the_token_authenticates_requests(api: APIClient, personas: Personas) -> None:
    token = api.post(TOKEN_URL, {"email": personas.manager.email, "password": PASSWORD}).json()[
        "token"
    ]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/frameworks/").status_code == 200
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api.get("/api/v1/frameworks/").status_code == 401


def test_a_session_signed_in_person_can_use_the_api_too(personas: Personas) -> None:
    client = personas.client_for(personas.manager)
    assert client.get("/api/v1/frameworks/").status_code == 200


def test_a_wrong_password_gets_no_token(api: APIClient, personas: Personas) -> None:
    response = api.post(TOKEN_URL, {"email": personas.manager.email, "password": "wrong"})
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert not Token.objects.exists()


def test_a_token_request_without_an_email_is_answered_field_by_field(
    api: APIClient, personas: Personas
) -> None:
    response = api.post(TOKEN_URL, {"password": PASSWORD})
    assert response.status_code == 400
    assert set(response.json()) == {"email"}


def test_an_account_with_two_factor_authentication_gets_no_token_by_password(
    api: APIClient, personas: Personas
) -> None:
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=personas.manager, type=Authenticator.Type.TOTP, data={})
    response = api.post(TOKEN_URL, {"email": personas.manager.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "two-factor" in response.json()["non_field_errors"][0]


def test_token_requests_are_throttled(api: APIClient, personas: Personas) -> None:
    for _ in range(10):
        api.post(TOKEN_URL, {"email": personas.manager.email, "password": "wrong"})
    response = api.post(TOKEN_URL, {"email": personas.manager.email, "password": PASSWORD})
    assert response.status_code == 429


def test_a_person_sees_and_revokes_their_token(api: APIClient, personas: Personas) -> None:
    token = api.post(TOKEN_URL, {"email": personas.manager.email, "password": PASSWORD}).json()[
        "token"
    ]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(TOKEN_URL).json()["token"] == token
    assert api.delete(TOKEN_URL).status_code == 204
    assert api.get(TOKEN_URL).status_code == 401
    assert not Token.objects.filter(user=personas.manager).exists()


def test_seeing_a_token_needs_authentication(api: APIClient, personas: Personas) -> None:
    assert api.get(TOKEN_URL).status_code == 401
    assert api.delete(TOKEN_URL).status_code == 401


def test_the_token_page_creates_replaces_and_revokes_a_token(personas: Personas) -> None:
    client = personas.client_for(personas.manager)
    page = client.get("/api/token/")
    assert page.status_code == 200
    assert "You have no API token." in page.content.decode()

    client.post("/api/token/", {"action": "create"})
    first = Token.objects.get(user=personas.manager).key
    assert first in client.get("/api/token/").content.decode()

    client.post("/api/token/", {"action": "create"})
    second = Token.objects.get(user=personas.manager).key
    assert second != first

    client.post("/api/token/", {"action": "delete"})
    assert not Token.objects.filter(user=personas.manager).exists()


def test_the_token_page_needs_sign_in(client: Client, personas: Personas) -> None:
    response = client.get("/api/token/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
