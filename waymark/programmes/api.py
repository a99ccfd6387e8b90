"""Development programmes in the REST API, scoped as the pages are:

- /api/v1/organisations/{org_slug}/programmes/ — the programmes the caller may see (every
  one for L&D leads and admins; her own for a participant or facilitator); L&D leads and
  admins create one from a template.
- …/programmes/{programme_id}/sessions/ — its sessions; L&D leads and admins add one.
- …/programmes/{programme_id}/sessions/{session_id}/attendance/ — attendance at a session
  (L&D leads and admins see everyone's and record it; a participant sees only her own).

Anyone outside the organisation, and a member who may not see the programme, gets 404;
a reader who may not write gets 403. CPD entries made by attendance are not exposed here:
the participant reaches them through the CPD API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NoReturn

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from waymark.accounts.models import User
from waymark.frameworks.models import Framework, Node
from waymark.organisations.middleware import organisation_for
from waymark.organisations.models import Organisation

from . import selectors, services
from .models import (
    Attendance,
    AttendanceStatus,
    Cohort,
    Module,
    Participant,
    Programme,
    Session,
    Template,
)


class OrganisationScoped:
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

    def visible_programmes(self) -> QuerySet[Programme]:
        return selectors.programmes_visible_to(self.user(), self.organisation, self.roles)

    def require_manager(self) -> None:
        if not selectors.can_manage(self.roles):
            raise PermissionDenied(_("Only learning and development leads and admins do this."))

    def programme(self) -> Programme:
        return get_object_or_404(self.visible_programmes(), pk=self.kwargs["programme_id"])


def _raise(error: DjangoValidationError) -> NoReturn:
    raise ValidationError(
        {("non_field_errors" if k == "__all__" else k): v for k, v in error.message_dict.items()}
    ) from error


# --- serializers ---------------------------------------------------------------------------


class ProgrammeNodeSerializer(serializers.Serializer[Node]):
    identifier = serializers.UUIDField(read_only=True)
    code = serializers.CharField(read_only=True)
    title = serializers.CharField(source="display_title", read_only=True)


class ModuleSerializer(serializers.ModelSerializer[Module]):
    nodes = ProgrammeNodeSerializer(many=True, read_only=True)

    class Meta:
        model = Module
        fields = ["id", "sequence", "title", "kind", "days", "activity_type", "nodes"]
        read_only_fields = fields


class CohortSerializer(serializers.ModelSerializer[Cohort]):
    class Meta:
        model = Cohort
        fields = ["id", "name", "start_date", "end_date"]
        read_only_fields = fields


class ProgrammeSerializer(serializers.ModelSerializer[Programme]):
    modules = ModuleSerializer(many=True, read_only=True)
    cohorts = CohortSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id",
            "title",
            "description",
            "status",
            "start_date",
            "end_date",
            "template",
            "modules",
            "cohorts",
        ]
        read_only_fields = fields


class ProgrammeCreateSerializer(serializers.Serializer[Any]):
    template = serializers.ChoiceField(
        choices=[Template.MODULAR.value, Template.MONTHLY.value],
        help_text=_(
            "modular: introductory module, up to six modules, final review; "
            "monthly: a session a month per framework domain."
        ),
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    start_date = serializers.DateField()
    cohort_name = serializers.CharField(required=False, allow_blank=True, default="")
    module_count = serializers.IntegerField(required=False, default=6)
    module_days = serializers.DecimalField(
        max_digits=3, decimal_places=1, required=False, default=Decimal("2")
    )
    framework = serializers.SlugField(
        required=False, allow_blank=True, default="", help_text=_("The framework's slug.")
    )


class SessionSerializer(serializers.ModelSerializer[Session]):
    module_title = serializers.CharField(source="module.title", read_only=True)
    facilitators = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = [
            "id",
            "module",
            "module_title",
            "cohort",
            "date",
            "start_time",
            "end_time",
            "place",
            "online_link",
            "facilitators",
            "external_facilitators",
        ]
        read_only_fields = ["id", "module_title", "facilitators"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programme = self.context.get("programme")
        if programme is not None:
            # Only this programme's modules and cohorts: others are "not found".
            self.fields["module"].queryset = programme.modules.all()  # type: ignore[attr-defined]
            self.fields["cohort"].queryset = programme.cohorts.all()  # type: ignore[attr-defined]

    def get_facilitators(self, obj: Session) -> list[str]:
        return [u.display_name for u in obj.facilitators.all()]


class AttendanceSerializer(serializers.ModelSerializer[Attendance]):
    participant = serializers.IntegerField(source="participant_id", read_only=True)
    name = serializers.CharField(source="participant.user.display_name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["participant", "name", "status"]
        read_only_fields = fields


class MarkSerializer(serializers.Serializer[Any]):
    participant = serializers.IntegerField()
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)


class AttendanceWriteSerializer(serializers.Serializer[Any]):
    marks = MarkSerializer(many=True)


class AttendanceResultSerializer(serializers.Serializer[Any]):
    recorded = serializers.IntegerField()
    entries_made = serializers.IntegerField()
    entries_removed = serializers.IntegerField()
    entries_kept = serializers.IntegerField()


# --- views ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("The programmes you may see in the organisation")),
    retrieve=extend_schema(summary=_("A programme with its modules and cohorts")),
    create=extend_schema(
        request=ProgrammeCreateSerializer,
        responses={201: ProgrammeSerializer},
        summary=_("Create a programme from a template (L&D leads and admins)"),
    ),
)
class ProgrammeViewSet(
    OrganisationScoped,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Programme],
):
    serializer_class = ProgrammeSerializer
    lookup_url_kwarg = "programme_id"
    lookup_value_converter = "int"
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Programme]:
        if getattr(self, "swagger_fake_view", False):
            return Programme.objects.none()
        return self.visible_programmes().prefetch_related(
            Prefetch("modules", Module.objects.prefetch_related("nodes")), "cohorts"
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.require_manager()
        data = ProgrammeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        framework = None
        if v["framework"]:
            framework = Framework.objects.filter(slug=v["framework"]).first()
            if framework is None:
                raise ValidationError({"framework": [_("No framework with that short name.")]})
        try:
            programme = services.programme_create_from_template(
                actor=self.user(),
                organisation=self.organisation,
                data=services.TemplateInput(
                    template=v["template"],
                    title=v["title"],
                    description=v["description"],
                    start_date=v["start_date"],
                    cohort_name=v["cohort_name"],
                    module_count=v["module_count"],
                    module_days=Decimal(str(v["module_days"])),
                    framework=framework,
                ),
            )
        except DjangoValidationError as e:
            _raise(e)
        return Response(
            ProgrammeSerializer(self.get_queryset().get(pk=programme.pk)).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    list=extend_schema(summary=_("The sessions of a programme, in date order")),
    retrieve=extend_schema(summary=_("A session")),
    create=extend_schema(summary=_("Add a session (L&D leads and admins)")),
)
class SessionViewSet(
    OrganisationScoped,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Session],
):
    serializer_class = SessionSerializer
    lookup_url_kwarg = "session_id"
    lookup_value_converter = "int"
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Session]:
        if getattr(self, "swagger_fake_view", False):
            return Session.objects.none()
        return (
            Session.objects.filter(programme=self.programme())
            .select_related("module")
            .prefetch_related("facilitators")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        programme = self.programme()
        self.require_manager()
        data = SessionSerializer(data=request.data, context={"programme": programme})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            session = services.session_create(
                actor=self.user(),
                programme=programme,
                data=services.SessionInput(
                    module=v["module"],
                    cohort=v["cohort"],
                    date=v["date"],
                    start_time=v["start_time"],
                    end_time=v["end_time"],
                    place=v.get("place", ""),
                    online_link=v.get("online_link", ""),
                    external_facilitators=v.get("external_facilitators", ""),
                ),
            )
        except DjangoValidationError as e:
            _raise(e)
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary=_("Attendance at a session (everyone's for L&D leads and admins, else yours)")
    ),
    create=extend_schema(
        request=AttendanceWriteSerializer,
        responses={200: AttendanceResultSerializer},
        summary=_("Record attendance at a session (L&D leads and admins)"),
        description=_(
            "“present” adds a shared entry to the participant's CPD record, once; "
            "recording again never duplicates it."
        ),
    ),
)
class AttendanceViewSet(
    OrganisationScoped,
    mixins.ListModelMixin,
    viewsets.GenericViewSet[Attendance],
):
    serializer_class = AttendanceSerializer
    filter_backends: list[Any] = []
    pagination_class = None

    def session(self) -> Session:
        programme = self.programme()
        session = get_object_or_404(
            Session.objects.select_related("module", "cohort"),
            programme=programme,
            pk=self.kwargs["session_id"],
        )
        session.programme = programme
        return session

    def get_queryset(self) -> QuerySet[Attendance]:
        if getattr(self, "swagger_fake_view", False):
            return Attendance.objects.none()
        marks = Attendance.objects.filter(session=self.session()).select_related(
            "participant__user"
        )
        if not selectors.can_manage(self.roles):
            marks = marks.filter(participant__user=self.user())
        return marks.order_by("participant__user__full_name")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        session = self.session()
        self.require_manager()
        data = AttendanceWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marks: dict[int, str] = {}
        names = dict(
            Participant.objects.filter(cohort=session.cohort).values_list("pk", "user__full_name")
        )
        for mark in data.validated_data["marks"]:
            pid = mark["participant"]
            if pid in marks:
                raise ValidationError(
                    {
                        "marks": [
                            str(services.MESSAGES["attendance_duplicate"]).format(
                                name=names.get(pid, pid)
                            )
                        ]
                    }
                )
            marks[pid] = mark["status"]
        try:
            result = services.attendance_record(actor=self.user(), session=session, marks=marks)
        except DjangoValidationError as e:
            _raise(e)
        return Response(
            AttendanceResultSerializer(
                {
                    "recorded": result.recorded,
                    "entries_made": len(result.entries_made),
                    "entries_removed": len(result.entries_removed),
                    "entries_kept": len(result.entries_kept),
                }
            ).data
        )


def register(router: Any) -> None:
    org = "organisations/<slug:org_slug>/programmes"
    router.register(org, ProgrammeViewSet, basename="programme")
    router.register(
        org + "/<int:programme_id>/sessions", SessionViewSet, basename="programme-session"
    )
    router.register(
        org + "/<int:programme_id>/sessions/<int:session_id>/attendance",
        AttendanceViewSet,
        basename="programme-attendance",
    )
