"""The supervisor's page: everyone she supervises, with what needs her attention, each
linking to the right page, in a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from waymark.conftest import Personas
from waymark.cpd.models import Entry
from waymark.planning import services as planning_services
from waymark.supervision import services
from waymark.supervision.models import Appraisal

from .conftest import Sup
from .factories import action, backdate, days, entry, make_overdue, member, record, support


def test_it_lists_each_supervisee_with_what_needs_attention(sup: Sup) -> None:
    p = sup.p
    plan = planning_services.plan_create(
        actor=p.manager, organisation=p.org, manager=p.manager, title="My plan"
    )
    planning_services.objective_create(
        actor=p.manager,
        plan=plan,
        title="Lead change",
        specific="s",
        measure="m",
        target_date=days(90),
    )
    entry(p.org, p.manager, "Shared course", shared=True)
    entry(p.org, p.manager, "Private diary", shared=False)
    rec = record(p.org, p.manager, p.supervisor)
    overdue = action(rec, p.supervisor, "Write the rota", days(3))
    services.supervision_record_finalise(actor=p.supervisor, record=rec)
    backdate(rec, date=days(-30), review_date=days(-2))
    make_overdue(overdue, days(-5))
    page = p.client_for(p.supervisor).get(f"/o/{p.org.slug}/supervision/").content.decode()
    base = f"/o/{p.org.slug}/people/{p.manager.pk}/"
    assert "Maya Manager" in page
    assert "Plan awaiting your agreement" in page and f"{base}plan/{plan.pk}/" in page
    assert "1 shared CPD entry to confirm" in page and f"{base}cpd/?confirmation=awaiting" in page
    assert "1 overdue action point" in page
    assert "Review of action points due" in page
    assert "Appraisal due: none in the last 12 months" in page and f"{base}appraisal/" in page
    assert "1 person needs your attention" in page


def test_nothing_needs_attention_after_a_recent_appraisal_and_no_open_items(sup: Sup) -> None:
    p = sup.p
    Appraisal.objects.create(
        organisation=p.org,
        manager=p.manager,
        supervisor=p.supervisor,
        date=days(-30),
        period_start=days(-400),
        period_end=days(-30),
    )
    rec = record(p.org, p.manager, p.supervisor)
    services.supervision_record_finalise(actor=p.supervisor, record=rec)
    page = p.client_for(p.supervisor).get(f"/o/{p.org.slug}/supervision/").content.decode()
    assert "0 people need your attention" in page
    assert "Nothing" in page


def test_a_member_who_supervises_nobody_is_told_so(sup: Sup) -> None:
    p = sup.p
    page = p.client_for(p.manager).get(f"/o/{p.org.slug}/supervision/").content.decode()
    assert "You do not supervise anyone" in page
    assert p.client_for(p.outsider).get(f"/o/{p.org.slug}/supervision/").status_code == 404


def test_the_dashboard_links_supervisors_to_their_page(sup: Sup) -> None:
    p = sup.p
    page = p.client_for(p.supervisor).get(f"/o/{p.org.slug}/").content.decode()
    assert f'href="/o/{p.org.slug}/supervision/"' in page


def _team(personas: Personas, n: int) -> None:
    org, sam = personas.org, personas.supervisor
    for i in range(n):
        person = member(org, "manager", email=f"team{i}@brightwater.example", full_name=f"Team {i}")
        support(org, person, sam, "supervisor")
        plan = planning_services.plan_create(
            actor=person, organisation=org, manager=person, title="Plan"
        )
        planning_services.objective_create(
            actor=person, plan=plan, title="Obj", specific="s", measure="m", target_date=days(60)
        )
        entry(org, person, "Shared", shared=True)
        rec = record(org, person, sam)
        a = action(rec, sam, "Do it", days(2))
        services.supervision_record_finalise(actor=sam, record=rec)
        make_overdue(a, days(-1))
        Appraisal.objects.create(
            organisation=org,
            manager=person,
            supervisor=sam,
            date=timezone.localdate(),
            period_start=days(-300),
            period_end=days(0),
        )


@pytest.mark.parametrize("n", [1, 10])
def test_the_page_runs_a_fixed_number_of_queries(
    personas: Personas, n: int, django_assert_max_num_queries: Any
) -> None:
    _team(personas, n)
    assert Entry.objects.count() == n
    client = personas.client_for(personas.supervisor)
    client.get(f"/o/{personas.org.slug}/")  # warm the session
    with django_assert_max_num_queries(13):
        response = client.get(f"/o/{personas.org.slug}/supervision/")
    assert response.status_code == 200
    assert response.content.decode().count("1 overdue action point") == n
