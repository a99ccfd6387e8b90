from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from waymark.assessment.tests.factories import make_assessment, make_framework, make_pms, rate_all

from ..matching import match, match_to_dict, needs_for_person, person_context
from ..models import LearningPreference
from .matching_helpers import make_provider, make_resource


@pytest.fixture
def setup(personas: Any) -> dict[str, Any]:
    _edition, _domains, outcomes = make_framework("MM", domains=2, outcomes=2)
    revision = make_pms(personas.manager, personas.org, outcomes[:2], expected=3, importance=3)
    rate_all(make_assessment(revision=revision), [1, 3], outcomes[:2], submit=True)
    provider = make_provider("skills", "Skills for Care")
    make_resource(
        "workshop",
        title="Leading change workshop",
        nodes=[(outcomes[0], "main")],
        provider=provider,
        url="https://example.org/workshop",
        cost_from=900,
        cost_to=900,
    )
    make_resource(
        "e-module",
        title="Change e-module",
        mode="self-directed",
        nodes=[(outcomes[0], "main")],
        cost_from=0,
        cost_to=0,
    )
    make_resource("budgets", title="Budgets for care managers", nodes=[(outcomes[3], "main")])
    make_resource("in-house", title="Our change toolkit", organisation=personas.org, mode="reading")
    return {"outcomes": outcomes}


def run(*args: str) -> str:
    out = StringIO()
    call_command("signpost", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_signposts_a_managers_gaps_with_reasons(personas: Any, setup: dict[str, Any]) -> None:
    out = run("--email", "MAYA@brightwater.example")
    assert "1. Leading change workshop — Skills for Care" in out
    assert "Covers your biggest gap, MM1.01" in out
    assert "https://example.org/workshop" in out
    assert "Budgets" not in out  # no gap there


def test_json_gives_the_same_results_as_the_matcher(personas: Any, setup: dict[str, Any]) -> None:
    LearningPreference.objects.create(user=personas.manager, max_cost=500)
    data = json.loads(run("--email", "maya@brightwater.example", "--json"))
    assert [d["slug"] for d in data] == ["e-module", "workshop"]
    assert "Costs £900, more than your £500 limit" in data[1]["reasons"]
    preference, level = person_context(person=personas.manager, organisation=personas.org)
    expected = match(
        needs=needs_for_person(person=personas.manager, organisation=personas.org),
        organisation=personas.org,
        preference=preference,
        manager_level=level,
    )
    assert data == json.loads(json.dumps([match_to_dict(m) for m in expected]))
    assert data[0]["covered"][0]["code"] == "MM1.01"


def test_it_signposts_chosen_items(personas: Any, setup: dict[str, Any]) -> None:
    data = json.loads(run("--node", "MM2.02", "--framework", "mm-fw", "--json"))
    assert [d["slug"] for d in data] == ["budgets"]
    assert data[0]["reasons"][0].startswith("Covers MM2.02")


def test_it_signposts_free_text_within_an_organisation(
    personas: Any, setup: dict[str, Any]
) -> None:
    public = json.loads(run("--need", "change toolkit", "--json"))
    assert "in-house" not in [d["slug"] for d in public]
    ours = json.loads(run("--need", "change toolkit", "--org", "brightwater", "--json"))
    assert ours[0]["slug"] == "in-house" and ours[0]["in_house"] is True


def test_limit_caps_the_options(personas: Any, setup: dict[str, Any]) -> None:
    assert len(json.loads(run("--need", "change", "--limit", "1", "--json"))) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Give --email, --need or at least one --node."),
        (("--email", "nobody@example.org", "--org", "brightwater"), "No one has the email"),
        (("--email", "nobody@example.org"), "belongs to no organisation"),
        (("--node", "MM9.99", "--framework", "mm-fw"), "No item MM9.99"),
        (("--need", "x", "--org", "nowhere"), "No organisation has the short name nowhere"),
        (("--need", "x", "--limit", "0"), "--limit must be 1 or more."),
        (("--email", "maya@brightwater.example", "--node", "MM1.01"), "not both"),
    ],
)
def test_bad_input_says_what_is_wrong(
    personas: Any, setup: dict[str, Any], args: tuple[str, ...], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_someone_in_two_organisations_must_choose(personas: Any, setup: dict[str, Any]) -> None:
    from waymark.core.tests.factories import MembershipFactory

    MembershipFactory(organisation=personas.org, user=personas.outsider, role="manager")
    with pytest.raises(CommandError, match="choose one with --org"):
        run("--email", "otto@elsewhere.example")
    assert run("--email", "otto@elsewhere.example", "--org", "elsewhere").strip()


def test_a_manager_without_a_completed_round_gets_nothing(
    personas: Any, setup: dict[str, Any]
) -> None:
    err = StringIO()
    out = StringIO()
    call_command("signpost", "--email", "lee@brightwater.example", stdout=out, stderr=err)
    assert "no completed self-assessment" in err.getvalue()
    assert "No learning options found." in out.getvalue()
