"""Writes to development programmes. Each runs in a transaction and leaves an audit
record. Bad input is refused with a ValidationError whose messages say what is wrong,
field by field; nothing is saved unless everything is acceptable.

Attendance flows into the CPD record: "present" makes a shared entry in the
participant's record through `cpd.services.entry_create` (once: re-recording never
duplicates it, and never touches what the participant wrote in it)."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waymark.core import audit
from waymark.cpd import services as cpd_services
from waymark.cpd.models import REFLECTION_FIELDS, Visibility
from waymark.cpd.models import Entry as CpdEntry
from waymark.frameworks.models import EditionStatus, Framework, Node
from waymark.organisations.models import Membership

from .models import (
    KIND_ACTIVITY,
    MAX_FURTHER_MODULES,
    MAX_MODULE_DAYS,
    PROGRAMME_MONTHS,
    Attendance,
    AttendanceStatus,
    Cohort,
    Group,
    GroupKind,
    GroupMember,
    GroupRole,
    Module,
    ModuleKind,
    Participant,
    Programme,
    ProgrammeStatus,
    Session,
    SessionFeedback,
    Template,
)

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.organisations.models import Organisation

MESSAGES = {
    "title_required": _("Enter a title"),
    "end_before_start": _("The end date must be the same as or after the start date"),
    "status": _("Choose draft, running or finished"),
    "template": _("Choose a template"),
    "module_count": _("Choose between 0 and 6 further modules"),
    "module_days": _("A module in this programme can be at most 3 days long"),
    "days_positive": _("The length must be at least half a day"),
    "framework_required": _("Choose the framework whose domains the sessions follow"),
    "framework_empty": _("That framework has no published domains to follow"),
    "kind": _("Choose the kind of module"),
    "node_draft": _("Choose items from published frameworks only"),
    "cohort_other": _("Choose a cohort of this programme"),
    "module_other": _("Choose a module of this programme"),
    "session_outside": _("The date must fall within the cohort's dates, {start} to {end}"),
    "times": _("The end time must be after the start time"),
    "facilitator_member": _("Choose facilitators who are members of the organisation"),
    "participant_member": _("{name} is not a member of this organisation"),
    "participant_recorded": _(
        "{name} has attendance recorded in this cohort, so stays a participant"
    ),
    "attendance_future": _("Attendance can be recorded on or after the day of the session"),
    "attendance_status": _("Choose present, absent or sent apologies for {name}"),
    "attendance_unknown": _("Someone in the list is not a participant of this cohort"),
    "attendance_duplicate": _("{name} appears more than once: record each person once"),
    "feedback_not_present": _("Only participants who attended the session can give feedback"),
    "feedback_twice": _("You have already given feedback on this session"),
    "score": _("Choose a score from 1 to 5"),
    "group_member": _("Choose members of the organisation"),
    "pair_roles": _("A mentoring pair has exactly one mentor and one mentee"),
    "pair_same": _("The mentor and the mentee must be different people"),
    "group_programme": _("Choose a programme of this organisation"),
    "group_empty": _("Choose at least one member"),
}


@dataclass
class _Problems:
    errors: dict[str, list[Any]] = field(default_factory=dict)

    def add(self, name: str, message: Any) -> None:
        self.errors.setdefault(name, []).append(message)

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_weekday(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _working_days(start: datetime.date, count: int) -> list[datetime.date]:
    days: list[datetime.date] = []
    day = next_weekday(start)
    while len(days) < count:
        days.append(day)
        day = next_weekday(day + datetime.timedelta(days=1))
    return days


def _is_member(organisation: Organisation, user: User) -> bool:
    return Membership.objects.filter(organisation=organisation, user=user).exists()


def _check_nodes(nodes: Sequence[Node], problems: _Problems) -> None:
    ids = [n.pk for n in nodes]
    if ids and Node.objects.filter(pk__in=ids, edition__status=EditionStatus.DRAFT).exists():
        problems.add("nodes", MESSAGES["node_draft"])


# --- programmes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeInput:
    title: str
    start_date: datetime.date
    end_date: datetime.date
    description: str = ""
    status: str = ProgrammeStatus.DRAFT.value


def _validate_programme(data: ProgrammeInput) -> None:
    problems = _Problems()
    if not (data.title or "").strip():
        problems.add("title", MESSAGES["title_required"])
    if data.status not in ProgrammeStatus.values:
        problems.add("status", MESSAGES["status"])
    if data.start_date and data.end_date and data.end_date < data.start_date:
        problems.add("end_date", MESSAGES["end_before_start"])
    problems.raise_any()


@transaction.atomic
def programme_create(
    *, actor: User | None, organisation: Organisation, data: ProgrammeInput
) -> Programme:
    _validate_programme(data)
    programme = Programme.objects.create(
        organisation=organisation,
        title=data.title.strip(),
        description=data.description,
        status=data.status,
        start_date=data.start_date,
        end_date=data.end_date,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="programmes.programme.create",
        obj=programme,
        organisation=organisation,
        summary=f"Created programme {programme.pk} “{programme.title}”",
    )
    return programme


@transaction.atomic
def programme_update(*, actor: User, programme: Programme, data: ProgrammeInput) -> Programme:
    _validate_programme(data)
    fresh = Programme.objects.select_for_update().get(pk=programme.pk)
    values = {
        "title": data.title.strip(),
        "description": data.description,
        "status": data.status,
        "start_date": data.start_date,
        "end_date": data.end_date,
    }
    changes = audit.diff(fresh, values)
    for name, value in values.items():
        setattr(fresh, name, value)
    fresh.save()
    audit.record(
        actor=actor,
        action="programmes.programme.update",
        obj=fresh,
        organisation=fresh.organisation,
        summary=f"Changed programme {fresh.pk}",
        changes=changes,
    )
    return fresh


@dataclass(frozen=True)
class TemplateInput:
    """What the "create from a template" form asks."""

    template: str
    title: str
    start_date: datetime.date
    description: str = ""
    cohort_name: str = ""
    # Template "modular": how many further modules (0 to 6), each of how many days (≤ 3).
    module_count: int = 6
    module_days: Decimal = Decimal("2")
    # Template "monthly": the framework whose domains the sessions follow.
    framework: Framework | None = None
    start_time: datetime.time = datetime.time(9, 30)
    end_time: datetime.time = datetime.time(16, 30)
    place: str = ""


def framework_domains(framework: Framework) -> list[Node]:
    """The top-level items (domains) of the framework's current published edition."""
    edition = (
        framework.editions.filter(is_current=True, status=EditionStatus.PUBLISHED).first()
        or framework.editions.filter(status=EditionStatus.PUBLISHED).order_by("-id").first()
    )
    if edition is None:
        return []
    return list(Node.objects.filter(edition=edition, depth=0).order_by("path"))


