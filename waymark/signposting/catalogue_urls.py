from __future__ import annotations

from django.urls import URLPattern, path

from . import editor_views, views

# The catalogue, site-wide at /catalogue/: search and entry pages, editors' curation pages.
app_name = "catalogue"

urlpatterns: list[URLPattern] = [
    # Public pages (engineer D): public entries only.
    path("", views.catalogue_search, name="search"),
    path("resources/<slug:slug>/", views.catalogue_resource, name="resource"),
    path("qualifications/<slug:slug>/", views.catalogue_qualification, name="qualification"),
    path("providers/<slug:slug>/", views.catalogue_provider, name="provider"),
    # Editors' curation pages (engineer B): standards and catalogue editors only.
    path("edit/", editor_views.edit_index, name="edit_index"),
    path("edit/needs-review/", editor_views.needs_review, name="needs_review"),
    path("edit/import/", editor_views.import_view, name="import"),
    path("edit/export/", editor_views.export_index, name="export"),
    path("edit/export/<str:fmt>/", editor_views.export_download, name="export_download"),
    path("edit/resources/", editor_views.resource_list, name="resource_list"),
    path("edit/resources/new/", editor_views.resource_create, name="resource_create"),
    path("edit/resources/<slug:slug>/", editor_views.resource_edit, name="resource_edit"),
    path("edit/resources/<slug:slug>/nodes/", editor_views.resource_nodes, name="resource_nodes"),
    path(
        "edit/resources/<slug:slug>/withdraw/",
        editor_views.resource_withdraw,
        name="resource_withdraw",
    ),
    path(
        "edit/resources/<slug:slug>/history/",
        editor_views.resource_history,
        name="resource_history",
    ),
    path("edit/providers/", editor_views.provider_list, name="provider_list"),
    path("edit/providers/new/", editor_views.provider_create, name="provider_create"),
    path("edit/providers/<slug:slug>/", editor_views.provider_edit, name="provider_edit"),
    path(
        "edit/providers/<slug:slug>/withdraw/",
        editor_views.provider_withdraw,
        name="provider_withdraw",
    ),
    path(
        "edit/providers/<slug:slug>/history/",
        editor_views.provider_history,
        name="provider_history",
    ),
    path("edit/qualifications/", editor_views.qualification_list, name="qualification_list"),
    path(
        "edit/qualifications/new/", editor_views.qualification_create, name="qualification_create"
    ),
    path(
        "edit/qualifications/<slug:slug>/",
        editor_views.qualification_edit,
        name="qualification_edit",
    ),
    path(
        "edit/qualifications/<slug:slug>/withdraw/",
        editor_views.qualification_withdraw,
        name="qualification_withdraw",
    ),
    path(
        "edit/qualifications/<slug:slug>/history/",
        editor_views.qualification_history,
        name="qualification_history",
    ),
    path(
        "edit/qualifications/<slug:slug>/units/new/", editor_views.unit_create, name="unit_create"
    ),
    path(
        "edit/qualifications/<slug:slug>/units/<int:unit_id>/",
        editor_views.unit_edit,
        name="unit_edit",
    ),
    path(
        "edit/qualifications/<slug:slug>/units/<int:unit_id>/delete/",
        editor_views.unit_delete,
        name="unit_delete",
    ),
]
