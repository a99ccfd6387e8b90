"""The synthetic population: reproducible from its seed, refuses bad arguments in plain
words, and usable by the app (gap analysis, the organisation's reports)."""

from __future__ import annotations

import random
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from waymark.accounts.models import User
from waymark.assessment.models import Rating, SelfAssessment
from waymark.assessment.selectors import gap_analysis
from waymark.core.synthetic import SyntheticError, generate, spread_managers
from waymark.cpd.models import Entry
from waymark.organisations.models import Membership, Organisation, Role, SupportRelationship
from waymark.profiles.models import SpecCompetence, Specification
from waymark.programmes.models import Attendance
from waymark.workforce.models import DiversityAnswers, WorkforceRecord

pytestmark = pytest.mark.django_db

SMALL: dict[str, Any] = {"organisations": 3, "managers": 40, "largest": 20}


class _Rollback(Exception):
    pass


def snapshot() -> dict[str, Any]:
    """What a run produced, in values that do not depend on primary keys."""
    return {
        "organisations": list(
            Organisation.objects.filter(slug__startswith="synthetic-")
            .order_by("slug")
            .values_list("slug", "name", "sector", "size_band", "region")
        ),
        "people": list(
            User.objects.filter(email__endswith="@example.invalid")
            .order_by("email")
            .values_list("email", "full_name")
        ),
        "workforce": list(
            WorkforceRecord.objects.order_by("user__email").values_list(
                "user__email", "manager_level", "service_area", "team__name"
            )
        ),
        "ratings": list(
            Rating.objects.order_by(
                "assessment__manager__email", "assessment__submitted_at", "node__path"
            ).values_list(
                "assessment__manager__email", "assessment__submitted_at", "node__code", "level"
            )[:300]
        ),
        "cpd": list(
            Entry.objects.order_by("manager__email", "date", "title", "hours").values_list(
                "manager__email", "date", "title", "hours", "visibility", "source"
            )
        ),
        "counts": {
            model.__name__: model.objects.count()
            for model in (
                Membership,
                SupportRelationship,
                Specification,
                SpecCompetence,
                SelfAssessment,
                Rating,
                Entry,
                Attendance,
                DiversityAnswers,
            )
        },
    }


def run_and_forget(**kwargs: Any) -> dict[str, Any]:
    """Generate, take a snapshot, and roll everything back (a fresh database again)."""
    taken: dict[str, Any] = {}
    try:
        with transaction.atomic():
            generate(**kwargs)
            taken = snapshot()
            raise _Rollback
    except _Rollback:
        pass
    assert not Organisation.objects.filter(slug__startswith="synthetic-").exists()
    return taken


def test_the_same_seed_gives_the_same_population_and_another_seed_another() -> None:
    first = run_and_forget(seed=7, **SMALL)
    second = run_and_forget(seed=7, **SMALL)
    assert first["counts"]["Rating"] > 0
    assert first == second
    other = run_and_forget(seed=8, **SMALL)
    assert other["people"] != first["people"]


def test_the_command_prints_counts_and_time() -> None:
    out = StringIO()
    call_command("generate_synthetic", organisations=2, managers=12, seed=3, stdout=out)
    text = out.getvalue()
    assert "ratings:" in text
    assert "Generated 12 managers in 2 organisations in" in text
    assert Organisation.objects.filter(slug__startswith="synthetic-3-").count() == 2


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"organisations": 0, "managers": 5}, "--organisations must be at least 1"),
        ({"organisations": 5, "managers": 3}, "must be at least --organisations"),
        ({"organisations": 2, "managers": 10, "seed": -1}, "--seed must be 0 or more"),
        ({"organisations": 3, "managers": 10, "largest": 9}, "leaves too few"),
        ({"organisations": 1, "managers": 10, "largest": 4}, "must equal --managers"),
        (
            {"organisations": 1, "managers": 3, "base_date": "31/10/2026"},
            "--base-date must be a date",
        ),
    ],
)
def test_it_refuses_bad_arguments_in_plain_words(arguments: dict[str, Any], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("generate_synthetic", stdout=StringIO(), **arguments)
    assert not Organisation.objects.filter(slug__startswith="synthetic-").exists()


def test_it_refuses_the_same_seed_twice_unless_asked_to_skip() -> None:
    generate(organisations=1, managers=3, seed=4)
    with pytest.raises(SyntheticError, match="already holds synthetic organisations of seed 4"):
        generate(organisations=1, managers=3, seed=4)
    out = StringIO()
    call_command(
        "generate_synthetic", organisations=1, managers=3, seed=4, only_if_empty=True, stdout=out
    )
    assert "nothing done" in out.getvalue()
    assert Organisation.objects.filter(slug__startswith="synthetic-").count() == 1


def test_the_largest_organisation_holds_exactly_the_managers_asked_for() -> None:
    plan = spread_managers(organisations=50, managers=2000, largest=500, rng=random.Random(1))
    assert plan[0] == ("large", 500)
    assert sum(count for _, count in plan) == 2000
    assert all(count >= 1 for _, count in plan)
    assert {band for band, _ in plan} >= {"micro", "small", "medium"}


def test_the_population_is_usable_by_the_app() -> None:
    result = generate(seed=5, **SMALL)
    org = Organisation.objects.get(slug=result.organisation_slugs[0])
    managers = Membership.objects.filter(organisation=org, role=Role.MANAGER)
    assert managers.count() == 20
    assert Membership.objects.filter(organisation=org, role=Role.LD_LEAD).count() == 1
    assert SupportRelationship.objects.filter(organisation=org).exists()
    manager = managers.first().user  # type: ignore[union-attr]
    assert not manager.has_usable_password()
    spec = Specification.objects.get(organisation=org, manager=manager)
    assert spec.current is not None
    assert 20 <= spec.current.competences.count() <= 40
    latest = SelfAssessment.objects.filter(manager=manager).order_by("-submitted_at").first()
    assert latest is not None and latest.submitted_at is not None
    analysis = gap_analysis(latest)
    assert len(analysis.rows) == spec.current.competences.count()
    assert all(row.self_level is not None for row in analysis.rows)
    # Ratings improve between rounds on average.
    by_round: dict[int, list[int]] = {}
    for a in SelfAssessment.objects.filter(organisation=org).order_by("manager", "submitted_at"):
        k = SelfAssessment.objects.filter(
            manager=a.manager, submitted_at__lt=a.submitted_at
        ).count()
        by_round.setdefault(k, []).extend(
            level for level in a.ratings.values_list("level", flat=True) if level is not None
        )
    assert 1 in by_round
    assert sum(by_round[1]) / len(by_round[1]) > sum(by_round[0]) / len(by_round[0])
    assert Entry.objects.filter(manager=manager).count() >= 2
    assert Attendance.objects.filter(session__programme__organisation=org).exists()


def test_the_organisation_reports_build_from_synthetic_data() -> None:
    registry = pytest.importorskip("waymark.reports.registry")
    reports = registry.get_reports()
    if not reports:
        pytest.skip("no reports registered yet")
    result = generate(seed=6, **SMALL)
    org = Organisation.objects.get(slug=result.organisation_slugs[0])
    for name, spec in reports.items():
        report = spec.build(registry.ReportScope(organisation=org))
        assert report.name == name
        if spec.national:
            spec.build(registry.ReportScope(organisation=None))
