"""Demo data of the counter: three topics, four desks, a week of visits for the figures, a
queue for today and a few appointments. Idempotent: a second run finds the topics and adds
nothing.

Topics and desks are maintained in the admin (no write services), so they are rows here;
past visits are rows too (replaying them through the services would open hundreds of
tickets); appointments go through `appointment_book` like any booking.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, time, timedelta

from django.db import transaction

from eenloket.catalog.selectors import service_get
from eenloket.channels.counter import selectors, services
from eenloket.channels.counter.models import (
    Appointment,
    CounterDesk,
    CounterTopic,
    Visit,
    VisitSequence,
)
from eenloket.core import clock
from eenloket.core.calendars import schedule_for_calendar
from eenloket.core.models import BusinessCalendar

# code, letter, Dutch, English, default service, other services, minutes, capacity
TOPICS = (
    (
        "ict",
        "A",
        "ICT-hulp",
        "IT help",
        "ict-wachtwoord",
        ("ict-laptop-defect", "ict-mobiel", "ict-printer"),
        15,
        2,
    ),
    ("passen", "P", "Toegangspassen", "Access passes", "fac-toegangspas", (), 10, 1),
    (
        "personeel",
        "H",
        "Personeel en salaris",
        "HR and pay",
        "hr-loonstrook",
        ("hr-verlof", "hr-werkgeversverklaring", "hr-declaratie-reiskosten"),
        30,
        1,
    ),
)
DESKS = (
    (1, "Balie 1", ("ict", "passen")),
    (2, "Balie 2", ("ict", "personeel")),
    (3, "Balie 3", ("passen", "personeel")),
    (4, "Balie 4", ("ict", "passen", "personeel")),
)
COUNTER_CALENDAR = "Balie"
SEED = 2026


def _topics() -> dict[str, CounterTopic]:
    calendar = BusinessCalendar.objects.get(name=COUNTER_CALENDAR)
    topics = {}
    for position, (code, letter, nl, en, default, others, minutes, capacity) in enumerate(TOPICS):
        topic = CounterTopic.objects.create(
            code=code,
            letter=letter,
            name_nl=nl,
            name_en=en,
            calendar=calendar,
            default_service=service_get(code=default),
            appointment_minutes=minutes,
            appointment_capacity=capacity,
            position=position,
        )
        topic.services.set([service_get(code=c) for c in (default, *others)])
        topics[code] = topic
    for number, name, codes in DESKS:
        desk = CounterDesk.objects.create(number=number, name=name)
        desk.topics.set([topics[c] for c in codes])
    return topics


def _visits(topics: dict[str, CounterTopic], now: datetime, rng: random.Random) -> int:
    """Visits of the past business days (for the figures) and this morning's queue."""
    schedule = schedule_for_calendar(topics["ict"].calendar_id)
    tz = schedule.timezone
    today = now.astimezone(tz).date()
    desks = list(CounterDesk.objects.order_by("number"))
    rows, sequences = [], {}
    day, days = today, 0
    while days < 6:
        if schedule.is_business_day(day):
            days += 1
            for topic in topics.values():
                count = rng.randint(6, 14) if day != today else rng.randint(3, 5)
                if day == today:
                    # Today's queue: the visitors arrived in the last hour or so.
                    offsets = sorted((rng.randint(2, 60) for _ in range(count)), reverse=True)
                    arrivals = [now - timedelta(minutes=m) for m in offsets]
                else:
                    arrivals = sorted(
                        datetime.combine(day, time(8, 30), tzinfo=tz)
                        + timedelta(minutes=rng.randint(0, 230))
                        for _ in range(count)
                    )
                for sequence, arrived in enumerate(arrivals, start=1):
                    wait = timedelta(minutes=rng.choice((1, 3, 5, 8, 11, 14, 18, 25, 35)))
                    served = timedelta(minutes=rng.randint(3, 20))
                    status = Visit.Status.DONE if rng.random() > 0.08 else Visit.Status.NO_SHOW
                    past = day != today
                    rows.append(
                        Visit(
                            topic=topic,
                            day=day,
                            sequence=sequence,
                            number=f"{topic.letter}{sequence:03d}",
                            status=status if past else Visit.Status.WAITING,
                            arrived_at=arrived,
                            queue_at=arrived,
                            first_called_at=arrived + wait if past else None,
                            called_at=arrived + wait if past else None,
                            call_count=1 if past else 0,
                            desk=rng.choice(desks) if past else None,
                            started_at=arrived + wait if past and status == "done" else None,
                            finished_at=arrived + wait + served if past else None,
                        )
                    )
                sequences[(topic.pk, day)] = count
        day -= timedelta(days=1)
    Visit.objects.bulk_create(rows)
    VisitSequence.objects.bulk_create(
        VisitSequence(topic_id=topic_id, day=day, last=last)
        for (topic_id, day), last in sequences.items()
    )
    return len(rows)


def _appointments(topics: dict[str, CounterTopic], now: datetime, actor, people) -> int:
    """A few bookings on the next business days, the first for the demo customer."""
    booked = 0
    schedule = schedule_for_calendar(topics["ict"].calendar_id)
    day = now.astimezone(schedule.timezone).date()
    for _ in range(3):
        day += timedelta(days=1)
        while not schedule.is_business_day(day):
            day += timedelta(days=1)
        for topic in topics.values():
            slots = [s for s in selectors.appointment_slots(topic=topic, day=day) if s.free]
            for person, slot in zip(people, slots[2::5][:2], strict=False):
                services.appointment_book(
                    actor=actor,
                    topic_id=topic.pk,
                    starts_at=slot.starts_at,
                    person_id=person.pk,
                    question="Graag even langskomen met mijn vraag.",
                )
                booked += 1
            people = people[2:] + people[:2]
    return booked


def load_counter_demo(*, agent, people: list, progress: Callable[[str], None]) -> dict:
    """Topics, desks, visits and appointments (booked by `agent` for `people`, the first
    of them the demo customer), unless the topics exist already."""
    if CounterTopic.objects.exists():
        progress("The counter demo is there already; reusing it.")
    else:
        progress("The counter: topics, desks, visits and appointments ...")
        now = clock.now()
        rng = random.Random(SEED)
        with transaction.atomic():
            topics = _topics()
            _visits(topics, now, rng)
            _appointments(topics, now, agent, people)
    return {
        "counter_topics": CounterTopic.objects.count(),
        "visits": Visit.objects.count(),
        "appointments": Appointment.objects.count(),
    }
