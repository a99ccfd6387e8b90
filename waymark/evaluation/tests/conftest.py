from __future__ import annotations

import pytest

from waymark.conftest import Personas
from waymark.organisations.models import SupportKind, SupportRelationship


@pytest.fixture
def supervised(personas: Personas) -> Personas:
    """The personas, with Sam supervising Maya."""
    SupportRelationship.objects.create(
        organisation=personas.org,
        manager=personas.manager,
        supporter=personas.supervisor,
        kind=SupportKind.SUPERVISOR,
    )
    return personas
