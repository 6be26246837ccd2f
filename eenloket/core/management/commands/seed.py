"""`eenloket seed --tickets N`: add synthetic tickets for benchmarks and load tests."""

import argparse

from django.core.management.base import BaseCommand, CommandError

from eenloket.demo.seed import DEFAULT_BATCH_SIZE, SeedError, seed_tickets


def positive_int(value: str) -> int:
    """argparse type: a whole number of at least 1, with a message that says so."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


class Command(BaseCommand):
    help = (
        "Add N synthetic tickets with 2-4 timeline entries each, spread over the last two "
        "years, for benchmarks. Loads the reference data first (idempotent). Fast: COPY on "
        "PostgreSQL, bulk inserts elsewhere, in batches with progress."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--tickets",
            type=positive_int,
            required=True,
            metavar="N",
            help="how many tickets to add (at least 1)",
        )
        parser.add_argument(
            "--batch-size",
            type=positive_int,
            default=DEFAULT_BATCH_SIZE,
            metavar="N",
            help=f"tickets per batch and transaction (default {DEFAULT_BATCH_SIZE:,})",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=None,
            help="random seed, for the same data on every run",
        )

    def handle(self, *args, tickets, batch_size, seed, **options):
        # call_command(batch_size=0) skips argparse's type check; check again here.
        for name, value in (("--tickets", tickets), ("--batch-size", batch_size)):
            if not isinstance(value, int) or value < 1:
                raise CommandError(f"{name} must be a whole number of at least 1, got {value!r}")
        try:
            result = seed_tickets(
                tickets=tickets, batch_size=batch_size, seed=seed, progress=self.stdout.write
            )
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {result.tickets:,} tickets and {result.entries:,} timeline entries "
                f"in {result.seconds:,.1f} s ({result.rate:,.0f} tickets/s)."
            )
        )
