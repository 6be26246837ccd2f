"""Summary tables for the dashboards: the raw aggregates take seconds at a million tickets.

`DailyFigures` holds, per local day of opening, department and priority, the same
counts the raw selectors compute plus histograms of the business time to first response and
to resolution; `DailyContacts` the tickets per organization, service and channel. The worker
rebuilds the last `REFRESH_DAYS` days every night (a ticket's figures change until it is
closed); `eenloket reports_refresh --all` rebuilds everything. Days from the last rebuild on
are read raw, in the same shape, so the dashboard is complete up to the moment.

Counts from the summary equal the raw ones; the median and p90 are read from the histogram
(linear within the bucket), so they are estimates, good to the bucket (see docs/kpis.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncWeek

from eenloket.core import clock
from eenloket.reports.models import (
    BUCKETS,
    COUNT_FIELDS,
    RESOLUTION_BUCKETS,
    RESPONSE_BUCKETS,
    DailyContacts,
    DailyFigures,
    SummaryState,
)
from eenloket.tickets.choices import Channel, Line, Status
from eenloket.tickets.selectors import tickets_for_reports

REFRESH_DAYS = 120
KEYS = ("day", "department_id", "priority")
CHANNELS = list(Channel.values)
RESOLVED = (Status.RESOLVED, Status.CLOSED)


def _local(day: date, zone) -> datetime:
    return datetime.combine(day, time(0), zone)


def _aggregates() -> dict[str, Any]:
    resolved = Q(status__in=RESOLVED)
    responded = Q(first_response_at__isnull=False)
    values: dict[str, Any] = {
        "opened": Count("id"),
        "first_contact": Count("id", filter=Q(first_contact_resolution=True)),
        "resolved": Count("id", filter=resolved),
        "first_line_only": Count("id", filter=resolved & Q(handover_count=0, line=Line.FIRST)),
        "reopened": Count("id", filter=resolved & Q(reopen_count__gt=0)),
        "handed_over": Count("id", filter=Q(handover_count__gt=0)),
        "response_measured": Count("id", filter=responded | Q(response_breached=True)),
        "response_met": Count("id", filter=responded & Q(response_breached=False)),
        "resolution_measured": Count("id", filter=resolved | Q(resolution_breached=True)),
        "resolution_met": Count("id", filter=resolved & Q(resolution_breached=False)),
    }
    bounds = [*BUCKETS[1:], None]
    for names, field, extra in (
        (RESPONSE_BUCKETS, "response_business_seconds", Q()),
        (RESOLUTION_BUCKETS, "resolution_business_seconds", resolved),
    ):
        for name, low, high in zip(names, BUCKETS, bounds, strict=True):
            condition = extra & Q(**{f"{field}__gte": low})
            if high is not None:
                condition &= Q(**{f"{field}__lt": high})
            values[name] = Count("id", filter=condition)
    return values


def grouped_rows(tickets: QuerySet, zone) -> list[dict[str, Any]]:
    """The cohort of `tickets` in summary shape: one dict per day, department and priority
    (two queries: the counts, and the tickets sent back to first line)."""
    by_key = tickets.annotate(day=TruncDate("opened_at", tzinfo=zone)).values(*KEYS)
    rows = {
        tuple(r[k] for k in KEYS): {**r, "returned": 0} for r in by_key.annotate(**_aggregates())
    }
    returned = by_key.filter(handovers__returned_at__isnull=False).annotate(
        n=Count("id", distinct=True)
    )
    for r in returned:
        row = rows.get(tuple(r[k] for k in KEYS))
        if row is not None:
            row["returned"] = r["n"]
    return list(rows.values())


def contact_rows(tickets: QuerySet, zone) -> list[dict[str, Any]]:
    by_day = tickets.annotate(day=TruncDate("opened_at", tzinfo=zone))
    result = []
    for dimension, field in (
        ("organization", "organization_id"),
        ("service", "service_id"),
        ("channel", "channel"),
    ):
        for r in by_day.values("day", field, "department_id").annotate(n=Count("id")):
            key = CHANNELS.index(r[field]) if dimension == "channel" else r[field]
            result.append(
                {
                    "day": r["day"],
                    "dimension": dimension,
                    "key": key,
                    "department_id": r["department_id"],
                    "count": r["n"],
                }
            )
    return result


def summary_refresh(
    *, zone, days: int | None = REFRESH_DAYS, progress: Callable[[str], None] = lambda m: None
) -> int:
    """Rebuild the summary for the last `days` days before today (None: all); returns rows."""
    today = clock.now().astimezone(zone).date()
    tickets = tickets_for_reports().filter(opened_at__lt=_local(today, zone))
    since = None
    if days is not None:
        since = today - timedelta(days=days)
        tickets = tickets.filter(opened_at__gte=_local(since, zone))
    progress("Counting tickets per day, department and priority ...")
    rows = grouped_rows(tickets, zone)
    contacts = contact_rows(tickets, zone)
    with transaction.atomic():
        old = DailyFigures.objects.filter(day__lt=today)
        old_contacts = DailyContacts.objects.filter(day__lt=today)
        if since is not None:
            old, old_contacts = old.filter(day__gte=since), old_contacts.filter(day__gte=since)
        old.delete()
        old_contacts.delete()
        DailyFigures.objects.bulk_create((DailyFigures(**row) for row in rows), batch_size=2000)
        DailyContacts.objects.bulk_create(
            (DailyContacts(**row) for row in contacts), batch_size=2000
        )
        SummaryState.objects.all().delete()
        SummaryState.objects.create(complete_until=today, refreshed_at=clock.now())
    progress(f"{len(rows):,} summary rows and {len(contacts):,} contact rows written.")
    return len(rows)


def summary_until() -> date | None:
    state = SummaryState.objects.first()
    return state.complete_until if state else None


def _group_key(row: dict[str, Any], group_by: list[str]) -> tuple:
    values = []
    for key in group_by:
        if key == "week":
            values.append(row["day"] - timedelta(days=row["day"].weekday()))
        else:
            values.append(row[key])
    return tuple(values)


def summary_rows(
    *, first: date, last: date, until: date, zone, filters: dict[str, Any], group_by: Iterable[str]
) -> list[dict[str, Any]]:
    """Summed rows for the days [first, last], grouped by `group_by` (of KEYS, or "week" for
    the Monday): from the summary before `until`, from the tickets from then on."""
    group_by = list(group_by)
    fields = (*COUNT_FIELDS, *RESPONSE_BUCKETS, *RESOLUTION_BUCKETS)
    merged: dict[tuple, dict[str, Any]] = {}

    def add(key: tuple, row: dict[str, Any]) -> None:
        target = merged.setdefault(
            key, {**dict(zip(group_by, key, strict=True)), **dict.fromkeys(fields, 0)}
        )
        for name in fields:
            target[name] += row.get(name) or 0

    if first < until:
        stored = DailyFigures.objects.filter(
            day__gte=first, day__lte=min(last, until - timedelta(days=1)), **filters
        )
        if "week" in group_by:
            stored = stored.annotate(week=TruncWeek("day"))
        sums = {name: Sum(name) for name in fields}
        if group_by:
            for row in stored.values(*group_by).annotate(**sums).order_by():
                if "week" in row and isinstance(row["week"], datetime):
                    row["week"] = row["week"].date()
                add(tuple(row[k] for k in group_by), row)
        else:
            add((), stored.aggregate(**sums))
    if last >= until:
        tickets = tickets_for_reports().filter(
            opened_at__gte=_local(max(first, until), zone),
            opened_at__lt=_local(last + timedelta(days=1), zone),
            **filters,
        )
        for row in grouped_rows(tickets, zone):
            add(_group_key(row, group_by), row)
    return list(merged.values())


def contact_counts(
    *, first: date, last: date, until: date, zone, dimension: str, filters: dict[str, Any]
) -> dict[int, int]:
    counts: dict[int, int] = {}
    if first < until:
        stored = DailyContacts.objects.filter(
            dimension=dimension,
            day__gte=first,
            day__lte=min(last, until - timedelta(days=1)),
            **filters,
        )
        for r in stored.values("key").annotate(n=Sum("count")):
            counts[r["key"]] = counts.get(r["key"], 0) + r["n"]
    if last >= until:
        tickets = tickets_for_reports().filter(
            opened_at__gte=_local(max(first, until), zone),
            opened_at__lt=_local(last + timedelta(days=1), zone),
            **filters,
        )
        field = "channel" if dimension == "channel" else f"{dimension}_id"
        for r in tickets.values(field).annotate(n=Count("id")):
            key = CHANNELS.index(r[field]) if dimension == "channel" else r[field]
            counts[key] = counts.get(key, 0) + r["n"]
    return counts


def bucket_percentile(counts: list[int], fraction: float) -> float | None:
    """The percentile read from a histogram: linear within the bucket that holds the rank;
    in the open last bucket, its lower bound."""
    total = sum(counts)
    if not total:
        return None
    rank = (total - 1) * fraction
    seen = 0
    for index, n in enumerate(counts):
        if n and rank < seen + n:
            low = BUCKETS[index]
            if index + 1 >= len(BUCKETS):
                return float(low)
            high = BUCKETS[index + 1]
            return low + (high - low) * ((rank - seen + 0.5) / n)
        seen += n
    return float(BUCKETS[-1])
