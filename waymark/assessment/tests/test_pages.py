"""The self-assessment pages: start a round, rate page by page with "save and continue"
or "save and come back later", complete it only when everything is rated (a half-finished
attempt says what is missing, with links, and keeps every answer), then the gap
analysis with charts, tables, progress, what each competence counts towards and a way
to plan for chosen gaps. Who sees what, and query counts that do not grow with the PMS."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from waymark.accounts.models import User
from waymark.conftest import Personas
from waymark.core.tests.factories import (
    AssociationFactory,
    EditionFactory,
    FrameworkFactory,
)
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


def url(name: str, person: User, **kwargs: Any) -> str:
    return reverse(
        f"assessment:{name}", kwargs={"org_slug": "brightwater", "person_id": person.pk, **kwargs}
    )


def text(response: Any) -> str:
    """The page's visible text, whitespace collapsed, tags dropped."""
    html = response.content.decode()
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def pms(personas: Personas) -> list[Node]:
    """The manager's PMS: two domains of seven outcomes (14 competences: one page a domain)."""
    _e, _d, outcomes = make_framework("MM", domains=2, outcomes=7)
    make_pms(personas.manager, personas.org, outcomes, expected=3, importance=2)
    return outcomes


def page_data(
    nodes: list[Node], levels: list[int | None] | int | None, action: str = "continue", **extra: str
) -> dict[str, str]:
    values = levels if isinstance(levels, list) else [levels] * len(nodes)
    data = {
        f"level-{n.pk}": "" if v is None else str(v) for n, v in zip(nodes, values, strict=True)
    }
    data.update({f"evidence-{n.pk}": "" for n in nodes})
    data.update(extra)
    data["action"] = action
    return data


# --- the manager's journey ----------------------------------------------------------------


def test_a_manager_rates_herself_page_by_page_and_completes_the_round(
    personas: Personas, pms: list[Node]
) -> None:
    client = personas.client_for(personas.manager)
    listing = client.get(url("list", personas.manager))
    assert "Start your self-assessment" in text(listing)

    started = client.post(url("start", personas.manager))
    assessment = SelfAssessment.objects.get(manager=personas.manager)
    assert started["Location"] == url("rate", personas.manager, assessment_id=assessment.pk, page=1)

    first = client.get(started["Location"])
    page = text(first)
    assert "Your self-assessment, page 1 of 2" in page
    assert "MM1 Domain 1" in page
    for node in pms[:7]:
        assert node.statement in page
    assert "MM2.01" not in page  # the second domain is on page 2

    response = client.post(started["Location"], page_data(pms[:7], 3))
    assert response["Location"] == url(
        "rate", personas.manager, assessment_id=assessment.pk, page=2
    )
    response = client.post(
        response["Location"],
        page_data(pms[7:], 1, **{f"evidence-{pms[7].pk}": "Ran the rota review"}),
    )
    assert response["Location"] == url("detail", personas.manager, assessment_id=assessment.pk)
    check = text(client.get(response["Location"]))
    assert "You have rated 14 of 14 competences." in check

    done = client.post(url("detail", personas.manager, assessment_id=assessment.pk))
    assert done["Location"] == url("gaps", personas.manager, assessment_id=assessment.pk)
    assessment.refresh_from_db()
    assert assessment.is_submitted
    assert Rating.objects.get(assessment=assessment, node=pms[7]).evidence == "Ran the rota review"
    gaps = text(client.get(done["Location"], follow=True))
    assert "Your self-assessment is complete" in gaps


