"""Writes to the standards database. Each function is keyword-only, runs in one
transaction and leaves an audit event saying who changed what.

Tree order lives in `Node.path`: each level's sequence zero-padded to six digits and
followed by a dot ("000001.000003."), so that ordering by path lists parents before
their children. Whenever a node is created, moved or reordered the paths and depths of
the edition are recomputed from `parent` and `sequence`, and only rows that changed are
written. Siblings never share a sequence number: a node given the number of a sibling is
placed before it and the siblings after it move up one.

Mappings (the map of competences) are stored as CASE associations following
`MappingKind`: exact → this exactMatchOf other; related → this isRelatedTo other;
broader (the other contains this) → this isPartOf other; narrower (this contains the
other) → other isPartOf this. A mapping belongs to the edition of the node it was made
from."""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from waymark.core import audit

from .models import (
    Assesses,
    Association,
    AssociationType,
    Edition,
    EditionStatus,
    Framework,
    MappingKind,
    Node,
    Origin,
)

if TYPE_CHECKING:
    from waymark.accounts.models import User

PATH_DIGITS = 6
MAX_SEQUENCE = 10**PATH_DIGITS - 1

# Edition fields an editor may change through `edition_update`.
EDITION_FIELDS = frozenset(
    {
        "title",
        "short_title",
        "version",
        "publication_date",
        "publisher",
        "source",
        "official_source_url",
        "licence",
        "description",
        "kind",
        "assesses",
        "language",
        "historical",
    }
)
# Node fields an editor may change through `node_update`.
NODE_FIELDS = frozenset(
    {
        "parent",
        "code",
        "title",
        "statement",
        "item_type_label",
        "competence_type",
        "functional_area",
        "scqf_level",
        "is_central",
        "notes",
        "sequence",
    }
)
MAPPING_TYPES = (
    AssociationType.EXACT_MATCH,
    AssociationType.IS_PART_OF,
    AssociationType.IS_RELATED_TO,
)


class StandardsError(ValueError):
    """A write that would break the standards database's rules (a cycle in the tree,
    a mapping to itself, …). Forms check the same rules first and say so in words."""


# ---------------------------------------------------------------------------------------
# Frameworks and editions


@transaction.atomic
def framework_create(
    *,
    actor: User,
    slug: str,
    title: str,
    publisher: str,
    kind: str,
    status: str = EditionStatus.DRAFT,
    assesses: str = Assesses.INDIVIDUAL,
    short_title: str = "",
    version: str = "",
    publication_date: datetime.date | None = None,
    source: str = "",
    official_source_url: str = "",
    licence: str = "",
    description: str = "",
    language: str = "en",
    historical: bool = False,
) -> Framework:
    """A new framework family with its first edition, which is its current edition
    (visible only to editors while it is a draft)."""
    if status not in (EditionStatus.DRAFT, EditionStatus.PUBLISHED):
        raise StandardsError("A new framework starts as a draft or published.")
    framework = Framework.objects.create(slug=slug, title=title)
    edition = Edition.objects.create(
        framework=framework,
        title=title,
        short_title=short_title,
        version=version,
        publication_date=publication_date,
        publisher=publisher,
        source=source,
        official_source_url=official_source_url,
        licence=licence,
        description=description,
        kind=kind,
        assesses=assesses,
        language=language,
        historical=historical,
        status=status,
        is_current=True,
        origin=Origin.CREATED,
        last_change=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="framework.create",
        obj=edition,
        summary=f"Created framework {title} ({slug}), edition {version or '(none)'}, {status}",
        changes={"slug": [None, slug], "title": [None, title], "status": [None, str(status)]},
    )
    return framework


@transaction.atomic
def edition_update(*, actor: User, edition: Edition, data: Mapping[str, Any]) -> Edition:
    """Change an edition's metadata. Changing the title of the current edition renames
    the framework too."""
    unknown = set(data) - EDITION_FIELDS
    if unknown:
        raise StandardsError(f"Not an edition field an editor may change: {sorted(unknown)}")
    fresh = Edition.objects.select_related("framework").get(pk=edition.pk)
    changes = audit.diff(fresh, dict(data))
    for field, value in data.items():
        setattr(fresh, field, value)
    fresh.last_change = timezone.now()
    fresh.save(update_fields=[*data, "last_change", "updated_at"])
    if "title" in changes and fresh.is_current and fresh.framework.title != fresh.title:
        fresh.framework.title = fresh.title
        fresh.framework.save(update_fields=["title"])
    audit.record(
        actor=actor,
        action="edition.update",
        obj=fresh,
        summary=f"Changed the details of {fresh}",
        changes=changes,
    )
    return fresh


