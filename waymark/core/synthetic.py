"""A realistic, reproducible synthetic population for scale tests and the reports bench
(`waymark generate-synthetic`, docs/synthetic.md).

Everything comes from one `random.Random(seed)` and a fixed base date (never today's date
unless asked), so the same arguments on a fresh database give the same rows. Rows are
written with `bulk_create` in batches, one transaction per chunk of organisations: the
per-row services (membership_add, spec_create, cpd entry_create, attendance_record…) each
write an audit record and run their own checks and queries, which would take hours for
20,000 managers and fill the audit trail with events nobody did. What the services would
check is held here by construction (one PMS per manager, one open round at most, hours in
range, unique slugs and emails).

Synthetic organisations have slugs starting "synthetic-"; people have addresses at
example.invalid (a domain that can never receive mail) and unusable passwords."""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.management import call_command
from django.db import models, transaction
from django.db.models import OuterRef, Subquery

from waymark.accounts.models import User
from waymark.assessment.models import Rating, SelfAssessment
from waymark.cpd.models import Entry, Visibility
from waymark.frameworks.models import Framework, Node
from waymark.organisations.models import (
    Membership,
    Organisation,
    Region,
    Role,
    Sector,
    SizeBand,
    SupportKind,
    SupportRelationship,
)
from waymark.planning.models import ActivityType
from waymark.profiles.models import (
    ManagerLevel,
    RoleCompetence,
    RoleProfile,
    SpecCompetence,
    Specification,
)
from waymark.profiles.models import Revision as PmsRevision
from waymark.programmes.models import (
    Attendance,
    AttendanceStatus,
    Cohort,
    Module,
    ModuleKind,
    Participant,
    Programme,
    ProgrammeStatus,
    Session,
    SessionFeedback,
    Template,
)
from waymark.signposting.models import Qualification
from waymark.workforce.models import (
    AgeBand,
    Disability,
    DiversityAnswers,
    Ethnicity,
    Gender,
    QualificationRecord,
    QualificationStatus,
    ServiceArea,
    Team,
    WorkforceRecord,
)

FRAMEWORK_SLUG = "middle-manager-llf"
SLUG_PREFIX = "synthetic-"
EMAIL_DOMAIN = "example.invalid"
DEFAULT_BASE_DATE = datetime.date(2026, 10, 31)
MAX_MANAGERS = 1_000_000
# Organisations per transaction and per round of bulk inserts (bounded memory).
CHUNK_MANAGERS = 2500

