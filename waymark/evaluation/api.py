"""Evaluation and action plans in the REST API, scoped as the pages are:

- /api/v1/organisations/{org_slug}/evaluations/ — L&D leads and admins: every evaluation
  of the organisation (and create organisation evaluations); anyone else: her own
  individual evaluations only. Reading one gives its five levels' headlines, computed
  with the same suppression as the pages.
- …/indicators/ and …/indicators/{indicator_id}/values/ — L&D leads and admins.
- …/action-plans/, …/action-plans/{plan_id}/objectives/ and
  …/objectives/{objective_id}/progress/ — L&D leads and admins.

Anyone outside the organisation gets 404; a member without the role gets 403."""

from __future__ import annotations

from typing import Any, NoReturn

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from waymark.accounts.models import User
from waymark.organisations.middleware import organisation_for
from waymark.organisations.models import Organisation
from waymark.programmes.models import Module, Programme

from . import selectors, services
from .models import (
    ActionPlan,
    ActionPlanObjective,
    Evaluation,
    Indicator,
    IndicatorValue,
    ProgressUpdate,
)


class Scoped:
    """Resolve the organisation in the URL before anything else: non-members get 404."""

    organisation: Organisation
    roles: frozenset[str]
    kwargs: dict[str, Any]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.perform_authentication(request)  # type: ignore[attr-defined]
        if request.user and request.user.is_authenticated:
            assert request.user.pk is not None
            self.organisation, self.roles = organisation_for(
                int(request.user.pk), kwargs["org_slug"]
            )
        super().initial(request, *args, **kwargs)  # type: ignore[misc]

    def user(self) -> User:
        user = self.request.user  # type: ignore[attr-defined]
        assert isinstance(user, User)
        return user

    def require_manager(self) -> None:
        if not selectors.can_manage(self.roles):
            raise PermissionDenied(_("Only learning and development leads and admins do this."))

    def fake(self) -> bool:
        return getattr(self, "swagger_fake_view", False) or not hasattr(self, "organisation")

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()  # type: ignore[misc]
        if hasattr(self, "organisation"):
            context["organisation"] = self.organisation
        return context


def _raise(error: DjangoValidationError) -> NoReturn:
    if hasattr(error, "error_dict"):
        raise ValidationError(
            {
                ("non_field_errors" if k == "__all__" else k): v
                for k, v in error.message_dict.items()
            }
        ) from error
    raise ValidationError({"non_field_errors": error.messages}) from error


# --- serializers -----------------------------------------------------------------------------


class LevelSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    name = serializers.CharField()
    headline = serializers.CharField(allow_null=True, help_text=_("Null: not yet evaluated."))
    findings = serializers.CharField()


