"""The `eenloket` command line: worker, serve and demo, and clear failures on bad input."""

import argparse
import datetime as dt
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from eenloket.core.models import ScheduledSlot
from eenloket.tickets import services

EENLOKET = str(Path(sys.executable).with_name("eenloket"))
# Tuesday 14 April 2026, 10:00 in Amsterdam: inside office hours.
TUESDAY_10 = dt.datetime(2026, 4, 14, 8, 0, tzinfo=dt.UTC)


def run(*args: str, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [EENLOKET, *args], capture_output=True, text=True, env=env, timeout=timeout, check=False
    )


@pytest.fixture
def cli_env(tmp_path) -> dict:
    """The environment of a fresh install: SQLite under a temporary var/, no SECRET_KEY."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "SECRET_KEY",
            "PORT",
            "HOST",
            "WEB_CONCURRENCY",
            "DEBUG",
            "ALLOWED_HOSTS",
            "EENLOKET_HTTPS",
        }
    }
    env.update(EENLOKET_VAR_DIR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="eenloket.settings")
    # The command runs this checkout's code, even when the installed package is another one.
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(Path(__file__).resolve().parents[2]), env.get("PYTHONPATH")])
    )
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- the worker ---------------------------------------------------------------------------
# The worker commits and closes its connection between tasks (close_old_connections), as in
# production; so these tests run outside a test transaction.
WORKER_DB = pytest.mark.django_db(transaction=True)


@pytest.fixture
def overdue_ticket(desk):
    with time_machine.travel(TUESDAY_10, tick=False):
        ticket = services.ticket_open(
            actor=desk.agent,
            requester=desk.person,
            service=desk.laptop,
            channel="phone",
            title="Laptop start niet op",
            description="Zwart scherm na het aanzetten.",
        )
    return ticket


@WORKER_DB
def test_worker_once_marks_an_overdue_ticket_as_breached(overdue_ticket):
    with time_machine.travel(TUESDAY_10 + dt.timedelta(days=3), tick=False):
        call_command("worker", "--once", verbosity=0)
    overdue_ticket.refresh_from_db()
    assert overdue_ticket.response_breached is True


@WORKER_DB
def test_worker_once_leaves_no_task_waiting(overdue_ticket):
    with time_machine.travel(TUESDAY_10 + dt.timedelta(days=3), tick=False):
        call_command("worker", "--once", verbosity=0)
    assert sorted(DBTaskResult.objects.values_list("task_path", "status")) == [
        ("eenloket.accesslog.tasks.purge", "SUCCESSFUL"),
        ("eenloket.channels.email.tasks.mail_fetch", "SUCCESSFUL"),
        ("eenloket.channels.email.tasks.mail_notify", "SUCCESSFUL"),
        ("eenloket.channels.phone.tasks.link_calls_to_tickets", "SUCCESSFUL"),
        ("eenloket.core.tasks.prune_task_results", "SUCCESSFUL"),
        ("eenloket.identity.tasks.prune_login_records", "SUCCESSFUL"),
        ("eenloket.integrations.tasks.idempotency_prune_task", "SUCCESSFUL"),
        ("eenloket.integrations.tasks.sla_at_risk_scan", "SUCCESSFUL"),
        ("eenloket.knowledge.tasks.settle_portal_searches", "SUCCESSFUL"),
        ("eenloket.privacy.tasks.retention_run", "SUCCESSFUL"),
        ("eenloket.reports.tasks.summary_refresh", "SUCCESSFUL"),
        ("eenloket.reports.tasks.weekly_summary", "SUCCESSFUL"),
        ("eenloket.tickets.tasks.sla_check_breaches", "SUCCESSFUL"),
    ]


@WORKER_DB
def test_worker_once_twice_in_one_minute_checks_the_sla_once(overdue_ticket):
    with time_machine.travel(TUESDAY_10 + dt.timedelta(days=3), tick=False) as traveller:
        call_command("worker", "--once", "--worker-id=a", verbosity=0)
        traveller.shift(dt.timedelta(seconds=20))
        call_command("worker", "--once", "--worker-id=b", verbosity=0)
    assert ScheduledSlot.objects.filter(job="tickets.sla_check_breaches").count() == 1


@WORKER_DB
def test_worker_without_scheduler_claims_no_slots():
    call_command("worker", "--once", "--no-scheduler", verbosity=0)
    assert ScheduledSlot.objects.count() == 0


# --- help texts ---------------------------------------------------------------------------


def test_help_lists_eenlokets_commands(cli_env):
    result = run("--help", env=cli_env)
    assert (result.returncode, [name in result.stdout for name in ("demo", "serve", "worker")]) == (
        0,
        [True, True, True],
    )


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("worker", "Run background tasks"),
        ("serve", "production web server"),
        ("demo", "load the demo data once"),
        ("mfa", "Two-step verification"),
        ("secrets", "rewrites them under the current key"),
    ],
)
def test_each_command_explains_itself(cli_env, command, says):
    result = run(command, "--help", env=cli_env)
    assert (result.returncode, says in " ".join(result.stdout.split())) == (0, True)


# --- clear failures -----------------------------------------------------------------------


# What `eenloket serve` needs to start: a strong key and the host names it answers to.
PRODUCTION_ENV = {
    "SECRET_KEY": "test-only-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1",
}


def test_serve_refuses_to_start_without_a_secret_key(cli_env):
    result = run("serve", env={**cli_env, "ALLOWED_HOSTS": "127.0.0.1"})
    assert (result.returncode, "SECRET_KEY is not set" in result.stderr) == (1, True)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SECRET_KEY", "short", "SECRET_KEY is too weak"),
        ("SECRET_KEY", "insecure-demo-key-set-SECRET_KEY-in-production", "too weak"),
        ("SECRET_KEY", "a" * 60, "too weak"),
        ("ALLOWED_HOSTS", "", "ALLOWED_HOSTS is not set"),
        ("ALLOWED_HOSTS", "*", "ALLOWED_HOSTS contains '*'"),
        ("DEBUG", "1", "DEBUG is on"),
    ],
)
def test_serve_refuses_unsafe_production_settings(cli_env, variable, value, message):
    result = run("serve", env={**cli_env, **PRODUCTION_ENV, variable: value})
    assert (result.returncode, message in result.stderr) == (1, True)


def test_serve_rejects_a_port_that_is_not_a_number(cli_env):
    result = run("serve", "--port", "abc", env={**cli_env, **PRODUCTION_ENV})
    assert (result.returncode, "'abc' is not a port number" in result.stderr) == (2, True)


def test_serve_rejects_a_malformed_port_in_the_environment(cli_env):
    result = run("serve", env={**cli_env, **PRODUCTION_ENV, "PORT": "80a"})
    assert (result.returncode, "PORT in the environment" in result.stderr) == (1, True)


def test_worker_rejects_a_tick_that_is_not_a_number(cli_env):
    result = run("worker", "--tick", "soon", env=cli_env)
    assert (result.returncode, "'soon' is not a number of seconds" in result.stderr) == (2, True)


def test_an_unknown_command_fails(cli_env):
    result = run("nosuchcommand", env=cli_env)
    assert (result.returncode, "Unknown command: 'nosuchcommand'" in result.stderr) == (1, True)


def test_demo_says_so_when_its_port_is_taken(cli_env):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("demo", "--port", str(port), env=cli_env)
    assert (result.returncode, f"Port {port} on 127.0.0.1 is in use" in result.stderr) == (1, True)


# --- the real server ------------------------------------------------------------------------


def fetch(url: str, deadline: float) -> tuple[int, bytes]:
    """GET url, retrying while the server starts, until the deadline."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
                return response.status, response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture
