"""Months of desk history, replayed through the real ticket services.

Every ticket gets a plan: a list of steps (open, assign, reply, hand over, wait, resolve,
close, ...), each a business-time delay after the previous one and the service call to make
then. Steps run under `clock.frozen_at` at their moment, so SLA clocks, first responses and
breaches come out of the services themselves. Tickets whose plan reaches past "now" simply stop
there, which is why recent tickets are still open and old ones closed. A few tickets (the
`klant` login's and one of `specialist-hr`) are scripted to end in a given status.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from eenloket.catalog.priority import priority_for
from eenloket.core import clock
from eenloket.core.businesstime import Schedule, add_business_time
from eenloket.demo.catalogue import SERVICES, ServiceSpec
from eenloket.demo.stories import (
    ASKS,
    CUSTOMER_ANSWERS,
    DEPARTMENT_REPLIES,
    FIRST_REPLIES,
    NOTES,
    REOPEN_MESSAGES,
    RETURN_REASONS,
    STATUS_CALLS,
    STORIES,
    Story,
)
from eenloket.tickets import services as desk
from eenloket.tickets.models import Channel, Status, TicketEntry

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
HISTORY_DAYS = 365
# The merge into one desk is at the start of the history; first line takes half a year to learn
# to solve what the departments used to (the dashboards show the handover rate falling).
LEARNING_DAYS = HISTORY_DAYS / 2
OPENS, CLOSES = time(8), time(17)
COUNTER_OPENS, COUNTER_CLOSES, COUNTER_CLOSES_FRIDAY = time(8, 30), time(16, 30), time(12, 30)
AUTO_CLOSE_MINUTES = 5 * 540
CHANNEL_WEIGHTS = {
    Channel.PORTAL: 36,
    Channel.EMAIL: 26,
    Channel.PHONE: 24,
    Channel.COUNTER: 9,
    Channel.API: 5,
}
API_SOURCES = {
    "hr": "het personeelssysteem",
    "it": "de monitoring van het rekencentrum",
    "facility": "het gebouwbeheersysteem",
}
BUMP = {"low": "medium", "medium": "high", "high": "high"}
Kind = TicketEntry.Kind


@dataclass
class World:
    """The reference data the history hangs on, read once."""

    schedule: Schedule
    now: datetime
    services: dict[str, Any]  # code -> Service
    departments: dict[str, Any]  # code -> Department
    targets: dict[str, dict[str, tuple[int, int]]]  # service code -> priority -> minutes
    customers: list[Any]  # Person rows without a login
    agents: list[Any]  # first-line Users, the first is the busiest
    specialists: dict[str, list[Any]]  # department code -> Users
    klant: Any
    klant_person: Any
    hr_specialist: Any
    hr_specialist_person: Any


@dataclass
class Step:
    delay: float  # business minutes after the previous step
    status: str  # the ticket's status after this step
    run: Callable[[Any], Any]  # gets the ticket, returns the ticket when it opens it


@dataclass
class Spec:
    service: ServiceSpec
    requester: Any
    channel: str
    customer_login: Any = None
    target: str | None = None  # scripted: stop when the ticket reaches this status
    options: dict[str, Any] = field(default_factory=dict)
    opened_at: datetime | None = None


# --- business time, backwards and forwards -----------------------------------------------


class Timeline:
    """The office's business intervals over the history window, to place openings."""

    def __init__(self, schedule: Schedule, now: datetime):
        self.schedule = schedule
        self.now = now
        self.intervals: list[tuple[datetime, datetime]] = []  # newest first
        today = now.astimezone(AMSTERDAM).date()
        for back in range(HISTORY_DAYS + 1):
            day = today - timedelta(days=back)
            if not schedule.is_business_day(day):
                continue
            start = datetime.combine(day, OPENS, AMSTERDAM)
            end = min(datetime.combine(day, CLOSES, AMSTERDAM), now)
            if end > start:
                self.intervals.append((start, end))
        self.total_minutes = sum((e - s).total_seconds() for s, e in self.intervals) / 60

    def ago(self, minutes: float) -> datetime:
        """The moment `minutes` of business time before now (the oldest opening if beyond)."""
        left = max(0.0, minutes)
        for start, end in self.intervals:
            length = (end - start).total_seconds() / 60
            if left <= length:
                return end - timedelta(minutes=left)
            left -= length
        return self.intervals[-1][0]

    def after(self, at: datetime, minutes: float) -> datetime:
        return add_business_time(self.schedule, at, timedelta(minutes=max(0.0, minutes)))


