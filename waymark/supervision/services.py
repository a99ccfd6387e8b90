"""Writes for supervision records, action points and appraisals. Each function is
keyword-only, runs in one transaction, checks who may do it and leaves an audit record.

Who may do what:

* A supervision record is started and finalised by the manager's supervisor (a
  SupportRelationship of kind "supervisor"). While it is a draft, the manager and her
  supervisor both write its agenda and notes and agree action points. Finalising it
  locks the agenda and notes and circulates it by email.
* Action points are reviewed (done, kept open, given a new date, dropped) by either of
  the two at any time; each review is kept as an `ActionEvent`.
* An appraisal is started by the supervisor; both write it; the PMS is revised through
  `profiles.services.spec_revise`; the next objectives are proposed by either and made on
  the manager's plan through `planning.services.objective_create` when the manager agrees
  them (only she writes her plan). Both sign; after both signatures it is locked, and
  changing it needs `appraisal_reopen`, which is audited with its reason.

Rules broken raise `PermissionDenied`; bad input raises `ValidationError` keyed by the
field it is about, in words that say what to do. Audit summaries never quote notes."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from waymark.accounts.models import User
from waymark.core import audit
from waymark.organisations.models import Membership, SupportKind, SupportRelationship
from waymark.planning import services as planning_services
from waymark.planning.selectors import current_plan
from waymark.profiles import services as profile_services
from waymark.profiles.models import ManagerLevel, Revision, Specification
from waymark.profiles.selectors import content_of

from .models import (
    ActionEvent,
    ActionEventKind,
    ActionPoint,
    ActionStatus,
    Appraisal,
    AppraisalObjective,
    RecordStatus,
    SupervisionRecord,
)

if TYPE_CHECKING:
    from waymark.organisations.models import Organisation
    from waymark.planning.models import Objective

log = logging.getLogger(__name__)

RECORD_FIELDS = frozenset({"date", "agenda", "notes", "review_date"})
APPRAISAL_FIELDS = frozenset({"date", "period_start", "period_end", "discussion"})


class Outcome:
    """What a review decides about an action point."""

    DONE = "done"
    KEEP_OPEN = "keep-open"
    REDATE = "redate"
    DROP = "drop"
    REOPEN = "reopen"
    ALL = (DONE, KEEP_OPEN, REDATE, DROP, REOPEN)


# --- rules ----------------------------------------------------------------------------------


def is_supervisor(*, organisation_id: int, manager_id: int, user: User) -> bool:
    return SupportRelationship.objects.filter(
        organisation_id=organisation_id,
        manager_id=manager_id,
        supporter_id=user.pk,
        kind=SupportKind.SUPERVISOR,
    ).exists()


def _require_supervisor(actor: User, organisation_id: int, manager_id: int, message: str) -> None:
    if actor.pk == manager_id or not is_supervisor(
        organisation_id=organisation_id, manager_id=manager_id, user=actor
    ):
        raise PermissionDenied(message)


def _require_participant(actor: User, organisation_id: int, manager_id: int) -> None:
    """The manager herself or her (current) supervisor."""
    if actor.pk == manager_id:
        return
    if not is_supervisor(organisation_id=organisation_id, manager_id=manager_id, user=actor):
        raise PermissionDenied(_("Only the manager and her supervisor can do this."))


def _errors(errors: dict[str, list[str]]) -> None:
    clean = {k: v for k, v in errors.items() if v}
    if clean:
        raise ValidationError(clean)


def _check_record_dates(
    date: datetime.date | None, review_date: datetime.date | None, *, review_changed: bool = True
) -> None:
    errors: dict[str, list[str]] = {"date": [], "review_date": []}
    if date is None:
        errors["date"].append(_("Enter the date of the supervision"))
    if review_date is None:
        errors["review_date"].append(_("Enter the date the action points will be reviewed"))
    else:
        if review_changed and review_date < timezone.localdate():
            errors["review_date"].append(_("The review date must be today or in the future"))
        if date is not None and review_date < date:
            errors["review_date"].append(
                _("The review date must be on or after the date of the supervision")
            )
    _errors(errors)


def _check_member(organisation_id: int, user: User) -> None:
    if not Membership.objects.filter(organisation_id=organisation_id, user=user).exists():
        raise ValidationError({"owner": _("Choose a member of the organisation")})


def _date(value: datetime.date) -> str:
    return date_format(value, "j F Y")


# --- supervision records ---------------------------------------------------------------------


@transaction.atomic
def supervision_record_create(
    *,
    actor: User,
    organisation: Organisation,
    manager: User,
    date: datetime.date,
    review_date: datetime.date,
    agenda: str = "",
    notes: str = "",
) -> SupervisionRecord:
    """Start the next supervision record of `manager`. Every open action point from her
    earlier supervision is carried into it, to be reviewed there."""
    _require_supervisor(
        actor,
        organisation.pk,
        manager.pk,
        _("Only the manager's supervisor can start a supervision record."),
    )
    _check_record_dates(date, review_date)
    records = SupervisionRecord.objects.select_for_update().filter(
        organisation=organisation, manager=manager
    )
    if records.filter(status=RecordStatus.DRAFT).exists():
        raise ValidationError(
            _(
                "There is already a draft supervision record for %(name)s: finish and "
                "finalise that one first."
            )
            % {"name": manager.display_name}
        )
    previous = records.order_by("-date", "-id").first()
    record = SupervisionRecord.objects.create(
        organisation=organisation,
        manager=manager,
        supervisor=actor,
        date=date,
        review_date=review_date,
        agenda=agenda.strip(),
        notes=notes.strip(),
        previous=previous,
        created_by=actor,
    )
    carried = [
        action_point_carry(actor=actor, action=action, record=record)
        for action in ActionPoint.objects.filter(
            organisation=organisation, manager=manager, status=ActionStatus.OPEN
        ).order_by("due_date", "id")
    ]
    audit.record(
        actor=actor,
        action="supervision.create",
        obj=record,
        organisation=organisation,
        summary=f"Started a supervision record for {manager.email} dated {date.isoformat()}",
        changes={"carried_actions": [None, [a.pk for a in carried]]},
    )
    return record


@transaction.atomic
def supervision_record_update(
    *, actor: User, record: SupervisionRecord, data: Mapping[str, Any]
) -> SupervisionRecord:
    """Change the date, agenda, notes or review date of a draft record."""
    fresh = SupervisionRecord.objects.select_for_update().get(pk=record.pk)
    _require_participant(actor, fresh.organisation_id, fresh.manager_id)
    unknown = set(data) - RECORD_FIELDS
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))}")
    if fresh.is_final:
        raise ValidationError(
            _("This supervision record has been finalised and circulated, so it cannot change.")
        )
    values: dict[str, Any] = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    date = values.get("date", fresh.date)
    review_date = values.get("review_date", fresh.review_date)
    _check_record_dates(date, review_date, review_changed=review_date != fresh.review_date)
    changes = audit.diff(fresh, values)
    if not changes:
        return fresh
    for name in changes:
        setattr(fresh, name, values[name])
    fresh.save(update_fields=[*changes, "updated_at"])
    audit.record(
        actor=actor,
        action="supervision.update",
        obj=fresh,
        organisation=fresh.organisation,
        summary=f"Changed {', '.join(sorted(changes))} of a supervision record of "
        f"{fresh.manager.email}",
        # The words of the agenda and notes stay out of the audit trail.
        changes={
            k: (v if k in ("date", "review_date") else ["…", "…"]) for k, v in changes.items()
        },
    )
    return fresh


@transaction.atomic
def _finalise(*, actor: User, record: SupervisionRecord) -> SupervisionRecord:
    fresh = SupervisionRecord.objects.select_for_update().get(pk=record.pk)
    _require_supervisor(
        actor,
        fresh.organisation_id,
        fresh.manager_id,
        _("Only the manager's supervisor can finalise a supervision record."),
    )
    if fresh.is_final:
        raise ValidationError(_("This supervision record has already been finalised."))
    if fresh.review_date < timezone.localdate():
        raise ValidationError(
            {"review_date": [_("The review date must be today or in the future")]}
        )
    fresh.status = RecordStatus.FINALISED
    fresh.finalised_by = actor
    fresh.finalised_at = timezone.now()
    fresh.save(update_fields=["status", "finalised_by", "finalised_at", "updated_at"])
    audit.record(
        actor=actor,
        action="supervision.finalise",
        obj=fresh,
        organisation=fresh.organisation,
        summary=f"Finalised and circulated a supervision record of {fresh.manager.email}",
        changes={"status": [RecordStatus.DRAFT.value, RecordStatus.FINALISED.value]},
    )
    return fresh


def supervision_record_finalise(
    *, actor: User, record: SupervisionRecord, site_url: str = ""
) -> SupervisionRecord:
    """Finalise the record (in one transaction) and then circulate it: an email summary to
    the manager and the supervisor, and to each member named on one of its action points
    (who is told of their actions only: the notes stay between the two). A mail server
    that fails does not undo the record; the failure is logged."""
    fresh = _finalise(actor=actor, record=record)
    try:
        circulate(record=fresh, site_url=site_url)
    except Exception:
        log.exception("Could not circulate supervision record %s", fresh.pk)
    return fresh


def circulate(*, record: SupervisionRecord, site_url: str = "") -> int:
    """Send the record's email summaries; returns how many were sent."""
    from .selectors import record_actions

    actions = record_actions(record)
    path = reverse(
        "supervision:record_detail",
        kwargs={
            "org_slug": record.organisation.slug,
            "person_id": record.manager_id,
            "record_id": record.pk,
        },
    )
    link = site_url.rstrip("/") + path if site_url else path
    context = {
        "record": record,
        "organisation": record.organisation,
        "agreed": actions.agreed,
        "carried": actions.carried,
        "link": link,
        "date": _date(record.date),
        "review_date": _date(record.review_date),
    }
    subject = _("Supervision record: %(name)s, %(date)s") % {
        "name": record.manager.display_name,
        "date": _date(record.date),
    }
    sent = 0
    for person in (record.manager, record.supervisor):
        if person.email:
            body = render_to_string("supervision/email_record.txt", {**context, "to": person})
            sent += send_mail(subject, body, None, [person.email])
    others: dict[int, User] = {}
    for action in [*actions.agreed, *actions.carried]:
        owner = action.owner
        if owner is not None and owner.pk not in (record.manager_id, record.supervisor_id):
            others[owner.pk] = owner
    for owner in others.values():
        theirs = [a for a in [*actions.agreed, *actions.carried] if a.owner_id == owner.pk]
        body = render_to_string(
            "supervision/email_actions.txt", {**context, "to": owner, "actions": theirs}
        )
        subject_actions = _("Action points for you from a supervision on %(date)s") % {
            "date": _date(record.date)
        }
        sent += send_mail(subject_actions, body, None, [owner.email])
    return sent


