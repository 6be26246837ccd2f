"""The KPIs of the service office, as reads scoped by the actor. Definitions: docs/kpis.md.

A period is a range of local (Europe/Amsterdam) dates, both ends included. Ticket figures
count the tickets *opened* in the period (their cohort), satisfaction the tickets *resolved*
in it, the backlog is what is open now. Team leads, change leads and administrators see every
department; a department specialist sees the figures of their own department(s) only.

Median and p90 are the linear-interpolation percentiles (PostgreSQL's percentile_cont; the
same formula in Python on SQLite).
"""

from __future__ import annotations

import hashlib
import importlib
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Aggregate, Count, FloatField, Q, QuerySet
from django.db.models.functions import TruncWeek

from eenloket.catalog.selectors import service_list
from eenloket.core import clock
from eenloket.directory.roles import Role
from eenloket.directory.selectors import department_list, organization_list
from eenloket.reports import summary
from eenloket.reports.models import RESOLUTION_BUCKETS, RESPONSE_BUCKETS
from eenloket.surveys import selectors as surveys
from eenloket.tickets.choices import OPEN_STATUSES, Channel, Line, Status
from eenloket.tickets.selectors import tickets_for_reports

if TYPE_CHECKING:
    from eenloket.directory.models import User

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
WHOLE_DESK_ROLES = frozenset({Role.TEAM_LEAD, Role.CHANGE_LEAD, Role.ADMINISTRATOR})
DIMENSIONS = ("channel", "organization", "department", "service")
BACKLOG_BUCKETS = ((1, "< 1"), (3, "1-3"), (7, "3-7"), (30, "7-30"), (None, "> 30"))
RESOLVED = (Status.RESOLVED, Status.CLOSED)
# Optional figures of the channel apps: shown when the app provides this selector.
CHANNEL_FIGURES = {
    "phone": "eenloket.channels.phone.selectors.phone_report_figures",
    "counter": "eenloket.channels.counter.selectors.counter_report_figures",
}


# --- period, filters, scope ----------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # included

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(0), AMSTERDAM)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(0), AMSTERDAM)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Period:
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1))

    @classmethod
    def last_weeks(cls, weeks: int = 4, today: date | None = None) -> Period:
        today = today or clock.now().astimezone(AMSTERDAM).date()
        monday = today - timedelta(days=today.weekday())
        return cls(monday - timedelta(weeks=weeks), monday - timedelta(days=1))


@dataclass(frozen=True)
class ReportFilters:
    organization_id: int | None = None
    department_id: int | None = None
    channel: str | None = None
    service_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


def sees_whole_desk(actor: User | None) -> bool:
    return bool(actor and actor.is_authenticated and actor.role in WHOLE_DESK_ROLES)


def report_department_ids(actor: User | None) -> list[int] | None:
    """None: every department. A list: only these (a specialist's own). [] : nothing."""
    if sees_whole_desk(actor):
        return None
    if actor and actor.is_authenticated and actor.role == Role.SPECIALIST:
        return list(actor.departments.values_list("id", flat=True))
    return []


def can_see_reports(actor: User | None) -> bool:
    return report_department_ids(actor) != []


def can_see_department(actor: User | None, department_id: int) -> bool:
    ids = report_department_ids(actor)
    return ids is None or department_id in ids


def _scoped_filters(actor: User, filters: ReportFilters) -> dict[str, Any]:
    values = filters.as_dict()
    ids = report_department_ids(actor)
    if ids is not None and values.get("department_id") not in ids:
        values["department_id__in"] = ids
    return values


def _cohort(actor: User, period: Period, filters: ReportFilters) -> QuerySet:
    return tickets_for_reports().filter(
        opened_at__gte=period.start, opened_at__lt=period.end, **_scoped_filters(actor, filters)
    )


# --- percentiles ---------------------------------------------------------------------------


