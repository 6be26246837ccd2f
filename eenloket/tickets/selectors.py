"""Reads of tickets, scoped by the actor. The one place that decides who sees which ticket.

Two scopes: the *agent* scope (tickets the actor works as staff: first line, team leads and
administrators all; specialists their departments' queues and what is assigned to them) and
the *customer* scope (tickets the actor asked for, and with the right their organization's).
A staff member of one department is a customer of the others: their own IT ticket is in
their customer scope, not in their agent scope, so they never see IT's queue or notes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)

from eenloket.accesslog import services as access
from eenloket.catalog.selectors import request_fields, services_cached
from eenloket.core import clock
from eenloket.directory.roles import TICKET_ROLES
from eenloket.directory.selectors import (
    organizations_cached,
    person_for_user,
    queue_ids_of_departments,
    queues_cached,
)
from eenloket.tickets.choices import Line, Status
from eenloket.tickets.exceptions import TicketNotFound
from eenloket.tickets.models import OPEN_STATUSES, Attachment, Handover, Ticket, TicketEntry

if TYPE_CHECKING:
    from eenloket.directory.models import Person, User


def works_tickets(actor: User | None) -> bool:
    return bool(actor and actor.is_authenticated and actor.role in TICKET_ROLES)


def _department_ids(actor: User) -> list[int]:
    # Cached on the user object: one query per request, not one per check.
    if not hasattr(actor, "_eenloket_department_ids"):
        actor._eenloket_department_ids = list(actor.departments.values_list("id", flat=True))
    return actor._eenloket_department_ids


def scope_department_ids(actor: User) -> list[int] | None:
    """The departments an access decision for this actor used in this request, if any (for
    the access log, which must not query for them)."""
    return getattr(actor, "_eenloket_department_ids", None)


def agent_scope(actor: User | None) -> Q | None:
    """The condition for tickets the actor works as staff; None means none at all."""
    if not works_tickets(actor):
        return None
    if actor.works_whole_desk:
        return Q()
    # A subquery rather than a join on the queue: the planner keeps to the ticket indexes
    # (the inbox's counts stay an index-only scan of ticket_open_counts).
    return Q(queue_id__in=queue_ids_of_departments(_department_ids(actor))) | Q(assignee=actor)


def customer_person(actor: User) -> Person | None:
    """The actor's customer record; cached on the user object, so one query per request."""
    if not hasattr(actor, "_eenloket_person"):
        actor._eenloket_person = person_for_user(actor)
    return actor._eenloket_person


def customer_scope(actor: User | None) -> Q | None:
    if not (actor and actor.is_authenticated):
        return None
    condition = Q(requester__user=actor)
    person = customer_person(actor)
    if person is not None and person.sees_organization_tickets:
        condition |= Q(organization_id=person.organization_id)
    return condition


def tickets_for_agent(actor: User | None) -> QuerySet[Ticket]:
    scope = agent_scope(actor)
    if scope is None:
        return Ticket.objects.none()
    return Ticket.objects.filter(scope)


def tickets_for_customer(actor: User | None) -> QuerySet[Ticket]:
    scope = customer_scope(actor)
    if scope is None:
        return Ticket.objects.none()
    return Ticket.objects.filter(scope)


def tickets_for_reports() -> QuerySet[Ticket]:
    """Every ticket, for aggregate figures only; the reports app scopes by department."""
    return Ticket.objects.all()


def returned_to_first_line() -> Exists:
    """For reports: true for a ticket a department sent back to first line at least once."""
    return Exists(Handover.objects.filter(ticket=OuterRef("pk"), returned_at__isnull=False))


def can_work_ticket(actor: User | None, ticket: Ticket) -> bool:
    if not works_tickets(actor):
        return False
    if actor.works_whole_desk or ticket.assignee_id == actor.pk:
        return True
    return ticket.queue.department_id in _department_ids(actor)


# Joined: the per-ticket rows. The small reference tables come from the per-process cache
# (core/refcache.py): four joins would cost more to plan than the rows cost to read.
LIST_RELATED = ("requester", "assignee")
LIST_PREFETCHED = ("organization", "service__sla_policy", "department", "queue")


