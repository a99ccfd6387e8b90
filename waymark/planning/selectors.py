"""Reads for the development plan that are more than a filter. Every plan and objective
is found through its organisation and manager, never by bare primary key; every list
loads in a constant number of queries whatever the number of objectives."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waymark.frameworks.models import Node
from waymark.organisations.models import Membership, Role, SupportKind, SupportRelationship
from waymark.profiles.models import Revision, SpecCompetence, Specification

from .models import Activity, Milestone, Objective, ObjectiveStatus, Plan, PlanComment, PlanLevel

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.organisations.models import Organisation


# --- plans ----------------------------------------------------------------------------------


def plans_of(*, organisation: Organisation, manager: User) -> QuerySet[Plan]:
    """A manager's plans in one organisation, newest first."""
    return Plan.objects.filter(organisation=organisation, manager=manager).order_by(
        "-created_at", "-id"
    )


def current_plan(*, organisation: Organisation, manager: User) -> Plan | None:
    """The plan a manager is working on: her newest."""
    return plans_of(organisation=organisation, manager=manager).select_related("agreed_by").first()


def objectives_with_details() -> QuerySet[Objective]:
    """Objectives with everything the plan and objective pages show, prefetched."""
    return Objective.objects.prefetch_related(
        Prefetch(
            "nodes",
            queryset=Node.objects.select_related("edition__framework").order_by(
                "edition_id", "path"
            ),
        ),
        Prefetch(
            "activities",
            queryset=Activity.objects.select_related("resource").order_by("planned_date", "id"),
        ),
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "id")),
    ).order_by("level", "sequence", "target_date", "id")


@dataclass
class LevelGroup:
    level: str
    label: str
    objectives: list[Objective]


@dataclass
class PlanOverview:
    plan: Plan
    groups: list[LevelGroup]
    status_counts: list[tuple[str, str, int]]  # (status, label, count), every status
    total: int
    comments: list[PlanComment]
    stages_answered: int
    earlier_plans: list[Plan] = field(default_factory=list)


def plan_overview(plan: Plan) -> PlanOverview:
    """The plan page in five queries: objectives, their competences, activities,
    milestones, and the comments with their authors."""
    objectives = list(objectives_with_details().filter(plan=plan))
    for o in objectives:
        o.changed_since_agreed = objective_changed_since(o, plan.agreed_at)  # type: ignore[attr-defined]
        o.added_since_agreed = (  # type: ignore[attr-defined]
            plan.agreed_at is not None and o.created_at > plan.agreed_at
        )
    groups = [
        LevelGroup(
            level=lv.value,
            label=str(lv.label),
            objectives=[o for o in objectives if o.level == lv.value],
        )
        for lv in PlanLevel
    ]
    counts = Counter(o.status for o in objectives)
    status_counts = [(s.value, str(s.label), counts.get(s.value, 0)) for s in ObjectiveStatus]
    comments = plan_comments(plan)
    from .stages import STAGES

    answered = sum(1 for s in STAGES if getattr(plan, s.field).strip())
    return PlanOverview(
        plan=plan,
        groups=groups,
        status_counts=status_counts,
        total=len(objectives),
        comments=comments,
        stages_answered=answered,
    )


SUPPORTER_LABELS = {
    SupportKind.SUPERVISOR.value: gettext_lazy("Supervisor"),
    SupportKind.MENTOR.value: gettext_lazy("Mentor"),
    SupportKind.COACH.value: gettext_lazy("Coach"),
}


def plan_comments(plan: Plan) -> list[PlanComment]:
    """The plan's comments, oldest first, each with `author_role`: how its author relates
    to the manager ("Manager", "Supervisor", "Mentor" …). Two queries."""
    comments = list(plan.comments.select_related("author").order_by("created_at", "id"))
    kinds: dict[int, list[str]] = {}
    for supporter_id, kind in SupportRelationship.objects.filter(
        organisation_id=plan.organisation_id, manager_id=plan.manager_id
    ).values_list("supporter_id", "kind"):
        kinds.setdefault(supporter_id, []).append(str(SUPPORTER_LABELS.get(kind, kind)))
    for c in comments:
        if c.author_id == plan.manager_id:
            role = str(_("Manager"))
        else:
            role = ", ".join(sorted(kinds.get(c.author_id or 0, [])))
        c.author_role = role  # type: ignore[attr-defined]
    return comments


