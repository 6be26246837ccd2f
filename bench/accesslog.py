"""What the access log costs a request, and how fast an administrator searches it, on
PostgreSQL.

    .venv/bin/python bench/accesslog.py [--tickets 10000] [--entries 1000000] [--rounds 5]
                                        [--requests 100]

Seeds up to --tickets tickets (`eenloket seed`) and fills the access log up to --entries
entries (one INSERT ... SELECT generate_series; spread over the past year, about a thousand
people and fifty users). Then times in-process with Django's test Client, as bench/run.py
does, pages taking turns within each round:

  ceiling       GET /api/v1/health (a trivial view: the floor of the stack)
  ticket        the ticket page with the access log (one INSERT at the end)
  ticket, off   the same pages with the access log middleware left out (nothing collected)
  log           the access log page, first page, no filter
  log person    the access log page filtered on one person (#id)
  log deep      the access log page 2,000 pages in (keyset: no offset scan)

Reports the median over the rounds of p50 and p95 per page, the ratio to the ceiling, the
queries of one request, and the load average before and after (the machine is shared).
Default database: postgres://postgres@127.0.0.1:5432/eenloket_accesslog_bench
(DATABASE_URL overrides it). Results: bench/results/<date>-accesslog.json/.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

import run as pages_bench

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/eenloket_accesslog_bench"
MIDDLEWARE = "eenloket.accesslog.middleware.AccessLogMiddleware"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    positive = pages_bench.positive_int
    parser.add_argument("--tickets", type=positive, default=10_000)
    parser.add_argument("--entries", type=positive, default=1_000_000)
    parser.add_argument("--rounds", type=positive, default=5)
    parser.add_argument("--requests", type=positive, default=100, help="per page per round")
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args(argv)


def fill_log(entries: int) -> int:
    """Top the log up to `entries` rows in one statement (the database makes them)."""
    from django.db import connection

    from eenloket.accesslog.models import AccessEntry

    have = AccessEntry.objects.count()
    if have >= entries:
        return have
    print(f"Adding {entries - have:,} access log entries ...")
    table = AccessEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (trace_id, span_id, parent_span_id, started_at, ended_at,
                activity, name, action, result, http_status, object_kind, object_ref,
                ticket_number, person_id, actor_id, actor_username, actor_role,
                actor_department_ids, channel, api_key_id, ip_address)
            SELECT md5(n::text), left(md5((n + 1)::text), 16), '',
                now() - (n %% 525600) * interval '1 minute',
                now() - (n %% 525600) * interval '1 minute',
                'ticket-handling', 'workspace:ticket', 'view', 'ok', 200, 'ticket',
                'M2026-' || lpad((n %% 99999)::text, 5, '0'),
                'M2026-' || lpad((n %% 99999)::text, 5, '0'),
                1 + n %% 1000, 1 + n %% 50, 'user' || (n %% 50), 'first_line', '', 'page',
                NULL, '10.0.0.1'
            FROM generate_series(%s, %s) AS n
            """,  # noqa: S608 (the table name is ours)
            [have + 1, entries],
        )
    return AccessEntry.objects.count()


def targets(rng: random.Random, requests: int) -> list[dict]:
    from django.test import Client

    from eenloket.accesslog.models import AccessEntry
    from eenloket.directory.models import User

    def client_for(username: str | None) -> Client:
        client = Client(raise_request_exception=False)
        if username:
            pages_bench.log_in(client, User.objects.get(username=username))
        return client

    # A client builds its middleware chain at its first request and keeps it: the "off"
    # pages get a client of their own whose first request is made without the access log.
    agent, agent_off, admin = (client_for(u) for u in ("servicedesk", "servicedesk", "beheerder"))
    numbers = pages_bench.sample_numbers(requests + pages_bench.WARM_UP, rng)
    tickets = [f"/werkplek/meldingen/{number}/" for number in numbers]
    deep = AccessEntry.objects.order_by("-id").values_list("id", flat=True)[100_000]
    person = AccessEntry.objects.exclude(person_id=None).values_list("person_id", flat=True)[0]
    return [
        {"page": "ceiling /api/v1/health", "client": client_for(None), "paths": ["/api/v1/health"]},
        {"page": "ticket page (access log on)", "client": agent, "paths": tickets},
        {
            "page": "ticket page (access log off)",
            "client": agent_off,
            "paths": tickets,
            "off": True,
        },
        {"page": "access log, first page", "client": admin, "paths": ["/werkplek/logboek/"]},
        {
            "page": "access log, one person",
            "client": admin,
            "paths": [f"/werkplek/logboek/?persoon=%23{person}"],
        },
        {
            "page": "access log, 2,000 pages deep",
            "client": admin,
            "paths": [f"/werkplek/logboek/?na={deep}"],
        },
    ]