# --- action points ---------------------------------------------------------------------------


@transaction.atomic
def action_point_add(
    *,
    actor: User,
    record: SupervisionRecord,
    description: str,
    due_date: datetime.date | None,
    owner: User | None = None,
    owner_name: str = "",
) -> ActionPoint:
    """Agree an action point in a draft record: what, who (a member of the organisation, or
    the name of someone outside it) and by when (on or after the supervision)."""
    record = (
        SupervisionRecord.objects.select_for_update()
        .select_related("organisation", "manager")
        .get(pk=record.pk)
    )
    _require_participant(actor, record.organisation_id, record.manager_id)
    if record.is_final:
        raise ValidationError(
            _(
                "This supervision record has been finalised: agree new action points in the "
                "next supervision."
            )
        )
    description = (description or "").strip()
    owner_name = (owner_name or "").strip()
    errors: dict[str, list[str]] = {"description": [], "owner": [], "due_date": []}
    if not description:
        errors["description"].append(_("Enter what is to be done"))
    elif len(description) > 500:
        errors["description"].append(_("The action must be 500 characters or fewer"))
    if owner is None and not owner_name:
        errors["owner"].append(
            _("Name the person who will do it: choose a member or type the name of someone else")
        )
    if owner is not None and owner_name:
        errors["owner"].append(_("Choose a member or type a name, not both"))
    if len(owner_name) > 200:
        errors["owner"].append(_("The name must be 200 characters or fewer"))
    if due_date is None:
        errors["due_date"].append(_("Enter the date it is due by"))
    elif due_date < record.date:
        errors["due_date"].append(
            _("The due date must be on or after the date of the supervision (%(date)s)")
            % {"date": _date(record.date)}
        )
    _errors(errors)
    assert due_date is not None
    if owner is not None:
        _check_member(record.organisation_id, owner)
    action = ActionPoint.objects.create(
        organisation_id=record.organisation_id,
        manager_id=record.manager_id,
        record=record,
        description=description,
        owner=owner,
        owner_name=owner_name,
        due_date=due_date,
    )
    ActionEvent.objects.create(
        action=action, record=record, kind=ActionEventKind.AGREED, due_after=due_date, actor=actor
    )
    audit.record(
        actor=actor,
        action="supervision.action_add",
        obj=action,
        organisation=record.organisation,
        summary=f"Agreed an action point in a supervision record of {record.manager.email}, "
        f"due {due_date.isoformat()}",
        changes={"owner": [None, owner.email if owner else owner_name]},
    )
    return action


