"""The mail channel's rules: threading, reopen, loops, strangers, quarantine, notifications."""

import datetime as dt
from email import message_from_bytes, policy

import pytest
import time_machine

from eenloket.channels.email import services
from eenloket.channels.email.credentials import secret_of
from eenloket.channels.email.exceptions import MailboxSecretMissing, QuarantineNotFound
from eenloket.channels.email.models import (
    InboundMessage,
    Mailbox,
    MailContact,
    MailTemplate,
    OutboundMessage,
    Quarantine,
    TicketCopy,
)
from eenloket.tickets import services as ticket_services
from eenloket.tickets.selectors import ticket_for_channel
from tests.channels.email.conftest import corpus_mail
from tests.channels.email.corpus.make_corpus import simple
from tests.factories import TUESDAY_10

LATER = TUESDAY_10 + dt.timedelta(minutes=1)


def _mail(**kwargs) -> bytes:
    return bytes(simple(**kwargs))


def _open(mailbox) -> str:
    return services.mail_receive(mailbox=mailbox, raw=corpus_mail("plain_utf8")).ticket_number


def _prepare_and_send(traveller, smtp_server=None):
    """Let the notification walk see the entries (it lags a few seconds) and send."""
    traveller.shift(dt.timedelta(seconds=30))
    services.notifications_prepare()
    return services.outbound_send_due()


@pytest.fixture
def walk(mailbox, at_tuesday_10):
    """The notification walk started before anything happened."""
    services.notifications_prepare()
    return at_tuesday_10


# --- secrets -----------------------------------------------------------------------------


def test_the_password_is_stored_encrypted(mailbox):
    assert "desk-secret" not in mailbox.secret_encrypted
    assert secret_of(mailbox) == "desk-secret"


def test_a_missing_environment_secret_is_a_clear_error(mailbox):
    mailbox.secret_env = "NOT_SET_ANYWHERE"

    with pytest.raises(MailboxSecretMissing, match="NOT_SET_ANYWHERE is not set"):
        secret_of(mailbox)


def test_a_secret_encrypted_with_another_key_asks_to_enter_it_again(mailbox, settings):
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40

    with pytest.raises(MailboxSecretMissing, match="Enter the password or token again"):
        secret_of(mailbox)


def test_an_explicit_key_set_later_still_reads_the_secrets_stored_before(mailbox, settings):
    settings.EENLOKET_MAIL_KEY = "Y2hhbmdlZC1rZXktY2hhbmdlZC1rZXktY2hhbmdlZC0="
    assert secret_of(mailbox) == "desk-secret"
    services.mailbox_set_secret(mailbox=mailbox, secret="new-secret")
    settings.EENLOKET_MAIL_KEY = "YW5vdGhlci1rZXktYW5vdGhlci1rZXktYW5vdGhlci0="

    with pytest.raises(MailboxSecretMissing, match="Enter the password or token again"):
        secret_of(mailbox)


# --- threading ---------------------------------------------------------------------------


def test_a_reply_to_our_notification_lands_on_its_ticket(mailbox, walk):
    number = _open(mailbox)
    _prepare_and_send(walk)
    ours = OutboundMessage.objects.get()

    intake = services.mail_receive(
        mailbox=mailbox,
        raw=_mail(
            subject="Iets heel anders", body="Aanvulling.", headers={"In-Reply-To": ours.message_id}
        ),
    )

    assert (intake.outcome, intake.ticket_number) == ("added", number)


def test_a_reply_to_a_resolved_ticket_reopens_it(mailbox, mail_desk, at_tuesday_10):
    number = _open(mailbox)
    ticket = ticket_for_channel(number=number)
    ticket_services.ticket_resolve(actor=mail_desk.agent, ticket=ticket, resolution="Herstart.")

    services.mail_receive(
        mailbox=mailbox, raw=_mail(subject=f"Re: [{number}] Laptop", body="Nog steeds kapot.")
    )

    ticket.refresh_from_db()
    assert (ticket.status, ticket.reopen_count) == ("in_progress", 1)


