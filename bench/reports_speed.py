"""The organisation reports at scale: an organisation of 2,000 managers and the national
view of 20,000.

Builds a fresh database with the shipped standards and catalogue, then one synthetic
population (`waymark.core.synthetic`, seed 1, dated up to today) of 20,000 managers in
200 organisations whose first is a large one of exactly 2,000 managers. For every report
in the registry it prints p50 and max of the build time over a few runs (after one warm
run) and the number of queries, for that organisation and for the national view; then
the time of the learning-needs page through django.test.Client for the organisation's
L&D lead.

    .venv/bin/python bench/reports_speed.py [--rounds 3] [--managers 20000]
        [--organisations 200] [--largest 2000] [--only NAME]

Targets: each organisation report under 1 s, each national report under 5 s (SQLite).
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._setup import django_with_fresh_database

ORG_TARGET_S = 1.0
NATIONAL_TARGET_S = 5.0


def timed(build: Any, scope: Any, rounds: int) -> tuple[list[float], int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    try:
        build(scope)  # warm up
    except Exception as error:  # a bench reports a broken report and goes on
        return [], 0, f"{type(error).__name__}: {error}"
    timings = []
    queries = 0
    for k in range(rounds):
        if k == 0:
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                build(scope)
                timings.append(time.perf_counter() - t)
            queries = len(ctx.captured_queries)
        else:
            t = time.perf_counter()
            build(scope)
            timings.append(time.perf_counter() - t)
    return timings, queries, ""


def line(label: str, timings: list[float], queries: int, error: str, target: float) -> str:
    if error:
        return f"  {label:<24} FAILED {error}"
    p50, worst = statistics.median(timings), max(timings)
    verdict = "ok" if worst < target else f"MISSES the {target:.0f} s target"
    return (
        f"  {label:<24} p50 {p50 * 1000:7.0f} ms  max {worst * 1000:7.0f} ms  "
        f"{queries:4d} queries  {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3, help="timed runs of each (default 3)")
    parser.add_argument("--managers", type=int, default=20000)
    parser.add_argument("--organisations", type=int, default=200)
    parser.add_argument("--largest", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", help="only this report (name)")
    args = parser.parse_args()

    db = django_with_fresh_database()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from waymark.accounts.models import User
    from waymark.core.synthetic import generate
    from waymark.organisations.models import Organisation
    from waymark.reports.registry import ReportScope, get_reports

    t0 = time.perf_counter()
    call_command("load_standards", verbosity=0)
    call_command("load_catalogue", verbosity=0)
    print(f"database: {connection.vendor} ({db.split('@')[-1]})")
    print(f"standards and catalogue loaded in {time.perf_counter() - t0:.1f} s")
    result = generate(
        organisations=args.organisations,
        managers=args.managers,
        largest=args.largest,
        seed=args.seed,
        base_date=datetime.date.today(),
    )
    counts = result.counts
    entries = counts.get("CPD entries", 0) + counts.get("CPD entries from attendance", 0)
    print(
        f"synthetic population (seed {args.seed}): {args.managers:,} managers in "
        f"{args.organisations:,} organisations, the first of {args.largest:,}; "
        f"{counts.get('ratings', 0):,} ratings in "
        f"{counts.get('self-assessment rounds (completed)', 0):,} rounds, "
        f"{entries:,} CPD entries; generated in {result.seconds:.1f} s"
    )
    org = Organisation.objects.get(slug=result.organisation_slugs[0])
    reports = get_reports()
    names = [args.only] if args.only else list(reports)

    print(
        f"\norganisation of {args.largest:,} managers ({org.slug}), target < {ORG_TARGET_S:.0f} s:"
    )
    for name in names:
        timings, queries, error = timed(
            reports[name].build, ReportScope(organisation=org), args.rounds
        )
        print(line(name, timings, queries, error, ORG_TARGET_S))

    print(f"\nnational view of {args.managers:,} managers, target < {NATIONAL_TARGET_S:.0f} s:")
    for name in names:
        if not reports[name].national:
            print(f"  {name:<24} (organisation only)")
            continue
        timings, queries, error = timed(
            reports[name].build, ReportScope(organisation=None), args.rounds
        )
        print(line(name, timings, queries, error, NATIONAL_TARGET_S))

    setup_test_environment()
    client = Client()
    client.force_login(User.objects.get(email=f"ld.{org.slug}@example.invalid"))
    url = f"/o/{org.slug}/reports/learning-needs/"
    status = client.get(url).status_code  # warm up
    if status != 200:
        print(f"\nlearning-needs page: HTTP {status} for the L&D lead at {url}")
        return
    timings, queries = [], 0
    for _ in range(args.rounds):
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - t)
        queries = len(ctx.captured_queries)
    print(
        f"\nlearning-needs page (L&D lead, {url}): HTTP {response.status_code}, "
        f"{queries} queries, p50 {statistics.median(timings) * 1000:.0f} ms, "
        f"max {max(timings) * 1000:.0f} ms, {len(response.content) // 1024} KiB"
    )


if __name__ == "__main__":
    main()