def attach_reference_data(tickets: list[Ticket]) -> list[Ticket]:
    """Give each ticket its organization, service (with SLA policy), department and queue
    from the per-process cache; a row the cache does not know yet is read from the database."""
    organizations, services, departments, queues = _reference_maps()
    missing: set[str] = set()
    for ticket in tickets:
        for name, known, key in (
            ("organization", organizations, ticket.organization_id),
            ("service", services, ticket.service_id),
            ("department", departments, ticket.department_id),
            ("queue", queues, ticket.queue_id),
        ):
            if key in known:
                Ticket._meta.get_field(name).set_cached_value(ticket, known[key])
            else:
                missing.add(name)
    if missing:
        wanted = [p for p in LIST_PREFETCHED if p.split("__")[0] in missing]
        prefetch_related_objects(tickets, *wanted)
    return tickets


@dataclass(frozen=True)
class TicketFilters:
    queue_id: int | None = None
    department_id: int | None = None
    service_id: int | None = None
    organization_id: int | None = None
    status: str | None = None  # a Status value, "open" (default) or "all"
    channel: str | None = None
    priority: str | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    line: str | None = None  # a Line value
    # Running (not paused) tickets whose resolution is due before this moment: "SLA at risk".
    due_before: datetime | None = None


@dataclass(frozen=True)
class Cursor:
    """Keyset position in the queue order (resolution due, id)."""

    due: datetime | None
    id: int

    def encode(self) -> str:
        return f"{self.due.isoformat() if self.due else ''}~{self.id}"

    @classmethod
    def decode(cls, value: str | None) -> Cursor | None:
        if not value or "~" not in value:
            return None
        due, _, pk = value.rpartition("~")
        try:
            at = datetime.fromisoformat(due) if due else None
            cursor = cls(due=at, id=int(pk))
        except ValueError:
            return None
        # A cursor is only ever written aware; a naive one was edited by hand.
        if at is not None and at.tzinfo is None:
            return None
        return cursor


def ticket_queue(
    *,
    actor: User,
    filters: TicketFilters,
    after: Cursor | None = None,
    limit: int = 50,
    as_customer: bool = False,
) -> tuple[list[Ticket], Cursor | None]:
    """One page of the agent's queue, ordered by resolution due (soonest first).

    Keyset pagination on (resolution_due_at, id), so page 1000 costs what page 1 costs.
    Returns the page and the cursor of the next page (None on the last page).
    `as_customer` pages through the actor's customer scope instead (the API's list).
    """
    tickets = _queue_filtered(actor=actor, filters=filters, after=after, as_customer=as_customer)
    page = list(
        tickets.select_related(*LIST_RELATED).order_by("resolution_due_at", "id")[: limit + 1]
    )
    next_cursor = None
    if len(page) > limit:
        page = page[:limit]
        last = page[-1]
        next_cursor = Cursor(due=last.resolution_due_at, id=last.pk)
    return attach_reference_data(page), next_cursor


# What a row of ticket_queue_rows holds: the ticket's own columns a list shows, and its
# requester's and assignee's names.
ROW_COLUMNS = (
    "id",
    "number",
    "title",
    "status",
    "line",
    "priority",
    "channel",
    "service_id",
    "department_id",
    "queue_id",
    "requester_id",
    "requester__first_name",
    "requester__last_name",
    "organization_id",
    "assignee_id",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
    "opened_at",
    "updated_at",
    "resolution_due_at",
    "resolution_breached",
    "sla_paused_since",
    "version",
)


