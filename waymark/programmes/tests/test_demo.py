"""The demo story: Brightwater's "First line leadership", first session held."""

from __future__ import annotations

import pytest

from waymark.conftest import Personas
from waymark.cpd.models import Entry

from ..demo import seed_programmes
from ..models import Attendance, Programme

pytestmark = pytest.mark.django_db


def test_the_demo_programme_gives_maya_a_shared_cpd_entry_once(personas: Personas) -> None:
    seed_programmes(write=lambda _s: None)
    seed_programmes(write=lambda _s: None)
    programme = Programme.objects.get(title="First line leadership")
    assert programme.modules.count() == 8
    assert Attendance.objects.filter(status="present").count() == 2
    entry = Entry.objects.get(manager=personas.manager)
    assert entry.visibility == "supporters" and entry.source == "programme"
    assert entry.title.startswith("First line leadership: Introductory module")
