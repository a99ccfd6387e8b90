"""Attendance recorded once flows into each participant's CPD record as a shared entry."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from waymark.accounts.models import User
from waymark.conftest import Personas
from waymark.cpd import services as cpd_services
from waymark.cpd.models import Entry, Visibility
from waymark.cpd.selectors import entries_visible_to

from ..models import Attendance, Participant
from ..services import attendance_record
from .factories import Setup, make_programme

pytestmark = pytest.mark.django_db


def _place(setup: Setup, user: User) -> Participant:
    return Participant.objects.get(cohort=setup.cohort, user=user)


def test_present_makes_a_shared_cpd_entry_from_the_session(supervised: Personas) -> None:
    p = supervised
    setup = make_programme(p.org, participants=(p.manager, p.supervisor))
    maya, sam = _place(setup, p.manager), _place(setup, p.supervisor)
    result = attendance_record(
        actor=p.ld_lead, session=setup.session, marks={maya.pk: "present", sam.pk: "apologies"}
    )
    assert [x.user for x in result.entries_made] == [p.manager]
    entry = Entry.objects.get(manager=p.manager)
    assert entry.date == setup.session.date
    assert entry.hours == Decimal("6.50")
    assert entry.title == "First line leadership: Leading change"
    assert entry.activity_type == "external-course"
    assert entry.visibility == Visibility.SUPPORTERS
    assert entry.source == "programme"
    assert set(entry.nodes.all()) == set(setup.nodes)
    assert not Entry.objects.filter(manager=p.supervisor).exists()
    # Her supervisor sees it as shared.
    seen = entries_visible_to(p.supervisor, p.manager, p.org, {"supervisor"})
    assert list(seen) == [entry]


def test_recording_attendance_again_never_duplicates_the_entry(supervised: Personas) -> None:
    p = supervised
    setup = make_programme(p.org, participants=(p.manager,))
    maya = _place(setup, p.manager)
    attendance_record(actor=p.ld_lead, session=setup.session, marks={maya.pk: "present"})
    attendance_record(actor=p.ld_lead, session=setup.session, marks={maya.pk: "present"})
    assert Entry.objects.filter(manager=p.manager).count() == 1
    assert Attendance.objects.filter(session=setup.session).count() == 1


def test_re_recording_keeps_what_the_participant_wrote(supervised: Personas) -> None:
    p = supervised
    setup = make_programme(p.org, participants=(p.manager,))
    maya = _place(setup, p.manager)
    attendance_record(actor=p.ld_lead, session=setup.session, marks={maya.pk: "present"})
    entry = Entry.objects.get(manager=p.manager)
    cpd_services.entry_update(
        actor=p.manager,
        entry=entry,
        data=cpd_services.EntryInput.from_entry(entry, what_learnt="Change needs a story"),
    )
    attendance_record(actor=p.ld_lead, session=setup.session, marks={maya.pk: "present"})
    entry.refresh_from_db()
    assert entry.what_learnt == "Change needs a story"


def test_marking_absent_removes_an_entry_she_has_not_written_in(supervised: Personas) -> None:
    p = supervised
    setup = make_programme(p.org, participants=(p.manager,))
    maya = _place(setup, p.manager)
    attendance_record(actor=p.ld_lead, session=setup.session, marks={maya.pk: "present"})
    result = attendance_record(actor=p.ld_lead, session=setup.session, marks={maya.pk: "absent"})
    assert [x.user for x in result.entries_removed] == [p.manager]
    assert not Entry.objects.filter(manager=p.manager).exists()
    assert Attendance.objects.get(participant=maya).status == "absent"


def test_marking_absent_keeps_an_entry_with_her_reflection_and_says_so(
    supervised: Personas,
) -> None:
    p = supervised
    setup = make_programme(p.org, participants=(p.manager,))
    maya = _place(setup, p.manager)
    attendance_record(actor=p.ld_lead, session=setup.session, marks={maya.pk: "present"})
    entry = Entry.objects.get(manager=p.manager)
    cpd_services.entry_update(
        actor=p.manager,
        entry=entry,
        data=cpd_services.EntryInput.from_entry(entry, what_happened="I was there all day"),
    )
    result = attendance_record(actor=p.ld_lead, session=setup.session, marks={maya.pk: "absent"})
    assert [x.user for x in result.entries_kept] == [p.manager]
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_an_entry_she_deleted_is_not_made_again(supervised: Personas) -> None:
    p = supervised
    setup = make_programme(p.org, participants=(p.manager,))
    maya = _place(setup, p.manager)
    attendance_record(actor=p.ld_lead, session=setup.session, marks={maya.pk: "present"})
    cpd_services.entry_delete(actor=p.manager, entry=Entry.objects.get(manager=p.manager))
    attendance_record(actor=p.ld_lead, session=setup.session, marks={maya.pk: "present"})
    assert not Entry.objects.filter(manager=p.manager).exists()


def test_attendance_cannot_be_recorded_before_the_session(personas: Personas) -> None:
    p = personas
    setup = make_programme(
        p.org,
        participants=(p.manager,),
        session_date=timezone.localdate() + datetime.timedelta(days=3),
    )
    maya = _place(setup, p.manager)
    with pytest.raises(ValidationError) as e:
        attendance_record(actor=p.ld_lead, session=setup.session, marks={maya.pk: "present"})
    assert "on or after the day of the session" in str(e.value)
    assert not Attendance.objects.exists()


def test_attendance_of_someone_outside_the_cohort_is_refused(personas: Personas) -> None:
    p = personas
    setup = make_programme(p.org, participants=(p.manager,))
    other = make_programme(p.org, participants=(p.supervisor,), title="Other")
    stranger = _place(other, p.supervisor)
    with pytest.raises(ValidationError) as e:
        attendance_record(actor=p.ld_lead, session=setup.session, marks={stranger.pk: "present"})
    assert "not a participant of this cohort" in str(e.value)
    assert not Entry.objects.exists()


def test_a_bad_status_names_the_participant(personas: Personas) -> None:
    p = personas
    setup = make_programme(p.org, participants=(p.manager,))
    maya = _place(setup, p.manager)
    with pytest.raises(ValidationError) as e:
        attendance_record(actor=p.ld_lead, session=setup.session, marks={maya.pk: "late"})
    assert "Maya Manager" in str(e.value)


def test_the_attendance_form_records_everyone_at_once(supervised: Personas) -> None:
    p = supervised
    setup = make_programme(p.org, participants=(p.manager, p.supervisor))
    maya, sam = _place(setup, p.manager), _place(setup, p.supervisor)
    url = f"/o/{p.org.slug}/programmes/{setup.programme.pk}/sessions/{setup.session.pk}/attendance/"
    client = p.client_for(p.ld_lead)
    page = client.get(url)
    assert page.status_code == 200
    assert "Maya Manager" in page.content.decode()
    # A missing mark is answered clearly, nothing lost.
    response = client.post(url, {f"p{maya.pk}": "present"})
    assert response.status_code == 200
    assert (
        "Choose present, absent or sent apologies for Sam Supervisor" in response.content.decode()
    )
    assert not Attendance.objects.exists()
    response = client.post(url, {f"p{maya.pk}": "present", f"p{sam.pk}": "absent"}, follow=True)
    assert response.status_code == 200
    assert "shared CPD entry was added for 1 participant" in response.content.decode()
    assert Entry.objects.filter(manager=p.manager, visibility="supporters").count() == 1


def test_nothing_she_writes_privately_appears_on_programme_pages(supervised: Personas) -> None:
    p = supervised
    setup = make_programme(p.org, participants=(p.manager,))
    maya = _place(setup, p.manager)
    attendance_record(actor=p.ld_lead, session=setup.session, marks={maya.pk: "present"})
    entry = Entry.objects.get(manager=p.manager)
    secret = "My private worry about the night rota"
    cpd_services.entry_update(
        actor=p.manager,
        entry=entry,
        data=cpd_services.EntryInput.from_entry(entry, what_learnt=secret, visibility="private"),
    )
    base = f"/o/{p.org.slug}/programmes/{setup.programme.pk}/"
    session = f"{base}sessions/{setup.session.pk}/"
    for user in (p.ld_lead, p.admin, p.manager):
        client = p.client_for(user)
        for url in (base, session, session + "attendance/", f"/o/{p.org.slug}/programmes/"):
            response = client.get(url)
            if response.status_code == 200:
                assert secret not in response.content.decode(), (user, url)
    person = p.client_for(p.ld_lead).get(f"/o/{p.org.slug}/people/{p.manager.pk}/")
    assert secret not in person.content.decode()
