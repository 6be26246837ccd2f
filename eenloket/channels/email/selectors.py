"""Reads of the mail channel (administrators' lists; the timeline's quoted history)."""

from __future__ import annotations

from django.db.models import QuerySet

from eenloket.channels.email.models import Mailbox, OutboundMessage, Quarantine


def mailbox_list(*, active_only: bool = False) -> QuerySet[Mailbox]:
    mailboxes = Mailbox.objects.select_related("service").order_by("name")
    return mailboxes.filter(is_active=True) if active_only else mailboxes


def mailbox_by_name(name: str) -> Mailbox | None:
    return Mailbox.objects.filter(name=name).first()


def quarantine_open() -> QuerySet[Quarantine]:
    return (
        Quarantine.objects.filter(state=Quarantine.State.OPEN)
        .select_related("inbound__mailbox")
        .order_by("-at", "-id")
    )


def outbound_for_ticket(ticket_id: int) -> QuerySet[OutboundMessage]:
    return OutboundMessage.objects.filter(ticket_id=ticket_id).order_by("created_at", "pk")


def body_split(body: str, data: dict | None) -> tuple[str, str]:
    """A mail entry's body as (the new text, the quoted history below it)."""
    quote_at = ((data or {}).get("mail") or {}).get("quote_at")
    if not isinstance(quote_at, int) or not 0 < quote_at < len(body or ""):
        return body or "", ""
    return body[:quote_at].rstrip(), body[quote_at:].strip()
