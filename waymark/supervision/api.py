"""Supervision and appraisal in the REST API: /api/v1/supervision-records/,
/supervision-actions/ and /appraisals/.

Scoped like the pages (`selectors.visible_records`, `visible_appraisals`): a manager
reaches her own; her supervisor reaches hers; nobody else reaches any (404) — not her
mentor or coach, not the organisation's L&D leads or admins. The services decide who
may write (403 otherwise) and answer bad input with 400s keyed by field. The CPD look
back of an appraisal holds only entries the manager shared with her supervisor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from waymark.accounts.models import User
from waymark.organisations.middleware import organisation_for
from waymark.profiles.models import ManagerLevel

from . import selectors, services
from .models import (
    ActionEvent,
    ActionEventKind,
    ActionPoint,
    ActionStatus,
    Appraisal,
    AppraisalObjective,
    RecordStatus,
    SupervisionRecord,
)

T = TypeVar("T")


def _user(request: Request) -> User:
    return request.user  # type: ignore[return-value]


def _call(fn: Callable[..., T], **kwargs: Any) -> T:
    """Run a service: its ValidationError becomes a 400 keyed by field, its
    PermissionDenied a 403."""
    try:
        return fn(**kwargs)
    except DjangoPermissionDenied as e:
        raise PermissionDenied(str(e) or None) from e
    except DjangoValidationError as e:
        if hasattr(e, "error_dict"):
            raise ValidationError(e.message_dict) from e
        raise ValidationError({"non_field_errors": e.messages}) from e


# --- serializers ----------------------------------------------------------------------------


class SupervisionPersonSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()


class ActionEventSerializer(serializers.ModelSerializer[ActionEvent]):
    kind = serializers.ChoiceField(choices=ActionEventKind.choices)
    record: serializers.PrimaryKeyRelatedField[SupervisionRecord] = (
        serializers.PrimaryKeyRelatedField(read_only=True)
    )

    class Meta:
        model = ActionEvent
        fields = ["kind", "record", "due_before", "due_after", "note", "at"]


class ActionPointSerializer(serializers.ModelSerializer[ActionPoint]):
    record: serializers.PrimaryKeyRelatedField[SupervisionRecord] = (
        serializers.PrimaryKeyRelatedField(read_only=True)
    )
    owner = SupervisionPersonSerializer(allow_null=True)
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    person_responsible = serializers.CharField(help_text=_("The member's or outsider's name."))
    overdue = serializers.SerializerMethodField()
    history = ActionEventSerializer(many=True, source="events")

    class Meta:
        model = ActionPoint
        fields = [
            "id",
            "record",
            "description",
            "owner",
            "owner_name",
            "person_responsible",
            "due_date",
            "status",
            "closed_on",
            "overdue",
            "history",
        ]

    def get_overdue(self, obj: ActionPoint) -> bool:
        return obj.is_overdue()


class SupervisionRecordSerializer(serializers.ModelSerializer[SupervisionRecord]):
    organisation = serializers.SlugField(source="organisation.slug")
    manager = SupervisionPersonSerializer()
    supervisor = SupervisionPersonSerializer()
    status = serializers.ChoiceField(choices=RecordStatus.choices)

    class Meta:
        model = SupervisionRecord
        fields = [
            "id",
            "organisation",
            "manager",
            "supervisor",
            "date",
            "agenda",
            "notes",
            "review_date",
            "status",
            "previous",
            "finalised_at",
            "created_at",
        ]


class SupervisionRecordDetailSerializer(SupervisionRecordSerializer):
    agreed_actions = ActionPointSerializer(many=True, help_text=_("Agreed in this record."))
    carried_actions = ActionPointSerializer(
        many=True, help_text=_("Carried in from earlier supervision, to be reviewed here.")
    )

    class Meta(SupervisionRecordSerializer.Meta):
        fields = [*SupervisionRecordSerializer.Meta.fields, "agreed_actions", "carried_actions"]


class RecordCreateSerializer(serializers.Serializer[Any]):
    organisation = serializers.SlugField()
    manager = serializers.IntegerField(help_text=_("The id of the person you supervise."))
    date = serializers.DateField()
    review_date = serializers.DateField()
    agenda = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class RecordUpdateSerializer(serializers.Serializer[Any]):
    date = serializers.DateField(required=False)
    review_date = serializers.DateField(required=False)
    agenda = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class ActionCreateSerializer(serializers.Serializer[Any]):
    record = serializers.IntegerField()
    description = serializers.CharField(max_length=500)
    due_date = serializers.DateField()
    owner = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("A member's id; or give owner_name.")
    )
    owner_name = serializers.CharField(required=False, allow_blank=True, default="")


class ActionReviewSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=[(o, o) for o in services.Outcome.ALL])
    due_date = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    record = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("The supervision it was reviewed in.")
    )


class AppraisalObjectiveSerializer(serializers.ModelSerializer[AppraisalObjective]):
    class Meta:
        model = AppraisalObjective
        fields = ["id", "title", "specific", "measure", "target_date", "objective"]


class AppraisalSerializer(serializers.ModelSerializer[Appraisal]):
    organisation = serializers.SlugField(source="organisation.slug")
    manager = SupervisionPersonSerializer()
    supervisor = SupervisionPersonSerializer()
    supervisor_signed_by = SupervisionPersonSerializer(allow_null=True)
    locked = serializers.BooleanField(source="is_locked")
    objectives = AppraisalObjectiveSerializer(many=True)

    class Meta:
        model = Appraisal
        fields = [
            "id",
            "organisation",
            "manager",
            "supervisor",
            "date",
            "period_start",
            "period_end",
            "discussion",
            "pms_revision",
            "objectives",
            "manager_signed_at",
            "supervisor_signed_by",
            "supervisor_signed_at",
            "locked",
            "reopened_at",
        ]


class CpdLookBackEntrySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    date = serializers.DateField()
    title = serializers.CharField()
    hours = serializers.DecimalField(max_digits=6, decimal_places=2)


class LookBackSerializer(serializers.Serializer[Any]):
    cpd_entries = CpdLookBackEntrySerializer(many=True, help_text=_("Shared entries only."))
    cpd_hours = serializers.DecimalField(max_digits=9, decimal_places=2)
    cpd_credits = serializers.DecimalField(max_digits=9, decimal_places=1)
    objective_counts = serializers.DictField(child=serializers.IntegerField())


class AppraisalCreateSerializer(serializers.Serializer[Any]):
    organisation = serializers.SlugField()
    manager = serializers.IntegerField()
    date = serializers.DateField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    discussion = serializers.CharField(required=False, allow_blank=True, default="")


class AppraisalUpdateSerializer(serializers.Serializer[Any]):
    date = serializers.DateField(required=False)
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)
    discussion = serializers.CharField(required=False, allow_blank=True)


class PmsReviseSerializer(serializers.Serializer[Any]):
    job_title = serializers.CharField(max_length=200)
    manager_level = serializers.ChoiceField(choices=ManagerLevel.choices)
    job_description = serializers.CharField(required=False, allow_blank=True, default="")
    change_note = serializers.CharField(required=False, allow_blank=True, default="")


class ObjectiveProposeSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=300)
    specific = serializers.CharField()
    measure = serializers.CharField()
    target_date = serializers.DateField()


class ReopenSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=500)


def _manager_in(request: Request, slug: str, manager_id: int) -> tuple[Any, User]:
    organisation, _roles = organisation_for(int(request.user.pk or 0), slug)
    manager = User.objects.filter(pk=manager_id, memberships__organisation=organisation).first()
    if manager is None:
        raise ValidationError({"manager": [_("No member of the organisation has that id.")]})
    return organisation, manager


# --- records ------------------------------------------------------------------------------


class RecordFilter(django_filters.FilterSet):
    organisation = django_filters.CharFilter(field_name="organisation__slug")
    manager = django_filters.NumberFilter(field_name="manager_id")

    class Meta:
        model = SupervisionRecord
        fields = ["organisation", "manager"]


@extend_schema_view(
    list=extend_schema(summary=_("Supervision records you may see, newest first")),
    retrieve=extend_schema(summary=_("A supervision record with its action points")),
    create=extend_schema(
        summary=_("Start the next supervision record of someone you supervise"),
        request=RecordCreateSerializer,
        responses={201: SupervisionRecordDetailSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Change a draft record"),
        request=RecordUpdateSerializer,
        responses={200: SupervisionRecordDetailSerializer},
    ),
)
class SupervisionRecordViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[SupervisionRecord],
):
    filterset_class = RecordFilter
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[SupervisionRecord]:
        if getattr(self, "swagger_fake_view", False):
            return SupervisionRecord.objects.none()
        return (
            selectors.visible_records(_user(self.request))
            .select_related("organisation", "manager", "supervisor")
            .order_by("-date", "-id")
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return (
            SupervisionRecordSerializer
            if self.action == "list"
            else SupervisionRecordDetailSerializer
        )

    def _detail(self, record: SupervisionRecord, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=record.pk)
        actions = selectors.record_actions(fresh)
        fresh.agreed_actions = actions.agreed  # type: ignore[attr-defined]
        fresh.carried_actions = actions.carried  # type: ignore[attr-defined]
        return Response(SupervisionRecordDetailSerializer(fresh).data, status=code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._detail(self.get_object())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = RecordCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        organisation, manager = _manager_in(request, v.pop("organisation"), v.pop("manager"))
        record = _call(
            services.supervision_record_create,
            actor=_user(request),
            organisation=organisation,
            manager=manager,
            **v,
        )
        return self._detail(record, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        data = RecordUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        _call(
            services.supervision_record_update,
            actor=_user(request),
            record=record,
            data=dict(data.validated_data),
        )
        return self._detail(record)

    @extend_schema(
        summary=_("Finalise the record and circulate it by email"),
        request=None,
        responses={200: SupervisionRecordDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def finalise(self, request: Request, pk: str | None = None) -> Response:
        record = self.get_object()
        _call(
            services.supervision_record_finalise,
            actor=_user(request),
            record=record,
            site_url=request.build_absolute_uri("/"),
        )
        return self._detail(record)


# --- action points ------------------------------------------------------------------------


class ActionFilter(django_filters.FilterSet):
    record = django_filters.NumberFilter(field_name="record_id")
    manager = django_filters.NumberFilter(field_name="manager_id")
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices)

    class Meta:
        model = ActionPoint
        fields = ["record", "manager", "status"]


@extend_schema_view(
    list=extend_schema(summary=_("Action points of the supervision you may see")),
    retrieve=extend_schema(summary=_("An action point with its history")),
    create=extend_schema(
        summary=_("Agree an action point in a draft record"),
        request=ActionCreateSerializer,
        responses={201: ActionPointSerializer},
    ),
)
class ActionPointViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[ActionPoint],
):
    serializer_class = ActionPointSerializer
    filterset_class = ActionFilter
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[ActionPoint]:
        if getattr(self, "swagger_fake_view", False):
            return ActionPoint.objects.none()
        return (
            selectors.visible_actions(_user(self.request))
            .select_related("owner", "record")
            .prefetch_related(Prefetch("events", queryset=ActionEvent.objects.order_by("at", "id")))
            .order_by("due_date", "id")
        )

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(ActionPointSerializer(self.get_queryset().get(pk=pk)).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ActionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        record = selectors.visible_records(_user(request)).filter(pk=v["record"]).first()
        if record is None:
            raise ValidationError({"record": [_("No supervision record you can see has that id.")]})
        owner = None
        if v.get("owner"):
            owner = User.objects.filter(
                pk=v["owner"], memberships__organisation_id=record.organisation_id
            ).first()
            if owner is None:
                raise ValidationError({"owner": [_("Choose a member of the organisation")]})
        made = _call(
            services.action_point_add,
            actor=_user(request),
            record=record,
            description=v["description"],
            due_date=v["due_date"],
            owner=owner,
            owner_name=v.get("owner_name", ""),
        )
        return self._detail(made.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Review an action point: done, keep-open, redate, drop or reopen"),
        request=ActionReviewSerializer,
        responses={200: ActionPointSerializer},
    )
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str | None = None) -> Response:
        point = self.get_object()
        data = ActionReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        record = None
        if v.get("record"):
            record = selectors.visible_records(_user(request)).filter(pk=v["record"]).first()
            if record is None:
                raise ValidationError(
                    {"record": [_("No supervision record you can see has that id.")]}
                )
        _call(
            services.action_point_update,
            actor=_user(request),
            action=point,
            outcome=v["outcome"],
            due_date=v.get("due_date"),
            note=v.get("note", ""),
            record=record,
        )
        return self._detail(point.pk)


# --- appraisals ---------------------------------------------------------------------------


class AppraisalFilter(django_filters.FilterSet):
    organisation = django_filters.CharFilter(field_name="organisation__slug")
    manager = django_filters.NumberFilter(field_name="manager_id")

    class Meta:
        model = Appraisal
        fields = ["organisation", "manager"]


@extend_schema_view(
    list=extend_schema(summary=_("Appraisals you may see, newest first")),
    retrieve=extend_schema(summary=_("An appraisal")),
    create=extend_schema(
        summary=_("Start an appraisal of someone you supervise"),
        request=AppraisalCreateSerializer,
        responses={201: AppraisalSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Change an appraisal that is not locked"),
        request=AppraisalUpdateSerializer,
        responses={200: AppraisalSerializer},
    ),
)
class AppraisalViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Appraisal],
):
    serializer_class = AppraisalSerializer
    filterset_class = AppraisalFilter
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Appraisal]:
        if getattr(self, "swagger_fake_view", False):
            return Appraisal.objects.none()
        return (
            selectors.visible_appraisals(_user(self.request))
            .select_related("organisation", "manager", "supervisor", "supervisor_signed_by")
            .prefetch_related("objectives")
            .order_by("-date", "-id")
        )

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(AppraisalSerializer(self.get_queryset().get(pk=pk)).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = AppraisalCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        organisation, manager = _manager_in(request, v.pop("organisation"), v.pop("manager"))
        made = _call(
            services.appraisal_create,
            actor=_user(request),
            organisation=organisation,
            manager=manager,
            **v,
        )
        return self._detail(made.pk, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        appraisal = self.get_object()
        data = AppraisalUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        _call(
            services.appraisal_update,
            actor=_user(request),
            appraisal=appraisal,
            data=dict(data.validated_data),
        )
        return self._detail(appraisal.pk)

    @extend_schema(
        summary=_("The look back: shared CPD entries and hours in the period; plan objectives"),
        responses={200: LookBackSerializer},
    )
    @action(detail=True, methods=["get"], url_path="look-back")
    def look_back(self, request: Request, pk: str | None = None) -> Response:
        back = selectors.look_back(self.get_object())
        return Response(
            LookBackSerializer(
                {
                    "cpd_entries": back.cpd_entries,
                    "cpd_hours": back.cpd_hours,
                    "cpd_credits": back.cpd_credits,
                    "objective_counts": back.objective_counts,
                }
            ).data
        )

    @extend_schema(
        summary=_("Revise the PMS: a new revision linked to the appraisal"),
        request=PmsReviseSerializer,
        responses={200: AppraisalSerializer},
    )
    @action(detail=True, methods=["post"], url_path="revise-pms")
    def revise_pms(self, request: Request, pk: str | None = None) -> Response:
        appraisal = self.get_object()
        data = PmsReviseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _call(
            services.appraisal_revise_pms,
            actor=_user(request),
            appraisal=appraisal,
            **dict(data.validated_data),
        )
        return self._detail(appraisal.pk)

    @extend_schema(
        summary=_("Propose a next objective"),
        request=ObjectiveProposeSerializer,
        responses={201: AppraisalSerializer},
    )
    @action(detail=True, methods=["post"])
    def objectives(self, request: Request, pk: str | None = None) -> Response:
        appraisal = self.get_object()
        data = ObjectiveProposeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _call(
            services.appraisal_objective_propose,
            actor=_user(request),
            appraisal=appraisal,
            **dict(data.validated_data),
        )
        return self._detail(appraisal.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("The manager agrees the proposed objectives onto her plan"),
        request=None,
        responses={200: AppraisalSerializer},
    )
    @action(detail=True, methods=["post"], url_path="agree-objectives")
    def agree_objectives(self, request: Request, pk: str | None = None) -> Response:
        appraisal = self.get_object()
        _call(services.appraisal_agree_objectives, actor=_user(request), appraisal=appraisal)
        return self._detail(appraisal.pk)

    @extend_schema(
        summary=_("Sign the appraisal"), request=None, responses={200: AppraisalSerializer}
    )
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: str | None = None) -> Response:
        appraisal = self.get_object()
        _call(services.appraisal_sign, actor=_user(request), appraisal=appraisal)
        return self._detail(appraisal.pk)

    @extend_schema(
        summary=_("Reopen a locked appraisal, with the reason"),
        request=ReopenSerializer,
        responses={200: AppraisalSerializer},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        appraisal = self.get_object()
        data = ReopenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _call(
            services.appraisal_reopen,
            actor=_user(request),
            appraisal=appraisal,
            reason=data.validated_data["reason"],
        )
        return self._detail(appraisal.pk)


def register(router: Any) -> None:
    router.register("supervision-records", SupervisionRecordViewSet, basename="supervision-record")
    router.register("supervision-actions", ActionPointViewSet, basename="supervision-action")
    router.register("appraisals", AppraisalViewSet, basename="appraisal")
