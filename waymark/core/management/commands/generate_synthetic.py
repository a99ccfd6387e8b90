"""`waymark generate-synthetic --organisations N --managers M --seed S [--largest K]
[--base-date YYYY-MM-DD] [--only-if-empty]`: a reproducible synthetic population for
scale tests and the reports bench (see waymark.core.synthetic and docs/synthetic.md)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waymark.core.synthetic import DEFAULT_BASE_DATE, SyntheticError, generate


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--base-date must be a date like 2026-10-31, not {value!r}.") from error


class Command(BaseCommand):
    help = (
        "Add a synthetic population (organisations, managers, PMS, self-assessments, CPD, "
        "programmes) built from a seed: the same seed on a fresh database gives the same data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organisations", type=int, required=True, help="How many organisations."
        )
        parser.add_argument(
            "--managers", type=int, required=True, help="How many managers across them all."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--largest",
            type=int,
            default=None,
            help="Make the first organisation a large one of exactly this many managers.",
        )
        parser.add_argument(
            "--base-date",
            default=DEFAULT_BASE_DATE.isoformat(),
            help=f"The 'today' of the data (default {DEFAULT_BASE_DATE.isoformat()}, fixed so "
            "runs are reproducible).",
        )
        parser.add_argument(
            "--only-if-empty",
            action="store_true",
            help="Do nothing if the database already holds synthetic organisations.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        base_date = _date(options["base_date"])
        verbose = options["verbosity"] > 0
        try:
            result = generate(
                organisations=options["organisations"],
                managers=options["managers"],
                seed=options["seed"],
                largest=options["largest"],
                base_date=base_date,
                only_if_empty=options["only_if_empty"],
                progress=(lambda message: self.stdout.write(message)) if verbose else None,
            )
        except SyntheticError as error:
            raise CommandError(str(error)) from error
        if result.skipped:
            self.stdout.write("Synthetic data is already there; nothing done (--only-if-empty).")
            return
        if verbose:
            for name, count in result.counts.items():
                self.stdout.write(f"  {name}: {count:,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {options['managers']:,} managers in {options['organisations']:,} "
                f"organisations in {result.seconds:.1f} s (seed {options['seed']})."
            )
        )
