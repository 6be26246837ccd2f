"""Every write of the phone channel: exchange events, links to tickets, recordings, retention.

Exchange events may come late, twice or out of order. Each (callId, event) is stored once and
the call is recomputed from the events it has, so the order they arrived in does not matter.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection, models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
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
    PhoneExtension,
    PlaybackLog,
    Recording,
    RecordingHold,
)
from eenloket.channels.phone.selectors import recording_for_hold
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


# Active tokens by hash, kept in this process for a few seconds: the exchange sends three
# events per call, and looking its token up every time was a tenth of the event's work. A
# revocation in this process clears the entry at once; other server processes see it within
# TOKEN_CACHE_SECONDS.
TOKEN_CACHE_SECONDS = 10.0
_token_cache: dict[str, tuple[CtiToken, float]] = {}


def _token_cache_clear(**_kwargs) -> None:
    _token_cache.clear()


post_save.connect(_token_cache_clear, sender=CtiToken, dispatch_uid="phone_token_cache_save")
post_delete.connect(_token_cache_clear, sender=CtiToken, dispatch_uid="phone_token_cache_delete")


def cti_token_check(plaintext: str) -> CtiToken:
    """The active token with this plaintext; InvalidToken otherwise."""
    if not plaintext or len(plaintext) > 200:
        raise InvalidToken()
    token_hash = _token_hash(plaintext)
    cached = _token_cache.get(token_hash)
    if cached is not None and time.monotonic() < cached[1]:
        token = cached[0]
    else:
        token = CtiToken.objects.filter(token_hash=token_hash, revoked_at__isnull=True).first()
        if token is None:
            _token_cache.pop(token_hash, None)
            raise InvalidToken()
        _token_cache[token_hash] = (token, time.monotonic() + TOKEN_CACHE_SECONDS)
    now = clock.now()
    # Once a minute is enough to see that an exchange is alive; not a write per event.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        CtiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
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


# The event path is the hot path of the phone channel (three events per call, a busy desk's
# exchange sends them in bursts): its statements are written out below, a handful per
# event, rather than composed by the ORM, which cost more than the database did.


def _table(model) -> str:
    return _quoted(connection.vendor, model._meta.db_table)


def _column(model, name: str) -> str:
    return _quoted(connection.vendor, model._meta.get_field(name).column)


def _columns(model, fields) -> str:
    return ", ".join(_quoted(connection.vendor, field.column) for field in fields)


@functools.cache
def _quoted(vendor: str, name: str) -> str:
    return connection.ops.quote_name(name)


_statements: dict[tuple, str] = {}


def _statement(key: tuple, build: Callable[[], str]) -> str:
    """The SQL text of a statement of this shape, composed once per process and database."""
    key = (connection.vendor, *key)
    sql = _statements.get(key)
    if sql is None:
        sql = _statements[key] = build()
    return sql


def _staff_match_sql(names: tuple[str, ...]) -> tuple[str, list]:
    """SELECT (name, user id) of the active staff the exchange means by these names: the
    staff member with that extension, else the one with that user name."""
    roles = sorted(STAFF_ROLES)

    def build() -> str:
        user, extension = _table(get_user_model()), _table(PhoneExtension)
        marks = ", ".join(["%s"] * len(names))
        role_marks = ", ".join(["%s"] * len(roles))
        staff = f"{{u}}.is_active = %s AND {{u}}.role IN ({role_marks})"
        return (
            f"SELECT e.extension AS name, u.id AS user_id FROM {extension} e "  # noqa: S608
            f"INNER JOIN {user} u ON u.id = e.user_id "
            f"WHERE e.extension IN ({marks}) AND {staff.format(u='u')} "
            f"UNION ALL "
            f"SELECT u.username AS name, u.id AS user_id FROM {user} u "
            f"WHERE u.username IN ({marks}) AND {staff.format(u='u')} AND NOT EXISTS ("
            f"SELECT 1 FROM {extension} e2 INNER JOIN {user} u2 ON u2.id = e2.user_id "
            f"WHERE e2.extension = u.username AND {staff.format(u='u2')})"
        )

    sql = _statement(("staff", len(names)), build)
    return sql, [*names, True, *roles, *names, True, *roles, True, *roles]


def _staff_first_sql(names: tuple[str, ...]) -> tuple[str, list]:
    """SELECT the id of the staff member meant by the first of these names that means one."""
    match, params = _staff_match_sql(names)

    def build() -> str:
        order = " ".join(f"WHEN %s THEN {i}" for i in range(len(names)))
        return f"SELECT m.user_id FROM ({match}) m ORDER BY CASE m.name {order} END LIMIT 1"  # noqa: S608

    return _statement(("staff_first", len(names)), build), [*params, *names]


def _staff_for(names: tuple[str, ...]) -> list[int]:
    """Ids of the staff members the exchange means by these extensions or user names, in
    that order (one query)."""
    if not names:
        return []
    sql, params = _staff_match_sql(names)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        by_name = dict(cursor.fetchall())
    found: list[int] = []
    for name in names:
        pk = by_name.get(name)
        if pk is not None and pk not in found:
            found.append(pk)
    return found


@functools.cache
def _call_inserted_fields() -> list:
    return [f for f in Call._meta.concrete_fields if not f.primary_key]


@functools.cache
def _fields(model, names: tuple[str, ...]) -> tuple:
    return tuple(model._meta.get_field(name) for name in names)


# Fields whose get_db_prep_save hands a value of this type (or None) to the database as it
# is: most of what an event writes. Exact classes only, so a subclass that converts (a custom
# field) still goes through Django. With datetimes, a tenth of an event's CPU went to them.
_AS_IS: dict[type, type] = {
    models.CharField: str,
    models.TextField: str,
    models.BooleanField: bool,
    models.IntegerField: int,
    models.PositiveIntegerField: int,
    models.ForeignKey: int,
}


def _db_value(field, value) -> Any:
    """`field.get_db_prep_save(value)`, without the calls where it would change nothing."""
    kind = _AS_IS.get(type(field))
    if kind is not None and (
        value is None
        or type(value) is kind
        # str enums (TextChoices) as they are; a bool in a number column goes to Django.
        or (kind is str and isinstance(value, str))
    ):
        return value
    if type(field) is models.DateTimeField and isinstance(value, datetime):
        # What get_db_prep_save comes to for a datetime, minus its checks of the value.
        return connection.ops.adapt_datetimefield_value(value)
    return field.get_db_prep_save(value, connection)


def _db_values(model, instance, names: tuple[str, ...]) -> list:
    """The values of these fields as the database takes them (datetimes, JSON, booleans)."""
    return [_db_value(field, getattr(instance, field.attname)) for field in _fields(model, names)]


def _call_create(event: CtiEvent, at: datetime) -> tuple[Call, bool]:
    """The call of a newCall event; (call, False) when it was there already.

    One INSERT ... ON CONFLICT DO NOTHING: a repeated newCall is the exception, and the
    unique call id decides, also between two workers that receive the same event at once.
    Whether the number is blocked is looked up in the same statement."""
    other = event.from_number if event.direction == "in" else event.to_number
    identity = caller_identify(other, details=False)
    call = Call(
        call_id=event.call_id,
        direction=event.direction,
        from_number=event.from_number,
        to_number=event.to_number,
        number=identity.number,
        match=identity.match,
        person_id=identity.person_id,
        organization_id=identity.organization_id,
        queue_name=event.queue,
        state=Call.State.RINGING,
        blocked=False,
        started_at=at,
    )
    # Only an incoming call from a number can be blocked (an outgoing one has no agent to
    # ring, so its agent is looked up first; blocked stays False).
    may_block = event.direction == "in" and bool(identity.number)
    if event.direction == "out":
        call.agent_id = next(iter(_staff_for(event.users)), None)
    fields = _call_inserted_fields()
    values = [_db_value(field, field.pre_save(call, True)) for field in fields]
    if may_block:
        values[fields.index(Call._meta.get_field("blocked"))] = identity.number

    def build() -> str:
        marks = ["%s"] * len(fields)
        if may_block:
            table, number = _table(BlockedNumber), _column(BlockedNumber, "number")
            blocked = f"EXISTS (SELECT 1 FROM {table} WHERE {number} = %s)"  # noqa: S608
            marks[fields.index(Call._meta.get_field("blocked"))] = blocked
        return (
            f"INSERT INTO {_table(Call)} ({_columns(Call, fields)}) "  # noqa: S608
            f"VALUES ({', '.join(marks)}) "
            f"ON CONFLICT ({_column(Call, 'call_id')}) DO NOTHING "
            f"RETURNING {_column(Call, 'id')}, {_column(Call, 'blocked')}"
        )

    sql = _statement(("call_insert", may_block), build)
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return _call_locked(event.call_id), False
    call.pk, call.blocked = row[0], bool(row[1])
    call._state.adding, call._state.db = False, connection.alias
    if event.direction == "in" and event.users and not call.blocked:
        # Who it rings for, found and inserted in one statement.
        through = Call.ringing_for.through
        match, params = _staff_match_sql(event.users)
        sql = _statement(
            ("ringing", len(event.users)),
            lambda: (
                f"INSERT INTO {_table(through)} ({_column(through, 'call')}, "  # noqa: S608
                f"{_column(through, 'user')}) SELECT DISTINCT %s, m.user_id FROM ({match}) m"
            ),
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [call.pk, *params])
    return call, True


def _call_locked(call_id: str) -> Call | None:
    """The call with this id, its row locked until the transaction ends (on SQLite the
    transaction itself holds the write lock). Written out: the ORM's SELECT ... FOR UPDATE
    cost more to compose than the rest of an answer or hang-up."""
    fields = Call._meta.concrete_fields

    def build() -> str:
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        return (
            f"SELECT {_columns(Call, fields)} FROM {_table(Call)} "  # noqa: S608
            f"WHERE {_column(Call, 'call_id')} = %s{lock}"
        )

    with connection.cursor() as cursor:
        cursor.execute(_statement(("call_locked",), build), [call_id])
        row = cursor.fetchone()
    if row is None:
        return None
    # What the ORM's converters would do: SQLite gives naive datetimes (in the database's
    # time zone); PostgreSQL aware ones, and both give booleans and JSON as Python values.
    values = [
        timezone.make_aware(value, connection.timezone)
        if isinstance(value, datetime) and timezone.is_naive(value)
        else value
        for value in row
    ]
    return Call.from_db(connection.alias, [f.attname for f in fields], values)


def _event_payload(event: CtiEvent) -> dict[str, Any]:
    return {
        "from": event.from_number,
        "to": event.to_number,
        "user": list(event.users),
        "queue": event.queue,
        "answeringNumber": event.answering_number,
        "cause": event.cause,
    }


def _event_store(call: Call, event: CtiEvent, at: datetime, *, new_call: bool = False) -> bool:
    """Keep the event once per call; False when this event of this call was known already.

    The unique (call, event) constraint decides, with ON CONFLICT DO NOTHING: no read of the
    call's events first. `new_call`: the call was just inserted, so no conflict is possible."""
    names = ("call", "event", "at", "payload")
    # No CallEvent instance: its values go straight to the database.
    values = [
        _db_value(field, value)
        for field, value in zip(
            _fields(CallEvent, names),
            (call.pk, event.event, at, _event_payload(event)),
            strict=True,
        )
    ]

    def build() -> str:
        columns = ", ".join(_column(CallEvent, name) for name in names)
        sql = f"INSERT INTO {_table(CallEvent)} ({columns}) VALUES (%s, %s, %s, %s)"  # noqa: S608
        if not new_call:
            sql += (
                f" ON CONFLICT ({_column(CallEvent, 'call')}, {_column(CallEvent, 'event')}) "
                f"DO NOTHING RETURNING {_column(CallEvent, 'id')}"
            )
        return sql

    sql = _statement(("event_insert", new_call), build)
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return new_call or cursor.fetchone() is not None


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


