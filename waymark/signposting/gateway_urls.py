from __future__ import annotations

from django.urls import URLPattern, path  # noqa: F401

# The public signposting gateway other sites embed, at /gateway/: no sign-in, public entries only.
app_name = "gateway"

urlpatterns: list[URLPattern] = []
