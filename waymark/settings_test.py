"""Settings for the test suite: the real settings with a fast password hasher."""

from __future__ import annotations

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The live server used by browser tests serves static files through Django's finders,
# which know nothing of hashed names; production's manifest storage is covered by
# waymark/core/tests/test_static.py instead.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
