"""Writes for role profiles and person management specifications (PMS). Each function is
keyword-only, runs in one transaction and leaves an audit event.

A PMS is never edited in place: `spec_revise` takes the whole desired content and writes
it as a new numbered revision, so every earlier revision stays readable and a supervisor
agrees one particular revision. A framework's new edition never changes a PMS by itself:
`spec_update_editions` makes a new revision pointing at the new edition's items, when
the manager asks for it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core import audit
from waymark.frameworks.models import Assesses, Edition, EditionStatus, Node
from waymark.organisations.models import SizeBand, SupportKind, SupportRelationship

from .files import check_job_description
from .models import (
    BasicKind,
    Importance,
    Level,
    ManagerLevel,
    Revision,
    RoleBasic,
    RoleCompetence,
    RoleProfile,
    RoleQualification,
    SpecBasic,
    SpecCompetence,
    Specification,
    SpecQualification,
)
from .selectors import (
    BasicRow,
    CompetenceRow,
    QualificationRow,
    SpecContent,
    content_diff,
    content_of,
    edition_updates_for,
    role_content,
)

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.organisations.models import Organisation


NEW_UPLOAD = "\x00new-upload"


class ProfileError(ValueError):
    """A write that breaks the rules of role profiles or a PMS. Forms check the same rules
    first and say so in words; views show this message when a rule is met only here."""


class NothingChanged(ProfileError):
    """A PMS save whose content is the same as the current revision's: no revision made."""


class RevisionConflict(ProfileError):
    """The PMS gained a revision after the page being saved was opened."""


# ---------------------------------------------------------------------------------------
# Starting points

STARTING_FRAMEWORK = "middle-manager-llf"

# Mix of a domain → weight, by manager level [003 Diagram 3].
MIX_WEIGHTS: dict[str, dict[str, int]] = {
    ManagerLevel.ASPIRING: {"specialist": 3, "generic": 1, "partnership": 2, "core": 2},
    ManagerLevel.FIRST_LINE: {"specialist": 3, "generic": 1, "partnership": 2, "core": 2},
    ManagerLevel.MIDDLE: {"specialist": 2, "generic": 2, "partnership": 2, "core": 2},
    ManagerLevel.SENIOR: {"specialist": 1, "generic": 3, "partnership": 2, "core": 2},
}
# How many items a profile holds, by organisation size [003 Diagram 5]; None: all of them.
SIZE_ITEMS: dict[str, int | None] = {
    SizeBand.MICRO: 10,
    SizeBand.SMALL: 20,
    SizeBand.MEDIUM: -1,  # 80 % of the framework: "almost the complete set"
    SizeBand.LARGE: None,
}
MEDIUM_SHARE = 0.8
# The level expected of a domain of weight 1 or 2, by manager level; one higher at weight 3.
BASE_LEVEL: dict[str, int] = {
    ManagerLevel.ASPIRING: Level.AWARE,
    ManagerLevel.FIRST_LINE: Level.DEVELOPING,
    ManagerLevel.MIDDLE: Level.CONFIDENT,
    ManagerLevel.SENIOR: Level.CONFIDENT,
}
IMPORTANCE_BY_WEIGHT = {1: Importance.USEFUL, 2: Importance.IMPORTANT, 3: Importance.ESSENTIAL}
PARTNERSHIP_MINIMUM = 2


@dataclass(frozen=True)
class ProposedCompetence:
    node: Node
    domain: Node
    mix: str  # "generic", "specialist", "partnership" or "core"
    expected_level: int
    importance: int

    @property
    def level_label(self) -> str:
        return str(Level(self.expected_level).label)

    @property
    def importance_label(self) -> str:
        return str(Importance(self.importance).label)


@dataclass(frozen=True)
class StartingPoint:
    edition: Edition | None
    size_band: str
    manager_level: str
    competences: list[ProposedCompetence]

    def count(self, mix: str) -> int:
        return sum(1 for c in self.competences if c.mix == mix)


def domain_mix(domain: Node) -> str:
    """How a domain counts in the mix: its competence type where the framework gives one;
    "core" for a central domain without one; "specialist" for the other task domains."""
    if domain.competence_type:
        return domain.competence_type
    return "core" if domain.is_central else "specialist"


def default_level(manager_level: str) -> int:
    """The level expected of a competence picked by hand, before anyone changes it."""
    return Level.DEVELOPING if manager_level == ManagerLevel.ASPIRING else Level.CONFIDENT


