"""Telephone-exchange events handled per second: `POST /api/v1/cti/<token>` in-process.

    python bench/cti.py [--database sqlite|postgres] [--rounds 5] [--calls 300]
    python bench/cti.py --server [--database sqlite|postgres] [--clients 4] [--seconds 10]

Each round plays --calls calls of three events each (newCall, answer, hangup; the caller
is a known person, the call rings for an agent) through Django's WSGI handler, called as
gunicorn calls it: URL routing, middleware, the ninja router, token check, caller
identification and the database writes; no network. The ceiling is /api/v1/health (one
SELECT 1) timed in the same round; a first 100 calls warm the process up and are not
counted. The report gives the median over the rounds of events
per second and its ratio to the ceiling, and the queries per event (and per event type),
and the CPU time per event and per ceiling request (of this process; with --server of
gunicorn's processes), which follows the code more than wall time does on a shared
machine. Results go to bench/results/<date>-cti-<database>[-server][-<tag>].json/.md.

With --server the same three-event calls go over HTTP to `eenloket serve` (gunicorn, as in
production) from --clients client processes in a closed loop for --seconds per round, each
client playing its own calls in order, as an exchange does; the ceiling is the same clients
on /api/v1/health against the same server in the same round.

SQLite uses a fresh file under a temporary directory; PostgreSQL uses DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/eenloket_phone_bench), created and migrated if missing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/eenloket_phone_bench"
TARGET = 500.0
WARM_UP_CALLS = 100


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rounds", type=positive_int, default=5)
    parser.add_argument("--calls", type=positive_int, default=300, help="calls per round")
    parser.add_argument(
        "--server", action="store_true", help="over HTTP to eenloket serve (gunicorn)"
    )
    parser.add_argument("--clients", type=positive_int, default=4, help="with --server")
    parser.add_argument("--seconds", type=positive_int, default=10, help="with --server")
    parser.add_argument("--workers", type=positive_int, default=None, help="gunicorn workers")
    parser.add_argument(
        "--tag",
        default="",
        help="added to the result file names and the report (e.g. before, after-upsert)",
    )
    return parser.parse_args(argv)


def set_up(database: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "eenloket.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if database == "sqlite":
        folder = tempfile.mkdtemp(prefix="eenloket-cti-bench-")
        os.environ["EENLOKET_VAR_DIR"] = folder
        os.environ.pop("DATABASE_URL", None)
    else:
        url = os.environ.get("DATABASE_URL") or DEFAULT_PG
        os.environ["DATABASE_URL"] = url
        _ensure_postgres(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _ensure_postgres(url: str) -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    params = {"host": config["HOST"] or None, "port": config["PORT"] or None}
    params |= {"user": config["USER"] or None, "password": config["PASSWORD"] or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))


def machine(database: str) -> dict:
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
    with connection.cursor() as cursor:
        if database == "postgres":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": get_version(),
        database: version,
        # Other work on the machine slows every figure; the ratio to the ceiling less so.
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
    }


class Wsgi:
    """Django's WSGI handler called as gunicorn calls it, one environ per request.

    Not the test Client: its instrumentation (signals connected per request, the request's
    copy kept on the response) costs about a third of a health check, which no server pays.
    """

    def __init__(self):
        from django.core.handlers.wsgi import WSGIHandler

        self.application = WSGIHandler()

    def post(self, path: str, data: dict, content_type: str = "application/json"):
        return self.request("POST", path, json.dumps(data).encode(), content_type)

    def get(self, path: str):
        return self.request("GET", path)

    def request(self, method: str, path: str, body: bytes = b"", content_type: str = ""):
        import io

        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1:8000",
            "CONTENT_TYPE": content_type,
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        started = []
        chunks = self.application(
            environ, lambda status, headers, exc_info=None: started.append(status)
        )
        try:
            content = b"".join(chunks)
        finally:
            chunks.close()
        return Answer(int(started[0][:3]), content)


class Answer:
    def __init__(self, status_code: int, content: bytes):
        self.status_code, self.content = status_code, content


def measure(
    client, token: str, calls: int, round_number: int
) -> tuple[float, float, float, float, float]:
    """(events per second, ceiling requests per second, queries per event, CPU ms per event,
    CPU ms per ceiling request). CPU time follows the code more than wall time does on a
    shared machine."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/api/v1/cti/{token}"
    prefix = f"r{round_number}-{time.time_ns()}"
    events = []
    for index in range(calls):
        call_id = f"{prefix}-{index}"
        base = {
            "callId": call_id,
            "direction": "in",
            "from": "078-123 45 67",
            "to": "+31788001000",
            "queue": "servicedesk",
        }
        events.append({**base, "event": "newCall", "user": ["bench-agent"]})
        events.append({**base, "event": "answer", "user": "bench-agent"})
        events.append({**base, "event": "hangup", "cause": "normalClearing"})
    started, cpu = time.perf_counter(), time.process_time()
    for event in events:
        response = client.post(url, event, content_type="application/json")
        if response.status_code != 200:
            raise SystemExit(f"event failed: {response.status_code} {response.content[:200]!r}")
    elapsed = time.perf_counter() - started
    cpu_ms = (time.process_time() - cpu) * 1000 / len(events)
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(len(events)):
        client.get("/api/v1/health")
    ceiling = len(events) / (time.perf_counter() - started)
    ceiling_cpu_ms = (time.process_time() - cpu) * 1000 / len(events)
    with CaptureQueriesContext(connection) as captured:
        for event in events[:3]:
            client.post(
                url, {**event, "callId": event["callId"] + "-q"}, content_type="application/json"
            )
    queries = len(captured.captured_queries) / 3
    return len(events) / elapsed, ceiling, queries, cpu_ms, ceiling_cpu_ms