@dataclass(frozen=True)
class PlannedModule:
    title: str
    kind: str
    days: Decimal
    dates: tuple[datetime.date, ...]
    nodes: tuple[Node, ...] = ()
    description: str = ""


def plan_template(data: TemplateInput) -> list[PlannedModule]:
    """The modules and proposed session dates a template makes (raises ValidationError)."""
    problems = _Problems()
    if data.template not in (Template.MODULAR, Template.MONTHLY):
        problems.add("template", MESSAGES["template"])
        problems.raise_any()
    if data.template == Template.MODULAR:
        if not 0 <= data.module_count <= MAX_FURTHER_MODULES:
            problems.add("module_count", MESSAGES["module_count"])
        if data.module_days is None or data.module_days <= 0:
            problems.add("module_days", MESSAGES["days_positive"])
        elif data.module_days > MAX_MODULE_DAYS:
            problems.add("module_days", MESSAGES["module_days"])
        problems.raise_any()
        return _plan_modular(data)
    if data.framework is None:
        problems.add("framework", MESSAGES["framework_required"])
        problems.raise_any()
    assert data.framework is not None
    domains = framework_domains(data.framework)
    if not domains:
        problems.add("framework", MESSAGES["framework_empty"])
        problems.raise_any()
    return [
        PlannedModule(
            title=str(_("Monthly session: {domain}")).format(domain=node.display_title),
            kind=ModuleKind.MONTHLY,
            days=Decimal("0.5"),
            dates=(next_weekday(add_months(data.start_date, i)),),
            nodes=(node,),
            description=str(
                _(
                    "One domain of the framework as the focus of the session, with "
                    "resources to prepare or to structure the discussion."
                )
            ),
        )
        for i, node in enumerate(domains)
    ]


