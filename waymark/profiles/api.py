"""REST endpoints for role profiles and PMSs, scoped like the pages:

- /api/v1/organisations/{org_slug}/role-profiles/ — every member reads the active role
  profiles; L&D leads and admins also see archived ones, create and change them.
- /api/v1/organisations/{org_slug}/pms/ — the PMSs the caller may read (her own, those
  of the managers she supervises, everyone's for L&D leads and admins); one by the
  manager's id.
- …/pms/{person_id}/revisions/ — every revision, one by number; the manager posts the
  whole desired content to make a new revision (the first one starts the PMS);
  …/revisions/{number}/agree/ — her supervisor agrees the current revision.

Anyone outside the organisation, and anyone who may not read a PMS (including mentors
and coaches), gets 404; a reader who may not write gets 403. Job description files are
downloaded through the PMS pages (`file_url`), which check the same rules."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from waymark.accounts.models import User
from waymark.frameworks.models import Node
from waymark.organisations.middleware import organisation_for
from waymark.organisations.models import Organisation, SupportKind, SupportRelationship

from . import services
from .models import (
    BasicKind,
    Importance,
    Level,
    ManagerLevel,
    Revision,
    RoleCompetence,
    RoleProfile,
    SpecCompetence,
    Specification,
)
from .selectors import (
    PROFILE_EDITORS,
    BasicRow,
    CompetenceRow,
    QualificationRow,
    SpecContent,
    edition_updates,
    specs_visible_to,
)

# --- serializers ---------------------------------------------------------------------------


class CompetenceSerializer(serializers.Serializer[Any]):
    node = serializers.UUIDField(
        source="node.identifier", help_text=_("The item's CASE identifier.")
    )
    code = serializers.CharField(source="node.code", read_only=True)
    statement = serializers.CharField(source="node.statement", read_only=True)
    framework = serializers.CharField(source="node.edition.framework.slug", read_only=True)
    edition = serializers.CharField(source="node.edition.version", read_only=True)
    expected_level = serializers.ChoiceField(choices=Level.choices)
    importance = serializers.ChoiceField(choices=Importance.choices)


class QualificationSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=300)
    note = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")


class BasicSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=BasicKind.choices)
    title = serializers.CharField(max_length=300)


class CompetenceWriteSerializer(serializers.Serializer[Any]):
    node = serializers.UUIDField(help_text=_("The item's CASE identifier."))
    expected_level = serializers.ChoiceField(choices=Level.choices)
    importance = serializers.ChoiceField(choices=Importance.choices)


class RoleProfileSerializer(serializers.ModelSerializer[RoleProfile]):
    competences = CompetenceSerializer(many=True, read_only=True)
    qualifications = QualificationSerializer(many=True, read_only=True)
    basics = BasicSerializer(many=True, read_only=True)

    class Meta:
        model = RoleProfile
        fields = [
            "id",
            "title",
            "manager_level",
            "description",
            "archived",
            "competences",
            "qualifications",
            "basics",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RoleProfileWriteSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200)
    manager_level = serializers.ChoiceField(choices=ManagerLevel.choices)
    description = serializers.CharField(allow_blank=True, required=False, default="")
    archived = serializers.BooleanField(required=False)
    competences = CompetenceWriteSerializer(many=True, required=False)
    qualifications = QualificationSerializer(many=True, required=False)
    basics = BasicSerializer(many=True, required=False)


class RoleProfilePatchSerializer(RoleProfileWriteSerializer):
    title = serializers.CharField(max_length=200, required=False)
    manager_level = serializers.ChoiceField(choices=ManagerLevel.choices, required=False)
    description = serializers.CharField(allow_blank=True, required=False)


class PersonSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()


class RevisionSerializer(serializers.ModelSerializer[Revision]):
    competences = CompetenceSerializer(many=True, read_only=True)
    qualifications = QualificationSerializer(many=True, read_only=True)
    basics = BasicSerializer(many=True, read_only=True)
    role_profile: serializers.PrimaryKeyRelatedField[RoleProfile] = (
        serializers.PrimaryKeyRelatedField(read_only=True)
    )
    created_by = serializers.CharField(
        source="created_by.display_name", default=None, read_only=True
    )
    agreed_by = serializers.CharField(source="agreed_by.display_name", default=None, read_only=True)
    file_url = serializers.SerializerMethodField(
        help_text=_("Where the job description file downloads from (signed-in pages), or null.")
    )

    class Meta:
        model = Revision
        fields = [
            "number",
            "job_title",
            "manager_level",
            "job_description",
            "file_url",
            "job_description_name",
            "role_profile",
            "change_note",
            "created_at",
            "created_by",
            "agreed_at",
            "agreed_by",
            "competences",
            "qualifications",
            "basics",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_file_url(self, revision: Revision) -> str | None:
        if not revision.job_description_file:
            return None
        spec = revision.specification
        url = reverse(
            "profiles:pms_file",
            kwargs={
                "org_slug": spec.organisation.slug,
                "person_id": spec.manager_id,
                "number": revision.number,
            },
        )
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class EditionUpdateSerializer(serializers.Serializer[Any]):
    framework = serializers.CharField(source="framework.slug")
    old_edition = serializers.CharField(source="old_edition.version")
    new_edition = serializers.CharField(source="new_edition.version")
    changed = serializers.ListField(child=serializers.CharField())
    removed = serializers.ListField(child=serializers.CharField())
    added = serializers.ListField(child=serializers.CharField())


class SpecificationSerializer(serializers.ModelSerializer[Specification]):
    person = PersonSerializer(source="manager", read_only=True)
    current = RevisionSerializer(read_only=True)
    edition_updates = serializers.SerializerMethodField(
        help_text=_(
            "Frameworks with a newer edition than the one the PMS points at (only on "
            "a single PMS): the codes changed, removed and added nearby."
        )
    )

    class Meta:
        model = Specification
        fields = ["person", "created_at", "current", "edition_updates"]
        read_only_fields = fields

    @extend_schema_field(EditionUpdateSerializer(many=True))
    def get_edition_updates(self, spec: Specification) -> list[dict[str, Any]] | None:
        if not self.context.get("detail") or spec.current is None:
            return None
        return [
            EditionUpdateSerializer(
                {
                    "framework": u.framework,
                    "old_edition": u.old_edition,
                    "new_edition": u.new_edition,
                    "changed": [c.old.code for c in u.changed],
                    "removed": [c.old.code for c in u.removed],
                    "added": [n.code for n in u.added],
                }
            ).data
            for u in edition_updates(spec.current)
        ]


class RevisionWriteSerializer(serializers.Serializer[Any]):
    job_title = serializers.CharField(max_length=200)
    manager_level = serializers.ChoiceField(choices=ManagerLevel.choices)
    job_description = serializers.CharField(allow_blank=True, required=False, default="")
    competences = CompetenceWriteSerializer(many=True, required=False, default=list)
    qualifications = QualificationSerializer(many=True, required=False, default=list)
    basics = BasicSerializer(many=True, required=False, default=list)
    change_note = serializers.CharField(
        max_length=500, allow_blank=True, required=False, default=""
    )
    based_on = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The revision number you changed; refused if the PMS has moved on since."),
    )
    role_profile = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "Only when starting a PMS: the role profile to start from. Its content is "
            "copied into revision 1; the other fields (except job title and manager "
            "level, if given) are ignored."
        ),
    )
    remove_file = serializers.BooleanField(required=False, default=False)


# --- helpers ---------------------------------------------------------------------------------


def _nodes(items: list[dict[str, Any]]) -> list[CompetenceRow]:
    ids = [i["node"] for i in items]
    nodes = {
        n.identifier: n
        for n in Node.objects.filter(identifier__in=ids).select_related(
            "edition__framework", "parent"
        )
    }
    missing = [str(i) for i in ids if i not in nodes]
    if missing:
        raise ValidationError(
            {"competences": [_("No such item: %(ids)s") % {"ids": ", ".join(missing)}]}
        )
    return [
        CompetenceRow(nodes[i["node"]], int(i["expected_level"]), int(i["importance"]))
        for i in items
    ]


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


# --- role profiles -----------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("The organisation's role profiles")),
    retrieve=extend_schema(summary=_("A role profile")),
    create=extend_schema(
        request=RoleProfileWriteSerializer,
        responses={201: RoleProfileSerializer},
        summary=_("Create a role profile (L&D leads and admins)"),
    ),
    partial_update=extend_schema(
        request=RoleProfilePatchSerializer,
        responses={200: RoleProfileSerializer},
        summary=_(
            "Change a role profile (L&D leads and admins); lists given replace the profile's"
        ),
    ),
)
class RoleProfileViewSet(
    OrganisationScoped,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[RoleProfile],
):
    serializer_class = RoleProfileSerializer
    lookup_value_converter = "int"
    filter_backends: list[Any] = []
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _editor(self) -> bool:
        return bool(self.roles & PROFILE_EDITORS)

    def get_queryset(self) -> QuerySet[RoleProfile]:
        if getattr(self, "swagger_fake_view", False):
            return RoleProfile.objects.none()
        profiles = RoleProfile.objects.filter(organisation=self.organisation)
        if not self._editor():
            profiles = profiles.filter(archived=False)
        return profiles.prefetch_related(
            Prefetch(
                "competences",
                queryset=RoleCompetence.objects.select_related("node__edition__framework"),
            ),
            "qualifications",
            "basics",
        ).order_by("title", "id")

    def _check_editor(self) -> None:
        if not self._editor():
            raise PermissionDenied(
                _("Only learning and development leads and admins change role profiles.")
            )

    def _apply(self, profile: RoleProfile, data: dict[str, Any]) -> None:
        user = self.request.user
        assert isinstance(user, User)
        try:
            if "competences" in data:
                services.role_competences_set(
                    actor=user, role_profile=profile, competences=_nodes(data["competences"])
                )
            if "qualifications" in data:
                for q in profile.qualifications.all():
                    services.role_qualification_remove(actor=user, qualification=q)
                for item in data["qualifications"]:
                    services.role_qualification_add(actor=user, role_profile=profile, **item)
            if "basics" in data:
                for b in profile.basics.all():
                    services.role_basic_remove(actor=user, basic=b)
                for item in data["basics"]:
                    services.role_basic_add(actor=user, role_profile=profile, **item)
            if "archived" in data and data["archived"] != profile.archived:
                services.role_profile_archive(
                    actor=user, role_profile=profile, archived=data["archived"]
                )
        except services.ProfileError as e:
            raise ValidationError({"non_field_errors": [str(e)]}) from e

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self._check_editor()
        data = RoleProfileWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        assert isinstance(request.user, User)
        with transaction.atomic():
            profile = services.role_profile_create(
                actor=request.user,
                organisation=self.organisation,
                title=v["title"],
                manager_level=v["manager_level"],
                description=v["description"],
            )
            self._apply(profile, v)
        return Response(
            RoleProfileSerializer(self.get_queryset().get(pk=profile.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        profile = self.get_object()
        self._check_editor()
        data = RoleProfilePatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        assert isinstance(request.user, User)
        with transaction.atomic():
            if {"title", "manager_level", "description"} & set(v):
                profile = services.role_profile_update(
                    actor=request.user,
                    role_profile=profile,
                    title=v.get("title", profile.title),
                    manager_level=v.get("manager_level", profile.manager_level),
                    description=v.get("description", profile.description),
                )
            self._apply(profile, v)
        return Response(RoleProfileSerializer(self.get_queryset().get(pk=profile.pk)).data)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)


# --- PMS -----------------------------------------------------------------------------------


def _revisions() -> QuerySet[Revision]:
    return Revision.objects.select_related(
        "created_by", "agreed_by", "specification__organisation"
    ).prefetch_related(
        Prefetch(
            "competences",
            queryset=SpecCompetence.objects.select_related("node__edition__framework"),
        ),
        "qualifications",
        "basics",
    )


@extend_schema_view(
    list=extend_schema(summary=_("The PMSs you may read in the organisation")),
    retrieve=extend_schema(summary=_("A manager's PMS, with its current revision")),
)
class SpecificationViewSet(OrganisationScoped, viewsets.ReadOnlyModelViewSet[Specification]):
    serializer_class = SpecificationSerializer
    lookup_field = "manager_id"
    lookup_url_kwarg = "person_id"
    lookup_value_converter = "int"
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Specification]:
        if getattr(self, "swagger_fake_view", False):
            return Specification.objects.none()
        assert isinstance(self.request.user, User)
        return (
            specs_visible_to(self.request.user, self.organisation, self.roles)
            .select_related("manager", "organisation")
            .prefetch_related(Prefetch("current", queryset=_revisions()))
            .order_by("manager__full_name", "manager__email")
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "detail": self.action == "retrieve"}


@extend_schema_view(
    list=extend_schema(summary=_("Every revision of a manager's PMS, newest first")),
    retrieve=extend_schema(summary=_("One revision of a manager's PMS")),
    create=extend_schema(
        request=RevisionWriteSerializer,
        responses={201: RevisionSerializer},
        summary=_("Save a new revision of your own PMS (the first one starts it)"),
        description=_(
            "Send the whole desired content: competences, qualifications and basics "
            "not listed are left out of the new revision. The job description file "
            "is kept unless remove_file is true."
        ),
    ),
)
class RevisionViewSet(
    OrganisationScoped,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Revision],
):
    serializer_class = RevisionSerializer
    lookup_field = "number"
    lookup_value_converter = "int"
    filter_backends: list[Any] = []

    def _person_id(self) -> int:
        return int(self.kwargs["person_id"])

    def _spec(self) -> Specification | None:
        assert isinstance(self.request.user, User)
        return (
            specs_visible_to(self.request.user, self.organisation, self.roles)
            .select_related("manager", "organisation")
            .filter(manager_id=self._person_id())
            .first()
        )

    def get_queryset(self) -> QuerySet[Revision]:
        if getattr(self, "swagger_fake_view", False):
            return Revision.objects.none()
        spec = self._spec()
        if spec is None:
            raise Http404
        return _revisions().filter(specification=spec).order_by("-number")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = request.user
        assert isinstance(user, User)
        if user.pk != self._person_id():
            if self._spec() is None:
                raise Http404
            raise PermissionDenied(_("Only the manager changes her own specification."))
        data = RevisionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        spec = self._spec()
        try:
            if spec is None:
                profile = None
                if v["role_profile"] is not None:
                    profile = RoleProfile.objects.filter(
                        organisation=self.organisation, archived=False, pk=v["role_profile"]
                    ).first()
                    if profile is None:
                        raise ValidationError({"role_profile": [_("No such role profile.")]})
                with transaction.atomic():
                    spec = services.spec_start(
                        actor=user,
                        organisation=self.organisation,
                        manager=user,
                        role_profile=profile,
                        job_title=v["job_title"],
                        manager_level=v["manager_level"],
                        change_note=v["change_note"],
                    )
                    if profile is None and (
                        v["competences"]
                        or v["qualifications"]
                        or v["basics"]
                        or v["job_description"]
                    ):
                        services.spec_revise(
                            actor=user,
                            specification=spec,
                            content=self._content(v),
                            change_note=v["change_note"],
                        )
            else:
                services.spec_revise(
                    actor=user,
                    specification=spec,
                    content=self._content(v),
                    change_note=v["change_note"],
                    based_on=v["based_on"],
                    remove_file=v["remove_file"],
                )
        except services.NothingChanged as e:
            raise ValidationError({"non_field_errors": [str(e)]}) from e
        except services.ProfileError as e:
            raise ValidationError({"non_field_errors": [str(e)]}) from e
        spec.refresh_from_db()
        assert spec.current_id is not None
        revision = _revisions().get(pk=spec.current_id)
        return Response(
            RevisionSerializer(revision, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @staticmethod
    def _content(v: dict[str, Any]) -> SpecContent:
        return SpecContent(
            job_title=v["job_title"],
            manager_level=v["manager_level"],
            job_description=v["job_description"],
            competences=_nodes(v["competences"]),
            qualifications=[
                QualificationRow(q["title"], q.get("note", "")) for q in v["qualifications"]
            ],
            basics=[BasicRow(b["kind"], b["title"]) for b in v["basics"]],
        )

    @extend_schema(
        request=None,
        responses={200: RevisionSerializer},
        summary=_("Agree the current revision (the manager's supervisor)"),
    )
    @action(detail=True, methods=["post"])
    def agree(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        revision = self.get_object()
        user = request.user
        assert isinstance(user, User)
        spec = revision.specification
        is_supervisor = SupportRelationship.objects.filter(
            organisation=self.organisation,
            manager_id=spec.manager_id,
            supporter=user,
            kind=SupportKind.SUPERVISOR,
        ).exists()
        if not is_supervisor:
            raise PermissionDenied(_("Only the manager's supervisor can agree her specification."))
        try:
            services.spec_agree(actor=user, revision=revision)
        except services.ProfileError as e:
            raise ValidationError({"non_field_errors": [str(e)]}) from e
        return Response(
            RevisionSerializer(
                _revisions().get(pk=revision.pk), context=self.get_serializer_context()
            ).data
        )


def register(router: Any) -> None:
    org = "organisations/<slug:org_slug>/"
    router.register(org + "role-profiles", RoleProfileViewSet, basename="role-profile")
    router.register(org + "pms", SpecificationViewSet, basename="pms")
    router.register(org + "pms/<int:person_id>/revisions", RevisionViewSet, basename="pms-revision")
