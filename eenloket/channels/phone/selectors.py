"""Reads of the phone channel, scoped by the actor: the call log, what rings, phone figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncDay, TruncHour

from eenloket.accesslog import services as access
from eenloket.channels.phone.exceptions import CallNotFound, RecordingGone
from eenloket.channels.phone.models import Call, Recording, RecordingHold
from eenloket.core import clock
from eenloket.core.exceptions import NotFound
from eenloket.directory.selectors import people_by_phone
from eenloket.tickets.choices import OPEN_STATUSES
from eenloket.tickets.selectors import tickets_for_agent, tickets_of_requester, works_tickets

if TYPE_CHECKING:
    from eenloket.directory.models import User

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# The Dutch municipal norm: a call is answered within 25 seconds.
ANSWER_NORM_SECONDS = 25
RINGING_FOR_AT_MOST = dt.timedelta(minutes=5)
CONVERSATION_AT_MOST = dt.timedelta(hours=4)


def calls_for_actor(actor: User | None) -> QuerySet[Call]:
    """The whole desk sees every call; a specialist the calls they took or that rang for
    them and those about tickets they work; nobody else any."""
    if not works_tickets(actor):
        return Call.objects.none()
    if actor.works_whole_desk:
        return Call.objects.all()
    return Call.objects.filter(
        Q(agent=actor)
        | Q(pk__in=Call.objects.filter(ringing_for=actor).values("pk"))
        | Q(ticket__in=tickets_for_agent(actor).values("pk"))
    )


LOG_RELATED = ("person", "organization", "agent", "ticket")


@dataclass(frozen=True)
class CallFilters:
    direction: str | None = None
    result: str | None = None
    day: dt.date | None = None
    todo: bool = False


def call_log(
    *,
    actor: User,
    filters: CallFilters,
    before: tuple[dt.datetime, int] | None = None,
    limit: int = 50,
) -> tuple[list[Call], tuple[dt.datetime, int] | None]:
    """One page of calls, newest first; keyset on (started_at, id)."""
    calls = calls_for_actor(actor)
    if filters.direction:
        calls = calls.filter(direction=filters.direction)
    if filters.result:
        calls = calls.filter(result=filters.result)
    if filters.todo:
        calls = calls.filter(followup=Call.Followup.TODO)
    if filters.day:
        start = dt.datetime.combine(filters.day, dt.time(0), tzinfo=AMSTERDAM)
        calls = calls.filter(started_at__gte=start, started_at__lt=start + dt.timedelta(days=1))
    if before is not None:
        at, pk = before
        calls = calls.filter(Q(started_at__lt=at) | Q(started_at=at, id__lt=pk))
    page = list(calls.select_related(*LOG_RELATED).order_by("-started_at", "-id")[: limit + 1])
    cursor = None
    if len(page) > limit:
        page = page[:limit]
        cursor = (page[-1].started_at, page[-1].pk)
    return page, cursor


def missed_calls_todo(*, actor: User, limit: int = 100) -> list[Call]:
    """Missed calls nobody has called back or marked done yet, oldest first."""
    return list(
        calls_for_actor(actor)
        .filter(followup=Call.Followup.TODO)
        .select_related(*LOG_RELATED)
        .order_by("started_at", "id")[:limit]
    )


def missed_calls_todo_count(*, actor: User) -> int:
    return calls_for_actor(actor).filter(followup=Call.Followup.TODO).count()


def call_get(*, actor: User, call_id: str) -> Call:
    try:
        call = (
            calls_for_actor(actor).select_related(*LOG_RELATED, "followup_by").get(call_id=call_id)
        )
    except Call.DoesNotExist:
        access.access_refused(kind=access.ObjectKind.CALL, ref=call_id)
        raise CallNotFound() from None
    _note_call(call)
    return call


def _note_call(call: Call) -> None:
    # The caller is the data subject; an unknown number is still a call about someone.
    access.access_note(
        kind=access.ObjectKind.CALL,
        ref=call.call_id,
        person_id=call.person_id,
        ticket_number=call.ticket.number if call.ticket_id else "",
    )


@dataclass
class CallerPanel:
    """What the agent sees of a ringing call: who, their tickets, their recent contacts."""

    call: Call
    candidates: list[Any] = field(default_factory=list)
    open_tickets: list[Any] = field(default_factory=list)
    recent_tickets: list[Any] = field(default_factory=list)
    recent_calls: list[Call] = field(default_factory=list)


def _panel(actor: User, call: Call) -> CallerPanel:
    """What the pop-up and the call page show of the caller: logged, candidates too."""
    panel = CallerPanel(call=call)
    _note_call(call)
    if call.match == Call.Match.SEVERAL:
        panel.candidates = people_by_phone(number=call.number)
        access.access_note_people(people=panel.candidates, action=access.Action.VIEW)
    if call.person_id:
        tickets = tickets_of_requester(actor=actor, person_id=call.person_id, limit=10)
        panel.open_tickets = [t for t in tickets if t.status in OPEN_STATUSES]
        panel.recent_tickets = [t for t in tickets if t.status not in OPEN_STATUSES][:3]
    if call.number:
        panel.recent_calls = list(
            calls_for_actor(actor)
            .filter(number=call.number)
            .exclude(pk=call.pk)
            .select_related("agent")
            .order_by("-started_at", "-id")[:5]
        )
    return panel


def calls_live(*, actor: User) -> list[Call]:
    """The calls ringing for the actor now and the call they are in."""
    if not works_tickets(actor):
        return []
    now = clock.now()
    ringing = Q(
        state=Call.State.RINGING,
        direction=Call.Direction.IN,
        started_at__gte=now - RINGING_FOR_AT_MOST,
        pk__in=Call.objects.filter(ringing_for=actor).values("pk"),
    )
    talking = Q(state=Call.State.ANSWERED, agent=actor, started_at__gte=now - CONVERSATION_AT_MOST)
    return list(
        Call.objects.filter(ringing | talking)
        .select_related("person", "organization", "ticket")
        .order_by("-started_at", "-id")[:3]
    )


def calls_live_fingerprint(calls: list[Call]) -> str:
    """Changes whenever what the pop-up shows would change (so polls can answer "same")."""
    return "-".join(f"{c.pk}.{c.state}.{c.ticket_id or 0}" for c in calls) or "none"


def caller_panels(*, actor: User, calls: list[Call]) -> list[CallerPanel]:
    return [_panel(actor, call) for call in calls]


def call_panel(*, actor: User, call: Call) -> CallerPanel:
    return _panel(actor, call)


# --- recordings --------------------------------------------------------------------------


def _recording_for_staff(*, actor: User, recording_id: int) -> Recording:
    """A recording of a call whose ticket the actor may see (for a call on no ticket: the
    whole desk and the agent who took it); NotFound, and a refusal logged, otherwise."""
    try:
        recording = Recording.objects.select_related("call").get(pk=recording_id)
    except (Recording.DoesNotExist, ValueError, TypeError):
        access.access_refused(kind=access.ObjectKind.RECORDING, ref=recording_id)
        raise NotFound() from None
    call = recording.call
    if not works_tickets(actor):
        access.access_refused(kind=access.ObjectKind.RECORDING, ref=recording_id)
        raise NotFound()
    if call.ticket_id:
        allowed = tickets_for_agent(actor).filter(pk=call.ticket_id).exists()
    else:
        allowed = actor.works_whole_desk or call.agent_id == actor.pk
    if not allowed:
        access.access_refused(kind=access.ObjectKind.RECORDING, ref=recording_id)
        raise NotFound()
    return recording


def recording_for_playback(*, actor: User, recording_id: int) -> Recording:
    """A recording the actor may hear: staff who may see the call's ticket; for a call on no
    ticket, the whole desk and the agent who took it."""
    recording = _recording_for_staff(actor=actor, recording_id=recording_id)
    if recording.is_deleted:
        raise RecordingGone()
    access.access_note(
        kind=access.ObjectKind.RECORDING,
        ref=recording.pk,
        person_id=recording.call.person_id,
        action=access.Action.DOWNLOAD,
    )
    return recording


def recording_for_hold(*, actor: User, recording_id: int) -> Recording:
    """A recording the actor may put on hold or release: whoever may hear it."""
    recording = _recording_for_staff(actor=actor, recording_id=recording_id)
    access.access_note(
        kind=access.ObjectKind.RECORDING,
        ref=recording.pk,
        person_id=recording.call.person_id,
        action=access.Action.CHANGE,
    )
    return recording


def recordings_of_ticket(*, ticket_id: int) -> dict[int, Recording]:
    """The recordings of the calls on one ticket, by call id (one query for a timeline)."""
    holds = RecordingHold.objects.filter(released_at__isnull=True).select_related("placed_by")
    recordings = Recording.objects.filter(call__ticket_id=ticket_id).prefetch_related(
        Prefetch("holds", queryset=holds, to_attr="active_holds")
    )
    return {recording.call_id: recording for recording in recordings}


# --- phone figures -----------------------------------------------------------------------


@dataclass(frozen=True)
class PhoneFigures:
    """Incoming-call figures of one group (a queue, an hour or a day)."""

    group: Any
    offered: int
    answered: int
    answered_in_norm: int
    abandoned: int
    forwarded: int
    average_speed_of_answer: float | None  # seconds
    talk_seconds: int
    average_talk_seconds: float | None
    called_back: int

    @property
    def abandonment_rate(self) -> float | None:
        return self.abandoned / self.offered if self.offered else None

    @property
    def service_level(self) -> float | None:
        """Share of offered calls answered within the norm."""
        return self.answered_in_norm / self.offered if self.offered else None


GROUPS = ("queue", "hour", "day")


def phone_figures(
    *, actor: User, start: dt.datetime, end: dt.datetime, by: str = "day"
) -> list[PhoneFigures]:
    """Calls offered, answered (within 25 s), abandoned, ASA, talking time and missed calls
    called back, for incoming calls that started in [start, end), per queue, hour or day
    (hours and days in Dutch time). Only for the whole desk (team leads, first line)."""
    if by not in GROUPS:
        raise ValueError(f"group by one of {GROUPS}, not {by!r}")
    if not (works_tickets(actor) and actor.works_whole_desk):
        return []
    calls = Call.objects.filter(
        direction=Call.Direction.IN,
        state=Call.State.ENDED,
        started_at__gte=start,
        started_at__lt=end,
    ).exclude(result=Call.Result.REJECTED)
    if by == "queue":
        calls = calls.annotate(group=F("queue_name")).values("group")
    elif by == "hour":
        calls = calls.annotate(group=TruncHour("started_at", tzinfo=AMSTERDAM)).values("group")
    else:
        calls = calls.annotate(group=TruncDay("started_at", tzinfo=AMSTERDAM)).values("group")
    answered = Q(result=Call.Result.ANSWERED)
    rows = calls.annotate(
        offered=Count("id"),
        answered=Count("id", filter=answered),
        in_norm=Count("id", filter=answered & Q(wait_seconds__lte=ANSWER_NORM_SECONDS)),
        abandoned=Count("id", filter=Q(result__in=[Call.Result.MISSED, Call.Result.BUSY])),
        forwarded=Count("id", filter=Q(result=Call.Result.FORWARDED)),
        asa=Avg("wait_seconds", filter=answered),
        talk=Sum("talk_seconds", filter=answered),
        average_talk=Avg("talk_seconds", filter=answered),
        called_back=Count("id", filter=Q(followup=Call.Followup.CALLED_BACK)),
    ).order_by("group")
    return [
        PhoneFigures(
            group=row["group"],
            offered=row["offered"],
            answered=row["answered"],
            answered_in_norm=row["in_norm"],
            abandoned=row["abandoned"],
            forwarded=row["forwarded"],
            average_speed_of_answer=float(row["asa"]) if row["asa"] is not None else None,
            talk_seconds=int(row["talk"] or 0),
            average_talk_seconds=(
                float(row["average_talk"]) if row["average_talk"] is not None else None
            ),
            called_back=row["called_back"],
        )
        for row in rows
    ]
