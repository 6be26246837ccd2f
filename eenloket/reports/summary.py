"""Summary tables for the dashboards: the raw aggregates take seconds at a million tickets.

`ReportCube` holds, per local day of opening, the cohort's counts summed at several grains
(`models.GRAINS`): by department and priority, by each filter dimension, and by all of them
(department x priority x organization x channel x service). A question (filters plus a
grouping) is answered from the smallest grain that holds every dimension it names, so each
filter combination the dashboards offer reads a few thousand rows rather than the tickets.

The full grain is counted from the tickets in one INSERT ... SELECT; the other grains are
summed from it in the database. The worker rebuilds the last `REFRESH_DAYS` days every
night (a ticket's figures change until it is closed); `eenloket reports_refresh --all`
rebuilds everything. Days from the last rebuild on (normally today) are counted from the
tickets in the same shape, so the dashboard is complete up to the moment.

Counts from the summary equal the raw ones. Medians and p90s are read from histograms of
business time (`models.BUCKETS`): the estimate lies in the bucket of the exact value, so it
is off by less than that bucket's width (docs/kpis.md).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from eenloket.core import clock
from eenloket.reports.models import (
    BUCKETS,
    COUNT_FIELDS,
    GRAINS,
    MAX_FIELDS,
    RESOLUTION_BUCKETS,
    RESPONSE_BUCKETS,
    TIME_FIELDS,
    ReportCube,
    SummaryState,
)
from eenloket.tickets.choices import Line, Status
from eenloket.tickets.selectors import returned_to_first_line, tickets_for_reports

REFRESH_DAYS = 120
RESOLVED = (Status.RESOLVED, Status.CLOSED)
FULL = "full"
# What a grain carries, from least to most; a question asks for one of these.
KINDS = ("opened", "counts", "times")
LABELS = {
    "department_id": "department",
    "priority": "priority",
    "organization_id": "organization",
    "channel": "channel",
    "service_id": "service",
}


def measures(kind: str) -> tuple[str, ...]:
    if kind == "opened":
        return ("opened",)
    if kind == "counts":
        return COUNT_FIELDS
    return COUNT_FIELDS + TIME_FIELDS


def _local(day: date, zone) -> datetime:
    return datetime.combine(day, time(0), zone)


def _aggregates(kind: str = "times") -> dict[str, Any]:
    """The measures of a cohort as aggregates over tickets (definitions: docs/kpis.md)."""
    resolved = Q(status__in=RESOLVED)
    responded = Q(first_response_at__isnull=False)
    values: dict[str, Any] = {
        "opened": Count("id"),
        "first_contact": Count("id", filter=Q(first_contact_resolution=True)),
        "resolved": Count("id", filter=resolved),
        "first_line_only": Count("id", filter=resolved & Q(handover_count=0, line=Line.FIRST)),
        "reopened": Count("id", filter=resolved & Q(reopen_count__gt=0)),
        "handed_over": Count("id", filter=Q(handover_count__gt=0)),
        "returned": Count("id", filter=Q(returned_to_first_line())),
        "response_measured": Count("id", filter=responded | Q(response_breached=True)),
        "response_met": Count("id", filter=responded & Q(response_breached=False)),
        "resolution_measured": Count("id", filter=resolved | Q(resolution_breached=True)),
        "resolution_met": Count("id", filter=resolved & Q(resolution_breached=False)),
    }
    if kind == "times":
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
        values["response_max"] = Max("response_business_seconds")
        values["resolution_max"] = Max("resolution_business_seconds", filter=resolved)
    return {name: values[name] for name in measures(kind)}


def _dimensions(keys: Iterable[str]) -> set[str]:
    """The cube dimensions named by filter keys ("department_id__in") and groupings."""
    return {key.split("__")[0] for key in keys if key not in ("day", "week")}


def grain_for(dimensions: set[str], kind: str) -> str:
    """The smallest grain that holds every dimension and carries `kind` of measure."""
    needed = KINDS.index(kind)
    for grain, (fields, carries) in GRAINS.items():
        if dimensions <= set(fields) and KINDS.index(carries) >= needed:
            return grain
    raise ValueError(f"no grain holds {sorted(dimensions)}")


# --- rebuilding ------------------------------------------------------------------------------


def _insert_full(tickets: QuerySet, zone) -> None:
    """Count the tickets into the full grain with one INSERT ... SELECT (no rows in Python)."""
    dims = GRAINS[FULL][0]
    names = measures("times")
    select = (
        tickets.annotate(day=TruncDate("opened_at", tzinfo=zone))
        .values("day", *dims)
        .annotate(**_aggregates("times"))
        .order_by()
    )
    sql, params = select.query.sql_with_params()
    q = connection.ops.quote_name
    columns = ["day", "grain", *dims, *names]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(ReportCube._meta.db_table)} ({', '.join(map(q, columns))}) "  # noqa: S608
            f"SELECT sub.{q('day')}, %s, {', '.join(f'sub.{q(c)}' for c in [*dims, *names])} "
            f"FROM ({sql}) sub",
            [FULL, *params],
        )


def _roll_up(grain: str, since: date | None, today: date) -> None:
    """Sum the full grain's rows of the days [since, today) into `grain`, in the database."""
    dims, kind = GRAINS[grain]
    q = connection.ops.quote_name
    names = measures(kind)
    sums = [f"{'MAX' if n in MAX_FIELDS else 'SUM'}({q(n)})" for n in names]
    keys = ", ".join(q(c) for c in ("day", *dims))
    where, params = f"{q('grain')} = %s AND {q('day')} < %s", [FULL, today]
    if since is not None:
        where += f" AND {q('day')} >= %s"
        params.append(since)
    table = q(ReportCube._meta.db_table)
    columns = ", ".join(q(c) for c in ("grain", "day", *dims, *names))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT %s, {keys}, {', '.join(sums)} "  # noqa: S608
            f"FROM {table} WHERE {where} GROUP BY {keys}",
            [grain, *params],
        )