def _exchange_client(job: dict) -> dict:
    """One exchange line in a closed loop: newCall, answer, hangup, next call (no Django)."""
    import http.client

    def post(body: dict) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", job["port"], timeout=60)
        try:
            if body:
                data = json.dumps(body).encode()
                connection.request(
                    "POST", job["url"], body=data, headers={"Content-Type": "application/json"}
                )
            else:
                connection.request("GET", "/api/v1/health")
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    while time.time() < job["start_at"]:
        time.sleep(0.001)
    end = job["start_at"] + job["seconds"]
    ok = failed = calls = 0
    while time.time() < end:
        if job["ceiling"]:
            sequence = [{}]
        else:
            calls += 1
            base = {
                "callId": f"{job['prefix']}-{calls}",
                "direction": "in",
                "from": "078-123 45 67",
                "to": "+31788001000",
                "queue": "servicedesk",
            }
            sequence = [
                {**base, "event": "newCall", "user": ["bench-agent"]},
                {**base, "event": "answer", "user": "bench-agent"},
                {**base, "event": "hangup", "cause": "normalClearing"},
            ]
        for body in sequence:
            if post(body) == 200:
                ok += 1
            else:
                failed += 1
    return {"ok": ok, "failed": failed}


def _tree_cpu_seconds(root: int) -> float:
    """User + system CPU of a process and its descendants (the gunicorn master and workers)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [child for child, parent in parents.items() if parent == pid]
        tree.update(children)
        frontier.extend(children)
    return sum(times.get(pid, 0.0) for pid in tree)


def measure_server(
    pool, server_pid: int, port: int, token: str, args, round_number: int
) -> tuple[float, float, float, float]:
    """(events per second, ceiling requests per second, server CPU ms per event, per ceiling
    request) over HTTP with args.clients clients."""
    results = {}
    cpu = {}
    for ceiling in (False, True):
        start_at = time.time() + 0.5
        jobs = [
            {
                "port": port,
                "url": f"/api/v1/cti/{token}",
                "prefix": f"s{round_number}-{client}-{time.time_ns()}",
                "start_at": start_at,
                "seconds": args.seconds,
                "ceiling": ceiling,
            }
            for client in range(args.clients)
        ]
        before = _tree_cpu_seconds(server_pid)
        answers = pool.map(_exchange_client, jobs)
        spent = _tree_cpu_seconds(server_pid) - before
        failed = sum(a["failed"] for a in answers)
        if failed:
            raise SystemExit(f"{failed} requests failed (ceiling={ceiling})")
        done = sum(a["ok"] for a in answers)
        results[ceiling] = done / args.seconds
        cpu[ceiling] = spent * 1000 / max(done, 1)
    return results[False], results[True], cpu[False], cpu[True]


def main(argv=None) -> int:
    args = parse_args(argv)
    set_up(args.database)
    from django.contrib.auth import get_user_model

    from eenloket.channels.phone import services
    from tests.factories import OrganizationFactory, PersonFactory

    get_user_model().objects.get_or_create(username="bench-agent", defaults={"role": "first_line"})
    PersonFactory(organization=OrganizationFactory(name="Gemeente Bench"), phone="+31781234567")
    token = services.cti_token_create(actor=None, name="bench")[1]
    client = Wsgi()
    rounds = []
    if args.server:
        return main_server(args, token, client)
    print(
        f"CTI events per second on {args.database}: {args.rounds} rounds of "
        f"{args.calls} calls ({args.calls * 3} events), after a warm-up of {WARM_UP_CALLS} "
        "calls that is not counted"
    )
    # A server answers events warm: the first requests of a process load translations,
    # compose statements and fill caches (round 1 was a third slower than the rest).
    measure(client, token, WARM_UP_CALLS, 0)
    for number in range(1, args.rounds + 1):
        rate, ceiling, queries, cpu_ms, ceiling_cpu_ms = measure(client, token, args.calls, number)
        rounds.append(
            {
                "events_per_second": rate,
                "ceiling_per_second": ceiling,
                "queries_per_event": queries,
                "cpu_ms_per_event": cpu_ms,
                "cpu_ms_per_ceiling_request": ceiling_cpu_ms,
            }
        )
        print(
            f"  round {number}: {rate:7.0f} events/s  (ceiling {ceiling:6.0f} req/s, "
            f"{queries:.1f} queries/event, CPU {cpu_ms:.2f} ms/event, "
            f"{ceiling_cpu_ms:.2f} ms/ceiling request)"
        )
    extra = {"calls_per_round": args.calls, "events_per_round": args.calls * 3}
    return report(args, rounds, extra, queries_per_event_type(client, token))


def main_server(args, token: str, client) -> int:
    import multiprocessing

    from api import free_port, start_server
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The queries per event, measured in process on the same code.
    with CaptureQueriesContext(connection) as captured:
        measure_calls = [
            # A call id of its own each run: a known one (PostgreSQL keeps its database
            # between runs) would be a repeated newCall, which writes less.
            {
                "callId": f"q-server-{time.time_ns()}",
                "direction": "in",
                "from": "078-123 45 67",
                "to": "+3178",
            }
        ]
        for event in ("newCall", "answer", "hangup"):
            client.post(
                f"/api/v1/cti/{token}",
                {**measure_calls[0], "event": event, "user": "bench-agent"},
                content_type="application/json",
            )
    queries = len(captured.captured_queries) / 3
    queries_by_event = queries_per_event_type(client, token)
    connection.close()
    port = free_port()
    server = start_server(port, args.workers)
    rounds = []
    print(
        f"CTI events per second on {args.database} over HTTP (eenloket serve, workers: "
        f"{args.workers or 'serve default'}): {args.rounds} rounds of {args.seconds} s with "
        f"{args.clients} exchange clients"
    )
    try:
        with multiprocessing.get_context("spawn").Pool(args.clients) as pool:
            # Not counted: the workers' first requests (see main) and the clients' start.
            warm_up = argparse.Namespace(**{**vars(args), "seconds": 2})
            measure_server(pool, server.pid, port, token, warm_up, 0)
            for number in range(1, args.rounds + 1):
                rate, ceiling, cpu_ms, ceiling_cpu_ms = measure_server(
                    pool, server.pid, port, token, args, number
                )
                rounds.append(
                    {
                        "events_per_second": rate,
                        "ceiling_per_second": ceiling,
                        "queries_per_event": queries,
                        "cpu_ms_per_event": cpu_ms,
                        "cpu_ms_per_ceiling_request": ceiling_cpu_ms,
                    }
                )
                print(
                    f"  round {number}: {rate:7.0f} events/s  (ceiling {ceiling:6.0f} req/s, "
                    f"{queries:.1f} queries/event, server CPU {cpu_ms:.2f} ms/event, "
                    f"{ceiling_cpu_ms:.2f} ms/ceiling request)"
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    extra = {
        "mode": "server",
        "clients": args.clients,
        "seconds_per_round": args.seconds,
        "workers": args.workers or "serve default",
    }
    return report(args, rounds, extra, queries_by_event)


def queries_per_event_type(client, token: str) -> dict[str, int]:
    """Statements per event (transaction control included) for one known caller's call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    base = {"callId": f"q-{time.time_ns()}", "direction": "in", "from": "078-123 45 67"}
    base |= {"to": "+31788001000", "queue": "servicedesk"}
    counts = {}
    for event, extra in (
        ("newCall", {"user": ["bench-agent"]}),
        ("answer", {"user": "bench-agent"}),
        ("hangup", {"cause": "normalClearing"}),
    ):
        with CaptureQueriesContext(connection) as captured:
            client.post(
                f"/api/v1/cti/{token}",
                {**base, **extra, "event": event},
                content_type="application/json",
            )
        counts[event] = len(captured.captured_queries)
    return counts


