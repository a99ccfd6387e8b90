from __future__ import annotations

from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("members/", views.members, name="members"),
    path("members/add/", views.member_add, name="member_add"),
    path("settings/", views.settings_edit, name="settings"),
    path("support/", views.support, name="support"),
    path("support/<int:relationship_id>/remove/", views.support_remove, name="support_remove"),
    path("people/<int:person_id>/", views.person, name="person"),
    # Each part of a manager's development journey adds its own pages under /o/<org_slug>/
    # too, in its own top-level namespace ("planning:objective_new"): see waymark/urls.py.
]
