"""Every write to a ticket. Portal, mail, phone, counter and API all come through here.

Each function checks that the actor may act on the ticket (out of scope is "not found"),
locks the ticket row, checks the version the caller saw (a stale one is a conflict, never an
overwrite), changes it, appends to the timeline and to the audit trail, and bumps the version,
all in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from eenloket.accesslog import services as access
from eenloket.catalog.priority import Impact, Urgency, priority_for
from eenloket.catalog.selectors import service_get, service_get_cached, sla_targets
from eenloket.catalog.services import request_form_validate
from eenloket.core import businesstime, clock
from eenloket.core.calendars import schedule_for_calendar
from eenloket.core.exceptions import CalendarHasNoOpeningHours, NotAllowed, ValidationFailed
from eenloket.core.services import audit_record
from eenloket.directory.selectors import queue_first_line, queue_of_department
from eenloket.integrations.services import webhook_emit
from eenloket.tickets.exceptions import (
    InvalidTransition,
    ReopenPeriodPassed,
    TicketClosed,
    TicketConflict,
    TicketNotFound,
)
from eenloket.tickets.models import (
    OPEN_STATUSES,
    Attachment,
    Channel,
    Handover,
    Line,
    Status,
    Ticket,
    TicketEntry,
    TicketNumberSequence,
)
from eenloket.tickets.selectors import (
    agent_scope,
    customer_may_reopen,
    customer_scope,
    reopen_deadline,
)
from eenloket.tickets.uploads import CheckedUpload, upload_check, upload_keep

if TYPE_CHECKING:
    from eenloket.catalog.models import Service
    from eenloket.directory.models import Department, Person, User

Kind = TicketEntry.Kind


@dataclass(frozen=True)
class Upload:
    """A file as an adapter received it: its name and its bytes.

    `kept_as_file` is for what a channel must keep whatever its type (a mail's winmail.dat or
    calendar invite): only the size is checked, and it is always served as a download.
    """

    name: str
    content: bytes
    kept_as_file: bool = False


# Apps that act on a resolution (the surveys) register a callable that takes the ticket; it
# runs after the commit, so a resolution that is rolled back invites nobody.
on_resolved: list[Callable[[Ticket], None]] = []


def _announce_resolved(ticket: Ticket) -> None:
    for hook in on_resolved:
        transaction.on_commit(partial(hook, ticket))


# --- numbering ---------------------------------------------------------------------------


def ticket_number_next(*, year: int) -> str:
    """The next number of the year, gap-free and unique under concurrent opening.

    The UPDATE takes the year's row lock until the transaction commits, so concurrent
    openings queue up behind it instead of reading the same value.
    """
    if connection.features.can_return_columns_from_insert:
        # PostgreSQL, and SQLite from 3.35 (which brought RETURNING to UPDATE too): one
        # round trip instead of an UPDATE and a SELECT.
        sequence = _number_increment_returning(year)
        if sequence is not None:
            return ticket_number_format(year=year, sequence=sequence)
    if not TicketNumberSequence.objects.filter(year=year).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                TicketNumberSequence.objects.create(year=year, last=1)
        except IntegrityError:
            TicketNumberSequence.objects.filter(year=year).update(last=F("last") + 1)
    last = TicketNumberSequence.objects.get(year=year).last
    return ticket_number_format(year=year, sequence=last)


def _number_increment_returning(year: int) -> int | None:
    table, last, year_column = (
        connection.ops.quote_name(name)
        for name in (TicketNumberSequence._meta.db_table, "last", "year")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {last} = {last} + 1 WHERE {year_column} = %s RETURNING {last}",  # noqa: S608
            [year],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def ticket_number_format(*, year: int, sequence: int) -> str:
    return f"M{year}-{sequence:05d}"


# --- SLA ---------------------------------------------------------------------------------


def _schedule(service: Service) -> businesstime.Schedule:
    return schedule_for_calendar(service.sla_policy.calendar_id)


def _sla_compute(ticket: Ticket, service: Service) -> None:
    """(Re)compute due times from the service's policy, keeping the time already paused."""
    response, resolution = sla_targets(policy_id=service.sla_policy_id, priority=ticket.priority)
    schedule = _schedule(service)
    try:
        ticket.response_due_at = businesstime.add_business_time(
            schedule, ticket.opened_at, response
        )
        ticket.resolution_due_at = businesstime.add_business_time(
            schedule, ticket.opened_at, resolution + timedelta(seconds=ticket.sla_paused_seconds)
        )
    except businesstime.NoOpeningHours:
        raise CalendarHasNoOpeningHours() from None


