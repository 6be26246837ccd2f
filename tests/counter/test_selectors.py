"""Reads of the counter: the desk's queue, the board, free appointment times, the figures."""

import datetime

import pytest
import time_machine

from eenloket.channels.counter import selectors, services
from eenloket.core.exceptions import NotFound
from tests.counter.factories import AppointmentFactory, VisitFactory
from tests.factories import TUESDAY_10

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)
WEDNESDAY = datetime.date(2026, 4, 15)


@pytest.fixture
def at_10(counter):
    with time_machine.travel(TUESDAY_10, tick=False) as traveller:
        yield traveller


def test_the_desk_queue_lists_each_topic_with_waiting_minutes(desk, counter, at_10):
    services.visit_take_number(topic_id=counter.general.pk)
    at_10.shift(5 * MINUTE)
    services.visit_take_number(topic_id=counter.general.pk)
    services.visit_take_number(topic_id=counter.passes.pk)
    at_10.shift(MINUTE)
    queues = selectors.desk_queue(desk=counter.desk1)
    assert [(q.topic.letter, [(w.visit.number, w.minutes) for w in q.waiting]) for q in queues] == [
        ("A", [("A001", 6), ("A002", 1)]),
        ("P", [("P001", 1)]),
    ]


def test_the_board_shows_who_is_at_a_desk_and_earlier_calls_after(desk, counter, at_10):
    for _ in range(3):
        services.visit_take_number(topic_id=counter.general.pk)
    first = services.visit_call_next(actor=desk.agent, desk_id=counter.desk1.pk)
    services.visit_no_show(actor=desk.agent, visit_id=first.pk)
    at_10.shift(MINUTE)
    services.visit_call_next(actor=desk.agent, desk_id=counter.desk2.pk)
    at_10.shift(MINUTE)
    third = services.visit_call_next(actor=desk.agent, desk_id=counter.desk1.pk)
    services.visit_start_serving(actor=desk.agent, visit_id=third.pk)
    board = selectors.board()
    assert ([v.number for v in board.current], [v.number for v in board.recent]) == (
        ["A003", "A002"],
        ["A001"],
    )


def test_the_board_signal_changes_on_a_recall(desk, counter, at_10):
    services.visit_take_number(topic_id=counter.general.pk)
    visit = services.visit_call_next(actor=desk.agent, desk_id=counter.desk1.pk)
    before = selectors.board().latest_key
    services.visit_recall(actor=desk.agent, visit_id=visit.pk)
    assert selectors.board().latest_key != before


def test_free_times_follow_opening_hours_and_bookings(desk, counter, at_10):
    starts = datetime.datetime(2026, 4, 15, 6, 0, tzinfo=datetime.UTC)  # 08:00 local
    AppointmentFactory(topic=counter.general, starts_at=starts)
    AppointmentFactory(topic=counter.general, starts_at=starts)
    AppointmentFactory(topic=counter.general, starts_at=starts + 15 * MINUTE)
    slots = selectors.appointment_slots(topic=counter.general, day=WEDNESDAY)
    assert (len(slots), slots[0].free, slots[1].free, slots[2].free) == (36, 0, 1, 2)


def test_no_free_times_on_a_public_holiday(desk, counter, at_10):
    kings_day = datetime.date(2026, 4, 27)
    assert selectors.appointment_slots(topic=counter.general, day=kings_day) == []


def test_times_that_have_begun_are_not_offered(desk, counter, at_10):
    slots = selectors.appointment_slots(topic=counter.general, day=TUESDAY_10.date())
    assert slots[0].starts_at == TUESDAY_10 + 15 * MINUTE


def test_percentile_interpolates_between_ranks():
    assert (selectors.percentile([1, 2, 3, 4], 0.5), selectors.percentile([], 0.5)) == (2.5, None)


def test_figures_count_waits_norm_service_time_and_no_shows(desk, counter, at_10):
    def visit(wait, status="done", served=None):
        arrived = TUESDAY_10
        called = arrived + wait * MINUTE
        VisitFactory(
            topic=counter.general,
            arrived_at=arrived,
            first_called_at=called,
            started_at=called if served else None,
            finished_at=called + (served or 0) * MINUTE,
            status=status,
        )

    visit(5, served=10)
    visit(10, served=20)
    visit(20, served=30)
    visit(30, status="no_show")
    figures = selectors.counter_figures(
        actor=desk.team_lead, first_day=TUESDAY_10.date(), last_day=TUESDAY_10.date()
    )
    general = figures.per_topic[0]
    assert (
        general.visitors,
        general.wait_p50,
        general.within_norm,
        general.service_median,
        general.no_shows,
        figures.per_hour[10],
    ) == (4, 15.0, 0.5, 20.0, 1, {counter.general.pk: 4})


def test_figures_are_not_for_agents(desk, counter, at_10):
    with pytest.raises(NotFound):
        selectors.counter_figures(
            actor=desk.agent, first_day=TUESDAY_10.date(), last_day=TUESDAY_10.date()
        )


def test_figures_count_missed_appointments(desk, counter, at_10):
    AppointmentFactory(topic=counter.general, starts_at=TUESDAY_10 - 60 * MINUTE)
    AppointmentFactory(
        topic=counter.general, starts_at=TUESDAY_10 - 30 * MINUTE, status="checked_in"
    )
    AppointmentFactory(topic=counter.general, starts_at=TUESDAY_10 + 60 * MINUTE)
    figures = selectors.counter_figures(
        actor=desk.team_lead, first_day=TUESDAY_10.date(), last_day=TUESDAY_10.date()
    )
    assert (figures.appointments, figures.appointments_missed) == (3, 1)
