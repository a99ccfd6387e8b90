"""The built-in reports. Each builds a :class:`Report` for a :class:`ReportScope` with a
fixed number of aggregate queries (whatever the number of managers), then suppresses
small groups (``suppression.py``). Private CPD entries and every reflection are never
read here."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, NullIf, Substr, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from waymark.assessment.models import Rating, SelfAssessment
from waymark.cpd.models import Entry, Visibility
from waymark.frameworks.models import Node
from waymark.organisations.models import Region, Sector, SizeBand
from waymark.planning.models import ActivityType
from waymark.profiles.models import ManagerLevel, RoleCompetence, RoleProfile, Specification
from waymark.reports import suppression as sup
from waymark.reports.registry import Cell, Report, ReportScope, ReportSpec, Table, register
from waymark.workforce.models import (
    DIVERSITY_FIELDS,
    QualificationRecord,
    QualificationStatus,
    ServiceArea,
    Team,
    WorkforceRecord,
)
from waymark.workforce.selectors import DIVERSITY_CHOICES, diversity_counts

# A domain is the root of a competence's path: the first "000001." of "000001.000002.".
DOMAIN_PATH_LENGTH = 7


def _not_recorded() -> str:
    return _("Not recorded")


# --- scope ----------------------------------------------------------------------------


def _filtered_people(scope: ReportScope, org_ids: list[int]) -> QuerySet[Any] | None:
    """User ids matching the page filters (team, level), or None when unfiltered."""
    if not scope.is_filtered:
        return None
    qs = WorkforceRecord.objects.filter(organisation_id__in=org_ids)
    if scope.team_id is not None:
        qs = qs.filter(team_id=scope.team_id)
    if scope.level:
        qs = qs.filter(manager_level=scope.level)
    return qs.values("user_id")


def latest_rounds(scope: ReportScope, org_ids: list[int]) -> QuerySet[SelfAssessment]:
    """Each manager's latest completed self-assessment round in each organisation."""
    latest = (
        SelfAssessment.objects.filter(
            organisation=OuterRef("organisation"),
            manager=OuterRef("manager"),
            submitted_at__isnull=False,
        )
        .order_by("-submitted_at", "-pk")
        .values("pk")[:1]
    )
    qs = SelfAssessment.objects.filter(
        organisation_id__in=org_ids, submitted_at__isnull=False, pk=Subquery(latest)
    )
    people = _filtered_people(scope, org_ids)
    if people is not None:
        qs = qs.filter(manager_id__in=people)
    return qs


def _rated(scope: ReportScope, rounds: Any, *, breakdown: bool = True) -> QuerySet[Any]:
    """Ratings of the given rounds with their expected level, gap and domain, and (with
    ``breakdown``) team, manager level (the workforce record's, else the PMS
    revision's) and sector. Competences of an organisation's own framework count only
    within that organisation."""
    qs = Rating.objects.filter(assessment_id__in=rounds, level__isnull=False)
    if scope.organisation is None:
        qs = qs.filter(node__edition__framework__organisation__isnull=True)
    else:
        qs = qs.filter(
            Q(node__edition__framework__organisation__isnull=True)
            | Q(node__edition__framework__organisation=scope.organisation)
        )
    qs = (
        qs.annotate(
            spec=FilteredRelation(
                "assessment__revision__competences",
                condition=Q(assessment__revision__competences__node=F("node")),
            )
        )
        .filter(spec__isnull=False)
        .annotate(
            gap=Greatest(
                ExpressionWrapper(F("spec__expected_level") - F("level"), IntegerField()),
                Value(0),
            ),
            domain=Substr(F("node__path"), 1, DOMAIN_PATH_LENGTH),
            edition=F("node__edition_id"),
        )
        .order_by()
    )
    if not breakdown:
        return qs
    return qs.annotate(
        record=FilteredRelation(
            "assessment__manager__workforce_records",
            condition=Q(
                assessment__manager__workforce_records__organisation=F("assessment__organisation")
            ),
        ),
    ).annotate(
        team=F("record__team_id"),
        mlevel=Coalesce(
            NullIf(F("record__manager_level"), Value("")),
            F("assessment__revision__manager_level"),
        ),
        sector=F("assessment__organisation__sector"),
    )


