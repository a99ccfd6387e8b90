from __future__ import annotations

from django.urls import URLPattern, path

from . import gateway_views

# The public signposting gateway other sites embed, at /gateway/: no sign-in, public entries only.
app_name = "gateway"

urlpatterns: list[URLPattern] = [
    path("", gateway_views.gateway, name="search"),
    path("api/search", gateway_views.api_search, name="api_search"),
    path("api/signpost", gateway_views.api_signpost, name="api_signpost"),
]
