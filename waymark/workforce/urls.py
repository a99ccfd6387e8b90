from __future__ import annotations

from django.urls import path

from . import views

# Included under /o/<org_slug>/ by waymark/urls.py.
app_name = "workforce"

_person = "people/<int:person_id>/workforce/"

urlpatterns = [
    path("workforce/", views.people, name="people"),
    path("workforce/teams/", views.teams, name="teams"),
    path("workforce/teams/<int:team_id>/edit/", views.team_edit, name="team_edit"),
    path(_person, views.person, name="person"),
    path(_person + "edit/", views.record_edit, name="record_edit"),
    path(_person + "qualifications/add/", views.qualification_add, name="qualification_add"),
    path(
        _person + "qualifications/<int:qualification_id>/edit/",
        views.qualification_edit,
        name="qualification_edit",
    ),
    path(
        _person + "qualifications/<int:qualification_id>/delete/",
        views.qualification_delete,
        name="qualification_delete",
    ),
    path("people/<int:person_id>/diversity/", views.diversity, name="diversity"),
]
