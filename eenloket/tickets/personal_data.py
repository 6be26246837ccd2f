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
from django.db.models.fields.files import FieldFile
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


def _delete_file(file: FieldFile) -> bool:
    """Remove a stored file unless another attachment shares it (files are named by hash)."""
    name = file.name
    if not name:
        return False
    if Attachment.objects.filter(file=name).count() > 1:
        return False
    file.storage.delete(name)
    return True


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
    ticket = Ticket.objects.select_for_update().get(pk=ticket_id)
    ticket.title = ANONYMIZED
    ticket.form_data = {}
    ticket.resolution = ""
    fields = ["title", "form_data", "resolution"]
    if requester_id is not None:
        ticket.requester_id = requester_id
        fields.append("requester")
    ticket.save(update_fields=fields)
    Handover.objects.filter(ticket=ticket).update(
        question=ANONYMIZED, tried=ANONYMIZED, needed=ANONYMIZED, return_reason=""
    )
    entries = TicketEntry.objects.filter(ticket=ticket)
    entries.update(body="", author_person=None)
    entries.filter(kind__in=PERSONAL_DATA_KINDS).update(data={})
    return attachments_delete(
        attachment_ids=list(
            Attachment.objects.filter(entry__ticket=ticket).values_list("pk", flat=True)
        )
    )


@transaction.atomic
def ticket_delete(*, ticket_id: int) -> int:
    """Delete a ticket with its timeline; returns the files removed."""
    removed = ticket_anonymize(ticket_id=ticket_id)
    Ticket.objects.filter(pk=ticket_id).delete()
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
    """Delete attachments and their files (through the storage API). Returns the count."""
    count = 0
    for attachment in Attachment.objects.filter(pk__in=attachment_ids):
        with transaction.atomic():
            _delete_file(attachment.file)
            attachment.delete()
            count += 1
    return count


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
