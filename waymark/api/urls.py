from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from . import pages, views
from .registry import register_all

# Included at /api/ by waymark/urls.py: the API itself under v1/, its OpenAPI schema and
# documentation beside it, and the page where people manage their API token.
app_name = "api"

router = SimpleRouter(use_regex_path=False)
router.register("frameworks", views.FrameworkViewSet, basename="framework")
router.register("editions", views.EditionViewSet, basename="edition")
router.register("nodes", views.NodeViewSet, basename="node")
router.register("mappings", views.MappingViewSet, basename="mapping")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
register_all(router)  # each app's own endpoints: waymark/<app>/api.py

urlpatterns = [
    path("v1/", views.ApiRootView.as_view(), name="root"),
    path("v1/auth/token/", views.TokenView.as_view(), name="token"),
    path("v1/search/", views.SearchView.as_view(), name="search"),
    path(
        "v1/organisations/<slug:org_slug>/members/",
        views.MemberListView.as_view(),
        name="organisation-members",
    ),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("docs/redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("token/", pages.token_page, name="token_page"),
]
