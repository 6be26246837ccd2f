"""Mails per second from IMAP (a real Dovecot) to tickets: the mail channel's intake.

    /work/main/.venv/bin/python bench/mail_intake.py [--mails 300] [--rounds 5]
                                                     [--database sqlite|postgres]

Starts a throw-away Dovecot on a free loopback port (as the tests do), creates the reference
data (desk, IT service, a customer organization with its mail domain, one mailbox), and per
round appends --mails mails to the inbox (not timed), then times `mailbox_fetch`: fetch,
parse, sanitize, thread, open the ticket or add the message, commit, move to the processed
folder. The mix: 70% new questions (a third with a PDF attachment, half with an HTML part),
20% replies by ticket number in the subject, 10% auto-replies. The ceiling measured in the
same round is the bare IMAP fetch of the same mails (no parsing, no database). The report
gives the median over the rounds of mails/s and the ratio to the ceiling, and is written to
bench/results/<date>-mail-intake-<database>.json/.md. Target: at least 50 mails/s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TARGET = 50.0
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/eenloket_mail"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n" + b"0" * 20000


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mails", type=positive_int, default=300, help="per round")
    parser.add_argument("--rounds", type=positive_int, default=5)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    return parser.parse_args(argv)


def setup_django(database: str, workdir: Path) -> None:
    if database == "postgres":
        os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", POSTGRES_URL)
        _ensure_postgres(os.environ["DATABASE_URL"])
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eenloket.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _ensure_postgres(url: str) -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    with psycopg.connect(
        host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"], dbname="postgres",
        autocommit=True,
    ) as connection:  # fmt: skip
        name = config["NAME"]
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def reference_data():
    from eenloket.channels.email import services
    from eenloket.channels.email.models import Mailbox
    from tests import factories as f

    calendar = f.BusinessCalendarFactory()
    policy = f.SlaPolicyFactory(calendar=calendar)
    it = f.DepartmentFactory(code="it", name_nl="ICT", name_en="IT")
    f.QueueFactory()
    f.QueueFactory(department=it)
    organization = f.OrganizationFactory(
        name="Gemeente Dordrecht", email_domain="dordrecht.example"
    )
    service = f.ServiceFactory(code="laptop", department=it, sla_policy=policy)
    for n in range(50):
        f.PersonFactory(organization=organization, email=f"klant{n}@dordrecht.example")
    mailbox = Mailbox.objects.create(
        name="Centraal",
        address="servicedesk@eenloket.example",
        host="127.0.0.1",
        port=1,
        security=Mailbox.Security.NONE,
        username="desk",
        service=service,
        rate_limit_per_hour=1_000_000,
    )
    return services.mailbox_set_secret(mailbox=mailbox, secret="desk-secret")


def mails(count: int, round_no: int, first_number: int) -> list[bytes]:
    out = []
    for n in range(count):
        msg = EmailMessage()
        msg["From"] = f"Klant {n % 50} <klant{n % 50}@dordrecht.example>"
        msg["To"] = "servicedesk@eenloket.example"
        msg["Message-ID"] = f"<bench-{round_no}-{n}@dordrecht.example>"
        kind = n % 10
        if kind < 7:
            msg["Subject"] = f"Vraag {round_no}-{n}: printer doet het niet"
            msg.set_content("Goedemorgen,\n\nDe printer op de tweede verdieping doet het niet.\n")
            if n % 2:
                msg.add_alternative("<p>De <b>printer</b> doet het niet.</p>", subtype="html")
            if n % 3 == 0:
                msg.add_attachment(PDF, maintype="application", subtype="pdf", filename="foto.pdf")
        elif kind < 9:
            msg.replace_header("From", "Klant 0 <klant0@dordrecht.example>")
            msg["Subject"] = f"Re: [M{datetime.now(UTC).year}-{first_number:05d}] printer"
            msg.set_content("Nog een aanvulling.\n\nOp di schreef Servicedesk:\n> Oud bericht\n")
        else:
            msg["Subject"] = "Automatisch antwoord: printer"
            msg["Auto-Submitted"] = "auto-replied"
            msg.set_content("Ik ben afwezig.")
        out.append(bytes(msg))
    return out


def ceiling(dovecot, count: int) -> float:
    """Seconds to fetch the mails over IMAP and nothing else."""
    client = dovecot.client()
    try:
        client.select_folder("INBOX", readonly=True)
        uids = client.search(["NOT", "DELETED"])
        start = time.perf_counter()
        for at in range(0, len(uids), 50):
            client.fetch(uids[at : at + 50], ["BODY.PEEK[]"])
        return time.perf_counter() - start
    finally:
        client.logout()


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
        db_version = cursor.fetchone()[0]
    dovecot = subprocess.run(
        [shutil.which("dovecot") or "/usr/sbin/dovecot", "--version"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": get_version(),
        "database": f"{database} {db_version}",
        "dovecot": dovecot,
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="eenloket-mail-bench-"))
    setup_django(args.database, workdir)
    from django.db import connection

    from eenloket.channels.email.imap import mailbox_fetch
    from eenloket.tickets.models import Ticket
    from tests.channels.email import conftest as fixtures

    mailbox = reference_data()
    server = fixtures.run_dovecot()
    dovecot = server.__enter__()
    mailbox.port = dovecot.port
    mailbox.save()
    rounds = []
    load_at_start = os.getloadavg()
    queries = [0]

    def count_queries(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    try:
        for round_no in range(args.rounds):
            dovecot.empty()
            # Replies answer the round's first ticket (its first mail is a new question).
            number = Ticket.objects.count() + 1
            dovecot.deliver(*mails(args.mails, round_no, number))
            bare = ceiling(dovecot, args.mails)
            queries[0] = 0
            start, cpu_start = time.perf_counter(), time.process_time()
            with connection.execute_wrapper(count_queries):
                result = mailbox_fetch(mailbox)
            seconds = time.perf_counter() - start
            cpu = time.process_time() - cpu_start
            if result.total != args.mails or result.errors:
                sys.exit(f"Round {round_no}: took in {result.total} of {args.mails}: {result}")
            rounds.append(
                {
                    "seconds": seconds,
                    "mails_per_second": args.mails / seconds,
                    "cpu_seconds": cpu,
                    "mails_per_cpu_second": args.mails / cpu,
                    "ceiling_mails_per_second": args.mails / bare,
                    "queries_per_mail": queries[0] / args.mails,
                    "outcomes": dict(result.outcomes),
                }
            )
            print(
                f"round {round_no + 1}/{args.rounds}: {args.mails / seconds:6.1f} mails/s, "
                f"{args.mails / cpu:6.1f} per CPU-second, {queries[0] / args.mails:.1f} queries "
                f"per mail (bare IMAP fetch {args.mails / bare:7.1f}/s) {dict(result.outcomes)}"
            )
    finally:
        server.__exit__(None, None, None)
        connection.close()
    median = statistics.median(r["mails_per_second"] for r in rounds)
    ceiling_median = statistics.median(r["ceiling_mails_per_second"] for r in rounds)
    cpu_median = statistics.median(r["mails_per_cpu_second"] for r in rounds)
    load = os.getloadavg()
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "benchmark": "mail intake, IMAP to ticket",
        "mails_per_round": args.mails,
        "rounds": rounds,
        "median_mails_per_second": round(median, 1),
        "median_ceiling_mails_per_second": round(ceiling_median, 1),
        "median_mails_per_cpu_second": round(cpu_median, 1),
        "median_queries_per_mail": round(
            statistics.median(r["queries_per_mail"] for r in rounds), 1
        ),
        "load_average_at_start": [round(value, 2) for value in load_at_start],
        "load_average_at_end": [round(value, 2) for value in load],
        "ratio_to_ceiling": round(median / ceiling_median, 3),
        "target_mails_per_second": TARGET,
        "meets_target": median >= TARGET,
        "machine": machine(args.database),
    }
    RESULTS.mkdir(exist_ok=True)
    stem = RESULTS / f"{report['date'][:10]}-mail-intake-{args.database}"
    from run import free_stem  # bench/run.py

    stem = free_stem(stem)
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    m = report["machine"]
    stem.with_suffix(".md").write_text(
        f"# Mail intake {report['date'][:10]} ({args.database})\n\n"
        f"Machine: {m['cpu']}, {m['cores']} cores; Python {m['python']}, Django {m['django']}, "
        f"{m['database']}, Dovecot {m['dovecot']}.\n\n"
        "| figure | value |\n|---|---|\n"
        f"| mails per round | {args.mails} |\n"
        f"| rounds | {len(rounds)} |\n"
        f"| median mails/s, IMAP to ticket | {median:.1f} |\n"
        f"| median mails per CPU-second of the intake process | {cpu_median:.1f} |\n"
        f"| median queries per mail | {report['median_queries_per_mail']} |\n"
        f"| median mails/s, bare IMAP fetch (ceiling) | {ceiling_median:.1f} |\n"
        f"| load average at the start (1, 5, 15 min) | "
        f"{', '.join(f'{v:.1f}' for v in load_at_start)} |\n"
        f"| load average at the end (1, 5, 15 min) | {', '.join(f'{v:.1f}' for v in load)} |\n"
        f"| ratio to ceiling | {median / ceiling_median:.3f} |\n"
        f"| target | {TARGET:.0f} mails/s: {'met' if median >= TARGET else 'NOT met'} |\n"
    )
    print(
        f"\nMedian {median:.1f} mails/s from IMAP to ticket ({args.database}), "
        f"{cpu_median:.1f} per CPU-second; bare IMAP fetch "
        f"{ceiling_median:.1f}/s; target {TARGET:.0f}/s {'met' if median >= TARGET else 'NOT met'}."
        f"\nWritten to {stem}.json and .md"
    )
    shutil.rmtree(workdir, ignore_errors=True)
    return 0 if median >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
