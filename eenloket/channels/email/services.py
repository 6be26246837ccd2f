"""Every write of the mail channel: taking in a mail, the quarantine, notifications, secrets.

A mail becomes a ticket or a customer message only through `tickets.services`; this module
decides which, and for whom. One mail is one transaction: the InboundMessage row (unique per
mailbox and Message-ID) and the ticket entry are committed together, so a re-fetched mail is
recognised and stored once.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from email.utils import formataddr
from smtplib import SMTPResponseException

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import override

from eenloket.channels.email import credentials, threads
from eenloket.channels.email.credentials import secret_encrypt
from eenloket.channels.email.exceptions import MailError, QuarantineNotFound
from eenloket.channels.email.models import (
    InboundMessage,
    Mailbox,
    MailContact,
    MailTemplate,
    Notification,
    NotificationCursor,
    OutboundMessage,
    Quarantine,
    TicketCopy,
)
from eenloket.channels.email.notifications import render
from eenloket.channels.email.parsing import (
    MailRejected,
    ParsedMail,
    message_key,
    parse,
    peek_message_id,
)
from eenloket.channels.email.selectors import inbound_for_agent
from eenloket.core import clock, secretbox
from eenloket.core.exceptions import EenloketError, ValidationFailed
from eenloket.core.services import audit_record
from eenloket.directory.selectors import organization_list, person_find_by_email
from eenloket.directory.services import person_create
from eenloket.tickets.exceptions import TicketClosed, UploadRejected
from eenloket.tickets.selectors import entries_after, entry_last_id, ticket_for_channel
from eenloket.tickets.services import Upload, ticket_add_customer_message, ticket_open
from eenloket.tickets.uploads import upload_check

logger = logging.getLogger(__name__)
Outcome = InboundMessage.Outcome
Reason = Quarantine.Reason
CHANNEL = "email"


@dataclass(frozen=True)
class Intake:
    """What became of one mail."""

    outcome: str  # an InboundMessage.Outcome value, or "duplicate"
    inbound_id: int | None = None
    ticket_number: str = ""
    reason: str = ""


# The crash tests run a real `mail fetch` process, let it stop at one of these points and kill
# it there with SIGKILL (tests/channels/email/test_crash.py). Unset in production.
STOP_AT_ENV = "EENLOKET_MAIL_TEST_STOP_AT"


def stop_here_for_tests(point: str) -> None:
    """Block for ever at `point` when the crash tests ask for it (says so on stdout)."""
    if os.environ.get(STOP_AT_ENV) != point:
        return
    sys.stdout.write(f"stopped at {point}\n")
    sys.stdout.flush()
    while True:
        time.sleep(60)


# --- mailboxes ---------------------------------------------------------------------------


def mailbox_set_secret(*, mailbox: Mailbox, secret: str) -> Mailbox:
    """Store a password or OAuth2 token encrypted; an empty value keeps the stored one."""
    if secret:
        mailbox.secret_encrypted = secret_encrypt(secret)
        mailbox.save(update_fields=["secret_encrypted"])
    own_addresses_forget()
    return mailbox


@transaction.atomic
def mailbox_secrets_rekey() -> list[str]:
    """Rewrite the stored mailbox secrets under the current key (after SECRET_KEY or
    EENLOKET_MAIL_KEY changed, with the old one still a fallback); for `eenloket secrets
    rekey`."""
    rewritten, lost = secretbox.rekey_field(
        credentials.box(), Mailbox.objects.order_by("name"), "secret_encrypted"
    )
    line = f"{rewritten} mailbox secrets rewritten under the current key"
    if lost:
        names = ", ".join(mailbox.name for mailbox in lost)
        line += f"; {len(lost)} cannot be read: enter them again in the admin for {names}"
    return [line]


def mailbox_record_fetch(*, mailbox: Mailbox, error: str = "") -> None:
    Mailbox.objects.filter(pk=mailbox.pk).update(last_fetch_at=clock.now(), last_error=error)


def own_addresses() -> set[str]:
    """Our own addresses (every mailbox's and the sender address), cached for a few seconds:
    asked for every mail."""
    now = time.monotonic()
    if _own_cache["until"] < now:
        addresses = {a.lower() for a in Mailbox.objects.values_list("address", flat=True)}
        addresses.add(settings.DEFAULT_FROM_EMAIL.lower())
        _own_cache.update(until=now + 10, addresses=frozenset(addresses))
    return set(_own_cache["addresses"])


_own_cache: dict = {"until": 0.0, "addresses": frozenset()}


def own_addresses_forget() -> None:
    _own_cache["until"] = 0.0


# --- intake ------------------------------------------------------------------------------


class IntakeRun:
    """The lookups every mail of one run needs (an intake of one mailbox), asked once.

    Which Message-IDs are stored already (one query per batch), the sender's person, whether
    their language is known, how many mails they sent this hour, the allowed domains. What a
    mail teaches the run is kept only once its transaction has committed, so a rolled-back
    mail never leaves a person in the cache that the database does not have.
    """

    def __init__(self, mailbox: Mailbox):
        self.mailbox = mailbox
        self.known: set[str] = set()  # keys stored already
        self.checked: set[str] = set()  # keys looked up (in batch) and not stored then
        self.persons: dict[str, object] = {}  # sender -> Person, for known senders only
        self.contacts: set[int] = set()  # person ids whose mail language is stored
        self.recent: dict[str, int] = {}  # sender -> counted mails in the last hour
        self._allowed: set[str] | None = None
        self._organizations: dict[str, object] = {}

    def prefetch(self, raws: list[bytes]) -> None:
        """One query for a batch: which of these mails (by Message-ID) are stored already."""
        keys = {message_key(raw, peek_message_id(raw)) for raw in raws}
        self.known |= set(
            InboundMessage.objects.filter(message_id__in=keys).values_list("message_id", flat=True)
        )
        self.checked |= keys

    def is_known(self, key: str) -> bool:
        if key in self.known:
            return True
        if key in self.checked:
            return False
        return InboundMessage.objects.filter(message_id=key).exists()

    def allowed_domains(self) -> set[str]:
        if self._allowed is None:
            self._allowed = _allowed_domains(self.mailbox)
        return self._allowed

    def organization_for(self, domain: str):
        if domain not in self._organizations:
            self._organizations[domain] = (
                organization_list().filter(email_domain__iexact=domain).first()
            )
        return self._organizations[domain]


@dataclass
class _Learned:
    """What one mail's transaction found out, for the run once it has committed."""

    key: str = ""
    sender: str = ""
    person: object = None
    contact: int | None = None
    recent: int | None = None


def mail_receive(*, mailbox: Mailbox, raw: bytes, run: IntakeRun | None = None) -> Intake:
    """Take in one raw mail: add it to its ticket, open one, ignore it or quarantine it.

    Idempotent: a mail already taken in (same Message-ID, by any mailbox) changes nothing.
    Never raises for a bad mail (that is quarantined); raises only when the database fails,
    and then nothing of this mail is stored. `run` shares lookups between the mails of one
    intake run.
    """
    run = run or IntakeRun(mailbox)
    try:
        parsed = parse(raw)
        rejected = None
        key = message_key(raw, parsed.message_id)
    except MailRejected as exc:
        parsed, rejected = None, exc
        key = message_key(raw, peek_message_id(raw))
    if run.is_known(key):
        return Intake(outcome="duplicate")
    learned = _Learned(key=key, sender=parsed.sender if parsed else "")
    try:
        with transaction.atomic():
            inbound = _inbound_create(mailbox=mailbox, key=key, raw=raw, parsed=parsed)
            if rejected is not None:
                intake = _quarantine(inbound, rejected.reason, rejected.detail)
            else:
                intake = _route(
                    inbound=inbound, mailbox=mailbox, parsed=parsed, run=run, learned=learned
                )
            stop_here_for_tests("before_commit")
    except IntegrityError:
        # Another worker took in the same mail a moment ago.
        if InboundMessage.objects.filter(message_id=key).exists():
            run.known.add(key)
            return Intake(outcome="duplicate")
        raise
    _learn(run, learned)
    return intake


def _learn(run: IntakeRun, learned: _Learned) -> None:
    run.known.add(learned.key)
    if learned.person is not None:
        run.persons[learned.sender] = learned.person
    if learned.contact is not None:
        run.contacts.add(learned.contact)
    if learned.recent is not None:
        run.recent[learned.sender] = learned.recent


def _inbound_create(
    *, mailbox: Mailbox, key: str, raw: bytes, parsed: ParsedMail | None
) -> InboundMessage:
    inbound = InboundMessage(
        mailbox=mailbox,
        message_id=key,
        received_at=clock.now(),
        sender=(parsed.sender if parsed else "")[:254],
        subject=(parsed.subject if parsed else "")[:300],
        in_reply_to=" ".join(parsed.in_reply_to) if parsed else "",
        references=" ".join(parsed.references[-20:]) if parsed else "",
        outcome=Outcome.QUARANTINED,
        html=parsed.html if parsed else "",
        remote_images=parsed.remote_images if parsed else 0,
        size=len(raw),
    )
    # A duplicate key fails the insert; the caller's transaction (one per mail) rolls back.
    inbound.raw.save("mail.eml", ContentFile(raw), save=False)
    inbound.save(force_insert=True)
    return inbound


def _quarantine(inbound: InboundMessage, reason: str, detail: str) -> Intake:
    inbound.outcome = Outcome.QUARANTINED
    inbound.save(update_fields=["outcome"])
    Quarantine.objects.update_or_create(
        inbound=inbound,
        defaults={"reason": reason, "detail": detail[:2000], "at": clock.now(), "state": "open"},
    )
    logger.info("Mail %s quarantined: %s (%s)", inbound.message_id, reason, detail)
    return Intake(outcome=Outcome.QUARANTINED, inbound_id=inbound.pk, reason=reason)


def _ignore(inbound: InboundMessage, outcome: str, reason: str) -> Intake:
    inbound.outcome = outcome
    inbound.save(update_fields=["outcome"])
    return Intake(outcome=outcome, inbound_id=inbound.pk, reason=reason)


def _allowed_domains(mailbox: Mailbox) -> set[str]:
    listed = {d.strip().lower().lstrip("@") for d in mailbox.allowed_domains.split(",")}
    listed.discard("")
    if listed:
        return listed
    return {
        d.lower() for d in organization_list().values_list("email_domain", flat=True) if d.strip()
    }


def _person_for_sender(mailbox: Mailbox, parsed: ParsedMail, run: IntakeRun):
    """The sender's person record; a new one for an allowed domain; None for a stranger."""
    person = run.persons.get(parsed.sender) or person_find_by_email(parsed.sender)
    if person is not None:
        return person
    domain = parsed.sender.rsplit("@", 1)[-1]
    if domain not in run.allowed_domains():
        return None
    organization = run.organization_for(domain)
    if organization is None:
        return None
    name = (parsed.sender_name or parsed.sender.split("@")[0]).strip().strip('"')
    # Dutch names keep their prefix with the last name: "Anna de Boer" is Anna / de Boer.
    first, _sep, last = name.partition(" ")
    if not last:
        first, last = "", first
    return person_create(
        actor=None,
        organization=organization,
        first_name=first[:100],
        last_name=last[:150] or parsed.sender,
        email=parsed.sender,
    )


def _rate_limited(mailbox: Mailbox, sender: str, run: IntakeRun, learned: _Learned) -> bool:
    if sender in run.recent:
        # Counted earlier in this run; add the mail being taken in.
        recent = run.recent[sender] + 1
    else:
        since = clock.now() - timedelta(hours=1)
        recent = InboundMessage.objects.filter(
            mailbox=mailbox,
            sender=sender,
            received_at__gte=since,
            outcome__in=[Outcome.OPENED, Outcome.ADDED, Outcome.QUARANTINED],
        ).count()  # the mail being taken in is one of them
    learned.recent = recent
    return recent > mailbox.rate_limit_per_hour


def _thread_ticket(parsed: ParsedMail, person):
    """The ticket this mail answers: by our Message-IDs, else by the subject's number (then
    only for the requester or an address in copy: a number is easy to guess)."""
    ids = threads.thread_ids(in_reply_to=parsed.in_reply_to, references=parsed.references)
    if ids:
        ticket_id = (
            OutboundMessage.objects.filter(message_id__in=ids)
            .values_list("ticket_id", flat=True)
            .first()
        ) or (
            InboundMessage.objects.filter(message_id__in=ids, ticket__isnull=False)
            .values_list("ticket_id", flat=True)
            .first()
        )
        if ticket_id:
            return ticket_for_channel(ticket_id=ticket_id)
    number = threads.ticket_number_in(parsed.subject)
    if number:
        ticket = ticket_for_channel(number=number)
        if ticket is not None and (
            ticket.requester_id == person.pk
            or TicketCopy.objects.filter(ticket=ticket, address=parsed.sender).exists()
        ):
            return ticket
    return None


def _files(parsed: ParsedMail) -> tuple[list[Upload], list[str]]:
    """The attachments to keep on the ticket, and notes on those that cannot be."""
    uploads, notes = [], []
    for attachment in parsed.attachments:
        if len(attachment.content) > settings.EENLOKET_MAX_UPLOAD_BYTES:
            notes.append(
                _("The attachment “%(name)s” is too large for the ticket; it is kept in the "
                  "original mail.") % {"name": attachment.name}
            )  # fmt: skip
            continue
        kept_as_file = attachment.opaque
        if not kept_as_file:
            try:
                upload_check(name=attachment.name, content=attachment.content)
            except UploadRejected:
                kept_as_file = True
        uploads.append(
            Upload(name=attachment.name, content=attachment.content, kept_as_file=kept_as_file)
        )
    return uploads, notes


def _body(parsed: ParsedMail, notes: list[str]) -> str:
    body = parsed.text.strip() or _("(The mail has no text; see the attachments.)")
    if notes:
        body = body + "\n\n" + "\n".join(notes)
    return body


MAX_INLINE_IMAGES = 50


def _entry_data(inbound: InboundMessage, parsed: ParsedMail, **extra) -> dict:
    quote_at = parsed.quote_at
    data = {"inbound_id": inbound.pk, "from": parsed.sender, **extra}
    if parsed.html:
        # The timeline shows the HTML in a frame, and offers the remote images, without
        # asking the mail channel for every mail entry.
        data["html"] = True
        data["remote_images"] = parsed.remote_images
        # `cid:` images of the HTML are attachments of the entry, found by their content.
        cids = {
            a.content_id: hashlib.sha256(a.content).hexdigest()
            for a in parsed.attachments
            if a.content_id and not a.opaque
        }
        if cids:
            data["cids"] = dict(list(cids.items())[:MAX_INLINE_IMAGES])
    if quote_at is not None and parsed.text.strip():
        # Offsets count in the stored body, which starts with the stripped text.
        data["quote_at"] = quote_at - (len(parsed.text) - len(parsed.text.lstrip()))
    return {"mail": data}


def _remember_language(
    person, parsed: ParsedMail, mailbox: Mailbox, run: IntakeRun, learned: _Learned
) -> None:
    if person.pk in run.contacts:
        return
    MailContact.objects.get_or_create(
        person=person, defaults={"language": parsed.language or mailbox.language}
    )
    learned.contact = person.pk


def _copies_add(ticket, parsed: ParsedMail, *, kept: bool) -> None:
    own = own_addresses()
    for address in parsed.cc[:20]:
        if address in own or address == parsed.sender:
            continue
        TicketCopy.objects.get_or_create(ticket=ticket, address=address, defaults={"kept": kept})


def _route(
    *,
    inbound: InboundMessage,
    mailbox: Mailbox,
    parsed: ParsedMail,
    run: IntakeRun,
    learned: _Learned,
    check_rate: bool = True,
) -> Intake:
    if parsed.sender in own_addresses():
        return _ignore(inbound, Outcome.OWN, "from our own address")
    if parsed.auto_reason:
        return _ignore(inbound, Outcome.AUTO_REPLY, parsed.auto_reason)
    if check_rate and _rate_limited(mailbox, parsed.sender, run, learned):
        return _quarantine(
            inbound,
            Reason.RATE_LIMITED,
            f"More than {mailbox.rate_limit_per_hour} mails from {parsed.sender} in an hour.",
        )
    try:
        person = _person_for_sender(mailbox, parsed, run)
        if person is None:
            return _quarantine(
                inbound,
                Reason.UNKNOWN_SENDER,
                f"{parsed.sender} is not a known person and its domain is not allowed for "
                f"mailbox {mailbox.name}.",
            )
        learned.person = person
        return _deliver(
            inbound=inbound, mailbox=mailbox, parsed=parsed, person=person, run=run, learned=learned
        )
    except EenloketError as exc:
        detail = "; ".join(
            [
                str(exc.message),
                *(f"{k}: {' '.join(map(str, v))}" for k, v in exc.field_errors.items()),
            ]
        )
        return _quarantine(inbound, Reason.FAILED, detail)


def _deliver(
    *,
    inbound: InboundMessage,
    mailbox: Mailbox,
    parsed: ParsedMail,
    person,
    run: IntakeRun,
    learned: _Learned,
) -> Intake:
    uploads, notes = _files(parsed)
    body = _body(parsed, notes)
    _remember_language(person, parsed, mailbox, run, learned)
    ticket = _thread_ticket(parsed, person)
    if ticket is not None:
        try:
            entry = ticket_add_customer_message(
                actor=None,
                ticket=ticket,
                person=person,
                body=body,
                channel=CHANNEL,
                files=uploads,
                entry_data=_entry_data(inbound, parsed),
            )
        except TicketClosed:
            # A closed ticket takes no more messages: the mail opens a follow-up ticket.
            return _open(inbound, mailbox, parsed, person, body, uploads, follow_up_of=ticket)
        _copies_add(ticket, parsed, kept=False)
        inbound.outcome, inbound.ticket_id, inbound.entry = Outcome.ADDED, ticket.pk, entry
        inbound.save(update_fields=["outcome", "ticket", "entry"])
        return Intake(outcome=Outcome.ADDED, inbound_id=inbound.pk, ticket_number=ticket.number)
    return _open(inbound, mailbox, parsed, person, body, uploads)


def _open(inbound, mailbox, parsed, person, body, uploads, follow_up_of=None) -> Intake:
    title = threads.subject_strip(parsed.subject)[:200] or _("Mail without a subject")
    extra = {"follow_up_of": follow_up_of.number} if follow_up_of is not None else {}
    if follow_up_of is not None:
        body = (
            _("Follow-up of the closed ticket %(number)s.") % {"number": follow_up_of.number}
            + "\n\n"
            + body
        )
    ticket = ticket_open(
        actor=None,
        requester=person,
        service=mailbox.service_id,
        channel=CHANNEL,
        title=title,
        description=body,
        files=uploads,
        entry_data=_entry_data(inbound, parsed, **extra),
    )
    _copies_add(ticket, parsed, kept=True)
    inbound.outcome, inbound.ticket_id = Outcome.OPENED, ticket.pk
    inbound.entry_id = ticket.entries.order_by("pk").values_list("pk", flat=True).first()
    inbound.save(update_fields=["outcome", "ticket", "entry"])
    return Intake(outcome=Outcome.OPENED, inbound_id=inbound.pk, ticket_number=ticket.number)


# --- the quarantine ----------------------------------------------------------------------


def _quarantined(quarantine_id: int) -> Quarantine:
    try:
        return (
            Quarantine.objects.select_for_update()
            .select_related("inbound__mailbox")
            .get(pk=quarantine_id, state=Quarantine.State.OPEN)
        )
    except Quarantine.DoesNotExist:
        raise QuarantineNotFound() from None


def _resolve(quarantine: Quarantine, actor) -> None:
    quarantine.state = Quarantine.State.RESOLVED
    quarantine.resolved_at = clock.now()
    quarantine.resolved_by = actor
    quarantine.save(update_fields=["state", "resolved_at", "resolved_by"])


@transaction.atomic
def quarantine_retry(*, actor, quarantine_id: int) -> Intake:
    """Take the kept mail in again (after adding the person, raising a limit, a fix). Still
    quarantined: the reason is updated and it stays listed."""
    quarantine = _quarantined(quarantine_id)
    inbound = quarantine.inbound
    raw = _raw_of(inbound)
    try:
        parsed = parse(raw)
    except MailRejected as exc:
        return _quarantine(inbound, exc.reason, exc.detail)
    result = _route(
        inbound=inbound,
        mailbox=inbound.mailbox,
        parsed=parsed,
        run=IntakeRun(inbound.mailbox),
        learned=_Learned(),
        check_rate=False,
    )
    if result.outcome != Outcome.QUARANTINED:
        _resolve(quarantine, actor)
    return result


@transaction.atomic
def quarantine_to_ticket(
    *, actor, quarantine_id: int, requester, service_id: int | None = None, title: str = ""
) -> Intake:
    """An administrator turns a kept mail into a ticket by hand, for a person they chose.

    A mail that cannot be parsed becomes a ticket with the raw mail attached."""
    quarantine = _quarantined(quarantine_id)
    inbound = quarantine.inbound
    mailbox = inbound.mailbox
    raw = _raw_of(inbound)
    try:
        parsed = parse(raw)
        uploads, notes = _files(parsed)
        body = _body(parsed, notes)
        data = _entry_data(inbound, parsed)
        subject = parsed.subject
    except MailRejected as exc:
        uploads = [Upload(name="mail.eml", content=raw, kept_as_file=True)]
        body = _("The original mail could not be read (%(reason)s); it is attached.") % {
            "reason": exc.detail
        }
        data = {"mail": {"inbound_id": inbound.pk}}
        subject = inbound.subject
    ticket = ticket_open(
        actor=actor,
        requester=requester,
        service=service_id or mailbox.service_id,
        channel=CHANNEL,
        title=(title or threads.subject_strip(subject))[:200] or _("Mail without a subject"),
        description=body,
        files=uploads,
        entry_data=data,
    )
    inbound.outcome, inbound.ticket_id = Outcome.OPENED, ticket.pk
    inbound.save(update_fields=["outcome", "ticket"])
    _resolve(quarantine, actor)
    return Intake(outcome=Outcome.OPENED, inbound_id=inbound.pk, ticket_number=ticket.number)


def _raw_of(inbound: InboundMessage) -> bytes:
    with inbound.raw.open("rb") as handle:
        return handle.read()


# --- the HTML of a mail in the timeline ----------------------------------------------------


@transaction.atomic
def mail_remote_images_allow(*, actor, inbound_id: int) -> InboundMessage:
    """An agent chooses to load the remote images of one mail (the sender may learn that it
    was read). Recorded: who and when, in the mail and in the audit trail. The HTML with
    remote images is made again from the raw mail, sanitized as before."""
    found = inbound_for_agent(actor=actor, inbound_id=inbound_id)
    inbound = InboundMessage.objects.select_for_update().get(pk=found.pk)
    if inbound.remote_images_allowed_at is not None:
        return inbound
    if not inbound.remote_images:
        raise ValidationFailed(_("This mail has no remote images."))
    try:
        html = parse(_raw_of(inbound), remote_images=True).html
    except (MailRejected, OSError):
        # The raw mail is gone (retention) or unreadable: nothing more to show.
        html = inbound.html
    inbound.html_remote = html
    inbound.remote_images_allowed_at = clock.now()
    inbound.remote_images_allowed_by = actor
    inbound.save(
        update_fields=["html_remote", "remote_images_allowed_at", "remote_images_allowed_by"]
    )
    audit_record(
        actor=actor,
        obj=inbound,
        action="remote_images_loaded",
        changes={"remote_images_allowed_at": (None, inbound.remote_images_allowed_at)},
    )
    return inbound


# --- addresses in copy -------------------------------------------------------------------


def ticket_copy_set(*, ticket_id: int, address: str, kept: bool) -> TicketCopy:
    """The agent keeps (or drops) an address in copy of the ticket's mails."""
    address = (address or "").strip().lower()
    if "@" not in address:
        raise ValidationFailed(field_errors={"address": [_("Enter a valid email address.")]})
    copy, _created = TicketCopy.objects.update_or_create(
        ticket_id=ticket_id, address=address, defaults={"kept": kept}
    )
    return copy


# --- notifications -----------------------------------------------------------------------

NOTIFY_LAG = timedelta(seconds=10)
RETRY_DELAYS = (60, 300, 900, 3600, 4 * 3600)  # seconds, then the mail is given up


def satisfaction_url(ticket) -> str | None:
    """The survey link for a resolved ticket: the function named in
    EENLOKET_SATISFACTION_URL (dotted path, ticket -> URL or None); none by default."""
    path = settings.EENLOKET_SATISFACTION_URL
    if not path:
        return None
    return import_string(path)(ticket)


def _notification_kind(entry) -> str | None:
    kind = entry.kind
    data = entry.data or {}
    if kind == "customer_message" and "recorded_by_agent" in data:
        return Notification.RECEIVED
    if kind == "reply":
        return Notification.REPLY
    if kind == "status_change" and data.get("status_to") == "resolved":
        return Notification.RESOLVED
    if (
        kind == "status_change"
        and data.get("status_from") in {"resolved", "closed"}
        and data.get("status_to") not in {"resolved", "closed", None}
    ):
        return Notification.REOPENED
    if kind == "customer_message" and data.get("status_from") in {"resolved", "closed"}:
        return Notification.REOPENED
    return None


def _language_of(person, mailbox: Mailbox | None) -> str:
    contact = MailContact.objects.filter(person=person).values_list("language", flat=True).first()
    return contact or (mailbox.language if mailbox else settings.LANGUAGE_CODE[:2])


def _thread_of(ticket) -> tuple[Mailbox | None, str, list[str]]:
    """The mailbox the ticket came in by, the customer's last Message-ID, and the thread's
    References: its first mail and the latest ones (RFC 5322 allows trimming the middle)."""
    inbound = list(
        InboundMessage.objects.filter(ticket=ticket)
        .exclude(message_id__startswith="sha256:")
        .select_related("mailbox")
        .order_by("received_at", "pk")
    )
    outbound = list(
        OutboundMessage.objects.filter(ticket=ticket)
        .order_by("created_at", "pk")
        .values_list("created_at", "message_id")
    )
    mailbox = inbound[0].mailbox if inbound else Mailbox.objects.filter(is_active=True).first()
    pairs = sorted([*((m.received_at, m.message_id) for m in inbound), *outbound])
    thread = [message_id for _at, message_id in pairs]
    references = thread[:1] + thread[1:][-10:]
    last = inbound[-1].message_id if inbound else ""
    return mailbox, last, references


def _expected_response(ticket, language: str) -> str:
    if ticket.response_due_at is None:
        return "-"
    local = timezone.localtime(ticket.response_due_at)
    with override(language):
        return date_format(local, "j F Y H:i")


def notification_create(*, entry, kind: str) -> OutboundMessage | None:
    """The notification of one timeline event, once (a second call returns None)."""
    ticket = entry.ticket
    person = ticket.requester
    if not person.email:
        return None
    if OutboundMessage.objects.filter(entry=entry, kind=kind).exists():
        return None
    mailbox, last_id, references = _thread_of(ticket)
    language = _language_of(person, mailbox)
    body = entry.body if kind in {Notification.REPLY, Notification.RESOLVED} else ""
    context = {
        "number": ticket.number,
        "title": ticket.title,
        "name": person.full_name,
        "expected_response": _expected_response(ticket, language),
        "body": body,
        "satisfaction_url": satisfaction_url(ticket) if kind == Notification.RESOLVED else "",
        "status": ticket.status,
    }
    custom = (
        MailTemplate.objects.filter(kind=kind, language=language)
        .values("subject", "text", "html")
        .first()
    )
    rendered = render(kind=kind, language=language, context=context, override=custom)
    from_address = mailbox.address if mailbox else settings.DEFAULT_FROM_EMAIL
    domain = from_address.rsplit("@", 1)[-1]
    copies = list(
        TicketCopy.objects.filter(ticket=ticket, kept=True).values_list("address", flat=True)
    )
    try:
        with transaction.atomic():
            outbound = OutboundMessage.objects.create(
                ticket=ticket,
                entry=entry,
                kind=kind,
                mailbox=mailbox,
                from_address=from_address,
                to=person.email,
                cc=",".join(copies),
                subject=rendered.subject,
                body_text=rendered.text,
                body_html=rendered.html,
                language=language,
                message_id=threads.message_id_new(ticket_number=ticket.number, domain=domain),
                in_reply_to=last_id,
                references=" ".join(references),
                created_at=clock.now(),
                next_attempt_at=clock.now(),
            )
    except IntegrityError:
        return None
    _send_later(outbound.pk)
    return outbound


def _send_later(outbound_id: int) -> None:
    # tasks imports this module: import it when first needed.
    from eenloket.channels.email.tasks import outbound_send_task

    transaction.on_commit(lambda: outbound_send_task.enqueue(outbound_id=outbound_id))


def notifications_prepare(*, limit: int = 500) -> int:
    """Walk the timeline since last time and create the notifications it calls for.

    Entries younger than a few seconds wait for the next walk, so that a transaction still
    committing a lower entry id is not skipped. Returns how many mails were created.
    """
    created = 0
    with transaction.atomic():
        cursor, made = NotificationCursor.objects.select_for_update().get_or_create(
            name="timeline", defaults={"last_entry_id": 0}
        )
        if made:
            # First run: start from now, never mail the whole history.
            cursor.last_entry_id = entry_last_id()
            cursor.save()
            return 0
        entries = entries_after(
            after_id=cursor.last_entry_id,
            before=clock.now() - NOTIFY_LAG,
            limit=limit,
        )
        for entry in entries:
            kind = _notification_kind(entry) if entry.is_public else None
            if kind is not None and notification_create(entry=entry, kind=kind) is not None:
                created += 1
            cursor.last_entry_id = entry.pk
        cursor.save()
    return created


def _message(outbound: OutboundMessage, connection) -> EmailMultiAlternatives:
    headers = {"Message-ID": outbound.message_id}
    if outbound.in_reply_to:
        headers["In-Reply-To"] = outbound.in_reply_to
    if outbound.references:
        headers["References"] = outbound.references
    if outbound.kind != Notification.REPLY:
        # RFC 3834: an automatic mail; out-of-office replies should not answer it.
        headers["Auto-Submitted"] = "auto-generated"
        headers["X-Auto-Response-Suppress"] = "All"
    message = EmailMultiAlternatives(
        subject=outbound.subject,
        body=outbound.body_text,
        from_email=formataddr((_("Service desk"), outbound.from_address)),
        to=[outbound.to],
        cc=[a for a in outbound.cc.split(",") if a],
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(outbound.body_html, "text/html")
    return message


def outbound_send(*, outbound_id: int) -> str:
    """Send one notification, at most once: claim it, send, mark it sent.

    An SMTP failure puts it back for a later retry (a 5xx gives up at once). A crash between
    sending and marking leaves it "being sent": it is then never sent again automatically,
    because sending twice is worse than an administrator looking at one stuck mail.
    """
    now = clock.now()
    with transaction.atomic():
        outbound = OutboundMessage.objects.select_for_update().filter(pk=outbound_id).first()
        if outbound is None or outbound.state != OutboundMessage.State.PENDING:
            return outbound.state if outbound else "missing"
        if outbound.next_attempt_at and outbound.next_attempt_at > now:
            return "later"
        outbound.state = OutboundMessage.State.SENDING
        outbound.claimed_at = now
        outbound.attempts += 1
        outbound.save(update_fields=["state", "claimed_at", "attempts"])
    try:
        connection = get_connection(fail_silently=False)
        _message(outbound, connection).send()
    except Exception as exc:
        permanent = isinstance(exc, SMTPResponseException) and exc.smtp_code >= 500
        attempt = outbound.attempts
        give_up = permanent or attempt > len(RETRY_DELAYS)
        outbound.state = OutboundMessage.State.FAILED if give_up else OutboundMessage.State.PENDING
        outbound.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if not give_up:
            outbound.next_attempt_at = clock.now() + timedelta(seconds=RETRY_DELAYS[attempt - 1])
        outbound.save(update_fields=["state", "last_error", "next_attempt_at"])
        logger.warning("Mail %s not sent (attempt %s): %s", outbound.pk, attempt, exc)
        return outbound.state
    outbound.state = OutboundMessage.State.SENT
    outbound.sent_at = clock.now()
    outbound.save(update_fields=["state", "sent_at"])
    return outbound.state


def outbound_send_due(*, limit: int = 200) -> int:
    """Send what is due (retries, and mails whose task was lost); returns how many were sent."""
    due = list(
        OutboundMessage.objects.filter(
            state=OutboundMessage.State.PENDING, next_attempt_at__lte=clock.now()
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(outbound_send(outbound_id=pk) == OutboundMessage.State.SENT for pk in due)


__all__ = ["Intake", "IntakeRun", "MailError", "mail_receive"]
