"""Administrators configure mailboxes (secrets never shown back) and work the quarantine."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from eenloket.channels.email import services
from eenloket.channels.email.credentials import secret_of
from eenloket.channels.email.exceptions import MailboxSecretMissing
from eenloket.channels.email.models import Mailbox, Quarantine
from tests.channels.email.conftest import corpus_mail


def _mailbox_form(mail_desk, **overrides):
    data = {
        "name": "HR",
        "address": "hr@eenloket.example",
        "is_active": "on",
        "host": "imap.example.org",
        "port": "993",
        "security": "ssl",
        "username": "hr",
        "auth": "xoauth2",
        "secret": "token-123",
        "secret_env": "",
        "folder": "INBOX",
        "after_intake": "move",
        "processed_folder": "Verwerkt",
        "service": str(mail_desk.payslip.pk),
        "allowed_domains": "dordrecht.example",
        "language": "nl",
        "rate_limit_per_hour": "20",
    }
    return {**data, **overrides}


def test_an_administrator_adds_a_mailbox_with_an_oauth2_token_stored_encrypted(client, mail_desk):
    client.force_login(mail_desk.admin)

    response = client.post(reverse("admin:email_channel_mailbox_add"), _mailbox_form(mail_desk))

    assert response.status_code == 302
    mailbox = Mailbox.objects.get(name="HR")
    assert "token-123" not in mailbox.secret_encrypted
    assert secret_of(mailbox) == "token-123"


def test_the_secret_is_never_shown_back_and_an_empty_field_keeps_it(client, mailbox, mail_desk):
    client.force_login(mail_desk.admin)
    url = reverse("admin:email_channel_mailbox_change", args=[mailbox.pk])

    page = client.get(url)
    client.post(url, _mailbox_form(mail_desk, name="Centraal", secret=""))

    assert page.status_code == 200
    assert "desk-secret" not in page.content.decode()
    assert mailbox.secret_encrypted not in page.content.decode()
    assert secret_of(Mailbox.objects.get(pk=mailbox.pk)) == "desk-secret"


def test_a_mailbox_without_any_secret_is_refused_with_a_message(client, mail_desk):
    client.force_login(mail_desk.admin)

    response = client.post(
        reverse("admin:email_channel_mailbox_add"), _mailbox_form(mail_desk, secret="")
    )

    assert "Enter a password or token, or the environment variable" in response.content.decode()
    assert not Mailbox.objects.exists()


def test_the_quarantine_lists_the_reason(
    client, mailbox, mail_desk, at_tuesday_10, django_assert_max_num_queries
):
    for name in ("header_bomb", "no_from", "unknown_sender_domain"):
        services.mail_receive(mailbox=mailbox, raw=corpus_mail(name))
    client.force_login(mail_desk.admin)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:email_channel_quarantine_changelist"))

    page = response.content.decode()
    assert "Too many or too long headers" in page
    assert "No valid sender" in page
    assert "Unknown sender (review)" in page


def test_the_retry_action_reports_a_mail_still_quarantined(
    client, mailbox, mail_desk, at_tuesday_10
):
    services.mail_receive(mailbox=mailbox, raw=corpus_mail("unknown_sender_domain"))
    quarantine = Quarantine.objects.get()
    client.force_login(mail_desk.admin)

    response = client.post(
        reverse("admin:email_channel_quarantine_changelist"),
        {"action": "retry", "_selected_action": [quarantine.pk]},
        follow=True,
    )

    assert "Still quarantined: Unknown sender (review)" in response.content.decode()


def test_an_administrator_turns_a_quarantined_mail_into_a_ticket(
    client, mailbox, mail_desk, at_tuesday_10
):
    services.mail_receive(mailbox=mailbox, raw=corpus_mail("unknown_sender_domain"))
    quarantine = Quarantine.objects.get()
    client.force_login(mail_desk.admin)
    url = reverse("admin:email_channel_quarantine_changelist")

    form = client.post(url, {"action": "to_ticket", "_selected_action": [quarantine.pk]})
    done = client.post(
        url,
        {
            "action": "to_ticket",
            "_selected_action": [quarantine.pk],
            "apply": "1",
            "email": "jan@dordrecht.example",
            "title": "",
        },
        follow=True,
    )

    assert "Requester&#x27;s email address" in form.content.decode()
    assert "Ticket M2026-00001 opened." in done.content.decode()
    assert Quarantine.objects.get().state == "resolved"


def test_turning_into_a_ticket_needs_a_known_person(client, mailbox, mail_desk, at_tuesday_10):
    services.mail_receive(mailbox=mailbox, raw=corpus_mail("unknown_sender_domain"))
    quarantine = Quarantine.objects.get()
    client.force_login(mail_desk.admin)

    response = client.post(
        reverse("admin:email_channel_quarantine_changelist"),
        {
            "action": "to_ticket",
            "_selected_action": [quarantine.pk],
            "apply": "1",
            "email": "niemand@elders.example",
        },
    )

    assert "No person has this address" in response.content.decode()
    assert Quarantine.objects.get().state == "open"


def test_a_template_with_an_error_is_refused(client, mail_desk):
    client.force_login(mail_desk.admin)

    response = client.post(
        reverse("admin:email_channel_mailtemplate_add"),
        {"kind": "reply", "language": "nl", "subject": "x", "text": "{% if %}", "html": "<p>x</p>"},
    )

    assert "The template has an error" in response.content.decode()


def test_a_stored_secret_survives_a_rotation_of_secret_key_with_the_old_one_as_fallback(
    mailbox, settings
):
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    with pytest.raises(MailboxSecretMissing, match="SECRET_KEY_FALLBACKS"):
        secret_of(mailbox)
    settings.SECRET_KEY_FALLBACKS = [old]
    assert secret_of(mailbox) == "desk-secret"


def test_rekey_rewrites_mailbox_secrets_under_the_new_secret_key(mailbox, settings):
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = [old]
    out = io.StringIO()
    call_command("secrets", "rekey", stdout=out)
    assert "mail: 1 mailbox secrets rewritten under the current key\n" in out.getvalue()
    settings.SECRET_KEY_FALLBACKS = []
    assert secret_of(Mailbox.objects.get(pk=mailbox.pk)) == "desk-secret"


def test_rekey_names_the_mailboxes_whose_secret_it_cannot_read(mailbox, settings):
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    out = io.StringIO()
    call_command("secrets", "rekey", stdout=out)
    assert (
        "mail: 0 mailbox secrets rewritten under the current key; 1 cannot be read: enter them "
        f"again in the admin for {mailbox.name}\n"
    ) in out.getvalue()
