"""Programmes from templates, and bad input answered clearly with nothing lost."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from waymark.conftest import Personas
from waymark.core.models import AuditEvent
from waymark.core.tests.factories import MembershipFactory, UserFactory

from ..models import Cohort, GroupKind, Module, ModuleKind, Participant, Programme, Session
from ..services import (
    GroupInput,
    ModuleInput,
    SessionInput,
    TemplateInput,
    group_create,
    module_create,
    participants_set,
    programme_create_from_template,
    session_create,
)
from .factories import make_framework, make_programme

pytestmark = pytest.mark.django_db

START = datetime.date(2027, 1, 11)  # a Monday


def _modular(p: Personas, **kw: object) -> Programme:
    data = TemplateInput(
        template="modular",
        title="First line leadership",
        start_date=START,
        **kw,  # type: ignore[arg-type]
    )
    return programme_create_from_template(actor=p.ld_lead, organisation=p.org, data=data)


def test_the_modular_template_makes_an_introduction_six_modules_and_a_review(
    personas: Personas,
) -> None:
    programme = _modular(personas, module_count=6, module_days=Decimal("2"))
    kinds = list(programme.modules.values_list("kind", flat=True))
    assert kinds == ["intro"] + ["module"] * 6 + ["review"]
    intro = programme.modules.get(kind=ModuleKind.INTRODUCTORY)
    assert "development plan" in intro.title
    # One session per module day, on weekdays, over about ten months.
    sessions = list(Session.objects.filter(programme=programme).order_by("date"))
    assert len(sessions) == 1 + 6 * 2 + 1
    assert all(s.date.weekday() < 5 for s in sessions)
    assert sessions[0].date == START
    assert 295 <= (sessions[-1].date - START).days <= 310
    cohort = Cohort.objects.get(programme=programme)
    assert cohort.start_date == START and cohort.end_date == sessions[-1].date
    assert programme.end_date == sessions[-1].date
    assert AuditEvent.objects.filter(action="programmes.programme.create").exists()


def test_the_modular_template_refuses_more_than_six_modules(personas: Personas) -> None:
    with pytest.raises(ValidationError) as e:
        _modular(personas, module_count=7)
    assert e.value.message_dict["module_count"] == ["Choose between 0 and 6 further modules"]
    assert not Programme.objects.exists()


def test_the_modular_template_refuses_a_module_over_three_days(personas: Personas) -> None:
    with pytest.raises(ValidationError) as e:
        _modular(personas, module_days=Decimal("4"))
    assert "at most 3 days" in e.value.message_dict["module_days"][0]
    assert not Programme.objects.exists()


def test_a_module_of_a_modular_programme_cannot_be_changed_to_over_three_days(
    personas: Personas,
) -> None:
    programme = _modular(personas, module_count=2)
    with pytest.raises(ValidationError) as e:
        module_create(
            actor=personas.ld_lead,
            programme=programme,
            data=ModuleInput(title="Residential", kind="intro", days=Decimal("5")),
        )
    assert "at most 3 days" in e.value.message_dict["days"][0]


def test_a_seventh_further_module_is_refused(personas: Personas) -> None:
    programme = _modular(personas, module_count=6)
    with pytest.raises(ValidationError) as e:
        module_create(
            actor=personas.ld_lead,
            programme=programme,
            data=ModuleInput(title="One more", kind="module", days=Decimal("1")),
        )
    assert "already has 6 further modules" in e.value.message_dict["kind"][0]


def test_the_monthly_template_makes_a_session_per_domain_mapped_to_it(
    personas: Personas,
) -> None:
    framework = make_framework(domains=9)
    data = TemplateInput(
        template="monthly", title="Monthly leadership forum", start_date=START, framework=framework
    )
    programme = programme_create_from_template(
        actor=personas.ld_lead, organisation=personas.org, data=data
    )
    modules = list(Module.objects.filter(programme=programme).prefetch_related("nodes"))
    assert len(modules) == 9
    assert [m.nodes.get().code for m in modules] == [f"D{i}" for i in range(1, 10)]
    assert all(m.kind == "monthly" and m.activity_type == "event" for m in modules)
    dates = [s.date for s in Session.objects.filter(programme=programme).order_by("date")]
    assert [(d.year, d.month) for d in dates][:3] == [(2027, 1), (2027, 2), (2027, 3)]
    assert (dates[-1].year, dates[-1].month) == (2027, 9)


def test_the_monthly_template_needs_a_framework(personas: Personas) -> None:
    data = TemplateInput(template="monthly", title="Forum", start_date=START)
    with pytest.raises(ValidationError) as e:
        programme_create_from_template(actor=personas.ld_lead, organisation=personas.org, data=data)
    assert "framework" in e.value.message_dict


def test_a_session_outside_the_cohort_dates_is_refused(personas: Personas) -> None:
    setup = make_programme(personas.org)
    late = setup.cohort.end_date + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as e:
        session_create(
            actor=personas.ld_lead,
            programme=setup.programme,
            data=SessionInput(
                module=setup.module,
                cohort=setup.cohort,
                date=late,
                start_time=datetime.time(10),
                end_time=datetime.time(12),
            ),
        )
    assert "within the cohort's dates" in e.value.message_dict["date"][0]
    assert Session.objects.count() == 1


def test_a_participant_from_another_organisation_is_refused(personas: Personas) -> None:
    setup = make_programme(personas.org)
    with pytest.raises(ValidationError) as e:
        participants_set(
            actor=personas.ld_lead, cohort=setup.cohort, users=[personas.manager, personas.outsider]
        )
    assert e.value.message_dict["users"] == ["Otto Outsider is not a member of this organisation"]
    assert not Participant.objects.exists()


def test_participants_can_be_added_and_removed(personas: Personas) -> None:
    setup = make_programme(personas.org, participants=(personas.supervisor,))
    participants_set(actor=personas.ld_lead, cohort=setup.cohort, users=[personas.manager])
    assert list(setup.cohort.participants.values_list("user", flat=True)) == [personas.manager.pk]


def test_a_mentoring_pair_has_exactly_one_mentor_and_one_mentee(personas: Personas) -> None:
    p = personas
    with pytest.raises(ValidationError) as e:
        group_create(
            actor=p.ld_lead,
            organisation=p.org,
            data=GroupInput(
                kind=GroupKind.MENTORING_PAIR,
                name="Pair",
                members=((p.supervisor, "mentor"), (p.manager, "mentor")),
            ),
        )
    assert e.value.message_dict["members"] == [
        "A mentoring pair has exactly one mentor and one mentee"
    ]
    group = group_create(
        actor=p.ld_lead,
        organisation=p.org,
        data=GroupInput(
            kind=GroupKind.MENTORING_PAIR,
            name="Sam mentors Maya",
            members=((p.supervisor, "mentor"), (p.manager, "mentee")),
        ),
    )
    assert group.members.count() == 2


def test_an_action_learning_set_takes_members_of_the_organisation_only(
    personas: Personas,
) -> None:
    p = personas
    with pytest.raises(ValidationError) as e:
        group_create(
            actor=p.ld_lead,
            organisation=p.org,
            data=GroupInput(
                kind=GroupKind.ACTION_LEARNING_SET,
                name="Set A",
                members=((p.manager, "member"), (p.outsider, "member")),
            ),
        )
    assert "members" in e.value.message_dict
    colleague = UserFactory.create()
    MembershipFactory(organisation=p.org, user=colleague)
    group = group_create(
        actor=p.ld_lead,
        organisation=p.org,
        data=GroupInput(
            kind=GroupKind.ACTION_LEARNING_SET,
            name="Set A",
            members=((p.manager, "member"), (colleague, "member")),
        ),
    )
    assert group.members.count() == 2


def test_a_participant_with_attendance_recorded_is_not_removed(personas: Personas) -> None:
    from ..services import attendance_record

    setup = make_programme(personas.org, participants=(personas.manager,))
    place = Participant.objects.get()
    attendance_record(actor=personas.ld_lead, session=setup.session, marks={place.pk: "absent"})
    with pytest.raises(ValidationError) as e:
        participants_set(actor=personas.ld_lead, cohort=setup.cohort, users=[])
    assert "Maya Manager has attendance recorded" in e.value.message_dict["users"][0]
    assert Participant.objects.count() == 1


def test_a_cohort_cannot_be_shortened_to_leave_a_session_outside(personas: Personas) -> None:
    from ..services import cohort_update

    setup = make_programme(personas.org)
    with pytest.raises(ValidationError) as e:
        cohort_update(
            actor=personas.ld_lead,
            cohort=setup.cohort,
            name="Cohort 1",
            start_date=setup.session.date + datetime.timedelta(days=1),
            end_date=setup.cohort.end_date,
        )
    assert "the dates must include it" in e.value.message_dict["start_date"][0]
    cohort_update(
        actor=personas.ld_lead,
        cohort=setup.cohort,
        name="Spring cohort",
        start_date=setup.session.date,
        end_date=setup.cohort.end_date,
    )
    setup.cohort.refresh_from_db()
    assert setup.cohort.name == "Spring cohort"


def test_the_monthly_template_follows_the_nine_middle_manager_domains(
    personas: Personas,
) -> None:
    from django.core.management import call_command

    from waymark.frameworks.models import Framework

    call_command("load_standards", verbosity=0)
    framework = Framework.objects.get(slug="middle-manager-llf")
    programme = programme_create_from_template(
        actor=personas.ld_lead,
        organisation=personas.org,
        data=TemplateInput(
            template="monthly", title="Monthly forum", start_date=START, framework=framework
        ),
    )
    codes = [m.nodes.get().code for m in programme.modules.order_by("sequence")]
    assert codes == [f"MM{i}" for i in range(1, 10)]
