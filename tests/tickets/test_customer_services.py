"""The customer's own actions on a ticket: solved, not solved after all, a file on its own."""

import datetime

import pytest

from eenloket.tickets import services
from eenloket.tickets.exceptions import (
    InvalidTransition,
    ReopenPeriodPassed,
    TicketClosed,
    TicketNotFound,
)
from eenloket.tickets.models import Ticket, TicketEntry
from tests import factories as f
from tests.factories import PDF


def resolve_by_customer(desk, ticket, comment=""):
    return services.ticket_customer_resolve(
        actor=desk.customer, ticket=ticket, person=desk.person, comment=comment, channel="portal"
    )


def reopen_by_customer(desk, ticket, reason="Nog steeds stuk"):
    return services.ticket_customer_reopen(
        actor=desk.customer, ticket=ticket, person=desk.person, reason=reason, channel="portal"
    )


def test_a_customer_resolves_their_ticket(desk, open_ticket):
    ticket = resolve_by_customer(desk, open_ticket(), comment="Herstart hielp")
    entry = TicketEntry.objects.filter(ticket=ticket).last()
    assert (ticket.status, ticket.is_paused, entry.author_person, entry.is_public) == (
        "resolved",
        True,
        desk.person,
        True,
    )


def test_resolving_by_the_customer_does_not_count_as_the_desks_first_response(desk, open_ticket):
    ticket = resolve_by_customer(desk, open_ticket())
    assert ticket.first_response_at is None


def test_a_customer_cannot_resolve_someone_elses_ticket(desk, open_ticket):
    theirs = open_ticket(requester=f.PersonFactory(organization=desk.organization))
    with pytest.raises(TicketNotFound):
        resolve_by_customer(desk, theirs)


def test_a_solved_ticket_cannot_be_solved_again(desk, open_ticket):
    ticket = open_ticket(resolve_with="Lader vervangen")
    with pytest.raises(InvalidTransition):
        resolve_by_customer(desk, ticket)


def test_a_closed_ticket_cannot_be_solved(desk, open_ticket):
    ticket = open_ticket(resolve_with="Lader vervangen")
    services.ticket_close(actor=desk.agent, ticket=ticket)
    with pytest.raises(TicketClosed):
        resolve_by_customer(desk, ticket)


def test_a_customer_reopens_within_the_period(desk, open_ticket, at_tuesday_10):
    ticket = open_ticket(resolve_with="Lader vervangen")
    at_tuesday_10.shift(datetime.timedelta(days=14))
    reopen_by_customer(desk, ticket)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.reopen_count, ticket.is_paused) == ("in_progress", 1, False)


def test_a_reopen_after_the_period_is_refused_and_changes_nothing(desk, open_ticket, at_tuesday_10):
    ticket = open_ticket(resolve_with="Lader vervangen")
    at_tuesday_10.shift(datetime.timedelta(days=14, seconds=1))
    with pytest.raises(ReopenPeriodPassed):
        reopen_by_customer(desk, ticket)
    assert (Ticket.objects.get(pk=ticket.pk).status, ticket.entries.count()) == ("resolved", 2)


def test_the_reopen_period_is_a_setting(desk, open_ticket, at_tuesday_10, settings):
    settings.EENLOKET_REOPEN_DAYS = 2
    ticket = open_ticket(resolve_with="Lader vervangen")
    at_tuesday_10.shift(datetime.timedelta(days=3))
    with pytest.raises(ReopenPeriodPassed):
        reopen_by_customer(desk, ticket)


def test_a_reopen_needs_a_reason(desk, open_ticket):
    ticket = open_ticket(resolve_with="Lader vervangen")
    with pytest.raises(services.ValidationFailed) as caught:
        reopen_by_customer(desk, ticket, reason=" ")
    assert list(caught.value.field_errors) == ["reason"]


def test_only_a_solved_ticket_is_reopened(desk, open_ticket):
    with pytest.raises(InvalidTransition):
        reopen_by_customer(desk, open_ticket())


def test_a_closed_ticket_is_not_reopened(desk, open_ticket):
    ticket = open_ticket(resolve_with="Lader vervangen")
    services.ticket_close(actor=desk.agent, ticket=ticket)
    with pytest.raises(TicketClosed):
        reopen_by_customer(desk, ticket)


def test_a_file_alone_is_a_customer_message(desk, open_ticket):
    entry = services.ticket_add_customer_message(
        actor=desk.customer,
        ticket=open_ticket(),
        person=desk.person,
        body="",
        channel="portal",
        files=[services.Upload("formulier.pdf", PDF)],
    )
    assert [a.filename for a in entry.attachments.all()] == ["formulier.pdf"]


def test_a_message_without_text_or_file_is_refused(desk, open_ticket):
    with pytest.raises(services.ValidationFailed):
        services.ticket_add_customer_message(
            actor=desk.customer, ticket=open_ticket(), person=desk.person, body="", channel="portal"
        )