class EvaluationSerializer(serializers.ModelSerializer[Evaluation]):
    levels = serializers.SerializerMethodField()
    indicators = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Indicator.objects.none(), required=False
    )
    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.none(), required=False, allow_null=True
    )
    module = serializers.PrimaryKeyRelatedField(
        queryset=Module.objects.none(), required=False, allow_null=True
    )

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "title",
            "manager",
            "programme",
            "module",
            "activity",
            "kind",
            "purpose",
            "period_start",
            "period_end",
            "status",
            "learning_after",
            "findings_reactions",
            "findings_learning",
            "findings_application",
            "findings_organisation",
            "findings_stakeholders",
            "indicators",
            "levels",
        ]
        read_only_fields = ["id", "manager", "activity", "levels"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = self.context.get("organisation")
        if org is not None:
            fields: Any = self.fields
            fields["indicators"].child_relation.queryset = Indicator.objects.filter(
                organisation=org
            )
            fields["programme"].queryset = Programme.objects.filter(organisation=org)
            fields["module"].queryset = Module.objects.filter(programme__organisation=org)

    @extend_schema_field(LevelSerializer(many=True))
    def get_levels(self, obj: Evaluation) -> list[dict[str, Any]]:
        return [
            {"number": lv.number, "name": lv.name, "headline": lv.headline, "findings": lv.findings}
            for lv in selectors.summary(obj)
        ]


class EvaluationListSerializer(EvaluationSerializer):
    """The list leaves the levels out (each is computed); read one evaluation for them."""

    class Meta(EvaluationSerializer.Meta):
        fields = [f for f in EvaluationSerializer.Meta.fields if f != "levels"]
        read_only_fields = ["id", "manager", "activity"]


class IndicatorValueSerializer(serializers.ModelSerializer[IndicatorValue]):
    class Meta:
        model = IndicatorValue
        fields = ["id", "date", "value", "note"]
        read_only_fields = ["id"]


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    class Meta:
        model = Indicator
        fields = ["id", "name", "description", "unit", "direction", "target"]
        read_only_fields = ["id"]


class ProgressUpdateSerializer(serializers.ModelSerializer[ProgressUpdate]):
    class Meta:
        model = ProgressUpdate
        fields = ["id", "date", "note", "status", "value"]
        read_only_fields = ["id"]


class ActionPlanObjectiveSerializer(serializers.ModelSerializer[ActionPlanObjective]):
    overdue = serializers.SerializerMethodField()
    indicator = serializers.PrimaryKeyRelatedField(
        queryset=Indicator.objects.none(), required=False, allow_null=True
    )
    responsible = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), required=False, allow_null=True
    )

    class Meta:
        model = ActionPlanObjective
        fields = [
            "id",
            "objective",
            "performance_indicator",
            "indicator",
            "target",
            "target_value",
            "due_date",
            "responsible",
            "responsible_text",
            "status",
            "overdue",
        ]
        read_only_fields = ["id", "overdue"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = self.context.get("organisation")
        if org is not None:
            fields: Any = self.fields
            fields["indicator"].queryset = Indicator.objects.filter(organisation=org)
            fields["responsible"].queryset = User.objects.filter(
                memberships__organisation=org
            ).distinct()

    def get_overdue(self, obj: ActionPlanObjective) -> bool:
        return obj.is_overdue(timezone.localdate())


class ActionPlanSerializer(serializers.ModelSerializer[ActionPlan]):
    evaluations = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Evaluation.objects.none(), required=False
    )
    reports_to = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), required=False, allow_null=True
    )
    report_names = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=_("Names of reports, such as learning-needs."),
    )

    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "title",
            "aims",
            "start_date",
            "status",
            "reports_to",
            "reports_to_text",
            "evaluations",
            "report_names",
        ]
        read_only_fields = ["id"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = self.context.get("organisation")
        if org is not None:
            fields: Any = self.fields
            fields["evaluations"].child_relation.queryset = Evaluation.objects.filter(
                organisation=org, manager__isnull=True
            )
            fields["reports_to"].queryset = User.objects.filter(
                memberships__organisation=org
            ).distinct()


# --- views -----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("Evaluations you may see (read one for its five levels)")),
    retrieve=extend_schema(summary=_("An evaluation with its five levels")),
    create=extend_schema(
        summary=_("Create an evaluation: the organisation's (L&D leads, admins) or your own")
    ),
)
class EvaluationViewSet(
    Scoped,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Evaluation],
):
    serializer_class = EvaluationSerializer
    lookup_url_kwarg = "evaluation_id"
    lookup_value_converter = "int"
    filter_backends: list[Any] = []

    def get_serializer_class(self) -> Any:
        return EvaluationListSerializer if self.action == "list" else EvaluationSerializer

    def get_queryset(self) -> Any:
        if self.fake():
            return Evaluation.objects.none()
        return (
            selectors.evaluations_visible_to(self.user(), self.organisation, self.roles)
            .select_related("organisation", "programme", "module", "activity")
            .prefetch_related("indicators")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # L&D leads and admins create the organisation's evaluations; anyone else
        # creates her own individual evaluation, as on the pages.
        manager = None if selectors.can_manage(self.roles) else self.user()
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            evaluation = services.evaluation_create(
                manager=manager,
                actor=self.user(),
                organisation=self.organisation,
                data=services.EvaluationInput(
                    title=v["title"],
                    kind=v["kind"],
                    purpose=v["purpose"],
                    period_start=v["period_start"],
                    period_end=v["period_end"],
                    status=v.get("status", "planned"),
                    programme=v.get("programme"),
                    module=v.get("module"),
                    learning_after=v.get("learning_after"),
                    findings_reactions=v.get("findings_reactions", ""),
                    findings_learning=v.get("findings_learning", ""),
                    findings_application=v.get("findings_application", ""),
                    findings_organisation=v.get("findings_organisation", ""),
                    findings_stakeholders=v.get("findings_stakeholders", ""),
                    indicators=list(v.get("indicators", [])),
                ),
            )
        except DjangoValidationError as e:
            _raise(e)
        return Response(self.get_serializer(evaluation).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary=_("The organisation's indicators (L&D leads and admins)")),
    retrieve=extend_schema(summary=_("An indicator")),
    create=extend_schema(summary=_("Add an indicator")),
)
class IndicatorViewSet(
    Scoped,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Indicator],
):
    serializer_class = IndicatorSerializer
    lookup_url_kwarg = "indicator_id"
    lookup_value_converter = "int"
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        if self.fake():
            return Indicator.objects.none()
        self.require_manager()
        return Indicator.objects.filter(organisation=self.organisation)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.require_manager()
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            indicator = services.indicator_create(
                actor=self.user(),
                organisation=self.organisation,
                data=services.IndicatorInput(
                    name=v["name"],
                    unit=v.get("unit", ""),
                    direction=v.get("direction", "up"),
                    target=v.get("target"),
                    description=v.get("description", ""),
                ),
            )
        except DjangoValidationError as e:
            _raise(e)
        return Response(self.get_serializer(indicator).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary=_("An indicator's values, oldest first")),
    create=extend_schema(summary=_("Record the indicator's value on a date")),
)
class IndicatorValueViewSet(
    Scoped, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet[IndicatorValue]
):
    serializer_class = IndicatorValueSerializer
    filter_backends: list[Any] = []
    pagination_class = None

    def indicator(self) -> Indicator:
        self.require_manager()
        return get_object_or_404(
            Indicator, organisation=self.organisation, pk=self.kwargs["indicator_id"]
        )

    def get_queryset(self) -> Any:
        if self.fake():
            return IndicatorValue.objects.none()
        return IndicatorValue.objects.filter(indicator=self.indicator()).order_by("date", "id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        indicator = self.indicator()
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            row = services.indicator_value_add(
                actor=self.user(),
                organisation=self.organisation,
                indicator_id=indicator.pk,
                date=v["date"],
                value=v["value"],
                note=v.get("note", ""),
            )
        except DjangoValidationError as e:
            _raise(e)
        return Response(self.get_serializer(row).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary=_("The organisation's action plans (L&D leads and admins)")),
    retrieve=extend_schema(summary=_("An action plan")),
    create=extend_schema(summary=_("Create an action plan")),
)
class ActionPlanViewSet(
    Scoped,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[ActionPlan],
):
    serializer_class = ActionPlanSerializer
    lookup_url_kwarg = "plan_id"
    lookup_value_converter = "int"
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        if self.fake():
            return ActionPlan.objects.none()
        self.require_manager()
        return ActionPlan.objects.filter(organisation=self.organisation).prefetch_related(
            "evaluations"
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.require_manager()
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            plan = services.action_plan_create(
                actor=self.user(),
                organisation=self.organisation,
                data=services.ActionPlanInput(
                    title=v["title"],
                    start_date=v["start_date"],
                    aims=v.get("aims", ""),
                    status=v.get("status", "draft"),
                    reports_to=v.get("reports_to"),
                    reports_to_text=v.get("reports_to_text", ""),
                    evaluations=list(v.get("evaluations", [])),
                    report_names=list(v.get("report_names", [])),
                ),
            )
        except DjangoValidationError as e:
            _raise(e)
        return Response(self.get_serializer(plan).data, status=status.HTTP_201_CREATED)


class PlanScoped(Scoped):
    def plan(self) -> ActionPlan:
        self.require_manager()
        return get_object_or_404(
            ActionPlan.objects.select_related("organisation"),
            organisation=self.organisation,
            pk=self.kwargs["plan_id"],
        )


@extend_schema_view(
    list=extend_schema(summary=_("An action plan's objectives")),
    create=extend_schema(summary=_("Add an objective")),
)
class ObjectiveViewSet(
    PlanScoped,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[ActionPlanObjective],
):
    serializer_class = ActionPlanObjectiveSerializer
    filter_backends: list[Any] = []
    pagination_class = None

    def get_queryset(self) -> Any:
        if self.fake():
            return ActionPlanObjective.objects.none()
        return ActionPlanObjective.objects.filter(plan=self.plan())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan = self.plan()
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            objective = services.objective_add(
                actor=self.user(),
                plan=plan,
                data=services.ObjectiveInput(
                    objective=v["objective"],
                    due_date=v["due_date"],
                    performance_indicator=v.get("performance_indicator", ""),
                    indicator=v.get("indicator"),
                    target=v.get("target", ""),
                    target_value=v.get("target_value"),
                    responsible=v.get("responsible"),
                    responsible_text=v.get("responsible_text", ""),
                    status=v.get("status", "not-started"),
                ),
            )
        except DjangoValidationError as e:
            _raise(e)
        return Response(self.get_serializer(objective).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary=_("Progress updates on an objective, latest first")),
    create=extend_schema(summary=_("Record progress on an objective")),
)
class ProgressViewSet(
    PlanScoped,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[ProgressUpdate],
):
    serializer_class = ProgressUpdateSerializer
    filter_backends: list[Any] = []
    pagination_class = None

    def objective(self) -> ActionPlanObjective:
        return get_object_or_404(
            ActionPlanObjective.objects.select_related("plan__organisation"),
            plan=self.plan(),
            pk=self.kwargs["objective_id"],
        )

    def get_queryset(self) -> Any:
        if self.fake():
            return ProgressUpdate.objects.none()
        return ProgressUpdate.objects.filter(objective=self.objective())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        objective = self.objective()
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            update = services.progress_add(
                actor=self.user(),
                objective=objective,
                date=v["date"],
                note=v["note"],
                status=v.get("status", ""),
                value=v.get("value"),
            )
        except DjangoValidationError as e:
            _raise(e)
        return Response(self.get_serializer(update).data, status=status.HTTP_201_CREATED)


def register(router: Any) -> None:
    org = "organisations/<slug:org_slug>"
    router.register(org + "/evaluations", EvaluationViewSet, basename="evaluation")
    router.register(org + "/indicators", IndicatorViewSet, basename="indicator")
    router.register(
        org + "/indicators/<int:indicator_id>/values",
        IndicatorValueViewSet,
        basename="indicator-value",
    )
    router.register(org + "/action-plans", ActionPlanViewSet, basename="action-plan")
    router.register(
        org + "/action-plans/<int:plan_id>/objectives",
        ObjectiveViewSet,
        basename="action-plan-objective",
    )
    router.register(
        org + "/action-plans/<int:plan_id>/objectives/<int:objective_id>/progress",
        ProgressViewSet,
        basename="action-plan-progress",
    )
