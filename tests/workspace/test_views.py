"""The agent workspace pages: login, the queue, a ticket and its actions, a new ticket."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from eenloket.directory.models import Person
from eenloket.tickets import services
from eenloket.tickets.models import Ticket, TicketEntry
from tests import factories as f
from tests.factories import PDF


def ticket_url(ticket):
    return reverse("workspace:ticket", args=[ticket.number])


def action_url(name, ticket):
    return reverse(f"workspace:{name}", args=[ticket.number])


def post_action(client, name, ticket, **fields):
    """Post an action form the way the page does: prefixed fields and the shown version."""
    data = {f"{name}-version": ticket.version}
    data.update({f"{name}-{key}": value for key, value in fields.items()})
    return client.post(action_url(name, ticket), data)


def fresh(ticket):
    return Ticket.objects.get(pk=ticket.pk)


# --- login and landing -------------------------------------------------------------------


def test_login_with_the_right_password_lands_in_the_workspace(client, desk):
    response = client.post(reverse("login"), {"username": "servicedesk", "password": "demo"})
    assert client.get(response.url).url == reverse("workspace:queue")


def test_login_with_a_wrong_password_shows_an_error(client, desk):
    response = client.post(reverse("login"), {"username": "servicedesk", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text
    assert "_auth_user_id" not in client.session


def test_the_login_page_labels_its_fields(client, desk):
    response = client.get(reverse("login"))
    assert '<label for="id_username">' in response.text
    assert '<label for="id_password">' in response.text


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("agent", "workspace:queue"),
        ("it_specialist", "workspace:queue"),
        ("hr_specialist", "workspace:queue"),
        ("team_lead", "workspace:queue"),
        ("admin", "workspace:queue"),
        ("customer", "portal:home"),
        ("change_lead", "transition:overview"),
    ],
)
def test_each_role_lands_where_it_works(client, desk, role, landing):
    client.force_login(getattr(desk, role))
    assert client.get(reverse("home")).url == reverse(landing)


@pytest.mark.parametrize("role", ["customer", "change_lead"])
def test_people_who_do_not_work_tickets_get_no_workspace(client, desk, role):
    client.force_login(getattr(desk, role))
    assert client.get(reverse("workspace:queue")).status_code == 403


def test_a_customer_gets_no_workspace_ticket_page(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.customer)
    assert client.get(ticket_url(ticket)).status_code == 403


def test_the_workspace_asks_anonymous_visitors_to_log_in(client, desk):
    response = client.get(reverse("workspace:queue"))
    assert response.url.startswith(reverse("login"))


def test_logout_is_a_post(client, desk):
    client.force_login(desk.agent)
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_the_navigation_offers_administration_only_to_admins(client, desk):
    client.force_login(desk.agent)
    assert reverse("admin:index") not in client.get(reverse("workspace:queue")).text
    client.force_login(desk.admin)
    assert reverse("admin:index") in client.get(reverse("workspace:queue")).text


# --- language ----------------------------------------------------------------------------


def test_pages_are_dutch_by_default(desk):
    dutch = Client()
    dutch.force_login(desk.agent)
    response = dutch.get(reverse("workspace:queue"))
    assert '<html lang="nl">' in response.text
    assert "Wachtrij" in response.text


def test_the_language_switch_renders_english(desk):
    browser = Client()
    browser.force_login(desk.agent)
    browser.post(reverse("set_language"), {"language": "en", "next": reverse("workspace:queue")})
    response = browser.get(reverse("workspace:queue"))
    assert '<html lang="en">' in response.text
    assert "<h1>Queue</h1>" in response.text


# --- the queue ---------------------------------------------------------------------------


def test_the_queue_lists_the_soonest_due_first(client, desk, open_ticket):
    later = open_ticket(title="Muis kapot")
    sooner = open_ticket(title="Niemand kan inloggen", impact="high", urgency="high")
    client.force_login(desk.agent)
    page = client.get(reverse("workspace:queue")).text
    assert page.index(sooner.number) < page.index(later.number)


def test_a_specialist_sees_only_their_departments_queue(client, desk, it_ticket, hr_ticket):
    client.force_login(desk.hr_specialist)
    page = client.get(reverse("workspace:queue")).text
    assert (hr_ticket.number in page, it_ticket.number in page) == (True, False)


def test_a_specialist_gets_not_found_for_another_departments_ticket(client, desk, it_ticket):
    client.force_login(desk.hr_specialist)
    assert client.get(ticket_url(it_ticket)).status_code == 404


@pytest.mark.parametrize("role", ["agent", "team_lead", "admin"])
def test_the_whole_desk_sees_every_ticket(client, desk, it_ticket, hr_ticket, role):
    client.force_login(getattr(desk, role))
    page = client.get(reverse("workspace:queue")).text
    assert (hr_ticket.number in page, it_ticket.number in page) == (True, True)


def test_the_queue_filters_by_department(client, desk, it_ticket, hr_ticket):
    client.force_login(desk.agent)
    page = client.get(reverse("workspace:queue"), {"department": desk.hr.pk}).text
    assert (hr_ticket.number in page, it_ticket.number in page) == (True, False)


def test_the_queue_shows_open_tickets_unless_asked_for_resolved_ones(client, desk, open_ticket):
    done = open_ticket(resolve_with="Wachtwoord gereset")
    client.force_login(desk.agent)
    assert done.number not in client.get(reverse("workspace:queue")).text
    assert done.number in client.get(reverse("workspace:queue"), {"status": "resolved"}).text


def test_the_queue_filters_my_tickets(client, desk, open_ticket):
    mine, other = open_ticket(), open_ticket(title="Printer")
    services.ticket_assign(actor=desk.agent, ticket=mine, assignee=desk.agent)
    client.force_login(desk.agent)
    page = client.get(reverse("workspace:queue"), {"assigned": "mine"}).text
    assert (mine.number in page, other.number in page) == (True, False)


def test_the_queue_shows_the_sla_state_in_words(client, desk, open_ticket):
    open_ticket()
    client.force_login(desk.agent)
    page = client.get(reverse("workspace:queue")).text
    assert '<span class="sla sla--ok"><strong>On time</strong>: 45 h 00 min left</span>' in page


def test_an_overdue_ticket_says_how_late_it_is(client, desk, open_ticket, at_tuesday_10):
    open_ticket(impact="high", urgency="high")  # due in 4 business hours: 14:00
    at_tuesday_10.shift(6 * 3600)  # 16:00
    client.force_login(desk.agent)
    page = client.get(reverse("workspace:queue")).text
    assert "<strong>Overdue</strong>: 2 h 00 min late" in page


@pytest.mark.parametrize(
    "query",
    [
        {"queue": "abc"},
        {"status": "kapot"},
        {"department": "999999999999999999999999"},
        {"service": "-1"},
        {"channel": "telegraaf"},
        {"priority": "P9"},
        {"assigned": "iedereen"},
        {"na": "gisteren~x"},
        {"na": "2026-04-14T10:00:00~1"},
    ],
)
def test_bad_filter_values_are_ignored(client, desk, open_ticket, query):
    ticket = open_ticket()
    client.force_login(desk.agent)
    response = client.get(reverse("workspace:queue"), query)
    assert (response.status_code, ticket.number in response.text) == (200, True)


@pytest.mark.parametrize("cursor", ["~99999999999999999999999", "9999-12-31T00:00:00+00:00~1"])
def test_a_cursor_past_the_end_shows_an_empty_page(client, desk, open_ticket, cursor):
    ticket = open_ticket()
    client.force_login(desk.agent)
    response = client.get(reverse("workspace:queue"), {"na": cursor})
    assert (response.status_code, ticket.number in response.text) == (200, False)


def test_a_bad_filter_value_is_reported(client, desk):
    client.force_login(desk.agent)
    response = client.get(reverse("workspace:queue"), {"queue": "abc"})
    assert "Some filters were not understood and are ignored." in response.text


def test_the_queue_pages_with_a_cursor(client, desk, open_ticket, monkeypatch):
    first, second = open_ticket(), open_ticket(title="Printer")
    from eenloket.tickets import selectors

    original = selectors.ticket_queue
    monkeypatch.setattr(
        selectors, "ticket_queue", lambda **kwargs: original(**{**kwargs, "limit": 1})
    )
    client.force_login(desk.agent)
    page_one = client.get(reverse("workspace:queue"))
    cursor = page_one.context["next_cursor"]
    page_two = client.get(reverse("workspace:queue"), {"na": cursor}).text
    assert (second.number in page_two, first.number in page_two) == (True, False)


def queue_queries(client, django_assert_num_queries, count):
    with django_assert_num_queries(count):
        response = client.get(reverse("workspace:queue"))
    return response


@pytest.mark.parametrize("role", ["agent", "hr_specialist"])
def test_the_queue_query_count_does_not_grow_with_the_tickets(
    client, desk, open_ticket, django_assert_num_queries, role
):
    # session, user, (a specialist's departments), the page of tickets, the views' counts
    expected = {"agent": 4, "hr_specialist": 5}[role]
    for _ in range(5):
        open_ticket(service=desk.payslip)
    client.force_login(getattr(desk, role))
    client.get(reverse("workspace:queue"))  # fills the calendar and reference data caches
    queue_queries(client, django_assert_num_queries, expected)
    for _ in range(25):
        open_ticket(service=desk.payslip)
    response = queue_queries(client, django_assert_num_queries, expected)
    assert len(response.context["rows"]) == 30


# --- the ticket page ---------------------------------------------------------------------


def test_the_ticket_page_shows_the_customer_and_their_other_tickets(client, desk, open_ticket):
    desk.person.phone = "+31781234567"
    desk.person.save()
    older = open_ticket(title="Printer op 3 hangt")
    ticket = open_ticket()
    client.force_login(desk.agent)
    page = client.get(ticket_url(ticket)).text
    assert desk.person.full_name in page
    assert "078 123 4567" in page
    assert older.number in page


def test_the_ticket_page_marks_internal_notes(client, desk, open_ticket):
    ticket = open_ticket()
    services.ticket_note(actor=desk.agent, ticket=ticket, body="Klant is VIP")
    client.force_login(desk.agent)
    page = client.get(ticket_url(ticket)).text
    note = page[page.index('class="entry entry--note') :]
    assert "internal: staff only" in note[: note.index("Klant is VIP")]


def test_the_ticket_page_shows_the_handover_note(client, desk, it_ticket):
    client.force_login(desk.it_specialist)
    page = client.get(ticket_url(it_ticket)).text
    assert all(text in page for text in ("Laptop start niet", "Harde reset", "Vervangende laptop"))


def test_the_ticket_page_links_attachments(client, desk, open_ticket):
    ticket = open_ticket()
    entry = services.ticket_note(
        actor=desk.agent, ticket=ticket, body="Scan", files=[services.Upload("scan.pdf", PDF)]
    )
    client.force_login(desk.agent)
    page = client.get(ticket_url(ticket)).text
    assert reverse("attachment", args=[entry.attachments.get().pk]) in page


def test_a_resolved_ticket_offers_close_and_reopen_but_not_resolve(client, desk, open_ticket):
    ticket = open_ticket(resolve_with="Opgelost aan de telefoon")
    client.force_login(desk.agent)
    page = client.get(ticket_url(ticket)).text
    offered = {name: action_url(name, ticket) in page for name in ("close", "reopen", "resolve")}
    assert offered == {"close": True, "reopen": True, "resolve": False}


def test_an_unknown_ticket_is_not_found(client, desk):
    client.force_login(desk.agent)
    assert client.get(reverse("workspace:ticket", args=["M2026-99999"])).status_code == 404


def ticket_queries(client, django_assert_num_queries, ticket, count):
    with django_assert_num_queries(count):
        return client.get(ticket_url(ticket))


def add_notes(desk, ticket, count):
    for number in range(count):
        services.ticket_note(
            actor=desk.agent,
            ticket=ticket,
            body=f"Notitie {number}",
            files=[services.Upload(f"scan{number}.pdf", PDF)],
        )


@pytest.mark.parametrize("role", ["agent", "it_specialist"])
def test_the_ticket_page_query_count_does_not_grow_with_the_timeline(
    client, desk, it_ticket, django_assert_num_queries, role
):
    # One more than before the access log: its INSERT at the end of the request.
    expected = {"agent": 10, "it_specialist": 11}[role]
    services.ticket_reply(actor=desk.agent, ticket=it_ticket, body="We kijken ernaar")
    client.force_login(getattr(desk, role))
    client.get(ticket_url(it_ticket))  # loads the business calendar into its cache
    ticket_queries(client, django_assert_num_queries, it_ticket, expected)
    add_notes(desk, it_ticket, 17)
    response = ticket_queries(client, django_assert_num_queries, it_ticket, expected)
    assert len(response.context["timeline"]) == 20


# --- actions -----------------------------------------------------------------------------


def test_a_reply_is_added_and_the_page_redirects_back(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    response = post_action(client, "reply", ticket, body="Probeer de laptop op te laden.")
    assert response.url == ticket_url(ticket)
    assert TicketEntry.objects.filter(ticket=ticket, kind="reply").get().body == (
        "Probeer de laptop op te laden."
    )


def test_a_reply_can_wait_for_the_customer(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    post_action(client, "reply", ticket, body="Welk model?", wait_for_customer="on")
    assert fresh(ticket).status == "waiting"


def test_a_reply_takes_an_attachment(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    client.post(
        action_url("reply", ticket),
        {
            "reply-version": ticket.version,
            "reply-body": "Zie de handleiding.",
            "reply-files": SimpleUploadedFile("handleiding.pdf", PDF),
        },
    )
    entry = TicketEntry.objects.get(ticket=ticket, kind="reply")
    assert entry.attachments.get().filename == "handleiding.pdf"


def test_an_empty_reply_shows_the_error_next_to_the_field(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    response = post_action(client, "reply", ticket, body="  ")
    assert response.status_code == 400
    assert '<p class="field-error" id="id_reply-body_error">' in response.text
    assert 'aria-describedby="id_reply-body_helptext id_reply-body_error"' in response.text


def test_an_error_is_summarised_at_the_top_with_a_link_to_the_field(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    response = post_action(client, "reply", ticket, body="")
    link = '<a href="#id_reply-body">Reply to the customer \N{EN DASH} Write a reply.</a>'
    assert link in response.text


def test_a_rejected_attachment_keeps_the_typed_reply(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    response = client.post(
        action_url("reply", ticket),
        {
            "reply-version": ticket.version,
            "reply-body": "Zie bijlage.",
            "reply-files": SimpleUploadedFile("virus.exe", b"MZ\x90\x00"),
        },
    )
    assert response.status_code == 400
    assert "is not an accepted file" in response.text
    assert "Zie bijlage.</textarea>" in response.text
    assert not TicketEntry.objects.filter(ticket=ticket, kind="reply").exists()


def test_an_internal_note_is_added(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    post_action(client, "note", ticket, body="Beller klonk gehaast")
    entry = TicketEntry.objects.get(ticket=ticket, kind="note")
    assert (entry.body, entry.is_public) == ("Beller klonk gehaast", False)


def test_an_empty_note_shows_an_error(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    response = post_action(client, "note", ticket, body="")
    assert (response.status_code, "Write a note." in response.text) == (400, True)


def test_assign_to_me(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    post_action(client, "assign", ticket, assignee=desk.agent.pk)
    assert fresh(ticket).assignee == desk.agent


def test_assign_to_a_colleague_of_the_department(client, desk, it_ticket):
    client.force_login(desk.agent)
    post_action(client, "assign", it_ticket, assignee=desk.it_specialist.pk)
    assert fresh(it_ticket).assignee == desk.it_specialist


def test_the_assign_list_offers_only_colleagues_who_can_work_the_ticket(client, desk, it_ticket):
    client.force_login(desk.agent)
    form = client.get(ticket_url(it_ticket)).context["forms"]["assign"]
    offered = {value for value, _label in form.fields["assignee"].choices if value}
    assert (desk.it_specialist.pk in offered, desk.hr_specialist.pk in offered) == (True, False)


def test_assigning_someone_outside_the_department_shows_an_error(client, desk, it_ticket):
    client.force_login(desk.agent)
    response = post_action(client, "assign", it_ticket, assignee=desk.hr_specialist.pk)
    assert response.status_code == 400
    assert '<p class="field-error" id="id_assign-assignee_error">' in response.text
    assert fresh(it_ticket).assignee is None


def test_classify_changes_the_priority(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    post_action(client, "classify", ticket, service=desk.laptop.pk, impact="high", urgency="high")
    assert fresh(ticket).priority == "P1"


def test_classify_with_an_unknown_impact_shows_an_error(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    response = post_action(
        client, "classify", ticket, service=desk.laptop.pk, impact="enorm", urgency="high"
    )
    assert response.status_code == 400
    assert '<p class="field-error" id="id_classify-impact_error">' in response.text


def test_hand_over_to_a_department(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    post_action(
        client,
        "hand_over",
        ticket,
        department=desk.it.pk,
        question="Laptop start niet",
        tried="Reset",
        needed="Vervanging",
    )
    assert (fresh(ticket).queue, fresh(ticket).status) == (desk.it_queue, "handed_over")


def test_an_incomplete_handover_shows_the_error_and_keeps_the_text(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    response = post_action(
        client,
        "hand_over",
        ticket,
        department=desk.it.pk,
        question="Laptop start niet meer op",
        tried="",
        needed="Vervanging",
    )
    assert response.status_code == 400
    assert "Say what first line already tried." in response.text
    assert "Laptop start niet meer op</textarea>" in response.text
    assert fresh(ticket).queue == desk.first_line_queue


def test_return_to_first_line(client, desk, it_ticket):
    client.force_login(desk.it_specialist)
    post_action(client, "return", it_ticket, reason="Geen IT-vraag")
    assert fresh(it_ticket).queue == desk.first_line_queue


def test_return_without_a_reason_shows_an_error(client, desk, it_ticket):
    client.force_login(desk.it_specialist)
    response = post_action(client, "return", it_ticket, reason="")
    assert response.status_code == 400
    assert "Say why the ticket goes back to first line." in response.text


def test_wait_for_the_customer(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    post_action(client, "wait", ticket, reason="Welk serienummer?")
    assert fresh(ticket).status == "waiting"


def test_waiting_twice_is_not_offered_and_refused(client, desk, open_ticket):
    ticket = open_ticket()
    services.ticket_wait_for_customer(actor=desk.agent, ticket=ticket)
    client.force_login(desk.agent)
    assert action_url("wait", ticket) not in client.get(ticket_url(ticket)).text
    response = post_action(client, "wait", fresh(ticket), reason="Nog steeds")
    assert (response.status_code, "Nog steeds</textarea>" in response.text) == (400, True)


def test_resolve(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    post_action(client, "resolve", ticket, resolution="Nieuwe lader gestuurd")
    assert (fresh(ticket).status, fresh(ticket).resolution) == ("resolved", "Nieuwe lader gestuurd")


def test_resolve_without_a_solution_shows_an_error(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    response = post_action(client, "resolve", ticket, resolution=" ")
    assert (response.status_code, "Describe the solution." in response.text) == (400, True)


def test_close_a_resolved_ticket(client, desk, open_ticket):
    ticket = open_ticket(resolve_with="Opgelost")
    client.force_login(desk.agent)
    post_action(client, "close", ticket)
    assert fresh(ticket).status == "closed"


def test_closing_an_open_ticket_is_refused(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    response = post_action(client, "close", ticket)
    assert response.status_code == 400
    assert "This action is not possible in the ticket&#x27;s current status." in response.text


def test_reopen(client, desk, open_ticket):
    ticket = open_ticket(resolve_with="Opgelost")
    client.force_login(desk.agent)
    post_action(client, "reopen", ticket, reason="Werkt toch niet")
    assert fresh(ticket).status == "in_progress"


def test_reopen_without_a_reason_shows_an_error(client, desk, open_ticket):
    ticket = open_ticket(resolve_with="Opgelost")
    client.force_login(desk.agent)
    response = post_action(client, "reopen", ticket, reason="")
    assert (response.status_code, "Say why the ticket is reopened." in response.text) == (400, True)


def test_a_success_message_follows_the_action(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    response = post_action(client, "note", ticket, body="Even nagaan")
    assert "Your internal note was added." in client.get(response.url).text


def test_a_stale_version_is_a_conflict_that_keeps_the_text(client, desk, open_ticket):
    ticket = open_ticket()
    stale = ticket.version
    services.ticket_note(actor=desk.team_lead, ticket=ticket, body="Collega was eerder")
    client.force_login(desk.agent)
    response = client.post(
        action_url("reply", ticket),
        {"reply-version": stale, "reply-body": "Mijn zorgvuldige antwoord"},
    )
    assert response.status_code == 409
    assert "A colleague changed this ticket" in response.text
    assert "Mijn zorgvuldige antwoord</textarea>" in response.text
    assert not TicketEntry.objects.filter(ticket=ticket, kind="reply").exists()


def test_after_a_conflict_the_form_carries_the_new_version(client, desk, open_ticket):
    ticket = open_ticket()
    stale = ticket.version
    services.ticket_note(actor=desk.team_lead, ticket=ticket, body="Collega was eerder")
    client.force_login(desk.agent)
    response = client.post(
        action_url("reply", ticket), {"reply-version": stale, "reply-body": "Antwoord"}
    )
    form = response.context["forms"]["reply"]
    assert form["version"].value() == str(fresh(ticket).version)


def test_a_conflict_keeps_the_text_even_when_the_action_is_no_longer_possible(
    client, desk, open_ticket
):
    ticket = open_ticket()
    stale = ticket.version
    services.ticket_resolve(actor=desk.team_lead, ticket=ticket, resolution="Collega loste op")
    client.force_login(desk.agent)
    response = client.post(
        action_url("resolve", ticket),
        {"resolve-version": stale, "resolve-resolution": "Mijn oplossing"},
    )
    assert response.status_code == 409
    assert "Mijn oplossing</textarea>" in response.text


def test_an_action_on_a_ticket_out_of_scope_is_not_found(client, desk, it_ticket):
    client.force_login(desk.hr_specialist)
    response = post_action(client, "note", it_ticket, body="Kijk mee")
    assert response.status_code == 404


def test_an_action_without_a_version_shows_an_error(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    response = client.post(action_url("note", ticket), {"note-body": "Zonder versie"})
    assert response.status_code == 400
    assert "Zonder versie</textarea>" in response.text


# --- attachments -------------------------------------------------------------------------


@pytest.fixture
def attachment(desk, open_ticket):
    ticket = open_ticket()
    entry = services.ticket_note(
        actor=desk.agent, ticket=ticket, body="Scan", files=[services.Upload("scan.pdf", PDF)]
    )
    return entry.attachments.get()


def test_an_attachment_downloads_as_a_file(client, desk, attachment):
    client.force_login(desk.agent)
    response = client.get(reverse("attachment", args=[attachment.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_an_attachment_out_of_scope_is_not_found(client, desk, attachment):
    client.force_login(desk.hr_specialist)
    assert client.get(reverse("attachment", args=[attachment.pk])).status_code == 404


# --- a new ticket for a caller -----------------------------------------------------------


def test_the_caller_is_found_by_name(client, desk):
    client.force_login(desk.agent)
    response = client.get(reverse("workspace:new"), {"q": "Karin"})
    assert f"?persoon={desk.person.pk}" in response.text


def test_the_caller_search_answers_htmx_with_the_results_only(client, desk):
    client.force_login(desk.agent)
    response = client.get(reverse("workspace:new"), {"q": "Karin"}, headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<div id="person-results"')


def test_a_new_caller_is_added(client, desk):
    client.force_login(desk.agent)
    response = client.post(
        reverse("workspace:new_person"),
        {"organization": desk.organization.pk, "last_name": "Bakker", "phone": "078-123 45 67"},
    )
    person = Person.objects.get(last_name="Bakker")
    assert (response.url, person.phone) == (
        f"{reverse('workspace:new')}?persoon={person.pk}",
        "+31781234567",
    )


def test_a_new_caller_with_an_invalid_phone_number_shows_a_field_error(client, desk):
    client.force_login(desk.agent)
    people = Person.objects.count()
    response = client.post(
        reverse("workspace:new_person"),
        {"organization": desk.organization.pk, "last_name": "Bakker", "phone": "12"},
    )
    assert response.status_code == 400
    assert '<p class="field-error" id="id_phone_error">' in response.text
    assert 'value="Bakker"' in response.text
    assert (Person.objects.count(), Ticket.objects.count()) == (people, 0)


def test_the_service_step_groups_services_by_department(client, desk):
    client.force_login(desk.agent)
    response = client.get(reverse("workspace:new"), {"persoon": desk.person.pk})
    assert '<optgroup label="HR">' in response.text


def new_ticket_url(desk, service):
    return f"{reverse('workspace:new')}?persoon={desk.person.pk}&dienst={service.pk}"


def test_a_ticket_for_a_caller_is_opened(client, desk, at_tuesday_10):
    client.force_login(desk.agent)
    response = client.post(
        new_ticket_url(desk, desk.laptop),
        {"channel": "phone", "title": "Scherm flikkert", "description": "Sinds vanochtend"},
    )
    ticket = Ticket.objects.get()
    assert (response.url, ticket.requester, ticket.channel) == (
        ticket_url(ticket),
        desk.person,
        "phone",
    )


def test_a_ticket_solved_at_first_contact_is_resolved(client, desk, at_tuesday_10):
    client.force_login(desk.agent)
    client.post(
        new_ticket_url(desk, desk.laptop),
        {
            "channel": "counter",
            "title": "Wachtwoord vergeten",
            "description": "Kan niet inloggen",
            "outcome": "solved",
            "resolution": "Wachtwoord gereset",
        },
    )
    ticket = Ticket.objects.get()
    assert (ticket.status, ticket.first_contact_resolution) == ("resolved", True)


def test_a_ticket_without_a_subject_shows_an_error_and_keeps_the_question(
    client, desk, at_tuesday_10
):
    client.force_login(desk.agent)
    response = client.post(
        new_ticket_url(desk, desk.laptop),
        {"channel": "phone", "title": "", "description": "Scherm blijft zwart"},
    )
    assert response.status_code == 400
    assert '<p class="field-error" id="id_title_error">' in response.text
    assert "Scherm blijft zwart</textarea>" in response.text
    assert not Ticket.objects.exists()


def test_the_request_form_of_the_service_is_shown_and_checked(client, desk, at_tuesday_10):
    f.RequestFieldFactory(
        service=desk.laptop, key="serienummer", label_en="Serial number", required=True
    )
    client.force_login(desk.agent)
    response = client.post(
        new_ticket_url(desk, desk.laptop),
        {"channel": "phone", "title": "Scherm", "description": "Zwart"},
    )
    assert response.status_code == 400
    assert '<p class="field-error" id="id_form_serienummer_error">' in response.text


def test_the_request_form_answers_are_stored(client, desk, at_tuesday_10):
    f.RequestFieldFactory(service=desk.laptop, key="serienummer", label_en="Serial number")
    client.force_login(desk.agent)
    client.post(
        new_ticket_url(desk, desk.laptop),
        {"channel": "phone", "title": "S", "description": "Z", "form_serienummer": "ABC123"},
    )
    assert Ticket.objects.get().form_data == {"serienummer": "ABC123"}


def test_an_unknown_service_asks_for_a_service_again(client, desk):
    client.force_login(desk.agent)
    response = client.get(reverse("workspace:new"), {"persoon": desk.person.pk, "dienst": "x"})
    assert response.status_code == 400
    assert '<p class="field-error" id="id_dienst_error">' in response.text


def test_an_unknown_caller_is_not_found(client, desk):
    client.force_login(desk.agent)
    assert client.get(reverse("workspace:new"), {"persoon": "abc"}).status_code == 404


# --- the inbox: saved views, live counts, more filters, the htmx refresh -------------------


def inbox(client, **query):
    return client.get(reverse("workspace:queue"), query)


def view_count(response, key):
    return next(count for view, _label, count in response.context["views"] if view.key == key)


def test_each_saved_view_shows_its_live_count(client, desk, open_ticket, it_ticket):
    mine = open_ticket(title="Printer")
    services.ticket_assign(actor=desk.agent, ticket=mine, assignee=desk.agent)
    open_ticket(title="Muis")
    client.force_login(desk.agent)
    response = inbox(client)
    counts = {key: view_count(response, key) for key in ("all", "mine", "first_line")}
    assert counts == {"all": 3, "mine": 1, "first_line": 2}
    assert f"queue-{desk.it_queue.pk}" in [view.key for view, _l, _c in response.context["views"]]


def test_the_count_is_on_the_views_link(client, desk, open_ticket):
    open_ticket()
    client.force_login(desk.agent)
    page = inbox(client).text
    assert 'id="view-first_line"' in page
    assert 'First line <span class="count">1<span class="visually-hidden"> open tickets' in page


def test_the_my_tickets_view_lists_only_mine(client, desk, open_ticket):
    mine, other = open_ticket(), open_ticket(title="Printer")
    services.ticket_assign(actor=desk.agent, ticket=mine, assignee=desk.agent)
    client.force_login(desk.agent)
    page = inbox(client, view="mine").text
    assert (mine.number in page, other.number in page) == (True, False)


def test_the_waiting_view_lists_tickets_that_wait_for_the_customer(client, desk, open_ticket):
    waiting, working = open_ticket(), open_ticket(title="Printer")
    services.ticket_wait_for_customer(actor=desk.agent, ticket=waiting)
    client.force_login(desk.agent)
    page = inbox(client, view="waiting").text
    assert (waiting.number in page, working.number in page) == (True, False)


def test_the_handed_over_view_lists_handed_over_tickets(client, desk, open_ticket, it_ticket):
    first_line = open_ticket(title="Printer")
    client.force_login(desk.agent)
    page = inbox(client, view="handed_over").text
    assert (it_ticket.number in page, first_line.number in page) == (True, False)


def test_the_sla_at_risk_view_lists_tickets_due_within_four_hours(
    client, desk, open_ticket, at_tuesday_10
):
    urgent = open_ticket(title="Niemand kan inloggen", impact="high", urgency="high")
    calm = open_ticket(title="Muis")
    at_tuesday_10.shift(60)  # the urgent one is due at 14:00: now under four hours away
    client.force_login(desk.agent)
    page = inbox(client, view="at_risk").text
    assert (urgent.number in page, calm.number in page) == (True, False)


def test_a_waiting_ticket_is_not_at_risk_while_its_clock_is_paused(client, desk, open_ticket):
    urgent = open_ticket(impact="high", urgency="high")
    services.ticket_wait_for_customer(actor=desk.agent, ticket=urgent)
    client.force_login(desk.agent)
    response = inbox(client, view="at_risk")
    assert (urgent.number in response.text, view_count(response, "at_risk")) == (False, 0)


def test_a_department_queue_view_lists_that_queue(client, desk, it_ticket, hr_ticket):
    client.force_login(desk.agent)
    page = inbox(client, view=f"queue-{desk.it_queue.pk}").text
    assert (it_ticket.number in page, hr_ticket.number in page) == (True, False)


def test_a_specialist_gets_only_their_departments_queue_view(client, desk, hr_ticket):
    client.force_login(desk.hr_specialist)
    keys = [view.key for view, _label, _count in inbox(client).context["views"]]
    assert keys == [
        "all",
        "mine",
        f"queue-{desk.hr_queue.pk}",
        "at_risk",
        "waiting",
        "handed_over",
    ]


def test_an_unknown_view_shows_all_open_tickets(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    response = inbox(client, view="queue-abc")
    assert (response.status_code, ticket.number in response.text) == (200, True)
    assert response.context["current_view"].key == "all"


def test_a_view_keeps_the_filters_chosen(client, desk, open_ticket, hr_ticket):
    laptop = open_ticket()
    client.force_login(desk.agent)
    page = inbox(client, view="all", department=desk.hr.pk).text
    assert f'href="?view=mine&amp;department={desk.hr.pk}"' in page
    assert (hr_ticket.number in page, laptop.number in page) == (True, False)


def test_the_inbox_filters_by_organization(client, desk, open_ticket):
    elsewhere = f.PersonFactory(organization=f.OrganizationFactory(name="Gemeente Zwijndrecht"))
    theirs, ours = open_ticket(requester=elsewhere), open_ticket(title="Printer")
    client.force_login(desk.agent)
    page = inbox(client, organization=elsewhere.organization.pk).text
    assert (theirs.number in page, ours.number in page) == (True, False)


def test_the_inbox_filters_by_a_colleague(client, desk, it_ticket, open_ticket):
    other = open_ticket(title="Printer")
    services.ticket_assign(actor=desk.agent, ticket=it_ticket, assignee=desk.it_specialist)
    client.force_login(desk.agent)
    page = inbox(client, assigned=str(desk.it_specialist.pk)).text
    assert (it_ticket.number in page, other.number in page) == (True, False)


def test_the_inbox_shows_the_channel(client, desk, open_ticket):
    open_ticket(channel="counter")
    client.force_login(desk.agent)
    assert '<span class="muted queue__sub">Counter</span>' in inbox(client).text


def test_the_inbox_polls_its_own_url_to_keep_the_agents_place(client, desk, open_ticket):
    client.force_login(desk.agent)
    page = inbox(client, view="mine", priority="P2", na="2026-04-14T12:00:00+00:00~5").text
    path = "/werkplek/?view=mine&amp;priority=P2&amp;na=2026-04-14T12%3A00%3A00%2B00%3A00~5"
    assert f'hx-get="{path}" hx-trigger="every 30s"' in page


def test_the_htmx_refresh_answers_with_the_list_only(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    response = client.get(reverse("workspace:queue"), headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<nav class="views"')
    assert ticket.number in response.text and "<html" not in response.text


def test_rows_keep_their_id_so_focus_survives_a_refresh(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    assert f'id="row-{ticket.number}"' in inbox(client).text


@pytest.mark.parametrize("view", ["all", "at_risk", "mine"])
def test_the_inbox_query_count_is_the_same_in_every_view(
    client, desk, open_ticket, django_assert_num_queries, at_tuesday_10, view
):
    for _ in range(3):
        ticket = open_ticket(service=desk.payslip, impact="high", urgency="high")
        services.ticket_assign(actor=desk.agent, ticket=ticket, assignee=desk.agent)
    at_tuesday_10.shift(60)  # due in under four hours: at risk
    client.force_login(desk.agent)
    client.get(reverse("workspace:queue"))  # fills the calendar and reference data caches
    with django_assert_num_queries(4):
        response = client.get(reverse("workspace:queue"), {"view": view})
    assert len(response.context["rows"]) == 3


def test_the_inbox_documents_its_keyboard_shortcuts(client, desk):
    client.force_login(desk.agent)
    page = inbox(client).text
    assert "<kbd>j</kbd> / <kbd>k</kbd>" in page
    assert 'id="shortcuts-dialog"' in page
    assert "eenloket/js/workspace.js" in page


# --- the ticket page: request form, customer panel, side panels, shortcuts -----------------


def test_the_request_form_shows_labels_not_keys(client, desk, at_tuesday_10):
    f.RequestFieldFactory(service=desk.laptop, key="serienummer", label_en="Serial number")
    ticket = services.ticket_open(
        actor=desk.agent,
        requester=desk.person,
        service=desk.laptop,
        channel="phone",
        title="Scherm",
        description="Zwart",
        form_data={"serienummer": "ABC123"},
    )
    client.force_login(desk.agent)
    page = client.get(ticket_url(ticket)).text
    assert "<dt>Serial number</dt><dd>ABC123</dd>" in page
    assert "<dt>serienummer</dt>" not in page


def test_the_customer_panel_offers_a_new_ticket_for_the_customer(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    page = client.get(ticket_url(ticket)).text
    assert f'href="{reverse("workspace:new")}?persoon={desk.person.pk}"' in page
    assert f"New ticket for {desk.person.full_name}" in page


def test_the_customer_panel_splits_open_and_recent_tickets(client, desk, open_ticket):
    still_open = open_ticket(title="Printer")
    done = open_ticket(title="Wachtwoord", resolve_with="Gereset")
    ticket = open_ticket()
    client.force_login(desk.agent)
    context = client.get(ticket_url(ticket)).context
    assert (context["open_tickets"], context["recent_tickets"]) == ([still_open], [done])


def test_the_ticket_page_has_a_marked_area_for_extra_side_panels(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    assert '<div class="side-panels">' in client.get(ticket_url(ticket)).text


def test_the_ticket_page_shows_the_key_of_each_action(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.agent)
    page = client.get(ticket_url(ticket)).text
    assert 'data-shortcut="h" aria-keyshortcuts="h">Hand over to a department' in page
    assert 'aria-keyshortcuts="r"' in page
    assert "<dd>Open the handover form</dd>" in page


def test_the_ticket_page_query_count_does_not_grow_with_other_tickets(
    client, desk, open_ticket, django_assert_num_queries
):
    ticket = open_ticket()
    client.force_login(desk.agent)
    client.get(ticket_url(ticket))  # loads the business calendar into its cache
    with django_assert_num_queries(10):  # 9 + the access log INSERT
        client.get(ticket_url(ticket))
    for number in range(6):
        open_ticket(title=f"Vraag {number}", resolve_with="Opgelost" if number % 2 else None)
    with django_assert_num_queries(10):
        response = client.get(ticket_url(ticket))
    assert len(response.context["open_tickets"]) + len(response.context["recent_tickets"]) == 6


# --- new contact: catalogue search, solve at once or hand over ------------------------------


def test_the_catalogue_search_narrows_the_services(client, desk):
    client.force_login(desk.agent)
    response = client.get(reverse("workspace:new"), {"persoon": desk.person.pk, "zoek": "loon"})
    page = response.text
    assert (">Payslip question</option>" in page, ">Broken laptop</option>" in page) == (
        True,
        False,
    )


def test_the_catalogue_search_answers_htmx_with_the_choice_only(client, desk):
    client.force_login(desk.agent)
    response = client.get(
        reverse("workspace:new"),
        {"persoon": desk.person.pk, "zoek": "laptop"},
        headers={"HX-Request": "true"},
    )
    assert response.text.lstrip().startswith('<div id="service-choice"')
    assert "1 service matches “laptop”." in response.text


def test_a_catalogue_search_without_matches_says_so(client, desk):
    client.force_login(desk.agent)
    response = client.get(reverse("workspace:new"), {"persoon": desk.person.pk, "zoek": "zzz"})
    assert "No service matches." in response.text


def contact(client, desk, service, **fields):
    data = {"channel": "phone", "title": "Loonstrook", "description": "Klopt niet"}
    return client.post(new_ticket_url(desk, service), {**data, **fields})


def test_a_contact_is_handed_over_at_once(client, desk, at_tuesday_10):
    client.force_login(desk.agent)
    response = contact(
        client,
        desk,
        desk.laptop,
        outcome="hand_over",
        department=desk.hr.pk,
        tried="Uitleg gegeven",
        needed="Loonstrook nakijken",
    )
    ticket = Ticket.objects.get()
    handover = ticket.handovers.get()
    assert (ticket.queue, ticket.status, response.url) == (
        desk.hr_queue,
        "handed_over",
        ticket_url(ticket),
    )
    assert (handover.question, handover.tried, handover.needed) == (
        "Klopt niet",
        "Uitleg gegeven",
        "Loonstrook nakijken",
    )


def test_a_handover_at_once_says_where_the_ticket_went(client, desk, at_tuesday_10):
    client.force_login(desk.agent)
    response = contact(
        client, desk, desk.laptop, outcome="hand_over", department=desk.it.pk, tried="x", needed="y"
    )
    assert f"handed over to {desk.it_queue.name}" in client.get(response.url).text


def test_an_incomplete_handover_at_once_keeps_the_text_and_writes_nothing(
    client, desk, at_tuesday_10
):
    client.force_login(desk.agent)
    response = contact(
        client,
        desk,
        desk.laptop,
        title="",
        outcome="hand_over",
        department=desk.hr.pk,
        tried="",
        needed="Loonstrook nakijken",
    )
    assert response.status_code == 400
    assert '<p class="field-error" id="id_tried_error">' in response.text
    assert '<p class="field-error" id="id_title_error">' in response.text
    assert "Loonstrook nakijken</textarea>" in response.text
    assert not Ticket.objects.exists()


def test_a_handover_at_once_without_a_department_shows_an_error(client, desk, at_tuesday_10):
    client.force_login(desk.agent)
    response = contact(client, desk, desk.laptop, outcome="hand_over", tried="x", needed="y")
    assert response.status_code == 400
    assert '<p class="field-error" id="id_department_error">' in response.text
    assert not Ticket.objects.exists()


def test_solved_at_first_contact_without_a_solution_shows_an_error(client, desk, at_tuesday_10):
    client.force_login(desk.agent)
    response = contact(client, desk, desk.laptop, outcome="solved", resolution=" ")
    assert response.status_code == 400
    assert '<p class="field-error" id="id_resolution_error">' in response.text
    assert "Klopt niet</textarea>" in response.text
    assert not Ticket.objects.exists()


def test_an_unknown_outcome_shows_an_error(client, desk, at_tuesday_10):
    client.force_login(desk.agent)
    response = contact(client, desk, desk.laptop, outcome="weggooien")
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_handing_over_a_service_that_goes_straight_to_the_department_keeps_the_note(
    client, desk, at_tuesday_10
):
    client.force_login(desk.agent)
    contact(
        client,
        desk,
        desk.payslip,
        outcome="hand_over",
        department=desk.hr.pk,
        tried="Uitleg gegeven",
        needed="Nakijken",
    )
    ticket = Ticket.objects.get()
    note = TicketEntry.objects.get(ticket=ticket, kind="note")
    assert ticket.queue == desk.hr_queue
    assert "Uitleg gegeven" in note.body and "Nakijken" in note.body


def test_the_new_contact_form_asks_what_happens_now(client, desk):
    client.force_login(desk.agent)
    page = client.get(new_ticket_url(desk, desk.laptop)).text
    assert "<legend>What happens now?</legend>" in page
    assert 'data-outcome="hand_over"' in page and 'data-outcome="solved"' in page


# --- bad input in any action: the error next to the field, the text kept, nothing written ---

BAD_ACTIONS = [
    ("reply", lambda desk: {"body": " ", "wait_for_customer": "on"}, "body", ""),
    ("note", lambda desk: {"body": ""}, "body", ""),
    ("assign", lambda desk: {"assignee": "abc"}, "assignee", ""),
    (
        "classify",
        lambda desk: {"service": "999999", "impact": "high", "urgency": "low"},
        "service",
        "",
    ),
    (
        "hand_over",
        lambda desk: {"department": "", "question": "Wat de klant vroeg", "tried": "Reset"},
        "department",
        "Wat de klant vroeg</textarea>",
    ),
    (
        "hand_over",
        lambda desk: {"department": desk.it.pk, "question": "Vraag", "needed": "Nieuw"},
        "tried",
        "Vraag</textarea>",
    ),
    ("resolve", lambda desk: {"resolution": ""}, "resolution", ""),
]


@pytest.mark.parametrize(("action", "fields", "error_field", "kept"), BAD_ACTIONS)
def test_bad_input_in_an_action_writes_nothing(
    client, desk, open_ticket, action, fields, error_field, kept
):
    ticket = open_ticket()
    entries = TicketEntry.objects.filter(ticket=ticket).count()
    client.force_login(desk.agent)
    response = post_action(client, action, ticket, **fields(desk))
    assert response.status_code == 400
    assert (fresh(ticket).version, TicketEntry.objects.filter(ticket=ticket).count()) == (
        ticket.version,
        entries,
    )
    assert f'<p class="field-error" id="id_{action}-{error_field}_error">' in response.text
    assert kept in response.text


def test_the_inbox_filters_offer_what_was_added_since_the_last_request(client, desk, open_ticket):
    client.force_login(desk.agent)
    inbox(client)  # fills the per-process reference cache
    organization = f.OrganizationFactory(name="Gemeente Sliedrecht")
    f.ServiceFactory(department=desk.hr, name_nl="Verlof", name_en="Leave")
    page = inbox(client).text
    assert (organization.name in page, "Leave" in page) == (True, True)


def test_the_inbox_shows_a_renamed_queue_at_once(client, desk, it_ticket):
    client.force_login(desk.agent)
    inbox(client)
    desk.it_queue.name = "Werkplekbeheer"
    desk.it_queue.save()
    assert "Werkplekbeheer" in inbox(client).text
