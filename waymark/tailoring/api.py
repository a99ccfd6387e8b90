"""Tailoring in the REST API, for members of the organisation (404 for outsiders):

* organisations/<org>/tailoring/focus/ (read): the frameworks and domains it puts first;
* organisations/<org>/tailoring/competences/ (list): its own competences, each with its
  mappings to the national standards;
* organisations/<org>/policies/ (list): its policies and procedures (a file's address is
  the page's download, which checks membership).

Own competences are never served by /api/v1/frameworks|editions|nodes|mappings."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from waymark.frameworks.models import Node
from waymark.organisations.middleware import organisation_for
from waymark.organisations.models import Organisation

from . import selectors
from .models import Policy

PREFIX = "organisations/<slug:org_slug>"


class _Member:
    organisation: Organisation

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.perform_authentication(request)  # type: ignore[attr-defined]
        if request.user and request.user.is_authenticated:
            self.organisation, _roles = organisation_for(int(request.user.pk), kwargs["org_slug"])
        super().initial(request, *args, **kwargs)  # type: ignore[misc]


class FocusSerializer(serializers.Serializer[Any]):
    frameworks = serializers.ListField(child=serializers.SlugField())
    domains = serializers.ListField(child=serializers.UUIDField())


@extend_schema_view(
    list=extend_schema(summary=_("The organisation's focus"), responses=FocusSerializer)
)
class FocusViewSet(_Member, viewsets.GenericViewSet[Node]):
    serializer_class = FocusSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return Node.objects.none()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        focus = selectors.focus_for(self.organisation)
        editions = selectors.focusable_editions(self.organisation)
        return Response(
            {
                "frameworks": [
                    e.framework.slug for e in editions if e.framework_id in focus.framework_ids
                ],
                "domains": [
                    str(d.identifier)
                    for e in editions
                    for d in getattr(e, "domains", [])
                    if d.pk in focus.domain_ids
                ],
            }
        )


class MappingOutSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    code = serializers.CharField()
    statement = serializers.CharField()
    framework = serializers.CharField()
    identifier = serializers.UUIDField()


class OwnCompetenceSerializer(serializers.Serializer[Any]):
    identifier = serializers.UUIDField()
    code = serializers.CharField()
    title = serializers.CharField()
    statement = serializers.CharField()
    domain = serializers.CharField()
    archived = serializers.BooleanField()
    mappings = MappingOutSerializer(many=True)


@extend_schema_view(
    list=extend_schema(
        summary=_("The organisation's own competences and their mappings"),
        responses=OwnCompetenceSerializer(many=True),
    )
)
class OwnCompetenceViewSet(_Member, viewsets.GenericViewSet[Node]):
    serializer_class = OwnCompetenceSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return Node.objects.none()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows = [
            {
                "identifier": r.node.identifier,
                "code": r.node.code,
                "title": r.node.title,
                "statement": r.node.statement,
                "domain": str(d.node),
                "archived": r.archived,
                "mappings": [
                    {
                        "kind": kind,
                        "code": far.code,
                        "statement": far.statement,
                        "framework": far.edition.framework.slug,
                        "identifier": far.identifier,
                    }
                    for _a, far, kind in r.mappings
                ],
            }
            for d in selectors.own_competences(self.organisation)
            for r in d.rows
        ]
        return Response(OwnCompetenceSerializer(rows, many=True).data)


class PolicySerializer(serializers.ModelSerializer[Policy]):
    address = serializers.SerializerMethodField()
    competences = serializers.SerializerMethodField()

    class Meta:
        model = Policy
        fields = ["id", "title", "description", "address", "competences", "updated_at"]

    @extend_schema_field(serializers.CharField())
    def get_address(self, policy: Policy) -> str:
        if policy.file:
            return reverse(
                "tailoring:policy_file",
                kwargs={"org_slug": policy.organisation.slug, "policy_id": policy.pk},
            )
        return policy.url

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_competences(self, policy: Policy) -> list[str]:
        return [n.code for n in policy.nodes.all()]


@extend_schema_view(list=extend_schema(summary=_("The organisation's policies and procedures")))
class PolicyViewSet(_Member, mixins.ListModelMixin, viewsets.GenericViewSet[Policy]):
    serializer_class = PolicySerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False) or not hasattr(self, "organisation"):
            return Policy.objects.none()
        return selectors.policies_for(self.organisation).select_related("organisation")


def register(router: Any) -> None:
    router.register(f"{PREFIX}/tailoring/focus", FocusViewSet, basename="tailoring-focus")
    router.register(
        f"{PREFIX}/tailoring/competences", OwnCompetenceViewSet, basename="tailoring-competence"
    )
    router.register(f"{PREFIX}/policies", PolicyViewSet, basename="tailoring-policy")
