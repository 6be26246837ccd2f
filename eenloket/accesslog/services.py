"""Writing the access log. Other apps note accesses through these functions (from their
scoped selectors, so every page and endpoint that goes through them is covered); the
middleware writes what a request noted in one INSERT at its end."""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Iterable
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
    access_note(
        kind=ObjectKind.TICKET,
        ref=ticket.number,
        person_id=ticket.requester_id,
        ticket_number=ticket.number,
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
    entries = [
        AccessEntry(
            **common,
            span_id=secrets.token_hex(8),
            activity=note.activity,
            action=action,
            result=Result.REFUSED if note.refused else ok,
            object_kind=note.kind,
            object_ref=note.ref,
            ticket_number=note.ticket_number,
            person_id=note.person_id,
        )
        for note, action in noted
    ]
    _insert(entries)
    return len(entries)


def _insert(entries: list[AccessEntry]) -> None:
    """One INSERT for all rows when the database takes them in one statement (a page of 200
    tickets is 4,400 parameters), else bulk_create's batches in a transaction.

    A single statement is atomic by itself: bulk_create's transaction would add BEGIN and
    COMMIT, two more round trips, to every request that logs more than one row (an opening
    for a customer: the person and the ticket; a list: every row).
    """
    using = access_log_database()
    fields = [f for f in AccessEntry._meta.concrete_fields if not f.primary_key]
    if connections[using].ops.bulk_batch_size(fields, entries) < len(entries):
        AccessEntry.objects.using(using).bulk_create(entries)
        return
    # QuerySet._insert is what bulk_create runs per batch, without the transaction around.
    AccessEntry.objects.using(using)._insert(entries, fields=fields, using=using)


def retention() -> timedelta:
    return timedelta(days=settings.EENLOKET_ACCESSLOG_RETENTION_DAYS)


def access_log_purge(*, now=None) -> int:
    """Delete the entries older than the retention period (the daily job); the count."""
    cutoff = (now or clock.now()) - retention()
    with transaction.atomic(using=access_log_database()):
        return AccessEntry.objects.filter(started_at__lt=cutoff).purge()