def report(args, rounds: list[dict], extra: dict, queries_by_event: dict[str, int]) -> int:
    rate = statistics.median(r["events_per_second"] for r in rounds)
    ceiling = statistics.median(r["ceiling_per_second"] for r in rounds)
    cpu_ms = statistics.median(r["cpu_ms_per_event"] for r in rounds)
    ceiling_cpu_ms = statistics.median(r["cpu_ms_per_ceiling_request"] for r in rounds)
    mode = "server" if args.server else "in-process"
    cpu_of = "the server's processes" if args.server else "the benchmark process"
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": args.database,
        "mode": mode,
        **extra,
        "median_events_per_second": round(rate, 1),
        "median_ceiling_per_second": round(ceiling, 1),
        "ratio_to_ceiling": round(rate / ceiling, 3),
        "median_cpu_ms_per_event": round(cpu_ms, 3),
        "median_cpu_ms_per_ceiling_request": round(ceiling_cpu_ms, 3),
        "queries_per_event": rounds[-1]["queries_per_event"],
        "queries_by_event": queries_by_event,
        "target_events_per_second": TARGET,
        "meets_target": rate >= TARGET,
        "tag": args.tag,
        "rounds": rounds,
        "machine": machine(args.database),
    }
    RESULTS.mkdir(exist_ok=True)
    suffix = ("-server" if args.server else "") + (f"-{args.tag}" if args.tag else "")
    stem = RESULTS / f"{datetime.now(UTC):%Y-%m-%d}-cti-{args.database}{suffix}"
    from run import free_stem  # bench/run.py

    stem = free_stem(stem)
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
    by_event = ", ".join(f"{name} {count}" for name, count in queries_by_event.items())
    stem.with_suffix(".md").write_text(
        f"# CTI events per second, {args.database}, {mode}"
        f"{f' ({args.tag})' if args.tag else ''}, {result['date']}\n\n"
        f"| figure | value |\n|---|---|\n"
        f"| events per second (median of {args.rounds} rounds) | {rate:.0f} |\n"
        f"| ceiling /api/v1/health per second | {ceiling:.0f} |\n"
        f"| ratio to ceiling | {rate / ceiling:.2f} |\n"
        f"| CPU per event ({cpu_of}) | {cpu_ms:.2f} ms |\n"
        f"| CPU per ceiling request | {ceiling_cpu_ms:.2f} ms |\n"
        f"| queries per event | {result['queries_per_event']:.1f} ({by_event}) |\n"
        f"| target | {TARGET:.0f}/s: {'met' if rate >= TARGET else 'NOT met'} |\n\n"
        f"Machine: {result['machine']['cpu']}, {result['machine']['cores']} cores, "
        f"Python {result['machine']['python']}, Django {result['machine']['django']}, "
        f"{args.database} {result['machine'][args.database]}, load average "
        f"{result['machine']['load_average_1_5_15']} (1, 5, 15 min) at the end of the run.\n"
    )
    print(
        f"Median: {rate:.0f} events/s, {rate / ceiling:.2f} of the ceiling "
        f"({ceiling:.0f} req/s); target {TARGET:.0f}/s {'met' if rate >= TARGET else 'NOT met'}."
    )
    print(
        f"CPU ({cpu_of}): {cpu_ms:.2f} ms per event, {ceiling_cpu_ms:.2f} ms per ceiling "
        f"request; statements per event: {by_event}."
    )
    print(f"Written: {stem.with_suffix('.json')} and .md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
