"""What the customer scope reads: my requests page by page, the agent's words kept back."""

import datetime

from eenloket.tickets import selectors, services
from tests import factories as f


def test_an_agents_intake_text_is_kept_from_the_customer(desk, open_ticket):
    ticket = open_ticket(channel="counter", description="Klant komt aan de balie: pas kwijt")
    (entry,) = selectors.ticket_timeline(ticket=ticket, internal=False)
    assert (entry.body, list(entry.attachments.all())) == ("", [])


def test_staff_still_read_the_intake_text(desk, open_ticket):
    ticket = open_ticket(channel="counter", description="Klant komt aan de balie: pas kwijt")
    (entry,) = selectors.ticket_timeline(ticket=ticket, internal=True)
    assert entry.body == "Klant komt aan de balie: pas kwijt"


def test_the_customers_own_question_stays_visible(desk, open_ticket):
    ticket = open_ticket(actor=desk.customer, channel="portal", description="Mijn pas is kwijt")
    (entry,) = selectors.ticket_timeline(ticket=ticket, internal=False)
    assert entry.body == "Mijn pas is kwijt"


def test_my_requests_filter_open_and_done(desk, open_ticket):
    still_open = open_ticket()
    done = open_ticket(resolve_with="Klaar")
    open_page, _ = selectors.customer_requests(actor=desk.customer, status="open")
    done_page, _ = selectors.customer_requests(actor=desk.customer, status="done")
    assert (open_page, done_page) == ([still_open], [done])


def test_my_requests_continue_after_the_cursor(desk, open_ticket, at_tuesday_10):
    tickets = []
    for minute in range(3):
        at_tuesday_10.move_to(f.TUESDAY_10 + datetime.timedelta(minutes=minute))
        tickets.append(open_ticket())
    first, cursor = selectors.customer_requests(actor=desk.customer, limit=2)
    second, last = selectors.customer_requests(actor=desk.customer, limit=2, after=cursor)
    assert (first, second, last) == ([tickets[2], tickets[1]], [tickets[0]], None)


def test_a_tampered_cursor_is_ignored(desk):
    assert selectors.CustomerCursor.decode("2026-04-14T10:00:00~abc") is None


def test_a_naive_cursor_is_ignored(desk):
    assert selectors.CustomerCursor.decode("2026-04-14T10:00:00~5") is None


def test_only_mine_leaves_out_the_organizations(desk, open_ticket):
    desk.person.sees_organization_tickets = True
    desk.person.save()
    mine = open_ticket()
    open_ticket(requester=f.PersonFactory(organization=desk.organization))
    page, _ = selectors.customer_requests(actor=desk.customer, mine_only=True)
    assert page == [mine]


def test_the_reopen_deadline_counts_from_the_solution(desk, open_ticket, settings):
    settings.EENLOKET_REOPEN_DAYS = 14
    ticket = open_ticket(resolve_with="Klaar")
    assert selectors.reopen_deadline(ticket) == ticket.resolved_at + datetime.timedelta(days=14)


def test_an_open_ticket_has_no_reopen_deadline(desk, open_ticket):
    assert selectors.reopen_deadline(open_ticket()) is None


def test_a_customer_without_the_right_does_not_see_the_organization(desk):
    assert selectors.customer_sees_organization(desk.customer) is False


def test_the_reply_attachment_stays_downloadable_for_the_customer(desk, open_ticket):
    ticket = open_ticket()
    entry = services.ticket_reply(
        actor=desk.agent, ticket=ticket, body="Zie bijlage", files=[services.Upload("a.txt", b"x")]
    )
    attachment = entry.attachments.get()
    assert selectors.attachment_for_actor(actor=desk.customer, attachment_id=attachment.pk)


def test_an_agents_reason_for_reopening_is_kept_from_the_customer(desk, open_ticket):
    ticket = open_ticket(resolve_with="Lader vervangen")
    services.ticket_reopen(actor=desk.agent, ticket=ticket, reason="Collega vergat de lader")
    reopened = selectors.ticket_timeline(ticket=ticket, internal=False)[-1]
    assert (reopened.data["status_to"], reopened.body) == ("in_progress", "")


def test_the_solution_stays_visible_to_the_customer(desk, open_ticket):
    ticket = open_ticket(resolve_with="Lader vervangen")
    solved = selectors.ticket_timeline(ticket=ticket, internal=False)[-1]
    assert solved.body == "Lader vervangen"
