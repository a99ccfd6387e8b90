"""The Django admin for the standards database: for looking things up and repairing
data. Day-to-day editing happens on the editor pages, which keep tree paths in step and
record who changed what; the tree columns are read-only here for that reason."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Association, Edition, Framework, ItemType, Node


class EditionInline(admin.TabularInline):
    model = Edition
    extra = 0
    fields = ("title", "version", "publication_date", "status", "is_current")
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Framework | None = None) -> bool:
        return False


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "created_at"]
    search_fields = ["title", "slug"]
    inlines = [EditionInline]


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "version",
        "framework",
        "publisher",
        "kind",
        "assesses",
        "status",
        "is_current",
        "historical",
        "origin",
    ]
    list_filter = ["status", "is_current", "kind", "assesses", "historical", "origin"]
    search_fields = ["title", "short_title", "publisher", "framework__slug", "identifier"]
    autocomplete_fields = ["framework"]
    readonly_fields = ["identifier", "created_at", "updated_at"]
    date_hierarchy = "publication_date"


@admin.register(ItemType)
class ItemTypeAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "hierarchy_code", "identifier"]
    search_fields = ["title", "code", "identifier"]


@admin.register(Node)
class NodeAdmin(admin.ModelAdmin):
    list_display = ["code", "display_title", "item_type_label", "edition", "depth", "is_central"]
    list_filter = ["edition", "is_central", "competence_type", "functional_area", "scqf_level"]
    search_fields = ["code", "title", "statement", "identifier"]
    list_select_related = ["edition"]
    autocomplete_fields = ["edition", "item_type"]
    raw_id_fields = ["parent"]
    readonly_fields = ["identifier", "parent_association_identifier", "path", "depth"]
    ordering = ["edition", "path"]


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "association_type",
        "edition",
        "confirmed",
        "made_by_name",
        "created_at",
    ]
    list_filter = ["association_type", "confirmed", "edition"]
    search_fields = [
        "origin_title",
        "destination_title",
        "origin__code",
        "destination__code",
        "note",
        "identifier",
    ]
    list_select_related = ["edition"]
    autocomplete_fields = ["edition", "made_by"]
    raw_id_fields = ["origin", "destination"]
    readonly_fields = ["identifier", "created_at"]
