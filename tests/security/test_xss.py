"""Stored and reflected XSS: known attack strings go in through every input a user has (ticket
subject and text, reply, note, handover, counter visit, request form fields, person and
organization names, mail subject and HTML, article Markdown, survey comment, and every search
box and query parameter), then every page that can show them is rendered, for the people who
see them, and checked for active markup: no script of ours that is not a static file, no
event-handler attribute, no javascript: or data: link, no frame, object, base or style
attribute. Django escapes on output and nh3 sanitizes mail HTML: this shows that it holds
everywhere, including htmx fragments and hand-built HTML (reports, forms)."""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from eenloket.channels.email import services as mail
from eenloket.channels.email.models import Mailbox
from eenloket.knowledge import services as knowledge
from eenloket.surveys import services as surveys
from eenloket.tickets import services
from tests import factories as f
from tests.knowledge.factories import publish
from tests.security.test_access import resolved_urls

pytestmark = pytest.mark.slow

# Known vectors: a script element, event handlers on img and svg, javascript: URLs, breaking
# out of an attribute (both quotes) and of a textarea/title, and template syntax (Django's
# and the ones client libraries evaluate).
PAYLOADS = [
    "<script>alert('xss1')</script>",
    "<img src=x onerror=alert('xss2')>",
    "<svg onload=alert('xss3')>",
    "<a href=\"javascript:alert('xss4')\">klik</a>",
    "\"><img src=x onerror=alert('xss5')>",
    "'><svg/onload=alert('xss6')>",
    "</textarea></title><script>alert('xss7')</script>",
    "{{ request.user.password }}{% debug %}${alert('xss8')}#{7*7}",
    "<iframe src=\"javascript:alert('xss9')\"></iframe><object data=x></object>",
    '<div style="background:url(javascript:alert(\'xss10\'))" hx-get="/uitloggen/">x</div>',
]
ALL = " ".join(PAYLOADS)
MARKDOWN = (
    f"{ALL}\n\n[klik](javascript:alert('md1')) ![plaatje](javascript:alert('md2'))\n\n"
    "<a href=\"javascript:alert('md3')\">a</a> [data](data:text/html,<script>alert(1)</script>)"
)
OUR_SCRIPTS = "/static/"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "applet"}


def is_our_mail_frame(tag: str, attributes: dict) -> bool:
    """The timeline shows a mail's sanitized HTML in a frame of ours that may run nothing
    (its own document and CSP are tested in tests/channels/email)."""
    sandbox = attributes.get("sandbox")
    return (
        tag == "iframe"
        and (attributes.get("src") or "").startswith("/werkplek/mail/")
        and sandbox is not None
        and not {"allow-scripts", "allow-same-origin"} & set(sandbox.split())
        and "srcdoc" not in attributes
    )


