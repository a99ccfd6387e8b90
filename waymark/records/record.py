"""The manager's record: what goes into the PDF she downloads, gathered through the other
apps' own selectors (the PMS from profiles, the gap analysis and its charts from
assessment, the plan from planning, the learning log and its totals from cpd), never
re-computed here.

A record is always *the person's own*: every read is made as the person herself
("self"), so her private CPD entries are in it, and only their reflections she chooses.
Nothing here decides who may ask for it: the views let only the person herself in, and
the `export-record` command is for administrators answering her subject access request.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.assessment import charts
from waymark.assessment.models import SelfAssessment
from waymark.assessment.selectors import (
    CompetenceChange,
    DomainChange,
    DomainSummary,
    GapAnalysis,
    GapRow,
    Progress,
    counts_towards_elsewhere,
    gap_analysis,
    previous_round,
    progress,
    rounds_for,
)
from waymark.cpd.models import REFLECTION_FIELDS, Entry
from waymark.cpd.selectors import Summary, entries_visible_to, summarise, with_details
from waymark.frameworks.selectors import CountsTowards
from waymark.organisations.access import SELF
from waymark.organisations.models import Membership, Role
from waymark.planning.models import Plan
from waymark.planning.selectors import PlanOverview, current_plan, plan_overview
from waymark.planning.stages import STAGES
from waymark.profiles.models import ManagerLevel, Revision, Specification
from waymark.profiles.selectors import DomainGroup, SpecContent, content_of, current_spec
from waymark.profiles.selectors import grouped_by_domain as pms_grouped_by_domain

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.organisations.models import Organisation

# The bar chart of gaps draws one bar per competence below the level expected; past this
# many it would not fit on one A4 page, so the PDF draws the highest priorities only and
# says so (the table beside it lists every competence).
PDF_BAR_LIMIT = 24

SECTIONS = ("pms", "gaps", "plan", "cpd")


@dataclass(frozen=True)
class RecordOptions:
    """What the person chose to put in her record.

    `reflection_entry_ids` narrows the reflections included to those entries; None means
    every entry in the period (when `include_reflections` is set)."""

    sections: frozenset[str] = frozenset(SECTIONS)
    cpd_from: datetime.date | None = None
    cpd_to: datetime.date | None = None
    include_reflections: bool = False
    reflection_entry_ids: frozenset[int] | None = None

    def includes(self, section: str) -> bool:
        return section in self.sections

    def reflections_of(self, entry_id: int) -> bool:
        if not self.include_reflections:
            return False
        return self.reflection_entry_ids is None or entry_id in self.reflection_entry_ids


EVERYTHING = RecordOptions(include_reflections=True)


@dataclass
class PmsSection:
    specification: Specification
    revision: Revision
    content: SpecContent
    groups: list[DomainGroup]

    @property
    def manager_level_label(self) -> str:
        value = self.content.manager_level
        return str(ManagerLevel(value).label) if value in ManagerLevel.values else value


@dataclass
class GapRowView:
    rank: int
    row: GapRow
    counts: list[CountsTowards]
    change: CompetenceChange | None


@dataclass
class GapSection:
    assessment: SelfAssessment
    analysis: GapAnalysis
    previous: SelfAssessment | None
    progress: Progress | None
    rows: list[GapRowView]
    domains: list[tuple[DomainSummary, DomainChange | None]]  # highest priority first
    radar_svg: str
    bars_svg: str
    bars_shown: int
    rounds: int


@dataclass
class StageAnswer:
    name: str
    question: str
    answer: str


@dataclass
class PlanSection:
    plan: Plan
    overview: PlanOverview
    stages: list[StageAnswer]

    @property
    def swot(self) -> list[tuple[str, str]]:
        p = self.plan
        return [
            (_("Strengths"), p.strengths),
            (_("Weaknesses"), p.weaknesses),
            (_("Opportunities"), p.opportunities),
            (_("Threats"), p.threats),
        ]

    @property
    def status_summary(self) -> list[tuple[str, int]]:
        """(status label, number of objectives) for each status with any."""
        return [(label, n) for _status, label, n in self.overview.status_counts if n]

    @property
    def swot_rows(self) -> list[list[tuple[str, str]]]:
        swot = self.swot
        return [swot[:2], swot[2:]]

    @property
    def has_swot(self) -> bool:
        return any(text.strip() for _label, text in self.swot)


@dataclass
class CpdEntryView:
    entry: Entry
    reflections: list[tuple[str, str]]  # (question, answer), only those she included


@dataclass
class CpdSection:
    period_from: datetime.date | None
    period_to: datetime.date | None
    entries: list[CpdEntryView]
    summary: Summary

    @property
    def reflections_included(self) -> int:
        return sum(1 for e in self.entries if e.reflections)


@dataclass
class RecordData:
    person: User
    organisation: Organisation
    role: str
    produced_at: datetime.datetime
    options: RecordOptions
    pms: PmsSection | None = None
    gaps: GapSection | None = None
    plan: PlanSection | None = None
    cpd: CpdSection | None = None
    contents: list[tuple[str, str]] = field(default_factory=list)  # (anchor, heading)


def _role_of(person: User, organisation: Organisation, spec: Specification | None) -> str:
    if spec is not None and spec.current is not None and spec.current.job_title:
        return spec.current.job_title
    roles = Membership.objects.filter(organisation=organisation, user=person).values_list(
        "role", flat=True
    )
    labels = dict(Role.choices)
    return ", ".join(str(labels.get(r, r)) for r in sorted(roles))


def _pms_section(spec: Specification | None) -> PmsSection | None:
    if spec is None or spec.current is None:
        return None
    content = content_of(spec.current)
    return PmsSection(
        specification=spec,
        revision=spec.current,
        content=content,
        groups=pms_grouped_by_domain(content.competences),
    )


def latest_submitted_round(*, person: User, organisation: Organisation) -> SelfAssessment | None:
    return (
        rounds_for(organisation=organisation, person=person, relations={SELF})
        .filter(submitted_at__isnull=False)
        .first()
    )


def _gap_section(person: User, organisation: Organisation) -> GapSection | None:
    assessment = latest_submitted_round(person=person, organisation=organisation)
    if assessment is None:
        return None
    analysis = gap_analysis(assessment)
    before = previous_round(assessment)
    change = progress(gap_analysis(before), analysis) if before else None
    counts = counts_towards_elsewhere(analysis.nodes())
    rows = [
        GapRowView(
            rank=i,
            row=row,
            counts=counts.get(row.node.pk, []),
            change=change.for_node(row.node.pk) if change else None,
        )
        for i, row in enumerate(analysis.rows, start=1)
    ]
    limit = PDF_BAR_LIMIT if len(analysis.gaps) > PDF_BAR_LIMIT else None
    submitted = SelfAssessment.objects.filter(
        organisation=organisation, manager=person, submitted_at__isnull=False
    ).count()
    return GapSection(
        assessment=assessment,
        analysis=analysis,
        previous=before,
        progress=change,
        rows=rows,
        domains=[
            (d, change.for_domain(d.domain.pk) if change else None)
            for d in analysis.domains_by_priority
        ],
        radar_svg=charts.domain_radar_svg(analysis),
        bars_svg=charts.competence_bars_svg(analysis, limit=limit),
        bars_shown=min(len(analysis.gaps), PDF_BAR_LIMIT),
        rounds=submitted,
    )


def _plan_section(person: User, organisation: Organisation) -> PlanSection | None:
    plan = current_plan(organisation=organisation, manager=person)
    if plan is None:
        return None
    stages = [
        StageAnswer(name=str(s.name), question=str(s.question), answer=getattr(plan, s.field))
        for s in STAGES
        if getattr(plan, s.field).strip()
    ]
    return PlanSection(plan=plan, overview=plan_overview(plan), stages=stages)


def _cpd_section(person: User, organisation: Organisation, options: RecordOptions) -> CpdSection:
    entries = entries_visible_to(person, person, organisation, {SELF})
    if options.cpd_from:
        entries = entries.filter(date__gte=options.cpd_from)
    if options.cpd_to:
        entries = entries.filter(date__lte=options.cpd_to)
    rows = []
    for entry in with_details(entries).order_by("date", "id"):
        reflections: list[tuple[str, str]] = []
        if options.reflections_of(entry.pk):
            reflections = [(q, a) for q, a in entry.reflection_fields if a.strip()]
        rows.append(CpdEntryView(entry=entry, reflections=reflections))
    summary = summarise(
        entries_visible_to(person, person, organisation, {SELF}),
        period_from=options.cpd_from,
        period_to=options.cpd_to,
    )
    return CpdSection(
        period_from=options.cpd_from, period_to=options.cpd_to, entries=rows, summary=summary
    )


def build_record(
    *, person: User, organisation: Organisation, options: RecordOptions = EVERYTHING
) -> RecordData:
    """Everything the person chose for her record in `organisation`. A constant number of
    queries whatever the size of her PMS, plan and learning log."""
    spec = current_spec(person, organisation)
    record = RecordData(
        person=person,
        organisation=organisation,
        role=_role_of(person, organisation, spec),
        produced_at=timezone.localtime(),
        options=options,
    )
    if options.includes("pms"):
        record.pms = _pms_section(spec)
        record.contents.append(("pms", _("Person management specification")))
    if options.includes("gaps"):
        record.gaps = _gap_section(person, organisation)
        record.contents.append(("gaps", _("Gap analysis")))
    if options.includes("plan"):
        record.plan = _plan_section(person, organisation)
        record.contents.append(("plan", _("Personal development plan")))
    if options.includes("cpd"):
        record.cpd = _cpd_section(person, organisation, options)
        record.contents.append(("cpd", _("CPD record")))
    return record


def entries_with_reflections(*, person: User, organisation: Organisation) -> list[Entry]:
    """Her entries that have any reflection written, newest first: the choices on the
    record page (one query)."""
    has_any: Q | None = None
    for name in REFLECTION_FIELDS:
        q = ~Q(**{name: ""})
        has_any = q if has_any is None else has_any | q
    entries = entries_visible_to(person, person, organisation, {SELF})
    if has_any is not None:
        entries = entries.filter(has_any)
    return list(entries.only("id", "date", "title", "visibility").order_by("-date", "-id"))
