"""Reads of the counter: topics and desks, the queue, the display board, appointment slots
and the figures. Staff pages take the acting user; the kiosk and the board are public and
show queue numbers only, never names."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from eenloket.accesslog import services as access
from eenloket.channels.counter.exceptions import (
    AppointmentNotFound,
    DeskNotFound,
    TopicNotFound,
    VisitNotFound,
)
from eenloket.channels.counter.models import Appointment, CounterDesk, CounterTopic, Visit
from eenloket.core import clock
from eenloket.core.calendars import schedule_for_calendar
from eenloket.core.exceptions import NotFound
from eenloket.directory.roles import Role
from eenloket.directory.selectors import person_for_user
from eenloket.tickets.selectors import works_tickets

if TYPE_CHECKING:
    from eenloket.directory.models import User

Status = Visit.Status
ACTIVE_APPOINTMENT = (Appointment.Status.BOOKED, Appointment.Status.CHECKED_IN)
# The waiting-time norm many Dutch municipalities publish for their counters.
WAIT_NORM = timedelta(minutes=15)
LOCAL = ZoneInfo(settings.TIME_ZONE)
FIGURE_ROLES = frozenset({Role.TEAM_LEAD, Role.ADMINISTRATOR})


# --- access ------------------------------------------------------------------------------


def works_counter(actor: User | None) -> bool:
    """Whoever works tickets may staff a counter desk."""
    return works_tickets(actor)


def sees_figures(actor: User | None) -> bool:
    return bool(actor and actor.is_authenticated and actor.role in FIGURE_ROLES)


# --- topics and desks --------------------------------------------------------------------


def topic_list() -> QuerySet[CounterTopic]:
    return CounterTopic.objects.filter(is_active=True).order_by("position", "letter")


def topic_get(*, topic_id: int) -> CounterTopic:
    try:
        return topic_list().get(pk=topic_id)
    except (CounterTopic.DoesNotExist, ValueError, TypeError):
        raise TopicNotFound() from None


def topic_services(topic: CounterTopic) -> list:
    """The services a visit of this topic can be recorded under, the default first."""
    services = [topic.default_service]
    services += [s for s in topic.services.order_by("name_nl") if s.pk != topic.default_service_id]
    return services


def today(at: datetime | None = None) -> date:
    """The office's current day: queues start afresh every morning."""
    return (at or clock.now()).astimezone(LOCAL).date()


def local_day(topic: CounterTopic, at: datetime) -> date:
    return at.astimezone(schedule_for_calendar(topic.calendar_id).timezone).date()


def topic_is_open(topic: CounterTopic, at: datetime) -> bool:
    return schedule_for_calendar(topic.calendar_id).is_open(at)


def opening_hours_on(topic: CounterTopic, day: date) -> list[tuple[time, time]]:
    """The topic's opening hours on a local day; none on a holiday or closing day."""
    schedule = schedule_for_calendar(topic.calendar_id)
    if not schedule.is_business_day(day):
        return []
    return sorted(
        (opens, closes)
        for weekday, opens, closes in schedule.opening_hours
        if weekday == day.weekday()
    )


@dataclass
class KioskTopic:
    topic: CounterTopic
    is_open: bool
    waiting: int
    hours_today: list[tuple[time, time]]


def kiosk_topics(*, at: datetime | None = None) -> list[KioskTopic]:
    at = at or clock.now()
    topics = list(topic_list())
    counts = dict(
        Visit.objects.filter(status=Status.WAITING, day=today(at))
        .values_list("topic_id")
        .annotate(n=Count("id"))
    )
    return [
        KioskTopic(
            topic=topic,
            is_open=topic_is_open(topic, at),
            waiting=counts.get(topic.pk, 0),
            hours_today=opening_hours_on(topic, local_day(topic, at)),
        )
        for topic in topics
    ]


