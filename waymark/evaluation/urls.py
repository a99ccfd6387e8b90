from __future__ import annotations

from django.urls import URLPattern, path  # noqa: F401

# Included under /o/<org_slug>/ by waymark/urls.py.
app_name = "evaluation"

urlpatterns: list[URLPattern] = []