def objective_changed_since(objective: Objective, agreed_at: datetime | None) -> bool:
    return (
        agreed_at is not None
        and objective.changed_at is not None
        and objective.changed_at > agreed_at
        and objective.created_at <= agreed_at
    )


def objective_for(
    *, organisation: Organisation, manager: User, objective_id: int
) -> Objective | None:
    """One of a manager's objectives, with its plan and details, or None."""
    return (
        objectives_with_details()
        .select_related("plan", "plan__agreed_by")
        .filter(pk=objective_id, plan__organisation=organisation, plan__manager=manager)
        .first()
    )


def plan_for(*, organisation: Organisation, manager: User, plan_id: int) -> Plan | None:
    return (
        plans_of(organisation=organisation, manager=manager)
        .select_related("agreed_by")
        .filter(pk=plan_id)
        .first()
    )


# --- the manager's PMS ----------------------------------------------------------------------


def current_revision(*, organisation: Organisation, manager: User) -> Revision | None:
    """The current revision of the manager's person management specification, if any."""
    spec = (
        Specification.objects.filter(organisation=organisation, manager=manager)
        .select_related("current")
        .first()
    )
    return spec.current if spec is not None else None


def pms_competences(revision: Revision | None) -> list[SpecCompetence]:
    """Every competence of a PMS revision, in framework order, with what the pages show."""
    if revision is None:
        return []
    return list(
        SpecCompetence.objects.filter(revision=revision)
        .select_related("node__edition__framework", "node__parent")
        .order_by("node__edition__framework__title", "node__edition_id", "node__path")
    )


def pms_node_ids(*, organisation: Organisation, manager: User) -> set[int]:
    """Ids of the competences in the manager's current PMS revision (one query)."""
    current = Specification.objects.filter(
        organisation=organisation, manager=manager, current__isnull=False
    ).values("current")
    return set(
        SpecCompetence.objects.filter(revision__in=current).values_list("node_id", flat=True)
    )


def node_label(node: Node) -> str:
    """ "MM1.02 Plans services …" with the framework it belongs to, for lists and errors."""
    return f"{node.code} {node.display_title}".strip()


# --- the real self: the latest gap analysis, if the assessment app has one ----------------


@dataclass(frozen=True)
class GapLine:
    node: Node
    expected: int
    rated: int
    importance: int

    @property
    def gap(self) -> int:
        return self.expected - self.rated


@dataclass(frozen=True)
class GapSummary:
    assessment_id: int
    completed_at: datetime
    gaps: list[GapLine]  # largest gap times importance first
    strengths: list[GapLine]  # rated at or above the level expected, furthest above first
    rated: int


def _latest_assessment(*, organisation: Organisation, manager: User) -> Any | None:
    try:
        from waymark.assessment.models import SelfAssessment
    except ImportError:  # pragma: no cover - the assessment app is part of the project
        return None
    return (
        SelfAssessment.objects.filter(
            organisation=organisation, manager=manager, submitted_at__isnull=False
        )
        .order_by("-submitted_at", "-id")
        .first()
    )


def latest_ratings(
    *, organisation: Organisation, manager: User
) -> tuple[datetime | None, dict[int, int]]:
    """The manager's self-ratings by node id from her latest completed self-assessment,
    with when she completed it (two queries; empty when there is none)."""
    assessment = _latest_assessment(organisation=organisation, manager=manager)
    if assessment is None:
        return None, {}
    from waymark.assessment.models import Rating

    ratings = {
        node_id: level
        for node_id, level in Rating.objects.filter(
            assessment=assessment, level__isnull=False
        ).values_list("node_id", "level")
        if level is not None
    }
    return assessment.submitted_at, ratings