def role_profile_starting_point(
    *, size_band: str, manager_level: str, edition: Edition | None = None
) -> StartingPoint:
    """A proposed set of competences for a new role profile; writes nothing.

    The rule, from the seed's Diagram 3 (competence mix by manager level) and Diagram 5
    (scalable model by agency size) [003 §9.4, §9.6]:

    1. Source: the current edition of the Middle Manager Leadership Learning Framework
       (`middle-manager-llf`; or `edition` if given), the shipped framework whose domains
       carry competence types. Its items are taken from its domains (top-level items),
       each domain's learning outcomes (its leaves) in the framework's own order.
    2. Mix: a domain counts as its `competence_type` where the framework gives one (MM1,
       MM3, MM7, MM9 generic; MM5 partnership). A central domain without one (MM2,
       keeping people who use services at the centre) is "core": it underpins every
       manager's role [000 §4.2]. The other task domains without a type (MM4 planning and
       resources, MM6 risk, MM8 quality assurance) are the day-to-day running of a
       social service, the sector-specific work the seed calls specialist.
    3. Weight by manager level: first line (and aspiring) leans specialist — specialist 3,
       generic 1; senior leans generic — generic 3, specialist 1; middle is even (2 and
       2). Partnership and core weigh 2 at every level.
    4. Length by organisation size: micro 10 items (a short profile); small 20; medium
       80 % of the framework's items ("almost the complete set"); large all of them (the
       complete set).
    5. Every profile carries partnership competences: each partnership domain gets at
       least two items, each central domain at least one. The rest are shared out one at
       a time, each to the domain with the highest weight * items / (items given + 1)
       (the D'Hondt method, so domains get items in proportion to weight and size),
       never more than a domain has; ties go to the earlier domain.
    6. Expected level: aspiring Aware, first line Developing, middle and senior Confident,
       one level higher in the domains of weight 3 (first line specialist: Confident;
       senior generic: Leading). Importance: weight 3 Essential, 2 Important, 1 Useful.

    Everything proposed is a starting point: the L&D lead unticks, adds and adjusts."""
    if edition is None:
        edition = (
            Edition.objects.filter(
                framework__slug=STARTING_FRAMEWORK,
                is_current=True,
                status=EditionStatus.PUBLISHED,
            )
            .select_related("framework")
            .first()
        )
    if edition is None:
        return StartingPoint(None, size_band, manager_level, [])
    weights = MIX_WEIGHTS.get(manager_level, MIX_WEIGHTS[ManagerLevel.MIDDLE])

    nodes = list(edition.nodes.order_by("path"))
    has_children = {n.parent_id for n in nodes if n.parent_id}
    roots = [n for n in nodes if n.parent_id is None]
    leaves_of: dict[int, list[Node]] = {r.pk: [] for r in roots}
    root_by_path = {r.path: r for r in roots}
    for n in nodes:
        if n.parent_id is not None and n.pk not in has_children:
            root = root_by_path.get(n.path.partition(".")[0] + ".")
            if root is not None:
                leaves_of[root.pk].append(n)
    domains = [r for r in roots if leaves_of[r.pk]]
    total = sum(len(leaves_of[d.pk]) for d in domains)

    wanted = SIZE_ITEMS.get(size_band, SIZE_ITEMS[SizeBand.SMALL])
    if wanted is None:
        budget = total
    elif wanted < 0:
        budget = round(total * MEDIUM_SHARE)
    else:
        budget = min(wanted, total)

    given: dict[int, int] = {}
    for d in domains:
        mix = domain_mix(d)
        minimum = PARTNERSHIP_MINIMUM if mix == "partnership" else 1 if d.is_central else 0
        given[d.pk] = min(minimum, len(leaves_of[d.pk]))
    remaining = budget - sum(given.values())
    while remaining > 0:
        open_domains = [d for d in domains if given[d.pk] < len(leaves_of[d.pk])]
        if not open_domains:
            break
        best = max(
            open_domains,
            key=lambda d: (
                weights[domain_mix(d)] * len(leaves_of[d.pk]) / (given[d.pk] + 1),
                -domains.index(d),
            ),
        )
        given[best.pk] += 1
        remaining -= 1

    proposed: list[ProposedCompetence] = []
    base = BASE_LEVEL.get(manager_level, Level.CONFIDENT)
    for d in domains:
        mix = domain_mix(d)
        weight = weights[mix]
        level = int(min(Level.LEADING, base + (1 if weight == 3 else 0)))
        importance = IMPORTANCE_BY_WEIGHT[weight]
        for leaf in leaves_of[d.pk][: given[d.pk]]:
            leaf.edition = edition
            proposed.append(ProposedCompetence(leaf, d, mix, level, importance))
    return StartingPoint(edition, size_band, manager_level, proposed)


