from __future__ import annotations

from typing import Any

import pytest

from waymark.assessment.tests.factories import (
    make_assessment,
    make_framework,
    make_member,
    make_pms,
    rate_all,
)
from waymark.core.tests.factories import AssociationFactory
from waymark.frameworks.models import Node

from ..matching import (
    Need,
    match,
    match_to_dict,
    needs_for_organisation,
    needs_for_person,
    needs_from_nodes,
    qualification_fit,
)
from ..models import LearningPreference, Qualification, QualificationUnit
from ..search import CatalogueFilters
from .matching_helpers import make_resource


@pytest.fixture
def mm(db: None) -> dict[str, Any]:
    _edition, domains, outcomes = make_framework("MM", domains=3, outcomes=2)
    _clf_edition, clf_domains, _clf_outcomes = make_framework(
        "CLF", domains=2, outcomes=1, title="CLF"
    )
    return {"domains": domains, "outcomes": outcomes, "clf": clf_domains}


def need(node: Node, gap: int = 2, importance: int = 3) -> Need:
    return Need(node=node, gap=gap, importance=importance, label=str(node))


def slugs(matches: list[Any]) -> list[str]:
    return [m.resource.slug for m in matches]


def test_it_puts_learning_with_peers_ahead_of_self_directed_e_learning_by_default(
    personas: Any, mm: dict[str, Any]
) -> None:
    target = mm["outcomes"][0]
    make_resource("e-module", mode="self-directed", nodes=[(target, "main")])
    make_resource("workshop", mode="face-to-face", nodes=[(target, "main")])
    found = match(needs=[need(target)], organisation=personas.org)
    assert slugs(found) == ["workshop", "e-module"]
    assert any("works best" in r for r in found[0].reasons)


def test_preferences_change_the_order_and_say_why(personas: Any, mm: dict[str, Any]) -> None:
    target = mm["outcomes"][0]
    make_resource("e-module", mode="self-directed", nodes=[(target, "main")])
    make_resource("workshop", mode="face-to-face", nodes=[(target, "main")])
    preference = LearningPreference.objects.create(
        user=personas.manager, preferred_modes=["self-directed"], avoid_modes=["face-to-face"]
    )
    found = match(needs=[need(target)], organisation=personas.org, preference=preference)
    assert slugs(found) == ["e-module", "workshop"]
    assert "Self-directed online: a way of learning you said suits you" in found[0].reasons
    assert "Face-to-face: a way of learning you said to avoid" in found[1].reasons


def test_it_pushes_down_what_costs_more_than_the_managers_limit(
    personas: Any, mm: dict[str, Any]
) -> None:
    target = mm["outcomes"][0]
    make_resource("dear", nodes=[(target, "main")], cost_from=900, cost_to=900)
    make_resource("cheap", nodes=[(target, "part")], cost_from=100, cost_to=100)
    assert slugs(match(needs=[need(target)], organisation=personas.org)) == ["dear", "cheap"]
    preference = LearningPreference.objects.create(user=personas.manager, max_cost=500)
    found = match(needs=[need(target)], organisation=personas.org, preference=preference)
    assert slugs(found) == ["cheap", "dear"]
    assert "Costs £900, more than your £500 limit" in found[1].reasons


def test_it_pushes_down_what_takes_more_hours_than_the_manager_can_give(
    personas: Any, mm: dict[str, Any]
) -> None:
    target = mm["outcomes"][0]
    make_resource("long", nodes=[(target, "main")], hours=120)
    make_resource("short", nodes=[(target, "main")], hours=6)
    preference = LearningPreference.objects.create(user=personas.manager, max_hours=40)
    found = match(needs=[need(target)], organisation=personas.org, preference=preference)
    assert slugs(found) == ["short", "long"]
    assert "Takes about 120 hours, more than the 40 you can give" in found[1].reasons


def test_face_to_face_outside_the_managers_region_goes_down(
    personas: Any, mm: dict[str, Any]
) -> None:
    target = mm["outcomes"][0]
    make_resource("glasgow", nodes=[(target, "main")], regions=["scotland"])
    make_resource("manchester", nodes=[(target, "main")], regions=["north-west"])
    found = match(needs=[need(target)], organisation=personas.org)  # the org is north-west
    assert slugs(found) == ["manchester", "glasgow"]
    assert "Runs in your region (North West)" in found[0].reasons
    assert "Runs in Scotland, outside the regions you can travel to" in found[1].reasons
    preference = LearningPreference.objects.create(user=personas.manager, regions=["scotland"])
    found = match(needs=[need(target)], organisation=personas.org, preference=preference)
    assert slugs(found) == ["glasgow", "manchester"]


