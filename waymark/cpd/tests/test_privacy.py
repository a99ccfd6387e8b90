"""The most important rule of the CPD record: a private entry is seen by its manager
only. Each surface is proved separately: the list, the entry page, the summaries, the
evidence download, the dashboard and person page, the audit trail and the Django admin
(the API has its own file, test_api.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from waymark.core.models import AuditEvent
from waymark.cpd.models import Visibility
from waymark.cpd.selectors import entries_visible_to

from .conftest import PRIVATE_REFLECTION, SHARED_REFLECTION, Cpd
from .factories import make_entry, make_node, make_user

pytestmark = pytest.mark.django_db


# --- the one selector ---------------------------------------------------------------------


def test_the_manager_sees_all_her_entries(cpd: Cpd) -> None:
    maya, org = cpd.p.manager, cpd.p.org
    assert set(entries_visible_to(maya, maya, org, {"self"})) == {cpd.private, cpd.shared}


@pytest.mark.parametrize("relation", ["supervisor", "mentor", "coach"])
def test_supporters_see_only_shared_entries(cpd: Cpd, relation: str) -> None:
    viewer = cpd.p.supervisor
    assert list(entries_visible_to(viewer, cpd.p.manager, cpd.p.org, {relation})) == [cpd.shared]


@pytest.mark.parametrize("relations", [{"ld-lead"}, {"admin"}, {"ld-lead", "admin"}, set()])
def test_ld_leads_and_admins_see_nothing_of_the_cpd_log(cpd: Cpd, relations: set[str]) -> None:
    viewer = cpd.p.ld_lead
    assert list(entries_visible_to(viewer, cpd.p.manager, cpd.p.org, relations)) == []


def test_claiming_to_be_the_manager_does_not_make_someone_the_manager(cpd: Cpd) -> None:
    """ "self" counts only when the viewer really is the person."""
    visible = entries_visible_to(cpd.p.supervisor, cpd.p.manager, cpd.p.org, {"self"})
    assert list(visible) == []


def test_entries_of_another_organisation_are_not_mixed_in(cpd: Cpd) -> None:

    make_entry(organisation=cpd.p.other_org, manager=cpd.p.manager)
    maya = cpd.p.manager
    assert set(entries_visible_to(maya, maya, cpd.p.org, {"self"})) == {cpd.private, cpd.shared}


# --- the learning log ---------------------------------------------------------------------


def test_the_manager_sees_both_entries_in_her_log(cpd: Cpd) -> None:
    page = cpd.p.client_for(cpd.p.manager).get(cpd.url()).content.decode()
    assert "Private worry" in page and "Rota workshop" in page
    assert "2 entries: 8 hours" in page


@pytest.mark.parametrize("who", ["supervisor", "mentor"])
def test_it_hides_private_entries_from_the_supervisor_and_mentor_in_the_log(
    cpd: Cpd, who: str
) -> None:
    viewer = cpd.mentor if who == "mentor" else cpd.p.supervisor
    response = cpd.p.client_for(viewer).get(cpd.url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Rota workshop" in page
    assert "Private worry" not in page
    # Not counted either: one entry, its 5 hours only.
    assert "1 entry: 5 hours" in page


@pytest.mark.parametrize("who", ["ld_lead", "admin"])
def test_ld_leads_and_admins_are_refused_the_log(cpd: Cpd, who: str) -> None:
    response = cpd.p.client_for(getattr(cpd.p, who)).get(cpd.url())
    assert response.status_code == 403
    assert "Rota workshop" not in response.content.decode()


def test_the_log_is_not_found_for_an_outsider_or_an_unrelated_colleague(cpd: Cpd) -> None:
    colleague = make_user()
    from waymark.core.tests.factories import MembershipFactory

    MembershipFactory.create(organisation=cpd.p.org, user=colleague, role="manager")
    assert cpd.p.client_for(cpd.p.outsider).get(cpd.url()).status_code == 404
    assert cpd.p.client_for(colleague).get(cpd.url()).status_code == 404


def test_a_filter_by_competence_cannot_reveal_a_private_entry(cpd: Cpd) -> None:

    node = make_node(code="SECRET1")
    cpd.private.nodes.set([node])
    page = cpd.p.client_for(cpd.p.supervisor).get(cpd.url(), {"node": node.pk}).content.decode()
    assert "SECRET1" not in page
    assert "Private worry" not in page


# --- the entry page -----------------------------------------------------------------------


def test_a_private_entry_is_not_found_by_the_supervisor(cpd: Cpd) -> None:
    response = cpd.p.client_for(cpd.p.supervisor).get(cpd.url(entry=cpd.private))
    assert response.status_code == 404
    assert PRIVATE_REFLECTION not in response.content.decode()


def test_a_private_entry_is_not_found_by_the_mentor(cpd: Cpd) -> None:
    assert cpd.p.client_for(cpd.mentor).get(cpd.url(entry=cpd.private)).status_code == 404


def test_the_supervisor_reads_a_shared_entry_with_its_reflection(cpd: Cpd) -> None:
    page = cpd.p.client_for(cpd.p.supervisor).get(cpd.url(entry=cpd.shared)).content.decode()
    assert SHARED_REFLECTION in page
    assert "certificate.pdf" in page


def test_the_manager_reads_her_private_entry(cpd: Cpd) -> None:
    page = cpd.p.client_for(cpd.p.manager).get(cpd.url(entry=cpd.private)).content.decode()
    assert PRIVATE_REFLECTION in page


def test_making_an_entry_private_again_hides_it_at_once(cpd: Cpd) -> None:
    maya = cpd.p.client_for(cpd.p.manager)
    maya.post(cpd.url("share/", entry=cpd.shared), {"visibility": "private"})
    cpd.shared.refresh_from_db()
    assert cpd.shared.visibility == Visibility.PRIVATE
    assert cpd.p.client_for(cpd.p.supervisor).get(cpd.url(entry=cpd.shared)).status_code == 404


# --- summaries ----------------------------------------------------------------------------


def test_the_supervisors_summary_counts_only_shared_entries(cpd: Cpd) -> None:
    page = cpd.p.client_for(cpd.p.supervisor).get(cpd.url("summary/")).content.decode()
    assert "5 hours, 0.5 SCQF credits" in page
    assert "From 1 entry" in page


def test_the_managers_summary_counts_everything(cpd: Cpd) -> None:
    page = cpd.p.client_for(cpd.p.manager).get(cpd.url("summary/")).content.decode()
    assert "8 hours, 0.8 SCQF credits" in page


@pytest.mark.parametrize("who", ["ld_lead", "admin"])
def test_ld_leads_and_admins_get_no_summary(cpd: Cpd, who: str) -> None:
    assert cpd.p.client_for(getattr(cpd.p, who)).get(cpd.url("summary/")).status_code == 403


# --- evidence -----------------------------------------------------------------------------


def test_the_evidence_of_a_private_entry_is_not_found_by_the_supervisor(cpd: Cpd) -> None:
    url = cpd.url(f"evidence/{cpd.private_file.pk}/", entry=cpd.private)
    assert cpd.p.client_for(cpd.p.supervisor).get(url).status_code == 404
    assert cpd.p.client_for(cpd.mentor).get(url).status_code == 404


def test_evidence_cannot_be_reached_through_another_entry(cpd: Cpd) -> None:
    """The private file, asked for under the shared entry's address."""
    url = cpd.url(f"evidence/{cpd.private_file.pk}/", entry=cpd.shared)
    assert cpd.p.client_for(cpd.p.supervisor).get(url).status_code == 404


