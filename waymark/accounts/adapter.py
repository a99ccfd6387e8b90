from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Organisations add their people; open sign-up is for installations that want it.
        return bool(settings.WAYMARK_ALLOW_SIGNUP)
