"""Throughput of the retention job on PostgreSQL: a dry run, then a real run that anonymizes
the closed tickets older than a year.

    .venv/bin/python bench/retention.py [--tickets 20000] [--rounds 3]

Uses its own database (eenloket_bench_retention; DATABASE_URL overrides), seeds it up to
--tickets with `eenloket seed` (two years of synthetic tickets), sets a one-year rule for
closed tickets, then times: --rounds dry runs (median), one real run (it changes the data:
a second invocation finds nothing left to do; drop the database to start over), and the
trivial ceiling view for scale. Results: bench/results/<date>-retention-<tickets>.json/.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import run as common  # bench/run.py: database set-up, machine, seeding

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/eenloket_bench_retention")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=common.positive_int, default=20_000)
    parser.add_argument("--rounds", type=common.positive_int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args(argv)


def ceiling_ms(requests: int = 200) -> float:
    from django.test import Client

    client = Client()
    for _ in range(20):
        client.get("/api/v1/health")
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get("/api/v1/health")
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main(argv=None) -> int:
    args = parse_args(argv)
    common.setup_django()
    from eenloket.privacy import services
    from eenloket.privacy.models import RetentionRule
    from eenloket.tickets.models import Ticket

    common.seed_up_to(args.tickets, args.seed)
    RetentionRule.objects.update_or_create(
        kind="tickets", organization=None, defaults={"period": 1, "action": "anonymize"}
    )
    ceiling = ceiling_ms()
    dry = []
    expired = 0
    for _ in range(args.rounds):
        start = time.perf_counter()
        run = services.retention_run(dry_run=True)
        dry.append(time.perf_counter() - start)
        expired = sum(row["count"] for row in run.counts if row["kind"] == "tickets")
    start = time.perf_counter()
    real = services.retention_run()
    real_seconds = time.perf_counter() - start
    done = sum(row["count"] for row in real.counts if row["kind"] == "tickets")
    load = os.getloadavg()
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": common.machine(),
        "load_average_1_5_15": [round(x, 1) for x in load],
        "tickets": Ticket.objects.count(),
        "expired_tickets": expired,
        "dry_run_seconds_median": round(statistics.median(dry), 2),
        "dry_run_seconds": [round(x, 2) for x in dry],
        "real_run_seconds": round(real_seconds, 2),
        "anonymized_tickets": done,
        "tickets_per_second": round(done / real_seconds, 1) if real_seconds else None,
        "ceiling_ms_median": round(ceiling, 2),
        "real_run_per_ticket_vs_ceiling": round(real_seconds * 1000 / done / ceiling, 1)
        if done
        else None,
    }
    out = Path(__file__).resolve().parent / "results"
    name = common.free_stem(out / f"{datetime.now(UTC):%Y-%m-%d}-retention-{args.tickets}").name
    (out / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n")
    (out / f"{name}.md").write_text(
        f"# Retention job, {report['tickets']:,} tickets ({report['date']})\n\n"
        f"Load average during the run: {report['load_average_1_5_15']} on "
        f"{report['machine']['cores']} cores (shared with other engineers' test runs).\n\n"
        "| measure | value |\n|---|---|\n"
        f"| closed tickets older than a year (expired) | {expired:,} |\n"
        f"| dry run, median of {args.rounds} | {report['dry_run_seconds_median']} s |\n"
        f"| real run (anonymize, batches of 200) | {report['real_run_seconds']} s |\n"
        f"| anonymized per second | {report['tickets_per_second']} |\n"
        f"| ceiling view `/api/v1/health`, median | {report['ceiling_ms_median']} ms |\n"
        f"| one anonymized ticket / one ceiling request | "
        f"{report['real_run_per_ticket_vs_ceiling']}x |\n"
    )
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
