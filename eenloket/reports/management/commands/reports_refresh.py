"""`eenloket reports_refresh`: rebuild the dashboards' summary tables."""

import time

from django.core.management.base import BaseCommand, CommandError

from eenloket.reports.selectors import AMSTERDAM
from eenloket.reports.summary import REFRESH_DAYS, summary_refresh


class Command(BaseCommand):
    help = (
        "Rebuild the summary tables the dashboards read (tickets per day, department, channel "
        f"and priority). By default the last {REFRESH_DAYS} days, as the worker does every "
        "night; --all rebuilds every day (needed once after an upgrade or an import)."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--all", action="store_true", help="rebuild every day")
        group.add_argument(
            "--days",
            type=int,
            default=REFRESH_DAYS,
            metavar="N",
            help=f"rebuild the last N days (default {REFRESH_DAYS})",
        )

    def handle(self, *args, all=False, days=REFRESH_DAYS, **options):
        if not all and days < 1:
            raise CommandError("--days must be at least 1.")
        started = time.monotonic()
        rows = summary_refresh(
            zone=AMSTERDAM, days=None if all else days, progress=self.stdout.write
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Summary rebuilt: {rows:,} rows in {time.monotonic() - started:.1f} s."
            )
        )
