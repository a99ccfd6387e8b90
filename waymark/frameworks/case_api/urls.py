from __future__ import annotations

from django.urls import re_path

from . import views

# The 1EdTech CASE 1.0 service, mounted at /ims/case/v1p0/ by waymark/urls.py. The spec's
# paths have no trailing slash; one is accepted too.
app_name = "case_api"
_ID = r"(?P<sourced_id>[^/]+)"
urlpatterns = [
    re_path(r"^CFDocuments/?$", views.documents, name="documents"),
    re_path(rf"^CFDocuments/{_ID}/?$", views.document, name="document"),
    re_path(rf"^CFPackages/{_ID}/?$", views.package, name="package"),
    re_path(rf"^CFItems/{_ID}/?$", views.item, name="item"),
    re_path(rf"^CFItemAssociations/{_ID}/?$", views.item_associations, name="item_associations"),
    re_path(rf"^CFAssociations/{_ID}/?$", views.association, name="association"),
    re_path(rf"^CFItemTypes/{_ID}/?$", views.item_type, name="item_type"),
    re_path(rf"^CFLicenses/{_ID}/?$", views.cf_license, name="license"),
]
