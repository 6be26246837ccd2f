"""Server-side latency of the management dashboard at 1M tickets, on PostgreSQL.

    .venv/bin/python bench/reports.py [--volume 1000000] [--rounds 5] [--requests 50]
                                      [--skip-seed] [--skip-refresh]

Seeds up to --volume tickets (`eenloket seed`), adds survey answers for a fifth of the
resolved tickets (bulk, once), rebuilds the dashboards' summary tables (`reports_refresh
--all`, timed), then times as the team lead: the dashboard over the last year, over all data
(two years), the IT department page over the last year, and the trivial ceiling view
(/api/v1/health); in-process with Django's test Client. Each round warms up, then times
--requests requests per page; the report gives per page the median over the rounds of p50
and p95, and the ratio to the ceiling. Results go to bench/results/<date>-reports-<volume>.*
See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import run as base  # the shared set-up and measuring helpers

TARGET_P95_MS = 300.0
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/eenloket_reports_bench"
SURVEY_SHARE = 0.2


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--volume", type=base.positive_int, default=1_000_000)
    parser.add_argument("--rounds", type=base.positive_int, default=5)
    parser.add_argument("--requests", type=base.positive_int, default=50, help="per page")
    parser.add_argument("--skip-seed", action="store_true", help="measure what is there")
    parser.add_argument("--skip-refresh", action="store_true", help="keep the summary tables")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--suffix", default="", help="appended to the result file names (keeps earlier runs)"
    )
    return parser.parse_args(argv)


def add_survey_answers(rng: random.Random) -> int:
    """Invitations and answers for a share of the resolved tickets, once (bulk inserts)."""
    from eenloket.surveys.models import SurveyInvitation, SurveyResponse
    from eenloket.tickets.models import Ticket

    if SurveyResponse.objects.exists():
        return 0
    resolved = Ticket.objects.filter(resolved_at__isnull=False).values_list(
        "id",
        "requester_id",
        "organization_id",
        "department_id",
        "service_id",
        "channel",
        "resolved_at",
    )
    invitations, answers = [], []
    for row in resolved.iterator(chunk_size=20_000):
        if rng.random() > SURVEY_SHARE:
            continue
        pk, person, org, dep, service, channel, at = row
        invitations.append(
            SurveyInvitation(
                ticket_id=pk,
                person_id=person,
                nonce="b" * 32,
                created_at=at,
                closes_at=at + timedelta(days=14),
                organization_id=org,
                department_id=dep,
                service_id=service,
                channel=channel,
            )
        )
        answers.append((pk, org, dep, service, channel, at))
    SurveyInvitation.objects.bulk_create(invitations, batch_size=5000)
    by_ticket = dict(SurveyInvitation.objects.values_list("ticket_id", "id"))
    SurveyResponse.objects.bulk_create(
        (
            SurveyResponse(
                invitation_id=by_ticket[pk],
                ticket_id=pk,
                organization_id=org,
                department_id=dep,
                service_id=service,
                channel=channel,
                grade=max(1, min(10, round(rng.gauss(7.2, 1.5)))),
                answered=rng.random() < 0.85,
                resolved_at=at,
                created_at=at,
                updated_at=at,
            )
            for pk, org, dep, service, channel, at in answers
            if rng.random() < 0.5
        ),
        batch_size=5000,
    )
    return SurveyResponse.objects.count()


def pages() -> list[dict]:
    from django.test import Client

    from eenloket.directory.models import User

    lead = Client(raise_request_exception=False)
    base.log_in(lead, User.objects.get(username="teamleider"))
    today = date.today()
    year = f"?van={today - timedelta(days=364)}&tot={today}"
    everything = f"?van={today - timedelta(days=731)}&tot={today}"
    return [
        {"page": "ceiling /api/v1/health", "client": Client(), "paths": ["/api/v1/health"]},
        {
            "page": "dashboard, last year",
            "client": lead,
            "paths": ["/werkplek/rapportages/" + year],
        },
        {
            "page": "dashboard, all data (2 years)",
            "client": lead,
            "paths": ["/werkplek/rapportages/" + everything],
        },
        {
            "page": "department page IT, last year",
            "client": lead,
            "paths": ["/werkplek/rapportages/afdeling/it/" + year],
        },
        *filtered(lead, year),
    ]


def filtered(lead, year: str) -> list[dict]:
    """The dashboard over the last year with each kind of filter, every organization,
    channel or service in turn (so no one row set stays hot in the cache)."""
    from eenloket.catalog.selectors import service_list
    from eenloket.directory.selectors import organization_list

    organizations = [o.pk for o in organization_list()]
    services = [s.pk for s in service_list()]
    channels = ["portal", "email", "phone", "counter", "api"]
    root = "/werkplek/rapportages/" + year
    return [
        {
            "page": "dashboard, last year, per organization",
            "client": lead,
            "paths": [f"{root}&organisatie={o}" for o in organizations],
        },
        {
            "page": "dashboard, last year, per channel",
            "client": lead,
            "paths": [f"{root}&kanaal={c}" for c in channels],
        },
        {
            "page": "dashboard, last year, per service",
            "client": lead,
            "paths": [f"{root}&dienst={s}" for s in services],
        },
        {
            "page": "dashboard, last year, organization and channel",
            "client": lead,
            "paths": [
                f"{root}&organisatie={o}&kanaal={c}" for o in organizations for c in channels
            ],
        },
    ]


def cpu_ms(target: dict, requests: int) -> float:
    """Median CPU time of this process per request (Python: views, ORM, templates), which the
    other processes on a loaded machine do not inflate as much as the wall clock."""
    paths = target["paths"]
    used = []
    for i in range(requests):
        start = time.process_time()
        target["client"].get(paths[i % len(paths)])
        used.append((time.process_time() - start) * 1000)
    return statistics.median(used)


def measure(rounds: int, requests: int) -> list[dict]:
    targets = pages()
    base.WARM_UP = 3
    per_round: dict[str, list[tuple[float, float]]] = {t["page"]: [] for t in targets}
    for number in range(1, rounds + 1):
        for target in targets:
            timings, _cpu = base.time_page(target, requests)  # wall clock, CPU per request
            per_round[target["page"]].append(
                (base.percentile(timings, 50), base.percentile(timings, 95))
            )
        print(f"  round {number}/{rounds} done")
    ceiling = per_round[targets[0]["page"]]
    c50 = statistics.median(p for p, _ in ceiling)
    c95 = statistics.median(p for _, p in ceiling)
    results = []
    for target in targets:
        rows = per_round[target["page"]]
        p50 = statistics.median(p for p, _ in rows)
        p95 = statistics.median(p for _, p in rows)
        results.append(
            {
                "page": target["page"],
                "p50_ms": round(p50, 1),
                "p95_ms": round(p95, 1),
                "p50_x_ceiling": round(p50 / c50, 1),
                "p95_x_ceiling": round(p95 / c95, 1),
                "queries": base.query_count(target),
                "cpu_ms": round(cpu_ms(target, min(requests, 10)), 1),
                "rounds_p95_ms": [round(p, 1) for _, p in rows],
            }
        )
    return results


def table(report: dict) -> str:
    lines = [
        f"Tickets: {report['tickets']:,}; survey answers: {report['survey_answers']:,}; "
        + (
            f"summary rebuild (--all): {report['refresh_seconds']} s; "
            if report["refresh_seconds"] is not None
            else "summary kept from an earlier run (--skip-refresh); "
        )
        + f"{report['rounds']} rounds x {report['requests']} requests, median of the rounds' "
        f"percentiles; machine load average (1, 5, 15 min) at the start: "
        f"{report['load_average']}, at the end: {report.get('load_average_end', '?')}",
        "",
        "| page | p50 ms | p95 ms | p50 x ceiling | p95 x ceiling | queries | Python CPU ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in report["pages"]:
        flag = " ⚠" if row["p95_ms"] > TARGET_P95_MS and "ceiling" not in row["page"] else ""
        lines.append(
            f"| {row['page']} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f}{flag} | "
            f"{row['p50_x_ceiling']:.1f} | {row['p95_x_ceiling']:.1f} | {row['queries']} | "
            f"{row.get('cpu_ms', '')} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import os

    args = parse_args(argv)
    # Its own database, kept between runs: seeding a million tickets takes 15 minutes.
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    base.setup_django()
    info = base.machine()
    rng = random.Random(args.seed)
    if not args.skip_seed:
        base.seed_up_to(args.volume, args.seed)
    print(f"Survey answers: {add_survey_answers(rng):,} added")
    refresh = None
    if not args.skip_refresh:
        from django.core.management import call_command

        started = time.monotonic()
        call_command("reports_refresh", "--all")
        refresh = round(time.monotonic() - started, 1)
    from eenloket.surveys.models import SurveyResponse
    from eenloket.tickets.models import Ticket

    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": info,
        "tickets": Ticket.objects.count(),
        "survey_answers": SurveyResponse.objects.count(),
        "refresh_seconds": refresh,
        "rounds": args.rounds,
        "requests": args.requests,
        "load_average": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }
    print(f"Measuring at {report['tickets']:,} tickets ...")
    report["pages"] = measure(args.rounds, args.requests)
    report["load_average_end"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(table(report))
    base.RESULTS.mkdir(exist_ok=True)
    suffix = f"-{args.suffix}" if args.suffix else ""
    stem = base.RESULTS / f"{report['date'][:10]}-reports-{base.label(args.volume)}{suffix}"
    stem = base.free_stem(stem)
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    m = info
    stem.with_suffix(".md").write_text(
        f"# Dashboard benchmark {report['date'][:10]}, {base.label(args.volume)} tickets\n\n"
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM; Python "
        f"{m['python']}, Django {m['django']}, PostgreSQL {m['postgresql']}.\n"
        "Server side, in-process (Django test Client): middleware, database, templates.\n\n"
        f"{table(report)}\n"
    )
    print(f"Written: {stem}.json / .md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
