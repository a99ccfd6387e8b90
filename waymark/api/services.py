"""Writes that belong to the API itself: a person's API token. (Writes to the standards
go through `waymark.frameworks.services`.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from rest_framework.authtoken.models import Token

from waymark.core import audit

if TYPE_CHECKING:
    from waymark.accounts.models import User


@transaction.atomic
def token_create(*, actor: User, replace: bool = False) -> Token:
    """The person's API token: the existing one, or a new one (always new with
    `replace`, which revokes the old one first)."""
    existing = Token.objects.filter(user=actor).first()
    if existing is not None and not replace:
        return existing
    if existing is not None:
        existing.delete()
    token = Token.objects.create(user=actor)
    audit.record(
        actor=actor,
        action="api_token.replace" if existing is not None else "api_token.create",
        obj=actor,
        summary=f"{'Replaced' if existing is not None else 'Created'} the API token of {actor.email}",
    )
    return token


@transaction.atomic
def token_delete(*, actor: User) -> bool:
    """Revoke the person's API token. Returns whether there was one."""
    deleted, _ = Token.objects.filter(user=actor).delete()
    if deleted:
        audit.record(
            actor=actor,
            action="api_token.delete",
            obj=actor,
            summary=f"Revoked the API token of {actor.email}",
        )
    return bool(deleted)
