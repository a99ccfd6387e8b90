from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from waymark.accounts.models import User
from waymark.conftest import Personas
from waymark.cpd.models import Entry, Evidence, Visibility
from waymark.cpd.services import evidence_add

from .factories import PDF_BYTES, make_entry, member, support, upload

PRIVATE_REFLECTION = "I was frightened I would fail in front of the team"
SHARED_REFLECTION = "I learnt to listen before proposing the new rota"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Evidence files go to a fresh folder for each test."""
    root = tmp_path / "uploads"
    settings.MEDIA_ROOT = root
    return root


@dataclass
class Cpd:
    """The personas, with Sam as Maya's supervisor and Mo as her mentor, and two entries
    of Maya's: one private, one shared, each with a reflection and a PDF."""

    p: Personas
    mentor: User
    private: Entry
    shared: Entry
    private_file: Evidence
    shared_file: Evidence

    def url(self, name: str = "", entry: Entry | None = None, **extra: Any) -> str:
        base = f"/o/{self.p.org.slug}/people/{self.p.manager.pk}/cpd/"
        if entry is not None:
            base += f"{entry.pk}/"
        return base + name


@pytest.fixture
def cpd(personas: Personas) -> Cpd:
    org, maya = personas.org, personas.manager
    support(org, maya, personas.supervisor, "supervisor")
    mentor = member(org, "manager", email="mo@brightwater.example", full_name="Mo Mentor")
    support(org, maya, mentor, "mentor")
    private = make_entry(
        organisation=org,
        manager=maya,
        title="Private worry",
        hours=3,
        what_learnt=PRIVATE_REFLECTION,
    )
    shared = make_entry(
        organisation=org,
        manager=maya,
        title="Rota workshop",
        hours=5,
        what_learnt=SHARED_REFLECTION,
        visibility=Visibility.SUPPORTERS,
    )
    private_file = evidence_add(
        actor=maya, entry=private, upload=upload("private-diary.pdf", PDF_BYTES)
    )
    shared_file = evidence_add(
        actor=maya, entry=shared, upload=upload("certificate.pdf", PDF_BYTES)
    )
    return Cpd(
        p=personas,
        mentor=mentor,
        private=private,
        shared=shared,
        private_file=private_file,
        shared_file=shared_file,
    )
