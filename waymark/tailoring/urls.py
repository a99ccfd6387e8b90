from __future__ import annotations

from django.urls import path

from . import views

# Included under /o/<org_slug>/ by waymark/urls.py.
app_name = "tailoring"

_own = "tailoring/competences/<int:node_id>/"

urlpatterns = [
    path("tailoring/", views.index, name="index"),
    path("tailoring/focus/", views.focus, name="focus"),
    path("tailoring/competences/", views.competences, name="competences"),
    path("tailoring/competences/domains/add/", views.domain_add, name="domain_add"),
    path("tailoring/competences/add/", views.competence_add, name="competence_add"),
    path(_own + "edit/", views.competence_edit, name="competence_edit"),
    path(_own + "archive/", views.competence_archive, name="competence_archive"),
    path(_own + "map/", views.competence_map, name="competence_map"),
    path(
        _own + "mappings/<int:association_id>/delete/",
        views.mapping_delete,
        name="mapping_delete",
    ),
    path("tailoring/front-page/", views.front_page, name="front_page"),
    path("policies/", views.policies, name="policies"),
    path("tailoring/policies/add/", views.policy_add, name="policy_add"),
    path("policies/<int:policy_id>/file/", views.policy_file, name="policy_file"),
    path(
        "tailoring/policies/<int:policy_id>/archive/",
        views.policy_archive,
        name="policy_archive",
    ),
]