@transaction.atomic
def action_point_carry(
    *, actor: User, action: ActionPoint, record: SupervisionRecord
) -> ActionPoint:
    """Bring an open action point into a later record, to be reviewed there. Carrying it
    again into the same record changes nothing: an action point is never copied."""
    if action.manager_id != record.manager_id or action.organisation_id != record.organisation_id:
        raise ValidationError(
            _("An action point can only be carried into the same person's supervision.")
        )
    if action.record_id == record.pk:
        return action
    if not action.is_open:
        raise ValidationError(_("Only open action points are carried into the next supervision."))
    if ActionEvent.objects.filter(
        action=action, record=record, kind=ActionEventKind.CARRIED
    ).exists():
        return action
    ActionEvent.objects.create(
        action=action,
        record=record,
        kind=ActionEventKind.CARRIED,
        due_before=action.due_date,
        due_after=action.due_date,
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="supervision.action_carry",
        obj=action,
        organisation=record.organisation,
        summary=f"Carried action point {action.pk} into supervision record {record.pk}",
    )
    return action


@transaction.atomic
def action_point_update(
    *,
    actor: User,
    action: ActionPoint,
    outcome: str,
    due_date: datetime.date | None = None,
    note: str = "",
    record: SupervisionRecord | None = None,
) -> ActionPoint:
    """Review an action point: mark it done, keep it open, change its date, drop it, or
    open it again. `record` is the supervision it was reviewed in, if any."""
    fresh = ActionPoint.objects.select_for_update().select_related("organisation").get(pk=action.pk)
    _require_participant(actor, fresh.organisation_id, fresh.manager_id)
    note = (note or "").strip()
    errors: dict[str, list[str]] = {"outcome": [], "due_date": [], "note": []}
    if outcome not in Outcome.ALL:
        errors["outcome"].append(_("Choose what happens to the action point"))
    if len(note) > 500:
        errors["note"].append(_("The note must be 500 characters or fewer"))
    if outcome == Outcome.REDATE:
        if due_date is None:
            errors["due_date"].append(_("Enter the new date it is due by"))
        elif due_date < timezone.localdate():
            errors["due_date"].append(_("The new due date must be today or in the future"))
    if (
        outcome in (Outcome.DONE, Outcome.DROP, Outcome.KEEP_OPEN, Outcome.REDATE)
        and not fresh.is_open
    ):
        errors["outcome"].append(
            _("This action point is already %(status)s: open it again first")
            % {"status": fresh.get_status_display().lower()}
        )
    if outcome == Outcome.REOPEN and fresh.is_open:
        errors["outcome"].append(_("This action point is already open"))
    _errors(errors)
    if record is not None and (
        record.manager_id != fresh.manager_id or record.organisation_id != fresh.organisation_id
    ):
        raise ValidationError(_("That supervision record is not this person's."))
    status_before, due_before = fresh.status, fresh.due_date
    today = timezone.localdate()
    kind = ActionEventKind.KEPT_OPEN
    if outcome == Outcome.DONE:
        fresh.status, fresh.closed_on, kind = ActionStatus.DONE, today, ActionEventKind.DONE
    elif outcome == Outcome.DROP:
        fresh.status, fresh.closed_on, kind = ActionStatus.DROPPED, today, ActionEventKind.DROPPED
    elif outcome == Outcome.REOPEN:
        fresh.status, fresh.closed_on, kind = ActionStatus.OPEN, None, ActionEventKind.REOPENED
        if due_date is not None:
            fresh.due_date = due_date
    elif outcome == Outcome.REDATE:
        assert due_date is not None
        fresh.due_date, kind = due_date, ActionEventKind.REDATED
    fresh.save(update_fields=["status", "closed_on", "due_date"])
    ActionEvent.objects.create(
        action=fresh,
        record=record,
        kind=kind,
        due_before=due_before,
        due_after=fresh.due_date,
        note=note,
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="supervision.action_update",
        obj=fresh,
        organisation=fresh.organisation,
        summary=f"Action point {fresh.pk}: {kind}",
        changes=audit.diff(
            ActionPoint(status=status_before, due_date=due_before),
            {"status": fresh.status, "due_date": fresh.due_date},
        ),
    )
    return fresh