def desk_list() -> QuerySet[CounterDesk]:
    return CounterDesk.objects.filter(is_active=True).prefetch_related("topics").order_by("number")


def desk_get(*, desk_id: int) -> CounterDesk:
    try:
        return desk_list().get(pk=desk_id)
    except (CounterDesk.DoesNotExist, ValueError, TypeError):
        raise DeskNotFound() from None


# --- visits and the queue ----------------------------------------------------------------


def visit_get(*, actor: User, visit_id: int, for_update: bool = False) -> Visit:
    if not works_counter(actor):
        raise VisitNotFound()
    visits = Visit.objects.select_related("topic", "desk", "person__organization", "appointment")
    if for_update:
        visits = visits.select_for_update(of=("self",))
    try:
        visit = visits.get(pk=visit_id)
    except (Visit.DoesNotExist, ValueError, TypeError):
        access.access_refused(kind=access.ObjectKind.VISIT, ref=visit_id)
        raise VisitNotFound() from None
    _note_visit(visit)
    return visit


def _note_visit(visit: Visit) -> None:
    # A visitor who did not say who they are is a number on a ticket slip: no one's data.
    if visit.person_id:
        access.access_note(
            kind=access.ObjectKind.VISIT,
            ref=visit.pk,
            person_id=visit.person_id,
            ticket_number=visit.ticket_number,
        )


def visit_for_kiosk(*, visit_id: int) -> Visit:
    try:
        return Visit.objects.select_related("topic", "appointment").get(pk=visit_id)
    except (Visit.DoesNotExist, ValueError, TypeError):
        raise VisitNotFound() from None


def visits_ahead(visit: Visit) -> int:
    """How many of the topic's waiting visitors go before this one."""
    if visit.status != Status.WAITING:
        return 0
    return Visit.objects.filter(
        topic_id=visit.topic_id, day=visit.day, status=Status.WAITING, queue_at__lt=visit.queue_at
    ).count()


def desk_current_visit(desk: CounterDesk) -> Visit | None:
    """The visitor at the desk now (the desk page shows who they are: logged)."""
    visit = (
        Visit.objects.filter(desk=desk, status__in=(Status.CALLED, Status.SERVING))
        .select_related("topic", "person__organization", "appointment", "transferred_from")
        .order_by("-called_at")
        .first()
    )
    if visit is not None:
        _note_visit(visit)
    return visit


