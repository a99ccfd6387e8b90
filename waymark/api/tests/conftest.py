from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from waymark.accounts.models import User


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def client_as(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client
