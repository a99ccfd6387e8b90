"""A fresh database for a benchmark: a temporary SQLite file unless DATABASE_URL is set."""

from __future__ import annotations

import os
import tempfile


def django_with_fresh_database() -> str:
    if "DATABASE_URL" not in os.environ:
        path = os.path.join(tempfile.mkdtemp(prefix="waymark-bench-"), "bench.sqlite3")
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waymark.settings")
    os.environ.setdefault(
        "WAYMARK_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    return os.environ["DATABASE_URL"]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]
