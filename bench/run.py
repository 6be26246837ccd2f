"""Server-side latency of the key agent pages at 100k and 1M tickets, on PostgreSQL.

    .venv/bin/python bench/run.py [--volumes 100000,1000000] [--rounds 5] [--requests 200]
                                  [--skip-seed]

For each volume: seed the database up to that many tickets (`eenloket seed`), then time the
queue page (as first line and as an IT specialist), the ticket page (random tickets) and a
trivial ceiling view (/api/v1/health) in-process with Django's test Client: request handling,
middleware, database and template rendering, no network. Each round warms up, then times
--requests requests per page; the report gives per page the median over the rounds of p50
and p95, and the ratio to the ceiling. Results go to bench/results/<date>-<volume>.json/.md.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/eenloket_bench"
RESULTS = Path(__file__).resolve().parent / "results"
WARM_UP = 20
TARGET_P95_MS = 50.0


def volume_list(value: str) -> list[int]:
    try:
        volumes = [int(part.replace("_", "")) for part in value.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected numbers like 100000,1000000: {value!r}"
        ) from None
    if not volumes or min(volumes) < 1:
        raise argparse.ArgumentTypeError("volumes must be positive")
    return sorted(volumes)


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--volumes", type=volume_list, default=[100_000, 1_000_000])
    parser.add_argument("--rounds", type=positive_int, default=5)
    parser.add_argument("--requests", type=positive_int, default=200, help="per page per round")
    parser.add_argument("--skip-seed", action="store_true", help="measure what is there")
    parser.add_argument("--seed", type=int, default=2026, help="random seed for seeding")
    parser.add_argument(
        "--tag", default="", help="added to the result files' names (keeps an earlier run)"
    )
    return parser.parse_args(argv)


# --- set-up --------------------------------------------------------------------------------


def ensure_database(url: str) -> None:
    """Create the database named in `url` when it does not exist yet."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        sys.exit(f"The benchmark needs PostgreSQL; DATABASE_URL is {url}")
    params = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            print(f"Creating database {config['NAME']} ...")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))


def setup_django() -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eenloket.settings")
    ensure_database(os.environ["DATABASE_URL"])
    import django
    from django.conf import settings

    django.setup()
    # The manifest storage needs `collectstatic`; the plain one costs the same per URL.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def log_in(client, user) -> None:
    """A staff session as after a real login: logged in and past the second factor (the
    login policy lets such a session through without a query, as in production)."""
    client.force_login(user)
    session = client.session
    session["eenloket_mfa"] = "totp"
    session.save()


def machine() -> dict:
    from django import get_version
    from django.db import connection

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": get_version(),
        "postgresql": pg_version,
    }


def seed_up_to(volume: int, seed: int) -> None:
    from django.core.management import call_command

    from eenloket.tickets.models import Ticket

    have = Ticket.objects.count()
    if have >= volume:
        print(f"{have:,} tickets present; no seeding needed for {volume:,}.")
        return
    print(f"Seeding {volume - have:,} tickets to reach {volume:,} ...")
    call_command("seed", tickets=volume - have, seed=seed + have)


# --- measuring -----------------------------------------------------------------------------


def free_stem(stem: Path) -> Path:
    """The result files' path without suffix, numbered (-2, -3, ...) if a run of the same day
    and tag wrote there already: results are committed, a second run must not replace them."""
    candidate, number = stem, 1
    while candidate.with_suffix(".json").exists() or candidate.with_suffix(".md").exists():
        number += 1
        candidate = stem.with_name(f"{stem.name}-{number}")
    return candidate


def percentile(sorted_ms: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, round(q / 100 * len(sorted_ms) + 0.5 - 1e-9))
    return sorted_ms[min(rank, len(sorted_ms)) - 1]


def sample_numbers(count: int, rng: random.Random) -> list[str]:
    """Numbers of `count` random tickets (by random id, one query)."""
    from django.db.models import Max, Min

    from eenloket.tickets.models import Ticket

    bounds = Ticket.objects.aggregate(low=Min("id"), high=Max("id"))
    ids = {rng.randint(bounds["low"], bounds["high"]) for _ in range(count * 2)}
    numbers = list(Ticket.objects.filter(id__in=ids).values_list("number", flat=True))
    rng.shuffle(numbers)
    return numbers[:count]