# ---------------------------------------------------------------------------------------
# Shared checks


def _check_rows(
    rows: Sequence[CompetenceRow], *, existing: set[int], organisation_id: int | None = None
) -> list[CompetenceRow]:
    """Competence rows without duplicates, each with a valid level and importance, each
    item in a published edition; items not already held must come from a current edition
    of a framework that assesses individuals."""
    seen: set[int] = set()
    out: list[CompetenceRow] = []
    for row in rows:
        if row.node.pk in seen:
            continue
        seen.add(row.node.pk)
        if row.expected_level not in Level.values:
            raise ProfileError(_("Choose a level between 0 and 4."))
        if row.importance not in Importance.values:
            raise ProfileError(_("Choose how important each competence is."))
        out.append(row)
    ids = {r.node.pk for r in out}
    editions = dict(Node.objects.filter(pk__in=ids).values_list("pk", "edition_id"))
    if len(editions) != len(ids):
        raise ProfileError(_("One of the chosen items no longer exists."))
    ok = {
        e.pk: e
        for e in Edition.objects.filter(pk__in=set(editions.values())).select_related("framework")
    }
    for pk, edition_id in editions.items():
        e = ok[edition_id]
        # Another organisation's own competences (waymark/tailoring) are never usable.
        if e.framework.organisation_id not in (None, organisation_id):
            raise ProfileError(_("One of the chosen items no longer exists."))
        if e.status == EditionStatus.DRAFT:
            raise ProfileError(_("Items of a draft edition cannot be used until it is published."))
        if pk not in existing and (not e.is_current or e.assesses != Assesses.INDIVIDUAL):
            raise ProfileError(
                _(
                    "New competences must come from the current edition of a framework that assesses individuals."
                )
            )
    return out


def _rows_summary(rows: Sequence[CompetenceRow]) -> list[str]:
    return [f"{r.node.code or r.node.pk}:{r.expected_level}/{r.importance}" for r in rows]


# ---------------------------------------------------------------------------------------
# Role profiles


@transaction.atomic
def role_profile_create(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    manager_level: str,
    description: str = "",
) -> RoleProfile:
    if manager_level not in ManagerLevel.values:
        raise ProfileError(_("Choose a manager level."))
    profile = RoleProfile.objects.create(
        organisation=organisation,
        title=title.strip(),
        manager_level=manager_level,
        description=description,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="role_profile.create",
        obj=profile,
        organisation=organisation,
        summary=f"Created role profile {profile.title}",
        changes={"title": [None, profile.title], "manager_level": [None, manager_level]},
    )
    return profile


@transaction.atomic
def role_profile_update(
    *,
    actor: User,
    role_profile: RoleProfile,
    title: str,
    manager_level: str,
    description: str,
) -> RoleProfile:
    if manager_level not in ManagerLevel.values:
        raise ProfileError(_("Choose a manager level."))
    fresh = RoleProfile.objects.select_for_update().get(pk=role_profile.pk)
    data = {"title": title.strip(), "manager_level": manager_level, "description": description}
    changes = audit.diff(fresh, data)
    for k, v in data.items():
        setattr(fresh, k, v)
    fresh.save(update_fields=[*data, "updated_at"])
    audit.record(
        actor=actor,
        action="role_profile.update",
        obj=fresh,
        organisation=fresh.organisation,
        summary=f"Changed role profile {fresh.title}",
        changes=changes,
    )
    return fresh


@transaction.atomic
def role_profile_archive(
    *, actor: User, role_profile: RoleProfile, archived: bool = True
) -> RoleProfile:
    """Archive a role profile (no longer offered to start a PMS; PMSs started from it are
    not changed), or restore it."""
    fresh = RoleProfile.objects.select_for_update().get(pk=role_profile.pk)
    changes = audit.diff(fresh, {"archived": archived})
    fresh.archived = archived
    fresh.save(update_fields=["archived", "updated_at"])
    audit.record(
        actor=actor,
        action="role_profile.archive" if archived else "role_profile.restore",
        obj=fresh,
        organisation=fresh.organisation,
        summary=f"{'Archived' if archived else 'Restored'} role profile {fresh.title}",
        changes=changes,
    )
    return fresh