# What an event changes on its call (the agent who answered is looked up in the UPDATE).
RECOMPUTED = (
    "started_at",
    "answered_at",
    "ended_at",
    "answering_number",
    "state",
    "cause",
    "result",
    "wait_seconds",
    "talk_seconds",
    "followup",
)


def _call_recompute(call: Call, event: CtiEvent, at: datetime) -> None:
    """Apply a newly stored event to its call, whatever the order the events came in.

    The call row holds what its earlier events said: the call exists once its newCall came
    (started_at is its time), answered_at is set once the answer came and ended_at once the
    hang-up came (with its cause), so the row and the new event are all there is to know."""
    if event.event == "newCall":
        call.started_at = min(at, call.started_at)
    elif event.event == "answer":
        # An answer that arrives after the hang-up: the call was answered, talking time 0.
        call.answered_at = min(at, call.ended_at) if call.ended_at else at
        call.answering_number = event.answering_number or call.answering_number
    else:
        call.ended_at = at
        call.cause = event.cause
        if call.answered_at and call.answered_at > at:
            call.answered_at = at
    if call.ended_at is not None:
        call.state = Call.State.ENDED
        call.result = _result(call, call.answered_at is not None, call.cause)
    else:
        call.state = Call.State.ANSWERED if call.answered_at else Call.State.RINGING
        call.result = Call.Result.NONE
    call.wait_seconds = _seconds(call.started_at, call.answered_at or call.ended_at)
    call.talk_seconds = _seconds(call.answered_at, call.ended_at)
    missed = call.direction == Call.Direction.IN and call.is_missed and bool(call.number)
    if missed and call.followup == Call.Followup.NONE:
        call.followup = Call.Followup.TODO
    elif not missed and call.followup == Call.Followup.TODO:
        call.followup = Call.Followup.NONE


