"""A world with two customer organizations and two departments, and something secret in
each corner of it: the access and XSS tests look for the secrets where they must not be."""

from dataclasses import dataclass, field

import pytest
from django.test import Client

from eenloket.directory.roles import Role
from eenloket.tickets import services
from tests import factories as f
from tests.apiclient import key_for

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Strings that only the people allowed to see them may ever get back.
TICKET_A = "CANARYTICKETA"  # customer A's laptop ticket, handed over to IT
NOTE_A = "CANARYNOTEA"  # an internal note on it (never for customers)
TICKET_B = "CANARYTICKETB"  # customer B's payslip question, at HR
NOTE_B = "CANARYNOTEB"  # an internal note on it
PERSON_B = "CANARYPERSONB"  # customer B's family name
ALL_CANARIES = frozenset({TICKET_A, NOTE_A, TICKET_B, NOTE_B, PERSON_B})

# What each role must never receive, anywhere.
FORBIDDEN = {
    "anonymous": ALL_CANARIES,
    "customer_a": frozenset({NOTE_A, TICKET_B, NOTE_B, PERSON_B}),
    "customer_b": frozenset({TICKET_A, NOTE_A, NOTE_B}),
    "first_line": frozenset(),
    "it_specialist": frozenset({TICKET_B, NOTE_B}),
    "hr_specialist": frozenset({TICKET_A, NOTE_A}),
    "team_lead": frozenset(),
    "change_lead": frozenset({TICKET_A, NOTE_A, TICKET_B, NOTE_B}),
    "administrator": frozenset(),
    "key_customer_a": frozenset({NOTE_A, TICKET_B, NOTE_B, PERSON_B}),
    "key_it_specialist": frozenset({TICKET_B, NOTE_B}),
    "key_first_line": frozenset(),
}
ROLES = tuple(FORBIDDEN)
KEY_ROLES = frozenset({"key_customer_a", "key_it_specialist", "key_first_line"})


@dataclass
class World:
    desk: object
    organization_b: object
    customer_b: object
    person_b: object
    ticket_a: object
    ticket_b: object
    attachment_a: object
    attachment_b: object
    users: dict = field(default_factory=dict)

    def client(self, role: str) -> Client:
        """A client acting as the role: a login, an API key, or nobody."""
        if role == "anonymous":
            return Client(headers={"accept-language": "en"})
        if role in KEY_ROLES:
            scope = {
                "key_customer_a": {"role": Role.CUSTOMER, "user": self.desk.customer},
                "key_it_specialist": {"role": Role.SPECIALIST, "department": self.desk.it},
                "key_first_line": {"role": Role.FIRST_LINE},
            }[role]
            return key_for(**scope)
        client = Client(headers={"accept-language": "en"})
        client.force_login(self.users[role])
        return client


@pytest.fixture
def world(desk, open_ticket) -> World:
    desk.person.last_name = "Akkerman"
    desk.person.save()
    organization_b = f.OrganizationFactory(name="Gemeente Zwijndrecht")
    customer_b = f.UserFactory(username="klant-b", role=Role.CUSTOMER)
    person_b = f.PersonFactory(
        organization=organization_b, user=customer_b, first_name="Bea", last_name=PERSON_B
    )
    ticket_a = open_ticket(
        title=f"Laptop {TICKET_A}",
        files=[services.Upload(name="scherm-a.pdf", content=PDF)],
    )
    services.ticket_hand_over(
        actor=desk.agent,
        ticket=ticket_a,
        department=desk.it,
        question="Laptop start niet",
        tried="Harde reset",
        needed="Vervangende laptop",
    )
    services.ticket_note(actor=desk.it_specialist, ticket=ticket_a, body=f"Intern {NOTE_A}")
    ticket_b = open_ticket(
        service=desk.payslip,
        requester=person_b,
        title=f"Loonstrook {TICKET_B}",
        files=[services.Upload(name="loonstrook-b.pdf", content=PDF)],
    )
    services.ticket_note(actor=desk.hr_specialist, ticket=ticket_b, body=f"Intern {NOTE_B}")
    ticket_a.refresh_from_db()
    ticket_b.refresh_from_db()
    world = World(
        desk=desk,
        organization_b=organization_b,
        customer_b=customer_b,
        person_b=person_b,
        ticket_a=ticket_a,
        ticket_b=ticket_b,
        attachment_a=ticket_a.entries.filter(attachments__isnull=False).first().attachments.get(),
        attachment_b=ticket_b.entries.filter(attachments__isnull=False).first().attachments.get(),
    )
    world.users = {
        "customer_a": desk.customer,
        "customer_b": customer_b,
        "first_line": desk.agent,
        "it_specialist": desk.it_specialist,
        "hr_specialist": desk.hr_specialist,
        "team_lead": desk.team_lead,
        "change_lead": desk.change_lead,
        "administrator": desk.admin,
    }
    return world
