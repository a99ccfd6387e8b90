from __future__ import annotations

from django.urls import path

from . import views

# Included under /o/<org_slug>/ by waymark/urls.py.
app_name = "programmes"

_p = "programmes/<int:programme_id>/"
_s = _p + "sessions/<int:session_id>/"

urlpatterns = [
    path("programmes/", views.programme_list, name="list"),
    path("programmes/mine/", views.my_programmes, name="mine"),
    path("programmes/new/", views.programme_new, name="new"),
    path("programmes/groups/", views.group_list, name="groups"),
    path("programmes/groups/new/", views.group_add, name="group_add"),
    path("programmes/groups/<int:group_id>/edit/", views.group_edit, name="group_edit"),
    path(_p, views.programme_detail, name="detail"),
    path(_p + "edit/", views.programme_edit, name="edit"),
    path(_p + "cohorts/add/", views.cohort_add, name="cohort_add"),
    path(_p + "cohorts/<int:cohort_id>/edit/", views.cohort_edit, name="cohort_edit"),
    path(_p + "cohorts/<int:cohort_id>/participants/", views.participants, name="participants"),
    path(_p + "modules/add/", views.module_add, name="module_add"),
    path(_p + "modules/<int:module_id>/edit/", views.module_edit, name="module_edit"),
    path(_p + "modules/<int:module_id>/delete/", views.module_delete, name="module_delete"),
    path(_p + "sessions/add/", views.session_add, name="session_add"),
    path(_s, views.session_detail, name="session"),
    path(_s + "edit/", views.session_edit, name="session_edit"),
    path(_s + "delete/", views.session_delete, name="session_delete"),
    path(_s + "attendance/", views.attendance, name="attendance"),
    path(_s + "feedback/", views.feedback, name="feedback"),
]
