"""Reads for evaluation: the five levels' evidence, computed, and the action plans.

Privacy: figures about a group (a programme, a module, the organisation) are shown only
when they describe at least MIN_GROUP people; below that, only the fact that there are
too few is shown. An individual evaluation shows the manager's own figures to those who
may see it (herself, her supervisor, the L&D lead and admins).

Level 2 (the learning) is computed, never typed: for each participant, the change
between her latest completed self-assessment round on or before the start and her first
completed round on or after the "after" date, on the competences the learning
addresses (module nodes and every node under them)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from waymark.assessment.models import Rating, SelfAssessment
from waymark.frameworks.models import Node
from waymark.organisations.models import Membership, Role
from waymark.programmes.models import Participant, Programme, Session, SessionFeedback
from waymark.programmes.selectors import Reactions, reactions

from .models import (
    DONE,
    ActionPlan,
    ActionPlanObjective,
    ApplicationRating,
    Evaluation,
    Indicator,
    IndicatorValue,
    ProgressUpdate,
    StakeholderView,
)

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.organisations.models import Organisation

MIN_GROUP: int = getattr(settings, "WAYMARK_REPORT_MIN_GROUP", 5)
MANAGE = frozenset({Role.LD_LEAD.value, Role.ADMIN.value})

__all__ = ["Reactions"]


def can_manage(roles: Iterable[str]) -> bool:
    return bool(MANAGE & set(roles))


def _mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    mean = sum(values, Decimal(0)) / Decimal(len(values))
    return mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- lists ------------------------------------------------------------------------------------


def organisation_evaluations(organisation: Organisation) -> list[Evaluation]:
    return list(
        Evaluation.objects.filter(organisation=organisation, manager__isnull=True).select_related(
            "programme", "module", "activity"
        )
    )


def individual_evaluations(organisation: Organisation, person: User) -> list[Evaluation]:
    return list(
        Evaluation.objects.filter(organisation=organisation, manager=person).select_related(
            "programme", "module", "activity"
        )
    )


def evaluations_visible_to(
    user: User, organisation: Organisation, roles: Iterable[str]
) -> QuerySet[Evaluation]:
    """Every evaluation for L&D leads and admins; otherwise her own."""
    qs = Evaluation.objects.filter(organisation=organisation)
    if can_manage(roles):
        return qs
    return qs.filter(manager=user)


# --- the subject: who, which competences, when ------------------------------------------------


@dataclass
class Subject:
    people: list[int]
    nodes: list[Node] | None  # None: every competence rated in both rounds
    start: datetime.date
    after: datetime.date


def _nodes_with_descendants(nodes: Iterable[Node]) -> list[Node]:
    chosen = list(nodes)
    if not chosen:
        return []
    q = Q()
    for n in chosen:
        q |= Q(edition_id=n.edition_id, path__startswith=n.path)
    return list(Node.objects.filter(q).order_by("path"))


def _participants(programme: Programme) -> list[int]:
    return list(
        Participant.objects.filter(cohort__programme=programme)
        .values_list("user_id", flat=True)
        .distinct()
    )


def subject_of(evaluation: Evaluation) -> Subject:
    after_default = evaluation.period_end
    nodes: list[Node] | None
    if evaluation.module_id:
        module = evaluation.module
        assert module is not None
        programme = module.programme
        dates = sorted(Session.objects.filter(module=module).values_list("date", flat=True))
        start = dates[0] if dates else programme.start_date
        after_default = dates[-1] if dates else programme.end_date
        nodes = _nodes_with_descendants(module.nodes.all())
        people = _participants(programme)
    elif evaluation.programme_id:
        whole = evaluation.programme
        assert whole is not None
        start = whole.start_date
        after_default = whole.end_date
        nodes = _nodes_with_descendants(
            Node.objects.filter(programme_modules__programme=whole).distinct()
        )
        people = _participants(whole)
    elif evaluation.activity_id:
        activity = evaluation.activity
        assert activity is not None
        start = activity.planned_date or evaluation.period_start
        objective_nodes = list(activity.objective.nodes.all())
        nodes = _nodes_with_descendants(objective_nodes) if objective_nodes else None
        people = []
    else:
        start = evaluation.period_start
        nodes = None
        people = list(
            Membership.objects.filter(organisation_id=evaluation.organisation_id, role=Role.MANAGER)
            .values_list("user_id", flat=True)
            .distinct()
        )
    if evaluation.manager_id:
        people = [evaluation.manager_id]
    return Subject(
        people=sorted(set(people)),
        nodes=nodes,
        start=start,
        after=evaluation.learning_after or after_default,
    )


# --- level 2: the learning ------------------------------------------------------------------


@dataclass
class DomainChange:
    node: Node
    mean_change: Decimal | None
    people: int


@dataclass
class Learning:
    people: int  # with both rounds
    eligible: int  # in the subject
    suppressed: bool
    overall: Decimal | None = None
    domains: list[DomainChange] = field(default_factory=list)
    start: datetime.date | None = None
    after: datetime.date | None = None
    minimum: int = MIN_GROUP


def _round_pairs(
    organisation_id: int, people: list[int], start: datetime.date, after: datetime.date
) -> dict[int, tuple[int, int]]:
    """For each person: (round before, round after) ids, if she has both."""
    rounds = (
        SelfAssessment.objects.filter(
            organisation_id=organisation_id, manager_id__in=people, submitted_at__isnull=False
        )
        .order_by("manager_id", "submitted_at", "id")
        .values_list("id", "manager_id", "submitted_at")
    )
    before: dict[int, int] = {}
    later: dict[int, int] = {}
    for rid, who, at in rounds:
        day = timezone.localdate(at)
        if day <= start:
            before[who] = rid  # the latest one wins (ordered by date)
        elif day >= after and who not in later:
            later[who] = rid
    return {p: (before[p], later[p]) for p in people if p in before and p in later}


def learning(evaluation: Evaluation) -> Learning:
    subject = subject_of(evaluation)
    pairs = _round_pairs(evaluation.organisation_id, subject.people, subject.start, subject.after)
    n = len(pairs)
    own = evaluation.is_individual
    if not own and n < MIN_GROUP:
        return Learning(
            people=n,
            eligible=len(subject.people),
            suppressed=True,
            start=subject.start,
            after=subject.after,
        )
    round_ids = [r for pair in pairs.values() for r in pair]
    ratings = Rating.objects.filter(assessment_id__in=round_ids, level__isnull=False)
    if subject.nodes is not None:
        ratings = ratings.filter(node_id__in=[n.pk for n in subject.nodes])
    levels: dict[tuple[int, int], int] = {
        (a, node): lvl
        for a, node, lvl in ratings.values_list("assessment_id", "node_id", "level")
        if lvl is not None
    }
    nodes = {n.pk: n for n in Node.objects.filter(pk__in={node for _a, node in levels})}
    root_paths = {(n.edition_id, n.path.split(".")[0] + ".") for n in nodes.values()}
    roots: dict[tuple[int, str], Node] = {}
    if root_paths:
        rq = Q()
        for edition_id, path in root_paths:
            rq |= Q(edition_id=edition_id, path=path)
        roots = {(r.edition_id, r.path): r for r in Node.objects.filter(rq)}
    per_domain: dict[int, list[Decimal]] = defaultdict(list)
    domain_nodes: dict[int, Node] = {}
    overall: list[Decimal] = []
    for before_id, after_id in pairs.values():
        by_domain: dict[int, list[int]] = defaultdict(list)
        changes: list[int] = []
        for node_id, node in nodes.items():
            b = levels.get((before_id, node_id))
            a = levels.get((after_id, node_id))
            if a is None or b is None:
                continue
            domain = roots.get((node.edition_id, node.path.split(".")[0] + "."), node)
            domain_nodes[domain.pk] = domain
            by_domain[domain.pk].append(a - b)
            changes.append(a - b)
        for domain_id, diffs in by_domain.items():
            per_domain[domain_id].append(Decimal(sum(diffs)) / Decimal(len(diffs)))
        if changes:
            overall.append(Decimal(sum(changes)) / Decimal(len(changes)))
    domains = []
    for domain_id, values in sorted(per_domain.items(), key=lambda kv: domain_nodes[kv[0]].path):
        small = not own and len(values) < MIN_GROUP
        domains.append(
            DomainChange(
                node=domain_nodes[domain_id],
                mean_change=None if small else _mean(values),
                people=len(values),
            )
        )
    return Learning(
        people=n,
        eligible=len(subject.people),
        suppressed=False,
        overall=_mean(overall),
        domains=domains,
        start=subject.start,
        after=subject.after,
    )


# --- level 1: reactions -------------------------------------------------------------------


@dataclass
class OwnReaction:
    rating: int | None
    comment: str


def reactions_for(evaluation: Evaluation) -> Reactions | OwnReaction:
    if evaluation.is_individual:
        return OwnReaction(rating=evaluation.reaction_rating, comment=evaluation.reaction_comment)
    if evaluation.module_id:
        return reactions(SessionFeedback.objects.filter(session__module_id=evaluation.module_id))
    if evaluation.programme_id:
        return reactions(
            SessionFeedback.objects.filter(session__programme_id=evaluation.programme_id)
        )
    return reactions(
        SessionFeedback.objects.filter(
            session__programme__organisation_id=evaluation.organisation_id,
            session__date__range=(evaluation.period_start, evaluation.period_end),
        )
    )


# --- level 3: application --------------------------------------------------------------------


@dataclass
class Application:
    people: int
    suppressed: bool
    mean_level: Decimal | None = None
    ratings: list[ApplicationRating] = field(default_factory=list)
    accounts: int = 0
    minimum: int = MIN_GROUP


def _application_ratings(evaluation: Evaluation) -> QuerySet[ApplicationRating]:
    if evaluation.is_individual:
        return ApplicationRating.objects.filter(evaluation=evaluation)
    q = Q(evaluation=evaluation)
    if evaluation.module_id:
        q |= Q(evaluation__module_id=evaluation.module_id)
    elif evaluation.programme_id:
        q |= Q(evaluation__programme_id=evaluation.programme_id) | Q(
            evaluation__module__programme_id=evaluation.programme_id
        )
    return ApplicationRating.objects.filter(q, evaluation__organisation=evaluation.organisation_id)


def application(evaluation: Evaluation) -> Application:
    rows = list(_application_ratings(evaluation).select_related("node").order_by("node__path"))
    people = len({r.manager_id for r in rows})
    if evaluation.is_individual:
        return Application(
            people=people,
            suppressed=False,
            mean_level=_mean([Decimal(r.level) for r in rows]),
            ratings=rows,
            accounts=1 if evaluation.manager_account else 0,
        )
    accounts = 0
    if evaluation.programme_id:
        accounts = (
            Evaluation.objects.filter(
                organisation=evaluation.organisation_id,
                manager__isnull=False,
                programme_id=evaluation.programme_id,
            )
            .exclude(manager_account="")
            .count()
        )
    if people < MIN_GROUP:
        # Counts of accounts written are also withheld below the threshold.
        return Application(
            people=people, suppressed=True, accounts=accounts if accounts >= MIN_GROUP else 0
        )
    return Application(
        people=people,
        suppressed=False,
        mean_level=_mean([Decimal(r.level) for r in rows]),
        accounts=accounts if accounts >= MIN_GROUP else 0,
    )


# --- levels 3 and 5 from 360° feedback -------------------------------------------------------

STAKEHOLDER_GROUPS = ("partner", "service-user")


@dataclass
class FeedbackGroup:
    label: str
    mean: Decimal | None  # None: suppressed
    managers: int


@dataclass
class FeedbackEvidence:
    """Others' ratings from each person's first 360° round closed on or after the
    "after" date: only what feedback's own rules show, and in aggregate only."""

    managers: int
    suppressed: bool
    others_mean: Decimal | None = None
    domains: list[tuple[str, Decimal | None]] = field(default_factory=list)
    stakeholders: list[FeedbackGroup] = field(default_factory=list)
    minimum: int = MIN_GROUP


