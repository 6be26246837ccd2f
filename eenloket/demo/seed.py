"""Synthetic volume: add N realistic tickets with their timelines, fast.

Used by `eenloket seed --tickets N` and the benchmark. Tickets are spread over the last two
years in opening order, with every channel, status, department, queue, service and priority;
due times come from the real business calendars and SLA targets, and first response and
resolution times agree with the status. Numbers continue each year's `TicketNumberSequence`,
so tickets opened later through `tickets.services` get the next numbers.

Rows are generated batch by batch (never the whole volume in memory) and written with
PostgreSQL COPY, or with `bulk_create` on other databases. No query is made per row.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from eenloket.catalog.models import Service, SlaTarget
from eenloket.core import clock
from eenloket.core.businesstime import add_business_time
from eenloket.core.calendars import schedule_for_calendar
from eenloket.directory.models import Person, Queue, User
from eenloket.directory.roles import Role
from eenloket.tickets.models import (
    Channel,
    Line,
    Status,
    Ticket,
    TicketEntry,
    TicketNumberSequence,
)
from eenloket.tickets.services import ticket_number_format

Progress = Callable[[str], None]
Kind = TicketEntry.Kind

SPAN = timedelta(days=730)
AUTO_CLOSE_AFTER = timedelta(days=5)
DEFAULT_BATCH_SIZE = 20_000

CHANNEL_WEIGHTS = {
    Channel.PORTAL: 35,
    Channel.EMAIL: 30,
    Channel.PHONE: 25,
    Channel.COUNTER: 7,
    Channel.API: 3,
}
IMPACT_WEIGHTS = {"low": 60, "medium": 30, "high": 10}
URGENCY_WEIGHTS = {"low": 25, "medium": 55, "high": 20}
PRIORITY = {
    ("high", "high"): "P1",
    ("high", "medium"): "P2",
    ("medium", "high"): "P2",
    ("high", "low"): "P3",
    ("medium", "medium"): "P3",
    ("low", "high"): "P3",
    ("medium", "low"): "P4",
    ("low", "medium"): "P4",
    ("low", "low"): "P4",
}
# Status by age: last week's tickets are mostly being worked on, older ones mostly closed,
# with a small backlog that was never finished (every open status stays present).
STATUS_BY_AGE = (
    (
        timedelta(days=7),
        {"new": 20, "in_progress": 25, "waiting": 10, "handed_over": 15, "resolved": 20},
    ),
    (
        timedelta(days=60),
        {"new": 3, "in_progress": 8, "waiting": 6, "handed_over": 8, "resolved": 15, "closed": 60},
    ),
    (
        None,
        {"new": 2, "in_progress": 2, "waiting": 2, "handed_over": 2, "resolved": 2, "closed": 90},
    ),
)
# Hour-of-day weights (local time) for opening a ticket; portal and mail also come at night.
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 4, 10, 30, 40, 40, 35, 25, 35, 38, 34, 25, 12, 6, 5, 4, 3, 2, 1]
WEEKDAY_WEIGHTS = [100, 95, 90, 90, 80, 8, 5]

SUBJECTS = {
    Service.Kind.INCIDENT: [
        "werkt niet meer",
        "geeft een foutmelding",
        "is erg traag",
        "start niet op",
        "valt steeds weg",
        "doet het sinds vanochtend niet",
        "geeft een lege pagina",
        "reageert niet",
    ],
    Service.Kind.REQUEST: [
        "aanvraag voor nieuwe medewerker",
        "graag wijzigen per volgende maand",
        "verzoek om toegang",
        "aanvraag met spoed",
        "aanvraag voor team",
        "verzoek tot aanpassing",
        "aanvraag na verhuizing",
    ],
    Service.Kind.QUESTION: [
        "vraag over de regeling",
        "hoe werkt dit precies?",
        "vraag over mijn gegevens",
        "wie kan mij hiermee helpen?",
        "klopt dit bedrag?",
        "vraag over de termijn",
        "waar vind ik dit formulier?",
    ],
    Service.Kind.COMPLAINT: [
        "ontevreden over de afhandeling",
        "al twee weken geen antwoord",
        "klacht over bejegening",
        "fout niet hersteld",
        "te laat geleverd",
    ],
}
DESCRIPTIONS = [
    "Sinds gisteren lukt het niet meer. Kunnen jullie hier naar kijken?",
    "Zie onderwerp. Ik heb het al opnieuw geprobeerd, zonder resultaat.",
    "Mijn collega heeft hetzelfde probleem. Graag zo snel mogelijk een oplossing.",
    "Ik heb dit eerder gemeld maar nog niets gehoord. Graag terugkoppeling.",
    "Kunt u mij laten weten wat ik hiervoor moet aanleveren?",
    "Het gaat om mijn werkplek op het stadskantoor, tweede verdieping.",
    "Graag voor het einde van de week geregeld, alvast bedankt.",
]
REPLIES = [
    "Dank voor uw melding. We gaan ermee aan de slag en houden u op de hoogte.",
    "Kunt u een schermafdruk van de foutmelding sturen?",
    "We hebben uw verzoek ontvangen en ingepland.",
    "Ik heb het voor u nagekeken; het probleem lijkt aan onze kant te liggen.",
    "Kunt u aangeven sinds wanneer dit speelt en of collega's het ook hebben?",
]
NOTES = [
    "Klant gebeld, voicemail ingesproken.",
    "Bekend probleem, zie kennisartikel.",
    "Afgestemd met collega van de afdeling.",
    "Wacht op reactie leverancier.",
    "Klant is vaker in contact geweest hierover.",
]
FOLLOW_UPS = [
    "Nog een aanvulling: het gebeurt ook op mijn laptop thuis.",
    "Is er al iets bekend over deze melding?",
    "Ik heb het nummer van mijn collega erbij gezet.",
]
RESOLUTIONS = [
    "Opgelost: instellingen hersteld, klant kan weer verder.",
    "Verzoek uitgevoerd en met de klant afgestemd.",
    "Vraag beantwoord met uitleg uit de kennisbank.",
    "Account ontgrendeld en wachtwoord gereset.",
    "Correctie doorgevoerd, zichtbaar bij de volgende verwerking.",
]


class SeedError(Exception):
    """Seeding cannot start (no reference data to hang tickets on)."""


@dataclass(frozen=True)
class SeedResult:
    tickets: int
    entries: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.tickets / self.seconds if self.seconds else 0.0


@dataclass
class _Service:
    id: int
    department_id: int
    kind: str
    routing: str
    name: str
    schedule: object
    targets: dict[str, tuple[timedelta, timedelta]]


@dataclass
class _World:
    """The reference data tickets hang on, read once."""

    services: list[_Service]
    people: list[tuple[int, int]]  # (person id, organization id)
    first_line_queue_id: int
    department_queue_ids: dict[int, int]
    first_line_agents: list[int]
    specialists: dict[int, list[int]] = field(default_factory=dict)


def _load_reference_data(progress: Progress) -> None:
    """Reference data (calendars, policies, organizations, people, staff); idempotent."""
    from eenloket.demo.data import load_reference_data

    load_reference_data(progress=progress)


def _read_world() -> _World:
    targets: dict[int, dict[str, tuple[timedelta, timedelta]]] = {}
    for target in SlaTarget.objects.all():
        targets.setdefault(target.policy_id, {})[target.priority] = (
            timedelta(minutes=target.response_minutes),
            timedelta(minutes=target.resolution_minutes),
        )
    services = [
        _Service(
            id=service.pk,
            department_id=service.department_id,
            kind=service.kind,
            routing=service.routing,
            name=service.name_nl,
            schedule=schedule_for_calendar(service.sla_policy.calendar_id),
            targets=targets.get(service.sla_policy_id, {}),
        )
        for service in Service.objects.filter(is_active=True)
        .select_related("sla_policy")
        .order_by("id")
    ]
    services = [s for s in services if len(s.targets) == 4]
    people = list(
        Person.objects.filter(is_active=True).order_by("id").values_list("id", "organization_id")
    )
    first_line = Queue.objects.filter(line=Line.FIRST).order_by("-is_default", "id").first()
    if not services or not people or first_line is None:
        raise SeedError(
            "No reference data to seed on: services with SLA targets, people and a "
            "first-line queue are needed."
        )
    department_queues: dict[int, int] = {}
    for queue_id, department_id in (
        Queue.objects.filter(line=Line.SECOND)
        .order_by("-is_default", "id")
        .values_list("id", "department_id")
    ):
        department_queues.setdefault(department_id, queue_id)
    agents = list(
        User.objects.filter(role=Role.FIRST_LINE, is_active=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    specialists: dict[int, list[int]] = {}
    for user_id, department_id in (
        User.departments.through.objects.filter(user__role=Role.SPECIALIST, user__is_active=True)
        .order_by("user_id")
        .values_list("user_id", "department_id")
    ):
        specialists.setdefault(department_id, []).append(user_id)
    return _World(
        services=services,
        people=people,
        first_line_queue_id=first_line.pk,
        department_queue_ids=department_queues,
        first_line_agents=agents,
        specialists=specialists,
    )


# --- generating ----------------------------------------------------------------------------


TICKET_COLUMNS = [
    f.attname for f in Ticket._meta.concrete_fields
]  # includes "id": ids are reserved up front so entries can point at their ticket
ENTRY_COLUMNS = [f.attname for f in TicketEntry._meta.concrete_fields if f.attname != "id"]
JSON_COLUMNS = {"form_data", "data"}


def _weighted(rng: random.Random, weights: dict) -> Callable[[], object]:
    keys, cum = list(weights), []
    total = 0
    for value in weights.values():
        total += value
        cum.append(total)
    return lambda: rng.choices(keys, cum_weights=cum)[0]


class _Generator:
    """Turns (id, opened_at) into one ticket row and its timeline rows."""

    def __init__(self, world: _World, rng: random.Random, now: datetime):
        self.world = world
        self.rng = rng
        self.now = now
        self.channel = _weighted(rng, CHANNEL_WEIGHTS)
        self.impact = _weighted(rng, IMPACT_WEIGHTS)
        self.urgency = _weighted(rng, URGENCY_WEIGHTS)
        self.status_by_age = [(age, _weighted(rng, w)) for age, w in STATUS_BY_AGE]

    def _status_for(self, opened_at: datetime) -> str:
        age = self.now - opened_at
        for limit, pick in self.status_by_age:
            if limit is None or age < limit:
                return pick()
        raise AssertionError("unreachable")  # pragma: no cover

    def _agent(self, line: str, department_id: int) -> int | None:
        pool = (
            self.world.specialists.get(department_id)
            if line == Line.SECOND
            else self.world.first_line_agents
        ) or self.world.first_line_agents
        return self.rng.choice(pool) if pool else None

    def _delay(self, target: timedelta, late_share: float) -> timedelta:
        """Business time taken: mostly well within `target`, a share of it late."""
        rng = self.rng
        if rng.random() < late_share:
            factor = 1.0 + rng.expovariate(2.0)
        else:
            factor = rng.uniform(0.02, 0.95)
        return timedelta(seconds=int(target.total_seconds() * factor) + 60)

    def ticket(self, ticket_id: int, number: str, opened_at: datetime):
        rng, world, now = self.rng, self.world, self.now
        service = rng.choice(world.services)
        person_id, organization_id = rng.choice(world.people)
        channel = self.channel()
        impact, urgency = self.impact(), self.urgency()
        priority = PRIORITY[(impact, urgency)]
        response_target, resolution_target = service.targets[priority]
        schedule = service.schedule
        response_due = add_business_time(schedule, opened_at, response_target)
        resolution_due = add_business_time(schedule, opened_at, resolution_target)

        status = self._status_for(opened_at)
        straight = service.routing == Service.Routing.STRAIGHT_TO_DEPARTMENT
        department_queue = world.department_queue_ids.get(service.department_id)
        if department_queue is None:
            second = False
        elif straight or status == Status.HANDED_OVER:
            second = True
        elif service.routing == Service.Routing.FIRST_LINE_THEN_DEPARTMENT:
            second = rng.random() < 0.4
        else:
            second = False
        if second and status in (Status.NEW, Status.IN_PROGRESS):
            status = Status.HANDED_OVER
        line = Line.SECOND if second else Line.FIRST

        first_response = resolved = closed = paused_since = None
        response_seconds = resolution_seconds = None
        fcr = False
        if status in (Status.RESOLVED, Status.CLOSED) and (
            channel in (Channel.PHONE, Channel.COUNTER) and not second and rng.random() < 0.5
        ):
            fcr = True
            first_response = resolved = opened_at
            response_seconds = resolution_seconds = 0
        else:
            answered = status not in (Status.NEW, Status.HANDED_OVER) or rng.random() < 0.5
            if answered:
                response = self._delay(response_target, 0.1)
                first_response = add_business_time(schedule, opened_at, response)
                if first_response >= now:
                    first_response = None
                    status = Status.HANDED_OVER if second else Status.NEW
                else:
                    response_seconds = int(response.total_seconds())
            if first_response is not None and status in (Status.RESOLVED, Status.CLOSED):
                resolution = max(self._delay(resolution_target, 0.08), response)
                resolved = add_business_time(schedule, opened_at, resolution)
                if resolved >= now:
                    resolved = None
                    status = Status.HANDED_OVER if second else Status.IN_PROGRESS
                else:
                    resolution_seconds = int(resolution.total_seconds())
        if status == Status.CLOSED:
            closed = resolved + AUTO_CLOSE_AFTER
            if closed >= now:
                closed = None
                status = Status.RESOLVED
        if status == Status.WAITING:
            paused_since = min(first_response + timedelta(minutes=2), now)
        elif status in (Status.RESOLVED, Status.CLOSED):
            paused_since = resolved  # the resolution clock stands still once resolved

        is_open = status not in (Status.RESOLVED, Status.CLOSED)
        response_breached = (
            response_seconds > response_target.total_seconds()
            if response_seconds is not None
            else is_open and response_due < now
        )
        if resolution_seconds is not None:
            resolution_breached = resolution_seconds > resolution_target.total_seconds()
        else:
            resolution_breached = resolution_due < (paused_since or now)

        assignee = None
        if status != Status.NEW and (status != Status.HANDED_OVER or rng.random() < 0.5):
            assignee = self._agent(line, service.department_id)
        title = f"{service.name}: {rng.choice(SUBJECTS[service.kind])}"
        description = rng.choice(DESCRIPTIONS)

        entries = self._timeline(
            ticket_id=ticket_id,
            opened_at=opened_at,
            channel=channel,
            person_id=person_id,
            description=description,
            assignee=assignee or self._agent(line, service.department_id),
            line=line,
            status=status,
            first_response=first_response,
            paused_since=paused_since,
            resolved=resolved,
            closed=closed,
            fcr=fcr,
        )
        updated = max(entry["at"] for entry in entries)
        row = {
            "id": ticket_id,
            "number": number,
            "title": title,
            "requester_id": person_id,
            "organization_id": organization_id,
            "service_id": service.id,
            "department_id": service.department_id,
            "queue_id": department_queue if second else world.first_line_queue_id,
            "assignee_id": assignee,
            "channel": channel,
            "status": status,
            "line": line,
            "impact": impact,
            "urgency": urgency,
            "priority": priority,
            "form_data": {},
            "opened_at": opened_at,
            "updated_at": updated,
            "first_response_at": first_response,
            "resolved_at": resolved,
            "closed_at": closed,
            "resolution": rng.choice(RESOLUTIONS) if resolved else "",
            "response_due_at": response_due,
            "resolution_due_at": resolution_due,
            "sla_paused_since": paused_since,
            "sla_paused_seconds": 0,
            "response_breached": response_breached,
            "resolution_breached": resolution_breached,
            "response_business_seconds": response_seconds,
            "resolution_business_seconds": resolution_seconds,
            "first_contact_resolution": fcr,
            "handover_count": 1 if second and not straight else 0,
            "reopen_count": 0,
            "version": len(entries),
        }
        return row, entries

    def _timeline(
        self,
        *,
        ticket_id,
        opened_at,
        channel,
        person_id,
        description,
        assignee,
        line,
        status,
        first_response,
        paused_since,
        resolved,
        closed,
        fcr,
    ) -> list[dict]:
        rng = self.rng
        by_agent = channel in (Channel.PHONE, Channel.COUNTER)
        active = Status.HANDED_OVER if line == Line.SECOND else Status.IN_PROGRESS
        entries = [
            _entry(
                ticket_id,
                Kind.CUSTOMER_MESSAGE,
                opened_at,
                public=True,
                author=assignee if by_agent else None,
                person=None if by_agent else person_id,
                channel=channel,
                body=description,
                data={"recorded_by_agent": by_agent},
            )
        ]
        if fcr:
            entries.append(_status_entry(ticket_id, resolved, assignee, "new", "resolved"))
        elif first_response is None:
            # Not answered yet: a follow-up from the customer or a note from the desk.
            later = opened_at + (self.now - opened_at) * rng.random()
            if rng.random() < 0.5:
                entries.append(
                    _entry(
                        ticket_id,
                        Kind.CUSTOMER_MESSAGE,
                        later,
                        public=True,
                        person=person_id,
                        channel=Channel.PORTAL,
                        body=rng.choice(FOLLOW_UPS),
                    )
                )
            else:
                entries.append(
                    _entry(ticket_id, Kind.NOTE, later, author=assignee, body=rng.choice(NOTES))
                )
        else:
            entries.append(
                _entry(
                    ticket_id,
                    Kind.REPLY,
                    first_response,
                    public=True,
                    author=assignee,
                    body=rng.choice(REPLIES),
                    data={"status_from": "new", "status_to": active} if line == Line.FIRST else {},
                )
            )
            end = resolved or paused_since or self.now
            if closed is None and rng.random() < 0.5:
                note_at = first_response + (end - first_response) * rng.random()
                entries.append(
                    _entry(ticket_id, Kind.NOTE, note_at, author=assignee, body=rng.choice(NOTES))
                )
            if status == Status.WAITING:
                entries.append(_status_entry(ticket_id, paused_since, assignee, active, "waiting"))
            elif resolved is not None:
                entries.append(_status_entry(ticket_id, resolved, assignee, active, "resolved"))
        if closed is not None:
            entries.append(_status_entry(ticket_id, closed, None, "resolved", "closed"))
        return entries


def _entry(
    ticket_id, kind, at, *, public=False, author=None, person=None, channel="", body="", data=None
) -> dict:
    return {
        "ticket_id": ticket_id,
        "kind": kind,
        "is_public": public,
        "at": at,
        "author_id": author,
        "author_person_id": person,
        "channel": channel,
        "body": body,
        "data": data or {},
        "handover_id": None,
    }


def _status_entry(ticket_id, at, author, status_from, status_to) -> dict:
    return _entry(
        ticket_id,
        Kind.STATUS_CHANGE,
        at,
        public=True,
        author=author,
        data={"status_from": status_from, "status_to": status_to},
    )


def _opening_times(
    rng: random.Random, start: datetime, end: datetime, count: int
) -> Iterator[datetime]:
    """`count` sorted instants in [start, end), denser on weekdays during office hours."""
    tz = timezone.get_default_timezone()
    span = (end - start).total_seconds()
    picked: list[datetime] = []
    top_hour, top_day = max(HOUR_WEIGHTS), max(WEEKDAY_WEIGHTS)
    while len(picked) < count:
        at = start + timedelta(seconds=int(rng.random() * span))
        local = at.astimezone(tz)
        # Rejection sampling: keep an instant as often as its hour and weekday are busy.
        keep = HOUR_WEIGHTS[local.hour] / top_hour * WEEKDAY_WEIGHTS[local.weekday()] / top_day
        if span < 86400 * 2 or rng.random() < keep:
            picked.append(at)
    picked.sort()
    return iter(picked)


# --- writing -------------------------------------------------------------------------------


class _Numbers:
    """Hands out the next numbers of each year inside the batch's transaction."""

    def __init__(self):
        self.last: dict[int, int] = {}

    def next(self, year: int) -> str:
        if year not in self.last:
            TicketNumberSequence.objects.get_or_create(year=year)
            # The row lock keeps `ticket_open` from numbering this year until we commit.
            row = TicketNumberSequence.objects.select_for_update().get(year=year)
            self.last[year] = row.last
        self.last[year] += 1
        return ticket_number_format(year=year, sequence=self.last[year])

    def save(self) -> None:
        for year, last in self.last.items():
            TicketNumberSequence.objects.filter(year=year).update(last=last)


