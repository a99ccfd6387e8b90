"""Shared pieces for the curation tests (import/export, link checks, editor pages,
in-house resources): two small frameworks with the real slugs, and a catalogue file."""

from __future__ import annotations

from typing import Any

import yaml

from waymark.core.tests.factories import EditionFactory, FrameworkFactory, NodeFactory
from waymark.frameworks.models import Node


def make_frameworks() -> dict[str, Node]:
    """middle-manager-llf with MM3, MM3.04, MM4.02 and clf-leadership-capabilities with C2,
    each in a current edition; plus an old edition of the Middle Manager framework whose
    item MM9.99 is not in the current one."""
    mm = FrameworkFactory.create(slug="middle-manager-llf", title="Middle Manager framework")
    old = EditionFactory.create(framework=mm, version="2010", is_current=False)
    current = EditionFactory.create(framework=mm, version="2015", is_current=True)
    clf = FrameworkFactory.create(slug="clf-leadership-capabilities", title="CLF capabilities")
    clf_ed = EditionFactory.create(framework=clf, version="2015", is_current=True)
    mm3 = NodeFactory.create(edition=current, code="MM3", statement="Leading change")
    return {
        "MM3": mm3,
        "MM3.04": NodeFactory.create(
            edition=current, parent=mm3, code="MM3.04", statement="Lead change with staff"
        ),
        "MM4.02": NodeFactory.create(edition=current, code="MM4.02", statement="Plan resources"),
        "C2": NodeFactory.create(edition=clf_ed, code="C2", statement="Self-leadership"),
        "old MM9.99": NodeFactory.create(edition=old, code="MM9.99", statement="Old outcome"),
    }


def catalogue() -> dict[str, Any]:
    """A small valid catalogue document using every field."""
    return {
        "format": "waymark-catalogue/1",
        "providers": [
            {
                "slug": "scie",
                "name": "Social Care Institute for Excellence",
                "scope": "national",
                "region": "",
                "url": "https://www.scie.org.uk/",
                "description": "Practice guides for social care.",
                "source": "Seed 000, Appendix One",
                "historical": False,
                "historical_as_of": "",
                "status": "published",
            },
            {
                "slug": "north-west-academy",
                "name": "North West Care Academy",
                "scope": "regional",
                "region": "north-west",
                "url": "",
                "description": "",
                "source": "Test",
                "historical": True,
                "historical_as_of": "2006",
                "status": "published",
            },
        ],
        "resources": [
            {
                "slug": "scie-leading-change",
                "title": "Leading change in care services",
                "type": "practice-guide",
                "description": "A guide to leading change with staff and people who use services.",
                "provider": "scie",
                "url": "https://www.scie.org.uk/leading-change",
                "mode": "reading",
                "cost_from": 0,
                "cost_to": 0,
                "cost_note": "Free to download",
                "hours": 3,
                "duration": "",
                "scqf_level": None,
                "manager_levels": ["first-line", "middle"],
                "regions": [],
                "nodes": [
                    {"framework": "clf-leadership-capabilities", "code": "C2", "coverage": "part"},
                    {"framework": "middle-manager-llf", "code": "MM3.04", "coverage": "main"},
                ],
                "source": "Seed 000, Appendix One",
                "historical": False,
                "historical_as_of": "",
                "status": "published",
            },
            {
                "slug": "nw-action-learning",
                "title": "Action learning sets for middle managers",
                "type": "action-learning",
                "description": "Monthly sets, with a facilitator.",
                "provider": "north-west-academy",
                "url": "",
                "mode": "face-to-face",
                "cost_from": 450,
                "cost_to": 900,
                "cost_note": "",
                "hours": 7.5,
                "duration": "10 months",
                "scqf_level": 9,
                "manager_levels": [],
                "regions": ["north-west"],
                "nodes": [
                    {"framework": "middle-manager-llf", "code": "MM4.02", "coverage": "part"}
                ],
                "source": "Seed 003, Appendix 2",
                "historical": True,
                "historical_as_of": "2006",
                "status": "draft",
            },
        ],
        "qualifications": [
            {
                "slug": "svq4-lmcs",
                "title": "SVQ 4 Leadership and Management for Care Services",
                "awarding_body": "SQA",
                "description": "The registration qualification for managers in Scotland.",
                "scqf_level": 10,
                "credit_points": 120,
                "hours": 1200,
                "duration": "18 months",
                "cost_from": 1500,
                "cost_to": 2500,
                "cost_note": "Often paid by the employer",
                "mode": "blended",
                "required_by": "Registered managers in Scotland",
                "manager_levels": ["middle"],
                "providers": ["scie"],
                "url": "",
                "source": "Seed 004, §3",
                "historical": True,
                "historical_as_of": "2008",
                "status": "published",
                "units": [
                    {
                        "code": "U1",
                        "title": "Lead change",
                        "mandatory": True,
                        "credit_points": 10,
                        "nodes": [{"framework": "middle-manager-llf", "code": "MM3.04"}],
                    },
                    {
                        "code": "U2",
                        "title": "Plan resources",
                        "mandatory": False,
                        "credit_points": None,
                        "nodes": [],
                    },
                ],
            }
        ],
    }


def as_yaml(document: dict[str, Any]) -> bytes:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True).encode()
