"""Reads over role profiles and person management specifications (PMS) that are more
than a filter: a revision's content as plain values, the difference between two
revisions, which framework editions have moved on, and whose PMS a viewer may see.

Other parts of Waymark read a manager's PMS through `current_spec` (or
`Specification.current`) and its `SpecCompetence` rows; `domains_of` gives the domain
(top-level item) each competence sits in."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waymark.frameworks.models import Edition, EditionStatus, Framework, Node
from waymark.organisations.models import Membership, Role, SupportKind, SupportRelationship

from .models import (
    BasicKind,
    Importance,
    Level,
    ManagerLevel,
    Revision,
    RoleProfile,
    Specification,
)

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.organisations.models import Organisation

# Who may read a person's PMS (relations from `organisations.access`). Mentors and coaches
# may not: a PMS is the agreement between a manager, her line manager and the
# organisation; a manager shares what she chooses with a mentor through her CPD record.
PMS_READERS = frozenset(
    {"self", SupportKind.SUPERVISOR.value, Role.LD_LEAD.value, Role.ADMIN.value}
)
PMS_EDITORS = frozenset({"self"})
PMS_AGREERS = frozenset({SupportKind.SUPERVISOR.value})
PROFILE_EDITORS = frozenset({Role.LD_LEAD.value, Role.ADMIN.value})


# --- a revision's content, as values -------------------------------------------------------


@dataclass
class CompetenceRow:
    node: Node
    expected_level: int = Level.CONFIDENT
    importance: int = Importance.IMPORTANT
    from_role_profile: bool = False

    @property
    def level_label(self) -> str:
        return str(Level(self.expected_level).label)

    @property
    def level_name(self) -> str:
        """The level's first words ("Confident"), for tight spaces."""
        return self.level_label.split(":", 1)[0]

    @property
    def importance_label(self) -> str:
        return str(Importance(self.importance).label)


@dataclass(frozen=True)
class QualificationRow:
    title: str
    note: str = ""


@dataclass(frozen=True)
class BasicRow:
    kind: str
    title: str

    @property
    def kind_label(self) -> str:
        return str(BasicKind(self.kind).label) if self.kind in BasicKind.values else self.kind


@dataclass
class SpecContent:
    """Everything a PMS revision says. `spec_revise` takes the whole desired content."""

    job_title: str
    manager_level: str
    job_description: str = ""
    role_profile: RoleProfile | None = None
    competences: list[CompetenceRow] = field(default_factory=list)
    qualifications: list[QualificationRow] = field(default_factory=list)
    basics: list[BasicRow] = field(default_factory=list)
    file_name: str = ""  # where the job description file is stored ("" for none)
    file_label: str = ""  # the name it had when uploaded

    def node_ids(self) -> set[int]:
        return {c.node.pk for c in self.competences}


def content_of(revision: Revision) -> SpecContent:
    """A revision's content (three queries)."""
    return SpecContent(
        job_title=revision.job_title,
        manager_level=revision.manager_level,
        job_description=revision.job_description,
        role_profile=revision.role_profile,
        competences=[
            CompetenceRow(c.node, c.expected_level, c.importance, c.from_role_profile)
            for c in revision.competences.select_related("node__edition__framework", "node__parent")
        ],
        qualifications=[QualificationRow(q.title, q.note) for q in revision.qualifications.all()],
        basics=[BasicRow(b.kind, b.title) for b in revision.basics.all()],
        file_name=revision.job_description_file.name or "",
        file_label=revision.job_description_name,
    )


def role_content(role_profile: RoleProfile) -> SpecContent:
    """A role profile's content in the same shape (three queries)."""
    return SpecContent(
        job_title=role_profile.title,
        manager_level=role_profile.manager_level,
        job_description=role_profile.description,
        role_profile=role_profile,
        competences=[
            CompetenceRow(c.node, c.expected_level, c.importance, True)
            for c in role_profile.competences.select_related(
                "node__edition__framework", "node__parent"
            )
        ],
        qualifications=[
            QualificationRow(q.title, q.note) for q in role_profile.qualifications.all()
        ],
        basics=[BasicRow(b.kind, b.title) for b in role_profile.basics.all()],
    )