def run_target(target: dict, requests: int) -> list[float]:
    from django.conf import settings
    from django.test import override_settings

    middleware = [m for m in settings.MIDDLEWARE if not (target.get("off") and m == MIDDLEWARE)]
    with override_settings(MIDDLEWARE=middleware):
        return pages_bench.time_page(target, requests)[0]  # the wall clock


def queries(target: dict) -> int:
    from django.conf import settings
    from django.test import override_settings

    middleware = [m for m in settings.MIDDLEWARE if not (target.get("off") and m == MIDDLEWARE)]
    with override_settings(MIDDLEWARE=middleware):
        pages_bench.query_count(target)  # caches warm (the business calendar's minute)
        return pages_bench.query_count(target)


def measure(rounds: int, requests: int, rng: random.Random) -> list[dict]:
    pages = targets(rng, requests)
    per_round: dict[str, list[tuple[float, float]]] = {p["page"]: [] for p in pages}
    for number in range(1, rounds + 1):
        for page in pages:
            timings = run_target(page, requests)
            per_round[page["page"]].append(
                (pages_bench.percentile(timings, 50), pages_bench.percentile(timings, 95))
            )
        print(f"  round {number}/{rounds} done (load {os.getloadavg()[0]:.1f})")
    ceiling = statistics.median(p50 for p50, _ in per_round[pages[0]["page"]])
    results = []
    for page in pages:
        rows = per_round[page["page"]]
        p50 = statistics.median(p for p, _ in rows)
        p95 = statistics.median(p for _, p in rows)
        results.append(
            {
                "page": page["page"],
                "p50_ms": round(p50, 2),
                "p95_ms": round(p95, 2),
                "p50_x_ceiling": round(p50 / ceiling, 1),
                "queries": queries(page),
                "rounds_p50_ms": [round(p, 2) for p, _ in rows],
                "rounds_p95_ms": [round(p, 2) for _, p in rows],
            }
        )
    return results


def write(report: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    stem = RESULTS / f"{report['date'][:10]}-accesslog"
    stem = pages_bench.free_stem(stem)
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    m = report["machine"]
    lines = [
        f"# Access log benchmark {report['date'][:10]}",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM; Python "
        f"{m['python']}, Django {m['django']}, PostgreSQL {m['postgresql']}. Shared with other "
        f"work: load average {report['load_before']} before, {report['load_after']} after.",
        f"Tickets: {report['tickets']:,}; access log entries: {report['entries']:,}. "
        f"{report['rounds']} rounds x {report['requests_per_round']} requests, median of the "
        "rounds' percentiles; server side, in-process (Django test Client).",
        "",
        "| page | p50 ms | p95 ms | p50 x ceiling | queries |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in report["pages"]:
        lines.append(
            f"| {row['page']} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | "
            f"{row['p50_x_ceiling']:.1f} | {row['queries']} |"
        )
    stem.with_suffix(".md").write_text("\n".join(lines) + "\n")
    return stem


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    pages_bench.setup_django()
    from eenloket.tickets.models import Ticket

    info = pages_bench.machine()
    rng = random.Random(args.seed)
    pages_bench.seed_up_to(args.tickets, args.seed)
    entries = fill_log(args.entries)
    load_before = round(os.getloadavg()[0], 1)
    print(f"Measuring ({entries:,} log entries, load {load_before}) ...")
    started = time.monotonic()
    pages = measure(args.rounds, args.requests, rng)
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": info,
        "tickets": Ticket.objects.count(),
        "entries": entries,
        "rounds": args.rounds,
        "requests_per_round": args.requests,
        "seconds": round(time.monotonic() - started),
        "load_before": load_before,
        "load_after": round(os.getloadavg()[0], 1),
        "pages": pages,
    }
    stem = write(report)
    print(stem.with_suffix(".md").read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
