from __future__ import annotations

from django.urls import path

from . import views

# Included under /o/<org_slug>/ by waymark/urls.py.
app_name = "evaluation"

_e = "evaluation/<int:evaluation_id>/"
_i = "evaluation/indicators/<int:indicator_id>/"
_pe = "people/<int:person_id>/evaluation/"
_a = "action-plans/<int:plan_id>/"
_o = _a + "objectives/<int:objective_id>/"

urlpatterns = [
    path("evaluation/", views.index, name="index"),
    path("evaluation/new/", views.evaluation_new, name="new"),
    path(_e, views.evaluation_detail, name="detail"),
    path(_e + "edit/", views.evaluation_edit, name="edit"),
    path(_e + "stakeholders/add/", views.stakeholder_add, name="stakeholder_add"),
    path(
        "evaluation/programmes/<int:programme_id>/",
        views.programme_summary,
        name="programme_summary",
    ),
    path("evaluation/indicators/", views.indicators, name="indicators"),
    path("evaluation/indicators/new/", views.indicator_new, name="indicator_new"),
    path(_i, views.indicator_detail, name="indicator"),
    path(_i + "edit/", views.indicator_edit, name="indicator_edit"),
    path(_pe, views.person_evaluations, name="person"),
    path(_pe + "new/", views.person_evaluation_new, name="person_new"),
    path(_pe + "<int:evaluation_id>/", views.person_evaluation_detail, name="person_detail"),
    path(_pe + "<int:evaluation_id>/edit/", views.person_evaluation_edit, name="person_edit"),
    path(_pe + "<int:evaluation_id>/rerate/", views.rerate, name="rerate"),
    path("action-plans/", views.plans, name="plans"),
    path("action-plans/new/", views.plan_new, name="plan_new"),
    path(_a, views.plan_detail, name="plan"),
    path(_a + "edit/", views.plan_edit, name="plan_edit"),
    path(_a + "objectives/add/", views.objective_add, name="objective_add"),
    path(_o + "edit/", views.objective_edit, name="objective_edit"),
    path(_o + "progress/", views.progress_add, name="progress_add"),
]