@pytest.mark.parametrize("who", ["ld_lead", "admin"])
def test_ld_leads_and_admins_cannot_download_evidence(cpd: Cpd, who: str) -> None:
    url = cpd.url(f"evidence/{cpd.shared_file.pk}/", entry=cpd.shared)
    assert cpd.p.client_for(getattr(cpd.p, who)).get(url).status_code == 403


def test_the_supervisor_downloads_the_evidence_of_a_shared_entry(cpd: Cpd) -> None:
    url = cpd.url(f"evidence/{cpd.shared_file.pk}/", entry=cpd.shared)
    response = cpd.p.client_for(cpd.p.supervisor).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


# --- dashboard and person page ------------------------------------------------------------


def test_the_supervisors_dashboard_counts_shared_entries_only(cpd: Cpd) -> None:
    page = cpd.p.client_for(cpd.p.supervisor).get(f"/o/{cpd.p.org.slug}/").content.decode()
    assert "1 shared entry" in page
    assert "1 awaiting your confirmation" in page


def test_the_mentors_dashboard_counts_shared_entries_and_asks_for_no_confirmation(cpd: Cpd) -> None:
    page = cpd.p.client_for(cpd.mentor).get(f"/o/{cpd.p.org.slug}/").content.decode()
    assert "1 shared entry" in page
    assert "awaiting your confirmation" not in page


