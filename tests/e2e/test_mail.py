"""A mail's HTML in the browser: it shows in its sandboxed frame with its inline image, and no
request leaves the machine until the agent chooses to load the remote images."""

import base64
import re
from email.message import EmailMessage

from playwright.sync_api import expect

from eenloket.channels.email import services
from eenloket.channels.email.models import Mailbox
from tests import factories as f
from tests.e2e.conftest import axe_violations, log_in

TRACKER = "https://tracker.example/pixel.gif"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
LOCAL = re.compile(r"^https?://(127\.0\.0\.1|localhost)[:/]")


def _mail() -> bytes:
    msg = EmailMessage()
    msg["From"] = "Jan Jansen <jan@dordrecht.example>"
    msg["To"] = "servicedesk@eenloket.example"
    msg["Subject"] = "Printer met plaatje"
    msg["Message-ID"] = "<e2e-html@dordrecht.example>"
    msg.set_content("De printer geeft een foutcode.")
    msg.add_alternative(
        f'<p>De <b>printer</b> geeft een foutcode.</p><img src="cid:logo1" alt="foto">'
        f'<p><img src="{TRACKER}" alt="volgpixel"></p>',
        subtype="html",
    )
    msg.get_payload()[1].add_related(PNG, "image", "png", cid="<logo1>")
    return bytes(msg)


def _take_in(desk) -> str:
    desk.organization.email_domain = "dordrecht.example"
    desk.organization.save()
    f.PersonFactory(organization=desk.organization, email="jan@dordrecht.example")
    mailbox = Mailbox.objects.create(
        name="Centraal",
        address="servicedesk@eenloket.example",
        host="127.0.0.1",
        username="desk",
        service=desk.laptop,
    )
    return services.mail_receive(mailbox=mailbox, raw=_mail()).ticket_number


def test_the_html_mail_shows_and_nothing_leaves_the_machine_before_consent(page, desk):
    number = _take_in(desk)
    outside = []

    def answer_outside(route):
        # Recorded and answered here: even after consent nothing really leaves the machine.
        outside.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=PNG)

    page.context.route(lambda url: not LOCAL.match(url), answer_outside)
    log_in(page, "servicedesk")

    page.goto(f"/werkplek/meldingen/{number}/")
    frame_element = page.locator("iframe.mail-html__frame")
    frame_element.scroll_into_view_if_needed()
    frame = page.frame_locator("iframe.mail-html__frame")
    expect(frame.locator("b")).to_have_text("printer")
    expect(frame.locator("img[alt=foto]")).to_have_js_property("naturalWidth", 1)
    expect(frame.locator("img[alt=volgpixel]")).not_to_have_attribute("src", TRACKER)
    page.wait_for_load_state("networkidle")
    before = list(outside)
    assert axe_violations(page) == []

    page.get_by_role("button", name="Laad externe afbeeldingen").click()
    page.wait_for_url(re.compile(rf"/werkplek/meldingen/{number}/#entry-\d+$"))
    page.locator("iframe.mail-html__frame").scroll_into_view_if_needed()
    expect(frame.locator("img[alt=volgpixel]")).to_have_js_property("naturalWidth", 1)

    assert before == []
    assert outside == [TRACKER]
    expect(page.get_by_text("Externe afbeeldingen geladen op verzoek van")).to_be_visible()