def _sla_pause(ticket: Ticket, at: datetime) -> None:
    if ticket.sla_paused_since is None:
        ticket.sla_paused_since = at


def _sla_resume(ticket: Ticket, at: datetime) -> None:
    """Add the business time spent paused and move the resolution due time by as much."""
    if ticket.sla_paused_since is None:
        return
    paused = businesstime.business_time_between(
        _schedule(ticket.service), ticket.sla_paused_since, at
    )
    ticket.sla_paused_seconds += int(paused.total_seconds())
    ticket.sla_paused_since = None
    _sla_compute(ticket, ticket.service)


def _business_seconds(ticket: Ticket, until: datetime) -> int:
    elapsed = businesstime.business_time_between(_schedule(ticket.service), ticket.opened_at, until)
    return max(0, int(elapsed.total_seconds()) - ticket.sla_paused_seconds)


def _mark_first_response(ticket: Ticket, at: datetime) -> None:
    if ticket.first_response_at is None:
        ticket.first_response_at = at
        ticket.response_business_seconds = _business_seconds(ticket, at)
        ticket.response_breached = ticket.response_due_at is not None and (
            at > ticket.response_due_at
        )


# --- shared steps ------------------------------------------------------------------------


def _active_status(ticket: Ticket) -> Status:
    return Status.HANDED_OVER if ticket.line == Line.SECOND else Status.IN_PROGRESS


def _lock_for_agent(actor: User | None, ticket: Ticket, expected_version: int | None) -> Ticket:
    scope = agent_scope(actor)
    if scope is None:
        raise TicketNotFound()
    try:
        locked = (
            Ticket.objects.select_for_update(of=("self",))
            .select_related("service__sla_policy", "queue")
            .filter(scope)
            .get(pk=ticket.pk)
        )
    except Ticket.DoesNotExist:
        raise TicketNotFound() from None
    if expected_version is not None and locked.version != expected_version:
        raise TicketConflict()
    return locked


