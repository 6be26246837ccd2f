"""Access log entries for the search and export tests (the log itself is written by requests)."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from eenloket.accesslog.models import AccessEntry


class AccessEntryFactory(DjangoModelFactory):
    class Meta:
        model = AccessEntry

    trace_id = factory.Sequence(lambda n: f"{n:032x}")
    span_id = factory.Sequence(lambda n: f"{n:016x}")
    started_at = dt.datetime(2026, 4, 14, 8, 0, tzinfo=dt.UTC)
    ended_at = factory.LazyAttribute(lambda e: e.started_at)
    activity = "ticket-handling"
    name = "workspace:ticket"
    action = "view"
    result = "ok"
    http_status = 200
    object_kind = "ticket"
    object_ref = "M2026-00001"
    ticket_number = factory.LazyAttribute(lambda e: e.object_ref)
    actor_username = "servicedesk"
    actor_role = "first_line"
    channel = "page"
    ip_address = "127.0.0.1"