def ticket_queue_rows(
    *,
    actor: User,
    filters: TicketFilters,
    after: Cursor | None = None,
    limit: int = 50,
    as_customer: bool = False,
) -> tuple[list[dict[str, Any]], Cursor | None]:
    """ticket_queue's page as plain rows (ROW_COLUMNS, plus `service`, `department` and
    `queue` from the reference cache), for the API's list: the same tickets in the same
    order, without building a Ticket and a Person for each row (about a third of the CPU
    of a list of fifty)."""
    tickets = _queue_filtered(actor=actor, filters=filters, after=after, as_customer=as_customer)
    rows = list(tickets.order_by("resolution_due_at", "id").values(*ROW_COLUMNS)[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = Cursor(due=last["resolution_due_at"], id=last["id"])
    _attach_reference_rows(rows)
    return rows, next_cursor


def _reference_maps() -> tuple[dict, dict, dict, dict]:
    """Organizations, services, departments and queues by id, from the per-process cache."""
    organizations = organizations_cached()
    services = services_cached()
    queues = {queue.pk: queue for queue in queues_cached()}
    departments = {q.department_id: q.department for q in queues.values() if q.department_id}
    departments.update({s.department_id: s.department for s in services.values()})
    return organizations, services, departments, queues


def _attach_reference_rows(rows: list[dict[str, Any]]) -> None:
    _organizations, services, departments, queues = _reference_maps()
    missing = [
        row["id"]
        for row in rows
        if row["service_id"] not in services
        or row["department_id"] not in departments
        or (row["queue_id"] is not None and row["queue_id"] not in queues)
    ]
    if missing:
        # Saved in another process within the cache's minute: read those rows' own (into
        # copies: the maps are the cache's).
        services, departments, queues = dict(services), dict(departments), dict(queues)
        for ticket in Ticket.objects.filter(pk__in=missing).select_related(
            "service__department", "department", "queue__department"
        ):
            services[ticket.service_id] = ticket.service
            departments[ticket.department_id] = ticket.department
            if ticket.queue_id is not None:
                queues[ticket.queue_id] = ticket.queue
    for row in rows:
        row["service"] = services[row["service_id"]]
        row["department"] = departments[row["department_id"]]
        row["queue"] = queues.get(row["queue_id"])


def _queue_filtered(
    *, actor: User, filters: TicketFilters, after: Cursor | None, as_customer: bool
) -> QuerySet[Ticket]:
    tickets = tickets_for_customer(actor) if as_customer else tickets_for_agent(actor)
    status = filters.status or "open"
    if status == "open":
        tickets = tickets.filter(status__in=OPEN_STATUSES)
    elif status != "all":
        tickets = tickets.filter(status=status)
    exact = {
        "queue_id": filters.queue_id,
        "department_id": filters.department_id,
        "service_id": filters.service_id,
        "organization_id": filters.organization_id,
        "channel": filters.channel,
        "priority": filters.priority,
        "assignee_id": filters.assignee_id,
    }
    tickets = tickets.filter(**{key: value for key, value in exact.items() if value})
    if filters.unassigned:
        tickets = tickets.filter(assignee__isnull=True)
    if filters.line:
        tickets = tickets.filter(line=filters.line)
    if filters.due_before is not None:
        tickets = tickets.filter(
            resolution_due_at__lt=filters.due_before, sla_paused_since__isnull=True
        )
    if after is not None:
        if after.due is None:
            tickets = tickets.filter(resolution_due_at__isnull=True, id__gt=after.id)
        else:
            tickets = tickets.filter(
                Q(resolution_due_at__gt=after.due)
                | Q(resolution_due_at=after.due, id__gt=after.id)
                | Q(resolution_due_at__isnull=True)
            )
    return tickets


DETAIL_RELATED = (
    "requester__organization",
    "organization",
    "service__department",
    "service__sla_policy",
    "department",
    "queue__department",
    "assignee",
)


def ticket_for_agent(*, actor: User, number: str) -> Ticket:
    """A ticket the actor works; the access is logged (refused ones too)."""
    try:
        ticket = tickets_for_agent(actor).select_related(*DETAIL_RELATED).get(number=number)
    except Ticket.DoesNotExist:
        access.access_refused(kind=access.ObjectKind.TICKET, ref=number)
        raise TicketNotFound() from None
    access.access_note_ticket(ticket=ticket)
    return ticket


def ticket_for_customer(*, actor: User, number: str) -> Ticket:
    """A ticket the actor asked for (or may follow); the access is logged (refused ones too)."""
    try:
        ticket = (
            tickets_for_customer(actor)
            .select_related("requester", "service", "department")
            .get(number=number)
        )
    except Ticket.DoesNotExist:
        access.access_refused(kind=access.ObjectKind.TICKET, ref=number)
        raise TicketNotFound() from None
    access.access_note_ticket(ticket=ticket, activity=access.Activity.SELF_SERVICE)
    return ticket


def ticket_timeline(*, ticket: Ticket, internal: bool) -> list[TicketEntry]:
    """The entries of a ticket, oldest first; customers see only the public ones.

    For customers, a question an agent recorded (phone, counter: "Klant belt: ...") is the
    agent's wording, meant for colleagues: it shows as recorded, without its text or files.
    So is an agent's reason for reopening (the workspace asks it of colleagues, not of the
    customer): the customer sees that the ticket was reopened, not why.
    """
    entries = TicketEntry.objects.filter(ticket=ticket)
    if not internal:
        entries = entries.filter(is_public=True)
    timeline = list(
        entries.select_related("author", "author_person", "handover__to_queue")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("at", "id")
    )
    if not internal:
        for entry in timeline:
            if recorded_by_agent(entry):
                entry.body = ""
                entry._prefetched_objects_cache["attachments"] = Attachment.objects.none()
            elif _reopened_by_agent(entry):
                entry.body = ""
    return timeline


def _reopened_by_agent(entry: TicketEntry) -> bool:
    data = entry.data or {}
    return (
        entry.kind == TicketEntry.Kind.STATUS_CHANGE
        and data.get("status_from") == Status.RESOLVED
        and data.get("status_to") in OPEN_STATUSES
    )


def recorded_by_agent(entry: TicketEntry) -> bool:
    """A customer's question in an agent's words (a call or visit they took down)."""
    return entry.kind == TicketEntry.Kind.CUSTOMER_MESSAGE and bool(
        (entry.data or {}).get("recorded_by_agent")
    )


def tickets_of_requester(*, actor: User, person_id: int, limit: int = 10) -> list[Ticket]:
    """Other tickets of a person, for the customer panel beside a ticket."""
    return list(
        tickets_for_agent(actor)
        .filter(requester_id=person_id)
        .select_related("service")
        .order_by("-opened_at", "-id")[:limit]
    )


def customer_ticket_list(*, actor: User, limit: int = 100) -> list[Ticket]:
    return list(
        tickets_for_customer(actor)
        .select_related("service", "requester")
        .order_by("-opened_at", "-id")[:limit]
    )


def attachment_for_actor(*, actor: User, attachment_id: int) -> Attachment:
    """An attachment the actor may download: on a ticket they work, or a public entry of
    a ticket they asked for."""
    attachments = Attachment.objects.select_related("entry__ticket__queue")
    try:
        attachment = attachments.get(pk=attachment_id)
    except (Attachment.DoesNotExist, ValueError, TypeError):
        access.access_refused(kind=access.ObjectKind.ATTACHMENT, ref=attachment_id)
        raise TicketNotFound() from None
    ticket = attachment.entry.ticket
    customer_may_see = attachment.entry.is_public and not recorded_by_agent(attachment.entry)
    if can_work_ticket(actor, ticket) or (
        customer_may_see and tickets_for_customer(actor).filter(pk=ticket.pk).exists()
    ):
        access.access_note(
            kind=access.ObjectKind.ATTACHMENT,
            ref=attachment.pk,
            person_id=ticket.requester_id,
            ticket_number=ticket.number,
            action=access.Action.DOWNLOAD,
        )
        return attachment
    access.access_refused(kind=access.ObjectKind.ATTACHMENT, ref=attachment_id)
    raise TicketNotFound()


def sla_state(ticket: Ticket) -> str:
    """ok / at_risk / breached / paused / met, for colouring the SLA countdown."""
    return sla_state_of(
        due=ticket.resolution_due_at,
        breached=ticket.resolution_breached,
        is_open=ticket.is_open,
        is_paused=ticket.is_paused,
    )


def sla_state_of(*, due: datetime | None, breached: bool, is_open: bool, is_paused: bool) -> str:
    """sla_state from the columns it reads (for rows that are not Tickets)."""
    if due is None:
        return "met" if not is_open else "paused"
    if breached or (is_open and not is_paused and due < clock.now()):
        return "breached"
    if not is_open:
        return "met"
    if is_paused:
        return "paused"
    remaining = (due - clock.now()).total_seconds()
    return "at_risk" if remaining < 4 * 3600 else "ok"


def tickets_nearing_breach(*, within_seconds: int, limit: int = 500) -> list[Ticket]:
    """Open, running tickets whose resolution target falls within the coming period."""
    now = clock.now()
    return list(
        Ticket.objects.filter(
            status__in=OPEN_STATUSES,
            sla_paused_since__isnull=True,
            resolution_breached=False,
            resolution_due_at__gt=now,
            resolution_due_at__lte=now + timedelta(seconds=within_seconds),
        )
        .select_related("queue", "department", "service")
        .order_by("resolution_due_at", "id")[:limit]
    )


def ticket_actions(ticket: Ticket) -> frozenset[str]:
    """The agent actions the ticket's status allows (the services enforce the same rules)."""
    if ticket.status == Status.CLOSED:
        return frozenset({"note"})
    if ticket.status == Status.RESOLVED:
        return frozenset({"reply", "note", "close", "reopen"})
    actions = {"reply", "note", "assign", "classify", "hand_over", "resolve"}
    if ticket.status != Status.WAITING:
        actions.add("wait")
    if ticket.line == Line.SECOND:
        actions.add("return")
    return frozenset(actions)


# --- figures for the transition (counts only: no ticket content leaves) --------------------


def ticket_volume_per_service(
    *, since: datetime, department_ids: list[int] | None = None
) -> dict[int, int]:
    """Tickets opened since `since` per service (of these departments): customer questions.
    One query for any number of departments."""
    tickets = Ticket.objects.filter(opened_at__gte=since)
    if department_ids is not None:
        tickets = tickets.filter(service__department_id__in=department_ids)
    rows = tickets.values("service_id").annotate(volume=Count("id")).order_by()
    return {row["service_id"]: row["volume"] for row in rows}


@dataclass(frozen=True)
class LineFigures:
    """How a department's tickets went since a date: who solved them."""

    opened: int
    resolved: int
    resolved_by_first_line: int
    handed_over: int

    @property
    def first_line_resolution(self) -> float | None:
        return self.resolved_by_first_line / self.resolved if self.resolved else None

    @property
    def handover_rate(self) -> float | None:
        return self.handed_over / self.opened if self.opened else None


def department_line_figures(*, department_id: int, since: datetime) -> LineFigures:
    solved = Q(status__in=(Status.RESOLVED, Status.CLOSED))
    figures = Ticket.objects.filter(
        service__department_id=department_id, opened_at__gte=since
    ).aggregate(
        opened=Count("id"),
        resolved=Count("id", filter=solved),
        resolved_by_first_line=Count("id", filter=solved & Q(handover_count=0)),
        handed_over=Count("id", filter=Q(handover_count__gt=0)),
    )
    return LineFigures(**figures)


# --- the customer portal -----------------------------------------------------------------


@dataclass(frozen=True)
class CustomerCursor:
    """Keyset position in "my requests" (newest first): (opened_at, id)."""

    opened_at: datetime
    id: int

    def encode(self) -> str:
        return f"{self.opened_at.isoformat()}~{self.id}"

    @classmethod
    def decode(cls, value: str | None) -> CustomerCursor | None:
        if not value or "~" not in value:
            return None
        at, _, pk = value.rpartition("~")
        try:
            cursor = cls(opened_at=datetime.fromisoformat(at), id=int(pk))
        except ValueError:
            return None
        return cursor if cursor.opened_at.tzinfo is not None else None


CUSTOMER_STATUS_GROUPS = {
    "open": OPEN_STATUSES,
    "done": (Status.RESOLVED, Status.CLOSED),
}


def customer_requests(
    *,
    actor: User,
    status: str = "",
    mine_only: bool = False,
    after: CustomerCursor | None = None,
    limit: int = 25,
) -> tuple[list[Ticket], CustomerCursor | None]:
    """One page of "my requests", newest first; with the organization right also the
    organization's. `status` is "open", "done" or "" (all)."""
    tickets = tickets_for_customer(actor)
    if status in CUSTOMER_STATUS_GROUPS:
        tickets = tickets.filter(status__in=CUSTOMER_STATUS_GROUPS[status])
    if mine_only:
        tickets = tickets.filter(requester__user=actor)
    if after is not None:
        tickets = tickets.filter(
            Q(opened_at__lt=after.opened_at) | Q(opened_at=after.opened_at, id__lt=after.id)
        )
    page = list(
        tickets.select_related("requester")
        .prefetch_related("service")
        .order_by("-opened_at", "-id")[: limit + 1]
    )
    next_cursor = None
    if len(page) > limit:
        page = page[:limit]
        next_cursor = CustomerCursor(opened_at=page[-1].opened_at, id=page[-1].pk)
    return page, next_cursor


def customer_sees_organization(actor: User) -> bool:
    """Whether the actor has the right to follow their organization's tickets."""
    person = customer_person(actor) if actor and actor.is_authenticated else None
    return bool(person and person.sees_organization_tickets)


def reopen_period() -> timedelta:
    return timedelta(days=settings.EENLOKET_REOPEN_DAYS)


def reopen_deadline(ticket: Ticket) -> datetime | None:
    """Until when the customer may reopen a resolved ticket (None: not resolved)."""
    if ticket.status != Status.RESOLVED or ticket.resolved_at is None:
        return None
    return ticket.resolved_at + reopen_period()


def customer_may_reopen(ticket: Ticket) -> bool:
    deadline = reopen_deadline(ticket)
    return deadline is not None and clock.now() <= deadline


# --- the workspace inbox: saved views and their live counts ------------------------------

# A ticket is "at risk" when less than this much wall-clock time is left (as in sla_state).
AT_RISK_WITHIN = timedelta(hours=4)


@dataclass(frozen=True)
class InboxView:
    """A saved view of the inbox: its key (for the URL and the label) and its filters.
    A department queue's view also carries the queue's name."""

    key: str
    filters: dict
    queue_name: str = ""


def inbox_views(*, actor: User, queues: Iterable) -> list[InboxView]:
    """The saved views the actor sees: everything, mine, first line (for the whole desk),
    the department queues they work, SLA at risk, waiting, handed over."""
    views = [InboxView("all", {}), InboxView("mine", {"assignee_id": actor.pk})]
    if actor.works_whole_desk:
        views.append(InboxView("first_line", {"line": Line.FIRST}))
    departments = None if actor.works_whole_desk else set(_department_ids(actor))
    for queue in queues:
        if queue.department_id and (departments is None or queue.department_id in departments):
            views.append(InboxView(f"queue-{queue.pk}", {"queue_id": queue.pk}, queue.name))
    views += [
        InboxView("at_risk", {"due_before": clock.now() + AT_RISK_WITHIN}),
        InboxView("waiting", {"status": Status.WAITING}),
        InboxView("handed_over", {"status": Status.HANDED_OVER}),
    ]
    return views


def _view_condition(filters: dict) -> Q:
    condition = Q()
    for key, value in filters.items():
        if key == "due_before":
            condition &= Q(resolution_due_at__lt=value, sla_paused_since__isnull=True)
        else:
            condition &= Q(**{key: value})
    return condition


def inbox_counts(*, actor: User, views: Iterable[InboxView]) -> dict[str, int]:
    """Open tickets per saved view, in one query (one filtered count per view)."""
    views = list(views)
    if not views:
        return {}
    aggregates = {
        # queue_id (never null) rather than id: every column read is in ticket_open_counts
        view.key.replace("-", "_"): Count("queue_id", filter=_view_condition(view.filters))
        for view in views
    }
    row = tickets_for_agent(actor).filter(status__in=OPEN_STATUSES).aggregate(**aggregates)
    return {view.key: row[view.key.replace("-", "_")] or 0 for view in views}


def ticket_request_form(*, ticket: Ticket) -> list[tuple[str, object]]:
    """The answers of the ticket's request form as (label, answer), in the form's order.
    Keys no longer on the form (a field was removed later) keep their key as the label."""
    answers = dict(ticket.form_data or {})
    if not answers:
        return []
    rows = []
    for field in request_fields(ticket.service):
        if field.key in answers:
            rows.append((field.label, answers.pop(field.key)))
    rows += list(answers.items())
    return rows


# --- reads for channels that act on the customer's behalf (no logged-in actor) -----------


def ticket_for_channel(*, number: str | None = None, ticket_id: int | None = None):
    """A ticket by number or id, unscoped: for a channel (an inbound mail) that has already
    identified the customer. None when there is no such ticket."""
    tickets = Ticket.objects.select_related("requester", "service")
    if number is not None:
        return tickets.filter(number=number).first()
    return tickets.filter(pk=ticket_id).first()


def entries_after(*, after_id: int, before: datetime, limit: int = 200) -> list[TicketEntry]:
    """Timeline entries with an id above `after_id` made before `before`, oldest first, with
    their ticket and requester: what a channel walks to notify customers of news.

    Stops at the first entry too young, so a caller that remembers the last id never skips
    an entry that a slower transaction was still committing."""
    entries = list(
        TicketEntry.objects.filter(pk__gt=after_id)
        .select_related("ticket__requester", "ticket__service", "author")
        .order_by("pk")[:limit]
    )
    kept = []
    for entry in entries:
        if entry.at >= before:
            break
        kept.append(entry)
    return kept


def entry_last_id() -> int:
    return TicketEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
