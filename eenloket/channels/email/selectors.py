"""Reads of the mail channel (administrators' lists; the timeline's quoted history)."""

from __future__ import annotations

from django.db.models import QuerySet

from eenloket.channels.email.exceptions import MailNotFound
from eenloket.channels.email.models import InboundMessage, Mailbox, OutboundMessage, Quarantine
from eenloket.tickets.selectors import tickets_for_agent


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


def inbound_for_agent(*, actor, inbound_id: int) -> InboundMessage:
    """A mail on a ticket the actor works (agent scope); anything else is not found."""
    try:
        inbound = InboundMessage.objects.defer("html_remote").get(
            pk=inbound_id, ticket__isnull=False
        )
    except (InboundMessage.DoesNotExist, ValueError, TypeError):
        raise MailNotFound() from None
    if not tickets_for_agent(actor).filter(pk=inbound.ticket_id).exists():
        raise MailNotFound()
    return inbound


def mail_frame_html(*, inbound: InboundMessage) -> str:
    """The sanitized HTML to show: with remote images once an agent allowed them."""
    if inbound.remote_images_allowed_at is not None:
        return (
            InboundMessage.objects.filter(pk=inbound.pk)
            .values_list("html_remote", flat=True)
            .first()
            or inbound.html
        )
    return inbound.html


def inline_images(*, inbound: InboundMessage, cids: dict[str, str]) -> dict[str, tuple[str, bytes]]:
    """The `cid:` images of a mail as (content type, bytes) by Content-ID, read from the
    attachments stored with its timeline entry (matched by content hash)."""
    if not cids or not inbound.entry_id:
        return {}
    wanted = set(cids.values())
    found = {}
    for attachment in inbound.entry.attachments.filter(sha256__in=wanted):
        if attachment.content_type not in INLINE_IMAGE_TYPES or attachment.size > INLINE_MAX:
            continue
        try:
            with attachment.file.open("rb") as handle:
                found[attachment.sha256] = (attachment.content_type, handle.read())
        except OSError:
            continue
    return {cid: found[digest] for cid, digest in cids.items() if digest in found}


INLINE_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
INLINE_MAX = 2 * 1024 * 1024


def remote_images_allowed(*, ticket) -> dict[int, object]:
    """Of a ticket's mails, those whose remote images an agent allowed: id -> who/when row.
    One query per ticket page, kept on the ticket object for every entry of the timeline."""
    cached = getattr(ticket, "_mail_remote_allowed", None)
    if cached is None:
        cached = {
            inbound.pk: inbound
            for inbound in InboundMessage.objects.filter(
                ticket_id=ticket.pk, remote_images_allowed_at__isnull=False
            )
            .select_related("remote_images_allowed_by")
            .only("id", "remote_images_allowed_at", "remote_images_allowed_by")
        }
        ticket._mail_remote_allowed = cached
    return cached


def ticket_number_of(*, inbound: InboundMessage) -> str:
    return InboundMessage.objects.filter(pk=inbound.pk).values_list("ticket__number", flat=True)[0]