def server(cli_env):
    """`eenloket serve` on a free loopback port with a migrated temporary SQLite database."""
    env = {**cli_env, **PRODUCTION_ENV, "WEB_CONCURRENCY": "1"}
    migrate = run("migrate", "--noinput", env=env, timeout=120)
    assert migrate.returncode == 0, migrate.stderr
    port = free_port()
    process = subprocess.Popen(
        [EENLOKET, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield f"http://127.0.0.1:{port}", time.monotonic() + 60
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.mark.slow
def test_serve_answers_the_health_check_and_serves_static_files(server):
    base, deadline = server
    health = fetch(f"{base}/api/v1/health", deadline)
    css = fetch(f"{base}/static/admin/css/base.css", deadline)
    with urllib.request.urlopen(f"{base}/static/admin/css/base.css", timeout=5) as response:  # noqa: S310
        sniffing = response.headers["X-Content-Type-Options"]
    assert (health, css[0], b"body" in css[1], sniffing) == (
        (200, b'{"status": "ok"}'),
        200,
        True,
        "nosniff",
    )


def test_serve_renders_the_login_page_with_its_own_stylesheet_and_security_headers(server):
    base, deadline = server
    status, page = fetch(f"{base}/inloggen/", deadline)
    stylesheet = re.search(rb'href="(/static/eenloket/css/[^"]+\.css)"', page).group(1).decode()
    css_status, _ = fetch(f"{base}{stylesheet}", deadline)
    with urllib.request.urlopen(f"{base}/inloggen/", timeout=5) as response:  # noqa: S310
        headers = response.headers
    assert (status, css_status) == (200, 200)
    assert (
        "script-src 'self'" in headers["Content-Security-Policy"],
        headers["X-Frame-Options"],
        headers["X-Content-Type-Options"],
        headers["Cross-Origin-Opener-Policy"],
        "camera=()" in headers["Permissions-Policy"],
    ) == (True, "DENY", "nosniff", "same-origin", True)


def _parsers(parser, path=()):
    """The parser and every sub-command's parser below it, with the words that reach them."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, (*path, name))


def test_every_command_and_sub_command_says_what_it_does():
    from django.core.management import get_commands, load_command_class

    silent = []
    for name, app in get_commands().items():
        if not app.startswith("eenloket"):
            continue
        parser = load_command_class(app, name).create_parser("eenloket", name)
        silent += [" ".join((name, *path)) for path, sub in _parsers(parser) if not sub.description]
    assert silent == []


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("EENLOKET_TRUSTED_PROXIES", "two", "EENLOKET_TRUSTED_PROXIES must be a whole number"),
        ("EENLOKET_LOGIN_FAILURE_LIMIT", "5x", "EENLOKET_LOGIN_FAILURE_LIMIT must be a whole"),
        ("DATABASE_URL", "postgress//db", "DATABASE_URL is not a database URL Eenloket can use"),
        ("EENLOKET_CACHE_URL", "memcached://cache:11211", "EENLOKET_CACHE_URL must be a Redis"),
    ],
)
def test_a_malformed_setting_is_named_in_one_line(cli_env, variable, value, message):
    result = run("check", env={**cli_env, variable: value})
    assert (result.returncode, message in result.stderr, "Traceback" in result.stderr) == (
        1,
        True,
        False,
    )


def test_an_empty_database_url_means_the_embedded_database(cli_env):
    result = run("check", env={**cli_env, "DATABASE_URL": ""})
    assert (result.returncode, result.stderr) == (0, "")