def test_a_reply_to_a_closed_ticket_opens_a_follow_up(mailbox, mail_desk, at_tuesday_10):
    number = _open(mailbox)
    ticket = ticket_for_channel(number=number)
    ticket_services.ticket_resolve(actor=mail_desk.agent, ticket=ticket, resolution="Herstart.")
    ticket_services.ticket_close(actor=None, ticket=ticket)

    intake = services.mail_receive(
        mailbox=mailbox, raw=_mail(subject=f"Re: [{number}] Laptop", body="Weer kapot.")
    )

    assert intake.outcome == "opened"
    follow_up = ticket_for_channel(number=intake.ticket_number)
    assert follow_up.title == "Laptop"
    opening = follow_up.entries.get()
    assert opening.data["mail"]["follow_up_of"] == number
    assert number in opening.body


def test_a_copy_address_may_reply_by_the_number(mailbox, at_tuesday_10):
    intake = services.mail_receive(mailbox=mailbox, raw=corpus_mail("cc_recorded"))

    reply = services.mail_receive(
        mailbox=mailbox,
        raw=_mail(
            subject=f"Re: [{intake.ticket_number}]", body="Ik ook.", sender="els@dordrecht.example"
        ),
    )

    assert (reply.outcome, reply.ticket_number) == ("added", intake.ticket_number)


# --- loops, floods, strangers --------------------------------------------------------------


def test_an_auto_reply_opens_no_ticket_and_triggers_no_notification(mailbox, walk):
    intake = services.mail_receive(mailbox=mailbox, raw=corpus_mail("auto_submitted"))

    assert intake.outcome == "auto_reply"
    assert _prepare_and_send(walk) == 0
    assert OutboundMessage.objects.count() == 0


def test_a_flooding_sender_is_rate_limited_into_the_quarantine(mailbox, at_tuesday_10):
    mailbox.rate_limit_per_hour = 3
    mailbox.save()
    outcomes = [
        services.mail_receive(mailbox=mailbox, raw=_mail(subject=f"Vraag {n}", body=f"{n}")).outcome
        for n in range(5)
    ]

    assert outcomes == ["opened", "opened", "opened", "quarantined", "quarantined"]
    assert Quarantine.objects.filter(reason="rate_limited").count() == 2


def test_a_stranger_goes_to_review_and_a_retry_after_adding_them_opens_the_ticket(
    mailbox, mail_desk, at_tuesday_10
):
    intake = services.mail_receive(mailbox=mailbox, raw=corpus_mail("unknown_sender_domain"))
    quarantine = Quarantine.objects.get()
    assert quarantine.reason == "unknown_sender"
    mailbox.allowed_domains = "elders.example"
    mailbox.save()
    mail_desk.organization.email_domain = "elders.example"
    mail_desk.organization.save()

    result = services.quarantine_retry(actor=mail_desk.admin, quarantine_id=quarantine.pk)

    assert result.outcome == "opened"
    assert result.inbound_id == intake.inbound_id
    quarantine.refresh_from_db()
    assert (quarantine.state, quarantine.resolved_by) == ("resolved", mail_desk.admin)


def test_a_retry_that_fails_again_keeps_it_in_the_quarantine(mailbox, mail_desk, at_tuesday_10):
    services.mail_receive(mailbox=mailbox, raw=corpus_mail("unknown_sender_domain"))
    quarantine = Quarantine.objects.get()

    result = services.quarantine_retry(actor=mail_desk.admin, quarantine_id=quarantine.pk)

    assert (result.outcome, result.reason) == ("quarantined", "unknown_sender")
    assert Quarantine.objects.get().state == "open"


def test_an_unreadable_mail_turned_into_a_ticket_by_hand_keeps_the_raw_mail(
    mailbox, mail_desk, at_tuesday_10
):
    services.mail_receive(mailbox=mailbox, raw=corpus_mail("header_bomb"))
    quarantine = Quarantine.objects.get()

    result = services.quarantine_to_ticket(
        actor=mail_desk.admin, quarantine_id=quarantine.pk, requester=mail_desk.jan, title="Bom"
    )

    ticket = ticket_for_channel(number=result.ticket_number)
    entry = ticket.entries.get()
    assert ticket.title == "Bom"
    assert list(entry.attachments.values_list("filename", flat=True)) == ["mail.eml"]
    assert "header fields" in entry.body


