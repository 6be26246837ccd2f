"""The REST API under load: tickets opened per second, and list/read latency, on PostgreSQL.

    .venv/bin/python bench/api.py [--volume 100000] [--rounds 3] [--seconds 10] [--clients 8]
                                  [--workers N] [--requests 200] [--skip-seed]

Seeds the database up to --volume tickets (`eenloket seed`), makes a first-line API key and
starts `eenloket serve` (gunicorn) on a free local port. Each round then runs, with --clients
concurrent client processes in a closed loop for --seconds each:

  trivial   GET /api/v1/health (no auth, one SELECT 1): the server's ceiling
  open      POST /api/v1/tickets with a Bearer key and a fresh Idempotency-Key per request

and, one request at a time, --requests timed requests of

  list      GET /api/v1/tickets?limit=50 (first line: open tickets, soonest due first)
  read      GET /api/v1/tickets/<nr> (a random ticket each time)

both over HTTP to the same server (client-measured, loopback) and in-process with Django's
test client (server side: middleware, auth, database, JSON; no network), as bench/run.py
measures the pages. The report gives medians over the rounds, the ratio of opening to the
trivial endpoint (target: at least 40%) and the p95 of list and read (target: under 30 ms
server side). Results go to bench/results/<date>-api-<volume>.json/.md. See bench/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

# bench/run.py: database set-up, seeding, machine description, percentiles.
import run as pages_bench

RESULTS = Path(__file__).resolve().parent / "results"
TARGET_OPEN_RATIO = 0.40
TARGET_P95_MS = 30.0
WARM_UP = 20


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    positive = pages_bench.positive_int
    parser.add_argument("--volume", type=positive, default=100_000, help="tickets to seed up to")
    parser.add_argument("--rounds", type=positive, default=3)
    parser.add_argument("--seconds", type=positive, default=10, help="per load phase")
    parser.add_argument("--clients", type=positive, default=8, help="concurrent clients")
    parser.add_argument("--workers", type=positive, default=None, help="gunicorn workers")
    parser.add_argument("--requests", type=positive, default=200, help="timed list/read")
    parser.add_argument("--skip-seed", action="store_true", help="measure what is there")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--tag", default="", help="added to the result files' names (keeps an earlier run)"
    )
    return parser.parse_args(argv)


# --- the load (client processes; no Django in here) ---------------------------------------


def _request(port: int, method: str, path: str, body: bytes | None, headers: dict) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _load_client(job: dict) -> dict:
    """One client in a closed loop until the phase ends; counts the answers it got."""
    rng = random.Random(job["seed"])
    while time.time() < job["start_at"]:
        time.sleep(0.001)
    ok = failed = 0
    statuses: dict[int, int] = {}
    end = job["start_at"] + job["seconds"]
    while time.time() < end:
        headers = dict(job["headers"])
        body = None
        if job["method"] == "POST":
            template = rng.choice(job["bodies"])
            body = json.dumps(template).encode()
            headers["Idempotency-Key"] = f"bench-{job['seed']}-{ok + failed}"
        status = _request(job["port"], job["method"], job["path"], body, headers)
        statuses[status] = statuses.get(status, 0) + 1
        if status in job["expect"]:
            ok += 1
        else:
            failed += 1
    return {"ok": ok, "failed": failed, "statuses": statuses}


def _process_cpu(pid: int | str) -> tuple[str, int] | None:
    """A process's name and its user + system CPU time in clock ticks, from /proc; None when
    it has ended."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name, rest = stat.split("(", 1)[1].rsplit(")", 1)
    fields = rest.split()
    return name, int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)


def process_tree_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its living descendants (the server's master
    and workers), from /proc; the database server's own work is not in it."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        cpu = _process_cpu(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        if cpu is not None:
            total += cpu[1]
        pending += [int(child) for child in children]
    return total / os.sysconf("SC_CLK_TCK")


def database_cpu_seconds() -> float | None:
    """User + system CPU time of this machine's PostgreSQL processes (the postmaster, its
    background processes and the server's connections); None when the database is elsewhere."""
    import dj_database_url

    host = dj_database_url.parse(os.environ["DATABASE_URL"])["HOST"] or "localhost"
    if host not in ("localhost", "127.0.0.1", "::1") and not host.startswith("/"):
        return None
    processes = (_process_cpu(p.name) for p in Path("/proc").iterdir() if p.name.isdigit())
    total = sum(ticks for name, ticks in filter(None, processes) if name.startswith("postgres"))
    return total / os.sysconf("SC_CLK_TCK")


