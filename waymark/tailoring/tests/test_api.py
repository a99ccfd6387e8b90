from __future__ import annotations

from waymark.conftest import Personas
from waymark.tailoring import services

from .conftest import Tailored


def test_members_read_the_focus_own_competences_and_policies(
    personas: Personas, tailored: Tailored
) -> None:
    services.focus_set(
        actor=personas.ld_lead,
        organisation=personas.org,
        frameworks=[tailored.national.framework],
        domains=[tailored.national_domain],
    )
    services.policy_create(
        actor=personas.ld_lead,
        organisation=personas.org,
        title="Lone working",
        url="https://example.org/lone",
        nodes=[tailored.own_item],
    )
    client = personas.client_for(personas.manager)
    base = f"/api/v1/organisations/{personas.org.slug}"
    focus = client.get(f"{base}/tailoring/focus/").json()
    assert focus == {
        "frameworks": ["national-fw"],
        "domains": [str(tailored.national_domain.identifier)],
    }
    own = client.get(f"{base}/tailoring/competences/").json()
    assert own[0]["code"] == "BC1.01"
    assert own[0]["mappings"][0]["code"] == "NF1.01"
    policies = client.get(f"{base}/policies/").json()["results"]
    assert policies[0]["address"] == "https://example.org/lone"
    assert policies[0]["competences"] == ["BC1.01"]


def test_outsiders_get_not_found(personas: Personas, tailored: Tailored) -> None:
    client = personas.client_for(personas.outsider)
    base = f"/api/v1/organisations/{personas.org.slug}"
    for url in ("/tailoring/focus/", "/tailoring/competences/", "/policies/"):
        assert client.get(base + url).status_code == 404, url
    own = client.get(f"/api/v1/organisations/{personas.other_org.slug}/tailoring/competences/")
    assert own.json() == []
