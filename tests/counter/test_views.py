"""The counter's pages: kiosk, display board, the agent's desk, appointments and figures."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from eenloket.channels.counter import services
from eenloket.channels.counter.models import Appointment, Visit
from eenloket.tickets.models import Ticket
from tests.counter.factories import AppointmentFactory
from tests.factories import TUESDAY_10

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)
WEDNESDAY_9 = datetime.datetime(2026, 4, 15, 7, 0, tzinfo=datetime.UTC)


@pytest.fixture
def at_10(counter):
    with time_machine.travel(TUESDAY_10, tick=False) as traveller:
        yield traveller


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- kiosk -------------------------------------------------------------------------------


def test_the_kiosk_offers_a_button_per_topic(client, counter, at_10):
    page = text(client.get(reverse("counter:kiosk")))
    assert "General questions" in page and "Access passes" in page


def test_taking_a_number_shows_it(client, counter, at_10):
    response = client.post(
        reverse("counter:kiosk"), {"topic": counter.general.pk, "identification": ""}, follow=True
    )
    assert "A001" in text(response)


def test_the_number_page_cannot_be_guessed(client, counter, at_10):
    services.visit_take_number(topic_id=counter.general.pk)
    response = client.get(reverse("counter:kiosk_number", args=["1"]))
    assert response.status_code == 404


def test_the_kiosk_after_closing_time_says_so_and_gives_no_number(client, counter):
    with time_machine.travel(TUESDAY_10 + datetime.timedelta(hours=8), tick=False):
        page = text(client.get(reverse("counter:kiosk")))
        response = client.post(reverse("counter:kiosk"), {"topic": counter.general.pk})
    assert "The counter is closed now." in page
    assert (response.status_code, Visit.objects.count()) == (400, 0)
    assert "No queue number was given" in text(response)


def test_the_kiosk_in_dutch(client, counter, at_10):
    page = text(client.get(reverse("counter:kiosk"), headers={"accept-language": "nl"}))
    assert "Algemene vragen" in page


def test_check_in_with_a_good_code_shows_the_number(client, counter, at_10):
    appointment = AppointmentFactory(topic=counter.general, starts_at=TUESDAY_10 + 10 * MINUTE)
    response = client.post(
        reverse("counter:kiosk_check_in"), {"code": appointment.code}, follow=True
    )
    assert "A001" in text(response)


def test_check_in_with_an_unknown_code_says_so(client, counter, at_10):
    response = client.post(reverse("counter:kiosk_check_in"), {"code": "QQQQQQ"})
    assert response.status_code == 400
    assert "This appointment code is unknown" in text(response)
    assert Visit.objects.count() == 0


def test_check_in_with_an_expired_code_says_so(client, counter, at_10):
    appointment = AppointmentFactory(topic=counter.general, starts_at=TUESDAY_10 - 60 * MINUTE)
    response = client.post(reverse("counter:kiosk_check_in"), {"code": appointment.code})
    assert "This appointment is over or was cancelled" in text(response)
    assert Visit.objects.count() == 0


# --- board -------------------------------------------------------------------------------


def test_the_board_shows_a_called_number_and_its_desk(client, desk, counter, at_10):
    services.visit_take_number(topic_id=counter.general.pk)
    services.visit_call_next(actor=desk.agent, desk_id=counter.desk2.pk)
    page = text(client.get(reverse("counter:board")))
    assert re.search(r'board-call__number">A001</span>.*Balie 2', page)


def test_the_board_update_is_only_the_live_part(client, desk, counter, at_10):
    response = client.get(reverse("counter:board"), headers={"hx-request": "true"})
    page = text(response)
    assert page.lstrip().startswith('<div id="board-live"')


def test_the_board_has_a_fixed_number_of_queries(
    client, desk, counter, at_10, django_assert_max_num_queries
):
    for _ in range(5):
        services.visit_take_number(topic_id=counter.general.pk)
    services.visit_call_next(actor=desk.agent, desk_id=counter.desk1.pk)
    services.visit_call_next(actor=desk.agent, desk_id=counter.desk2.pk)
    with django_assert_max_num_queries(2):
        client.get(reverse("counter:board"), headers={"hx-request": "true"})


# --- desk --------------------------------------------------------------------------------


def test_a_customer_cannot_open_a_desk(client, desk, counter, at_10):
    client.force_login(desk.customer)
    assert client.get(reverse("counter:desk", args=[counter.desk1.pk])).status_code == 403


def test_the_desk_shows_the_queue_with_waiting_times(client, desk, counter, at_10):
    services.visit_take_number(topic_id=counter.general.pk)
    at_10.shift(12 * MINUTE)
    client.force_login(desk.agent)
    page = text(client.get(reverse("counter:desk", args=[counter.desk1.pk])))
    assert re.search(r"A001</th>.*12 min", page)


def test_the_desk_page_has_a_fixed_number_of_queries(
    client, desk, counter, at_10, django_assert_max_num_queries
):
    for _ in range(8):
        services.visit_take_number(topic_id=counter.general.pk)
        services.visit_take_number(topic_id=counter.passes.pk)
    visit = services.visit_call_next(actor=desk.agent, desk_id=counter.desk1.pk)
    services.visit_start_serving(actor=desk.agent, visit_id=visit.pk)
    services.visit_identify(actor=desk.agent, visit_id=visit.pk, person_id=desk.person.pk)
    client.force_login(desk.agent)
    with django_assert_max_num_queries(16):
        client.get(reverse("counter:desk", args=[counter.desk1.pk]))


def test_call_next_on_the_page_calls_the_visitor(client, desk, counter, at_10):
    services.visit_take_number(topic_id=counter.general.pk)
    client.force_login(desk.agent)
    response = client.post(reverse("counter:call_next", args=[counter.desk1.pk]), follow=True)
    assert "A001 is called to Balie 1." in text(response)


def test_a_desk_without_topics_explains_and_calls_no_one(client, desk, counter, at_10):
    services.visit_take_number(topic_id=counter.general.pk)
    client.force_login(desk.agent)
    response = client.post(reverse("counter:call_next", args=[counter.empty_desk.pk]), follow=True)
    assert "This desk serves no topics" in text(response)
    assert Visit.objects.get().status == "waiting"


def test_serving_shows_the_customer_panel_with_a_workspace_link(client, desk, counter, at_10):
    desk.person.employee_number = "E77"
    desk.person.save()
    services.visit_take_number(topic_id=counter.general.pk, identification="E77")
    visit = services.visit_call_next(actor=desk.agent, desk_id=counter.desk1.pk)
    client.force_login(desk.agent)
    response = client.post(reverse("counter:serve", args=[visit.pk]), follow=True)
    page = text(response)
    assert desk.person.full_name in page
    assert f"/werkplek/nieuw/?persoon={desk.person.pk}" in page


def test_done_on_the_page_records_the_ticket(client, desk, counter, at_10):
    services.visit_take_number(topic_id=counter.general.pk)
    visit = services.visit_call_next(actor=desk.agent, desk_id=counter.desk1.pk)
    services.visit_start_serving(actor=desk.agent, visit_id=visit.pk)
    services.visit_identify(actor=desk.agent, visit_id=visit.pk, person_id=desk.person.pk)
    client.force_login(desk.agent)
    response = client.post(
        reverse("counter:finish", args=[visit.pk]),
        {
            "question": "Pas kwijt",
            "service": desk.laptop.pk,
            "outcome": "resolved",
            "resolution": "Nieuwe pas gemaakt",
        },
        follow=True,
    )
    ticket = Ticket.objects.get()
    assert f"recorded as ticket {ticket.number}" in text(response)


def test_done_without_an_identified_visitor_shows_the_error(client, desk, counter, at_10):
    services.visit_take_number(topic_id=counter.general.pk)
    visit = services.visit_call_next(actor=desk.agent, desk_id=counter.desk1.pk)
    services.visit_start_serving(actor=desk.agent, visit_id=visit.pk)
    client.force_login(desk.agent)
    response = client.post(
        reverse("counter:finish", args=[visit.pk]),
        {
            "question": "Pas kwijt",
            "service": desk.laptop.pk,
            "outcome": "resolved",
            "resolution": "Gedaan",
        },
    )
    assert response.status_code == 400
    assert "Identify the visitor first" in text(response)
    assert Ticket.objects.count() == 0


def test_transfer_on_the_page(client, desk, counter, at_10):
    services.visit_take_number(topic_id=counter.general.pk)
    visit = services.visit_call_next(actor=desk.agent, desk_id=counter.desk1.pk)
    client.force_login(desk.agent)
    client.post(reverse("counter:transfer", args=[visit.pk]), {"topic": counter.passes.pk})
    visit.refresh_from_db()
    assert (visit.topic, visit.status, visit.desk) == (counter.passes, "waiting", None)


# --- appointments ------------------------------------------------------------------------


def test_the_portal_offers_free_times(client, desk, counter, at_10):
    client.force_login(desk.customer)
    response = client.get(
        reverse("counter_portal:list"), {"topic": counter.general.pk, "day": "2026-04-15"}
    )
    page = text(response)
    assert "08:00" in page and "16:45" in page


def test_booking_in_the_portal(client, desk, counter, at_10):
    client.force_login(desk.customer)
    response = client.post(
        reverse("counter_portal:list"),
        {
            "topic": counter.general.pk,
            "day": "2026-04-15",
            "starts_at": WEDNESDAY_9.isoformat(),
            "question": "Pas",
        },
        follow=True,
    )
    appointment = Appointment.objects.get()
    assert f"Your code is {appointment.code}" in text(response)


def test_booking_without_a_time_says_so(client, desk, counter, at_10):
    client.force_login(desk.customer)
    response = client.post(
        reverse("counter_portal:list"), {"topic": counter.general.pk, "day": "2026-04-15"}
    )
    assert response.status_code == 400
    assert "Choose a time." in text(response)
    assert Appointment.objects.count() == 0


def test_cancel_in_the_portal(client, desk, counter, at_10):
    appointment = services.appointment_book(
        actor=desk.customer, topic_id=counter.general.pk, starts_at=WEDNESDAY_9
    )
    client.force_login(desk.customer)
    client.post(reverse("counter_portal:cancel", args=[appointment.pk]))
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"


def test_someone_elses_appointment_is_not_found(client, desk, counter, at_10):
    appointment = AppointmentFactory(topic=counter.general, starts_at=WEDNESDAY_9)
    client.force_login(desk.customer)
    response = client.post(reverse("counter_portal:cancel", args=[appointment.pk]))
    assert response.status_code == 404


def test_an_agent_books_for_a_customer_on_the_page(client, desk, counter, at_10):
    client.force_login(desk.agent)
    response = client.post(
        reverse("counter:appointments") + f"?persoon={desk.person.pk}",
        {
            "persoon": desk.person.pk,
            "topic": counter.general.pk,
            "day": "2026-04-15",
            "starts_at": WEDNESDAY_9.isoformat(),
        },
        follow=True,
    )
    assert Appointment.objects.get().person == desk.person
    assert desk.person.full_name in text(response)


# --- figures -----------------------------------------------------------------------------


def test_figures_are_for_team_leads(client, desk, counter, at_10):
    client.force_login(desk.agent)
    assert client.get(reverse("counter:figures")).status_code == 403


def test_figures_show_the_day(client, desk, counter, at_10, django_assert_max_num_queries):
    services.visit_take_number(topic_id=counter.general.pk)
    client.force_login(desk.team_lead)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("counter:figures"))
    assert re.search(r"10:00</th><td>1</td><td>0</td>", text(response))


def test_figures_with_an_end_before_the_start_say_so(client, desk, counter, at_10):
    client.force_login(desk.team_lead)
    response = client.get(reverse("counter:figures"), {"van": "2026-04-14", "tot": "2026-04-01"})
    assert response.status_code == 400
    assert "The end date lies before the start date." in text(response)


def test_the_kiosk_refuses_addresses_outside_the_screen_networks(client, counter, settings):
    settings.EENLOKET_COUNTER_SCREEN_NETWORKS = ["10.20.0.0/16"]
    outside = client.get(reverse("counter:kiosk"), REMOTE_ADDR="203.0.113.9")
    inside = client.get(reverse("counter:board"), REMOTE_ADDR="10.20.4.2")
    assert (outside.status_code, inside.status_code) == (403, 200)


def test_the_kiosk_with_an_unknown_topic_says_so(client, counter, at_10):
    response = client.post(reverse("counter:kiosk"), {"topic": "999999"})
    assert response.status_code == 400
    assert "No such counter topic." in text(response)
    assert Visit.objects.count() == 0


def test_the_kiosk_has_a_fixed_number_of_queries(
    client, counter, at_10, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        client.get(reverse("counter:kiosk"))