@transaction.atomic
def edition_new(
    *,
    actor: User,
    source: Edition,
    version: str,
    title: str | None = None,
    publication_date: datetime.date | None = None,
) -> Edition:
    """A new draft edition copied from `source`: the same metadata, the whole tree with new
    identifiers (and new identifiers for the isChildOf associations that place each node),
    and every association that touches the source's nodes, pointed at the copies. The
    source edition and its nodes and mappings are not changed. The new edition becomes the
    current one only when it is published."""
    src = Edition.objects.select_related("framework").get(pk=source.pk)
    now = timezone.now()
    edition = Edition.objects.create(
        framework=src.framework,
        title=title or src.title,
        short_title=src.short_title,
        version=version,
        publication_date=publication_date,
        publisher=src.publisher,
        source=src.source,
        official_source_url=src.official_source_url,
        licence=src.licence,
        description=src.description,
        kind=src.kind,
        assesses=src.assesses,
        language=src.language,
        historical=src.historical,
        status=EditionStatus.DRAFT,
        is_current=False,
        origin=Origin.CREATED,
        last_change=now,
        case_extra={"derivedFrom": str(src.identifier)},
    )
    copies = _copy_tree(src, edition, now)
    n_assocs = _copy_associations(src, edition, copies, now)
    audit.record(
        actor=actor,
        action="edition.new",
        obj=edition,
        summary=(
            f"Created draft edition {version} of {src.framework.title} from edition "
            f"{src.version or '(none)'}: copied {len(copies)} items and {n_assocs} associations"
        ),
        changes={"version": [src.version, version], "derived_from": [None, str(src.identifier)]},
    )
    return edition


def _copy_tree(src: Edition, dst: Edition, now: datetime.datetime) -> dict[int, Node]:
    """Copy `src`'s nodes into `dst`, one bulk insert per level. Returns old pk → copy."""
    by_depth: dict[int, list[Node]] = defaultdict(list)
    for node in src.nodes.order_by("path", "id"):
        by_depth[node.depth].append(node)
    copies: dict[int, Node] = {}
    for depth in sorted(by_depth):
        level = []
        for old in by_depth[depth]:
            new = Node(
                edition=dst,
                parent=copies[old.parent_id] if old.parent_id else None,
                identifier=uuid.uuid4(),
                parent_association_identifier=uuid.uuid4(),
                code=old.code,
                title=old.title,
                statement=old.statement,
                item_type_label=old.item_type_label,
                item_type_id=old.item_type_id,
                competence_type=old.competence_type,
                functional_area=old.functional_area,
                scqf_level=old.scqf_level,
                is_central=old.is_central,
                notes=old.notes,
                sequence=old.sequence,
                depth=old.depth,
                path=old.path,
                language=old.language,
                last_change=now,
                case_extra={**old.case_extra, "derivedFrom": str(old.identifier)},
            )
            level.append((old, new))
        Node.objects.bulk_create([new for _old, new in level])
        for old, new in level:
            copies[old.pk] = new
    return copies


def _copy_associations(
    src: Edition, dst: Edition, copies: dict[int, Node], now: datetime.datetime
) -> int:
    touching = Association.objects.filter(
        Q(origin__edition=src) | Q(destination__edition=src)
    ).select_related("origin", "destination")
    new_rows = []
    for a in touching:
        origin = copies.get(a.origin_id) if a.origin_id else None
        destination = copies.get(a.destination_id) if a.destination_id else None
        new = Association(
            edition=dst,
            identifier=uuid.uuid4(),
            association_type=a.association_type,
            origin=origin or a.origin,
            origin_identifier=str(origin.identifier) if origin else a.origin_identifier,
            origin_uri="" if origin else a.origin_uri,
            origin_title=a.origin_title,
            destination=destination or a.destination,
            destination_identifier=(
                str(destination.identifier) if destination else a.destination_identifier
            ),
            destination_uri="" if destination else a.destination_uri,
            destination_title=a.destination_title,
            sequence_number=a.sequence_number,
            confirmed=a.confirmed,
            made_by_id=a.made_by_id,
            made_by_name=a.made_by_name,
            note=a.note,
            last_change=now,
            case_extra={**a.case_extra, "derivedFrom": str(a.identifier)},
        )
        new_rows.append(new)
    Association.objects.bulk_create(new_rows)
    return len(new_rows)


