"""A real `mail fetch` process killed with SIGKILL mid-intake: nothing lost, nothing doubled.

The child is `manage.py mail fetch` from this checkout, told by EENLOKET_MAIL_TEST_STOP_AT to
block at one point (it says so on stdout) and then killed. It must see the test database:
on PostgreSQL it connects to pytest-django's test database; SQLite's test database lives in
memory, so it is copied to a file for the children and copied back for the assertions.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from eenloket.channels.email.models import InboundMessage
from eenloket.channels.email.services import STOP_AT_ENV
from eenloket.tickets.models import Ticket
from tests.channels.email.conftest import corpus_mail

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db(transaction=True)


def _database_url(sqlite_file: Path) -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{sqlite_file}"
    port = db.get("PORT") or 5432
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{port}/{db['NAME']}"


@contextlib.contextmanager
def _shared_database(tmp_path: Path):
    """The test database as the children see it; afterwards the parent sees their writes."""
    if connection.vendor != "sqlite":
        yield _database_url(tmp_path)
        return
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    try:
        yield _database_url(path)
    finally:
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()


def _env(database_url: str, stop_at: str = "") -> dict:
    env = {k: v for k, v in os.environ.items() if k != STOP_AT_ENV}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="eenloket.settings",
        SECRET_KEY=settings.SECRET_KEY,
        EENLOKET_MAIL_KEY=settings.EENLOKET_MAIL_KEY,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="WARNING",
    )
    if stop_at:
        env[STOP_AT_ENV] = stop_at
    return env


def _fetch(database_url: str, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "mail", "fetch"],
        cwd=ROOT,
        env=_env(database_url, popen.pop("stop_at", "")),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill_at(database_url: str, point: str) -> None:
    """Run a fetch until it stops at `point`, then SIGKILL it (no clean-up of any kind)."""
    process = _fetch(database_url, stop_at=point)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if line.strip() == f"stopped at {point}":
                break
            if not line and process.poll() is not None:
                pytest.fail(f"mail fetch ended before {point}: {process.stderr.read()}")
        else:
            pytest.fail(f"mail fetch did not reach {point} within 60 s")
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(timeout=10) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        process.stdout.close()
        process.stderr.close()


def _fetch_to_the_end(database_url: str) -> str:
    process = _fetch(database_url)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return out


def _stored() -> list[tuple[str, str, int]]:
    """Per mail taken in: its Message-ID, its ticket and how many entries that ticket has."""
    return sorted(
        (inbound.message_id, inbound.ticket.number, inbound.ticket.entries.count())
        for inbound in InboundMessage.objects.select_related("ticket")
    )


@pytest.fixture
def two_mails(imap_mailbox, dovecot):
    dovecot.deliver(corpus_mail("plain_utf8"), corpus_mail("mixed_pdf_attachment"))
    return imap_mailbox


def test_killed_between_fetch_and_commit_the_mail_is_taken_in_once_later(
    two_mails, dovecot, tmp_path
):
    with _shared_database(tmp_path) as database_url:
        _kill_at(database_url, "before_commit")
        killed_inbox = dovecot.count("INBOX")
        out = _fetch_to_the_end(database_url)

    assert killed_inbox == 2
    # "opened", not "duplicate": the killed process had committed nothing.
    assert "Done: 2 mails (2 opened)." in out
    stored = _stored()
    assert [entries for _id, _ticket, entries in stored] == [1, 1]
    assert len({ticket for _id, ticket, _entries in stored}) == Ticket.objects.count() == 2
    assert [i.raw.storage.exists(i.raw.name) for i in InboundMessage.objects.all()] == [True] * 2
    assert (dovecot.count("INBOX"), dovecot.count("Processed")) == (0, 2)


def test_killed_between_commit_and_move_the_mails_are_stored_once(two_mails, dovecot, tmp_path):
    with _shared_database(tmp_path) as database_url:
        _kill_at(database_url, "before_mark_done")
        killed_inbox = dovecot.count("INBOX")
        out = _fetch_to_the_end(database_url)

    assert killed_inbox == 2
    # "duplicate": both were committed before the kill, and are recognised, not stored again.
    assert "Done: 2 mails (2 duplicate)." in out
    assert Ticket.objects.count() == 2
    assert [entries for _id, _ticket, entries in _stored()] == [1, 1]
    assert (dovecot.count("INBOX"), dovecot.count("Processed")) == (0, 2)