def _shown_mean(results: Any, keys: Iterable[str] | None = None) -> Decimal | None:
    cells = [
        c
        for r in results.rows
        for k, c in r.cells.items()
        if c.shown and c.count and (keys is None or k in keys)
    ]
    if not cells:
        return None
    return Decimal(sum(c.total for c in cells)) / Decimal(sum(c.count for c in cells))


def feedback_after(evaluation: Evaluation) -> FeedbackEvidence:
    from waymark.feedback.models import FeedbackRound
    from waymark.feedback.selectors import group_label, round_results

    subject = subject_of(evaluation)
    if not subject.people:
        return FeedbackEvidence(managers=0, suppressed=not evaluation.is_individual)
    first: dict[int, Any] = {}
    for r in FeedbackRound.objects.filter(
        organisation_id=evaluation.organisation_id,
        manager_id__in=subject.people,
        closed_at__date__gte=subject.after,
    ).order_by("manager_id", "closed_at", "pk"):
        first.setdefault(r.manager_id, r)
    own = evaluation.is_individual
    if not own and len(first) < MIN_GROUP:
        return FeedbackEvidence(managers=len(first), suppressed=True)
    results = [round_results(r) for r in first.values()]
    means = [m for m in (_shown_mean(res) for res in results) if m is not None]
    groups = []
    for key in STAKEHOLDER_GROUPS:
        values = [
            m
            for m in (
                _shown_mean(res, {key}) for res in results if key in {c.key for c in res.columns}
            )
            if m is not None
        ]
        if values:
            small = not own and len(values) < MIN_GROUP
            groups.append(
                FeedbackGroup(
                    label=group_label(key),
                    mean=None if small else _mean(values),
                    managers=len(values),
                )
            )
    domains: list[tuple[str, Decimal | None]] = []
    if own and results:
        for d in results[0].domains:
            m = d.others_mean
            domains.append((d.domain.label, None if m is None else _mean([Decimal(str(m))])))
    return FeedbackEvidence(
        managers=len(first),
        suppressed=False,
        others_mean=_mean(means),
        domains=domains,
        stakeholders=groups,
    )


