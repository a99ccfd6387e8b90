"""Writes to organisations and memberships. Each runs in a transaction and is audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from waymark.accounts.models import User
from waymark.core import audit

from .models import Membership, Organisation, Role, SupportRelationship


@transaction.atomic
def organisation_create(
    *, actor: User | None, name: str, slug: str, sector: str, size_band: str, region: str
) -> Organisation:
    org = Organisation.objects.create(
        name=name, slug=slug, sector=sector, size_band=size_band, region=region
    )
    audit.record(
        actor=actor,
        action="organisation.create",
        obj=org,
        organisation=org,
        summary=f"Created organisation {name}",
    )
    return org


@transaction.atomic
def organisation_update(
    *, actor: User, organisation: Organisation, data: dict[str, Any]
) -> Organisation:
    changes = audit.diff(organisation, data)
    for field, value in data.items():
        setattr(organisation, field, value)
    organisation.save(update_fields=list(data))
    audit.record(
        actor=actor,
        action="organisation.update",
        obj=organisation,
        organisation=organisation,
        summary="Changed organisation details",
        changes=changes,
    )
    return organisation


@transaction.atomic
def membership_add(
    *,
    actor: User | None,
    organisation: Organisation,
    email: str,
    role: Role | str,
    full_name: str = "",
) -> Membership:
    email = User.objects.normalize_email(email).strip()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name)
    membership, _created = Membership.objects.get_or_create(
        organisation=organisation, user=user, role=str(role)
    )
    audit.record(
        actor=actor,
        action="membership.add",
        obj=membership,
        organisation=organisation,
        summary=f"Gave {user.email} the role {Role(str(role)).label}",
    )
    return membership


@transaction.atomic
def support_add(
    *, actor: User | None, organisation: Organisation, manager: User, supporter: User, kind: str
) -> SupportRelationship:
    if manager.pk == supporter.pk:
        raise ValueError("A manager cannot support herself.")
    rel, _created = SupportRelationship.objects.get_or_create(
        organisation=organisation, manager=manager, supporter=supporter, kind=kind
    )
    audit.record(
        actor=actor,
        action="support.add",
        obj=rel,
        organisation=organisation,
        summary=f"{supporter.email} is now {rel.get_kind_display()} of {manager.email}",
    )
    return rel


@transaction.atomic
def support_remove(*, actor: User, relationship: SupportRelationship) -> None:
    audit.record(
        actor=actor,
        action="support.remove",
        obj=relationship,
        organisation=relationship.organisation,
        summary=f"{relationship.supporter.email} is no longer {relationship.get_kind_display()} of {relationship.manager.email}",
    )
    relationship.delete()
