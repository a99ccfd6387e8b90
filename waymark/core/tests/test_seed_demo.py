"""`waymark seed-demo` after `waymark load-standards`: the brief's story partly done in
Brightwater Care, made once however often the command runs, and as private as real data."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from waymark.accounts.models import User
from waymark.assessment.models import Rating, SelfAssessment
from waymark.assessment.selectors import gap_analysis
from waymark.core.demo_journey import ENTRIES, OBJECTIVES, ROLE_TITLE
from waymark.core.models import AuditEvent
from waymark.cpd.models import Entry, Visibility
from waymark.organisations.models import Organisation
from waymark.planning.models import Activity, Milestone, Objective, Plan, PlanComment
from waymark.profiles.models import (
    Revision,
    RoleBasic,
    RoleCompetence,
    RoleProfile,
    RoleQualification,
    SpecCompetence,
    Specification,
)

pytestmark = pytest.mark.django_db

MODELS: list[type[Any]] = [
    RoleProfile,
    RoleCompetence,
    RoleQualification,
    RoleBasic,
    Specification,
    Revision,
    SpecCompetence,
    SelfAssessment,
    Rating,
    Plan,
    Objective,
    Activity,
    Milestone,
    PlanComment,
    Entry,
    AuditEvent,
]
PRIVATE_TITLE = next(e.title for e in ENTRIES if e.visibility == Visibility.PRIVATE)
SHARED_TITLES = [e.title for e in ENTRIES if e.visibility == Visibility.SUPPORTERS]


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded() -> dict[str, int]:
    call_command("load_standards", verbosity=0, stdout=StringIO())
    first = _seed()
    assert "Demo journey ready" in first
    counts = {m.__name__: m.objects.count() for m in MODELS}
    second = _seed()
    assert "Demo journey ready" in second
    return counts


def _client(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def test_running_it_twice_makes_everything_once(seeded: dict[str, int]) -> None:
    assert {m.__name__: m.objects.count() for m in MODELS} == seeded
    org = Organisation.objects.get(slug="brightwater")
    maya = User.objects.get(email="maya@brightwater.example")
    profile = RoleProfile.objects.get(organisation=org, title=ROLE_TITLE)
    assert profile.created_by is not None and profile.created_by.email == "lee@brightwater.example"
    assert profile.qualifications.count() >= 2 and profile.basics.count() >= 2
    spec = Specification.objects.get(organisation=org, manager=maya)
    assert spec.current is not None and spec.current.role_profile == profile
    assert spec.current.agreed_by is not None
    assert spec.current.agreed_by.email == "sam@brightwater.example"
    assert SelfAssessment.objects.get(manager=maya).is_submitted
    plan = Plan.objects.get(manager=maya)
    assert plan.objectives.count() == len(OBJECTIVES) == 2
    assert plan.agreed_by is not None and plan.agreed_by.email == "sam@brightwater.example"
    assert plan.comments.count() == 1
    assert not plan.changed_since_agreed  # progress since, no change
    assert plan.objectives.filter(status="in-progress").count() == 1
    entries = {e.title: e for e in Entry.objects.filter(manager=maya).exclude(source="programme")}
    assert set(entries) == {e.title for e in ENTRIES} and len(entries) == 3
    confirmed = [t for t, e in entries.items() if e.confirmed_at is not None]
    assert len(confirmed) == 1 and entries[confirmed[0]].is_shared
    assert entries[PRIVATE_TITLE].what_learnt


def test_every_step_was_recorded_as_the_person_who_took_it(seeded: dict[str, int]) -> None:
    actors = dict(
        AuditEvent.objects.filter(action__in=["role_profile.create", "pms.agree", "plan.agree"])
        .values_list("action", "actor__email")
        .distinct()
    )
    assert actors == {
        "role_profile.create": "lee@brightwater.example",
        "pms.agree": "sam@brightwater.example",
        "plan.agree": "sam@brightwater.example",
    }
    assert AuditEvent.objects.filter(
        action="assessment.submit", actor__email="maya@brightwater.example"
    ).exists()


def test_mayas_largest_gaps_are_in_leading_change_and_planning(seeded: dict[str, int]) -> None:
    assessment = SelfAssessment.objects.get(manager__email="maya@brightwater.example")
    analysis = gap_analysis(assessment)
    assert [d.domain.code for d in analysis.domains_by_priority[:2]] == ["MM4", "MM7"]

    maya = assessment.manager
    response = _client(maya.email).get(
        f"/o/brightwater/people/{maya.pk}/assessments/{assessment.pk}/gaps/"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Leading and managing change" in page
    assert "Planning and resource management" in page
    assert "MM7.02" in page and "MM4.02" in page
    assert page.count("<svg") >= 2


def test_sam_sees_the_shared_entries_but_never_the_private_one(seeded: dict[str, int]) -> None:
    maya = User.objects.get(email="maya@brightwater.example")
    sam = _client("sam@brightwater.example")
    base = f"/o/brightwater/people/{maya.pk}/"
    plan = Plan.objects.get(manager=maya)
    pages = [
        "/o/brightwater/",
        base,
        base + "cpd/",
        base + "cpd/summary/",
        base + "plan/",
        *(base + f"plan/objectives/{o.pk}/" for o in plan.objectives.all()),
    ]
    seen = ""
    for url in pages:
        response = sam.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert PRIVATE_TITLE not in text, url
        seen += text
    for title in SHARED_TITLES:
        assert title in seen
    private = Entry.objects.get(title=PRIVATE_TITLE)
    assert sam.get(base + f"cpd/{private.pk}/").status_code == 404

    maya_list = _client(maya.email).get(base + "cpd/").content.decode()
    assert PRIVATE_TITLE in maya_list


def test_without_the_frameworks_it_seeds_the_people_and_says_what_to_do(db: None) -> None:
    out = _seed()
    assert "run `waymark load-standards` first" in out
    assert User.objects.filter(email="maya@brightwater.example").exists()
    assert not RoleProfile.objects.exists()
