"""/api/v1/assessments/: scoped like the pages (the manager: all her rounds; her
supervisor, L&D lead and admin: completed rounds only; anyone else: not found), only
the manager writes, and /gaps/ gives the gap analysis."""

from __future__ import annotations

from typing import Any

import pytest

from waymark.api.tests.conftest import client_as
from waymark.conftest import Personas
from waymark.frameworks.models import Node

from ..models import Rating, SelfAssessment
from .factories import (
    make_assessment,
    make_framework,
    make_member,
    make_node,
    make_pms,
    rate_all,
    supervise,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/assessments/"


@pytest.fixture
def nodes(personas: Personas) -> list[Node]:
    _e, _d, outcomes = make_framework("AP", domains=2, outcomes=2)
    make_pms(
        personas.manager, personas.org, outcomes, expected=[3, 2, 4, 1], importance=[3, 1, 2, 2]
    )
    return outcomes


@pytest.fixture
def rounds(personas: Personas, nodes: list[Node]) -> dict[str, SelfAssessment]:
    revision = personas.manager.specifications.get().current
    done = make_assessment(revision=revision)
    rate_all(done, [1, 2, 2, 0], nodes, submit=True)
    draft = make_assessment(revision=revision)
    rate_all(draft, [3], nodes[:1])
    return {"done": done, "draft": draft}


def ids(body: dict[str, Any]) -> set[int]:
    return {r["id"] for r in body["results"]}


def test_the_manager_starts_saves_and_submits_through_the_api(
    personas: Personas, nodes: list[Node]
) -> None:
    api = client_as(personas.manager)
    created = api.post(API, {"organisation": "brightwater"}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["completed"], body["rated"], body["competences"]) == (False, 0, 4)
    assert body["revision"]["number"] == 1
    detail = f"{API}{body['id']}/"

    saved = api.post(
        detail + "ratings/",
        {
            "ratings": [
                {"node": str(nodes[0].identifier), "level": 2, "evidence": "Rota review"},
                {"node": str(nodes[1].identifier), "level": None},
            ]
        },
        format="json",
    )
    assert saved.status_code == 200, saved.json()
    assert saved.json()["rated"] == 1
    assert saved.json()["ratings"][0] == {
        "node": str(nodes[0].identifier), "code": "AP1.01", "statement": nodes[0].statement,
        "level": 2, "level_label": "Developing: I do this with support or now and then",
        "evidence": "Rota review",
    }  # fmt: skip

    incomplete = api.post(detail + "submit/")
    assert incomplete.status_code == 400
    problem = incomplete.json()
    assert problem["detail"].startswith("You have not rated 3 competences yet.")
    assert [m["code"] for m in problem["missing"]] == ["AP1.02", "AP2.01", "AP2.02"]
    assert Rating.objects.get(node=nodes[0]).evidence == "Rota review"  # nothing lost

    api.post(
        detail + "ratings/",
        {"ratings": [{"node": str(n.identifier), "level": 3} for n in nodes[1:]]},
        format="json",
    )
    submitted = api.post(detail + "submit/")
    assert submitted.status_code == 200
    assert submitted.json()["completed"] is True and submitted.json()["submitted_at"]


def test_ratings_for_items_outside_the_pms_are_refused(
    personas: Personas, nodes: list[Node]
) -> None:
    api = client_as(personas.manager)
    detail = f"{API}{api.post(API, {'organisation': 'brightwater'}, format='json').json()['id']}/"
    stranger = make_node(parent=None)
    response = api.post(
        detail + "ratings/",
        {
            "ratings": [
                {"node": str(nodes[0].identifier), "level": 2},
                {"node": str(stranger.identifier), "level": 2},
            ]
        },
        format="json",
    )
    assert response.status_code == 400
    assert str(stranger.identifier) in response.json()["ratings"][0]
    assert not Rating.objects.exists()


def test_bad_levels_and_overlong_notes_are_refused_with_field_errors(
    personas: Personas, nodes: list[Node]
) -> None:
    api = client_as(personas.manager)
    detail = f"{API}{api.post(API, {'organisation': 'brightwater'}, format='json').json()['id']}/"
    response = api.post(
        detail + "ratings/",
        {
            "ratings": [
                {"node": str(nodes[0].identifier), "level": 5},
                {"node": str(nodes[1].identifier), "level": 1, "evidence": "x" * 5001},
            ]
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["ratings"]
    assert errors["0"]["level"] == [
        "Choose a level from 0 (Not yet) to 4 (Leading), or null for “not sure yet”."
    ]
    assert errors["1"]["evidence"] == ["The evidence note must be 5,000 characters or fewer."]
    assert not Rating.objects.exists()


def test_starting_without_a_pms_or_a_second_open_round_is_explained(
    personas: Personas, nodes: list[Node]
) -> None:
    assert (
        client_as(personas.ld_lead)
        .post(API, {"organisation": "brightwater"}, format="json")
        .json()["detail"]
        .startswith("You do not have a person management specification")
    )
    api = client_as(personas.manager)
    assert api.post(API, {"organisation": "brightwater"}, format="json").status_code == 201
    again = api.post(API, {"organisation": "brightwater"}, format="json")
    assert (
        again.status_code == 400
        and "already have a self-assessment in progress" in again.json()["detail"]
    )
    # An organisation she does not belong to is not found.
    assert api.post(API, {"organisation": "elsewhere"}, format="json").status_code == 404


def test_the_manager_sees_all_her_rounds(
    personas: Personas, rounds: dict[str, SelfAssessment]
) -> None:
    body = client_as(personas.manager).get(API).json()
    assert ids(body) == {rounds["done"].pk, rounds["draft"].pk}
    assert ids(client_as(personas.manager).get(API, {"completed": "false"}).json()) == {
        rounds["draft"].pk
    }


@pytest.mark.parametrize("who", ["supervisor", "ld_lead", "admin"])
def test_viewers_reach_completed_rounds_only(
    personas: Personas, rounds: dict[str, SelfAssessment], who: str
) -> None:
    supervise(personas)
    api = client_as(getattr(personas, who))
    assert ids(api.get(API).json()) == {rounds["done"].pk}
    assert ids(api.get(API, {"manager": personas.manager.email}).json()) == {rounds["done"].pk}
    assert api.get(f"{API}{rounds['done'].pk}/").status_code == 200
    assert api.get(f"{API}{rounds['done'].pk}/gaps/").status_code == 200
    assert api.get(f"{API}{rounds['draft'].pk}/").status_code == 404
    assert api.get(f"{API}{rounds['draft'].pk}/gaps/").status_code == 404
    # Seeing is not changing.
    assert api.post(f"{API}{rounds['done'].pk}/submit/").status_code == 403
    node = str(Rating.objects.filter(assessment=rounds["done"]).first().node.identifier)  # type: ignore[union-attr]
    assert (
        api.post(
            f"{API}{rounds['done'].pk}/ratings/",
            {"ratings": [{"node": node, "level": 0}]},
            format="json",
        ).status_code
        == 403
    )


@pytest.mark.parametrize("kind", ["mentor", "coach", None])
def test_mentors_colleagues_and_outsiders_reach_nothing(
    personas: Personas, rounds: dict[str, SelfAssessment], kind: str | None
) -> None:
    if kind:
        supervise(personas, kind=kind)
        who = personas.supervisor
    else:
        who = make_member(personas.org)
    for user in (who, personas.outsider):
        api = client_as(user)
        assert ids(api.get(API).json()) == set()
        for pk in (rounds["done"].pk, rounds["draft"].pk):
            assert api.get(f"{API}{pk}/").status_code == 404
            assert api.get(f"{API}{pk}/gaps/").status_code == 404
            assert api.post(f"{API}{pk}/submit/").status_code == 404


def test_a_supervisor_loses_sight_of_a_manager_who_leaves_the_organisation(
    personas: Personas, rounds: dict[str, SelfAssessment]
) -> None:
    supervise(personas)
    personas.manager.memberships.all().delete()
    assert ids(client_as(personas.supervisor).get(API).json()) == set()
    assert ids(client_as(personas.ld_lead).get(API).json()) == set()


def test_signed_out_callers_are_refused(rounds: dict[str, SelfAssessment]) -> None:
    assert client_as(None).get(API).status_code in (401, 403)


def test_the_gaps_endpoint_gives_the_ranked_analysis_and_progress(
    personas: Personas, rounds: dict[str, SelfAssessment], nodes: list[Node]
) -> None:
    SelfAssessment.objects.filter(pk=rounds["draft"].pk).delete()
    later = make_assessment(revision=rounds["done"].revision)
    rate_all(later, [2, 2, 1, 0], nodes, submit=True)
    body = client_as(personas.manager).get(f"{API}{later.pk}/gaps/").json()
    assert (body["completed"], body["rated"], body["total"]) == (True, 4, 4)
    # expected [3, 2, 4, 1], importance [3, 1, 2, 2], self [2, 2, 1, 0]:
    # gaps 1, 0, 3, 1 → priorities 3, 0, 6, 2.
    assert [(c["code"], c["gap"], c["priority"], c["rank"]) for c in body["competences"]] == [
        ("AP2.01", 3, 6, 1), ("AP1.01", 1, 3, 2), ("AP2.02", 1, 2, 3), ("AP1.02", 0, 0, 4),
    ]  # fmt: skip
    d2, d1 = body["domains"]
    assert (d2["code"], d2["mean_expected"], d2["mean_self"], d2["total_priority"]) == (
        "AP2",
        2.5,
        0.5,
        8,
    )
    assert (d1["code"], d1["mean_expected"], d1["mean_self"], d1["total_priority"]) == (
        "AP1",
        2.5,
        2.0,
        3,
    )
    changes = {
        c["code"]: (c["before"], c["after"], c["direction"])
        for c in body["progress"]["competences"]
    }
    assert changes == {
        "AP1.01": (1, 2, "up"),
        "AP1.02": (2, 2, "same"),
        "AP2.01": (2, 1, "down"),
        "AP2.02": (0, 0, "same"),
    }
    assert body["progress"]["previous"] == rounds["done"].pk


def test_the_list_takes_the_same_queries_for_few_and_many_rounds(
    personas: Personas, nodes: list[Node], django_assert_max_num_queries: Any
) -> None:
    revision = personas.manager.specifications.get().current
    for _ in range(12):
        rate_all(make_assessment(revision=revision), [1, 1, 1, 1], nodes, submit=True)
    with django_assert_max_num_queries(4):
        assert len(client_as(personas.manager).get(API).json()["results"]) == 12