def _require_text(value: str, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(field_errors={field: [message]})
    return text


def _store_uploads(entry: TicketEntry, uploads: Sequence[CheckedUpload]) -> None:
    for upload in uploads:
        attachment = Attachment(
            entry=entry,
            filename=upload.filename,
            content_type=upload.content_type,
            size=len(upload.content),
            sha256=upload.sha256,
        )
        attachment.file.save(upload.filename, ContentFile(upload.content), save=False)
        attachment.save()


def _check_uploads(files: Iterable[Upload]) -> list[CheckedUpload]:
    # Checked before anything is written, so a rejected file leaves no half ticket behind.
    return [
        upload_keep(name=f.name, content=f.content)
        if f.kept_as_file
        else upload_check(name=f.name, content=f.content)
        for f in files
    ]


def _entry(
    ticket: Ticket,
    *,
    kind: str,
    at: datetime,
    actor: User | None = None,
    person: Person | None = None,
    body: str = "",
    public: bool = False,
    channel: str = "",
    data: dict[str, Any] | None = None,
    handover: Handover | None = None,
    uploads: Sequence[CheckedUpload] = (),
) -> TicketEntry:
    entry = TicketEntry.objects.create(
        ticket=ticket,
        kind=kind,
        at=at,
        author=actor if getattr(actor, "pk", None) else None,
        author_person=person,
        body=body,
        is_public=public,
        channel=channel,
        data=data or {},
        handover=handover,
    )
    _store_uploads(entry, uploads)
    return entry


TRACKED_FIELDS = (
    "status",
    "line",
    "queue_id",
    "assignee_id",
    "service_id",
    "department_id",
    "impact",
    "urgency",
    "priority",
    "resolution_due_at",
)


def _snapshot(ticket: Ticket) -> dict[str, Any]:
    return {field: getattr(ticket, field) for field in TRACKED_FIELDS}


def _save(ticket: Ticket, *, actor: User | None, action: str, before: dict[str, Any], at) -> None:
    ticket.version += 1
    ticket.updated_at = at
    ticket.save()
    after = _snapshot(ticket)
    audit_record(
        actor=actor,
        obj=ticket,
        action=action,
        changes={field: (before[field], after[field]) for field in TRACKED_FIELDS},
    )


def _status_data(before: dict[str, Any], ticket: Ticket) -> dict[str, Any]:
    if before["status"] == ticket.status:
        return {}
    return {"status_from": before["status"], "status_to": ticket.status}


def webhook_payload(ticket: Ticket, *, action: str = "") -> dict[str, Any]:
    """What a webhook says about a ticket: identifiers and state, no message texts."""

    def at(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "id": ticket.pk,
        "number": ticket.number,
        "action": action,
        "title": ticket.title,
        "status": ticket.status,
        "line": ticket.line,
        "priority": ticket.priority,
        "channel": ticket.channel,
        "service_id": ticket.service_id,
        "department_id": ticket.department_id,
        "queue_id": ticket.queue_id,
        "organization_id": ticket.organization_id,
        "assignee_id": ticket.assignee_id,
        "version": ticket.version,
        "opened_at": at(ticket.opened_at),
        "updated_at": at(ticket.updated_at),
        "resolution_due_at": at(ticket.resolution_due_at),
    }


_WEBHOOK_EVENTS = {"handed_over": "ticket.handed_over", "resolved": "ticket.resolved"}


def _record(ticket: Ticket, *, action: str, before: dict[str, Any], **entry: Any) -> TicketEntry:
    """Finish a change: the timeline entry (noting any status change), the audit events for
    the changed fields and the new version, saved together; subscribers hear of it after
    the commit."""
    entry["data"] = {**(entry.get("data") or {}), **_status_data(before, ticket)}
    created = _entry(ticket, **entry)
    _save(ticket, actor=entry.get("actor"), action=action, before=before, at=entry["at"])
    webhook_emit(
        event=_WEBHOOK_EVENTS.get(action, "ticket.changed"),
        payload={"ticket": webhook_payload(ticket, action=action)},
    )
    return created


# --- opening -----------------------------------------------------------------------------


def ticket_open(
    *,
    actor: User | None,
    requester: Person,
    service: Service | int,
    channel: str,
    title: str,
    description: str,
    impact: str | None = None,
    urgency: str | None = None,
    form_data: dict[str, Any] | None = None,
    form_files: dict[str, Upload] | None = None,
    files: Sequence[Upload] = (),
    resolve_with: str | None = None,
    entry_data: dict[str, Any] | None = None,
) -> Ticket:
    """Open a ticket for `requester`. With `resolve_with` it is solved at first contact.

    `form_data` and `form_files` (by field key) answer the service's request form; `files`
    are further attachments. All files end up attached to the opening message.

    A customer may open tickets only for themselves; staff for anyone. `actor` is None for a
    channel that acts on the customer's behalf (an inbound mail). `entry_data` is what the
    channel keeps on the opening message (a mail's Message-ID, where its quoted history starts).
    """
    on_own_behalf = getattr(requester, "user_id", None) == getattr(actor, "pk", None)
    if actor is not None and not actor.works_tickets and not on_own_behalf:
        raise NotAllowed(_("You can only submit requests for yourself."))
    if channel not in Channel.values:
        raise ValidationFailed(field_errors={"channel": [_("Unknown channel.")]})
    if not isinstance(service, int) and service is not None:
        service = service.pk
    # The cached service (read only here): opening is the busiest write there is.
    service = service_get_cached(service_id=service)
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    description = (description or "").strip()
    if not title:
        errors["title"] = [_("A subject is required.")]
    elif len(title) > 200:
        errors["title"] = [_("At most 200 characters.")]
    if not description:
        errors["description"] = [_("Describe the question.")]
    impact = impact or service.default_impact
    urgency = urgency or service.default_urgency
    if impact not in Impact.values:
        errors["impact"] = [_("Unknown impact.")]
    if urgency not in Urgency.values:
        errors["urgency"] = [_("Unknown urgency.")]
    if resolve_with is not None and not resolve_with.strip():
        errors["resolution"] = [_("Describe how the question was solved.")]
    try:
        cleaned_form = request_form_validate(
            service=service, data=form_data or {}, files=form_files or {}
        )
    except ValidationFailed as exc:
        errors.update(exc.field_errors)
    if errors:
        raise ValidationFailed(field_errors=errors)
    uploads = _check_uploads([*(form_files or {}).values(), *files])

    at = clock.now()
    straight = service.routing == service.Routing.STRAIGHT_TO_DEPARTMENT
    queue = queue_of_department(service.department) if straight else queue_first_line()
    ticket = Ticket(
        number="",
        title=title,
        requester=requester,
        organization_id=requester.organization_id,
        service=service,
        department_id=service.department_id,
        queue=queue,
        channel=channel,
        status=Status.HANDED_OVER if straight else Status.NEW,
        line=Line.SECOND if straight else Line.FIRST,
        impact=impact,
        urgency=urgency,
        priority=priority_for(impact, urgency),
        form_data=cleaned_form,
        opened_at=at,
        updated_at=at,
    )
    _sla_compute(ticket, service)
    # Everything above only reads and checks; the writes form one transaction. Without a
    # savepoint of its own: inside a caller's transaction (the API's idempotent create)
    # a failed write fails the caller's transaction too, which rolls back as a whole, and
    # a SAVEPOINT and RELEASE are two round trips of the busiest write there is.
    with transaction.atomic(savepoint=False):
        ticket.number = ticket_number_next(year=timezone.localtime(at).year)
        ticket.save()
        by_customer = actor is None or on_own_behalf or not actor.works_tickets
        _entry(
            ticket,
            kind=Kind.CUSTOMER_MESSAGE,
            at=at,
            actor=actor,
            person=requester if by_customer else None,
            body=description,
            public=True,
            channel=channel,
            data={**(entry_data or {}), "recorded_by_agent": not by_customer},
            uploads=uploads,
        )
        audit_record(
            actor=actor, obj=ticket, action="opened", changes={"status": ("", ticket.status)}
        )
        webhook_emit(
            event="ticket.opened", payload={"ticket": webhook_payload(ticket, action="opened")}
        )
        if resolve_with is not None:
            ticket.first_contact_resolution = True
            _resolve(ticket, actor=actor, resolution=resolve_with.strip(), at=at)
    # Opening a ticket records someone's question: a processing of their data (a request
    # has a collector; mail intake and the demo loader do not, and are not people looking).
    access.access_note_ticket(ticket=ticket, action=access.Action.CHANGE)
    return ticket


# --- the agent's actions -----------------------------------------------------------------


@transaction.atomic
def ticket_reply(
    *,
    actor: User,
    ticket: Ticket,
    body: str,
    files: Sequence[Upload] = (),
    wait_for_customer: bool = False,
    expected_version: int | None = None,
) -> TicketEntry:
    """Answer the customer (visible in the portal, mailed by the mail channel)."""
    ticket = _lock_for_agent(actor, ticket, expected_version)
    if ticket.status == Status.CLOSED:
        raise TicketClosed()
    body = _require_text(body, "body", _("Write a reply."))
    uploads = _check_uploads(files)
    at = clock.now()
    before = _snapshot(ticket)
    if ticket.status == Status.NEW:
        ticket.status = Status.IN_PROGRESS
    if wait_for_customer and ticket.is_open:
        ticket.status = Status.WAITING
        _sla_pause(ticket, at)
    _mark_first_response(ticket, at)
    entry = _record(
        ticket,
        action="replied",
        before=before,
        kind=Kind.REPLY,
        at=at,
        actor=actor,
        body=body,
        public=True,
        uploads=uploads,
    )
    return entry


@transaction.atomic
def ticket_note(
    *,
    actor: User,
    ticket: Ticket,
    body: str,
    files: Sequence[Upload] = (),
    expected_version: int | None = None,
) -> TicketEntry:
    """An internal note: staff only, never shown to the customer."""
    ticket = _lock_for_agent(actor, ticket, expected_version)
    body = _require_text(body, "body", _("Write a note."))
    uploads = _check_uploads(files)
    at = clock.now()
    before = _snapshot(ticket)
    entry = _record(
        ticket,
        action="noted",
        before=before,
        kind=Kind.NOTE,
        at=at,
        actor=actor,
        body=body,
        uploads=uploads,
    )
    return entry


@transaction.atomic
def ticket_log_contact(
    *,
    actor: User,
    ticket: Ticket,
    kind: str,
    body: str,
    data: dict[str, Any] | None = None,
    expected_version: int | None = None,
) -> TicketEntry:
    """Record a call or a counter visit about the ticket on its timeline."""
    if kind not in (Kind.CALL, Kind.COUNTER_VISIT):
        raise ValidationFailed(field_errors={"kind": [_("A contact is a call or a visit.")]})
    ticket = _lock_for_agent(actor, ticket, expected_version)
    at = clock.now()
    before = _snapshot(ticket)
    channel = Channel.PHONE if kind == Kind.CALL else Channel.COUNTER
    entry = _record(
        ticket,
        action="contact_logged",
        before=before,
        kind=kind,
        at=at,
        actor=actor,
        body=body.strip(),
        channel=channel,
        data=data,
    )
    return entry


@transaction.atomic
def ticket_assign(
    *,
    actor: User,
    ticket: Ticket,
    assignee: User | None,
    expected_version: int | None = None,
) -> Ticket:
    """Assign to a colleague (or to nobody). The assignee must be able to work the ticket."""
    ticket = _lock_for_agent(actor, ticket, expected_version)
    if not ticket.is_open:
        raise InvalidTransition(_("Only open tickets can be assigned."))
    if assignee is not None:
        allowed = assignee.works_tickets and (
            assignee.works_whole_desk
            or assignee.departments.filter(pk=ticket.queue.department_id).exists()
        )
        if not allowed:
            raise ValidationFailed(
                field_errors={"assignee": [_("This colleague does not work this queue.")]}
            )
    at = clock.now()
    before = _snapshot(ticket)
    ticket.assignee = assignee
    if ticket.status == Status.NEW and assignee is not None:
        ticket.status = Status.IN_PROGRESS
    _record(
        ticket,
        action="assigned",
        before=before,
        kind=Kind.ASSIGNMENT,
        at=at,
        actor=actor,
        data={
            "assignee": assignee.get_full_name() or assignee.username if assignee else "",
        },
    )
    return ticket


def _handover_text_errors(*, question: str, tried: str, needed: str) -> dict[str, list[str]]:
    texts = {"question": question, "tried": tried, "needed": needed}
    messages = {
        "question": _("Say what the customer asked."),
        "tried": _("Say what first line already tried."),
        "needed": _("Say what the department needs to do."),
    }
    return {key: [messages[key]] for key, value in texts.items() if not (value or "").strip()}


@transaction.atomic
def ticket_hand_over(
    *,
    actor: User,
    ticket: Ticket,
    department: Department,
    question: str,
    tried: str,
    needed: str,
    expected_version: int | None = None,
) -> Handover:
    """Hand the ticket to a department's queue with a structured handover note."""
    errors = _handover_text_errors(question=question, tried=tried, needed=needed)
    if errors:
        raise ValidationFailed(field_errors=errors)
    ticket = _lock_for_agent(actor, ticket, expected_version)
    if not ticket.is_open:
        raise InvalidTransition(_("Only open tickets can be handed over."))
    target = queue_of_department(department)
    if target.pk == ticket.queue_id:
        raise InvalidTransition(_("The ticket is already in this department's queue."))
    at = clock.now()
    before = _snapshot(ticket)
    handover = Handover.objects.create(
        ticket=ticket,
        from_queue_id=ticket.queue_id,
        to_queue=target,
        by=actor,
        at=at,
        question=question.strip(),
        tried=tried.strip(),
        needed=needed.strip(),
    )
    if ticket.is_paused and ticket.status == Status.WAITING:
        _sla_resume(ticket, at)
    ticket.queue = target
    ticket.line = Line.SECOND
    ticket.status = Status.HANDED_OVER
    ticket.assignee = None
    ticket.handover_count += 1
    _record(
        ticket,
        action="handed_over",
        before=before,
        kind=Kind.HANDOVER,
        at=at,
        actor=actor,
        handover=handover,
        data={"to": target.name},
    )
    return handover


@transaction.atomic
def ticket_return_to_first_line(
    *, actor: User, ticket: Ticket, reason: str, expected_version: int | None = None
) -> Ticket:
    """The department sends the ticket back to the central desk, saying why."""
    reason = _require_text(reason, "reason", _("Say why the ticket goes back to first line."))
    ticket = _lock_for_agent(actor, ticket, expected_version)
    if ticket.line != Line.SECOND or not ticket.is_open:
        raise InvalidTransition(_("Only an open ticket at a department can go back."))
    at = clock.now()
    before = _snapshot(ticket)
    open_handover = ticket.handovers.filter(returned_at__isnull=True).order_by("-at").first()
    if open_handover is not None:
        open_handover.returned_at = at
        open_handover.return_reason = reason
        open_handover.save(update_fields=["returned_at", "return_reason"])
    if ticket.status == Status.WAITING:
        _sla_resume(ticket, at)
    ticket.queue = queue_first_line()
    ticket.line = Line.FIRST
    ticket.status = Status.IN_PROGRESS
    ticket.assignee = None
    _record(
        ticket,
        action="returned",
        before=before,
        kind=Kind.STATUS_CHANGE,
        at=at,
        actor=actor,
        body=reason,
        handover=open_handover,
        data={"returned_to_first_line": True},
    )
    return ticket


@transaction.atomic
def ticket_wait_for_customer(
    *, actor: User, ticket: Ticket, reason: str = "", expected_version: int | None = None
) -> Ticket:
    """Wait for the customer: the resolution clock pauses until they answer."""
    ticket = _lock_for_agent(actor, ticket, expected_version)
    if not ticket.is_open or ticket.status == Status.WAITING:
        raise InvalidTransition(_("Only a ticket that is being worked on can wait."))
    at = clock.now()
    before = _snapshot(ticket)
    ticket.status = Status.WAITING
    _sla_pause(ticket, at)
    _record(
        ticket,
        action="waiting",
        before=before,
        kind=Kind.STATUS_CHANGE,
        at=at,
        actor=actor,
        body=reason.strip(),
        public=True,
    )
    return ticket


@transaction.atomic
def ticket_resolve(
    *, actor: User, ticket: Ticket, resolution: str, expected_version: int | None = None
) -> Ticket:
    resolution = _require_text(resolution, "resolution", _("Describe the solution."))
    ticket = _lock_for_agent(actor, ticket, expected_version)
    if not ticket.is_open:
        raise InvalidTransition(_("Only open tickets can be resolved."))
    _resolve(ticket, actor=actor, resolution=resolution, at=clock.now())
    return ticket


def _resolve(ticket: Ticket, *, actor: User | None, resolution: str, at: datetime) -> None:
    """Resolved at `at`: the solution, the SLA figures, the timeline entry, the hooks. Also
    for a question solved at first contact, in the transaction that opens its ticket."""
    before = _snapshot(ticket)
    _sla_resume(ticket, at)
    _mark_first_response(ticket, at)
    ticket.status = Status.RESOLVED
    ticket.resolution = resolution
    ticket.resolved_at = at
    ticket.resolution_business_seconds = _business_seconds(ticket, at)
    ticket.resolution_breached = ticket.resolution_breached or at > ticket.resolution_due_at
    # While resolved the clock stands still; a reopen resumes it.
    _sla_pause(ticket, at)
    _record(
        ticket,
        action="resolved",
        before=before,
        kind=Kind.STATUS_CHANGE,
        at=at,
        actor=actor,
        body=resolution,
        public=True,
    )
    _announce_resolved(ticket)


@transaction.atomic
def ticket_close(*, actor: User | None, ticket: Ticket, expected_version: int | None = None):
    """Close a resolved ticket for good. `actor` None is the worker's auto-close."""
    if actor is None:
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    else:
        ticket = _lock_for_agent(actor, ticket, expected_version)
    if ticket.status != Status.RESOLVED:
        raise InvalidTransition(_("Only resolved tickets can be closed."))
    at = clock.now()
    before = _snapshot(ticket)
    ticket.status = Status.CLOSED
    ticket.closed_at = at
    _record(
        ticket,
        action="closed",
        before=before,
        kind=Kind.STATUS_CHANGE,
        at=at,
        actor=actor,
        public=True,
    )
    return ticket


def _reopen(ticket: Ticket, at: datetime) -> None:
    ticket.status = _active_status(ticket)
    ticket.resolved_at = None
    ticket.resolution_business_seconds = None
    ticket.reopen_count += 1
    ticket.first_contact_resolution = False
    _sla_resume(ticket, at)


@transaction.atomic
def ticket_reopen(
    *, actor: User, ticket: Ticket, reason: str, expected_version: int | None = None
) -> Ticket:
    reason = _require_text(reason, "reason", _("Say why the ticket is reopened."))
    ticket = _lock_for_agent(actor, ticket, expected_version)
    if ticket.status == Status.CLOSED:
        raise TicketClosed()
    if ticket.status != Status.RESOLVED:
        raise InvalidTransition(_("Only resolved tickets can be reopened."))
    at = clock.now()
    before = _snapshot(ticket)
    _reopen(ticket, at)
    _record(
        ticket,
        action="reopened",
        before=before,
        kind=Kind.STATUS_CHANGE,
        at=at,
        actor=actor,
        body=reason,
        public=True,
    )
    return ticket


@transaction.atomic
def ticket_classify(
    *,
    actor: User,
    ticket: Ticket,
    service: Service | int | None = None,
    impact: str | None = None,
    urgency: str | None = None,
    expected_version: int | None = None,
) -> Ticket:
    """Change service and/or priority; due times follow the new policy, paused time kept."""
    ticket = _lock_for_agent(actor, ticket, expected_version)
    if not ticket.is_open:
        raise InvalidTransition(_("Only open tickets can be reclassified."))
    errors: dict[str, list[str]] = {}
    if impact is not None and impact not in Impact.values:
        errors["impact"] = [_("Unknown impact.")]
    if urgency is not None and urgency not in Urgency.values:
        errors["urgency"] = [_("Unknown urgency.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    new_service = ticket.service
    if service is not None:
        new_service = service_get(service_id=service if isinstance(service, int) else service.pk)
    at = clock.now()
    before = _snapshot(ticket)
    ticket.service = new_service
    ticket.department_id = new_service.department_id
    ticket.impact = impact or ticket.impact
    ticket.urgency = urgency or ticket.urgency
    ticket.priority = priority_for(ticket.impact, ticket.urgency)
    _sla_compute(ticket, new_service)
    changed = {
        field: (str(before[field]), str(getattr(ticket, field)))
        for field in ("service_id", "impact", "urgency", "priority")
        if before[field] != getattr(ticket, field)
    }
    if not changed:
        return ticket
    _record(
        ticket,
        action="classified",
        before=before,
        kind=Kind.CLASSIFICATION,
        at=at,
        actor=actor,
        data={
            "service": new_service.name_nl,
            "service_en": new_service.name_en,
            "priority": ticket.priority,
            **changed,
        },
    )
    return ticket


# --- the workspace: a contact taken and handed over at once -----------------------------


@transaction.atomic
def ticket_open_and_hand_over(
    *,
    actor: User,
    requester: Person,
    service: Service | int,
    channel: str,
    title: str,
    description: str,
    department: Department,
    tried: str,
    needed: str,
    impact: str | None = None,
    urgency: str | None = None,
    form_data: dict[str, Any] | None = None,
    form_files: dict[str, Upload] | None = None,
    files: Sequence[Upload] = (),
) -> Ticket:
    """First line takes a call or a visit it cannot solve and hands it over straight away.

    The customer's question is the handover's "what was asked". Every error of the ticket
    and of the handover is reported together, and nothing is written unless both succeed.
    """
    errors = _handover_text_errors(question=description, tried=tried, needed=needed)
    errors.pop("question", None)  # an empty description is reported as the description
    try:
        ticket = ticket_open(
            actor=actor,
            requester=requester,
            service=service,
            channel=channel,
            title=title,
            description=description,
            impact=impact,
            urgency=urgency,
            form_data=form_data,
            form_files=form_files,
            files=files,
        )
    except ValidationFailed as exc:
        raise ValidationFailed(field_errors={**errors, **exc.field_errors}) from None
    if errors:
        raise ValidationFailed(field_errors=errors)
    if ticket.department_id == department.pk and ticket.line == Line.SECOND:
        # The service already sends it straight to that department: keep the note anyway.
        ticket_note(
            actor=actor,
            ticket=ticket,
            body=_("What was tried: %(tried)s\nWhat is needed: %(needed)s")
            % {"tried": tried.strip(), "needed": needed.strip()},
        )
        ticket.refresh_from_db()
        return ticket
    ticket_hand_over(
        actor=actor,
        ticket=ticket,
        department=department,
        question=description,
        tried=tried,
        needed=needed,
        expected_version=ticket.version,
    )
    ticket.refresh_from_db()
    return ticket


# --- the customer's side -----------------------------------------------------------------


@transaction.atomic
def ticket_add_customer_message(
    *,
    actor: User | None,
    ticket: Ticket,
    person: Person,
    body: str,
    channel: str,
    files: Sequence[Upload] = (),
    entry_data: dict[str, Any] | None = None,
) -> TicketEntry:
    """The customer writes (portal, mail). A reply reopens a resolved ticket and restarts a
    waiting one; a closed ticket takes no more messages. `entry_data` as for `ticket_open`."""
    if actor is not None:
        scope = customer_scope(actor)
        if scope is None or not Ticket.objects.filter(scope, pk=ticket.pk).exists():
            raise TicketNotFound()
    # A file on its own is a message too ("here is the form you asked for").
    body = (body or "").strip() if files else _require_text(body, "body", _("Write a message."))
    uploads = _check_uploads(files)
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("service__sla_policy", "queue")
        .get(pk=ticket.pk)
    )
    if ticket.status == Status.CLOSED:
        raise TicketClosed()
    at = clock.now()
    before = _snapshot(ticket)
    if ticket.status == Status.RESOLVED:
        _reopen(ticket, at)
    elif ticket.status == Status.WAITING:
        ticket.status = _active_status(ticket)
        _sla_resume(ticket, at)
    entry = _record(
        ticket,
        action="customer_message",
        before=before,
        kind=Kind.CUSTOMER_MESSAGE,
        at=at,
        actor=actor,
        person=person,
        body=body,
        public=True,
        channel=channel,
        data=entry_data,
        uploads=uploads,
    )
    return entry


# --- the customer portal: solved, and not solved after all --------------------------------


def _lock_for_customer(actor: User, ticket: Ticket) -> Ticket:
    scope = customer_scope(actor)
    if scope is None:
        raise TicketNotFound()
    try:
        return (
            Ticket.objects.select_for_update(of=("self",))
            .select_related("service__sla_policy", "queue")
            .filter(scope)
            .get(pk=ticket.pk)
        )
    except Ticket.DoesNotExist:
        raise TicketNotFound() from None


@transaction.atomic
def ticket_customer_resolve(
    *, actor: User, ticket: Ticket, person: Person, comment: str = "", channel: str
) -> Ticket:
    """The customer says their question is solved. The ticket is resolved as if an agent did
    it (the clock stops, the reopen period starts), noting who solved it."""
    ticket = _lock_for_customer(actor, ticket)
    if ticket.status == Status.CLOSED:
        raise TicketClosed()
    if not ticket.is_open:
        raise InvalidTransition(_("This ticket is already solved."))
    at = clock.now()
    before = _snapshot(ticket)
    _sla_resume(ticket, at)
    ticket.status = Status.RESOLVED
    ticket.resolution = (comment or "").strip()
    ticket.resolved_at = at
    ticket.resolution_business_seconds = _business_seconds(ticket, at)
    ticket.resolution_breached = ticket.resolution_breached or (
        ticket.resolution_due_at is not None and at > ticket.resolution_due_at
    )
    _sla_pause(ticket, at)
    _record(
        ticket,
        action="resolved_by_customer",
        before=before,
        kind=Kind.STATUS_CHANGE,
        at=at,
        actor=actor,
        person=person,
        body=ticket.resolution,
        public=True,
        channel=channel,
        data={"resolved_by_customer": True},
    )
    return ticket


@transaction.atomic
def ticket_customer_reopen(
    *,
    actor: User,
    ticket: Ticket,
    person: Person,
    reason: str,
    channel: str,
    files: Sequence[Upload] = (),
) -> TicketEntry:
    """Not solved after all: the customer reopens a resolved ticket, saying why, within
    EENLOKET_REOPEN_DAYS of the solution. Later (or once closed) they open a new request."""
    ticket = _lock_for_customer(actor, ticket)
    reason = _require_text(reason, "reason", _("Say what is still not solved."))
    uploads = _check_uploads(files)
    if ticket.status == Status.CLOSED:
        raise TicketClosed()
    if ticket.status != Status.RESOLVED:
        raise InvalidTransition(_("Only a solved ticket can be reopened."))
    if not customer_may_reopen(ticket):
        raise ReopenPeriodPassed(
            _(
                "This ticket could be reopened until %(deadline)s. That period has passed: "
                "submit a new request and mention ticket %(number)s."
            )
            % {
                "deadline": timezone.localtime(reopen_deadline(ticket)).strftime("%d-%m-%Y"),
                "number": ticket.number,
            }
        )
    at = clock.now()
    before = _snapshot(ticket)
    _reopen(ticket, at)
    return _record(
        ticket,
        action="reopened_by_customer",
        before=before,
        kind=Kind.CUSTOMER_MESSAGE,
        at=at,
        actor=actor,
        person=person,
        body=reason,
        public=True,
        channel=channel,
        uploads=uploads,
        data={"reopened": True},
    )


# --- the worker's jobs -------------------------------------------------------------------


def sla_mark_breaches(*, batch: int = 500) -> int:
    """Flag open tickets whose response or resolution target has passed; one SLA event each.

    Returns how many targets were newly marked as missed.
    """
    now = clock.now()
    marked = 0
    open_tickets = Ticket.objects.filter(status__in=OPEN_STATUSES)
    late_response = open_tickets.filter(
        first_response_at__isnull=True, response_breached=False, response_due_at__lt=now
    )
    late_resolution = open_tickets.filter(
        sla_paused_since__isnull=True, resolution_breached=False, resolution_due_at__lt=now
    )
    for target, queryset in (("response", late_response), ("resolution", late_resolution)):
        for pk in list(queryset.values_list("pk", flat=True)[:batch]):
            with transaction.atomic():
                ticket = Ticket.objects.select_for_update().get(pk=pk)
                field = f"{target}_breached"
                if getattr(ticket, field):
                    continue
                before = _snapshot(ticket)
                setattr(ticket, field, True)
                _record(
                    ticket,
                    action=f"sla_{target}_breached",
                    before=before,
                    kind=Kind.SLA_EVENT,
                    at=now,
                    data={"breached": target},
                    actor=None,
                )
                marked += 1
    return marked
