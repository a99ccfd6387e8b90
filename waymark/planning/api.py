"""Development plans in the REST API: /api/v1/plans/, /objectives/, /plan-activities/,
/plan-milestones/, and each plan's comments and agreement.

Scoped like the pages (`selectors.visible_plans`): a manager reaches her own plans; her
supervisor, mentors and coaches reach hers; the L&D leads and admins of her organisation
reach every plan there; nobody else reaches any (404). Only the manager writes her plan
(403 for anyone else who can see it); she, her supervisor, mentors and coaches comment;
only her supervisor agrees it. Framework items are addressed by their CASE identifiers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import django_filters
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
from waymark.frameworks.models import Node
from waymark.organisations.middleware import organisation_for

from . import services
from .models import (
    Activity,
    ActivityType,
    Milestone,
    Objective,
    ObjectiveStatus,
    Plan,
    PlanComment,
    PlanLevel,
    Route,
)
from .selectors import plan_comments, visible_plans
from .stages import STAGE_FIELDS

T = TypeVar("T")

# --- serializers --------------------------------------------------------------------------


class PlanPersonSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    full_name = serializers.CharField()


class PlanNodeSerializer(serializers.Serializer[Any]):
    node = serializers.UUIDField(source="identifier", help_text=_("The item's CASE identifier."))
    code = serializers.CharField()
    title = serializers.CharField(source="display_title")
    framework = serializers.SlugField(source="edition.framework.slug")


class ActivitySerializer(serializers.ModelSerializer[Activity]):
    objective: serializers.PrimaryKeyRelatedField[Objective] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )

    class Meta:
        model = Activity
        fields = ["id", "objective", "activity_type", "description", "planned_date"]


class MilestoneSerializer(serializers.ModelSerializer[Milestone]):
    objective: serializers.PrimaryKeyRelatedField[Objective] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )

    class Meta:
        model = Milestone
        fields = ["id", "objective", "title", "due_date", "done"]


class ObjectiveSerializer(serializers.ModelSerializer[Objective]):
    plan: serializers.PrimaryKeyRelatedField[Plan] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    nodes = PlanNodeSerializer(many=True, help_text=_("The competences it addresses."))
    activities = ActivitySerializer(many=True)
    milestones = MilestoneSerializer(many=True)
    smart_complete = serializers.BooleanField(
        source="is_smart_complete", help_text=_("Whether every SMART part is written.")
    )

    class Meta:
        model = Objective
        fields = [
            "id",
            "plan",
            "level",
            "title",
            "specific",
            "measure",
            "achievable",
            "relevant",
            "target_date",
            "status",
            "support_needed",
            "nodes",
            "activities",
            "milestones",
            "smart_complete",
            "created_at",
            "changed_at",
        ]


class PlanObjectiveSummarySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    level = serializers.ChoiceField(choices=PlanLevel.choices)
    title = serializers.CharField()
    target_date = serializers.DateField()
    status = serializers.ChoiceField(choices=ObjectiveStatus.choices)


class PlanSerializer(serializers.ModelSerializer[Plan]):
    organisation = serializers.SlugField(source="organisation.slug")
    manager = PlanPersonSerializer()
    agreed_by = PlanPersonSerializer(allow_null=True)
    changed_since_agreed = serializers.BooleanField(
        help_text=_("The manager changed the plan after it was agreed.")
    )

    class Meta:
        model = Plan
        fields = [
            "id",
            "organisation",
            "manager",
            "title",
            "period_start",
            "period_end",
            "route",
            *STAGE_FIELDS,
            "strengths",
            "weaknesses",
            "opportunities",
            "threats",
            "agreed_by",
            "agreed_at",
            "changed_at",
            "changed_since_agreed",
            "created_at",
        ]


class PlanDetailSerializer(PlanSerializer):
    objectives = PlanObjectiveSummarySerializer(many=True, source="objective_list")

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "objectives"]


class PlanCreateSerializer(serializers.Serializer[Any]):
    organisation = serializers.SlugField(
        help_text=_("The organisation the plan belongs to (its short name).")
    )
    title = serializers.CharField(max_length=200)
    period_start = serializers.DateField(required=False, allow_null=True)
    period_end = serializers.DateField(required=False, allow_null=True)
    route = serializers.ChoiceField(choices=Route.choices, default=Route.OUTCOMES.value)


class PlanUpdateSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200, required=False)
    period_start = serializers.DateField(required=False, allow_null=True)
    period_end = serializers.DateField(required=False, allow_null=True)
    route = serializers.ChoiceField(choices=Route.choices, required=False)
    ideal_self = serializers.CharField(required=False, allow_blank=True)
    real_self = serializers.CharField(required=False, allow_blank=True)
    learning_agenda = serializers.CharField(required=False, allow_blank=True)
    practice = serializers.CharField(required=False, allow_blank=True)
    supportive_relationships = serializers.CharField(required=False, allow_blank=True)
    strengths = serializers.CharField(required=False, allow_blank=True)
    weaknesses = serializers.CharField(required=False, allow_blank=True)
    opportunities = serializers.CharField(required=False, allow_blank=True)
    threats = serializers.CharField(required=False, allow_blank=True)


class CommentSerializer(serializers.ModelSerializer[PlanComment]):
    author = PlanPersonSerializer(allow_null=True)
    author_role = serializers.CharField(
        help_text=_("How the author relates to the manager: Manager, Supervisor, Mentor …")
    )

    class Meta:
        model = PlanComment
        fields = ["id", "author", "author_role", "body", "created_at"]


class CommentCreateSerializer(serializers.Serializer[Any]):
    body = serializers.CharField(max_length=5000)


class ObjectiveWriteSerializer(serializers.Serializer[Any]):
    """Fields an objective is written with; all required when creating."""

    title = serializers.CharField(max_length=300)
    specific = serializers.CharField()
    measure = serializers.CharField()
    achievable = serializers.CharField()
    relevant = serializers.CharField()
    target_date = serializers.DateField()
    level = serializers.ChoiceField(choices=PlanLevel.choices, default=PlanLevel.OTHER.value)
    support_needed = serializers.CharField(required=False, allow_blank=True, default="")
    nodes = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        help_text=_("CASE identifiers of competences in the manager's current PMS."),
    )


class ObjectiveCreateSerializer(ObjectiveWriteSerializer):
    plan = serializers.IntegerField(help_text=_("The plan to add the objective to."))


class ObjectiveUpdateSerializer(ObjectiveWriteSerializer):
    """Send only what changes (validated as a partial update)."""

    status = serializers.ChoiceField(choices=ObjectiveStatus.choices, required=False)


class ActivityWriteSerializer(serializers.Serializer[Any]):
    objective = serializers.IntegerField()
    activity_type = serializers.ChoiceField(choices=ActivityType.choices)
    description = serializers.CharField(max_length=500)
    planned_date = serializers.DateField(required=False, allow_null=True)


class ActivityUpdateSerializer(serializers.Serializer[Any]):
    activity_type = serializers.ChoiceField(choices=ActivityType.choices, required=False)
    description = serializers.CharField(max_length=500, required=False)
    planned_date = serializers.DateField(required=False, allow_null=True)


class MilestoneWriteSerializer(serializers.Serializer[Any]):
    objective = serializers.IntegerField()
    title = serializers.CharField(max_length=300)
    due_date = serializers.DateField()
    done = serializers.BooleanField(required=False, default=False)


class MilestoneUpdateSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=300, required=False)
    due_date = serializers.DateField(required=False)
    done = serializers.BooleanField(required=False)


# --- helpers ------------------------------------------------------------------------------


def _user(request: Request) -> User:
    return request.user  # type: ignore[return-value]


def _call(fn: Callable[..., T], **kwargs: Any) -> T:
    """Run a service, answering its ValidationError as a 400 keyed by field."""
    try:
        return fn(**kwargs)
    except DjangoValidationError as e:
        if hasattr(e, "error_dict"):
            raise ValidationError(e.message_dict) from e
        raise ValidationError({"non_field_errors": e.messages}) from e


def _own(request: Request, plan: Plan) -> None:
    if plan.manager_id != request.user.pk:
        raise PermissionDenied(_("Only the manager can change their own plan."))


def _visible_objectives(user: User) -> QuerySet[Objective]:
    return Objective.objects.filter(plan__in=visible_plans(user))


def _nodes(identifiers: list[Any]) -> list[Node]:
    found = {n.identifier: n for n in Node.objects.filter(identifier__in=identifiers)}
    unknown = [str(i) for i in identifiers if i not in found]
    if unknown:
        raise ValidationError(
            {
                "nodes": [
                    _("No framework item has the identifier %(ids)s.") % {"ids": ", ".join(unknown)}
                ]
            }
        )
    return [found[i] for i in identifiers]


def _objective_prefetch(qs: QuerySet[Objective]) -> QuerySet[Objective]:
    return qs.prefetch_related(
        Prefetch(
            "nodes",
            queryset=Node.objects.select_related("edition__framework").order_by(
                "edition_id", "path"
            ),
        ),
        Prefetch("activities", queryset=Activity.objects.order_by("planned_date", "id")),
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "id")),
    )


# --- plans --------------------------------------------------------------------------------


class PlanFilter(django_filters.FilterSet):
    organisation = django_filters.CharFilter(
        field_name="organisation__slug", help_text=_("Only this organisation's (short name).")
    )
    manager = django_filters.CharFilter(
        field_name="manager__email",
        lookup_expr="iexact",
        help_text=_("Only this manager's (email)."),
    )

    class Meta:
        model = Plan
        fields = ["organisation", "manager"]


@extend_schema_view(
    list=extend_schema(summary=_("Development plans you may see, newest first")),
    retrieve=extend_schema(summary=_("A development plan with a list of its objectives")),
    create=extend_schema(
        summary=_("Start a development plan of your own"),
        request=PlanCreateSerializer,
        responses={201: PlanDetailSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Change your plan's details, route, guided stages or SWOT"),
        request=PlanUpdateSerializer,
        responses={200: PlanDetailSerializer},
    ),
)
class PlanViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Plan],
):
    filterset_class = PlanFilter
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Plan]:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema
            return Plan.objects.none()
        qs = (
            visible_plans(_user(self.request))
            .select_related("organisation", "manager", "agreed_by")
            .order_by("-created_at", "-id")
        )
        if self.action != "list":
            qs = qs.prefetch_related(
                Prefetch(
                    "objectives",
                    queryset=Objective.objects.order_by("level", "sequence", "id"),
                    to_attr="objective_list",
                )
            )
        return qs

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return PlanSerializer if self.action == "list" else PlanDetailSerializer

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(PlanDetailSerializer(self.get_queryset().get(pk=pk)).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = PlanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        organisation, _roles = organisation_for(int(request.user.pk or 0), v.pop("organisation"))
        plan = _call(
            services.plan_create,
            actor=_user(request),
            organisation=organisation,
            manager=_user(request),
            **v,
        )
        return self._detail(plan.pk, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan = self.get_object()
        _own(request, plan)
        data = PlanUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _call(services.plan_update, actor=_user(request), plan=plan, data=data.validated_data)
        return self._detail(plan.pk)

    @extend_schema(
        summary=_("Agree the plan (the manager's supervisor only)"),
        request=None,
        responses={200: PlanDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def agree(self, request: Request, pk: str | None = None) -> Response:
        plan = self.get_object()
        _call(services.plan_agree, actor=_user(request), plan=plan)
        return self._detail(plan.pk)

    @extend_schema(
        methods=["GET"],
        summary=_("The plan's comments, oldest first"),
        responses={200: CommentSerializer(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        summary=_("Comment on the plan (the manager, their supervisor, mentors and coaches)"),
        request=CommentCreateSerializer,
        responses={201: CommentSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def comments(self, request: Request, pk: str | None = None) -> Response:
        plan = self.get_object()
        if request.method == "POST":
            data = CommentCreateSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            comment = _call(
                services.plan_comment_add,
                actor=_user(request),
                plan=plan,
                body=data.validated_data["body"],
            )
            made = next(c for c in plan_comments(plan) if c.pk == comment.pk)
            return Response(CommentSerializer(made).data, status=status.HTTP_201_CREATED)
        return Response(CommentSerializer(plan_comments(plan), many=True).data)


# --- objectives ---------------------------------------------------------------------------


class ObjectiveFilter(django_filters.FilterSet):
    plan = django_filters.NumberFilter(field_name="plan_id", help_text=_("Only this plan's."))
    status = django_filters.ChoiceFilter(choices=ObjectiveStatus.choices)
    level = django_filters.ChoiceFilter(choices=PlanLevel.choices)

    class Meta:
        model = Objective
        fields = ["plan", "status", "level"]


@extend_schema_view(
    list=extend_schema(
        summary=_("Objectives of the plans you may see, with activities and milestones")
    ),
    retrieve=extend_schema(summary=_("An objective with its activities and milestones")),
    create=extend_schema(
        summary=_("Add a SMART objective to your plan"),
        request=ObjectiveCreateSerializer,
        responses={201: ObjectiveSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Change your objective, or its status"),
        request=ObjectiveUpdateSerializer,
        responses={200: ObjectiveSerializer},
    ),
)
class ObjectiveViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Objective],
):
    serializer_class = ObjectiveSerializer
    filterset_class = ObjectiveFilter
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Objective]:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema
            return Objective.objects.none()
        return _objective_prefetch(
            _visible_objectives(_user(self.request))
            .select_related("plan")
            .order_by("-plan__created_at", "plan_id", "level", "sequence", "id")
        )

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(ObjectiveSerializer(self.get_queryset().get(pk=pk)).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ObjectiveCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        plan = visible_plans(_user(request)).filter(pk=v.pop("plan")).first()
        if plan is None:
            raise ValidationError({"plan": [_("No plan you can see has that id.")]})
        _own(request, plan)
        nodes = _nodes(v.pop("nodes", []))
        objective = _call(
            services.objective_create, actor=_user(request), plan=plan, nodes=nodes, **v
        )
        return self._detail(objective.pk, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        objective = self.get_object()
        _own(request, objective.plan)
        data = ObjectiveUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        new_status = v.pop("status", None)
        nodes = _nodes(v.pop("nodes")) if "nodes" in v else None
        if v or nodes is not None:
            _call(
                services.objective_update,
                actor=_user(request),
                objective=objective,
                data=v,
                nodes=nodes,
            )
        if new_status is not None:
            services.objective_set_status(
                actor=_user(request), objective=objective, status=new_status
            )
        return self._detail(objective.pk)


# --- activities and milestones ------------------------------------------------------------


def _writable_objective(request: Request, objective_id: int) -> Objective:
    objective = (
        _visible_objectives(_user(request)).select_related("plan").filter(pk=objective_id).first()
    )
    if objective is None:
        raise ValidationError({"objective": [_("No objective you can see has that id.")]})
    _own(request, objective.plan)
    return objective


class _PartFilter(django_filters.FilterSet):
    objective = django_filters.NumberFilter(
        field_name="objective_id", help_text=_("Only this objective's.")
    )


class ActivityFilter(_PartFilter):
    class Meta:
        model = Activity
        fields = ["objective"]


class MilestoneFilter(_PartFilter):
    class Meta:
        model = Milestone
        fields = ["objective"]


class _ObjectivePartViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[Any],
):
    # The parts of an objective (activities, milestones): read by whoever may see the
    # objective, written by the plan's manager through the part's own service functions.
    # (A comment, not a docstring: drf-spectacular would put a docstring in the API docs.)

    model: type[Activity] | type[Milestone]
    part: str  # the keyword the services take the part by: "activity", "milestone"
    ordering: tuple[str, ...]
    write_serializer: type[serializers.Serializer[Any]]
    update_serializer: type[serializers.Serializer[Any]]
    add_part: Callable[..., Any]
    update_part: Callable[..., Any]
    remove_part: Callable[..., Any]
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema
            return self.model.objects.none()
        return (
            self.model.objects.filter(objective__in=_visible_objectives(_user(self.request)))
            .select_related("objective__plan")
            .order_by(*self.ordering)
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.write_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        objective = _writable_objective(request, v.pop("objective"))
        made = _call(type(self).add_part, actor=_user(request), objective=objective, **v)
        return Response(self.get_serializer(made).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        part = self.get_object()
        _own(request, part.objective.plan)
        data = self.update_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        fresh = _call(
            type(self).update_part,
            actor=_user(request),
            data=data.validated_data,
            **{self.part: part},
        )
        return Response(self.get_serializer(fresh).data)

    def perform_destroy(self, instance: Any) -> None:
        _own(self.request, instance.objective.plan)
        type(self).remove_part(actor=_user(self.request), **{self.part: instance})


@extend_schema_view(
    list=extend_schema(summary=_("Planned learning activities of the objectives you may see")),
    retrieve=extend_schema(summary=_("A planned learning activity")),
    create=extend_schema(
        summary=_("Plan a learning activity for your objective"),
        request=ActivityWriteSerializer,
        responses={201: ActivitySerializer},
    ),
    partial_update=extend_schema(
        summary=_("Change a planned learning activity"),
        request=ActivityUpdateSerializer,
        responses={200: ActivitySerializer},
    ),
    destroy=extend_schema(summary=_("Remove a planned learning activity")),
)
class ActivityViewSet(_ObjectivePartViewSet):
    model = Activity
    part = "activity"
    ordering = ("objective_id", "planned_date", "id")
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    write_serializer = ActivityWriteSerializer
    update_serializer = ActivityUpdateSerializer
    add_part = services.activity_add
    update_part = services.activity_update
    remove_part = services.activity_remove


@extend_schema_view(
    list=extend_schema(summary=_("Milestones of the objectives you may see")),
    retrieve=extend_schema(summary=_("A milestone")),
    create=extend_schema(
        summary=_("Add a milestone to your objective"),
        request=MilestoneWriteSerializer,
        responses={201: MilestoneSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Change a milestone, or tick it off"),
        request=MilestoneUpdateSerializer,
        responses={200: MilestoneSerializer},
    ),
    destroy=extend_schema(summary=_("Remove a milestone")),
)
class MilestoneViewSet(_ObjectivePartViewSet):
    model = Milestone
    part = "milestone"
    ordering = ("objective_id", "due_date", "id")
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter
    write_serializer = MilestoneWriteSerializer
    update_serializer = MilestoneUpdateSerializer
    add_part = services.milestone_add
    update_part = services.milestone_update
    remove_part = services.milestone_remove


def register(router: Any) -> None:
    router.register("plans", PlanViewSet, basename="plan")
    router.register("objectives", ObjectiveViewSet, basename="objective")
    router.register("plan-activities", ActivityViewSet, basename="plan-activity")
    router.register("plan-milestones", MilestoneViewSet, basename="plan-milestone")
