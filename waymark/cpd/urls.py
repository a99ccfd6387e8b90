from __future__ import annotations

from django.urls import path

from . import views

# Included under /o/<org_slug>/ by waymark/organisations/urls.py.
app_name = "cpd"

_entry = "people/<int:person_id>/cpd/<int:entry_id>/"

urlpatterns = [
    path("people/<int:person_id>/cpd/", views.entry_list, name="entry_list"),
    path("people/<int:person_id>/cpd/add/", views.entry_add, name="entry_add"),
    path("people/<int:person_id>/cpd/summary/", views.summary, name="summary"),
    path(_entry, views.entry_detail, name="entry_detail"),
    path(_entry + "edit/", views.entry_edit, name="entry_edit"),
    path(_entry + "delete/", views.entry_delete, name="entry_delete"),
    path(_entry + "share/", views.entry_share, name="entry_share"),
    path(_entry + "confirm/", views.entry_confirm, name="entry_confirm"),
    path(_entry + "evidence/", views.evidence_add, name="evidence_add"),
    path(_entry + "evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path(
        _entry + "evidence/<int:evidence_id>/delete/", views.evidence_delete, name="evidence_delete"
    ),
]