@transaction.atomic
def edition_publish(*, actor: User, edition: Edition) -> Edition:
    """Publish an edition and make it the framework's current edition. The edition it
    replaces stays published (old profiles keep pointing at it) but is no longer current."""
    fresh = Edition.objects.select_related("framework").get(pk=edition.pk)
    before_status = fresh.status
    replaced = (
        Edition.objects.filter(framework_id=fresh.framework_id, is_current=True)
        .exclude(pk=fresh.pk)
        .first()
    )
    if replaced is not None:
        replaced.is_current = False
        replaced.save(update_fields=["is_current", "updated_at"])
    changes: dict[str, list[Any]] = {}
    if before_status != EditionStatus.PUBLISHED:
        changes["status"] = [before_status, str(EditionStatus.PUBLISHED)]
    if not fresh.is_current:
        changes["is_current"] = [False, True]
    fresh.status = EditionStatus.PUBLISHED
    fresh.is_current = True
    fresh.last_change = timezone.now()
    fresh.save(update_fields=["status", "is_current", "last_change", "updated_at"])
    summary = f"Published {fresh}"
    if replaced is not None:
        summary += f"; it replaces {replaced} as the current edition"
        changes["replaces"] = [str(replaced.identifier), None]
    audit.record(actor=actor, action="edition.publish", obj=fresh, summary=summary, changes=changes)
    return fresh


@transaction.atomic
def edition_retire(*, actor: User, edition: Edition) -> Edition:
    """Mark an edition retired: still readable (profiles may point at it), no longer offered
    in search. A retired current edition stays current until another is published."""
    fresh = Edition.objects.get(pk=edition.pk)
    changes = audit.diff(fresh, {"status": str(EditionStatus.RETIRED)})
    fresh.status = EditionStatus.RETIRED
    fresh.last_change = timezone.now()
    fresh.save(update_fields=["status", "last_change", "updated_at"])
    audit.record(
        actor=actor, action="edition.retire", obj=fresh, summary=f"Retired {fresh}", changes=changes
    )
    return fresh


# ---------------------------------------------------------------------------------------
# Nodes


def _segment(sequence: int) -> str:
    return f"{sequence:0{PATH_DIGITS}d}."


def repath_edition(edition_id: int) -> int:
    """Recompute `path` and `depth` of every node of an edition from `parent` and
    `sequence`; write only the rows that changed. Returns how many changed."""
    rows = list(
        Node.objects.filter(edition_id=edition_id)
        .order_by("sequence", "id")
        .only("id", "parent_id", "sequence", "path", "depth")
    )
    children: dict[int | None, list[Node]] = defaultdict(list)
    for row in rows:
        children[row.parent_id].append(row)
    changed: list[Node] = []
    stack: list[tuple[Node, str, int]] = [(n, "", 0) for n in reversed(children[None])]
    while stack:
        node, prefix, depth = stack.pop()
        path = prefix + _segment(node.sequence)
        if node.path != path or node.depth != depth:
            node.path, node.depth = path, depth
            changed.append(node)
        stack.extend((c, path, depth + 1) for c in reversed(children[node.pk]))
    if changed:
        Node.objects.bulk_update(changed, ["path", "depth"], batch_size=500)
    return len(changed)


