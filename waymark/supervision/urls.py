from __future__ import annotations

from django.urls import URLPattern, path

from . import views

# Included under /o/<org_slug>/ by waymark/urls.py.
app_name = "supervision"

_sup = "people/<int:person_id>/supervision/"
_rec = _sup + "<int:record_id>/"
_app = "people/<int:person_id>/appraisal/"
_one = _app + "<int:appraisal_id>/"

urlpatterns: list[URLPattern] = [
    path("supervision/", views.supervisor_page, name="supervisor_page"),
    path(_sup, views.record_list, name="record_list"),
    path(_sup + "new/", views.record_new, name="record_new"),
    path(_rec, views.record_detail, name="record_detail"),
    path(_rec + "edit/", views.record_edit, name="record_edit"),
    path(_rec + "finalise/", views.record_finalise, name="record_finalise"),
    path(_rec + "actions/add/", views.action_add, name="action_add"),
    path(_sup + "actions/<int:action_id>/", views.action_review, name="action_review"),
    path(_app, views.appraisal_list, name="appraisal_list"),
    path(_app + "new/", views.appraisal_new, name="appraisal_new"),
    path(_one, views.appraisal_detail, name="appraisal_detail"),
    path(_one + "edit/", views.appraisal_edit, name="appraisal_edit"),
    path(_one + "pms/", views.appraisal_pms, name="appraisal_pms"),
    path(_one + "objectives/add/", views.appraisal_objective_add, name="appraisal_objective_add"),
    path(_one + "objectives/agree/", views.appraisal_agree, name="appraisal_agree"),
    path(_one + "sign/", views.appraisal_sign, name="appraisal_sign"),
    path(_one + "reopen/", views.appraisal_reopen, name="appraisal_reopen"),
]
