"""The customer portal: my tickets, one ticket's public history, replying, a new request."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eenloket.tickets import services
from eenloket.tickets.models import Ticket, TicketEntry
from tests import factories as f
from tests.factories import PDF


def portal_url(ticket):
    return reverse("portal:ticket", args=[ticket.number])


def test_the_portal_lists_the_customers_tickets(client, desk, open_ticket):
    mine = open_ticket()
    theirs = open_ticket(requester=f.PersonFactory(organization=desk.organization))
    client.force_login(desk.customer)
    page = client.get(reverse("portal:home")).text
    assert (mine.number in page, theirs.number in page) == (True, False)


def test_the_portal_needs_a_login(client, desk):
    assert client.get(reverse("portal:home")).url.startswith(reverse("login"))


def test_a_customer_gets_not_found_for_another_customers_ticket(client, desk, open_ticket):
    theirs = open_ticket(requester=f.PersonFactory(organization=desk.organization))
    client.force_login(desk.customer)
    assert client.get(portal_url(theirs)).status_code == 404


def test_a_customer_never_sees_internal_notes(client, desk, open_ticket):
    ticket = open_ticket()
    services.ticket_note(actor=desk.agent, ticket=ticket, body="Klant belt vaak")
    services.ticket_reply(actor=desk.agent, ticket=ticket, body="We sturen een nieuwe lader")
    client.force_login(desk.customer)
    page = client.get(portal_url(ticket)).text
    assert ("We sturen een nieuwe lader" in page, "Klant belt vaak" in page) == (True, False)


def test_a_customer_never_sees_the_handover_note(client, desk, it_ticket):
    client.force_login(desk.customer)
    page = client.get(portal_url(it_ticket)).text
    assert "Vervangende laptop" not in page


def test_a_customer_replies(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.customer)
    response = client.post(reverse("portal:reply", args=[ticket.number]), {"body": "Nog steeds"})
    entry = TicketEntry.objects.filter(ticket=ticket, kind="customer_message").last()
    assert (response.url, entry.body, entry.channel) == (portal_url(ticket), "Nog steeds", "portal")


def test_a_customer_reply_with_a_rejected_file_keeps_the_text(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.customer)
    response = client.post(
        reverse("portal:reply", args=[ticket.number]),
        {"body": "Zie foto", "files": SimpleUploadedFile("foto.exe", b"MZ\x90")},
    )
    assert response.status_code == 400
    assert "is not an accepted file" in response.text
    assert "Zie foto</textarea>" in response.text


def test_an_empty_customer_reply_shows_an_error(client, desk, open_ticket):
    ticket = open_ticket()
    client.force_login(desk.customer)
    response = client.post(reverse("portal:reply", args=[ticket.number]), {"body": ""})
    assert response.status_code == 400
    assert '<p class="field-error" id="id_body_error">' in response.text


def test_a_reply_reopens_a_resolved_ticket(client, desk, open_ticket):
    ticket = open_ticket(resolve_with="Lader vervangen")
    client.force_login(desk.customer)
    client.post(reverse("portal:reply", args=[ticket.number]), {"body": "Werkt nog niet"})
    assert Ticket.objects.get(pk=ticket.pk).status == "in_progress"


def test_a_closed_ticket_offers_no_reply_form(client, desk, open_ticket):
    ticket = open_ticket(resolve_with="Lader vervangen")
    services.ticket_close(actor=desk.agent, ticket=ticket)
    client.force_login(desk.customer)
    page = client.get(portal_url(ticket)).text
    assert reverse("portal:reply", args=[ticket.number]) not in page


def test_a_customer_cannot_reply_to_another_customers_ticket(client, desk, open_ticket):
    theirs = open_ticket(requester=f.PersonFactory(organization=desk.organization))
    client.force_login(desk.customer)
    response = client.post(reverse("portal:reply", args=[theirs.number]), {"body": "Hallo"})
    assert response.status_code == 404


def test_the_new_request_page_lists_the_services(client, desk):
    client.force_login(desk.customer)
    page = client.get(reverse("portal:new")).text
    assert f"?dienst={desk.payslip.pk}" in page


def test_a_customer_submits_a_request(client, desk, at_tuesday_10):
    client.force_login(desk.customer)
    response = client.post(
        f"{reverse('portal:new')}?dienst={desk.payslip.pk}",
        {"title": "Loonstrook maart", "description": "Overuren ontbreken"},
    )
    ticket = Ticket.objects.get()
    assert (response.url, ticket.requester, ticket.channel) == (
        portal_url(ticket),
        desk.person,
        "portal",
    )


def test_a_request_without_a_subject_shows_an_error_and_keeps_the_text(client, desk, at_tuesday_10):
    client.force_login(desk.customer)
    response = client.post(
        f"{reverse('portal:new')}?dienst={desk.payslip.pk}",
        {"title": "", "description": "Overuren ontbreken"},
    )
    assert response.status_code == 400
    assert '<p class="field-error" id="id_title_error">' in response.text
    assert "Overuren ontbreken</textarea>" in response.text
    assert not Ticket.objects.exists()


def test_a_staff_member_uses_the_portal_as_a_customer(client, desk, at_tuesday_10):
    client.force_login(desk.hr_specialist)
    client.post(
        f"{reverse('portal:new')}?dienst={desk.laptop.pk}",
        {"title": "Mijn laptop", "description": "Start niet"},
    )
    ticket = Ticket.objects.get()
    assert client.get(portal_url(ticket)).status_code == 200


def test_a_user_without_a_customer_record_cannot_submit(client, desk):
    client.force_login(desk.agent)
    page = client.get(f"{reverse('portal:new')}?dienst={desk.laptop.pk}").text
    assert "Your login has no customer record" in page


def test_a_customer_downloads_an_attachment_of_their_ticket(client, desk, open_ticket):
    ticket = open_ticket()
    entry = services.ticket_reply(
        actor=desk.agent, ticket=ticket, body="Handleiding", files=[services.Upload("h.pdf", PDF)]
    )
    client.force_login(desk.customer)
    response = client.get(reverse("attachment", args=[entry.attachments.get().pk]))
    assert response.status_code == 200


def test_a_customer_cannot_download_an_internal_attachment(client, desk, open_ticket):
    ticket = open_ticket()
    entry = services.ticket_note(
        actor=desk.agent, ticket=ticket, body="Intern", files=[services.Upload("i.pdf", PDF)]
    )
    client.force_login(desk.customer)
    response = client.get(reverse("attachment", args=[entry.attachments.get().pk]))
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
    client, desk, open_ticket, django_assert_num_queries
):
    ticket = open_ticket()
    add_replies(desk, ticket, 2)
    client.force_login(desk.customer)
    with django_assert_num_queries(6):
        client.get(portal_url(ticket))
    add_replies(desk, ticket, 17)
    with django_assert_num_queries(6):
        response = client.get(portal_url(ticket))
    assert len(response.context["timeline"]) == 20
