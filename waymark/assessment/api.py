"""Self-assessments in the REST API (/api/v1/assessments/).

Scoped like the pages (`selectors.assessments_visible_to`): a manager reaches all her
own rounds; her supervisor, and the L&D leads and admins of her organisation, reach her
submitted rounds only; nobody else reaches any (404). Only the manager starts a round,
saves ratings and submits (403 for anyone else who can see it). Framework items are
addressed by their CASE identifiers, as everywhere in the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from waymark.frameworks.selectors import CountsTowards
from waymark.organisations.middleware import organisation_for
from waymark.profiles.models import Importance, Level, SpecCompetence

from .models import Rating, SelfAssessment
from .selectors import (
    Domain,
    GapAnalysis,
    Progress,
    assessments_visible_to,
    counts_towards_elsewhere,
    gap_analysis,
    previous_round,
    progress,
    with_counts,
)
from .services import (
    EVIDENCE_MAX_LENGTH,
    AssessmentError,
    RatingInput,
    assessment_save,
    assessment_start,
    assessment_submit,
)

# --- serializers --------------------------------------------------------------------------


class MissingCompetenceSerializer(serializers.Serializer[Any]):
    node = serializers.UUIDField(source="identifier", help_text=_("The item's CASE identifier."))
    code = serializers.CharField()
    title = serializers.CharField(source="display_title")
    statement = serializers.CharField()


class AssessmentRevisionSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    job_title = serializers.CharField()


class AssessmentManagerSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    full_name = serializers.CharField()


class AssessmentRatingSerializer(serializers.Serializer[Any]):
    node = serializers.UUIDField(source="node.identifier")
    code = serializers.CharField(source="node.code")
    statement = serializers.CharField(source="node.statement")
    level = serializers.IntegerField(allow_null=True, min_value=0, max_value=4)
    level_label = serializers.SerializerMethodField()
    evidence = serializers.CharField()

    def get_level_label(self, rating: Rating) -> str | None:
        return str(Level(rating.level).label) if rating.level is not None else None


class AssessmentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    organisation = serializers.SlugField(source="organisation.slug")
    manager = AssessmentManagerSerializer()
    revision = AssessmentRevisionSerializer(help_text=_("The PMS revision rated against."))
    started_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    completed = serializers.BooleanField(source="is_submitted")
    rated = serializers.IntegerField(source="rated_count", help_text=_("Competences rated so far."))
    competences = serializers.IntegerField(
        source="competence_count", help_text=_("Competences in the PMS revision.")
    )


class AssessmentDetailSerializer(AssessmentSerializer):
    ratings = AssessmentRatingSerializer(many=True, source="rating_list")


class AssessmentCreateSerializer(serializers.Serializer[Any]):
    organisation = serializers.SlugField(
        help_text=_("The organisation whose PMS you rate yourself against (its short name).")
    )


_LEVEL_ERROR = _("Choose a level from 0 (Not yet) to 4 (Leading), or null for “not sure yet”.")


class AssessmentRatingInputSerializer(serializers.Serializer[Any]):
    node = serializers.UUIDField(help_text=_("The CASE identifier of a competence of the PMS."))
    level = serializers.IntegerField(
        allow_null=True,
        min_value=0,
        max_value=4,
        help_text=_(
            "0 Not yet, 1 Aware, 2 Developing, 3 Confident, 4 Leading; null: not sure yet."
        ),
        error_messages={
            "min_value": _LEVEL_ERROR,
            "max_value": _LEVEL_ERROR,
            "invalid": _LEVEL_ERROR,
        },
    )
    evidence = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=EVIDENCE_MAX_LENGTH,
        error_messages={
            "max_length": _("The evidence note must be 5,000 characters or fewer."),
        },
    )


class AssessmentRatingsInputSerializer(serializers.Serializer[Any]):
    ratings = AssessmentRatingInputSerializer(many=True, allow_empty=False)


class GapCountsTowardsSerializer(serializers.Serializer[Any]):
    node = serializers.UUIDField(source="node.identifier")
    code = serializers.CharField(source="node.code")
    title = serializers.CharField(source="node.display_title")
    framework = serializers.SlugField(source="node.edition.framework.slug")
    kind = serializers.CharField()
    confirmed = serializers.BooleanField()


class GapDomainRefSerializer(serializers.Serializer[Any]):
    node = serializers.UUIDField(source="node.identifier")
    code = serializers.CharField()
    title = serializers.CharField(source="node.display_title")


class GapCompetenceSerializer(serializers.Serializer[Any]):
    rank = serializers.IntegerField()
    node = serializers.UUIDField()
    code = serializers.CharField()
    statement = serializers.CharField()
    domain = GapDomainRefSerializer()
    expected = serializers.IntegerField()
    self_level = serializers.IntegerField(allow_null=True)
    gap = serializers.IntegerField(allow_null=True)
    importance = serializers.IntegerField()
    importance_label = serializers.CharField()
    priority = serializers.IntegerField()
    counts_towards = GapCountsTowardsSerializer(many=True)


class GapDomainSerializer(serializers.Serializer[Any]):
    node = serializers.UUIDField()
    code = serializers.CharField()
    title = serializers.CharField()
    competences = serializers.IntegerField()
    rated = serializers.IntegerField()
    mean_expected = serializers.FloatField()
    mean_self = serializers.FloatField(allow_null=True)
    total_priority = serializers.IntegerField()
    counts_towards = GapCountsTowardsSerializer(many=True)


class GapChangeSerializer(serializers.Serializer[Any]):
    node = serializers.UUIDField()
    code = serializers.CharField()
    before = serializers.FloatField(allow_null=True)
    after = serializers.FloatField(allow_null=True)
    direction = serializers.ChoiceField(choices=["up", "down", "same", "new", "gone", "unrated"])
    words = serializers.CharField()


class GapProgressSerializer(serializers.Serializer[Any]):
    previous = serializers.IntegerField(help_text=_("The previous completed round."))
    previous_submitted_at = serializers.DateTimeField()
    competences = GapChangeSerializer(many=True)
    domains = GapChangeSerializer(many=True)


class GapAnalysisSerializer(serializers.Serializer[Any]):
    assessment = serializers.IntegerField()
    completed = serializers.BooleanField()
    rated = serializers.IntegerField()
    total = serializers.IntegerField()
    competences = GapCompetenceSerializer(
        many=True,
        help_text=_("Ranked by priority (the gap multiplied by the importance), highest first."),
    )
    domains = GapDomainSerializer(
        many=True, help_text=_("Ranked by total priority, highest first.")
    )
    progress = GapProgressSerializer(allow_null=True)


class AssessmentProblemSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()
    missing = MissingCompetenceSerializer(many=True, required=False)


def _gap_payload(
    analysis: GapAnalysis, change: Progress | None, counts: dict[int, list[CountsTowards]]
) -> dict[str, Any]:
    def domain_ref(d: Domain) -> dict[str, Any]:
        return {"node": d.node, "code": d.code}

    return {
        "assessment": analysis.assessment.pk,
        "completed": analysis.assessment.is_submitted,
        "rated": analysis.rated,
        "total": analysis.total,
        "competences": [
            {
                "rank": i,
                "node": r.node.identifier,
                "code": r.node.code,
                "statement": r.node.statement,
                "domain": domain_ref(r.domain),
                "expected": r.expected,
                "self_level": r.self_level,
                "gap": r.gap,
                "importance": r.importance,
                "importance_label": str(Importance(r.importance).label),
                "priority": r.priority,
                "counts_towards": counts.get(r.node.pk, []),
            }
            for i, r in enumerate(analysis.rows, start=1)
        ],
        "domains": [
            {
                "node": d.domain.node.identifier,
                "code": d.domain.code,
                "title": d.domain.node.display_title,
                "competences": d.total,
                "rated": d.rated,
                "mean_expected": round(d.mean_expected, 4),
                "mean_self": None if d.mean_self is None else round(d.mean_self, 4),
                "total_priority": d.total_priority,
                "counts_towards": counts.get(d.domain.pk, []),
            }
            for d in analysis.domains_by_priority
        ],
        "progress": None
        if change is None
        else {
            "previous": change.previous.assessment.pk,
            "previous_submitted_at": change.previous.assessment.submitted_at,
            "competences": [
                {
                    "node": c.node.identifier,
                    "code": c.node.code,
                    "before": c.before,
                    "after": c.after,
                    "direction": c.direction,
                    "words": c.words,
                }
                for c in change.competences
            ],
            "domains": [
                {
                    "node": d.domain.node.identifier,
                    "code": d.domain.code,
                    "before": None if d.before is None else round(d.before, 4),
                    "after": None if d.after is None else round(d.after, 4),
                    "direction": d.direction,
                    "words": d.words,
                }
                for d in change.domains
            ],
        },
    }


# --- views --------------------------------------------------------------------------------


class AssessmentFilter(django_filters.FilterSet):
    organisation = django_filters.CharFilter(
        field_name="organisation__slug", help_text=_("Only this organisation's (short name).")
    )
    manager = django_filters.CharFilter(
        field_name="manager__email",
        lookup_expr="iexact",
        help_text=_("Only this manager's (email)."),
    )
    completed = django_filters.BooleanFilter(
        field_name="submitted_at",
        lookup_expr="isnull",
        exclude=True,
        help_text=_("true: completed rounds only; false: rounds in progress only."),
    )

    class Meta:
        model = SelfAssessment
        fields = ["organisation", "manager", "completed"]


@extend_schema_view(
    list=extend_schema(summary=_("Self-assessment rounds you may see, newest first")),
    retrieve=extend_schema(
        summary=_("A self-assessment round with its ratings"),
        responses={200: AssessmentDetailSerializer},
    ),
    create=extend_schema(
        summary=_("Start a self-assessment against your current PMS"),
        request=AssessmentCreateSerializer,
        responses={201: AssessmentDetailSerializer, 400: AssessmentProblemSerializer},
    ),
)
class AssessmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[SelfAssessment],
):
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[SelfAssessment]:
        qs = (
            with_counts(assessments_visible_to(self.request.user))  # type: ignore[arg-type]
            .select_related("organisation", "manager", "revision")
            .order_by("-started_at", "-pk")
        )
        if self.action != "list":
            qs = qs.prefetch_related(
                Prefetch(
                    "ratings",
                    queryset=Rating.objects.select_related("node").order_by(
                        "node__edition_id", "node__path", "node_id"
                    ),
                    to_attr="rating_list",
                )
            )
        return qs

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "list":
            return AssessmentSerializer
        return AssessmentDetailSerializer

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(
            AssessmentDetailSerializer(self.get_queryset().get(pk=pk)).data, status=code
        )

    def _own(self) -> SelfAssessment:
        assessment = self.get_object()
        if assessment.manager_id != self.request.user.pk:
            raise PermissionDenied(_("Only the manager can change her own self-assessment."))
        return assessment

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = AssessmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation, _roles = organisation_for(
            int(request.user.pk or 0), data.validated_data["organisation"]
        )
        try:
            assessment = assessment_start(actor=request.user, organisation=organisation)  # type: ignore[arg-type]
        except AssessmentError as e:
            return Response({"detail": e.message}, status=status.HTTP_400_BAD_REQUEST)
        return self._detail(assessment.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Save ratings of a round in progress (only those given change)"),
        request=AssessmentRatingsInputSerializer,
        responses={200: AssessmentDetailSerializer, 400: AssessmentProblemSerializer},
    )
    @action(detail=True, methods=["post"])
    def ratings(self, request: Request, pk: str | None = None) -> Response:
        assessment = self._own()
        data = AssessmentRatingsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        items = data.validated_data["ratings"]
        identifiers = {item["node"] for item in items}
        by_identifier = dict(
            SpecCompetence.objects.filter(
                revision_id=assessment.revision_id, node__identifier__in=identifiers
            ).values_list("node__identifier", "node_id")
        )
        unknown = sorted(str(i) for i in identifiers - set(by_identifier))
        if unknown:
            raise ValidationError(
                {
                    "ratings": [
                        _(
                            "Not competences of the PMS this self-assessment rates against: %(items)s."
                        )
                        % {"items": ", ".join(unknown)}
                    ]
                }
            )
        answers = {
            by_identifier[item["node"]]: RatingInput(level=item["level"], evidence=item["evidence"])
            for item in items
        }
        try:
            assessment_save(actor=request.user, assessment=assessment, ratings=answers)  # type: ignore[arg-type]
        except AssessmentError as e:
            return Response({"detail": e.message}, status=status.HTTP_400_BAD_REQUEST)
        return self._detail(assessment.pk)

    @extend_schema(
        summary=_("Complete a round: every competence must be rated"),
        request=None,
        responses={200: AssessmentDetailSerializer, 400: AssessmentProblemSerializer},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        assessment = self._own()
        try:
            assessment_submit(actor=request.user, assessment=assessment)  # type: ignore[arg-type]
        except AssessmentError as e:
            return Response(
                AssessmentProblemSerializer({"detail": e.message, "missing": e.missing}).data,
                status=status.HTTP_400_BAD_REQUEST,
            )
        return self._detail(assessment.pk)

    @extend_schema(
        summary=_(
            "The gap analysis of a round, ranked by priority, with progress since the previous round"
        ),
        responses={200: GapAnalysisSerializer},
    )
    @action(detail=True, methods=["get"])
    def gaps(self, request: Request, pk: str | None = None) -> Response:
        assessment = self.get_object()
        analysis = gap_analysis(assessment)
        before = previous_round(assessment)
        change = progress(gap_analysis(before), analysis) if before else None
        counts = counts_towards_elsewhere(analysis.nodes())
        return Response(GapAnalysisSerializer(_gap_payload(analysis, change, counts)).data)


def register(router: Any) -> None:
    router.register("assessments", AssessmentViewSet, basename="assessment")
