from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "waymark.accounts"
    verbose_name = "People and sign-in"
