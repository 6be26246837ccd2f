"""Business time: concrete Dutch calendar cases and the laws that tie the functions together."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eenloket.core import businesstime
from eenloket.core.businesstime import (
    SEARCH_HORIZON_DAYS,
    HolidayExtra,
    NoOpeningHours,
    Schedule,
    add_business_time,
    business_time_between,
    next_business_instant,
)

AMS = ZoneInfo("Europe/Amsterdam")
H = timedelta(hours=1)

OFFICE = Schedule(AMS, tuple((d, time(8), time(17)) for d in range(5)))
EVERY_DAY = Schedule(AMS, tuple((d, time(8), time(17)) for d in range(7)))
ROUND_THE_CLOCK = Schedule(AMS, tuple((d, time(0), time(0)) for d in range(7)))
LUNCH_BREAK = Schedule(
    AMS,
    tuple((d, time(8, 30), time(12)) for d in range(5))
    + tuple((d, time(13), time(17)) for d in range(5)),
)
# Open only in the small hours of Sunday, right across both daylight-saving changes.
NIGHT_SUNDAY = Schedule(AMS, ((6, time(1), time(4)),))


def ams(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)


def add(schedule: Schedule, start: datetime, hours: float) -> datetime:
    return add_business_time(schedule, start, timedelta(hours=hours))


# --- adding within the week -------------------------------------------------------------------


def test_add_within_a_day():
    assert add(OFFICE, ams(2026, 3, 10, 9), 3) == ams(2026, 3, 10, 12)


def test_add_across_the_night():
    assert add(OFFICE, ams(2026, 3, 10, 16), 2) == ams(2026, 3, 11, 9)


def test_add_across_a_weekend():
    assert add(OFFICE, ams(2026, 3, 13, 16), 2) == ams(2026, 3, 16, 9)


def test_add_a_full_week_of_business_time():
    assert add(OFFICE, ams(2026, 3, 9, 8), 45) == ams(2026, 3, 13, 17)


def test_add_ending_at_closing_returns_the_closing_instant():
    assert add(OFFICE, ams(2026, 3, 10, 15), 2) == ams(2026, 3, 10, 17)


def test_add_skips_the_lunch_break():
    assert add(LUNCH_BREAK, ams(2026, 3, 10, 11), 2) == ams(2026, 3, 10, 14)


def test_add_ending_at_lunch_returns_the_start_of_lunch():
    assert add(LUNCH_BREAK, ams(2026, 3, 10, 11), 1) == ams(2026, 3, 10, 12)


def test_add_starting_before_opening_counts_from_opening():
    assert add(OFFICE, ams(2026, 3, 10, 6), 1) == ams(2026, 3, 10, 9)


def test_add_starting_on_saturday_counts_from_monday_opening():
    assert add(OFFICE, ams(2026, 3, 14, 12), 1) == ams(2026, 3, 16, 9)


def test_add_zero_returns_start_even_outside_hours():
    assert add(OFFICE, ams(2026, 3, 14, 12), 0) == ams(2026, 3, 14, 12)


def test_add_returns_utc():
    assert add(OFFICE, ams(2026, 3, 10, 9), 1).tzinfo is UTC


def test_add_accepts_start_in_another_zone():
    start = datetime(2026, 3, 10, 9, tzinfo=ZoneInfo("America/New_York"))  # 14:00 in Amsterdam
    assert add(OFFICE, start, 4) == ams(2026, 3, 11, 9)


def test_add_four_weeks_is_exact():
    assert add(OFFICE, ams(2026, 2, 2, 8), 4 * 45) == ams(2026, 2, 27, 17)


# --- Dutch public holidays --------------------------------------------------------------------


def test_koningsdag_2026_on_monday_is_closed():
    assert add(OFFICE, ams(2026, 4, 24, 16), 2) == ams(2026, 4, 28, 9)


def test_koningsdag_2025_fell_on_saturday_26_april():
    assert not EVERY_DAY.is_business_day(date(2025, 4, 26))


def test_koningsdag_2014_moved_from_sunday_to_saturday_26_april():
    assert not EVERY_DAY.is_business_day(date(2014, 4, 26))


def test_koningsdag_on_sunday_is_not_made_up_on_monday():
    assert EVERY_DAY.is_business_day(date(2014, 4, 28))


def test_christmas_days_are_closed():
    assert add(OFFICE, ams(2025, 12, 24, 16), 2) == ams(2025, 12, 29, 9)


def test_nieuwjaarsdag_is_closed_across_the_year_boundary():
    assert add(OFFICE, ams(2025, 12, 31, 16), 2) == ams(2026, 1, 2, 9)


def test_easter_monday_2026_is_closed():
    assert add(OFFICE, ams(2026, 4, 3, 16), 2) == ams(2026, 4, 7, 9)


def test_good_friday_is_open_by_default():
    assert add(OFFICE, ams(2026, 4, 2, 16), 2) == ams(2026, 4, 3, 9)


def test_good_friday_closes_when_opted_in():
    schedule = Schedule(AMS, OFFICE.opening_hours, holiday_extra={HolidayExtra.GOOD_FRIDAY})
    assert add(schedule, ams(2026, 4, 2, 16), 2) == ams(2026, 4, 7, 9)


def test_ascension_day_is_closed():
    assert add(OFFICE, ams(2026, 5, 13, 16), 2) == ams(2026, 5, 15, 9)


def test_whit_monday_is_closed():
    assert add(OFFICE, ams(2026, 5, 22, 16), 2) == ams(2026, 5, 26, 9)


def test_bevrijdingsdag_is_closed_in_a_lustrum_year():
    assert add(OFFICE, ams(2025, 5, 2, 16), 2) == ams(2025, 5, 6, 9)


def test_bevrijdingsdag_is_open_outside_a_lustrum_year():
    assert add(OFFICE, ams(2026, 5, 4, 16), 2) == ams(2026, 5, 5, 9)


def test_bevrijdingsdag_closes_every_year_when_opted_in():
    extra = {HolidayExtra.LIBERATION_DAY_YEARLY}
    schedule = Schedule(AMS, OFFICE.opening_hours, holiday_extra=extra)
    assert add(schedule, ams(2026, 5, 4, 16), 2) == ams(2026, 5, 6, 9)


def test_ascension_on_5_may_stays_closed_outside_a_lustrum_year():
    assert not OFFICE.is_business_day(date(2016, 5, 5))


def test_without_holiday_country_public_holidays_are_open():
    schedule = Schedule(AMS, OFFICE.opening_hours, holiday_country=None)
    assert schedule.is_business_day(date(2026, 4, 27))


def test_holiday_extra_requires_the_netherlands():
    with pytest.raises(ValueError, match="holiday_extra"):
        Schedule(AMS, OFFICE.opening_hours, holiday_country="BE", holiday_extra={"good_friday"})


def test_unknown_holiday_country_is_rejected():
    with pytest.raises(ValueError, match="country"):
        Schedule(AMS, OFFICE.opening_hours, holiday_country="XX")


# --- exceptional closures ---------------------------------------------------------------------


def test_closed_date_is_skipped():
    schedule = Schedule(AMS, OFFICE.opening_hours, closed_dates={date(2026, 6, 12)})
    assert add(schedule, ams(2026, 6, 11, 16), 2) == ams(2026, 6, 15, 9)


def test_closed_date_is_not_a_business_day():
    schedule = Schedule(AMS, OFFICE.opening_hours, closed_dates={date(2026, 6, 12)})
    assert not schedule.is_business_day(date(2026, 6, 12))


def test_weekday_without_hours_is_not_a_business_day():
    assert not OFFICE.is_business_day(date(2026, 3, 14))


def test_is_business_day_rejects_a_datetime():
    with pytest.raises(TypeError):
        OFFICE.is_business_day(ams(2026, 3, 10, 9))


# --- daylight saving --------------------------------------------------------------------------


def test_weekend_into_summer_time_lands_monday_nine_local():
    assert add(OFFICE, ams(2026, 3, 27, 16), 2) == ams(2026, 3, 30, 9)


def test_weekend_into_summer_time_changes_the_utc_offset():
    landed = add(OFFICE, ams(2026, 3, 27, 16), 2).astimezone(AMS)
    assert (ams(2026, 3, 27, 16).utcoffset(), landed.utcoffset()) == (H, 2 * H)


def test_weekend_into_winter_time_lands_monday_nine_local():
    assert add(OFFICE, ams(2026, 10, 23, 16), 2) == ams(2026, 10, 26, 9)


def test_weekend_into_winter_time_changes_the_utc_offset():
    landed = add(OFFICE, ams(2026, 10, 23, 16), 2).astimezone(AMS)
    assert (ams(2026, 10, 23, 16).utcoffset(), landed.utcoffset()) == (2 * H, H)


def test_office_day_is_nine_hours_on_the_spring_change():
    day = business_time_between(EVERY_DAY, ams(2026, 3, 29), ams(2026, 3, 30))
    assert day == 9 * H


def test_office_day_is_nine_hours_on_the_autumn_change():
    day = business_time_between(EVERY_DAY, ams(2026, 10, 25), ams(2026, 10, 26))
    assert day == 9 * H


def test_round_the_clock_day_is_23_hours_on_the_spring_change():
    day = business_time_between(ROUND_THE_CLOCK, ams(2026, 3, 29), ams(2026, 3, 30))
    assert day == 23 * H


def test_round_the_clock_day_is_25_hours_on_the_autumn_change():
    day = business_time_between(ROUND_THE_CLOCK, ams(2026, 10, 25), ams(2026, 10, 26))
    assert day == 25 * H


def test_round_the_clock_24_hours_over_the_spring_change_ends_at_one_local():
    assert add(ROUND_THE_CLOCK, ams(2026, 3, 29), 24) == ams(2026, 3, 30, 1)


def test_round_the_clock_24_hours_over_the_autumn_change_ends_at_23_local():
    assert add(ROUND_THE_CLOCK, ams(2026, 10, 25), 24) == ams(2026, 10, 25, 23)


def test_round_the_clock_week_is_continuous():
    assert add(ROUND_THE_CLOCK, ams(2026, 6, 1, 12), 7 * 24) == ams(2026, 6, 8, 12)


def test_round_the_clock_is_open_at_midnight():
    assert ROUND_THE_CLOCK.is_open(ams(2026, 6, 2))


def test_nonexistent_opening_time_uses_the_offset_before_the_jump():
    # 01:00-04:00 local on 29 March 2026: 02:00-03:00 never happens, so two real hours.
    hours = business_time_between(NIGHT_SUNDAY, ams(2026, 3, 28), ams(2026, 3, 30))
    assert hours == 2 * H


def test_repeated_hour_counts_twice_in_autumn():
    # 01:00-04:00 local on 25 October 2026: 02:00-03:00 happens twice, so four real hours.
    hours = business_time_between(NIGHT_SUNDAY, ams(2026, 10, 24), ams(2026, 10, 26))
    assert hours == 4 * H


def test_interval_inside_the_skipped_hour_is_read_with_fold_0():
    # 02:00 does not exist; with fold=0 it means 03:00 CEST, so 02:00-03:30 is half an hour.
    schedule = Schedule(AMS, ((6, time(2), time(3, 30)),))
    hours = business_time_between(schedule, ams(2026, 3, 28), ams(2026, 3, 30))
    assert hours == H / 2


def test_interval_inverted_by_the_skipped_hour_is_empty():
    # 02:30 (fold=0) is 03:30 CEST, after 03:15 CEST: no business time that Sunday.
    schedule = Schedule(AMS, ((6, time(2, 30), time(3, 15)),))
    hours = business_time_between(schedule, ams(2026, 3, 28), ams(2026, 3, 30))
    assert hours == timedelta(0)


def test_repeated_closing_time_is_its_first_occurrence():
    # 02:30 falls twice on 25 October 2026; fold=0 closes at the first (summer time) one.
    # Compared in UTC: PEP 495 makes inter-zone == false for a local time in the repeated hour.
    schedule = Schedule(AMS, ((6, time(1), time(2, 30)),))
    closing = add(schedule, ams(2026, 10, 24), 1.5)
    assert closing == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


# --- next_business_instant, is_open, between --------------------------------------------------


def test_next_business_instant_while_open_is_now():
    assert next_business_instant(OFFICE, ams(2026, 3, 10, 10)) == ams(2026, 3, 10, 10)


def test_next_business_instant_at_closing_is_next_opening():
    assert next_business_instant(OFFICE, ams(2026, 3, 13, 17)) == ams(2026, 3, 16, 8)


def test_next_business_instant_returns_utc():
    assert next_business_instant(OFFICE, ams(2026, 3, 14, 10)).tzinfo is UTC


def test_is_open_at_opening():
    assert OFFICE.is_open(ams(2026, 3, 10, 8))


def test_is_closed_at_closing():
    assert not OFFICE.is_open(ams(2026, 3, 10, 17))


def test_is_open_is_false_without_opening_hours():
    assert not Schedule(AMS, ()).is_open(ams(2026, 3, 10, 10))


def test_between_over_a_weekend():
    assert business_time_between(OFFICE, ams(2026, 3, 13, 16), ams(2026, 3, 16, 9)) == 2 * H


def test_between_reversed_is_zero():
    assert business_time_between(OFFICE, ams(2026, 3, 16, 9), ams(2026, 3, 13, 16)) == timedelta()


def test_between_over_a_long_closure_is_not_cut_off_by_the_horizon():
    closed = {date(2026, 1, 1) + timedelta(days=n) for n in range(4 * 365)}
    schedule = Schedule(AMS, OFFICE.opening_hours, closed_dates=closed)
    assert business_time_between(schedule, ams(2026, 1, 1), ams(2030, 1, 8)) == 5 * 9 * H


# --- errors -----------------------------------------------------------------------------------


def test_add_rejects_a_naive_start():
    with pytest.raises(ValueError, match="naive"):
        add_business_time(OFFICE, datetime(2026, 3, 10, 9), H)


def test_between_rejects_a_naive_end():
    with pytest.raises(ValueError, match="naive"):
        business_time_between(OFFICE, ams(2026, 3, 10, 9), datetime(2026, 3, 11, 9))


def test_next_business_instant_rejects_naive():
    with pytest.raises(ValueError, match="naive"):
        next_business_instant(OFFICE, datetime(2026, 3, 10, 9))


def test_add_rejects_a_negative_duration():
    with pytest.raises(ValueError, match="negative"):
        add_business_time(OFFICE, ams(2026, 3, 10, 9), -H)


def test_empty_schedule_raises_no_opening_hours():
    with pytest.raises(NoOpeningHours):
        add_business_time(Schedule(AMS, ()), ams(2026, 3, 10, 9), H)


def test_empty_schedule_has_no_next_business_instant():
    with pytest.raises(NoOpeningHours):
        next_business_instant(Schedule(AMS, ()), ams(2026, 3, 10, 9))


def test_between_is_zero_without_opening_hours():
    empty = Schedule(AMS, ())
    assert business_time_between(empty, ams(2026, 3, 9), ams(2026, 3, 16)) == timedelta()


def test_no_opening_hours_is_a_value_error():
    assert issubclass(NoOpeningHours, ValueError)


def test_every_open_day_closed_within_the_horizon_raises_no_opening_hours():
    mondays = {date(2026, 3, 9) + timedelta(weeks=n) for n in range(SEARCH_HORIZON_DAYS // 7 + 2)}
    schedule = Schedule(AMS, ((0, time(8), time(17)),), closed_dates=mondays)
    with pytest.raises(NoOpeningHours):
        add_business_time(schedule, ams(2026, 3, 9, 9), H)


def test_duration_that_does_not_fit_within_the_horizon_raises_no_opening_hours():
    one_second_a_week = Schedule(AMS, ((0, time(8), time(8, 0, 1)),))
    with pytest.raises(NoOpeningHours):
        add_business_time(one_second_a_week, ams(2026, 3, 9, 8), H)


def test_closing_before_opening_is_rejected():
    with pytest.raises(ValueError, match="after opening"):
        Schedule(AMS, ((0, time(17), time(8)),))


def test_weekday_out_of_range_is_rejected():
    with pytest.raises(ValueError, match="weekday"):
        Schedule(AMS, ((7, time(8), time(17)),))


def test_overlapping_rows_of_one_weekday_are_merged():
    schedule = Schedule(AMS, ((1, time(8), time(12)), (1, time(11), time(17))))
    assert business_time_between(schedule, ams(2026, 3, 10), ams(2026, 3, 11)) == 9 * H


# --- laws -------------------------------------------------------------------------------------


@st.composite
def opening_rows(draw):
    # At least two hours a week, so 200 business hours fit within the search horizon.
    opens = draw(st.times(max_value=time(21, 59, 59)))
    earliest_close = (datetime.combine(date(2000, 1, 1), opens) + 2 * H).time()
    closes = draw(st.times(min_value=earliest_close) | st.just(time(0)))
    return (draw(st.integers(0, 6)), opens, closes)


# Havana and Santiago change their clocks at midnight, Lord Howe by half an hour.
random_schedules = st.builds(
    Schedule,
    timezone=st.sampled_from(
        [
            AMS,
            ZoneInfo("America/Havana"),
            ZoneInfo("America/Santiago"),
            ZoneInfo("Australia/Lord_Howe"),
        ]
    ),
    opening_hours=st.lists(opening_rows(), min_size=1, max_size=5).map(tuple),
    closed_dates=st.frozensets(st.dates(date(2020, 1, 1), date(2031, 1, 1)), max_size=20),
)
schedules = st.sampled_from([OFFICE, LUNCH_BREAK, ROUND_THE_CLOCK, NIGHT_SUNDAY]) | random_schedules
instants = st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2030, 12, 31),
    timezones=st.sampled_from([UTC, AMS]),
    allow_imaginary=False,
)
durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=200))
halves = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=100))
positive_durations = st.timedeltas(min_value=timedelta(microseconds=1), max_value=200 * H)
spans = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60))


@settings(deadline=None)
@given(schedules, instants, halves, halves)
def test_law_adding_in_two_steps_equals_adding_the_sum(schedule, t, a, b):
    stepwise = add_business_time(schedule, add_business_time(schedule, t, a), b)
    assert stepwise == add_business_time(schedule, t, a + b)


@settings(deadline=None)
@given(schedules, instants, durations)
def test_law_between_inverts_add(schedule, t, d):
    assert business_time_between(schedule, t, add_business_time(schedule, t, d)) == d


@settings(deadline=None)
@given(schedules, instants, durations, durations)
def test_law_add_is_monotonic_in_duration(schedule, t, x, y):
    a, b = sorted((x, y))
    assert add_business_time(schedule, t, a) <= add_business_time(schedule, t, b)


@settings(deadline=None)
@given(schedules, instants, spans, spans)
def test_law_between_is_additive_over_a_split_point(schedule, t, x, y):
    # Add in UTC: datetime + timedelta is wall-clock arithmetic and drops fold in a local zone.
    start = t.astimezone(UTC)
    split, end = sorted((start + x, start + y))
    whole = business_time_between(schedule, start, end)
    parts = business_time_between(schedule, start, split) + business_time_between(
        schedule, split, end
    )
    assert whole == parts


@settings(deadline=None)
@given(schedules, instants, positive_durations)
def test_law_add_ends_inside_or_at_the_end_of_opening_hours(schedule, t, d):
    # The last microsecond counted was open, so `end` is open or exactly a closing instant.
    end = add_business_time(schedule, t, d)
    assert schedule.is_open(end - timedelta(microseconds=1))


@settings(deadline=None)
@given(schedules, instants)
def test_law_next_business_instant_is_open(schedule, t):
    assert schedule.is_open(next_business_instant(schedule, t))


@settings(deadline=None)
@given(schedules, instants)
def test_law_no_business_time_elapses_before_the_next_business_instant(schedule, t):
    assert business_time_between(schedule, t, next_business_instant(schedule, t)) == timedelta()


@settings(deadline=None)
@given(schedules, instants, positive_durations)
def test_law_add_starts_counting_at_the_next_business_instant(schedule, t, d):
    assert add_business_time(schedule, t, d) == add_business_time(
        schedule, next_business_instant(schedule, t), d
    )


long_spans = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=800))


@given(schedules, instants, long_spans)
def test_law_long_spans_from_day_totals_equal_the_walk(schedule, t, span):
    # The day-total shortcut for long spans must agree with walking every interval.
    assert business_time_between(schedule, t, t + span) == businesstime._walk_between(
        schedule, t.astimezone(UTC), (t + span).astimezone(UTC)
    )


def test_two_years_overdue_counts_every_holiday_and_weekend():
    # 2024 and 2025: 262 + 261 weekdays, minus 6 + 7 holidays on weekdays (Bevrijdingsdag 2025,
    # a lustrum year, included; Koningsdag fell on Saturday both years).
    between = business_time_between(OFFICE, ams(2024, 1, 1, 0), ams(2026, 1, 1, 0))
    assert between == (262 + 261 - 6 - 7) * 9 * H
