"""The counter's rules: numbers, calling order, the desk's actions, visits becoming tickets,
appointments and their check-in."""

import datetime

import pytest
import time_machine
from django.core import mail

from eenloket.channels.counter import services
from eenloket.channels.counter.exceptions import (
    AppointmentCodeExpired,
    AppointmentCodeInvalid,
    AppointmentNotFound,
    AppointmentTooEarly,
    CounterClosed,
    DeskHasNoTopics,
    InvalidVisitAction,
    QueueEmpty,
    SlotFull,
    TopicNotFound,
)
from eenloket.channels.counter.models import Appointment, Visit
from eenloket.core.exceptions import NotAllowed, ValidationFailed
from eenloket.tickets.models import Ticket
from tests import factories as f
from tests.counter.factories import AppointmentFactory
from tests.factories import TUESDAY_10

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)
# Tuesday 14 April 2026 in Amsterdam: 10:30, and 18:00 (after the 17:00 closing).
TUESDAY_1030 = TUESDAY_10 + 30 * MINUTE
TUESDAY_18 = TUESDAY_10 + datetime.timedelta(hours=8)


@pytest.fixture
def at_10(counter):
    with time_machine.travel(TUESDAY_10, tick=False) as traveller:
        yield traveller


def take(topic, identification=""):
    return services.visit_take_number(topic_id=topic.pk, identification=identification)


def serving(counter, desk, visit_topic=None):
    """A visitor taken, called to desk 1 and being served."""
    take(visit_topic or counter.general)
    visit = services.visit_call_next(actor=desk.agent, desk_id=counter.desk1.pk)
    return services.visit_start_serving(actor=desk.agent, visit_id=visit.pk)


# --- numbers -----------------------------------------------------------------------------


def test_numbers_count_up_per_topic_with_its_letter(counter, at_10):
    numbers = [take(counter.general).number, take(counter.general).number]
    numbers.append(take(counter.passes).number)
    assert numbers == ["A001", "A002", "P001"]


def test_numbers_start_again_the_next_day(counter, at_10):
    take(counter.general)
    at_10.shift(datetime.timedelta(days=1))
    assert take(counter.general).number == "A001"


def test_no_number_after_closing_time(counter):
    with time_machine.travel(TUESDAY_18, tick=False), pytest.raises(CounterClosed):
        take(counter.general)
    assert Visit.objects.count() == 0


def test_an_unknown_topic_gives_no_number(counter, at_10):
    with pytest.raises(TopicNotFound):
        services.visit_take_number(topic_id=999_999)
    assert Visit.objects.count() == 0


def test_an_employee_number_links_the_visit_to_the_customer(desk, counter, at_10):
    desk.person.employee_number = "E1234"
    desk.person.save()
    assert take(counter.general, "e1234").person == desk.person


def test_a_name_is_kept_as_text_without_linking_anyone(desk, counter, at_10):
    visit = take(counter.general, "  Karin   Jansen ")
    assert (visit.person, visit.identified_as) == (None, "Karin Jansen")


# --- calling -----------------------------------------------------------------------------


def test_call_next_calls_the_longest_waiting_visitor(desk, counter, at_10):
    first = take(counter.passes)
    at_10.shift(MINUTE)
    take(counter.general)
    called = services.visit_call_next(actor=desk.agent, desk_id=counter.desk1.pk)
    assert (called.pk, called.status, called.desk) == (first.pk, "called", counter.desk1)


def test_an_appointment_at_its_time_goes_before_walk_ins(desk, counter, at_10):
    take(counter.general)
    appointment = AppointmentFactory(topic=counter.general, starts_at=TUESDAY_10 + 5 * MINUTE)
    at_10.shift(2 * MINUTE)
    visit = services.appointment_check_in(code=appointment.code)
    at_10.shift(3 * MINUTE)
    called = services.visit_call_next(actor=desk.agent, desk_id=counter.desk1.pk)
    assert called.pk == visit.pk


def test_an_appointment_before_its_time_waits_for_it(desk, counter, at_10):
    walk_in = take(counter.general)
    appointment = AppointmentFactory(topic=counter.general, starts_at=TUESDAY_10 + 30 * MINUTE)
    services.appointment_check_in(code=appointment.code)
    called = services.visit_call_next(actor=desk.agent, desk_id=counter.desk1.pk)
    assert called.pk == walk_in.pk


def test_a_desk_without_topics_calls_no_one_and_changes_nothing(desk, counter, at_10):
    visit = take(counter.general)
    with pytest.raises(DeskHasNoTopics):
        services.visit_call_next(actor=desk.agent, desk_id=counter.empty_desk.pk)
    visit.refresh_from_db()
    assert (visit.status, visit.desk) == ("waiting", None)


