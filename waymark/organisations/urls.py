from __future__ import annotations

from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("members/", views.members, name="members"),
    path("members/add/", views.member_add, name="member_add"),
    path("settings/", views.settings_edit, name="settings"),
]