def test_the_biggest_gap_leads_and_part_coverage_is_named(
    personas: Any, mm: dict[str, Any]
) -> None:
    big, small = mm["outcomes"][0], mm["outcomes"][2]
    make_resource("both", nodes=[(big, "main"), (small, "part")])
    make_resource("small-only", nodes=[(small, "main")])
    found = match(needs=[need(big, 3, 3), need(small, 1, 1)], organisation=personas.org)
    assert slugs(found) == ["both", "small-only"]
    assert found[0].reasons[0] == f"Covers your biggest gap, {big} (main focus)"
    assert found[0].reasons[1] == f"Also covers {small} in part"


def test_coverage_through_the_map_counts_and_the_reason_says_so(
    personas: Any, mm: dict[str, Any]
) -> None:
    gap_node = mm["outcomes"][0]  # MM1.01, in domain MM1
    capability = mm["clf"][0]  # CLF1
    AssociationFactory(
        origin=mm["domains"][0], destination=capability, association_type="isRelatedTo"
    )
    make_resource("clf-course", nodes=[(capability, "main")])
    make_resource("unrelated", nodes=[(mm["clf"][1], "main")])
    found = match(needs=[need(gap_node)], organisation=personas.org)
    assert slugs(found) == ["clf-course"]
    covered = found[0].covered[0]
    assert covered.route == "mapped" and covered.via == capability
    assert found[0].reasons[0] == (
        f"Counts towards your gap {gap_node} through its mapping to CLF: Domain 1"
    )
    data = match_to_dict(found[0])
    assert data["covered"][0]["via"]["code"] == "CLF1"


def test_direct_coverage_outranks_coverage_through_the_map(
    personas: Any, mm: dict[str, Any]
) -> None:
    gap_node = mm["outcomes"][0]
    AssociationFactory(origin=gap_node, destination=mm["clf"][0], association_type="exactMatchOf")
    make_resource("mapped", nodes=[(mm["clf"][0], "main")])
    make_resource("direct", nodes=[(gap_node, "main")])
    assert slugs(match(needs=[need(gap_node)], organisation=personas.org)) == [
        "direct",
        "mapped",
    ]


def test_a_resource_for_the_whole_domain_counts_in_part(personas: Any, mm: dict[str, Any]) -> None:
    gap_node = mm["outcomes"][0]
    make_resource("domain-wide", nodes=[(mm["domains"][0], "main")])
    found = match(needs=[need(gap_node)], organisation=personas.org)
    assert slugs(found) == ["domain-wide"]
    assert found[0].reasons[0].startswith(f"Covers {mm['domains'][0]} as a whole")


def test_private_resources_of_another_organisation_never_appear(
    personas: Any, mm: dict[str, Any]
) -> None:
    target = mm["outcomes"][0]
    make_resource("public", nodes=[(target, "main")])
    make_resource("ours", nodes=[(target, "main")], organisation=personas.org)
    make_resource(
        "theirs", nodes=[(target, "main")], organisation=personas.other_org, title="Theirs course"
    )
    found = match(needs=[need(target)], text="theirs course", organisation=personas.org)
    assert set(slugs(found)) == {"public", "ours"}
    ours = next(m for m in found if m.resource.slug == "ours")
    assert "Offered by your own organisation" in ours.reasons
    assert slugs(match(needs=[need(target)], organisation=None)) == ["public"]


def test_draft_and_withdrawn_entries_never_appear(personas: Any, mm: dict[str, Any]) -> None:
    target = mm["outcomes"][0]
    make_resource("draft", nodes=[(target, "main")], status="draft")
    make_resource("gone", nodes=[(target, "main")], status="withdrawn")
    assert match(needs=[need(target)], organisation=personas.org) == []


def test_historical_entries_go_slightly_down_with_a_reason(
    personas: Any, mm: dict[str, Any]
) -> None:
    target = mm["outcomes"][0]
    make_resource("old", nodes=[(target, "main")], historical=True, historical_as_of="2006")
    make_resource("new", nodes=[(target, "main")])
    found = match(needs=[need(target)], organisation=personas.org)
    assert slugs(found) == ["new", "old"]
    assert "Described as it stood in 2006: check it still runs" in found[1].reasons


