"""Reads of tickets, scoped by the actor. The one place that decides who sees which ticket.

Two scopes: the *agent* scope (tickets the actor works as staff: first line, team leads and
administrators all; specialists their departments' queues and what is assigned to them) and
the *customer* scope (tickets the actor asked for, and with the right their organization's).
A staff member of one department is a customer of the others: their own IT ticket is in
their customer scope, not in their agent scope, so they never see IT's queue or notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet

from eenloket.core import clock
from eenloket.directory.roles import TICKET_ROLES
from eenloket.directory.selectors import person_for_user
from eenloket.tickets.choices import Line, Status
from eenloket.tickets.exceptions import TicketNotFound
from eenloket.tickets.models import OPEN_STATUSES, Attachment, Ticket, TicketEntry

if TYPE_CHECKING:
    from eenloket.directory.models import User


def works_tickets(actor: User | None) -> bool:
    return bool(actor and actor.is_authenticated and actor.role in TICKET_ROLES)


def _department_ids(actor: User) -> list[int]:
    # Cached on the user object: one query per request, not one per check.
    if not hasattr(actor, "_eenloket_department_ids"):
        actor._eenloket_department_ids = list(actor.departments.values_list("id", flat=True))
    return actor._eenloket_department_ids


def agent_scope(actor: User | None) -> Q | None:
    """The condition for tickets the actor works as staff; None means none at all."""
    if not works_tickets(actor):
        return None
    if actor.works_whole_desk:
        return Q()
    return Q(queue__department_id__in=_department_ids(actor)) | Q(assignee=actor)


def customer_scope(actor: User | None) -> Q | None:
    if not (actor and actor.is_authenticated):
        return None
    condition = Q(requester__user=actor)
    person = person_for_user(actor)
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


def can_work_ticket(actor: User | None, ticket: Ticket) -> bool:
    if not works_tickets(actor):
        return False
    if actor.works_whole_desk or ticket.assignee_id == actor.pk:
        return True
    return ticket.queue.department_id in _department_ids(actor)


# Joined: the per-ticket rows. Prefetched: the small reference tables, which would otherwise
# add four joins whose planning costs more than four tiny queries.
LIST_RELATED = ("requester", "assignee")
LIST_PREFETCHED = ("organization", "service__sla_policy", "department", "queue")


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
    *, actor: User, filters: TicketFilters, after: Cursor | None = None, limit: int = 50
) -> tuple[list[Ticket], Cursor | None]:
    """One page of the agent's queue, ordered by resolution due (soonest first).

    Keyset pagination on (resolution_due_at, id), so page 1000 costs what page 1 costs.
    Returns the page and the cursor of the next page (None on the last page).
    """
    tickets = tickets_for_agent(actor)
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
    if after is not None:
        if after.due is None:
            tickets = tickets.filter(resolution_due_at__isnull=True, id__gt=after.id)
        else:
            tickets = tickets.filter(
                Q(resolution_due_at__gt=after.due)
                | Q(resolution_due_at=after.due, id__gt=after.id)
                | Q(resolution_due_at__isnull=True)
            )
    page = list(
        tickets.select_related(*LIST_RELATED)
        .prefetch_related(*LIST_PREFETCHED)
        .order_by("resolution_due_at", "id")[: limit + 1]
    )
    next_cursor = None
    if len(page) > limit:
        page = page[:limit]
        last = page[-1]
        next_cursor = Cursor(due=last.resolution_due_at, id=last.pk)
    return page, next_cursor


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
    try:
        return tickets_for_agent(actor).select_related(*DETAIL_RELATED).get(number=number)
    except Ticket.DoesNotExist:
        raise TicketNotFound() from None


def ticket_for_customer(*, actor: User, number: str) -> Ticket:
    try:
        return (
            tickets_for_customer(actor)
            .select_related("requester", "service", "department")
            .get(number=number)
        )
    except Ticket.DoesNotExist:
        raise TicketNotFound() from None


def ticket_timeline(*, ticket: Ticket, internal: bool) -> list[TicketEntry]:
    """The entries of a ticket, oldest first; customers see only the public ones."""
    entries = TicketEntry.objects.filter(ticket=ticket)
    if not internal:
        entries = entries.filter(is_public=True)
    return list(
        entries.select_related("author", "author_person", "handover__to_queue")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("at", "id")
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
        raise TicketNotFound() from None
    ticket = attachment.entry.ticket
    if can_work_ticket(actor, ticket):
        return attachment
    if attachment.entry.is_public and tickets_for_customer(actor).filter(pk=ticket.pk).exists():
        return attachment
    raise TicketNotFound()


def sla_state(ticket: Ticket) -> str:
    """ok / at_risk / breached / paused / met, for colouring the SLA countdown."""
    if ticket.resolution_due_at is None:
        return "met" if not ticket.is_open else "paused"
    if ticket.resolution_breached or (
        ticket.is_open and not ticket.is_paused and ticket.resolution_due_at < clock.now()
    ):
        return "breached"
    if not ticket.is_open:
        return "met"
    if ticket.is_paused:
        return "paused"
    remaining = (ticket.resolution_due_at - clock.now()).total_seconds()
    return "at_risk" if remaining < 4 * 3600 else "ok"


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
