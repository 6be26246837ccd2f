"""The customer portal: home, search, request forms, my requests, one request's page."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eenloket.tickets import services
from eenloket.tickets.models import Attachment, Ticket, TicketEntry
from tests import factories as f
from tests.factories import PDF


def portal_url(ticket):
    return reverse("portal:ticket", args=[ticket.number])


def form_url(service):
    return reverse("portal:request", args=[service.pk])


@pytest.fixture
def customer(client, desk):
    client.force_login(desk.customer)
    return client


@pytest.fixture
def colleague(desk):
    return f.PersonFactory(organization=desk.organization, first_name="Piet", last_name="Pol")


@pytest.fixture
def typed_service(desk):
    """A service whose request form has one field of every type."""
    service = f.ServiceFactory(
        code="pas", name_nl="Toegangspas", name_en="Access pass", department=desk.it
    )
    for order, (key, kind, required, extra) in enumerate(
        [
            ("gebouw", "choice", True, {"choices": ["Stadskantoor", "Spuiboulevard"]}),
            ("datum", "date", True, {}),
            ("aantal", "number", False, {"min_value": 1, "max_value": 10}),
            ("toelichting", "text", False, {}),
            ("foto", "file", False, {}),
        ]
    ):
        f.RequestFieldFactory(
            service=service,
            key=key,
            label_nl=key.capitalize(),
            label_en=key.capitalize(),
            field_type=kind,
            required=required,
            order=order,
            **extra,
        )
    return service


def valid_pass_request(**overrides):
    data = {
        "title": "Nieuwe pas",
        "description": "Mijn pas is kwijt.",
        "form_gebouw": "Stadskantoor",
        "form_datum": "2026-04-20",
        "form_aantal": "2",
    }
    return {**data, **overrides}


# --- home ----------------------------------------------------------------------------------


def test_the_portal_needs_a_login(client, desk):
    assert client.get(reverse("portal:home")).url.startswith(reverse("login"))


def test_home_groups_the_catalogue_under_the_customers_words(customer, desk):
    desk.hr.customer_name_en = "Staff, pay and leave"
    desk.hr.save()
    page = customer.get(reverse("portal:home")).text
    assert '<h3 id="group-2" class="catalogue__heading">Staff, pay and leave</h3>' in page
    assert form_url(desk.payslip) in page


def test_home_falls_back_to_the_department_name_without_customer_words(customer, desk):
    page = customer.get(reverse("portal:home")).text
    assert '<h3 id="group-1" class="catalogue__heading">HR</h3>' in page


def test_home_shows_my_latest_requests_only(customer, desk, open_ticket, colleague):
    mine = open_ticket()
    theirs = open_ticket(requester=colleague)
    page = customer.get(reverse("portal:home")).text
    assert (mine.number in page, theirs.number in page) == (True, False)


def test_home_has_a_search_box(customer, desk):
    page = customer.get(reverse("portal:home")).text
    assert f'action="{reverse("portal:search")}" method="get" role="search"' in page


def test_home_query_count_does_not_grow_with_requests_or_services(
    customer, desk, open_ticket, django_assert_num_queries
):
    open_ticket()
    with django_assert_num_queries(6):
        customer.get(reverse("portal:home"))
    for number in range(6):
        open_ticket(service=f.ServiceFactory(department=f.DepartmentFactory()), title=f"V{number}")
    with django_assert_num_queries(6):
        response = customer.get(reverse("portal:home"))
    assert len(response.context["recent"]) == 5


def test_a_login_without_customer_record_is_told_so(client, desk):
    client.force_login(desk.agent)
    assert "Your login has no customer record" in client.get(reverse("portal:home")).text


# --- search and catalogue ------------------------------------------------------------------


def test_search_finds_a_service_by_its_name(customer, desk):
    page = customer.get(reverse("portal:search"), {"q": "payslip"}).text
    assert (form_url(desk.payslip) in page, form_url(desk.laptop) in page) == (True, False)


def test_search_finds_services_by_the_departments_customer_words(customer, desk):
    desk.hr.customer_name_nl = "Personeel, salaris en verlof"
    desk.hr.save()
    page = customer.get(reverse("portal:search"), {"q": "salaris"}).text
    assert (form_url(desk.payslip) in page, form_url(desk.laptop) in page) == (True, False)


def test_search_without_a_match_says_so(customer, desk):
    page = customer.get(reverse("portal:search"), {"q": "xylofoon"}).text
    assert "No service matches these words" in page


def test_search_keeps_the_words_in_the_box(customer, desk):
    page = customer.get(reverse("portal:search"), {"q": "laptop"}).text
    assert 'value="laptop"' in page


def test_search_query_count(customer, desk, django_assert_num_queries):
    # 4 for the services, 2 for the public answers above them (knowledge search: the index
    # statistics and, as nothing is indexed yet, the vocabulary).
    with django_assert_num_queries(6):
        customer.get(reverse("portal:search"), {"q": "laptop"})


def test_the_catalogue_lists_every_service_with_its_description(customer, desk):
    desk.payslip.description_en = "Questions about your monthly payslip."
    desk.payslip.save()
    page = customer.get(reverse("portal:new")).text
    assert "Questions about your monthly payslip." in page


def test_an_old_service_link_goes_to_the_request_form(customer, desk):
    response = customer.get(reverse("portal:new"), {"dienst": desk.payslip.pk})
    assert response.url == form_url(desk.payslip)


# --- the request form ----------------------------------------------------------------------


def test_the_form_gives_the_browser_a_date_field(customer, typed_service):
    page = customer.get(form_url(typed_service)).text
    assert 'type="date" name="form_datum"' in page


def test_the_form_gives_number_fields_a_pattern_and_a_range_in_words(customer, typed_service):
    page = customer.get(form_url(typed_service)).text
    assert 'inputmode="decimal" pattern="-?[0-9]+([.,][0-9]+)?"' in page
    assert "A number from 1 to 10." in page


def test_the_form_marks_required_fields_for_the_browser_and_in_the_label(customer, typed_service):
    page = customer.get(form_url(typed_service)).text
    assert '<select name="form_gebouw" required' in page
    assert "Gebouw (required)" in page


def test_the_form_tells_the_file_picker_what_is_accepted(customer, typed_service):
    page = customer.get(form_url(typed_service)).text
    assert 'type="file" name="form_foto" accept=".pdf,' in page


def test_an_unknown_service_is_not_found(customer, desk):
    assert customer.get(reverse("portal:request", args=[99999])).status_code == 404


def test_the_request_form_query_count(
    customer, typed_service, django_assert_num_queries, at_tuesday_10
):
    with django_assert_num_queries(5):
        customer.get(form_url(typed_service))


def test_a_customer_submits_a_request(customer, desk, at_tuesday_10):
    response = customer.post(
        form_url(desk.payslip), {"title": "Loonstrook maart", "description": "Overuren"}
    )
    ticket = Ticket.objects.get()
    assert (response.url, ticket.requester, ticket.channel) == (
        reverse("portal:received", args=[ticket.number]),
        desk.person,
        "portal",
    )


def test_the_typed_answers_are_kept_on_the_ticket(customer, typed_service, at_tuesday_10):
    customer.post(form_url(typed_service), valid_pass_request(form_datum="20-04-2026"))
    assert Ticket.objects.get().form_data == {
        "gebouw": "Stadskantoor",
        "datum": "2026-04-20",
        "aantal": "2",
    }


def test_a_request_with_files_attaches_them_to_the_question(customer, typed_service, at_tuesday_10):
    customer.post(
        form_url(typed_service),
        valid_pass_request(
            form_foto=SimpleUploadedFile("pas.pdf", PDF),
            files=[SimpleUploadedFile("extra.txt", b"meer uitleg")],
        ),
    )
    names = set(Attachment.objects.values_list("filename", flat=True))
    assert names == {"pas.pdf", "extra.txt"}


def test_the_confirmation_shows_the_number_and_the_expected_response(customer, desk, at_tuesday_10):
    customer.post(form_url(desk.laptop), {"title": "Scherm", "description": "Flikkert"})
    ticket = Ticket.objects.get()
    page = customer.get(reverse("portal:received", args=[ticket.number])).text
    # Priority P4 (low impact, medium urgency): a response within 9 business hours.
    assert f'<p class="confirmation__number">{ticket.number}</p>' in page
    assert "by <strong>Wednesday 15 April 2026, 10:00</strong>" in page
    assert "within 9 working hours" in page


def test_the_expected_response_skips_the_night(customer, desk, at_tuesday_10):
    outage = f.ServiceFactory(
        department=desk.it, default_impact="high", default_urgency="high"
    )  # P1: a response within one business hour
    at_tuesday_10.move_to(datetime.datetime(2026, 4, 14, 14, 30, tzinfo=datetime.UTC))  # 16:30
    customer.post(form_url(outage), {"title": "Alles plat", "description": "Niemand kan werken"})
    ticket = Ticket.objects.get()
    page = customer.get(reverse("portal:received", args=[ticket.number])).text
    assert "by <strong>Wednesday 15 April 2026, 08:30</strong>" in page


def test_the_confirmation_of_another_customers_request_is_not_found(
    customer, desk, open_ticket, colleague
):
    theirs = open_ticket(requester=colleague)
    assert customer.get(reverse("portal:received", args=[theirs.number])).status_code == 404


def test_a_request_without_a_subject_shows_the_error_next_to_it_and_keeps_the_text(
    customer, desk, at_tuesday_10
):
    response = customer.post(
        form_url(desk.payslip), {"title": "", "description": "Overuren ontbreken"}
    )
    assert response.status_code == 400
    assert '<p class="field-error" id="id_title_error">' in response.text
    assert "Overuren ontbreken</textarea>" in response.text
    assert not Ticket.objects.exists()


def test_a_bad_number_shows_the_error_next_to_the_field_and_keeps_what_was_typed(
    customer, typed_service, at_tuesday_10
):
    response = customer.post(form_url(typed_service), valid_pass_request(form_aantal="veel"))
    assert response.status_code == 400
    assert '<p class="field-error" id="id_form_aantal_error">' in response.text
    assert 'value="veel"' in response.text
    assert not Ticket.objects.exists()


def test_a_number_out_of_range_is_refused(customer, typed_service, at_tuesday_10):
    response = customer.post(form_url(typed_service), valid_pass_request(form_aantal="11"))
    assert "At most 10" in response.text
    assert not Ticket.objects.exists()


def test_a_missing_required_choice_is_refused_next_to_the_field(
    customer, typed_service, at_tuesday_10
):
    response = customer.post(form_url(typed_service), valid_pass_request(form_gebouw=""))
    assert '<p class="field-error" id="id_form_gebouw_error">' in response.text
    assert not Ticket.objects.exists()


def test_an_impossible_date_is_refused(customer, typed_service, at_tuesday_10):
    response = customer.post(form_url(typed_service), valid_pass_request(form_datum="31-02-2026"))
    assert '<p class="field-error" id="id_form_datum_error">' in response.text
    assert not Ticket.objects.exists()


def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_written(
    customer, desk, at_tuesday_10
):
    response = customer.post(
        form_url(desk.laptop),
        {
            "title": "Foto",
            "description": "Zie bijlage",
            "files": [SimpleUploadedFile("foto.pdf", b"MZ\x90 not a pdf")],
        },
    )
    assert response.status_code == 400
    assert '<p class="field-error" id="id_files_error">' in response.text
    assert "Zie bijlage</textarea>" in response.text
    assert (Ticket.objects.count(), Attachment.objects.count()) == (0, 0)


def test_a_login_without_customer_record_cannot_submit(client, desk, at_tuesday_10):
    client.force_login(desk.agent)
    response = client.post(form_url(desk.laptop), {"title": "Laptop", "description": "Stuk"})
    assert "Your login has no customer record" in response.text
    assert not Ticket.objects.exists()


def test_a_staff_member_uses_the_portal_as_a_customer(client, desk, at_tuesday_10):
    client.force_login(desk.hr_specialist)
    client.post(form_url(desk.laptop), {"title": "Mijn laptop", "description": "Start niet"})
    ticket = Ticket.objects.get()
    assert client.get(portal_url(ticket)).status_code == 200


# --- my requests ---------------------------------------------------------------------------


def test_my_requests_show_the_status_in_the_customers_words(customer, it_ticket):
    page = customer.get(reverse("portal:requests")).text
    assert "Being worked on" in page
    assert "Handed over" not in page


def test_my_requests_leave_out_a_colleagues_request(customer, open_ticket, colleague):
    theirs = open_ticket(requester=colleague)
    assert theirs.number not in customer.get(reverse("portal:requests")).text


def test_with_the_right_my_requests_include_the_organizations(
    customer, desk, open_ticket, colleague
):
    desk.person.sees_organization_tickets = True
    desk.person.save()
    theirs = open_ticket(requester=colleague)
    page = customer.get(reverse("portal:requests")).text
    assert theirs.number in page
    assert "for Piet Pol" in page


def test_with_the_right_only_mine_can_be_chosen(customer, desk, open_ticket, colleague):
    desk.person.sees_organization_tickets = True
    desk.person.save()
    theirs = open_ticket(requester=colleague)
    page = customer.get(reverse("portal:requests"), {"van": "mij"}).text
    assert theirs.number not in page


def test_with_the_right_a_colleagues_request_opens(customer, desk, open_ticket, colleague):
    desk.person.sees_organization_tickets = True
    desk.person.save()
    theirs = open_ticket(requester=colleague)
    assert "Requested by" in customer.get(portal_url(theirs)).text


def test_my_requests_filter_on_solved(customer, open_ticket):
    solved = open_ticket(resolve_with="Opgelost", title="Opgelost")
    still_open = open_ticket(title="Open")
    page = customer.get(reverse("portal:requests"), {"status": "done"}).text
    assert (solved.number in page, still_open.number in page) == (True, False)


def test_my_requests_page_by_page(customer, desk, open_ticket, at_tuesday_10):
    numbers = []
    for minute in range(27):
        at_tuesday_10.move_to(f.TUESDAY_10 + datetime.timedelta(minutes=minute))
        numbers.append(open_ticket(title=f"Vraag {minute}").number)
    first = customer.get(reverse("portal:requests"))
    second = customer.get(first.context["next_url"])
    shown = [t.number for t in first.context["tickets"] + second.context["tickets"]]
    assert shown == list(reversed(numbers))


def test_my_requests_query_count_does_not_grow(
    customer, desk, open_ticket, django_assert_num_queries
):
    open_ticket()
    with django_assert_num_queries(5):
        customer.get(reverse("portal:requests"))
    for number in range(5):
        open_ticket(service=f.ServiceFactory(department=desk.hr), title=f"V{number}")
    with django_assert_num_queries(5):
        response = customer.get(reverse("portal:requests"))
    assert len(response.context["tickets"]) == 6


# --- one request ---------------------------------------------------------------------------


def test_a_customer_gets_not_found_for_another_customers_ticket(customer, open_ticket, colleague):
    theirs = open_ticket(requester=colleague)
    assert customer.get(portal_url(theirs)).status_code == 404


def test_a_customer_never_sees_internal_notes(customer, desk, open_ticket):
    ticket = open_ticket()
    services.ticket_note(actor=desk.agent, ticket=ticket, body="Klant belt vaak")
    services.ticket_reply(actor=desk.agent, ticket=ticket, body="We sturen een nieuwe lader")
    page = customer.get(portal_url(ticket)).text
    assert ("We sturen een nieuwe lader" in page, "Klant belt vaak" in page) == (True, False)


def test_a_customer_never_sees_the_handover_note(customer, it_ticket):
    assert "Vervangende laptop" not in customer.get(portal_url(it_ticket)).text


def test_a_customer_never_sees_the_agents_words_for_a_counter_visit(customer, open_ticket):
    ticket = open_ticket(channel="counter", description="Klant komt aan de balie: pas kwijt")
    page = customer.get(portal_url(ticket)).text
    assert "Klant komt aan de balie" not in page
    assert "Question taken down at the counter" in page


def test_a_customer_cannot_download_a_file_an_agent_recorded_at_intake(customer, desk, open_ticket):
    ticket = open_ticket(files=[services.Upload("scan.pdf", PDF)])
    attachment = Attachment.objects.get(entry__ticket=ticket)
    assert customer.get(reverse("attachment", args=[attachment.pk])).status_code == 404


def test_a_customer_sees_the_answers_of_the_request_form(customer, typed_service, at_tuesday_10):
    customer.post(form_url(typed_service), valid_pass_request())
    page = customer.get(portal_url(Ticket.objects.get())).text
    assert "<dt>Gebouw</dt><dd>Stadskantoor</dd>" in page


def test_the_ticket_shows_the_expected_response_until_answered(customer, desk, open_ticket):
    ticket = open_ticket()
    before = customer.get(portal_url(ticket)).text
    services.ticket_reply(actor=desk.agent, ticket=ticket, body="We kijken ernaar")
    after = customer.get(portal_url(ticket)).text
    assert ("Expected response" in before, "Expected response" in after) == (True, False)


def test_a_customer_replies(customer, open_ticket):
    ticket = open_ticket()
    response = customer.post(reverse("portal:reply", args=[ticket.number]), {"body": "Nog steeds"})
    entry = TicketEntry.objects.filter(ticket=ticket, kind="customer_message").last()
    assert (response.url, entry.body, entry.channel) == (portal_url(ticket), "Nog steeds", "portal")


def test_a_customer_adds_a_file_without_a_message(customer, open_ticket):
    ticket = open_ticket()
    customer.post(
        reverse("portal:reply", args=[ticket.number]),
        {"body": "", "files": [SimpleUploadedFile("formulier.pdf", PDF)]},
    )
    attachment = Attachment.objects.get(entry__kind="customer_message", entry__channel="portal")
    assert attachment.filename == "formulier.pdf"


def test_a_reply_to_a_waiting_ticket_puts_it_back_to_work(customer, desk, open_ticket):
    ticket = open_ticket()
    services.ticket_wait_for_customer(actor=desk.agent, ticket=ticket, reason="Welk model?")
    customer.post(reverse("portal:reply", args=[ticket.number]), {"body": "Een Latitude"})
    assert Ticket.objects.get(pk=ticket.pk).status == "in_progress"


def test_a_waiting_ticket_asks_for_an_answer(customer, desk, open_ticket):
    ticket = open_ticket()
    services.ticket_wait_for_customer(actor=desk.agent, ticket=ticket, reason="Welk model?")
    page = customer.get(portal_url(ticket)).text
    assert "The service desk is waiting for your answer." in page
    assert "Welk model?" in page


def test_an_empty_customer_reply_shows_an_error_and_writes_nothing(customer, open_ticket):
    ticket = open_ticket()
    response = customer.post(reverse("portal:reply", args=[ticket.number]), {"body": "  "})
    assert response.status_code == 400
    assert '<p class="field-error" id="id_body_error">' in response.text
    assert TicketEntry.objects.filter(ticket=ticket).count() == 1


def test_a_customer_reply_with_a_rejected_file_keeps_the_text(customer, open_ticket):
    ticket = open_ticket()
    response = customer.post(
        reverse("portal:reply", args=[ticket.number]),
        {"body": "Zie foto", "files": SimpleUploadedFile("foto.exe", b"MZ\x90")},
    )
    assert response.status_code == 400
    assert "is not an accepted file" in response.text
    assert "Zie foto</textarea>" in response.text
    assert TicketEntry.objects.filter(ticket=ticket).count() == 1


def test_a_customer_cannot_reply_to_another_customers_ticket(customer, open_ticket, colleague):
    theirs = open_ticket(requester=colleague)
    response = customer.post(reverse("portal:reply", args=[theirs.number]), {"body": "Hallo"})
    assert response.status_code == 404


def test_a_customer_marks_a_ticket_as_solved(customer, open_ticket):
    ticket = open_ticket()
    customer.post(
        reverse("portal:solved", args=[ticket.number]), {"solved-comment": "Herstart hielp"}
    )
    ticket.refresh_from_db()
    page = customer.get(portal_url(ticket)).text
    assert (ticket.status, ticket.resolution) == ("resolved", "Herstart hielp")
    assert "You marked this as solved" in page


def test_marking_a_closed_ticket_solved_says_why_not(customer, desk, open_ticket):
    ticket = open_ticket(resolve_with="Lader vervangen")
    services.ticket_close(actor=desk.agent, ticket=ticket)
    response = customer.post(reverse("portal:solved", args=[ticket.number]), {})
    assert response.status_code == 400
    assert "This ticket is closed" in response.text


def test_a_customer_cannot_mark_another_customers_ticket_solved(customer, open_ticket, colleague):
    theirs = open_ticket(requester=colleague)
    assert customer.post(reverse("portal:solved", args=[theirs.number]), {}).status_code == 404


def test_a_customer_reopens_within_the_period(customer, desk, open_ticket, at_tuesday_10):
    ticket = open_ticket(resolve_with="Lader vervangen")
    at_tuesday_10.shift(datetime.timedelta(days=13))
    customer.post(
        reverse("portal:reopen", args=[ticket.number]), {"reopen-reason": "Nog steeds stuk"}
    )
    ticket.refresh_from_db()
    assert (ticket.status, ticket.reopen_count) == ("in_progress", 1)


def test_reopening_needs_a_reason_next_to_the_field(customer, open_ticket):
    ticket = open_ticket(resolve_with="Lader vervangen")
    response = customer.post(reverse("portal:reopen", args=[ticket.number]), {"reopen-reason": ""})
    assert '<p class="field-error" id="id_reopen-reason_error">' in response.text
    assert Ticket.objects.get(pk=ticket.pk).status == "resolved"


def test_reopening_after_the_period_is_refused_with_a_clear_message(
    customer, open_ticket, at_tuesday_10
):
    ticket = open_ticket(resolve_with="Lader vervangen")
    at_tuesday_10.shift(datetime.timedelta(days=15))
    response = customer.post(
        reverse("portal:reopen", args=[ticket.number]), {"reopen-reason": "Nog steeds stuk"}
    )
    assert response.status_code == 400
    assert "could be reopened until 28-04-2026" in response.text
    assert Ticket.objects.get(pk=ticket.pk).status == "resolved"


def test_after_the_period_the_page_offers_a_new_request_instead(
    customer, desk, open_ticket, at_tuesday_10
):
    ticket = open_ticket(resolve_with="Lader vervangen")
    at_tuesday_10.shift(datetime.timedelta(days=15))
    page = customer.get(portal_url(ticket)).text
    assert "The period to reopen this request ended on Tuesday 28 April 2026" in page
    assert reverse("portal:reopen", args=[ticket.number]) not in page
    assert form_url(desk.laptop) in page


def test_a_message_on_a_solved_ticket_after_the_period_does_not_reopen_it(
    customer, open_ticket, at_tuesday_10
):
    ticket = open_ticket(resolve_with="Lader vervangen")
    at_tuesday_10.shift(datetime.timedelta(days=15))
    response = customer.post(reverse("portal:reply", args=[ticket.number]), {"body": "Stuk"})
    assert response.status_code == 400
    assert Ticket.objects.get(pk=ticket.pk).status == "resolved"


def test_a_closed_ticket_offers_no_reply_form(customer, desk, open_ticket):
    ticket = open_ticket(resolve_with="Lader vervangen")
    services.ticket_close(actor=desk.agent, ticket=ticket)
    page = customer.get(portal_url(ticket)).text
    assert reverse("portal:reply", args=[ticket.number]) not in page
    assert "This request is closed" in page


def test_a_customer_downloads_an_attachment_of_their_ticket(customer, desk, open_ticket):
    ticket = open_ticket()
    entry = services.ticket_reply(
        actor=desk.agent, ticket=ticket, body="Handleiding", files=[services.Upload("h.pdf", PDF)]
    )
    response = customer.get(reverse("attachment", args=[entry.attachments.get().pk]))
    assert response.status_code == 200


def test_a_customer_cannot_download_an_internal_attachment(customer, desk, open_ticket):
    ticket = open_ticket()
    entry = services.ticket_note(
        actor=desk.agent, ticket=ticket, body="Intern", files=[services.Upload("i.pdf", PDF)]
    )
    response = customer.get(reverse("attachment", args=[entry.attachments.get().pk]))
    assert response.status_code == 404


def add_replies(desk, ticket, count):
    for number in range(count):
        services.ticket_reply(
            actor=desk.agent,
            ticket=ticket,
            body=f"Antwoord {number}",
            files=[services.Upload(f"bijlage{number}.pdf", PDF)],
        )


def test_the_portal_ticket_query_count_does_not_grow_with_the_history(
    customer, desk, open_ticket, django_assert_num_queries
):
    ticket = open_ticket()
    add_replies(desk, ticket, 2)
    with django_assert_num_queries(7):  # 6 + the access log INSERT
        customer.get(portal_url(ticket))
    add_replies(desk, ticket, 17)
    with django_assert_num_queries(7):
        response = customer.get(portal_url(ticket))
    assert len(response.context["timeline"]) == 20


# --- languages -----------------------------------------------------------------------------


def test_the_portal_speaks_dutch_by_default(desk):
    from django.test import Client

    dutch = Client()
    dutch.force_login(desk.customer)
    assert "Waarmee kunnen we u helpen?" in dutch.get(reverse("portal:home")).text


def test_the_language_switch_keeps_the_portal_page(desk):
    from django.test import Client

    browser = Client()
    browser.force_login(desk.customer)
    requests_page = reverse("portal:requests") + "?status=open"
    response = browser.post(
        reverse("set_language"), {"language": "en", "next": requests_page}, follow=True
    )
    assert response.redirect_chain[-1][0] == requests_page
    assert "<h1>My requests</h1>" in response.text


def test_the_customer_sees_that_the_desk_reopened_but_not_why(customer, desk, open_ticket):
    ticket = open_ticket(resolve_with="Lader vervangen")
    services.ticket_reopen(actor=desk.agent, ticket=ticket, reason="Collega vergat de lader")
    page = customer.get(portal_url(ticket)).text
    assert ("Reopened by the service desk" in page, "Collega vergat" in page) == (True, False)
