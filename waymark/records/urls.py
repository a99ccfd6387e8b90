from __future__ import annotations

from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("people/<int:person_id>/record/", views.record, name="record"),
    path("people/<int:person_id>/record/data.json", views.record_data, name="record_data"),
]