def test_a_handled_quarantine_cannot_be_handled_twice(mailbox, mail_desk, at_tuesday_10):
    services.mail_receive(mailbox=mailbox, raw=corpus_mail("header_bomb"))
    quarantine = Quarantine.objects.get()
    services.quarantine_to_ticket(
        actor=mail_desk.admin, quarantine_id=quarantine.pk, requester=mail_desk.jan
    )

    with pytest.raises(QuarantineNotFound):
        services.quarantine_to_ticket(
            actor=mail_desk.admin, quarantine_id=quarantine.pk, requester=mail_desk.jan
        )


def test_a_mail_the_ticket_services_refuse_is_quarantined_with_their_reason(
    mailbox, mail_desk, at_tuesday_10
):
    mail_desk.first_line_queue.delete()

    intake = services.mail_receive(mailbox=mailbox, raw=corpus_mail("plain_utf8"))

    assert (intake.outcome, intake.reason) == ("quarantined", "failed")
    assert InboundMessage.objects.get().ticket is None


def test_the_sender_language_is_remembered_from_content_language(mailbox, at_tuesday_10):
    services.mail_receive(
        mailbox=mailbox,
        raw=_mail(subject="Question", body="Hello", headers={"Content-Language": "en-GB"}),
    )

    assert MailContact.objects.get().language == "en"


# --- one run, many mails ------------------------------------------------------------------


def test_a_run_asks_for_the_sender_once_and_stores_a_new_question_in_few_queries(
    mailbox, at_tuesday_10, django_assert_num_queries
):
    run = services.IntakeRun(mailbox)
    first, second = _mail(subject="Eerste vraag"), _mail(subject="Tweede vraag")
    run.prefetch([first, second])
    services.mail_receive(mailbox=mailbox, raw=first, run=run)

    # Ours: the mail row, its outcome, the opening entry's id, and the mail's transaction (2).
    # The ticket services, inside it without a savepoint: the ticket number (one UPDATE ...
    # RETURNING), ticket, entry, audit; service, request form, queue and SLA targets come from
    # the reference data cache. Not again: whether it is stored already, the sender, their
    # language, their mails this hour.
    with django_assert_num_queries(9):
        intake = services.mail_receive(mailbox=mailbox, raw=second, run=run)

    assert intake.outcome == "opened"
    assert InboundMessage.objects.count() == 2


def test_a_run_recognises_the_same_mail_twice_in_one_batch_without_asking(
    mailbox, at_tuesday_10, django_assert_num_queries
):
    run = services.IntakeRun(mailbox)
    raw = _mail(subject="Dubbel")
    run.prefetch([raw, raw])
    services.mail_receive(mailbox=mailbox, raw=raw, run=run)

    with django_assert_num_queries(0):
        assert services.mail_receive(mailbox=mailbox, raw=raw, run=run).outcome == "duplicate"


def test_a_run_keeps_counting_a_flooding_sender(mailbox, at_tuesday_10):
    mailbox.rate_limit_per_hour = 2
    mailbox.save()
    run = services.IntakeRun(mailbox)

    outcomes = [
        services.mail_receive(mailbox=mailbox, raw=_mail(subject=f"Vraag {n}"), run=run).outcome
        for n in range(4)
    ]

    assert outcomes == ["opened", "opened", "quarantined", "quarantined"]


def test_a_rolled_back_mail_leaves_no_person_in_the_run(mailbox, at_tuesday_10, monkeypatch):
    run = services.IntakeRun(mailbox)
    stranger = "Anna de Boer <anna@dordrecht.example>"
    real_open = services.ticket_open

    def fail(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "ticket_open", fail)
    with pytest.raises(RuntimeError):
        services.mail_receive(mailbox=mailbox, raw=_mail(sender=stranger), run=run)
    monkeypatch.setattr(services, "ticket_open", real_open)

    intake = services.mail_receive(mailbox=mailbox, raw=_mail(sender=stranger), run=run)

    assert intake.outcome == "opened"
    assert ticket_for_channel(number=intake.ticket_number).requester.email == (
        "anna@dordrecht.example"
    )


