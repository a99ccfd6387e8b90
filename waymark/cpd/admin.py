"""The Django admin for the CPD record: for looking up that an entry exists and how it is
shared, never for reading one. A site administrator is not among the people a manager
shares her entries with, so:

* another person's **private** entries are not in the admin at all (not listed, not
  counted, not found by search, not reachable by address);
* no entry's title, provider, link, reflections or evidence file names are shown, for
  anyone's entries, shared or not;
* nothing can be added or changed here: writes go through the pages and API, which
  keep the rules and the audit trail. Deleting stays possible (for a site administrator
  answering an erasure request, directly or by deleting the person), and evidence files
  leave the disk with their rows (`signals.py`).

Evidence files are not registered: their names and contents are the manager's."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Entry, Visibility

SAFE_FIELDS = (
    "id",
    "organisation",
    "manager",
    "date",
    "activity_type",
    "hours",
    "visibility",
    "confirmed_by",
    "confirmed_at",
    "source",
    "created_at",
    "updated_at",
)


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "manager",
        "organisation",
        "date",
        "activity_type",
        "hours",
        "visibility",
        "confirmed_at",
        "evidence_files",
    )
    list_filter = ("visibility", "activity_type")
    # Search by the person only: searching titles or reflections would let a count of
    # results say what an entry is about.
    search_fields = ("manager__email", "organisation__slug")
    fields = (*SAFE_FIELDS, "evidence_files")
    readonly_fields = (*SAFE_FIELDS, "evidence_files")
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Entry]:
        visible = Q(visibility=Visibility.SUPPORTERS)
        if request.user.is_authenticated:
            visible |= Q(manager=request.user)
        return (
            super()
            .get_queryset(request)
            .filter(visible)
            .select_related("organisation", "manager", "confirmed_by")
            .annotate(evidence_count=Count("evidence"))
        )

    @admin.display(description=_("evidence files"))
    def evidence_files(self, obj: Entry) -> int:
        return int(getattr(obj, "evidence_count", 0))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
