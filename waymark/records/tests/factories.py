"""A manager's whole journey, built quickly for the record's tests and its benchmark:
a PMS revision with competences, submitted self-assessment rounds, a development plan
with objectives, activities, milestones and comments, and a CPD log with reflections
and evidence metadata. Rows are written directly (bulk where it matters); the other
apps' services are tested in those apps."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.management import call_command
from django.utils import timezone

from waymark.accounts.models import User
from waymark.assessment.models import Rating, SelfAssessment
from waymark.cpd.models import Entry, Evidence, Visibility
from waymark.frameworks.models import Node
from waymark.organisations.models import Organisation, SupportRelationship
from waymark.planning.models import (
    Activity,
    ActivityType,
    Milestone,
    Objective,
    ObjectiveStatus,
    Plan,
    PlanComment,
    PlanLevel,
)
from waymark.profiles.models import (
    Revision,
    SpecBasic,
    SpecCompetence,
    Specification,
    SpecQualification,
)

ACTIVITY_TYPES = [t.value for t in ActivityType]


@dataclass
class Journey:
    manager: User
    organisation: Organisation
    revision: Revision
    nodes: list[Node]
    rounds: list[SelfAssessment]
    plan: Plan | None
    objectives: list[Objective] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)


def shipped_competences(count: int) -> list[Node]:
    """`count` competences from the shipped frameworks: the Middle Manager framework's
    learning outcomes first, then items of the other frameworks. Loads the standards if
    they are not loaded yet."""
    if not Node.objects.filter(edition__framework__slug="middle-manager-llf").exists():
        call_command("load_standards", verbosity=0)
    outcomes = list(
        Node.objects.filter(edition__framework__slug="middle-manager-llf", depth__gt=0)
        .select_related("edition__framework")
        .order_by("path")
    )
    others = list(
        Node.objects.exclude(edition__framework__slug="middle-manager-llf")
        .filter(children__isnull=True)
        .select_related("edition__framework")
        .order_by("edition__framework__slug", "path")
    )
    nodes = (outcomes + others)[:count]
    assert len(nodes) == count, f"only {len(nodes)} competences available"
    return nodes


def support(organisation: Organisation, manager: User, supporter: User, kind: str) -> None:
    SupportRelationship.objects.get_or_create(
        organisation=organisation, manager=manager, supporter=supporter, kind=kind
    )


def build_journey(
    *,
    organisation: Organisation,
    manager: User,
    nodes: list[Node],
    supervisor: User | None = None,
    rounds: int = 2,
    entries: int = 6,
    objectives: int = 3,
    label: str = "",
) -> Journey:
    """`label` goes into every text, so tests can tell two people's journeys apart."""
    now = timezone.now()
    today = timezone.localdate()
    spec = Specification.objects.create(organisation=organisation, manager=manager)
    revision = Revision.objects.create(
        specification=spec,
        number=1,
        job_title=f"Registered manager{label}",
        manager_level="first-line",
        job_description=f"Leads the home's care team of twenty.{label}\nHolds the rota and budget.",
        change_note="Started from the role profile.",
        created_by=manager,
        agreed_by=supervisor,
        agreed_at=now if supervisor else None,
    )
    SpecCompetence.objects.bulk_create(
        SpecCompetence(
            revision=revision,
            node=node,
            expected_level=3 if i % 4 else 4,
            importance=(i % 3) + 1,
        )
        for i, node in enumerate(nodes)
    )
    SpecQualification.objects.create(
        revision=revision, title=f"Level 5 Diploma in Leadership{label}", note="Within two years"
    )
    SpecBasic.objects.create(
        revision=revision, kind="induction", title=f"Safeguarding induction{label}"
    )
    spec.current = revision
    spec.save(update_fields=["current"])

    made: list[SelfAssessment] = []
    for r in range(rounds):
        started = now - datetime.timedelta(days=90 * (rounds - r))
        assessment = SelfAssessment.objects.create(
            organisation=organisation, manager=manager, revision=revision, submitted_at=started
        )
        SelfAssessment.objects.filter(pk=assessment.pk).update(started_at=started)
        assessment.refresh_from_db()
        Rating.objects.bulk_create(
            Rating(
                assessment=assessment,
                node=node,
                level=min(4, (i + r) % 5),
                evidence=f"Evidence note {i}{label}" if i % 5 == 0 else "",
            )
            for i, node in enumerate(nodes)
        )
        made.append(assessment)

    plan = Plan.objects.create(
        organisation=organisation,
        manager=manager,
        title=f"My development plan{label}",
        period_start=today - datetime.timedelta(days=60),
        period_end=today + datetime.timedelta(days=300),
        route="guided",
        ideal_self=f"A calm leader my team trusts.{label}",
        real_self="Good with people, new to budgets.",
        strengths="Knows the residents well.",
        weaknesses="Budgets.",
        opportunities="The council's leadership programme.",
        threats="Staff turnover.",
        agreed_by=supervisor,
        agreed_at=now if supervisor else None,
        changed_at=now - datetime.timedelta(days=1),
    )
    made_objectives = []
    levels = [PlanLevel.OTHER, PlanLevel.QUALIFICATIONS, PlanLevel.BASICS]
    for o in range(objectives):
        objective = Objective.objects.create(
            plan=plan,
            level=levels[o % 3],
            title=f"Objective {o + 1}: lead the rota change{label}",
            specific="Change the rota with the team so that cover gaps close.",
            measure="Fewer gaps in cover over three months.",
            achievable="With the deputy's help and the supervisor's support.",
            relevant="Residents see familiar faces at every shift.",
            target_date=today + datetime.timedelta(days=60 * (o + 1)),
            status=ObjectiveStatus.IN_PROGRESS if o % 2 else ObjectiveStatus.NOT_STARTED,
            support_needed="Time in supervision.",
            sequence=o,
        )
        objective.nodes.set(nodes[o : o + 2])
        Activity.objects.create(
            objective=objective,
            activity_type=ACTIVITY_TYPES[o % len(ACTIVITY_TYPES)],
            description=f"Shadow a manager who changed a rota{label}",
            planned_date=today + datetime.timedelta(days=14),
        )
        Milestone.objects.create(
            objective=objective,
            title=f"Draft rota shared with the team{label}",
            due_date=today + datetime.timedelta(days=30),
            done=o == 0,
        )
        made_objectives.append(objective)
    if supervisor is not None:
        PlanComment.objects.create(plan=plan, author=supervisor, body=f"A good plan.{label}")
    PlanComment.objects.create(plan=plan, author=manager, body=f"Thank you.{label}")

    made_entries = Entry.objects.bulk_create(
        Entry(
            organisation=organisation,
            manager=manager,
            date=today - datetime.timedelta(days=3 * i + 1),
            activity_type=ACTIVITY_TYPES[i % len(ACTIVITY_TYPES)],
            title=f"CPD entry {i}{label}",
            provider="Skills for Care",
            hours=Decimal("1.5") + i % 4,
            what_happened=f"What happened in entry {i}{label}.",
            what_learnt=f"Reflection marker {i}{label}: what I learnt.",
            how_use="I will use it in team meetings.",
            difference="Residents are heard.",
            visibility=Visibility.SUPPORTERS if i % 3 == 0 else Visibility.PRIVATE,
            confirmed_by=supervisor if supervisor and i % 6 == 0 else None,
            confirmed_at=now if supervisor and i % 6 == 0 else None,
            objective=made_objectives[i % len(made_objectives)]
            if made_objectives and i % 2
            else None,
        )
        for i in range(entries)
    )
    through = Entry.nodes.through
    through.objects.bulk_create(
        through(entry_id=e.pk, node_id=nodes[i % len(nodes)].pk) for i, e in enumerate(made_entries)
    )
    Evidence.objects.bulk_create(
        Evidence(
            entry=e,
            file=f"evidence/{organisation.pk}/{manager.pk}/stored{e.pk}.pdf",
            stored_name=f"stored{e.pk}.pdf",
            original_name=f"certificate-{i}.pdf",
            content_type="application/pdf",
            size=1234,
        )
        for i, e in enumerate(made_entries)
        if i % 4 == 0
    )
    return Journey(
        manager=manager,
        organisation=organisation,
        revision=revision,
        nodes=nodes,
        rounds=made,
        plan=plan,
        objectives=made_objectives,
        entries=list(made_entries),
    )
