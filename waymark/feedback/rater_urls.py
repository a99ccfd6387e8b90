from __future__ import annotations

from django.urls import path

from . import rater_views

# 360 raters answer here through their personal link, at /rate/<token>/: no account.
app_name = "rater"

urlpatterns = [
    path("<str:token>/", rater_views.rater_form, name="form"),
    path("<str:token>/check/", rater_views.rater_check, name="check"),
]