def pages(rng: random.Random, requests: int) -> list[dict]:
    from django.test import Client

    from eenloket.directory.models import User

    def client_for(username: str | None) -> Client:
        # A failing page is reported in the table rather than ending the whole run.
        client = Client(raise_request_exception=False)
        if username:
            log_in(client, User.objects.get(username=username))
        return client

    first_line = client_for("servicedesk")
    specialist = client_for("specialist-it")
    numbers = sample_numbers(requests + WARM_UP, rng)
    return [
        {
            "page": "ceiling /api/v1/health",
            "client": client_for(None),
            "paths": ["/api/v1/health"],
        },
        {"page": "queue /werkplek/ (servicedesk)", "client": first_line, "paths": ["/werkplek/"]},
        {"page": "queue /werkplek/ (specialist-it)", "client": specialist, "paths": ["/werkplek/"]},
        {
            "page": "ticket /werkplek/meldingen/<nr>/ (servicedesk)",
            "client": first_line,
            "paths": [f"/werkplek/meldingen/{number}/" for number in numbers],
        },
    ]


class PageFailed(Exception):
    pass


def time_page(page: dict, requests: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each request, both sorted.

    CPU time (of this process: Python, templates, the database driver; not the database
    server's work) depends far less on what else the machine runs than the wall clock."""
    client, paths = page["client"], page["paths"]
    for i in range(WARM_UP):
        response = client.get(paths[i % len(paths)])
        if response.status_code != 200:
            raise PageFailed(f"{paths[i % len(paths)]} answered {response.status_code}")
    timings, cpu = [], []
    for i in range(requests):
        path = paths[(WARM_UP + i) % len(paths)]
        cpu_start = time.process_time_ns()
        start = time.perf_counter_ns()
        response = client.get(path)
        elapsed = time.perf_counter_ns() - start
        cpu.append((time.process_time_ns() - cpu_start) / 1e6)
        if response.status_code != 200:
            raise PageFailed(f"{path} answered {response.status_code}")
        timings.append(elapsed / 1e6)
    return sorted(timings), sorted(cpu)


def query_count(page: dict) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page["client"].get(page["paths"][0])  # a warm process (reference data: once a minute)
    with CaptureQueriesContext(connection) as queries:
        page["client"].get(page["paths"][0])
    return len(queries)


def measure(volume: int, rounds: int, requests: int, rng: random.Random) -> dict:
    from eenloket.tickets.models import OPEN_STATUSES, Ticket

    targets = pages(rng, requests)
    per_round: dict[str, list[tuple[float, float]]] = {t["page"]: [] for t in targets}
    cpu_per_round: dict[str, list[tuple[float, float]]] = {t["page"]: [] for t in targets}
    load_start = os.getloadavg()[0]
    failed: dict[str, str] = {}
    for number in range(1, rounds + 1):
        # Pages take turns within a round, so a slow minute of the machine hits all of them.
        for target in targets:
            if target["page"] in failed:
                continue
            try:
                timings, cpu = time_page(target, requests)
            except PageFailed as exc:
                print(f"  {target['page']}: {exc}; left out")
                failed[target["page"]] = str(exc)
                continue
            per_round[target["page"]].append((percentile(timings, 50), percentile(timings, 95)))
            cpu_per_round[target["page"]].append((percentile(cpu, 50), percentile(cpu, 95)))
        print(f"  round {number}/{rounds} done (load average {os.getloadavg()[0]:.1f})")
    if targets[0]["page"] in failed:
        raise SystemExit(f"The ceiling view failed: {failed[targets[0]['page']]}")
    ceiling_p50 = statistics.median(p50 for p50, _ in per_round[targets[0]["page"]])
    ceiling_p95 = statistics.median(p95 for _, p95 in per_round[targets[0]["page"]])
    results = []
    for target in targets:
        if target["page"] in failed:
            results.append({"page": target["page"], "error": failed[target["page"]]})
            continue
        rows = per_round[target["page"]]
        p50 = statistics.median(p for p, _ in rows)
        p95 = statistics.median(p for _, p in rows)
        cpu_rows = cpu_per_round[target["page"]]
        results.append(
            {
                "page": target["page"],
                "p50_ms": round(p50, 2),
                "p95_ms": round(p95, 2),
                "p50_x_ceiling": round(p50 / ceiling_p50, 1),
                "p95_x_ceiling": round(p95 / ceiling_p95, 1),
                "cpu_p50_ms": round(statistics.median(p for p, _ in cpu_rows), 2),
                "cpu_p95_ms": round(statistics.median(p for _, p in cpu_rows), 2),
                "queries": query_count(target),
                "rounds_p50_ms": [round(p, 2) for p, _ in rows],
                "rounds_p95_ms": [round(p, 2) for _, p in rows],
            }
        )
    return {
        "tickets": Ticket.objects.count(),
        "open_tickets": Ticket.objects.filter(status__in=OPEN_STATUSES).count(),
        "target_volume": volume,
        "rounds": rounds,
        "requests_per_round": requests,
        "warm_up_requests": WARM_UP,
        "load_average_1m": {"start": load_start, "end": os.getloadavg()[0]},
        "pages": results,
    }


# --- reporting -----------------------------------------------------------------------------


def label(volume: int) -> str:
    if volume % 1_000_000 == 0:
        return f"{volume // 1_000_000}m"
    if volume % 1_000 == 0:
        return f"{volume // 1_000}k"
    return str(volume)


def table(report: dict) -> str:
    lines = [
        f"Tickets: {report['tickets']:,} ({report['open_tickets']:,} open) — "
        f"{report['rounds']} rounds x {report['requests_per_round']} requests, "
        "median of the rounds' percentiles; load average (1 min) "
        f"{report['load_average_1m']['start']:.1f} at the start, "
        f"{report['load_average_1m']['end']:.1f} at the end",
        "",
        "| page | p50 ms | p95 ms | p50 x ceiling | p95 x ceiling | CPU p50 ms | CPU p95 ms "
        "| queries |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in report["pages"]:
        if "error" in row:
            lines.append(f"| {row['page']} | failed: {row['error']} | | | | | | |")
            continue
        flag = " ⚠" if row["p95_ms"] > TARGET_P95_MS else ""
        lines.append(
            f"| {row['page']} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f}{flag} | "
            f"{row['p50_x_ceiling']:.1f} | {row['p95_x_ceiling']:.1f} | "
            f"{row['cpu_p50_ms']:.1f} | {row['cpu_p95_ms']:.1f} | {row['queries']} |"
        )
    return "\n".join(lines)


def write(report: dict, tag: str = "") -> Path:
    RESULTS.mkdir(exist_ok=True)
    suffix = f"-{tag}" if tag else ""
    stem = RESULTS / f"{report['date'][:10]}-{label(report['target_volume'])}{suffix}"
    stem = free_stem(stem)
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    m = report["machine"]
    stem.with_suffix(".md").write_text(
        f"# Benchmark {report['date'][:10]}, {label(report['target_volume'])} tickets\n\n"
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM; Python "
        f"{m['python']}, Django {m['django']}, PostgreSQL {m['postgresql']}.\n"
        "Server side, in-process (Django test Client): middleware, database, templates. "
        "CPU: this process's CPU time per request (not the database server's).\n\n"
        f"{table(report)}\n"
    )
    return stem


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    setup_django()
    info = machine()
    print(
        f"{info['cpu']}, {info['cores']} cores, {info['ram_gib']} GiB; Python {info['python']}, "
        f"Django {info['django']}, PostgreSQL {info['postgresql']}"
    )
    rng = random.Random(args.seed)
    for volume in args.volumes:
        if not args.skip_seed:
            seed_up_to(volume, args.seed)
        print(f"Measuring at {volume:,} tickets ...")
        report = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": info,
            **measure(volume, args.rounds, args.requests, rng),
        }
        print(table(report))
        print(f"Written: {write(report, args.tag)}.json / .md\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
