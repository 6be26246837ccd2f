"""Searching the access log: administrators only (to anyone else it does not exist)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet

from eenloket.accesslog.exceptions import AccessLogNotFound
from eenloket.accesslog.models import AccessEntry
from eenloket.directory.roles import Role

PAGE_SIZE = 50


def may_read_access_log(actor) -> bool:
    return bool(actor and actor.is_authenticated and actor.role == Role.ADMINISTRATOR)


@dataclass(frozen=True)
class AccessFilters:
    person_ids: tuple[int, ...] | None = None  # None: anyone; (): no one matched
    ticket_number: str = ""
    actor: str = ""  # a user name
    since: datetime | None = None
    until: datetime | None = None  # exclusive
    action: str = ""
    result: str = ""
    channel: str = ""


def _entries(*, actor, filters: AccessFilters) -> QuerySet[AccessEntry]:
    if not may_read_access_log(actor):
        raise AccessLogNotFound()
    entries = AccessEntry.objects.all()
    if filters.person_ids is not None:
        entries = entries.filter(person_id__in=filters.person_ids)
    if filters.ticket_number:
        entries = entries.filter(ticket_number=filters.ticket_number.strip().upper())
    if filters.actor:
        entries = entries.filter(actor_username=filters.actor.strip())
    if filters.since:
        entries = entries.filter(started_at__gte=filters.since)
    if filters.until:
        entries = entries.filter(started_at__lt=filters.until)
    for field in ("action", "result", "channel"):
        if getattr(filters, field):
            entries = entries.filter(**{field: getattr(filters, field)})
    return entries.order_by("-id")


def access_entries(
    *, actor, filters: AccessFilters, after: int | None = None, limit: int = PAGE_SIZE
) -> tuple[list[AccessEntry], int | None]:
    """A page of entries, newest first, and the cursor of the next page (keyset on id: ids
    grow with time, so no offset scan however deep the page)."""
    entries = _entries(actor=actor, filters=filters)
    if after is not None:
        entries = entries.filter(id__lt=after)
    page = list(entries[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    return page, (page[-1].pk if more and page else None)


def access_entries_export(
    *, actor, filters: AccessFilters, trace_id: str = ""
) -> Iterator[AccessEntry]:
    """Every matching entry, streamed in chunks (an export may hold a year). The export's
    own entry (its trace) is written before the file streams and left out of it."""
    entries = _entries(actor=actor, filters=filters)
    if trace_id:
        entries = entries.exclude(trace_id=trace_id)
    return entries.iterator(chunk_size=2000)


def activity_uri(code: str) -> str:
    """The entry's processing activity in the organization's register, when one is set."""
    template = settings.EENLOKET_ACCESSLOG_ACTIVITY_URI
    return template.replace("{code}", code) if template else code


def retention_days() -> int:
    return settings.EENLOKET_ACCESSLOG_RETENTION_DAYS