def _make_room(node: Node) -> None:
    """If a sibling has this node's sequence, move it and the siblings after it up one."""
    siblings = (
        Node.objects.filter(edition_id=node.edition_id, parent_id=node.parent_id)
        .exclude(pk=node.pk)
        .filter(sequence__gte=node.sequence)
        .order_by("sequence", "id")
        .only("id", "sequence")
    )
    expected = node.sequence
    moved = []
    for sib in siblings:
        if sib.sequence > expected:
            break
        sib.sequence = expected + 1
        moved.append(sib)
        expected = sib.sequence
    if moved:
        Node.objects.bulk_update(moved, ["sequence"])


def next_sequence(edition: Edition, parent: Node | None) -> int:
    """The sequence number that puts a new node last among its siblings."""
    top = Node.objects.filter(edition=edition, parent=parent).aggregate(m=Max("sequence"))["m"]
    return 1 if top is None else top + 1


def descendant_ids(node: Node) -> set[int]:
    """Primary keys of every node below `node` (by parent links, not by path)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in Node.objects.filter(edition_id=node.edition_id).values_list(
        "id", "parent_id"
    ):
        children[parent_id].append(pk)
    out: set[int] = set()
    todo = list(children[node.pk])
    while todo:
        pk = todo.pop()
        if pk not in out:
            out.add(pk)
            todo.extend(children[pk])
    return out


def _touch(edition_id: int, now: datetime.datetime) -> None:
    Edition.objects.filter(pk=edition_id).update(last_change=now, updated_at=now)


@transaction.atomic
def node_create(
    *,
    actor: User,
    edition: Edition,
    statement: str,
    code: str,
    parent: Node | None = None,
    title: str = "",
    item_type_label: str = "",
    competence_type: str = "",
    functional_area: str = "",
    scqf_level: int | None = None,
    is_central: bool = False,
    notes: str = "",
    sequence: int | None = None,
) -> Node:
    """Add a node to an edition, under `parent` or at the top; last among its siblings
    unless a sequence is given."""
    if parent is not None and parent.edition_id != edition.pk:
        raise StandardsError("The parent must belong to the same edition.")
    if not statement.strip():
        raise StandardsError("A node needs a statement.")
    now = timezone.now()
    node = Node(
        edition=edition,
        parent=parent,
        code=code,
        title=title,
        statement=statement,
        item_type_label=item_type_label,
        competence_type=competence_type,
        functional_area=functional_area,
        scqf_level=scqf_level,
        is_central=is_central,
        notes=notes,
        sequence=next_sequence(edition, parent) if sequence is None else sequence,
        depth=(parent.depth + 1) if parent else 0,
        last_change=now,
    )
    node.path = (parent.path if parent else "") + _segment(node.sequence)
    node.save()
    _make_room(node)
    repath_edition(edition.pk)
    _touch(edition.pk, now)
    node.refresh_from_db()
    audit.record(
        actor=actor,
        action="node.create",
        obj=node,
        summary=f"Added item {node} to {edition}",
        changes={
            "code": [None, code],
            "statement": [None, statement],
            **({"parent": [None, str(parent)]} if parent else {}),
        },
    )
    return node


@transaction.atomic
def node_update(*, actor: User, node: Node, data: Mapping[str, Any]) -> Node:
    """Change a node. Moving it (a new parent) or reordering it (a new sequence)
    recomputes the paths of the node and everything below it."""
    unknown = set(data) - NODE_FIELDS
    if unknown:
        raise StandardsError(f"Not a node field an editor may change: {sorted(unknown)}")
    fresh = Node.objects.select_related("parent", "edition").get(pk=node.pk)
    data = dict(data)
    if data.get("sequence") is None and "sequence" in data:
        data.pop("sequence")
    parent = data.get("parent", fresh.parent)
    if "parent" in data and parent is not None:
        if parent.edition_id != fresh.edition_id:
            raise StandardsError("The parent must belong to the same edition.")
        if parent.pk == fresh.pk or parent.pk in descendant_ids(fresh):
            raise StandardsError("An item cannot be placed under itself or its own items.")
    changes = audit.diff(fresh, data)
    moved = "parent" in changes
    if moved and "sequence" not in data:
        data["sequence"] = next_sequence(fresh.edition, parent)
        changes.update(audit.diff(fresh, {"sequence": data["sequence"]}))
    for field, value in data.items():
        setattr(fresh, field, value)
    now = timezone.now()
    fresh.last_change = now
    fresh.save(update_fields=[*data, "last_change"])
    if moved or "sequence" in changes:
        _make_room(fresh)
        repath_edition(fresh.edition_id)
    _touch(fresh.edition_id, now)
    fresh.refresh_from_db()
    audit.record(
        actor=actor,
        action="node.update",
        obj=fresh,
        summary=f"Changed item {fresh}",
        changes=changes,
    )
    return fresh


@transaction.atomic
def node_delete(*, actor: User, node: Node) -> int:
    """Delete a node with everything below it and their associations. Recorded against
    the edition, since the node is gone. Returns how many nodes were deleted."""
    fresh = Node.objects.select_related("edition").get(pk=node.pk)
    below = descendant_ids(fresh)
    doomed = {fresh.pk, *below}
    associations = Association.objects.filter(
        Q(origin_id__in=doomed) | Q(destination_id__in=doomed)
    ).values_list("pk", flat=True)
    # Keys starting "_" are for the edition's history page, which uses them to keep showing
    # the earlier events of what was deleted; they are not shown as changes.
    hidden = {
        "_deleted_nodes": [sorted(str(pk) for pk in doomed), None],
        "_deleted_associations": [sorted(str(pk) for pk in associations), None],
    }
    label = str(fresh)
    identifier = str(fresh.identifier)
    edition = fresh.edition
    fresh.delete()
    _touch(edition.pk, timezone.now())
    summary = f"Deleted item {label}"
    if below:
        summary += f" and the {len(below)} items below it"
    audit.record(
        actor=actor,
        action="node.delete",
        obj=edition,
        summary=summary,
        changes={"item": [label, None], "identifier": [identifier, None], **hidden},
    )
    return len(doomed)


# ---------------------------------------------------------------------------------------
# Mappings (the map of competences)


def _orient(from_node: Node, to_node: Node, kind: str) -> tuple[str, Node, Node]:
    """(association type, origin, destination) for a mapping of `kind` made from `from_node`."""
    kind = MappingKind(kind)
    if kind == MappingKind.EXACT:
        return AssociationType.EXACT_MATCH, from_node, to_node
    if kind == MappingKind.RELATED:
        return AssociationType.IS_RELATED_TO, from_node, to_node
    if kind == MappingKind.BROADER:
        return AssociationType.IS_PART_OF, from_node, to_node
    return AssociationType.IS_PART_OF, to_node, from_node


def mapping_kind(association: Association, from_node: Node) -> MappingKind | None:
    """The MappingKind of a stored association read from `from_node`'s side."""
    if association.association_type == AssociationType.EXACT_MATCH:
        return MappingKind.EXACT
    if association.association_type == AssociationType.IS_RELATED_TO:
        return MappingKind.RELATED
    if association.association_type == AssociationType.IS_PART_OF:
        return (
            MappingKind.BROADER if association.origin_id == from_node.pk else MappingKind.NARROWER
        )
    return None