def machine_busy_jiffies() -> tuple[int, int]:
    """(busy, all) CPU time of the whole machine so far, from /proc/stat (idle and iowait are
    not busy)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(values) - values[3] - values[4], sum(values)


def throughput(pool, *, port: int, clients: int, seconds: int, server_pid: int, **phase) -> dict:
    cpu_before = process_tree_cpu_seconds(server_pid)
    database_before = database_cpu_seconds()
    busy_before, all_before = machine_busy_jiffies()
    start_at = time.time() + 0.5
    jobs = [
        {**phase, "port": port, "seconds": seconds, "start_at": start_at, "seed": n * 7919 + 1}
        for n in range(clients)
    ]
    jobs = [{**job, "seed": job["seed"] + int(start_at)} for job in jobs]
    results = pool.map(_load_client, jobs)
    cpu = process_tree_cpu_seconds(server_pid) - cpu_before
    database_after = database_cpu_seconds()
    busy_after, all_after = machine_busy_jiffies()
    ok = sum(r["ok"] for r in results)
    answered = ok + sum(r["failed"] for r in results)
    statuses: dict[str, int] = {}
    for result in results:
        for status, count in result["statuses"].items():
            statuses[str(status)] = statuses.get(str(status), 0) + count
    return {
        "per_second": ok / seconds,
        "ok": ok,
        "statuses": statuses,
        # CPU of the web server per answered request: far less sensitive to the machine's
        # other work than requests per second
        "server_cpu_ms": cpu * 1000 / answered if answered else None,
        # PostgreSQL's share of the same two cores, and how much of the machine was in use:
        # below 100% the requests waited for something other than CPU (a lock, a commit)
        "database_cpu_ms": (
            (database_after - database_before) * 1000 / answered
            if answered and database_before is not None and database_after is not None
            else None
        ),
        "machine_busy": (busy_after - busy_before) / max(1, all_after - all_before),
    }


def http_latency(port: int, paths: list[str], headers: dict) -> list[float]:
    for path in paths[:WARM_UP]:
        _request(port, "GET", path, None, headers)
    timings = []
    for path in paths[WARM_UP:]:
        start = time.perf_counter_ns()
        status = _request(port, "GET", path, None, headers)
        timings.append((time.perf_counter_ns() - start) / 1e6)
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}")
    return sorted(timings)


# --- set-up (Django, in the main process) -------------------------------------------------


def prepare(rng: random.Random, requests: int) -> dict:
    from django.db.models import Count, Q

    from eenloket.catalog.models import Service
    from eenloket.directory.models import Person
    from eenloket.directory.roles import Role
    from eenloket.integrations import services

    _key, raw_key = services.apikey_create(
        actor=None,
        name=f"bench {datetime.now(UTC):%Y-%m-%d %H:%M}",
        role=Role.FIRST_LINE,
        rate_limit_per_minute=1_000_000_000,
    )
    # Services whose request form asks nothing required: the body stays the same for all.
    plain = list(
        Service.objects.filter(is_active=True)
        .annotate(required=Count("form_fields", filter=Q(form_fields__required=True)))
        .filter(required=0)
        .values_list("pk", flat=True)[:20]
    )
    people = list(Person.objects.filter(is_active=True).values_list("pk", flat=True)[:500])
    if not plain or not people:
        raise SystemExit("No services or people to open tickets with: seed the database first.")
    bodies = [
        {
            "service_id": rng.choice(plain),
            "requester_id": rng.choice(people),
            "title": f"Benchmark {n}",
            "description": "Geopend door bench/api.py.",
        }
        for n in range(200)
    ]
    numbers = pages_bench.sample_numbers(requests + WARM_UP, rng)
    return {"key": raw_key, "bodies": bodies, "numbers": numbers}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int | None) -> subprocess.Popen:
    env = {
        **os.environ,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        # `eenloket serve` refuses to start without the hosts it answers to.
        "ALLOWED_HOSTS": os.environ.get("ALLOWED_HOSTS") or "127.0.0.1,localhost",
        "DJANGO_SETTINGS_MODULE": "eenloket.settings",
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "django", "serve", "--port", str(port)]
    if workers:
        command += ["--workers", str(workers)]
    server = subprocess.Popen(
        command,
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit(f"eenloket serve stopped: {server.stderr.read().decode()[-2000:]}")
        try:
            if _request(port, "GET", "/api/v1/health", None, {}) == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("eenloket serve did not answer within a minute")


def in_process_latency(paths: list[str], raw_key: str) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per request (sorted), in this process."""
    from django.test import Client

    client = Client(headers={"authorization": f"Bearer {raw_key}"})
    for path in paths[:WARM_UP]:
        client.get(path)
    timings, cpu = [], []
    for path in paths[WARM_UP:]:
        cpu_start = time.process_time_ns()
        start = time.perf_counter_ns()
        response = client.get(path)
        timings.append((time.perf_counter_ns() - start) / 1e6)
        cpu.append((time.process_time_ns() - cpu_start) / 1e6)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code} in process")
    return sorted(timings), sorted(cpu)