def test_the_person_page_shows_the_supervisor_shared_counts_only(cpd: Cpd) -> None:
    url = f"/o/{cpd.p.org.slug}/people/{cpd.p.manager.pk}/"
    page = cpd.p.client_for(cpd.p.supervisor).get(url).content.decode()
    assert "has shared 1 entry with you" in page


@pytest.mark.parametrize("who", ["ld_lead", "admin"])
def test_the_person_page_tells_ld_leads_and_admins_nothing_of_the_log(cpd: Cpd, who: str) -> None:
    url = f"/o/{cpd.p.org.slug}/people/{cpd.p.manager.pk}/"
    page = cpd.p.client_for(getattr(cpd.p, who)).get(url).content.decode()
    assert "A CPD record is private to the person who keeps it" in page
    assert "Rota workshop" not in page and "hours of learning" not in page


# --- the audit trail ----------------------------------------------------------------------


def test_the_audit_trail_never_holds_titles_reflections_or_file_names(cpd: Cpd) -> None:
    from waymark.cpd import services
    from waymark.cpd.services import EntryInput

    services.entry_update(
        actor=cpd.p.manager,
        entry=cpd.private,
        data=EntryInput.from_entry(
            cpd.private,
            what_learnt=PRIVATE_REFLECTION + " and more",
            title="An even more private title",
        ),
    )
    events = list(AuditEvent.objects.filter(action__startswith="cpd."))
    assert events
    for event in events:
        text = f"{event.summary} {event.changes}"
        for secret in (
            PRIVATE_REFLECTION,
            "Private worry",
            "An even more private title",
            "private-diary.pdf",
            SHARED_REFLECTION,
        ):
            assert secret not in text, event.summary


# --- the Django admin ---------------------------------------------------------------------


@pytest.fixture
def superuser_client(cpd: Cpd) -> Client:
    from waymark.accounts.models import User

    root = User.objects.create_superuser("root@waymark.example", "x")
    client = Client()
    client.force_login(root)
    return client


def test_a_superuser_cannot_read_a_private_reflection_in_the_admin(
    cpd: Cpd, superuser_client: Client
) -> None:
    listing = superuser_client.get("/admin/cpd/entry/")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert PRIVATE_REFLECTION not in text and "Private worry" not in text
    # The private entry is not listed at all; the shared one is, without its words.
    assert f"/admin/cpd/entry/{cpd.private.pk}/change/" not in text
    assert f"/admin/cpd/entry/{cpd.shared.pk}/change/" in text
    assert "Rota workshop" not in text and SHARED_REFLECTION not in text


def test_a_superuser_cannot_open_a_private_entry_in_the_admin_by_its_address(
    cpd: Cpd, superuser_client: Client
) -> None:
    response = superuser_client.get(f"/admin/cpd/entry/{cpd.private.pk}/change/", follow=True)
    text = response.content.decode()
    assert PRIVATE_REFLECTION not in text and "Private worry" not in text
    assert "exist" in text  # Django's "… doesn't exist. Perhaps it was deleted?"


def test_the_admin_page_of_a_shared_entry_shows_no_reflection_or_title(
    cpd: Cpd, superuser_client: Client
) -> None:
    text = superuser_client.get(f"/admin/cpd/entry/{cpd.shared.pk}/change/").content.decode()
    assert SHARED_REFLECTION not in text and "Rota workshop" not in text
    assert "certificate.pdf" not in text


def test_admin_search_cannot_find_entries_by_their_words(
    cpd: Cpd, superuser_client: Client
) -> None:
    text = superuser_client.get("/admin/cpd/entry/", {"q": "frightened"}).content.decode()
    assert f"/admin/cpd/entry/{cpd.shared.pk}/change/" not in text
    assert "0 results" in text or "0 CPD entries" in text


def test_deleting_the_manager_in_the_admin_names_no_entry_or_file(
    cpd: Cpd, superuser_client: Client
) -> None:
    text = superuser_client.get(f"/admin/accounts/user/{cpd.p.manager.pk}/delete/").content.decode()
    assert "Private worry" not in text and "private-diary.pdf" not in text
    assert PRIVATE_REFLECTION not in text


def test_evidence_files_are_not_in_the_admin(cpd: Cpd, superuser_client: Client) -> None:
    assert superuser_client.get("/admin/cpd/evidence/").status_code == 404
