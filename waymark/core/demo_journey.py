"""The brief's story, partly done, for the demo organisation Brightwater Care.

Lee Chen (L&D lead) has made the role profile "First line manager, home care"; Maya
Patel has started her person management specification (PMS) from it, adjusted it, and
Sam Okafor (her supervisor) has agreed it; Maya has completed one self-assessment whose
largest gaps are in "Leading and managing change" (MM7) and "Planning and resource
management" (MM4); her development plan has an objective for each, commented on and
agreed by Sam, the first under way; her CPD record has three entries: one private with
a reflection, one shared and confirmed by Sam, one shared and waiting for him.

Everything is written through the apps' own services, each with the person who would
really do it as the actor, so the audit trail reads as the story does. Each step is
skipped when what it makes is already there: running `seed-demo` again changes nothing.
It needs the shipped frameworks (`waymark load-standards`); without them it does
nothing and says so."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from waymark.accounts.models import User
from waymark.assessment.models import SelfAssessment
from waymark.assessment.services import (
    RatingInput,
    assessment_save,
    assessment_start,
    assessment_submit,
)
from waymark.cpd.models import Entry, Visibility
from waymark.cpd.services import EntryInput, entry_confirm, entry_create
from waymark.frameworks.models import EditionStatus, Node
from waymark.organisations.models import Organisation
from waymark.planning.models import ActivityType, Objective, ObjectiveStatus, Plan
from waymark.planning.services import (
    activity_add,
    milestone_add,
    objective_create,
    objective_set_status,
    plan_agree,
    plan_comment_add,
    plan_create,
    plan_update,
)
from waymark.profiles.models import (
    BasicKind,
    Importance,
    Level,
    ManagerLevel,
    RoleProfile,
    Specification,
)
from waymark.profiles.selectors import CompetenceRow, content_of
from waymark.profiles.services import (
    STARTING_FRAMEWORK,
    role_basic_add,
    role_competences_set,
    role_profile_create,
    role_profile_starting_point,
    role_qualification_add,
    spec_agree,
    spec_content_with,
    spec_revise,
    spec_start,
)

ORGANISATION = "brightwater"
MAYA = "maya@brightwater.example"
SAM = "sam@brightwater.example"
LEE = "lee@brightwater.example"

ROLE_TITLE = "First line manager, home care"
ROLE_DESCRIPTION = (
    "Leads a team of home care workers: rotas and visits, supervision, quality of care "
    "in people's own homes, and the link with district nurses and social workers."
)
# Lee's changes to the starting point: this service is moving to electronic care
# planning and new council contracts, so change and planning matter more than the
# default mix for a first line manager says. code: (level expected, importance)
ROLE_ADJUSTMENTS: dict[str, tuple[int, int]] = {
    "MM7.01": (Level.CONFIDENT, Importance.IMPORTANT),
    "MM7.02": (Level.CONFIDENT, Importance.ESSENTIAL),
    "MM7.04": (Level.CONFIDENT, Importance.IMPORTANT),
    "MM4.06": (Level.CONFIDENT, Importance.ESSENTIAL),
}
ROLE_QUALIFICATIONS = [
    ("Level 5 Diploma in Leadership and Management for Adult Care", "Within two years of starting"),
    ("Safeguarding adults: level 3", ""),
]
ROLE_BASICS = [
    (BasicKind.INDUCTION, "Brightwater's policies: lone working, on-call and safeguarding"),
    (BasicKind.INDUCTION, "Shadow the registered manager for a week of rotas and visits"),
    (BasicKind.FOUNDATION, "Supervising home care workers: the organisation's approach"),
]

JOB_DESCRIPTION = (
    "Team leader for the Eastfield home care team: twelve care workers and about 60 "
    "people supported at home. Plans the weekly rota and visit times, supervises the "
    "team, reviews care plans with people and their families, and is leading the team's "
    "move from paper to electronic care planning this year."
)
# Maya's own addition to the role profile: she leads the team through the change.
PMS_ADDITION = "MM7.03"
PMS_NOTE = "Added my job description; I lead our move to electronic care planning."

# Maya's self-ratings. Anything not listed is rated at the level expected of it; the
# gaps are where the brief's story puts them.
RATINGS: dict[str, tuple[int, str]] = {
    "MM4.01": (Level.DEVELOPING, "I work to the budget I am given but do not see the whole of it."),
    "MM4.02": (Level.AWARE, ""),
    "MM4.03": (Level.DEVELOPING, ""),
    "MM4.04": (Level.CONFIDENT, "Senior carers plan their own runs at weekends."),
    "MM4.06": (Level.AWARE, "Rotas are planned a week at a time; we run short every August."),
    "MM7.01": (Level.DEVELOPING, ""),
    "MM7.02": (Level.AWARE, "The team heard about the new care planning system from the rota."),
    "MM7.03": (Level.AWARE, ""),
    "MM7.04": (Level.DEVELOPING, ""),
    "MM2.01": (Level.CONFIDENT, "Reviews with people at home lead our care plans."),
    "MM3.01": (Level.CONFIDENT, ""),
    "MM6.02": (Level.DEVELOPING, ""),
}

PLAN_TITLE = "Development plan: my first year as team leader"


@dataclass(frozen=True)
class DemoObjective:
    codes: tuple[str, ...]
    title: str
    specific: str
    measure: str
    achievable: str
    relevant: str
    days: int  # target date: this many days from today
    support: str
    activities: tuple[tuple[str, str], ...]
    milestones: tuple[tuple[str, int], ...]  # (title, days from today)


OBJECTIVES = [
    DemoObjective(
        codes=("MM7.02", "MM7.03", "MM7.04"),
        title="Lead my team through the move to electronic care planning",
        specific=(
            "Explain why we are changing, involve the team in planning the move, and hold "
            "a fortnightly half hour where anyone can raise what is not working."
        ),
        measure=(
            "Every care worker uses the new system by the target date; at the last team "
            "meeting most say they understood why and had a say in how."
        ),
        achievable="Action learning set with other team leaders; Sam's monthly supervision.",
        relevant=(
            "People we support keep familiar carers and visit times through the change, and "
            "their care plans are up to date in their homes."
        ),
        days=150,
        support="Time for the action learning set (one afternoon a month).",
        activities=(
            (ActivityType.ACTION_LEARNING, "Team leaders' action learning set on leading change"),
            (
                ActivityType.SHADOWING,
                "Shadow the Northside team leader who made the move last year",
            ),
        ),
        milestones=(("Whole team trained on the new system", 60),),
    ),
    DemoObjective(
        codes=("MM4.01", "MM4.02", "MM4.06"),
        title="Plan the team's rota and hours within the care budget",
        specific=(
            "Learn how our budget is built, then plan the rota four weeks ahead with the "
            "team, including the August holiday weeks."
        ),
        measure="No visits missed for lack of staff in August; agency hours within budget.",
        achievable="E-learning on care budgets, then monthly budget meetings with Sam.",
        relevant="People get their visits at the times agreed with them, by carers they know.",
        days=210,
        support="A monthly look at the budget figures with Sam.",
        activities=(
            (ActivityType.E_LEARNING, "Managing a care budget (online course)"),
            (ActivityType.COACHING, "Budget coaching with the registered manager"),
        ),
        milestones=(("First four-week rota planned with the team", 45),),
    ),
]
SAM_COMMENT = (
    "Good, focused plan. Book the action learning set now: the next one starts soon. "
    "We will look at the budget figures together at every supervision."
)


@dataclass(frozen=True)
class DemoEntry:
    title: str
    activity_type: str
    days_ago: int
    hours: str
    provider: str
    codes: tuple[str, ...]
    objective: int | None  # index into OBJECTIVES
    visibility: str
    confirmed: bool
    what_happened: str = ""
    what_learnt: str = ""
    how_use: str = ""
    difference: str = ""
    link: str = ""


ENTRIES = [
    DemoEntry(
        title="Reflective diary: a hard conversation about rota changes",
        activity_type=ActivityType.WORK_BASED,
        days_ago=40,
        hours="1",
        provider="",
        codes=("MM7.04",),
        objective=0,
        visibility=Visibility.PRIVATE,
        confirmed=False,
        what_happened=(
            "Two long-serving carers were upset that their runs would change when the new "
            "system starts. I defended the plan instead of listening."
        ),
        what_learnt="People need to grieve what they lose before they can hear why.",
        how_use="Ask first what the change means for each person, then explain.",
        difference="Carers who feel heard stay, and people keep the carers they know.",
    ),
    DemoEntry(
        title="Action learning set: leading change in small services",
        activity_type=ActivityType.ACTION_LEARNING,
        days_ago=21,
        hours="3",
        provider="North West team leaders' action learning set",
        codes=("MM7.02", "MM7.03"),
        objective=0,
        visibility=Visibility.SUPPORTERS,
        confirmed=True,
        what_happened="Presented my plan for the electronic care planning move to the set.",
        what_learnt="Involving the team in the timetable turns resistance into ownership.",
        how_use="The team will plan the order in which rounds move to the new system.",
        difference="Fewer missed notes during the change, so safer visits.",
    ),
    DemoEntry(
        title="E-learning: managing a care budget",
        activity_type=ActivityType.E_LEARNING,
        days_ago=6,
        hours="2.5",
        provider="Online course",
        codes=("MM4.01", "MM4.02"),
        objective=1,
        visibility=Visibility.SUPPORTERS,
        confirmed=False,
        what_learnt="How staff hours, mileage and agency cover add up in our budget.",
    ),
]


def seed_journey(*, write: Callable[[str], object] = print) -> bool:
    """Seed the story; returns False (having written why) when it cannot yet."""
    org = Organisation.objects.filter(slug=ORGANISATION).first()
    people = {u.email: u for u in User.objects.filter(email__in=[MAYA, SAM, LEE])}
    if org is None or len(people) < 3:
        write("Demo journey skipped: the Brightwater demo people are missing.")
        return False
    if not Node.objects.filter(
        edition__framework__slug=STARTING_FRAMEWORK,
        edition__is_current=True,
        edition__status=EditionStatus.PUBLISHED,
    ).exists():
        write("Demo journey skipped: run `waymark load-standards` first, then seed-demo again.")
        return False
    maya, sam, lee = people[MAYA], people[SAM], people[LEE]
    nodes = _mm_nodes()
    profile = _role_profile(org, lee, nodes)
    _pms(org, maya, sam, profile, nodes)
    _self_assessment(org, maya)
    objectives = _plan(org, maya, sam, nodes)
    _cpd(org, maya, sam, nodes, objectives)
    write("Demo journey ready: Maya Patel's development in Brightwater Care.")
    return True


def _mm_nodes() -> dict[str, Node]:
    return {
        n.code: n
        for n in Node.objects.filter(
            edition__framework__slug=STARTING_FRAMEWORK, edition__is_current=True
        ).exclude(code="")
    }


def _role_profile(org: Organisation, lee: User, nodes: dict[str, Node]) -> RoleProfile:
    existing = RoleProfile.objects.filter(organisation=org, title=ROLE_TITLE).first()
    if existing is not None:
        return existing
    profile = role_profile_create(
        actor=lee,
        organisation=org,
        title=ROLE_TITLE,
        manager_level=ManagerLevel.FIRST_LINE,
        description=ROLE_DESCRIPTION,
    )
    start = role_profile_starting_point(
        size_band=org.size_band, manager_level=ManagerLevel.FIRST_LINE
    )
    rows = {
        p.node.code: CompetenceRow(p.node, p.expected_level, p.importance)
        for p in start.competences
    }
    for code, (level, importance) in ROLE_ADJUSTMENTS.items():
        rows[code] = CompetenceRow(nodes[code], level, importance)
    role_competences_set(actor=lee, role_profile=profile, competences=list(rows.values()))
    for title, note in ROLE_QUALIFICATIONS:
        role_qualification_add(actor=lee, role_profile=profile, title=title, note=note)
    for kind, title in ROLE_BASICS:
        role_basic_add(actor=lee, role_profile=profile, kind=kind, title=title)
    return profile


def _pms(
    org: Organisation, maya: User, sam: User, profile: RoleProfile, nodes: dict[str, Node]
) -> Specification:
    existing = Specification.objects.filter(organisation=org, manager=maya).first()
    if existing is not None:
        return existing
    spec = spec_start(actor=maya, organisation=org, manager=maya, role_profile=profile)
    assert spec.current is not None
    before = content_of(spec.current)
    content = spec_content_with(
        before,
        competences=[
            *before.competences,
            CompetenceRow(nodes[PMS_ADDITION], Level.CONFIDENT, Importance.IMPORTANT),
        ],
    )
    content.job_description = JOB_DESCRIPTION
    revision = spec_revise(
        actor=maya,
        specification=spec,
        content=content,
        change_note=PMS_NOTE,
        based_on=spec.current.number,
    )
    spec_agree(actor=sam, revision=revision)
    spec.refresh_from_db()
    return spec


def _self_assessment(org: Organisation, maya: User) -> None:
    if SelfAssessment.objects.filter(organisation=org, manager=maya).exists():
        return
    assessment = assessment_start(actor=maya, organisation=org)
    answers: dict[int, RatingInput] = {}
    for c in assessment.revision.competences.select_related("node"):
        level, evidence = RATINGS.get(c.node.code, (c.expected_level, ""))
        answers[c.node_id] = RatingInput(level=int(level), evidence=evidence)
    assessment_save(actor=maya, assessment=assessment, ratings=answers)
    assessment_submit(actor=maya, assessment=assessment)


def _plan(org: Organisation, maya: User, sam: User, nodes: dict[str, Node]) -> list[Objective]:
    existing = Plan.objects.filter(organisation=org, manager=maya).first()
    if existing is not None:
        return list(existing.objectives.order_by("sequence", "pk"))
    today = timezone.localdate()
    plan = plan_create(
        actor=maya,
        organisation=org,
        manager=maya,
        title=PLAN_TITLE,
        period_start=today - datetime.timedelta(days=14),
        period_end=today + datetime.timedelta(days=351),
    )
    plan = plan_update(
        actor=maya,
        plan=plan,
        data={
            "strengths": "I know the people we support and the team well.",
            "weaknesses": "Budgets, and explaining change before it happens.",
            "opportunities": "The new care planning system; the team leaders' learning set.",
            "threats": "Summer staff shortages; worry in the team about the new system.",
        },
    )
    objectives = []
    for demo in OBJECTIVES:
        objective = objective_create(
            actor=maya,
            plan=plan,
            title=demo.title,
            specific=demo.specific,
            measure=demo.measure,
            achievable=demo.achievable,
            relevant=demo.relevant,
            support_needed=demo.support,
            target_date=today + datetime.timedelta(days=demo.days),
            nodes=[nodes[code] for code in demo.codes],
        )
        for activity_type, description in demo.activities:
            activity_add(
                actor=maya,
                objective=objective,
                activity_type=activity_type,
                description=description,
            )
        for title, days in demo.milestones:
            milestone_add(
                actor=maya,
                objective=objective,
                title=title,
                due_date=today + datetime.timedelta(days=days),
            )
        objectives.append(objective)
    plan_comment_add(actor=sam, plan=plan, body=SAM_COMMENT)
    plan_agree(actor=sam, plan=plan)
    # Under way since the action learning set (progress, not a change to the plan).
    objectives[0] = objective_set_status(
        actor=maya, objective=objectives[0], status=ObjectiveStatus.IN_PROGRESS
    )
    return objectives


def _cpd(
    org: Organisation,
    maya: User,
    sam: User,
    nodes: dict[str, Node],
    objectives: list[Objective],
) -> None:
    today = timezone.localdate()
    have = set(Entry.objects.filter(organisation=org, manager=maya).values_list("title", flat=True))
    for demo in ENTRIES:
        if demo.title in have:
            continue
        objective = (
            objectives[demo.objective]
            if demo.objective is not None and demo.objective < len(objectives)
            else None
        )
        entry = entry_create(
            actor=maya,
            organisation=org,
            manager=maya,
            data=EntryInput(
                date=today - datetime.timedelta(days=demo.days_ago),
                activity_type=demo.activity_type,
                title=demo.title,
                hours=Decimal(demo.hours),
                provider=demo.provider,
                link=demo.link,
                nodes=tuple(nodes[code] for code in demo.codes),
                objective=objective,
                what_happened=demo.what_happened,
                what_learnt=demo.what_learnt,
                how_use=demo.how_use,
                difference=demo.difference,
                visibility=demo.visibility,
            ),
        )
        if demo.confirmed:
            entry_confirm(actor=sam, entry=entry)
