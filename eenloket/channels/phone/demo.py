"""Demo data of the phone channel: eight weeks of calls, played through the same service as
the exchange's events (`cti_event_receive`) with the clock set to each event's moment, so the
call log, the missed calls to do and the phone figures look like a desk that has been
answering for a while.

Every phone ticket of the demo history gets the call it came from (answered by first line,
linked to the ticket, on its timeline); around them come short calls that needed no ticket,
missed calls (most called back or marked done, the last day's still to do), busy and forwarded
calls, and call-backs. The newest answered calls carry a recording. Idempotent: a second run
finds calls and adds nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from eenloket.channels.phone import services
from eenloket.channels.phone.models import Call
from eenloket.core import clock

SEED = 2026
WEEKS = 8
DESK_NUMBER = "+31788001000"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
RECORDED = 8  # the newest answered calls with a recording


def load_phone_demo(
    *, tickets: list, people: list, agents: list, progress: Callable[[str], None]
) -> dict:
    """Calls for `tickets` (phone tickets with `opened_at` and a `requester`), extra calls
    from `people`, answered by `agents` (first-line users), unless calls exist already."""
    if Call.objects.exists():
        progress("The call log is there already; reusing it.")
    else:
        now = clock.now()
        rng = random.Random(SEED)
        with clock.frozen_at(now - timedelta(weeks=WEEKS, days=1)):
            token, _plaintext = services.cti_token_create(
                actor=None, name="Demo-telefooncentrale (geschiedenis)"
            )
        planned = _ticket_calls(tickets, agents, now, rng) + _other_calls(people, agents, now, rng)
        planned.sort(key=lambda call: call["events"][0][0])
        progress(f"The phone channel: {len(planned)} calls of the last {WEEKS} weeks ...")
        for index, call in enumerate(planned, start=1):
            _play(token, call)
            if index % 100 == 0:
                progress(f"  {index}/{len(planned)} calls")
        _follow_up_missed(token, agents, now, rng)
        _record_newest(token, progress)
    return {
        "calls": Call.objects.count(),
        "missed_calls_to_do": Call.objects.filter(followup=Call.Followup.TODO).count(),
    }


def _number(person) -> str:
    return person.phone or person.mobile or "anonymous"


def _events(
    *, call_id: str, number: str, agent, queue: str, start: datetime, wait: float,
    talk: float, outcome: str, direction: str = "in",
) -> list[tuple[datetime, dict]]:  # fmt: skip
    base = {
        "callId": call_id,
        "direction": direction,
        "from": number if direction == "in" else DESK_NUMBER,
        "to": DESK_NUMBER if direction == "in" else number,
        "queue": queue,
    }
    events = [(start, {**base, "event": "newCall", "user": [agent.username]})]
    picked_up = start + timedelta(seconds=wait)
    if outcome == "answered":
        events.append((picked_up, {**base, "event": "answer", "user": agent.username}))
        hung_up = picked_up + timedelta(seconds=talk)
        events.append((hung_up, {**base, "event": "hangup", "cause": "normalClearing"}))
    else:
        events.append((picked_up, {**base, "event": "hangup", "cause": outcome}))
    return events


def _wait(rng: random.Random) -> float:
    # Most calls are picked up within the Dutch municipal norm of 25 seconds, some are not.
    if rng.random() < 0.8:
        return rng.uniform(4, 24)
    return rng.uniform(25, 110)


def _ticket_calls(tickets: list, agents: list, now: datetime, rng: random.Random) -> list[dict]:
    """The call each phone ticket came from: the ticket was opened during it."""
    planned = []
    for ticket in tickets:
        if ticket.opened_at < now - timedelta(weeks=WEEKS) or ticket.requester is None:
            continue
        agent = rng.choice(agents)
        before = rng.uniform(60, 300)  # talking before the ticket is saved
        wait = _wait(rng)
        start = ticket.opened_at - timedelta(seconds=before + wait)
        events = _events(
            call_id=f"demo-{ticket.number}",
            number=_number(ticket.requester),
            agent=agent,
            queue="servicedesk",
            start=start,
            wait=wait,
            talk=before + rng.uniform(20, 120),
            outcome="answered",
        )
        planned.append({"events": events, "ticket": ticket.number, "agent": agent})
    return planned


def _business_moments(now: datetime, rng: random.Random, per_day: tuple[int, int]):
    """Random moments within opening hours (08:30-17:00, Monday to Friday), busiest in the
    morning, over the last WEEKS weeks up to now."""
    today = now.astimezone(AMSTERDAM).date()
    for back in range(WEEKS * 7, -1, -1):
        day = today - timedelta(days=back)
        if day.weekday() >= 5:
            continue
        for _ in range(rng.randint(*per_day)):
            hour = rng.choice([8.5, 9, 9, 9.5, 10, 10, 10.5, 11, 11.5, 13, 13.5, 14, 14.5, 15, 16])
            at = datetime.combine(day, time(0), AMSTERDAM) + timedelta(
                hours=hour, seconds=rng.uniform(0, 1800)
            )
            if at < now - timedelta(minutes=15):
                yield at


def _other_calls(people: list, agents: list, now: datetime, rng: random.Random) -> list[dict]:
    """Calls that needed no ticket: quick answers, missed, busy and forwarded calls, and some
    anonymous callers."""
    planned = []
    for index, start in enumerate(_business_moments(now, rng, per_day=(6, 12))):
        roll = rng.random()
        outcome = (
            "answered" if roll < 0.72 else "cancel" if roll < 0.88 else "busy" if roll < 0.95
            else "forwarded"
        )  # fmt: skip
        person = rng.choice(people)
        number = "anonymous" if rng.random() < 0.05 else _number(person)
        events = _events(
            call_id=f"demo-call-{index}",
            number=number,
            agent=rng.choice(agents),
            queue=rng.choice(["servicedesk", "servicedesk", "servicedesk", "ict", "hr"]),
            start=start,
            wait=_wait(rng) if outcome == "answered" else rng.uniform(15, 140),
            talk=rng.uniform(40, 360),
            outcome=outcome,
        )
        planned.append({"events": events, "ticket": None, "agent": None})
    return planned


def _play(token, call: dict) -> None:
    with transaction.atomic():
        for at, payload in call["events"]:
            with clock.frozen_at(at):
                services.cti_event_receive(token=token, data=payload)
        if call["ticket"]:
            hung_up = call["events"][-1][0]
            with clock.frozen_at(hung_up + timedelta(seconds=20)):
                services.call_link_ticket(
                    actor=call["agent"],
                    call=Call.objects.get(call_id=call["events"][0][1]["callId"]),
                    ticket_number=call["ticket"],
                )


def _follow_up_missed(token, agents: list, now: datetime, rng: random.Random) -> None:
    """Missed calls of earlier days: most called back (an answered outgoing call to the number
    clears them), the rest marked done; today's stay on the to-do list."""
    today = now.astimezone(AMSTERDAM).date()
    missed = Call.objects.filter(followup=Call.Followup.TODO).exclude(number="").order_by("id")
    for index, call in enumerate(list(missed)):
        if call.started_at.astimezone(AMSTERDAM).date() >= today:
            continue
        agent = rng.choice(agents)
        later = call.started_at + timedelta(minutes=rng.uniform(20, 150))
        if rng.random() < 0.7:
            events = _events(
                call_id=f"demo-callback-{index}",
                number=call.number,
                agent=agent,
                queue="servicedesk",
                start=later,
                wait=rng.uniform(5, 20),
                talk=rng.uniform(40, 240),
                outcome="answered",
                direction="out",
            )
            _play(token, {"events": events, "ticket": None, "agent": agent})
        else:
            with clock.frozen_at(later):
                services.call_mark_done(actor=agent, call=call)


def _record_newest(token, progress: Callable[[str], None]) -> None:
    """A recording on the newest answered calls, as the exchange uploads them after hang-up."""
    from eenloket.channels.phone.simulator import SENTENCES, spoken_wav

    audio = spoken_wav(" ".join(SENTENCES[:2]))
    newest = Call.objects.filter(result=Call.Result.ANSWERED).order_by("-started_at")[:RECORDED]
    for call in newest:
        with transaction.atomic(), clock.frozen_at(call.ended_at + timedelta(seconds=30)):
            services.recording_store(call_id=call.call_id, content=audio, token=token)
    progress(f"  recordings on the {RECORDED} newest answered calls")