# --- whose PMS -----------------------------------------------------------------------------


def current_spec(person: User, organisation: Organisation) -> Specification | None:
    """The person's PMS in the organisation with its current revision, or None."""
    return (
        Specification.objects.filter(organisation=organisation, manager=person)
        .select_related(
            "current__role_profile", "current__agreed_by", "current__created_by", "manager"
        )
        .first()
    )


def specs_visible_to(
    viewer: User, organisation: Organisation, roles: Iterable[str]
) -> QuerySet[Specification]:
    """The PMSs in the organisation that `viewer` may read, as the pages decide: her own,
    those of the managers she supervises, and everyone's for L&D leads and admins; only
    of people who are still members."""
    specs = Specification.objects.filter(organisation=organisation).filter(
        Exists(Membership.objects.filter(organisation=organisation, user=OuterRef("manager")))
    )
    if set(roles) & PROFILE_EDITORS:
        return specs
    supervised = SupportRelationship.objects.filter(
        organisation=organisation, supporter=viewer, kind=SupportKind.SUPERVISOR
    ).values("manager")
    return specs.filter(Q(manager=viewer) | Q(manager__in=supervised))


def role_profiles_for(
    organisation: Organisation, *, include_archived: bool = False
) -> QuerySet[RoleProfile]:
    """The organisation's role profiles with their counts, in one query."""
    profiles = RoleProfile.objects.filter(organisation=organisation)
    if not include_archived:
        profiles = profiles.filter(archived=False)
    return profiles.annotate(
        n_competences=Count("competences", distinct=True),
        n_qualifications=Count("qualifications", distinct=True),
        n_basics=Count("basics", distinct=True),
    ).order_by("archived", "title")


# --- grouping by domain --------------------------------------------------------------------


def _root_path(path: str) -> str:
    head, dot, _rest = path.partition(".")
    return head + dot


def domains_of(nodes: Iterable[Node]) -> dict[int, Node]:
    """For each node, the top-level item (domain) of its framework it sits under, itself
    if it is one. One query whatever the number of nodes."""
    nodes = list(nodes)
    wanted = {(n.edition_id, _root_path(n.path)) for n in nodes if n.depth > 0}
    roots: dict[tuple[int, str], Node] = {}
    if wanted:
        editions = {e for e, _p in wanted}
        for root in Node.objects.filter(edition_id__in=editions, depth=0).select_related(
            "edition__framework"
        ):
            roots[(root.edition_id, root.path)] = root
    out: dict[int, Node] = {}
    for n in nodes:
        out[n.pk] = n if n.depth == 0 else roots.get((n.edition_id, _root_path(n.path)), n)
    return out


@dataclass
class DomainGroup:
    edition: Edition
    domain: Node
    rows: list[Any]


def grouped_by_domain(rows: Sequence[Any]) -> list[DomainGroup]:
    """Rows that have a `.node` (competence rows or model instances), grouped by framework
    edition and domain in tree order."""
    domains = domains_of([r.node for r in rows])
    groups: dict[int, DomainGroup] = {}
    for r in sorted(
        rows, key=lambda r: (r.node.edition.framework.title, r.node.edition_id, r.node.path)
    ):
        d = domains[r.node.pk]
        if d.pk not in groups:
            groups[d.pk] = DomainGroup(r.node.edition, d, [])
        groups[d.pk].rows.append(r)
    return list(groups.values())


# --- what changed between two revisions ----------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class LevelChange:
    node: Node
    before: CompetenceRow
    after: CompetenceRow