def _counter_time(at: datetime, rng: random.Random) -> datetime:
    """Move a walk-in into the counter's opening hours of that day."""
    local = at.astimezone(AMSTERDAM)
    closes = COUNTER_CLOSES_FRIDAY if local.weekday() == 4 else COUNTER_CLOSES
    if COUNTER_OPENS <= local.time() < closes:
        return at
    span = (
        datetime.combine(date.min, closes) - datetime.combine(date.min, COUNTER_OPENS)
    ).total_seconds()
    moved = datetime.combine(local.date(), COUNTER_OPENS, AMSTERDAM) + timedelta(
        seconds=rng.uniform(0, span)
    )
    return moved


# --- texts ---------------------------------------------------------------------------------


def _greeting(person) -> str:
    return f"Beste {person.first_name or person.last_name},"


def _signed(user) -> str:
    name = user.get_full_name() or user.username
    return f"Met vriendelijke groet,\n\n{name}\nServicecentrum Drechtsteden"


def _reply(person, user, text: str) -> str:
    return f"{_greeting(person)}\n\n{text}\n\n{_signed(user)}"


def _customer_text(text: str, person, channel: str) -> str:
    if channel == Channel.EMAIL:
        return f"Hallo,\n\n{text}\n\nMet vriendelijke groet,\n{person.full_name}"
    return text


def _form_data(service: ServiceSpec, rng: random.Random, opened: datetime) -> dict[str, str]:
    data: dict[str, str] = {}
    day = opened.astimezone(AMSTERDAM).date()
    for spec in service.fields:
        if not spec.required and rng.random() < 0.3:
            continue
        if spec.type == "text":
            data[spec.key] = rng.choice(spec.samples)
        elif spec.type == "choice":
            data[spec.key] = rng.choice(spec.choices)
        elif spec.type == "date":
            offset = rng.choice(spec.samples or (7,))
            data[spec.key] = (day + timedelta(days=offset)).isoformat()
        elif spec.type == "number":
            low = spec.min_value or 1
            high = spec.max_value or 100
            # Log-uniform: amounts and counts are mostly small, now and then large.
            value = math.exp(rng.uniform(math.log(low), math.log(high)))
            data[spec.key] = str(
                Decimal(value).quantize(Decimal("0.01")) if spec.key in {"bedrag"} else int(value)
            )
    return data


def _attachment(service: ServiceSpec, number: int) -> list[desk.Upload]:
    names = {
        "hr-declaratie-reiskosten": "reisoverzicht.pdf",
        "jur-contracttoets": "concept-overeenkomst.pdf",
        "jur-bezwaar": "bezwaarschrift.pdf",
    }
    if service.code not in names:
        return []
    content = (
        f"%PDF-1.4\n% Eenloket demo {service.code} {number}\n1 0 obj <<>> endobj\n"
        "trailer <<>>\n%%EOF\n"
    ).encode()
    return [desk.Upload(name=names[service.code], content=content)]


# --- planning one ticket ----------------------------------------------------------------