def test_call_next_with_nobody_waiting_says_so(desk, counter, at_10):
    with pytest.raises(QueueEmpty):
        services.visit_call_next(actor=desk.agent, desk_id=counter.desk1.pk)


def test_call_next_first_needs_the_current_visitor_finished(desk, counter, at_10):
    take(counter.general)
    second = take(counter.general)
    services.visit_call_next(actor=desk.agent, desk_id=counter.desk1.pk)
    with pytest.raises(InvalidVisitAction):
        services.visit_call_next(actor=desk.agent, desk_id=counter.desk1.pk)
    second.refresh_from_db()
    assert second.status == "waiting"


def test_a_customer_cannot_call_visitors(desk, counter, at_10):
    take(counter.general)
    with pytest.raises(NotAllowed):
        services.visit_call_next(actor=desk.customer, desk_id=counter.desk1.pk)
    assert Visit.objects.get().status == "waiting"


def test_recall_calls_the_same_number_again(desk, counter, at_10):
    take(counter.general)
    visit = services.visit_call_next(actor=desk.agent, desk_id=counter.desk1.pk)
    at_10.shift(2 * MINUTE)
    again = services.visit_recall(actor=desk.agent, visit_id=visit.pk)
    assert (again.call_count, again.called_at, again.first_called_at) == (
        2,
        TUESDAY_10 + 2 * MINUTE,
        TUESDAY_10,
    )


def test_no_show_frees_the_desk(desk, counter, at_10):
    take(counter.general)
    take(counter.general)
    visit = services.visit_call_next(actor=desk.agent, desk_id=counter.desk1.pk)
    services.visit_no_show(actor=desk.agent, visit_id=visit.pk)
    following = services.visit_call_next(actor=desk.agent, desk_id=counter.desk1.pk)
    assert (Visit.objects.get(pk=visit.pk).status, following.number) == ("no_show", "A002")


def test_no_show_of_a_visitor_being_served_is_refused(desk, counter, at_10):
    visit = serving(counter, desk)
    with pytest.raises(InvalidVisitAction):
        services.visit_no_show(actor=desk.agent, visit_id=visit.pk)
    assert Visit.objects.get(pk=visit.pk).status == "serving"


def test_transfer_keeps_the_number_and_the_place_in_line(desk, counter, at_10):
    take(counter.general)
    at_10.shift(MINUTE)
    take(counter.passes)
    visit = services.visit_call_next(actor=desk.agent, desk_id=counter.desk1.pk)
    moved = services.visit_transfer(actor=desk.agent, visit_id=visit.pk, topic_id=counter.passes.pk)
    counter.desk2.topics.set([counter.passes])
    again = services.visit_call_next(actor=desk.agent, desk_id=counter.desk2.pk)
    assert (moved.number, moved.topic, again.pk) == ("A001", counter.passes, visit.pk)


def test_transfer_to_the_same_topic_is_refused(desk, counter, at_10):
    take(counter.general)
    visit = services.visit_call_next(actor=desk.agent, desk_id=counter.desk1.pk)
    with pytest.raises(ValidationFailed):
        services.visit_transfer(actor=desk.agent, visit_id=visit.pk, topic_id=counter.general.pk)
    assert Visit.objects.get(pk=visit.pk).status == "called"


# --- done: the visit becomes a ticket ----------------------------------------------------


def test_done_records_a_resolved_counter_ticket_with_the_visit(desk, counter, at_10):
    visit = serving(counter, desk)
    services.visit_identify(actor=desk.agent, visit_id=visit.pk, person_id=desk.person.pk)
    done = services.visit_finish(
        actor=desk.agent,
        visit_id=visit.pk,
        question="Wachtwoord vergeten",
        outcome="resolved",
        resolution="Wachtwoord gereset aan de balie",
    )
    ticket = Ticket.objects.get(number=done.ticket_number)
    kinds = list(ticket.entries.values_list("kind", "channel"))
    assert (done.status, ticket.channel, ticket.status, ticket.first_contact_resolution) == (
        "done",
        "counter",
        "resolved",
        True,
    )
    assert ("counter_visit", "counter") in kinds


def test_done_can_hand_the_question_over_to_a_department(desk, counter, at_10):
    visit = serving(counter, desk)
    services.visit_identify(actor=desk.agent, visit_id=visit.pk, person_id=desk.person.pk)
    done = services.visit_finish(
        actor=desk.agent,
        visit_id=visit.pk,
        question="Loonstrook klopt niet",
        outcome="hand_over",
        service_id=desk.payslip.pk,
        department_id=desk.hr.pk,
        needed="Loonstrook nakijken",
    )
    ticket = Ticket.objects.get(number=done.ticket_number)
    assert (ticket.status, ticket.queue, ticket.service) == (
        "handed_over",
        desk.hr_queue,
        desk.payslip,
    )