def _plan_modular(data: TemplateInput) -> list[PlannedModule]:
    """An introductory module, N further modules, a final learning review, spread over
    about ten months [seed 001 §11.4]."""
    days_each = int(data.module_days.to_integral_value(rounding="ROUND_CEILING"))
    end = add_months(data.start_date, PROGRAMME_MONTHS)
    span = (end - data.start_date).days
    steps = data.module_count + 1
    planned = [
        PlannedModule(
            title=str(_("Introductory module: personal feedback and development plan")),
            kind=ModuleKind.INTRODUCTORY,
            days=Decimal("1"),
            dates=tuple(_working_days(data.start_date, 1)),
            description=str(
                _(
                    "Personal feedback (for example from a 360° review), identifying key "
                    "challenges and learning needs, and a personal development plan."
                )
            ),
        )
    ]
    for i in range(1, data.module_count + 1):
        start = data.start_date + datetime.timedelta(days=round(i * span / steps))
        planned.append(
            PlannedModule(
                title=str(_("Module {n}")).format(n=i),
                kind=ModuleKind.MODULE,
                days=data.module_days,
                dates=tuple(_working_days(start, days_each)),
                description=str(_("Theory and practice, with case studies and simulations.")),
            )
        )
    planned.append(
        PlannedModule(
            title=str(_("Final module: personal learning review")),
            kind=ModuleKind.FINAL_REVIEW,
            days=Decimal("1"),
            dates=tuple(_working_days(end, 1)),
            description=str(_("Each participant reviews what they learnt and what changed.")),
        )
    )
    return planned


def programme_create_from_template(
    *, actor: User | None, organisation: Organisation, data: TemplateInput
) -> Programme:
    """A programme with one cohort, the template's modules and a session for each day
    of each module on proposed dates, all editable afterwards."""
    problems = _Problems()
    if not (data.title or "").strip():
        problems.add("title", MESSAGES["title_required"])
    if data.end_time <= data.start_time:
        problems.add("end_time", MESSAGES["times"])
    try:
        planned = plan_template(data)
    except ValidationError as e:
        for name, messages in e.message_dict.items():
            for message in messages:
                problems.add(name, message)
        planned = []
    problems.raise_any()
    all_dates = [d for m in planned for d in m.dates]
    start, end = min([*all_dates, data.start_date]), max(all_dates)
    monthly = data.template == Template.MONTHLY
    with transaction.atomic():
        programme = Programme.objects.create(
            organisation=organisation,
            title=data.title.strip(),
            description=data.description,
            start_date=start,
            end_date=end,
            template=data.template,
            framework=data.framework if monthly else None,
            created_by=actor,
        )
        cohort = Cohort.objects.create(
            programme=programme,
            name=data.cohort_name.strip() or str(_("Cohort 1")),
            start_date=start,
            end_date=end,
        )
        start_time, end_time = data.start_time, data.end_time
        if monthly and (start_time, end_time) == (datetime.time(9, 30), datetime.time(16, 30)):
            start_time, end_time = datetime.time(14, 0), datetime.time(16, 0)
        for sequence, plan in enumerate(planned, start=1):
            module = Module.objects.create(
                programme=programme,
                sequence=sequence,
                title=plan.title,
                description=plan.description,
                kind=plan.kind,
                days=plan.days,
                activity_type=KIND_ACTIVITY[ModuleKind(plan.kind)],
            )
            module.nodes.set(plan.nodes)
            for day in plan.dates:
                Session.objects.create(
                    programme=programme,
                    module=module,
                    cohort=cohort,
                    date=day,
                    start_time=start_time,
                    end_time=end_time,
                    place=data.place,
                )
        audit.record(
            actor=actor,
            action="programmes.programme.create",
            obj=programme,
            organisation=organisation,
            summary=f"Created programme {programme.pk} “{programme.title}” from the "
            f"{data.template} template ({len(planned)} modules)",
            changes={"template": data.template, "modules": len(planned)},
        )
    return programme