def test_level_fit_moves_entries_for_the_managers_level_up(
    personas: Any, mm: dict[str, Any]
) -> None:
    target = mm["outcomes"][0]
    make_resource("senior", nodes=[(target, "main")], manager_levels=["senior"])
    make_resource("middle", nodes=[(target, "main")], manager_levels=["middle"])
    found = match(needs=[need(target)], organisation=personas.org, manager_level="middle")
    assert slugs(found) == ["middle", "senior"]
    assert "Meant for managers at your level (middle manager)" in found[0].reasons


def test_free_text_alone_finds_resources_by_their_words(personas: Any) -> None:
    make_resource("budget", title="Managing budgets in care", mode="reading")
    make_resource("other", title="Supervision skills", description="Skills for supervisors.")
    found = match(needs=[], text="how do I manage a budget", organisation=personas.org)
    assert slugs(found) == ["budget"]
    assert "Matches the words you searched for" in found[0].reasons


def test_filters_narrow_the_matches(personas: Any, mm: dict[str, Any]) -> None:
    target = mm["outcomes"][0]
    make_resource("book", mode="reading", resource_type="book", nodes=[(target, "main")])
    make_resource("course", nodes=[(target, "main")])
    found = match(
        needs=[need(target)], organisation=personas.org, filters=CatalogueFilters(types=["book"])
    )
    assert slugs(found) == ["book"]