class Planner:
    def __init__(self, world: World, rng: random.Random):
        self.world = world
        self.rng = rng

    def _agent(self):
        agents = self.world.agents
        # The `servicedesk` login takes the biggest share, so its workspace has work.
        return agents[0] if self.rng.random() < 0.35 else self.rng.choice(agents)

    def _specialist(self, department: str):
        return self.rng.choice(self.world.specialists[department])

    def _lognormal(self, target: float, median_share: float, sigma: float) -> float:
        return target * median_share * math.exp(self.rng.gauss(0, sigma))

    def plan(self, spec: Spec, serial: int) -> list[Step]:
        """The steps of one ticket, from opening to closing."""
        rng, world, service = self.rng, self.world, spec.service
        story: Story = STORIES[service.code]
        options = spec.options
        person = spec.requester
        channel = spec.channel
        login = spec.customer_login
        department = service.department
        # The agent or customer now and then judges it weightier than the service's default.
        impact, urgency = service.impact, service.urgency
        if rng.random() < 0.2:
            impact = BUMP[impact]
        if service.kind == "incident" and rng.random() < 0.15:
            urgency = BUMP[urgency]
        priority = priority_for(impact, urgency)
        response_target, resolution_target = world.targets[service.code][priority]
        response = self._lognormal(response_target, 0.35, 0.8)
        resolution = max(response + 5, self._lognormal(resolution_target, 0.45, 0.7))

        by_agent = channel in (Channel.PHONE, Channel.COUNTER)
        agent = self._agent()
        routing = service.routing
        if "path" in options:
            path = options["path"]
        elif routing == "first_line":
            path = "first"
        elif routing == "first_then_department":
            # On the phone or at the counter first line solves more than from a mail.
            learned = _learned(spec, world)
            solves = (0.2 + 0.35 * learned) if by_agent else (0.08 + 0.22 * learned)
            path = "first" if rng.random() < solves else "handover"
        else:
            path = "department"
        fcr = options.get("fcr", by_agent and path == "first" and rng.random() < 0.85)
        wait = options.get("wait", rng.random() < 0.25)
        never_answers = wait and options.get("never_answers", rng.random() < 0.12)
        reopen = options.get("reopen", rng.random() < 0.06)
        stall = options.get("stall", rng.random() < 0.06)
        return_to_first = path == "handover" and options.get("return", rng.random() < 0.08)

        title = rng.choice(story.subjects)
        message = rng.choice(story.messages)
        resolution_text = rng.choice(story.resolutions)
        if by_agent:
            how = "belt" if channel == Channel.PHONE else "komt aan de balie"
            description = f"Klant {how}: {message}"
        elif channel == Channel.API:
            source = API_SOURCES.get(department, "het e-formulier op intranet")
            description = f"{message}\n\n(Automatisch aangemaakt via de koppeling met {source}.)"
        else:
            description = _customer_text(message, person, channel)
        steps: list[Step] = []
        state = {"holder": agent}

        def add(delay: float, status: str, run: Callable[[Any], Any]) -> None:
            steps.append(Step(delay=max(0.0, delay), status=status, run=run))

        def log_contact(kind: str, body: str, who=None) -> None:
            data = (
                {"direction": "inbound", "duration_seconds": rng.randint(60, 600)}
                if kind == Kind.CALL
                else {"queue_number": f"{rng.choice('ABC')}{rng.randint(1, 99):03d}"}
            )
            actor = who or agent

            add(
                rng.uniform(0.3, 2),
                steps[-1].status,
                lambda t: desk.ticket_log_contact(
                    actor=actor, ticket=t, kind=kind, body=body, data=data
                ),
            )

        # Opening. Form dates are relative to the moment of opening, known only then.
        form_seed = rng.random()
        files = _attachment(service, serial) if not by_agent else []
        resolve_now = rng.choice(story.resolutions) if fcr else None
        if by_agent:
            open_actor = agent
        elif channel == Channel.PORTAL:
            open_actor = login
        else:
            open_actor = None
        straight = routing == "department"
        opened_status = Status.RESOLVED if fcr else (Status.HANDED_OVER if straight else Status.NEW)

        def open_ticket(_):
            return desk.ticket_open(
                actor=open_actor,
                requester=person,
                service=world.services[service.code],
                channel=channel,
                title=title,
                description=description,
                impact=impact,
                urgency=urgency,
                form_data=_form_data(service, random.Random(form_seed), clock.now()),
                files=files,
                resolve_with=resolve_now,
            )

        add(0, opened_status, open_ticket)
        if by_agent:
            kind = Kind.CALL if channel == Channel.PHONE else Kind.COUNTER_VISIT
            log_contact(kind, "Melding opgenomen." if not fcr else "Direct opgelost.")

        if fcr:
            self._after_resolution(add, log_contact, state, person, login, reopen=False)
            return steps

        # Working it.
        spent = 0.0
        if path in ("first", "handover"):
            delay = response * rng.uniform(0.2, 0.6)
            add(
                delay,
                Status.IN_PROGRESS,
                lambda t: desk.ticket_assign(actor=agent, ticket=t, assignee=agent),
            )
            spent += delay
        if path == "first":
            first_text = rng.choice(FIRST_REPLIES)
            delay = max(1.0, response - spent)
            add(
                delay,
                Status.IN_PROGRESS,
                lambda t: desk.ticket_reply(
                    actor=agent, ticket=t, body=_reply(person, agent, first_text)
                ),
            )
            spent += delay
            worker = agent
            holder_status = Status.IN_PROGRESS
        else:
            if path == "handover":
                if rng.random() < 0.3:
                    note = rng.choice(NOTES)
                    add(
                        rng.uniform(5, 30),
                        Status.IN_PROGRESS,
                        lambda t: desk.ticket_note(actor=agent, ticket=t, body=note),
                    )
                tried, needed = rng.choice(story.tried), rng.choice(story.needed)
                question = f"{title}. {message}"

                def hand_over(t):
                    return desk.ticket_hand_over(
                        actor=agent,
                        ticket=t,
                        department=world.departments[department],
                        question=question,
                        tried=tried,
                        needed=needed,
                    )

                delay = rng.uniform(10, 90)
                add(delay, Status.HANDED_OVER, hand_over)
                spent += delay
            worker = self._specialist(department)
            delay = rng.uniform(15, 300)
            add(
                delay,
                Status.HANDED_OVER,
                lambda t: desk.ticket_assign(actor=worker, ticket=t, assignee=worker),
            )
            spent += delay
            if return_to_first:
                reason = rng.choice(RETURN_REASONS)
                add(
                    rng.uniform(10, 120),
                    Status.IN_PROGRESS,
                    lambda t: desk.ticket_return_to_first_line(
                        actor=worker, ticket=t, reason=reason
                    ),
                )
                worker = self._agent()
                holder_status = Status.IN_PROGRESS
            else:
                dept_text = rng.choice(DEPARTMENT_REPLIES)
                delay = max(1.0, response - spent) if path == "department" else rng.uniform(20, 400)
                add(
                    delay,
                    Status.HANDED_OVER,
                    lambda t: desk.ticket_reply(
                        actor=worker, ticket=t, body=_reply(person, worker, dept_text)
                    ),
                )
                spent += delay
                holder_status = Status.HANDED_OVER
        state["holder"] = worker

        if wait:
            ask = rng.choice(story.asks or ASKS)
            add(
                rng.uniform(10, 240),
                Status.WAITING,
                lambda t: desk.ticket_reply(
                    actor=worker, ticket=t, body=_reply(person, worker, ask), wait_for_customer=True
                ),
            )
            if not never_answers:
                answer = rng.choice(CUSTOMER_ANSWERS)
                answer_channel = Channel.PORTAL if login else Channel.EMAIL
                add(
                    rng.uniform(30, 1600),
                    holder_status,
                    lambda t: desk.ticket_add_customer_message(
                        actor=login,
                        ticket=t,
                        person=person,
                        body=_customer_text(answer, person, answer_channel),
                        channel=answer_channel,
                    ),
                )
        if rng.random() < 0.2 and not never_answers:
            note = rng.choice(NOTES)
            add(
                rng.uniform(30, 400),
                steps[-1].status,
                lambda t: desk.ticket_note(actor=worker, ticket=t, body=note),
            )
        if rng.random() < 0.12 and not never_answers:
            log_contact(Kind.CALL, rng.choice(STATUS_CALLS), who=self._agent())
            steps[-1].delay = rng.uniform(60, 900)
        if stall:
            add(rng.uniform(4000, 16000), steps[-1].status, lambda t: t)

        if never_answers:
            text = (
                "We hebben geen reactie ontvangen en sluiten de melding daarom af. Reageer "
                "gerust op dit bericht als u nog hulp nodig heeft."
            )
            delay = rng.uniform(2700, 4500)
        else:
            text = resolution_text
            delay = max(10.0, resolution - spent)
        add(
            delay,
            Status.RESOLVED,
            lambda t: desk.ticket_resolve(
                actor=worker, ticket=t, resolution=_reply(person, worker, text)
            ),
        )
        self._after_resolution(add, log_contact, state, person, login, reopen=reopen)
        return steps

    def _after_resolution(self, add, log_contact, state, person, login, *, reopen: bool):
        rng = self.rng
        worker = state["holder"]
        if reopen:
            message = rng.choice(REOPEN_MESSAGES)
            reopen_channel = Channel.PORTAL if login else Channel.EMAIL
            # The status it goes back to depends on the line; the services decide.
            add(
                rng.uniform(60, 1500),
                Status.IN_PROGRESS,
                lambda t: desk.ticket_add_customer_message(
                    actor=login, ticket=t, person=person, body=message, channel=reopen_channel
                ),
            )
            text = "Opnieuw bekeken en nu definitief opgelost; de oorzaak is weggenomen."
            add(
                rng.uniform(60, 1200),
                Status.RESOLVED,
                lambda t: desk.ticket_resolve(
                    actor=worker, ticket=t, resolution=_reply(person, worker, text)
                ),
            )
        if rng.random() < 0.8:
            # The worker's auto-close after five business days.
            add(
                AUTO_CLOSE_MINUTES + rng.uniform(0, 120),
                Status.CLOSED,
                lambda t: desk.ticket_close(actor=None, ticket=t),
            )
        else:
            add(
                rng.uniform(120, 1500),
                Status.CLOSED,
                lambda t: desk.ticket_close(actor=worker, ticket=t),
            )


