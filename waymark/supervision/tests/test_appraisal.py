"""Appraisal: a look back over the plan and the CPD record that shows the supervisor only
what the manager shared; a new PMS revision; next objectives agreed onto the plan; both
signatures; locked after, and reopening audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from waymark.core.models import AuditEvent
from waymark.planning.models import Objective
from waymark.profiles.models import Specification
from waymark.supervision import services
from waymark.supervision.models import Appraisal
from waymark.supervision.selectors import look_back

from .conftest import Sup
from .factories import days, entry, pms


def _appraisal(sup: Sup) -> Appraisal:
    p = sup.p
    return services.appraisal_create(
        actor=p.supervisor,
        organisation=p.org,
        manager=p.manager,
        date=days(0),
        period_start=days(-365),
        period_end=days(0),
    )


def test_the_cpd_look_back_shows_only_shared_entries(sup: Sup) -> None:
    p = sup.p
    entry(p.org, p.manager, "Shared rota workshop", shared=True, hours="5")
    entry(p.org, p.manager, "My private worries", shared=False, hours="3")
    entry(p.org, p.manager, "Shared but long ago", shared=True, on=days(-500))
    appraisal = _appraisal(sup)
    back = look_back(appraisal)
    assert [e.title for e in back.cpd_entries] == ["Shared rota workshop"]
    assert back.cpd_hours == 5
    sam = p.client_for(p.supervisor).get(f"{sup.base()}appraisal/{appraisal.pk}/").content.decode()
    assert "Shared rota workshop" in sam
    assert "My private worries" not in sam
    assert "private entr" not in sam  # not even that there are any
    assert "5 hours (0.5 SCQF credits)" in sam
    maya = p.client_for(p.manager).get(f"{sup.base()}appraisal/{appraisal.pk}/").content.decode()
    assert "My private worries" not in maya
    assert "1 private entry of yours in the period is not shown" in maya


def test_revising_the_pms_makes_a_new_revision_linked_to_the_appraisal(sup: Sup) -> None:
    p = sup.p
    spec = pms(p.org, p.manager)
    appraisal = _appraisal(sup)
    revision = services.appraisal_revise_pms(
        actor=p.supervisor,
        appraisal=appraisal,
        job_title="Registered manager, two homes",
        manager_level="middle",
        job_description="Now runs two homes.",
    )
    spec = Specification.objects.get(pk=spec.pk)
    assert revision.number == 2 and spec.current_id == revision.pk
    appraisal.refresh_from_db()
    assert appraisal.pms_revision_id == revision.pk
    assert "appraisal" in revision.change_note
    with pytest.raises(ValidationError, match="Nothing has changed"):
        services.appraisal_revise_pms(
            actor=p.supervisor,
            appraisal=appraisal,
            job_title="Registered manager, two homes",
            manager_level="middle",
            job_description="Now runs two homes.",
        )


def test_revising_without_a_pms_says_to_start_one(sup: Sup) -> None:
    p = sup.p
    with pytest.raises(ValidationError, match="no person management specification"):
        services.appraisal_revise_pms(
            actor=p.supervisor,
            appraisal=_appraisal(sup),
            job_title="X",
            manager_level="middle",
            job_description="",
        )


def test_objectives_proposed_are_agreed_onto_the_managers_plan(sup: Sup) -> None:
    p = sup.p
    appraisal = _appraisal(sup)
    services.appraisal_objective_propose(
        actor=p.supervisor,
        appraisal=appraisal,
        title="Lead the rota change",
        specific="Introduce the new rota",
        measure="Staff survey",
        target_date=days(200),
    )
    with pytest.raises(PermissionDenied):
        services.appraisal_agree_objectives(actor=p.supervisor, appraisal=appraisal)
    made = services.appraisal_agree_objectives(actor=p.manager, appraisal=appraisal)
    objective = Objective.objects.get()
    assert made == [objective]
    assert objective.plan.manager == p.manager
    assert objective.appraisal_link.appraisal == appraisal
    with pytest.raises(ValidationError, match="no proposed objectives"):
        services.appraisal_agree_objectives(actor=p.manager, appraisal=appraisal)


def test_bad_objectives_are_refused_field_by_field(sup: Sup) -> None:
    p = sup.p
    with pytest.raises(ValidationError) as e:
        services.appraisal_objective_propose(
            actor=p.supervisor,
            appraisal=_appraisal(sup),
            title="",
            specific="",
            measure="m",
            target_date=days(-1),
        )
    errors = e.value.message_dict
    assert set(errors) == {"title", "specific", "target_date"}


def test_both_sign_and_then_it_is_locked(sup: Sup) -> None:
    p = sup.p
    appraisal = _appraisal(sup)
    services.appraisal_objective_propose(
        actor=p.supervisor,
        appraisal=appraisal,
        title="Lead the rota change",
        specific="Introduce the new rota",
        measure="Staff survey",
        target_date=days(200),
    )
    services.appraisal_sign(actor=p.supervisor, appraisal=appraisal)
    with pytest.raises(ValidationError, match="already signed"):
        services.appraisal_sign(actor=p.supervisor, appraisal=appraisal)
    signed = services.appraisal_sign(actor=p.manager, appraisal=appraisal)
    assert signed.is_locked
    assert signed.supervisor_signed_by == p.supervisor
    assert signed.manager_signed_at is not None
    assert Objective.objects.count() == 1  # her signature agreed the proposal
    with pytest.raises(ValidationError, match="locked"):
        services.appraisal_update(actor=p.manager, appraisal=signed, data={"discussion": "x"})
    with pytest.raises(ValidationError, match="locked"):
        services.appraisal_sign(actor=p.manager, appraisal=signed)
    response = p.client_for(p.manager).post(
        f"{sup.base()}appraisal/{appraisal.pk}/edit/", {"discussion": "changed"}
    )
    assert response.status_code == 302
    appraisal.refresh_from_db()
    assert appraisal.discussion == ""


def test_a_change_after_one_signature_withdraws_it(sup: Sup) -> None:
    p = sup.p
    appraisal = _appraisal(sup)
    services.appraisal_sign(actor=p.supervisor, appraisal=appraisal)
    changed = services.appraisal_update(
        actor=p.manager, appraisal=appraisal, data={"discussion": "A good year"}
    )
    assert changed.supervisor_signed_at is None


def test_reopening_needs_a_reason_and_is_audited(sup: Sup) -> None:
    p = sup.p
    appraisal = _appraisal(sup)
    services.appraisal_sign(actor=p.supervisor, appraisal=appraisal)
    services.appraisal_sign(actor=p.manager, appraisal=appraisal)
    with pytest.raises(ValidationError):
        services.appraisal_reopen(actor=p.manager, appraisal=appraisal, reason=" ")
    reopened = services.appraisal_reopen(
        actor=p.manager, appraisal=appraisal, reason="Wrong period"
    )
    assert not reopened.is_locked and reopened.reopened_at is not None
    event = AuditEvent.objects.get(action="appraisal.reopen")
    assert "Wrong period" in event.summary


def test_only_the_supervisor_starts_an_appraisal(sup: Sup) -> None:
    p = sup.p
    for who in (p.manager, sup.mentor, p.ld_lead):
        with pytest.raises(PermissionDenied):
            services.appraisal_create(
                actor=who,
                organisation=p.org,
                manager=p.manager,
                date=days(0),
                period_start=days(-10),
                period_end=days(0),
            )
    assert p.client_for(sup.mentor).get(f"{sup.base()}appraisal/new/").status_code == 403
    assert p.client_for(p.manager).get(f"{sup.base()}appraisal/new/").status_code == 403


def test_an_appraisal_period_that_ends_before_it_starts_is_refused(sup: Sup) -> None:
    p = sup.p
    with pytest.raises(ValidationError) as e:
        services.appraisal_create(
            actor=p.supervisor,
            organisation=p.org,
            manager=p.manager,
            date=days(0),
            period_start=days(0),
            period_end=days(-10),
        )
    assert "period_end" in e.value.message_dict


def test_the_appraisal_pages_render_for_both(sup: Sup) -> None:
    p = sup.p
    pms(p.org, p.manager)
    appraisal = _appraisal(sup)
    for user in (p.manager, p.supervisor):
        client = p.client_for(user)
        for path in (
            "",
            f"{appraisal.pk}/",
            f"{appraisal.pk}/pms/",
            f"{appraisal.pk}/objectives/add/",
        ):
            assert client.get(f"{sup.base()}appraisal/{path}").status_code == 200, (user, path)
