"""The tickets router of /api/v1/: thin over the ticket services and selectors.

Which tickets a caller sees, and as what, is the selectors' decision: a caller who works the
ticket sees it as an agent (with internal notes); otherwise it must be in their customer
scope (their own, or their organization's as a contact person); else 404.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Header, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import NinjaJSONEncoder
from pydantic import BaseModel, ConfigDict, Field

from eenloket.accesslog.services import access_note_ticket_number
from eenloket.catalog.exceptions import UnknownService
from eenloket.catalog.priority import Impact, Urgency
from eenloket.catalog.selectors import service_get_cached
from eenloket.core.exceptions import ValidationFailed
from eenloket.core.files import file_response
from eenloket.directory.selectors import (
    department_list,
    person_for_user,
    person_get,
    staff_who_can_work,
)
from eenloket.integrations.api_common import ERRORS, check_size, idempotent
from eenloket.tickets import selectors, services
from eenloket.tickets.choices import OPEN_STATUSES, Channel
from eenloket.tickets.exceptions import TicketNotFound

router = Router(tags=["tickets"])

StatusFilter = Literal[
    "open", "all", "new", "in_progress", "waiting", "handed_over", "resolved", "closed"
]
ImpactValue = Literal[tuple(Impact.values)]  # type: ignore[valid-type]
UrgencyValue = Literal[tuple(Urgency.values)]  # type: ignore[valid-type]
IdempotencyKey = Header(None, alias="Idempotency-Key", max_length=200)


class In(Schema):
    """Request bodies refuse fields they do not know, so a typo is an error, not ignored."""

    model_config = ConfigDict(extra="forbid")


# --- output ------------------------------------------------------------------------------


class Out(BaseModel):
    """Answers are built as dicts: plain pydantic checks them far faster than ninja's
    Schema, which wraps every nested value to read attributes off model instances."""


class Ref(Out):
    id: int
    code: str
    name: str


class PersonRef(Out):
    id: int
    name: str


class UserRef(Out):
    id: int
    username: str
    name: str


class TicketSummaryOut(Out):
    number: str
    title: str
    status: str
    line: str
    priority: str
    channel: str
    service: Ref
    department: Ref
    queue: Ref | None
    requester: PersonRef
    organization_id: int
    assignee: UserRef | None
    opened_at: datetime
    updated_at: datetime
    resolution_due_at: datetime | None
    sla_state: str
    version: int


class TicketOut(TicketSummaryOut):
    impact: str
    urgency: str
    form_data: dict[str, Any]
    first_response_at: datetime | None
    response_due_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    resolution: str
    as_agent: bool = Field(description="True when the caller works this ticket as staff.")
    actions: list[str] = Field(description="What the caller may do now.")


class TicketPageOut(Out):
    items: list[TicketSummaryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class AttachmentOut(Out):
    id: int
    filename: str
    content_type: str
    size: int
    url: str


class HandoverOut(Out):
    to_queue: str
    question: str
    tried: str
    needed: str


class EntryOut(Out):
    id: int
    kind: str
    at: datetime
    public: bool
    author: str
    channel: str
    body: str
    data: dict[str, Any]
    handover: HandoverOut | None
    attachments: list[AttachmentOut]


class SlaOut(Out):
    state: str
    paused: bool
    paused_seconds: int
    response_due_at: datetime | None
    first_response_at: datetime | None
    response_breached: bool
    resolution_due_at: datetime | None
    resolved_at: datetime | None
    resolution_breached: bool


def _ref(obj) -> dict[str, Any] | None:
    return {"id": obj.pk, "code": obj.code, "name": obj.name} if obj is not None else None


def _user_ref(user) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.username, "name": user.get_full_name()}


def _summary(ticket, *, as_agent: bool) -> dict[str, Any]:
    return {
        "number": ticket.number,
        "title": ticket.title,
        "status": ticket.status,
        "line": ticket.line,
        "priority": ticket.priority,
        "channel": ticket.channel,
        "service": _ref(ticket.service),
        "department": _ref(ticket.department),
        # Which desk holds it and who works it is internal to the service center.
        "queue": _ref(ticket.queue) if as_agent else None,
        "requester": {"id": ticket.requester_id, "name": ticket.requester.full_name},
        "organization_id": ticket.organization_id,
        "assignee": _user_ref(ticket.assignee) if as_agent else None,
        "opened_at": ticket.opened_at,
        "updated_at": ticket.updated_at,
        "resolution_due_at": ticket.resolution_due_at,
        "sla_state": selectors.sla_state(ticket),
        "version": ticket.version,
    }


def _summary_row(row: dict[str, Any], *, as_agent: bool) -> dict[str, Any]:
    """_summary of a row of selectors.ticket_queue_rows (the same keys, values and order)."""
    assignee = None
    if as_agent and row["assignee_id"] is not None:
        full_name = f"{row['assignee__first_name']} {row['assignee__last_name']}".strip()
        assignee = {
            "id": row["assignee_id"],
            "username": row["assignee__username"],
            "name": full_name,
        }
    requester_name = f"{row['requester__first_name']} {row['requester__last_name']}".strip()
    return {
        "number": row["number"],
        "title": row["title"],
        "status": row["status"],
        "line": row["line"],
        "priority": row["priority"],
        "channel": row["channel"],
        "service": _ref(row["service"]),
        "department": _ref(row["department"]),
        "queue": _ref(row["queue"]) if as_agent else None,
        "requester": {"id": row["requester_id"], "name": requester_name},
        "organization_id": row["organization_id"],
        "assignee": assignee,
        "opened_at": row["opened_at"],
        "updated_at": row["updated_at"],
        "resolution_due_at": row["resolution_due_at"],
        "sla_state": selectors.sla_state_of(
            due=row["resolution_due_at"],
            breached=row["resolution_breached"],
            is_open=row["status"] in OPEN_STATUSES,
            is_paused=row["sla_paused_since"] is not None,
        ),
        "version": row["version"],
    }


def _detail(ticket, *, as_agent: bool) -> dict[str, Any]:
    return {
        **_summary(ticket, as_agent=as_agent),
        "impact": ticket.impact,
        "urgency": ticket.urgency,
        "form_data": ticket.form_data,
        "first_response_at": ticket.first_response_at,
        "response_due_at": ticket.response_due_at,
        "resolved_at": ticket.resolved_at,
        "closed_at": ticket.closed_at,
        "resolution": ticket.resolution,
        "as_agent": as_agent,
        "actions": sorted(selectors.ticket_actions(ticket)) if as_agent else ["reply"],
    }


def _entry(entry) -> dict[str, Any]:
    author = entry.author_person or entry.author
    if author is None:
        name = ""
    elif hasattr(author, "full_name"):
        name = author.full_name
    else:
        name = author.get_full_name() or author.username
    handover = entry.handover
    return {
        "id": entry.pk,
        "kind": entry.kind,
        "at": entry.at,
        "public": entry.is_public,
        "author": name,
        "channel": entry.channel,
        "body": entry.body,
        "data": entry.data,
        "handover": {
            "to_queue": handover.to_queue.name,
            "question": handover.question,
            "tried": handover.tried,
            "needed": handover.needed,
        }
        if handover
        else None,
        "attachments": [
            {
                "id": a.pk,
                "filename": a.filename,
                "content_type": a.content_type,
                "size": a.size,
                "url": f"/api/v1/attachments/{a.pk}",
            }
            for a in entry.attachments.all()
        ],
    }


def _json(schema: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    return schema.model_validate(data).model_dump(mode="json")


# --- finding the ticket ------------------------------------------------------------------


def _ticket(request: HttpRequest, number: str):
    """The ticket and whether the caller works it (agent) or asked for it (customer)."""
    user = request.user
    if selectors.works_tickets(user):
        try:
            return selectors.ticket_for_agent(actor=user, number=number), True
        except TicketNotFound:
            pass
    return selectors.ticket_for_customer(actor=user, number=number), False


def _agent_ticket(request: HttpRequest, number: str):
    ticket, as_agent = _ticket(request, number)
    if not as_agent:
        # A customer may see the ticket but not work it: as good as absent for this action.
        raise TicketNotFound()
    return ticket


def _reloaded(request: HttpRequest, number: str) -> dict[str, Any]:
    ticket, as_agent = _ticket(request, number)
    return _detail(ticket, as_agent=as_agent)


# --- reads -------------------------------------------------------------------------------


class TicketListQuery(Schema):
    status: StatusFilter = "open"
    queue_id: int | None = None
    department_id: int | None = None
    service_id: int | None = None
    organization_id: int | None = None
    channel: Literal[tuple(Channel.values)] | None = None  # type: ignore[valid-type]
    priority: Literal["P1", "P2", "P3", "P4"] | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    scope: Literal["agent", "customer"] | None = Field(
        None,
        description="agent: tickets you work; customer: tickets you asked for. "
        "Default: agent for staff who work tickets, else customer.",
    )
    cursor: str | None = Field(None, max_length=100)
    limit: int = Field(50, ge=1, le=200)


@router.get(
    "/tickets",
    response={200: TicketPageOut, **ERRORS},
    summary="List tickets, soonest resolution due first (keyset pages)",
)
def ticket_list(request, filters: Query[TicketListQuery]):
    scope = filters.scope or ("agent" if selectors.works_tickets(request.user) else "customer")
    after = selectors.Cursor.decode(filters.cursor)
    if filters.cursor and after is None:
        raise ValidationFailed(field_errors={"cursor": [_("This cursor is not valid.")]})
    rows, next_cursor = selectors.ticket_queue_rows(
        actor=request.user,
        filters=selectors.TicketFilters(
            queue_id=filters.queue_id,
            department_id=filters.department_id,
            service_id=filters.service_id,
            organization_id=filters.organization_id,
            status=filters.status,
            channel=filters.channel,
            priority=filters.priority,
            assignee_id=filters.assignee_id,
            unassigned=filters.unassigned,
        ),
        after=after,
        limit=filters.limit,
        as_customer=scope == "customer",
    )
    # A system that lists tickets takes their data out of the desk: each one is logged
    # (unlike the inbox page, where people see a work list; see docs/access-logging.md).
    for row in rows:
        access_note_ticket_number(number=row["number"], requester_id=row["requester_id"])
    as_agent = scope == "agent"
    return _page_response(
        {
            "items": [_summary_row(row, as_agent=as_agent) for row in rows],
            "next_cursor": next_cursor.encode() if next_cursor else None,
        }
    )


def _page_response(body: dict[str, Any]) -> HttpResponse:
    """The page as ninja would render it, without validating it against TicketPageOut.

    The rows are built by `_summary` from database values in the schema's field order and
    types, so validating fifty of them again (and dumping them back) cost about a fifth of a
    list's CPU and changed nothing; the operation keeps `response=TicketPageOut` for the
    OpenAPI document, and tests/tickets/test_api.py checks the body against the schema.
    """
    return HttpResponse(
        json.dumps(body, cls=NinjaJSONEncoder), content_type="application/json; charset=utf-8"
    )


@router.get("/tickets/{number}", response={200: TicketOut, **ERRORS}, summary="Read a ticket")
def ticket_read(request, number: str):
    return _reloaded(request, number)


@router.get(
    "/tickets/{number}/entries",
    response={200: list[EntryOut], **ERRORS},
    summary="The ticket's timeline, oldest first (customers see the public entries only)",
)
def ticket_entries(request, number: str):
    ticket, as_agent = _ticket(request, number)
    return [_entry(e) for e in selectors.ticket_timeline(ticket=ticket, internal=as_agent)]


@router.get("/tickets/{number}/sla", response={200: SlaOut, **ERRORS}, summary="SLA state")
def ticket_sla(request, number: str):
    ticket, _as_agent = _ticket(request, number)
    return {
        "state": selectors.sla_state(ticket),
        "paused": ticket.is_paused,
        "paused_seconds": ticket.sla_paused_seconds,
        "response_due_at": ticket.response_due_at,
        "first_response_at": ticket.first_response_at,
        "response_breached": ticket.response_breached,
        "resolution_due_at": ticket.resolution_due_at,
        "resolved_at": ticket.resolved_at,
        "resolution_breached": ticket.resolution_breached,
    }


@router.get(
    "/attachments/{attachment_id}",
    response={200: None, **ERRORS},
    summary="Download an attachment",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file",
                "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def attachment_download(request, attachment_id: int):
    attachment = selectors.attachment_for_actor(actor=request.user, attachment_id=attachment_id)
    return file_response(
        attachment.file.open("rb"),
        filename=attachment.filename,
        content_type=attachment.content_type,
    )


# --- opening -----------------------------------------------------------------------------


FormValue = str | int | float | bool | None


class TicketOpenIn(In):
    service_id: int | None = Field(None, description="The service, by id or by code.")
    service_code: str | None = Field(None, max_length=60)
    requester_id: int | None = Field(
        None, description="The customer (person) asking; staff only. Default: yourself."
    )
    title: str = Field(max_length=200)
    description: str = Field(max_length=20000)
    impact: ImpactValue | None = None
    urgency: UrgencyValue | None = None
    form_data: dict[str, FormValue] = Field(default_factory=dict)


@router.post(
    "/tickets",
    response={201: TicketOut, **ERRORS},
    summary="Open a ticket (send an Idempotency-Key to make retries safe)",
)
def ticket_open(request, payload: TicketOpenIn, idempotency_key: str | None = IdempotencyKey):
    user = request.user

    def create():
        if payload.service_id is None and not payload.service_code:
            raise ValidationFailed(field_errors={"service_id": [_("Name a service.")]})
        if payload.requester_id is not None:
            # Opening needs the person's own columns (name, organization id, login id).
            requester = person_get(actor=user, person_id=payload.requester_id, related=False)
        else:
            requester = person_for_user(user)
            if requester is None:
                raise ValidationFailed(
                    field_errors={"requester_id": [_("Say for which customer.")]}
                )
        try:
            service = payload.service_id
            if service is None:
                service = service_get_cached(code=payload.service_code).pk
            ticket = services.ticket_open(
                actor=user,
                requester=requester,
                service=service,
                channel=Channel.API,
                title=payload.title,
                description=payload.description,
                impact=payload.impact,
                urgency=payload.urgency,
                form_data={k: v for k, v in payload.form_data.items() if v is not None},
            )
        except UnknownService as exc:
            raise ValidationFailed(field_errors={"service_id": [str(exc.message)]}) from None
        # Answer from the ticket in hand (its relations are loaded), not by reading it again.
        ticket.department = ticket.service.department
        as_agent = selectors.can_work_ticket(user, ticket)
        return 201, _json(TicketOut, _detail(ticket, as_agent=as_agent))

    return idempotent(request, idempotency_key, create)


# --- messages ----------------------------------------------------------------------------


class ReplyIn(In):
    body: str = Field(max_length=20000)
    wait_for_customer: bool = Field(False, description="Agents: wait for the customer's answer.")
    version: int | None = Field(None, description="The version you saw; a stale one is 409.")


class NoteIn(In):
    body: str = Field(max_length=20000)
    version: int | None = None


def _customer_message(request, ticket, body: str, files=()) -> Any:
    person = person_for_user(request.user)
    if person is None:
        raise TicketNotFound()
    return services.ticket_add_customer_message(
        actor=request.user,
        ticket=ticket,
        person=person,
        body=body,
        channel=Channel.API,
        files=files,
    )


@router.post(
    "/tickets/{number}/replies",
    response={201: EntryOut, **ERRORS},
    summary="Answer: an agent replies to the customer; a customer writes to the desk",
)
def ticket_reply(
    request, number: str, payload: ReplyIn, idempotency_key: str | None = IdempotencyKey
):
    def create():
        ticket, as_agent = _ticket(request, number)
        if as_agent:
            entry = services.ticket_reply(
                actor=request.user,
                ticket=ticket,
                body=payload.body,
                wait_for_customer=payload.wait_for_customer,
                expected_version=payload.version,
            )
        else:
            entry = _customer_message(request, ticket, payload.body)
        return 201, _json(EntryOut, _entry(entry))

    return idempotent(request, idempotency_key, create)


@router.post(
    "/tickets/{number}/notes",
    response={201: EntryOut, **ERRORS},
    summary="Add an internal note (staff only)",
)
def ticket_note(
    request, number: str, payload: NoteIn, idempotency_key: str | None = IdempotencyKey
):
    def create():
        ticket = _agent_ticket(request, number)
        entry = services.ticket_note(
            actor=request.user, ticket=ticket, body=payload.body, expected_version=payload.version
        )
        return 201, _json(EntryOut, _entry(entry))

    return idempotent(request, idempotency_key, create)


@router.post(
    "/tickets/{number}/attachments",
    response={201: EntryOut, **ERRORS},
    summary="Attach a file with a message (multipart/form-data)",
)
def ticket_attach(
    request,
    number: str,
    file: File[UploadedFile],
    body: Form[str] = "",
    public: Form[bool] = False,
    idempotency_key: str | None = IdempotencyKey,
):
    check_size(request, settings.EENLOKET_MAX_UPLOAD_BYTES + 1024 * 1024)

    def create():
        ticket, as_agent = _ticket(request, number)
        upload = services.Upload(name=file.name or "bijlage", content=file.read())
        text = body.strip() or _("File attached: %(name)s") % {"name": upload.name}
        if not as_agent:
            entry = _customer_message(request, ticket, text, files=[upload])
        elif public:
            entry = services.ticket_reply(
                actor=request.user, ticket=ticket, body=text, files=[upload]
            )
        else:
            entry = services.ticket_note(
                actor=request.user, ticket=ticket, body=text, files=[upload]
            )
        return 201, _json(EntryOut, _entry(entry))

    return idempotent(request, idempotency_key, create)


# --- workflow ----------------------------------------------------------------------------


class AssignIn(In):
    assignee_id: int | None = Field(description="A colleague who works the queue; null: nobody.")
    version: int | None = None


class HandOverIn(In):
    department_id: int | None = None
    department_code: str | None = Field(None, max_length=30)
    question: str = Field(max_length=5000)
    tried: str = Field(max_length=5000)
    needed: str = Field(max_length=5000)
    version: int | None = None


class ReasonIn(In):
    reason: str = Field("", max_length=5000)
    version: int | None = None


class ResolveIn(In):
    resolution: str = Field(max_length=20000)
    version: int | None = None


class VersionIn(In):
    version: int | None = None


ACTION = {200: TicketOut, **ERRORS}


@router.post("/tickets/{number}/assign", response=ACTION, summary="Assign to a colleague")
def ticket_assign(request, number: str, payload: AssignIn):
    ticket = _agent_ticket(request, number)
    assignee = None
    if payload.assignee_id is not None:
        assignee = (
            staff_who_can_work(department_id=ticket.queue.department_id)
            .filter(pk=payload.assignee_id)
            .first()
        )
        if assignee is None:
            raise ValidationFailed(
                field_errors={"assignee_id": [_("This colleague does not work this queue.")]}
            )
    services.ticket_assign(
        actor=request.user, ticket=ticket, assignee=assignee, expected_version=payload.version
    )
    return _reloaded(request, number)


@router.post("/tickets/{number}/handover", response=ACTION, summary="Hand over to a department")
def ticket_hand_over(request, number: str, payload: HandOverIn):
    ticket = _agent_ticket(request, number)
    departments = department_list()
    if payload.department_id is not None:
        department = departments.filter(pk=payload.department_id).first()
    else:
        department = departments.filter(code=payload.department_code or "").first()
    if department is None:
        raise ValidationFailed(field_errors={"department_id": [_("Unknown department.")]})
    services.ticket_hand_over(
        actor=request.user,
        ticket=ticket,
        department=department,
        question=payload.question,
        tried=payload.tried,
        needed=payload.needed,
        expected_version=payload.version,
    )
    # After a handover the caller may no longer work the ticket; then they see nothing more.
    try:
        return _reloaded(request, number)
    except TicketNotFound:
        ticket.refresh_from_db()
        return _detail(ticket, as_agent=True)


@router.post("/tickets/{number}/wait", response=ACTION, summary="Wait for the customer")
def ticket_wait(request, number: str, payload: ReasonIn):
    ticket = _agent_ticket(request, number)
    services.ticket_wait_for_customer(
        actor=request.user, ticket=ticket, reason=payload.reason, expected_version=payload.version
    )
    return _reloaded(request, number)


@router.post("/tickets/{number}/resolve", response=ACTION, summary="Resolve")
def ticket_resolve(request, number: str, payload: ResolveIn):
    ticket = _agent_ticket(request, number)
    services.ticket_resolve(
        actor=request.user,
        ticket=ticket,
        resolution=payload.resolution,
        expected_version=payload.version,
    )
    return _reloaded(request, number)


@router.post("/tickets/{number}/close", response=ACTION, summary="Close a resolved ticket")
def ticket_close(request, number: str, payload: VersionIn):
    ticket = _agent_ticket(request, number)
    services.ticket_close(actor=request.user, ticket=ticket, expected_version=payload.version)
    return _reloaded(request, number)


@router.post("/tickets/{number}/reopen", response=ACTION, summary="Reopen a resolved ticket")
def ticket_reopen(request, number: str, payload: ReasonIn):
    ticket = _agent_ticket(request, number)
    services.ticket_reopen(
        actor=request.user, ticket=ticket, reason=payload.reason, expected_version=payload.version
    )
    return _reloaded(request, number)