# --- the whole history --------------------------------------------------------------------


def _learned(spec: Spec, world: World) -> float:
    """0 at the merge, 1 after LEARNING_DAYS: how far first line has grown into its role."""
    if spec.opened_at is None:
        return 1.0
    start = world.now - timedelta(days=HISTORY_DAYS)
    return min(1.0, max(0.0, (spec.opened_at - start).days / LEARNING_DAYS))


def _weighted_services(rng: random.Random, department: str) -> ServiceSpec:
    options = [s for s in SERVICES if s.department == department]
    return rng.choices(options, weights=[s.weight for s in options])[0]


SCRIPTED = {"stall": False, "reopen": False}


def _scripted(world: World) -> list[Spec]:
    """The `klant` login's tickets in every status, and `specialist-hr` as a customer of IT."""
    by_code = {s.code: s for s in SERVICES}
    person, login = world.klant_person, world.klant
    plans = [
        ("ict-laptop-defect", Channel.PORTAL, Status.NEW, {}),
        ("hr-loonstrook", Channel.PORTAL, Status.IN_PROGRESS, {"path": "first", "wait": False}),
        (
            "ict-software",
            Channel.PORTAL,
            Status.WAITING,
            {"path": "first", "wait": True, "never_answers": True},
        ),
        (
            "fin-factuur-status",
            Channel.EMAIL,
            Status.HANDED_OVER,
            {"path": "handover", "wait": False, "return": False},
        ),
        (
            "hr-declaratie-reiskosten",
            Channel.PORTAL,
            Status.RESOLVED,
            {"wait": False, "reopen": False, "stall": False},
        ),
        ("ict-wachtwoord", Channel.PHONE, Status.CLOSED, {"fcr": True}),
        (
            "fac-toegangspas",
            Channel.COUNTER,
            Status.CLOSED,
            {"path": "handover", "fcr": False, "stall": False},
        ),
        (
            "com-website",
            Channel.PORTAL,
            Status.CLOSED,
            {"path": "handover", "wait": True, "never_answers": False, "stall": False},
        ),
    ]
    specs = [
        Spec(by_code[code], person, channel, login, target, {**SCRIPTED, **options})
        for code, channel, target, options in plans
    ]
    specs.append(
        Spec(
            by_code["ict-laptop-defect"],
            world.hr_specialist_person,
            Channel.PORTAL,
            world.hr_specialist,
            Status.HANDED_OVER,
            {**SCRIPTED, "path": "handover", "wait": False, "return": False},
        )
    )
    return specs


