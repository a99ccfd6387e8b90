"""Writes for tailoring, each in a transaction with an audit record.

Own competences go through the standards services (`frameworks.services.node_create`,
`mapping_create` …) on the organisation's own framework; nothing here writes to a
shared national framework."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import nh3
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from waymark.core import audit
from waymark.frameworks import services as standards
from waymark.frameworks.models import (
    Assesses,
    Association,
    CompetenceType,
    Edition,
    EditionStatus,
    Framework,
    FrameworkKind,
    Node,
)

from .models import FocusDomain, FocusFramework, FrontPage, OwnCompetence, Policy

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from waymark.accounts.models import User
    from waymark.cpd.uploads import CheckedFile
    from waymark.organisations.models import Organisation


class TailoringError(Exception):
    """A change that cannot be made, with a message for the person who asked."""


# --- rich text ------------------------------------------------------------------------

ALLOWED_TAGS = {"p", "h2", "h3", "ul", "ol", "li", "strong", "em", "a", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}


def sanitise(html: str) -> str:
    """The front page text as Waymark keeps it: a small allow-list of tags, links with
    http(s) or mailto addresses only and rel="noopener noreferrer nofollow"; scripts,
    styles, event handlers and everything else removed."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        clean_content_tags={"script", "style"},
    ).strip()


@transaction.atomic
def front_page_set(*, actor: User, organisation: Organisation, html: str) -> FrontPage:
    clean = sanitise(html)
    page, _created = FrontPage.objects.select_for_update().get_or_create(organisation=organisation)
    before = page.html
    page.html = clean
    page.updated_by = actor
    page.save()
    audit.record(
        actor=actor,
        action="tailoring.front_page",
        obj=page,
        organisation=organisation,
        summary="Changed the front page text",
        changes={"html": [before, clean]} if before != clean else {},
    )
    return page


# --- focus ----------------------------------------------------------------------------


@transaction.atomic
def focus_set(
    *,
    actor: User,
    organisation: Organisation,
    frameworks: Iterable[Framework],
    domains: Iterable[Node],
) -> None:
    """Replace the organisation's focus. Frameworks must be shared ones or its own;
    domains must be top-level items of the chosen frameworks' editions."""
    fw_ids = {f.pk for f in frameworks}
    allowed = set(
        Framework.objects.filter(pk__in=fw_ids)
        .filter(organisation__isnull=True)
        .values_list("pk", flat=True)
    ) | set(
        Framework.objects.filter(pk__in=fw_ids, organisation=organisation).values_list(
            "pk", flat=True
        )
    )
    if allowed != fw_ids:
        raise TailoringError(_("A framework chosen is not one the organisation can use."))
    domain_list = list(domains)
    for d in domain_list:
        if d.parent_id is not None or d.edition.framework_id not in fw_ids:
            raise TailoringError(_("A domain chosen is not a domain of a chosen framework."))
    before_fw = sorted(
        FocusFramework.objects.filter(organisation=organisation).values_list(
            "framework__slug", flat=True
        )
    )
    before_d = sorted(
        FocusDomain.objects.filter(organisation=organisation).values_list("node_id", flat=True)
    )
    FocusFramework.objects.filter(organisation=organisation).delete()
    FocusDomain.objects.filter(organisation=organisation).delete()
    FocusFramework.objects.bulk_create(
        [FocusFramework(organisation=organisation, framework_id=pk) for pk in sorted(fw_ids)]
    )
    FocusDomain.objects.bulk_create(
        [FocusDomain(organisation=organisation, node=d) for d in domain_list]
    )
    after_fw = sorted(Framework.objects.filter(pk__in=fw_ids).values_list("slug", flat=True))
    audit.record(
        actor=actor,
        action="tailoring.focus",
        organisation=organisation,
        summary="Changed the organisation's focus",
        changes={
            "frameworks": [before_fw, after_fw],
            "domains": [before_d, sorted(d.pk for d in domain_list)],
        },
    )


