"""Intake over IMAP from a real Dovecot: moved or flagged after commit, nothing lost or doubled."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from eenloket.channels.email import imap, services
from eenloket.channels.email.exceptions import MailboxUnreachable
from eenloket.channels.email.models import InboundMessage, Mailbox, Quarantine
from eenloket.tickets.selectors import ticket_for_channel
from tests.channels.email.conftest import corpus_mail
from tests.channels.email.corpus.make_corpus import big_mail


def _tickets():
    return sorted(
        InboundMessage.objects.exclude(ticket=None).values_list("ticket__number", flat=True)
    )


def test_fetch_opens_tickets_and_moves_the_mails(imap_mailbox, dovecot, at_tuesday_10):
    dovecot.deliver(corpus_mail("plain_utf8"), corpus_mail("mixed_pdf_attachment"))

    result = imap.mailbox_fetch(imap_mailbox)

    assert result.outcomes == {"opened": 2}
    assert _tickets() == ["M2026-00001", "M2026-00002"]
    assert dovecot.count("INBOX") == 0
    assert dovecot.count("Processed") == 2


def test_flag_mode_leaves_the_mail_flagged_and_takes_it_once(imap_mailbox, dovecot, at_tuesday_10):
    imap_mailbox.after_intake = Mailbox.AfterIntake.FLAG
    imap_mailbox.save()
    dovecot.deliver(corpus_mail("plain_utf8"))

    first = imap.mailbox_fetch(imap_mailbox)
    second = imap.mailbox_fetch(imap_mailbox)

    assert (first.total, second.total) == (1, 0)
    assert dovecot.count("INBOX") == 1
    assert dovecot.flagged("INBOX") == 1


def test_a_crash_between_fetch_and_commit_loses_nothing_and_doubles_nothing(
    imap_mailbox, dovecot, at_tuesday_10, monkeypatch
):
    dovecot.deliver(corpus_mail("plain_utf8"))
    real_open = services.ticket_open

    def open_then_die(**kwargs):
        real_open(**kwargs)
        raise KeyboardInterrupt("worker killed after the ticket was written, before commit")

    monkeypatch.setattr(services, "ticket_open", open_then_die)
    with pytest.raises(KeyboardInterrupt):
        imap.mailbox_fetch(imap_mailbox)

    assert InboundMessage.objects.count() == 0
    assert _tickets() == []
    assert dovecot.count("INBOX") == 1

    monkeypatch.setattr(services, "ticket_open", real_open)
    result = imap.mailbox_fetch(imap_mailbox)

    assert result.outcomes == {"opened": 1}
    assert _tickets() == ["M2026-00001"]
    assert dovecot.count("INBOX") == 0


def test_a_crash_between_commit_and_move_stores_the_mail_once(
    imap_mailbox, dovecot, at_tuesday_10, monkeypatch
):
    dovecot.deliver(corpus_mail("plain_utf8"))

    def die(*args, **kwargs):
        raise KeyboardInterrupt("worker killed after commit, before the move")

    monkeypatch.setattr(imap, "_mark_done", die)
    with pytest.raises(KeyboardInterrupt):
        imap.mailbox_fetch(imap_mailbox)
    monkeypatch.undo()
    assert dovecot.count("INBOX") == 1

    result = imap.mailbox_fetch(imap_mailbox)

    assert result.outcomes == {"duplicate": 1}
    assert _tickets() == ["M2026-00001"]
    assert ticket_for_channel(number="M2026-00001").entries.count() == 1
    assert dovecot.count("INBOX") == 0


def test_the_same_mail_delivered_twice_is_stored_once(imap_mailbox, dovecot, at_tuesday_10):
    dovecot.deliver(corpus_mail("plain_utf8"), corpus_mail("plain_utf8"))

    result = imap.mailbox_fetch(imap_mailbox)

    assert result.outcomes == {"opened": 1, "duplicate": 1}
    assert _tickets() == ["M2026-00001"]
    assert dovecot.count("Processed") == 2


def test_a_bad_mail_is_quarantined_and_does_not_block_the_next(
    imap_mailbox, dovecot, at_tuesday_10
):
    dovecot.deliver(corpus_mail("header_bomb"), corpus_mail("plain_utf8"))

    result = imap.mailbox_fetch(imap_mailbox)

    assert result.outcomes == {"quarantined": 1, "opened": 1}
    assert Quarantine.objects.get().reason == "header_bomb"
    assert dovecot.count("INBOX") == 0


def test_a_database_failure_leaves_that_mail_in_the_inbox_and_takes_the_next(
    imap_mailbox, dovecot, at_tuesday_10, monkeypatch
):
    dovecot.deliver(corpus_mail("plain_utf8"), corpus_mail("mixed_pdf_attachment"))
    real_receive = services.mail_receive
    calls = []

    def fail_first(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        return real_receive(**kwargs)

    monkeypatch.setattr(services, "mail_receive", fail_first)
    result = imap.mailbox_fetch(imap_mailbox)

    assert result.outcomes == {"opened": 1}
    assert len(result.errors) == 1
    assert dovecot.count("INBOX") == 1
    assert "database went away" in Mailbox.objects.get().last_error


@pytest.mark.slow
def test_a_50_mb_mail_is_quarantined_over_imap_and_the_next_is_taken_in(
    imap_mailbox, dovecot, at_tuesday_10
):
    dovecot.deliver(big_mail(50), corpus_mail("plain_utf8"))

    result = imap.mailbox_fetch(imap_mailbox)

    assert result.outcomes == {"quarantined": 1, "opened": 1}
    assert Quarantine.objects.get().reason == "too_large"


def test_a_wrong_password_is_a_clear_error(imap_mailbox, at_tuesday_10):
    services.mailbox_set_secret(mailbox=imap_mailbox, secret="wrong")

    with pytest.raises(MailboxUnreachable, match="cannot sign in"):
        imap.mailbox_fetch(imap_mailbox)

    assert "cannot sign in" in Mailbox.objects.get().last_error


def test_the_password_can_come_from_the_environment(imap_mailbox, dovecot, monkeypatch):
    imap_mailbox.secret_encrypted = ""
    imap_mailbox.secret_env = "TEST_MAILBOX_PASSWORD"
    imap_mailbox.save()
    monkeypatch.setenv("TEST_MAILBOX_PASSWORD", "desk-secret")

    assert imap.mailbox_fetch(imap_mailbox).total == 0


def test_the_fetch_command_prints_progress_and_a_summary(
    imap_mailbox, dovecot, at_tuesday_10, capsys
):
    dovecot.deliver(corpus_mail("plain_utf8"), corpus_mail("auto_submitted"))

    call_command("mail", "fetch")

    out = capsys.readouterr().out
    assert "Centraal: 2 of 2 mails taken in" in out
    assert "Done: 2 mails (1 auto_reply, 1 opened)." in out


def test_the_fetch_command_names_an_unknown_mailbox(mailbox):
    with pytest.raises(CommandError, match="No mailbox named 'Elders' \\(known: Centraal\\)"):
        call_command("mail", "fetch", "--mailbox", "Elders")


def test_the_fetch_command_fails_when_a_mailbox_cannot_be_reached(mailbox, capsys):
    with pytest.raises(CommandError, match="1 problem"):
        call_command("mail", "fetch")

    assert "cannot sign in" in capsys.readouterr().err


def test_the_worker_task_fetches_every_active_mailbox(imap_mailbox, dovecot, at_tuesday_10):
    from eenloket.channels.email.tasks import mail_fetch

    dovecot.deliver(corpus_mail("plain_utf8"))

    assert mail_fetch.call() == 1


def test_an_oauth2_mailbox_signs_in_with_xoauth2(mailbox, monkeypatch):
    calls = []

    class Server:
        def __init__(self, host, **kwargs):
            calls.append(("connect", host, kwargs["ssl"]))

        def oauth2_login(self, user, token):
            calls.append(("xoauth2", user, token))

    monkeypatch.setattr(imap, "IMAPClient", Server)
    mailbox.auth = Mailbox.Auth.XOAUTH2
    mailbox.security = Mailbox.Security.SSL
    mailbox.host = "outlook.office365.com"
    services.mailbox_set_secret(mailbox=mailbox, secret="eyJ0eXAi.token")

    imap.connect(mailbox)

    assert calls == [
        ("connect", "outlook.office365.com", True),
        ("xoauth2", "desk", "eyJ0eXAi.token"),
    ]