@dataclass
class ContentDiff:
    fields: list[FieldChange] = field(default_factory=list)
    added: list[CompetenceRow] = field(default_factory=list)
    removed: list[CompetenceRow] = field(default_factory=list)
    changed: list[LevelChange] = field(default_factory=list)
    # The same item (by code) moved to a newer edition of its framework: (before, after).
    replaced: list[tuple[CompetenceRow, CompetenceRow]] = field(default_factory=list)
    qualifications_added: list[QualificationRow] = field(default_factory=list)
    qualifications_removed: list[QualificationRow] = field(default_factory=list)
    basics_added: list[BasicRow] = field(default_factory=list)
    basics_removed: list[BasicRow] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.fields,
                self.added,
                self.removed,
                self.changed,
                self.replaced,
                self.qualifications_added,
                self.qualifications_removed,
                self.basics_added,
                self.basics_removed,
            )
        )

    def summary(self) -> str:
        """One plain sentence of what changed, for a change note left blank."""
        parts: list[str] = []
        if self.fields:
            parts.append(
                _("changed %(fields)s") % {"fields": ", ".join(f.label for f in self.fields)}
            )
        if self.added:
            parts.append(
                ngettext("added %(n)d competence", "added %(n)d competences", len(self.added))
                % {"n": len(self.added)}
            )
        if self.removed:
            parts.append(
                ngettext("removed %(n)d competence", "removed %(n)d competences", len(self.removed))
                % {"n": len(self.removed)}
            )
        if self.changed:
            parts.append(
                ngettext(
                    "changed the level or importance of %(n)d competence",
                    "changed the level or importance of %(n)d competences",
                    len(self.changed),
                )
                % {"n": len(self.changed)}
            )
        if self.replaced:
            parts.append(
                ngettext(
                    "moved %(n)d competence to a new edition",
                    "moved %(n)d competences to a new edition",
                    len(self.replaced),
                )
                % {"n": len(self.replaced)}
            )
        if self.qualifications_added or self.qualifications_removed:
            parts.append(_("changed the required qualifications"))
        if self.basics_added or self.basics_removed:
            parts.append(_("changed the organisational basics"))
        text = "; ".join(parts)
        return text[:1].upper() + text[1:] + "." if text else ""


def _manager_level_label(value: str) -> str:
    return str(ManagerLevel(value).label) if value in ManagerLevel.values else value


def content_diff(before: SpecContent, after: SpecContent) -> ContentDiff:
    """What changed from `before` to `after`: fields, competences (added, removed, level or
    importance changed, moved to a newer edition), qualifications and basics."""
    diff = ContentDiff()
    for name, label, b, a in (
        ("job_title", _("job title"), before.job_title, after.job_title),
        (
            "manager_level",
            _("manager level"),
            _manager_level_label(before.manager_level),
            _manager_level_label(after.manager_level),
        ),
        ("job_description", _("job description"), before.job_description, after.job_description),
    ):
        if b != a:
            diff.fields.append(FieldChange(name, str(label), b, a))
    if before.file_name != after.file_name:
        diff.fields.append(
            FieldChange(
                "job_description_file",
                _("job description file"),
                before.file_label or before.file_name,
                after.file_label or after.file_name,
            )
        )

    old = {c.node.pk: c for c in before.competences}
    new = {c.node.pk: c for c in after.competences}
    for pk, row in new.items():
        if pk in old:
            was = old[pk]
            if (was.expected_level, was.importance) != (row.expected_level, row.importance):
                diff.changed.append(LevelChange(row.node, was, row))
    gone = [c for pk, c in old.items() if pk not in new]
    came = [c for pk, c in new.items() if pk not in old]
    # Pair an item that left with one that came in from a newer edition of the same
    # framework under the same code: that is an edition update, not a removal.
    arrivals: dict[tuple[int, str], CompetenceRow] = {
        (c.node.edition.framework_id, c.node.code): c for c in came if c.node.code
    }
    for c in gone:
        key = (c.node.edition.framework_id, c.node.code)
        match = arrivals.get(key) if c.node.code else None
        if match is not None and match.node.edition_id != c.node.edition_id:
            diff.replaced.append((c, match))
            del arrivals[key]
        else:
            diff.removed.append(c)
    paired = {id(a) for _b, a in diff.replaced}
    diff.added = [c for c in came if id(c) not in paired]

    def multiset_diff(a: list[Any], b: list[Any]) -> tuple[list[Any], list[Any]]:
        left, right = list(a), list(b)
        for item in list(a):
            if item in right:
                right.remove(item)
                left.remove(item)
        return right, left  # (added, removed)

    diff.qualifications_added, diff.qualifications_removed = multiset_diff(
        before.qualifications, after.qualifications
    )
    diff.basics_added, diff.basics_removed = multiset_diff(before.basics, after.basics)
    return diff


def revision_diff(a: Revision, b: Revision) -> ContentDiff:
    """What changed from revision `a` to revision `b` of the same PMS."""
    return content_diff(content_of(a), content_of(b))


