"""The record page: only the person herself; her choices answered clearly when wrong."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from waymark.core.models import AuditEvent
from waymark.core.tests.factories import MembershipFactory, UserFactory

from .conftest import Records, record_form


def test_she_sees_her_choices_with_everything_ticked_at_first(records: Records) -> None:
    response = records.p.client_for(records.manager).get(records.url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Download your record" in html
    for section in ("pms", "gaps", "plan", "cpd"):
        assert re.search(rf'value="{section}"\s+checked', html), section
    for entry in records.journey.entries:
        assert entry.title in html  # each entry with reflections can be picked
    assert "(private)" in html  # private entries are marked as such
    assert "[Nia]" not in html
    assert f"/o/{records.p.org.slug}/people/{records.manager.pk}/record/data.json" in html


@pytest.mark.parametrize("who", ["supervisor", "ld_lead", "admin", "mentor"])
def test_the_people_around_her_are_refused_her_record(records: Records, who: str) -> None:
    viewer = records.mentor if who == "mentor" else getattr(records.p, who)
    client = records.p.client_for(viewer)
    for url in (records.url(), records.url("data.json")):
        assert client.get(url).status_code == 403, url
    assert client.post(records.url(), record_form()).status_code == 403


def test_outsiders_and_colleagues_do_not_find_her_record(records: Records) -> None:
    colleague = UserFactory.create()
    MembershipFactory.create(organisation=records.p.org, user=colleague, role="manager")
    for viewer in (records.p.outsider, colleague):
        client = records.p.client_for(viewer)
        for url in (records.url(), records.url("data.json")):
            assert client.get(url).status_code == 404, (viewer, url)
        assert client.post(records.url(), record_form()).status_code == 404


def test_a_stranger_is_asked_to_sign_in(records: Records) -> None:
    response = Client().get(records.url())
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_choosing_nothing_says_what_to_do_and_keeps_her_dates(records: Records) -> None:
    response = records.p.client_for(records.manager).post(
        records.url(),
        {"date_from_0": "1", "date_from_1": "4", "date_from_2": "2025"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Choose at least one part to include in your record" in html
    assert 'value="2025"' in html


def test_an_end_date_before_the_start_is_refused_clearly(records: Records) -> None:
    response = records.p.client_for(records.manager).post(
        records.url(),
        record_form(
            date_from_0="1",
            date_from_1="4",
            date_from_2="2026",
            date_to_0="1",
            date_to_1="3",
            date_to_2="2026",
        ),
    )
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert "The end date must be the same as or after the start date" in html
    assert 'href="#id_date_to' in html  # the error summary links to the field


def test_a_date_that_does_not_exist_is_refused_clearly(records: Records) -> None:
    response = records.p.client_for(records.manager).post(
        records.url(), record_form(date_from_0="31", date_from_1="2", date_from_2="2026")
    )
    assert "The date must be a real date" in response.content.decode()


def test_including_reflections_without_choosing_any_entry_is_refused(records: Records) -> None:
    response = records.p.client_for(records.manager).post(
        records.url(), record_form(include_reflections="on")
    )
    html = response.content.decode()
    assert "Choose at least one entry whose reflections to include" in html
    assert 'id="reflection-choices" open' in html


def test_someone_elses_entry_cannot_be_slipped_into_her_choices(records: Records) -> None:
    theirs = records.other_journey.entries[0]
    response = records.p.client_for(records.manager).post(
        records.url(), record_form(include_reflections="on", reflection_entries=[theirs.pk])
    )
    assert response["Content-Type"].startswith("text/html")
    assert "Choose entries from the list" in response.content.decode()


def test_each_download_leaves_an_audit_event_without_any_content(records: Records) -> None:
    client = records.p.client_for(records.manager)
    client.post(
        records.url(),
        record_form(include_reflections="on", reflection_entries=[records.entry(0).pk]),
    )
    client.get(records.url("data.json"))
    events = list(AuditEvent.objects.filter(action__startswith="records.").order_by("id"))
    assert [e.action for e in events] == ["records.pdf.export", "records.data.export"]
    assert all(e.actor_id == records.manager.pk for e in events)
    assert events[0].changes["reason"] == "self"
    assert events[0].changes["reflections_included"] == 1
    for event in events:
        text = f"{event.summary} {event.changes}"
        for entry in records.journey.entries:
            assert entry.title not in text
            assert entry.what_learnt not in text


def test_her_dashboard_and_her_page_link_to_her_record(records: Records) -> None:
    client = records.p.client_for(records.manager)
    link = records.url()
    assert link in client.get(f"/o/{records.p.org.slug}/").content.decode()
    assert (
        link in client.get(f"/o/{records.p.org.slug}/people/{records.manager.pk}/").content.decode()
    )


@pytest.mark.parametrize("who", ["supervisor", "ld_lead", "admin"])
def test_others_see_no_link_to_her_record_on_her_page(records: Records, who: str) -> None:
    client = records.p.client_for(getattr(records.p, who))
    html = client.get(f"/o/{records.p.org.slug}/people/{records.manager.pk}/").content.decode()
    assert html and "/record/" not in html


def test_the_page_costs_the_same_few_queries_for_a_long_log(
    records: Records, django_assert_max_num_queries: object
) -> None:
    from waymark.records.tests.factories import build_journey

    client = records.p.client_for(records.manager)
    client.get(records.url())  # warm the session
    newcomer = UserFactory.create()
    MembershipFactory.create(organisation=records.p.org, user=newcomer, role="manager")
    build_journey(
        organisation=records.p.org,
        manager=newcomer,
        nodes=records.journey.nodes,
        entries=120,
        label=" [long]",
    )
    client = records.p.client_for(newcomer)
    url = f"/o/{records.p.org.slug}/people/{newcomer.pk}/record/"
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get(url).status_code == 200