# --- own competences ------------------------------------------------------------------


@transaction.atomic
def own_framework_ensure(*, actor: User, organisation: Organisation) -> Edition:
    """The organisation's own framework's current edition, made on first use."""
    existing = (
        Edition.objects.filter(framework__organisation=organisation, is_current=True)
        .select_related("framework")
        .first()
    )
    if existing is not None:
        return existing
    base = slugify(f"own-{organisation.slug}")[:90] or f"own-{organisation.pk}"
    slug = base
    n = 1
    while Framework.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    title = f"{organisation.name}: own competences"
    framework = Framework.objects.create(slug=slug, title=title, organisation=organisation)
    edition = Edition.objects.create(
        framework=framework,
        title=title,
        short_title=organisation.name[:100],
        publisher=organisation.name[:300],
        kind=FrameworkKind.GUIDANCE,
        assesses=Assesses.INDIVIDUAL,
        status=EditionStatus.PUBLISHED,
        is_current=True,
        last_change=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="tailoring.framework_create",
        obj=edition,
        organisation=organisation,
        summary=f"Started the organisation's own competences ({slug})",
    )
    return edition


def _code_prefix(organisation: Organisation) -> str:
    letters = "".join(w[0] for w in organisation.name.split() if w[:1].isalnum()).upper()
    return (letters or "ORG")[:4]


def _next_code(edition: Edition, parent: Node | None, organisation: Organisation) -> str:
    if parent is None:
        count = edition.nodes.filter(parent__isnull=True).count()
        return f"{_code_prefix(organisation)}{count + 1}"
    count = parent.children.count()
    return f"{parent.code}.{count + 1:02d}"


@transaction.atomic
def own_domain_create(
    *, actor: User, organisation: Organisation, title: str, statement: str = ""
) -> Node:
    edition = own_framework_ensure(actor=actor, organisation=organisation)
    node = standards.node_create(
        actor=actor,
        edition=edition,
        statement=statement.strip() or title.strip(),
        title=title.strip(),
        code=_next_code(edition, None, organisation),
        item_type_label="Domain",
        competence_type=CompetenceType.ORGANISATIONAL,
    )
    OwnCompetence.objects.create(organisation=organisation, node=node)
    audit.record(
        actor=actor,
        action="tailoring.domain_create",
        obj=node,
        organisation=organisation,
        summary=f"Added own domain {node}",
    )
    return node


@transaction.atomic
def own_competence_create(
    *,
    actor: User,
    organisation: Organisation,
    domain: Node,
    statement: str,
    title: str = "",
    code: str = "",
) -> Node:
    edition = own_framework_ensure(actor=actor, organisation=organisation)
    if domain.edition_id != edition.pk or domain.parent_id is not None:
        raise TailoringError(_("Choose one of the organisation's own domains."))
    code = code.strip() or _next_code(edition, domain, organisation)
    if edition.nodes.filter(code__iexact=code).exists():
        raise TailoringError(_("The code %(code)s is already used.") % {"code": code})
    node = standards.node_create(
        actor=actor,
        edition=edition,
        parent=domain,
        statement=statement.strip(),
        title=title.strip(),
        code=code,
        item_type_label="Competence",
        competence_type=CompetenceType.ORGANISATIONAL,
    )
    OwnCompetence.objects.create(organisation=organisation, node=node)
    audit.record(
        actor=actor,
        action="tailoring.competence_create",
        obj=node,
        organisation=organisation,
        summary=f"Added own competence {node}",
    )
    return node


@transaction.atomic
def own_competence_update(
    *, actor: User, organisation: Organisation, node: Node, title: str, statement: str
) -> Node:
    if node.edition.framework.organisation_id != organisation.pk:
        raise TailoringError(_("Not one of the organisation's own competences."))
    updated = standards.node_update(
        actor=actor, node=node, data={"title": title.strip(), "statement": statement.strip()}
    )
    audit.record(
        actor=actor,
        action="tailoring.competence_update",
        obj=node,
        organisation=organisation,
        summary=f"Changed own competence {updated}",
    )
    return updated


