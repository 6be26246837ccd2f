"""A mail's HTML in the agent's timeline: in a sandboxed frame of its own, inert, remote
images only after an agent chose to load them (recorded), inline images from the mail."""

import json

import pytest
from django.urls import reverse

from eenloket.channels.email import services
from eenloket.channels.email.models import InboundMessage
from eenloket.core.models import AuditEvent
from tests.channels.email.conftest import CORPUS, corpus_mail
from tests.channels.email.corpus.make_corpus import alternative

MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
XSS = [case for case in MANIFEST if case["name"].startswith("xss_")]
# What the vectors would leave behind if anything got through, in the page or the frame.
PAYLOAD_TRACES = ["alert(", "evil.example", "tracker.example", "evil.swf", "onerror=", "onload="]
TRACKER = "https://tracker.example/pixel.gif"


def _take_in(mailbox, name):
    return services.mail_receive(mailbox=mailbox, raw=corpus_mail(name))


def _remote_image_mail(mailbox, subject="Met plaatje"):
    raw = bytes(
        alternative(
            "Zie het plaatje.",
            f'<p>Zie <img src="{TRACKER}" alt="plaatje"> en <b>dit</b>.</p>',
            subject=subject,
        )
    )
    return services.mail_receive(mailbox=mailbox, raw=raw)


def _ticket_page(client, intake) -> str:
    response = client.get(reverse("workspace:ticket", args=[intake.ticket_number]))
    assert response.status_code == 200
    return response.content.decode()


def _frame(client, intake):
    return client.get(reverse("email_channel:frame", args=[intake.inbound_id]))


def _frame_body(response) -> str:
    return response.content.decode().split("<body>", 1)[1].lower()


def _allow(client, intake):
    return client.post(reverse("email_channel:remote_images", args=[intake.inbound_id]))


@pytest.mark.parametrize("case", XSS, ids=[case["name"] for case in XSS])
def test_the_xss_corpus_stays_inert_in_the_timeline(
    case, client, mail_desk, mailbox, at_tuesday_10
):
    intake = _take_in(mailbox, case["name"])
    client.force_login(mail_desk.agent)

    page = _ticket_page(client, intake).lower()
    frame = _frame(client, intake)

    assert [trace for trace in PAYLOAD_TRACES if trace in page] == []
    assert [markup for markup in case["html_forbidden"] if markup in _frame_body(frame)] == []
    assert frame["Content-Security-Policy"].startswith("sandbox allow-popups")
    assert "default-src 'none'" in frame["Content-Security-Policy"]


def test_the_page_shows_the_frame_and_keeps_the_text_version(
    client, mail_desk, mailbox, at_tuesday_10
):
    intake = _take_in(mailbox, "alternative_text_html")
    client.force_login(mail_desk.agent)

    page = _ticket_page(client, intake)
    frame = _frame(client, intake)

    assert f'src="{reverse("email_channel:frame", args=[intake.inbound_id])}"' in page
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in page
    assert "Tekst versie." in page  # the text version, for screen readers and as fallback
    assert "<p>HTML <b>versie</b>.</p>" in frame.content.decode()
    assert "<b>versie" not in page
    assert (frame["X-Frame-Options"], frame["Referrer-Policy"]) == ("SAMEORIGIN", "no-referrer")


def test_a_mail_without_html_shows_its_text_and_no_frame(client, mail_desk, mailbox, at_tuesday_10):
    intake = _take_in(mailbox, "plain_utf8")
    client.force_login(mail_desk.agent)

    page = _ticket_page(client, intake)

    assert "<iframe" not in page
    assert "Text version" not in page and "Tekstversie" not in page


def test_remote_images_are_absent_until_an_agent_loads_them(
    client, mail_desk, mailbox, at_tuesday_10
):
    intake = _remote_image_mail(mailbox)
    client.force_login(mail_desk.agent)
    before_page, before_frame = _ticket_page(client, intake), _frame(client, intake)

    response = _allow(client, intake)
    after_page, after_frame = _ticket_page(client, intake), _frame(client, intake)

    assert TRACKER not in before_page + before_frame.content.decode()
    assert "img-src data:;" in before_frame["Content-Security-Policy"]
    assert response.url.endswith(f"#entry-{InboundMessage.objects.get().entry_id}")
    assert f'src="{TRACKER}"' in after_frame.content.decode()
    assert "img-src data: https: http:;" in after_frame["Content-Security-Policy"]
    assert TRACKER not in after_page  # still only in the frame
    assert "Load remote images" in before_page
    assert "Load remote images" not in after_page


def test_loading_remote_images_is_recorded(client, mail_desk, mailbox, at_tuesday_10):
    intake = _remote_image_mail(mailbox)
    client.force_login(mail_desk.agent)

    _allow(client, intake)

    inbound = InboundMessage.objects.get()
    assert inbound.remote_images_allowed_by == mail_desk.agent
    assert inbound.remote_images_allowed_at is not None
    event = AuditEvent.objects.get(action="remote_images_loaded")
    assert (event.actor, event.object_id) == (mail_desk.agent, str(inbound.pk))
    assert "servicedesk" in _ticket_page(client, intake) or mail_desk.agent.get_full_name() in (
        _ticket_page(client, intake)
    )


def test_the_inline_image_is_shown_from_the_stored_part(client, mail_desk, mailbox, at_tuesday_10):
    intake = _take_in(mailbox, "related_inline_cid_image")
    client.force_login(mail_desk.agent)

    body = _frame_body(_frame(client, intake))

    assert '<img src="data:image/png;base64,ivborw0kggo' in body
    assert "cid:" not in body


@pytest.mark.parametrize("role", ["hr_specialist", "customer", "change_lead"])
def test_someone_who_does_not_work_the_ticket_gets_not_found(
    client, mail_desk, mailbox, at_tuesday_10, role
):
    intake = _remote_image_mail(mailbox)
    client.force_login(getattr(mail_desk, role))

    assert (_frame(client, intake).status_code, _allow(client, intake).status_code) == (404, 404)
    assert InboundMessage.objects.get().remote_images_allowed_at is None


def test_anonymous_is_sent_to_the_login(client, mailbox, at_tuesday_10):
    intake = _remote_image_mail(mailbox)

    assert _frame(client, intake).url.startswith(reverse("login"))


def test_a_mail_without_remote_images_says_so(client, mail_desk, mailbox, at_tuesday_10):
    intake = _take_in(mailbox, "alternative_text_html")
    client.force_login(mail_desk.agent)

    response = client.get(_allow(client, intake).url)

    assert "This mail has no remote images." in response.content.decode()
    assert AuditEvent.objects.filter(action="remote_images_loaded").count() == 0


def test_the_ticket_page_asks_once_for_all_its_mails_with_remote_images(
    client, mail_desk, mailbox, at_tuesday_10, django_assert_num_queries
):
    first = _remote_image_mail(mailbox)
    number = first.ticket_number
    client.force_login(mail_desk.agent)
    url = reverse("workspace:ticket", args=[number])
    client.get(url)  # loads the business calendar into its cache
    # the page's 9, one for the loaded remote images, the access log's INSERT
    with django_assert_num_queries(11):
        client.get(url)
    for n in range(3):
        _remote_image_mail(mailbox, subject=f"Re: [{number}] nog een plaatje {n}")

    with django_assert_num_queries(11):
        response = client.get(url)

    assert response.content.decode().count("<iframe") == 4