def test_save_and_come_back_later_keeps_the_answers_for_next_time(
    personas: Personas, pms: list[Node]
) -> None:
    client = personas.client_for(personas.manager)
    client.post(url("start", personas.manager))
    assessment = SelfAssessment.objects.get()
    page2 = url("rate", personas.manager, assessment_id=assessment.pk, page=2)
    levels: list[int | None] = [4, None, 2, None, None, None, 0]
    response = client.post(
        page2,
        page_data(
            pms[7:], levels, action="later", **{f"evidence-{pms[8].pk}": "Not sure: ask Sam"}
        ),
    )
    assert response["Location"] == url("detail", personas.manager, assessment_id=assessment.pk)
    assert "Your answers are saved" in text(client.get(response["Location"]))

    again = client.get(page2).content.decode()
    assert re.search(rf'id="level-{pms[7].pk}-5"[^>]*value="4" [^>]*checked', again) or re.search(
        rf'value="4"[^>]*checked[^>]*>\s*<label[^>]*for="level-{pms[7].pk}-5"', again
    )
    assert f'id="level-{pms[8].pk}-not-sure"' in again
    assert re.search(rf'id="level-{pms[8].pk}-not-sure"[^>]*checked', again)
    assert "Not sure: ask Sam" in again
    detail = text(client.get(url("detail", personas.manager, assessment_id=assessment.pk)))
    assert "You have rated 3 of 14 competences." in detail
    assert "3 of 7 rated" in detail and "Not started" in detail


