"""A framework's new edition never changes a PMS by itself: the PMS says an update is
available and what changed (matched by code), and updating makes a new revision that
points at the new edition's items."""

from __future__ import annotations

import pytest
from django.urls import reverse

from waymark.conftest import Personas
from waymark.frameworks import services as standards
from waymark.frameworks.models import Edition
from waymark.profiles import services
from waymark.profiles.models import RoleProfile, Specification
from waymark.profiles.selectors import edition_updates, revision_diff

from .conftest import node

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_edition(spec: Specification, mm: Edition, personas: Personas) -> Edition:
    """Edition 2016 of the Middle Manager framework: MM4.01 reworded, MM6.01 gone, a new
    outcome MM5.08, published (so 2015 is no longer current)."""
    editor = personas.editor
    new = standards.edition_new(actor=editor, source=mm, version="2016")
    standards.node_update(
        actor=editor,
        node=node(new, "MM4.01"),
        data={"statement": "understand the money: budgets, contracts and commissioning"},
    )
    standards.node_delete(actor=editor, node=node(new, "MM6.01"))
    standards.node_create(
        actor=editor,
        edition=new,
        parent=node(new, "MM5"),
        code="MM5.08",
        statement="lead joint work with health partners",
        item_type_label="Learning outcome",
    )
    return standards.edition_publish(actor=editor, edition=new)


def url(name: str, personas: Personas) -> str:
    return reverse(
        f"profiles:{name}", kwargs={"org_slug": "brightwater", "person_id": personas.manager.pk}
    )


def test_no_update_is_offered_while_the_edition_is_current(spec: Specification) -> None:
    assert spec.current is not None
    assert edition_updates(spec.current) == []


def test_the_update_lists_changed_removed_and_added_items(
    spec: Specification, new_edition: Edition
) -> None:
    assert spec.current is not None
    [update] = edition_updates(spec.current)
    assert update.new_edition == new_edition
    assert update.old_edition.version == "2015"
    assert [c.old.code for c in update.changed] == ["MM4.01"]
    assert [c.old.code for c in update.removed] == ["MM6.01"]
    assert [c.old.code for c in update.unchanged] == ["MM5.01"]
    assert [n.code for n in update.added] == ["MM5.08"]


def test_the_pms_says_an_update_is_available_and_shows_what_changed(
    spec: Specification, supported: Personas, new_edition: Edition
) -> None:
    for who in (supported.manager, supported.supervisor):
        page = supported.client_for(who).get(url("pms", supported)).content.decode()
        assert "An update is available" in page
    page = (
        supported.client_for(supported.manager).get(url("pms_update", supported)).content.decode()
    )
    assert "understand the money: budgets, contracts and commissioning" in page
    assert "Removed" in page and "MM6.01" in page
    assert "MM5.08" in page and "lead joint work with health partners" in page
    assert "Update to the new edition" in page
    # Nothing changed by itself.
    assert spec.revisions.count() == 1


def test_updating_makes_a_new_revision_pointing_at_the_new_edition(
    spec: Specification, supported: Personas, new_edition: Edition
) -> None:
    client = supported.client_for(supported.manager)
    response = client.post(url("pms_update", supported), {"based_on": 1, "change_note": ""})
    assert response.status_code == 302
    spec.refresh_from_db()
    first, second = spec.revisions.get(number=1), spec.current
    assert second is not None and second.number == 2
    assert "Updated to the current edition" in second.change_note
    rows = {c.node.code: c for c in second.competences.select_related("node__edition")}
    assert set(rows) == {"MM4.01", "MM5.01"}
    assert all(c.node.edition_id == new_edition.pk for c in rows.values())
    assert (rows["MM4.01"].expected_level, rows["MM4.01"].importance) == (3, 3)
    # Revision 1 still points at the 2015 edition.
    assert set(first.competences.values_list("node__edition__version", flat=True)) == {"2015"}
    assert edition_updates(second) == []
    diff = revision_diff(first, second)
    assert sorted(new.node.code for _old, new in diff.replaced) == ["MM4.01", "MM5.01"]
    assert [c.node.code for c in diff.removed] == ["MM6.01"]
    assert "An update is available" not in client.get(url("pms", supported)).content.decode()


def test_only_the_manager_applies_the_update(
    spec: Specification, supported: Personas, new_edition: Edition
) -> None:
    client = supported.client_for(supported.supervisor)
    page = client.get(url("pms_update", supported)).content.decode()
    assert "Only Maya Manager can update" in page
    assert client.post(url("pms_update", supported), {"based_on": 1}).status_code == 403
    assert spec.revisions.count() == 1


def test_updating_when_nothing_is_out_of_date_says_so(
    spec: Specification, supported: Personas
) -> None:
    with pytest.raises(services.ProfileError):
        services.spec_update_editions(actor=supported.manager, specification=spec)


def test_a_role_profile_can_be_moved_to_the_new_edition(
    profile: RoleProfile, supported: Personas, new_edition: Edition, spec: Specification
) -> None:
    client = supported.client_for(supported.ld_lead)
    path = reverse(
        "profiles:role_profile", kwargs={"org_slug": "brightwater", "profile_id": profile.pk}
    )
    assert "A new edition of a framework is available" in client.get(path).content.decode()
    client.post(
        reverse(
            "profiles:role_profile_update_editions",
            kwargs={"org_slug": "brightwater", "profile_id": profile.pk},
        )
    )
    editions = set(profile.competences.values_list("node__edition_id", flat=True))
    assert editions == {new_edition.pk}
    assert set(profile.competences.values_list("node__code", flat=True)) == {"MM4.01", "MM5.01"}
    # The manager's PMS did not change.
    assert spec.revisions.count() == 1


def test_new_competences_come_only_from_current_editions(
    spec: Specification, supported: Personas, new_edition: Edition, mm: Edition
) -> None:
    from waymark.profiles.selectors import CompetenceRow, content_of

    assert spec.current is not None
    content = content_of(spec.current)
    content.competences.append(CompetenceRow(node(mm, "MM9.01"), 3, 2))
    with pytest.raises(services.ProfileError, match="current edition"):
        services.spec_revise(actor=supported.manager, specification=spec, content=content)
