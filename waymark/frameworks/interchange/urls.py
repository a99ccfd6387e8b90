from __future__ import annotations

from django.urls import path

from . import views

# Editor pages for importing and exporting frameworks; included by waymark/frameworks/urls.py
# under /standards/ (app "frameworks") with names prefixed "interchange_".
urlpatterns = [
    path("import/", views.import_view, name="interchange_import"),
    path("interchange/", views.index, name="interchange_index"),
    # The same page aimed at one edition ("import into this edition"), as the edition
    # page links to it; `fmt` only names the kind of file the link offered.
    path(
        "<slug:framework_slug>/editions/<uuid:identifier>/import/<str:fmt>/",
        views.import_view,
        name="interchange_import",
    ),
    path(
        "<slug:framework_slug>/editions/<uuid:identifier>/interchange/",
        views.edition_view,
        name="interchange_edition",
    ),
    path(
        "<slug:framework_slug>/editions/<uuid:identifier>/export/<str:fmt>/",
        views.export_view,
        name="interchange_export",
    ),
]
