from __future__ import annotations

from django.urls import URLPattern, path  # noqa: F401

# The national view, at /national/: site-wide roles only.
app_name = "national"

urlpatterns: list[URLPattern] = []
