import datetime as dt

import pytest

from eenloket.tickets import selectors, services
from eenloket.tickets.exceptions import TicketNotFound
from eenloket.tickets.selectors import Cursor, TicketFilters
from tests import factories as f


def numbers(tickets):
    return {t.number for t in tickets}


@pytest.mark.parametrize("role", ["agent", "team_lead", "admin"])
def test_desk_wide_roles_see_every_ticket_in_the_queue(desk, it_ticket, hr_ticket, role):
    page, _ = selectors.ticket_queue(actor=getattr(desk, role), filters=TicketFilters())
    assert numbers(page) == {it_ticket.number, hr_ticket.number}


def test_a_specialist_sees_only_their_departments_queue(desk, it_ticket, hr_ticket):
    page, _ = selectors.ticket_queue(actor=desk.hr_specialist, filters=TicketFilters())
    assert numbers(page) == {hr_ticket.number}


def test_a_specialist_gets_not_found_for_another_departments_ticket(desk, it_ticket):
    with pytest.raises(TicketNotFound):
        selectors.ticket_for_agent(actor=desk.hr_specialist, number=it_ticket.number)


def test_a_specialist_sees_their_own_ticket_at_another_department_as_a_customer(desk, open_ticket):
    own = open_ticket(requester=desk.hr_specialist.person, title="Mijn laptop")
    assert numbers(selectors.customer_ticket_list(actor=desk.hr_specialist)) == {own.number}


def test_a_specialists_own_ticket_is_not_in_their_agent_scope(desk, open_ticket):
    own = open_ticket(requester=desk.hr_specialist.person, title="Mijn laptop")
    with pytest.raises(TicketNotFound):
        selectors.ticket_for_agent(actor=desk.hr_specialist, number=own.number)


def test_a_customer_has_no_agent_queue(desk, it_ticket):
    page, _ = selectors.ticket_queue(actor=desk.customer, filters=TicketFilters())
    assert page == []


def test_a_change_lead_has_no_agent_queue(desk, it_ticket):
    page, _ = selectors.ticket_queue(actor=desk.change_lead, filters=TicketFilters())
    assert page == []


def test_a_customer_sees_their_own_tickets(desk, it_ticket, hr_ticket):
    assert numbers(selectors.customer_ticket_list(actor=desk.customer)) == {
        it_ticket.number,
        hr_ticket.number,
    }


def test_a_customer_gets_not_found_for_someone_elses_ticket(desk, open_ticket):
    colleague = f.PersonFactory(organization=desk.organization)
    theirs = open_ticket(requester=colleague)
    with pytest.raises(TicketNotFound):
        selectors.ticket_for_customer(actor=desk.customer, number=theirs.number)


def test_a_contact_person_sees_the_organizations_tickets(desk, open_ticket):
    colleague = f.PersonFactory(organization=desk.organization)
    theirs = open_ticket(requester=colleague)
    desk.person.sees_organization_tickets = True
    desk.person.save()
    assert selectors.ticket_for_customer(actor=desk.customer, number=theirs.number) == theirs


def test_customers_never_see_internal_entries(desk, it_ticket):
    services.ticket_note(actor=desk.agent, ticket=it_ticket, body="Intern: klant is VIP")
    timeline = selectors.ticket_timeline(ticket=it_ticket, internal=False)
    assert [e.kind for e in timeline] == ["customer_message"]


def test_staff_see_the_whole_timeline(desk, it_ticket):
    timeline = selectors.ticket_timeline(ticket=it_ticket, internal=True)
    assert [e.kind for e in timeline] == ["customer_message", "handover"]


def test_queue_is_ordered_by_resolution_due(desk, open_ticket):
    low = open_ticket(title="Laag")
    urgent = open_ticket(title="Spoed", impact="high", urgency="high")
    page, _ = selectors.ticket_queue(actor=desk.agent, filters=TicketFilters())
    assert [t.number for t in page] == [urgent.number, low.number]


def test_queue_pages_by_cursor_without_gaps_or_repeats(desk, open_ticket):
    opened = [open_ticket(title=f"Melding {i}").number for i in range(7)]
    seen, cursor = [], None
    while True:
        page, cursor = selectors.ticket_queue(
            actor=desk.agent, filters=TicketFilters(), after=cursor, limit=3
        )
        seen += [t.number for t in page]
        if cursor is None:
            break
    assert sorted(seen) == sorted(opened)


def test_queue_hides_resolved_tickets_by_default(desk, open_ticket):
    open_ticket(resolve_with="Direct opgelost")
    page, _ = selectors.ticket_queue(actor=desk.agent, filters=TicketFilters())
    assert page == []


def test_queue_filters_by_status(desk, open_ticket):
    solved = open_ticket(resolve_with="Direct opgelost")
    open_ticket()
    page, _ = selectors.ticket_queue(actor=desk.agent, filters=TicketFilters(status="resolved"))
    assert numbers(page) == {solved.number}


def test_queue_filters_by_queue(desk, it_ticket, hr_ticket):
    page, _ = selectors.ticket_queue(
        actor=desk.agent, filters=TicketFilters(queue_id=desk.it_queue.pk)
    )
    assert numbers(page) == {it_ticket.number}


