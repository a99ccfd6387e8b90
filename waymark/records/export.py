"""All of a person's own data as JSON: what the record page's "Download all your data"
and `waymark export-record --format json` give.

The shape (format_version 1), every date and time in ISO 8601, hours as decimal strings:

    {
      "format_version": 1,
      "generated_at": "2026-03-27T10:15:00+00:00",
      "generator": "Waymark",
      "person": {"email", "full_name", "date_joined", "last_login"},
      "diversity_monitoring": null | {"gender", "gender_label", "ethnicity", …,
                                      "updated_at"},   # the person's own answers
      "organisations": [                      # one per organisation exported
        {
          "organisation": {"slug", "name", "sector", "size_band", "region"},
          "memberships": [{"role", "role_label", "since"}],
          "support": {
            "supported_by": [{"kind", "kind_label", "name", "since"}],
            "supporting":   [{"kind", "kind_label", "name", "since"}]
          },
          "pms": null | {
            "created_at", "current_revision",
            "revisions": [{"number", "job_title", "manager_level", "job_description",
                           "job_description_file", "role_profile", "change_note",
                           "created_at", "created_by", "agreed_by", "agreed_at",
                           "competences": [{"competence", "expected_level",
                                            "importance", "from_role_profile"}],
                           "qualifications": [{"title", "note"}],
                           "basics": [{"kind", "title"}]}]
          },
          "self_assessments": [{"id", "started_at", "submitted_at", "pms_revision",
                                "ratings": [{"competence", "level", "level_label",
                                             "evidence"}]}],
          "plans": [{"id", "title", "period_start", "period_end", "route", "stages",
                     "swot", "agreed_by", "agreed_at", "changed_at", "created_at",
                     "objectives": [{"id", "level", "title", "specific", "measure",
                                     "achievable", "relevant", "target_date", "status",
                                     "support_needed", "competences", "activities",
                                     "milestones", "created_at"}],
                     "comments": [{"author", "by_me", "body", "created_at"}]}],
          "cpd_entries": [{"id", "date", "activity_type", "title", "provider", "link",
                           "hours", "scqf_credits", "competences", "objective",
                           "reflection": {"what_happened", "what_learnt", "how_use",
                                          "difference"},
                           "visibility", "confirmed_by", "confirmed_at", "source",
                           "created_at", "updated_at",
                           "evidence": [{"file_name", "content_type", "size",
                                         "uploaded_at"}]}]
        }
      ]
    }

A "competence" is {"identifier" (the CASE identifier), "code", "title", "framework"
(its short name), "edition"}. Other people appear by name only where they are part of
the person's own record: her supervisors, mentors and coaches, who agreed her PMS or
plan, commented on her plan or confirmed her entries. Evidence files are described,
not included. Private CPD entries are included: this is the person's own data going
to the person (or to an administrator answering her subject access request)."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from waymark.assessment.models import Rating, SelfAssessment
from waymark.cpd.models import Entry, Evidence, scqf_credits
from waymark.frameworks.models import Node
from waymark.organisations.models import Membership, Organisation, Role, SupportRelationship
from waymark.planning.models import Activity, Milestone, Objective, Plan, PlanComment
from waymark.profiles.models import (
    BasicKind,
    Level,
    Revision,
    SpecBasic,
    SpecCompetence,
    Specification,
    SpecQualification,
)
from waymark.workforce.selectors import own_diversity_export

if TYPE_CHECKING:
    from waymark.accounts.models import User

FORMAT_VERSION = 1
_NODE = "node__edition__framework"


def _when(value: datetime.datetime | datetime.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    return value.isoformat()


def _name(user: User | None) -> str | None:
    return user.display_name if user is not None else None


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


def competence(node: Node) -> dict[str, Any]:
    return {
        "identifier": str(node.identifier),
        "code": node.code,
        "title": node.display_title,
        "framework": node.edition.framework.slug,
        "edition": node.edition.version,
    }


def _label(choices: Any, value: Any) -> str:
    return str(dict(choices).get(value, value))


# --- which organisations -------------------------------------------------------------------


def organisations_of(person: User) -> list[Organisation]:
    """Every organisation where the person is a member or has any development data left
    (a PMS, a self-assessment, a plan, a CPD entry, a support relationship)."""

    def has(model: Any, **lookups: Any) -> Exists:
        return Exists(model.objects.filter(organisation=OuterRef("pk"), **lookups))

    return list(
        Organisation.objects.filter(
            has(Membership, user=person)
            | has(Specification, manager=person)
            | has(SelfAssessment, manager=person)
            | has(Plan, manager=person)
            | has(Entry, manager=person)
            | has(SupportRelationship, manager=person)
            | has(SupportRelationship, supporter=person)
        ).order_by("name", "slug")
    )


# --- parts ---------------------------------------------------------------------------------


def _organisation(org: Organisation) -> dict[str, Any]:
    return {
        "slug": org.slug,
        "name": org.name,
        "sector": org.sector,
        "size_band": org.size_band,
        "region": org.region,
    }


def _memberships(person: User, org: Organisation) -> list[dict[str, Any]]:
    return [
        {"role": m.role, "role_label": _label(Role.choices, m.role), "since": _when(m.created_at)}
        for m in Membership.objects.filter(user=person, organisation=org).order_by("role")
    ]


def _support(person: User, org: Organisation) -> dict[str, list[dict[str, Any]]]:
    rels = SupportRelationship.objects.filter(organisation=org).filter(
        Q(manager=person) | Q(supporter=person)
    )
    supported_by: list[dict[str, Any]] = []
    supporting: list[dict[str, Any]] = []
    for r in rels.select_related("manager", "supporter").order_by("kind", "created_at", "id"):
        mine = r.manager_id == person.pk
        other = r.supporter if mine else r.manager
        row = {
            "kind": r.kind,
            "kind_label": r.get_kind_display(),
            "name": other.display_name,
            "since": _when(r.created_at),
        }
        (supported_by if mine else supporting).append(row)
    return {"supported_by": supported_by, "supporting": supporting}


def _pms(person: User, org: Organisation) -> dict[str, Any] | None:
    spec = (
        Specification.objects.filter(organisation=org, manager=person)
        .select_related("current")
        .prefetch_related(
            Prefetch(
                "revisions",
                queryset=Revision.objects.select_related("role_profile", "created_by", "agreed_by")
                .prefetch_related(
                    Prefetch(
                        "competences",
                        queryset=SpecCompetence.objects.select_related(_NODE).order_by(
                            "node__edition_id", "node__path", "id"
                        ),
                    ),
                    Prefetch("qualifications", queryset=SpecQualification.objects.order_by("id")),
                    Prefetch("basics", queryset=SpecBasic.objects.order_by("kind", "id")),
                )
                .order_by("number"),
            )
        )
        .first()
    )
    if spec is None:
        return None
    return {
        "created_at": _when(spec.created_at),
        "current_revision": spec.current.number if spec.current else None,
        "revisions": [
            {
                "number": r.number,
                "job_title": r.job_title,
                "manager_level": r.manager_level,
                "job_description": r.job_description,
                "job_description_file": r.job_description_name or None,
                "role_profile": r.role_profile.title if r.role_profile else None,
                "change_note": r.change_note,
                "created_at": _when(r.created_at),
                "created_by": _name(r.created_by),
                "agreed_by": _name(r.agreed_by),
                "agreed_at": _when(r.agreed_at),
                "competences": [
                    {
                        "competence": competence(c.node),
                        "expected_level": c.expected_level,
                        "importance": c.importance,
                        "from_role_profile": c.from_role_profile,
                    }
                    for c in r.competences.all()
                ],
                "qualifications": [
                    {"title": q.title, "note": q.note} for q in r.qualifications.all()
                ],
                "basics": [
                    {
                        "kind": b.kind,
                        "kind_label": _label(BasicKind.choices, b.kind),
                        "title": b.title,
                    }
                    for b in r.basics.all()
                ],
            }
            for r in spec.revisions.all()
        ],
    }


def _assessments(person: User, org: Organisation) -> list[dict[str, Any]]:
    rounds = (
        SelfAssessment.objects.filter(organisation=org, manager=person)
        .select_related("revision")
        .prefetch_related(
            Prefetch(
                "ratings",
                queryset=Rating.objects.select_related(_NODE).order_by(
                    "node__edition_id", "node__path", "id"
                ),
            )
        )
        .order_by("started_at", "id")
    )
    return [
        {
            "id": a.pk,
            "started_at": _when(a.started_at),
            "submitted_at": _when(a.submitted_at),
            "pms_revision": a.revision.number,
            "ratings": [
                {
                    "competence": competence(r.node),
                    "level": r.level,
                    "level_label": _label(Level.choices, r.level) if r.level is not None else None,
                    "evidence": r.evidence,
                }
                for r in a.ratings.all()
            ],
        }
        for a in rounds
    ]


def _plans(person: User, org: Organisation) -> list[dict[str, Any]]:
    plans = (
        Plan.objects.filter(organisation=org, manager=person)
        .select_related("agreed_by")
        .prefetch_related(
            Prefetch(
                "objectives",
                queryset=Objective.objects.prefetch_related(
                    Prefetch(
                        "nodes",
                        queryset=Node.objects.select_related("edition__framework").order_by(
                            "edition_id", "path"
                        ),
                    ),
                    Prefetch(
                        "activities", queryset=Activity.objects.order_by("planned_date", "id")
                    ),
                    Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "id")),
                ).order_by("level", "sequence", "id"),
            ),
            Prefetch(
                "comments",
                queryset=PlanComment.objects.select_related("author").order_by("created_at", "id"),
            ),
        )
        .order_by("created_at", "id")
    )
    return [
        {
            "id": p.pk,
            "title": p.title,
            "period_start": _when(p.period_start),
            "period_end": _when(p.period_end),
            "route": p.route,
            "stages": {
                "ideal_self": p.ideal_self,
                "real_self": p.real_self,
                "learning_agenda": p.learning_agenda,
                "practice": p.practice,
                "supportive_relationships": p.supportive_relationships,
            },
            "swot": {
                "strengths": p.strengths,
                "weaknesses": p.weaknesses,
                "opportunities": p.opportunities,
                "threats": p.threats,
            },
            "agreed_by": _name(p.agreed_by),
            "agreed_at": _when(p.agreed_at),
            "changed_at": _when(p.changed_at),
            "created_at": _when(p.created_at),
            "objectives": [
                {
                    "id": o.pk,
                    "level": o.level,
                    "title": o.title,
                    "specific": o.specific,
                    "measure": o.measure,
                    "achievable": o.achievable,
                    "relevant": o.relevant,
                    "target_date": _when(o.target_date),
                    "status": o.status,
                    "support_needed": o.support_needed,
                    "competences": [competence(n) for n in o.nodes.all()],
                    "activities": [
                        {
                            "type": a.activity_type,
                            "description": a.description,
                            "planned_date": _when(a.planned_date),
                        }
                        for a in o.activities.all()
                    ],
                    "milestones": [
                        {"title": m.title, "due_date": _when(m.due_date), "done": m.done}
                        for m in o.milestones.all()
                    ],
                    "created_at": _when(o.created_at),
                }
                for o in p.objectives.all()
            ],
            "comments": [
                {
                    "author": _name(c.author),
                    "by_me": c.author_id == person.pk,
                    "body": c.body,
                    "created_at": _when(c.created_at),
                }
                for c in p.comments.all()
            ],
        }
        for p in plans
    ]


def _entries(person: User, org: Organisation) -> list[dict[str, Any]]:
    # The person's own entries, private ones included: the same set as
    # cpd.selectors.entries_visible_to(person, person, org, {"self"}).
    entries = (
        Entry.objects.filter(organisation=org, manager=person)
        .select_related("objective", "confirmed_by")
        .prefetch_related(
            Prefetch(
                "nodes",
                queryset=Node.objects.select_related("edition__framework").order_by(
                    "edition_id", "path"
                ),
            ),
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "id")),
        )
        .order_by("date", "id")
    )
    return [
        {
            "id": e.pk,
            "date": _when(e.date),
            "activity_type": e.activity_type,
            "title": e.title,
            "provider": e.provider,
            "link": e.link,
            "hours": _hours(e.hours),
            "scqf_credits": _hours(scqf_credits(e.hours)),
            "competences": [competence(n) for n in e.nodes.all()],
            "objective": {"id": e.objective.pk, "title": e.objective.title}
            if e.objective
            else None,
            "reflection": {
                "what_happened": e.what_happened,
                "what_learnt": e.what_learnt,
                "how_use": e.how_use,
                "difference": e.difference,
            },
            "visibility": e.visibility,
            "confirmed_by": _name(e.confirmed_by),
            "confirmed_at": _when(e.confirmed_at),
            "source": e.source,
            "created_at": _when(e.created_at),
            "updated_at": _when(e.updated_at),
            "evidence": [
                {
                    "file_name": f.original_name,
                    "content_type": f.content_type,
                    "size": f.size,
                    "uploaded_at": _when(f.uploaded_at),
                }
                for f in e.evidence.all()
            ],
        }
        for e in entries
    ]


# --- the whole ---------------------------------------------------------------------------


def person_data(
    *, person: User, organisations: Sequence[Organisation] | None = None
) -> dict[str, Any]:
    """Everything of the person's own in `organisations` (every organisation she has data
    in when None), in the documented shape. A fixed number of queries per organisation."""
    orgs: Iterable[Organisation] = (
        organisations if organisations is not None else organisations_of(person)
    )
    return {
        "format_version": FORMAT_VERSION,
        "generated_at": timezone.localtime().isoformat(),
        "generator": "Waymark",
        "person": {
            "email": person.email,
            "full_name": person.full_name,
            "date_joined": _when(person.date_joined),
            "last_login": _when(person.last_login),
        },
        # Optional, self-declared; only ever in the person's own export (workforce).
        "diversity_monitoring": own_diversity_export(person),
        "organisations": [
            {
                "organisation": _organisation(org),
                "memberships": _memberships(person, org),
                "support": _support(person, org),
                "pms": _pms(person, org),
                "self_assessments": _assessments(person, org),
                "plans": _plans(person, org),
                "cpd_entries": _entries(person, org),
            }
            for org in orgs
        ],
    }


def to_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
