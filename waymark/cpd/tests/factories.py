"""Factories for the CPD record's tests, and small builders for the other apps' rows
these tests need (a PMS, a development plan objective, a supporter)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from waymark.accounts.models import User
from waymark.core.tests.factories import MembershipFactory, NodeFactory, UserFactory
from waymark.cpd.models import Entry, Visibility
from waymark.frameworks.models import Node
from waymark.organisations.models import Organisation, SupportRelationship
from waymark.planning.models import Objective, Plan
from waymark.profiles.models import Revision, SpecCompetence, Specification

# The smallest file that libmagic calls a PDF, and the things that pretend to be one.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
HTML_BYTES = b"<!DOCTYPE html><html><head><title>Certificate</title></head><body><script>alert(document.cookie)</script></body></html>"
# A Windows program's opening bytes: "MZ", then the offset of its "PE" header.
EXE_BYTES = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 44
    + b"\x80\x00\x00\x00"
    + b"\x00" * 64
    + b"PE\x00\x00L\x01"
    + b"\x00" * 64
)
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
TEXT_BYTES = b"Notes from the action learning set.\nWe talked about rotas.\n"


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    """A file as a browser would send it: the type it claims is not believed."""
    return SimpleUploadedFile(name, content, content_type=content_type)


class EntryFactory(factory.django.DjangoModelFactory[Entry]):
    class Meta:
        model = Entry
        skip_postgeneration_save = True

    organisation: Any = None
    manager: Any = None
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    activity_type = "e-learning"
    title = factory.Sequence(lambda n: f"Learning {n}")
    provider = "Skills for Care"
    hours = Decimal("2.00")
    what_happened = "What happened."
    what_learnt = "What I learnt."
    how_use = "How I will use it."
    difference = "The difference for people."
    visibility = Visibility.PRIVATE

    @factory.post_generation
    def nodes(self, create: bool, extracted: list[Node] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.nodes.set(extracted)


def make_entry(**kwargs: Any) -> Entry:
    entry: Entry = EntryFactory.create(**kwargs)
    return entry


def make_node(**kwargs: Any) -> Node:
    node: Node = NodeFactory.create(**kwargs)
    return node


def make_user(**kwargs: Any) -> User:
    user: User = UserFactory.create(**kwargs)
    return user


def support(
    organisation: Organisation, manager: User, supporter: User, kind: str
) -> SupportRelationship:
    return SupportRelationship.objects.create(
        organisation=organisation, manager=manager, supporter=supporter, kind=kind
    )


def member(organisation: Organisation, *roles: str, **kwargs: Any) -> User:
    user = make_user(**kwargs)
    for role in roles:
        MembershipFactory.create(organisation=organisation, user=user, role=role)
    return user


def objective_for(
    organisation: Organisation, manager: User, title: str = "Lead the rota change"
) -> Objective:
    plan = Plan.objects.create(organisation=organisation, manager=manager, title="My plan")
    return Objective.objects.create(
        plan=plan,
        title=title,
        specific="Change the rota with the team.",
        measure="Fewer gaps in cover.",
        target_date=timezone.localdate() + datetime.timedelta(days=90),
    )


def pms_for(organisation: Organisation, manager: User, nodes: list[Node]) -> Revision:
    spec = Specification.objects.create(organisation=organisation, manager=manager)
    revision = Revision.objects.create(
        specification=spec, number=1, job_title="Registered manager", manager_level="first-line"
    )
    for node in nodes:
        SpecCompetence.objects.create(revision=revision, node=node)
    spec.current = revision
    spec.save(update_fields=["current"])
    return revision


def small_framework(title: str = "Middle Manager framework", prefix: str = "MM") -> dict[str, Node]:
    """Two domains with two outcomes each, coded like the shipped framework."""
    domain1 = make_node(
        code=f"{prefix}1",
        statement=f"{title} domain one",
        title="Domain one",
        item_type_label="Domain",
    )
    edition = domain1.edition
    edition.title = title
    edition.save(update_fields=["title"])
    domain2 = make_node(
        edition=edition,
        code=f"{prefix}2",
        statement="Domain two",
        title="Domain two",
        item_type_label="Domain",
    )
    nodes = {"domain1": domain1, "domain2": domain2}
    for d, domain in ((1, domain1), (2, domain2)):
        for o in (1, 2):
            nodes[f"o{d}{o}"] = make_node(
                edition=edition,
                parent=domain,
                code=f"{prefix}{d}.0{o}",
                statement=f"Outcome {d}.{o}",
                title=f"Outcome {d}.{o}",
                item_type_label="Learning outcome",
            )
    return nodes