# --- cohorts -------------------------------------------------------------------------------


@transaction.atomic
def cohort_create(
    *,
    actor: User,
    programme: Programme,
    name: str,
    start_date: datetime.date,
    end_date: datetime.date,
) -> Cohort:
    problems = _Problems()
    if not (name or "").strip():
        problems.add("name", _("Enter a name for the cohort"))
    elif Cohort.objects.filter(programme=programme, name=name.strip()).exists():
        problems.add("name", _("This programme already has a cohort with that name"))
    if end_date < start_date:
        problems.add("end_date", MESSAGES["end_before_start"])
    problems.raise_any()
    cohort = Cohort.objects.create(
        programme=programme, name=name.strip(), start_date=start_date, end_date=end_date
    )
    audit.record(
        actor=actor,
        action="programmes.cohort.create",
        obj=cohort,
        organisation=programme.organisation,
        summary=f"Added cohort {cohort.pk} to programme {programme.pk}",
    )
    return cohort


@transaction.atomic
def cohort_update(
    *,
    actor: User,
    cohort: Cohort,
    name: str,
    start_date: datetime.date,
    end_date: datetime.date,
) -> Cohort:
    """Rename a cohort or change its dates; its sessions must still fall within them."""
    problems = _Problems()
    name = (name or "").strip()
    if not name:
        problems.add("name", _("Enter a name for the cohort"))
    elif (
        Cohort.objects.filter(programme_id=cohort.programme_id, name=name)
        .exclude(pk=cohort.pk)
        .exists()
    ):
        problems.add("name", _("This programme already has a cohort with that name"))
    if end_date < start_date:
        problems.add("end_date", MESSAGES["end_before_start"])
    else:
        outside = (
            cohort.sessions.exclude(date__gte=start_date, date__lte=end_date)
            .order_by("date")
            .first()
        )
        if outside is not None:
            problems.add(
                "start_date" if outside.date < start_date else "end_date",
                str(_("A session of this cohort is on {date}: the dates must include it")).format(
                    date=f"{outside.date:%-d %B %Y}"
                ),
            )
    problems.raise_any()
    fresh = Cohort.objects.select_for_update().get(pk=cohort.pk)
    values = {"name": name, "start_date": start_date, "end_date": end_date}
    changes = audit.diff(fresh, values)
    for key, value in values.items():
        setattr(fresh, key, value)
    fresh.save()
    audit.record(
        actor=actor,
        action="programmes.cohort.update",
        obj=fresh,
        organisation=cohort.programme.organisation,
        summary=f"Changed cohort {fresh.pk} of programme {cohort.programme_id}",
        changes=changes,
    )
    return fresh


# --- modules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleInput:
    title: str
    kind: str
    days: Decimal
    sequence: int = 1
    description: str = ""
    activity_type: str = ""
    nodes: tuple[Node, ...] = ()


def _validate_module(programme: Programme, data: ModuleInput) -> None:
    problems = _Problems()
    if not (data.title or "").strip():
        problems.add("title", MESSAGES["title_required"])
    if data.kind not in ModuleKind.values:
        problems.add("kind", MESSAGES["kind"])
    if data.days is None or data.days <= 0:
        problems.add("days", MESSAGES["days_positive"])
    elif programme.limits_module_days and data.days > MAX_MODULE_DAYS:
        problems.add("days", MESSAGES["module_days"])
    elif data.days > Decimal("10"):
        problems.add("days", _("A module can be at most 10 days long"))
    if (
        programme.template == Template.MODULAR
        and data.kind == ModuleKind.MODULE
        and Module.objects.filter(programme=programme, kind=ModuleKind.MODULE).count()
        >= MAX_FURTHER_MODULES
    ):
        problems.add("kind", _("This programme already has 6 further modules, the most it can"))
    _check_nodes(data.nodes, problems)
    problems.raise_any()


def _module_values(data: ModuleInput) -> dict[str, Any]:
    return {
        "title": data.title.strip(),
        "kind": data.kind,
        "days": data.days,
        "sequence": data.sequence,
        "description": data.description,
        "activity_type": data.activity_type or KIND_ACTIVITY[ModuleKind(data.kind)],
    }


