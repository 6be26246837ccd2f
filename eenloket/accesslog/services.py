"""Writing the access log. Other apps note accesses through these functions (from their
scoped selectors, so every page and endpoint that goes through them is covered); the
middleware writes what a request noted in one INSERT at its end."""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Iterable
from contextlib import nullcontext
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connections, transaction

from eenloket.accesslog.collector import Collector, Note, current
from eenloket.accesslog.models import AccessEntry, Action, Activity, Channel, ObjectKind, Result
from eenloket.accesslog.routers import access_log_database
from eenloket.core import clock

__all__ = [
    "Action",
    "Activity",
    "ObjectKind",
    "access_entries_write",
    "access_log_purge",
    "access_note",
    "access_note_people",
    "access_note_ticket",
    "access_note_ticket_number",
    "access_refused",
    "access_trace_id",
]


def access_note(
    *,
    kind: str,
    ref: Any,
    person_id: int | None = None,
    ticket_number: str = "",
    action: str | None = None,
    activity: str = "",
) -> None:
    """Note that the current request processes this object (of this data subject)."""
    collector = current.get()
    if collector is None:
        return
    collector.add(
        Note(
            kind=kind,
            ref=str(ref)[:64],
            person_id=person_id,
            ticket_number=ticket_number,
            action=action,
            activity=activity,
        )
    )


def access_note_ticket(*, ticket: Any, action: str | None = None, activity: str = "") -> None:
    """A ticket read or changed: its requester is the data subject."""
    access_note_ticket_number(
        number=ticket.number, requester_id=ticket.requester_id, action=action, activity=activity
    )


def access_note_ticket_number(
    *, number: str, requester_id: int | None, action: str | None = None, activity: str = ""
) -> None:
    """access_note_ticket for a ticket known by its number and requester (a list's row)."""
    access_note(
        kind=ObjectKind.TICKET,
        ref=number,
        person_id=requester_id,
        ticket_number=number,
        action=action,
        activity=activity,
    )


def access_note_people(
    *, people: Iterable[Any], action: str = Action.SEARCH, activity: str = ""
) -> None:
    """People shown by a search or a lookup: one entry each, for the people actually shown."""
    for person in people:
        access_note(
            kind=ObjectKind.PERSON,
            ref=person.pk,
            person_id=person.pk,
            action=action,
            activity=activity,
        )


def access_trace_id() -> str:
    """The current request's trace id ("" outside a request)."""
    collector = current.get()
    return collector.trace_id if collector is not None else ""


def access_refused(*, kind: str, ref: Any, action: str | None = None) -> None:
    """An object asked for and refused (absent or out of scope; the user saw a 404)."""
    collector = current.get()
    if collector is None:
        return
    collector.add(Note(kind=kind, ref=str(ref)[:64], action=action, refused=True))


def _ip(request) -> str | None:
    value = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _channel(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespace.startswith("api-"):
        return Channel.API
    return Channel.API if request.path.startswith("/api/") else Channel.PAGE


def _department_ids(user) -> str:
    # The departments the access decision used (tickets.selectors caches them on the user
    # for department specialists); never queried here, so logging stays one INSERT.
    from eenloket.tickets.selectors import scope_department_ids

    ids = scope_department_ids(user)
    return ",".join(str(i) for i in sorted(ids or ()))[:200]


def access_entries_write(*, collector: Collector, request, status: int) -> int:
    """Write what the request noted: one INSERT, however many entries."""
    noted = collector.actions(request.method or "GET")
    if not noted:
        return 0
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    api_key = getattr(request, "api_key", None)
    match = getattr(request, "resolver_match", None)
    common = {
        "trace_id": collector.trace_id,
        "parent_span_id": collector.parent_span_id,
        "started_at": collector.started_at,
        "ended_at": clock.now(),
        "name": (match.view_name if match else request.path)[:100],
        "http_status": status,
        "actor_id": user.pk if signed_in else None,
        "actor_username": user.get_username() if signed_in else "",
        "actor_role": getattr(user, "role", "") if signed_in else "",
        "actor_department_ids": _department_ids(user) if signed_in else "",
        "channel": _channel(request),
        "api_key_id": getattr(api_key, "pk", None),
        "ip_address": _ip(request),
    }
    ok = Result.OK if status < 400 else Result.FAILED
    rows = [
        (
            secrets.token_hex(8),
            note.activity,
            action,
            Result.REFUSED if note.refused else ok,
            note.kind,
            note.ref,
            note.ticket_number,
            note.person_id,
        )
        for note, action in noted
    ]
    _insert(common, rows)
    return len(rows)


# What differs between a request's entries, in the order of the row tuples above; the rest of
# the columns (`common`) is the same for all of them.
ENTRY_FIELDS = (
    "span_id",
    "activity",
    "action",
    "result",
    "object_kind",
    "object_ref",
    "ticket_number",
    "person_id",
)


def _insert(common: dict[str, Any], rows: list[tuple]) -> None:
    """The entries in one INSERT ... VALUES when the database takes them in one statement,
    else in batches inside a transaction.

    A request logs up to a page of rows (50 by default for an API list): built as model
    instances and bulk-created they cost about as much CPU as the page itself (every value
    of every row passes the field's preparation). Here the shared values are prepared once
    and the per-row values are plain text and integers that need none. One statement is
    atomic by itself, so the usual case has no BEGIN and COMMIT either.
    """
    using = access_log_database()
    connection = connections[using]
    meta = AccessEntry._meta
    shared = [meta.get_field(name) for name in common]
    shared_values = tuple(
        field.get_db_prep_save(common[field.name], connection) for field in shared
    )
    row_fields = [meta.get_field(name) for name in ENTRY_FIELDS]
    names = [field.column for field in shared] + [field.column for field in row_fields]
    columns = ", ".join(connection.ops.quote_name(name) for name in names)
    table = connection.ops.quote_name(meta.db_table)
    if connection.vendor == "postgresql" and len(rows) > 1:
        # The rows as one array per column: a statement of the same short text whatever the
        # number of rows. psycopg converts a statement's placeholders in Python and keeps the
        # result only for short statements; a VALUES list of 50 rows x 21 columns was
        # converted anew each time and cost more CPU than the rest of an API list. One row
        # (an open, a read) is cheaper as VALUES: 0.4 against 0.6 ms, arrays cost to build.
        arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in row_fields)
        marks = ", ".join(["%s"] * len(shared))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) "  # noqa: S608 (names, not data)
                f"SELECT {marks}, u.* FROM unnest({arrays}) AS u",
                [*shared_values, *(list(column) for column in zip(*rows, strict=True))],
            )
        return
    placeholders = "(" + ", ".join(["%s"] * len(names)) + ")"
    per_statement = len(rows)
    if connection.features.max_query_params:
        per_statement = max(1, connection.features.max_query_params // len(names))
    batches = [rows[n : n + per_statement] for n in range(0, len(rows), per_statement)]
    together = transaction.atomic(using=using) if len(batches) > 1 else nullcontext()
    with together, connection.cursor() as cursor:
        for batch in batches:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608 (names, not data)
                + ", ".join([placeholders] * len(batch)),
                [value for row in batch for value in (*shared_values, *row)],
            )


def retention() -> timedelta:
    return timedelta(days=settings.EENLOKET_ACCESSLOG_RETENTION_DAYS)


def access_log_purge(*, now=None) -> int:
    """Delete the entries older than the retention period (the daily job); the count."""
    cutoff = (now or clock.now()) - retention()
    with transaction.atomic(using=access_log_database()):
        return AccessEntry.objects.filter(started_at__lt=cutoff).purge()
