"""Reports in the REST API, with exactly the suppressed figures of the pages:

* organisations/<org>/reports/ (list), …/reports/<name>/ (read; ?team=&level=): the
  organisation's L&D leads and admins (403 for other members, 404 for outsiders);
* national/reports/ (list), national/reports/<name>/ (read; ?sector=&size_band=&region=):
  national analysts and superusers (404 for everyone else)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from waymark.organisations.middleware import organisation_for
from waymark.organisations.models import Organisation, Role

from .forms import NationalFilterForm, OrgFilterForm
from .registry import ReportScope, ReportSpec, get_reports
from .views import is_national_analyst

LEAD_ROLES = frozenset({Role.LD_LEAD.value, Role.ADMIN.value})


class ReportCellSerializer(serializers.Serializer[Any]):
    value = serializers.FloatField(allow_null=True, help_text=_("null when suppressed"))
    suppressed = serializers.BooleanField()


class ReportRowSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]
    cells = ReportCellSerializer(many=True)


class ReportTableSerializer(serializers.Serializer[Any]):
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = ReportRowSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())


class ReportSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    title = serializers.CharField()
    people_count = ReportCellSerializer()
    suppressed_count = serializers.IntegerField()
    notes = serializers.ListField(child=serializers.CharField())
    tables = ReportTableSerializer(many=True)


class ReportSummarySerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()


def _summary(spec: ReportSpec) -> dict[str, str]:
    return {"name": spec.name, "title": str(spec.title), "description": str(spec.description)}


ORG_PARAMS = [
    OpenApiParameter("team", OpenApiTypes.INT, description="A team or service id"),
    OpenApiParameter("level", OpenApiTypes.STR, description="A manager level"),
]
NATIONAL_PARAMS = [
    OpenApiParameter("sector", OpenApiTypes.STR),
    OpenApiParameter("size_band", OpenApiTypes.STR),
    OpenApiParameter("region", OpenApiTypes.STR),
]


@extend_schema_view(
    list=extend_schema(
        summary=_("The organisation's reports"), responses=ReportSummarySerializer(many=True)
    ),
    retrieve=extend_schema(
        summary=_("One report, with small groups suppressed"),
        responses=ReportSerializer,
        parameters=ORG_PARAMS,
    ),
)
class OrgReportViewSet(viewsets.ViewSet):
    lookup_field = "name"
    lookup_value_converter = "slug"
    organisation: Organisation

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.perform_authentication(request)
        if request.user and request.user.is_authenticated:
            organisation, roles = organisation_for(int(request.user.pk), kwargs["org_slug"])
            if not roles & LEAD_ROLES:
                raise PermissionDenied(
                    _("Only the organisation's L&D leads and admins see reports.")
                )
            self.organisation = organisation
        super().initial(request, *args, **kwargs)

    def list(self, request: Request, org_slug: str) -> Response:
        return Response([_summary(s) for s in get_reports().values()])

    def retrieve(self, request: Request, org_slug: str, name: str) -> Response:
        spec = get_reports().get(name)
        if spec is None:
            raise NotFound
        form = OrgFilterForm(request.query_params or None, organisation=self.organisation)
        team_id, level = None, None
        if form.is_bound:
            if not form.is_valid():
                raise serializers.ValidationError(form.errors.get_json_data())
            team_id = form.cleaned_data["team"]
            level = form.cleaned_data["level"] or None
        scope = ReportScope(organisation=self.organisation, team_id=team_id, level=level)
        return Response(spec.build(scope).as_json())


@extend_schema_view(
    list=extend_schema(
        summary=_("The national reports (national analysts)"),
        responses=ReportSummarySerializer(many=True),
    ),
    retrieve=extend_schema(
        summary=_("One national report, with small groups suppressed"),
        responses=ReportSerializer,
        parameters=NATIONAL_PARAMS,
    ),
)
class NationalReportViewSet(viewsets.ViewSet):
    lookup_field = "name"
    lookup_value_converter = "slug"

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.perform_authentication(request)
        if request.user and request.user.is_authenticated and not is_national_analyst(request.user):
            raise NotFound
        super().initial(request, *args, **kwargs)

    def list(self, request: Request) -> Response:
        return Response([_summary(s) for s in get_reports().values() if s.national])

    def retrieve(self, request: Request, name: str) -> Response:
        spec = get_reports().get(name)
        if spec is None or not spec.national:
            raise NotFound
        form = NationalFilterForm(request.query_params or None)
        data: dict[str, Any] = {}
        if form.is_bound:
            if not form.is_valid():
                raise serializers.ValidationError(form.errors.get_json_data())
            data = {k: v or None for k, v in form.cleaned_data.items()}
        return Response(spec.build(ReportScope(organisation=None, **data)).as_json())


def register(router: Any) -> None:
    router.register(
        "organisations/<slug:org_slug>/reports", OrgReportViewSet, basename="org-report"
    )
    router.register("national/reports", NationalReportViewSet, basename="national-report")