@transaction.atomic
def own_competence_archive(
    *, actor: User, organisation: Organisation, node: Node, archived: bool = True
) -> None:
    """Archive (or bring back) an own competence: profiles and records that point at it
    keep it; it is no longer offered for picking."""
    if node.edition.framework.organisation_id != organisation.pk:
        raise TailoringError(_("Not one of the organisation's own competences."))
    own, _created = OwnCompetence.objects.get_or_create(organisation=organisation, node=node)
    own.archived_at = timezone.now() if archived else None
    own.save(update_fields=["archived_at"])
    audit.record(
        actor=actor,
        action="tailoring.competence_archive" if archived else "tailoring.competence_restore",
        obj=node,
        organisation=organisation,
        summary=f"{'Archived' if archived else 'Brought back'} own competence {node}",
    )


@transaction.atomic
def own_mapping_create(
    *,
    actor: User,
    organisation: Organisation,
    node: Node,
    target: Node,
    kind: str,
    note: str = "",
) -> Association:
    """Map an own competence to an item of the shared standards. The mapping is held in
    the organisation's own edition; the national item is not changed."""
    if node.edition.framework.organisation_id != organisation.pk:
        raise TailoringError(_("Not one of the organisation's own competences."))
    if target.edition.framework.organisation_id is not None:
        raise TailoringError(_("Map to an item of the national standards."))
    try:
        association = standards.mapping_create(
            actor=actor, from_node=node, to_node=target, kind=kind, confirmed=True, note=note
        )
    except standards.StandardsError as e:
        raise TailoringError(str(e)) from e
    audit.record(
        actor=actor,
        action="tailoring.mapping_create",
        obj=node,
        organisation=organisation,
        summary=f"Mapped {node} to {target}",
        changes={"kind": [None, kind]},
    )
    return association


@transaction.atomic
def own_mapping_delete(
    *, actor: User, organisation: Organisation, node: Node, association: Association
) -> None:
    if node.edition.framework.organisation_id != organisation.pk:
        raise TailoringError(_("Not one of the organisation's own competences."))
    standards.mapping_delete(actor=actor, association=association, from_node=node)
    audit.record(
        actor=actor,
        action="tailoring.mapping_delete",
        obj=node,
        organisation=organisation,
        summary=f"Removed a mapping from {node}",
    )


# --- policies -------------------------------------------------------------------------


@transaction.atomic
def policy_create(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    description: str = "",
    url: str = "",
    checked: CheckedFile | None = None,
    nodes: Iterable[Node] = (),
) -> Policy:
    if bool(url) == bool(checked):
        raise TailoringError(_("Give either a file or a web address."))
    policy = Policy(
        organisation=organisation,
        title=title.strip(),
        description=description.strip(),
        url=url,
        created_by=actor,
    )
    if checked is not None:
        upload: UploadedFile = checked.upload
        policy.original_name = checked.original_name
        policy.content_type = checked.content_type
        policy.size = checked.size
        policy.file.save(f"policy{checked.extension}", upload, save=False)
    policy.save()
    policy.nodes.set(list(nodes))
    audit.record(
        actor=actor,
        action="tailoring.policy_create",
        obj=policy,
        organisation=organisation,
        summary=f"Added policy {policy.title}",
    )
    return policy


@transaction.atomic
def policy_archive(*, actor: User, organisation: Organisation, policy: Policy) -> None:
    if policy.organisation_id != organisation.pk:
        raise TailoringError(_("Not one of the organisation's policies."))
    policy.archived_at = timezone.now()
    policy.save(update_fields=["archived_at", "updated_at"])
    audit.record(
        actor=actor,
        action="tailoring.policy_archive",
        obj=policy,
        organisation=organisation,
        summary=f"Archived policy {policy.title}",
    )