def test_a_match_costs_the_same_few_queries_however_many_resources(
    personas: Any, mm: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    for i in range(40):
        make_resource(f"r{i}", nodes=[(mm["outcomes"][i % 6], "main"), (mm["clf"][0], "part")])
    AssociationFactory(origin=mm["domains"][0], destination=mm["clf"][0])
    needs = [need(n) for n in mm["outcomes"]]
    with django_assert_max_num_queries(8):
        found = match(needs=needs, text="learning", organisation=personas.org, limit=20)
        [match_to_dict(m) for m in found]
    assert len(found) == 20


def test_needs_come_from_the_latest_completed_round(
    personas: Any, mm: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    outcomes = mm["outcomes"][:3]
    revision = make_pms(personas.manager, personas.org, outcomes, expected=3, importance=[3, 2, 1])
    old = make_assessment(revision=revision)
    rate_all(old, [0, 0, 0], outcomes, submit=True)
    latest = make_assessment(revision=revision)
    rate_all(latest, [1, 3, 2], outcomes, submit=True)
    with django_assert_max_num_queries(5):
        needs = needs_for_person(person=personas.manager, organisation=personas.org)
    assert [(n.node, n.gap, n.importance) for n in needs] == [
        (outcomes[0], 2, 3),
        (outcomes[2], 1, 1),
    ]
    assert needs_for_person(person=personas.ld_lead, organisation=personas.org) == []


def test_a_round_in_progress_gives_no_needs(personas: Any, mm: dict[str, Any]) -> None:
    outcomes = mm["outcomes"][:2]
    revision = make_pms(personas.manager, personas.org, outcomes)
    rate_all(make_assessment(revision=revision), [0, 0], outcomes)
    assert needs_for_person(person=personas.manager, organisation=personas.org) == []


def test_organisation_needs_aggregate_the_managers_latest_rounds(
    personas: Any, mm: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    a, b, c = mm["outcomes"][:3]
    rev1 = make_pms(personas.manager, personas.org, [a, b, c], expected=3, importance=[1, 2, 2])
    rate_all(make_assessment(revision=rev1), [0, 0, 0], [a, b, c], submit=True)  # superseded
    rate_all(make_assessment(revision=rev1), [2, 3, 3], [a, b, c], submit=True)
    other = make_member(personas.org, "manager")
    rev2 = make_pms(other, personas.org, [a, b], expected=3, importance=[3, 1])
    rate_all(make_assessment(revision=rev2), [0, 2], [a, b], submit=True)
    # Someone in another organisation does not count.
    stranger = make_pms(personas.outsider, personas.other_org, [c], expected=3)
    rate_all(make_assessment(revision=stranger), [0], [c], submit=True)
    with django_assert_max_num_queries(5):
        needs = needs_for_organisation(organisation=personas.org)
    by_node = {n.node: n for n in needs}
    assert set(by_node) == {a, b}
    assert (by_node[a].gap, by_node[a].importance, by_node[a].managers) == (2, 3, 2)  # (1+3)/2
    assert (by_node[b].gap, by_node[b].importance, by_node[b].managers) == (1, 1, 1)
    assert needs[0].node == a


def test_chosen_nodes_become_needs(mm: dict[str, Any]) -> None:
    needs = needs_from_nodes(mm["outcomes"][:2])
    assert [(n.gap, n.chosen) for n in needs] == [(1, True), (1, True)]


def test_qualification_fit_says_what_is_covered_and_what_remains(
    mm: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    a, b, c = mm["outcomes"][:3]
    AssociationFactory(origin=c, destination=mm["clf"][1], association_type="exactMatchOf")
    q = Qualification.objects.create(
        slug="svq4", title="SVQ 4", awarding_body="SQA", scqf_level=10, credit_points=120
    )
    unit = QualificationUnit.objects.create(qualification=q, code="U1", title="Lead people")
    unit.nodes.add(a)
    unit2 = QualificationUnit.objects.create(qualification=q, code="U2", title="Vision")
    unit2.nodes.add(mm["clf"][1])
    Qualification.objects.create(slug="none", title="Unrelated award", awarding_body="X")
    with django_assert_max_num_queries(5):
        fits = qualification_fit(
            competences=[(a, 3, 3), (b, 3, 1), (c, 3, 2)], manager_level="middle"
        )
    assert [f.qualification.slug for f in fits] == ["svq4", "none"]
    best = fits[0]
    assert [cc.node for cc in best.covered] == [a, c]
    assert best.covered[1].via == mm["clf"][1] and best.covered[1].route == "mapped"
    assert best.remaining == [b]
    assert 0.5 < best.coverage_ratio < 1
    assert best.level_fit == "fits"
    assert "Its units cover 2 of your 3 competences" in best.reasons
    assert fits[1].covered == [] and fits[1].coverage_ratio == 0


@pytest.mark.parametrize(("first_chunk", "refine"), [(200, 2000), (10, 25)])
def test_stopping_early_gives_the_same_top_as_scoring_everything(
    personas: Any, mm: dict[str, Any], monkeypatch: Any, first_chunk: int, refine: int
) -> None:
    import random

    from .. import matching

    monkeypatch.setattr(matching, "FIRST_CHUNK", first_chunk)
    monkeypatch.setattr(matching, "REFINE", refine)

    rng = random.Random(7)
    modes = ["face-to-face", "blended", "online-group", "self-directed", "reading"]
    AssociationFactory(origin=mm["domains"][0], destination=mm["clf"][0])
    targets = [*mm["outcomes"], *mm["domains"], mm["clf"][0]]
    for i in range(400):
        make_resource(
            f"r{i}",
            mode=rng.choice(modes),
            nodes=[(n, rng.choice(["main", "part"])) for n in rng.sample(targets, 2)],
            cost_from=rng.choice([None, 0, 300, 900]),
            historical=rng.random() < 0.2,
            description=rng.choice(["A learning resource.", "A book.", "A resource for you."]),
            regions=rng.choice([[], ["london"], ["scotland"]]),
            manager_levels=rng.choice([[], ["middle"], ["senior"]]),
        )
    needs = [need(n, rng.randint(1, 3), rng.randint(1, 3)) for n in mm["outcomes"]]
    preference = LearningPreference(
        preferred_modes=["reading"], avoid_modes=["blended"], max_cost=500, regions=["london"]
    )
    options: list[dict[str, Any]] = [
        {},
        {"preference": preference, "manager_level": "middle"},
        {"text": "learning resource", "preference": preference},
    ]
    for kwargs in options:
        everything = match(needs=needs, organisation=personas.org, limit=400, **kwargs)
        top = match(needs=needs, organisation=personas.org, limit=5, **kwargs)
        assert [m.resource.slug for m in top] == [m.resource.slug for m in everything[:5]]
        assert [m.score for m in top] == [m.score for m in everything[:5]]


def test_funding_sources_go_down_unless_the_words_ask_about_funding(
    personas: Any, mm: dict[str, Any]
) -> None:
    target = mm["outcomes"][0]
    make_resource(
        "grant", resource_type="funding", title="Workforce grant", nodes=[(target, "main")]
    )
    make_resource("course", title="Leading change course", nodes=[(target, "main")])
    assert slugs(match(needs=[need(target)], organisation=personas.org)) == ["course", "grant"]
    found = match(needs=[need(target)], text="is there a grant", organisation=personas.org)
    assert slugs(found)[0] == "grant"
    assert "A source of funding towards learning, not learning in itself" in found[0].reasons
