"""The Django admin for 360° feedback shows rounds and counts only.

* Rounds: who the round is for, its dates, and how many invited and answered.
* Invitations are not registered: who was invited is the manager's to know, and a
  site administrator reading invitation status beside answers could start to match
  them.
* Responses and answers are not registered at all: no list, no search, no address.
  Nothing here can show which rater gave which answer; there is no link to show."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import FeedbackRound


@admin.register(FeedbackRound)
class FeedbackRoundAdmin(admin.ModelAdmin):
    list_display = ("id", "organisation", "manager", "opened_at", "closes_on", "closed_at",
                    "invited", "answered")  # fmt: skip
    list_filter = ("organisation",)
    fields = ("organisation", "manager", "revision", "opened_at", "closes_on", "closed_at")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[FeedbackRound]:
        return (
            super()
            .get_queryset(request)
            .select_related("organisation", "manager")
            .annotate(
                invited_n=Count("invitations", distinct=True),
                answered_n=Count("responses", distinct=True),
            )
        )

    @admin.display(description=_("invited"))
    def invited(self, obj: Any) -> int:
        return int(obj.invited_n)

    @admin.display(description=_("answered"))
    def answered(self, obj: Any) -> int:
        return int(obj.answered_n)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
