from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from waymark.accounts.models import User
from waymark.conftest import Personas
from waymark.core.tests.factories import MembershipFactory
from waymark.organisations.models import SupportRelationship

from ..models import Plan
from .factories import Pms, build_pms, make_plan, make_user


@dataclass
class PlanWorld:
    """The personas, with Sam supervising Maya, Mo mentoring her, her PMS and her plan."""

    p: Personas
    mentor: User
    colleague: User
    pms: Pms
    plan: Plan

    def client(self, user: User | None) -> Client:
        return self.p.client_for(user)

    def url(self, name: str, **kwargs: object) -> str:
        return reverse(
            f"planning:{name}",
            kwargs={"org_slug": self.p.org.slug, "person_id": self.p.manager.pk, **kwargs},
        )

    def plan_url(self, name: str = "plan_detail", **kwargs: object) -> str:
        return self.url(name, plan_id=self.plan.pk, **kwargs)


@pytest.fixture
def world(personas: Personas) -> PlanWorld:
    org = personas.org
    SupportRelationship.objects.create(
        organisation=org, manager=personas.manager, supporter=personas.supervisor, kind="supervisor"
    )
    mentor = make_user(email="mo@brightwater.example", full_name="Mo Mentor")
    MembershipFactory(organisation=org, user=mentor, role="manager")
    SupportRelationship.objects.create(
        organisation=org, manager=personas.manager, supporter=mentor, kind="mentor"
    )
    colleague = make_user(email="cal@brightwater.example", full_name="Cal Colleague")
    MembershipFactory(organisation=org, user=colleague, role="manager")
    pms = build_pms(organisation=org, manager=personas.manager)
    plan = make_plan(organisation=org, manager=personas.manager, title="Plan 2027")
    return PlanWorld(p=personas, mentor=mentor, colleague=colleague, pms=pms, plan=plan)