@transaction.atomic
def module_create(*, actor: User, programme: Programme, data: ModuleInput) -> Module:
    _validate_module(programme, data)
    module = Module.objects.create(programme=programme, **_module_values(data))
    module.nodes.set(data.nodes)
    audit.record(
        actor=actor,
        action="programmes.module.create",
        obj=module,
        organisation=programme.organisation,
        summary=f"Added module {module.pk} to programme {programme.pk}",
    )
    return module


@transaction.atomic
def module_update(*, actor: User, module: Module, data: ModuleInput) -> Module:
    fresh = Module.objects.select_for_update().select_related("programme").get(pk=module.pk)
    programme = fresh.programme
    if fresh.kind == ModuleKind.MODULE and data.kind == ModuleKind.MODULE:
        # Changing a further module is not adding one.
        problems = _Problems()
        if not (data.title or "").strip():
            problems.add("title", MESSAGES["title_required"])
        if data.days is None or data.days <= 0:
            problems.add("days", MESSAGES["days_positive"])
        elif programme.limits_module_days and data.days > MAX_MODULE_DAYS:
            problems.add("days", MESSAGES["module_days"])
        _check_nodes(data.nodes, problems)
        problems.raise_any()
    else:
        _validate_module(programme, data)
    values = _module_values(data)
    changes = audit.diff(fresh, values)
    for name, value in values.items():
        setattr(fresh, name, value)
    fresh.save()
    before = set(fresh.nodes.values_list("pk", flat=True))
    fresh.nodes.set(data.nodes)
    if before != {n.pk for n in data.nodes}:
        changes["nodes"] = [len(before), len(data.nodes)]
    audit.record(
        actor=actor,
        action="programmes.module.update",
        obj=fresh,
        organisation=programme.organisation,
        summary=f"Changed module {fresh.pk} of programme {programme.pk}",
        changes=changes,
    )
    return fresh


# --- sessions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionInput:
    module: Module
    cohort: Cohort
    date: datetime.date
    start_time: datetime.time
    end_time: datetime.time
    place: str = ""
    online_link: str = ""
    facilitators: tuple[User, ...] = ()
    external_facilitators: str = ""


def _validate_session(programme: Programme, data: SessionInput) -> None:
    problems = _Problems()
    if data.module.programme_id != programme.pk:
        problems.add("module", MESSAGES["module_other"])
    if data.cohort.programme_id != programme.pk:
        problems.add("cohort", MESSAGES["cohort_other"])
    elif data.date and not data.cohort.covers(data.date):
        problems.add(
            "date",
            str(MESSAGES["session_outside"]).format(
                start=f"{data.cohort.start_date:%-d %B %Y}", end=f"{data.cohort.end_date:%-d %B %Y}"
            ),
        )
    if data.start_time and data.end_time and data.end_time <= data.start_time:
        problems.add("end_time", MESSAGES["times"])
    ids = {u.pk for u in data.facilitators}
    if ids and Membership.objects.filter(
        organisation=programme.organisation, user_id__in=ids
    ).values("user_id").distinct().count() != len(ids):
        problems.add("facilitators", MESSAGES["facilitator_member"])
    problems.raise_any()


def _session_values(data: SessionInput) -> dict[str, Any]:
    return {
        "module": data.module,
        "cohort": data.cohort,
        "date": data.date,
        "start_time": data.start_time,
        "end_time": data.end_time,
        "place": data.place.strip(),
        "online_link": data.online_link.strip(),
        "external_facilitators": data.external_facilitators.strip(),
    }


@transaction.atomic
def session_create(*, actor: User, programme: Programme, data: SessionInput) -> Session:
    _validate_session(programme, data)
    session = Session.objects.create(programme=programme, **_session_values(data))
    session.facilitators.set(data.facilitators)
    audit.record(
        actor=actor,
        action="programmes.session.create",
        obj=session,
        organisation=programme.organisation,
        summary=f"Added session {session.pk} to programme {programme.pk}",
    )
    return session


