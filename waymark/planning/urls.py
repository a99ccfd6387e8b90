from __future__ import annotations

from django.urls import path

from . import views

app_name = "planning"

P = "people/<int:person_id>/plan/"
PLAN = P + "<int:plan_id>/"
OBJ = P + "objectives/<int:objective_id>/"

urlpatterns = [
    path(P, views.plan, name="plan"),
    path(P + "new/", views.plan_new, name="plan_new"),
    path(PLAN, views.plan_detail, name="plan_detail"),
    path(PLAN + "edit/", views.plan_edit, name="plan_edit"),
    path(PLAN + "swot/", views.plan_swot, name="plan_swot"),
    path(PLAN + "guided/", views.plan_guided, name="plan_guided"),
    path(PLAN + "guided/<slug:stage>/", views.plan_stage, name="plan_stage"),
    path(PLAN + "outcomes/", views.plan_outcomes, name="plan_outcomes"),
    path(PLAN + "seed/", views.plan_seed, name="plan_seed"),
    path(PLAN + "comments/", views.plan_comments, name="plan_comments"),
    path(PLAN + "agree/", views.plan_agree, name="plan_agree"),
    # The gap analysis links here with ?node=<id>&node=<id> for the gaps chosen.
    path(P + "objectives/new/", views.objective_new, name="objective_new"),
    path(OBJ, views.objective, name="objective"),
    path(OBJ + "edit/", views.objective_edit, name="objective_edit"),
    path(OBJ + "status/", views.objective_status, name="objective_status"),
    path(OBJ + "activities/new/", views.activity_new, name="activity_new"),
    path(OBJ + "activities/<int:activity_id>/edit/", views.activity_edit, name="activity_edit"),
    path(
        OBJ + "activities/<int:activity_id>/remove/", views.activity_remove, name="activity_remove"
    ),
    path(OBJ + "milestones/new/", views.milestone_new, name="milestone_new"),
    path(OBJ + "milestones/<int:milestone_id>/edit/", views.milestone_edit, name="milestone_edit"),
    path(OBJ + "milestones/<int:milestone_id>/done/", views.milestone_done, name="milestone_done"),
    path(
        OBJ + "milestones/<int:milestone_id>/remove/",
        views.milestone_remove,
        name="milestone_remove",
    ),
]
