from __future__ import annotations

from django.urls import path

from . import views

# Included under /o/<org_slug>/ by waymark/urls.py.
app_name = "reports"

urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/<slug:name>/", views.report, name="report"),
    path("reports/<slug:name>/export/<str:fmt>/", views.export, name="export"),
]