def _breakdowns(
    scope: ReportScope, org_ids: list[int]
) -> list[tuple[str, str, list[tuple[Any, str]]]]:
    """(key, title, [(value, label)…]) for each breakdown of the scope."""
    levels: list[tuple[Any, str]] = [(c, str(label)) for c, label in ManagerLevel.choices]
    out: list[tuple[str, str, list[tuple[Any, str]]]] = []
    if scope.organisation is not None:
        teams: list[tuple[Any, str]] = [
            (t.pk, t.name)
            for t in Team.objects.filter(organisation_id__in=org_ids).order_by("name")
        ]
        out.append(("team", _("team or service"), [*teams, (None, _not_recorded())]))
    out.append(("mlevel", _("manager level"), [*levels, (None, _not_recorded())]))
    if scope.organisation is None:
        sectors: list[tuple[Any, str]] = [(c, str(label)) for c, label in Sector.choices]
        out.append(("sector", _("sector"), sectors))
    return out


def _node_labels(
    keys: set[tuple[int, str]], node_ids: set[int]
) -> tuple[dict[Any, str], list[Any]]:
    """Labels for domains ((edition, path)) and competences (node id), in framework
    order. One query."""
    labels: dict[Any, str] = {}
    order: list[Any] = []
    if not keys and not node_ids:
        return labels, order
    q = Q(pk__in=node_ids)
    for edition, path in keys:
        q |= Q(edition_id=edition, path=path)
    for n in (
        Node.objects.filter(q)
        .order_by("edition_id", "path")
        .only("pk", "edition_id", "path", "code", "title", "statement")
    ):
        label = f"{n.code} {n.title or n.statement[:80]}".strip()
        if n.pk in node_ids:
            labels[n.pk] = label
            order.append(n.pk)
        if (n.edition_id, n.path) in keys:
            labels[(n.edition_id, n.path)] = label
            order.append((n.edition_id, n.path))
    return labels, order


# --- learning needs -------------------------------------------------------------------


