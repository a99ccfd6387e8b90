from __future__ import annotations

from dataclasses import dataclass

import pytest

from waymark.conftest import Personas
from waymark.core.tests.factories import EditionFactory, FrameworkFactory, NodeFactory
from waymark.frameworks.models import Edition, Framework, Node
from waymark.tailoring import services


@dataclass
class Tailored:
    national: Edition
    national_domain: Node
    national_item: Node
    own_domain: Node
    own_item: Node


@pytest.fixture
def tailored(personas: Personas) -> Tailored:
    """A small national framework and Brightwater's own competence mapped to it."""
    fw: Framework = FrameworkFactory.create(slug="national-fw", title="National framework")
    edition: Edition = EditionFactory.create(
        framework=fw, title="National framework", status="published"
    )
    domain: Node = NodeFactory.create(
        edition=edition, code="NF1", statement="Leading people", sequence=1
    )
    item: Node = NodeFactory.create(
        edition=edition,
        parent=domain,
        code="NF1.01",
        statement="Supervise staff through regular reflective supervision",
        sequence=1,
    )
    own_domain = services.own_domain_create(
        actor=personas.ld_lead, organisation=personas.org, title="Our values"
    )
    own_item = services.own_competence_create(
        actor=personas.ld_lead,
        organisation=personas.org,
        domain=own_domain,
        title="Brightwater welcome",
        statement="Welcome every new resident with the Brightwater welcome zebrafinch promise",
    )
    services.own_mapping_create(
        actor=personas.ld_lead,
        organisation=personas.org,
        node=own_item,
        target=item,
        kind="related",
    )
    return Tailored(edition, domain, item, own_domain, own_item)