def _call_update(call: Call, agent_names: tuple[str, ...]) -> None:
    """Write what _call_recompute changed in one UPDATE; `agent_names`: who answered, looked
    up in the same statement (the agent stays as it was when none of them is staff)."""
    params = _db_values(Call, call, RECOMPUTED)
    staff = ""
    if agent_names:
        staff, staff_params = _staff_first_sql(agent_names)
        params += staff_params

    def build() -> str:
        assignments = [f"{_column(Call, name)} = %s" for name in RECOMPUTED]
        agent = _column(Call, "agent")
        if staff:
            assignments.append(f"{agent} = COALESCE(({staff}), {agent})")
        return (
            f"UPDATE {_table(Call)} SET {', '.join(assignments)} "  # noqa: S608
            f"WHERE {_column(Call, 'id')} = %s RETURNING {agent}"
        )

    sql = _statement(("call_update", len(agent_names)), build)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, call.pk])
        call.agent_id = cursor.fetchone()[0]
    # The agent object, if it was loaded, may be someone else now.
    Call.agent.field.delete_cached_value(call) if Call.agent.is_cached(call) else None


def _missed_calls_resolve(call: Call) -> int:
    """An answered call with a number clears that number's earlier missed calls."""
    if call.result != Call.Result.ANSWERED or not call.number:
        return 0
    outcome = (
        Call.Followup.CALLED_BACK
        if call.direction == Call.Direction.OUT
        else Call.Followup.CALLED_AGAIN
    )
    values = _db_values(Call, call, ("answered_at", "agent", "number", "started_at"))

    def build() -> str:
        followup = _column(Call, "followup")
        # 'todo' written into the statement, not bound: only then may SQLite's planner use
        # the partial index call_number_todo (a bound value could be anything).
        todo = Call.Followup.TODO.value
        return (
            f"UPDATE {_table(Call)} SET {followup} = %s, {_column(Call, 'followup_at')} = %s, "  # noqa: S608
            f"{_column(Call, 'followup_by')} = %s WHERE {followup} = '{todo}' "
            f"AND {_column(Call, 'number')} = %s AND {_column(Call, 'started_at')} <= %s"
        )

    sql = _statement(("missed_resolve",), build)
    with connection.cursor() as cursor:
        cursor.execute(sql, [outcome, values[0], values[1], values[2], values[3]])
        return cursor.rowcount


