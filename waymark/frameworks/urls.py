from __future__ import annotations

from django.urls import path

from . import views
from .interchange import urls as interchange_urls

app_name = "frameworks"

_edition = "<slug:framework_slug>/editions/<uuid:identifier>/"
_item = "<slug:framework_slug>/items/<uuid:identifier>/"
_mapping = _item + "mappings/<uuid:mapping>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("new/", views.framework_create, name="framework_create"),
    # Import and export pages come before "<framework_slug>/" so that a fixed word of
    # theirs is never read as a framework's short name.
    *interchange_urls.urlpatterns,
    path("<slug:framework_slug>/", views.framework, name="framework"),
    path(_edition, views.edition, name="edition"),
    path(_edition + "edit/", views.edition_edit, name="edition_edit"),
    path(_edition + "new-edition/", views.edition_new, name="edition_new"),
    path(_edition + "publish/", views.edition_publish, name="edition_publish"),
    path(_edition + "retire/", views.edition_retire, name="edition_retire"),
    path(_edition + "history/", views.edition_history, name="edition_history"),
    path(_edition + "items/new/", views.node_create, name="node_create"),
    path(_item, views.node, name="node"),
    path(_item + "edit/", views.node_edit, name="node_edit"),
    path(_item + "delete/", views.node_delete, name="node_delete"),
    path(_item + "mappings/new/", views.mapping_create, name="mapping_create"),
    path(_mapping + "edit/", views.mapping_edit, name="mapping_edit"),
    path(_mapping + "confirm/", views.mapping_confirm, name="mapping_confirm"),
    path(_mapping + "delete/", views.mapping_delete, name="mapping_delete"),
]
