"""Demo data for development programmes: Brightwater runs "First line leadership" from
the modular template, with Maya and Sam as participants. The introductory session has
been held and its attendance recorded, so Maya's CPD record has the shared entry.
Idempotent: running it again changes nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone

from waymark.accounts.models import User
from waymark.frameworks.models import Framework, Node
from waymark.organisations.models import Organisation

from . import services
from .models import Module, ModuleKind, Participant, Programme, Session

ORGANISATION = "brightwater"
TITLE = "First line leadership"
PEOPLE = ("maya@brightwater.example", "sam@brightwater.example")
LEAD = "lee@brightwater.example"
# The Middle Manager framework's domains each module focuses on, in order.
MODULE_DOMAINS = ("MM3", "MM7", "MM5", "MM8", "MM4", "MM6")


def seed_programmes(write: Callable[[str], object] = print) -> None:
    org = Organisation.objects.filter(slug=ORGANISATION).first()
    lead = User.objects.filter(email=LEAD).first()
    people = list(User.objects.filter(email__in=PEOPLE).order_by("email"))
    if org is None or lead is None or len(people) != len(PEOPLE):
        write("Programmes demo skipped: run the demo people first.")
        return
    if Programme.objects.filter(organisation=org, title=TITLE).exists():
        write("Programmes demo already there.")
        return
    today = timezone.localdate()
    start = today - datetime.timedelta(days=14)
    while start.weekday() >= 5:
        start -= datetime.timedelta(days=1)
    programme = services.programme_create_from_template(
        actor=lead,
        organisation=org,
        data=services.TemplateInput(
            template="modular",
            title=TITLE,
            description=(
                "A ten-month programme for first line managers: personal feedback and a "
                "development plan, six modules of theory and practice, action learning and "
                "mentoring throughout, and a final learning review."
            ),
            start_date=start,
            cohort_name="Cohort 1",
            module_count=6,
            place="Brightwater training room, Lancaster",
        ),
    )
    Programme.objects.filter(pk=programme.pk).update(status="running")
    _map_domains(programme)
    cohort = programme.cohorts.get()
    services.participants_set(actor=lead, cohort=cohort, users=people)
    intro = (
        Session.objects.filter(programme=programme, module__kind=ModuleKind.INTRODUCTORY)
        .order_by("date")
        .first()
    )
    assert intro is not None
    intro.external_facilitators = "Dr Ruth Mensah (University of Cumbria)"
    intro.save(update_fields=["external_facilitators"])
    services.attendance_record(
        actor=lead,
        session=intro,
        marks={p.pk: "present" for p in Participant.objects.filter(cohort=cohort)},
    )
    write(f"Programmes demo: “{TITLE}” with {len(people)} participants, first session held.")


def _map_domains(programme: Programme) -> None:
    framework = Framework.objects.filter(slug="middle-manager-llf").first()
    if framework is None:
        return
    domains = {n.code: n for n in services.framework_domains(framework) if isinstance(n, Node)}
    modules = list(Module.objects.filter(programme=programme).order_by("sequence"))
    further = [m for m in modules if m.kind == ModuleKind.MODULE]
    for module, code in zip(further, MODULE_DOMAINS, strict=False):
        node = domains.get(code)
        if node is not None:
            module.title = f"{module.title}: {node.display_title}"
            module.save(update_fields=["title"])
            module.nodes.set([node])
    for module in modules:
        if module.kind in (ModuleKind.INTRODUCTORY, ModuleKind.FINAL_REVIEW) and "MM1" in domains:
            module.nodes.set([domains["MM1"]])
