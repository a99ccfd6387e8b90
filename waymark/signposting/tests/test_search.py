from __future__ import annotations

from typing import Any

import pytest

from ..models import Provider, Resource
from ..search import CatalogueFilters, search_catalogue, text_ranks
from .matching_helpers import make_provider, make_resource


def slugs(result: Any) -> list[str]:
    return [h.resource.slug for h in result.hits]


@pytest.fixture
def catalogue(personas: Any) -> None:
    scie = make_provider("scie", "Social Care Institute for Excellence")
    make_resource(
        "risk-guide",
        title="Managing risk in adult care",
        description="A practice guide to positive risk taking with people who use services.",
        resource_type="practice-guide",
        mode="reading",
        provider=scie,
        cost_from=0,
        cost_to=0,
        hours=3,
    )
    make_resource(
        "change-programme",
        title="Leading change programme",
        description="Ten months of workshops and action learning on leading change.",
        resource_type="programme",
        mode="blended",
        cost_from=1200,
        cost_to=1500,
        hours=120,
        scqf_level=9,
        manager_levels=["middle"],
        regions=["north-west"],
    )
    make_resource(
        "coaching",
        title="Coaching for new managers",
        description="One-to-one coaching sessions on supervision and risk.",
        resource_type="mentoring",
        mode="face-to-face",
        cost_from=300,
        cost_to=300,
        hours=12,
        manager_levels=["first-line"],
        regions=["scotland"],
    )
    make_resource(
        "ours-risk",
        title="Our risk assessment induction",
        description="The in-house induction on our risk policy.",
        organisation=personas.org,
    )
    make_resource(
        "theirs-risk",
        title="Their risk assessment induction",
        description="Another organisation's induction on risk.",
        organisation=personas.other_org,
    )


def test_it_finds_resources_by_stemmed_words_best_first(personas: Any, catalogue: None) -> None:
    result = search_catalogue("risks", organisation=None)
    assert result.total == 2
    assert slugs(result)[0] == "risk-guide"  # in the title
    assert "<mark>" in result.hits[0].snippet or result.hits[0].rank > 0


def test_it_finds_resources_by_their_providers_name(personas: Any, catalogue: None) -> None:
    assert slugs(search_catalogue("excellence", organisation=None)) == ["risk-guide"]


def test_a_provider_renamed_is_found_by_its_new_name(personas: Any, catalogue: None) -> None:
    Provider.objects.filter(slug="scie").update(name="Care Knowledge Hub")
    Provider.objects.get(slug="scie").save()  # the trigger runs on update of the name
    assert slugs(search_catalogue("hub", organisation=None)) == ["risk-guide"]
    assert slugs(search_catalogue("excellence", organisation=None)) == []


def test_edited_and_deleted_resources_stay_in_step_with_the_index(
    personas: Any, catalogue: None
) -> None:
    Resource.objects.filter(slug="risk-guide").update(title="Positive safeguarding")
    assert "risk-guide" in slugs(search_catalogue("safeguarding", organisation=None))
    Resource.objects.filter(slug="risk-guide").delete()
    assert slugs(search_catalogue("safeguarding", organisation=None)) == []


@pytest.mark.parametrize(
    "query", ["c++", "a-b", "AND", "OR NOT", '"unbalanced', "risk*", "(risk", "NEAR(a b)", "-"]
)
def test_search_syntax_in_what_people_type_never_raises(
    personas: Any, catalogue: None, query: str
) -> None:
    search_catalogue(query, organisation=personas.org)
    text_ranks(query, organisation=personas.org)


def test_the_last_word_matches_as_a_prefix_while_typing(personas: Any, catalogue: None) -> None:
    assert slugs(search_catalogue("coach", organisation=None)) == ["coaching"]


def test_in_house_entries_are_seen_only_by_their_organisation(
    personas: Any, catalogue: None
) -> None:
    assert set(slugs(search_catalogue("induction", organisation=personas.org))) == {"ours-risk"}
    assert set(slugs(search_catalogue("induction", organisation=personas.other_org))) == {
        "theirs-risk"
    }
    assert slugs(search_catalogue("induction", organisation=None)) == []
    assert set(text_ranks("induction", organisation=personas.org)) == {
        Resource.objects.get(slug="ours-risk").pk
    }


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (CatalogueFilters(types=["practice-guide"]), {"risk-guide"}),
        (CatalogueFilters(modes=["face-to-face", "blended"]), {"coaching", "change-programme"}),
        (CatalogueFilters(max_cost=500), {"risk-guide", "coaching"}),
        (CatalogueFilters(region="north-west"), {"risk-guide", "change-programme"}),
        (CatalogueFilters(manager_level="middle"), {"risk-guide", "change-programme"}),
        (CatalogueFilters(max_hours=20), {"risk-guide", "coaching"}),
        (CatalogueFilters(scqf_level=9), {"change-programme"}),
        (CatalogueFilters(types=["programme"], region="scotland"), set()),
    ],
)
def test_filters_narrow_the_catalogue(
    personas: Any, catalogue: None, filters: CatalogueFilters, expected: set[str]
) -> None:
    result = search_catalogue("", organisation=None, filters=filters)
    assert set(slugs(result)) == expected
    assert result.total == len(expected)


def test_filters_combine_with_words(personas: Any, catalogue: None) -> None:
    result = search_catalogue(
        "risk", organisation=None, filters=CatalogueFilters(modes=["face-to-face"])
    )
    assert slugs(result) == ["coaching"]


def test_results_come_in_pages(personas: Any, catalogue: None) -> None:
    first = search_catalogue("", organisation=personas.org, limit=2)
    second = search_catalogue("", organisation=personas.org, limit=2, offset=2)
    assert first.total == second.total == 4
    assert len(first.hits) == 2 and len(second.hits) == 2
    assert not set(slugs(first)) & set(slugs(second))
    paged = search_catalogue("risk", organisation=personas.org, limit=1, offset=1)
    assert paged.total == 3 and len(paged.hits) == 1


def test_a_search_costs_a_few_queries(
    personas: Any, catalogue: None, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(3):
        search_catalogue("risk", organisation=personas.org, filters=CatalogueFilters(max_cost=900))


def test_one_or_two_letters_are_not_taken_as_a_prefix(personas: Any, catalogue: None) -> None:
    assert slugs(search_catalogue("c", organisation=None)) == []
    assert slugs(search_catalogue("co", organisation=None)) == []
    assert slugs(search_catalogue("coa", organisation=None)) == ["coaching"]