# --- level 4: indicators ---------------------------------------------------------------------


@dataclass
class IndicatorSeries:
    indicator: Indicator
    values: list[IndicatorValue]

    @property
    def latest(self) -> IndicatorValue | None:
        return self.values[-1] if self.values else None

    @property
    def meets_target(self) -> bool | None:
        latest = self.latest
        return self.indicator.meets_target(latest.value if latest else None)


def _ordered_values() -> Any:
    return Prefetch("values", IndicatorValue.objects.order_by("date", "id"))


def indicator_list(organisation: Organisation) -> list[IndicatorSeries]:
    indicators = Indicator.objects.filter(organisation=organisation).prefetch_related(
        _ordered_values()
    )
    return [IndicatorSeries(i, list(i.values.all())) for i in indicators]


def series_for(evaluation: Evaluation) -> list[IndicatorSeries]:
    indicators = evaluation.indicators.prefetch_related(_ordered_values())
    return [IndicatorSeries(i, list(i.values.all())) for i in indicators]


def indicator_chart(series: IndicatorSeries) -> str:
    """A line chart of an indicator's values (SVG, no script, role="img" with a title and
    description; drawn as the gap analysis charts are). The page shows the data table."""
    import pygal

    from waymark.assessment.charts import _config, _render

    name = series.indicator.name
    chart = pygal.Line(**_config(name, height=360, width=660, x_label_rotation=20))
    chart.x_labels = [v.date.strftime("%d %b %Y") for v in series.values]
    chart.add(name, [float(v.value) for v in series.values], stroke_style={"width": 3})
    if series.indicator.target is not None:
        chart.add(
            gettext("Target"),
            [float(series.indicator.target)] * len(series.values),
            stroke_style={"width": 2, "dasharray": "8, 5"},
            show_dots=False,
        )
    desc = gettext(
        "%(name)s on %(count)d dates. The same figures are in the table below the chart."
    ) % {"name": name, "count": len(series.values)}
    return _render(chart, name, desc)


