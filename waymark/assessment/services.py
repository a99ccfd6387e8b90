"""Writes for the learning needs audit: start a round, save answers part-way, submit.
Each runs in one transaction and leaves an audit event. Only the manager changes her
own self-assessment; a submitted round is kept as it was."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waymark.core import audit
from waymark.frameworks.models import Node
from waymark.profiles.models import Level, SpecCompetence, Specification

from .models import Rating, SelfAssessment

if TYPE_CHECKING:
    from waymark.accounts.models import User
    from waymark.organisations.models import Organisation

EVIDENCE_MAX_LENGTH = 5000
LEVELS = frozenset(int(v) for v in Level.values)


class AssessmentError(Exception):
    """A change that cannot be made, with a message to show as it is. `missing` lists
    the competences not yet rated (on submit); `unknown` the node ids that are not
    competences of the round's PMS revision (on save)."""

    def __init__(
        self,
        message: str,
        *,
        missing: list[Node] | None = None,
        unknown: list[int] | None = None,
        problems: dict[int, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.missing = missing or []
        self.unknown = unknown or []
        self.problems = problems or {}


@dataclass(frozen=True)
class RatingInput:
    """One answer: a level 0 to 4, or None for "not sure yet", and an optional evidence note."""

    level: int | None
    evidence: str = ""


def _check_owner(actor: User, assessment: SelfAssessment) -> None:
    if actor.pk != assessment.manager_id:
        raise AssessmentError(_("Only the manager can change her own self-assessment."))


def _lock(assessment: SelfAssessment) -> SelfAssessment:
    locked = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.is_submitted:
        assert locked.submitted_at is not None
        raise AssessmentError(
            _(
                "This self-assessment was completed on %(date)s and can no longer be changed. "
                "Start a new round to rate yourself again."
            )
            % {"date": formats.date_format(timezone.localtime(locked.submitted_at), "j F Y")}
        )
    return locked


def assessment_start(*, actor: User, organisation: Organisation) -> SelfAssessment:
    """Start a round for `actor` against the current revision of her PMS in
    `organisation`. One round may be open at a time."""
    with transaction.atomic():
        spec = (
            Specification.objects.filter(organisation=organisation, manager=actor)
            .select_related("current")
            .first()
        )
        if spec is None or spec.current is None:
            raise AssessmentError(
                _(
                    "You do not have a person management specification (PMS) in %(organisation)s "
                    "yet. A self-assessment rates you against it: set up your PMS first."
                )
                % {"organisation": organisation.name}
            )
        revision = spec.current
        if not SpecCompetence.objects.filter(revision=revision).exists():
            raise AssessmentError(
                _(
                    "Your person management specification has no competences yet. Add the "
                    "competences of your role to it first."
                )
            )
        open_round = SelfAssessment.objects.filter(
            organisation=organisation, manager=actor, submitted_at__isnull=True
        ).first()
        if open_round is None:
            try:
                with transaction.atomic():
                    assessment = SelfAssessment.objects.create(
                        organisation=organisation, manager=actor, revision=revision
                    )
            except IntegrityError:  # started at the same moment in another tab
                open_round = SelfAssessment.objects.filter(
                    organisation=organisation, manager=actor, submitted_at__isnull=True
                ).first()
        if open_round is not None:
            raise AssessmentError(
                _(
                    "You already have a self-assessment in progress, started on %(date)s. "
                    "Continue it, or complete it before starting another."
                )
                % {"date": formats.date_format(timezone.localtime(open_round.started_at), "j F Y")}
            )
        audit.record(
            actor=actor,
            action="assessment.start",
            obj=assessment,
            organisation=organisation,
            summary=f"Started a self-assessment against PMS revision {revision.number}",
            changes={"revision": [None, revision.number]},
        )
    return assessment


def _validate(ratings: Mapping[int, RatingInput], codes: Mapping[int, str]) -> dict[int, str]:
    problems: dict[int, str] = {}
    for node_id, answer in ratings.items():
        code = codes.get(node_id, str(node_id))
        if answer.level is not None and answer.level not in LEVELS:
            problems[node_id] = _("Choose one of the levels for %(code)s, or “Not sure yet”.") % {
                "code": code
            }
        elif len(answer.evidence) > EVIDENCE_MAX_LENGTH:
            problems[node_id] = _(
                "The evidence note for %(code)s must be %(max)s characters or fewer (it has "
                "%(length)s): shorten it, and keep the detail in your CPD record."
            ) % {
                "code": code,
                "max": formats.number_format(EVIDENCE_MAX_LENGTH, force_grouping=True),
                "length": formats.number_format(len(answer.evidence), force_grouping=True),
            }
    return problems


def assessment_save(
    *, actor: User, assessment: SelfAssessment, ratings: Mapping[int, RatingInput]
) -> int:
    """Save some answers (keyed by node id) of a round in progress; answers not given
    are left as they are. Every node must be a competence of the round's PMS revision.
    Returns how many answers changed."""
    with transaction.atomic():
        _check_owner(actor, assessment)
        locked = _lock(assessment)
        competences = {
            c.node_id: c.node.code or str(c.node_id)
            for c in SpecCompetence.objects.filter(revision_id=locked.revision_id)
            .select_related("node")
            .only("node_id", "node__code")
        }
        unknown = sorted(set(ratings) - set(competences))
        if unknown:
            found = dict(Node.objects.filter(pk__in=unknown).values_list("pk", "code"))
            labels = [found.get(i) or str(i) for i in unknown]
            raise AssessmentError(
                ngettext(
                    "%(items)s is not a competence of the person management specification this "
                    "self-assessment rates against, so it cannot be rated here.",
                    "%(items)s are not competences of the person management specification this "
                    "self-assessment rates against, so they cannot be rated here.",
                    len(unknown),
                )
                % {"items": ", ".join(sorted(labels))},
                unknown=unknown,
            )
        problems = _validate(ratings, competences)
        if problems:
            raise AssessmentError(
                " ".join(problems[k] for k in sorted(problems)), problems=problems
            )
        existing = {
            r.node_id: r
            for r in Rating.objects.filter(assessment=locked, node_id__in=list(ratings))
        }
        to_create: list[Rating] = []
        to_update: list[Rating] = []
        changes: dict[str, list[object]] = {}
        for node_id, answer in ratings.items():
            evidence = answer.evidence.strip()
            row = existing.get(node_id)
            if row is None:
                if answer.level is None and not evidence:
                    continue
                to_create.append(
                    Rating(
                        assessment=locked, node_id=node_id, level=answer.level, evidence=evidence
                    )
                )
                changes[competences[node_id]] = [None, answer.level]
            elif row.level != answer.level or row.evidence != evidence:
                if row.level != answer.level:
                    changes[competences[node_id]] = [row.level, answer.level]
                row.level, row.evidence = answer.level, evidence
                to_update.append(row)
        Rating.objects.bulk_create(to_create)
        Rating.objects.bulk_update(to_update, ["level", "evidence"])
        changed = len(to_create) + len(to_update)
        locked.save(update_fields=["updated_at"])
        assessment.updated_at = locked.updated_at
        # Levels only: evidence notes stay out of the audit trail.
        audit.record(
            actor=actor,
            action="assessment.save",
            obj=locked,
            organisation=assessment.organisation,
            summary=f"Saved {changed} answer(s) of a self-assessment",
            changes=changes,
        )
    return changed


def assessment_submit(*, actor: User, assessment: SelfAssessment) -> SelfAssessment:
    """Complete a round. Every competence of its PMS revision must be rated; otherwise
    nothing changes and the error lists the competences still to rate."""
    with transaction.atomic():
        _check_owner(actor, assessment)
        locked = _lock(assessment)
        rated = set(
            Rating.objects.filter(assessment=locked, level__isnull=False).values_list(
                "node_id", flat=True
            )
        )
        missing = [
            c.node
            for c in SpecCompetence.objects.filter(revision_id=locked.revision_id)
            .select_related("node")
            .order_by("node__edition_id", "node__path", "node_id")
            if c.node_id not in rated
        ]
        if missing:
            raise AssessmentError(
                ngettext(
                    "You have not rated %(count)d competence yet. Rate it, then complete "
                    "your self-assessment: your other answers are saved.",
                    "You have not rated %(count)d competences yet. Rate them, then complete "
                    "your self-assessment: your other answers are saved.",
                    len(missing),
                )
                % {"count": len(missing)},
                missing=missing,
            )
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["submitted_at", "updated_at"])
        assessment.submitted_at, assessment.updated_at = locked.submitted_at, locked.updated_at
        audit.record(
            actor=actor,
            action="assessment.submit",
            obj=locked,
            organisation=assessment.organisation,
            summary=f"Completed a self-assessment of {len(rated)} competences",
            changes={"submitted_at": [None, locked.submitted_at.isoformat()]},
        )
    return assessment
