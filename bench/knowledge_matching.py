"""Which index picks a search's matches: the postings, or each database's full-text index?

    DATABASE_URL=postgres://... .venv/bin/python bench/knowledge_matching.py [--articles 10000]
    DATABASE_URL=sqlite:///var/kb.sqlite3 .venv/bin/python bench/knowledge_matching.py

Fills the database up to --articles published articles as bench/knowledge.py does (on
SQLite too), then times the search function (selectors.article_search as staff) for the
relevance questions and the short typo queries, alternating the two ways of matching query
by query so that a shared machine's load falls on both alike:

- postings: the candidates are the articles in scope with one of the query's rarer terms in
  `SearchPosting` (what search.py does);
- fts: the candidates come from the database's own full-text index (PostgreSQL: `tsvector @@
  tsquery` on the GIN index; SQLite: FTS5 MATCH), and the postings only rank them.

Since migration 0007 PostgreSQL has no tsvector any more (this comparison decided it:
bench/results/2026-11-27-knowledge-matching-postgresql-10k.md, run at commit a1e68df), so
there the script times the postings only.

Both rank with the same BM25 over the postings, so the results must be identical: the script
checks that every query returns the same articles in the same order, and reports wall-clock
and CPU milliseconds per search (median of the rounds' p50 and p95), plus, on PostgreSQL, the
database's own execution time of the ranking query (EXPLAIN ANALYZE). Results:
bench/results/<date>-knowledge-matching-<vendor>-<n>k.json/.md.
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

import knowledge as kb  # bench/knowledge.py
import run as common  # bench/run.py

MODES = ("postings", "fts")


def setup() -> None:
    os.environ.setdefault("DATABASE_URL", common.DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eenloket.settings")
    if os.environ["DATABASE_URL"].startswith("postgres"):
        common.ensure_database(os.environ["DATABASE_URL"])
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def ranking_sql_ms(query: str, agent) -> float | None:
    """PostgreSQL's own execution time of the ranking query (EXPLAIN ANALYZE)."""
    from django.db import connection

    from eenloket.knowledge import search, selectors

    if connection.vendor != "postgresql":
        return None
    captured: list[tuple[str, list]] = []
    original = search._ranked

    def spy(*args, limit):
        captured.append(search._ranking_query(*args, limit))
        return []

    search._ranked = spy
    try:
        selectors.article_search(actor=agent, query=query, limit=10)
    finally:
        search._ranked = original
    if not captured:
        return None
    sql, params = captured[-1]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
    return plan["Execution Time"]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=common.positive_int, default=10_000)
    parser.add_argument("--rounds", type=common.positive_int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    setup()
    from django.db import connection

    from eenloket.directory.models import User
    from eenloket.knowledge import search, selectors
    from eenloket.knowledge.models import Article

    if connection.vendor == "postgresql":
        kb.fill_articles(args.articles, random.Random(args.seed))
        kb.vacuum_search_tables()
    else:
        kb.fill_articles(args.articles, random.Random(args.seed))
    agent = User.objects.get(username="servicedesk")
    words = kb.queries()
    modes = MODES if connection.vendor == "sqlite" else MODES[:1]

    def run(mode: str, query: str):
        search.MATCH_THROUGH_INDEX = mode == "fts"
        start, start_cpu = time.perf_counter_ns(), time.process_time_ns()
        result = selectors.article_search(actor=agent, query=query, limit=10)
        wall = (time.perf_counter_ns() - start) / 1e6
        cpu = (time.process_time_ns() - start_cpu) / 1e6
        return [(h.article.pk, h.score) for h in result.hits], wall, cpu

    different = []
    for query in words:  # warm-up, and the results must be the same
        results = [run(mode, query)[0] for mode in modes]
        if any(result != results[0] for result in results):
            different.append(query)
    load_start = [round(x, 1) for x in os.getloadavg()]
    per_round: dict[str, list[tuple[float, float, float, float]]] = {m: [] for m in modes}
    sql_ms: dict[str, list[float]] = {m: [] for m in modes}
    for number in range(1, args.rounds + 1):
        timings = {m: ([], []) for m in modes}
        for query in words:
            order = modes if number % 2 else tuple(reversed(modes))
            for mode in order:
                _, wall, cpu = run(mode, query)
                timings[mode][0].append(wall)
                timings[mode][1].append(cpu)
        for mode in modes:
            wall, cpu = sorted(timings[mode][0]), sorted(timings[mode][1])
            per_round[mode].append(
                (
                    common.percentile(wall, 50),
                    common.percentile(wall, 95),
                    common.percentile(cpu, 50),
                    common.percentile(cpu, 95),
                )
            )
        print(f"  round {number}/{args.rounds} done")
    if connection.vendor == "postgresql":
        for query in words:
            for mode in modes:
                search.MATCH_THROUGH_INDEX = mode == "fts"
                value = ranking_sql_ms(query, agent)
                if value is not None:
                    sql_ms[mode].append(value)
    search.MATCH_THROUGH_INDEX = None
    articles = Article.objects.filter(published_version__isnull=False).count()
    rows = []
    for mode in modes:
        values = per_round[mode]
        sql = sorted(sql_ms[mode])
        rows.append(
            {
                "matching": mode,
                "p50_ms": round(statistics.median(v[0] for v in values), 2),
                "p95_ms": round(statistics.median(v[1] for v in values), 2),
                "cpu_p50_ms": round(statistics.median(v[2] for v in values), 2),
                "cpu_p95_ms": round(statistics.median(v[3] for v in values), 2),
                "sql_p50_ms": round(common.percentile(sql, 50), 2) if sql else None,
                "sql_p95_ms": round(common.percentile(sql, 95), 2) if sql else None,
                "rounds_p95_ms": [round(v[1], 2) for v in values],
            }
        )
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "vendor": connection.vendor,
        "articles": articles,
        "queries": len(words),
        "rounds": args.rounds,
        "load_average_start": load_start,
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "cores": os.cpu_count(),
        "commit": kb.common_commit(),
        "queries_with_different_results": different,
        "modes": rows,
    }
    lines = [
        f"{connection.vendor}, {articles:,} articles, {len(words)} queries x {args.rounds} "
        f"rounds (modes alternating per query), median of the rounds' percentiles; load "
        f"average {report['load_average']} on {report['cores']} cores (start {load_start}); "
        f"commit {report['commit']}; queries with different results: {len(different)}",
        "",
        "| matching | p50 ms | p95 ms | CPU p50 ms | CPU p95 ms | ranking SQL p50 ms |"
        " ranking SQL p95 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        sql50 = "-" if row["sql_p50_ms"] is None else f"{row['sql_p50_ms']:.2f}"
        sql95 = "-" if row["sql_p95_ms"] is None else f"{row['sql_p95_ms']:.2f}"
        lines.append(
            f"| {row['matching']} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | "
            f"{row['cpu_p50_ms']:.1f} | {row['cpu_p95_ms']:.1f} | {sql50} | {sql95} |"
        )
    table = "\n".join(lines)
    print(table)
    if different:
        print("Different results for:", different)
    common.RESULTS.mkdir(exist_ok=True)
    stem = common.RESULTS / (
        f"{report['date'][:10]}-knowledge-matching-{connection.vendor}-{articles // 1000}k"
    )
    stem = common.free_stem(stem)
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    stem.with_suffix(".md").write_text(
        f"# Knowledge search: matching, {report['date']}\n\n{table}\n"
    )
    print(f"Written: {stem}.json and .md")


if __name__ == "__main__":
    main()