@transaction.atomic
def role_competences_set(
    *, actor: User, role_profile: RoleProfile, competences: Sequence[CompetenceRow]
) -> list[RoleCompetence]:
    """Make the role profile's competences exactly `competences` (with their levels and
    importance): rows not listed are removed, new ones added, others updated."""
    fresh = RoleProfile.objects.select_for_update().get(pk=role_profile.pk)
    current = {c.node_id: c for c in fresh.competences.all()}
    rows = _check_rows(competences, existing=set(current), organisation_id=fresh.organisation_id)
    wanted = {r.node.pk: r for r in rows}
    removed = [pk for pk in current if pk not in wanted]
    RoleCompetence.objects.filter(role_profile=fresh, node_id__in=removed).delete()
    added, changed = [], []
    for pk, r in wanted.items():
        if pk in current:
            c = current[pk]
            if (c.expected_level, c.importance) != (r.expected_level, r.importance):
                c.expected_level, c.importance = r.expected_level, r.importance
                c.save(update_fields=["expected_level", "importance"])
                changed.append(r)
        else:
            added.append(
                RoleCompetence(
                    role_profile=fresh,
                    node=r.node,
                    expected_level=r.expected_level,
                    importance=r.importance,
                )
            )
    RoleCompetence.objects.bulk_create(added)
    fresh.save(update_fields=["updated_at"])
    audit.record(
        actor=actor,
        action="role_profile.competences",
        obj=fresh,
        organisation=fresh.organisation,
        summary=(
            f"Role profile {fresh.title}: {len(added)} competences added, {len(removed)} removed, "
            f"{len(changed)} changed"
        ),
        changes={
            "added": [None, [f"{c.node.code or c.node_id}" for c in added]],
            "removed": [removed, None],
            "changed": [None, _rows_summary(changed)],
        },
    )
    return list(fresh.competences.select_related("node"))


@transaction.atomic
def role_qualification_add(
    *, actor: User, role_profile: RoleProfile, title: str, note: str = ""
) -> RoleQualification:
    q = RoleQualification.objects.create(
        role_profile=role_profile, title=title.strip(), note=note.strip()
    )
    audit.record(
        actor=actor,
        action="role_profile.qualification_add",
        obj=role_profile,
        organisation=role_profile.organisation,
        summary=f"Role profile {role_profile.title}: requires {q.title}",
        changes={"qualification": [None, q.title]},
    )
    return q


@transaction.atomic
def role_qualification_remove(*, actor: User, qualification: RoleQualification) -> None:
    profile = qualification.role_profile
    title = qualification.title
    qualification.delete()
    audit.record(
        actor=actor,
        action="role_profile.qualification_remove",
        obj=profile,
        organisation=profile.organisation,
        summary=f"Role profile {profile.title}: no longer requires {title}",
        changes={"qualification": [title, None]},
    )


@transaction.atomic
def role_basic_add(*, actor: User, role_profile: RoleProfile, kind: str, title: str) -> RoleBasic:
    if kind not in BasicKind.values:
        raise ProfileError(_("Choose induction or foundation learning."))
    b = RoleBasic.objects.create(role_profile=role_profile, kind=kind, title=title.strip())
    audit.record(
        actor=actor,
        action="role_profile.basic_add",
        obj=role_profile,
        organisation=role_profile.organisation,
        summary=f"Role profile {role_profile.title}: added {kind} item {b.title}",
        changes={"basic": [None, f"{kind}: {b.title}"]},
    )
    return b


@transaction.atomic
def role_basic_remove(*, actor: User, basic: RoleBasic) -> None:
    profile = basic.role_profile
    label = f"{basic.kind}: {basic.title}"
    basic.delete()
    audit.record(
        actor=actor,
        action="role_profile.basic_remove",
        obj=profile,
        organisation=profile.organisation,
        summary=f"Role profile {profile.title}: removed {label}",
        changes={"basic": [label, None]},
    )


