"""The CPD record in the REST API, under
/api/v1/organisations/<org>/people/<person_id>/cpd/… :

* entries/ (list, add), entries/<id>/ (read, change, delete), entries/<id>/confirm/
* entries/<entry_id>/evidence/ (list, upload), …/evidence/<id>/ (read, delete),
  …/evidence/<id>/download/
* summary/ (hours and credits by year, month, type, competence; framework progress)

Scoped exactly as the pages are, through `selectors.entries_visible_to`: outsiders and
colleagues with no relation to the person get 404; L&D leads and admins 403; the
manager reaches all her entries and is the only one who writes them; her supervisor,
mentors and coaches read the ones she shared; her supervisor confirms them. A private
entry is "not found" to everyone but her."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from waymark.accounts.models import User
from waymark.frameworks.models import Node
from waymark.organisations.access import relations_to
from waymark.organisations.middleware import organisation_for
from waymark.organisations.models import Organisation
from waymark.planning.models import ActivityType

from . import services
from .models import Entry, Evidence, Visibility
from .selectors import (
    CPD_RELATIONS,
    can_confirm,
    can_edit,
    entries_visible_to,
    objectives_of,
    summarise,
    taggable_nodes,
    with_details,
)
from .services import MESSAGES, EntryInput, hours_message
from .uploads import UploadRejected, check_upload, use_capped_uploads

PREFIX = "organisations/<slug:org_slug>/people/<int:person_id>/cpd"


# --- who is asking about whom ---------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    organisation: Organisation
    person: User
    relations: frozenset[str]


class CpdScoped:
    """Resolves the organisation, the person and the caller's relations to her before
    anything else, so that outsiders get 404 (not 403) as on the pages."""

    scope: Scope
    kwargs: dict[str, Any]

    def initialize_request(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Request:
        # Files are received by the capped handler, before anything reads the body.
        if request.method == "POST":
            use_capped_uploads(request)
        return super().initialize_request(request, *args, **kwargs)  # type: ignore[misc]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.perform_authentication(request)  # type: ignore[attr-defined]
        if request.user and request.user.is_authenticated:
            self.scope = resolve_scope(_actor(request), kwargs["org_slug"], kwargs["person_id"])
        super().initial(request, *args, **kwargs)  # type: ignore[misc]

    def visible_entries(self) -> QuerySet[Entry]:
        if getattr(self, "swagger_fake_view", False) or not hasattr(self, "scope"):
            return Entry.objects.none()
        s = self.scope
        return entries_visible_to(self.request.user, s.person, s.organisation, s.relations)  # type: ignore[attr-defined]

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()  # type: ignore[misc]
        if hasattr(self, "scope"):
            context["scope"] = self.scope
        return context

    def require_self(self) -> None:
        if not can_edit(self.scope.relations):
            raise PermissionDenied(_("Only the manager changes her own CPD record."))


def _actor(request: Request | HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def resolve_scope(viewer: User, org_slug: str, person_id: int) -> Scope:
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
    if not relations & frozenset(CPD_RELATIONS):
        raise PermissionDenied(
            _("A CPD record is seen only by its manager and those she shares it with.")
        )
    return Scope(organisation=organisation, person=person, relations=relations)


# --- serializers ----------------------------------------------------------------------------


class CpdNodeRefSerializer(serializers.Serializer[Node]):
    identifier = serializers.UUIDField(read_only=True)
    code = serializers.CharField(read_only=True)
    title = serializers.CharField(source="display_title", read_only=True)
    framework = serializers.CharField(source="edition.framework.slug", read_only=True)
    edition = serializers.UUIDField(source="edition.identifier", read_only=True)


class CpdObjectiveRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    plan = serializers.IntegerField(source="plan_id", read_only=True)


class CpdEvidenceSerializer(serializers.ModelSerializer[Evidence]):
    download = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "original_name", "content_type", "size", "uploaded_at", "download"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download(self, obj: Evidence) -> str:
        scope: Scope | None = self.context.get("scope")
        org_slug = scope.organisation.slug if scope else obj.entry.organisation.slug
        path = reverse(
            "api:cpd-evidence-download",
            kwargs={
                "org_slug": org_slug,
                "person_id": obj.entry.manager_id,
                "entry_id": obj.entry_id,
                "pk": obj.pk,
            },
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class CpdEntrySerializer(serializers.ModelSerializer[Entry]):
    """An entry as its reader sees it."""

    credits = serializers.DecimalField(
        max_digits=6,
        decimal_places=1,
        read_only=True,
        help_text=_("SCQF credit points: hours ÷ 10, to one decimal"),
    )
    nodes = CpdNodeRefSerializer(many=True, read_only=True)
    objective = CpdObjectiveRefSerializer(read_only=True, allow_null=True)
    confirmed_by = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = Entry
        fields = [
            "id",
            "date",
            "activity_type",
            "title",
            "provider",
            "link",
            "hours",
            "credits",
            "nodes",
            "objective",
            "what_happened",
            "what_learnt",
            "how_use",
            "difference",
            "visibility",
            "confirmed_by",
            "confirmed_at",
            "source",
            "evidence",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_confirmed_by(self, obj: Entry) -> str | None:
        return obj.confirmed_by.display_name if obj.confirmed_by else None

    @extend_schema_field(CpdEvidenceSerializer(many=True))
    def get_evidence(self, obj: Entry) -> list[dict[str, Any]]:
        for ev in obj.evidence.all():
            ev.entry = obj  # already loaded: no query per file
        return CpdEvidenceSerializer(obj.evidence.all(), many=True, context=self.context).data  # type: ignore[return-value]


def _decimal_field(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=None, decimal_places=None, **kwargs)


class CpdEntryWriteSerializer(serializers.Serializer[Any]):
    """What a manager sends to add or change an entry. Items are named by their CASE
    identifiers; the objective by its id, and must be one of her own."""

    date = serializers.DateField(error_messages={"required": MESSAGES["date_required"]})
    activity_type = serializers.ChoiceField(
        choices=ActivityType.choices,
        error_messages={
            "required": MESSAGES["type_required"],
            "invalid_choice": MESSAGES["type_required"],
        },
    )
    title = serializers.CharField(
        max_length=300,
        error_messages={
            "required": MESSAGES["title_required"],
            "blank": MESSAGES["title_required"],
            "max_length": MESSAGES["title_long"],
        },
    )
    provider = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    link = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    hours = _decimal_field(
        error_messages={
            "required": MESSAGES["hours_required"],
            "invalid": MESSAGES["hours_invalid"],
        },
        help_text=_("More than 0 and at most 1000, with at most 2 decimal places"),
    )
    nodes = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        default=list,
        help_text=_("CASE identifiers of the competences this learning developed"),
    )
    objective = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Id of one of the manager's own development plan objectives"),
    )
    what_happened = serializers.CharField(required=False, allow_blank=True, default="")
    what_learnt = serializers.CharField(required=False, allow_blank=True, default="")
    how_use = serializers.CharField(required=False, allow_blank=True, default="")
    difference = serializers.CharField(required=False, allow_blank=True, default="")
    visibility = serializers.ChoiceField(
        choices=Visibility.choices,
        required=False,
        default=Visibility.PRIVATE.value,
        error_messages={"invalid_choice": MESSAGES["visibility"]},
    )

    def validate_date(self, value: Any) -> Any:
        from django.utils import timezone

        if value > timezone.localdate():
            raise ValidationError(MESSAGES["date_future"])
        return value

    def validate_hours(self, value: Decimal) -> Decimal:
        problem = hours_message(value)
        if problem:
            raise ValidationError(problem)
        return value

    def validate_nodes(self, value: list[Any]) -> list[Node]:
        found = {n.identifier: n for n in taggable_nodes().filter(identifier__in=value)}
        missing = [str(v) for v in value if v not in found]
        if missing:
            raise ValidationError(
                _("No published framework item has the identifier %(ids)s")
                % {"ids": ", ".join(missing)}
            )
        return list({n.pk: n for n in (found[v] for v in value)}.values())

    def validate_objective(self, value: int | None) -> Any:
        if value is None:
            return None
        scope: Scope = self.context["scope"]
        objective = (
            objectives_of(person=scope.person, organisation=scope.organisation)
            .filter(pk=value)
            .first()
        )
        if objective is None:
            raise ValidationError(MESSAGES["objective_not_hers"])
        return objective

    def entry_input(self, entry: Entry | None = None) -> EntryInput:
        data = dict(self.validated_data)
        if "nodes" in data:
            data["nodes"] = tuple(data["nodes"])
        if entry is None:
            return EntryInput(**data)
        return EntryInput.from_entry(entry, **data)


class CpdEvidenceUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(
        help_text=_(
            "PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, GIF, WebP or plain text; "
            "its type is read from its content and must agree with its name"
        ),
        allow_empty_file=True,  # an empty file gets Waymark's own message, naming it
    )

    def validate_file(self, value: Any) -> Any:
        try:
            check_upload(value)
        except UploadRejected as e:
            raise ValidationError(e.message) from e
        return value


class CpdSummaryRowSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(
        help_text=_("Year (2026), month (2026-03), type, or item identifier")
    )
    name = serializers.CharField(help_text=_("What the row counts, in words"))
    hours = _decimal_field()
    credits = _decimal_field()
    entries = serializers.IntegerField()


class CpdOutcomeSerializer(serializers.Serializer[Any]):
    identifier = serializers.UUIDField()
    code = serializers.CharField()
    title = serializers.CharField()
    entries = serializers.IntegerField()


class CpdDomainSerializer(serializers.Serializer[Any]):
    identifier = serializers.UUIDField(allow_null=True)
    code = serializers.CharField(allow_blank=True)
    title = serializers.CharField(allow_blank=True)
    outcomes_reached = serializers.IntegerField()
    outcomes_total = serializers.IntegerField()
    domain_entries = serializers.IntegerField(
        help_text=_("Entries tagged with the domain as a whole")
    )
    outcomes = CpdOutcomeSerializer(many=True)


class CpdFrameworkProgressSerializer(serializers.Serializer[Any]):
    framework = serializers.CharField()
    edition = serializers.UUIDField()
    title = serializers.CharField()
    outcomes_reached = serializers.IntegerField()
    outcomes_total = serializers.IntegerField()
    domains = CpdDomainSerializer(many=True)


class CpdCountsTowardsSerializer(serializers.Serializer[Any]):
    node = CpdNodeRefSerializer()
    kind = serializers.CharField()
    confirmed = serializers.BooleanField()


class CpdCountsTowardsRowSerializer(serializers.Serializer[Any]):
    node = CpdNodeRefSerializer()
    counts_towards = CpdCountsTowardsSerializer(many=True)


class CpdSummarySerializer(serializers.Serializer[Any]):
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
    entries = serializers.IntegerField()
    hours = _decimal_field()
    credits = _decimal_field()
    by_year = CpdSummaryRowSerializer(many=True)
    by_month = CpdSummaryRowSerializer(many=True)
    by_type = CpdSummaryRowSerializer(many=True)
    by_competence = CpdSummaryRowSerializer(
        many=True,
        help_text=_("An entry's hours count in full towards every competence it is tagged with"),
    )
    frameworks = CpdFrameworkProgressSerializer(many=True)
    counts_towards = CpdCountsTowardsRowSerializer(many=True)


class CpdSummaryQuerySerializer(serializers.Serializer[Any]):
    date_from = serializers.DateField(required=False, help_text=_("First day counted (YYYY-MM-DD)"))
    date_to = serializers.DateField(required=False, help_text=_("Last day counted (YYYY-MM-DD)"))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if (
            attrs.get("date_from")
            and attrs.get("date_to")
            and attrs["date_to"] < attrs["date_from"]
        ):
            raise ValidationError(
                {"date_to": [_("The end date must be the same as or after the start date")]}
            )
        return attrs


# --- filters --------------------------------------------------------------------------------


class CpdEntryFilter(filters.FilterSet):
    date_from = filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("On or after (YYYY-MM-DD)")
    )
    date_to = filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("On or before (YYYY-MM-DD)")
    )
    activity_type = filters.ChoiceFilter(choices=ActivityType.choices, label=_("Type of learning"))
    node = filters.UUIDFilter(
        field_name="nodes__identifier", label=_("Tagged with the item (CASE identifier)")
    )
    visibility = filters.ChoiceFilter(choices=Visibility.choices, label=_("Who can see it"))
    confirmed = filters.BooleanFilter(
        field_name="confirmed_at",
        lookup_expr="isnull",
        exclude=True,
        label=_("Confirmed by a supervisor"),
    )

    class Meta:
        model = Entry
        fields: list[str] = []


# --- views ----------------------------------------------------------------------------------


def _raise_drf(error: DjangoValidationError) -> None:
    if hasattr(error, "error_dict"):
        raise ValidationError(error.message_dict) from error
    raise ValidationError({"non_field_errors": error.messages}) from error


class BinaryRenderer(renderers.BaseRenderer):
    """Lets a download answer whatever the client accepts; errors still read as JSON."""

    media_type = "*/*"
    format = "bin"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if isinstance(data, bytes):
            return data
        return json.dumps(data, default=str).encode()


@extend_schema_view(
    list=extend_schema(summary=_("CPD entries the caller may see, newest first")),
    retrieve=extend_schema(summary=_("A CPD entry")),
    create=extend_schema(
        request=CpdEntryWriteSerializer,
        responses={201: CpdEntrySerializer},
        summary=_("Add a CPD entry (the manager herself)"),
    ),
    partial_update=extend_schema(
        request=CpdEntryWriteSerializer,
        responses={200: CpdEntrySerializer},
        summary=_("Change a CPD entry, or share it (the manager herself)"),
    ),
    destroy=extend_schema(summary=_("Delete a CPD entry and its evidence (the manager herself)")),
)
class EntryViewSet(
    CpdScoped,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Entry],
):
    serializer_class = CpdEntrySerializer
    filterset_class = CpdEntryFilter
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self) -> QuerySet[Entry]:
        return with_details(self.visible_entries()).distinct()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.require_self()
        data = CpdEntryWriteSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        try:
            entry = services.entry_create(
                actor=_actor(request),
                organisation=self.scope.organisation,
                manager=self.scope.person,
                data=data.entry_input(),
            )
        except DjangoValidationError as e:
            _raise_drf(e)
        return Response(self._read(entry.pk), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entry = self.get_object()
        self.require_self()
        data = CpdEntryWriteSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        try:
            services.entry_update(actor=_actor(request), entry=entry, data=data.entry_input(entry))
        except DjangoValidationError as e:
            _raise_drf(e)
        return Response(self._read(entry.pk))

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entry = self.get_object()
        self.require_self()
        services.entry_delete(actor=_actor(request), entry=entry)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=None,
        responses={200: CpdEntrySerializer},
        summary=_("Confirm a shared entry (the manager's supervisor)"),
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entry = self.get_object()
        if not can_confirm(entry, self.scope.relations):
            if not (entry.confirmed_at and "supervisor" in self.scope.relations):
                raise PermissionDenied(
                    _("Only the manager's supervisor confirms an entry she has shared.")
                )
        else:
            try:
                services.entry_confirm(actor=_actor(request), entry=entry)
            except DjangoPermissionDenied as e:
                raise PermissionDenied(str(e)) from e
        return Response(self._read(entry.pk))

    def _read(self, pk: int) -> Any:
        return CpdEntrySerializer(
            self.get_queryset().get(pk=pk), context=self.get_serializer_context()
        ).data


@extend_schema_view(
    list=extend_schema(summary=_("Evidence files of a CPD entry")),
    retrieve=extend_schema(summary=_("An evidence file's details")),
    create=extend_schema(
        request={"multipart/form-data": CpdEvidenceUploadSerializer},
        responses={201: CpdEvidenceSerializer},
        summary=_("Upload an evidence file (the manager herself)"),
    ),
    destroy=extend_schema(summary=_("Delete an evidence file (the manager herself)")),
)
class EvidenceViewSet(
    CpdScoped,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[Evidence],
):
    serializer_class = CpdEvidenceSerializer
    lookup_value_converter = "int"
    parser_classes = [MultiPartParser, FormParser]
    filter_backends: list[Any] = []
    pagination_class = None

    def entry(self) -> Entry:
        if not hasattr(self, "_entry"):
            entry = (
                self.visible_entries()
                .select_related("organisation")
                .filter(pk=self.kwargs["entry_id"])
                .first()
            )
            if entry is None:
                raise NotFound
            self._entry = entry
        return self._entry

    def get_queryset(self) -> QuerySet[Evidence]:
        if getattr(self, "swagger_fake_view", False):
            return Evidence.objects.none()
        return (
            Evidence.objects.filter(entry=self.entry())
            .select_related("entry__organisation")
            .order_by("uploaded_at", "id")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entry = self.entry()
        self.require_self()
        data = CpdEvidenceUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            evidence = services.evidence_add(
                actor=_actor(request), entry=entry, upload=data.validated_data["file"]
            )
        except DjangoValidationError as e:
            raise ValidationError({"file": e.messages}) from e
        return Response(
            CpdEvidenceSerializer(evidence, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    def perform_destroy(self, instance: Evidence) -> None:
        self.require_self()
        services.evidence_delete(actor=_actor(self.request), evidence=instance)

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                response=OpenApiTypes.BINARY,
                description=_("The file, with the type sniffed on upload"),
            )
        },
        summary=_("Download an evidence file"),
    )
    @action(detail=True, methods=["get"], renderer_classes=[BinaryRenderer])
    def download(self, request: Request, *args: Any, **kwargs: Any) -> FileResponse:
        evidence = self.get_object()
        try:
            handle = evidence.file.open("rb")
        except FileNotFoundError as e:
            raise NotFound from e
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=evidence.original_name,
            content_type=evidence.content_type or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response


class SummaryViewSet(CpdScoped, viewsets.GenericViewSet[Entry]):
    serializer_class = CpdSummarySerializer
    filter_backends: list[Any] = []
    pagination_class = None

    def get_queryset(self) -> QuerySet[Entry]:
        return self.visible_entries()

    @extend_schema(
        parameters=[CpdSummaryQuerySerializer],
        responses={200: CpdSummarySerializer},
        summary=_(
            "Hours and SCQF credits by year, month, type and competence; progress through frameworks"
        ),
        description=_(
            "Counts only the entries the caller may see: for a supervisor, mentor or coach, "
            "the entries shared with them."
        ),
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = CpdSummaryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        result = summarise(
            self.get_queryset(),
            period_from=query.validated_data.get("date_from"),
            period_to=query.validated_data.get("date_to"),
        )
        return Response(CpdSummarySerializer(_summary_data(result)).data)


def _row(row: Any) -> dict[str, Any]:
    return {
        "key": row.key,
        "name": row.label,
        "hours": row.hours,
        "credits": row.credits,
        "entries": row.entries,
    }


def _summary_data(result: Any) -> dict[str, Any]:
    return {
        "date_from": result.period_from,
        "date_to": result.period_to,
        "entries": result.entries,
        "hours": result.hours,
        "credits": result.credits,
        "by_year": [_row(r) for r in result.by_year],
        "by_month": [_row(r) for r in result.by_month],
        "by_type": [_row(r) for r in result.by_type],
        "by_competence": [_row(r) for r in result.by_competence],
        "frameworks": [
            {
                "framework": f.edition.framework.slug,
                "edition": f.edition.identifier,
                "title": f.edition.display_title,
                "outcomes_reached": f.reached,
                "outcomes_total": f.total,
                "domains": [
                    {
                        "identifier": d.node.identifier if d.node else None,
                        "code": d.node.code if d.node else "",
                        "title": d.node.display_title if d.node else "",
                        "outcomes_reached": d.reached,
                        "outcomes_total": d.total,
                        "domain_entries": d.direct_entries,
                        "outcomes": [
                            {
                                "identifier": o.node.identifier,
                                "code": o.node.code,
                                "title": o.node.display_title,
                                "entries": o.entries,
                            }
                            for o in d.outcomes
                        ],
                    }
                    for d in f.domains
                ],
            }
            for f in result.frameworks
        ],
        "counts_towards": [
            {
                "node": row.node,
                "counts_towards": [
                    {"node": c.node, "kind": c.kind, "confirmed": c.confirmed} for c in row.towards
                ],
            }
            for row in result.counts_towards
        ],
    }


def register(router: Any) -> None:
    router.register(f"{PREFIX}/entries", EntryViewSet, basename="cpd-entry")
    router.register(
        f"{PREFIX}/entries/<int:entry_id>/evidence", EvidenceViewSet, basename="cpd-evidence"
    )
    router.register(f"{PREFIX}/summary", SummaryViewSet, basename="cpd-summary")
