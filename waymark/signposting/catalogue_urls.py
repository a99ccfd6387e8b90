from __future__ import annotations

from django.urls import URLPattern, path  # noqa: F401

# The catalogue, site-wide at /catalogue/: search and entry pages, editors' curation pages.
app_name = "catalogue"

urlpatterns: list[URLPattern] = []
