"""Standards search and browse pages over the shipped frameworks.

Prints p50/p95/max of one search (in-process, the selector the pages and API use) over a
set of realistic queries, and the number of database queries each browse page makes.
Target: p95 under 20 ms on SQLite.

    .venv/bin/python bench/standards_search.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._setup import django_with_fresh_database, percentile

QUERIES = [
    "risk",
    "risks",
    "managing risk",
    "change",
    "leading change",
    "partnership",
    "people who use services",
    "carers",
    "supervision",
    "quality",
    "performance",
    "resources",
    "budget",
    "values",
    "ethics",
    "strategy",
    "vision",
    "MM6",
    "MM1.01",
    "reflect",
    "learning",
    "communication",
    "diversity",
    "safeguarding",
    "wellbeing",
    "innovation",
    "collaborat",
    "outcomes",
    "recruitment",
    "feedback",
    "c++",
    "a-b AND",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    db = django_with_fresh_database()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from waymark.frameworks.models import Edition, Node
    from waymark.frameworks.selectors import search_nodes

    call_command("load_standards", verbosity=0, stdout=io.StringIO())
    print(f"database: {connection.vendor} ({db.split('@')[-1]})")
    print(f"data: {Edition.objects.count()} editions, {Node.objects.count()} items")

    for q in QUERIES:  # warm up
        search_nodes(q)
    timings: list[float] = []
    hits = 0
    for _ in range(args.rounds):
        for q in QUERIES:
            t0 = time.perf_counter()
            result = search_nodes(q, limit=20)
            timings.append((time.perf_counter() - t0) * 1000)
            hits += len(result.hits)
    p95 = percentile(timings, 95)
    print(
        f"search: {len(timings)} queries, p50 {percentile(timings, 50):.2f} ms, "
        f"p95 {p95:.2f} ms, max {max(timings):.2f} ms, mean {statistics.mean(timings):.2f} ms "
        f"({hits / len(timings):.1f} hits per query)"
    )
    print(f"search target p95 < 20 ms: {'met' if p95 < 20 else 'NOT MET'}")

    setup_test_environment()
    client = Client()
    mm = Edition.objects.get(framework__slug="middle-manager-llf", is_current=True)
    outcome = mm.nodes.filter(depth=1).first()
    assert outcome is not None
    pages = {
        "standards index": "/standards/",
        "framework page (Middle Manager, 83 items)": "/standards/middle-manager-llf/",
        "item page": f"/standards/middle-manager-llf/items/{outcome.identifier}/",
        "search page": "/standards/search/?q=risk",
    }
    for url in pages.values():  # warm up: first requests compile templates and URLs
        client.get(url)
    for label, url in pages.items():
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            ms = (time.perf_counter() - t0) * 1000
        print(
            f"page {label}: HTTP {response.status_code}, {len(ctx.captured_queries)} queries, {ms:.1f} ms"
        )


if __name__ == "__main__":
    main()
