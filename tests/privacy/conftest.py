"""A person with data of every kind the desk keeps, and another person beside them.

Their names, address and numbers are unusual on purpose: a search of every database row and
every stored file for them finds only what the privacy app failed to remove.
"""

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine
from django.core.files.base import ContentFile

from eenloket.channels.email.models import InboundMessage, Mailbox, OutboundMessage, Quarantine
from eenloket.channels.phone.models import Call, Recording
from eenloket.directory.services import person_update
from eenloket.knowledge.models import Article, ArticleFeedback, PortalSearch
from eenloket.tickets import services
from eenloket.tickets.services import Upload
from tests import factories as f
from tests.counter.factories import AppointmentFactory, VisitFactory
from tests.factories import PDF, TUESDAY_10
from tests.reports.factories import invite

NAME = ("Zwanette", "Oosterbroekstra")
EMAIL = "zwanette.oosterbroekstra@dordrecht.example"
PHONE = "+31786395417"
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt zwanette-stem"


@dataclass
class World:
    person: object
    other: object
    ticket: object  # closed, with an attachment, a call with a recording, a visit, a survey
    other_ticket: object
    call: object
    recording: object
    quarantine: object
    inbound: object


def _recording(call, content: bytes) -> Recording:
    import hashlib

    recording = Recording(
        call=call,
        content_type="audio/wav",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_at=call.started_at,
    )
    recording.file.save("x.wav", ContentFile(content), save=False)
    recording.save()
    return recording


def _closed_ticket(desk, requester, title: str, text: str, filename: str):
    ticket = services.ticket_open(
        actor=desk.agent,
        requester=requester,
        service=desk.laptop,
        channel="phone",
        title=title,
        description=text,
        files=[Upload(name=filename, content=PDF + text.encode())],
    )
    ticket = services.ticket_resolve(
        actor=desk.agent, ticket=ticket, resolution=f"Opgelost: {text}"
    )
    services.ticket_close(actor=desk.agent, ticket=ticket)
    ticket.refresh_from_db()
    return ticket


@pytest.fixture
def world(desk) -> World:
    with time_machine.travel(TUESDAY_10, tick=False):
        person = f.PersonFactory(
            organization=desk.organization,
            first_name=NAME[0],
            last_name=NAME[1],
            email=EMAIL,
            phone=PHONE,
            employee_number="ZW-77123",
            user=f.UserFactory(username="zoosterbroekstra", email=EMAIL, first_name=NAME[0]),
        )
        person_update(actor=desk.admin, person=person, job_title="Beleidsmedewerker Zwanette")
        other = f.PersonFactory(
            organization=desk.organization, first_name="Gerrit", last_name="Buitenhof"
        )
        ticket = _closed_ticket(
            desk, person, f"Laptop van {NAME[0]} {NAME[1]}", f"Bel mij op {PHONE}", "zwanette.pdf"
        )
        other_ticket = _closed_ticket(
            desk, other, "Printer van Gerrit", "Printer Buitenhof piept", "gerrit.pdf"
        )
        invite(ticket, grade=4, answered=False, comment=f"Slecht geholpen, {NAME[0]}")
        invite(other_ticket, grade=9, answered=True, comment="Prima, Gerrit")
        call = Call.objects.create(
            call_id="zw-1",
            direction=Call.Direction.IN,
            from_number=PHONE,
            number=PHONE,
            match=Call.Match.KNOWN,
            person=person,
            organization=desk.organization,
            state=Call.State.ENDED,
            result=Call.Result.ANSWERED,
            started_at=TUESDAY_10,
            ticket=ticket,
        )
        recording = _recording(call, WAV)
        other_call = Call.objects.create(
            call_id="gb-1",
            direction=Call.Direction.IN,
            from_number="+31786000111",
            number="+31786000111",
            match=Call.Match.KNOWN,
            person=other,
            organization=desk.organization,
            state=Call.State.ENDED,
            started_at=TUESDAY_10,
            ticket=other_ticket,
        )
        _recording(other_call, b"RIFF gerrit-stem")
        VisitFactory(person=person, identified_as=NAME[1], arrived_at=TUESDAY_10, ticket=ticket)
        AppointmentFactory(person=person, question=f"Pasje kwijt, {NAME[1]}")
        mailbox = Mailbox.objects.create(
            name="Servicedesk",
            address="servicedesk@ssc.example",
            host="imap.example",
            username="sd",
            service=desk.laptop,
        )
        inbound = InboundMessage(
            mailbox=mailbox,
            message_id="<zw-1@dordrecht.example>",
            received_at=TUESDAY_10,
            sender=EMAIL,
            subject=f"Vraag van {NAME[1]}",
            outcome=InboundMessage.Outcome.ADDED,
            ticket=ticket,
        )
        inbound.raw.save("m.eml", ContentFile(f"From: {EMAIL}\n\nHallo".encode()), save=False)
        inbound.save()
        OutboundMessage.objects.create(
            ticket=ticket,
            kind="resolved",
            from_address="servicedesk@ssc.example",
            to=EMAIL,
            subject="Uw melding is opgelost",
            body_text=f"Beste {NAME[0]},",
            body_html=f"<p>Beste {NAME[0]},</p>",
            language="nl",
            message_id="<out-zw-1@ssc.example>",
            created_at=TUESDAY_10,
        )
        spam = InboundMessage(
            mailbox=mailbox,
            message_id="<spam-1@nowhere.example>",
            received_at=TUESDAY_10,
            sender="onbekend@nowhere.example",
            subject="Onleesbaar",
            outcome=InboundMessage.Outcome.QUARANTINED,
        )
        spam.raw.save("q.eml", ContentFile(b"garbage"), save=False)
        spam.save()
        quarantine = Quarantine.objects.create(
            inbound=spam, reason=Quarantine.Reason.UNPARSEABLE, at=TUESDAY_10
        )
        article = Article.objects.create(
            slug="wachtwoord", title="Wachtwoord", department=desk.it, created_at=TUESDAY_10
        )
        ArticleFeedback.objects.create(
            article=article, user=person.user, helpful=True, at=TUESDAY_10
        )
        PortalSearch.objects.create(user=person.user, query=f"verlof {NAME[1]}", at=TUESDAY_10)
    return World(
        person=person,
        other=other,
        ticket=ticket,
        other_ticket=other_ticket,
        call=call,
        recording=recording,
        quarantine=quarantine,
        inbound=inbound,
    )


def years(n: int) -> dt.timedelta:
    return dt.timedelta(days=365 * n)
