"""Signposting in a real browser (Debian's Chromium through Playwright): from a manager's
gap analysis to her learning options with their reasons, stating her preferences, and
"add to my plan" until the learning is on her plan; then the public catalogue and the
embeddable gateway. axe-core finds nothing on any page."""

from __future__ import annotations

import datetime
from typing import Any, cast

import pytest
from django.core.management import call_command
from django.utils import timezone

from waymark.assessment.models import SelfAssessment
from waymark.assessment.tests.factories import make_assessment, make_pms, rate_all, supervise
from waymark.conftest import Personas
from waymark.core.browser import assert_accessible
from waymark.frameworks.models import Node
from waymark.planning.models import Activity
from waymark.planning.tests.factories import make_plan

from ..models import Provider
from .factories import ProviderFactory, make_qualification, make_resource

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _mm(*codes: str) -> list[Node]:
    found = {
        n.code: n
        for n in Node.objects.filter(
            edition__framework__slug="middle-manager-llf", edition__is_current=True, code__in=codes
        )
    }
    return [found[c] for c in codes]


def test_from_the_gap_analysis_to_learning_on_the_plan(
    personas: Personas, signed_in: Any, live_server: Any
) -> None:
    call_command("load_standards", verbosity=0)
    supervise(personas)
    nodes = _mm("MM7.01", "MM7.02", "MM4.01", "MM4.02", "MM1.01")
    revision = make_pms(personas.manager, personas.org, nodes, expected=3, importance=2)
    rate_all(make_assessment(revision=revision), [1, 2, 2, 3, 3], nodes, submit=True)
    assessment = SelfAssessment.objects.get(manager=personas.manager)
    provider = cast(Provider, ProviderFactory(slug="skills-for-care", name="Skills for Care"))
    make_resource(
        slug="leading-change-programme",
        title="Leading change: a programme for managers",
        provider=provider,
        resource_type="programme",
        delivery_mode="blended",
        cost_from=300,
        cost_to=300,
        hours=30,
        nodes=[nodes[0]],
    )
    make_resource(
        slug="change-e-learning",
        title="Change in care: e-learning",
        provider=provider,
        resource_type="e-learning",
        delivery_mode="self-directed",
        nodes=[nodes[0], nodes[1]],
    )
    make_resource(
        slug="planning-guide",
        title="Planning and resources: a practice guide",
        provider=provider,
        resource_type="practice-guide",
        delivery_mode="reading",
        nodes=[(nodes[2], "part")],
        historical=True,
        historical_as_of="2006",
    )
    make_qualification(
        slug="svq4-lmcs",
        title="SVQ 4 Leadership and Management for Care Services",
        scqf_level=10,
        units=[[nodes[0], nodes[2]], [nodes[4]]],
    ).providers.add(provider)
    today = timezone.localdate()
    make_plan(
        organisation=personas.org,
        manager=personas.manager,
        title="My plan",
        period_start=today,
        period_end=today + datetime.timedelta(days=300),
    )
    org = personas.org.slug
    me = personas.manager.pk

    page = signed_in(personas.manager)
    page.goto(f"{live_server.url}/o/{org}/people/{me}/assessments/{assessment.pk}/gaps/")
    assert_accessible(page)
    page.get_by_role("link", name="Find learning for these gaps").click()
    page.wait_for_load_state()
    assert "Learning options for your gaps" in page.content()
    assert "Leading change: a programme for managers" in page.content()
    assert "Covers your biggest gap, MM7.01" in page.content()
    assert_accessible(page)

    # Her preferences change the order, visibly.
    page.get_by_role("link", name="Say what works for you").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Self-directed online").first.check()
    page.get_by_label("Most you can spend (£)").fill("lots")
    page.get_by_role("button", name="Save preferences").click()
    page.wait_for_load_state()
    assert "Most you can spend must be a whole number" in page.content()
    assert_accessible(page)
    page.get_by_label("Most you can spend (£)").fill("100")
    page.get_by_role("button", name="Save preferences").click()
    page.wait_for_load_state()
    content = page.content()
    assert "Ranked using your preferences" in content
    assert content.index("Change in care: e-learning") < content.index(
        "Leading change: a programme for managers"
    )
    assert_accessible(page)

    # Filters by keyboard-friendly GET form.
    page.get_by_label("Blended").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert "Change in care: e-learning" not in page.content()
    assert_accessible(page)

    page.locator("a[href*='/signposting/add/leading-change-programme/']").click()
    page.wait_for_load_state()
    assert "Add to your plan" in page.content()
    assert_accessible(page)
    page.get_by_label("A new objective").check()
    page.get_by_role("button", name="Add to my plan").click()
    page.wait_for_load_state()
    assert "is in your plan" in page.content()
    assert "Leading change: a programme for managers" in page.content()
    assert_accessible(page)
    activity = Activity.objects.get()
    assert activity.resource is not None and activity.resource.slug == "leading-change-programme"
    assert list(activity.objective.nodes.all()) == [nodes[0]]

    page.get_by_role("link", name="Leading change: a programme for managers").first.click()
    page.wait_for_load_state()
    assert "What it helps you develop" in page.content()
    assert_accessible(page)

    page.goto(f"{live_server.url}/o/{org}/people/{me}/signposting/qualifications/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/o/{org}/signposting/find/?codes=MM4.01&q=planning")
    assert "Planning and resources: a practice guide" in page.content()
    assert_accessible(page)

    # The public catalogue and the gateway, signed out.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/catalogue/?q=change")
    assert "Leading change: a programme for managers" in page.content()
    assert_accessible(page)
    page.goto(f"{live_server.url}/catalogue/resources/planning-guide/")
    assert "Historical entry: described as it stood in 2006" in page.content()
    assert_accessible(page)
    page.goto(f"{live_server.url}/gateway/")
    assert_accessible(page)
    page.get_by_label("Competence codes (optional)").fill("MM7.01")
    page.get_by_role("button", name="Find learning").click()
    page.wait_for_load_state()
    assert "Leading change: a programme for managers" in page.content()
    assert "Why it is suggested" in page.content()
    assert_accessible(page)
    assert page.context.cookies() == []
    page.goto(f"{live_server.url}/catalogue/qualifications/svq4-lmcs/")
    assert "MM7.01" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Skills for Care").click()
    page.wait_for_load_state()
    assert "Planning and resources: a practice guide" in page.content()
    assert_accessible(page)

    # The L&D lead sees the organisation's shared gaps, counted only from five.
    page = signed_in(personas.ld_lead)
    page.goto(f"{live_server.url}/o/{org}/")
    page.get_by_role("link", name="Learning for the organisation's shared gaps").click()
    page.wait_for_load_state()
    assert "fewer than 5 managers" in page.content()
    assert_accessible(page)
