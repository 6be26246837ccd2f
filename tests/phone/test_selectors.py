"""Phone figures per queue, hour and day, and who sees which calls."""

import datetime as dt

import pytest

from eenloket.channels.phone import selectors
from tests.phone.factories import CallFactory

# Tuesday 14 April 2026, 10:00 and 11:00 in Amsterdam.
TEN = dt.datetime(2026, 4, 14, 8, 0, tzinfo=dt.UTC)
ELEVEN = TEN + dt.timedelta(hours=1)


@pytest.fixture
def calls(desk):
    common = {"direction": "in", "state": "ended"}
    CallFactory(
        **common,
        queue_name="ict",
        started_at=TEN,
        result="answered",
        wait_seconds=10,
        talk_seconds=100,
    )
    CallFactory(
        **common,
        queue_name="ict",
        started_at=TEN,
        result="answered",
        wait_seconds=40,
        talk_seconds=300,
    )
    CallFactory(
        **common,
        queue_name="ict",
        started_at=TEN,
        result="missed",
        wait_seconds=50,
        followup="called_back",
    )
    CallFactory(**common, queue_name="hr", started_at=ELEVEN, result="busy", followup="todo")
    CallFactory(**common, queue_name="hr", started_at=ELEVEN, result="forwarded")
    CallFactory(**common, queue_name="hr", started_at=ELEVEN, result="rejected")
    CallFactory(
        direction="out",
        state="ended",
        queue_name="ict",
        started_at=TEN,
        result="answered",
        wait_seconds=5,
        talk_seconds=60,
    )
    CallFactory(state="ringing", result="", queue_name="ict", started_at=TEN)


def figures(actor, by):
    return selectors.phone_figures(
        actor=actor, start=TEN - dt.timedelta(hours=1), end=TEN + dt.timedelta(days=1), by=by
    )


def test_figures_per_queue(desk, calls):
    hr, ict = figures(desk.team_lead, "queue")
    assert (ict.group, ict.offered, ict.answered, ict.answered_in_norm, ict.abandoned) == (
        "ict",
        3,
        2,
        1,
        1,
    )
    assert (ict.average_speed_of_answer, ict.talk_seconds, ict.average_talk_seconds) == (
        25.0,
        400,
        200.0,
    )
    assert (ict.called_back, round(ict.abandonment_rate, 3), round(ict.service_level, 3)) == (
        1,
        0.333,
        0.333,
    )
    assert (hr.group, hr.offered, hr.answered, hr.abandoned, hr.forwarded) == ("hr", 2, 0, 1, 1)
    assert hr.average_speed_of_answer is None


def test_figures_per_hour_are_in_dutch_time(desk, calls):
    ten, eleven = figures(desk.team_lead, "hour")
    assert (ten.group.astimezone(selectors.AMSTERDAM).hour, ten.offered) == (10, 3)
    assert (eleven.group.astimezone(selectors.AMSTERDAM).hour, eleven.offered) == (11, 2)


def test_figures_per_day(desk, calls):
    (day,) = figures(desk.team_lead, "day")
    assert (day.offered, day.answered, day.abandoned) == (5, 2, 2)


def test_only_the_whole_desk_sees_figures(desk, calls):
    assert figures(desk.it_specialist, "day") == []
    assert figures(desk.customer, "day") == []


def test_an_unknown_grouping_is_an_error(desk):
    with pytest.raises(ValueError, match="group by"):
        figures(desk.team_lead, "week")


def test_missed_calls_to_do_oldest_first(desk):
    CallFactory(call_id="late", followup="todo", started_at=ELEVEN)
    CallFactory(call_id="early", followup="todo", started_at=TEN)
    CallFactory(call_id="done", followup="done", started_at=TEN)
    todo = selectors.missed_calls_todo(actor=desk.agent)
    assert [call.call_id for call in todo] == ["early", "late"]


def test_a_specialist_sees_calls_about_tickets_they_work(desk, it_ticket):
    CallFactory(call_id="about-it", ticket=it_ticket)
    CallFactory(call_id="elsewhere")
    visible = selectors.calls_for_actor(desk.it_specialist)
    assert list(visible.values_list("call_id", flat=True)) == ["about-it"]
    assert selectors.calls_for_actor(desk.customer).count() == 0