# --- appraisals ------------------------------------------------------------------------------


def _check_appraisal_dates(
    date: datetime.date | None, start: datetime.date | None, end: datetime.date | None
) -> None:
    errors: dict[str, list[str]] = {"date": [], "period_start": [], "period_end": []}
    if date is None:
        errors["date"].append(_("Enter the date of the appraisal"))
    if start is None:
        errors["period_start"].append(_("Enter the start of the period to look back over"))
    if end is None:
        errors["period_end"].append(_("Enter the end of the period to look back over"))
    if start and end and end < start:
        errors["period_end"].append(_("The end of the period must be on or after its start"))
    _errors(errors)


def _require_unlocked(appraisal: Appraisal) -> None:
    if appraisal.is_locked:
        raise ValidationError(
            _("Both of you have signed this appraisal, so it is locked. Reopen it to change it.")
        )


def _clear_signatures(appraisal: Appraisal) -> dict[str, list[Any]]:
    """Any change after a signature withdraws it: a signature is for what was signed."""
    changes: dict[str, list[Any]] = {}
    if appraisal.manager_signed_at is not None:
        changes["manager_signed_at"] = [appraisal.manager_signed_at.isoformat(), None]
        appraisal.manager_signed_at = None
    if appraisal.supervisor_signed_at is not None:
        changes["supervisor_signed_at"] = [appraisal.supervisor_signed_at.isoformat(), None]
        appraisal.supervisor_signed_at = None
        appraisal.supervisor_signed_by = None
    if changes:
        appraisal.save(
            update_fields=["manager_signed_at", "supervisor_signed_at", "supervisor_signed_by"]
        )
    return changes


