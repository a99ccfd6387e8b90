from __future__ import annotations

from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "waymark.workforce"
