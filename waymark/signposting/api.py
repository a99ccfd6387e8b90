"""Signposting in the REST API, under /api/v1/:

* signpost/ — ranked learning options with their reasons: for a person's gaps
  (`organisation` + `person`, seen by those who may see her gap analysis, as on the
  page), for framework nodes (`node`, by id or code, repeated) or for words (`need`);
  with the page's filters and a `limit`. The same results as `waymark signpost --json`:
  both are lists of `matching.match_to_dict`.
* catalogue/resources/, catalogue/providers/, catalogue/qualifications/ — the public
  catalogue, read-only, with filters (`visible_*`: drafts, withdrawn and in-house
  entries are never listed).
* learning-preferences/ — the caller's own preferences: GET reads them, POST replaces them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from waymark.accounts.models import User
from waymark.assessment.selectors import PAGE_RELATIONS
from waymark.frameworks.models import Node
from waymark.organisations.access import relations_to
from waymark.organisations.middleware import organisation_for
from waymark.organisations.models import Organisation, Region
from waymark.profiles.models import ManagerLevel

from . import learner_services, matching
from .models import (
    DeliveryMode,
    LearningPreference,
    Provider,
    ProviderScope,
    Qualification,
    QualificationUnit,
    Resource,
    ResourceNode,
    ResourceType,
)
from .search import CatalogueFilters, filtered_resources
from .selectors import visible_providers, visible_qualifications
from .views import chosen_nodes

MAX_LIMIT = 50


# --- parameters -------------------------------------------------------------------------------


class FilterParamsSerializer(serializers.Serializer[Any]):
    type = serializers.ListField(
        child=serializers.ChoiceField(choices=ResourceType.choices),
        required=False,
        help_text=_("Resource types (repeat the parameter for several)"),
    )
    mode = serializers.ListField(
        child=serializers.ChoiceField(choices=DeliveryMode.choices),
        required=False,
        help_text=_("Ways of learning (repeat the parameter for several)"),
    )
    max_cost = serializers.IntegerField(required=False, min_value=0, help_text=_("Pounds"))
    max_hours = serializers.IntegerField(required=False, min_value=0)
    region = serializers.ChoiceField(choices=Region.choices, required=False)
    manager_level = serializers.ChoiceField(choices=ManagerLevel.choices, required=False)
    scqf_level = serializers.IntegerField(required=False, min_value=1, max_value=12)

    def filters(self) -> CatalogueFilters:
        d = self.validated_data
        return CatalogueFilters(
            types=list(d.get("type") or []),
            modes=list(d.get("mode") or []),
            max_cost=d.get("max_cost"),
            region=d.get("region") or None,
            manager_level=d.get("manager_level") or None,
            max_hours=d.get("max_hours"),
            scqf_level=d.get("scqf_level"),
        )


class SignpostParamsSerializer(FilterParamsSerializer):
    organisation = serializers.SlugField(
        required=False,
        help_text=_("Short name of your organisation: adds its in-house resources"),
    )
    person = serializers.IntegerField(
        required=False, help_text=_("A person in the organisation: options for her gaps")
    )
    node = serializers.ListField(
        child=serializers.CharField(max_length=150),
        required=False,
        help_text=_(
            "Framework nodes by id or code (“MM3.04”, or “middle-manager-llf:MM3.04”); repeat"
        ),
    )
    need = serializers.CharField(required=False, allow_blank=True, max_length=500)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT, default=10)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("person") is not None and not attrs.get("organisation"):
            raise ValidationError({"organisation": [_("Give the organisation of the person")]})
        if attrs.get("person") is not None and attrs.get("node"):
            raise ValidationError({"node": [_("Give either a person or nodes, not both")]})
        if attrs.get("person") is None and not attrs.get("node") and not attrs.get("need"):
            raise ValidationError(
                {"need": [_("Give a person, at least one node, or a need in words")]}
            )
        return attrs


def _params(serializer_class: type[serializers.Serializer[Any]], request: Request) -> Any:
    data: dict[str, Any] = {}
    fields = serializer_class().fields
    for name, field in fields.items():
        if name not in request.query_params:
            continue
        if isinstance(field, serializers.ListField):
            data[name] = request.query_params.getlist(name)
        else:
            data[name] = request.query_params.get(name)
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer


# --- results --------------------------------------------------------------------------------


class ViaSerializer(serializers.Serializer[Any]):
    framework = serializers.CharField()
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    kind = serializers.CharField()


class CoveredSerializer(serializers.Serializer[Any]):
    framework = serializers.CharField()
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    coverage = serializers.CharField(help_text=_("main or part"))
    route = serializers.CharField(help_text=_("direct, ancestor, descendant or mapped"))
    via = ViaSerializer(allow_null=True)


class MatchSerializer(serializers.Serializer[Any]):
    """`matching.match_to_dict`: the shape `waymark signpost --json` prints too."""

    slug = serializers.SlugField()
    title = serializers.CharField()
    type = serializers.ChoiceField(choices=ResourceType.choices)
    mode = serializers.ChoiceField(choices=DeliveryMode.choices)
    provider = serializers.CharField(allow_null=True)
    url = serializers.CharField()
    cost_from = serializers.IntegerField(allow_null=True)
    cost_to = serializers.IntegerField(allow_null=True)
    cost_note = serializers.CharField()
    hours = serializers.FloatField(allow_null=True)
    duration = serializers.CharField()
    historical = serializers.BooleanField()
    historical_as_of = serializers.CharField()
    in_house = serializers.BooleanField()
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())
    covered = CoveredSerializer(many=True)


class NeedSerializer(serializers.Serializer[Any]):
    framework = serializers.CharField()
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    gap = serializers.IntegerField()
    importance = serializers.IntegerField()


class SignpostResultSerializer(serializers.Serializer[Any]):
    needs = NeedSerializer(many=True)
    results = MatchSerializer(many=True)


def _person_scope(viewer: User, org_slug: str, person_id: int) -> tuple[Organisation, User]:
    """The organisation and person, as `person_view(*PAGE_RELATIONS)` would allow: 404
    for outsiders and those with no relation to her, 403 for a relation not allowed."""
    try:
        organisation, roles = organisation_for(int(viewer.pk), org_slug)
    except Http404 as e:
        raise NotFound from e
    person = (
        User.objects.filter(pk=person_id, memberships__organisation=organisation).distinct().first()
    )
    if person is None:
        raise NotFound
    relations = relations_to(
        viewer=viewer, person=person, organisation_id=organisation.pk, viewer_roles=roles
    )
    if not relations:
        raise NotFound
    if not relations & frozenset(PAGE_RELATIONS):
        raise PermissionDenied(
            _("Learning options for a person's gaps are seen by those who see her gap analysis.")
        )
    return organisation, person


def _node_refs(refs: list[str], organisation: Organisation | None) -> tuple[list[Node], list[str]]:
    ids = [int(r) for r in refs if r.isdigit()]
    codes = [r for r in refs if not r.isdigit()]
    nodes = chosen_nodes(ids, codes, organisation=organisation)
    found = (
        {str(n.pk) for n in nodes}
        | {n.code for n in nodes}
        | {f"{n.edition.framework.slug}:{n.code}" for n in nodes}
    )
    return nodes, [r for r in refs if r not in found]


class SignpostViewSet(viewsets.GenericViewSet[Any]):
    """Ranked learning options with their reasons."""

    serializer_class = SignpostResultSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    @extend_schema(
        parameters=[SignpostParamsSerializer],
        responses=SignpostResultSerializer,
        summary="Ranked learning options with their reasons",
    )
    def list(self, request: Request) -> Response:
        params = _params(SignpostParamsSerializer, request)
        data = params.validated_data
        viewer = request.user
        assert isinstance(viewer, User)
        filters = params.filters()
        text = (data.get("need") or "").strip()
        limit = data.get("limit") or 10
        if data.get("person") is not None:
            organisation, person = _person_scope(viewer, data["organisation"], data["person"])
            needs, matches = matching.signpost_person(
                person=person, organisation=organisation, text=text, filters=filters, limit=limit
            )
        else:
            organisation = None
            if data.get("organisation"):
                try:
                    organisation, _roles = organisation_for(int(viewer.pk), data["organisation"])
                except Http404 as e:
                    raise NotFound from e
            nodes, unknown = _node_refs(list(data.get("node") or []), organisation)
            if unknown:
                raise ValidationError({"node": [_("No such node: %s") % ", ".join(unknown)]})
            needs = matching.needs_from_nodes(nodes)
            matches = matching.match(
                needs=needs,
                text=text,
                organisation=organisation,
                manager_level=filters.manager_level,
                filters=filters,
                limit=limit,
            )
        return Response(
            {
                "needs": [
                    {
                        "framework": n.node.edition.framework.slug,
                        "code": n.node.code,
                        "label": n.label,
                        "gap": n.gap,
                        "importance": n.importance,
                    }
                    for n in needs
                ],
                "results": [matching.match_to_dict(m) for m in matches],
            }
        )


# --- the public catalogue --------------------------------------------------------------------


class CatalogueNodeSerializer(serializers.Serializer[Any]):
    framework = serializers.CharField(source="node.edition.framework.slug")
    code = serializers.CharField(source="node.code")
    title = serializers.CharField(source="node.display_title")
    coverage = serializers.CharField()


class CatalogueResourceSerializer(serializers.ModelSerializer[Resource]):
    type = serializers.CharField(source="resource_type")
    mode = serializers.CharField(source="delivery_mode")
    provider: serializers.SlugRelatedField[Provider] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    nodes = CatalogueNodeSerializer(source="tags", many=True, read_only=True)

    class Meta:
        model = Resource
        fields = [
            "slug",
            "title",
            "type",
            "description",
            "provider",
            "url",
            "mode",
            "cost_from",
            "cost_to",
            "cost_note",
            "hours",
            "duration",
            "scqf_level",
            "manager_levels",
            "regions",
            "nodes",
            "source",
            "historical",
            "historical_as_of",
            "link_checked_at",
            "link_status",
            "link_final_url",
        ]
        read_only_fields = fields


class CatalogueProviderSerializer(serializers.ModelSerializer[Provider]):
    class Meta:
        model = Provider
        fields = [
            "slug",
            "name",
            "scope",
            "region",
            "url",
            "description",
            "source",
            "historical",
            "historical_as_of",
            "link_checked_at",
            "link_status",
        ]
        read_only_fields = fields


class UnitNodeSerializer(serializers.ModelSerializer[Node]):
    framework = serializers.CharField(source="edition.framework.slug")
    title = serializers.CharField(source="display_title")

    class Meta:
        model = Node
        fields = ["framework", "code", "title"]
        read_only_fields = fields


class QualificationUnitSerializer(serializers.ModelSerializer[QualificationUnit]):
    nodes = UnitNodeSerializer(many=True, read_only=True)

    class Meta:
        model = QualificationUnit
        fields = ["code", "title", "mandatory", "credit_points", "nodes"]
        read_only_fields = fields


class CatalogueQualificationSerializer(serializers.ModelSerializer[Qualification]):
    mode = serializers.CharField(source="delivery_mode")
    providers: serializers.SlugRelatedField[Provider] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    units = QualificationUnitSerializer(many=True, read_only=True)

    class Meta:
        model = Qualification
        fields = [
            "slug",
            "title",
            "awarding_body",
            "description",
            "scqf_level",
            "credit_points",
            "hours",
            "duration",
            "cost_from",
            "cost_to",
            "cost_note",
            "mode",
            "required_by",
            "manager_levels",
            "providers",
            "units",
            "url",
            "source",
            "historical",
            "historical_as_of",
        ]
        read_only_fields = fields


class ResourceViewSet(viewsets.ReadOnlyModelViewSet[Resource]):
    """The public catalogue's learning resources, with the filters of the pages."""

    serializer_class = CatalogueResourceSerializer
    lookup_field = "slug"
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Resource]:
        filters = None
        if getattr(self, "action", None) == "list":
            filters = _params(FilterParamsSerializer, self.request).filters()
        return (
            filtered_resources(None, filters)
            .select_related("provider")
            .prefetch_related(
                Prefetch(
                    "tags",
                    queryset=ResourceNode.objects.select_related("node__edition__framework"),
                )
            )
            .order_by("title", "pk")
        )

    @extend_schema(parameters=[FilterParamsSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


class ProviderParamsSerializer(serializers.Serializer[Any]):
    scope = serializers.ChoiceField(choices=ProviderScope.choices, required=False)
    region = serializers.ChoiceField(choices=Region.choices, required=False)


class ProviderViewSet(viewsets.ReadOnlyModelViewSet[Provider]):
    """The public catalogue's providers: national, regional and local."""

    serializer_class = CatalogueProviderSerializer
    lookup_field = "slug"
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Provider]:
        qs = visible_providers(None).order_by("name", "pk")
        if getattr(self, "action", None) == "list":
            params = _params(ProviderParamsSerializer, self.request).validated_data
            if params.get("scope"):
                qs = qs.filter(scope=params["scope"])
            if params.get("region"):
                qs = qs.filter(region=params["region"])
        return qs

    @extend_schema(parameters=[ProviderParamsSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


class QualificationParamsSerializer(serializers.Serializer[Any]):
    scqf_level = serializers.IntegerField(required=False, min_value=1, max_value=12)
    awarding_body = serializers.CharField(required=False, max_length=300)


class QualificationViewSet(viewsets.ReadOnlyModelViewSet[Qualification]):
    """The public catalogue's qualifications, each with its units and the framework nodes
    each unit covers."""

    serializer_class = CatalogueQualificationSerializer
    lookup_field = "slug"
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Qualification]:
        qs = (
            visible_qualifications()
            .prefetch_related(
                Prefetch("providers", queryset=visible_providers(None)),
                Prefetch(
                    "units",
                    queryset=QualificationUnit.objects.prefetch_related(
                        Prefetch(
                            "nodes", queryset=Node.objects.select_related("edition__framework")
                        )
                    ),
                ),
            )
            .order_by("title", "pk")
        )
        if getattr(self, "action", None) == "list":
            params = _params(QualificationParamsSerializer, self.request).validated_data
            if params.get("scqf_level"):
                qs = qs.filter(scqf_level=params["scqf_level"])
            if params.get("awarding_body"):
                qs = qs.filter(awarding_body__icontains=params["awarding_body"])
        return qs

    @extend_schema(parameters=[QualificationParamsSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


# --- the caller's own learning preferences ---------------------------------------------------


class LearningPreferenceSerializer(serializers.Serializer[LearningPreference]):
    preferred_modes = serializers.ListField(
        child=serializers.ChoiceField(choices=DeliveryMode.choices), required=False
    )
    avoid_modes = serializers.ListField(
        child=serializers.ChoiceField(choices=DeliveryMode.choices), required=False
    )
    max_cost = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    max_hours = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    regions = serializers.ListField(
        child=serializers.ChoiceField(choices=Region.choices), required=False
    )


class LearningPreferenceViewSet(viewsets.GenericViewSet[LearningPreference], mixins.ListModelMixin):
    """Your own learning preferences and limits, which rank your learning options.
    GET reads them (empty when none are stated); POST replaces them."""

    serializer_class = LearningPreferenceSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[LearningPreference]:
        if getattr(self, "swagger_fake_view", False):
            return LearningPreference.objects.none()
        return LearningPreference.objects.filter(user=self.request.user.pk)

    def _data(self) -> dict[str, Any]:
        found = self.get_queryset().first()
        if found is None:
            return {
                "preferred_modes": [],
                "avoid_modes": [],
                "max_cost": None,
                "max_hours": None,
                "regions": [],
            }
        return dict(LearningPreferenceSerializer(found).data)

    @extend_schema(responses=LearningPreferenceSerializer)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self._data())

    @extend_schema(request=LearningPreferenceSerializer, responses=LearningPreferenceSerializer)
    def create(self, request: Request) -> Response:
        serializer = LearningPreferenceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = request.user
        assert isinstance(user, User)
        try:
            learner_services.learning_preference_save(
                actor=user, user=user, **serializer.validated_data
            )
        except DjangoValidationError as e:
            raise ValidationError(
                getattr(e, "message_dict", None) or {"non_field_errors": e.messages}
            ) from e
        except DjangoPermissionDenied as e:  # pragma: no cover - actor is always the user
            raise PermissionDenied(str(e)) from e
        return Response(self._data())


def register(router: Any) -> None:
    router.register("signpost", SignpostViewSet, basename="signpost")
    router.register("catalogue/resources", ResourceViewSet, basename="catalogue-resource")
    router.register("catalogue/providers", ProviderViewSet, basename="catalogue-provider")
    router.register(
        "catalogue/qualifications", QualificationViewSet, basename="catalogue-qualification"
    )
    router.register(
        "learning-preferences", LearningPreferenceViewSet, basename="learning-preference"
    )