@transaction.atomic
def role_profile_update_editions(*, actor: User, role_profile: RoleProfile) -> int:
    """Point the role profile's competences on superseded editions at the same items
    (by code) of the current editions, keeping their levels and importance; items the
    current edition no longer has are removed. Returns how many rows changed. PMSs that
    started from the profile are not changed: each manager updates her own."""
    fresh = RoleProfile.objects.select_for_update().get(pk=role_profile.pk)
    rows = list(fresh.competences.select_related("node__edition__framework", "node__parent"))
    updates = edition_updates_for([r.node for r in rows])
    if not updates:
        raise ProfileError(_("Every competence is already from the current edition."))
    new_for = {c.old.pk: c.new for u in updates for c in u.changes}
    held = {r.node_id for r in rows}
    n = 0
    for r in rows:
        if r.node_id not in new_for:
            continue
        new = new_for[r.node_id]
        if new is None or new.pk in held:
            r.delete()
        else:
            r.node = new
            r.save(update_fields=["node"])
            held.add(new.pk)
        n += 1
    fresh.save(update_fields=["updated_at"])
    audit.record(
        actor=actor,
        action="role_profile.update_editions",
        obj=fresh,
        organisation=fresh.organisation,
        summary=f"Role profile {fresh.title}: moved {n} competences to the current editions",
        changes={
            "editions": [
                [str(u.old_edition) for u in updates],
                [str(u.new_edition) for u in updates],
            ]
        },
    )
    return n


# ---------------------------------------------------------------------------------------
# Person management specifications


def _write_revision(
    *,
    actor: User,
    spec: Specification,
    number: int,
    content: SpecContent,
    change_note: str,
    upload: UploadedFile | None = None,
    upload_ext: str = "",
    stored: list[str] | None = None,
) -> Revision:
    stored = [] if stored is None else stored
    revision = Revision(
        specification=spec,
        number=number,
        role_profile=content.role_profile,
        job_title=content.job_title.strip(),
        manager_level=content.manager_level,
        job_description=content.job_description,
        job_description_name=content.file_label if content.file_name else "",
        change_note=change_note[:500],
        created_by=actor,
    )
    if upload is not None:
        revision.job_description_file.save(f"{uuid.uuid4().hex}{upload_ext}", upload, save=False)
        revision.job_description_name = (upload.name or "").rsplit("/", 1)[-1][:255]
        stored.append(revision.job_description_file.name or "")
    elif content.file_name and content.file_name != NEW_UPLOAD:
        revision.job_description_file.name = content.file_name
    revision.save()
    SpecCompetence.objects.bulk_create(
        [
            SpecCompetence(
                revision=revision,
                node=r.node,
                expected_level=r.expected_level,
                importance=r.importance,
                from_role_profile=r.from_role_profile,
            )
            for r in content.competences
        ]
    )
    SpecQualification.objects.bulk_create(
        [
            SpecQualification(revision=revision, title=q.title, note=q.note)
            for q in content.qualifications
        ]
    )
    SpecBasic.objects.bulk_create(
        [SpecBasic(revision=revision, kind=b.kind, title=b.title) for b in content.basics]
    )
    spec.current = revision
    spec.save(update_fields=["current"])
    return revision


def _check_content(
    content: SpecContent, *, existing: set[int], organisation_id: int | None = None
) -> SpecContent:
    if not content.job_title.strip():
        raise ProfileError(_("Enter a job title."))
    if content.manager_level not in ManagerLevel.values:
        raise ProfileError(_("Choose a manager level."))
    for b in content.basics:
        if b.kind not in BasicKind.values:
            raise ProfileError(_("Choose induction or foundation learning."))
    content.competences = _check_rows(
        content.competences, existing=existing, organisation_id=organisation_id
    )
    return content