def learning_needs(scope: ReportScope) -> Report:
    org_ids = scope.organisation_ids()
    rounds = latest_rounds(scope, org_ids)
    people = rounds.aggregate(n=Count("manager", distinct=True))["n"] or 0
    rated = _rated(scope, rounds.values("pk"))
    gap_yes = Case(When(gap__gt=0, then=Value(1)), default=Value(0), output_field=IntegerField())
    # The breakdowns: by team within an organisation, by sector across them.
    dims = ["mlevel", "sector"] if scope.organisation is None else ["team", "mlevel"]
    by_node = list(
        rated.values("node_id", "edition", "domain", *dims).annotate(
            assessed=Count("id"), with_gap=Sum(gap_yes), gap_sum=Sum("gap")
        )
    )
    by_domain = list(
        rated.values("edition", "domain", *dims).annotate(
            assessed=Count("assessment__manager", distinct=True),
            with_gap=Count("assessment__manager", distinct=True, filter=Q(gap__gt=0)),
            gap_sum=Sum("gap"),
            ratings=Count("id"),
        )
    )
    keys = {(r["edition"], r["domain"]) for r in by_domain}
    labels, order = _node_labels(keys, {r["node_id"] for r in by_node})
    # row key -> breakdown -> value -> [assessed, with a gap, sum of gaps, ratings]
    agg: dict[Any, dict[str, dict[Any, list[int]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0]))
    )
    for r in by_node:
        for d in dims:
            a = agg[r["node_id"]][d][r[d]]
            a[0] += r["assessed"]
            a[1] += r["with_gap"] or 0
            a[2] += r["gap_sum"] or 0
            a[3] += r["assessed"]
    for r in by_domain:
        for d in dims:
            a = agg[(r["edition"], r["domain"])][d][r[d]]
            a[0] += r["assessed"]
            a[1] += r["with_gap"] or 0
            a[2] += r["gap_sum"] or 0
            a[3] += r["ratings"]
    # Domains in framework order, each followed by its competences.
    node_domain = {r["node_id"]: (r["edition"], r["domain"]) for r in by_node}
    rows_order: list[Any] = []
    for dkey in (k for k in order if isinstance(k, tuple)):
        rows_order.append(dkey)
        rows_order.extend(
            k for k in order if not isinstance(k, tuple) and node_domain.get(k) == dkey
        )
    tables: list[Table] = []
    for key, title, values in _breakdowns(scope, org_ids):
        known = {v for v, _l in values}
        columns = [label for _v, label in values] + [_("All")]
        count_rows: list[tuple[str, list[Cell]]] = []
        mean_rows: list[tuple[str, list[Cell]]] = []
        assessed_rows: list[list[int | None]] = []
        for rk in rows_order:
            groups = agg[rk][key]
            cols: list[list[int]] = []
            for v, _label in values:
                if v is None:  # not recorded, or a value not in the list
                    extra = [0, 0, 0, 0]
                    for gv, g in groups.items():
                        if gv is None or gv == "" or gv not in known:
                            extra = [x + y for x, y in zip(extra, g, strict=True)]
                    cols.append(extra)
                else:
                    cols.append(list(groups.get(v, [0, 0, 0, 0])))
            cols.append([sum(c[i] for c in cols) for i in range(4)])
            label = ("" if isinstance(rk, tuple) else "— ") + labels.get(rk, "")
            count_rows.append((label, [Cell(c[1]) for c in cols]))
            mean_rows.append((label, [Cell(round(c[2] / c[3], 2) if c[3] else None) for c in cols]))
            assessed_rows.append([c[0] for c in cols])
        counts = Table(
            title=_("Managers with a gap, by %(breakdown)s") % {"breakdown": title},
            columns=columns,
            rows=count_rows,
            total_column=len(columns) - 1,
        )
        mask = sup.suppress_table(counts)
        means = Table(
            title=_("Mean gap, by %(breakdown)s") % {"breakdown": title},
            columns=columns,
            rows=mean_rows,
            total_column=len(columns) - 1,
            counts_people=False,
            heatmap=True,
        )
        # A mean is hidden when it describes fewer than 5 people, or when the count of
        # managers with a gap beside it is hidden (a mean of 0 would give that away).
        small = sup.primary_mask(assessed_rows)
        mean_mask = [
            [a or b for a, b in zip(r1, r2, strict=True)]
            for r1, r2 in zip(mask, small, strict=True)
        ]
        sup.apply_mask(means, mean_mask)
        hidden = sum(m for row in mean_mask for m in row)
        if hidden:
            means.notes.append(
                _(
                    "%(count)d mean gaps are hidden: they describe fewer than %(min)d "
                    "people, or the number of managers with a gap beside them is hidden."
                )
                % {"count": hidden, "min": sup.min_group()}
            )
        tables.extend([means, counts])
    report = Report(
        name="learning-needs",
        title=_("Learning needs"),
        tables=tables,
        suppressed_count=0,
        people_count=sup.people_count(people),
        notes=[
            _(
                "From each manager's latest completed self-assessment: the gap is the "
                "expected level minus the manager's own rating (never below 0). A domain "
                "counts each manager once."
            )
        ],
        scope=scope,
    )
    return sup.finish(report)


# --- qualification coverage -----------------------------------------------------------