# Share of organisations in each size band and the relative number of managers each
# holds (a micro organisation has one or two managers, a large one dozens to thousands).
SIZE_MIX: list[tuple[str, float, float]] = [
    (SizeBand.MICRO, 0.25, 1.0),
    (SizeBand.SMALL, 0.40, 4.0),
    (SizeBand.MEDIUM, 0.25, 15.0),
    (SizeBand.LARGE, 0.10, 60.0),
]
SECTOR_MIX = {
    SizeBand.MICRO: [(Sector.VOLUNTARY, 5), (Sector.PRIVATE, 3), (Sector.USER_LED, 2)],
    SizeBand.SMALL: [(Sector.VOLUNTARY, 5), (Sector.PRIVATE, 4), (Sector.USER_LED, 1)],
    SizeBand.MEDIUM: [(Sector.VOLUNTARY, 4), (Sector.PRIVATE, 4), (Sector.STATUTORY, 2)],
    SizeBand.LARGE: [(Sector.STATUTORY, 6), (Sector.PRIVATE, 2), (Sector.VOLUNTARY, 2)],
}
LEVEL_MIX = [
    (ManagerLevel.ASPIRING, 10),
    (ManagerLevel.FIRST_LINE, 45),
    (ManagerLevel.MIDDLE, 30),
    (ManagerLevel.SENIOR, 15),
]
# Mean self-rating (0 to 4) by manager level at the first round; +IMPROVEMENT a round.
LEVEL_MEAN = {
    ManagerLevel.ASPIRING: 1.2,
    ManagerLevel.FIRST_LINE: 1.8,
    ManagerLevel.MIDDLE: 2.4,
    ManagerLevel.SENIOR: 3.0,
}
EXPECTED = {
    ManagerLevel.ASPIRING: 2,
    ManagerLevel.FIRST_LINE: 2,
    ManagerLevel.MIDDLE: 3,
    ManagerLevel.SENIOR: 3,
}
IMPROVEMENT = 0.3
SERVICE_MIX = {
    Sector.STATUTORY: [
        (ServiceArea.CHILDREN_FAMILIES, 4),
        (ServiceArea.JUSTICE, 2),
        (ServiceArea.ADULTS, 4),
        (ServiceArea.INTEGRATED, 2),
    ],
    Sector.VOLUNTARY: [
        (ServiceArea.CHILDREN_FAMILIES, 3),
        (ServiceArea.JUSTICE, 1),
        (ServiceArea.ADULTS, 5),
        (ServiceArea.INTEGRATED, 1),
    ],
    Sector.PRIVATE: [(ServiceArea.CHILDREN_FAMILIES, 2), (ServiceArea.ADULTS, 8)],
    Sector.USER_LED: [(ServiceArea.ADULTS, 3), (ServiceArea.INTEGRATED, 1)],
}
FIRST_NAMES = [
    "Aisha",
    "Alex",
    "Amir",
    "Ana",
    "Ben",
    "Beth",
    "Callum",
    "Chloe",
    "Dan",
    "Deepa",
    "Eilidh",
    "Emma",
    "Fatima",
    "Finn",
    "Grace",
    "Hamza",
    "Hannah",
    "Isla",
    "Jack",
    "Jade",
    "Kai",
    "Kirsty",
    "Leah",
    "Liam",
    "Maria",
    "Mo",
    "Niamh",
    "Noah",
    "Olu",
    "Priya",
    "Rachel",
    "Ravi",
    "Ruth",
    "Sam",
    "Sana",
    "Tom",
    "Una",
    "Vik",
    "Wen",
    "Yusuf",
    "Zara",
]
LAST_NAMES = [
    "Adams",
    "Ahmed",
    "Bell",
    "Brown",
    "Campbell",
    "Chen",
    "Clark",
    "Davies",
    "Evans",
    "Fraser",
    "Green",
    "Hall",
    "Hughes",
    "Hussain",
    "Jones",
    "Khan",
    "Kaur",
    "Lewis",
    "MacLeod",
    "Martin",
    "Murray",
    "Nowak",
    "Okafor",
    "Patel",
    "Reid",
    "Robertson",
    "Scott",
    "Shah",
    "Singh",
    "Smith",
    "Stewart",
    "Taylor",
    "Thomas",
    "Walker",
    "Watson",
    "White",
    "Williams",
    "Wilson",
    "Wright",
    "Young",
]
NAME_WORDS = [
    "Harbour",
    "Meadow",
    "Oak",
    "Riverside",
    "Hillside",
    "Beacon",
    "Willow",
    "Northfield",
    "Heather",
    "Lochside",
    "Elm",
    "Cedar",
    "Bridge",
    "Valley",
    "Moor",
    "Orchard",
    "Thistle",
    "Rowan",
    "Kestrel",
    "Haven",
]
KIND_WORDS = {
    SizeBand.MICRO: ["Community Project", "Carers' Group", "Befriending"],
    SizeBand.SMALL: ["Care", "Support Services", "Housing Support"],
    SizeBand.MEDIUM: ["Care Group", "Family Services", "Community Care"],
    SizeBand.LARGE: ["Council Social Work", "Care Partnership", "Health and Social Care"],
}
TEAM_WORDS = [
    "Residential care",
    "Home care",
    "Day services",
    "Fieldwork",
    "Reablement",
    "Fostering",
    "Adoption",
    "Criminal justice",
    "Learning disability",
    "Mental health",
    "Older people",
    "Young people",
    "Duty and assessment",
    "Housing support",
    "Addictions",
    "Carers' support",
]
FREE_QUALIFICATIONS = [
    "SVQ 4 Social Services and Healthcare",
    "SVQ 3 Social Services and Healthcare",
    "BA Social Work",
    "Postgraduate Certificate in Leadership",
    "Professional Development Award in Supervision",
    "ILM Level 5 Certificate in Leadership and Management",
]
CPD_TITLES = {
    ActivityType.E_LEARNING: ["Safeguarding refresher", "Data protection basics"],
    ActivityType.EXTERNAL_COURSE: ["Leading change", "Managing budgets", "Coaching skills"],
    ActivityType.WORK_BASED: ["Led the service review", "Ran the team away day"],
    ActivityType.ACTION_LEARNING: ["Action learning set meeting"],
    ActivityType.MENTORING: ["Mentoring conversation"],
    ActivityType.SHADOWING: ["Shadowed the service manager"],
    ActivityType.NETWORKING: ["Managers' network meeting"],
    ActivityType.EVENT: ["Regional conference"],
    ActivityType.FORMAL_STUDY: ["Leadership module assignment"],
}
CPD_MIX = [
    (ActivityType.E_LEARNING, 4),
    (ActivityType.EXTERNAL_COURSE, 3),
    (ActivityType.WORK_BASED, 4),
    (ActivityType.ACTION_LEARNING, 1),
    (ActivityType.MENTORING, 2),
    (ActivityType.SHADOWING, 1),
    (ActivityType.NETWORKING, 1),
    (ActivityType.EVENT, 1),
    (ActivityType.FORMAL_STUDY, 1),
]
HOURS_BY_TYPE = {
    ActivityType.E_LEARNING: (1, 4),
    ActivityType.EXTERNAL_COURSE: (6, 21),
    ActivityType.FORMAL_STUDY: (10, 40),
}
GENDER_MIX = [
    (Gender.WOMAN, 70),
    (Gender.MAN, 24),
    (Gender.NON_BINARY, 1),
    (Gender.OTHER, 0.5),
    (Gender.PREFER_NOT, 4),
    ("", 0.5),
]
ETHNICITY_MIX = [
    (Ethnicity.WHITE, 80),
    (Ethnicity.ASIAN, 7),
    (Ethnicity.BLACK, 5),
    (Ethnicity.MIXED, 2),
    (Ethnicity.OTHER, 1),
    (Ethnicity.PREFER_NOT, 4),
    ("", 1),
]
DISABILITY_MIX = [(Disability.NO, 82), (Disability.YES, 10), (Disability.PREFER_NOT, 6), ("", 2)]
AGE_MIX = [
    (AgeBand.UNDER_25, 2),
    (AgeBand.A25_34, 18),
    (AgeBand.A35_44, 30),
    (AgeBand.A45_54, 30),
    (AgeBand.A55_64, 14),
    (AgeBand.A65_PLUS, 1),
    (AgeBand.PREFER_NOT, 5),
]
PROFILE_TITLES = {
    ManagerLevel.ASPIRING: "Senior practitioner",
    ManagerLevel.FIRST_LINE: "Team leader",
    ManagerLevel.MIDDLE: "Service manager",
    ManagerLevel.SENIOR: "Head of service",
}
SENIORITY = {
    ManagerLevel.SENIOR: 0,
    ManagerLevel.MIDDLE: 1,
    ManagerLevel.FIRST_LINE: 2,
    ManagerLevel.ASPIRING: 3,
}


