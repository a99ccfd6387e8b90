"""The audit trail: one call that every service function makes after a change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from .models import AuditEvent

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.organisations.models import Organisation


def record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    summary: str,
    changes: dict[str, Any] | None = None,
    organisation: Organisation | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=(actor.email if actor is not None and actor.pk else "system"),
        organisation=organisation,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:500],
        changes=changes or {},
    )


def diff(instance: models.Model, data: dict[str, Any]) -> dict[str, list[Any]]:
    """Field changes as {field: [before, after]}, for the fields in `data` that differ."""
    out: dict[str, list[Any]] = {}
    for field, new in data.items():
        old = getattr(instance, field)
        if old != new:
            out[field] = [_plain(old), _plain(new)]
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