# --- notifications -----------------------------------------------------------------------


def _sent(smtp_server):
    return [message_from_bytes(e.content, policy=policy.default) for e in smtp_server.messages]


def test_a_new_ticket_by_mail_gets_a_received_mail_with_number_and_expected_response(
    mailbox, walk, smtp_server
):
    number = _open(mailbox)

    assert _prepare_and_send(walk) == 1

    [sent] = _sent(smtp_server)
    assert sent["To"] == "jan@dordrecht.example"
    assert sent["Subject"].startswith(f"[{number}] Uw melding is ontvangen")
    assert sent["In-Reply-To"] == "<origineel-1@dordrecht.example>"
    assert sent["Auto-Submitted"] == "auto-generated"
    text = sent.get_body(("plain",)).get_content()
    html = sent.get_body(("html",)).get_content()
    assert "U krijgt uiterlijk 15 april 2026 10:00 een reactie." in text  # P4: 1 business day
    assert f"<strong>{number}</strong>" in html


def test_the_notification_is_in_english_for_an_english_speaker(mailbox, walk, smtp_server):
    services.mail_receive(
        mailbox=mailbox,
        raw=_mail(subject="Question", body="Hello", headers={"Content-Language": "en"}),
    )

    _prepare_and_send(walk)

    [sent] = _sent(smtp_server)
    assert "We received your request" in sent["Subject"]


def test_an_agents_reply_is_mailed_to_the_requester_and_kept_copies_only(
    mailbox, mail_desk, walk, smtp_server
):
    intake = services.mail_receive(mailbox=mailbox, raw=corpus_mail("cc_recorded"))
    ticket = ticket_for_channel(number=intake.ticket_number)
    services.mail_receive(
        mailbox=mailbox,
        raw=_mail(
            subject=f"Re: [{ticket.number}]",
            body="Nog iets.",
            headers={"Cc": "nieuw@dordrecht.example"},
        ),
    )
    ticket_services.ticket_reply(actor=mail_desk.agent, ticket=ticket, body="Probeer dit eens.")

    _prepare_and_send(walk)

    reply = next(m for m in _sent(smtp_server) if "Reactie" in m["Subject"])
    assert reply["To"] == "jan@dordrecht.example"
    assert reply["Cc"] == "els@dordrecht.example"
    assert "Probeer dit eens." in reply.get_body(("plain",)).get_content()
    assert "Auto-Submitted" not in reply
    assert TicketCopy.objects.get(address="nieuw@dordrecht.example").kept is False


def test_resolved_mail_carries_the_satisfaction_link_from_the_hook(
    mailbox, mail_desk, walk, smtp_server, settings
):
    settings.EENLOKET_SATISFACTION_URL = "tests.channels.email.test_services.survey_link"
    number = _open(mailbox)
    ticket_services.ticket_resolve(
        actor=mail_desk.agent, ticket=ticket_for_channel(number=number), resolution="Vervangen."
    )

    _prepare_and_send(walk)

    resolved = next(m for m in _sent(smtp_server) if "opgelost" in m["Subject"])
    assert f"https://enquete.example/{number}" in resolved.get_body(("plain",)).get_content()


def survey_link(ticket):
    return f"https://enquete.example/{ticket.number}"


def test_a_reopened_ticket_is_announced(mailbox, mail_desk, walk, smtp_server):
    number = _open(mailbox)
    ticket = ticket_for_channel(number=number)
    ticket_services.ticket_resolve(actor=mail_desk.agent, ticket=ticket, resolution="Klaar.")
    ticket_services.ticket_reopen(actor=mail_desk.agent, ticket=ticket, reason="Toch niet.")

    _prepare_and_send(walk)

    kinds = sorted(OutboundMessage.objects.values_list("kind", flat=True))
    assert kinds == ["received", "reopened", "resolved"]