def test_a_half_finished_submit_names_the_missing_competences_and_keeps_every_answer(
    personas: Personas, pms: list[Node]
) -> None:
    client = personas.client_for(personas.manager)
    client.post(url("start", personas.manager))
    assessment = SelfAssessment.objects.get()
    client.post(
        url("rate", personas.manager, assessment_id=assessment.pk, page=1),
        page_data(pms[:7], 2, action="later"),
    )
    client.post(
        url("rate", personas.manager, assessment_id=assessment.pk, page=2),
        page_data(
            pms[7:],
            [3, None, 3, 3, None, 3, 3],
            action="later",
            **{f"evidence-{pms[8].pk}": "Thinking"},
        ),
    )
    before = list(Rating.objects.order_by("node_id").values_list("node_id", "level", "evidence"))

    response = client.post(url("detail", personas.manager, assessment_id=assessment.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "You have not rated 2 competences yet." in text(response)
    page2 = url("rate", personas.manager, assessment_id=assessment.pk, page=2)
    for node in (pms[8], pms[11]):
        assert f'href="{page2}#level-{node.pk}"' in html
        assert f"Rate {node.code}" in text(response)
    assessment.refresh_from_db()
    assert not assessment.is_submitted
    assert (
        list(Rating.objects.order_by("node_id").values_list("node_id", "level", "evidence"))
        == before
    )
    # The link leads to the radios it names.
    assert f'id="level-{pms[8].pk}"' in client.get(page2).content.decode()


def test_many_missing_competences_are_summarised_a_domain_at_a_time(
    personas: Personas, pms: list[Node]
) -> None:
    client = personas.client_for(personas.manager)
    client.post(url("start", personas.manager))
    assessment = SelfAssessment.objects.get()
    client.post(
        url("rate", personas.manager, assessment_id=assessment.pk, page=1),
        page_data(pms[:7], [3, 3, None, None, None, None, None], action="later"),
    )
    response = client.post(url("detail", personas.manager, assessment_id=assessment.pk))
    html = response.content.decode()
    assert "You have not rated 12 competences yet." in text(response)
    page1 = url("rate", personas.manager, assessment_id=assessment.pk, page=1)
    page2 = url("rate", personas.manager, assessment_id=assessment.pk, page=2)
    assert (
        f'<a href="{page1}#level-{pms[2].pk}">Rate the 5 competences not yet rated in MM1 Domain 1</a>'
        in html
    )
    assert (
        f'<a href="{page2}#level-{pms[7].pk}">Rate the 7 competences not yet rated in MM2 Domain 2</a>'
        in html
    )


def test_bad_input_is_answered_on_the_page_with_what_was_typed_kept(
    personas: Personas, pms: list[Node]
) -> None:
    client = personas.client_for(personas.manager)
    client.post(url("start", personas.manager))
    assessment = SelfAssessment.objects.get()
    page1 = url("rate", personas.manager, assessment_id=assessment.pk, page=1)
    long_note = "A long story. " * 400  # 5,600 characters
    data = page_data(
        pms[:7],
        2,
        **{
            f"level-{pms[0].pk}": "9",
            f"evidence-{pms[1].pk}": long_note,
            f"evidence-{pms[2].pk}": "Kept note",
        },
    )
    response = client.post(page1, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert (
        f'<a href="#level-{pms[0].pk}">Choose one of the levels for MM1.01, or “Not sure yet”.</a>'
        in html
    )
    assert f'href="#evidence-{pms[1].pk}"' in html
    assert "The evidence note for MM1.02 must be 5,000 characters or fewer" in html
    assert "Kept note" in html and long_note.strip()[:200] in html
    assert re.search(rf'id="level-{pms[3].pk}-3"[^>]*value="2"[^>]*checked', html)
    assert "govuk-form-group--error" in html
    assert response.content.decode().count("govuk-error-message") == 2
    assert not Rating.objects.exists()


def test_every_level_is_described_in_plain_words_with_not_sure_yet(
    personas: Personas, pms: list[Node]
) -> None:
    client = personas.client_for(personas.manager)
    client.post(url("start", personas.manager))
    assessment = SelfAssessment.objects.get()
    page = text(client.get(url("rate", personas.manager, assessment_id=assessment.pk, page=1)))
    for words in (
        "0 Not yet I have not had the chance to do this",
        "1 Aware I know what it involves but rarely do it",
        "2 Developing I do this with support or now and then",
        "3 Confident I do this well and consistently on my own",
        "4 Leading I do this in complex situations and help others to",
        "Not sure yet Leave it for now and come back to it.",
    ):
        assert words in page
    assert "Save and continue" in page and "Save and come back later" in page


def test_a_short_pms_is_rated_on_a_single_page(personas: Personas) -> None:
    _e, _d, outcomes = make_framework("SP", domains=3, outcomes=2)
    make_pms(personas.manager, personas.org, outcomes)
    client = personas.client_for(personas.manager)
    response = client.post(url("start", personas.manager))
    page = text(client.get(response["Location"]))
    assert "Rate yourself" in page and "page 1 of" not in page
    for code in ("SP1 Domain 1", "SP2 Domain 2", "SP3 Domain 3"):
        assert code in page
    assessment = SelfAssessment.objects.get()
    assert (
        client.get(url("rate", personas.manager, assessment_id=assessment.pk, page=2)).status_code
        == 404
    )


def test_a_completed_round_cannot_be_rated_again(personas: Personas, pms: list[Node]) -> None:
    assessment = make_assessment(revision=personas.manager.specifications.get().current)
    rate_all(assessment, [2] * 14, pms, submit=True)
    client = personas.client_for(personas.manager)
    page1 = url("rate", personas.manager, assessment_id=assessment.pk, page=1)
    response = client.post(page1, page_data(pms[:7], 4))
    assert response["Location"] == url("detail", personas.manager, assessment_id=assessment.pk)
    assert set(Rating.objects.values_list("level", flat=True)) == {2}
    answers = text(client.get(response["Location"]))
    assert "Self-assessment completed" in answers
    assert "2 \u2013 Developing: I do this with support or now and then" in answers


def test_a_manager_without_a_pms_is_told_what_to_do(personas: Personas) -> None:
    client = personas.client_for(personas.manager)
    assert "You need a person management specification (PMS)" in text(
        client.get(url("list", personas.manager))
    )
    response = client.post(url("start", personas.manager), follow=True)
    assert (
        "You do not have a person management specification (PMS) in Brightwater Care yet"
        in text(response)
    )
    assert not SelfAssessment.objects.exists()


def test_the_list_keeps_every_round_with_its_dates(personas: Personas, pms: list[Node]) -> None:
    revision = personas.manager.specifications.get().current
    for _ in range(3):
        rate_all(make_assessment(revision=revision), [1] * 14, pms, submit=True)
    open_round = make_assessment(revision=revision)
    rate_all(open_round, [1] * 5, pms[:5])
    page = text(personas.client_for(personas.manager).get(url("list", personas.manager)))
    assert page.count("Completed") >= 3
    assert "In progress" in page and "5 of 14 rated" in page
    assert "Continue your self-assessment" in page
    assert "Start a new self-assessment" not in page


# --- the gap analysis ---------------------------------------------------------------------


@pytest.fixture
def mapped(personas: Personas) -> dict[str, Any]:
    """A PMS of three domains with a mapping from one competence and one domain to CLF."""
    _e, domains, outcomes = make_framework("MM", domains=3, outcomes=2)
    clf = EditionFactory(
        framework=FrameworkFactory(slug="clf", title="CLF leadership capabilities")
    )
    c3 = make_node(edition=clf, parent=None, code="C3", title="Motivating and inspiring others")
    c1 = make_node(edition=clf, parent=None, code="C1", title="Vision")
    AssociationFactory(origin=outcomes[0], destination=c3, association_type="isRelatedTo")
    AssociationFactory(origin=domains[1], destination=c1, association_type="exactMatchOf")
    revision = make_pms(
        personas.manager,
        personas.org,
        outcomes,
        expected=[3, 3, 2, 4, 1, 2],
        importance=[3, 1, 2, 2, 1, 3],
    )
    previous = make_assessment(revision=revision)
    rate_all(previous, [1, 3, 2, 1, 1, 2], outcomes, submit=True)
    assessment = make_assessment(revision=revision)
    rate_all(assessment, [2, 3, 0, 1, 1, 2], outcomes, submit=True)
    return {
        "outcomes": outcomes,
        "domains": domains,
        "assessment": assessment,
        "previous": previous,
    }


def test_the_gap_page_has_both_charts_and_accessible_tables_sorted_by_priority(
    personas: Personas, mapped: dict[str, Any]
) -> None:
    response = personas.client_for(personas.manager).get(
        url("gaps", personas.manager, assessment_id=mapped["assessment"].pk)
    )
    html = response.content.decode()
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2
    assert html.count('role="img"') >= 2
    assert "<script" not in "".join(re.findall(r"<svg.*?</svg>", html, flags=re.S))
    assert "Gaps by domain, highest total priority first</caption>" in html
    assert "Gaps by competence, highest priority first</caption>" in html
    assert 'scope="col"' in html and 'scope="row"' in html
    competence_table = html.split('id="gaps-by-competence"')[1].split("</table>")[0]
    # gaps: MM2.02 (4-1)*2 = 6, MM1.01 (3-2)*3 = 3, MM2.01 (2-0)*2 = 4; the rest none.
    codes = re.findall(r'<span class="waymark-code">(MM\d\.\d\d)</span>', competence_table)
    assert codes[:3] == ["MM2.02", "MM2.01", "MM1.01"]
    domain_table = html.split('id="gaps-by-domain"')[1].split("</table>")[0]
    assert domain_table.index("MM2 Domain 2") < domain_table.index("MM1 Domain 1")
    assert "Highest priorities" in text(response)


def test_the_gap_page_says_what_each_competence_counts_towards(
    personas: Personas, mapped: dict[str, Any]
) -> None:
    page = text(
        personas.client_for(personas.manager).get(
            url("gaps", personas.manager, assessment_id=mapped["assessment"].pk)
        )
    )
    assert (
        "Counts towards CLF leadership capabilities: C3 Motivating and inspiring others (related)"
        in page
    )
    assert "CLF leadership capabilities: C1 Vision (exact match)" in page


def test_the_rating_form_says_what_each_competence_counts_towards(
    personas: Personas, mapped: dict[str, Any]
) -> None:
    SelfAssessment.objects.all().delete()
    client = personas.client_for(personas.manager)
    response = client.post(url("start", personas.manager))
    page = text(client.get(response["Location"]))
    assert (
        "Counts towards CLF leadership capabilities: C3 Motivating and inspiring others (related)"
        in page
    )
    assert "This domain counts towards CLF leadership capabilities: C1 Vision (exact match)" in page


def test_the_gap_page_shows_progress_since_the_previous_round_in_words(
    personas: Personas, mapped: dict[str, Any]
) -> None:
    page = text(
        personas.client_for(personas.manager).get(
            url("gaps", personas.manager, assessment_id=mapped["assessment"].pk)
        )
    )
    assert "Compared with the round completed" in page
    assert "1 competence rated higher" in page  # MM1.01 1 → 2
    assert "1 competence rated lower" in page  # MM2.01 2 → 0
    assert "4 competences rated the same" in page
    assert "Up 1 level" in page and "Down 2 levels" in page and "No change" in page
    assert "Down 1 on average" in page  # MM2: (2 + 1) / 2 → (0 + 1) / 2


def test_the_first_round_says_progress_will_show_next_time(
    personas: Personas, mapped: dict[str, Any]
) -> None:
    page = text(
        personas.client_for(personas.manager).get(
            url("gaps", personas.manager, assessment_id=mapped["previous"].pk)
        )
    )
    assert "This is the first completed round" in page


def test_plan_for_these_gaps_asks_the_planning_page_for_the_chosen_nodes(
    personas: Personas, mapped: dict[str, Any]
) -> None:
    client = personas.client_for(personas.manager)
    html = client.get(
        url("gaps", personas.manager, assessment_id=mapped["assessment"].pk)
    ).content.decode()
    target = reverse(
        "planning:objective_new",
        kwargs={"org_slug": "brightwater", "person_id": personas.manager.pk},
    )
    assert f'<form method="get" action="{target}"' in html
    outcomes = mapped["outcomes"]
    boxes = re.findall(r'name="node" type="checkbox" value="(\d+)"', html)
    assert sorted(int(b) for b in boxes) == sorted([outcomes[0].pk, outcomes[2].pk, outcomes[3].pk])
    assert "Plan for the chosen gaps" in html


def test_the_plan_button_is_hidden_while_the_planning_page_does_not_exist(
    personas: Personas, mapped: dict[str, Any]
) -> None:
    real_reverse = reverse

    def without_planning(name: str, *args: Any, **kwargs: Any) -> str:
        if name.startswith("planning:"):
            raise NoReverseMatch(name)
        return real_reverse(name, *args, **kwargs)

    with mock.patch("waymark.assessment.views.reverse", side_effect=without_planning):
        response = personas.client_for(personas.manager).get(
            url("gaps", personas.manager, assessment_id=mapped["assessment"].pk)
        )
    assert response.status_code == 200
    assert 'name="node"' not in response.content.decode()
    assert "Plan for the chosen gaps" not in response.content.decode()


def test_a_supervisor_sees_the_gaps_but_no_plan_button(
    personas: Personas, mapped: dict[str, Any]
) -> None:
    supervise(personas)
    html = (
        personas.client_for(personas.supervisor)
        .get(url("gaps", personas.manager, assessment_id=mapped["assessment"].pk))
        .content.decode()
    )
    assert "Gaps by competence" in html
    assert 'name="node"' not in html


def test_the_manager_sees_provisional_gaps_of_a_round_in_progress(
    personas: Personas, pms: list[Node]
) -> None:
    assessment = make_assessment(revision=personas.manager.specifications.get().current)
    rate_all(assessment, [0, 1], pms[:2])
    page = text(
        personas.client_for(personas.manager).get(
            url("gaps", personas.manager, assessment_id=assessment.pk)
        )
    )
    assert "still in progress: you have rated 2 of 14 competences" in page
    assert "Not rated yet" in page


# --- who sees what ------------------------------------------------------------------------


@pytest.fixture
def rounds(personas: Personas, pms: list[Node]) -> dict[str, SelfAssessment]:
    revision = personas.manager.specifications.get().current
    done = make_assessment(revision=revision)
    rate_all(done, [2] * 14, pms, submit=True)
    draft = make_assessment(revision=revision)
    rate_all(draft, [1] * 3, pms[:3])
    return {"done": done, "draft": draft}


def _pages(person: User, assessment: SelfAssessment) -> list[str]:
    return [
        url("list", person),
        url("detail", person, assessment_id=assessment.pk),
        url("gaps", person, assessment_id=assessment.pk),
    ]


@pytest.mark.parametrize("who", ["supervisor", "ld_lead", "admin"])
def test_supervisor_ld_lead_and_admin_see_completed_rounds_but_never_a_draft(
    personas: Personas, rounds: dict[str, SelfAssessment], who: str
) -> None:
    supervise(personas)
    client = personas.client_for(getattr(personas, who))
    for page in _pages(personas.manager, rounds["done"]):
        assert client.get(page).status_code == 200, page
    listing = text(client.get(url("list", personas.manager)))
    assert "In progress" not in listing and "Completed" in listing
    assert "Start a new self-assessment" not in listing and "Start your" not in listing
    for page in _pages(personas.manager, rounds["draft"])[1:]:
        assert client.get(page).status_code == 404, page
    draft_page = url("rate", personas.manager, assessment_id=rounds["draft"].pk, page=1)
    assert client.get(draft_page).status_code == 403
    assert client.post(url("start", personas.manager)).status_code == 403
    # Viewing is not changing: completing someone else's round is forbidden.
    assert (
        client.post(url("detail", personas.manager, assessment_id=rounds["done"].pk)).status_code
        == 403
    )


@pytest.mark.parametrize("kind", ["mentor", "coach"])
def test_mentors_and_coaches_are_not_shown_self_assessments(
    personas: Personas, rounds: dict[str, SelfAssessment], kind: str
) -> None:
    supervise(personas, kind=kind)
    client = personas.client_for(personas.supervisor)
    for page in _pages(personas.manager, rounds["done"]):
        assert client.get(page).status_code == 403, page
    person_page = text(
        client.get(
            reverse(
                "organisations:person",
                kwargs={"org_slug": "brightwater", "person_id": personas.manager.pk},
            )
        )
    )
    assert "Self-assessment and gaps" not in person_page


def test_a_colleague_or_a_supervisor_of_someone_else_gets_not_found(
    personas: Personas, rounds: dict[str, SelfAssessment]
) -> None:
    colleague = make_member(personas.org)
    for user in (colleague, personas.supervisor):  # the supervisor supervises nobody yet
        client = personas.client_for(user)
        for page in _pages(personas.manager, rounds["done"]):
            assert client.get(page).status_code == 404, (user, page)


def test_an_outsider_gets_not_found_everywhere(
    personas: Personas, rounds: dict[str, SelfAssessment]
) -> None:
    client = personas.client_for(personas.outsider)
    for page in _pages(personas.manager, rounds["done"]):
        assert client.get(page).status_code == 404
    # Nor can a round be reached through the wrong person or organisation.
    assert (
        client.get(url("gaps", personas.outsider, assessment_id=rounds["done"].pk)).status_code
        == 404
    )
    other = f"/o/elsewhere/people/{personas.outsider.pk}/assessments/{rounds['done'].pk}/gaps/"
    assert client.get(other).status_code == 404


def test_a_round_is_found_only_under_its_own_manager(
    personas: Personas, rounds: dict[str, SelfAssessment]
) -> None:
    supervise(personas)
    # The supervisor asks for Maya's round under her own person id: not found.
    response = personas.client_for(personas.supervisor).get(
        url("gaps", personas.supervisor, assessment_id=rounds["done"].pk)
    )
    assert response.status_code == 404


# --- dashboard card and person section -----------------------------------------------------


def test_the_dashboard_card_starts_continues_and_links_to_the_latest_gaps(
    personas: Personas, pms: list[Node]
) -> None:
    client = personas.client_for(personas.manager)
    dashboard = reverse("organisations:dashboard", kwargs={"org_slug": "brightwater"})
    page = text(client.get(dashboard))
    assert "Your self-assessment" in page and "Start your self-assessment" in page
    client.post(url("start", personas.manager))
    assessment = SelfAssessment.objects.get()
    rate_all(assessment, [3] * 4, pms[:4])
    page = text(client.get(dashboard))
    assert "4 of 14 competences rated" in page and "Continue your self-assessment" in page
    Rating.objects.all().delete()
    rate_all(assessment, [3] * 14, pms, submit=True)
    html = client.get(dashboard).content.decode()
    assert url("gaps", personas.manager, assessment_id=assessment.pk) in html
    assert "Start a new self-assessment" in html


def test_the_dashboard_card_is_for_managers(personas: Personas) -> None:
    page = text(
        personas.client_for(personas.ld_lead).get(
            reverse("organisations:dashboard", kwargs={"org_slug": "brightwater"})
        )
    )
    assert "Your self-assessment" not in page


def test_the_person_page_shows_a_supervisor_the_latest_completed_round(
    personas: Personas, mapped: dict[str, Any]
) -> None:
    supervise(personas)
    draft = make_assessment(revision=mapped["assessment"].revision)
    rate_all(draft, [0] * 6, mapped["outcomes"])
    person = reverse(
        "organisations:person", kwargs={"org_slug": "brightwater", "person_id": personas.manager.pk}
    )
    response = personas.client_for(personas.supervisor).get(person)
    page = text(response)
    assert "Self-assessment and gaps" in page
    assert "Highest-priority gaps:" in page
    assert "MM2.02" in page
    assert (
        url("gaps", personas.manager, assessment_id=mapped["assessment"].pk)
        in response.content.decode()
    )
    assert str(draft.pk) not in re.findall(r"assessments/(\d+)/", response.content.decode())


def test_the_person_page_shows_the_manager_her_round_in_progress(
    personas: Personas, pms: list[Node]
) -> None:
    client = personas.client_for(personas.manager)
    client.post(url("start", personas.manager))
    person = reverse(
        "organisations:person", kwargs={"org_slug": "brightwater", "person_id": personas.manager.pk}
    )
    page = text(client.get(person))
    assert "Your self-assessment is in progress" in page and "0 of 14 competences rated" in page


# --- query counts ---------------------------------------------------------------------------


def _manager_with_rounds(
    personas: Personas, competences: int, rounds: int = 4
) -> tuple[User, SelfAssessment]:
    """A new manager whose PMS has `competences` competences over 8 domains (mapped to
    another framework), with `rounds` completed rounds; returns her and the latest."""
    manager = make_member(personas.org)
    prefix = f"Q{competences}"
    _e, domains, outcomes = make_framework(prefix, domains=8, outcomes=competences // 8 + 1)
    outcomes = outcomes[:competences]
    clf = EditionFactory(framework=FrameworkFactory(slug=f"clf-{competences}", title="CLF"))
    for i, node in enumerate(outcomes[:: max(1, competences // 10)]):
        AssociationFactory(
            origin=node, destination=make_node(edition=clf, parent=None, code=f"C{i}")
        )
    for domain in domains:
        AssociationFactory(origin=domain, destination=make_node(edition=clf, parent=None))
    revision = make_pms(
        manager,
        personas.org,
        outcomes,
        expected=3,
        importance=[1 + i % 3 for i in range(competences)],
    )
    latest = None
    for r in range(rounds):
        latest = make_assessment(revision=revision)
        rate_all(latest, [(i + r) % 5 for i in range(competences)], outcomes, submit=True)
    assert latest is not None
    return manager, latest


def _count(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "page",
    [
        lambda m, a: url("gaps", m, assessment_id=a.pk),
        lambda m, a: url("detail", m, assessment_id=a.pk),
        lambda m, a: url("list", m),
        lambda m, a: reverse(
            "organisations:person", kwargs={"org_slug": "brightwater", "person_id": m.pk}
        ),
    ],
    ids=["gaps", "detail", "list", "person"],
)
def test_pages_take_the_same_number_of_queries_for_10_and_80_competences(
    personas: Personas, page: Callable[[User, SelfAssessment], str]
) -> None:
    small, small_round = _manager_with_rounds(personas, 10)
    large, large_round = _manager_with_rounds(personas, 80)
    small_count = _count(personas.client_for(small), page(small, small_round))
    large_count = _count(personas.client_for(large), page(large, large_round))
    assert small_count == large_count
    assert large_count <= 25


def test_the_gap_page_for_80_competences_and_4_rounds_stays_within_its_query_budget(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    manager, latest = _manager_with_rounds(personas, 80)
    client = personas.client_for(manager)
    with django_assert_max_num_queries(20):
        assert client.get(url("gaps", manager, assessment_id=latest.pk)).status_code == 200


def test_a_rating_page_takes_the_same_number_of_queries_for_a_small_and_a_large_domain(
    personas: Personas,
) -> None:
    counts = []
    for size in (10, 40):
        manager = make_member(personas.org)
        _e, _d, outcomes = make_framework(f"R{size}", domains=2, outcomes=size)
        revision = make_pms(manager, personas.org, outcomes)
        assessment = make_assessment(revision=revision)
        rate_all(assessment, [1] * 5, outcomes[:5])
        counts.append(
            _count(
                personas.client_for(manager),
                url("rate", manager, assessment_id=assessment.pk, page=1),
            )
        )
    assert counts[0] == counts[1]
