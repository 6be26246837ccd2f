"""Server-side latency of knowledge search with 10,000 articles (and optionally 1M tickets),
on PostgreSQL.

    .venv/bin/python bench/knowledge.py [--articles 10000] [--tickets 0] [--rounds 5]
                                        [--requests 200]

Fills the database up to --articles published articles (the demo's ~90 articles, then
synthetic variants of them: other words mixed in, every department, both audiences), and,
with --tickets N, up to N tickets (`eenloket seed`). Then times, in-process with Django's
test Client as bench/run.py does: the search function alone (selectors.article_search), the
staff search page, the portal search page, the search API, the ticket page with its knowledge
panel (when there are tickets) and the trivial ceiling view. Queries cycle through the 56
relevance questions of tests/knowledge/relevance.py and typo/unfinished-word queries.
Results: bench/results/<date>-knowledge-<articles>.json/.md. See bench/README.md.
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
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import run as common  # bench/run.py: database set-up, machine, percentiles

TARGET_P95_MS = 50.0
WARM_UP = 20
SHORT_QUERIES = ("wachtwoort", "lonstrook", "printr", "verlof", "declar", "toegangspas kwijt")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=common.positive_int, default=10_000)
    parser.add_argument("--tickets", type=int, default=0, help="seed up to this many tickets")
    parser.add_argument("--rounds", type=common.positive_int, default=5)
    parser.add_argument("--requests", type=common.positive_int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--label", default="", help="added to the result file names")
    args = parser.parse_args(argv)
    if args.tickets < 0:
        parser.error("--tickets must be 0 or more")
    return args


def fill_articles(target: int, rng: random.Random) -> None:
    """Published articles up to `target`: the demo's, then variants written in bulk."""
    from django.db import transaction

    from eenloket.core import clock
    from eenloket.demo.data import load_reference_data
    from eenloket.demo.knowledge import load_knowledge
    from eenloket.directory.models import Department
    from eenloket.knowledge import text
    from eenloket.knowledge.models import Article, ArticleVersion
    from eenloket.knowledge.search import search_rebuild

    load_reference_data(people=0)
    load_knowledge()
    have = Article.objects.filter(published_version__isnull=False).count()
    if have >= target:
        print(f"{have:,} published articles present.")
        return
    print(f"Writing {target - have:,} synthetic articles ...")
    demo = list(Article.objects.filter(published_version__isnull=False))
    vocabulary = sorted({w for a in demo for w in text.words(a.body_text) if len(w) > 3})
    departments = list(Department.objects.all())
    now = clock.now()
    with transaction.atomic():
        for start in range(have, target, 1000):
            batch = []
            for n in range(start, min(target, start + 1000)):
                model = rng.choice(demo)
                extra = " ".join(rng.sample(vocabulary, 40))
                body = f"{model.body}\n\n{extra}"
                html = text.markdown_to_html(body)
                batch.append(
                    Article(
                        slug=f"bench-{n}",
                        department=rng.choice(departments),
                        language=model.language,
                        title=f"{model.title} ({n})",
                        body=body,
                        body_html=html,
                        body_text=text.html_to_text(html),
                        keywords=model.keywords,
                        audience=rng.choice(["public", "public", "internal"]),
                        review_date=now.date(),
                        created_at=now,
                        published_at=now,
                    )
                )
            created = Article.objects.bulk_create(batch)
            versions = ArticleVersion.objects.bulk_create(
                [
                    ArticleVersion(
                        article=a,
                        number=1,
                        title=a.title,
                        body=a.body,
                        keywords=a.keywords,
                        audience=a.audience,
                        proposed_at=now,
                        status="approved",
                        decided_at=now,
                    )
                    for a in created
                ]
            )
            for article, version in zip(created, versions, strict=True):
                article.published_version = version
            Article.objects.bulk_update(created, ["published_version"])
            print(f"  {start + len(batch):,} / {target:,}")
    print("Rebuilding the search index ...")
    count = search_rebuild(progress=lambda message: print(f"  {message}"))
    print(f"  {count:,} articles indexed")
    from django.db import connection

    if connection.vendor != "postgresql":  # bench/knowledge_matching.py runs on SQLite too
        return
    # The bulk writes left dead row versions; production tables are vacuumed by autovacuum.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM FULL ANALYZE knowledge_article")


