"""A small world for the signposting page, API and gateway tests: Maya (the manager
persona) has a PMS of six outcomes in two domains, a completed self-assessment with four
gaps, and a catalogue with public, in-house, draft and withdrawn entries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, cast

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from waymark.assessment.tests.factories import (
    make_assessment,
    make_framework,
    make_pms,
    rate_all,
    supervise,
)
from waymark.conftest import Personas
from waymark.frameworks.models import Edition, Node
from waymark.profiles.models import Revision

from ..models import Provider, Qualification, Resource
from .factories import ProviderFactory, make_qualification, make_resource


@dataclass
class World:
    p: Personas
    edition: Edition
    domains: list[Node]
    outcomes: list[Node]
    revision: Revision
    provider: Provider
    course: Resource  # face-to-face course on the biggest gap, £450
    elearning: Resource  # self-directed e-learning on the same gap, free
    guide: Resource  # reading, part of two gaps
    in_house: Resource  # Brightwater's own
    other_in_house: Resource  # Elsewhere Council's own
    draft: Resource
    withdrawn: Resource
    historical: Resource
    qualification: Qualification
    extra: dict[str, Any] = field(default_factory=dict)

    def client(self, user: Any) -> Client:
        return self.p.client_for(user)

    def url(self, name: str, **kwargs: Any) -> str:
        return reverse(
            f"signposting:{name}",
            kwargs={"org_slug": self.p.org.slug, "person_id": self.p.manager.pk, **kwargs},
        )

    def org_url(self, name: str, **kwargs: Any) -> str:
        return reverse(f"signposting:{name}", kwargs={"org_slug": self.p.org.slug, **kwargs})


def build_world(personas: Personas) -> World:
    supervise(personas)
    edition, domains, outcomes = make_framework(
        "MM", domains=2, outcomes=3, title="Middle Manager framework"
    )
    edition.framework.slug = "middle-manager-llf"
    edition.framework.save(update_fields=["slug"])
    # Expected 3 everywhere; rated 1, 2, 3 / 2, 3, 4: gaps on MM1.01 (2), MM1.02, MM2.01.
    revision = make_pms(
        personas.manager, personas.org, outcomes, expected=3, importance=[3, 2, 2, 2, 1, 1]
    )
    assessment = make_assessment(revision=revision)
    rate_all(assessment, [1, 2, 3, 2, 3, 4], outcomes, submit=True)
    provider = cast(Provider, ProviderFactory(slug="scie", name="Social Care Institute"))
    gap1, gap2, _ok, gap3 = outcomes[0], outcomes[1], outcomes[2], outcomes[3]
    course = make_resource(
        slug="leading-change-course",
        title="Leading change in care services",
        provider=provider,
        delivery_mode="face-to-face",
        resource_type="course",
        cost_from=450,
        cost_to=450,
        hours=21,
        nodes=[gap1],
    )
    elearning = make_resource(
        slug="change-e-learning",
        title="Change management e-learning",
        provider=provider,
        delivery_mode="self-directed",
        resource_type="e-learning",
        cost_from=0,
        cost_to=0,
        hours=3,
        nodes=[gap1],
    )
    guide = make_resource(
        slug="planning-guide",
        title="A practice guide to planning services",
        provider=provider,
        delivery_mode="reading",
        resource_type="practice-guide",
        nodes=[(gap2, "part"), (gap3, "part")],
    )
    in_house = make_resource(
        slug="brightwater-induction",
        title="Brightwater leading change workshop",
        provider=None,
        organisation=personas.org,
        nodes=[gap1],
    )
    other_in_house = make_resource(
        slug="elsewhere-secret",
        title="Elsewhere Council change workshop",
        provider=None,
        organisation=personas.other_org,
        nodes=[gap1],
    )
    draft = make_resource(
        slug="draft-course", title="Draft change course", status="draft", nodes=[gap1]
    )
    withdrawn = make_resource(
        slug="withdrawn-course", title="Withdrawn change course", status="withdrawn", nodes=[gap1]
    )
    historical = make_resource(
        slug="leading-to-deliver",
        title="Leading to Deliver programme",
        provider=provider,
        resource_type="programme",
        historical=True,
        historical_as_of="2006",
        nodes=[gap3],
    )
    qualification = make_qualification(
        slug="svq4-lmcs",
        title="SVQ 4 Leadership and Management for Care Services",
        scqf_level=10,
        units=[[gap1, gap2], [outcomes[4]]],
        historical=True,
        historical_as_of="2008",
    )
    qualification.providers.add(provider)
    return World(
        p=personas,
        edition=edition,
        domains=domains,
        outcomes=outcomes,
        revision=revision,
        provider=provider,
        course=course,
        elearning=elearning,
        guide=guide,
        in_house=in_house,
        other_in_house=other_in_house,
        draft=draft,
        withdrawn=withdrawn,
        historical=historical,
        qualification=qualification,
    )


def next_year() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=365)