@transaction.atomic
def appraisal_create(
    *,
    actor: User,
    organisation: Organisation,
    manager: User,
    date: datetime.date,
    period_start: datetime.date,
    period_end: datetime.date,
    discussion: str = "",
) -> Appraisal:
    _require_supervisor(
        actor,
        organisation.pk,
        manager.pk,
        _("Only the manager's supervisor can start an appraisal."),
    )
    _check_appraisal_dates(date, period_start, period_end)
    appraisal = Appraisal.objects.create(
        organisation=organisation,
        manager=manager,
        supervisor=actor,
        date=date,
        period_start=period_start,
        period_end=period_end,
        discussion=discussion.strip(),
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="appraisal.create",
        obj=appraisal,
        organisation=organisation,
        summary=f"Started an appraisal of {manager.email} dated {date.isoformat()}",
    )
    return appraisal


@transaction.atomic
def appraisal_update(*, actor: User, appraisal: Appraisal, data: Mapping[str, Any]) -> Appraisal:
    fresh = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
    _require_participant(actor, fresh.organisation_id, fresh.manager_id)
    _require_unlocked(fresh)
    unknown = set(data) - APPRAISAL_FIELDS
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    _check_appraisal_dates(
        values.get("date", fresh.date),
        values.get("period_start", fresh.period_start),
        values.get("period_end", fresh.period_end),
    )
    changes = audit.diff(fresh, values)
    if not changes:
        return fresh
    for name in changes:
        setattr(fresh, name, values[name])
    fresh.save(update_fields=[*changes, "updated_at"])
    withdrawn = _clear_signatures(fresh)
    audit.record(
        actor=actor,
        action="appraisal.update",
        obj=fresh,
        organisation=fresh.organisation,
        summary=f"Changed {', '.join(sorted(changes))} of an appraisal of {fresh.manager.email}",
        changes={
            **{k: (v if k != "discussion" else ["…", "…"]) for k, v in changes.items()},
            **withdrawn,
        },
    )
    return fresh