@transaction.atomic
def session_update(*, actor: User, session: Session, data: SessionInput) -> Session:
    fresh = Session.objects.select_for_update().select_related("programme").get(pk=session.pk)
    programme = fresh.programme
    _validate_session(programme, data)
    values = _session_values(data)
    changes = audit.diff(fresh, values)
    for name, value in values.items():
        setattr(fresh, name, value)
    fresh.save()
    fresh.facilitators.set(data.facilitators)
    audit.record(
        actor=actor,
        action="programmes.session.update",
        obj=fresh,
        organisation=programme.organisation,
        summary=f"Changed session {fresh.pk} of programme {programme.pk}",
        changes=changes,
    )
    return fresh


@transaction.atomic
def session_delete(*, actor: User, session: Session) -> None:
    """Delete a session nobody's attendance was recorded for."""
    if Attendance.objects.filter(session=session).exists():
        raise ValidationError(
            {"__all__": [_("Attendance has been recorded for this session, so it stays.")]}
        )
    programme = session.programme
    audit.record(
        actor=actor,
        action="programmes.session.delete",
        obj=session,
        organisation=programme.organisation,
        summary=f"Deleted session {session.pk} of programme {programme.pk}",
    )
    session.delete()


@transaction.atomic
def module_delete(*, actor: User, module: Module) -> None:
    """Delete a module and its sessions, if no attendance was recorded at any of them."""
    if Attendance.objects.filter(session__module=module).exists():
        raise ValidationError(
            {
                "__all__": [
                    _("Attendance has been recorded at a session of this module, so it stays.")
                ]
            }
        )
    programme = module.programme
    audit.record(
        actor=actor,
        action="programmes.module.delete",
        obj=module,
        organisation=programme.organisation,
        summary=f"Deleted module {module.pk} of programme {programme.pk} and its sessions",
    )
    module.delete()


# --- participants --------------------------------------------------------------------------


@transaction.atomic
def participants_set(*, actor: User, cohort: Cohort, users: Iterable[User]) -> list[Participant]:
    """Make the cohort's participants exactly `users`. People removed keep nothing in
    the cohort, but CPD entries already made stay theirs."""
    programme = cohort.programme
    organisation = programme.organisation
    wanted = {u.pk: u for u in users}
    members = set(
        Membership.objects.filter(organisation=organisation, user_id__in=wanted).values_list(
            "user_id", flat=True
        )
    )
    strangers = [u for pk, u in wanted.items() if pk not in members]
    if strangers:
        raise ValidationError(
            {
                "users": [
                    str(MESSAGES["participant_member"]).format(name=u.display_name)
                    for u in strangers
                ]
            }
        )
    current = {p.user_id: p for p in cohort.participants.select_related("user")}
    removed = [p for uid, p in current.items() if uid not in wanted]
    # Attendance and feedback are part of the programme's record: keep them.
    recorded = [p for p in removed if Attendance.objects.filter(participant=p).exists()]
    if recorded:
        raise ValidationError(
            {
                "users": [
                    str(MESSAGES["participant_recorded"]).format(name=p.user.display_name)
                    for p in recorded
                ]
            }
        )
    added = [uid for uid in wanted if uid not in current]
    for p in removed:
        p.delete()
    Participant.objects.bulk_create(
        [Participant(cohort=cohort, organisation=organisation, user_id=uid) for uid in added]
    )
    if added or removed:
        audit.record(
            actor=actor,
            action="programmes.participants.set",
            obj=cohort,
            organisation=organisation,
            summary=f"Changed participants of cohort {cohort.pk} of programme {programme.pk}",
            changes={"added": sorted(added), "removed": sorted(p.user_id for p in removed)},
        )
    return list(cohort.participants.select_related("user"))


# --- attendance ----------------------------------------------------------------------------


@dataclass
class AttendanceResult:
    recorded: int = 0
    entries_made: list[Participant] = field(default_factory=list)
    entries_removed: list[Participant] = field(default_factory=list)
    # Marked absent after the entry was made, but the participant wrote in it: kept.
    entries_kept: list[Participant] = field(default_factory=list)


def _participant_wrote_in(entry: CpdEntry) -> bool:
    return (
        any((getattr(entry, name) or "").strip() for name in REFLECTION_FIELDS)
        or entry.evidence.exists()
        or entry.confirmed_at is not None
    )


