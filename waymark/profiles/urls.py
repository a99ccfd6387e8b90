"""Included under /o/<org_slug>/ by organisations/urls.py."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "profiles"

_profile = "role-profiles/<int:profile_id>/"
_pms = "people/<int:person_id>/pms/"

urlpatterns = [
    # Role profiles (organisation pages)
    path("role-profiles/", views.role_profiles, name="role_profiles"),
    path("role-profiles/new/", views.role_profile_create, name="role_profile_create"),
    path(_profile, views.role_profile, name="role_profile"),
    path(_profile + "edit/", views.role_profile_edit, name="role_profile_edit"),
    path(
        _profile + "starting-point/",
        views.role_profile_starting_point,
        name="role_profile_starting_point",
    ),
    path(
        _profile + "competences/", views.role_profile_competences, name="role_profile_competences"
    ),
    path(
        _profile + "competences/add/",
        views.role_profile_competences_add,
        name="role_profile_competences_add",
    ),
    path(
        _profile + "qualifications/",
        views.role_profile_qualifications,
        name="role_profile_qualifications",
    ),
    path(
        _profile + "qualifications/<int:item_id>/remove/",
        views.role_profile_qualification_remove,
        name="role_profile_qualification_remove",
    ),
    path(_profile + "basics/", views.role_profile_basics, name="role_profile_basics"),
    path(
        _profile + "basics/<int:item_id>/remove/",
        views.role_profile_basic_remove,
        name="role_profile_basic_remove",
    ),
    path(_profile + "archive/", views.role_profile_archive, name="role_profile_archive"),
    path(
        _profile + "update-editions/",
        views.role_profile_update_editions,
        name="role_profile_update_editions",
    ),
    # A person's PMS (person pages)
    path(_pms, views.pms, name="pms"),
    path(_pms + "start/", views.pms_start, name="pms_start"),
    path(_pms + "edit/", views.pms_edit, name="pms_edit"),
    path(_pms + "competences/", views.pms_competences, name="pms_competences"),
    path(_pms + "competences/add/", views.pms_competences_add, name="pms_competences_add"),
    path(_pms + "qualifications/", views.pms_qualifications, name="pms_qualifications"),
    path(
        _pms + "qualifications/<int:item_id>/remove/",
        views.pms_qualification_remove,
        name="pms_qualification_remove",
    ),
    path(_pms + "basics/", views.pms_basics, name="pms_basics"),
    path(_pms + "basics/<int:item_id>/remove/", views.pms_basic_remove, name="pms_basic_remove"),
    path(_pms + "revisions/", views.pms_revisions, name="pms_revisions"),
    path(_pms + "revisions/<int:number>/", views.pms_revision, name="pms_revision"),
    path(_pms + "revisions/<int:number>/job-description/", views.pms_file, name="pms_file"),
    path(_pms + "compare/", views.pms_compare, name="pms_compare"),
    path(_pms + "agree/", views.pms_agree, name="pms_agree"),
    path(_pms + "update/", views.pms_update, name="pms_update"),
]