@dataclass
class WaitingVisit:
    visit: Visit
    waited: timedelta

    @property
    def minutes(self) -> int:
        return int(self.waited.total_seconds() // 60)


@dataclass
class TopicQueue:
    topic: CounterTopic
    waiting: list[WaitingVisit] = field(default_factory=list)

    @property
    def longest(self) -> timedelta | None:
        return max((w.waited for w in self.waiting), default=None)


def desk_queue(*, desk: CounterDesk, at: datetime | None = None) -> list[TopicQueue]:
    """The desk's topics, each with its waiting visitors in calling order and how long they
    have waited (an appointment from its time on). One query for all topics."""
    at = at or clock.now()
    topics = [t for t in desk.topics.all() if t.is_active]
    queues = {t.pk: TopicQueue(topic=t) for t in sorted(topics, key=lambda t: t.position)}
    visits = (
        Visit.objects.filter(status=Status.WAITING, topic_id__in=queues, day=today(at))
        .select_related("appointment")
        .order_by("queue_at", "id")
    )
    for visit in visits:
        start = max(visit.arrived_at, visit.queue_at)
        queues[visit.topic_id].waiting.append(
            WaitingVisit(visit=visit, waited=max(timedelta(0), at - start))
        )
    for queue in queues.values():
        # The order "call next" uses: appointments whose time has come first.
        queue.waiting.sort(
            key=lambda w: (
                not (w.visit.has_appointment and w.visit.queue_at <= at),
                w.visit.queue_at,
                w.visit.pk,
            )
        )
    return list(queues.values())


@dataclass
class Board:
    current: list[Visit]  # at a desk now, newest call first
    recent: list[Visit]  # called earlier today
    latest_key: str  # changes with every new call or recall: the signal's trigger


def board(*, at: datetime | None = None, current: int = 4, recent: int = 8) -> Board:
    at = at or clock.now()
    called = list(
        Visit.objects.filter(day=today(at), called_at__isnull=False)
        .select_related("desk", "topic")
        .order_by("-called_at", "-id")[: current + recent]
    )
    # Who is at a desk now (called or being served: one per desk), newest call first.
    now_called = [v for v in called if v.status in (Status.CALLED, Status.SERVING)][:current]
    earlier = [v for v in called if v not in now_called][:recent]
    latest = called[0] if called else None
    key = f"{latest.pk}-{latest.call_count}" if latest else ""
    return Board(current=now_called, recent=earlier, latest_key=key)


# --- appointments ------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    free: int


def appointment_slots(*, topic: CounterTopic, day: date, at: datetime | None = None) -> list[Slot]:
    """The topic's bookable times on a local day, within its opening hours, with the places
    left; times that have begun are left out."""
    if not topic.takes_appointments:
        return []
    at = at or clock.now()
    tz = schedule_for_calendar(topic.calendar_id).timezone
    length = timedelta(minutes=topic.appointment_minutes)
    starts = []
    for opens, closes in opening_hours_on(topic, day):
        start = datetime.combine(day, opens, tzinfo=tz)
        end = datetime.combine(day + timedelta(days=closes == time(0)), closes, tzinfo=tz)
        while start + length <= end:
            starts.append(start)
            start += length
    if not starts:
        return []
    taken = dict(
        Appointment.objects.filter(
            topic=topic,
            starts_at__gte=starts[0],
            starts_at__lte=starts[-1],
            status__in=ACTIVE_APPOINTMENT,
        )
        .values_list("starts_at")
        .annotate(n=Count("id"))
    )
    return [
        Slot(
            starts_at=start,
            ends_at=start + length,
            free=max(0, topic.appointment_capacity - taken.get(start, 0)),
        )
        for start in starts
        if start > at
    ]


def _appointments() -> QuerySet[Appointment]:
    return Appointment.objects.select_related("topic", "person__organization")


def appointment_get(*, actor: User, appointment_id: int) -> Appointment:
    """An agent sees every appointment, a customer their own; anything else is not found."""
    appointments = _appointments()
    if not works_counter(actor):
        person = person_for_user(actor) if actor and actor.is_authenticated else None
        appointments = appointments.filter(person=person) if person else appointments.none()
    try:
        appointment = appointments.get(pk=appointment_id)
    except (Appointment.DoesNotExist, ValueError, TypeError):
        access.access_refused(kind=access.ObjectKind.APPOINTMENT, ref=appointment_id)
        raise AppointmentNotFound() from None
    access.access_note(
        kind=access.ObjectKind.APPOINTMENT,
        ref=appointment.pk,
        person_id=appointment.person_id,
        activity=access.Activity.SELF_SERVICE if not works_counter(actor) else "",
    )
    return appointment


def appointments_of_customer(*, actor: User) -> list[Appointment]:
    person = person_for_user(actor)
    if person is None:
        return []
    since = clock.now() - timedelta(days=30)
    return list(_appointments().filter(person=person, starts_at__gte=since).order_by("-starts_at"))


def appointments_on_day(*, actor: User, day: date) -> list[Appointment]:
    if not works_counter(actor):
        return []
    start = datetime.combine(day, time(0), tzinfo=LOCAL)
    return list(
        _appointments()
        .filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
        .order_by("starts_at", "topic__letter", "id")
    )


# --- figures -----------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float | None:
    """Linear interpolation between closest ranks (the spreadsheet PERCENTILE)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = share * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class TopicFigures:
    topic: CounterTopic
    visitors: int = 0
    no_shows: int = 0
    wait_p50: float | None = None  # minutes
    wait_p90: float | None = None
    within_norm: float | None = None  # share 0..1 called within 15 minutes
    service_median: float | None = None  # minutes
    service_mean: float | None = None


@dataclass
class Figures:
    first_day: date
    last_day: date
    hours: list[int]
    topics: list[CounterTopic]
    per_hour: dict[int, dict[int, int]]  # local hour -> topic id -> visitors
    per_topic: list[TopicFigures]
    total: TopicFigures
    appointments: int = 0  # booked in the period (cancelled ones left out)
    appointments_missed: int = 0  # past, never checked in

    @property
    def per_hour_rows(self) -> list[tuple[int, list[int]]]:
        return [
            (hour, [self.per_hour[hour].get(t.pk, 0) for t in self.topics]) for hour in self.hours
        ]


def _summarize(target: TopicFigures, visits: list[Visit]) -> None:
    waits = [
        (v.first_called_at - max(v.arrived_at, v.queue_at)).total_seconds() / 60
        for v in visits
        if v.first_called_at
    ]
    waits = [max(0.0, w) for w in waits]
    services = [
        (v.finished_at - v.started_at).total_seconds() / 60
        for v in visits
        if v.status == Status.DONE and v.started_at and v.finished_at
    ]
    target.visitors = len(visits)
    target.no_shows = sum(1 for v in visits if v.status == Status.NO_SHOW)
    target.wait_p50 = percentile(waits, 0.5)
    target.wait_p90 = percentile(waits, 0.9)
    norm = WAIT_NORM.total_seconds() / 60
    target.within_norm = sum(1 for w in waits if w <= norm) / len(waits) if waits else None
    target.service_median = percentile(services, 0.5)
    target.service_mean = sum(services) / len(services) if services else None


def counter_figures(*, actor: User, first_day: date, last_day: date) -> Figures:
    """Visitors per hour and topic, waiting times against the 15-minute norm, service time
    and no-shows, over whole local days. Team leads and administrators only."""
    if not sees_figures(actor):
        raise NotFound()
    tz = LOCAL
    visits = list(
        Visit.objects.filter(day__gte=first_day, day__lte=last_day).only(
            "topic_id",
            "status",
            "arrived_at",
            "queue_at",
            "first_called_at",
            "started_at",
            "finished_at",
        )
    )
    topics = list(CounterTopic.objects.order_by("position", "letter"))
    per_hour: dict[int, Counter] = defaultdict(Counter)
    by_topic: dict[int, list[Visit]] = defaultdict(list)
    for visit in visits:
        per_hour[visit.arrived_at.astimezone(tz).hour][visit.topic_id] += 1
        by_topic[visit.topic_id].append(visit)
    hours = list(range(min(per_hour, default=8), max(per_hour, default=16) + 1))
    per_topic = []
    for topic in topics:
        figures = TopicFigures(topic=topic)
        _summarize(figures, by_topic.get(topic.pk, []))
        per_topic.append(figures)
    total = TopicFigures(topic=None)
    _summarize(total, visits)
    start = datetime.combine(first_day, time(0), tzinfo=tz)
    end = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=tz)
    booked = Appointment.objects.filter(
        starts_at__gte=start, starts_at__lt=end, status__in=ACTIVE_APPOINTMENT
    ).aggregate(
        total=Count("id"),
        missed=Count(
            "id",
            filter=Q(status=Appointment.Status.BOOKED, ends_at__lt=clock.now()),
        ),
    )
    return Figures(
        appointments=booked["total"],
        appointments_missed=booked["missed"],
        first_day=first_day,
        last_day=last_day,
        hours=hours,
        topics=topics,
        per_hour={hour: dict(per_hour.get(hour, {})) for hour in hours},
        per_topic=per_topic,
        total=total,
    )
