"""Shared personas for every test: one organisation (a 20-person care agency) with a
manager, her supervisor, an L&D lead and an admin; an outsider who belongs to another
organisation; a site-wide standards editor."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from waymark.accounts.models import User
from waymark.core.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from waymark.organisations.models import Organisation

PASSWORD = "correct horse battery staple"  # noqa: S105 (test personas only)


@dataclass
class Personas:
    org: Organisation
    other_org: Organisation
    manager: User
    supervisor: User
    ld_lead: User
    admin: User
    outsider: User
    editor: User

    def client_for(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture(autouse=True)
def _clear_cache(request: pytest.FixtureRequest) -> None:
    # allauth keeps rate limits in the (database) cache; never let one test's sign-ins
    # throttle another's. Tests without a database have no cache to clear.
    uses_db = request.node.get_closest_marker("django_db") is not None or any(
        name in request.fixturenames for name in ("db", "transactional_db", "live_server")
    )
    if uses_db:
        if (
            "transactional_db" not in request.fixturenames
            and "live_server" not in request.fixturenames
        ):
            request.getfixturevalue("db")
        cache.clear()


@pytest.fixture
def personas(db: None) -> Personas:
    org: Organisation = OrganisationFactory.create(
        name="Brightwater Care", slug="brightwater", size_band="small"
    )
    other: Organisation = OrganisationFactory.create(
        name="Elsewhere Council", slug="elsewhere", sector="statutory", size_band="large"
    )

    def member(email: str, name: str, *roles: str, organisation: Organisation = org) -> User:
        user: User = UserFactory.create(email=email, full_name=name)
        for role in roles:
            MembershipFactory(organisation=organisation, user=user, role=role)
        return user

    editor: User = UserFactory.create(
        email="eddie@standards.example", full_name="Eddie Editor", is_standards_editor=True
    )
    return Personas(
        org=org,
        other_org=other,
        manager=member("maya@brightwater.example", "Maya Manager", "manager"),
        supervisor=member("sam@brightwater.example", "Sam Supervisor", "supervisor", "manager"),
        ld_lead=member("lee@brightwater.example", "Lee Learning", "ld-lead"),
        admin=member("ada@brightwater.example", "Ada Admin", "admin"),
        outsider=member(
            "otto@elsewhere.example",
            "Otto Outsider",
            "admin",
            "ld-lead",
            "manager",
            "supervisor",
            organisation=other,
        ),
        editor=editor,
    )


# --- Browser tests -------------------------------------------------------------------
# Playwright's sync API runs an event loop; Django's live server is fine with that.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    from waymark.core.browser import CHROMIUM, CHROMIUM_ARGS

    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def signed_in(live_server: Any, page: Any) -> Any:
    """Sign a persona in through the real sign-in page; returns a function of the user."""

    def sign_in(user: User) -> Any:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        return page

    return sign_in
