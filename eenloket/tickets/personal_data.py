"""The personal data the tickets app holds, published for the privacy app: export,
anonymization and deletion of tickets, their timeline, handovers and attachments.

Kept apart from services.py on purpose: these writes remove data rather than work a ticket,
so they write no timeline entry, check no version and send no webhook. A ticket keeps its
organization, department, service, queue, channel, priority, times and SLA figures, so every
report counts it as before.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce

from eenloket.tickets.models import Attachment, Handover, Status, Ticket, TicketEntry

ANONYMIZED = "[geanonimiseerd]"
ENDED = (Status.RESOLVED, Status.CLOSED)
# Timeline entries whose `data` may hold personal details (addresses, numbers, form answers).
PERSONAL_DATA_KINDS = (
    TicketEntry.Kind.CUSTOMER_MESSAGE,
    TicketEntry.Kind.REPLY,
    TicketEntry.Kind.NOTE,
    TicketEntry.Kind.CALL,
    TicketEntry.Kind.COUNTER_VISIT,
)


def ticket_ids_of_person(person_id: int) -> list[int]:
    return list(Ticket.objects.filter(requester_id=person_id).values_list("pk", flat=True))


def ticket_titles(ticket_ids: list[int]) -> list[str]:
    """The subjects of the tickets, to find them where they were copied (the audit trail)."""
    return list(
        Ticket.objects.filter(pk__in=ticket_ids)
        .exclude(title=ANONYMIZED)
        .values_list("title", flat=True)
    )


def tickets_export(ticket_ids: list[int]) -> tuple[list[dict[str, Any]], list[tuple[str, Any]]]:
    """The tickets as JSON-ready dicts, and their attachments as (path in the ZIP, file)."""
    tickets = (
        Ticket.objects.filter(pk__in=ticket_ids)
        .select_related("organization", "service", "department")
        .prefetch_related("entries__attachments", "handovers")
        .order_by("opened_at", "pk")
    )
    rows, files = [], []
    for ticket in tickets:
        entries = []
        for entry in ticket.entries.all():
            attachments = []
            for attachment in entry.attachments.all():
                path = f"attachments/{ticket.number}/{attachment.pk}-{attachment.filename}"
                attachments.append(
                    {"file": path, "filename": attachment.filename, "size": attachment.size}
                )
                files.append((path, attachment.file))
            entries.append(
                {
                    "at": entry.at.isoformat(),
                    "kind": entry.kind,
                    "public": entry.is_public,
                    "channel": entry.channel,
                    "text": entry.body,
                    "data": entry.data,
                    "attachments": attachments,
                }
            )
        rows.append(
            {
                "number": ticket.number,
                "subject": ticket.title,
                "organization": ticket.organization.name,
                "service": ticket.service.name_nl,
                "department": ticket.department.name_nl,
                "channel": ticket.channel,
                "status": ticket.status,
                "priority": ticket.priority,
                "form": ticket.form_data,
                "opened_at": ticket.opened_at.isoformat(),
                "resolved_at": ticket.resolved_at.isoformat() if ticket.resolved_at else None,
                "closed_at": ticket.closed_at.isoformat() if ticket.closed_at else None,
                "resolution": ticket.resolution,
                "handovers": [
                    {
                        "at": handover.at.isoformat(),
                        "question": handover.question,
                        "tried": handover.tried,
                        "needed": handover.needed,
                        "return_reason": handover.return_reason,
                    }
                    for handover in ticket.handovers.all()
                ],
                "timeline": entries,
            }
        )
    return rows, files


def expired_ticket_ids(*, organization_id: int, ended_before: datetime) -> list[int]:
    """Resolved or closed tickets that ended before the moment and are not anonymized yet."""
    return list(
        Ticket.objects.filter(organization_id=organization_id, status__in=ENDED)
        .annotate(ended_at=Coalesce("closed_at", "resolved_at"))
        .filter(ended_at__lt=ended_before)
        .exclude(title=ANONYMIZED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def ticket_anonymize(*, ticket_id: int, requester_id: int | None = None) -> int:
    """Remove the texts and files of a ticket; its figures stay. Returns the files removed.

    `requester_id` moves the ticket to another person (an organization's anonymous person),
    so that it no longer says who asked.
    """
    return tickets_anonymize(ticket_ids=[ticket_id], requester_id=requester_id)


def tickets_anonymize(*, ticket_ids: list[int], requester_id: int | None = None) -> int:
    """ticket_anonymize for many tickets at once: one statement per table for the whole
    batch, not per ticket (the retention job anonymizes years of tickets in one night)."""
    changes: dict[str, Any] = {"title": ANONYMIZED, "form_data": {}, "resolution": ""}
    if requester_id is not None:
        changes["requester_id"] = requester_id
    Ticket.objects.filter(pk__in=ticket_ids).update(**changes)
    Handover.objects.filter(ticket_id__in=ticket_ids).update(
        question=ANONYMIZED, tried=ANONYMIZED, needed=ANONYMIZED, return_reason=""
    )
    entries = TicketEntry.objects.filter(ticket_id__in=ticket_ids)
    entries.update(body="", author_person=None)
    entries.filter(kind__in=PERSONAL_DATA_KINDS).update(data={})
    return attachments_delete(
        attachment_ids=list(
            Attachment.objects.filter(entry__ticket_id__in=ticket_ids).values_list("pk", flat=True)
        )
    )


@transaction.atomic
def ticket_delete(*, ticket_id: int) -> int:
    """Delete a ticket with its timeline; returns the files removed."""
    return tickets_delete(ticket_ids=[ticket_id])


@transaction.atomic
def tickets_delete(*, ticket_ids: list[int]) -> int:
    """Delete tickets with their timelines (files first); returns the files removed."""
    removed = tickets_anonymize(ticket_ids=ticket_ids)
    Ticket.objects.filter(pk__in=ticket_ids).delete()
    return removed


def expired_attachment_ids(*, organization_id: int, ended_before: datetime) -> list[int]:
    return list(
        Attachment.objects.filter(
            entry__ticket__organization_id=organization_id, entry__ticket__status__in=ENDED
        )
        .annotate(ended_at=Coalesce("entry__ticket__closed_at", "entry__ticket__resolved_at"))
        .filter(ended_at__lt=ended_before)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def attachments_delete(*, attachment_ids: list[int]) -> int:
    """Delete attachments and their files (through the storage API). Returns the count.

    Files are named by their hash, so a file another attachment still uses stays. Set-based:
    the same few statements for one attachment or a batch of hundreds."""
    attachments = list(Attachment.objects.filter(pk__in=attachment_ids).only("pk", "file"))
    if not attachments:
        return 0
    names = {attachment.file.name for attachment in attachments if attachment.file.name}
    shared = set(
        Attachment.objects.filter(file__in=names)
        .exclude(pk__in=[attachment.pk for attachment in attachments])
        .values_list("file", flat=True)
    )
    storage = attachments[0].file.storage
    with transaction.atomic():
        Attachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).delete()
        # After the rows, inside their transaction: a failing storage rolls the rows back.
        for name in sorted(names - shared):
            storage.delete(name)
    return len(attachments)


def entries_by_person_export(person_id: int, ticket_ids: list[int]) -> list[dict[str, Any]]:
    """Messages the person wrote on tickets of others (e.g. as a colleague in copy)."""
    return [
        {"ticket": entry.ticket.number, "at": entry.at.isoformat(), "text": entry.body}
        for entry in TicketEntry.objects.filter(author_person_id=person_id)
        .exclude(ticket_id__in=ticket_ids)
        .select_related("ticket")
    ]


def entries_by_person_anonymize(person_id: int) -> int:
    return (
        TicketEntry.objects.filter(author_person_id=person_id)
        .filter(~Q(body=""))
        .update(body="", author_person=None)
    )
