from __future__ import annotations

from django.urls import path

from . import views

# Included under /o/<org_slug>/ by waymark/urls.py.
app_name = "feedback"

_round = "people/<int:person_id>/feedback/<int:round_id>/"
_invitation = _round + "invitations/<int:invitation_id>/"

urlpatterns = [
    path("people/<int:person_id>/feedback/", views.round_list, name="round_list"),
    path("people/<int:person_id>/feedback/start/", views.round_start, name="round_start"),
    path(_round, views.round_detail, name="round"),
    path(_round + "invite/", views.invite, name="invite"),
    path(_round + "close/", views.round_close, name="close"),
    path(_round + "results/", views.results, name="results"),
    path(_invitation + "revoke/", views.invitation_revoke, name="invitation_revoke"),
    path(_invitation + "remind/", views.invitation_remind, name="invitation_remind"),
    path(_invitation + "link/", views.invitation_link, name="invitation_link"),
]