def mappings_between(a: Node, b: Node) -> Iterable[Association]:
    return Association.objects.filter(
        Q(origin=a, destination=b) | Q(origin=b, destination=a),
        association_type__in=MAPPING_TYPES,
    )


def _end_title(node: Node) -> str:
    return str(node)[:500]


def _set_ends(association: Association, origin: Node, destination: Node) -> None:
    association.origin = origin
    association.origin_identifier = str(origin.identifier)
    association.origin_uri = origin.uri
    association.origin_title = _end_title(origin)
    association.destination = destination
    association.destination_identifier = str(destination.identifier)
    association.destination_uri = destination.uri
    association.destination_title = _end_title(destination)


@transaction.atomic
def mapping_create(
    *,
    actor: User,
    from_node: Node,
    to_node: Node,
    kind: MappingKind | str,
    confirmed: bool = False,
    note: str = "",
) -> Association:
    """Map `from_node` to `to_node`. `kind` is read from `from_node`'s side (broader: the
    other node contains this one). The mapping belongs to `from_node`'s edition."""
    if from_node.pk == to_node.pk:
        raise StandardsError("An item cannot be mapped to itself.")
    if any(True for _ in mappings_between(from_node, to_node)):
        raise StandardsError("These items are already mapped; change that mapping instead.")
    association_type, origin, destination = _orient(from_node, to_node, str(kind))
    association = Association(
        edition_id=from_node.edition_id,
        association_type=association_type,
        confirmed=confirmed,
        made_by=actor,
        made_by_name=actor.display_name,
        note=note,
        last_change=timezone.now(),
    )
    _set_ends(association, origin, destination)
    association.save()
    audit.record(
        actor=actor,
        action="mapping.create",
        obj=association,
        summary=(
            f"Mapped {from_node} to {to_node} ({MappingKind(str(kind)).label}"
            f"{', confirmed' if confirmed else ''})"
        ),
        changes={"kind": [None, str(kind)], "confirmed": [None, confirmed], "note": [None, note]},
    )
    return association


