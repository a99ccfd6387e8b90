"""Small framework trees for the standards tests, built with the shared factories."""

from __future__ import annotations

from typing import Any, cast

from waymark.accounts.models import User
from waymark.core.tests.factories import (
    AssociationFactory,
    EditionFactory,
    FrameworkFactory,
    NodeFactory,
    UserFactory,
)
from waymark.frameworks.models import Association, Edition, EditionStatus, FrameworkKind, Node


def make_node(**kwargs: Any) -> Node:
    """NodeFactory, typed, and with no parent unless one is given."""
    kwargs.setdefault("parent", None)
    return cast(Node, NodeFactory(**kwargs))


def make_edition(**kwargs: Any) -> Edition:
    return cast(Edition, EditionFactory(**kwargs))


def make_user(**kwargs: Any) -> User:
    return cast(User, UserFactory(**kwargs))


def build_edition(
    slug: str = "middle-manager",
    title: str = "Middle Manager framework",
    *,
    domains: int = 2,
    outcomes: int = 2,
    status: str = EditionStatus.PUBLISHED,
    kind: str = FrameworkKind.GUIDANCE,
    prefix: str = "MM",
    **edition: Any,
) -> Edition:
    """A framework with `domains` domains of `outcomes` learning outcomes each:
    codes MM1, MM1.01, MM1.02, MM2, …"""
    framework = FrameworkFactory(slug=slug, title=title)
    ed = make_edition(framework=framework, title=title, status=status, kind=kind, **edition)
    for d in range(1, domains + 1):
        domain = make_node(
            edition=ed,
            code=f"{prefix}{d}",
            title=f"Domain {d} of {title}",
            statement=f"What domain {d} is about.",
            item_type_label="Domain",
            sequence=d,
        )
        for o in range(1, outcomes + 1):
            make_node(
                edition=ed,
                parent=domain,
                code=f"{prefix}{d}.{o:02d}",
                statement=f"Outcome {o} of domain {d}.",
                item_type_label="Learning outcome",
                sequence=o,
            )
    return ed


def node(edition: Edition, code: str) -> Node:
    return Node.objects.get(edition=edition, code=code)


def related(origin: Node, destination: Node, **kwargs: Any) -> Association:
    return cast(Association, AssociationFactory(origin=origin, destination=destination, **kwargs))