class PercentileCont(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, *, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def percentile(values: list[float], fraction: float) -> float | None:
    """Linear interpolation between the closest ranks, as percentile_cont does."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _has_percentile() -> bool:
    return connection.vendor == "postgresql"


# --- ticket figures ------------------------------------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class TicketFigures:
    opened: int = 0
    first_contact: int = 0
    resolved: int = 0
    first_line_only: int = 0
    reopened: int = 0
    handed_over: int = 0
    response_measured: int = 0
    response_met: int = 0
    resolution_measured: int = 0
    resolution_met: int = 0
    response_median: float | None = None
    response_p90: float | None = None
    resolution_median: float | None = None
    resolution_p90: float | None = None

    @property
    def fcr_rate(self):
        return _share(self.first_contact, self.opened)

    @property
    def first_line_rate(self):
        return _share(self.first_line_only, self.resolved)

    @property
    def reopen_rate(self):
        return _share(self.reopened, self.resolved)

    @property
    def handover_rate(self):
        return _share(self.handed_over, self.opened)

    @property
    def response_compliance(self):
        return _share(self.response_met, self.response_measured)

    @property
    def resolution_compliance(self):
        return _share(self.resolution_met, self.resolution_measured)


def _counts() -> dict[str, Any]:
    resolved = Q(status__in=RESOLVED)
    responded = Q(first_response_at__isnull=False)
    return {
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


def _percentiles() -> dict[str, Any]:
    resolved = Q(status__in=RESOLVED)
    return {
        "response_median": PercentileCont("response_business_seconds", fraction=0.5),
        "response_p90": PercentileCont("response_business_seconds", fraction=0.9),
        "resolution_median": PercentileCont(
            "resolution_business_seconds", fraction=0.5, filter=resolved
        ),
        "resolution_p90": PercentileCont(
            "resolution_business_seconds", fraction=0.9, filter=resolved
        ),
    }


def ticket_figures(*, actor: User, period: Period, filters: ReportFilters) -> TicketFigures:
    """Counts, shares and business-time percentiles of the period's cohort (1-2 queries)."""
    cohort = _cohort(actor, period, filters)
    if _has_percentile():
        return TicketFigures(**cohort.aggregate(**_counts(), **_percentiles()))
    figures = TicketFigures(**cohort.aggregate(**_counts()))
    response, resolution = [], []
    for seconds, solved, status in cohort.values_list(
        "response_business_seconds", "resolution_business_seconds", "status"
    ):
        if seconds is not None:
            response.append(seconds)
        if solved is not None and status in RESOLVED:
            resolution.append(solved)
    figures.response_median = percentile(response, 0.5)
    figures.response_p90 = percentile(response, 0.9)
    figures.resolution_median = percentile(resolution, 0.5)
    figures.resolution_p90 = percentile(resolution, 0.9)
    return figures


# --- breakdowns ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    key: Any
    label: str
    count: int


def contacts_by(
    *, actor: User, period: Period, filters: ReportFilters, dimension: str
) -> list[Row]:
    """Tickets opened per channel, organization, department or service, most first."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    cohort = _cohort(actor, period, filters)
    if dimension == "channel":
        labels = dict(Channel.choices)
        rows = cohort.values("channel").annotate(n=Count("id"))
        result = [
            Row(r["channel"], str(labels.get(r["channel"], r["channel"])), r["n"]) for r in rows
        ]
    else:
        key = f"{dimension}_id"
        label = {
            "organization": "organization__name",
            "department": "department__name_nl",
            "service": "service__name_nl",
        }[dimension]
        rows = cohort.values(key, label).annotate(n=Count("id"))
        result = [Row(r[key], r[label], r["n"]) for r in rows]
    return sorted(result, key=lambda r: (-r.count, r.label))


@dataclass
class SlaRow:
    department: str
    priority: str
    response_measured: int
    response_met: int
    resolution_measured: int
    resolution_met: int

    @property
    def response_compliance(self):
        return _share(self.response_met, self.response_measured)

    @property
    def resolution_compliance(self):
        return _share(self.resolution_met, self.resolution_measured)


def sla_by_department_priority(
    *, actor: User, period: Period, filters: ReportFilters
) -> list[SlaRow]:
    counts = {k: v for k, v in _counts().items() if k.startswith(("response", "resolution"))}
    rows = (
        _cohort(actor, period, filters)
        .values("department__name_nl", "priority")
        .annotate(**counts)
        .order_by("department__name_nl", "priority")
    )
    return [
        SlaRow(
            r["department__name_nl"],
            r["priority"],
            r["response_measured"],
            r["response_met"],
            r["resolution_measured"],
            r["resolution_met"],
        )
        for r in rows
    ]


@dataclass
class HandoverRow:
    department_id: int
    department: str
    opened: int = 0
    handed_over: int = 0
    returned: int = 0  # of the handed-over tickets, those sent back to first line

    @property
    def handover_rate(self):
        return _share(self.handed_over, self.opened)

    @property
    def return_rate(self):
        return _share(self.returned, self.handed_over)


def handovers_by_department(
    *, actor: User, period: Period, filters: ReportFilters
) -> list[HandoverRow]:
    """Per department: the share of its tickets handed over from first line, and of those,
    the share it sent back to first line at least once."""
    cohort = _cohort(actor, period, filters)
    rows: dict[int, HandoverRow] = {}
    for r in cohort.values("department_id", "department__name_nl").annotate(
        n=Count("id"), h=Count("id", filter=Q(handover_count__gt=0))
    ):
        rows[r["department_id"]] = HandoverRow(
            r["department_id"], r["department__name_nl"], r["n"], r["h"]
        )
    returned = (
        cohort.filter(handovers__returned_at__isnull=False)
        .values("department_id")
        .annotate(n=Count("id", distinct=True))
    )
    for r in returned:
        rows[r["department_id"]].returned = r["n"]
    return sorted(rows.values(), key=lambda row: row.department)


@dataclass
class Backlog:
    total: int = 0
    buckets: list[tuple[str, int]] = field(default_factory=list)
    oldest_days: float | None = None


def backlog(*, actor: User, filters: ReportFilters) -> Backlog:
    """The tickets open now, by age in calendar days since opening. Kept for
    EENLOKET_REPORTS_BACKLOG_SECONDS: counting the open tickets is the dashboards' one raw
    query over a large set (a tenth of all tickets)."""
    seconds = int(getattr(settings, "EENLOKET_REPORTS_BACKLOG_SECONDS", 60))
    scope = repr((report_department_ids(actor), sorted(filters.as_dict().items())))
    key = "reports:backlog:" + hashlib.sha256(scope.encode()).hexdigest()[:32]
    if seconds:
        cached = cache.get(key)
        if cached is not None:
            return cached
    result = _backlog(actor=actor, filters=filters)
    if seconds:
        cache.set(key, result, seconds)
    return result


def _backlog(*, actor: User, filters: ReportFilters) -> Backlog:
    now = clock.now()
    open_tickets = tickets_for_reports().filter(
        status__in=OPEN_STATUSES, **_scoped_filters(actor, filters)
    )
    aggregates: dict[str, Any] = {"total": Count("id")}
    lower = None
    for index, (upper, _label) in enumerate(BACKLOG_BUCKETS):
        condition = Q()
        if upper is not None:
            condition &= Q(opened_at__gt=now - timedelta(days=upper))
        if lower is not None:
            condition &= Q(opened_at__lte=now - timedelta(days=lower))
        aggregates[f"b{index}"] = Count("id", filter=condition)
        lower = upper
    counts = open_tickets.aggregate(**aggregates)
    result = Backlog(
        total=counts["total"],
        buckets=[(label, counts[f"b{i}"]) for i, (_u, label) in enumerate(BACKLOG_BUCKETS)],
    )
    if result.total:
        oldest = open_tickets.order_by("opened_at").values_list("opened_at", flat=True).first()
        result.oldest_days = (now - oldest).total_seconds() / 86400
    return result


# --- weekly trend --------------------------------------------------------------------------


@dataclass
class Week:
    monday: date
    opened: int = 0
    first_contact: int = 0
    handed_over: int = 0
    resolution_measured: int = 0
    resolution_met: int = 0
    grade_total: int = 0
    grade_count: int = 0

    @property
    def fcr_rate(self):
        return _share(self.first_contact, self.opened)

    @property
    def handover_rate(self):
        return _share(self.handed_over, self.opened)

    @property
    def resolution_compliance(self):
        return _share(self.resolution_met, self.resolution_measured)

    @property
    def grade_mean(self):
        return self.grade_total / self.grade_count if self.grade_count else None


def _add_grades(
    weeks: dict[date, Week],
    period: Period,
    filters: dict[str, Any],
    by_week: dict[date, tuple[int, int]] | None = None,
) -> None:
    if by_week is None:
        by_week = surveys.satisfaction_by_week(
            start=period.start, end=period.end, filters=filters, zone=AMSTERDAM
        )
    for monday, (total, count) in by_week.items():
        week = weeks.get(monday)
        if week is not None:
            week.grade_total, week.grade_count = total, count


def weekly_trend(*, actor: User, period: Period, filters: ReportFilters) -> list[Week]:
    """One row per week (Monday to Sunday, local) that the period touches."""
    counts = {
        k: v
        for k, v in _counts().items()
        if k in ("opened", "first_contact", "handed_over", "resolution_measured", "resolution_met")
    }
    weeks: dict[date, Week] = {}
    day = period.first - timedelta(days=period.first.weekday())
    while day <= period.last:
        weeks[day] = Week(day)
        day += timedelta(weeks=1)
    rows = (
        _cohort(actor, period, filters)
        .annotate(week=TruncWeek("opened_at", tzinfo=AMSTERDAM))
        .values("week")
        .annotate(**counts)
    )
    for r in rows:
        monday = r["week"].date() if isinstance(r["week"], datetime) else r["week"]
        week = weeks.setdefault(monday, Week(monday))
        for key in counts:
            setattr(week, key, r[key])
    _add_grades(weeks, period, _survey_filters(actor, filters))
    return [weeks[k] for k in sorted(weeks)]


def _survey_filters(actor: User, filters: ReportFilters) -> dict[str, Any]:
    return _scoped_filters(actor, filters)


def satisfaction(*, actor: User, period: Period, filters: ReportFilters) -> surveys.Satisfaction:
    return surveys.satisfaction_figures(
        start=period.start, end=period.end, filters=_survey_filters(actor, filters)
    )


def pulse_mean(*, period: Period) -> tuple[float | None, int]:
    return surveys.pulse_mean(start=period.start, end=period.end)


def channel_figures(*, period: Period, filters: ReportFilters) -> dict[str, Any]:
    """Figures the phone and counter apps provide, when they are installed."""
    found = {}
    for name, path in CHANNEL_FIGURES.items():
        module_path, _, function = path.rpartition(".")
        try:
            module = importlib.import_module(module_path)
        except ImportError:
            continue
        provider = getattr(module, function, None)
        if provider is not None:
            found[name] = provider(start=period.start, end=period.end, filters=filters.as_dict())
    return found


# --- the dashboard in one call -------------------------------------------------------------


@dataclass
class Dashboard:
    period: Period
    previous: Period
    filters: ReportFilters
    figures: TicketFigures
    previous_figures: TicketFigures
    satisfaction: Any
    previous_satisfaction: Any
    pulse: tuple[float | None, int]
    contacts: dict[str, list[Row]]
    sla: list[SlaRow]
    handovers: list[HandoverRow]
    backlog: Backlog
    weeks: list[Week]
    channels: dict[str, Any]

    @property
    def is_empty(self) -> bool:
        return self.figures.opened == 0 and self.satisfaction.responses == 0


@dataclass(frozen=True)
class Reference:
    """The lists that label the figures; a page that has read them passes them on."""

    organizations: list
    departments: list
    services: list

    @classmethod
    def read(cls) -> Reference:
        return cls(list(organization_list()), list(department_list()), list(service_list()))


def dashboard(
    *, actor: User, period: Period, filters: ReportFilters, reference: Reference | None = None
) -> Dashboard:
    """Every figure of the dashboards: from the summary tables once they have been built
    (every filter combination is answered there), else from the tickets themselves."""
    until = summary.summary_until()
    if until is not None:
        return _summary_dashboard(
            actor=actor,
            period=period,
            filters=filters,
            until=until,
            reference=reference or Reference.read(),
        )
    previous = period.previous()
    return Dashboard(
        period=period,
        previous=previous,
        filters=filters,
        figures=ticket_figures(actor=actor, period=period, filters=filters),
        previous_figures=ticket_figures(actor=actor, period=previous, filters=filters),
        satisfaction=satisfaction(actor=actor, period=period, filters=filters),
        previous_satisfaction=satisfaction(actor=actor, period=previous, filters=filters),
        pulse=pulse_mean(period=period),
        contacts={
            d: contacts_by(actor=actor, period=period, filters=filters, dimension=d)
            for d in DIMENSIONS
        },
        sla=sla_by_department_priority(actor=actor, period=period, filters=filters),
        handovers=handovers_by_department(actor=actor, period=period, filters=filters),
        backlog=backlog(actor=actor, filters=filters),
        weeks=weekly_trend(actor=actor, period=period, filters=filters),
        channels=channel_figures(period=period, filters=filters),
    )


# --- the same, from the summary tables -----------------------------------------------------


def _figures_from(rows: list[dict[str, Any]]) -> TicketFigures:
    totals = rows[0] if rows else {}
    figures = TicketFigures(**{name: totals.get(name) or 0 for name in _counts()})
    response = [totals.get(name) or 0 for name in RESPONSE_BUCKETS]
    resolution = [totals.get(name) or 0 for name in RESOLUTION_BUCKETS]
    response_max, resolution_max = totals.get("response_max"), totals.get("resolution_max")
    figures.response_median = summary.bucket_percentile(response, 0.5, response_max)
    figures.response_p90 = summary.bucket_percentile(response, 0.9, response_max)
    figures.resolution_median = summary.bucket_percentile(resolution, 0.5, resolution_max)
    figures.resolution_p90 = summary.bucket_percentile(resolution, 0.9, resolution_max)
    return figures


DIMENSION_FIELD = {
    "organization": "organization_id",
    "channel": "channel",
    "service": "service_id",
    "department": "department_id",
}


def _summary_dashboard(
    *, actor: User, period: Period, filters: ReportFilters, until: date, reference: Reference
) -> Dashboard:
    scoped = _scoped_filters(actor, filters)

    def rows(p: Period, *group_by: str, kind: str = "counts") -> list[dict[str, Any]]:
        return summary.summary_rows(
            first=p.first,
            last=p.last,
            until=until,
            zone=AMSTERDAM,
            filters=scoped,
            group_by=group_by,
            kind=kind,
        )

    departments = {d.pk: d.name_nl for d in reference.departments}
    channel_labels = {value: str(label) for value, label in Channel.choices}
    names = {
        "organization": {o.pk: o.name for o in reference.organizations},
        "service": {s.pk: s.name_nl for s in reference.services},
        "department": departments,
        "channel": channel_labels,
    }

    def ranked(pairs) -> list[Row]:
        return sorted((r for r in pairs if r.count), key=lambda r: (-r.count, r.label))

    by_department = rows(period, "department_id")
    contacts = {}
    for dimension in DIMENSIONS:
        field_name = DIMENSION_FIELD[dimension]
        found = (
            by_department if dimension == "department" else rows(period, field_name, kind="opened")
        )
        contacts[dimension] = ranked(
            Row(
                r[field_name],
                names[dimension].get(r[field_name], str(r[field_name])),
                r["opened"],
            )
            for r in found
        )

    sla = [
        SlaRow(
            departments.get(r["department_id"], ""),
            r["priority"],
            r["response_measured"],
            r["response_met"],
            r["resolution_measured"],
            r["resolution_met"],
        )
        for r in rows(period, "department_id", "priority")
        if r["opened"]
    ]
    sla.sort(key=lambda row: (row.department, row.priority))
    handovers = sorted(
        (
            HandoverRow(
                r["department_id"],
                departments.get(r["department_id"], ""),
                r["opened"],
                r["handed_over"],
                r["returned"],
            )
            for r in by_department
            if r["opened"]
        ),
        key=lambda row: row.department,
    )

    weeks: dict[date, Week] = {}
    day = period.first - timedelta(days=period.first.weekday())
    while day <= period.last:
        weeks[day] = Week(day)
        day += timedelta(weeks=1)
    for r in rows(period, "week"):
        week = weeks.setdefault(r["week"], Week(r["week"]))
        week.opened, week.first_contact, week.handed_over = (
            r["opened"],
            r["first_contact"],
            r["handed_over"],
        )
        week.resolution_measured, week.resolution_met = (
            r["resolution_measured"],
            r["resolution_met"],
        )
    # One pass over the answers gives the period's grades and its weekly means.
    grades, by_week = surveys.satisfaction_with_weeks(
        start=period.start, end=period.end, filters=_survey_filters(actor, filters), zone=AMSTERDAM
    )
    _add_grades(weeks, period, scoped, by_week)

    return Dashboard(
        period=period,
        previous=period.previous(),
        filters=filters,
        figures=_figures_from(rows(period, kind="times")),
        previous_figures=_figures_from(rows(period.previous(), kind="times")),
        satisfaction=grades,
        previous_satisfaction=satisfaction(actor=actor, period=period.previous(), filters=filters),
        pulse=pulse_mean(period=period),
        contacts={d: contacts[d] for d in DIMENSIONS},
        sla=sla,
        handovers=handovers,
        backlog=backlog(actor=actor, filters=filters),
        weeks=[weeks[k] for k in sorted(weeks)],
        channels=channel_figures(period=period, filters=filters),
    )