@transaction.atomic
def cti_event_receive(*, token: CtiToken, data: Mapping[str, Any]) -> dict[str, str]:
    """Handle one exchange event; the answer tells the exchange what to do ({} or reject).

    A newCall: the caller, the call (INSERT, blocked number included), who it rings for, the
    event. An answer or hangup: the call (locked), the event (INSERT unless known), the
    call's new state (UPDATE); an answered call that ends also clears the caller's missed
    calls."""
    event = cti_event_parse(data)
    at = clock.now()
    created = False
    if event.event == "newCall":
        call, created = _call_create(event, at)
    else:
        call = _call_locked(event.call_id)
        if call is None:
            raise CallNotFound()
    if created:
        _event_store(call, event, at, new_call=True)  # a new call rings: nothing to recompute
    elif _event_store(call, event, at):
        before = (call.state, call.result)
        _call_recompute(call, event, at)
        agent_names = ()
        if event.event == "answer":
            number = (event.answering_number,) if event.answering_number else ()
            agent_names = event.users + number
        _call_update(call, agent_names)
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


@transaction.atomic
def recording_hold_place_by_staff(*, actor: User, recording_id: int, reason: str) -> RecordingHold:
    """Staff who may hear a recording keep it past its retention (e.g. for a complaint)."""
    recording = recording_for_hold(actor=actor, recording_id=recording_id)
    if RecordingHold.objects.filter(recording=recording, released_at__isnull=True).exists():
        raise ValidationFailed(_("This recording is on hold already."))
    return recording_hold_place(actor=actor, recording=recording, reason=reason)


@transaction.atomic
def recording_holds_release_by_staff(*, actor: User, recording_id: int) -> int:
    """Release the recording's holds: it is deleted again when its retention has passed."""
    recording = recording_for_hold(actor=actor, recording_id=recording_id)
    holds = list(
        RecordingHold.objects.select_for_update().filter(
            recording=recording, released_at__isnull=True
        )
    )
    for hold in holds:
        recording_hold_release(actor=actor, hold=hold)
    return len(holds)


def number_for_block(raw: str) -> str:
    """The E.164 number to block; a clear error for what is not a number."""
    number = number_e164(raw)
    if not number:
        raise ValidationFailed(field_errors={"number": [_("Not a valid phone number.")]})
    return number
