"""Evidence files leave the disk with their rows, however the rows go: through the
services, or by cascade when an entry, a person or an organisation is deleted."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Evidence


@receiver(post_delete, sender=Evidence, dispatch_uid="cpd_evidence_file_delete")
def delete_evidence_file(sender: type[Evidence], instance: Evidence, **kwargs: Any) -> None:
    name = instance.file.name
    if not name:
        return
    storage = instance.file.storage
    # Only once the deletion is certain: a rolled-back deletion keeps its file.
    transaction.on_commit(lambda: storage.delete(name))
