"""The personal data the mail channel holds, published for the privacy app: received mails
(sender, subject, the raw mail), quarantine, sent notifications, addresses in copy and the
language a person writes in."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q

from eenloket.channels.email.models import (
    InboundMessage,
    MailContact,
    OutboundMessage,
    Quarantine,
    TicketCopy,
)


def _inbound(emails: list[str], ticket_ids: list[int]):
    condition = Q(ticket_id__in=ticket_ids)
    for email in emails:
        condition |= Q(sender__iexact=email)
    return InboundMessage.objects.filter(condition)


def _outbound(emails: list[str], ticket_ids: list[int]):
    condition = Q(ticket_id__in=ticket_ids)
    for email in emails:
        condition |= Q(to__icontains=email) | Q(cc__icontains=email)
    return OutboundMessage.objects.filter(condition)


def mail_export(
    *, emails: list[str], ticket_ids: list[int]
) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    received, files = [], []
    for inbound in _inbound(emails, ticket_ids).order_by("received_at", "pk"):
        path = None
        if inbound.raw:
            path = f"mail/{inbound.pk}.eml"
            files.append((path, inbound.raw))
        received.append(
            {
                "received_at": inbound.received_at.isoformat(),
                "from": inbound.sender,
                "subject": inbound.subject,
                "outcome": inbound.outcome,
                "file": path,
            }
        )
    sent = [
        {
            "created_at": outbound.created_at.isoformat(),
            "to": outbound.to,
            "cc": outbound.cc,
            "subject": outbound.subject,
            "text": outbound.body_text,
            "state": outbound.state,
        }
        for outbound in _outbound(emails, ticket_ids).order_by("created_at", "pk")
    ]
    copies = list(
        TicketCopy.objects.filter(Q(ticket_id__in=ticket_ids) | Q(address__in=emails))
        .values_list("address", flat=True)
        .distinct()
    )
    return {"received": received, "sent": sent, "addresses_in_copy": copies}, files


def _raw_delete(inbound: InboundMessage) -> bool:
    name = inbound.raw.name if inbound.raw else ""
    if not name:
        return False
    inbound.raw.storage.delete(name)
    return True


@transaction.atomic
def mail_anonymize(*, emails: list[str], ticket_ids: list[int], person_id: int | None) -> int:
    """Blank received and sent mails of the tickets (and of the addresses), delete the raw
    mails and the addresses in copy. Returns the mails touched."""
    for inbound in _inbound(emails, ticket_ids).select_for_update():
        _raw_delete(inbound)
    count = _inbound(emails, ticket_ids).update(
        sender="", subject="", html="", in_reply_to="", references="", raw=""
    )
    count += _outbound(emails, ticket_ids).update(
        to="", cc="", subject="", body_text="", body_html="", from_address=""
    )
    TicketCopy.objects.filter(Q(ticket_id__in=ticket_ids) | Q(address__in=emails)).delete()
    if person_id is not None:
        MailContact.objects.filter(person_id=person_id).delete()
    return count


def expired_quarantine_ids(*, quarantined_before: datetime) -> list[int]:
    return list(
        Quarantine.objects.filter(at__lt=quarantined_before)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def quarantine_delete(*, quarantine_ids: list[int]) -> int:
    """Delete quarantined mails with their raw file. A mail that became a ticket keeps its
    row (blanked) as the record of that; the rest goes."""
    count = 0
    for quarantine in Quarantine.objects.filter(pk__in=quarantine_ids).select_related("inbound"):
        with transaction.atomic():
            inbound = quarantine.inbound
            _raw_delete(inbound)
            quarantine.delete()
            if inbound.ticket_id is None:
                inbound.delete()
            else:
                InboundMessage.objects.filter(pk=inbound.pk).update(
                    sender="", subject="", html="", raw=""
                )
            count += 1
    return count
