from __future__ import annotations

from django.apps import AppConfig


class CpdConfig(AppConfig):
    name = "waymark.cpd"

    def ready(self) -> None:
        from . import signals  # noqa: F401