# --- level 5: stakeholders ----------------------------------------------------------------------


@dataclass
class GroupViews:
    group: str
    label: str
    views: int
    mean_rating: Decimal | None


def stakeholders(evaluation: Evaluation) -> tuple[list[StakeholderView], list[GroupViews]]:
    views = list(StakeholderView.objects.filter(evaluation=evaluation))
    by_group: dict[str, list[StakeholderView]] = defaultdict(list)
    for v in views:
        by_group[v.group].append(v)
    groups = [
        GroupViews(
            group=g,
            label=rows[0].get_group_display(),
            views=len(rows),
            mean_rating=_mean([Decimal(r.rating) for r in rows if r.rating is not None]),
        )
        for g, rows in sorted(by_group.items())
    ]
    return views, groups


# --- the summary across five levels -----------------------------------------------------------


@dataclass
class LevelHeadline:
    number: int
    name: str
    headline: str | None  # None: not yet evaluated
    findings: str


def _people(n: int) -> str:
    return ngettext("%(n)s person", "%(n)s people", n) % {"n": n}


def _h1(evaluation: Evaluation) -> str | None:
    r = reactions_for(evaluation)
    if isinstance(r, OwnReaction):
        if r.rating is not None:
            return gettext("Own rating %(r)s out of 5") % {"r": r.rating}
        return r.comment[:80] or None
    if r.suppressed:
        if not r.responses:
            return None
        return gettext("Fewer than %(n)s responses: not shown") % {"n": r.minimum}
    return gettext("Usefulness %(u)s out of 5 from %(n)s responses") % {
        "u": r.usefulness_mean,
        "n": r.responses,
    }


