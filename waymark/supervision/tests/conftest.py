from __future__ import annotations

from dataclasses import dataclass

import pytest

from waymark.accounts.models import User
from waymark.conftest import Personas

from .factories import member, support


@dataclass
class Sup:
    """The personas with Sam as Maya's supervisor, Mo as her mentor, and Kim, another
    member of Brightwater with no relation to her."""

    p: Personas
    mentor: User
    colleague: User

    def base(self, person: User | None = None) -> str:
        who = person or self.p.manager
        return f"/o/{self.p.org.slug}/people/{who.pk}/"


@pytest.fixture
def sup(personas: Personas) -> Sup:
    org = personas.org
    support(org, personas.manager, personas.supervisor, "supervisor")
    mentor = member(org, "manager", email="mo@brightwater.example", full_name="Mo Mentor")
    support(org, personas.manager, mentor, "mentor")
    colleague = member(org, "manager", email="kim@brightwater.example", full_name="Kim Colleague")
    return Sup(p=personas, mentor=mentor, colleague=colleague)