def qualification_coverage(scope: ReportScope) -> Report:
    from waymark.signposting.models import Qualification

    org_ids = scope.organisation_ids()
    people_q = _filtered_people(scope, org_ids)
    held = QualificationRecord.objects.filter(organisation_id__in=org_ids)
    specs = Specification.objects.filter(
        organisation_id__in=org_ids, current__role_profile__isnull=False
    )
    if people_q is not None:
        held = held.filter(user_id__in=people_q)
        specs = specs.filter(manager_id__in=people_q)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    titles: dict[str, str] = {}
    for slug, qtitle, title, status, n in (
        held.order_by()
        .values_list("qualification__slug", "qualification__title", "title", "status")
        .annotate(n=Count("user_id", distinct=True))
    ):
        key = slug or title.strip().lower()
        titles.setdefault(key, qtitle or title)
        counts[key][status] += n
    needed = list(
        specs.order_by()
        .values_list("current__role_profile__qualifications__title")
        .annotate(n=Count("manager_id", distinct=True))
    )
    wanted = {t.strip() for t, _n in needed if t}
    catalogue: dict[str, tuple[str, str]] = {}
    if wanted:
        catalogue = {
            q.title.strip().lower(): (q.slug, q.title)
            for q in Qualification.objects.filter(title__in=wanted).only("slug", "title")
        }
    for t, n in needed:
        if not t:
            continue
        slug, ctitle = catalogue.get(t.strip().lower(), (t.strip().lower(), t.strip()))
        titles.setdefault(slug, ctitle)
        counts[slug]["needed"] += n
    people = max(
        held.values("user_id").distinct().count(), specs.values("manager_id").distinct().count()
    )
    rows = [
        (
            titles[k],
            [
                Cell(counts[k][QualificationStatus.HELD]),
                Cell(counts[k][QualificationStatus.STUDYING]),
                Cell(counts[k]["needed"]),
            ],
        )
        for k in sorted(titles, key=lambda k: titles[k].lower())
    ]
    table = Table(
        title=_("Qualifications held, being studied and needed"),
        columns=[_("Held"), _("Studying"), _("Needed by role profiles")],
        rows=rows,
    )
    sup.suppress_table(table)
    report = Report(
        name="qualification-coverage",
        title=_("Qualification coverage"),
        tables=[table],
        suppressed_count=0,
        people_count=sup.people_count(people),
        notes=[
            _(
                "Held and studying come from workforce records; needed counts managers "
                "whose PMS started from a role profile that asks for the qualification "
                "(matched to the catalogue by title where possible)."
            )
        ],
        scope=scope,
    )
    return sup.finish(report)


# --- CPD activity ---------------------------------------------------------------------

CPD_MONTHS = 12


def month_starts(today: dt.date, months: int) -> list[dt.date]:
    y, m = today.year, today.month
    out = []
    for _i in range(months):
        out.append(dt.date(y, m, 1))
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    return list(reversed(out))


def cpd_activity(scope: ReportScope) -> Report:
    org_ids = scope.organisation_ids()
    months = month_starts(timezone.localdate(), CPD_MONTHS)
    # Never a private entry: only those shared with supporters or from a programme.
    entries = Entry.objects.filter(organisation_id__in=org_ids, date__gte=months[0]).filter(
        ~Q(visibility=Visibility.PRIVATE) | Q(source="programme")
    )
    people_q = _filtered_people(scope, org_ids)
    if people_q is not None:
        entries = entries.filter(manager_id__in=people_q)
    entries = entries.order_by().annotate(month=TruncMonth("date"))
    figures = {
        "n": Count("id"),
        "hours": Sum("hours"),
        "people": Count("manager_id", distinct=True),
    }
    cells: dict[Any, Any] = {
        (r["month"], r["activity_type"]): r
        for r in entries.values("month", "activity_type").annotate(**figures)
    }
    per_month: dict[Any, Any] = {r["month"]: r for r in entries.values("month").annotate(**figures)}
    people = entries.values("manager_id").distinct().count()
    types = list(ActivityType.choices)
    columns = [str(label) for _c, label in types] + [_("All types")]
    e_rows: list[tuple[str, list[Cell]]] = []
    h_rows: list[tuple[str, list[Cell]]] = []
    p_rows: list[list[int | None]] = []
    for month in months:
        found = [cells.get((month, code)) for code, _label in types] + [per_month.get(month)]
        e_rows.append((month.strftime("%b %Y"), [Cell(r["n"] if r else 0) for r in found]))
        h_rows.append(
            (month.strftime("%b %Y"), [Cell(float(r["hours"] or 0) if r else 0.0) for r in found])
        )
        p_rows.append([r["people"] if r else 0 for r in found])
    e_table = Table(
        title=_("CPD entries per month, by type of learning"),
        columns=columns,
        rows=e_rows,
        total_column=len(columns) - 1,
        counts_people=False,
    )
    mask = sup.suppress_table(e_table, p_rows)
    h_table = Table(
        title=_("Hours of CPD per month, by type of learning"),
        columns=columns,
        rows=h_rows,
        total_column=len(columns) - 1,
        counts_people=False,
    )
    sup.apply_mask(h_table, mask)
    h_table.notes = list(e_table.notes)
    report = Report(
        name="cpd-activity",
        title=_("CPD activity"),
        tables=[e_table, h_table],
        suppressed_count=0,
        people_count=sup.people_count(people),
        notes=[
            _(
                "Only CPD entries shared with supporters or recorded from a programme are "
                "counted, over the last %(months)d months. Private entries and all "
                "reflections never feed any report. A figure is hidden when fewer than "
                "%(min)d managers made the entries."
            )
            % {"months": CPD_MONTHS, "min": sup.min_group()}
        ],
        scope=scope,
    )
    return sup.finish(report)