@transaction.atomic
def mapping_update(
    *,
    actor: User,
    association: Association,
    from_node: Node,
    kind: MappingKind | str | None = None,
    confirmed: bool | None = None,
    note: str | None = None,
) -> Association:
    """Change a mapping's kind (read from `from_node`'s side), confirm or unconfirm it,
    or change its reasoning. Arguments left as None are not changed."""
    fresh = Association.objects.select_related("origin", "destination").get(pk=association.pk)
    if from_node.pk not in (fresh.origin_id, fresh.destination_id):
        raise StandardsError("The mapping does not involve this item.")
    changes: dict[str, list[Any]] = {}
    fields: list[str] = []
    before_kind = mapping_kind(fresh, from_node)
    if kind is not None and MappingKind(str(kind)) != before_kind:
        other = fresh.destination if fresh.origin_id == from_node.pk else fresh.origin
        if other is None:
            raise StandardsError("The other end is outside Waymark; its kind cannot change.")
        association_type, origin, destination = _orient(from_node, other, str(kind))
        fresh.association_type = association_type
        _set_ends(fresh, origin, destination)
        changes["kind"] = [str(before_kind) if before_kind else None, str(kind)]
        fields += [
            "association_type",
            "origin",
            "origin_identifier",
            "origin_uri",
            "origin_title",
            "destination",
            "destination_identifier",
            "destination_uri",
            "destination_title",
        ]
    if confirmed is not None and confirmed != fresh.confirmed:
        changes["confirmed"] = [fresh.confirmed, confirmed]
        fresh.confirmed = confirmed
        fields.append("confirmed")
    if note is not None and note != fresh.note:
        changes["note"] = [fresh.note, note]
        fresh.note = note
        fields.append("note")
    if fields:
        fresh.last_change = timezone.now()
        fresh.save(update_fields=[*fields, "last_change"])
    far = fresh.destination if fresh.origin_id == from_node.pk else fresh.origin
    far_label = str(far) if far else fresh.destination_title or fresh.destination_identifier
    if set(changes) == {"confirmed"}:
        verb = "Confirmed" if confirmed else "Withdrew confirmation of"
        summary = f"{verb} the mapping of {from_node} to {far_label}"
    else:
        summary = f"Changed the mapping of {from_node} to {far_label}"
    audit.record(actor=actor, action="mapping.update", obj=fresh, summary=summary, changes=changes)
    return fresh


@transaction.atomic
def mapping_delete(*, actor: User, association: Association, from_node: Node) -> None:
    """Delete a mapping. Recorded against `from_node`, the item it was deleted from."""
    fresh = Association.objects.select_related("origin", "destination").get(pk=association.pk)
    if from_node.pk not in (fresh.origin_id, fresh.destination_id):
        raise StandardsError("The mapping does not involve this item.")
    far = fresh.destination if fresh.origin_id == from_node.pk else fresh.origin
    far_label = str(far) if far else fresh.destination_title or fresh.destination_identifier
    kind = mapping_kind(fresh, from_node)
    identifier = str(fresh.identifier)
    pk = str(fresh.pk)
    fresh.delete()
    audit.record(
        actor=actor,
        action="mapping.delete",
        obj=from_node,
        summary=f"Deleted the mapping of {from_node} to {far_label}",
        changes={
            "mapping": [identifier, None],
            "kind": [str(kind) if kind else None, None],
            "_deleted_associations": [[pk], None],
        },
    )
