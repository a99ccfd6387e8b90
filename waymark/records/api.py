"""The person's own data in the REST API:

    GET /api/v1/organisations/<org>/people/<person_id>/record/

All her own data in that organisation, in the shape `records/export.py` documents
(format_version 1), the same as the record page's JSON download. Only the person
herself: anyone outside the organisation, or with no relation to her, gets 404; her
supervisor, mentors, coaches, L&D lead and admins get 403, as on the pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from waymark.accounts.models import User
from waymark.organisations.access import SELF, relations_to
from waymark.organisations.middleware import organisation_for
from waymark.organisations.models import Organisation

from .services import record_data_export

PREFIX = "organisations/<slug:org_slug>/people/<int:person_id>/record"


def own_scope(viewer: User, org_slug: str, person_id: int) -> tuple[Organisation, User]:
    """The organisation and the person, if `viewer` is that person; 404 for outsiders and
    people with no relation to her, 403 for her supporters and the organisation's roles."""
    organisation, roles = organisation_for(int(viewer.pk), org_slug)
    person = (
        User.objects.filter(pk=person_id, memberships__organisation=organisation).distinct().first()
    )
    if person is None:
        raise Http404
    relations = relations_to(
        viewer=viewer, person=person, organisation_id=organisation.pk, viewer_roles=roles
    )
    if not relations:
        raise Http404
    if SELF not in relations:
        raise PermissionDenied(_("Only the person herself may take her record out."))
    return organisation, person


class RecordViewSet(viewsets.ViewSet):
    @extend_schema(
        operation_id="person_record_retrieve",
        responses={
            200: OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description=_(
                    "All the person's own data in the organisation, format_version 1: "
                    "memberships and support relationships, every PMS revision, every "
                    "self-assessment with its ratings, plans with objectives, activities, "
                    "milestones and comments, CPD entries (private ones included) with "
                    "reflections and evidence file details."
                ),
            ),
            403: OpenApiResponse(description=_("Not the person herself.")),
            404: OpenApiResponse(description=_("No such organisation or person for you.")),
        },
        summary=_("All your own data (your record) in an organisation"),
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        viewer = request.user
        assert isinstance(viewer, User)
        organisation, person = own_scope(viewer, kwargs["org_slug"], int(kwargs["person_id"]))
        data = record_data_export(actor=viewer, person=person, organisations=[organisation])
        return Response(data)


def register(router: Any) -> None:
    router.register(PREFIX, RecordViewSet, basename="person-record")
