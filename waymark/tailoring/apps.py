from __future__ import annotations

from django.apps import AppConfig


class TailoringConfig(AppConfig):
    name = "waymark.tailoring"
