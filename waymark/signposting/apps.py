from __future__ import annotations

from django.apps import AppConfig


class SignpostingConfig(AppConfig):
    name = "waymark.signposting"
    verbose_name = "Signposting"