def vacuum_search_tables() -> None:
    """What autovacuum does in production after bulk writes: statistics for the planner
    and a current visibility map, so that the postings index answers without the table."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("knowledge_article", "knowledge_searchposting", "knowledge_searchterm"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def queries() -> list[str]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.knowledge.relevance import QUESTIONS

    return [q for q, _ in QUESTIONS] + list(SHORT_QUERIES)


def targets(rng: random.Random) -> list[dict]:
    from urllib.parse import urlencode

    from django.test import Client

    from eenloket.directory.models import User
    from eenloket.knowledge import selectors
    from eenloket.tickets.models import Ticket

    agent = User.objects.get(username="servicedesk")
    customer = User.objects.get(username="klant")

    def client_for(user) -> Client:
        client = Client(raise_request_exception=False)
        if user:
            common.log_in(client, user)
        return client

    words = queries()
    staff, portal = client_for(agent), client_for(customer)
    result = [
        {"page": "ceiling /api/v1/health", "client": client_for(None), "paths": ["/api/v1/health"]},
        {
            "page": "search function (selectors.article_search, staff)",
            "call": lambda q: selectors.article_search(actor=agent, query=q, limit=10),
            "args": words,
        },
        {
            "page": "staff search /werkplek/kennisbank/?q=",
            "client": staff,
            "paths": [f"/werkplek/kennisbank/?{urlencode({'q': q})}" for q in words],
        },
        {
            "page": "portal search /portaal/kennisbank/?q=",
            "client": portal,
            "paths": [f"/portaal/kennisbank/?{urlencode({'q': q})}" for q in words],
        },
        {
            "page": "API /api/v1/knowledge/articles?q=",
            "client": staff,
            "paths": [f"/api/v1/knowledge/articles?{urlencode({'q': q})}" for q in words],
        },
    ]
    if Ticket.objects.exists():
        numbers = common.sample_numbers(200, rng)
        result.append(
            {
                "page": "ticket page with knowledge panel (servicedesk)",
                "client": staff,
                "paths": [f"/werkplek/meldingen/{number}/" for number in numbers],
            }
        )
        # The panel itself loads with htmx: a search for the ticket's subject and first
        # message, its service's articles first.
        result.append(
            {
                "page": "knowledge panel fragment /werkplek/kennisbank/melding/<nr>/ (htmx)",
                "client": staff,
                "headers": {"HX-Request": "true"},
                "paths": [f"/werkplek/kennisbank/melding/{number}/" for number in numbers],
            }
        )
    return result


def time_target(target: dict, requests: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of this process per request. On a shared, loaded
    machine the wall clock includes waiting for a core; the CPU time is what a request
    cost the application itself (the database's own time is not in it)."""
    timings, cpu = [], []
    for i in range(WARM_UP + requests):
        start = time.perf_counter_ns()
        start_cpu = time.process_time_ns()
        if "call" in target:
            target["call"](target["args"][i % len(target["args"])])
        else:
            path = target["paths"][i % len(target["paths"])]
            response = target["client"].get(path, headers=target.get("headers"))
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
        if i >= WARM_UP:
            timings.append((time.perf_counter_ns() - start) / 1e6)
            cpu.append((time.process_time_ns() - start_cpu) / 1e6)
    return sorted(timings), sorted(cpu)


