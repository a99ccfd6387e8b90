"""Demo data for evaluation: Brightwater evaluates its "First line leadership"
programme (formative, improving) with a staff retention indicator and its values over
the last year, and keeps an action plan with two objectives and a progress update.
Runs after the programmes demo. Idempotent: running it again changes nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from waymark.accounts.models import User
from waymark.organisations.models import Organisation
from waymark.programmes.models import Programme

from . import services
from .models import ActionPlan, Evaluation, Indicator

ORGANISATION = "brightwater"
PROGRAMME = "First line leadership"
LEAD = "lee@brightwater.example"
EVALUATION = "First line leadership: evaluation during the programme"
INDICATOR = "Staff retention"
PLAN = "Leadership and management development, this year"
# Staff retention (%) at the end of each quarter, oldest first.
RETENTION = (Decimal("78.0"), Decimal("79.5"), Decimal("81.0"), Decimal("83.5"))


def seed_evaluation(write: Callable[[str], object] = print) -> None:
    org = Organisation.objects.filter(slug=ORGANISATION).first()
    lead = User.objects.filter(email=LEAD).first()
    programme = Programme.objects.filter(organisation=org, title=PROGRAMME).first() if org else None
    if org is None or lead is None or programme is None:
        write("Evaluation demo skipped: run the programmes demo first.")
        return
    if Evaluation.objects.filter(organisation=org, title=EVALUATION).exists():
        write("Evaluation demo already there.")
        return
    today = timezone.localdate()
    indicator = Indicator.objects.filter(organisation=org, name=INDICATOR).first()
    if indicator is None:
        indicator = services.indicator_create(
            actor=lead,
            organisation=org,
            data=services.IndicatorInput(
                name=INDICATOR,
                unit="%",
                direction="up",
                target=Decimal("85"),
                description="Staff still in post a year on, of all staff at the start of the year.",
            ),
        )
    for quarter, value in enumerate(RETENTION):
        services.indicator_value_add(
            actor=lead,
            organisation=org,
            indicator_id=indicator.pk,
            date=today - datetime.timedelta(days=91 * (len(RETENTION) - 1 - quarter)),
            value=value,
            note="Quarterly workforce return",
        )
    evaluation = services.evaluation_create(
        actor=lead,
        organisation=org,
        data=services.EvaluationInput(
            title=EVALUATION,
            kind="formative",
            purpose="improving",
            period_start=programme.start_date,
            period_end=programme.end_date,
            status="in-progress",
            programme=programme,
            indicators=[indicator],
            findings_reactions="Early sessions well received; more time for practice asked for.",
            findings_organisation=(
                "Retention has risen each quarter since the programme was planned; "
                "too early to say how much is due to it."
            ),
        ),
    )
    services.stakeholder_view_add(
        actor=lead,
        evaluation=evaluation,
        data=services.StakeholderInput(
            group="carer",
            date=today - datetime.timedelta(days=20),
            summary="Carers say team leaders now return calls and explain changes to rotas.",
            source="Carers' forum meeting",
            rating=4,
        ),
    )
    if not ActionPlan.objects.filter(organisation=org, title=PLAN).exists():
        plan = services.action_plan_create(
            actor=lead,
            organisation=org,
            data=services.ActionPlanInput(
                title=PLAN,
                start_date=today - datetime.timedelta(days=30),
                aims="Enough competent first line managers to run every service well.",
                status="active",
                reports_to_text="Senior management team",
                evaluations=[evaluation],
                report_names=["learning-needs"],
            ),
        )
        first = services.objective_add(
            actor=lead,
            plan=plan,
            data=services.ObjectiveInput(
                objective="Every first line manager completes the programme's modules",
                performance_indicator="Attendance at modules",
                target="90% attendance",
                target_value=Decimal("90"),
                due_date=programme.end_date,
                responsible=lead,
                status="on-track",
            ),
        )
        services.objective_add(
            actor=lead,
            plan=plan,
            data=services.ObjectiveInput(
                objective="Raise staff retention to the target",
                indicator=indicator,
                target="85% staff retention",
                target_value=Decimal("85"),
                due_date=today + datetime.timedelta(days=365),
                responsible_text="Registered managers",
            ),
        )
        services.progress_add(
            actor=lead,
            objective=first,
            date=today - datetime.timedelta(days=7),
            note="The introductory module was held; all participants attended.",
            status="on-track",
            value=Decimal("100"),
        )
    write("Evaluation demo ready.")
