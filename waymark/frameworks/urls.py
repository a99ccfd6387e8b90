from __future__ import annotations

from django.urls import path

from . import views
from .interchange import urls as interchange_urls

app_name = "frameworks"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    *interchange_urls.urlpatterns,
]