# --- succession -----------------------------------------------------------------------


def succession(scope: ReportScope) -> Report:
    org_ids = scope.organisation_ids()
    round_ids = list(latest_rounds(scope, org_ids).values_list("pk", flat=True))
    profiles = list(
        RoleProfile.objects.filter(organisation_id__in=org_ids, archived=False)
        .annotate(n=Count("competences"))
        .filter(n__gt=0)
        .order_by("title", "pk")
    )
    ready_rows: list[tuple[str, list[Cell]]] = []
    gap_tables: list[Table] = []
    for profile in profiles:
        total: int = profile.n
        expected = RoleCompetence.objects.filter(
            role_profile=profile, node=OuterRef("node")
        ).values("expected_level")[:1]
        met = (
            Rating.objects.filter(assessment_id__in=round_ids, level__isnull=False)
            .annotate(expected=Subquery(expected))
            .filter(expected__isnull=False, level__gte=F("expected"))
            .order_by()
        )
        met_by_round = dict(met.values_list("assessment_id").annotate(n=Count("id")))
        gaps = {rid: total - met_by_round.get(rid, 0) for rid in round_ids}
        ready = sum(1 for g in gaps.values() if g == 0)
        close_ids = [rid for rid, g in gaps.items() if 0 < g <= 2]
        ready_rows.append((profile.title, [Cell(ready), Cell(len(close_ids))]))
        if sup.is_small(len(close_ids)):
            continue
        met_close = dict(
            met.filter(assessment_id__in=close_ids).values_list("node_id").annotate(n=Count("id"))
        )
        rows = [
            (
                f"{c.node.code} {c.node.title or c.node.statement[:80]}".strip(),
                [Cell(len(close_ids) - met_close.get(c.node_id, 0))],
            )
            for c in RoleCompetence.objects.filter(role_profile=profile)
            .select_related("node")
            .order_by("node__edition_id", "node__path")
        ]
        t = Table(
            title=_("Gaps of the managers close to “%(role)s”") % {"role": profile.title},
            columns=[_("Managers close to it with a gap here")],
            rows=rows,
        )
        sup.suppress_table(t)
        gap_tables.append(t)
    ready_table = Table(
        title=_("Readiness for each role profile"),
        columns=[_("Ready: meets every expected level"), _("Close: one or two gaps")],
        rows=ready_rows,
    )
    sup.suppress_table(ready_table)
    report = Report(
        name="succession",
        title=_("Succession readiness"),
        tables=[ready_table, *gap_tables],
        suppressed_count=0,
        people_count=sup.people_count(len(round_ids)),
        notes=[
            _(
                "Each manager's latest completed self-assessment against each active role "
                "profile's expected levels (a competence not rated counts as a gap). "
                "Counts only: no names."
            )
        ],
        scope=scope,
    )
    return sup.finish(report)


# --- trends ---------------------------------------------------------------------------


