"""The request-scoped collector: what a request read or changed, gathered while it runs and
written in one INSERT when it ends (middleware.py). Outside a request (the worker, commands)
there is no collector and noting an access does nothing: the log is about people's access."""

from __future__ import annotations

import re
import secrets
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime

from eenloket.accesslog.models import Action, Activity, ObjectKind

_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$")

# Whose data an object kind is about decides the processing activity when none is given.
_DEFAULT_ACTIVITY = {
    ObjectKind.TICKET: Activity.TICKET_HANDLING,
    ObjectKind.ATTACHMENT: Activity.TICKET_HANDLING,
    ObjectKind.ACCESS_LOG: Activity.SUPERVISION,
}


@dataclass
class Note:
    kind: str
    ref: str
    person_id: int | None = None
    ticket_number: str = ""
    action: str | None = None  # None: view for a read (GET), change for a write
    activity: str = ""
    refused: bool = False


@dataclass
class Collector:
    started_at: datetime
    trace_id: str
    parent_span_id: str = ""
    notes: dict[tuple, Note] = field(default_factory=dict)

    @classmethod
    def start(cls, *, started_at: datetime, traceparent: str = "") -> Collector:
        """A new trace, or the caller's (W3C Trace Context) when it sent a valid one."""
        match = _TRACEPARENT.match(traceparent.strip().lower())
        if match and set(match.group(1)) != {"0"} and set(match.group(2)) != {"0"}:
            return cls(started_at=started_at, trace_id=match.group(1), parent_span_id=match[2])
        return cls(started_at=started_at, trace_id=secrets.token_hex(16))

    def add(self, note: Note) -> None:
        """One entry per object and data subject: a page that fetches a ticket twice, or a
        view that tries the agent scope before the customer scope, is one access, refused only
        when nothing in the request was allowed."""
        if not note.activity:
            note.activity = _DEFAULT_ACTIVITY.get(note.kind, Activity.CUSTOMER_CONTACT)
        key = (note.kind, note.ref, note.person_id)
        known = self.notes.get(key)
        if known is None:
            # A refusal says nothing about whose data it would have been.
            self.notes[key] = note
        elif known.refused and not note.refused:
            self.notes[key] = note
        elif known.action is None and note.action is not None and not note.refused:
            known.action = note.action

    def actions(self, method: str) -> list[tuple[Note, str]]:
        default = Action.VIEW if method in ("GET", "HEAD", "OPTIONS") else Action.CHANGE
        notes = list(self.notes.values())
        # A refused ticket that was then found under another scope is not a refusal.
        allowed = {(n.kind, n.ref) for n in notes if not n.refused}
        return [
            (note, note.action or default)
            for note in notes
            if not (note.refused and (note.kind, note.ref) in allowed)
        ]


current: ContextVar[Collector | None] = ContextVar("eenloket_access_log", default=None)