def test_internal_notes_are_never_mailed(mailbox, mail_desk, walk, smtp_server):
    number = _open(mailbox)
    ticket_services.ticket_note(
        actor=mail_desk.agent, ticket=ticket_for_channel(number=number), body="Geheim"
    )

    _prepare_and_send(walk)

    assert all("Geheim" not in m.as_string() for m in _sent(smtp_server))


def test_the_walk_never_creates_a_notification_twice(mailbox, walk, smtp_server):
    _open(mailbox)
    _prepare_and_send(walk)
    cursor = services.NotificationCursor.objects.get()
    cursor.last_entry_id = 0
    cursor.save()

    _prepare_and_send(walk)

    assert len(smtp_server.messages) == 1


def test_the_first_walk_does_not_mail_the_history(mailbox, at_tuesday_10, smtp_server):
    _open(mailbox)
    at_tuesday_10.shift(dt.timedelta(minutes=1))

    assert services.notifications_prepare() == 0
    assert OutboundMessage.objects.count() == 0


def test_an_smtp_failure_is_retried_later_and_sent_once(mailbox, walk, smtp_server):
    _open(mailbox)
    smtp_server.fail_next = 1

    assert _prepare_and_send(walk) == 0
    outbound = OutboundMessage.objects.get()
    assert (outbound.state, outbound.attempts) == ("pending", 1)
    assert "451" in outbound.last_error
    assert services.outbound_send_due() == 0  # not due yet

    walk.shift(dt.timedelta(minutes=2))
    assert services.outbound_send_due() == 1
    assert services.outbound_send(outbound_id=outbound.pk) == "sent"
    assert len(smtp_server.messages) == 1


def test_a_mail_interrupted_while_sending_is_never_sent_again(mailbox, walk, smtp_server):
    _open(mailbox)
    walk.shift(dt.timedelta(seconds=30))
    services.notifications_prepare()
    outbound = OutboundMessage.objects.get()
    OutboundMessage.objects.filter(pk=outbound.pk).update(state="sending")

    assert services.outbound_send_due() == 0
    assert services.outbound_send(outbound_id=outbound.pk) == "sending"
    assert smtp_server.messages == []


def test_an_administrators_template_is_used(mailbox, walk, smtp_server):
    MailTemplate.objects.create(
        kind="received",
        language="nl",
        subject="Dank voor uw mail",
        text="Nummer {{ number }}, {{ name }}.",
        html="<p>Nummer {{ number }}, {{ name }}.</p>",
    )
    number = _open(mailbox)

    _prepare_and_send(walk)

    [sent] = _sent(smtp_server)
    assert sent["Subject"] == f"[{number}] Dank voor uw mail"
    assert sent.get_body(("plain",)).get_content().strip() == f"Nummer {number}, Jan Jansen."


def test_the_ticket_services_keep_what_the_mail_channel_records(mailbox, at_tuesday_10):
    intake = services.mail_receive(mailbox=mailbox, raw=corpus_mail("reply_quote_gmail"))

    entry = InboundMessage.objects.get(pk=intake.inbound_id).entry
    assert entry.data["mail"]["from"] == "jan@dordrecht.example"
    assert entry.body[entry.data["mail"]["quote_at"] :].startswith("On Tue")


@time_machine.travel(LATER, tick=False)
def test_copy_addresses_need_a_valid_address(mailbox):
    from eenloket.core.exceptions import ValidationFailed

    with pytest.raises(ValidationFailed):
        services.ticket_copy_set(ticket_id=1, address="geen-adres", kept=True)


def test_a_mail_to_two_of_our_mailboxes_makes_one_ticket(mailbox, mail_desk, at_tuesday_10):
    other = Mailbox.objects.create(
        name="HR",
        address="hr@eenloket.example",
        host="127.0.0.1",
        username="hr",
        service=mail_desk.payslip,
    )

    first = services.mail_receive(mailbox=mailbox, raw=corpus_mail("plain_utf8"))
    second = services.mail_receive(mailbox=other, raw=corpus_mail("plain_utf8"))

    assert (first.outcome, second.outcome) == ("opened", "duplicate")
