"""The manager's record at a realistic size: the gap page and the PDF record.

Builds, on a fresh database with the shipped standards, a manager with 80 competences in
her PMS, 4 completed self-assessment rounds, 200 CPD entries (every one with a
reflection) and a plan with 5 objectives; then prints the time and queries of the gap
page (through django.test.Client, signed in) and of the PDF record (everything, every
reflection included), with the PDF's page count and size.

    .venv/bin/python bench/record_render.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._setup import django_with_fresh_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="timed runs of each (default 3)")
    parser.add_argument("--save", help="also write the PDF here")
    args = parser.parse_args()

    db = django_with_fresh_database()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from waymark.core.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
    from waymark.records.pdf import render_record_pdf
    from waymark.records.record import EVERYTHING, build_record
    from waymark.records.tests.factories import build_journey, shipped_competences, support

    call_command("load_standards", verbosity=0)
    org = OrganisationFactory.create(name="Bench Care", slug="bench-care", size_band="medium")
    manager = UserFactory.create(email="maya@bench.example", full_name="Maya Manager")
    supervisor = UserFactory.create(email="sam@bench.example", full_name="Sam Supervisor")
    MembershipFactory.create(organisation=org, user=manager, role="manager")
    MembershipFactory.create(organisation=org, user=supervisor, role="supervisor")
    support(org, manager, supervisor, "supervisor")
    t0 = time.perf_counter()
    journey = build_journey(
        organisation=org,
        manager=manager,
        supervisor=supervisor,
        nodes=shipped_competences(80),
        rounds=4,
        entries=200,
        objectives=5,
    )
    print(f"database: {connection.vendor} ({db.split('@')[-1]})")
    print(
        f"data: {len(journey.nodes)} competences, {len(journey.rounds)} completed rounds, "
        f"{len(journey.entries)} CPD entries, {len(journey.objectives)} objectives "
        f"(built in {time.perf_counter() - t0:.1f} s)"
    )

    setup_test_environment()
    client = Client()
    client.force_login(manager)
    latest = journey.rounds[-1]
    url = f"/o/{org.slug}/people/{manager.pk}/assessments/{latest.pk}/gaps/"
    assert client.get(url).status_code == 200  # warm up
    timings, queries = [], 0
    for _ in range(args.rounds):
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200
        queries = len(ctx.captured_queries)
    print(
        f"gap page: HTTP 200, {queries} queries, median {statistics.median(timings):.0f} ms "
        f"(min {min(timings):.0f}, max {max(timings):.0f}; {len(response.content) // 1024} KiB)"
    )

    build_ms, render_ms = [], []
    pdf = None
    for _ in range(args.rounds):
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            record = build_record(person=manager, organisation=org, options=EVERYTHING)
            build_ms.append((time.perf_counter() - t) * 1000)
        record_queries = len(ctx.captured_queries)
        t = time.perf_counter()
        pdf = render_record_pdf(record)
        render_ms.append((time.perf_counter() - t) * 1000)
    assert pdf is not None
    total = [b + r for b, r in zip(build_ms, render_ms, strict=True)]
    print(
        f"PDF record (everything, {record.cpd.reflections_included if record.cpd else 0} "
        f"reflections): {pdf.pages} pages, {pdf.size / 1024:.0f} KiB, "
        f"{record_queries} queries; median {statistics.median(total) / 1000:.2f} s "
        f"(gathering {statistics.median(build_ms):.0f} ms, setting "
        f"{statistics.median(render_ms) / 1000:.2f} s)"
    )

    with CaptureQueriesContext(connection) as ctx:
        t = time.perf_counter()
        response = client.post(
            f"/o/{org.slug}/people/{manager.pk}/record/",
            {"sections": ["pms", "gaps", "plan", "cpd"]},
        )
        ms = (time.perf_counter() - t) * 1000
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    print(
        f"record page download (no reflections): {len(ctx.captured_queries)} queries, "
        f"{ms / 1000:.2f} s, {len(response.content) / 1024:.0f} KiB"
    )
    if args.save:
        Path(args.save).write_bytes(pdf.content)
        print(f"wrote {args.save}")


if __name__ == "__main__":
    main()
