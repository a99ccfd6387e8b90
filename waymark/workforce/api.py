"""Workforce data in the REST API:

* organisations/<org>/workforce/records/ (list, read, change): each member's manager
  level, service area and team, for the organisation's L&D leads and admins (403 for
  other members, 404 for outsiders, as on the pages);
* organisations/<org>/workforce/teams/ (list): its teams and services, same people;
* me/diversity/ (read, replace, delete): the signed-in person's own diversity monitoring
  answers. There is no way to read anyone else's."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from waymark.accounts.models import User
from waymark.organisations.middleware import organisation_for
from waymark.organisations.models import Membership, Organisation, Role

from . import services
from .models import (
    DIVERSITY_FIELDS,
    AgeBand,
    Disability,
    DiversityAnswers,
    Ethnicity,
    Gender,
    ManagerLevel,
    ServiceArea,
    Team,
    WorkforceRecord,
)
from .selectors import own_diversity

PREFIX = "organisations/<slug:org_slug>/workforce"
LEAD_ROLES = frozenset({Role.LD_LEAD.value, Role.ADMIN.value})


class TeamSerializer(serializers.ModelSerializer[Team]):
    class Meta:
        model = Team
        fields = ["id", "name"]


class RecordSerializer(serializers.Serializer[WorkforceRecord]):
    user_id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="user.display_name", read_only=True)
    manager_level = serializers.ChoiceField(
        choices=[("", ""), *list(ManagerLevel.choices)], required=False, allow_blank=True
    )
    service_area = serializers.ChoiceField(
        choices=[("", ""), *list(ServiceArea.choices)], required=False, allow_blank=True
    )
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.none(), allow_null=True, required=False
    )
    sector = serializers.CharField(source="organisation.sector", read_only=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.context.get("organisation")
        if organisation is not None:
            self.fields["team"].queryset = Team.objects.filter(organisation=organisation)  # type: ignore[attr-defined]


class _Scoped:
    organisation: Organisation
    kwargs: dict[str, Any]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.perform_authentication(request)  # type: ignore[attr-defined]
        if request.user and request.user.is_authenticated:
            organisation, roles = organisation_for(int(request.user.pk), kwargs["org_slug"])
            if not roles & LEAD_ROLES:
                raise PermissionDenied(
                    _("Only the organisation's L&D leads and admins see workforce records.")
                )
            self.organisation = organisation
        super().initial(request, *args, **kwargs)  # type: ignore[misc]

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()  # type: ignore[misc]
        if hasattr(self, "organisation"):
            context["organisation"] = self.organisation
        return context


@extend_schema_view(
    list=extend_schema(summary=_("Members' workforce records (L&D leads and admins)")),
    retrieve=extend_schema(summary=_("A member's workforce record, by user id")),
    partial_update=extend_schema(summary=_("Change a member's workforce record")),
)
class RecordViewSet(
    _Scoped,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[WorkforceRecord],
):
    serializer_class = RecordSerializer
    lookup_field = "user_id"
    lookup_value_converter = "int"
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[WorkforceRecord]:
        if getattr(self, "swagger_fake_view", False) or not hasattr(self, "organisation"):
            return WorkforceRecord.objects.none()
        return (
            WorkforceRecord.objects.filter(organisation=self.organisation)
            .select_related("user", "organisation", "team")
            .order_by("user__full_name", "user_id")
        )

    def get_object(self) -> WorkforceRecord:
        user_id = self.kwargs["user_id"]
        if not Membership.objects.filter(organisation=self.organisation, user_id=user_id).exists():
            from django.http import Http404

            raise Http404
        record = self.get_queryset().filter(user_id=user_id).first()
        if record is None:
            record = WorkforceRecord(organisation=self.organisation, user_id=user_id)
        return record

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        data = RecordSerializer(
            record, data=request.data, partial=True, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        values = data.validated_data
        person = get_object_or_404(User, pk=record.user_id)
        saved = services.record_set(
            actor=request.user,  # type: ignore[arg-type]
            organisation=self.organisation,
            person=person,
            manager_level=values.get("manager_level", record.manager_level),
            service_area=values.get("service_area", record.service_area),
            team=values.get("team", record.team),
        )
        saved = self.get_queryset().get(pk=saved.pk)
        return Response(RecordSerializer(saved, context=self.get_serializer_context()).data)


@extend_schema_view(list=extend_schema(summary=_("The organisation's teams and services")))
class TeamViewSet(_Scoped, mixins.ListModelMixin, viewsets.GenericViewSet[Team]):
    serializer_class = TeamSerializer

    def get_queryset(self) -> QuerySet[Team]:
        if getattr(self, "swagger_fake_view", False) or not hasattr(self, "organisation"):
            return Team.objects.none()
        return Team.objects.filter(organisation=self.organisation).order_by("name", "id")


class DiversitySerializer(serializers.Serializer[Any]):
    gender = serializers.ChoiceField(
        choices=[("", ""), *list(Gender.choices)], required=False, allow_blank=True
    )
    ethnicity = serializers.ChoiceField(
        choices=[("", ""), *list(Ethnicity.choices)], required=False, allow_blank=True
    )
    disability = serializers.ChoiceField(
        choices=[("", ""), *list(Disability.choices)], required=False, allow_blank=True
    )
    age_band = serializers.ChoiceField(
        choices=[("", ""), *list(AgeBand.choices)], required=False, allow_blank=True
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("Your own diversity monitoring answers (only ever yours)"),
        responses=DiversitySerializer,
    ),
    create=extend_schema(
        summary=_("Replace your own diversity monitoring answers"),
        request=DiversitySerializer,
        responses=DiversitySerializer,
    ),
)
class DiversityViewSet(viewsets.GenericViewSet[DiversityAnswers]):
    """The signed-in person's own answers: nothing here takes a person or an id."""

    serializer_class = DiversitySerializer
    pagination_class = None
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[DiversityAnswers]:
        return DiversityAnswers.objects.none()

    def _me(self) -> User:
        user = self.request.user
        assert isinstance(user, User)
        return user

    def list(self, request: Request) -> Response:
        answers = own_diversity(self._me())
        data = {f: getattr(answers, f) if answers else "" for f in DIVERSITY_FIELDS}
        return Response(DiversitySerializer(data).data)

    def create(self, request: Request) -> Response:
        data = DiversitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answers = {f: data.validated_data.get(f, "") for f in DIVERSITY_FIELDS}
        services.diversity_set(actor=self._me(), person=self._me(), answers=answers)
        return Response(DiversitySerializer(answers).data, status=status.HTTP_200_OK)


def register(router: Any) -> None:
    router.register(f"{PREFIX}/records", RecordViewSet, basename="workforce-record")
    router.register(f"{PREFIX}/teams", TeamViewSet, basename="workforce-team")
    router.register("me/diversity", DiversityViewSet, basename="workforce-diversity")