def test_done_without_knowing_the_visitor_records_nothing(desk, counter, at_10):
    visit = serving(counter, desk)
    with pytest.raises(ValidationFailed) as caught:
        services.visit_finish(
            actor=desk.agent,
            visit_id=visit.pk,
            question="Vraag",
            outcome="resolved",
            resolution="Opgelost",
        )
    assert "person" in caught.value.field_errors
    assert (Ticket.objects.count(), Visit.objects.get(pk=visit.pk).status) == (0, "serving")


def test_done_without_a_question_records_nothing(desk, counter, at_10):
    visit = serving(counter, desk)
    services.visit_identify(actor=desk.agent, visit_id=visit.pk, person_id=desk.person.pk)
    with pytest.raises(ValidationFailed) as caught:
        services.visit_finish(
            actor=desk.agent,
            visit_id=visit.pk,
            question=" ",
            outcome="resolved",
            resolution="Opgelost",
        )
    assert set(caught.value.field_errors) == {"question"}
    assert Ticket.objects.count() == 0


def test_done_with_a_service_outside_the_topic_records_nothing(desk, counter, at_10):
    other = f.ServiceFactory(code="iets-anders", sla_policy=desk.policy)
    visit = serving(counter, desk)
    services.visit_identify(actor=desk.agent, visit_id=visit.pk, person_id=desk.person.pk)
    with pytest.raises(ValidationFailed) as caught:
        services.visit_finish(
            actor=desk.agent,
            visit_id=visit.pk,
            question="Vraag",
            outcome="resolved",
            resolution="Opgelost",
            service_id=other.pk,
        )
    assert set(caught.value.field_errors) == {"service"}
    assert Ticket.objects.count() == 0


# --- appointments ------------------------------------------------------------------------

WEDNESDAY_9 = datetime.datetime(2026, 4, 15, 7, 0, tzinfo=datetime.UTC)  # 09:00 Amsterdam


def book(desk, counter, starts_at=WEDNESDAY_9, actor=None):
    return services.appointment_book(
        actor=actor or desk.customer,
        topic_id=counter.general.pk,
        starts_at=starts_at,
        question="Nieuwe pas",
    )


def test_a_customer_books_a_slot_for_themselves(desk, counter, at_10):
    appointment = book(desk, counter)
    assert (appointment.person, appointment.ends_at, len(appointment.code)) == (
        desk.person,
        WEDNESDAY_9 + 15 * MINUTE,
        6,
    )


def test_a_full_slot_takes_no_more_bookings(desk, counter, at_10):
    book(desk, counter)
    book(desk, counter, actor=desk.hr_specialist)
    other = f.UserFactory(username="nog-een-klant")
    f.PersonFactory(user=other, organization=desk.organization)
    with pytest.raises(SlotFull):
        book(desk, counter, actor=other)
    assert Appointment.objects.count() == 2


def test_a_time_outside_the_offered_slots_is_refused(desk, counter, at_10):
    with pytest.raises(ValidationFailed) as caught:
        book(desk, counter, starts_at=WEDNESDAY_9 + 7 * MINUTE)
    assert set(caught.value.field_errors) == {"starts_at"}
    assert Appointment.objects.count() == 0


def test_a_topic_without_appointments_takes_no_booking(desk, counter, at_10):
    with pytest.raises(ValidationFailed):
        services.appointment_book(
            actor=desk.customer, topic_id=counter.passes.pk, starts_at=WEDNESDAY_9
        )
    assert Appointment.objects.count() == 0


def test_an_agent_books_for_a_customer(desk, counter, at_10):
    appointment = services.appointment_book(
        actor=desk.agent,
        topic_id=counter.general.pk,
        starts_at=WEDNESDAY_9,
        person_id=desk.person.pk,
    )
    assert (appointment.person, appointment.booked_by) == (desk.person, desk.agent)


def test_a_customer_cannot_book_for_someone_else(desk, counter, at_10):
    with pytest.raises(NotAllowed):
        services.appointment_book(
            actor=desk.customer,
            topic_id=counter.general.pk,
            starts_at=WEDNESDAY_9,
            person_id=desk.person.pk,
        )


