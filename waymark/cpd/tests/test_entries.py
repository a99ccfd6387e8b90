"""The learning log's pages: adding, changing and deleting entries; bad input answered
clearly with nothing lost; competences from the PMS and from search; the objective
link; filters; a constant number of queries however long the log."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from waymark.conftest import Personas
from waymark.core.models import AuditEvent
from waymark.cpd.models import Entry, Visibility

from .factories import make_entry, make_node, objective_for, pms_for, small_framework, support

pytestmark = pytest.mark.django_db


def log_url(p: Personas, tail: str = "") -> str:
    return f"/o/{p.org.slug}/people/{p.manager.pk}/cpd/{tail}"


def form_data(day: datetime.date | None = None, **overrides: Any) -> dict[str, Any]:
    day = day or timezone.localdate() - datetime.timedelta(days=1)
    data = {
        "date_0": str(day.day),
        "date_1": str(day.month),
        "date_2": str(day.year),
        "activity_type": "action-learning",
        "title": "Action learning set: rotas",
        "provider": "Brightwater learning team",
        "link": "",
        "hours": "2.5",
        "what_happened": "We each brought a problem.",
        "what_learnt": "Asking open questions helps the team own the answer.",
        "how_use": "In team meetings.",
        "difference": "Fewer missed visits.",
        "visibility": "private",
    }
    data.update(overrides)
    return data


# --- adding -------------------------------------------------------------------------------


def test_the_manager_adds_an_entry_and_it_is_private_by_default(personas: Personas) -> None:
    client = personas.client_for(personas.manager)
    response = client.post(log_url(personas, "add/"), form_data())
    entry = Entry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == log_url(personas, f"{entry.pk}/")
    assert entry.manager == personas.manager and entry.organisation == personas.org
    assert entry.hours == Decimal("2.5")
    assert entry.visibility == Visibility.PRIVATE
    assert AuditEvent.objects.filter(action="cpd.entry.create", object_id=str(entry.pk)).exists()


def test_the_add_page_offers_private_as_the_default(personas: Personas) -> None:
    page = personas.client_for(personas.manager).get(log_url(personas, "add/")).content.decode()
    start = page.index('value="private"')
    tag = page[page.rindex("<input", 0, start) : page.index(">", start)]
    assert "checked" in tag


def test_a_date_in_the_future_is_refused_and_what_was_typed_is_kept(personas: Personas) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = personas.client_for(personas.manager).post(
        log_url(personas, "add/"), form_data(tomorrow)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The date must be today or in the past" in page
    assert "There is a problem" in page
    assert 'value="Action learning set: rotas"' in page
    assert "Asking open questions helps the team own the answer." in page
    assert f'value="{tomorrow.year}"' in page
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("0", "Hours must be a number greater than 0"),
        ("-2", "Hours must be a number greater than 0"),
        ("lots", "Hours must be a number greater than 0, like 1.5"),
        ("1000.5", "Hours must be 1000 or fewer"),
        ("1.255", "Hours can have at most 2 decimal places"),
        ("", "Enter the number of hours"),
    ],
)
def test_bad_hours_are_refused_with_a_clear_message(
    personas: Personas, hours: str, message: str
) -> None:
    response = personas.client_for(personas.manager).post(
        log_url(personas, "add/"), form_data(hours=hours)
    )
    page = response.content.decode()
    assert message in page
    assert 'href="#id_hours"' in page  # the error summary links to the field
    assert 'value="Action learning set: rotas"' in page
    assert not Entry.objects.exists()


def test_1000_hours_is_the_most_one_entry_can_have(personas: Personas) -> None:
    personas.client_for(personas.manager).post(log_url(personas, "add/"), form_data(hours="1000"))
    assert Entry.objects.get().hours == Decimal("1000")


def test_a_missing_title_and_type_are_named(personas: Personas) -> None:
    page = (
        personas.client_for(personas.manager)
        .post(log_url(personas, "add/"), form_data(title="", activity_type=""))
        .content.decode()
    )
    assert "Enter a title for the learning" in page
    assert "Choose the type of learning" in page


def test_an_impossible_date_is_refused(personas: Personas) -> None:
    page = (
        personas.client_for(personas.manager)
        .post(log_url(personas, "add/"), form_data(date_0="31", date_1="2", date_2="2025"))
        .content.decode()
    )
    assert "The date must be a real date" in page
    assert not Entry.objects.exists()


def test_only_the_manager_may_add_to_her_log(personas: Personas) -> None:
    support(personas.org, personas.manager, personas.supervisor, "supervisor")
    client = personas.client_for(personas.supervisor)
    assert client.get(log_url(personas, "add/")).status_code == 403
    assert client.post(log_url(personas, "add/"), form_data()).status_code == 403
    assert not Entry.objects.exists()


# --- competences and the objective ------------------------------------------------------


def test_competences_come_from_the_current_pms(personas: Personas) -> None:
    mm = small_framework()
    pms_for(personas.org, personas.manager, [mm["o11"], mm["o12"]])
    client = personas.client_for(personas.manager)
    page = client.get(log_url(personas, "add/")).content.decode()
    assert "MM1.01 Outcome 1.1" in page and "MM1.02 Outcome 1.2" in page
    assert "MM2.01" not in page
    client.post(log_url(personas, "add/"), form_data(nodes=[mm["o11"].pk]))
    assert list(Entry.objects.get().nodes.all()) == [mm["o11"]]


def test_a_competence_outside_the_pms_cannot_be_slipped_into_the_pms_list(
    personas: Personas,
) -> None:
    mm = small_framework()
    pms_for(personas.org, personas.manager, [mm["o11"]])
    page = (
        personas.client_for(personas.manager)
        .post(log_url(personas, "add/"), form_data(nodes=[mm["o21"].pk]))
        .content.decode()
    )
    assert "There is a problem" in page
    assert not Entry.objects.exists()


def test_searching_for_a_competence_keeps_everything_typed_and_saves_nothing(
    personas: Personas,
) -> None:
    node = make_node(code="CLF-C3", title="Vision", statement="Creating a compelling vision")
    client = personas.client_for(personas.manager)
    page = client.post(
        log_url(personas, "add/"),
        form_data(node_query="compelling vision", find_competences="1", hours="0"),
    ).content.decode()
    assert not Entry.objects.exists()
    assert "Nothing has been saved yet" in page
    assert "CLF-C3 Vision" in page
    # Not judged yet: the zero hours are kept but not complained about.
    assert "Hours must be a number greater than 0" not in page
    assert 'value="Action learning set: rotas"' in page
    # Tick the result and save.
    client.post(log_url(personas, "add/"), form_data(other_nodes=[str(node.pk)]))
    assert list(Entry.objects.get().nodes.all()) == [node]


def test_a_chosen_competence_from_search_stays_chosen_when_the_form_has_an_error(
    personas: Personas,
) -> None:
    node = make_node(code="CLF-C4", title="Empowering")
    page = (
        personas.client_for(personas.manager)
        .post(log_url(personas, "add/"), form_data(other_nodes=[str(node.pk)], hours="-1"))
        .content.decode()
    )
    assert "CLF-C4 Empowering" in page
    start = page.index('id="id_other_nodes_1"')
    tag = page[page.rindex("<input", 0, start) : page.index(">", start)]
    assert "checked" in tag and f'value="{node.pk}"' in tag


def test_an_entry_links_to_one_of_her_own_objectives(personas: Personas) -> None:
    objective = objective_for(personas.org, personas.manager)
    client = personas.client_for(personas.manager)
    assert "Lead the rota change" in client.get(log_url(personas, "add/")).content.decode()
    client.post(log_url(personas, "add/"), form_data(objective=objective.pk))
    assert Entry.objects.get().objective == objective


def test_an_objective_of_someone_else_is_refused(personas: Personas) -> None:
    theirs = objective_for(personas.org, personas.supervisor, title="Sam's objective")
    page = (
        personas.client_for(personas.manager)
        .post(log_url(personas, "add/"), form_data(objective=theirs.pk))
        .content.decode()
    )
    assert "Sam&#x27;s objective" not in page and "Sam's objective" not in page
    assert "Choose one of your own development plan objectives" in page
    assert not Entry.objects.exists()


# --- changing and deleting ----------------------------------------------------------------


def test_the_manager_changes_an_entry(personas: Personas) -> None:
    entry = make_entry(organisation=personas.org, manager=personas.manager, hours=Decimal("2"))
    client = personas.client_for(personas.manager)
    page = client.get(log_url(personas, f"{entry.pk}/edit/")).content.decode()
    assert f'value="{entry.title}"' in page and 'value="2"' in page
    response = client.post(
        log_url(personas, f"{entry.pk}/edit/"),
        form_data(title="Renamed", hours="4.25", visibility="supporters"),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Renamed" and entry.hours == Decimal("4.25")
    assert entry.visibility == Visibility.SUPPORTERS
    event = AuditEvent.objects.get(action="cpd.entry.update")
    assert "title" in event.changes["fields"] and event.changes["visibility"] == [
        "private",
        "supporters",
    ]


def test_the_supervisor_cannot_change_or_delete_a_shared_entry(personas: Personas) -> None:
    support(personas.org, personas.manager, personas.supervisor, "supervisor")
    entry = make_entry(organisation=personas.org, manager=personas.manager, visibility="supporters")
    client = personas.client_for(personas.supervisor)
    assert client.post(log_url(personas, f"{entry.pk}/edit/"), form_data()).status_code == 403
    assert client.post(log_url(personas, f"{entry.pk}/delete/")).status_code == 403
    assert (
        client.post(log_url(personas, f"{entry.pk}/share/"), {"visibility": "private"}).status_code
        == 403
    )
    assert Entry.objects.filter(pk=entry.pk, visibility="supporters").exists()


def test_the_manager_deletes_an_entry_after_confirming(personas: Personas) -> None:
    entry = make_entry(organisation=personas.org, manager=personas.manager)
    client = personas.client_for(personas.manager)
    assert (
        "Delete this entry?"
        in client.get(log_url(personas, f"{entry.pk}/delete/")).content.decode()
    )
    assert client.post(log_url(personas, f"{entry.pk}/delete/")).status_code == 302
    assert not Entry.objects.exists()
    assert AuditEvent.objects.filter(action="cpd.entry.delete").exists()


def test_an_entry_of_another_manager_is_not_found_through_her_address(personas: Personas) -> None:
    other = make_entry(organisation=personas.org, manager=personas.supervisor)
    client = personas.client_for(personas.manager)
    assert client.get(log_url(personas, f"{other.pk}/")).status_code == 404
    assert client.get(log_url(personas, f"{other.pk}/edit/")).status_code == 404


# --- the list -----------------------------------------------------------------------------


def test_the_log_lists_newest_first(personas: Personas) -> None:
    today = timezone.localdate()
    make_entry(
        organisation=personas.org,
        manager=personas.manager,
        title="Older",
        date=today - datetime.timedelta(days=30),
    )
    make_entry(organisation=personas.org, manager=personas.manager, title="Newer", date=today)
    page = personas.client_for(personas.manager).get(log_url(personas)).content.decode()
    assert page.index("Newer") < page.index("Older")


def test_the_log_filters_by_period_type_and_competence(personas: Personas) -> None:
    today = timezone.localdate()
    node = make_node(code="MM9.01")
    make_entry(
        organisation=personas.org,
        manager=personas.manager,
        title="Last year",
        date=today - datetime.timedelta(days=400),
        activity_type="event",
    )
    tagged = make_entry(
        organisation=personas.org,
        manager=personas.manager,
        title="Tagged one",
        date=today,
        activity_type="coaching",
    )
    tagged.nodes.set([node])
    client = personas.client_for(personas.manager)
    since = today - datetime.timedelta(days=10)
    page = client.get(
        log_url(personas),
        {"date_from_0": since.day, "date_from_1": since.month, "date_from_2": since.year},
    ).content.decode()
    assert "Tagged one" in page and "Last year" not in page
    page = client.get(log_url(personas), {"activity_type": "event"}).content.decode()
    assert "Last year" in page and "Tagged one" not in page
    page = client.get(log_url(personas), {"node": node.pk}).content.decode()
    assert "Tagged one" in page and "Last year" not in page


def test_a_period_ending_before_it_starts_is_explained(personas: Personas) -> None:
    page = (
        personas.client_for(personas.manager)
        .get(
            log_url(personas),
            {
                "date_from_0": "10",
                "date_from_1": "3",
                "date_from_2": "2026",
                "date_to_0": "1",
                "date_to_1": "3",
                "date_to_2": "2026",
            },
        )
        .content.decode()
    )
    assert "The end date must be the same as or after the start date" in page


def test_the_log_is_paginated(personas: Personas) -> None:
    for _ in range(25):
        make_entry(organisation=personas.org, manager=personas.manager)
    client = personas.client_for(personas.manager)
    first = client.get(log_url(personas)).content.decode()
    assert "25 entries" in first and "?page=2" in first
    second = client.get(log_url(personas), {"page": 2}).content.decode()
    assert second.count("govuk-table__row") == 1 + 5


def _log_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("viewer", ["manager", "supervisor"])
def test_the_log_takes_the_same_number_of_queries_for_5_or_50_entries(
    personas: Personas, viewer: str, django_assert_max_num_queries: Any
) -> None:
    support(personas.org, personas.manager, personas.supervisor, "supervisor")
    mm = small_framework()
    objective = objective_for(personas.org, personas.manager)

    def add(n: int) -> None:
        from waymark.cpd.services import evidence_add

        from .factories import PDF_BYTES, upload

        for i in range(n):
            entry = make_entry(
                organisation=personas.org,
                manager=personas.manager,
                visibility="supporters",
                objective=objective,
                nodes=[mm["o11"], mm["o21"]],
            )
            if i % 2:
                evidence_add(
                    actor=personas.manager, entry=entry, upload=upload(f"f{i}.pdf", PDF_BYTES)
                )

    client = personas.client_for(getattr(personas, viewer))
    add(5)
    few = _log_queries(client, log_url(personas))
    add(45)
    many = _log_queries(client, log_url(personas))
    assert few == many
    with django_assert_max_num_queries(few):
        client.get(log_url(personas))