def latest_gap_summary(
    *, organisation: Organisation, manager: User, limit: int = 5
) -> GapSummary | None:
    """Expected level vs self-rating from the manager's latest completed self-assessment,
    ranked by gap times importance as the gap analysis ranks them. None when there is no
    completed self-assessment (or the assessment app is not installed). Three queries."""
    assessment = _latest_assessment(organisation=organisation, manager=manager)
    if assessment is None or assessment.submitted_at is None:
        return None
    from waymark.assessment.models import Rating

    expected = {
        sc.node_id: sc
        for sc in SpecCompetence.objects.filter(revision_id=assessment.revision_id).select_related(
            "node__edition__framework"
        )
    }
    lines = [
        GapLine(
            node=expected[r.node_id].node,
            expected=expected[r.node_id].expected_level,
            rated=r.level,
            importance=expected[r.node_id].importance,
        )
        for r in Rating.objects.filter(assessment=assessment, level__isnull=False)
        if r.node_id in expected and r.level is not None
    ]
    gaps = sorted(
        (g for g in lines if g.gap > 0),
        key=lambda g: (-(g.gap * g.importance), -g.importance, g.node.path),
    )
    strengths = sorted(
        (g for g in lines if g.gap <= 0), key=lambda g: (g.gap, -g.importance, g.node.path)
    )
    return GapSummary(
        assessment_id=assessment.pk,
        completed_at=assessment.submitted_at,
        gaps=gaps[:limit],
        strengths=strengths[:3],
        rated=len(lines),
    )


# --- CPD entries linked to an objective ---------------------------------------------------


def linked_cpd_entries(
    *, viewer: User, objective: Objective, relations: frozenset[str]
) -> list[Any]:
    """The CPD entries linked to an objective that this viewer may see, by the CPD
    record's one privacy rule (`cpd.selectors.entries_visible_to`): all of them for the
    manager herself; for her supervisor, mentor or coach only those she shared; none for
    anyone else (an L&D lead or admin reads the plan, not the learning log)."""
    from waymark.cpd.selectors import entries_visible_to

    plan = objective.plan
    return list(
        entries_visible_to(viewer, plan.manager, plan.organisation, relations)
        .filter(objective=objective)
        .order_by("-date", "-id")
    )


# --- supervisors and the API ----------------------------------------------------------------


def plans_awaiting_agreement(*, organisation: Organisation, supervisor: User) -> list[Plan]:
    """The current plans of the people this person supervises that need her agreement:
    never agreed, or changed since she (or another supervisor) agreed them. A plan with
    no objectives yet has nothing to agree."""
    supervised = SupportRelationship.objects.filter(
        organisation=organisation, supporter=supervisor, kind=SupportKind.SUPERVISOR
    ).values("manager_id")
    newer = Plan.objects.filter(
        organisation=organisation,
        manager=OuterRef("manager"),
        created_at__gt=OuterRef("created_at"),
    )
    plans = (
        Plan.objects.filter(organisation=organisation, manager_id__in=supervised)
        .filter(Exists(Objective.objects.filter(plan=OuterRef("pk"))))
        .exclude(Exists(newer))
        .select_related("manager")
        .order_by("manager__full_name", "manager__email")
    )
    return [p for p in plans if not p.is_agreed or p.changed_since_agreed]


def visible_plans(user: User) -> QuerySet[Plan]:
    """Every plan `user` may read, in any organisation, as the pages would show them: her
    own; those of people she supervises, mentors or coaches; every plan of an
    organisation where she is an L&D lead or admin. The manager must still be a member."""
    supporting = SupportRelationship.objects.filter(
        organisation=OuterRef("organisation"), manager=OuterRef("manager"), supporter=user
    )
    overseeing = Membership.objects.filter(
        organisation=OuterRef("organisation"), user=user, role__in=[Role.LD_LEAD, Role.ADMIN]
    )
    manager_member = Membership.objects.filter(
        organisation=OuterRef("organisation"), user=OuterRef("manager")
    )
    return Plan.objects.filter(
        Q(manager=user) | Q(Exists(supporting)) | Q(Exists(overseeing)), Exists(manager_member)
    )