class ActiveMarkup(HTMLParser):
    """Collects every piece of markup that could run a script."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.in_script = True
            if not (attributes.get("src") or "").startswith(OUR_SCRIPTS):
                self.found.append(f"<script src={attributes.get('src')!r}>")
        if tag in FORBIDDEN_TAGS and not is_our_mail_frame(tag, attributes):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name == "style":
                self.found.append(f"<{tag} style=…>")
            if name.startswith("hx-") and "uitloggen" in value:
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"<{tag} {name}={value[:30]!r}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.found.append(f"inline script {data.strip()[:40]!r}")


def active_markup(html: str) -> list[str]:
    parser = ActiveMarkup()
    parser.feed(html)
    return parser.found


@pytest.fixture
def poisoned(world, at_tuesday_10, django_capture_on_commit_callbacks):
    """The world with the attack strings stored through every input."""
    desk = world.desk
    desk.person.first_name = PAYLOADS[1]
    desk.person.last_name = PAYLOADS[4]
    desk.person.save()
    desk.organization.name = PAYLOADS[5]
    desk.organization.save()
    form_field = f.RequestFieldFactory(service=desk.laptop, key="omschrijving")
    ticket = services.ticket_open(
        actor=desk.customer,
        requester=desk.person,
        service=desk.laptop,
        channel="portal",
        title=PAYLOADS[0][:120],
        description=ALL,
        form_data={form_field.key: PAYLOADS[2]},
    )
    services.ticket_reply(actor=desk.agent, ticket=ticket, body=ALL)
    services.ticket_note(actor=desk.agent, ticket=ticket, body=ALL)
    services.ticket_log_contact(actor=desk.agent, ticket=ticket, kind="counter_visit", body=ALL)
    services.ticket_log_contact(actor=desk.agent, ticket=ticket, kind="call", body=ALL)
    services.ticket_hand_over(
        actor=desk.agent, ticket=ticket, department=desk.it, question=ALL, tried=ALL, needed=ALL
    )
    services.ticket_add_customer_message(
        actor=desk.customer, ticket=ticket, person=desk.person, body=ALL, channel="portal"
    )
    with django_capture_on_commit_callbacks(execute=True):  # the survey invitation
        services.ticket_resolve(actor=desk.it_specialist, ticket=ticket, resolution=ALL)
    surveys.survey_answer_by_customer(
        actor=desk.customer, ticket=ticket, grade=2, answered=False, comment=ALL
    )
    publish(
        desk,
        title=PAYLOADS[6][:120],
        body=MARKDOWN,
        files=[knowledge.FileUpload(name=f"{PAYLOADS[3][:40]}.txt", content=b"x")],
    )
    intake = _mail_in(desk)
    assert intake.ticket_number, intake
    ticket.refresh_from_db()
    world.ticket_a = ticket
    # The mail's own ticket, in the agents' and the customer's pages.
    world.extra_urls = [
        reverse("workspace:ticket", args=[intake.ticket_number]),
        reverse("portal:ticket", args=[intake.ticket_number]),
    ]
    return world


def _mail_in(desk):
    desk.organization.email_domain = "dordrecht.example"
    desk.organization.save()
    f.PersonFactory(
        organization=desk.organization, email="jan@dordrecht.example", last_name=PAYLOADS[7]
    )
    mailbox = Mailbox.objects.create(
        name="Centraal",
        address="servicedesk@eenloket.example",
        host="127.0.0.1",
        port=1,
        security=Mailbox.Security.NONE,
        username="desk",
        service=desk.laptop,
    )
    message = EmailMessage()
    message["From"] = Address(display_name=PAYLOADS[4], addr_spec="jan@dordrecht.example")
    message["To"] = "servicedesk@eenloket.example"
    message["Subject"] = PAYLOADS[0]
    message["Message-ID"] = "<xss@corpus>"
    message.set_content(ALL)
    message.add_alternative(f"<html><body><p>Hallo</p>{ALL}{MARKDOWN}</body></html>", "html")
    return mail.mail_receive(mailbox=mailbox, raw=message.as_bytes())


# Reflected: every query parameter a page reads, with an attack string.
QUERY = urlencode(dict.fromkeys(("q", "zoek", "view", "na", "status", "dag"), PAYLOADS[4]))


@pytest.mark.parametrize(
    "role", ["customer_a", "first_line", "it_specialist", "team_lead", "administrator"]
)
def test_no_page_shows_active_markup_from_user_input(poisoned, role):
    client = poisoned.client(role)
    problems, shown = [], set()
    pages = [url for _route, url, row in resolved_urls(poisoned) if not row["api"]]
    for url in pages + poisoned.extra_urls:
        if "uitloggen" in url:
            continue
        for target in (url, f"{url}?{QUERY}"):
            client.force_login(poisoned.users[role])
            # With the query, as htmx asks: the fragments are rendered too.
            htmx = {"HX-Request": "true"} if "?" in target else {}
            response = client.get(target, headers=htmx)
            if "html" not in response.get("Content-Type", "") or response.streaming:
                continue
            html = response.content.decode("utf-8", "replace")
            if "xss" in html:
                shown.add(url)  # the attack strings did reach this page, inert
            found = active_markup(html)
            if found:
                problems.append(f"{role} GET {target} -> {sorted(set(found))}")
            if response.status_code >= 500:
                problems.append(f"{role} GET {target} -> {response.status_code}")
    assert not problems, "\n".join(problems)
    # Not a vacuous pass: the strings are on the pages that show tickets, people and articles.
    assert len(shown) >= MIN_PAGES_SHOWING[role], sorted(shown)


MIN_PAGES_SHOWING = {
    "customer_a": 4,
    "first_line": 10,
    "it_specialist": 10,
    "team_lead": 10,
    "administrator": 10,
}


def test_the_checker_sees_each_vector_when_it_is_not_escaped():
    """The checker itself: every payload, unescaped, is caught."""
    assert [bool(active_markup(payload)) for payload in PAYLOADS[:7] + PAYLOADS[8:]] == [True] * 9
