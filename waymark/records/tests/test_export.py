"""All her own data as JSON: everything of hers, in the documented shape, and nothing of
anyone else's."""

from __future__ import annotations

import datetime
import json
from typing import Any

from waymark.core.tests.factories import MembershipFactory, OrganisationFactory
from waymark.cpd.models import Evidence, Visibility
from waymark.records.export import FORMAT_VERSION, person_data

from .conftest import OTHER_MARK, Records
from .factories import build_journey


def _download(records: Records) -> dict[str, Any]:
    response = records.p.client_for(records.manager).get(records.url("data.json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    data: dict[str, Any] = json.loads(response.content)
    return data


def test_her_data_comes_in_the_documented_shape(records: Records) -> None:
    data = _download(records)
    assert data["format_version"] == FORMAT_VERSION == 1
    generated = datetime.datetime.fromisoformat(data["generated_at"])
    assert generated.tzinfo is not None
    assert data["person"]["email"] == records.manager.email
    assert data["person"]["full_name"] == "Maya Manager"
    [org] = data["organisations"]
    assert set(org) == {
        "organisation",
        "memberships",
        "support",
        "pms",
        "self_assessments",
        "plans",
        "cpd_entries",
    }
    assert org["organisation"]["slug"] == records.p.org.slug
    assert [m["role"] for m in org["memberships"]] == ["manager"]
    kinds = {(s["kind"], s["name"]) for s in org["support"]["supported_by"]}
    assert kinds == {("supervisor", "Sam Supervisor"), ("mentor", "Mo Mentor")}


def test_every_part_of_her_journey_is_in_it(records: Records) -> None:
    org = _download(records)["organisations"][0]
    revision = org["pms"]["revisions"][0]
    assert org["pms"]["current_revision"] == 1
    assert revision["job_title"] == "Registered manager"
    assert revision["agreed_by"] == "Sam Supervisor"
    assert len(revision["competences"]) == len(records.journey.nodes)
    first = revision["competences"][0]["competence"]
    assert set(first) == {"identifier", "code", "title", "framework", "edition"}
    assert first["framework"] == "middle-manager-llf"

    assert len(org["self_assessments"]) == 2
    ratings = org["self_assessments"][0]["ratings"]
    assert len(ratings) == len(records.journey.nodes)
    assert {"competence", "level", "level_label", "evidence"} == set(ratings[0])

    [plan] = org["plans"]
    assert len(plan["objectives"]) == 3
    objective = plan["objectives"][0]
    assert objective["activities"] and objective["milestones"] and objective["competences"]
    assert {c["author"] for c in plan["comments"]} == {"Sam Supervisor", "Maya Manager"}
    assert plan["swot"]["weaknesses"] == "Budgets."

    entries = org["cpd_entries"]
    assert len(entries) == len(records.journey.entries)
    by_title = {e["title"]: e for e in entries}
    private = by_title[records.private_entry().title]
    assert private["visibility"] == Visibility.PRIVATE  # her private entries are hers
    assert private["reflection"]["what_learnt"] == records.private_entry().what_learnt
    assert private["hours"] == f"{records.private_entry().hours.normalize():f}"


def test_evidence_files_are_described_not_included(records: Records) -> None:
    entries = _download(records)["organisations"][0]["cpd_entries"]
    described = [f for e in entries for f in e["evidence"]]
    assert len(described) == Evidence.objects.filter(entry__manager=records.manager).count() > 0
    assert set(described[0]) == {"file_name", "content_type", "size", "uploaded_at"}
    assert described[0]["file_name"].startswith("certificate-")


def test_nothing_of_another_person_is_in_her_data(records: Records) -> None:
    text = json.dumps(_download(records))
    assert OTHER_MARK.strip() not in text
    assert records.other.email not in text
    assert "Nia Neighbour" not in text
    for entry in records.other_journey.entries:
        assert entry.title not in text


def test_her_data_from_another_organisation_stays_out_of_this_ones_download(
    records: Records,
) -> None:
    elsewhere = OrganisationFactory.create(name="Second Home", slug="second-home")
    MembershipFactory.create(organisation=elsewhere, user=records.manager, role="manager")
    build_journey(
        organisation=elsewhere,
        manager=records.manager,
        nodes=records.journey.nodes[:2],
        entries=1,
        label=" [second]",
    )
    text = json.dumps(_download(records))
    assert "[second]" not in text
    everything = person_data(person=records.manager)
    assert [o["organisation"]["slug"] for o in everything["organisations"]] == [
        records.p.org.slug,
        "second-home",
    ]


def test_the_export_costs_a_fixed_number_of_queries(
    records: Records, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(20):
        person_data(person=records.manager, organisations=[records.p.org])
