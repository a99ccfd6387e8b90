"""Each report's figures on a small known population."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from waymark.accounts.models import User
from waymark.conftest import Personas
from waymark.core.tests.factories import MembershipFactory, UserFactory
from waymark.cpd.models import Entry, Visibility
from waymark.profiles.models import Revision, RoleCompetence, RoleProfile, RoleQualification
from waymark.reports.builders import (
    cpd_activity,
    diversity,
    qualification_coverage,
    succession,
    trends,
    workforce,
)
from waymark.reports.registry import Report, ReportScope, Table
from waymark.reports.tests.factories import Population, add_manager, population
from waymark.signposting.models import Qualification
from waymark.workforce.models import DiversityAnswers, QualificationRecord

pytestmark = pytest.mark.django_db


def _row(table: Table, label_part: str) -> list[float | int | None]:
    return next([c.value for c in cells] for label, cells in table.rows if label_part in label)


def _managers(personas: Personas, n: int, levels: list[int | None] | None = None) -> Population:
    pop = population(personas.org)
    for _i in range(n):
        add_manager(pop, self_levels=levels or [1, 2, 3, 3])
    return pop


def _scope(personas: Personas) -> ReportScope:
    return ReportScope(organisation=personas.org)


# --- qualification coverage ---------------------------------------------------------------


def test_qualification_coverage_counts_held_studying_and_needed(personas: Personas) -> None:
    pop = _managers(personas, 7)
    svq = Qualification.objects.create(slug="svq4", title="SVQ 4 Leadership", awarding_body="SQA")
    for i, user in enumerate(pop.managers):
        QualificationRecord.objects.create(
            organisation=pop.org,
            user=user,
            qualification=svq,
            status="held" if i < 5 else "studying",
        )
    profile = RoleProfile.objects.create(
        organisation=pop.org, title="Registered manager", manager_level="middle"
    )
    RoleQualification.objects.create(role_profile=profile, title="SVQ 4 Leadership")
    RoleQualification.objects.create(role_profile=profile, title="First aid")
    Revision.objects.filter(specification__organisation=pop.org).update(role_profile=profile)
    report = qualification_coverage(_scope(personas))
    # SVQ: 5 hold it, 2 study (hidden, and the next smallest in its row with it), 7 need it
    assert _row(report.tables[0], "SVQ 4") == [None, None, 7]
    assert _row(report.tables[0], "First aid") == [None, None, 7]
    assert report.people_count == 7


# --- CPD activity ------------------------------------------------------------------------


def _entry(
    pop: Population, user: User, *, visibility: str, hours: str = "2", **kw: object
) -> Entry:
    return Entry.objects.create(
        organisation=pop.org,
        manager=user,
        date=timezone.localdate(),
        activity_type="e-learning",
        title="Safeguarding update",
        hours=Decimal(hours),
        visibility=visibility,
        what_learnt="A private reflection",
        **kw,
    )


def test_cpd_activity_counts_shared_and_programme_entries_never_private_ones(
    personas: Personas,
) -> None:
    pop = _managers(personas, 6)
    for user in pop.managers:
        _entry(pop, user, visibility=Visibility.SUPPORTERS)
        _entry(pop, user, visibility=Visibility.PRIVATE, hours="50")
    _entry(pop, pop.managers[0], visibility=Visibility.PRIVATE, source="programme", hours="3")
    report = cpd_activity(_scope(personas))
    entries, hours = report.tables
    month = timezone.localdate().strftime("%b %Y")
    column = entries.columns.index("E-learning")
    assert _row(entries, month)[column] == 7
    assert _row(hours, month)[column] == 15.0
    assert _row(entries, month)[-1] == 7
    assert report.people_count == 6
    assert any("Private entries and all reflections never feed" in n for n in report.notes)


def test_cpd_activity_hides_a_month_of_fewer_than_five_managers(personas: Personas) -> None:
    pop = _managers(personas, 6)
    for user in pop.managers:
        _entry(pop, user, visibility=Visibility.SUPPORTERS)
    Entry.objects.filter(manager__in=pop.managers[:2]).update(activity_type="coaching")
    report = cpd_activity(_scope(personas))
    month = timezone.localdate().strftime("%b %Y")
    entries = report.tables[0]
    row = _row(entries, month)
    assert row[entries.columns.index("Coaching")] is None
    assert row[entries.columns.index("E-learning")] is None  # complementary
    assert row[-1] == 6


# --- succession ---------------------------------------------------------------------------


def test_succession_counts_ready_and_close_managers_and_the_gaps_of_those_close(
    personas: Personas,
) -> None:
    pop = population(personas.org)
    for _i in range(5):
        add_manager(pop, self_levels=[3, 3, 3, 3])  # ready
    for _i in range(6):
        add_manager(pop, self_levels=[1, 3, 3, 3])  # one gap: close
    for _i in range(5):
        add_manager(pop, self_levels=[0, 0, 0, 3])  # three gaps: neither
    profile = RoleProfile.objects.create(
        organisation=pop.org, title="Service manager", manager_level="senior"
    )
    for node in pop.fw.competences:
        RoleCompetence.objects.create(
            role_profile=profile, node=node, expected_level=3, importance=2
        )
    RoleProfile.objects.create(
        organisation=pop.org, title="Archived", manager_level="senior", archived=True
    )
    report = succession(_scope(personas))
    ready = report.tables[0]
    assert [label for label, _c in ready.rows] == ["Service manager"]
    assert _row(ready, "Service manager") == [5, 6]
    gaps = report.tables[1]
    assert _row(gaps, "D1.1") == [6]
    assert _row(gaps, "D1.2") == [None]  # nobody close has that gap: hidden, never 0
    assert "Maya" not in str(report.as_json())


# --- trends -------------------------------------------------------------------------------


def test_trends_show_the_mean_gap_by_domain_per_half_year(personas: Personas) -> None:
    pop = population(personas.org)
    january = timezone.make_aware(dt.datetime(2025, 2, 10, 12))
    july = timezone.make_aware(dt.datetime(2025, 9, 10, 12))
    for _i in range(5):
        user = add_manager(pop, self_levels=[1, 1, 3, 3], submitted=january)
        rev = user.specifications.get().current
        from waymark.reports.tests.factories import add_round

        add_round(pop, user, rev, [2, 3, 3, 3], submitted=july)  # type: ignore[arg-type]
    add_manager(
        pop, self_levels=[0, 0, 0, 0], submitted=timezone.make_aware(dt.datetime(2026, 3, 1))
    )
    report = trends(_scope(personas))
    table = report.tables[0]
    assert table.columns == [
        "January to June 2025",
        "July to December 2025",
        "January to June 2026",
    ]
    assert _row(table, "Domain 1") == [2.0, 0.5, None]
    assert _row(table, "Domain 2") == [0.0, 0.0, None]


# --- workforce and diversity --------------------------------------------------------------


def test_workforce_counts_managers_by_level_and_service_area(personas: Personas) -> None:
    from waymark.workforce.models import WorkforceRecord

    pop = _managers(personas, 12)
    WorkforceRecord.objects.filter(user__in=pop.managers).update(service_area="justice")
    report = workforce(_scope(personas))
    table = report.tables[0]
    justice = table.columns.index("Justice")
    assert _row(table, "Middle manager")[justice] == 12
    assert _row(table, "All")[-1] == 12
    assert len(report.tables) == 1


def test_diversity_counts_each_answer_and_hides_small_ones_even_prefer_not_to_say(
    personas: Personas,
) -> None:
    answers = ["woman"] * 6 + ["man"] * 5 + ["prefer-not"] * 3 + ["non-binary"] * 2
    for i, gender in enumerate(answers):
        u = UserFactory.create(email=f"d{i}@example.org")
        MembershipFactory.create(organisation=personas.org, user=u, role="manager")
        DiversityAnswers.objects.create(user=u, gender=gender, age_band="")
    # someone in another organisation only is never counted
    other = UserFactory.create(email="x@example.org")
    MembershipFactory.create(organisation=personas.other_org, user=other, role="manager")
    DiversityAnswers.objects.create(user=other, gender="man")
    report = diversity(_scope(personas))
    gender_table = report.tables[0]
    assert _row(gender_table, "Woman") == [6]
    assert _row(gender_table, "Man") == [5]
    # 3 and 2 are both hidden, so 16 - 6 - 5 gives only their sum
    assert _row(gender_table, "Prefer not to say") == [None]
    assert _row(gender_table, "Non-binary") == [None]
    assert _row(report.tables[3], "Not answered") == [16]
    assert report.people_count == 16


def test_a_report_of_an_organisation_with_four_people_hides_everything(personas: Personas) -> None:
    _managers(personas, 4)
    report: Report = workforce(_scope(personas))
    assert report.people_count is None
    assert all(c.suppressed for t in report.tables for _l, cells in t.rows for c in cells)


# --- pages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "learning-needs",
        "qualification-coverage",
        "cpd-activity",
        "succession",
        "trends",
        "workforce",
        "diversity",
    ],
)
def test_every_report_page_opens_for_the_ld_lead_and_admin(personas: Personas, name: str) -> None:
    _managers(personas, 6)
    url = reverse("reports:report", kwargs={"org_slug": "brightwater", "name": name})
    for user in (personas.ld_lead, personas.admin):
        response = personas.client_for(user).get(url)
        assert response.status_code == 200
        assert "What is hidden and why" in response.content.decode()


def test_managers_and_supervisors_are_refused_the_reports(personas: Personas) -> None:
    url = reverse("reports:index", kwargs={"org_slug": "brightwater"})
    assert personas.client_for(personas.manager).get(url).status_code == 403
    assert personas.client_for(personas.supervisor).get(url).status_code == 403
    assert personas.client_for(personas.outsider).get(url).status_code == 404


def test_the_index_lists_every_report_and_the_dashboard_links_to_it(personas: Personas) -> None:
    client = personas.client_for(personas.ld_lead)
    page = client.get(reverse("reports:index", kwargs={"org_slug": "brightwater"})).content.decode()
    for name in ("learning-needs", "succession", "diversity"):
        assert reverse("reports:report", kwargs={"org_slug": "brightwater", "name": name}) in page
    dashboard = client.get(reverse("organisations:dashboard", kwargs={"org_slug": "brightwater"}))
    assert (
        reverse("reports:index", kwargs={"org_slug": "brightwater"}) in dashboard.content.decode()
    )
    manager_dash = personas.client_for(personas.manager).get(
        reverse("organisations:dashboard", kwargs={"org_slug": "brightwater"})
    )
    assert 'id="reports-card"' not in manager_dash.content.decode()


def test_an_unknown_report_is_not_found(personas: Personas) -> None:
    url = reverse("reports:report", kwargs={"org_slug": "brightwater", "name": "salaries"})
    assert personas.client_for(personas.ld_lead).get(url).status_code == 404


@pytest.mark.parametrize(
    "name",
    ["qualification-coverage", "cpd-activity", "succession", "trends", "workforce", "diversity"],
)
@pytest.mark.parametrize("n", [6, 30])
def test_each_report_page_takes_a_fixed_number_of_queries(
    personas: Personas, name: str, n: int, django_assert_max_num_queries: object
) -> None:
    pop = _managers(personas, n)
    profile = RoleProfile.objects.create(organisation=pop.org, title="Lead", manager_level="senior")
    for node in pop.fw.competences:
        RoleCompetence.objects.create(
            role_profile=profile, node=node, expected_level=3, importance=2
        )
    url = reverse("reports:report", kwargs={"org_slug": "brightwater", "name": name})
    client = personas.client_for(personas.ld_lead)
    client.get(url)
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        client.get(url)