def summary_refresh(
    *, zone, days: int | None = REFRESH_DAYS, progress: Callable[[str], None] = lambda m: None
) -> int:
    """Rebuild the summary for the last `days` days before today (None: all); returns the
    number of rows written. Today is never stored: it is counted from the tickets."""
    today = clock.now().astimezone(zone).date()
    tickets = tickets_for_reports().filter(opened_at__lt=_local(today, zone))
    since = None
    if days is not None:
        since = today - timedelta(days=days)
        tickets = tickets.filter(opened_at__gte=_local(since, zone))
    with transaction.atomic():
        old = ReportCube.objects.filter(day__lt=today)
        if since is not None:
            old = old.filter(day__gte=since)
        old.delete()
        progress(
            "Counting tickets per day, department, priority, organization, channel and service ..."
        )
        _insert_full(tickets, zone)
        for grain, (dims, _kind) in GRAINS.items():
            if grain != FULL:
                progress(f"Summing per {', '.join(LABELS[d] for d in dims)} ...")
                _roll_up(grain, since, today)
        SummaryState.objects.all().delete()
        SummaryState.objects.create(complete_until=today, refreshed_at=clock.now())
        written = ReportCube.objects.filter(day__lt=today)
        if since is not None:
            written = written.filter(day__gte=since)
        rows = written.count()
    progress(f"{rows:,} summary rows written.")
    return rows


def summary_until() -> date | None:
    state = SummaryState.objects.first()
    return state.complete_until if state else None


# --- reading ---------------------------------------------------------------------------------


def _group_key(row: dict[str, Any], group_by: list[str]) -> tuple:
    values = []
    for key in group_by:
        if key == "week":
            day = row["day"]
            if isinstance(day, datetime):
                day = day.date()
            values.append(day - timedelta(days=day.weekday()))
        else:
            values.append(row[key])
    return tuple(values)


