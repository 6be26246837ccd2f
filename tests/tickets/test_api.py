"""The tickets API: every endpoint, each role's scope, query counts."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from ninja.responses import NinjaJSONEncoder

from eenloket.directory.roles import Role
from eenloket.tickets import services
from eenloket.tickets.api import TicketPageOut
from eenloket.tickets.models import Ticket, TicketEntry
from tests import factories as f
from tests.apiclient import key_for

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def desk_key(desk):
    return key_for(role=Role.FIRST_LINE, name="CRM")


@pytest.fixture
def hr_key(desk):
    return key_for(role=Role.SPECIALIST, department=desk.hr, name="HR-systeem")


@pytest.fixture
def customer_key(desk):
    return key_for(role=Role.CUSTOMER, user=desk.customer, name="Eigen koppeling")


def test_first_line_lists_the_open_tickets(desk_key, it_ticket, hr_ticket):
    response = desk_key.get(f"{API}/tickets")
    numbers = {item["number"] for item in response.json()["items"]}
    assert (response.status_code, numbers) == (200, {it_ticket.number, hr_ticket.number})


def test_an_hr_key_lists_only_hr_tickets(hr_key, it_ticket, hr_ticket):
    response = hr_key.get(f"{API}/tickets")
    assert [item["number"] for item in response.json()["items"]] == [hr_ticket.number]


def test_an_hr_key_cannot_read_an_it_ticket(hr_key, it_ticket):
    response = hr_key.get(f"{API}/tickets/{it_ticket.number}")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_an_hr_key_cannot_read_an_it_tickets_timeline(hr_key, it_ticket):
    assert hr_key.get(f"{API}/tickets/{it_ticket.number}/entries").status_code == 404


def test_a_customer_key_lists_only_their_own_tickets(desk, customer_key, open_ticket):
    own = open_ticket()
    other = f.PersonFactory(organization=desk.organization)
    open_ticket(requester=other, title="Van een collega")
    response = customer_key.get(f"{API}/tickets")
    assert [item["number"] for item in response.json()["items"]] == [own.number]


def test_a_customer_key_cannot_read_a_colleagues_ticket(desk, customer_key, open_ticket):
    other = open_ticket(requester=f.PersonFactory(organization=desk.organization))
    assert customer_key.get(f"{API}/tickets/{other.number}").status_code == 404


def test_a_customer_sees_no_queue_no_assignee_and_no_notes(desk, customer_key, it_ticket):
    services.ticket_note(actor=desk.it_specialist, ticket=it_ticket, body="Intern: oude laptop")
    ticket = customer_key.get(f"{API}/tickets/{it_ticket.number}").json()
    entries = customer_key.get(f"{API}/tickets/{it_ticket.number}/entries").json()
    assert (ticket["queue"], ticket["as_agent"], [e["kind"] for e in entries]) == (
        None,
        False,
        ["customer_message"],
    )


def test_an_organization_key_sees_every_ticket_of_its_organization(desk, open_ticket):
    client = key_for(role=Role.CUSTOMER, organization=desk.organization, name="Gemeente portaal")
    ticket = open_ticket(requester=f.PersonFactory(organization=desk.organization))
    response = client.get(f"{API}/tickets/{ticket.number}")
    assert response.status_code == 200


def test_an_organization_key_does_not_see_another_organization(desk, open_ticket):
    other = f.OrganizationFactory(name="Gemeente Zwijndrecht")
    client = key_for(role=Role.CUSTOMER, organization=other, name="Zwijndrecht")
    ticket = open_ticket()
    assert client.get(f"{API}/tickets/{ticket.number}").status_code == 404


def test_the_list_pages_with_a_cursor(desk_key, open_ticket):
    tickets = [open_ticket(title=f"Vraag {n}") for n in range(3)]
    first = desk_key.get(f"{API}/tickets?limit=2").json()
    second = desk_key.get(f"{API}/tickets", {"limit": 2, "cursor": first["next_cursor"]}).json()
    seen = [i["number"] for i in first["items"] + second["items"]]
    assert (sorted(seen), second["next_cursor"]) == (sorted(t.number for t in tickets), None)


def test_the_list_filters_by_department(desk, desk_key, it_ticket, hr_ticket):
    response = desk_key.get(f"{API}/tickets", {"department_id": desk.hr.pk})
    assert [i["number"] for i in response.json()["items"]] == [hr_ticket.number]


def test_a_broken_cursor_is_a_field_error(desk_key, it_ticket):
    response = desk_key.get(f"{API}/tickets", {"cursor": "nonsense~x"})
    assert (response.status_code, list(response.json()["field_errors"])) == (400, ["cursor"])


@pytest.mark.parametrize("tickets", [1, 12])
def test_the_list_has_a_fixed_number_of_queries(
    desk_key, open_ticket, django_assert_num_queries, tickets
):
    for n in range(tickets):
        open_ticket(title=f"Vraag {n}")
    desk_key.get(f"{API}/tickets?limit=50")  # fills the reference data cache, notes key use
    # the key (with its login), the page of tickets with requester and assignee, the access log
    with django_assert_num_queries(3):
        response = desk_key.get(f"{API}/tickets?limit=50")
    assert len(response.json()["items"]) == tickets


def test_a_read_has_a_fixed_number_of_queries(desk_key, it_ticket, django_assert_num_queries):
    desk_key.get(f"{API}/tickets/{it_ticket.number}")
    # the key (with its login), the ticket with everything it shows, the access log
    with django_assert_num_queries(3):
        response = desk_key.get(f"{API}/tickets/{it_ticket.number}")
    assert response.json()["number"] == it_ticket.number


def _open_laptop_ticket(desk, desk_key, n):
    return desk_key.post_json(
        f"{API}/tickets",
        {
            "service_code": "laptop-defect",
            "requester_id": desk.person.pk,
            "title": f"Laptop kapot {n}",
            "description": "Scherm blijft zwart.",
        },
        headers={"Idempotency-Key": f"open-{n}"},
    )


def test_opening_a_ticket_has_a_fixed_number_of_queries(
    desk, desk_key, at_tuesday_10, django_assert_num_queries
):
    # The first fills the reference data cache (service, queues, SLA targets).
    _open_laptop_ticket(desk, desk_key, 0)
    # key, idempotency record?, requester, savepoint, number, ticket, opening message, audit
    # event, the idempotency record, release, the access log; in production BEGIN and COMMIT
    # instead of the savepoint (ticket_open's writes take none of their own).
    with django_assert_num_queries(11):
        response = _open_laptop_ticket(desk, desk_key, 1)
    assert response.status_code == 201


@pytest.mark.django_db(transaction=True)
def test_opening_a_ticket_costs_eleven_statements_in_production(desk, desk_key, at_tuesday_10):
    """Outside a test's transaction, as under `eenloket serve`: every round trip counts."""
    # The first fills the reference data cache, the webhook subscriptions included.
    _open_laptop_ticket(desk, desk_key, 0)
    with CaptureQueriesContext(connection) as captured:
        response = _open_laptop_ticket(desk, desk_key, 1)
    statements = [q["sql"].split()[0].upper() for q in captured.captured_queries]
    # key, idempotency record?, requester, number, ticket, opening message, audit event, the
    # idempotency record, commit (ticket_open's writes join the idempotency transaction
    # without a savepoint); then the access log's two rows (requester, ticket) in one INSERT
    # without a transaction of its own; no webhook subscriptions read after the commit (kept
    # per process).
    assert (response.status_code, statements) == (
        201,
        [
            *("SELECT", "SELECT", "BEGIN", "SELECT", "UPDATE", "INSERT", "INSERT", "INSERT"),
            *("INSERT", "COMMIT", "INSERT"),
        ],
    )
    assert not any("webhooksubscription" in q["sql"] for q in captured.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_a_list_costs_three_statements_in_production(desk_key, open_ticket):
    for n in range(3):
        open_ticket(title=f"Vraag {n}")
    desk_key.get(f"{API}/tickets?limit=50")  # fills the reference data cache
    with CaptureQueriesContext(connection) as captured:
        response = desk_key.get(f"{API}/tickets?limit=50")
    # the key, the page, the access log's three rows in one INSERT (no BEGIN and COMMIT)
    statements = [q["sql"].split()[0].upper() for q in captured.captured_queries]
    assert (len(response.json()["items"]), statements) == (3, ["SELECT", "SELECT", "INSERT"])


def test_the_list_body_is_what_its_schema_renders(desk, desk_key, customer_key, it_ticket):
    """The list is written without ninja's response validation: it must be byte for byte what
    validating it against TicketPageOut and rendering it would give (field order, types)."""
    services.ticket_assign(actor=desk.agent, ticket=it_ticket, assignee=desk.it_specialist)
    for client in (desk_key, customer_key):
        response = client.get(f"{API}/tickets?limit=50&status=all")
        body = response.content.decode()
        rendered = json.dumps(
            TicketPageOut.model_validate_json(body).model_dump(), cls=NinjaJSONEncoder
        )
        assert (response["Content-Type"], body) == ("application/json; charset=utf-8", rendered)


def test_the_timeline_has_a_fixed_number_of_queries(
    desk, desk_key, it_ticket, django_assert_max_num_queries
):
    for n in range(5):
        services.ticket_note(actor=desk.agent, ticket=it_ticket, body=f"Notitie {n}")
    with django_assert_max_num_queries(6):  # with the access log INSERT
        response = desk_key.get(f"{API}/tickets/{it_ticket.number}/entries")
    assert len(response.json()) == 7


def test_opening_a_ticket_for_a_customer(desk, desk_key, at_tuesday_10):
    response = desk_key.post_json(
        f"{API}/tickets",
        {
            "service_code": "laptop-defect",
            "requester_id": desk.person.pk,
            "title": "Laptop kapot",
            "description": "Scherm blijft zwart.",
        },
    )
    body = response.json()
    ticket = Ticket.objects.get(number=body["number"])
    assert (response.status_code, ticket.channel, ticket.requester) == (201, "api", desk.person)


def test_a_customer_opens_a_ticket_for_themselves(desk, customer_key, at_tuesday_10):
    response = customer_key.post_json(
        f"{API}/tickets",
        {"service_id": desk.laptop.pk, "title": "Laptop kapot", "description": "Zwart scherm."},
    )
    assert (response.status_code, Ticket.objects.get().requester) == (201, desk.person)


def test_a_customer_cannot_open_a_ticket_for_someone_else(desk, customer_key, at_tuesday_10):
    other = f.PersonFactory(organization=desk.organization)
    response = customer_key.post_json(
        f"{API}/tickets",
        {
            "service_id": desk.laptop.pk,
            "requester_id": other.pk,
            "title": "Voor een ander",
            "description": "Mag niet.",
        },
    )
    assert (response.status_code, Ticket.objects.count()) == (404, 0)


def test_opening_with_an_unknown_service_is_a_field_error(desk, desk_key, at_tuesday_10):
    response = desk_key.post_json(
        f"{API}/tickets",
        {"service_id": 999999, "requester_id": desk.person.pk, "title": "X", "description": "Y"},
    )
    assert (response.status_code, list(response.json()["field_errors"])) == (400, ["service_id"])


def test_opening_checks_the_request_form(desk, desk_key, at_tuesday_10):
    f.RequestFieldFactory(service=desk.laptop, key="serienummer", required=True)
    response = desk_key.post_json(
        f"{API}/tickets",
        {
            "service_id": desk.laptop.pk,
            "requester_id": desk.person.pk,
            "title": "Laptop",
            "description": "Kapot.",
        },
    )
    body = response.json()
    assert (response.status_code, body["field_errors"], Ticket.objects.count()) == (
        400,
        {"serienummer": ["This field is required."]},
        0,
    )


def test_an_agent_replies(desk_key, it_ticket):
    response = desk_key.post_json(
        f"{API}/tickets/{it_ticket.number}/replies", {"body": "We komen eraan."}
    )
    assert (response.status_code, response.json()["kind"], response.json()["public"]) == (
        201,
        "reply",
        True,
    )


def test_a_customer_reply_is_a_customer_message(customer_key, it_ticket):
    response = customer_key.post_json(
        f"{API}/tickets/{it_ticket.number}/replies", {"body": "Nog steeds kapot."}
    )
    assert (response.status_code, response.json()["kind"]) == (201, "customer_message")


def test_an_agent_adds_a_note(desk_key, it_ticket):
    response = desk_key.post_json(f"{API}/tickets/{it_ticket.number}/notes", {"body": "Intern"})
    assert (response.status_code, response.json()["public"]) == (201, False)


def test_a_customer_cannot_add_a_note(customer_key, it_ticket):
    response = customer_key.post_json(f"{API}/tickets/{it_ticket.number}/notes", {"body": "X"})
    assert (response.status_code, TicketEntry.objects.filter(kind="note").count()) == (404, 0)


def test_assigning_to_a_colleague(desk, desk_key, it_ticket):
    response = desk_key.post_json(
        f"{API}/tickets/{it_ticket.number}/assign", {"assignee_id": desk.it_specialist.pk}
    )
    assert (response.status_code, response.json()["assignee"]["id"]) == (
        200,
        desk.it_specialist.pk,
    )


def test_assigning_to_a_colleague_of_another_department_is_refused(desk, desk_key, it_ticket):
    response = desk_key.post_json(
        f"{API}/tickets/{it_ticket.number}/assign", {"assignee_id": desk.hr_specialist.pk}
    )
    assert (response.status_code, list(response.json()["field_errors"])) == (400, ["assignee_id"])


def test_handing_over_to_hr(desk, desk_key, open_ticket):
    ticket = open_ticket()
    response = desk_key.post_json(
        f"{API}/tickets/{ticket.number}/handover",
        {"department_code": "hr", "question": "Vraag", "tried": "Niets", "needed": "Antwoord"},
    )
    assert (response.status_code, response.json()["queue"]["id"]) == (200, desk.hr_queue.pk)


def test_a_handover_without_its_texts_names_the_missing_fields(desk_key, open_ticket):
    ticket = open_ticket()
    response = desk_key.post_json(
        f"{API}/tickets/{ticket.number}/handover",
        {"department_code": "hr", "question": " ", "tried": "", "needed": "Iets"},
    )
    assert sorted(response.json()["field_errors"]) == ["question", "tried"]


def test_waiting_for_the_customer(desk_key, it_ticket):
    response = desk_key.post_json(f"{API}/tickets/{it_ticket.number}/wait", {"reason": "Foto?"})
    assert (response.json()["status"], response.json()["sla_state"]) == ("waiting", "paused")


def test_resolve_close_and_a_closed_ticket_cannot_reopen(desk_key, it_ticket):
    number = it_ticket.number
    desk_key.post_json(f"{API}/tickets/{number}/resolve", {"resolution": "Nieuwe laptop."})
    closed = desk_key.post_json(f"{API}/tickets/{number}/close", {})
    reopen = desk_key.post_json(f"{API}/tickets/{number}/reopen", {"reason": "Toch niet"})
    assert (closed.json()["status"], reopen.status_code, reopen.json()["code"]) == (
        "closed",
        409,
        "ticket_closed",
    )


def test_reopening_a_resolved_ticket(desk_key, it_ticket):
    number = it_ticket.number
    desk_key.post_json(f"{API}/tickets/{number}/resolve", {"resolution": "Opgelost."})
    response = desk_key.post_json(f"{API}/tickets/{number}/reopen", {"reason": "Weer kapot"})
    assert (response.status_code, response.json()["status"]) == (200, "handed_over")


def test_a_stale_version_is_a_conflict_and_changes_nothing(desk_key, it_ticket):
    number = it_ticket.number
    response = desk_key.post_json(
        f"{API}/tickets/{number}/resolve",
        {"resolution": "Opgelost.", "version": it_ticket.version - 1},
    )
    it_ticket.refresh_from_db()
    assert (response.status_code, response.json()["code"], it_ticket.status) == (
        409,
        "conflict",
        "handed_over",
    )


def test_the_sla_state(desk_key, it_ticket):
    response = desk_key.get(f"{API}/tickets/{it_ticket.number}/sla")
    body = response.json()
    assert (body["state"], body["paused"], body["response_breached"]) == ("ok", False, False)


def test_uploading_and_downloading_an_attachment(desk_key, it_ticket):
    upload = SimpleUploadedFile("scherm.png", PNG, content_type="image/png")
    response = desk_key.post(
        f"{API}/tickets/{it_ticket.number}/attachments", {"file": upload, "body": "Screenshot"}
    )
    attachment = response.json()["attachments"][0]
    download = desk_key.get(attachment["url"])
    assert (response.status_code, download.status_code, b"".join(download.streaming_content)) == (
        201,
        200,
        PNG,
    )


def test_an_attachment_of_an_internal_note_is_hidden_from_the_customer(
    desk_key, customer_key, it_ticket
):
    upload = SimpleUploadedFile("intern.png", PNG, content_type="image/png")
    entry = desk_key.post(f"{API}/tickets/{it_ticket.number}/attachments", {"file": upload})
    url = entry.json()["attachments"][0]["url"]
    assert customer_key.get(url).status_code == 404


def test_an_upload_whose_content_is_not_its_type_is_refused(desk_key, it_ticket):
    upload = SimpleUploadedFile(
        "virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = desk_key.post(f"{API}/tickets/{it_ticket.number}/attachments", {"file": upload})
    assert (
        response.status_code,
        response.json()["code"],
        TicketEntry.objects.filter(kind="note").count(),
    ) == (
        400,
        "upload_rejected",
        0,
    )


def test_a_too_large_upload_is_413_and_writes_nothing(settings, desk_key, it_ticket):
    settings.EENLOKET_MAX_UPLOAD_BYTES = 1024
    upload = SimpleUploadedFile("groot.txt", b"a" * (1024 * 1024 + 2048), content_type="text/plain")
    response = desk_key.post(f"{API}/tickets/{it_ticket.number}/attachments", {"file": upload})
    assert (response.status_code, response.json()["code"], TicketEntry.objects.count()) == (
        413,
        "too_large",
        2,
    )


def test_the_browser_session_works_with_its_csrf_token(desk, it_ticket):
    from django.test import Client

    client = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})
    client.force_login(desk.agent)
    assert client.get(f"{API}/tickets/{it_ticket.number}").status_code == 200


def test_a_session_post_without_csrf_token_is_refused(desk, it_ticket):
    from django.test import Client

    client = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})
    client.force_login(desk.agent)
    response = client.post(
        f"{API}/tickets/{it_ticket.number}/notes", {"body": "X"}, content_type="application/json"
    )
    assert (response.status_code, response.json()["code"]) == (403, "csrf_failed")


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_change_lead_key_sees_no_tickets(desk, it_ticket):
    client = key_for(role=Role.CHANGE_LEAD, name="Transitiedashboard")
    listed = client.get(f"{API}/tickets").json()["items"]
    assert (listed, client.get(f"{API}/tickets/{it_ticket.number}").status_code) == ([], 404)


def test_an_it_specialist_key_works_an_it_ticket(desk, it_ticket):
    client = key_for(role=Role.SPECIALIST, department=desk.it, name="IT-beheertool")
    response = client.post_json(f"{API}/tickets/{it_ticket.number}/notes", {"body": "Gezien"})
    assert response.status_code == 201
