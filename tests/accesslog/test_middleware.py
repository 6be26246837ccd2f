"""Every kind of access writes the right entry: who (actor, role, departments), what (action,
object), whose data (the data subject), through which channel, with which result."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eenloket.accesslog.models import AccessEntry
from eenloket.channels.counter import services as counter_services
from eenloket.channels.phone import services as phone_services
from eenloket.directory.roles import Role
from eenloket.tickets import services
from tests.apiclient import key_for
from tests.counter.conftest import counter  # noqa: F401  (the counter fixture)
from tests.factories import PDF, TUESDAY_10

pytestmark = pytest.mark.django_db


def ticket_url(ticket):
    return reverse("workspace:ticket", args=[ticket.number])


# --- the workspace -----------------------------------------------------------------------


def test_an_agent_viewing_a_ticket_is_logged_with_the_requester_as_subject(
    client, desk, it_ticket, logged
):
    client.force_login(desk.agent)
    assert client.get(ticket_url(it_ticket)).status_code == 200
    assert logged() == [
        ("servicedesk", Role.FIRST_LINE, "view", "ticket", it_ticket.number, desk.person.pk, "ok")
    ]


def test_the_entry_says_when_where_how_and_under_which_activity(client, desk, it_ticket):
    client.force_login(desk.agent)
    with time_machine.travel(TUESDAY_10, tick=False):
        client.get(ticket_url(it_ticket), REMOTE_ADDR="10.20.30.40")
    entry = AccessEntry.objects.get()
    assert (
        entry.started_at,
        entry.ip_address,
        entry.channel,
        entry.activity,
        entry.name,
        entry.http_status,
        entry.ticket_number,
        entry.actor_id,
        len(entry.trace_id),
        len(entry.span_id),
    ) == (
        TUESDAY_10,
        "10.20.30.40",
        "page",
        "ticket-handling",
        "workspace:ticket",
        200,
        it_ticket.number,
        desk.agent.pk,
        32,
        16,
    )


def test_a_specialist_is_logged_with_the_department_that_gave_access(client, desk, it_ticket):
    client.force_login(desk.it_specialist)
    client.get(ticket_url(it_ticket))
    entry = AccessEntry.objects.get()
    assert (entry.actor_role, entry.actor_department_ids) == (Role.SPECIALIST, str(desk.it.pk))


def test_an_action_on_a_ticket_is_logged_as_a_change(client, desk, it_ticket, logged):
    client.force_login(desk.agent)
    response = client.post(
        reverse("workspace:note", args=[it_ticket.number]),
        {"note-body": "Gebeld, geen gehoor", "note-version": it_ticket.version},
    )
    assert response.status_code == 302
    assert logged() == [
        ("servicedesk", Role.FIRST_LINE, "change", "ticket", it_ticket.number, desk.person.pk, "ok")
    ]


def test_an_out_of_scope_ticket_is_logged_as_refused_without_a_subject(
    client, desk, it_ticket, logged
):
    client.force_login(desk.hr_specialist)
    assert client.get(ticket_url(it_ticket)).status_code == 404
    assert logged() == [
        ("specialist-hr", Role.SPECIALIST, "view", "ticket", it_ticket.number, None, "refused")
    ]


def test_a_ticket_that_does_not_exist_is_logged_as_refused_too(client, desk, logged):
    client.force_login(desk.agent)
    client.get(reverse("workspace:ticket", args=["M2026-99999"]))
    assert logged() == [
        ("servicedesk", Role.FIRST_LINE, "view", "ticket", "M2026-99999", None, "refused")
    ]


def test_the_inbox_logs_no_row(client, desk, it_ticket, hr_ticket):
    client.force_login(desk.agent)
    assert client.get(reverse("workspace:queue")).status_code == 200
    assert AccessEntry.objects.count() == 0


def test_new_contact_search_logs_each_person_shown(client, desk, logged):
    client.force_login(desk.agent)
    response = client.get(reverse("workspace:new"), {"q": "Karin"}, headers={"HX-Request": "true"})
    assert desk.person.full_name in response.content.decode()
    assert logged() == [
        (
            "servicedesk",
            Role.FIRST_LINE,
            "search",
            "person",
            str(desk.person.pk),
            desk.person.pk,
            "ok",
        )
    ]


def test_choosing_the_caller_logs_a_view_of_the_person(client, desk, logged):
    client.force_login(desk.agent)
    client.get(reverse("workspace:new"), {"persoon": desk.person.pk})
    assert logged() == [
        (
            "servicedesk",
            Role.FIRST_LINE,
            "view",
            "person",
            str(desk.person.pk),
            desk.person.pk,
            "ok",
        )
    ]


def test_the_knowledge_panel_of_a_ticket_is_logged(client, desk, it_ticket, logged):
    client.force_login(desk.agent)
    client.get(reverse("knowledge:panel", args=[it_ticket.number]))
    assert logged() == [
        ("servicedesk", Role.FIRST_LINE, "view", "ticket", it_ticket.number, desk.person.pk, "ok")
    ]


def test_a_request_that_shows_no_ones_data_writes_nothing(client, desk):
    client.force_login(desk.agent)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("knowledge:index"))
    assert not [q for q in queries.captured_queries if "accesslog" in q["sql"]]


def test_a_logged_page_costs_exactly_one_insert(client, desk, it_ticket):
    client.force_login(desk.agent)
    client.get(reverse("workspace:new"), {"q": "Karin"})  # warm caches
    with CaptureQueriesContext(connection) as queries:
        client.get(ticket_url(it_ticket))
    writes = [q["sql"] for q in queries.captured_queries if "accesslog_accessentry" in q["sql"]]
    assert [sql.split()[0] for sql in writes] == ["INSERT"]


# --- the portal and files ----------------------------------------------------------------


def test_a_customer_viewing_their_own_ticket_is_logged_as_self_service(
    client, desk, open_ticket, logged
):
    ticket = open_ticket()
    client.force_login(desk.customer)
    assert client.get(reverse("portal:ticket", args=[ticket.number])).status_code == 200
    assert logged() == [
        ("klant", Role.CUSTOMER, "view", "ticket", ticket.number, desk.person.pk, "ok")
    ]
    assert AccessEntry.objects.get().activity == "self-service"


def test_a_customer_opening_a_request_logs_the_new_ticket_as_a_change(client, desk, logged):
    client.force_login(desk.customer)
    response = client.post(
        reverse("portal:request", args=[desk.laptop.pk]),
        {"title": "Scherm blijft zwart", "description": "Sinds vanochtend"},
    )
    assert response.status_code == 302
    (row,) = logged(object_kind="ticket")
    assert row[:3] + row[5:] == ("klant", Role.CUSTOMER, "change", desk.person.pk, "ok")


def test_an_attachment_download_is_logged(client, desk, open_ticket, logged):
    ticket = open_ticket()
    services.ticket_note(
        actor=desk.agent, ticket=ticket, body="Scan", files=[services.Upload("scan.pdf", PDF)]
    )
    attachment_id = ticket.entries.get(kind="note").attachments.get().pk
    client.force_login(desk.agent)
    assert client.get(reverse("attachment", args=[attachment_id])).status_code == 200
    assert logged() == [
        (
            "servicedesk",
            Role.FIRST_LINE,
            "download",
            "attachment",
            str(attachment_id),
            desk.person.pk,
            "ok",
        )
    ]


def test_an_attachment_a_customer_may_not_see_is_refused(client, desk, open_ticket, logged):
    ticket = open_ticket()
    services.ticket_note(
        actor=desk.agent, ticket=ticket, body="Intern", files=[services.Upload("x.pdf", PDF)]
    )
    attachment_id = ticket.entries.get(kind="note").attachments.get().pk
    client.force_login(desk.customer)
    assert client.get(reverse("attachment", args=[attachment_id])).status_code == 404
    assert logged() == [
        ("klant", Role.CUSTOMER, "view", "attachment", str(attachment_id), None, "refused")
    ]


# --- the API -----------------------------------------------------------------------------


@pytest.fixture
def desk_key(desk):
    return key_for(role=Role.FIRST_LINE, name="CRM")


def test_an_api_read_is_logged_with_the_key(desk, desk_key, it_ticket):
    assert desk_key.get(f"/api/v1/tickets/{it_ticket.number}").status_code == 200
    entry = AccessEntry.objects.get()
    assert (
        entry.channel,
        entry.api_key_id,
        entry.actor_id,
        entry.action,
        entry.person_id,
        entry.name,
    ) == (
        "api",
        desk_key.key.pk,
        desk_key.key.user_id,
        "view",
        desk.person.pk,
        "api-v1:ticket_read",
    )


def test_an_api_write_is_logged_as_a_change(desk, desk_key, it_ticket):
    response = desk_key.post_json(
        f"/api/v1/tickets/{it_ticket.number}/notes", {"body": "Via het CRM"}
    )
    assert response.status_code in (200, 201)
    assert list(AccessEntry.objects.values_list("action", "object_ref", "result")) == [
        ("change", it_ticket.number, "ok")
    ]


def test_an_api_list_logs_each_ticket_it_hands_out(desk_key, it_ticket, hr_ticket):
    desk_key.get("/api/v1/tickets")
    assert sorted(AccessEntry.objects.values_list("object_ref", flat=True)) == sorted(
        [it_ticket.number, hr_ticket.number]
    )


def test_an_api_people_search_logs_the_people_found(desk, desk_key, logged):
    desk_key.get("/api/v1/people", {"q": "Karin"})
    assert [row[2:] for row in logged()] == [
        ("search", "person", str(desk.person.pk), desk.person.pk, "ok")
    ]


def test_a_customer_key_reading_someone_elses_ticket_is_refused(desk, it_ticket, logged):
    other = key_for(role=Role.CUSTOMER, user=desk.hr_specialist, name="Eigen")
    assert other.get(f"/api/v1/tickets/{it_ticket.number}").status_code == 404
    assert [row[2:] for row in logged()] == [("view", "ticket", it_ticket.number, None, "refused")]


def test_a_trace_id_sent_by_the_caller_is_kept(desk_key, it_ticket):
    trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    desk_key.get(
        f"/api/v1/tickets/{it_ticket.number}",
        headers={"traceparent": f"00-{trace}-00f067aa0ba902b7-01"},
    )
    entry = AccessEntry.objects.get()
    assert (entry.trace_id, entry.parent_span_id) == (trace, "00f067aa0ba902b7")


# --- phone and counter -------------------------------------------------------------------


@pytest.fixture
def call(desk, at_tuesday_10):
    desk.person.phone = "+31781234567"
    desk.person.save()
    token, _raw = phone_services.cti_token_create(actor=None, name="Centrale")
    phone_services.cti_event_receive(
        token=token,
        data={
            "event": "newCall",
            "callId": "c1",
            "direction": "in",
            "from": "0781234567",
            "user": ["servicedesk"],
        },
    )
    return "c1"


def test_the_call_popup_logs_the_caller(client, desk, call, logged):
    client.force_login(desk.agent)
    response = client.get(reverse("phone:live"))
    assert desk.person.full_name in response.content.decode()
    assert logged() == [
        ("servicedesk", Role.FIRST_LINE, "view", "call", call, desk.person.pk, "ok")
    ]


def test_a_call_page_logs_the_caller(client, desk, call, logged):
    client.force_login(desk.agent)
    client.get(reverse("phone:call", args=[call]))
    assert logged() == [
        ("servicedesk", Role.FIRST_LINE, "view", "call", call, desk.person.pk, "ok")
    ]


def test_the_counter_desk_logs_the_visitor_being_served(client, desk, counter, at_tuesday_10):  # noqa: F811
    desk.person.employee_number = "E77"
    desk.person.save()
    counter_services.visit_take_number(topic_id=counter.general.pk, identification="E77")
    visit = counter_services.visit_call_next(actor=desk.agent, desk_id=counter.desk1.pk)
    client.force_login(desk.agent)
    client.get(reverse("counter:desk", args=[counter.desk1.pk]))
    entry = AccessEntry.objects.get()
    assert (entry.object_kind, entry.object_ref, entry.person_id, entry.activity) == (
        "visit",
        str(visit.pk),
        desk.person.pk,
        "customer-contact",
    )


# --- the Django admin --------------------------------------------------------------------


def test_a_person_opened_in_the_django_admin_is_logged(client, desk, logged):
    client.force_login(desk.admin)
    url = reverse("admin:directory_person_change", args=[desk.person.pk])
    assert client.get(url).status_code == 200
    assert logged() == [
        (
            "beheerder",
            Role.ADMINISTRATOR,
            "view",
            "person",
            str(desk.person.pk),
            desk.person.pk,
            "ok",
        )
    ]
    assert AccessEntry.objects.get().activity == "administration"


def test_a_list_in_the_django_admin_logs_no_row(client, desk):
    client.force_login(desk.admin)
    client.get(reverse("admin:directory_person_changelist"))
    assert AccessEntry.objects.count() == 0
