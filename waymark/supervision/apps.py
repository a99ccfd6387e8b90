from __future__ import annotations

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "waymark.supervision"
