from __future__ import annotations

from django.urls import URLPattern, path

from . import editor_views, views

# Included under /o/<org_slug>/ by waymark/urls.py.
app_name = "signposting"

urlpatterns: list[URLPattern] = [
    # Pages about one person (engineer D): options for their gaps, preferences,
    # qualification fit, add to plan.
    path("people/<int:person_id>/signposting/", views.person_options, name="person"),
    path(
        "people/<int:person_id>/signposting/preferences/",
        views.preferences,
        name="preferences",
    ),
    path(
        "people/<int:person_id>/signposting/qualifications/",
        views.person_qualifications,
        name="person_qualifications",
    ),
    path(
        "people/<int:person_id>/signposting/add/<slug:slug>/",
        views.add_to_plan,
        name="add_to_plan",
    ),
    # Organisation pages (engineer D).
    path("signposting/find/", views.find, name="find"),
    path("signposting/organisation/", views.organisation_options, name="organisation"),
    path(
        "signposting/role-profiles/<int:profile_id>/qualifications/",
        views.role_profile_qualifications,
        name="role_profile_qualifications",
    ),
    path("signposting/resources/<slug:slug>/", views.resource, name="resource"),
    # The organisation's own in-house resources (engineer B): L&D leads and admins.
    path("learning/in-house/", editor_views.inhouse_list, name="inhouse_list"),
    path("learning/in-house/add/", editor_views.inhouse_create, name="inhouse_create"),
    path("learning/in-house/<int:resource_id>/", editor_views.inhouse_edit, name="inhouse_edit"),
    path(
        "learning/in-house/<int:resource_id>/nodes/",
        editor_views.inhouse_nodes,
        name="inhouse_nodes",
    ),
    path(
        "learning/in-house/<int:resource_id>/withdraw/",
        editor_views.inhouse_withdraw,
        name="inhouse_withdraw",
    ),
]