def trends(scope: ReportScope) -> Report:
    org_ids = scope.organisation_ids()
    rounds = SelfAssessment.objects.filter(organisation_id__in=org_ids, submitted_at__isnull=False)
    people_q = _filtered_people(scope, org_ids)
    if people_q is not None:
        rounds = rounds.filter(manager_id__in=people_q)
    # "YYYY-MM" of completion (UTC), read as text: no per-row date function.
    rated = _rated(scope, rounds.values("pk"), breakdown=False).annotate(
        ym=Substr(Cast("assessment__submitted_at", CharField()), 1, 7)
    )
    data = list(
        rated.values("edition", "domain", "ym").annotate(
            gap_sum=Sum("gap"), n=Count("id"), people=Count("assessment__manager", distinct=True)
        )
    )
    # Fold months into half-years. A manager completes at most one round in a month
    # in practice; people per half-year are summed over months (an upper bound), so
    # the count used for hiding is the largest month's, a lower bound.
    halves: dict[tuple[int, str, tuple[int, int]], list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in data:
        year, month = int(r["ym"][:4]), int(r["ym"][5:7])
        h = halves[(r["edition"], r["domain"], (year, 1 if month <= 6 else 2))]
        h[0] += r["gap_sum"] or 0
        h[1] += r["n"]
        h[2] = max(h[2], r["people"])
    people = rounds.values("manager_id").distinct().count()
    periods = sorted({k[2] for k in halves})
    labels, order = _node_labels({(k[0], k[1]) for k in halves}, set())
    rows: list[tuple[str, list[Cell]]] = []
    ppl: list[list[int | None]] = []
    for k in order:
        found = [halves.get((k[0], k[1], p)) for p in periods]
        rows.append(
            (labels[k], [Cell(round(h[0] / h[1], 2) if h and h[1] else None) for h in found])
        )
        ppl.append([h[2] if h else 0 for h in found])
    columns = [
        (_("January to June %(year)d") if half == 1 else _("July to December %(year)d"))
        % {"year": year}
        for year, half in periods
    ]
    table = Table(
        title=_("Mean gap by domain, by half-year of completion"),
        columns=columns,
        rows=rows,
        counts_people=False,
    )
    # Means have no totals to subtract from: only small groups are hidden.
    sup.suppress_table(table, ppl, complementary=False)
    report = Report(
        name="trends",
        title=_("Trends between assessment rounds"),
        tables=[table],
        suppressed_count=0,
        people_count=sup.people_count(people),
        notes=[
            _(
                "Every completed self-assessment round, by the half-year it was completed "
                "in. A mean is hidden when fewer than %(min)d managers completed a round "
                "in that half-year."
            )
            % {"min": sup.min_group()}
        ],
        scope=scope,
    )
    return sup.finish(report)


# --- workforce and diversity ----------------------------------------------------------


def cross_table(
    title: str,
    data: dict[tuple[str, str], int],
    row_values: list[tuple[str, str]],
    col_values: list[tuple[str, str]],
) -> Table:
    """A table of counts of people with row and column totals, suppressed."""
    known_r = {v for v, _l in row_values}
    known_c = {v for v, _l in col_values}
    norm: dict[tuple[str, str], int] = defaultdict(int)
    for (r, c), n in data.items():
        norm[(r if r in known_r else "", c if c in known_c else "")] += n
    rv = [*row_values, ("", _not_recorded())]
    cv = [*col_values, ("", _not_recorded())]
    rows: list[tuple[str, list[Cell]]] = []
    for r, rl in rv:
        cells = [Cell(norm.get((r, c), 0)) for c, _l in cv]
        cells.append(Cell(sum(norm.get((r, c), 0) for c, _l in cv)))
        rows.append((rl, cells))
    totals = [Cell(sum(norm.get((r, c), 0) for r, _l in rv)) for c, _l in cv]
    totals.append(Cell(sum(norm.values())))
    rows.append((_("All"), totals))
    columns = [label for _c, label in cv] + [_("All")]
    table = Table(
        title=title,
        columns=columns,
        rows=rows,
        total_column=len(columns) - 1,
        total_row=len(rows) - 1,
    )
    sup.suppress_table(table)
    return table


def workforce(scope: ReportScope) -> Report:
    org_ids = scope.organisation_ids()
    records = WorkforceRecord.objects.filter(organisation_id__in=org_ids)
    if scope.team_id is not None:
        records = records.filter(team_id=scope.team_id)
    if scope.level:
        records = records.filter(manager_level=scope.level)
    dims = ["service_area"]
    if scope.organisation is None:
        dims += ["organisation__sector", "organisation__size_band", "organisation__region"]
    data = list(records.order_by().values("manager_level", *dims).annotate(n=Count("id")))
    levels = [(c, str(label)) for c, label in ManagerLevel.choices]
    tables = []
    for dim, title, choices in [
        ("service_area", _("Managers by level and service area"), ServiceArea.choices),
        ("organisation__sector", _("Managers by level and sector"), Sector.choices),
        ("organisation__size_band", _("Managers by level and size band"), SizeBand.choices),
        ("organisation__region", _("Managers by level and region"), Region.choices),
    ]:
        if dim not in dims:
            continue
        agg: dict[tuple[str, str], int] = defaultdict(int)
        for r in data:
            agg[(r["manager_level"], r[dim])] += r["n"]
        tables.append(cross_table(title, agg, levels, [(c, str(label)) for c, label in choices]))
    report = Report(
        name="workforce",
        title=_("Workforce"),
        tables=tables,
        suppressed_count=0,
        people_count=sup.people_count(sum(r["n"] for r in data)),
        notes=[_("Managers with a workforce record, by their recorded level and categories.")],
        scope=scope,
    )
    return sup.finish(report)


def diversity(scope: ReportScope) -> Report:
    org_ids = scope.organisation_ids()
    titles = {
        "gender": _("Gender"),
        "ethnicity": _("Ethnic group"),
        "disability": _("Disability"),
        "age_band": _("Age band"),
    }
    tables = []
    people = 0
    for field_name in DIVERSITY_FIELDS:
        counts = diversity_counts(org_ids, field_name)
        people = max(people, sum(counts.values()))
        choices = list(DIVERSITY_CHOICES[field_name].choices)
        known = {c for c, _l in choices}
        rows = [(str(label), [Cell(counts.get(c, 0))]) for c, label in choices]
        rows.append(
            (_("Not answered"), [Cell(sum(n for v, n in counts.items() if v not in known))])
        )
        t = Table(title=titles.get(field_name, field_name), columns=[_("People")], rows=rows)
        sup.suppress_table(t)
        tables.append(t)
    notes = [
        _(
            "Diversity answers are optional and self-declared. They are shown only as "
            "counts, and any answer given by fewer than %(min)d people is hidden, "
            "including “Prefer not to say”."
        )
        % {"min": sup.min_group()}
    ]
    if scope.is_filtered:
        notes.append(_("The team and level filters do not apply to diversity monitoring."))
    report = Report(
        name="diversity",
        title=_("Diversity monitoring"),
        tables=tables,
        suppressed_count=0,
        people_count=sup.people_count(people),
        notes=notes,
        scope=scope,
    )
    return sup.finish(report)


for _spec in [
    ReportSpec(
        "learning-needs",
        _lazy("Learning needs"),
        learning_needs,
        True,
        _lazy("Gaps by domain and competence across managers, as a heatmap and a table."),
    ),
    ReportSpec(
        "qualification-coverage",
        _lazy("Qualification coverage"),
        qualification_coverage,
        True,
        _lazy("Qualifications held, being studied and needed by role profiles."),
    ),
    ReportSpec(
        "cpd-activity",
        _lazy("CPD activity"),
        cpd_activity,
        True,
        _lazy("Shared CPD entries and hours per month, by type of learning."),
    ),
    ReportSpec(
        "succession",
        _lazy("Succession readiness"),
        succession,
        False,
        _lazy("How many managers meet, or are close to, each role profile."),
    ),
    ReportSpec(
        "trends",
        _lazy("Trends"),
        trends,
        True,
        _lazy("Mean gap by domain in each half-year, across assessment rounds."),
    ),
    ReportSpec(
        "workforce",
        _lazy("Workforce"),
        workforce,
        True,
        _lazy("Managers by level and service area (and sector, size and region nationally)."),
    ),
    ReportSpec(
        "diversity",
        _lazy("Diversity monitoring"),
        diversity,
        True,
        _lazy("Counts of each answer to the optional monitoring questions."),
    ),
]:
    register(_spec)
