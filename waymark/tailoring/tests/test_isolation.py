"""An organisation's own competences never leave it: not on the public standards pages,
search, the CASE API, the REST API, exports, nor another organisation's pages; and the
national standards are unchanged when an organisation tailors."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from waymark.conftest import Personas
from waymark.frameworks.models import Association, Edition, Framework, Node
from waymark.frameworks.selectors import counts_towards, search_nodes

from .conftest import Tailored

SECRET = "zebrafinch"


def _own_framework(t: Tailored) -> Framework:
    return t.own_item.edition.framework


def test_own_competences_are_an_organisation_owned_framework(
    personas: Personas, tailored: Tailored
) -> None:
    fw = _own_framework(tailored)
    assert fw.organisation == personas.org
    assert tailored.own_item.competence_type == "organisational"
    assert not Framework.objects.public().filter(pk=fw.pk).exists()
    assert not Node.objects.public().filter(pk=tailored.own_item.pk).exists()
    assert not Association.objects.public().filter(origin=tailored.own_item).exists()
    assert Association.objects.filter(origin=tailored.own_item).exists()


def test_the_public_standards_pages_never_show_them(personas: Personas, tailored: Tailored) -> None:
    fw = _own_framework(tailored)
    edition = tailored.own_item.edition
    for user in (None, personas.editor, personas.ld_lead):
        client = personas.client_for(user)
        index = client.get(reverse("frameworks:index"))
        assert fw.title not in index.content.decode()
        assert client.get(f"/standards/{fw.slug}/").status_code == 404
        assert client.get(f"/standards/{fw.slug}/editions/{edition.identifier}/").status_code == 404
        assert (
            client.get(f"/standards/{fw.slug}/items/{tailored.own_item.identifier}/").status_code
            == 404
        )
        national = client.get(f"/standards/national-fw/items/{tailored.national_item.identifier}/")
        assert national.status_code == 200
        assert SECRET not in national.content.decode()
        assert "Brightwater welcome" not in national.content.decode()
        search = client.get(reverse("frameworks:search"), {"q": SECRET})
        assert SECRET not in search.content.decode().split("<main", 1)[-1].replace(
            f'value="{SECRET}"', ""
        ).replace(f"“{SECRET}”", "")


def test_standards_editors_cannot_edit_or_export_them(
    personas: Personas, tailored: Tailored
) -> None:
    fw = _own_framework(tailored)
    edition = tailored.own_item.edition
    client = personas.client_for(personas.editor)
    base = f"/standards/{fw.slug}/editions/{edition.identifier}/"
    for url in (base + "edit/", base + "history/", base + "export/case/", base + "interchange/"):
        assert client.get(url).status_code == 404, url


def test_search_finds_them_only_for_their_own_organisation(
    personas: Personas, tailored: Tailored
) -> None:
    assert search_nodes(SECRET).total == 0
    assert search_nodes(SECRET, organisation_id=personas.other_org.pk).total == 0
    found = search_nodes(SECRET, organisation_id=personas.org.pk)
    assert [h.node.pk for h in found.hits] == [tailored.own_item.pk]


def test_the_case_api_never_serves_them(personas: Personas, tailored: Tailored) -> None:
    client = personas.client_for(None)
    docs = client.get("/ims/case/v1p0/CFDocuments")
    assert docs.status_code == 200
    assert str(tailored.own_item.edition.identifier) not in docs.content.decode()
    assert str(tailored.national.identifier) in docs.content.decode()
    for url in (
        f"/ims/case/v1p0/CFDocuments/{tailored.own_item.edition.identifier}",
        f"/ims/case/v1p0/CFPackages/{tailored.own_item.edition.identifier}",
        f"/ims/case/v1p0/CFItems/{tailored.own_item.identifier}",
        f"/ims/case/v1p0/CFItemAssociations/{tailored.own_item.identifier}",
    ):
        assert client.get(url).status_code == 404, url
    association = Association.objects.get(origin=tailored.own_item)
    assert client.get(f"/ims/case/v1p0/CFAssociations/{association.identifier}").status_code == 404
    national = client.get(f"/ims/case/v1p0/CFItemAssociations/{tailored.national_item.identifier}")
    assert national.status_code == 200
    assert str(tailored.own_item.identifier) not in national.content.decode()
    package = client.get(f"/ims/case/v1p0/CFPackages/{tailored.national.identifier}")
    assert SECRET not in package.content.decode()


def test_the_rest_api_never_serves_them(personas: Personas, tailored: Tailored) -> None:
    fw = _own_framework(tailored)
    for user in (personas.ld_lead, personas.editor, personas.outsider):
        client = personas.client_for(user)
        for url in (
            "/api/v1/frameworks/",
            "/api/v1/editions/",
            "/api/v1/nodes/",
            "/api/v1/mappings/",
        ):
            body = client.get(url).content.decode()
            assert fw.slug not in body, url
            assert SECRET not in body, url
            assert str(tailored.own_item.identifier) not in body, url
        assert client.get(f"/api/v1/frameworks/{fw.slug}/").status_code == 404
        assert client.get(f"/api/v1/nodes/{tailored.own_item.identifier}/").status_code == 404
        search = client.get("/api/v1/search/", {"q": SECRET})
        assert SECRET not in json.dumps(search.json()).replace(f'"{SECRET}"', "")


def test_the_list_frameworks_command_leaves_them_out(
    personas: Personas, tailored: Tailored, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("list_frameworks")
    out = capsys.readouterr().out
    assert "national-fw" in out
    assert _own_framework(tailored).slug not in out


def test_evidence_counts_towards_own_competences_only_inside_the_organisation(
    personas: Personas, tailored: Tailored
) -> None:
    # From the national item, another organisation's competence is never a far end.
    towards = counts_towards({tailored.national_item.pk})
    assert towards[tailored.national_item.pk] == []
    # From the own item, the national one is.
    own = counts_towards({tailored.own_item.pk})
    assert [c.node.pk for c in own[tailored.own_item.pk]] == [tailored.national_item.pk]


def test_another_organisation_never_reaches_them(personas: Personas, tailored: Tailored) -> None:
    client = personas.client_for(personas.outsider)
    base = f"/o/{personas.other_org.slug}/tailoring/competences/{tailored.own_item.pk}/"
    assert client.get(base + "edit/").status_code == 404
    assert client.get(base + "map/").status_code == 404
    listing = client.get(f"/o/{personas.other_org.slug}/tailoring/competences/")
    assert listing.status_code == 200
    assert SECRET not in listing.content.decode()
    assert client.get(f"/o/{personas.org.slug}/tailoring/competences/").status_code == 404


def test_tailoring_leaves_the_national_standards_unchanged(personas: Personas) -> None:
    from waymark.core.tests.factories import EditionFactory, FrameworkFactory, NodeFactory
    from waymark.tailoring import services

    edition: Edition = EditionFactory.create(
        framework=FrameworkFactory.create(slug="nat"), status="published"
    )
    item: Node = NodeFactory.create(edition=edition, code="X1", statement="National item")

    def snapshot() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], int]:
        return (
            list(Node.objects.public().order_by("pk").values_list()),
            list(Edition.objects.public().order_by("pk").values_list()),
            Association.objects.public().count(),
        )

    before = snapshot()
    domain = services.own_domain_create(
        actor=personas.ld_lead, organisation=personas.org, title="Ours"
    )
    own = services.own_competence_create(
        actor=personas.ld_lead, organisation=personas.org, domain=domain, statement="Our way"
    )
    services.own_mapping_create(
        actor=personas.ld_lead, organisation=personas.org, node=own, target=item, kind="exact"
    )
    services.own_competence_archive(actor=personas.ld_lead, organisation=personas.org, node=own)
    services.focus_set(
        actor=personas.ld_lead,
        organisation=personas.org,
        frameworks=[edition.framework],
        domains=[],
    )
    assert snapshot() == before