class SyntheticError(ValueError):
    """Bad arguments or a database the population cannot be added to; the message says
    which and what to do."""


@dataclass
class SyntheticResult:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    organisation_slugs: list[str] = field(default_factory=list)
    skipped: bool = False


def _pick(rng: random.Random, weighted: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _band_of(count: int) -> str:
    if count <= 2:
        return SizeBand.MICRO
    if count <= 10:
        return SizeBand.SMALL
    if count <= 50:
        return SizeBand.MEDIUM
    return SizeBand.LARGE


def spread_managers(
    *, organisations: int, managers: int, largest: int | None, rng: random.Random
) -> list[tuple[str, int]]:
    """(size band, managers) for each organisation; with `largest`, the first is a large
    organisation of exactly `largest` managers and the rest share the remainder."""
    plan: list[tuple[str, int]] = []
    others, rest = organisations, managers
    if largest:
        plan.append((SizeBand.LARGE, largest))
        others, rest = organisations - 1, managers - largest
    if others == 0:
        return plan
    bands = [_pick(rng, [(b, share) for b, share, _ in SIZE_MIX]) for _ in range(others)]
    weight_of = {b: w for b, _, w in SIZE_MIX}
    weights = [weight_of[b] * rng.uniform(0.6, 1.4) for b in bands]
    # One manager each, then the rest in proportion to the weights (largest remainder).
    spare = rest - others
    total = sum(weights)
    shares = [spare * w / total for w in weights]
    counts = [1 + int(s) for s in shares]
    left = rest - sum(counts)
    by_remainder = sorted(range(others), key=lambda i: shares[i] - int(shares[i]), reverse=True)
    for i in by_remainder[:left]:
        counts[i] += 1
    # The band stored follows the number actually given (a "micro" given 40 is not).
    plan += [(_band_of(count), count) for count in counts]
    return plan


def check_arguments(
    *, organisations: int, managers: int, seed: int, largest: int | None = None
) -> None:
    if organisations < 1:
        raise SyntheticError("--organisations must be at least 1.")
    if managers < organisations:
        raise SyntheticError(
            f"--managers ({managers}) must be at least --organisations ({organisations}): "
            "every organisation has at least one manager."
        )
    if managers > MAX_MANAGERS:
        raise SyntheticError(f"--managers must be at most {MAX_MANAGERS:,}.")
    if seed < 0:
        raise SyntheticError("--seed must be 0 or more.")
    if largest is not None:
        if largest < 1:
            raise SyntheticError("--largest must be at least 1.")
        if largest > managers - (organisations - 1):
            raise SyntheticError(
                f"--largest ({largest}) leaves too few of the {managers} managers for the "
                f"other {organisations - 1} organisations (each needs at least one)."
            )
        if organisations == 1 and largest != managers:
            raise SyntheticError(
                "With one organisation, --largest must equal --managers (or be left out)."
            )


@contextmanager
def _dates_as_given(*model_fields: tuple[type[models.Model], str]) -> Iterator[None]:
    """Let bulk_create keep the dates we set on auto_now/auto_now_add fields (a round
    started months ago), restoring the fields afterwards."""
    saved = []
    for model, name in model_fields:
        f: Any = model._meta.get_field(name)
        saved.append((f, f.auto_now, f.auto_now_add))
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


@dataclass
class _Org:
    organisation: Organisation
    band: str
    count: int
    managers: list[User] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    lead: User | None = None
    profiles: dict[str, RoleProfile] = field(default_factory=dict)
    profile_nodes: dict[str, list[tuple[Node, int, int]]] = field(default_factory=dict)


# (organisation, manager, level, PMS revision, [(node, expected, importance)])
_Pms = tuple[_Org, User, str, PmsRevision, list[tuple[Node, int, int]]]


class _Generator:
    def __init__(
        self, *, seed: int, base_date: datetime.date, progress: Callable[[str], None] | None
    ) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.base = base_date
        self.progress = progress or (lambda message: None)
        self.counts: dict[str, int] = {}
        framework = Framework.objects.get(slug=FRAMEWORK_SLUG)
        nodes = list(
            Node.objects.filter(edition__framework=framework, edition__is_current=True).order_by(
                "path"
            )
        )
        self.domains = [n for n in nodes if n.depth == 0]
        self.outcomes = [n for n in nodes if n.depth > 0]
        if not self.outcomes:
            raise SyntheticError(f"The {FRAMEWORK_SLUG} framework has no competences.")
        self.framework = framework
        # How hard each competence is: the same for everyone, so some show as needs.
        self.difficulty = {n.pk: self.rng.gauss(0, 0.5) for n in self.outcomes}
        self.qualifications = list(Qualification.objects.order_by("slug"))

    def bulk(self, model: type[models.Model], rows: list[Any], name: str) -> list[Any]:
        created: list[Any] = model._default_manager.bulk_create(rows, batch_size=2000)
        self.counts[name] = self.counts.get(name, 0) + len(rows)
        return created

    def _user(self, email: str, first: str, last: str) -> User:
        return User(
            email=email.lower(),
            full_name=f"{first} {last}",
            password=f"{UNUSABLE_PASSWORD_PREFIX}synthetic{self.rng.getrandbits(64):x}",
        )

    # --- one chunk of organisations ---------------------------------------------------

    def chunk(self, plans: list[tuple[int, str, int]]) -> list[str]:
        rng = self.rng
        orgs: list[_Org] = []
        for index, band, count in plans:
            name = f"{rng.choice(NAME_WORDS)} {rng.choice(KIND_WORDS[band])}"  # type: ignore[index]
            org = Organisation(
                name=f"{name} (synthetic {index + 1})",
                slug=f"{SLUG_PREFIX}{self.seed}-{index + 1:05d}",
                sector=_pick(rng, SECTOR_MIX[band]),  # type: ignore[index]
                size_band=band,
                region=rng.choice(list(Region)),
            )
            orgs.append(_Org(organisation=org, band=band, count=count))
        self.bulk(Organisation, [o.organisation for o in orgs], "organisations")

        # People: managers (with a level) and one L&D lead per organisation.
        users: list[User] = []
        for o in orgs:
            slug = o.organisation.slug
            for n in range(o.count):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                u = self._user(f"{first}.{last}.{slug}-{n + 1}@{EMAIL_DOMAIN}", first, last)
                o.managers.append(u)
                o.levels.append(_pick(rng, LEVEL_MIX))
                users.append(u)
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            o.lead = self._user(f"ld.{slug}@{EMAIL_DOMAIN}", first, last)
            users.append(o.lead)
        self.bulk(User, users, "people")

        memberships: list[Membership] = []
        support: list[SupportRelationship] = []
        for o in orgs:
            org = o.organisation
            memberships.append(Membership(organisation=org, user=o.lead, role=Role.LD_LEAD))
            memberships += [
                Membership(organisation=org, user=m, role=Role.MANAGER) for m in o.managers
            ]
            if o.count < 3:
                continue
            # About one supervisor for eight managers, the most senior first.
            order = sorted(range(o.count), key=lambda i: (SENIORITY[o.levels[i]], i))  # type: ignore[index]
            sups = [o.managers[i] for i in order[: max(1, o.count // 8)]]
            memberships += [
                Membership(organisation=org, user=s, role=Role.SUPERVISOR) for s in sups
            ]
            sup_ids = {id(s) for s in sups}
            for m in o.managers:
                if m is sups[0]:
                    continue
                supporter = sups[0] if id(m) in sup_ids else rng.choice(sups)
                if supporter is m:
                    continue
                support.append(
                    SupportRelationship(
                        organisation=org,
                        manager=m,
                        supporter=supporter,
                        kind=SupportKind.SUPERVISOR,
                    )
                )
        self.bulk(Membership, memberships, "memberships")
        self.bulk(SupportRelationship, support, "supervisor relationships")

        self.workforce(orgs)
        self.profiles(orgs)
        supervisor_of = {(id(s.organisation), id(s.manager)): s.supporter for s in support}
        made = self.pms(orgs, supervisor_of)
        self.assessments(made)
        self.cpd(orgs)
        self.programmes(orgs)
        return [o.organisation.slug for o in orgs]

    def workforce(self, orgs: list[_Org]) -> None:
        rng = self.rng
        teams: list[Team] = []
        org_teams: dict[int, list[Team]] = {}
        for o in orgs:
            n = max(1, min(40, o.count // 25 + (1 if o.count >= 5 else 0)))
            names = rng.sample(TEAM_WORDS, min(n, len(TEAM_WORDS)))
            names += [f"{rng.choice(TEAM_WORDS)} {k + 2}" for k in range(n - len(names))]
            ts = [Team(organisation=o.organisation, name=t) for t in dict.fromkeys(names)]
            org_teams[id(o)] = ts
            teams += ts
        self.bulk(Team, teams, "teams")
        records: list[WorkforceRecord] = []
        quals: list[QualificationRecord] = []
        diversity: list[DiversityAnswers] = []
        for o in orgs:
            sector = o.organisation.sector
            for m, level in zip(o.managers, o.levels, strict=True):
                records.append(
                    WorkforceRecord(
                        organisation=o.organisation,
                        user=m,
                        manager_level=level,
                        service_area=_pick(rng, SERVICE_MIX[sector]),  # type: ignore[index]
                        team=rng.choice(org_teams[id(o)]),
                    )
                )
                held = rng.choices([0, 1, 2], weights=[35, 45, 20])[0]
                studying = 1 if rng.random() < 0.15 else 0
                for k in range(held + studying):
                    status = QualificationStatus.HELD if k < held else QualificationStatus.STUDYING
                    q = QualificationRecord(organisation=o.organisation, user=m, status=status)
                    if self.qualifications and rng.random() < 0.8:
                        q.qualification = rng.choice(self.qualifications)
                    else:
                        q.title = rng.choice(FREE_QUALIFICATIONS)
                    if status == QualificationStatus.HELD:
                        q.achieved_on = self.base - datetime.timedelta(days=rng.randint(200, 6000))
                    else:
                        q.expected_on = self.base + datetime.timedelta(days=rng.randint(60, 700))
                    quals.append(q)
                if rng.random() < 0.7:
                    diversity.append(
                        DiversityAnswers(
                            user=m,
                            gender=_pick(rng, GENDER_MIX),
                            ethnicity=_pick(rng, ETHNICITY_MIX),
                            disability=_pick(rng, DISABILITY_MIX),
                            age_band=_pick(rng, AGE_MIX),
                        )
                    )
        self.bulk(WorkforceRecord, records, "workforce records")
        self.bulk(QualificationRecord, quals, "qualification records")
        self.bulk(DiversityAnswers, diversity, "diversity answers")

    def profiles(self, orgs: list[_Org]) -> None:
        rng = self.rng
        profiles: list[RoleProfile] = []
        for o in orgs:
            for level in sorted(set(o.levels)):
                p = RoleProfile(
                    organisation=o.organisation,
                    title=PROFILE_TITLES[level],  # type: ignore[index]
                    manager_level=level,
                    created_by=o.lead,
                )
                o.profiles[level] = p
                profiles.append(p)
        self.bulk(RoleProfile, profiles, "role profiles")
        competences: list[RoleCompetence] = []
        for o in orgs:
            for level, p in o.profiles.items():
                chosen = rng.sample(self.outcomes, min(len(self.outcomes), rng.randint(20, 34)))
                chosen.sort(key=lambda n: n.path)
                rows = []
                for node in chosen:
                    shift = rng.choice([0, 0, 0, 1, -1])
                    expected = max(0, min(4, EXPECTED[level] + shift))  # type: ignore[index]
                    importance = rng.choices([1, 2, 3], weights=[2, 5, 3])[0]
                    rows.append((node, expected, importance))
                    competences.append(
                        RoleCompetence(
                            role_profile=p,
                            node=node,
                            expected_level=expected,
                            importance=importance,
                        )
                    )
                o.profile_nodes[level] = rows
        self.bulk(RoleCompetence, competences, "role profile competences")

    def pms(self, orgs: list[_Org], supervisor_of: dict[tuple[int, int], User]) -> list[_Pms]:
        rng = self.rng
        specs: list[Specification] = []
        for o in orgs:
            specs += [Specification(organisation=o.organisation, manager=m) for m in o.managers]
        self.bulk(Specification, specs, "PMS")
        revisions: list[PmsRevision] = []
        made: list[_Pms] = []
        spec_iter = iter(specs)
        for o in orgs:
            for m, level in zip(o.managers, o.levels, strict=True):
                spec = next(spec_iter)
                rows = list(o.profile_nodes[level])
                have = {n.pk for n, _, _ in rows}
                extra = [n for n in rng.sample(self.outcomes, 6) if n.pk not in have]
                extra = extra[: rng.randint(0, 6)]
                rows += [(n, EXPECTED[level], 2) for n in extra]  # type: ignore[index]
                supervisor = supervisor_of.get((id(o.organisation), id(m)))
                agreed = supervisor is not None and rng.random() < 0.6
                created = self.base - datetime.timedelta(days=rng.randint(400, 900))
                r = PmsRevision(
                    specification=spec,
                    number=1,
                    role_profile=o.profiles[level],
                    job_title=o.profiles[level].title,
                    manager_level=level,
                    created_by=m,
                    created_at=_at(created),
                    agreed_by=supervisor if agreed else None,
                    agreed_at=_at(created + datetime.timedelta(days=14)) if agreed else None,
                )
                revisions.append(r)
                made.append((o, m, level, r, rows))
        with _dates_as_given((PmsRevision, "created_at")):
            self.bulk(PmsRevision, revisions, "PMS revisions")
        competences = [
            SpecCompetence(
                revision=r,
                node=node,
                expected_level=expected,
                importance=importance,
                from_role_profile=True,
            )
            for _, _, _, r, rows in made
            for node, expected, importance in rows
        ]
        self.bulk(SpecCompetence, competences, "PMS competences")
        latest = PmsRevision.objects.filter(specification=OuterRef("pk")).order_by("-number")
        Specification.objects.filter(pk__in=[s.pk for s in specs]).update(
            current=Subquery(latest.values("pk")[:1])
        )
        return made

    def assessments(self, made: list[_Pms]) -> None:
        rng = self.rng
        rounds: list[SelfAssessment] = []
        plans: list[tuple[SelfAssessment, list[tuple[Node, int, int]], float, int]] = []
        for o, m, level, revision, rows in made:
            n_rounds = rng.choices([1, 2, 3], weights=[35, 40, 25])[0]
            ability = rng.gauss(0, 0.4) + LEVEL_MEAN[level]  # type: ignore[index]
            back = rng.randint(30, 120) + 180 * (n_rounds - 1)
            first = self.base - datetime.timedelta(days=back)
            for k in range(n_rounds):
                started = first + datetime.timedelta(days=180 * k + rng.randint(-10, 10))
                submitted = started + datetime.timedelta(days=rng.randint(1, 21))
                a = SelfAssessment(
                    organisation=o.organisation,
                    manager=m,
                    revision=revision,
                    started_at=_at(started, 9),
                    updated_at=_at(submitted, 16),
                    submitted_at=_at(submitted, 16),
                )
                rounds.append(a)
                plans.append((a, rows, ability, k))
        with _dates_as_given((SelfAssessment, "started_at"), (SelfAssessment, "updated_at")):
            self.bulk(SelfAssessment, rounds, "self-assessment rounds (completed)")
        ratings: list[Rating] = []
        for a, rows, ability, k in plans:
            for node, _, _ in rows:
                value = (
                    ability
                    + IMPROVEMENT * k
                    + self.difficulty.get(node.pk, 0.0)
                    + rng.gauss(0, 0.5)
                )
                ratings.append(Rating(assessment=a, node=node, level=max(0, min(4, round(value)))))
        self.bulk(Rating, ratings, "ratings")

    def cpd(self, orgs: list[_Org]) -> None:
        rng = self.rng
        entries = [
            self._entry(o.organisation, m, rng)
            for o in orgs
            for m in o.managers
            for _ in range(rng.randint(2, 10))
        ]
        self._save_entries(entries)

    def _entry(
        self, organisation: Organisation, manager: User, rng: random.Random, **fields: Any
    ) -> Entry:
        kind = fields.pop("activity_type", None) or _pick(rng, CPD_MIX)
        low, high = HOURS_BY_TYPE.get(kind, (1, 7))
        day = fields.pop("date", None) or self.base - datetime.timedelta(days=rng.randint(0, 730))
        shared = rng.random() < 0.55
        e = Entry(
            organisation=organisation,
            manager=manager,
            date=day,
            activity_type=kind,
            title=fields.pop("title", None) or rng.choice(CPD_TITLES[kind]),
            hours=fields.pop("hours", None) or Decimal(rng.randint(low * 2, high * 2)) / 2,
            what_learnt="Synthetic reflection." if rng.random() < 0.6 else "",
            visibility=Visibility.SUPPORTERS if shared else Visibility.PRIVATE,
            created_at=_at(day, 18),
            updated_at=_at(day, 18),
            **fields,
        )
        e._synthetic_nodes = rng.sample(self.outcomes, rng.randint(1, 3))  # type: ignore[attr-defined]
        return e

    def _save_entries(self, entries: list[Entry], name: str = "CPD entries") -> None:
        with _dates_as_given((Entry, "created_at"), (Entry, "updated_at")):
            self.bulk(Entry, entries, name)
        through: Any = Entry.nodes.through
        links = [
            through(entry_id=e.pk, node_id=n.pk)
            for e in entries
            for n in e._synthetic_nodes  # type: ignore[attr-defined]
        ]
        self.bulk(through, links, "CPD entry competences")

    def programmes(self, orgs: list[_Org]) -> None:
        """A programme for organisations of 10 or more managers (two from 200): cohorts
        of up to 15, modules mapped to domains, sessions, attendance (the shared CPD entry
        the attendance service would make, written directly for each "present") and
        session feedback from most of those present."""
        rng = self.rng
        progs: list[tuple[_Org, Programme]] = []
        for o in orgs:
            if o.count < 10:
                continue
            for p_index in range(2 if o.count >= 200 else 1):
                template = rng.choice([Template.MODULAR, Template.MONTHLY])
                start = self.base - datetime.timedelta(days=rng.randint(60, 400))
                end = start + datetime.timedelta(days=300)
                title = (
                    f"Leading well {p_index + 1}"
                    if template == Template.MODULAR
                    else f"Monthly leadership sessions {p_index + 1}"
                )
                status = ProgrammeStatus.FINISHED if end < self.base else ProgrammeStatus.RUNNING
                progs.append(
                    (
                        o,
                        Programme(
                            organisation=o.organisation,
                            title=title,
                            status=status,
                            start_date=start,
                            end_date=end,
                            template=template,
                            framework=self.framework,
                            created_by=o.lead,
                        ),
                    )
                )
        if not progs:
            return
        self.bulk(Programme, [p for _, p in progs], "programmes")
        modules: list[Module] = []
        module_domains: list[list[Node]] = []
        by_prog: dict[int, list[Module]] = {}
        for _, p in progs:
            if p.template == Template.MODULAR:
                plan = [(ModuleKind.INTRODUCTORY, "Introduction and personal feedback", 1)]
                plan += [
                    (ModuleKind.MODULE, f"Module {k + 1}", 2) for k in range(rng.randint(3, 6))
                ]
                plan += [(ModuleKind.FINAL_REVIEW, "Final learning review", 1)]
            else:
                plan = [(ModuleKind.MONTHLY, d.title or d.code, 1) for d in self.domains]
            ms: list[Module] = []
            for seq, (kind, title, days) in enumerate(plan, start=1):
                monthly = kind == ModuleKind.MONTHLY
                ms.append(
                    Module(
                        programme=p,
                        sequence=seq,
                        title=title[:200],
                        kind=kind,
                        days=Decimal(days),
                        activity_type=ActivityType.EVENT
                        if monthly
                        else ActivityType.EXTERNAL_COURSE,
                    )
                )
                if monthly:
                    module_domains.append([self.domains[seq - 1]])
                else:
                    module_domains.append(rng.sample(self.domains, min(2, len(self.domains))))
            by_prog[id(p)] = ms
            modules += ms
        self.bulk(Module, modules, "programme modules")
        module_through: Any = Module.nodes.through
        self.bulk(
            module_through,
            [
                module_through(module_id=m.pk, node_id=d.pk)
                for m, ds in zip(modules, module_domains, strict=True)
                for d in ds
            ],
            "module domains",
        )
        cohorts: list[tuple[_Org, Programme, Cohort, list[User]]] = []
        for o, p in progs:
            pool = rng.sample(o.managers, min(len(o.managers), rng.randint(8, 30)))
            for k, i in enumerate(range(0, len(pool), 15)):
                cohort = Cohort(
                    programme=p,
                    name=f"Cohort {k + 1}",
                    start_date=p.start_date,
                    end_date=p.end_date,
                )
                cohorts.append((o, p, cohort, pool[i : i + 15]))
        self.bulk(Cohort, [c for _, _, c, _ in cohorts], "cohorts")
        participants: list[Participant] = []
        sessions: list[Session] = []
        cohort_rows: list[tuple[_Org, list[Participant], list[Session]]] = []
        for o, p, c, members in cohorts:
            ps = [Participant(cohort=c, organisation=o.organisation, user=u) for u in members]
            participants += ps
            ms = by_prog[id(p)]
            step = max(1, 300 // len(ms))
            ss = []
            for k, m in enumerate(ms):
                day = p.start_date + datetime.timedelta(days=k * step + rng.randint(0, 6))
                monthly = m.kind == ModuleKind.MONTHLY
                ss.append(
                    Session(
                        programme=p,
                        module=m,
                        cohort=c,
                        date=day,
                        start_time=datetime.time(9, 30),
                        end_time=datetime.time(12, 30) if monthly else datetime.time(16, 30),
                        place=f"{rng.choice(NAME_WORDS)} House, room {rng.randint(1, 9)}",
                    )
                )
            sessions += ss
            cohort_rows.append((o, ps, ss))
        self.bulk(Participant, participants, "participants")
        self.bulk(Session, sessions, "sessions")
        attendance: list[Attendance] = []
        entries: list[Entry] = []
        present: list[tuple[Session, Participant]] = []
        module_nodes = {id(m): ds for m, ds in zip(modules, module_domains, strict=True)}
        for o, ps, ss in cohort_rows:
            for s in ss:
                if s.date >= self.base:
                    continue
                for part in ps:
                    status = _pick(
                        rng,
                        [
                            (AttendanceStatus.PRESENT, 85),
                            (AttendanceStatus.APOLOGIES, 10),
                            (AttendanceStatus.ABSENT, 5),
                        ],
                    )
                    a = Attendance(session=s, participant=part, status=status, recorded_by=o.lead)
                    if status == AttendanceStatus.PRESENT:
                        e = self._entry(
                            o.organisation,
                            part.user,
                            rng,
                            activity_type=s.module.activity_type,
                            title=f"{s.programme.title}: {s.module.title}"[:300],
                            date=s.date,
                            hours=s.hours,
                            source="programme",
                            provider=o.organisation.name,
                        )
                        e.visibility = Visibility.SUPPORTERS
                        e._synthetic_nodes = module_nodes[id(s.module)]  # type: ignore[attr-defined]
                        a.cpd_entry = e
                        a.cpd_entry_made_at = _at(s.date, 17)
                        entries.append(e)
                        present.append((s, part))
                    attendance.append(a)
        self._save_entries(entries, "CPD entries from attendance")
        for a in attendance:
            if a.cpd_entry is not None:
                a.cpd_entry_id = a.cpd_entry.pk
        self.bulk(Attendance, attendance, "attendance")
        feedback = [
            SessionFeedback(
                session=s,
                participant=part,
                usefulness=rng.choices([2, 3, 4, 5], weights=[1, 3, 5, 3])[0],
                met_needs=rng.choices([2, 3, 4, 5], weights=[1, 4, 5, 2])[0],
            )
            for s, part in present
            if rng.random() < 0.7
        ]
        self.bulk(SessionFeedback, feedback, "session feedback")


def has_synthetic_data() -> bool:
    return Organisation.objects.filter(slug__startswith=SLUG_PREFIX).exists()


def generate(
    *,
    organisations: int,
    managers: int,
    seed: int = 1,
    largest: int | None = None,
    base_date: datetime.date | None = None,
    only_if_empty: bool = False,
    progress: Callable[[str], None] | None = None,
) -> SyntheticResult:
    """Add a synthetic population; see the module docstring and docs/synthetic.md."""
    check_arguments(organisations=organisations, managers=managers, seed=seed, largest=largest)
    started = time.perf_counter()
    if only_if_empty and has_synthetic_data():
        return SyntheticResult(skipped=True)
    if Organisation.objects.filter(slug__startswith=f"{SLUG_PREFIX}{seed}-").exists():
        raise SyntheticError(
            f"This database already holds synthetic organisations of seed {seed}: use "
            "another --seed, or --only-if-empty to leave it as it is."
        )
    if not Framework.objects.filter(slug=FRAMEWORK_SLUG).exists():
        call_command("load_standards", verbosity=0)
    gen = _Generator(seed=seed, base_date=base_date or DEFAULT_BASE_DATE, progress=progress)
    plan = spread_managers(
        organisations=organisations, managers=managers, largest=largest, rng=gen.rng
    )
    slugs: list[str] = []
    chunk: list[tuple[int, str, int]] = []
    done = 0

    def flush() -> None:
        nonlocal done
        with transaction.atomic():
            slugs.extend(gen.chunk(chunk))
        done += sum(c for _, _, c in chunk)
        gen.progress(f"{done:,} of {managers:,} managers ({time.perf_counter() - started:.1f} s)")
        chunk.clear()

    for index, (band, count) in enumerate(plan):
        chunk.append((index, band, count))
        if sum(c for _, _, c in chunk) >= CHUNK_MANAGERS:
            flush()
    if chunk:
        flush()
    return SyntheticResult(
        counts=gen.counts, seconds=time.perf_counter() - started, organisation_slugs=slugs
    )
