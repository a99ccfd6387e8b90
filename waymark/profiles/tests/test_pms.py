"""A manager's person management specification: started from a role profile or from
nothing, changed only by making new revisions, earlier ones readable and comparable,
agreed by her supervisor; read by L&D leads and admins; not by mentors, colleagues or
anyone outside the organisation."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from waymark.accounts.models import User
from waymark.conftest import Personas
from waymark.core.models import AuditEvent
from waymark.frameworks.models import Edition
from waymark.profiles import services
from waymark.profiles.models import Revision, RoleProfile, Specification
from waymark.profiles.selectors import content_of, current_spec, revision_diff, specs_visible_to

from .conftest import node

pytestmark = pytest.mark.django_db


def url(name: str, person: User, org: str = "brightwater", **kwargs: Any) -> str:
    return reverse(f"profiles:{name}", kwargs={"org_slug": org, "person_id": person.pk, **kwargs})


def levels_form(revision: Revision, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"based_on": revision.number}
    for c in revision.competences.all():
        data[f"level_{c.node_id}"] = c.expected_level
        data[f"importance_{c.node_id}"] = c.importance
    data.update(changes)
    return data


def test_a_manager_starts_her_pms_from_a_role_profile(
    supported: Personas, profile: RoleProfile
) -> None:
    client = supported.client_for(supported.manager)
    page = client.get(url("pms_start", supported.manager)).content.decode()
    assert "Team leader, home care" in page
    response = client.post(url("pms_start", supported.manager), {"start_from": str(profile.pk)})
    assert response.status_code == 302
    spec = current_spec(supported.manager, supported.org)
    assert spec is not None and spec.current is not None
    rev = spec.current
    assert (rev.number, rev.job_title, rev.manager_level, rev.role_profile) == (
        1,
        "Team leader, home care",
        "first-line",
        profile,
    )
    rows = {
        c.node.code: (c.expected_level, c.importance, c.from_role_profile)
        for c in rev.competences.select_related("node")
    }
    assert rows == {"MM4.01": (3, 3, True), "MM5.01": (2, 2, True), "MM6.01": (3, 3, True)}
    assert [q.title for q in rev.qualifications.all()] == ["Registered Manager Award"]
    assert [(b.kind, b.title) for b in rev.basics.all()] == [
        ("induction", "Safeguarding procedures")
    ]
    assert AuditEvent.objects.filter(action="pms.start").exists()


def test_starting_from_nothing_needs_a_job_title_and_level(supported: Personas) -> None:
    client = supported.client_for(supported.manager)
    response = client.post(url("pms_start", supported.manager), {"start_from": "nothing"})
    page = response.content.decode()
    assert "Enter your job title" in page and "Choose your manager level" in page
    assert not Specification.objects.exists()
    client.post(
        url("pms_start", supported.manager),
        {"start_from": "nothing", "job_title": "Project coordinator", "manager_level": "middle"},
    )
    spec = current_spec(supported.manager, supported.org)
    assert spec is not None and spec.current is not None
    assert spec.current.job_title == "Project coordinator"
    assert not spec.current.competences.exists()


def test_every_change_makes_a_new_revision_and_earlier_ones_stay_readable(
    spec: Specification, supported: Personas, mm: Edition
) -> None:
    client = supported.client_for(supported.manager)
    first = spec.current
    assert first is not None
    m4 = node(mm, "MM4.01")
    m6 = node(mm, "MM6.01")
    response = client.post(
        url("pms_competences", supported.manager),
        levels_form(
            first,
            **{
                f"level_{m4.pk}": 4,
                f"remove_{m6.pk}": "on",
                "change_note": "I also manage the rota",
            },
        ),
    )
    assert response.status_code == 302
    spec.refresh_from_db()
    second = spec.current
    assert second is not None and second.number == 2
    assert second.change_note == "I also manage the rota"
    # Revision 1 is untouched.
    assert set(first.competences.values_list("node__code", flat=True)) == {
        "MM4.01",
        "MM5.01",
        "MM6.01",
    }
    assert first.competences.get(node=m4).expected_level == 3
    assert set(second.competences.values_list("node__code", flat=True)) == {"MM4.01", "MM5.01"}

    old = client.get(url("pms_revision", supported.manager, number=1)).content.decode()
    assert "This is an earlier revision" in old and "MM6.01" in old
    listing = client.get(url("pms_revisions", supported.manager)).content.decode()
    assert (
        "Revision 1" in listing and "Revision 2" in listing and "I also manage the rota" in listing
    )

    compare = client.get(url("pms_compare", supported.manager) + "?a=1&b=2").content.decode()
    assert "Competences removed" in compare and "MM6.01" in compare
    assert "Level or importance changed" in compare and "Leading" in compare


def test_a_blank_change_note_is_filled_with_what_changed(
    spec: Specification, supported: Personas, mm: Edition
) -> None:
    client = supported.client_for(supported.manager)
    browse = url("pms_competences_add", supported.manager) + "?framework=middle-manager-llf"
    client.post(browse, {"nodes": [node(mm, "MM8.01").pk], "based_on": 1})
    spec.refresh_from_db()
    assert spec.current is not None and spec.current.number == 2
    assert spec.current.change_note == "Added 1 competence."
    assert spec.current.competences.get(node__code="MM8.01").from_role_profile is False
    assert spec.current.competences.get(node__code="MM4.01").from_role_profile is True


def test_saving_without_a_change_makes_no_revision(
    spec: Specification, supported: Personas
) -> None:
    client = supported.client_for(supported.manager)
    assert spec.current is not None
    response = client.post(
        url("pms_competences", supported.manager), levels_form(spec.current), follow=True
    )
    assert "Nothing has changed" in response.content.decode()
    assert spec.revisions.count() == 1


def test_a_save_based_on_an_old_revision_is_refused_and_keeps_what_was_typed(
    spec: Specification, supported: Personas
) -> None:
    client = supported.client_for(supported.manager)
    client.post(
        url("pms_edit", supported.manager),
        {"job_title": "Team leader", "manager_level": "first-line", "based_on": 1},
    )
    response = client.post(
        url("pms_edit", supported.manager),
        {
            "job_title": "Senior team leader",
            "manager_level": "first-line",
            "job_description": "My typed description",
            "based_on": 1,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "changed (revision 2) after you opened this page" in page
    assert "My typed description" in page and "Senior team leader" in page
    assert spec.revisions.count() == 2


def test_qualifications_and_basics_changes_are_revisions(
    spec: Specification, supported: Personas
) -> None:
    client = supported.client_for(supported.manager)
    client.post(
        url("pms_qualifications", supported.manager),
        {"title": "SVQ 4 LMCS", "note": "", "based_on": 1},
    )
    client.post(
        url("pms_basics", supported.manager),
        {"kind": "foundation", "title": "Budgets", "based_on": 2},
    )
    spec.refresh_from_db()
    assert spec.current is not None and spec.current.number == 3
    q = spec.current.qualifications.get(title="Registered Manager Award")
    client.post(url("pms_qualification_remove", supported.manager, item_id=q.pk))
    spec.refresh_from_db()
    assert spec.current is not None and spec.current.number == 4
    assert [q.title for q in spec.current.qualifications.all()] == ["SVQ 4 LMCS"]
    assert {b.title for b in spec.current.basics.all()} == {"Safeguarding procedures", "Budgets"}
    diff = revision_diff(spec.revisions.get(number=1), spec.current)
    assert [q.title for q in diff.qualifications_added] == ["SVQ 4 LMCS"]
    assert [q.title for q in diff.qualifications_removed] == ["Registered Manager Award"]
    assert [b.title for b in diff.basics_added] == ["Budgets"]


def test_the_supervisor_agrees_the_current_revision(
    spec: Specification, supported: Personas
) -> None:
    client = supported.client_for(supported.supervisor)
    page = client.get(url("pms", supported.manager)).content.decode()
    assert "Agree revision 1" in page
    response = client.post(url("pms_agree", supported.manager), {"based_on": 1})
    assert response.status_code == 302
    rev = Revision.objects.get(specification=spec, number=1)
    assert rev.agreed_by == supported.supervisor and rev.agreed_at is not None
    assert AuditEvent.objects.filter(action="pms.agree").exists()
    assert "Agreed" in client.get(url("pms", supported.manager)).content.decode()


def test_agreeing_a_revision_that_has_since_been_replaced_is_refused(
    spec: Specification, supported: Personas
) -> None:
    supported.client_for(supported.manager).post(
        url("pms_edit", supported.manager),
        {"job_title": "Team leader", "manager_level": "first-line", "based_on": 1},
    )
    response = supported.client_for(supported.supervisor).post(
        url("pms_agree", supported.manager), {"based_on": 1}
    )
    assert "it is now revision 2" in response.content.decode()
    assert not Revision.objects.filter(specification=spec, agreed_at__isnull=False).exists()


def test_only_the_supervisor_can_agree(spec: Specification, supported: Personas) -> None:
    for who in (supported.manager, supported.ld_lead, supported.admin):
        assert (
            supported.client_for(who)
            .post(url("pms_agree", supported.manager), {"based_on": 1})
            .status_code
            == 403
        )
    assert spec.current is not None
    with pytest.raises(services.ProfileError):
        services.spec_agree(actor=supported.ld_lead, revision=spec.current)


@pytest.mark.parametrize("who", ["supervisor", "ld_lead", "admin"])
def test_the_supervisor_and_the_organisation_read_the_pms_but_cannot_change_it(
    spec: Specification, supported: Personas, who: str
) -> None:
    client = supported.client_for(getattr(supported, who))
    page = client.get(url("pms", supported.manager)).content.decode()
    assert "Team leader, home care" in page
    assert "Add competences" not in page
    assert client.get(url("pms_revisions", supported.manager)).status_code == 200
    for name in (
        "pms_edit",
        "pms_competences",
        "pms_competences_add",
        "pms_qualifications",
        "pms_basics",
    ):
        assert client.post(url(name, supported.manager), {}).status_code == 403, name


def test_a_mentor_cannot_see_the_pms(
    spec: Specification, supported: Personas, mentor: User
) -> None:
    client = supported.client_for(mentor)
    for name in ("pms", "pms_revisions", "pms_compare"):
        assert client.get(url(name, supported.manager)).status_code == 403, name
    assert client.get(url("pms_revision", supported.manager, number=1)).status_code == 403
    # Nor on the person page.
    person = client.get(
        reverse(
            "organisations:person",
            kwargs={"org_slug": "brightwater", "person_id": supported.manager.pk},
        )
    ).content.decode()
    assert "Person management specification" not in person


def test_a_colleague_and_an_outsider_get_not_found(
    spec: Specification, supported: Personas, colleague: User
) -> None:
    assert supported.client_for(colleague).get(url("pms", supported.manager)).status_code == 404
    outsider = supported.client_for(supported.outsider)
    assert outsider.get(url("pms", supported.manager)).status_code == 404
    assert outsider.get(url("pms", supported.manager, org="elsewhere")).status_code == 404
    assert (
        outsider.get(url("pms_revision", supported.manager, org="elsewhere", number=1)).status_code
        == 404
    )


def test_specs_visible_to_follows_the_pages(
    spec: Specification, supported: Personas, mentor: User, colleague: User
) -> None:
    def visible(user: User, roles: set[str]) -> list[Specification]:
        return list(specs_visible_to(user, supported.org, roles))

    assert visible(supported.manager, {"manager"}) == [spec]
    assert visible(supported.supervisor, {"manager", "supervisor"}) == [spec]
    assert visible(supported.ld_lead, {"ld-lead"}) == [spec]
    assert visible(mentor, {"manager"}) == []
    assert visible(colleague, {"manager"}) == []
    assert list(specs_visible_to(supported.outsider, supported.other_org, {"admin"})) == []


def test_content_of_a_revision_is_what_it_says(spec: Specification) -> None:
    assert spec.current is not None
    content = content_of(spec.current)
    assert content.job_title == "Team leader, home care"
    assert {c.node.code for c in content.competences} == {"MM4.01", "MM5.01", "MM6.01"}


def test_the_pms_page_takes_a_fixed_number_of_queries(
    spec: Specification, supported: Personas, mm: Edition, django_assert_max_num_queries: Any
) -> None:
    assert spec.current is not None
    from waymark.profiles.selectors import CompetenceRow, SpecContent

    content = SpecContent(
        job_title="Team leader",
        manager_level="first-line",
        competences=[
            CompetenceRow(n, 3, 2)
            for n in mm.nodes.filter(depth=1).select_related("edition__framework")
        ],
    )
    services.spec_revise(actor=supported.manager, specification=spec, content=content)
    for who in (supported.manager, supported.supervisor):
        client = supported.client_for(who)
        with django_assert_max_num_queries(13):
            response = client.get(url("pms", supported.manager))
        assert response.content.decode().count("waymark-code") >= 74
