from __future__ import annotations

from django.urls import URLPattern, path  # noqa: F401

# 360 raters answer here through their personal link, at /rate/<token>/: no account.
app_name = "rater"

urlpatterns: list[URLPattern] = []