@transaction.atomic
def appraisal_revise_pms(
    *,
    actor: User,
    appraisal: Appraisal,
    job_title: str,
    manager_level: str,
    job_description: str,
    change_note: str = "",
) -> Revision:
    """Revise the manager's PMS at the appraisal: a new revision through
    `profiles.services.spec_revise`, linked to the appraisal."""
    fresh = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
    _require_participant(actor, fresh.organisation_id, fresh.manager_id)
    _require_unlocked(fresh)
    errors: dict[str, list[str]] = {"job_title": [], "manager_level": []}
    if not (job_title or "").strip():
        errors["job_title"].append(_("Enter a job title"))
    if manager_level not in ManagerLevel.values:
        errors["manager_level"].append(_("Choose a manager level"))
    _errors(errors)
    spec = Specification.objects.filter(
        organisation_id=fresh.organisation_id, manager_id=fresh.manager_id
    ).first()
    if spec is None or spec.current_id is None:
        raise ValidationError(
            _("%(name)s has no person management specification yet: start one first.")
            % {"name": fresh.manager.display_name}
        )
    current = Revision.objects.get(pk=spec.current_id)
    content = profile_services.spec_content_with(content_of(current))
    content.job_title = job_title.strip()
    content.manager_level = manager_level
    content.job_description = job_description.strip()
    note = change_note.strip() or _("Revised at the appraisal on %(date)s.") % {
        "date": _date(fresh.date)
    }
    try:
        revision = profile_services.spec_revise(
            actor=actor, specification=spec, content=content, change_note=note
        )
    except profile_services.NothingChanged as e:
        raise ValidationError(
            _("Nothing has changed, so no new revision was made. Change something first.")
        ) from e
    except profile_services.ProfileError as e:
        raise ValidationError(str(e)) from e
    before = fresh.pms_revision_id
    fresh.pms_revision = revision
    fresh.save(update_fields=["pms_revision", "updated_at"])
    withdrawn = _clear_signatures(fresh)
    audit.record(
        actor=actor,
        action="appraisal.revise_pms",
        obj=fresh,
        organisation=fresh.organisation,
        summary=f"Revised the PMS of {fresh.manager.email} at an appraisal: revision "
        f"{revision.number}",
        changes={"pms_revision": [before, revision.pk], **withdrawn},
    )
    return revision


@transaction.atomic
def appraisal_objective_propose(
    *,
    actor: User,
    appraisal: Appraisal,
    title: str,
    specific: str,
    measure: str,
    target_date: datetime.date | None,
) -> AppraisalObjective:
    """Write down a next objective for the plan; it joins the plan when the manager
    agrees the objectives (or signs)."""
    fresh = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
    _require_participant(actor, fresh.organisation_id, fresh.manager_id)
    _require_unlocked(fresh)
    title, specific, measure = (
        (title or "").strip(),
        (specific or "").strip(),
        (measure or "").strip(),
    )
    errors: dict[str, list[str]] = {"title": [], "specific": [], "measure": [], "target_date": []}
    if not title:
        errors["title"].append(_("Enter the objective"))
    elif len(title) > 300:
        errors["title"].append(_("The objective must be 300 characters or fewer"))
    if not specific:
        errors["specific"].append(_("Say what exactly will be done or changed"))
    if not measure:
        errors["measure"].append(_("Say how you will know it has succeeded"))
    if target_date is None:
        errors["target_date"].append(_("Enter the date it is to be met by"))
    elif target_date <= timezone.localdate():
        errors["target_date"].append(_("The target date must be in the future"))
    _errors(errors)
    assert target_date is not None
    proposal = AppraisalObjective.objects.create(
        appraisal=fresh,
        title=title,
        specific=specific,
        measure=measure,
        target_date=target_date,
        proposed_by=actor,
    )
    withdrawn = _clear_signatures(fresh)
    audit.record(
        actor=actor,
        action="appraisal.objective_propose",
        obj=fresh,
        organisation=fresh.organisation,
        summary=f"Proposed a next objective at an appraisal of {fresh.manager.email}",
        changes=withdrawn,
    )
    return proposal


