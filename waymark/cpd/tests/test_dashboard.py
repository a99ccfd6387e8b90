"""The CPD card on the organisation dashboard and the section on a person's page."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from waymark.conftest import Personas

from .conftest import Cpd
from .factories import make_entry

pytestmark = pytest.mark.django_db


def test_the_manager_sees_her_hours_this_year_and_a_way_to_add_an_entry(personas: Personas) -> None:
    today = timezone.localdate()
    make_entry(organisation=personas.org, manager=personas.manager, hours=Decimal("20"), date=today)
    make_entry(
        organisation=personas.org,
        manager=personas.manager,
        hours=Decimal("5"),
        date=today.replace(day=1, month=1),
    )
    make_entry(
        organisation=personas.org,
        manager=personas.manager,
        hours=Decimal("99"),
        date=today.replace(day=1, month=1) - datetime.timedelta(days=1),
    )
    page = personas.client_for(personas.manager).get(f"/o/{personas.org.slug}/").content.decode()
    assert "Your CPD record" in page
    assert f"25 hours of learning in {today.year} (2.5 SCQF credits), from 2 entries." in page
    assert f"/o/{personas.org.slug}/people/{personas.manager.pk}/cpd/add/" in page


def test_the_card_is_left_out_for_people_with_nothing_to_show(personas: Personas) -> None:
    page = personas.client_for(personas.ld_lead).get(f"/o/{personas.org.slug}/").content.decode()
    assert 'id="cpd-card"' not in page


def test_the_supervisor_sees_shared_and_awaiting_counts_per_manager(cpd: Cpd) -> None:
    page = cpd.p.client_for(cpd.p.supervisor).get(f"/o/{cpd.p.org.slug}/").content.decode()
    assert "CPD entries shared with you" in page
    assert "Maya Manager" in page
    assert "1 shared entry" in page and "1 awaiting your confirmation" in page
    assert "?confirmation=awaiting" in page


def test_the_managers_person_page_links_to_her_log(cpd: Cpd) -> None:
    url = f"/o/{cpd.p.org.slug}/people/{cpd.p.manager.pk}/"
    page = cpd.p.client_for(cpd.p.manager).get(url).content.decode()
    assert "Your CPD record" in page and "Add a CPD entry" in page
    assert "8 hours of learning" in page


def test_the_dashboard_card_costs_the_same_however_many_people_and_entries(cpd: Cpd) -> None:
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from .factories import member, support

    request = RequestFactory().get("/")
    request.user = cpd.p.supervisor

    def count() -> int:
        context = {
            "organisation": cpd.p.org,
            "current_roles": frozenset({"manager", "supervisor"}),
            "request": request,
        }
        with CaptureQueriesContext(connection) as ctx:
            html = render_to_string("cpd/_dashboard.html", context)
        assert "CPD entries shared with you" in html
        return len(ctx.captured_queries)

    few = count()
    assert few <= 3
    for _ in range(5):
        other = member(cpd.p.org, "manager")
        support(cpd.p.org, other, cpd.p.supervisor, "supervisor")
        for _ in range(3):
            make_entry(organisation=cpd.p.org, manager=other, visibility="supporters")
    assert count() == few
