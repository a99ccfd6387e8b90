"""The Django admin for role profiles and PMSs: for looking things up and repairing data.
Revisions are a record: their content is read-only here (a change is a new revision,
made on the PMS pages, which keep the audit trail)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import (
    Revision,
    RoleBasic,
    RoleCompetence,
    RoleProfile,
    RoleQualification,
    SpecBasic,
    SpecCompetence,
    Specification,
    SpecQualification,
)


class RoleCompetenceInline(admin.TabularInline):
    model = RoleCompetence
    extra = 0
    raw_id_fields = ["node"]


class RoleQualificationInline(admin.TabularInline):
    model = RoleQualification
    extra = 0


class RoleBasicInline(admin.TabularInline):
    model = RoleBasic
    extra = 0


@admin.register(RoleProfile)
class RoleProfileAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "manager_level", "archived", "updated_at"]
    list_filter = ["manager_level", "archived"]
    search_fields = ["title", "organisation__name", "organisation__slug"]
    raw_id_fields = ["organisation", "created_by"]
    inlines = [RoleCompetenceInline, RoleQualificationInline, RoleBasicInline]


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SpecCompetenceInline(_ReadOnlyInline):
    model = SpecCompetence
    fields = readonly_fields = ("node", "expected_level", "importance", "from_role_profile")


class SpecQualificationInline(_ReadOnlyInline):
    model = SpecQualification
    fields = readonly_fields = ("title", "note")


class SpecBasicInline(_ReadOnlyInline):
    model = SpecBasic
    fields = readonly_fields = ("kind", "title")


class RevisionInline(_ReadOnlyInline):
    model = Revision
    fields = readonly_fields = (
        "number",
        "job_title",
        "change_note",
        "created_at",
        "created_by",
        "agreed_by",
        "agreed_at",
    )
    show_change_link = True


@admin.register(Specification)
class SpecificationAdmin(admin.ModelAdmin):
    list_display = ["manager", "organisation", "current", "created_at"]
    search_fields = ["manager__email", "manager__full_name", "organisation__name"]
    raw_id_fields = ["organisation", "manager", "current"]
    inlines = [RevisionInline]


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["specification", "number", "job_title", "created_at", "agreed_at"]
    search_fields = ["specification__manager__email", "job_title"]
    # The file is shown by its stored name only: uploads are never served from MEDIA_URL,
    # only through the PMS pages, which check who may see them.
    fields = readonly_fields = (
        "specification",
        "number",
        "role_profile",
        "job_title",
        "manager_level",
        "job_description",
        "stored_file",
        "job_description_name",
        "change_note",
        "created_by",
        "created_at",
        "agreed_by",
        "agreed_at",
    )
    inlines = [SpecCompetenceInline, SpecQualificationInline, SpecBasicInline]

    @admin.display(description=_("job description file (stored as)"))
    def stored_file(self, obj: Revision) -> str:
        return obj.job_description_file.name or "-"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
