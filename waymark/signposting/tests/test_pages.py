"""The signposting pages: who sees what, preferences that visibly change the order,
filters, forms that keep what was typed, add to plan, and query counts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from waymark.conftest import Personas
from waymark.core.tests.factories import MembershipFactory, UserFactory
from waymark.organisations.models import SupportRelationship
from waymark.planning.models import Activity, Objective
from waymark.planning.tests.factories import make_objective, make_plan
from waymark.profiles.models import RoleCompetence, RoleProfile

from ..models import LearningPreference
from .factories import make_resource
from .pages_helpers import World, build_world, next_year


@pytest.fixture
def world(personas: Personas) -> World:
    return build_world(personas)


def _order(html: str, *titles: str) -> list[int]:
    return [html.index(t) for t in titles]


def _content(response: Any) -> str:
    return str(response.content.decode())


# --- who sees a person's options --------------------------------------------------------------


def test_the_manager_sees_options_for_her_gaps_with_their_reasons(world: World) -> None:
    response = world.client(world.p.manager).get(world.url("person"))
    assert response.status_code == 200
    html = _content(response)
    assert "Leading change in care services" in html
    assert "Covers your biggest gap, MM1.01" in html
    assert "Add to my plan" in html
    assert "Social Care Institute" in html
    assert "£450" in html


@pytest.mark.parametrize("who", ["supervisor", "ld_lead", "admin"])
def test_those_who_see_her_gap_analysis_see_her_options_without_add_to_plan(
    world: World, who: str
) -> None:
    response = world.client(getattr(world.p, who)).get(world.url("person"))
    assert response.status_code == 200
    html = _content(response)
    assert "Leading change in care services" in html
    assert "Add to my plan" not in html


def test_a_mentor_who_cannot_see_her_gap_analysis_is_refused(world: World) -> None:
    mentor = UserFactory.create()
    MembershipFactory(organisation=world.p.org, user=mentor, role="manager")
    SupportRelationship.objects.create(
        organisation=world.p.org, manager=world.p.manager, supporter=mentor, kind="mentor"
    )
    client = world.client(mentor)
    assert client.get(world.url("person")).status_code == 403
    assert client.get(world.url("person_qualifications")).status_code == 403


def test_an_outsider_and_an_unrelated_colleague_get_not_found(world: World) -> None:
    colleague = UserFactory.create()
    MembershipFactory(organisation=world.p.org, user=colleague, role="manager")
    assert world.client(colleague).get(world.url("person")).status_code == 404
    assert world.client(world.p.outsider).get(world.url("person")).status_code == 404


def test_in_house_resources_of_other_organisations_never_appear(world: World) -> None:
    html = _content(world.client(world.p.manager).get(world.url("person")))
    assert "Brightwater leading change workshop" in html
    assert "Elsewhere Council change workshop" not in html
    assert "Draft change course" not in html
    assert "Withdrawn change course" not in html


def test_a_manager_without_a_completed_self_assessment_is_told_where_options_come_from(
    world: World,
) -> None:
    html = _content(
        world.client(world.p.supervisor).get(
            reverse(
                "signposting:person",
                kwargs={"org_slug": world.p.org.slug, "person_id": world.p.supervisor.pk},
            )
        )
    )
    assert "latest completed self-assessment" in html


# --- preferences --------------------------------------------------------------------------------


def test_preferences_change_the_order_on_the_page(world: World) -> None:
    client = world.client(world.p.manager)
    html = _content(client.get(world.url("person")))
    course, elearning = _order(html, world.course.title, world.elearning.title)
    assert course < elearning  # face-to-face with peers first, by default
    assert "what managers say works best" in html

    response = client.post(
        world.url("preferences"),
        {"preferred_modes": ["self-directed"], "avoid_modes": ["face-to-face"], "max_cost": "100"},
    )
    assert response.status_code == 302
    assert response["Location"] == world.url("person")
    html = _content(client.get(response["Location"]))
    assert "Ranked using your preferences" in html
    assert world.url("preferences") in html
    course, elearning = _order(html, world.course.title, world.elearning.title)
    assert elearning < course
    assert "a way of learning you said to avoid" in html
    assert "more than your £100 limit" in html


def test_only_the_manager_sets_her_preferences(world: World) -> None:
    client = world.client(world.p.supervisor)
    assert client.get(world.url("preferences")).status_code == 403
    assert client.post(world.url("preferences"), {"max_cost": "5"}).status_code == 403
    assert not LearningPreference.objects.exists()


def test_bad_preferences_are_explained_and_what_was_typed_is_kept(world: World) -> None:
    response = world.client(world.p.manager).post(
        world.url("preferences"),
        {
            "preferred_modes": ["face-to-face"],
            "avoid_modes": ["face-to-face"],
            "max_cost": "lots",
            "max_hours": "-3",
        },
    )
    assert response.status_code == 200
    html = _content(response)
    assert "There is a problem" in html
    assert "Most you can spend must be a whole number, like 500" in html
    assert "Most hours you can give must be 0 or more" in html
    assert "Face-to-face cannot be both a way that suits you and one to avoid" in html
    assert 'value="lots"' in html
    assert 'value="-3"' in html
    assert not LearningPreference.objects.exists()


def test_saving_preferences_is_audited_and_shown_again(world: World) -> None:
    from waymark.core.models import AuditEvent

    client = world.client(world.p.manager)
    client.post(world.url("preferences"), {"regions": ["scotland"], "max_hours": "10"})
    pref = LearningPreference.objects.get(user=world.p.manager)
    assert pref.regions == ["scotland"] and pref.max_hours == 10
    assert AuditEvent.objects.filter(action="learning_preference.save").count() == 1
    html = _content(client.get(world.url("preferences")))
    assert re.search(r'value="scotland"[^>]*checked', html)


# --- filters ------------------------------------------------------------------------------------


def test_filters_narrow_the_options(world: World) -> None:
    html = _content(
        world.client(world.p.manager).get(world.url("person"), {"mode": "self-directed"})
    )
    assert world.elearning.title in html
    assert world.course.title not in html


def test_a_cost_filter_keeps_only_what_is_within_it(world: World) -> None:
    html = _content(world.client(world.p.manager).get(world.url("person"), {"max_cost": "100"}))
    assert world.elearning.title in html
    assert world.course.title not in html


def test_a_bad_filter_is_explained_where_it_is_and_kept(world: World) -> None:
    response = world.client(world.p.manager).get(
        world.url("person"), {"max_cost": "cheap", "mode": "telepathy"}
    )
    assert response.status_code == 200
    html = _content(response)
    assert "There is a problem" in html
    assert "Most it should cost must be a whole number, like 500" in html
    assert "Choose ways of learning from the list" in html
    assert 'value="cheap"' in html
    # The bad filters are left out; the options still show.
    assert world.course.title in html


# --- qualifications -----------------------------------------------------------------------------


def test_qualification_fit_for_her_pms_shows_coverage_and_what_remains(world: World) -> None:
    html = _content(world.client(world.p.supervisor).get(world.url("person_qualifications")))
    assert "SVQ 4 Leadership and Management for Care Services" in html
    assert "3 of 6 competences" in html
    assert "Historical: as in 2008" in html
    assert "Remaining" in html


def test_qualification_fit_for_a_role_profile_is_for_ld_leads_and_admins(world: World) -> None:
    profile = RoleProfile.objects.create(
        organisation=world.p.org, title="First line manager", manager_level="first-line"
    )
    for node in world.outcomes[:2]:
        RoleCompetence.objects.create(role_profile=profile, node=node)
    url = world.org_url("role_profile_qualifications", profile_id=profile.pk)
    html = _content(world.client(world.p.ld_lead).get(url))
    assert "2 of 2 competences" in html
    assert world.client(world.p.manager).get(url).status_code == 403
    other = RoleProfile.objects.create(
        organisation=world.p.other_org, title="Theirs", manager_level="middle"
    )
    url = world.org_url("role_profile_qualifications", profile_id=other.pk)
    assert world.client(world.p.ld_lead).get(url).status_code == 404


# --- add to my plan -----------------------------------------------------------------------------


def _add_url(world: World, slug: str, *nodes: int) -> str:
    url = world.url("add_to_plan", slug=slug)
    return url + ("?" + "&".join(f"node={n}" for n in nodes) if nodes else "")


def test_add_to_plan_links_carry_the_gaps_each_option_covers(world: World) -> None:
    html = _content(world.client(world.p.manager).get(world.url("person")))
    assert _add_url(world, world.course.slug, world.outcomes[0].pk) in html


def test_without_a_plan_the_manager_is_sent_to_start_one_and_back(world: World) -> None:
    url = _add_url(world, world.course.slug, world.outcomes[0].pk)
    response = world.client(world.p.manager).get(url)
    assert response.status_code == 302
    assert "/plan/new/?next=" in response["Location"]


def test_adding_to_an_existing_objective_makes_a_linked_activity(world: World) -> None:
    plan = make_plan(organisation=world.p.org, manager=world.p.manager)
    objective = make_objective(plan=plan, title="Lead the move to new rotas")
    client = world.client(world.p.manager)
    url = _add_url(world, world.course.slug, world.outcomes[0].pk)
    page = _content(client.get(url))
    assert "Lead the move to new rotas" in page
    assert 'value="external-course" selected' in page or "external-course" in page
    response = client.post(
        url, {"objective": str(objective.pk), "activity_type": "external-course"}
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.objective == objective
    assert activity.resource == world.course
    assert activity.description == world.course.title
    plan_page = _content(client.get(response["Location"], follow=True))
    assert "is in your plan" in plan_page
    assert world.course.title in plan_page
    assert world.org_url("resource", slug=world.course.slug) in plan_page


def test_adding_with_a_new_objective_seeds_it_from_the_gap(world: World) -> None:
    plan = make_plan(organisation=world.p.org, manager=world.p.manager)
    client = world.client(world.p.manager)
    url = _add_url(world, world.elearning.slug, world.outcomes[0].pk)
    target = next_year()
    response = client.post(
        url,
        {
            "objective": "new",
            "title": "Lead change well",
            "target_date_0": str(target.day),
            "target_date_1": str(target.month),
            "target_date_2": str(target.year),
            "activity_type": "e-learning",
        },
    )
    assert response.status_code == 302, _content(response)
    objective = Objective.objects.get(plan=plan)
    assert objective.title == "Lead change well"
    assert list(objective.nodes.all()) == [world.outcomes[0]]
    assert world.elearning.title in objective.specific
    assert objective.activities.get().resource == world.elearning


def test_a_bad_new_objective_keeps_what_was_typed_and_saves_nothing(world: World) -> None:
    make_plan(organisation=world.p.org, manager=world.p.manager)
    client = world.client(world.p.manager)
    url = _add_url(world, world.course.slug, world.outcomes[0].pk)
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "objective": "new",
            "title": "My typed title",
            "target_date_0": str(today.day),
            "target_date_1": str(today.month),
            "target_date_2": str(today.year),
            "activity_type": "external-course",
        },
    )
    assert response.status_code == 200
    html = _content(response)
    assert "Target date must be in the future" in html
    assert 'value="My typed title"' in html
    assert not Objective.objects.exists()
    assert not Activity.objects.exists()


def test_only_the_manager_adds_to_her_plan(world: World) -> None:
    make_plan(organisation=world.p.org, manager=world.p.manager)
    url = _add_url(world, world.course.slug)
    assert world.client(world.p.supervisor).get(url).status_code == 403
    assert world.client(world.p.supervisor).post(url, {}).status_code == 403


def test_another_organisations_in_house_resource_cannot_be_added(world: World) -> None:
    make_plan(organisation=world.p.org, manager=world.p.manager)
    url = _add_url(world, world.other_in_house.slug)
    assert world.client(world.p.manager).get(url).status_code == 404


# --- organisation pages -------------------------------------------------------------------------


def test_find_learning_for_chosen_competences_and_words(world: World) -> None:
    client = world.client(world.p.manager)
    html = _content(client.get(world.org_url("find"), {"codes": "MM1.01"}))
    assert "Options" in html
    assert world.course.title in html
    assert "Brightwater leading change workshop" in html
    assert "Elsewhere Council change workshop" not in html
    html = _content(client.get(world.org_url("find"), {"node": str(world.outcomes[3].pk)}))
    assert world.historical.title in html
    html = _content(client.get(world.org_url("find"), {"codes": "XX9.99"}))
    assert "No competence found with the code XX9.99" in html


def test_find_searches_the_catalogue_with_filters(world: World) -> None:
    client = world.client(world.p.manager)
    html = _content(client.get(world.org_url("find"), {"q": "change"}))
    assert "Catalogue:" in html
    assert world.elearning.title in html
    assert "Brightwater leading change workshop" in html
    assert "Elsewhere Council change workshop" not in html
    html = _content(client.get(world.org_url("find"), {"type": "e-learning"}))
    assert world.elearning.title in html
    assert world.course.title not in html


def test_the_organisations_gaps_show_how_many_share_them_only_from_five(world: World) -> None:
    response = world.client(world.p.ld_lead).get(world.org_url("organisation"))
    assert response.status_code == 200
    html = _content(response)
    assert "fewer than 5 managers" in html
    assert world.course.title in html
    assert world.client(world.p.manager).get(world.org_url("organisation")).status_code == 403


def test_a_resource_page_shows_public_and_own_entries_only(world: World) -> None:
    client = world.client(world.p.manager)
    assert client.get(world.org_url("resource", slug=world.course.slug)).status_code == 200
    html = _content(client.get(world.org_url("resource", slug=world.in_house.slug)))
    assert "In-house" in html
    for hidden in (world.other_in_house, world.draft, world.withdrawn):
        assert client.get(world.org_url("resource", slug=hidden.slug)).status_code == 404


# --- public catalogue ---------------------------------------------------------------------------


def test_the_public_catalogue_shows_public_entries_only(world: World, client: Any) -> None:
    html = _content(client.get(reverse("catalogue:search"), {"q": "change"}))
    assert world.course.title in html
    assert "Brightwater leading change workshop" not in html
    assert "Elsewhere Council change workshop" not in html
    assert "Draft change course" not in html
    for hidden in (world.in_house, world.other_in_house, world.draft, world.withdrawn):
        url = reverse("catalogue:resource", kwargs={"slug": hidden.slug})
        assert client.get(url).status_code == 404


def test_historical_entries_are_marked_with_their_date(world: World, client: Any) -> None:
    html = _content(
        client.get(reverse("catalogue:resource", kwargs={"slug": "leading-to-deliver"}))
    )
    assert "Historical entry: described as it stood in 2006" in html
    html = _content(client.get(reverse("catalogue:search")))
    assert "Historical: as in 2006" in html


def test_a_qualification_page_lists_its_units_with_their_competences(
    world: World, client: Any
) -> None:
    html = _content(client.get(reverse("catalogue:qualification", kwargs={"slug": "svq4-lmcs"})))
    assert "U1 Unit 1" in html
    assert "MM1.01" in html and "MM1.02" in html
    assert "Social Care Institute" in html
    assert "described as it stood in 2008" in html


def test_a_provider_page_lists_its_public_resources(world: World, client: Any) -> None:
    html = _content(client.get(reverse("catalogue:provider", kwargs={"slug": "scie"})))
    assert world.course.title in html
    assert "SVQ 4" in html


def test_link_health_is_shown_when_known(world: World, client: Any) -> None:
    world.course.url = "https://example.org/course"
    world.course.link_checked_at = timezone.now()
    world.course.link_status = 404
    world.course.save()
    html = _content(client.get(reverse("catalogue:resource", kwargs={"slug": world.course.slug})))
    assert "did not work when last checked" in html


def test_a_bad_catalogue_filter_is_explained_and_kept(world: World, client: Any) -> None:
    response = client.get(reverse("catalogue:search"), {"scqf_level": "99", "q": "change"})
    html = _content(response)
    assert "SCQF level must be a whole number from 1 to 12" in html
    assert 'value="99"' in html
    assert 'value="change"' in html


# --- links in -----------------------------------------------------------------------------------


def test_the_gap_analysis_and_the_plan_link_to_learning_options(world: World) -> None:
    from waymark.assessment.models import SelfAssessment

    client = world.client(world.p.manager)
    assessment = SelfAssessment.objects.get(manager=world.p.manager)
    gaps = reverse(
        "assessment:gaps",
        kwargs={
            "org_slug": world.p.org.slug,
            "person_id": world.p.manager.pk,
            "assessment_id": assessment.pk,
        },
    )
    html = _content(client.get(gaps))
    assert "Find learning for these gaps" in html and world.url("person") in html
    make_plan(organisation=world.p.org, manager=world.p.manager)
    plan = reverse(
        "planning:plan", kwargs={"org_slug": world.p.org.slug, "person_id": world.p.manager.pk}
    )
    html = _content(client.get(plan))
    assert "Find learning" in html and world.url("person") in html


def test_the_dashboard_and_person_page_link_to_signposting(world: World) -> None:
    client = world.client(world.p.manager)
    html = _content(
        client.get(reverse("organisations:dashboard", kwargs={"org_slug": "brightwater"}))
    )
    assert "My learning preferences" in html
    assert world.url("person") in html
    person = reverse(
        "organisations:person",
        kwargs={"org_slug": world.p.org.slug, "person_id": world.p.manager.pk},
    )
    assert world.url("person") in _content(world.client(world.p.supervisor).get(person))


# --- query counts -------------------------------------------------------------------------------


def test_the_options_page_costs_the_same_for_many_resources(
    world: World, django_assert_max_num_queries: Any
) -> None:
    for i in range(40):
        make_resource(slug=f"extra-{i}", title=f"Extra {i}", nodes=[world.outcomes[i % 4]])
    client = world.client(world.p.manager)
    with django_assert_max_num_queries(25):
        assert client.get(world.url("person")).status_code == 200


def test_the_catalogue_search_costs_the_same_for_many_resources(
    world: World, client: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(40):
        make_resource(slug=f"extra-{i}", title=f"Extra change {i}", nodes=[world.outcomes[0]])
    with django_assert_max_num_queries(8):
        assert client.get(reverse("catalogue:search"), {"q": "change"}).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("catalogue:search")).status_code == 200


def test_find_the_organisation_page_and_the_gateway_cost_the_same_for_many_resources(
    world: World, client: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(40):
        make_resource(slug=f"extra-{i}", title=f"Extra change {i}", nodes=[world.outcomes[i % 4]])
    manager, lead = world.client(world.p.manager), world.client(world.p.ld_lead)
    with django_assert_max_num_queries(20):
        response = manager.get(world.org_url("find"), {"codes": "MM1.01", "q": "change"})
        assert response.status_code == 200
    with django_assert_max_num_queries(18):
        assert lead.get(world.org_url("organisation")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/gateway/", {"codes": "MM1.01", "q": "change"}).status_code == 200


def test_another_organisations_own_competences_cannot_be_chosen(world: World) -> None:
    from waymark.core.tests.factories import EditionFactory, FrameworkFactory, NodeFactory

    theirs = EditionFactory(
        framework=FrameworkFactory(slug="elsewhere-own", organisation=world.p.other_org)
    )
    NodeFactory(edition=theirs, code="OWN1", statement="Elsewhere's secret competence")
    html = _content(world.client(world.p.manager).get(world.org_url("find"), {"codes": "OWN1"}))
    assert "No competence found with the code OWN1" in html
    assert "secret competence" not in html
    outsider_find = reverse("signposting:find", kwargs={"org_slug": world.p.other_org.slug})
    html = _content(world.client(world.p.outsider).get(outsider_find, {"codes": "OWN1"}))
    assert "No competence found" not in html
    html = _content(world.client(None).get("/gateway/", {"codes": "OWN1"}))
    assert "No competence found with the code OWN1" in html