@transaction.atomic
def spec_start(
    *,
    actor: User,
    organisation: Organisation,
    manager: User,
    role_profile: RoleProfile | None = None,
    job_title: str = "",
    manager_level: str = "",
    change_note: str = "",
) -> Specification:
    """Start a manager's PMS as revision 1: from a role profile of the organisation (its
    competences with their levels and importance, its qualifications and basics; job
    title and manager level default to the profile's) or from nothing."""
    if Specification.objects.filter(organisation=organisation, manager=manager).exists():
        raise ProfileError(
            _("There is already a person management specification; change that one instead.")
        )
    if role_profile is not None:
        if role_profile.organisation_id != organisation.pk or role_profile.archived:
            raise ProfileError(_("Choose one of the organisation's role profiles."))
        content = role_content(role_profile)
        content.job_description = ""
        content.job_title = job_title.strip() or role_profile.title
        content.manager_level = manager_level or role_profile.manager_level
        note = change_note or _("Started from the role profile “%(title)s”.") % {
            "title": role_profile.title
        }
        existing = {c.node.pk for c in content.competences}
    else:
        content = SpecContent(job_title=job_title, manager_level=manager_level)
        note = change_note or _("Started from nothing.")
        existing = set()
    content = _check_content(content, existing=existing, organisation_id=organisation.pk)
    spec = Specification.objects.create(organisation=organisation, manager=manager)
    revision = _write_revision(actor=actor, spec=spec, number=1, content=content, change_note=note)
    audit.record(
        actor=actor,
        action="pms.start",
        obj=spec,
        organisation=organisation,
        summary=(
            f"Started the PMS of {manager.email}"
            + (f" from role profile {role_profile.title}" if role_profile else " from nothing")
        ),
        changes={
            "revision": [None, revision.number],
            "competences": [None, len(content.competences)],
        },
    )
    return spec


def spec_revise(
    *,
    actor: User,
    specification: Specification,
    content: SpecContent,
    change_note: str = "",
    based_on: int | None = None,
    upload: UploadedFile | None = None,
    remove_file: bool = False,
) -> Revision:
    """Write `content` (the whole desired PMS) as a new revision, numbered one more than
    the last. The job description file is kept unless a new one is uploaded or
    `remove_file`; earlier revisions keep theirs. A blank change note is filled with what
    changed. Raises NothingChanged when the content is the current revision's, and
    RevisionConflict when `based_on` is not the current revision number (someone saved
    in between)."""
    stored: list[str] = []
    try:
        return _spec_revise(
            actor=actor,
            specification=specification,
            content=content,
            change_note=change_note,
            based_on=based_on,
            upload=upload,
            remove_file=remove_file,
            stored=stored,
        )
    except Exception:
        # Nothing was written: the stored job description file belongs to nothing.
        for name in stored:
            if name:
                default_storage.delete(name)
        raise


@transaction.atomic
def _spec_revise(
    *,
    actor: User,
    specification: Specification,
    content: SpecContent,
    change_note: str,
    based_on: int | None,
    upload: UploadedFile | None,
    remove_file: bool,
    stored: list[str],
) -> Revision:
    spec = Specification.objects.select_for_update().get(pk=specification.pk)
    current = (
        Revision.objects.select_related("role_profile").get(pk=spec.current_id)
        if spec.current_id
        else None
    )
    if current is not None and based_on is not None and based_on != current.number:
        raise RevisionConflict(
            _(
                "The specification changed (revision %(n)d) after you opened this page. Check your changes against it and save again."
            )
            % {"n": current.number}
        )
    before = content_of(current) if current is not None else SpecContent("", "")
    content.role_profile = before.role_profile
    if remove_file:
        content.file_name, content.file_label = "", ""
    else:
        content.file_name, content.file_label = before.file_name, before.file_label
    ext = ""
    if upload is not None:
        ext = check_job_description(upload)
        # A placeholder until the file is stored, so that the difference shows it.
        content.file_name, content.file_label = NEW_UPLOAD, upload.name or ""
    existing = before.node_ids()
    old_flags = {c.node.pk: c.from_role_profile for c in before.competences}
    for c in content.competences:
        c.from_role_profile = old_flags.get(c.node.pk, False)
    content = _check_content(content, existing=existing, organisation_id=spec.organisation_id)
    diff = content_diff(before, content)
    if diff.is_empty:
        raise NothingChanged(_("Nothing has changed, so no new revision was made."))
    note = change_note.strip() or diff.summary()
    number = (spec.revisions.aggregate(m=Max("number"))["m"] or 0) + 1
    revision = _write_revision(
        actor=actor,
        spec=spec,
        number=number,
        content=content,
        change_note=note,
        upload=upload,
        upload_ext=ext,
        stored=stored,
    )
    audit.record(
        actor=actor,
        action="pms.revise",
        obj=spec,
        organisation=spec.organisation,
        summary=f"PMS revision {number}: {note}",
        changes={
            "revision": [number - 1, number],
            **{f.name: [f.before, f.after] for f in diff.fields},
            "competences_added": [None, [c.node.code or c.node.pk for c in diff.added]],
            "competences_removed": [[c.node.code or c.node.pk for c in diff.removed], None],
        },
    )
    return revision


