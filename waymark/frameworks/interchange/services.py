"""Writes for framework interchange: one save path for every format.

`package_import` saves a `Package` (from CASE JSON, CSV, XLSX or shipped YAML) all or
nothing; `mapping_set_import` saves a shipped mapping file. Both check everything first
and raise `InterchangeError` with every problem, having written nothing."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from waymark.core import audit
from waymark.frameworks.models import (
    Assesses,
    Association,
    AssociationType,
    Edition,
    EditionStatus,
    Framework,
    FrameworkKind,
    ItemType,
    MappingKind,
    Node,
    Origin,
)

from .package import ItemRecord, LinkRef, MappingSet, Package, stable_uuid
from .problems import InterchangeError, Problem
from .validate import validate_package
from .values import is_uuid, short

if TYPE_CHECKING:
    from waymark.accounts.models import User

T = TypeVar("T")
_CHUNK = 500  # identifiers per IN (...) query, well inside every database's limit


def _chunks(values: list[T]) -> Iterator[list[T]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


@dataclass
class ImportResult:
    edition: Edition
    created: bool  # a new edition was made
    changed: bool  # anything in the database changed
    items: int
    tree_associations: int  # isChildOf associations held in the tree
    associations: int  # every other association
    unresolved_ends: int  # association ends that are not nodes in Waymark
    warnings: list[Problem] = field(default_factory=list)

    @property
    def framework(self) -> Framework:
        return self.edition.framework


# ----------------------------------------------------------------------- package_import


def package_import(
    *,
    package: Package,
    actor: User | None,
    origin: str,
    framework_slug: str | None = None,
    replace: bool = False,
) -> ImportResult:
    """Save a framework package as an edition, all or nothing.

    A new CFDocument identifier makes a new edition (in the framework named by
    `framework_slug` or the file's slug, else a new framework named after the title) and
    makes it the framework's current edition. An identifier already in Waymark is refused
    unless `replace` is given and nothing outside the edition refers to its items; then the
    edition is updated in place. Shipped data (`origin="shipped"`) always updates in place,
    so that loading the same file twice changes nothing."""
    problems = validate_package(package)
    if framework_slug:
        try:
            validate_slug(framework_slug)
            if len(framework_slug) > 100:
                raise ValidationError("too long")
        except ValidationError:
            problems.append(
                Problem(
                    "",
                    _(
                        "The short name “%(slug)s” may hold only lower-case letters, numbers and hyphens, "
                        "up to 100 characters."
                    )
                    % {"slug": short(framework_slug)},
                )
            )
    if problems:
        raise InterchangeError(problems)
    with transaction.atomic():
        return _PackageImporter(package, actor, origin, framework_slug, replace).run()


class _PackageImporter:
    def __init__(
        self,
        package: Package,
        actor: User | None,
        origin: str,
        framework_slug: str | None,
        replace: bool,
    ) -> None:
        self.p = package
        self.doc = package.document
        self.actor = actor
        self.origin = origin
        self.framework_slug = framework_slug or None
        self.replace = replace
        self.now = timezone.now()
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = list(package.warnings)
        self.changed = False

    def fail(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    # -- checks that need the database, before any write -----------------------

    def run(self) -> ImportResult:
        # Never an organisation's own framework (waymark/tailoring): a clash with one
        # fails on the unique identifier instead of replacing it.
        existing = (
            Edition.objects.public()
            .select_related("framework")
            .filter(identifier=self.doc.identifier)
            .first()
        )
        in_place = existing is not None
        if existing is not None and self.origin != Origin.SHIPPED:
            if not self.replace:
                raise InterchangeError(
                    [
                        Problem(
                            self.doc.where,
                            _(
                                "“%(title)s” (identifier %(id)s) is already in Waymark, as an edition of "
                                "“%(framework)s”. To update that edition in place, import again with "
                                "“replace”; to add a new edition, give the file a new CFDocument identifier."
                            )
                            % {
                                "title": existing.title,
                                "id": self.doc.identifier,
                                "framework": existing.framework.title,
                            },
                        )
                    ]
                )
            refs = external_references(Q(edition=existing), edition=existing)
            if refs:
                raise InterchangeError(
                    [
                        Problem(
                            self.doc.where,
                            _(
                                "The edition “%(title)s” cannot be replaced, because other records point at "
                                "its items: %(refs)s. Import the file as a new edition instead (give it a new "
                                "CFDocument identifier)."
                            )
                            % {"title": existing.title, "refs": "; ".join(refs)},
                        )
                    ]
                )
        self.existing = existing
        self.existing_nodes: dict[str, Node] = (
            {str(n.identifier): n for n in existing.nodes.all()} if existing else {}
        )
        self.check_identifier_clashes()
        self.check_removals()
        self.resolve_far_ends()
        self.check_external_child_of()
        if self.problems:
            raise InterchangeError(self.problems)

        edition = self.save_edition()
        item_types = self.save_item_types(edition)
        nodes = self.save_nodes(edition, item_types)
        counts = self.save_associations(edition, nodes)
        if in_place and self.changed:
            self.touch_edition(edition)
        if self.changed:
            audit.record(
                actor=self.actor,
                action="framework.edition_updated" if in_place else "framework.edition_imported",
                obj=edition,
                summary=(
                    _("Updated %(title)s from a file") if in_place else _("Imported %(title)s")
                )
                % {"title": edition.title},
                changes={
                    "format": self.p.format,
                    "items": len(self.p.items),
                    "associations": counts[0],
                    "warnings": len(self.warnings),
                },
            )
        return ImportResult(
            edition=edition,
            created=not in_place,
            changed=self.changed,
            items=len(self.p.items),
            tree_associations=len(self.p.items),
            associations=counts[0],
            unresolved_ends=counts[1],
            warnings=self.warnings,
        )

    def check_identifier_clashes(self) -> None:
        own = Q(edition=self.existing) if self.existing else Q(pk__in=[])
        where_of = {i.identifier: i.where for i in self.p.items}
        for chunk in _chunks(list(where_of)):
            for ident, title in (
                Node.objects.filter(identifier__in=chunk)
                .exclude(own)
                .values_list("identifier", "edition__title")
            ):
                self.fail(
                    where_of[str(ident)],
                    _("item identifier %(id)s is already used by an item of “%(edition)s”.")
                    % {"id": ident, "edition": title},
                )
        tree_where = {
            i.parent_association_identifier: i.parent_where or i.where for i in self.p.items
        }
        for chunk in _chunks(list(tree_where)):
            for ident, title in (
                Node.objects.filter(parent_association_identifier__in=chunk)
                .exclude(own)
                .values_list("parent_association_identifier", "edition__title")
            ):
                self.fail(
                    tree_where[str(ident)],
                    _("isChildOf identifier %(id)s is already used in “%(edition)s”.")
                    % {"id": ident, "edition": title},
                )
        assoc_where = {a.identifier: a.where for a in self.p.associations}
        for chunk in _chunks(list(assoc_where)):
            for ident, title in (
                Association.objects.filter(identifier__in=chunk)
                .exclude(own)
                .values_list("identifier", "edition__title")
            ):
                self.fail(
                    assoc_where[str(ident)],
                    _("association identifier %(id)s is already used in “%(edition)s”.")
                    % {"id": ident, "edition": title},
                )

    def check_removals(self) -> None:
        """Shipped data updated in place may drop items, but not ones that others use."""
        if self.existing is None:
            return
        keep = {i.identifier for i in self.p.items}
        self.removed = [n for ident, n in self.existing_nodes.items() if ident not in keep]
        if not self.removed or self.origin != Origin.SHIPPED:
            return
        refs = external_references(Q(pk__in=[n.pk for n in self.removed]), edition=self.existing)
        if refs:
            codes = ", ".join(sorted(n.code or str(n.identifier) for n in self.removed)[:20])
            self.fail(
                self.doc.where,
                _(
                    "Items %(codes)s are no longer in the file, but other records point at them: "
                    "%(refs)s. Give the file a new edition value to load it as a new edition, which "
                    "leaves the old one as it is."
                )
                % {"codes": codes, "refs": "; ".join(refs)},
            )

    def resolve_far_ends(self) -> None:
        package_ids = {i.identifier for i in self.p.items}
        wanted = {
            end.identifier
            for a in self.p.associations
            for end in (a.origin, a.destination)
            if is_uuid(end.identifier) and end.identifier not in package_ids
        }
        self.far_nodes: dict[str, Node] = {}
        for chunk in _chunks(sorted(wanted)):
            for node in Node.objects.filter(identifier__in=chunk).select_related("edition"):
                self.far_nodes[str(node.identifier)] = node

    def check_external_child_of(self) -> None:
        package_ids = {i.identifier for i in self.p.items}
        for a in self.p.associations:
            if a.association_type != AssociationType.IS_CHILD_OF:
                continue
            dest = a.destination.identifier
            if (
                a.origin.identifier in package_ids
                and dest != self.doc.identifier
                and dest not in package_ids
                and dest not in self.far_nodes
            ):
                self.fail(
                    a.where,
                    _(
                        "isChildOf points at %(id)s, which is neither the CFDocument, an item in this "
                        "file, nor an item already in Waymark."
                    )
                    % {"id": dest},
                )

    # -- writes ------------------------------------------------------------------

    def framework(self) -> Framework:
        if self.existing is not None:
            if self.framework_slug and self.framework_slug != self.existing.framework.slug:
                self.warnings.append(
                    Problem(
                        self.doc.where,
                        _(
                            "This edition already belongs to the framework “%(slug)s”; the short name "
                            "“%(given)s” was not used."
                        )
                        % {"slug": self.existing.framework.slug, "given": self.framework_slug},
                    )
                )
            return self.existing.framework
        slug = self.framework_slug or self.doc.slug
        if slug:
            framework, _created = Framework.objects.public().get_or_create(
                slug=slug, defaults={"title": self.doc.title}
            )
            return framework
        base = slugify(self.doc.title)[:90].strip("-") or "framework"
        slug, n = base, 1
        taken = set(Framework.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        return Framework.objects.create(slug=slug, title=self.doc.title)

    def edition_values(self) -> dict[str, Any]:
        doc = self.doc
        # As waymark.frameworks.case_api.case_json reads it: CFDocument properties that
        # Waymark has no column for, flat; the package's other definitions and rubrics.
        extra: dict[str, Any] = dict(doc.extra)
        if doc.creator and doc.creator != (doc.publisher or doc.creator):
            extra["creator"] = doc.creator
        if self.p.definitions:
            extra["CFDefinitions"] = self.p.definitions
        if self.p.rubrics:
            extra["CFRubrics"] = self.p.rubrics
        return {
            "uri": doc.uri,
            "title": doc.title,
            "short_title": doc.short_title,
            "version": doc.version,
            "publication_date": doc.publication_date,
            "publisher": doc.publisher or doc.creator,
            "source": doc.source,
            "official_source_url": doc.official_source_url,
            "licence": doc.licence,
            "description": doc.description,
            "kind": doc.kind or FrameworkKind.GUIDANCE,
            "assesses": doc.assesses or Assesses.INDIVIDUAL,
            "language": doc.language,
            "adoption_status": doc.adoption_status,
            "status": doc.status or EditionStatus.PUBLISHED,
            "historical": doc.historical,
            "origin": self.origin,
            "case_extra": extra,
            "import_warnings": [w.as_dict() for w in self.warnings],
        }

    def save_edition(self) -> Edition:
        values = self.edition_values()
        framework = self.framework()
        if self.existing is None:
            # A published edition becomes the current one; a draft or retired edition
            # only when the framework has no current edition yet.
            current = Edition.objects.filter(framework=framework, is_current=True)
            make_current = values["status"] == EditionStatus.PUBLISHED or not current.exists()
            if make_current:
                current.update(is_current=False)
            edition = Edition.objects.create(
                framework=framework,
                identifier=uuid.UUID(self.doc.identifier),
                is_current=make_current,
                last_change=self.doc.last_change or self.now,
                **values,
            )
            self.changed = True
        else:
            edition = self.existing
            edition.framework = framework
            values.pop("origin")  # where the edition first came from stays recorded
            if self.origin == Origin.SHIPPED:
                # Shipped files carry no CASE leftovers: keep whatever others stored there.
                values["case_extra"] = {**(edition.case_extra or {}), **values["case_extra"]}
            changed = [f for f, v in values.items() if getattr(edition, f) != v]
            if self.doc.last_change and edition.last_change != self.doc.last_change:
                values["last_change"] = self.doc.last_change
                changed.append("last_change")
            if changed:
                for f in changed:
                    setattr(edition, f, values[f])
                edition.save(update_fields=[*changed, "updated_at"])
                self.changed = True
        if edition.is_current and framework.title != edition.title:
            framework.title = edition.title
            framework.save(update_fields=["title"])
        return edition

    def touch_edition(self, edition: Edition) -> None:
        if not self.doc.last_change:
            edition.last_change = self.now
            edition.save(update_fields=["last_change", "updated_at"])

    def save_item_types(self, edition: Edition) -> dict[str, ItemType]:
        found = self._defined_item_types()
        self._label_item_types(edition, found)
        return found

    def _label_item_types(self, edition: Edition, found: dict[str, ItemType]) -> None:
        """Items that name their type only by a label (spreadsheets, CASE files without
        CFItemTypeURI) get the item type of that title that the edition already uses, or
        else one with a stable identifier over the framework and the label (the same one
        the shipped YAML gives), made if need be."""
        labels = sorted(
            {i.item_type_label for i in self.p.items if i.item_type is None and i.item_type_label}
        )
        if not labels:
            return
        by_title: dict[str, ItemType] = {}
        if self.existing is not None:
            for t in (
                ItemType.objects.filter(nodes__edition=self.existing).distinct().order_by("pk")
            ):
                by_title.setdefault(t.title, t)
        wanted = {
            label: stable_uuid(f"{edition.framework.slug}/item-type/{label}")
            for label in labels
            if label not in by_title
        }
        stored = {
            str(t.identifier): t
            for t in ItemType.objects.filter(identifier__in=list(wanted.values()))
        }
        new = []
        for label, ident in wanted.items():
            if ident not in stored:
                stored[ident] = ItemType(identifier=uuid.UUID(ident), title=label[:200])
                new.append(stored[ident])
            by_title[label] = stored[ident]
        if new:
            ItemType.objects.bulk_create(new)
            self.changed = True
        for item in self.p.items:
            if item.item_type is None and item.item_type_label:
                t = by_title[item.item_type_label]
                found[str(t.identifier)] = t
                item.item_type = LinkRef(identifier=str(t.identifier), title=t.title)

    def _defined_item_types(self) -> dict[str, ItemType]:
        defined = {t.identifier: t for t in self.p.item_types}
        links: dict[str, LinkRef] = {}
        for item in self.p.items:
            if item.item_type is not None:
                links.setdefault(item.item_type.identifier, item.item_type)
        wanted = sorted(set(defined) | set(links))
        found: dict[str, ItemType] = {}
        for chunk in _chunks(wanted):
            for t in ItemType.objects.filter(identifier__in=chunk):
                found[str(t.identifier)] = t
        new: list[ItemType] = []
        changed: list[ItemType] = []
        fields = [
            "title",
            "uri",
            "description",
            "code",
            "hierarchy_code",
            "last_change",
            "case_extra",
        ]
        for ident in wanted:
            if ident in defined:
                d = defined[ident]
                values: dict[str, Any] = {
                    "title": d.title,
                    "uri": d.uri,
                    "description": d.description,
                    "code": d.type_code,
                    "hierarchy_code": d.hierarchy_code,
                    "last_change": d.last_change,
                    "case_extra": d.extra,
                }
            else:
                link = links[ident]
                values = {"title": link.title or _("(untitled item type)"), "uri": link.uri}
            obj = found.get(ident)
            if obj is None:
                obj = ItemType(identifier=uuid.UUID(ident), **values)
                new.append(obj)
                found[ident] = obj
            elif ident in defined and any(getattr(obj, f) != v for f, v in values.items()):
                for f, v in values.items():
                    setattr(obj, f, v)
                changed.append(obj)
        if new:
            ItemType.objects.bulk_create(new)
            self.changed = True
        if changed:
            ItemType.objects.bulk_update(changed, fields)
            self.changed = True
        return found

    def save_nodes(self, edition: Edition, item_types: dict[str, ItemType]) -> dict[str, Node]:
        children: dict[str | None, list[tuple[int, ItemRecord]]] = defaultdict(list)
        for position, item in enumerate(self.p.items):
            children[item.parent].append((position, item))
        levels: list[list[tuple[ItemRecord, int, str]]] = []
        # Breadth first from the top: each level's rows, with their rank and path.
        frontier: list[tuple[str | None, str]] = [(None, "")]
        while frontier:
            level: list[tuple[ItemRecord, int, str]] = []
            next_frontier: list[tuple[str | None, str]] = []
            for parent_id, parent_path in frontier:
                siblings = sorted(
                    children.get(parent_id, []),
                    key=lambda pi: (pi[1].sequence is None, pi[1].sequence or 0, pi[0]),
                )
                for rank, (_pos, item) in enumerate(siblings, start=1):
                    path = f"{parent_path}{rank:06d}."
                    level.append((item, rank, path))
                    next_frontier.append((item.identifier, path))
            if level:
                levels.append(level)
            frontier = next_frontier

        nodes: dict[str, Node] = {}
        changed: list[Node] = []
        fields = [
            "parent",
            "uri",
            "parent_association_identifier",
            "code",
            "title",
            "statement",
            "item_type_label",
            "item_type",
            "competence_type",
            "functional_area",
            "scqf_level",
            "is_central",
            "notes",
            "sequence",
            "depth",
            "path",
            "language",
            "last_change",
            "case_extra",
        ]
        for depth, level in enumerate(levels):
            new: list[Node] = []
            for item, rank, path in level:
                extra = dict(item.extra)
                if item.parent_association_extra:
                    extra["isChildOf"] = item.parent_association_extra
                item_type = item_types.get(item.item_type.identifier) if item.item_type else None
                values: dict[str, Any] = {
                    "parent": nodes[item.parent] if item.parent else None,
                    "uri": item.uri,
                    "parent_association_identifier": uuid.UUID(item.parent_association_identifier),
                    "code": item.code,
                    "title": item.title,
                    "statement": item.statement,
                    "item_type_label": item.item_type_label,
                    "item_type": item_type,
                    "competence_type": item.competence_type,
                    "functional_area": item.functional_area,
                    "scqf_level": item.scqf_level,
                    "is_central": item.is_central,
                    "notes": item.notes,
                    "sequence": rank,
                    "depth": depth,
                    "path": path,
                    "language": item.language,
                    "case_extra": extra,
                }
                node = self.existing_nodes.get(item.identifier)
                if node is None:
                    node = Node(
                        edition=edition,
                        identifier=uuid.UUID(item.identifier),
                        last_change=item.last_change or self.doc.last_change or self.now,
                        **values,
                    )
                    new.append(node)
                else:
                    if self.origin == Origin.SHIPPED:
                        values["case_extra"] = {**(node.case_extra or {}), **extra}
                    if item.parent_association_generated and node.parent_id == _plain(
                        values["parent"]
                    ):
                        values["parent_association_identifier"] = node.parent_association_identifier
                    differs = [f for f, v in values.items() if _field_value(node, f) != _plain(v)]
                    if item.last_change and node.last_change != item.last_change:
                        values["last_change"] = item.last_change
                        differs.append("last_change")
                    elif differs and not item.last_change:
                        values["last_change"] = self.now
                        differs.append("last_change")
                    if differs:
                        for f in differs:
                            setattr(node, f, values[f])
                        changed.append(node)
                nodes[item.identifier] = node
            if new:
                Node.objects.bulk_create(new)
                self.changed = True
        if changed:
            Node.objects.bulk_update(changed, fields, batch_size=500)
            self.changed = True
        removed = getattr(self, "removed", [])
        if removed:
            Node.objects.filter(pk__in=[n.pk for n in removed]).delete()
            self.changed = True
        return nodes

    def save_associations(self, edition: Edition, nodes: dict[str, Node]) -> tuple[int, int]:
        existing: dict[str, Association] = (
            {str(a.identifier): a for a in edition.associations.all()} if self.existing else {}
        )
        new: list[Association] = []
        changed: list[Association] = []
        unresolved = 0
        fields = [
            "uri",
            "association_type",
            "origin",
            "origin_identifier",
            "origin_uri",
            "origin_title",
            "destination",
            "destination_identifier",
            "destination_uri",
            "destination_title",
            "sequence_number",
            "confirmed",
            "made_by_name",
            "note",
            "last_change",
            "case_extra",
        ]
        for a in self.p.associations:
            origin = nodes.get(a.origin.identifier) or self.far_nodes.get(a.origin.identifier)
            destination = nodes.get(a.destination.identifier) or self.far_nodes.get(
                a.destination.identifier
            )
            unresolved += (origin is None) + (destination is None)
            values: dict[str, Any] = {
                "uri": a.uri,
                "association_type": a.association_type,
                "origin": origin,
                "origin_identifier": a.origin.identifier,
                "origin_uri": a.origin.uri,
                "origin_title": a.origin.title,
                "destination": destination,
                "destination_identifier": a.destination.identifier,
                "destination_uri": a.destination.uri,
                "destination_title": a.destination.title,
                "sequence_number": a.sequence_number,
                "confirmed": a.confirmed,
                "made_by_name": a.made_by_name,
                "note": a.note,
                "last_change": a.last_change,
                "case_extra": a.extra,
            }
            row = existing.pop(a.identifier, None)
            if row is None:
                new.append(
                    Association(edition=edition, identifier=uuid.UUID(a.identifier), **values)
                )
            else:
                differs = [f for f, v in values.items() if _field_value(row, f) != _plain(v)]
                if differs:
                    for f in differs:
                        setattr(row, f, values[f])
                    changed.append(row)
        if new:
            Association.objects.bulk_create(new, batch_size=500)
            self.changed = True
        if changed:
            Association.objects.bulk_update(changed, fields, batch_size=500)
            self.changed = True
        # A replacing import carries the whole edition; shipped framework files carry no
        # associations (mapping files own those), so nothing is pruned for them.
        if existing and self.origin != Origin.SHIPPED:
            Association.objects.filter(pk__in=[a.pk for a in existing.values()]).delete()
            self.changed = True
        return len(self.p.associations), unresolved


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    return value


def _field_value(obj: models.Model, name: str) -> Any:
    f = obj._meta.get_field(name)
    if isinstance(f, models.ForeignKey):
        return getattr(obj, f.attname)
    return getattr(obj, name)


def external_references(nodes: Q, *, edition: Edition) -> list[str]:
    """What outside `edition` points at the nodes matched by `nodes` (a Q over Node), as
    short phrases. Looks at associations held by other editions and at every other model
    with a relation to Node, so that apps added later are covered without change here."""
    out: list[str] = []
    node_ids = Node.objects.filter(nodes).values("pk")
    assoc = Association.objects.exclude(edition=edition).filter(
        Q(origin__in=node_ids) | Q(destination__in=node_ids)
    )
    count = assoc.count()
    if count:
        sample = assoc.select_related("edition").first()
        out.append(
            _("%(count)d association(s) held by other editions, such as one in “%(edition)s”")
            % {"count": count, "edition": sample.edition.title if sample else ""}
        )
    for rel in Node._meta.related_objects:
        model = rel.related_model
        if model in (Node, Association) or not isinstance(model, type):
            continue
        lookup = f"{rel.field.name}__in"
        n = model._default_manager.filter(**{lookup: node_ids}).count()
        if n:
            out.append(
                _("%(count)d %(things)s") % {"count": n, "things": model._meta.verbose_name_plural}
            )
    return out


# ------------------------------------------------------------------- mapping_set_import


@dataclass
class MappingImportResult:
    name: str
    created: int
    updated: int
    unchanged: int
    removed: int
    warnings: list[Problem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def mapping_set_import(*, mapping_set: MappingSet, actor: User | None) -> MappingImportResult:
    """Save a shipped mapping file's associations, resolving each `slug:code` against the
    framework's current edition. Idempotent: identifiers are uuid5 over the two nodes and
    the association type, so loading the file again changes nothing. Mappings that the file
    no longer has are removed where both ends are still current; mappings to older editions
    are left for the profiles that use them."""
    problems: list[Problem] = []
    refs: set[tuple[str, str]] = set()
    for m in mapping_set.mappings:
        for label, ref in (("from", m.origin), ("to", m.destination)):
            slug, sep, code = ref.partition(":")
            if not sep or not slug or not code:
                problems.append(
                    Problem(
                        m.where,
                        _("“%(field)s: %(value)s” must be written <framework short name>:<code>.")
                        % {"field": label, "value": short(ref)},
                    )
                )
            else:
                refs.add((slug, code))
        if m.kind not in MappingKind.values:
            problems.append(
                Problem(
                    m.where,
                    _("type “%(value)s” is not one of: %(allowed)s.")
                    % {"value": m.kind, "allowed": ", ".join(MappingKind.values)},
                )
            )
    slugs = {s for s, _c in refs}
    found: dict[tuple[str, str], Node] = {}
    current = Node.objects.filter(
        edition__framework__slug__in=slugs,
        edition__is_current=True,
        code__in={c for _s, c in refs},
    ).select_related("edition__framework")
    for node in current:
        found[(node.edition.framework.slug, node.code)] = node
    known_slugs = set(
        Framework.objects.filter(slug__in=slugs, editions__is_current=True).values_list(
            "slug", flat=True
        )
    )
    for m in mapping_set.mappings:
        for label, ref in (("from", m.origin), ("to", m.destination)):
            slug, sep, code = ref.partition(":")
            if not sep or not slug or not code:
                continue
            if slug not in known_slugs:
                problems.append(
                    Problem(
                        m.where,
                        _(
                            "%(field)s: there is no framework “%(slug)s” with a current edition (load the framework files first)."
                        )
                        % {"field": label, "slug": slug},
                    )
                )
            elif (slug, code) not in found:
                problems.append(
                    Problem(
                        m.where,
                        _(
                            "%(field)s: the current edition of “%(slug)s” has no item with the code “%(code)s”."
                        )
                        % {"field": label, "slug": slug, "code": code},
                    )
                )
    if problems:
        raise InterchangeError(problems)

    made_on = (
        datetime.combine(mapping_set.made_on, time(0), tzinfo=UTC) if mapping_set.made_on else None
    )
    wanted: dict[str, dict[str, Any]] = {}
    seen_where: dict[str, str] = {}
    for m in mapping_set.mappings:
        a = found[tuple(m.origin.split(":", 1))]  # type: ignore[index]
        b = found[tuple(m.destination.split(":", 1))]  # type: ignore[index]
        kind = m.kind
        if kind == MappingKind.EXACT:
            atype, origin, dest = AssociationType.EXACT_MATCH, a, b
        elif kind == MappingKind.RELATED:
            atype, origin, dest = AssociationType.IS_RELATED_TO, a, b
        elif kind == MappingKind.BROADER:  # `to` contains `from`: from isPartOf to
            atype, origin, dest = AssociationType.IS_PART_OF, a, b
        else:  # narrower: `from` contains `to`: to isPartOf from
            atype, origin, dest = AssociationType.IS_PART_OF, b, a
        ident = stable_uuid(f"{origin.identifier}/{atype}/{dest.identifier}")
        if ident in seen_where:
            problems.append(
                Problem(
                    m.where,
                    _("the same mapping is already given at %(other)s.")
                    % {"other": seen_where[ident]},
                )
            )
            continue
        seen_where[ident] = m.where
        wanted[ident] = {
            "edition": origin.edition,
            "association_type": atype,
            "origin": origin,
            "origin_identifier": str(origin.identifier),
            "origin_uri": origin.uri,
            "origin_title": _title(origin),
            "destination": dest,
            "destination_identifier": str(dest.identifier),
            "destination_uri": dest.uri,
            "destination_title": _title(dest),
            "confirmed": mapping_set.confirmed,
            "made_by_name": mapping_set.made_by,
            "note": m.note,
            "last_change": made_on,
            # Which shipped file owns the row (exported as extensions.waymark.mapping_set).
            "case_extra": {"mapping_set": mapping_set.name},
        }
    if problems:
        raise InterchangeError(problems)

    with transaction.atomic():
        clashes = [
            str(ident)
            for chunk in _chunks(list(wanted))
            for ident, extra in Association.objects.filter(identifier__in=chunk).values_list(
                "identifier", "case_extra"
            )
            if (extra or {}).get("mapping_set") != mapping_set.name
        ]
        if clashes:
            raise InterchangeError(
                [
                    Problem(
                        mapping_set.name,
                        _(
                            "%(count)d of these mappings already exist outside this mapping file "
                            "(identifiers %(ids)s)."
                        )
                        % {"count": len(clashes), "ids": ", ".join(clashes[:5])},
                    )
                ]
            )
        rows = {
            str(a.identifier): a
            for a in Association.objects.filter(
                case_extra__mapping_set=mapping_set.name
            ).select_related("origin__edition", "destination__edition")
        }
        new: list[Association] = []
        changed: list[Association] = []
        unchanged = 0
        fields = list(next(iter(wanted.values()), {}))
        for ident, values in wanted.items():
            row = rows.pop(ident, None)
            if row is None:
                new.append(Association(identifier=uuid.UUID(ident), **values))
                continue
            differs = [f for f, v in values.items() if _field_value(row, f) != _plain(v)]
            if differs:
                for f in differs:
                    setattr(row, f, values[f])
                changed.append(row)
            else:
                unchanged += 1
        stale = [
            r.pk
            for r in rows.values()
            if (r.origin is None or r.origin.edition.is_current)
            and (r.destination is None or r.destination.edition.is_current)
        ]
        if new:
            Association.objects.bulk_create(new)
        if changed:
            Association.objects.bulk_update(changed, fields)
        if stale:
            Association.objects.filter(pk__in=stale).delete()
        if new or changed or stale:
            audit.record(
                actor=actor,
                action="framework.mappings_loaded",
                summary=_("Loaded mappings: %(title)s") % {"title": mapping_set.title},
                changes={
                    "file": mapping_set.name,
                    "created": len(new),
                    "updated": len(changed),
                    "removed": len(stale),
                },
            )
    return MappingImportResult(
        name=mapping_set.name,
        created=len(new),
        updated=len(changed),
        unchanged=unchanged,
        removed=len(stale),
        warnings=list(mapping_set.warnings),
    )


def _title(node: Node) -> str:
    return node.code or node.display_title