def _cut(steps: list[Step], target: str) -> list[Step]:
    if target == Status.WAITING:
        index = next(i for i, s in enumerate(steps) if s.status == target)
    else:
        index = max(i for i, s in enumerate(steps) if s.status == target)
    return steps[: index + 1]


def replay(
    world: World,
    *,
    tickets: int,
    seed: int,
    progress: Callable[[str], None],
) -> int:
    """Open `tickets` tickets with their timelines; returns how many were opened."""
    rng = random.Random(seed)
    timeline = Timeline(world.schedule, world.now)
    planner = Planner(world, rng)
    specs = _scripted(world)[: max(0, tickets)]
    departments = sorted({s.department for s in SERVICES})
    channels = list(CHANNEL_WEIGHTS)
    for i in range(max(0, tickets - len(specs))):
        department = departments[i % len(departments)]
        service = _weighted_services(rng, department)
        # The first five cover every channel; after that, channels come by their weight.
        channel = (
            channels[i]
            if i < len(channels)
            else rng.choices(channels, weights=list(CHANNEL_WEIGHTS.values()))[0]
        )
        requester = rng.choice(world.customers)
        specs.append(Spec(service, requester, channel))

    planned: list[tuple[datetime, int, list[Step]]] = []
    for serial, spec in enumerate(specs):
        if not spec.target:
            # Placed before planning: how the desk handles a ticket depends on when it came.
            spec.opened_at = timeline.ago(rng.uniform(0, timeline.total_minutes))
        steps = planner.plan(spec, serial)
        if spec.target:
            steps = _cut(steps, spec.target)
            needed = sum(step.delay for step in steps)
            opened = timeline.ago(needed * 1.1 + rng.uniform(30, 300))
        else:
            opened = spec.opened_at
            if spec.channel in (Channel.PORTAL, Channel.EMAIL) and rng.random() < 0.12:
                evening = opened.astimezone(AMSTERDAM).replace(
                    hour=rng.randint(18, 21), minute=rng.randint(0, 59)
                )
                opened = evening if evening < world.now else opened
            if spec.channel == Channel.COUNTER:
                moved = _counter_time(opened, rng)
                opened = moved if moved < world.now else opened
        planned.append((opened, serial, steps))
    # Open in time order, so ticket numbers follow the calendar.
    planned.sort(key=lambda item: (item[0], item[1]))

    opened_count = 0
    for opened, _serial, steps in planned:
        at = opened
        ticket = None
        for index, step in enumerate(steps):
            if index:
                at = timeline.after(at, step.delay) + timedelta(seconds=rng.randint(5, 90))
            if at > world.now:
                break
            with clock.frozen_at(at):
                result = step.run(ticket)
            if index == 0:
                ticket = result
        opened_count += 1
        if opened_count % 50 == 0:
            progress(f"{opened_count} of {len(planned)} tickets")
    with clock.frozen_at(world.now), transaction.atomic():
        desk.sla_mark_breaches()
    return opened_count