def _agree(actor: User, appraisal: Appraisal) -> list[Objective]:
    pending = list(appraisal.objectives.filter(objective__isnull=True).order_by("id"))
    if not pending:
        return []
    manager = appraisal.manager
    plan = current_plan(organisation=appraisal.organisation, manager=manager)
    if plan is None:
        plan = planning_services.plan_create(
            actor=actor,
            organisation=appraisal.organisation,
            manager=manager,
            title=_("Development plan from the appraisal of %(date)s")
            % {"date": _date(appraisal.date)},
        )
    made = []
    for proposal in pending:
        objective = planning_services.objective_create(
            actor=actor,
            plan=plan,
            title=proposal.title,
            specific=proposal.specific,
            measure=proposal.measure,
            target_date=proposal.target_date,
            relevant=_("Agreed at the appraisal of %(date)s.") % {"date": _date(appraisal.date)},
        )
        proposal.objective = objective
        proposal.save(update_fields=["objective"])
        made.append(objective)
    audit.record(
        actor=actor,
        action="appraisal.agree_objectives",
        obj=appraisal,
        organisation=appraisal.organisation,
        summary=f"Agreed {len(made)} objective(s) from an appraisal onto plan {plan.pk}",
        changes={"objectives": [None, [o.pk for o in made]]},
    )
    return made


@transaction.atomic
def appraisal_agree_objectives(*, actor: User, appraisal: Appraisal) -> list[Objective]:
    """The manager agrees the proposed objectives: each becomes an objective on her current
    development plan (a new plan if she has none), through planning's services."""
    fresh = (
        Appraisal.objects.select_for_update()
        .select_related("manager", "organisation")
        .get(pk=appraisal.pk)
    )
    if actor.pk != fresh.manager_id:
        raise PermissionDenied(
            _("Only the manager agrees objectives onto her own plan; her supervisor proposes them.")
        )
    _require_unlocked(fresh)
    if not fresh.objectives.filter(objective__isnull=True).exists():
        raise ValidationError(_("There are no proposed objectives waiting to be agreed."))
    return _agree(actor, fresh)


@transaction.atomic
def appraisal_sign(*, actor: User, appraisal: Appraisal) -> Appraisal:
    """Sign the appraisal as it stands. The manager's signature agrees any proposed
    objectives onto her plan. After both signatures it is locked."""
    fresh = (
        Appraisal.objects.select_for_update()
        .select_related("manager", "organisation")
        .get(pk=appraisal.pk)
    )
    _require_participant(actor, fresh.organisation_id, fresh.manager_id)
    _require_unlocked(fresh)
    now = timezone.now()
    if actor.pk == fresh.manager_id:
        if fresh.manager_signed_at is not None:
            raise ValidationError(_("You have already signed this appraisal."))
        _agree(actor, fresh)
        fresh.manager_signed_at = now
        fields = ["manager_signed_at"]
        who = "manager"
    else:
        if fresh.supervisor_signed_at is not None:
            raise ValidationError(_("The supervisor has already signed this appraisal."))
        fresh.supervisor_signed_at = now
        fresh.supervisor_signed_by = actor
        fields = ["supervisor_signed_at", "supervisor_signed_by"]
        who = "supervisor"
    fresh.save(update_fields=[*fields, "updated_at"])
    audit.record(
        actor=actor,
        action="appraisal.sign",
        obj=fresh,
        organisation=fresh.organisation,
        summary=f"Signed an appraisal of {fresh.manager.email} as the {who}"
        + (": now locked" if fresh.is_locked else ""),
        changes={f"{who}_signed_at": [None, now.isoformat()]},
    )
    return fresh


@transaction.atomic
def appraisal_reopen(*, actor: User, appraisal: Appraisal, reason: str) -> Appraisal:
    """Unlock a signed appraisal so that it can change; both signatures are withdrawn and
    the reason is kept in the audit trail."""
    fresh = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
    _require_participant(actor, fresh.organisation_id, fresh.manager_id)
    reason = (reason or "").strip()
    if not fresh.is_locked:
        raise ValidationError(_("This appraisal is not locked, so there is nothing to reopen."))
    if not reason:
        raise ValidationError({"reason": [_("Say why the appraisal is being reopened")]})
    withdrawn = _clear_signatures(fresh)
    fresh.reopened_at = timezone.now()
    fresh.save(update_fields=["reopened_at", "updated_at"])
    audit.record(
        actor=actor,
        action="appraisal.reopen",
        obj=fresh,
        organisation=fresh.organisation,
        summary=f"Reopened a signed appraisal of {fresh.manager.email}: {reason}",
        changes={**withdrawn, "reason": [None, reason]},
    )
    return fresh
