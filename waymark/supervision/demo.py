"""Supervision in the demo story: Sam Okafor supervises Maya Patel at Brightwater Care.

Five weeks ago they met: two action points were agreed. Maya booked the fire safety
refresher (done); the draft night rota is still open and now overdue, so it is carried
into this week's supervision record (a draft, with the rota on the agenda).

Skipped when Maya already has supervision records, so running `seed-demo` again changes
nothing. Services make every row (so the audit trail is real); dates are then moved into
the past, which the services rightly refuse to do for a review date."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from waymark.accounts.models import User
from waymark.organisations.models import Organisation, SupportKind, SupportRelationship

from . import services
from .models import ActionEvent, ActionPoint, SupervisionRecord

ORGANISATION = "brightwater"
MAYA = "maya@brightwater.example"
SAM = "sam@brightwater.example"


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@transaction.atomic
def seed_supervision(write: Callable[[str], object] = print) -> None:
    org = Organisation.objects.filter(slug=ORGANISATION).first()
    maya = User.objects.filter(email=MAYA).first()
    sam = User.objects.filter(email=SAM).first()
    if org is None or maya is None or sam is None:
        write("Supervision demo skipped: run the demo people first.")
        return
    if not SupportRelationship.objects.filter(
        organisation=org, manager=maya, supporter=sam, kind=SupportKind.SUPERVISOR
    ).exists():
        write("Supervision demo skipped: Sam does not supervise Maya.")
        return
    if SupervisionRecord.objects.filter(organisation=org, manager=maya).exists():
        write("Supervision demo already there.")
        return
    today = timezone.localdate()
    past = services.supervision_record_create(
        actor=sam,
        organisation=org,
        manager=maya,
        date=today,
        review_date=today,
        agenda="Staffing over the winter\nFire safety\nMaya's development plan",
        notes=(
            "Night cover is thin from December. Maya will draft a new night rota and talk it "
            "through with the team first. Fire safety refresher due for Maya."
        ),
    )
    course = services.action_point_add(
        actor=sam,
        record=past,
        description="Book the fire safety refresher course",
        due_date=today,
        owner=maya,
    )
    rota = services.action_point_add(
        actor=sam,
        record=past,
        description="Draft the new night rota and share it with the team",
        due_date=today,
        owner=maya,
    )
    # Finalised without circulating: the demo should not send email.
    services._finalise(actor=sam, record=past)
    services.action_point_update(actor=maya, action=course, outcome="done")
    SupervisionRecord.objects.filter(pk=past.pk).update(
        date=_days(-35),
        review_date=_days(-7),
        finalised_at=timezone.now() - datetime.timedelta(days=35),
    )
    ActionPoint.objects.filter(pk=course.pk).update(due_date=_days(-21), closed_on=_days(-24))
    ActionPoint.objects.filter(pk=rota.pk).update(due_date=_days(-7))
    ActionEvent.objects.filter(action__in=[course, rota], kind="agreed").update(
        at=timezone.now() - datetime.timedelta(days=35)
    )
    ActionEvent.objects.filter(action=course, kind="done").update(
        at=timezone.now() - datetime.timedelta(days=24)
    )
    services.supervision_record_create(
        actor=sam,
        organisation=org,
        manager=maya,
        date=today,
        review_date=_days(28),
        agenda="The night rota (carried over)\nMaya's appraisal in the spring",
    )
    write("Supervision demo: Sam's two supervision records with Maya, one action carried over.")
