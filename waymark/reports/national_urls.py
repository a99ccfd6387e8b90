from __future__ import annotations

from django.urls import path

from . import views

# The national view, at /national/: national analysts and superusers only (404 else).
app_name = "national"

urlpatterns = [
    path("", views.national_index, name="index"),
    path("<slug:name>/", views.national_report, name="report"),
    path("<slug:name>/export/<str:fmt>/", views.national_export, name="export"),
]
