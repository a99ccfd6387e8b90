"""The Waymark REST API (/api/v1/). Thin views: reads through querysets that load a
constant number of queries per page, writes through typed service functions."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from waymark.accounts.models import User
from waymark.frameworks import services as standards
from waymark.frameworks.models import (
    Association,
    AssociationType,
    Edition,
    EditionStatus,
    Framework,
    Node,
)
from waymark.frameworks.selectors import search_nodes
from waymark.organisations.middleware import organisation_for
from waymark.organisations.models import Membership, Organisation

from . import filters
from . import serializers as s
from .permissions import CanSeeMembers, IsStandardsEditorOrReadOnly, is_standards_editor
from .services import token_create, token_delete

# --- what a person may see ----------------------------------------------------------------


def visible_editions(user: Any) -> QuerySet[Edition]:
    """Published and retired editions for everyone; drafts too for standards editors."""
    editions = Edition.objects.public()
    if not is_standards_editor(user):
        editions = editions.exclude(status=EditionStatus.DRAFT)
    return editions


def _visible_end(user: Any, end: str) -> Q:
    if is_standards_editor(user):
        return Q()
    return Q(**{f"{end}__isnull": True}) | ~Q(**{f"{end}__edition__status": EditionStatus.DRAFT})


def visible_associations(user: Any) -> QuerySet[Association]:
    return (
        Association.objects.public()
        .filter(edition__in=visible_editions(user))
        .filter(_visible_end(user, "origin"))
        .filter(_visible_end(user, "destination"))
    )


def _user_id(request: Request) -> int:
    pk = request.user.pk
    assert pk is not None
    return int(pk)


# --- auth ---------------------------------------------------------------------------------


class TokenRequestThrottle(SimpleRateThrottle):
    """Password guesses for tokens are limited per address, like sign-ins."""

    scope = "api_token"
    rate = "10/minute"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if request.method != "POST":
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenView(APIView):
    """Your API token."""

    throttle_classes = [TokenRequestThrottle]

    def get_permissions(self) -> list[Any]:
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        request=s.TokenRequestSerializer,
        responses={200: s.TokenSerializer},
        auth=[],
        summary=_("Get a token with your email address and password"),
        description=_(
            "Returns your existing token, or a new one. Accounts with two-factor "
            "authentication create their token on the API token page instead."
        ),
    )
    def post(self, request: Request) -> Response:
        data = s.TokenRequestSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        token = token_create(actor=data.validated_data["user"])
        return Response(s.TokenSerializer(token).data)

    @extend_schema(responses={200: s.TokenSerializer}, summary=_("See your token"))
    def get(self, request: Request) -> Response:
        from rest_framework.authtoken.models import Token

        token = Token.objects.filter(user_id=_user_id(request)).first()
        return Response(s.TokenSerializer(token or {"key": None, "created": None}).data)

    @extend_schema(responses={204: None}, summary=_("Revoke your token"))
    def delete(self, request: Request) -> Response:
        token_delete(actor=request.user)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- standards ----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("Frameworks, each with its current edition")),
    retrieve=extend_schema(summary=_("A framework with all its editions")),
)
class FrameworkViewSet(viewsets.ReadOnlyModelViewSet[Framework]):
    lookup_field = "slug"
    lookup_value_converter = "slug"
    filterset_class = filters.FrameworkFilter

    def get_queryset(self) -> QuerySet[Framework]:
        editions = visible_editions(self.request.user)
        queryset = (
            Framework.objects.public()
            .filter(Exists(editions.filter(framework=OuterRef("pk"))))
            .prefetch_related(
                Prefetch(
                    "editions", queryset=editions.filter(is_current=True), to_attr="current_list"
                )
            )
            .order_by("title")
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "editions",
                    queryset=editions.order_by("-is_current", "-publication_date", "-id"),
                    to_attr="visible_editions",
                )
            )
        return queryset

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "retrieve":
            return s.FrameworkDetailSerializer
        return s.FrameworkSerializer


@extend_schema_view(
    list=extend_schema(summary=_("Editions of frameworks")),
    retrieve=extend_schema(summary=_("An edition, by its identifier")),
)
class EditionViewSet(viewsets.ReadOnlyModelViewSet[Edition]):
    serializer_class = s.EditionSerializer
    lookup_field = "identifier"
    lookup_value_converter = "uuid"
    filterset_class = filters.EditionFilter

    def get_queryset(self) -> QuerySet[Edition]:
        return (
            visible_editions(self.request.user)
            .select_related("framework")
            .order_by("framework__title", "-publication_date", "-id")
        )


@extend_schema_view(
    list=extend_schema(summary=_("Items of frameworks (domains, competences, outcomes …)")),
    retrieve=extend_schema(summary=_("An item, by its identifier")),
)
class NodeViewSet(viewsets.ReadOnlyModelViewSet[Node]):
    serializer_class = s.NodeSerializer
    lookup_field = "identifier"
    lookup_value_converter = "uuid"
    filterset_class = filters.NodeFilter

    def get_queryset(self) -> QuerySet[Node]:
        user = self.request.user
        mappings = visible_associations(user).exclude(association_type=AssociationType.IS_CHILD_OF)
        return (
            Node.objects.filter(edition__in=visible_editions(user))
            .select_related("edition__framework", "parent")
            .prefetch_related(
                Prefetch(
                    "children",
                    queryset=Node.objects.order_by("path").only("id", "identifier", "parent_id"),
                ),
                Prefetch(
                    "outgoing",
                    queryset=mappings.select_related("destination__edition__framework").order_by(
                        "id"
                    ),
                ),
                Prefetch(
                    "incoming",
                    queryset=mappings.select_related("origin__edition__framework").order_by("id"),
                ),
            )
            .order_by("edition__framework__title", "edition_id", "path")
        )


@extend_schema_view(
    list=extend_schema(summary=_("Associations between items, including the map of competences")),
    retrieve=extend_schema(summary=_("An association, by its identifier")),
    create=extend_schema(
        request=s.MappingCreateSerializer,
        responses={201: s.MappingSerializer},
        summary=_("Map one item to another (standards editors)"),
    ),
    partial_update=extend_schema(
        request=s.MappingUpdateSerializer,
        responses={200: s.MappingSerializer},
        summary=_("Confirm a mapping, or change its kind or reasoning (standards editors)"),
    ),
    destroy=extend_schema(summary=_("Delete a mapping (standards editors)")),
)
class MappingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[Association],
):
    serializer_class = s.MappingSerializer
    permission_classes = [IsStandardsEditorOrReadOnly]
    lookup_field = "identifier"
    lookup_value_converter = "uuid"
    filterset_class = filters.MappingFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Association]:
        return (
            visible_associations(self.request.user)
            .select_related(
                "edition", "origin__edition__framework", "destination__edition__framework"
            )
            .order_by("id")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.MappingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            mapping = standards.mapping_create(
                actor=request.user,  # type: ignore[arg-type]
                from_node=v["from_node"],
                to_node=v["to_node"],
                kind=v["kind"],
                confirmed=v["confirmed"],
                note=v["note"],
            )
        except standards.StandardsError as e:
            raise ValidationError({"non_field_errors": [str(e)]}) from e
        return Response(
            s.MappingSerializer(self.get_queryset().get(pk=mapping.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        mapping = self.get_object()
        data = s.MappingUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        from_node = self._from_node(mapping, v.get("from_node"))
        try:
            standards.mapping_update(
                actor=request.user,  # type: ignore[arg-type]
                association=mapping,
                from_node=from_node,
                kind=v.get("kind"),
                confirmed=v.get("confirmed"),
                note=v.get("note"),
            )
        except standards.StandardsError as e:
            raise ValidationError({"non_field_errors": [str(e)]}) from e
        return Response(s.MappingSerializer(self.get_queryset().get(pk=mapping.pk)).data)

    def perform_destroy(self, instance: Association) -> None:
        standards.mapping_delete(
            actor=self.request.user,  # type: ignore[arg-type]
            association=instance,
            from_node=self._from_node(instance, None),
        )

    @staticmethod
    def _from_node(mapping: Association, identifier: Any) -> Node:
        ends = [n for n in (mapping.origin, mapping.destination) if n is not None]
        if identifier is not None:
            ends = [n for n in ends if n.identifier == identifier]
            if not ends:
                raise ValidationError(
                    {"from_node": [_("That item is not an end of this mapping.")]}
                )
        if not ends:
            raise ValidationError(
                {"non_field_errors": [_("Neither end of this association is a Waymark item.")]}
            )
        return ends[0]


class SearchView(GenericAPIView[Any]):
    """Ranked search of framework items (current, published editions)."""

    serializer_class = s.SearchPageSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    @extend_schema(
        parameters=[s.SearchQuerySerializer],
        responses={200: s.SearchPageSerializer},
        summary=_("Search the standards"),
    )
    def get(self, request: Request) -> Response:
        query = s.SearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        result = search_nodes(
            q["q"],
            framework_slug=q["framework"] or None,
            limit=q["limit"],
            offset=q["offset"],
        )
        paging = LimitOffsetPagination()
        paging.request, paging.count = request, result.total
        paging.limit, paging.offset = q["limit"], q["offset"]
        hits = [
            {
                "identifier": hit.node.identifier,
                "code": hit.node.code,
                "title": hit.node.title,
                "statement": hit.node.statement,
                "snippet": hit.snippet,
                "rank": hit.rank,
                "framework": {
                    "slug": hit.node.edition.framework.slug,
                    "title": hit.node.edition.framework.title,
                },
                "edition": hit.node.edition.identifier,
            }
            for hit in result.hits
        ]
        return Response(
            s.SearchPageSerializer(
                {
                    "count": result.total,
                    "next": paging.get_next_link(),
                    "previous": paging.get_previous_link(),
                    "results": hits,
                }
            ).data
        )


# --- organisations ------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("The organisations you belong to, with your roles")),
    retrieve=extend_schema(summary=_("An organisation you belong to")),
)
class OrganisationViewSet(viewsets.ReadOnlyModelViewSet[Organisation]):
    serializer_class = s.OrganisationSerializer
    lookup_field = "slug"
    lookup_url_kwarg = "org_slug"
    lookup_value_converter = "slug"
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Organisation]:
        user = self.request.user
        return (
            Organisation.objects.filter(
                Exists(Membership.objects.filter(organisation=OuterRef("pk"), user=user.pk))
            )
            .prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=Membership.objects.filter(user=user.pk),
                    to_attr="my_memberships",
                )
            )
            .order_by("name")
        )

    def get_object(self) -> Organisation:
        # Tenancy in one place: non-members get 404, as everywhere else.
        organisation, roles = organisation_for(_user_id(self.request), self.kwargs["org_slug"])
        organisation.caller_roles = sorted(roles)  # type: ignore[attr-defined]
        return organisation


@extend_schema(summary=_("Members of an organisation, with their roles (admins and L&D leads)"))
class MemberListView(ListAPIView[Any]):
    serializer_class = s.MemberSerializer
    permission_classes = [IsAuthenticated, CanSeeMembers]
    filter_backends: list[Any] = []

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Resolve membership before the role check, so that outsiders get 404, not 403.
        self.perform_authentication(request)
        if request.user and request.user.is_authenticated:
            organisation, roles = organisation_for(_user_id(request), kwargs["org_slug"])
            self.organisation = organisation
            request.organisation_roles = roles  # type: ignore[attr-defined]
        super().initial(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[User]:
        return (
            User.objects.filter(memberships__organisation=self.organisation)
            .distinct()
            .prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=Membership.objects.filter(organisation=self.organisation),
                    to_attr="org_memberships",
                )
            )
            .order_by("full_name", "email")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset()) or []
        rows = [
            {
                "email": u.email,
                "full_name": u.full_name,
                "roles": sorted(m.role for m in u.org_memberships),  # type: ignore[attr-defined]
            }
            for u in page
        ]
        return self.get_paginated_response(s.MemberSerializer(rows, many=True).data)


def api_root_links(request: Request) -> dict[str, str]:
    names = {
        "frameworks": "api:framework-list",
        "editions": "api:edition-list",
        "nodes": "api:node-list",
        "mappings": "api:mapping-list",
        "search": "api:search",
        "organisations": "api:organisation-list",
        "token": "api:token",
        "schema": "api:schema",
        "docs": "api:docs",
    }
    return {k: request.build_absolute_uri(reverse(v)) for k, v in names.items()}


class ApiRootView(APIView):
    """Where everything in the API is."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary=_("The API's endpoints"))
    def get(self, request: Request) -> Response:
        return Response(api_root_links(request))