def _cpd_input(session: Session) -> cpd_services.EntryInput:
    module = session.module
    programme = session.programme
    nodes = tuple(module.nodes.exclude(edition__status=EditionStatus.DRAFT))
    return cpd_services.EntryInput(
        date=session.date,
        activity_type=module.activity_type,
        title=f"{programme.title}: {module.title}"[:300],
        hours=session.hours,
        provider=programme.organisation.name[:300],
        nodes=nodes,
        visibility=Visibility.SUPPORTERS.value,
    )


def attendance_record(
    *, actor: User, session: Session, marks: Mapping[int, str]
) -> AttendanceResult:
    """Record the attendance of the session's cohort, {participant id: status}, at once.

    "present" makes a shared CPD entry for the participant (dated the session's date,
    its hours, the module's competences) unless this attendance already made one. A
    change from present to absent removes that entry if the participant has written
    nothing in it (no reflection, evidence or confirmation); otherwise it stays hers."""
    session = Session.objects.select_related("programme__organisation", "module", "cohort").get(
        pk=session.pk
    )
    organisation = session.programme.organisation
    participants = {p.pk: p for p in session.cohort.participants.select_related("user")}
    problems = _Problems()
    if session.date > timezone.localdate():
        problems.add("__all__", MESSAGES["attendance_future"])
    for pid, status in marks.items():
        if pid not in participants:
            problems.add("__all__", MESSAGES["attendance_unknown"])
        elif status not in AttendanceStatus.values:
            problems.add(
                f"p{pid}",
                str(MESSAGES["attendance_status"]).format(name=participants[pid].user.display_name),
            )
    problems.raise_any()
    result = AttendanceResult()
    with transaction.atomic():
        existing = {
            a.participant_id: a
            for a in Attendance.objects.select_for_update(of=("self",))
            .filter(session=session)
            .select_related("cpd_entry")
        }
        cpd_input: cpd_services.EntryInput | None = None
        for pid, status in marks.items():
            participant = participants[pid]
            attendance = existing.get(pid)
            before = attendance.status if attendance else ""
            if attendance is None:
                attendance = Attendance(session=session, participant=participant)
            attendance.status = status
            attendance.recorded_by = actor
            if status == AttendanceStatus.PRESENT:
                if attendance.cpd_entry_id is None and attendance.cpd_entry_made_at is None:
                    if cpd_input is None:
                        cpd_input = _cpd_input(session)
                    attendance.cpd_entry = cpd_services.entry_create(
                        actor=None,
                        organisation=organisation,
                        manager=participant.user,
                        data=cpd_input,
                        source="programme",
                    )
                    attendance.cpd_entry_made_at = timezone.now()
                    result.entries_made.append(participant)
            elif attendance.cpd_entry is not None:
                if _participant_wrote_in(attendance.cpd_entry):
                    result.entries_kept.append(participant)
                else:
                    entry = attendance.cpd_entry
                    audit.record(
                        actor=actor,
                        action="cpd.entry.delete",
                        obj=entry,
                        organisation=organisation,
                        summary=f"Removed CPD entry {entry.pk} made by attendance at "
                        f"session {session.pk}: marked {status}",
                    )
                    entry.delete()
                    attendance.cpd_entry = None
                    attendance.cpd_entry_made_at = None
                    result.entries_removed.append(participant)
            attendance.save()
            if before != status:
                result.recorded += 1
        audit.record(
            actor=actor,
            action="programmes.attendance.record",
            obj=session,
            organisation=organisation,
            summary=f"Recorded attendance at session {session.pk} of programme "
            f"{session.programme_id}",
            changes={
                "changed": result.recorded,
                "entries_made": len(result.entries_made),
                "entries_removed": len(result.entries_removed),
                "entries_kept": len(result.entries_kept),
            },
        )
    return result


# --- feedback ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackInput:
    usefulness: int
    met_needs: int
    will_use: str = ""
    improve: str = ""