def test_booking_mails_a_confirmation_and_a_reminder(
    desk, counter, at_10, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(desk, counter, starts_at=WEDNESDAY_9 + datetime.timedelta(days=1))
    queued = {r.kwargs["kind"]: r.task.run_after for r in default_task_backend.results}
    assert queued == {
        "confirmation": None,
        "reminder": appointment.starts_at - datetime.timedelta(hours=24),
    }


def test_the_confirmation_mail_gives_the_code(desk, counter, at_10):
    appointment = book(desk, counter)
    services.appointment_mail_send(appointment_id=appointment.pk, kind="confirmation")
    assert (mail.outbox[0].to, appointment.code in mail.outbox[0].body) == (
        [desk.person.email],
        True,
    )


def test_no_reminder_for_a_cancelled_appointment(desk, counter, at_10):
    appointment = book(desk, counter)
    services.appointment_cancel(actor=desk.customer, appointment_id=appointment.pk)
    sent = services.appointment_mail_send(appointment_id=appointment.pk, kind="reminder")
    assert (sent, [m.subject for m in mail.outbox if "Herinnering" in m.subject]) == (False, [])


def test_a_reminder_goes_out_once(desk, counter, at_10):
    appointment = book(desk, counter)
    first = services.appointment_mail_send(appointment_id=appointment.pk, kind="reminder")
    second = services.appointment_mail_send(appointment_id=appointment.pk, kind="reminder")
    assert (first, second, len(mail.outbox)) == (True, False, 1)


def test_cancel_frees_the_slot(desk, counter, at_10):
    appointment = book(desk, counter)
    services.appointment_cancel(actor=desk.customer, appointment_id=appointment.pk)
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"


def test_a_customer_cannot_cancel_someone_elses_appointment(desk, counter, at_10):
    appointment = book(desk, counter)
    other = f.UserFactory(username="buurman")
    f.PersonFactory(user=other, organization=desk.organization)
    with pytest.raises(AppointmentNotFound):
        services.appointment_cancel(actor=other, appointment_id=appointment.pk)
    appointment.refresh_from_db()
    assert appointment.status == "booked"


# --- check-in ----------------------------------------------------------------------------


def test_check_in_gives_a_number_placed_at_the_appointment_time(desk, counter, at_10):
    appointment = AppointmentFactory(
        topic=counter.general, person=desk.person, starts_at=TUESDAY_1030
    )
    visit = services.appointment_check_in(code=appointment.code.lower())
    appointment.refresh_from_db()
    assert (visit.number, visit.queue_at, visit.person, appointment.status) == (
        "A001",
        TUESDAY_1030,
        desk.person,
        "checked_in",
    )


def test_checking_in_twice_shows_the_same_number(desk, counter, at_10):
    appointment = AppointmentFactory(topic=counter.general, starts_at=TUESDAY_1030)
    first = services.appointment_check_in(code=appointment.code)
    assert services.appointment_check_in(code=appointment.code).pk == first.pk


def test_an_unknown_code_gives_no_number(counter, at_10):
    with pytest.raises(AppointmentCodeInvalid):
        services.appointment_check_in(code="ZZZZZZ")
    assert Visit.objects.count() == 0


def test_an_expired_code_gives_no_number(counter, at_10):
    appointment = AppointmentFactory(topic=counter.general, starts_at=TUESDAY_10 - 40 * MINUTE)
    with pytest.raises(AppointmentCodeExpired):
        services.appointment_check_in(code=appointment.code)
    appointment.refresh_from_db()
    assert (Visit.objects.count(), appointment.status) == (0, "booked")


def test_a_cancelled_code_gives_no_number(counter, at_10):
    appointment = AppointmentFactory(
        topic=counter.general, starts_at=TUESDAY_1030, status="cancelled"
    )
    with pytest.raises(AppointmentCodeExpired):
        services.appointment_check_in(code=appointment.code)
    assert Visit.objects.count() == 0


def test_a_code_for_another_day_gives_no_number_yet(counter, at_10):
    appointment = AppointmentFactory(topic=counter.general, starts_at=WEDNESDAY_9)
    with pytest.raises(AppointmentTooEarly):
        services.appointment_check_in(code=appointment.code)
    assert Visit.objects.count() == 0


def test_checking_in_too_early_says_from_when(counter, at_10):
    appointment = AppointmentFactory(topic=counter.general, starts_at=WEDNESDAY_9)
    with pytest.raises(AppointmentTooEarly) as caught:
        services.appointment_check_in(code=appointment.code)
    assert "15 april 2026, 07:00" in str(caught.value.message)


def test_yesterdays_leftover_visitors_are_not_called_today(desk, counter, at_10):
    take(counter.general)
    at_10.shift(datetime.timedelta(days=1))
    with pytest.raises(QueueEmpty):
        services.visit_call_next(actor=desk.agent, desk_id=counter.desk1.pk)