def summary_rows(
    *,
    first: date,
    last: date,
    until: date,
    zone,
    filters: dict[str, Any],
    group_by: Iterable[str] = (),
    kind: str = "times",
) -> list[dict[str, Any]]:
    """Summed rows for the days [first, last], grouped by `group_by` (dimension fields, or
    "week" for the Monday): from the cube before `until`, from the tickets from then on."""
    group_by = list(group_by)
    names = measures(kind)
    merged: dict[tuple, dict[str, Any]] = {}

    def add(key: tuple, row: dict[str, Any]) -> None:
        target = merged.get(key)
        if target is None:
            target = merged[key] = {
                **dict(zip(group_by, key, strict=True)),
                **dict.fromkeys(names, 0),
            }
        for name in names:
            value = row.get(name) or 0
            target[name] = max(target[name], value) if name in MAX_FIELDS else target[name] + value

    dims = sorted(_dimensions([*filters, *group_by]))
    if first < until:
        grain = grain_for(set(dims), kind)
        stored = ReportCube.objects.filter(
            grain=grain, day__gte=first, day__lte=min(last, until - timedelta(days=1)), **filters
        )
        sums = {n: Max(n) if n in MAX_FIELDS else Sum(n) for n in names}
        keys = ["day" if k == "week" else k for k in group_by]
        if keys:
            for row in stored.values(*keys).annotate(**sums).order_by():
                add(_group_key(row, group_by), row)
        else:
            add((), stored.aggregate(**sums))
    if last >= until:
        tickets = tickets_for_reports().filter(
            opened_at__gte=_local(max(first, until), zone),
            opened_at__lt=_local(last + timedelta(days=1), zone),
            **filters,
        )
        keys = ["day" if k == "week" else k for k in group_by]
        raw = (
            tickets.annotate(day=TruncDate("opened_at", tzinfo=zone))
            .values(*dict.fromkeys(["day", *keys]))
            .annotate(**_aggregates(kind))
            .order_by()
        )
        for row in raw:
            if isinstance(row["day"], str):  # SQLite without a date converter
                row["day"] = date.fromisoformat(row["day"])
            add(_group_key(row, group_by), row)
    return list(merged.values())


# --- percentiles from the histograms ---------------------------------------------------------


def bucket_of(seconds: float) -> int:
    """The index of the histogram bucket that holds `seconds`."""
    index = 0
    for i, low in enumerate(BUCKETS):
        if seconds >= low:
            index = i
    return index


def bucket_width(index: int, maximum: float | None = None) -> float:
    if index + 1 < len(BUCKETS):
        return BUCKETS[index + 1] - BUCKETS[index]
    return max(0.0, (maximum or BUCKETS[index]) - BUCKETS[index]) + 1


def bucket_percentile(
    counts: list[int], fraction: float, maximum: float | None = None
) -> float | None:
    """The percentile (linear interpolation between the closest ranks, as percentile_cont)
    read from a histogram: each rank's value is placed evenly within its bucket; the open
    last bucket ends at `maximum`. Off from the exact value by less than the width of the
    bucket(s) holding the two closest ranks."""
    total = sum(counts)
    if not total:
        return None
    position = (total - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    below = _rank_value(counts, low, maximum)
    above = _rank_value(counts, high, maximum)
    return below + (above - below) * (position - low)


def _rank_value(counts: list[int], rank: int, maximum: float | None) -> float:
    seen = 0
    for index, n in enumerate(counts):
        if n and rank < seen + n:
            start = BUCKETS[index]
            if index + 1 < len(BUCKETS):
                end = BUCKETS[index + 1]
            else:
                end = max(float(start), float(maximum if maximum is not None else start))
            if maximum is not None:
                end = min(end, float(maximum))
            if end - start <= 1:  # a bucket of one whole second: the value itself
                return float(start)
            return start + (end - start) * ((rank - seen + 0.5) / n)
        seen += n
    return float(maximum if maximum is not None else BUCKETS[-1])
