"""Every write of the phone channel: exchange events, links to tickets, recordings, retention.

Exchange events may come late, twice or out of order. Each (callId, event) is stored once and
the call is recomputed from the events it has, so the order they arrived in does not matter.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from eenloket.channels.phone.audio import audio_type, wav_duration
from eenloket.channels.phone.exceptions import (
    CallNotFound,
    InvalidEvent,
    InvalidToken,
    RecordingExists,
    RecordingRejected,
    RecordingTooLarge,
)
from eenloket.channels.phone.identify import caller_identify, is_well_formed, number_e164
from eenloket.channels.phone.models import (
    BlockedNumber,
    Call,
    CallEvent,
    CtiToken,
    PlaybackLog,
    Recording,
    RecordingHold,
)
from eenloket.core import clock
from eenloket.core.exceptions import Conflict, NotAllowed, ValidationFailed
from eenloket.core.services import audit_record
from eenloket.directory.roles import STAFF_ROLES
from eenloket.tickets import services as ticket_services
from eenloket.tickets.exceptions import TicketNotFound
from eenloket.tickets.selectors import tickets_for_agent

if TYPE_CHECKING:
    from eenloket.directory.models import User

logger = logging.getLogger(__name__)

EVENTS = ("newCall", "answer", "hangup")
CAUSES = frozenset(
    {"normalClearing", "busy", "cancel", "noAnswer", "congestion", "notFound", "forwarded"}
)
REJECT_BUSY = {"action": "reject", "reason": "busy"}
# How long after hang-up a ticket the agent opens is still taken to be about the call.
LINK_GRACE = timedelta(minutes=30)
TOKEN_PREFIX = "cti_"  # noqa: S105 (a prefix, not a secret)


# --- tokens ------------------------------------------------------------------------------


def _token_hash(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


@transaction.atomic
def cti_token_create(*, actor: User | None, name: str) -> tuple[CtiToken, str]:
    """A new exchange token; the plaintext is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(field_errors={"name": [_("Give the token a name.")]})
    if len(name) > 100:
        raise ValidationFailed(field_errors={"name": [_("At most 100 characters.")]})
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = CtiToken.objects.create(
        name=name,
        token_hash=_token_hash(plaintext),
        hint=plaintext[-4:],
        created_at=clock.now(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(actor=actor, obj=token, action="cti_token_created")
    return token, plaintext


@transaction.atomic
def cti_token_revoke(*, actor: User | None, token: CtiToken) -> CtiToken:
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, obj=token, action="cti_token_revoked")
    return token


def cti_token_check(plaintext: str) -> CtiToken:
    """The active token with this plaintext; InvalidToken otherwise."""
    if not plaintext or len(plaintext) > 200:
        raise InvalidToken()
    token = CtiToken.objects.filter(
        token_hash=_token_hash(plaintext), revoked_at__isnull=True
    ).first()
    if token is None:
        raise InvalidToken()
    now = clock.now()
    # Once a minute is enough to see that an exchange is alive; not a write per event.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        CtiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


# --- exchange events ---------------------------------------------------------------------


@dataclass(frozen=True)
class CtiEvent:
    event: str
    call_id: str
    from_number: str
    to_number: str
    direction: str
    users: tuple[str, ...]
    queue: str
    answering_number: str
    cause: str


def _text(data: Mapping[str, Any], key: str, limit: int, errors: dict) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = value[0] if len(value) == 1 else ""
    if not isinstance(value, str | int):
        errors[key] = [_("Must be text.")]
        return ""
    text = str(value).strip()
    if len(text) > limit:
        errors[key] = [_("At most %(limit)s characters.") % {"limit": limit}]
    return text


def cti_event_parse(data: Mapping[str, Any]) -> CtiEvent:
    """Check a Generic CTI payload; every problem is named by its field."""
    if not isinstance(data, Mapping):
        raise InvalidEvent(_("The body must be a JSON object or form data."))
    errors: dict[str, list[str]] = {}
    event = _text(data, "event", 20, errors)
    if event not in EVENTS:
        errors["event"] = [_("Must be one of newCall, answer, hangup.")]
    call_id = _text(data, "callId", 100, errors)
    if not call_id:
        errors.setdefault("callId", [_("The callId is required.")])
    direction = _text(data, "direction", 3, errors)
    if event == "newCall" and direction not in ("in", "out"):
        errors["direction"] = [_("Must be “in” or “out”.")]
    from_number = _text(data, "from", 40, errors)
    to_number = _text(data, "to", 40, errors)
    for key, value in (("from", from_number), ("to", to_number)):
        if value and not is_well_formed(value) and key not in errors:
            errors[key] = [_("“%(number)s” is not a phone number.") % {"number": value}]
    raw_users = data.get("user", [])
    if isinstance(raw_users, str | int):
        raw_users = [raw_users]
    if not isinstance(raw_users, list | tuple) or not all(
        isinstance(u, str | int) for u in raw_users
    ):
        errors["user"] = [_("Must be a name or a list of names.")]
        raw_users = []
    users = tuple(str(u).strip()[:60] for u in raw_users if str(u).strip())
    cause = _text(data, "cause", 20, errors)
    if cause and cause not in CAUSES:
        errors["cause"] = [_("Unknown cause “%(cause)s”.") % {"cause": cause}]
    queue = _text(data, "queue", 100, errors)
    answering_number = _text(data, "answeringNumber", 40, errors)
    if errors:
        raise InvalidEvent(field_errors=errors)
    return CtiEvent(
        event=event,
        call_id=call_id,
        from_number=from_number,
        to_number=to_number,
        direction=direction,
        users=users,
        queue=queue,
        answering_number=answering_number,
        cause=cause,
    )


def _staff_for(names: tuple[str, ...]) -> list[int]:
    """Ids of the staff members the exchange means by these extensions or user names, in
    that order (one query: this runs for every ringing and every answered call)."""
    if not names:
        return []
    rows = (
        get_user_model()
        .objects.filter(
            Q(username__in=names) | Q(phone_extensions__extension__in=names),
            is_active=True,
            role__in=STAFF_ROLES,
        )
        .values_list("pk", "username", "phone_extensions__extension")
    )
    by_name: dict[str, int] = {}
    for pk, username, extension in rows:
        if extension in names:
            by_name[extension] = pk
        by_name.setdefault(username, pk)
    found: list[int] = []
    for name in names:
        pk = by_name.get(name)
        if pk is not None and pk not in found:
            found.append(pk)
    return found


def _call_create(event: CtiEvent, at: datetime) -> tuple[Call, bool]:
    """The call of a newCall event; (call, False) when it was there already.

    Insert first and look only on a conflict: a repeated newCall is the exception, and the
    unique call id decides, also between two workers that receive the same event at once."""
    other = event.from_number if event.direction == "in" else event.to_number
    identity = caller_identify(other)
    blocked = bool(
        event.direction == "in"
        and identity.number
        and BlockedNumber.objects.filter(number=identity.number).exists()
    )
    call = Call(
        call_id=event.call_id,
        direction=event.direction,
        from_number=event.from_number,
        to_number=event.to_number,
        number=identity.number,
        match=identity.match,
        person=identity.person,
        organization=identity.organization,
        queue_name=event.queue,
        state=Call.State.RINGING,
        blocked=blocked,
        started_at=at,
    )
    staff = [] if blocked else _staff_for(event.users)
    if staff and event.direction == "out":
        call.agent_id = staff[0]
    try:
        with transaction.atomic():
            call.save()
    except IntegrityError:
        return Call.objects.select_for_update().get(call_id=event.call_id), False
    if staff and event.direction == "in":
        Call.ringing_for.through.objects.bulk_create(
            Call.ringing_for.through(call_id=call.pk, user_id=pk) for pk in staff
        )
    return call, True


def _event_store(
    call: Call, event: CtiEvent, at: datetime, known: dict[str, CallEvent] | None = None
) -> bool:
    """Keep the event once per call; False when this event of this call was known already.

    `known`: the call's stored events by name (None for a call just created); the new event
    is added to it. The caller holds the call's row lock (and SQLite serializes writers), so
    "known, then insert" cannot race; the unique constraint stays as the last line of
    defence."""
    if known is not None and event.event in known:
        return False
    payload = {
        "from": event.from_number,
        "to": event.to_number,
        "user": list(event.users),
        "queue": event.queue,
        "answeringNumber": event.answering_number,
        "cause": event.cause,
    }
    stored = CallEvent.objects.create(call=call, event=event.event, at=at, payload=payload)
    if known is not None:
        known[event.event] = stored
    return True


def _seconds(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return max(0, int((end - start).total_seconds()))


def _result(call: Call, answered: bool, cause: str) -> str:
    if call.blocked:
        return Call.Result.REJECTED
    if cause == "forwarded":
        return Call.Result.FORWARDED
    if answered:
        return Call.Result.ANSWERED
    if cause == "busy":
        return Call.Result.BUSY
    if cause in ("congestion", "notFound"):
        return Call.Result.FAILED
    return Call.Result.MISSED


def _call_recompute(
    call: Call, events: dict[str, CallEvent], *, answered_now: bool = False
) -> None:
    """Derive state, times and result from the stored events (by name), whatever their
    arrival order. `answered_now`: the answer event just arrived, so look up who answered."""
    new, answer, hangup = events.get("newCall"), events.get("answer"), events.get("hangup")
    if new is not None:
        call.started_at = min(new.at, call.started_at)
    call.answered_at = answer.at if answer else None
    call.ended_at = hangup.at if hangup else None
    if call.answered_at and call.ended_at and call.answered_at > call.ended_at:
        call.answered_at = call.ended_at  # the answer arrived after the hang-up
    if answer is not None and answered_now:
        names = tuple(answer.payload.get("user") or ())
        number = answer.payload.get("answeringNumber") or ""
        agent_id = next(iter(_staff_for(names + ((number,) if number else ()))), None)
        if agent_id is not None:
            call.agent_id = agent_id
        call.answering_number = number or call.answering_number
    if hangup is not None:
        call.state = Call.State.ENDED
        call.cause = hangup.payload.get("cause") or ""
        call.result = _result(call, answer is not None, call.cause)
    else:
        call.state = Call.State.ANSWERED if answer else Call.State.RINGING
        call.result = Call.Result.NONE
    call.wait_seconds = _seconds(call.started_at, call.answered_at or call.ended_at)
    call.talk_seconds = _seconds(call.answered_at, call.ended_at)
    missed = call.direction == Call.Direction.IN and call.is_missed and bool(call.number)
    if missed and call.followup == Call.Followup.NONE:
        call.followup = Call.Followup.TODO
    elif not missed and call.followup == Call.Followup.TODO:
        call.followup = Call.Followup.NONE


def _missed_calls_resolve(call: Call) -> int:
    """An answered call with a number clears that number's earlier missed calls."""
    if call.result != Call.Result.ANSWERED or not call.number:
        return 0
    outcome = (
        Call.Followup.CALLED_BACK
        if call.direction == Call.Direction.OUT
        else Call.Followup.CALLED_AGAIN
    )
    return Call.objects.filter(
        number=call.number, followup=Call.Followup.TODO, started_at__lte=call.started_at
    ).update(followup=outcome, followup_at=call.answered_at, followup_by_id=call.agent_id)


@transaction.atomic
def cti_event_receive(*, token: CtiToken, data: Mapping[str, Any]) -> dict[str, str]:
    """Handle one exchange event; the answer tells the exchange what to do ({} or reject)."""
    event = cti_event_parse(data)
    at = clock.now()
    created = False
    if event.event == "newCall":
        call, created = _call_create(event, at)
    else:
        call = Call.objects.select_for_update().filter(call_id=event.call_id).first()
        if call is None:
            raise CallNotFound()
    if created:
        _event_store(call, event, at)  # a new call rings: nothing to recompute
    else:
        known = {e.event: e for e in call.events.all()}
        if _event_store(call, event, at, known):
            before = (call.state, call.result)
            _call_recompute(call, known, answered_now=event.event == "answer")
            call.save()
            if (call.state, call.result) != before and call.state == Call.State.ENDED:
                _missed_calls_resolve(call)
                # A ticket chosen during the call gets its timeline entry now; guessing
                # which ticket the agent opened is the worker's job (calls_link_recent), off
                # this path.
                if call.agent_id and call.ticket_id:
                    _call_log_on_ticket(call, call.agent)
    if event.event == "newCall" and call.blocked:
        return dict(REJECT_BUSY)
    return {}


# --- calls and tickets -------------------------------------------------------------------


def _call_log_on_ticket(call: Call, actor: User) -> bool:
    """Write the call's entry on its ticket's timeline, once, after the call has ended."""
    if call.ticket_id is None or call.ticket_logged or call.state != Call.State.ENDED:
        return False
    ticket = tickets_for_agent(actor).filter(pk=call.ticket_id).first()
    if ticket is None:
        return False
    try:
        ticket_services.ticket_log_contact(
            actor=actor,
            ticket=ticket,
            kind="call",
            body="",
            data={
                "phone_call": call.pk,
                "call_id": call.call_id,
                "direction": call.direction,
                "number": call.number or call.other_party,
                "wait_seconds": call.wait_seconds,
                "talk_seconds": call.talk_seconds,
            },
        )
    except TicketNotFound:
        return False
    call.ticket_logged = True
    if call.organization_id is None:
        call.organization_id = ticket.organization_id
    call.save(update_fields=["ticket_logged", "organization"])
    return True


def _ticket_guess(call: Call, now: datetime):
    """The ticket the agent opened (or else wrote on, for this caller) around the call."""
    start = call.answered_at or call.started_at
    end = min((call.ended_at or now) + LINK_GRACE, now)
    scope = tickets_for_agent(call.agent)
    opened = scope.filter(
        opened_at__gte=start,
        opened_at__lte=end,
        channel="phone",
        entries__kind="customer_message",
        entries__author=call.agent,
    ).order_by("opened_at", "id")
    candidates = []
    if call.person_id:
        candidates.append(opened.filter(requester_id=call.person_id))
    candidates.append(opened)
    if call.person_id:
        candidates.append(
            scope.filter(
                requester_id=call.person_id,
                entries__author=call.agent,
                entries__at__gte=start,
                entries__at__lte=end,
            ).order_by("-updated_at", "-id")
        )
    for queryset in candidates:
        ticket = queryset.first()
        if ticket is not None:
            return ticket
    return None


def _call_link_after_hangup(call: Call) -> bool:
    if call.agent is None or call.ticket_logged or call.state != Call.State.ENDED:
        return False
    if call.ticket_id is None:
        ticket = _ticket_guess(call, clock.now())
        if ticket is None:
            return False
        call.ticket_id = ticket.pk
        call.save(update_fields=["ticket"])
    return _call_log_on_ticket(call, call.agent)


def calls_link_recent(*, now: datetime | None = None) -> int:
    """The worker's job: link recently ended calls to the ticket opened about them."""
    now = now or clock.now()
    pending = Call.objects.filter(
        ticket_logged=False,
        agent__isnull=False,
        state=Call.State.ENDED,
        ended_at__gte=now - LINK_GRACE - timedelta(minutes=5),
    ).select_related("agent")
    linked = 0
    for call in pending.order_by("ended_at")[:500]:
        with transaction.atomic():
            locked = Call.objects.select_for_update().get(pk=call.pk)
            linked += _call_link_after_hangup(locked)
    return linked


@transaction.atomic
def call_link_ticket(*, actor: User, call: Call, ticket_number: str) -> Call:
    """Link a call to a ticket the actor may work (from the pop-up or the call's page)."""
    ticket = tickets_for_agent(actor).filter(number=(ticket_number or "").strip()).first()
    if ticket is None:
        raise ValidationFailed(field_errors={"ticket": [_("No ticket with this number.")]})
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.ticket_logged and call.ticket_id != ticket.pk:
        raise Conflict(_("This call is already on the timeline of another ticket."))
    call.ticket_id = ticket.pk
    call.save(update_fields=["ticket"])
    audit_record(actor=actor, obj=call, action="call_linked", changes={"ticket": ("", ticket)})
    _call_log_on_ticket(call, call.agent or actor)
    return call


@transaction.atomic
def call_mark_done(*, actor: User, call: Call) -> Call:
    """A missed call needs no call back (the caller was helped some other way)."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.followup != Call.Followup.TODO:
        raise ValidationFailed(_("This call is not on the to-do list (any more)."))
    call.followup = Call.Followup.DONE
    call.followup_at = clock.now()
    call.followup_by = actor
    call.save(update_fields=["followup", "followup_at", "followup_by"])
    audit_record(actor=actor, obj=call, action="missed_call_done")
    return call


# --- recordings --------------------------------------------------------------------------


def recording_check(*, content: bytes, size: int | None = None) -> str:
    """The content type of an acceptable recording; RecordingRejected otherwise."""
    limit = settings.EENLOKET_PHONE_MAX_RECORDING_BYTES
    size = len(content) if size is None else size
    if size > limit:
        raise RecordingTooLarge(
            _("The recording is too large: at most %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
        )
    if not content:
        raise RecordingRejected(_("The recording is empty."))
    kind = audio_type(content)
    if kind is None:
        raise RecordingRejected(
            _("The file is not a WAV, MP3 or Ogg recording (checked by its content).")
        )
    return kind


@transaction.atomic
def recording_store(
    *,
    call_id: str,
    content: bytes,
    token: CtiToken | None = None,
    actor: User | None = None,
) -> tuple[Recording, bool]:
    """Attach a recording to a call; (recording, False) when this very file was there."""
    if token is None and not (actor and actor.works_tickets):
        raise NotAllowed()
    call = Call.objects.select_for_update().filter(call_id=call_id).first()
    if call is None:
        raise CallNotFound()
    # An agent uploads only for calls they took (the whole desk for any call).
    if token is None and not actor.works_whole_desk and call.agent_id != actor.pk:
        raise CallNotFound()
    kind = recording_check(content=content)
    sha256 = hashlib.sha256(content).hexdigest()
    existing = Recording.objects.filter(call=call).first()
    if existing is not None:
        if existing.sha256 == sha256:
            return existing, False
        raise RecordingExists()
    recording = Recording(
        call=call,
        content_type=kind,
        size=len(content),
        sha256=sha256,
        duration_seconds=wav_duration(content) if kind == "audio/wav" else None,
        uploaded_at=clock.now(),
        uploaded_by=actor if token is None else None,
        uploaded_with=token,
    )
    recording.file.save(sha256, ContentFile(content), save=False)
    try:
        recording.save()
    except Exception:
        recording.file.delete(save=False)
        raise
    audit_record(actor=actor, obj=recording, action="recording_stored")
    return recording, True


PLAYBACK_SESSION = timedelta(minutes=30)


def playback_record(*, actor: User, recording: Recording, byte_range: str) -> bool:
    """Log a playback. A player fetches in ranges; the start (or the first fetch within half
    an hour) counts as one playback, so seeking adds no rows but no listening goes unlogged."""
    at = clock.now()
    starts = not byte_range or byte_range.replace(" ", "").startswith("bytes=0-")
    if not starts:
        recent = PlaybackLog.objects.filter(
            recording=recording, user=actor, at__gte=at - PLAYBACK_SESSION
        ).exists()
        if recent:
            return False
    PlaybackLog.objects.create(recording=recording, user=actor, at=at, byte_range=byte_range[:60])
    return True


@transaction.atomic
def recording_hold_place(*, actor: User | None, recording: Recording, reason: str) -> RecordingHold:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(field_errors={"reason": [_("Say why the recording is kept.")]})
    if recording.is_deleted:
        raise ValidationFailed(_("This recording was deleted already."))
    hold = RecordingHold.objects.create(
        recording=recording,
        reason=reason[:200],
        placed_at=clock.now(),
        placed_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(actor=actor, obj=recording, action="recording_hold_placed")
    return hold


@transaction.atomic
def recording_hold_release(*, actor: User | None, hold: RecordingHold) -> RecordingHold:
    if hold.released_at is None:
        hold.released_at = clock.now()
        hold.released_by = actor if getattr(actor, "pk", None) else None
        hold.save(update_fields=["released_at", "released_by"])
        audit_record(actor=actor, obj=hold.recording, action="recording_hold_released")
    return hold


def number_for_block(raw: str) -> str:
    """The E.164 number to block; a clear error for what is not a number."""
    number = number_e164(raw)
    if not number:
        raise ValidationFailed(field_errors={"number": [_("Not a valid phone number.")]})
    return number