# --- framework editions that have moved on -------------------------------------------------


@dataclass(frozen=True)
class NodeChange:
    """What became of one competence's item in the framework's current edition."""

    old: Node
    new: Node | None  # None: no item with this code in the current edition

    @property
    def kind(self) -> str:
        if self.new is None:
            return "removed"
        if _norm(self.old.statement) != _norm(self.new.statement) or _norm(self.old.title) != _norm(
            self.new.title
        ):
            return "changed"
        return "unchanged"


def _norm(text: str) -> str:
    return " ".join((text or "").split())


@dataclass
class EditionUpdate:
    framework: Framework
    old_edition: Edition
    new_edition: Edition
    changes: list[NodeChange]
    # Items of the current edition, not in the old one, placed under an item of the
    # profile or under the domain one of its items sits in.
    added: list[Node]

    @property
    def changed(self) -> list[NodeChange]:
        return [c for c in self.changes if c.kind == "changed"]

    @property
    def removed(self) -> list[NodeChange]:
        return [c for c in self.changes if c.kind == "removed"]

    @property
    def unchanged(self) -> list[NodeChange]:
        return [c for c in self.changes if c.kind == "unchanged"]


def edition_updates_for(nodes: Iterable[Node]) -> list[EditionUpdate]:
    """For nodes that belong to an edition which is no longer current, where their
    framework has a current (published) edition: each node matched by its code to the
    current edition (same, changed statement, or gone), and the items the current edition
    adds around them. Two queries per framework that moved on, one for the check."""
    stale: dict[int, list[Node]] = defaultdict(list)
    for n in nodes:
        if not n.edition.is_current:
            stale[n.edition.framework_id].append(n)
    if not stale:
        return []
    currents = {
        e.framework_id: e
        for e in Edition.objects.filter(
            framework_id__in=stale, is_current=True, status=EditionStatus.PUBLISHED
        ).select_related("framework")
    }
    updates: list[EditionUpdate] = []
    for framework_id, old_nodes in stale.items():
        current = currents.get(framework_id)
        if current is None:
            continue
        old_nodes.sort(key=lambda n: (n.edition_id, n.path))
        old_editions = {n.edition_id for n in old_nodes}
        old_codes = set(
            Node.objects.filter(edition_id__in=old_editions)
            .exclude(code="")
            .values_list("code", flat=True)
        )
        new_by_code: dict[str, Node] = {}
        new_nodes = list(current.nodes.select_related("parent").order_by("path"))
        for n in new_nodes:
            if n.code:
                new_by_code.setdefault(n.code, n)
        changes = [NodeChange(n, new_by_code.get(n.code) if n.code else None) for n in old_nodes]
        around = {n.code for n in old_nodes if n.code}
        around |= {n.parent.code for n in old_nodes if n.parent is not None and n.parent.code}
        added = [
            n
            for n in new_nodes
            if n.code
            and n.code not in old_codes
            and n.parent is not None
            and n.parent.code in around
        ]
        for n in new_nodes:
            n.edition = current
        updates.append(
            EditionUpdate(current.framework, old_nodes[0].edition, current, changes, added)
        )
    updates.sort(key=lambda u: u.framework.title)
    return updates


def edition_updates(revision: Revision) -> list[EditionUpdate]:
    """Edition updates available for a PMS revision's competences (see
    `edition_updates_for`)."""
    nodes = [
        c.node
        for c in revision.competences.select_related("node__edition__framework", "node__parent")
    ]
    return edition_updates_for(nodes)


def pickable_editions(organisation: Organisation | None = None) -> QuerySet[Edition]:
    """Editions a profile's competences may be picked from: the current, published edition
    of each framework that assesses individuals; the shared standards and, given an
    organisation, its own framework (waymark/tailoring), never another organisation's."""
    own = Q(framework__organisation=organisation) if organisation is not None else Q(pk__in=[])
    return (
        Edition.objects.filter(
            is_current=True, status=EditionStatus.PUBLISHED, assesses="individual"
        )
        .filter(Q(framework__organisation__isnull=True) | own)
        .select_related("framework")
        .order_by("framework__title")
    )