def _reserve_ids(count: int) -> list[int]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Ticket._meta.db_table, count],
            )
            return [row[0] for row in cursor.fetchall()]
    # Elsewhere the batch transaction holds the write lock, so max + 1 is ours.
    start = (Ticket.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    return list(range(start, start + count))


def _copy(table: str, columns: list[str], rows: Iterator[dict]) -> int:
    """Stream rows into `table` with COPY FROM STDIN (PostgreSQL, psycopg 3)."""
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    json_at = [i for i, c in enumerate(columns) if c in JSON_COLUMNS]
    count = 0
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            values = [row[c] for c in columns]
            for i in json_at:
                values[i] = json.dumps(values[i])
            copy.write_row(values)
            count += 1
    return count


def _bulk_create(model, rows: Iterator[dict]) -> int:
    objects = [model(**row) for row in rows]
    model.objects.bulk_create(objects, batch_size=500)
    return len(objects)


def _write_batch(gen: _Generator, opened: list[datetime]) -> tuple[int, int]:
    tz = timezone.get_default_timezone()
    with transaction.atomic():
        numbers = _Numbers()
        # Numbers and ids first: no other query may run on the connection during a COPY.
        numbered = [numbers.next(at.astimezone(tz).year) for at in opened]
        ids = _reserve_ids(len(opened))
        entries: list[dict] = []

        def tickets() -> Iterator[dict]:
            for ticket_id, number, at in zip(ids, numbered, opened, strict=True):
                row, timeline = gen.ticket(ticket_id, number, at)
                entries.extend(timeline)
                yield row

        if connection.vendor == "postgresql":
            ticket_count = _copy(Ticket._meta.db_table, TICKET_COLUMNS, tickets())
            entry_count = _copy(TicketEntry._meta.db_table, ENTRY_COLUMNS, iter(entries))
        else:
            ticket_count = _bulk_create(Ticket, tickets())
            entry_count = _bulk_create(TicketEntry, iter(entries))
        numbers.save()
    return ticket_count, entry_count


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h {seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m {seconds % 60:02d}s"
    return f"{seconds}s"


def seed_tickets(
    *,
    tickets: int,
    batch_size: int = DEFAULT_BATCH_SIZE,
    seed: int | None = None,
    progress: Progress = print,
) -> SeedResult:
    """Add `tickets` synthetic tickets (and 2-4 timeline entries each) to the database."""
    if tickets < 1 or batch_size < 1:
        raise ValueError("tickets and batch_size must be positive")
    _load_reference_data(progress)
    world = _read_world()
    rng = random.Random(seed)
    now = clock.now().replace(microsecond=0)
    start = now - SPAN
    gen = _Generator(world, rng, now)
    began = time.monotonic()
    done = entries = 0
    step = SPAN / tickets
    while done < tickets:
        size = min(batch_size, tickets - done)
        # Each batch covers its own stretch of the two years, so numbers follow opening order.
        window_start = start + step * done
        window_end = start + step * (done + size)
        opened = list(_opening_times(rng, window_start, window_end, size))
        added, added_entries = _write_batch(gen, opened)
        done += added
        entries += added_entries
        elapsed = time.monotonic() - began
        rate = done / elapsed if elapsed else 0.0
        eta = (tickets - done) / rate if rate else 0.0
        progress(
            f"{done:>10,} / {tickets:,} tickets  {rate:>8,.0f}/s  "
            f"elapsed {_duration(elapsed)}  ETA {_duration(eta)}"
        )
    if connection.vendor == "postgresql":
        progress("ANALYZE ...")
        with connection.cursor() as cursor:
            for model in (Ticket, TicketEntry, TicketNumberSequence):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return SeedResult(tickets=done, entries=entries, seconds=time.monotonic() - began)
