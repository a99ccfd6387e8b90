from __future__ import annotations

from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("people/<int:person_id>/assessments/", views.assessment_list, name="list"),
    path(
        "people/<int:person_id>/assessments/start/",
        views.assessment_start_view,
        name="start",
    ),
    path(
        "people/<int:person_id>/assessments/<int:assessment_id>/",
        views.assessment_detail,
        name="detail",
    ),
    path(
        "people/<int:person_id>/assessments/<int:assessment_id>/rate/<int:page>/",
        views.assessment_rate,
        name="rate",
    ),
    path(
        "people/<int:person_id>/assessments/<int:assessment_id>/gaps/",
        views.assessment_gaps,
        name="gaps",
    ),
]
