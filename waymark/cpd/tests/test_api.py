"""The CPD record through the API: the same rule as the pages, through the same
selector. Privacy is proved on the list, the detail, the summary and the evidence
download; writes are the manager's; the supervisor confirms; uploads are checked."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from waymark.accounts.models import User
from waymark.core.tests.factories import MembershipFactory
from waymark.cpd.models import Entry, Evidence

from .conftest import PRIVATE_REFLECTION, SHARED_REFLECTION, Cpd
from .factories import (
    HTML_BYTES,
    PDF_BYTES,
    make_entry,
    make_node,
    make_user,
    objective_for,
    upload,
)

pytestmark = pytest.mark.django_db


def api_as(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def base(cpd: Cpd) -> str:
    return f"/api/v1/organisations/{cpd.p.org.slug}/people/{cpd.p.manager.pk}/cpd/"


def new_entry(**overrides: Any) -> dict[str, Any]:
    data = {
        "date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "activity_type": "shadowing",
        "title": "Shadowed the registered manager",
        "hours": "3.5",
        "what_learnt": "How she handles a safeguarding call.",
    }
    data.update(overrides)
    return data


# --- privacy ------------------------------------------------------------------------------


def test_the_manager_lists_all_her_entries(cpd: Cpd) -> None:
    body = api_as(cpd.p.manager).get(base(cpd) + "entries/").json()
    assert body["count"] == 2
    assert {e["title"] for e in body["results"]} == {"Private worry", "Rota workshop"}


@pytest.mark.parametrize("who", ["supervisor", "mentor"])
def test_supporters_list_only_shared_entries(cpd: Cpd, who: str) -> None:
    viewer = cpd.mentor if who == "mentor" else cpd.p.supervisor
    response = api_as(viewer).get(base(cpd) + "entries/")
    body = response.json()
    assert body["count"] == 1
    [entry] = body["results"]
    assert entry["title"] == "Rota workshop" and entry["what_learnt"] == SHARED_REFLECTION
    assert PRIVATE_REFLECTION not in response.content.decode()


def test_a_filter_cannot_reveal_a_private_entry_to_a_supporter(cpd: Cpd) -> None:
    body = api_as(cpd.p.supervisor).get(base(cpd) + "entries/", {"visibility": "private"}).json()
    assert body["count"] == 0


def test_a_private_entry_is_not_found_through_the_api_by_the_supervisor(cpd: Cpd) -> None:
    response = api_as(cpd.p.supervisor).get(base(cpd) + f"entries/{cpd.private.pk}/")
    assert response.status_code == 404
    assert PRIVATE_REFLECTION not in response.content.decode()


def test_the_supervisor_reads_a_shared_entry(cpd: Cpd) -> None:
    body = api_as(cpd.p.supervisor).get(base(cpd) + f"entries/{cpd.shared.pk}/").json()
    assert body["what_learnt"] == SHARED_REFLECTION
    assert body["credits"] == "0.5"
    [file] = body["evidence"]
    assert file["original_name"] == "certificate.pdf"
    assert file["download"].endswith(
        f"entries/{cpd.shared.pk}/evidence/{cpd.shared_file.pk}/download/"
    )


@pytest.mark.parametrize("who", ["ld_lead", "admin"])
def test_ld_leads_and_admins_are_refused(cpd: Cpd, who: str) -> None:
    client = api_as(getattr(cpd.p, who))
    for path in (
        "entries/",
        f"entries/{cpd.shared.pk}/",
        "summary/",
        f"entries/{cpd.shared.pk}/evidence/{cpd.shared_file.pk}/download/",
    ):
        response = client.get(base(cpd) + path)
        assert response.status_code == 403, path
        assert "Rota workshop" not in response.content.decode()


def test_an_outsider_and_an_unrelated_colleague_get_not_found(cpd: Cpd) -> None:
    colleague = make_user()
    MembershipFactory.create(organisation=cpd.p.org, user=colleague, role="manager")
    for user in (cpd.p.outsider, colleague):
        for path in ("entries/", f"entries/{cpd.shared.pk}/", "summary/"):
            assert api_as(user).get(base(cpd) + path).status_code == 404, (user, path)


def test_the_api_asks_for_a_sign_in(cpd: Cpd) -> None:
    for path in ("entries/", f"entries/{cpd.shared.pk}/", "summary/"):
        assert api_as(None).get(base(cpd) + path).status_code == 401


def test_the_supervisors_summary_leaves_out_private_entries(cpd: Cpd) -> None:
    body = api_as(cpd.p.supervisor).get(base(cpd) + "summary/").json()
    assert body["entries"] == 1 and body["hours"] == "5.00"
    assert body["credits"] == "0.5"
    mine = api_as(cpd.p.manager).get(base(cpd) + "summary/").json()
    assert mine["entries"] == 2 and mine["credits"] == "0.8"


def test_the_evidence_of_a_private_entry_is_not_found_through_the_api(cpd: Cpd) -> None:
    client = api_as(cpd.p.supervisor)
    assert client.get(base(cpd) + f"entries/{cpd.private.pk}/evidence/").status_code == 404
    url = base(cpd) + f"entries/{cpd.private.pk}/evidence/{cpd.private_file.pk}/download/"
    assert client.get(url).status_code == 404
    # Nor under the shared entry's address.
    url = base(cpd) + f"entries/{cpd.shared.pk}/evidence/{cpd.private_file.pk}/download/"
    assert client.get(url).status_code == 404


def test_the_supervisor_downloads_shared_evidence_with_safe_headers(cpd: Cpd) -> None:
    url = base(cpd) + f"entries/{cpd.shared.pk}/evidence/{cpd.shared_file.pk}/download/"
    response = api_as(cpd.p.supervisor).get(url, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES  # type: ignore[attr-defined]


# --- writing ------------------------------------------------------------------------------


def test_the_manager_adds_an_entry_private_by_default(cpd: Cpd) -> None:
    node = make_node(code="MM4.02")
    objective = objective_for(cpd.p.org, cpd.p.manager)
    response = api_as(cpd.p.manager).post(
        base(cpd) + "entries/",
        new_entry(nodes=[str(node.identifier)], objective=objective.pk),
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["visibility"] == "private"
    assert [n["code"] for n in body["nodes"]] == ["MM4.02"]
    assert body["objective"]["id"] == objective.pk
    assert Entry.objects.get(pk=body["id"]).hours == Decimal("3.5")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"date": (timezone.localdate() + datetime.timedelta(days=2)).isoformat()},
            "date",
            "The date must be today or in the past",
        ),
        ({"hours": "-1"}, "hours", "Hours must be a number greater than 0"),
        ({"hours": "0"}, "hours", "Hours must be a number greater than 0"),
        ({"hours": "1000.01"}, "hours", "Hours must be 1000 or fewer"),
        ({"hours": "many"}, "hours", "Hours must be a number greater than 0, like 1.5"),
        ({"title": ""}, "title", "Enter a title for the learning"),
        (
            {"nodes": ["7f0c7a4e-0000-4000-8000-000000000000"]},
            "nodes",
            "No published framework item",
        ),
    ],
)
def test_bad_input_is_answered_field_by_field(
    cpd: Cpd, overrides: dict[str, Any], field: str, message: str
) -> None:
    response = api_as(cpd.p.manager).post(
        base(cpd) + "entries/", new_entry(**overrides), format="json"
    )
    assert response.status_code == 400
    assert message in " ".join(map(str, response.json()[field]))
    assert Entry.objects.count() == 2


def test_an_objective_of_someone_else_is_refused(cpd: Cpd) -> None:
    theirs = objective_for(cpd.p.org, cpd.p.supervisor)
    response = api_as(cpd.p.manager).post(
        base(cpd) + "entries/", new_entry(objective=theirs.pk), format="json"
    )
    assert response.status_code == 400
    assert response.json()["objective"] == ["Choose one of your own development plan objectives"]


def test_the_manager_shares_and_changes_an_entry_with_patch(cpd: Cpd) -> None:
    response = api_as(cpd.p.manager).patch(
        base(cpd) + f"entries/{cpd.private.pk}/",
        {"visibility": "supporters", "hours": "4"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    cpd.private.refresh_from_db()
    assert cpd.private.visibility == "supporters" and cpd.private.hours == Decimal("4")
    assert cpd.private.what_learnt == PRIVATE_REFLECTION  # untouched fields stay


def test_supporters_cannot_write(cpd: Cpd) -> None:
    client = api_as(cpd.p.supervisor)
    assert client.post(base(cpd) + "entries/", new_entry(), format="json").status_code == 403
    assert (
        client.patch(
            base(cpd) + f"entries/{cpd.shared.pk}/", {"hours": "9"}, format="json"
        ).status_code
        == 403
    )
    assert client.delete(base(cpd) + f"entries/{cpd.shared.pk}/").status_code == 403
    # A private entry is simply not there for her.
    assert (
        client.patch(
            base(cpd) + f"entries/{cpd.private.pk}/", {"hours": "9"}, format="json"
        ).status_code
        == 404
    )
    assert Entry.objects.count() == 2


def test_the_manager_deletes_an_entry(cpd: Cpd) -> None:
    assert api_as(cpd.p.manager).delete(base(cpd) + f"entries/{cpd.private.pk}/").status_code == 204
    assert not Entry.objects.filter(pk=cpd.private.pk).exists()


def test_the_supervisor_confirms_and_the_mentor_cannot(cpd: Cpd) -> None:
    url = base(cpd) + f"entries/{cpd.shared.pk}/confirm/"
    assert api_as(cpd.mentor).post(url).status_code == 403
    response = api_as(cpd.p.supervisor).post(url)
    assert response.status_code == 200
    assert response.json()["confirmed_by"] == "Sam Supervisor"
    assert (
        api_as(cpd.p.supervisor).post(base(cpd) + f"entries/{cpd.private.pk}/confirm/").status_code
        == 404
    )


# --- evidence -----------------------------------------------------------------------------


def test_the_manager_uploads_evidence_through_the_api(cpd: Cpd) -> None:
    response = api_as(cpd.p.manager).post(
        base(cpd) + f"entries/{cpd.private.pk}/evidence/",
        {"file": upload("handout.pdf", PDF_BYTES, "text/html")},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["content_type"] == "application/pdf"
    assert cpd.private.evidence.count() == 2


def test_a_disguised_upload_is_refused_through_the_api(cpd: Cpd) -> None:
    response = api_as(cpd.p.manager).post(
        base(cpd) + f"entries/{cpd.private.pk}/evidence/",
        {"file": upload("handout.pdf", HTML_BYTES)},
        format="multipart",
    )
    assert response.status_code == 400
    assert (
        "“handout.pdf” is not a PDF document: it is really a web page (HTML)."
        in response.json()["file"][0]
    )
    assert cpd.private.evidence.count() == 1


def test_an_oversized_upload_is_refused_through_the_api(cpd: Cpd, settings: Any) -> None:
    settings.WAYMARK_MAX_UPLOAD_BYTES = 1024
    response = api_as(cpd.p.manager).post(
        base(cpd) + f"entries/{cpd.private.pk}/evidence/",
        {"file": upload("pack.pdf", PDF_BYTES + b"%" * 5000)},
        format="multipart",
    )
    assert response.status_code == 400
    assert "“pack.pdf” is 5 KB. Each file must be 1 KB or smaller." in response.json()["file"][0]


def test_supporters_cannot_upload_or_delete_evidence(cpd: Cpd) -> None:
    client = api_as(cpd.p.supervisor)
    url = base(cpd) + f"entries/{cpd.shared.pk}/evidence/"
    assert (
        client.post(url, {"file": upload("x.pdf", PDF_BYTES)}, format="multipart").status_code
        == 403
    )
    assert client.delete(url + f"{cpd.shared_file.pk}/").status_code == 403
    assert Evidence.objects.count() == 2


def test_the_manager_deletes_evidence_through_the_api(cpd: Cpd) -> None:
    url = base(cpd) + f"entries/{cpd.private.pk}/evidence/{cpd.private_file.pk}/"
    assert api_as(cpd.p.manager).delete(url).status_code == 204
    assert not Evidence.objects.filter(pk=cpd.private_file.pk).exists()


# --- cost ---------------------------------------------------------------------------------


def test_the_entry_list_takes_the_same_number_of_queries_however_many_entries(
    cpd: Cpd, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from waymark.cpd.services import evidence_add

    client = api_as(cpd.p.supervisor)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(base(cpd) + "entries/").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    node = make_node()
    for _ in range(20):
        entry = make_entry(
            organisation=cpd.p.org, manager=cpd.p.manager, visibility="supporters", nodes=[node]
        )
        evidence_add(actor=cpd.p.manager, entry=entry, upload=upload("e.pdf", PDF_BYTES))
    assert count() == few
