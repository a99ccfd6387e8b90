"""Workforce data in the demo story: teams and services, each demo person's manager
level, service area and team, and a few qualifications held and being studied. No
diversity answers: those are only ever given by the person herself.

Idempotent: skipped when Brightwater already has teams."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import transaction

from waymark.accounts.models import User
from waymark.organisations.models import Organisation
from waymark.signposting.models import Qualification

from . import services
from .models import Team

TEAMS = {
    "brightwater": ["Residential home", "Home care"],
    "riverside": ["Adult social work", "Reablement"],
}
RECORDS = [
    # email, organisation, level, service area, team
    ("maya@brightwater.example", "brightwater", "first-line", "adults", "Home care"),
    ("sam@brightwater.example", "brightwater", "middle", "adults", "Residential home"),
    ("lee@brightwater.example", "brightwater", "senior", "adults", None),
    ("rita@riverside.example", "riverside", "middle", "adults", "Adult social work"),
    ("ravi@riverside.example", "riverside", "senior", "integrated", None),
]
QUALIFICATIONS = [
    # email, organisation, catalogue slug or None, free title, status, date
    ("maya@brightwater.example", "brightwater", "svq4-lmcs", "", "studying", (2027, 6, 30)),
    (
        "sam@brightwater.example",
        "brightwater",
        "registered-manager-award",
        "",
        "held",
        (2012, 7, 1),
    ),
    (
        "sam@brightwater.example",
        "brightwater",
        None,
        "BA (Hons) Social Work",
        "held",
        (2008, 6, 20),
    ),
]


@transaction.atomic
def seed_workforce(write: Callable[[str], object] = print) -> None:
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=TEAMS)}
    lead = User.objects.filter(email="lee@brightwater.example").first()
    if "brightwater" not in orgs or lead is None:
        write("Workforce demo skipped: run the demo people first.")
        return
    if Team.objects.filter(organisation=orgs["brightwater"]).exists():
        write("Workforce demo already there.")
        return
    teams: dict[tuple[str, str], Team] = {}
    for slug, names in TEAMS.items():
        if slug in orgs:
            for name in names:
                teams[(slug, name)] = services.team_create(
                    actor=lead, organisation=orgs[slug], name=name
                )
    people = {u.email: u for u in User.objects.filter(email__in=[r[0] for r in RECORDS])}
    for email, slug, level, area, team in RECORDS:
        if email in people and slug in orgs:
            services.record_set(
                actor=lead,
                organisation=orgs[slug],
                person=people[email],
                manager_level=level,
                service_area=area,
                team=teams.get((slug, team)) if team else None,
            )
    catalogue = {
        q.slug: q
        for q in Qualification.objects.filter(slug__in=[q[2] for q in QUALIFICATIONS if q[2]])
    }
    for email, slug, qslug, title, status, ymd in QUALIFICATIONS:
        if email not in people or slug not in orgs:
            continue
        qualification = catalogue.get(qslug) if qslug else None
        if qslug and qualification is None:
            title = qslug.replace("-", " ").title()
        day = datetime.date(*ymd)
        services.qualification_add(
            actor=people[email],
            organisation=orgs[slug],
            person=people[email],
            qualification=qualification,
            title=title,
            status=status,
            achieved_on=day if status == "held" else None,
            expected_on=day if status == "studying" else None,
        )
    write("Workforce demo: teams, workforce records and qualifications.")