def feedback_submit(*, actor: User, session: Session, data: FeedbackInput) -> SessionFeedback:
    """A participant who attended gives her reactions to the session, once."""
    participant = Participant.objects.filter(cohort_id=session.cohort_id, user=actor).first()
    attended = (
        participant is not None
        and Attendance.objects.filter(
            session=session, participant=participant, status=AttendanceStatus.PRESENT
        ).exists()
    )
    problems = _Problems()
    if not attended:
        problems.add("__all__", MESSAGES["feedback_not_present"])
        problems.raise_any()
    assert participant is not None
    if SessionFeedback.objects.filter(session=session, participant=participant).exists():
        problems.add("__all__", MESSAGES["feedback_twice"])
    for name in ("usefulness", "met_needs"):
        if getattr(data, name) not in (1, 2, 3, 4, 5):
            problems.add(name, MESSAGES["score"])
    problems.raise_any()
    try:
        with transaction.atomic():
            feedback = SessionFeedback.objects.create(
                session=session,
                participant=participant,
                usefulness=data.usefulness,
                met_needs=data.met_needs,
                will_use=data.will_use.strip(),
                improve=data.improve.strip(),
            )
            audit.record(
                actor=actor,
                action="programmes.feedback.submit",
                obj=session,
                organisation=session.programme.organisation,
                summary=f"Feedback given on session {session.pk}",
            )
    except IntegrityError as e:
        raise ValidationError({"__all__": [MESSAGES["feedback_twice"]]}) from e
    return feedback


# --- groups --------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupInput:
    kind: str
    name: str
    members: tuple[tuple[User, str], ...]
    programme: Programme | None = None


def _validate_group(organisation: Organisation, data: GroupInput) -> None:
    problems = _Problems()
    if data.kind not in GroupKind.values:
        problems.add("kind", _("Choose action learning set or mentoring pair"))
    if not (data.name or "").strip():
        problems.add("name", _("Enter a name for the group"))
    if data.programme is not None and data.programme.organisation_id != organisation.pk:
        problems.add("programme", MESSAGES["group_programme"])
    ids = [u.pk for u, _role in data.members]
    if not ids:
        problems.add("members", MESSAGES["group_empty"])
    elif Membership.objects.filter(organisation=organisation, user_id__in=ids).values(
        "user_id"
    ).distinct().count() != len(set(ids)):
        problems.add("members", MESSAGES["group_member"])
    if data.kind == GroupKind.MENTORING_PAIR:
        roles = sorted(role for _u, role in data.members)
        if roles != [GroupRole.MENTEE, GroupRole.MENTOR]:
            problems.add("members", MESSAGES["pair_roles"])
        elif len(set(ids)) != 2:
            problems.add("members", MESSAGES["pair_same"])
    elif any(role not in (GroupRole.MEMBER, GroupRole.FACILITATOR) for _u, role in data.members):
        problems.add("members", _("An action learning set has members and facilitators"))
    if len(set(ids)) != len(ids) and data.kind != GroupKind.MENTORING_PAIR:
        problems.add("members", _("Each person can be in the group once"))
    problems.raise_any()


def _set_members(group: Group, data: GroupInput) -> None:
    group.members.all().delete()
    GroupMember.objects.bulk_create(
        [GroupMember(group=group, user=user, role=role) for user, role in data.members]
    )


@transaction.atomic
def group_create(*, actor: User, organisation: Organisation, data: GroupInput) -> Group:
    _validate_group(organisation, data)
    group = Group.objects.create(
        organisation=organisation, kind=data.kind, name=data.name.strip(), programme=data.programme
    )
    _set_members(group, data)
    audit.record(
        actor=actor,
        action="programmes.group.create",
        obj=group,
        organisation=organisation,
        summary=f"Created {data.kind} group {group.pk} with {len(data.members)} members",
    )
    return group


@transaction.atomic
def group_update(*, actor: User, group: Group, data: GroupInput) -> Group:
    organisation = group.organisation
    _validate_group(organisation, data)
    fresh = Group.objects.select_for_update().get(pk=group.pk)
    values = {"kind": data.kind, "name": data.name.strip(), "programme": data.programme}
    changes = audit.diff(fresh, values)
    for name, value in values.items():
        setattr(fresh, name, value)
    fresh.save()
    _set_members(fresh, data)
    audit.record(
        actor=actor,
        action="programmes.group.update",
        obj=fresh,
        organisation=organisation,
        summary=f"Changed group {fresh.pk}",
        changes=changes,
    )
    return fresh