def query_count(path: str, raw_key: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(headers={"authorization": f"Bearer {raw_key}"})
    client.get(path)  # a warm process: reference data is reloaded once a minute, not per request
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return len(queries)


def percentiles(timings: list[float]) -> dict:
    return {f"p{q}": pages_bench.percentile(timings, q) for q in (50, 95, 99)}


def median_or_none(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(statistics.median(known), 3) if known else None


def median_of(rounds: list[dict]) -> dict:
    return {key: round(statistics.median(r[key] for r in rounds), 2) for key in rounds[0]}


def measure(args: argparse.Namespace) -> dict:
    from eenloket.tickets.models import Ticket

    rng = random.Random(args.seed)
    data = prepare(rng, args.requests)
    auth = {"Authorization": f"Bearer {data['key']}"}
    list_paths = ["/api/v1/tickets?limit=50"] * (args.requests + WARM_UP)
    read_paths = [f"/api/v1/tickets/{n}" for n in data["numbers"]]
    port = free_port()
    server = start_server(port, args.workers)
    rounds: list[dict] = []
    try:
        with multiprocessing.get_context("spawn").Pool(args.clients) as pool:
            for number in range(1, args.rounds + 1):
                load = {
                    "port": port,
                    "clients": args.clients,
                    "seconds": args.seconds,
                    "server_pid": server.pid,
                }
                trivial = throughput(
                    pool, **load, method="GET", path="/api/v1/health", headers={},
                    bodies=[], expect={200},
                )  # fmt: skip
                opened = throughput(
                    pool, **load, method="POST", path="/api/v1/tickets",
                    headers={**auth, "Content-Type": "application/json"},
                    bodies=data["bodies"], expect={201},
                )  # fmt: skip
                list_server, list_cpu = in_process_latency(list_paths, data["key"])
                read_server, read_cpu = in_process_latency(read_paths, data["key"])
                rounds.append(
                    {
                        "trivial_per_second": trivial["per_second"],
                        "open_per_second": opened["per_second"],
                        "open_statuses": opened["statuses"],
                        "trivial_server_cpu_ms": trivial["server_cpu_ms"],
                        "open_server_cpu_ms": opened["server_cpu_ms"],
                        "trivial_database_cpu_ms": trivial["database_cpu_ms"],
                        "open_database_cpu_ms": opened["database_cpu_ms"],
                        "trivial_machine_busy": trivial["machine_busy"],
                        "open_machine_busy": opened["machine_busy"],
                        "list_http": percentiles(http_latency(port, list_paths, auth)),
                        "read_http": percentiles(http_latency(port, read_paths, auth)),
                        "list_server": percentiles(list_server),
                        "read_server": percentiles(read_server),
                        "list_cpu": percentiles(list_cpu),
                        "read_cpu": percentiles(read_cpu),
                        "load_average_1m": os.getloadavg()[0],
                    }
                )
                last = rounds[-1]
                print(
                    f"  round {number}/{args.rounds}: trivial {last['trivial_per_second']:.0f}/s, "
                    f"open {last['open_per_second']:.0f}/s, list p95 "
                    f"{last['list_server']['p95']:.1f} ms, read p95 "
                    f"{last['read_server']['p95']:.1f} ms (server side); "
                    f"load average {last['load_average_1m']:.1f}"
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    trivial = statistics.median(r["trivial_per_second"] for r in rounds)
    opened = statistics.median(r["open_per_second"] for r in rounds)
    return {
        "tickets": Ticket.objects.count(),
        "target_volume": args.volume,
        "rounds": args.rounds,
        "seconds_per_phase": args.seconds,
        "clients": args.clients,
        "workers": args.workers or "serve default",
        "timed_requests": args.requests,
        "trivial_per_second": round(trivial, 1),
        "open_per_second": round(opened, 1),
        "open_to_trivial": round(opened / trivial, 3),
        "trivial_server_cpu_ms": round(
            statistics.median(r["trivial_server_cpu_ms"] for r in rounds), 2
        ),
        "open_server_cpu_ms": round(statistics.median(r["open_server_cpu_ms"] for r in rounds), 2),
        **{
            f"{phase}_{figure}": median_or_none([r[f"{phase}_{figure}"] for r in rounds])
            for phase in ("trivial", "open")
            for figure in ("database_cpu_ms", "machine_busy")
        },
        "list_cpu_ms": median_of([r["list_cpu"] for r in rounds]),
        "read_cpu_ms": median_of([r["read_cpu"] for r in rounds]),
        "list_server_ms": median_of([r["list_server"] for r in rounds]),
        "read_server_ms": median_of([r["read_server"] for r in rounds]),
        "list_http_ms": median_of([r["list_http"] for r in rounds]),
        "read_http_ms": median_of([r["read_http"] for r in rounds]),
        "list_queries": query_count(list_paths[0], data["key"]),
        "read_queries": query_count(read_paths[0], data["key"]),
        "per_round": rounds,
    }


def table(report: dict) -> str:
    ratio_flag = "" if report["open_to_trivial"] >= TARGET_OPEN_RATIO else " ⚠"
    lines = [
        f"Tickets: {report['tickets']:,}; {report['clients']} clients, "
        f"{report['seconds_per_phase']} s per phase, workers: {report['workers']}; "
        f"medians of {report['rounds']} rounds",
        "",
        "| throughput | requests/s |",
        "|---|---:|",
        f"| trivial GET /api/v1/health | {report['trivial_per_second']:.0f} |",
        f"| open POST /api/v1/tickets | {report['open_per_second']:.0f} |",
        f"| open / trivial | {report['open_to_trivial']:.0%}{ratio_flag} (target ≥ 40%) |",
        "",
        "| web server CPU per request (gunicorn master and workers; not PostgreSQL) | ms |",
        "|---|---:|",
        f"| trivial | {report['trivial_server_cpu_ms']:.2f} |",
        f"| open | {report['open_server_cpu_ms']:.2f} |",
        f"| trivial / open (the throughput ratio if CPU were all) | "
        f"{report['trivial_server_cpu_ms'] / report['open_server_cpu_ms']:.0%} |",
        "",
        *database_table(report),
        "| latency (ms) | p50 | p95 | p99 | queries |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, key, queries in (
        ("list, server side", "list_server_ms", report["list_queries"]),
        ("read, server side", "read_server_ms", report["read_queries"]),
        ("list, over HTTP", "list_http_ms", ""),
        ("read, over HTTP", "read_http_ms", ""),
    ):
        row = report[key]
        flag = " ⚠" if "server" in key and row["p95"] > TARGET_P95_MS else ""
        lines.append(
            f"| {name} | {row['p50']:.1f} | {row['p95']:.1f}{flag} | {row['p99']:.1f} | {queries} |"
        )
    lines += [
        "",
        "| CPU time in process (ms) | p50 | p95 | p99 |",
        "|---|---:|---:|---:|",
    ]
    for name, key in (("list", "list_cpu_ms"), ("read", "read_cpu_ms")):
        row = report[key]
        lines.append(f"| {name} | {row['p50']:.1f} | {row['p95']:.1f} | {row['p99']:.1f} |")
    return "\n".join(lines)


def database_table(report: dict) -> list[str]:
    """Web server and PostgreSQL CPU per request side by side, with how busy the machine was;
    nothing when PostgreSQL runs on another machine."""
    if report.get("open_database_cpu_ms") is None or report.get("trivial_database_cpu_ms") is None:
        return []
    lines = [
        "| CPU per request (ms) | web server | PostgreSQL | both | machine busy |",
        "|---|---:|---:|---:|---:|",
    ]
    for phase in ("trivial", "open"):
        web, database = report[f"{phase}_server_cpu_ms"], report[f"{phase}_database_cpu_ms"]
        lines.append(
            f"| {phase} | {web:.2f} | {database:.2f} | {web + database:.2f} | "
            f"{report[f'{phase}_machine_busy']:.0%} |"
        )
    return [*lines, ""]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DATABASE_URL", pages_bench.DEFAULT_URL)
    pages_bench.setup_django()
    if not args.skip_seed:
        pages_bench.seed_up_to(args.volume, args.seed)
    print(f"Measuring the API at {args.volume:,} tickets ...")
    load_before = os.getloadavg()
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "benchmark": "bench/api.py",
        "machine": pages_bench.machine(),
        **measure(args),
    }
    # On a shared machine the other work is the largest error: say how busy it was.
    report["load_average_1m"] = {"start": load_before[0], "end": os.getloadavg()[0]}
    RESULTS.mkdir(exist_ok=True)
    suffix = f"-{args.tag}" if args.tag else ""
    stem = RESULTS / f"{report['date'][:10]}-api-{pages_bench.label(args.volume)}{suffix}"
    stem = pages_bench.free_stem(stem)
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    text = table(report)
    machine = report["machine"]
    stem.with_suffix(".md").write_text(
        f"# API benchmark, {report['date']}\n\n{machine['cpu']}, {machine['cores']} cores, "
        f"Python {machine['python']}, Django {machine['django']}, "
        f"PostgreSQL {machine['postgresql']}; load average (1 min) "
        f"{report['load_average_1m']['start']:.1f} at the start, "
        f"{report['load_average_1m']['end']:.1f} at the end\n\n{text}\n"
    )
    print(text)
    print(f"Written to {stem}.json and .md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