def test_queue_filters_by_channel(desk, open_ticket):
    mailed = open_ticket(channel="email")
    open_ticket(channel="counter")
    page, _ = selectors.ticket_queue(actor=desk.agent, filters=TicketFilters(channel="email"))
    assert numbers(page) == {mailed.number}


def test_a_garbled_cursor_starts_at_the_first_page():
    assert Cursor.decode("niet-een-cursor") is None


def test_a_cursor_survives_encoding():
    cursor = Cursor(due=dt.datetime(2026, 4, 14, 8, 0, tzinfo=dt.UTC), id=42)
    assert Cursor.decode(cursor.encode()) == cursor


def test_sla_state_is_at_risk_near_the_due_time(desk, open_ticket, at_tuesday_10):
    ticket = open_ticket(impact="high", urgency="high")  # P1: due in 4 business hours
    at_tuesday_10.shift(dt.timedelta(hours=1))
    assert selectors.sla_state(ticket) == "at_risk"


def test_sla_state_is_paused_while_waiting(desk, open_ticket):
    ticket = services.ticket_wait_for_customer(actor=desk.agent, ticket=open_ticket())
    assert selectors.sla_state(ticket) == "paused"


def test_sla_state_is_breached_after_the_due_time(desk, open_ticket, at_tuesday_10):
    ticket = open_ticket()
    at_tuesday_10.shift(dt.timedelta(days=20))
    assert selectors.sla_state(ticket) == "breached"


def test_attachment_of_an_internal_note_is_hidden_from_the_customer(desk, it_ticket):
    note = services.ticket_note(
        actor=desk.agent,
        ticket=it_ticket,
        body="Schermafdruk",
        files=[services.Upload(name="log.txt", content=b"fout 42")],
    )
    with pytest.raises(TicketNotFound):
        selectors.attachment_for_actor(actor=desk.customer, attachment_id=note.attachments.get().pk)


def test_attachment_of_a_reply_is_available_to_the_customer(desk, it_ticket):
    reply = services.ticket_reply(
        actor=desk.it_specialist,
        ticket=it_ticket,
        body="Zie de handleiding",
        files=[services.Upload(name="handleiding.txt", content=b"Stap 1")],
    )
    attachment = reply.attachments.get()
    found = selectors.attachment_for_actor(actor=desk.customer, attachment_id=attachment.pk)
    assert found == attachment


def test_a_resolved_ticket_offers_close_and_reopen_but_no_handover(desk, open_ticket):
    ticket = open_ticket(resolve_with="Direct opgelost")
    assert selectors.ticket_actions(ticket) == {"reply", "note", "close", "reopen"}


def test_a_closed_ticket_offers_only_a_note(desk, open_ticket):
    ticket = open_ticket(resolve_with="Direct opgelost")
    services.ticket_close(actor=desk.agent, ticket=ticket)
    ticket.refresh_from_db()
    assert selectors.ticket_actions(ticket) == {"note"}


def test_only_a_ticket_at_a_department_can_go_back_to_first_line(desk, it_ticket, open_ticket):
    first_line = open_ticket()
    assert (
        "return" in selectors.ticket_actions(it_ticket),
        "return" in selectors.ticket_actions(first_line),
    ) == (True, False)


# --- the workspace inbox -------------------------------------------------------------------


def test_inbox_counts_count_each_view_in_scope(desk, open_ticket, it_ticket, hr_ticket):
    services.ticket_wait_for_customer(actor=desk.agent, ticket=open_ticket())
    views = selectors.inbox_views(actor=desk.agent, queues=[desk.it_queue, desk.hr_queue])
    counts = selectors.inbox_counts(actor=desk.agent, views=views)
    assert counts == {
        "all": 3,
        "mine": 0,
        "first_line": 1,
        f"queue-{desk.it_queue.pk}": 1,
        f"queue-{desk.hr_queue.pk}": 1,
        "at_risk": 0,
        "waiting": 1,
        "handed_over": 2,
    }


def test_inbox_counts_leave_out_what_a_specialist_does_not_work(desk, it_ticket, hr_ticket):
    actor = desk.hr_specialist
    views = selectors.inbox_views(actor=actor, queues=[desk.it_queue, desk.hr_queue])
    assert selectors.inbox_counts(actor=actor, views=views)["all"] == 1


def test_the_request_form_reads_as_labels_in_the_forms_order(desk, open_ticket):
    f.RequestFieldFactory(service=desk.laptop, key="model", label_nl="Model", order=2)
    f.RequestFieldFactory(service=desk.laptop, key="serial", label_nl="Serienummer", order=1)
    ticket = open_ticket(form_data={"model": "X1", "serial": "ABC"})
    ticket.form_data["gone"] = "old answer"  # a field removed from the form later
    rows = selectors.ticket_request_form(ticket=ticket)
    assert [(str(label), value) for label, value in rows] == [
        ("Serienummer", "ABC"),
        ("Model", "X1"),
        ("gone", "old answer"),
    ]