@transaction.atomic
def spec_agree(*, actor: User, revision: Revision) -> Revision:
    """The manager's supervisor agrees a revision: the current one only, once."""
    fresh = Revision.objects.select_for_update().select_related("specification").get(pk=revision.pk)
    spec = fresh.specification
    is_supervisor = SupportRelationship.objects.filter(
        organisation_id=spec.organisation_id,
        manager_id=spec.manager_id,
        supporter=actor,
        kind=SupportKind.SUPERVISOR,
    ).exists()
    if not is_supervisor:
        raise ProfileError(_("Only the manager's supervisor can agree her specification."))
    if spec.current_id != fresh.pk:
        raise ProfileError(_("Only the latest revision can be agreed; this one has been replaced."))
    if fresh.agreed_at is not None:
        raise ProfileError(_("This revision has already been agreed."))
    fresh.agreed_by = actor
    fresh.agreed_at = timezone.now()
    fresh.save(update_fields=["agreed_by", "agreed_at"])
    audit.record(
        actor=actor,
        action="pms.agree",
        obj=spec,
        organisation=spec.organisation,
        summary=f"Agreed revision {fresh.number} of the PMS of {spec.manager.email}",
        changes={"agreed_revision": [None, fresh.number]},
    )
    return fresh


@transaction.atomic
def spec_update_editions(
    *, actor: User, specification: Specification, change_note: str = "", based_on: int | None = None
) -> Revision:
    """A new revision whose competences on superseded editions point at the same items
    (matched by code) of their framework's current edition, with the same level and
    importance; items the current edition no longer has are left out. Everything else is
    carried over. Raises ProfileError when no update is available."""
    spec = Specification.objects.select_for_update().get(pk=specification.pk)
    if spec.current_id is None:
        raise ProfileError(_("There is no specification to update."))
    current = Revision.objects.get(pk=spec.current_id)
    if based_on is not None and based_on != current.number:
        raise RevisionConflict(
            _(
                "The specification changed (revision %(n)d) after you opened this page. Look at the changes again."
            )
            % {"n": current.number}
        )
    before = content_of(current)
    updates = edition_updates_for(c.node for c in before.competences)
    if not updates:
        raise ProfileError(_("Every competence is already from the current edition."))
    new_for = {c.old.pk: c.new for u in updates for c in u.changes}
    rows: list[CompetenceRow] = []
    held: set[int] = set()
    for c in before.competences:
        node = new_for.get(c.node.pk, c.node)
        if node is None or node.pk in held:
            continue  # gone from the current edition, or already held there
        held.add(node.pk)
        rows.append(CompetenceRow(node, c.expected_level, c.importance, c.from_role_profile))
    content = spec_content_with(before, competences=rows)
    diff = content_diff(before, content)
    names = ", ".join(f"{u.framework.title} {u.new_edition.version}".strip() for u in updates)
    note = change_note.strip() or _("Updated to the current edition: %(names)s.") % {"names": names}
    number = (spec.revisions.aggregate(m=Max("number"))["m"] or 0) + 1
    revision = _write_revision(
        actor=actor, spec=spec, number=number, content=content, change_note=note
    )
    audit.record(
        actor=actor,
        action="pms.update_editions",
        obj=spec,
        organisation=spec.organisation,
        summary=f"PMS revision {number}: {note}",
        changes={
            "revision": [number - 1, number],
            "editions": [
                [str(u.old_edition) for u in updates],
                [str(u.new_edition) for u in updates],
            ],
            "moved": [None, len(diff.replaced)],
            "removed": [[c.node.code for c in diff.removed], None],
        },
    )
    return revision


def spec_content_with(
    content: SpecContent,
    *,
    competences: Sequence[CompetenceRow] | None = None,
    qualifications: Sequence[QualificationRow] | None = None,
    basics: Sequence[BasicRow] | None = None,
) -> SpecContent:
    """A copy of `content` with some parts replaced (for views that change one part)."""
    return SpecContent(
        job_title=content.job_title,
        manager_level=content.manager_level,
        job_description=content.job_description,
        role_profile=content.role_profile,
        competences=list(content.competences if competences is None else competences),
        qualifications=list(content.qualifications if qualifications is None else qualifications),
        basics=list(content.basics if basics is None else basics),
        file_name=content.file_name,
        file_label=content.file_label,
    )
