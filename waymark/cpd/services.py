"""Writes to the CPD record. Each runs in a transaction and leaves an audit record.

Audit records say *that* something happened to which entry, never what the entry is
about: no titles, no reflections, no file names. The audit trail is read by site
administrators, and a private entry is its manager's alone.

Only the manager writes her own entries and evidence; only her supervisor confirms an
entry she has shared. A service refuses anyone else with PermissionDenied, and bad
input with a ValidationError whose messages say what is wrong, field by field."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waymark.core import audit
from waymark.frameworks.models import EditionStatus, Node
from waymark.organisations.models import SupportKind, SupportRelationship
from waymark.planning.models import ActivityType, Objective

from .models import MAX_HOURS, REFLECTION_FIELDS, Entry, Evidence, Visibility
from .uploads import CheckedFile, UploadRejected, check_upload, stored_name_for

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.organisations.models import Organisation

# The words people see when what they typed cannot be saved; forms and the API use these.
MESSAGES = {
    "date_required": _("Enter the date of the learning"),
    "date_future": _("The date must be today or in the past"),
    "type_required": _("Choose the type of learning"),
    "title_required": _("Enter a title for the learning"),
    "title_long": _("The title must be 300 characters or fewer"),
    "hours_required": _("Enter the number of hours, like 1.5"),
    "hours_invalid": _("Hours must be a number greater than 0, like 1.5"),
    "hours_positive": _("Hours must be a number greater than 0"),
    "hours_max": _("Hours must be 1000 or fewer"),
    "hours_places": _("Hours can have at most 2 decimal places, like 1.25"),
    "objective_not_hers": _("Choose one of your own development plan objectives"),
    "node_draft": _("Choose items from published frameworks only"),
    "visibility": _("Choose who can see this entry"),
    "provider_long": _("The provider must be 300 characters or fewer"),
    "link_long": _("The link must be 500 characters or fewer"),
}

# A confirmed entry stays confirmed only while what the supervisor confirmed stands:
# changing any of these withdraws the confirmation. Reflections may change freely.
CONFIRMED_FIELDS = ("date", "activity_type", "title", "provider", "link", "hours")


@dataclass(frozen=True)
class EntryInput:
    """Everything a manager says about one piece of learning."""

    date: datetime.date
    activity_type: str
    title: str
    hours: Decimal
    provider: str = ""
    link: str = ""
    nodes: tuple[Node, ...] = ()
    objective: Objective | None = None
    what_happened: str = ""
    what_learnt: str = ""
    how_use: str = ""
    difference: str = ""
    visibility: str = Visibility.PRIVATE.value

    @classmethod
    def from_entry(cls, entry: Entry, **changes: Any) -> EntryInput:
        """The entry as it stands, with `changes` applied (for partial updates)."""
        current = cls(
            date=entry.date,
            activity_type=entry.activity_type,
            title=entry.title,
            hours=entry.hours,
            provider=entry.provider,
            link=entry.link,
            nodes=tuple(entry.nodes.all()),
            objective=entry.objective,
            what_happened=entry.what_happened,
            what_learnt=entry.what_learnt,
            how_use=entry.how_use,
            difference=entry.difference,
            visibility=entry.visibility,
        )
        return replace(current, **changes)

    def model_values(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "nodes"}


@dataclass
class _Problems:
    errors: dict[str, list[Any]] = field(default_factory=dict)

    def add(self, name: str, message: Any) -> None:
        self.errors.setdefault(name, []).append(message)

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def validate_entry(data: EntryInput, *, organisation: Organisation, manager: User) -> None:
    """Every rule an entry must meet, whichever door it came in by."""
    problems = _Problems()
    if data.date is None:
        problems.add("date", MESSAGES["date_required"])
    elif data.date > timezone.localdate():
        problems.add("date", MESSAGES["date_future"])
    if data.activity_type not in ActivityType.values:
        problems.add("activity_type", MESSAGES["type_required"])
    if not (data.title or "").strip():
        problems.add("title", MESSAGES["title_required"])
    elif len(data.title) > 300:
        problems.add("title", MESSAGES["title_long"])
    if len(data.provider or "") > 300:
        problems.add("provider", MESSAGES["provider_long"])
    if len(data.link or "") > 500:
        problems.add("link", MESSAGES["link_long"])
    hours_problem = hours_message(data.hours)
    if hours_problem:
        problems.add("hours", hours_problem)
    if data.objective is not None and not _objective_is_hers(data.objective, organisation, manager):
        problems.add("objective", MESSAGES["objective_not_hers"])
    if data.visibility not in Visibility.values:
        problems.add("visibility", MESSAGES["visibility"])
    node_ids = [n.pk for n in data.nodes]
    if (
        node_ids
        and Node.objects.filter(pk__in=node_ids, edition__status=EditionStatus.DRAFT).exists()
    ):
        problems.add("nodes", MESSAGES["node_draft"])
    problems.raise_any()


def hours_message(hours: Decimal | int | float | None) -> Any:
    """What is wrong with a number of hours, or None."""
    if hours is None:
        return MESSAGES["hours_required"]
    if isinstance(hours, int | float) and not isinstance(hours, bool):
        hours = Decimal(str(hours))
    if not isinstance(hours, Decimal) or not hours.is_finite():
        return MESSAGES["hours_invalid"]
    if hours <= 0:
        return MESSAGES["hours_positive"]
    if hours > MAX_HOURS:
        return MESSAGES["hours_max"]
    exponent = hours.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2 and hours != hours.quantize(Decimal("0.01")):
        return MESSAGES["hours_places"]
    return None


def _objective_is_hers(objective: Objective, organisation: Organisation, manager: User) -> bool:
    return Objective.objects.filter(
        pk=objective.pk, plan__organisation=organisation, plan__manager=manager
    ).exists()


def _require_manager(actor: User | None, entry: Entry) -> None:
    if actor is None or actor.pk != entry.manager_id:
        raise PermissionDenied("Only the manager changes her own CPD record.")


def _check_files(uploads: Iterable[UploadedFile]) -> list[CheckedFile]:
    checked, problems = [], []
    for upload in uploads:
        try:
            checked.append(check_upload(upload))
        except UploadRejected as e:
            problems.append(e.message)
    if problems:
        raise ValidationError({"evidence": problems})
    return checked


def _remove(evidence: Evidence) -> None:
    """Remove a stored file whose row is being abandoned."""
    if evidence.file.name:
        evidence.file.storage.delete(evidence.file.name)


def _store(entry: Entry, checked: CheckedFile) -> Evidence:
    evidence = Evidence(
        entry=entry,
        stored_name=stored_name_for(checked.extension),
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
    )
    checked.upload.seek(0)
    evidence.file.save(evidence.stored_name, checked.upload, save=False)
    try:
        evidence.save()
    except Exception:
        _remove(evidence)
        raise
    return evidence


def _store_all(entry: Entry, checked: Sequence[CheckedFile]) -> list[Evidence]:
    stored: list[Evidence] = []
    try:
        for item in checked:
            stored.append(_store(entry, item))
    except Exception:
        for ev in stored:
            _remove(ev)
        raise
    return stored


def _changed_fields(entry: Entry, data: EntryInput) -> list[str]:
    changed = [name for name, value in data.model_values().items() if getattr(entry, name) != value]
    if {n.pk for n in entry.nodes.all()} != {n.pk for n in data.nodes}:
        changed.append("nodes")
    return sorted(changed)


def _where(entry: Entry) -> str:
    return f"CPD entry {entry.pk} of {entry.manager.email}"


# --- entries -------------------------------------------------------------------------------


def entry_create(
    *,
    actor: User | None,
    organisation: Organisation,
    manager: User,
    data: EntryInput,
    evidence: Sequence[UploadedFile] = (),
    source: str = "",
) -> Entry:
    """Add an entry to `manager`'s log, with its evidence files. `actor` is the manager
    herself, or None for entries that arrive from another system (then give `source`).
    Nothing is saved unless everything, every file included, is acceptable."""
    if actor is not None and actor.pk != manager.pk:
        raise PermissionDenied("Only the manager adds to her own CPD record.")
    validate_entry(data, organisation=organisation, manager=manager)
    checked = _check_files(evidence)
    stored: list[Evidence] = []
    try:
        with transaction.atomic():
            entry = Entry.objects.create(
                organisation=organisation, manager=manager, source=source, **data.model_values()
            )
            entry.nodes.set(data.nodes)
            stored = _store_all(entry, checked)
            audit.record(
                actor=actor,
                action="cpd.entry.create",
                obj=entry,
                organisation=organisation,
                summary=f"Added {_where(entry)} ({entry.visibility}"
                + (f", {len(stored)} evidence file(s))" if stored else ")"),
                changes={"visibility": entry.visibility, "evidence_files": len(stored)},
            )
    except Exception:
        for ev in stored:
            _remove(ev)
        raise
    return entry


def entry_update(
    *, actor: User, entry: Entry, data: EntryInput, evidence: Sequence[UploadedFile] = ()
) -> Entry:
    """Change an entry (and add any new evidence files). Changing what a supervisor
    confirmed (date, type, title, provider, link or hours) withdraws the confirmation."""
    _require_manager(actor, entry)
    validate_entry(data, organisation=entry.organisation, manager=entry.manager)
    checked = _check_files(evidence)
    stored: list[Evidence] = []
    try:
        with transaction.atomic():
            fresh = Entry.objects.select_for_update().get(pk=entry.pk)
            changed = _changed_fields(entry, data)
            values = data.model_values()
            for name, value in values.items():
                setattr(fresh, name, value)
            update_fields = [*values, "updated_at"]
            withdrawn = fresh.confirmed_at is not None and bool(
                set(changed) & set(CONFIRMED_FIELDS)
            )
            if withdrawn:
                fresh.confirmed_at = None
                fresh.confirmed_by = None
                update_fields += ["confirmed_at", "confirmed_by"]
            fresh.save(update_fields=update_fields)
            fresh.nodes.set(data.nodes)
            stored = _store_all(fresh, checked)
            changes: dict[str, Any] = {"fields": changed}
            if "visibility" in changed:
                changes["visibility"] = [entry.visibility, fresh.visibility]
            if stored:
                changes["evidence_files_added"] = len(stored)
            if withdrawn:
                changes["confirmation_withdrawn"] = True
            audit.record(
                actor=actor,
                action="cpd.entry.update",
                obj=fresh,
                organisation=fresh.organisation,
                summary=f"Changed {_where(fresh)}"
                + (" (confirmation withdrawn)" if withdrawn else ""),
                changes=changes,
            )
    except Exception:
        for ev in stored:
            _remove(ev)
        raise
    return fresh


@transaction.atomic
def entry_delete(*, actor: User, entry: Entry) -> None:
    """Delete an entry and its evidence files."""
    _require_manager(actor, entry)
    files = list(entry.evidence.all())
    audit.record(
        actor=actor,
        action="cpd.entry.delete",
        obj=entry,
        organisation=entry.organisation,
        summary=f"Deleted {_where(entry)}",
        changes={"evidence_files": len(files)},
    )
    entry.delete()  # evidence files leave the disk once this commits (signals.py)


@transaction.atomic
def entry_share(*, actor: User, entry: Entry, visibility: str) -> Entry:
    """Share an entry with the manager's supervisor, mentors and coaches, or make it
    private again."""
    _require_manager(actor, entry)
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": [MESSAGES["visibility"]]})
    before = entry.visibility
    if before == visibility:
        return entry
    entry.visibility = visibility
    entry.save(update_fields=["visibility", "updated_at"])
    audit.record(
        actor=actor,
        action="cpd.entry.share" if visibility == Visibility.SUPPORTERS else "cpd.entry.unshare",
        obj=entry,
        organisation=entry.organisation,
        summary=(
            f"Shared {_where(entry)} with supervisor and mentors"
            if visibility == Visibility.SUPPORTERS
            else f"Made {_where(entry)} private"
        ),
        changes={"visibility": [before, visibility]},
    )
    return entry


def is_supervisor_of(*, supporter: User, entry: Entry) -> bool:
    return SupportRelationship.objects.filter(
        organisation_id=entry.organisation_id,
        manager_id=entry.manager_id,
        supporter=supporter,
        kind=SupportKind.SUPERVISOR,
    ).exists()


@transaction.atomic
def entry_confirm(*, actor: User, entry: Entry) -> Entry:
    """The manager's supervisor confirms an entry she has shared. A mentor or coach may
    not; nobody may confirm a private entry or their own. Confirming twice changes nothing."""
    if (
        actor.pk == entry.manager_id
        or entry.visibility != Visibility.SUPPORTERS
        or not is_supervisor_of(supporter=actor, entry=entry)
    ):
        raise PermissionDenied("Only the manager's supervisor confirms an entry she has shared.")
    fresh = Entry.objects.select_for_update().get(pk=entry.pk)
    if fresh.confirmed_at is not None:
        return fresh
    fresh.confirmed_by = actor
    fresh.confirmed_at = timezone.now()
    fresh.save(update_fields=["confirmed_by", "confirmed_at", "updated_at"])
    audit.record(
        actor=actor,
        action="cpd.entry.confirm",
        obj=fresh,
        organisation=fresh.organisation,
        summary=f"Confirmed {_where(fresh)}",
    )
    return fresh


# --- evidence ------------------------------------------------------------------------------


def evidence_add(*, actor: User, entry: Entry, upload: UploadedFile) -> Evidence:
    """Attach one file to an entry, if it is what it says it is and not too large."""
    _require_manager(actor, entry)
    [checked] = _check_files([upload])
    evidence: Evidence | None = None
    try:
        with transaction.atomic():
            evidence = _store(entry, checked)
            Entry.objects.filter(pk=entry.pk).update(updated_at=timezone.now())
            audit.record(
                actor=actor,
                action="cpd.evidence.add",
                obj=evidence,
                organisation=entry.organisation,
                summary=f"Added evidence file {evidence.pk} ({evidence.content_type}, "
                f"{evidence.size} bytes) to {_where(entry)}",
            )
    except Exception:
        if evidence is not None:
            _remove(evidence)
        raise
    return evidence


@transaction.atomic
def evidence_delete(*, actor: User, evidence: Evidence) -> None:
    """Remove an evidence file."""
    entry = evidence.entry
    _require_manager(actor, entry)
    audit.record(
        actor=actor,
        action="cpd.evidence.delete",
        obj=evidence,
        organisation=entry.organisation,
        summary=f"Deleted evidence file {evidence.pk} from {_where(entry)}",
    )
    evidence.delete()  # the file leaves the disk once this commits (signals.py)


__all__ = [
    "CONFIRMED_FIELDS",
    "MESSAGES",
    "REFLECTION_FIELDS",
    "EntryInput",
    "entry_confirm",
    "entry_create",
    "entry_delete",
    "entry_share",
    "entry_update",
    "evidence_add",
    "evidence_delete",
    "hours_message",
    "validate_entry",
]
