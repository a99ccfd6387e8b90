from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

import pytest

from waymark.accounts.models import User
from waymark.conftest import Personas
from waymark.core.tests.factories import MembershipFactory, UserFactory
from waymark.cpd.models import Entry, Visibility

from .factories import Journey, build_journey, shipped_competences, support

OTHER_MARK = " [Nia]"  # in every text of the other manager's journey


@dataclass
class Records:
    """The personas, with Sam as Maya's supervisor and Mo as her mentor; Maya's journey
    (a PMS, two completed self-assessments, a plan, CPD entries with reflections) and a
    colleague's, Nia's, whose texts all carry OTHER_MARK."""

    p: Personas
    mentor: User
    journey: Journey
    other: User
    other_journey: Journey

    @property
    def manager(self) -> User:
        return self.p.manager

    def url(self, name: str = "") -> str:
        return f"/o/{self.p.org.slug}/people/{self.p.manager.pk}/record/{name}"

    def entry(self, index: int) -> Entry:
        return self.journey.entries[index]

    def private_entry(self) -> Entry:
        return next(e for e in self.journey.entries if e.visibility == Visibility.PRIVATE)

    def shared_entry(self) -> Entry:
        return next(e for e in self.journey.entries if e.visibility == Visibility.SUPPORTERS)


@pytest.fixture
def records(personas: Personas) -> Records:
    org, maya = personas.org, personas.manager
    support(org, maya, personas.supervisor, "supervisor")
    mentor: User = UserFactory.create(email="mo@brightwater.example", full_name="Mo Mentor")
    MembershipFactory.create(organisation=org, user=mentor, role="manager")
    support(org, maya, mentor, "mentor")
    nodes = shipped_competences(12)
    journey = build_journey(
        organisation=org, manager=maya, nodes=nodes, supervisor=personas.supervisor, entries=6
    )
    other: User = UserFactory.create(email="nia@brightwater.example", full_name="Nia Neighbour")
    MembershipFactory.create(organisation=org, user=other, role="manager")
    other_journey = build_journey(
        organisation=org, manager=other, nodes=nodes[:4], entries=3, label=OTHER_MARK
    )
    return Records(
        p=personas, mentor=mentor, journey=journey, other=other, other_journey=other_journey
    )


def pdf_text(content: bytes) -> str:
    """The text of a PDF through poppler's pdftotext; the test is skipped without it."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(done.stdout.decode("utf-8").split())


def pdf_pages(content: bytes) -> int:
    """The number of pages, through poppler's pdfinfo; skipped without it."""
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    done = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True)
    found = re.search(r"^Pages:\s+(\d+)", done.stdout.decode(), re.MULTILINE)
    assert found, done.stdout
    return int(found.group(1))


def record_form(**overrides: Any) -> dict[str, Any]:
    """The record form as a browser posts it with everything chosen, no dates, and no
    reflections."""
    data: dict[str, Any] = {"sections": ["pms", "gaps", "plan", "cpd"]}
    data.update(overrides)
    return data
