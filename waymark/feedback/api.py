"""360° feedback in the REST API.

* /api/v1/feedback-rounds/ (list, start), …/<id>/ (read), …/<id>/results/ (a closed
  round's results, with the same anonymity rule as the page), …/<id>/invitations/
  (who was invited and their status: the manager, her L&D lead or admin only),
  …/<id>/invite/ (invite raters: the links are in this answer only), …/<id>/close/.
* /api/v1/rate/<token>/ (the rater's form and saved draft), …/draft/ (PUT or POST a
  draft), …/submit/ (POST the answers): the token alone, no sign-in, nothing else.

No endpoint returns a response with anything that could join it to a rater; the
results are the aggregates the results page shows."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from waymark.accounts.models import User
from waymark.organisations.access import relations_to
from waymark.organisations.models import Membership, Organisation
from waymark.profiles.models import Level, SpecCompetence

from . import services
from .models import FeedbackRound, RaterGroup
from .rater_views import private_headers, rate_limited, token_state
from .selectors import (
    invitation_by_token,
    round_results,
    rounds_managed_by,
    rounds_visible_to,
)

# --- serializers ---------------------------------------------------------------------


class FeedbackRoundSerializer(serializers.ModelSerializer[FeedbackRound]):
    organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    manager = serializers.IntegerField(source="manager_id", read_only=True)
    revision = serializers.IntegerField(source="revision_id", read_only=True)
    competences = serializers.SerializerMethodField()
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = FeedbackRound
        fields = [
            "id",
            "organisation",
            "manager",
            "revision",
            "competences",
            "note",
            "opened_at",
            "closes_on",
            "closed_at",
            "is_open",
        ]

    def get_competences(self, obj: FeedbackRound) -> list[int]:
        """The node ids asked about."""
        return sorted(c.node_id for c in obj.competences.all())


class FeedbackRoundCreateSerializer(serializers.Serializer[Any]):
    organisation = serializers.SlugField()
    manager = serializers.IntegerField(help_text=_("The person the round is for."))
    competences = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text=_("Node ids from the current PMS; all of them when left out."),
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    closes_on = serializers.DateField(required=False)


class FeedbackInvitationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    group = serializers.ChoiceField(choices=RaterGroup.choices)
    email = serializers.EmailField()
    name = serializers.CharField()
    status = serializers.CharField(help_text=_("invited, submitted, revoked or expired"))
    reminders_sent = serializers.IntegerField()
    expires_at = serializers.DateTimeField()


class FeedbackInvitationRefSerializer(serializers.Serializer[Any]):
    invitation = serializers.IntegerField()


class FeedbackIssuedSerializer(FeedbackInvitationSerializer):
    url = serializers.CharField(help_text=_("The rater's link: shown this once only."))


class FeedbackRaterInputSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)


class FeedbackInviteSerializer(serializers.Serializer[Any]):
    group = serializers.ChoiceField(choices=RaterGroup.choices)
    raters = FeedbackRaterInputSerializer(many=True)
    send_email = serializers.BooleanField(default=True)


class FeedbackColumnSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    responses = serializers.IntegerField()


class FeedbackCellSerializer(serializers.Serializer[Any]):
    group = serializers.CharField()
    mean = serializers.FloatField(allow_null=True)
    answers = serializers.IntegerField(allow_null=True)


class FeedbackResultRowSerializer(serializers.Serializer[Any]):
    node = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    domain = serializers.CharField()
    expected = serializers.IntegerField()
    self_level = serializers.IntegerField(allow_null=True)
    others_mean = serializers.FloatField(allow_null=True)
    blind_spot = serializers.BooleanField()
    hidden_strength = serializers.BooleanField()
    groups = FeedbackCellSerializer(many=True)


class FeedbackCommentSerializer(serializers.Serializer[Any]):
    group = serializers.CharField()
    text = serializers.CharField()


class FeedbackResultsSerializer(serializers.Serializer[Any]):
    round = serializers.IntegerField()
    responses = serializers.IntegerField()
    shown = FeedbackColumnSerializer(many=True)
    not_shown = serializers.ListField(child=serializers.CharField())
    competences = FeedbackResultRowSerializer(many=True)
    strengths = FeedbackCommentSerializer(many=True)
    develop = FeedbackCommentSerializer(many=True)


class FeedbackLevelSerializer(serializers.Serializer[Any]):
    value = serializers.IntegerField()
    word = serializers.CharField()
    description = serializers.CharField()


class FeedbackQuestionSerializer(serializers.Serializer[Any]):
    node = serializers.IntegerField()
    code = serializers.CharField()
    domain = serializers.CharField()
    statement = serializers.CharField()


class FeedbackAnswerSerializer(serializers.Serializer[Any]):
    node = serializers.IntegerField()
    level = serializers.IntegerField(
        min_value=min(Level.values),
        max_value=max(Level.values),
        allow_null=True,
        help_text=_("0 to 4, or null for “I can't judge this”."),
    )


class FeedbackAnswersSerializer(serializers.Serializer[Any]):
    answers = FeedbackAnswerSerializer(many=True, required=False)
    strengths = serializers.CharField(
        required=False, allow_blank=True, max_length=services.MAX_COMMENT
    )
    develop = serializers.CharField(
        required=False, allow_blank=True, max_length=services.MAX_COMMENT
    )


class FeedbackRaterFormSerializer(serializers.Serializer[Any]):
    manager_name = serializers.CharField()
    organisation = serializers.CharField()
    note = serializers.CharField()
    group = serializers.ChoiceField(choices=RaterGroup.choices)
    line_manager_shown_openly = serializers.BooleanField()
    expires_at = serializers.DateTimeField()
    levels = FeedbackLevelSerializer(many=True)
    questions = FeedbackQuestionSerializer(many=True)
    draft = FeedbackAnswersSerializer()


class FeedbackDetailSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()


# --- payloads ------------------------------------------------------------------------


def _invitation_payload(invitation: Any, url: str | None = None) -> dict[str, Any]:
    out = {
        "id": invitation.pk,
        "group": invitation.group,
        "email": invitation.email,
        "name": invitation.name,
        "status": invitation.status,
        "reminders_sent": invitation.reminders_sent,
        "expires_at": invitation.expires_at,
    }
    if url is not None:
        out["url"] = url
    return out


def results_payload(feedback_round: FeedbackRound) -> dict[str, Any]:
    found = round_results(feedback_round)
    return {
        "round": feedback_round.pk,
        "responses": found.total_responses,
        "shown": [
            {"key": c.key, "title": c.label, "responses": c.responses} for c in found.columns
        ],
        "not_shown": [e.text for e in found.explanations],
        "competences": [
            {
                "node": r.node.pk,
                "code": r.node.code,
                "title": r.node.display_title,
                "domain": r.domain.label,
                "expected": r.expected,
                "self_level": r.self_level,
                "others_mean": None if r.others_mean is None else round(r.others_mean, 2),
                "blind_spot": r.is_blind_spot,
                "hidden_strength": r.is_hidden_strength,
                "groups": [
                    {
                        "group": key,
                        "mean": None if cell.mean is None else round(cell.mean, 2),
                        "answers": cell.count if cell.shown else None,
                    }
                    for key, cell in r.cells.items()
                ],
            }
            for r in found.rows
        ],
        "strengths": [{"group": c.label, "text": c.text} for c in found.strengths],
        "develop": [{"group": c.label, "text": c.text} for c in found.develop],
    }


# --- rounds --------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("Feedback rounds you may see")),
    retrieve=extend_schema(summary=_("A feedback round")),
)
class FeedbackRoundViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[FeedbackRound]
):
    serializer_class = FeedbackRoundSerializer
    filterset_fields = ["organisation__slug", "manager"]

    def get_queryset(self) -> QuerySet[FeedbackRound]:
        return (
            rounds_visible_to(self.request.user)
            .select_related("organisation")
            .prefetch_related("competences")
            .order_by("-opened_at", "-pk")
        )

    def _managed(self) -> FeedbackRound:
        feedback_round = self.get_object()
        if not rounds_managed_by(self.request.user).filter(pk=feedback_round.pk).exists():
            raise PermissionDenied
        return feedback_round

    @extend_schema(
        summary=_("Start a feedback round on a person's current PMS"),
        request=FeedbackRoundCreateSerializer,
        responses={201: FeedbackRoundSerializer, 400: FeedbackDetailSerializer},
    )
    def create(self, request: Request) -> Response:
        data = FeedbackRoundCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user
        assert isinstance(user, User)
        organisation = Organisation.objects.filter(
            slug=data.validated_data["organisation"], memberships__user=user
        ).first()
        if organisation is None:
            raise NotFound
        person = User.objects.filter(
            pk=data.validated_data["manager"], memberships__organisation=organisation
        ).first()
        if person is None:
            raise NotFound
        roles = frozenset(
            Membership.objects.filter(organisation=organisation, user=user).values_list(
                "role", flat=True
            )
        )
        relations = relations_to(
            viewer=user, person=person, organisation_id=organisation.pk, viewer_roles=roles
        )
        if not relations:
            raise NotFound
        nodes = data.validated_data.get("competences")
        competence_ids = None
        if nodes is not None:
            by_node = dict(
                SpecCompetence.objects.filter(
                    revision__specification__organisation=organisation,
                    revision__specification__manager=person,
                    revision__specification__current=F("revision"),
                ).values_list("node_id", "pk")
            )
            competence_ids = [by_node.get(n, -1) for n in nodes]
        try:
            feedback_round = services.round_create(
                actor=user,
                organisation=organisation,
                manager=person,
                relations=relations,
                competence_ids=competence_ids,
                note=data.validated_data.get("note", ""),
                closes_on=data.validated_data.get("closes_on"),
            )
        except DjangoPermissionDenied as e:
            raise PermissionDenied from e
        except DjangoValidationError as e:
            raise ValidationError(e.message_dict) from e
        return Response(
            FeedbackRoundSerializer(feedback_round).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary=_("Results of a closed round, by group, with small groups merged or withheld"),
        responses={200: FeedbackResultsSerializer, 409: FeedbackDetailSerializer},
    )
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str | None = None) -> Response:
        feedback_round = self.get_object()
        if feedback_round.is_open:
            return Response(
                {"detail": _("Results are shown once the round is closed.")},
                status=status.HTTP_409_CONFLICT,
            )
        services.results_seen(actor=request.user, feedback_round=feedback_round)  # type: ignore[arg-type]
        return Response(FeedbackResultsSerializer(results_payload(feedback_round)).data)

    @extend_schema(
        summary=_("Who was invited and whether they answered (never what they said)"),
        responses={200: FeedbackInvitationSerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def invitations(self, request: Request, pk: str | None = None) -> Response:
        feedback_round = self._managed()
        items = [_invitation_payload(i) for i in feedback_round.invitations.order_by("pk")]
        return Response(FeedbackInvitationSerializer(items, many=True).data)

    @extend_schema(
        summary=_("Invite raters: each rater's link is in this answer only"),
        request=FeedbackInviteSerializer,
        responses={201: FeedbackIssuedSerializer(many=True), 400: FeedbackDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def invite(self, request: Request, pk: str | None = None) -> Response:
        feedback_round = self._managed()
        data = FeedbackInviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        raters = [
            services.RaterInput(
                group=data.validated_data["group"], email=r["email"], name=r.get("name", "")
            )
            for r in data.validated_data["raters"]
        ]
        try:
            issued = services.invitations_create(
                actor=request.user,  # type: ignore[arg-type]
                feedback_round=feedback_round,
                raters=raters,
                send=data.validated_data["send_email"],
                site_url=request.build_absolute_uri("/"),
            )
        except DjangoValidationError as e:
            raise ValidationError(
                e.message_dict if hasattr(e, "error_dict") else {"detail": e.messages}
            ) from e
        items = [_invitation_payload(i.invitation, i.url) for i in issued]
        return Response(
            FeedbackIssuedSerializer(items, many=True).data, status=status.HTTP_201_CREATED
        )

    def _invitation(self, feedback_round: FeedbackRound, request: Request) -> Any:
        data = FeedbackInvitationRefSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = feedback_round.invitations.filter(pk=data.validated_data["invitation"]).first()
        if invitation is None:
            raise NotFound
        return invitation

    @extend_schema(
        summary=_("Withdraw an invitation: its link stops working"),
        request=FeedbackInvitationRefSerializer,
        responses={200: FeedbackInvitationSerializer},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        feedback_round = self._managed()
        invitation = self._invitation(feedback_round, request)
        services.invitation_revoke(actor=request.user, invitation=invitation)  # type: ignore[arg-type]
        return Response(FeedbackInvitationSerializer(_invitation_payload(invitation)).data)

    @extend_schema(
        summary=_("Email a reminder with a new link (the old link stops working)"),
        request=FeedbackInvitationRefSerializer,
        responses={200: FeedbackInvitationSerializer, 400: FeedbackDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def remind(self, request: Request, pk: str | None = None) -> Response:
        feedback_round = self._managed()
        invitation = self._invitation(feedback_round, request)
        try:
            services.invitation_remind(
                actor=request.user,  # type: ignore[arg-type]
                invitation=invitation,
                site_url=request.build_absolute_uri("/"),
            )
        except DjangoValidationError as e:
            raise ValidationError({"detail": e.messages}) from e
        return Response(FeedbackInvitationSerializer(_invitation_payload(invitation)).data)

    @extend_schema(
        summary=_("Close the round"), request=None, responses={200: FeedbackRoundSerializer}
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        feedback_round = self._managed()
        services.round_close(actor=request.user, feedback_round=feedback_round)  # type: ignore[arg-type]
        return Response(FeedbackRoundSerializer(feedback_round).data)


# --- the rater's endpoint --------------------------------------------------------------

RATER_MESSAGES = {
    "unknown": _("Not found."),
    "submitted": _("This feedback has already been sent. Thank you."),
    "revoked": _("This invitation has been withdrawn."),
    "closed": _("This link has expired."),
}
RATER_STATUS = {"unknown": 404, "submitted": 409, "revoked": 410, "closed": 410}


class RaterViewSet(viewsets.ViewSet):
    """The rater's own form, through their link's token alone."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        return private_headers(response)

    def _live(self, request: Request, token: str) -> Any:
        if rate_limited(request._request):
            return None, Response(
                {"detail": _("Too many requests: wait a minute, then try again.")},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        invitation = invitation_by_token(token)
        state = token_state(invitation)
        if state != "live":
            return None, Response({"detail": RATER_MESSAGES[state]}, status=RATER_STATUS[state])
        return invitation, None

    def _form(self, invitation: Any) -> dict[str, Any]:
        from .forms import level_choices
        from .rater_views import _nodes

        groups, _nodes_list = _nodes(invitation)
        draft = services.Answers.from_draft(invitation.draft or {})
        return {
            "manager_name": invitation.round.manager.display_name,
            "organisation": invitation.round.organisation.name,
            "note": invitation.round.note,
            "group": invitation.group,
            "line_manager_shown_openly": invitation.group == RaterGroup.LINE_MANAGER,
            "expires_at": invitation.expires_at,
            "levels": [
                {"value": int(v), "word": w, "description": d}
                for v, w, d in level_choices()
                if v != "na"
            ],
            "questions": [
                {
                    "node": n.pk,
                    "code": n.code,
                    "domain": g["domain"].label,
                    "statement": n.statement or n.display_title,
                }
                for g in groups
                for n in g["nodes"]
            ],
            "draft": {
                "answers": [{"node": k, "level": v} for k, v in sorted(draft.levels.items())],
                "strengths": draft.strengths,
                "develop": draft.develop,
            },
        }

    def _answers(self, request: Request, invitation: Any) -> services.Answers:
        data = FeedbackAnswersSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        asked = services.asked_node_ids(invitation.round)
        levels: dict[int, int | None] = {}
        unknown = []
        for item in data.validated_data.get("answers", []):
            if item["node"] not in asked:
                unknown.append(str(item["node"]))
                continue
            levels[item["node"]] = item["level"]
        if unknown:
            raise ValidationError(
                {
                    "answers": [
                        _("Not asked in this form: %(items)s.") % {"items": ", ".join(unknown)}
                    ]
                }
            )
        return services.Answers(
            levels=levels,
            strengths=data.validated_data.get("strengths", ""),
            develop=data.validated_data.get("develop", ""),
        )

    @extend_schema(
        summary=_("The rater's form: questions, the scale and their saved draft"),
        responses={
            200: FeedbackRaterFormSerializer,
            404: FeedbackDetailSerializer,
            410: FeedbackDetailSerializer,
        },
    )
    def list(self, request: Request, token: str) -> Response:
        invitation, problem = self._live(request, token)
        if problem:
            return problem
        return Response(FeedbackRaterFormSerializer(self._form(invitation)).data)

    @extend_schema(
        summary=_("Save the rater's answers so far"),
        request=FeedbackAnswersSerializer,
        responses={200: FeedbackRaterFormSerializer, 400: FeedbackDetailSerializer},
    )
    @action(detail=False, methods=["put", "post"])
    def draft(self, request: Request, token: str) -> Response:
        invitation, problem = self._live(request, token)
        if problem:
            return problem
        try:
            services.rater_save_draft(
                invitation=invitation, answers=self._answers(request, invitation)
            )
        except DjangoValidationError as e:
            raise ValidationError(e.message_dict) from e
        return Response(FeedbackRaterFormSerializer(self._form(invitation)).data)

    @extend_schema(
        summary=_("Send the rater's answers: they cannot be changed afterwards"),
        request=FeedbackAnswersSerializer,
        responses={200: FeedbackDetailSerializer, 400: FeedbackDetailSerializer},
    )
    @action(detail=False, methods=["post"])
    def submit(self, request: Request, token: str) -> Response:
        invitation, problem = self._live(request, token)
        if problem:
            return problem
        try:
            services.rater_submit(invitation=invitation, answers=self._answers(request, invitation))
        except DjangoValidationError as e:
            if hasattr(e, "error_dict"):
                raise ValidationError(e.message_dict) from e
            raise ValidationError({"detail": e.messages}) from e
        return Response({"detail": _("Thank you: your feedback has been sent.")})


def register(router: Any) -> None:
    router.register("feedback-rounds", FeedbackRoundViewSet, basename="feedback-round")
    router.register("rate/<str:token>", RaterViewSet, basename="rater")