def measure(rounds: int, requests: int, rng: random.Random) -> list[dict]:
    pages = targets(rng)
    per_round: dict[str, list[tuple[float, float, float, float]]] = {p["page"]: [] for p in pages}
    for number in range(1, rounds + 1):
        for page in pages:
            timings, cpu = time_target(page, requests)
            per_round[page["page"]].append(
                (
                    common.percentile(timings, 50),
                    common.percentile(timings, 95),
                    common.percentile(cpu, 50),
                    common.percentile(cpu, 95),
                )
            )
        print(f"  round {number}/{rounds} done")
    ceiling = per_round[pages[0]["page"]]
    c50 = statistics.median(v[0] for v in ceiling)
    c95 = statistics.median(v[1] for v in ceiling)
    rows = []
    for page in pages:
        values = per_round[page["page"]]
        p50 = statistics.median(v[0] for v in values)
        p95 = statistics.median(v[1] for v in values)
        rows.append(
            {
                "page": page["page"],
                "p50_ms": round(p50, 2),
                "p95_ms": round(p95, 2),
                "p50_x_ceiling": round(p50 / c50, 1),
                "p95_x_ceiling": round(p95 / c95, 1),
                "cpu_p50_ms": round(statistics.median(v[2] for v in values), 2),
                "cpu_p95_ms": round(statistics.median(v[3] for v in values), 2),
                "rounds_p95_ms": [round(v[1], 2) for v in values],
            }
        )
    return rows


def common_commit() -> str:
    import subprocess

    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv=None) -> None:
    args = parse_args(argv)
    common.setup_django()
    rng = random.Random(args.seed)
    fill_articles(args.articles, rng)
    if args.tickets:
        common.seed_up_to(args.tickets, args.seed)
    vacuum_search_tables()
    from eenloket.knowledge.models import Article
    from eenloket.tickets.models import Ticket

    print(f"Measuring: {args.rounds} rounds x {args.requests} requests per page ...")
    load_start = [round(x, 1) for x in os.getloadavg()]
    rows = measure(args.rounds, args.requests, rng)
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": common.machine(),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "load_average_start": load_start,
        "articles": Article.objects.filter(published_version__isnull=False).count(),
        "tickets": Ticket.objects.count(),
        "rounds": args.rounds,
        "requests_per_round": args.requests,
        "warm_up_requests": WARM_UP,
        "commit": common_commit(),
        "pages": rows,
    }
    lines = [
        f"Articles: {report['articles']:,}, tickets: {report['tickets']:,} — {args.rounds} "
        f"rounds x {args.requests} requests, median of the rounds' percentiles; load average "
        f"{report['load_average']} on {report['machine']['cores']} cores (start "
        f"{report['load_average_start']}); commit {report['commit']}",
        "",
        "| what | p50 ms | p95 ms | p50 x ceiling | p95 x ceiling | CPU p50 ms | CPU p95 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        flag = " ⚠" if row["p95_ms"] > TARGET_P95_MS else ""
        lines.append(
            f"| {row['page']} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f}{flag} | "
            f"{row['p50_x_ceiling']:.1f} | {row['p95_x_ceiling']:.1f} | "
            f"{row['cpu_p50_ms']:.1f} | {row['cpu_p95_ms']:.1f} |"
        )
    table = "\n".join(lines)
    print(table)
    common.RESULTS.mkdir(exist_ok=True)
    size = f"{report['articles'] // 1000}k" if report["articles"] >= 1000 else report["articles"]
    tickets = f"-{report['tickets'] // 1000}k-tickets" if report["tickets"] else ""
    label = f"-{args.label}" if args.label else ""
    stem = common.RESULTS / f"{report['date'][:10]}-knowledge-{size}{tickets}{label}"
    stem = common.free_stem(stem)
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    stem.with_suffix(".md").write_text(
        f"# Knowledge search, {report['date']}\n\n{json.dumps(report['machine'])}\n\n{table}\n"
    )
    print(f"Written: {stem}.json and .md")


if __name__ == "__main__":
    main()
