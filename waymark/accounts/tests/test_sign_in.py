from __future__ import annotations

from waymark.conftest import PASSWORD, Personas


def test_a_member_signs_in_with_email_and_password_and_lands_on_her_organisation(
    personas: Personas,
) -> None:
    client = personas.client_for(None)
    response = client.post(
        "/accounts/login/", {"login": "maya@brightwater.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    follow = client.get(response["Location"], follow=True)
    assert follow.redirect_chain[-1][0] == "/o/brightwater/"


def test_a_wrong_password_says_so_and_keeps_the_email(personas: Personas) -> None:
    response = personas.client_for(None).post(
        "/accounts/login/", {"login": "maya@brightwater.example", "password": "nope"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "not correct" in body
    assert 'value="maya@brightwater.example"' in body


def test_open_sign_up_is_closed_by_default(personas: Personas) -> None:
    response = personas.client_for(None).get("/accounts/signup/")
    assert "Sign Up Closed" in response.content.decode() or response.status_code in (403, 404)