def _h2(evaluation: Evaluation) -> str | None:
    lrn = learning(evaluation)
    if lrn.suppressed:
        if not lrn.people:
            return None
        return gettext("Fewer than %(n)s people with rounds before and after: not shown") % {
            "n": lrn.minimum
        }
    if lrn.overall is None:
        return None
    return gettext("Mean change %(c)s levels (%(people)s)") % {
        "c": f"{lrn.overall:+}",
        "people": _people(lrn.people),
    }


def _h3(evaluation: Evaluation) -> str | None:
    app = application(evaluation)
    if app.suppressed and app.people:
        return gettext("Fewer than %(n)s people re-rated: not shown") % {"n": app.minimum}
    if app.mean_level is None:
        fb = feedback_after(evaluation)
        if fb.others_mean is None:
            return None
        return gettext("Mean level given by others in 360° feedback %(m)s (%(people)s)") % {
            "m": fb.others_mean,
            "people": _people(fb.managers),
        }
    return gettext("Mean re-rated level %(m)s (%(people)s)") % {
        "m": app.mean_level,
        "people": _people(app.people),
    }


def _h4(evaluation: Evaluation) -> str | None:
    for s in series_for(evaluation):
        if s.latest is not None:
            return gettext("%(name)s: %(value)s%(unit)s on %(date)s") % {
                "name": s.indicator.name,
                "value": s.latest.value,
                "unit": s.indicator.unit,
                "date": s.latest.date.strftime("%d %b %Y"),
            }
    return None


def _h5(evaluation: Evaluation) -> str | None:
    _views, groups = stakeholders(evaluation)
    if not groups:
        return None
    return gettext("Recorded views: %(n)s (groups of stakeholders: %(g)s)") % {
        "n": sum(g.views for g in groups),
        "g": len(groups),
    }


def summary(evaluation: Evaluation) -> list[LevelHeadline]:
    e = evaluation
    return [
        LevelHeadline(1, gettext("Reactions"), _h1(e), e.findings_reactions),
        LevelHeadline(2, gettext("The learning"), _h2(e), e.findings_learning),
        LevelHeadline(3, gettext("Application"), _h3(e), e.findings_application),
        LevelHeadline(4, gettext("The organisation"), _h4(e), e.findings_organisation),
        LevelHeadline(5, gettext("Stakeholders"), _h5(e), e.findings_stakeholders),
    ]


def programme_evaluations(programme: Programme) -> list[Evaluation]:
    return list(
        Evaluation.objects.filter(
            Q(programme=programme) | Q(module__programme=programme), manager__isnull=True
        ).select_related("organisation", "programme", "module")
    )


# --- action plans -------------------------------------------------------------------------


def action_plan_list(organisation: Organisation) -> list[ActionPlan]:
    today = timezone.localdate()
    return list(
        ActionPlan.objects.filter(organisation=organisation)
        .select_related("reports_to")
        .annotate(
            objective_count=Count("objectives", distinct=True),
            overdue_count=Count(
                "objectives",
                filter=Q(objectives__due_date__lt=today) & ~Q(objectives__status__in=DONE),
                distinct=True,
            ),
        )
    )


def plan_objectives(plan: ActionPlan) -> list[ActionPlanObjective]:
    """The plan's objectives with their updates (latest first); each carries
    `latest_valued`, its latest update that gave a value towards the target."""
    objectives = list(
        ActionPlanObjective.objects.filter(plan=plan)
        .select_related("indicator", "responsible")
        .prefetch_related(Prefetch("updates", ProgressUpdate.objects.select_related("written_by")))
    )
    for o in objectives:
        o.latest_valued = next(  # type: ignore[attr-defined]
            (u for u in o.updates.all() if u.value is not None), None
        )
    return objectives


def report_titles() -> dict[str, str]:
    """Report names and titles from the reports registry (empty if it is not there)."""
    try:
        from waymark.reports.registry import REPORTS
    except ImportError:
        return {}
    return {name: str(spec.title) for name, spec in REPORTS.items()}
