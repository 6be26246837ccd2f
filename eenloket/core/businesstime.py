"""Business time for SLA clocks: pure Python, no Django.

Model
-----
A `Schedule` says when the desk is open: per weekday (0 = Monday) one or more local
``[opens, closes)`` intervals in the schedule's time zone. ``closes == time(0)`` means midnight
at the *end* of that day (24:00), so a round-the-clock day is ``(weekday, time(0), time(0))``.
Intervals of one weekday that overlap or touch are merged.

Business time is real elapsed time (a difference of UTC instants) inside those intervals. Each
local day's intervals are turned into UTC instants first, so a 08:00-17:00 day is 9 hours on
every day of the year, and a 24-hour day is 23 hours on the last Sunday of March and 25 hours
on the last Sunday of October (Europe/Amsterdam).

Wall-clock times that do not exist (the skipped hour in March) or occur twice (the repeated
hour in October) are resolved with ``fold=0``, as zoneinfo does by default: a nonexistent time
is read with the offset from before the jump (02:30 becomes 03:30 summer time), a repeated time
is its first occurrence (summer time). An interval that becomes empty or inverted that way
(say 02:30-03:15 on the March change) has no business time that day.

Closed days
-----------
A local day has no business time when it is in `Schedule.closed_dates` (exceptional closures)
or a public holiday of `Schedule.holiday_country`. Holiday tables come from the `holidays`
package and are computed once per (country, year) and cached.

For the Netherlands we follow what a Dutch public body closes on, not the package's ``public``
category as-is. The package lists Nieuwjaarsdag, Goede Vrijdag, Eerste en Tweede Paasdag,
Koningsdag (27 April, on Saturday 26 April when the 27th is a Sunday; Koninginnedag before
2014), Bevrijdingsdag only in years divisible by 5, Hemelvaartsdag, Eerste en Tweede
Pinksterdag and Eerste en Tweede Kerstdag (no substitute days when they fall in a weekend).
We keep all of those except Goede Vrijdag, which is not in the Algemene termijnenwet and is a
working day for the government, and we decide Bevrijdingsdag ourselves: closed every fifth year
(2025, 2030, ...), the government norm. `HolidayExtra` opts into Goede Vrijdag or a yearly
Bevrijdingsdag. Easter Sunday and Whit Sunday fall on Sundays anyway. The package only knows
Dutch holidays for 1966-2100; outside that range no day is a holiday.

Cost
----
The functions walk forward one local day at a time from the start instant, so cost grows with
the calendar span covered (about a millisecond per year). The searching functions
(`add_business_time`, `next_business_instant`) look at most `SEARCH_HORIZON_DAYS` (three
years) ahead: when the schedule has no opening hours at all, every open day in that window is
closed, or the duration simply does not fit, they raise `NoOpeningHours` instead of searching
on. Measuring a given range (`business_time_between`, `Schedule.is_open`) is bounded by the
range itself, so there an empty schedule just yields no time.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "SEARCH_HORIZON_DAYS",
    "HolidayExtra",
    "NoOpeningHours",
    "Schedule",
    "add_business_time",
    "business_time_between",
    "next_business_instant",
]

SEARCH_HORIZON_DAYS = 3 * 366
# Spans up to this many days are walked interval by interval; longer ones use day totals.
_WALK_DAYS = 14

_ONE_DAY = timedelta(days=1)
_MIDNIGHT = time(0)
_TICK = timedelta(microseconds=1)

# (opens, day offset of closes, closes); closes at 24:00 is stored as (1, 00:00).
_LocalInterval = tuple[time, int, time]
_Interval = tuple[datetime, datetime]


class NoOpeningHours(ValueError):
    """The schedule has no business time at all (or none within the search horizon)."""


class HolidayExtra(enum.StrEnum):
    """Dutch closing days beyond the public-body norm; only valid with ``holiday_country="NL"``."""

    GOOD_FRIDAY = "good_friday"
    LIBERATION_DAY_YEARLY = "liberation_day_yearly"


@dataclass(frozen=True)
class Schedule:
    """When a desk is open.

    `opening_hours` rows are ``(weekday, opens, closes)`` in local time, weekday 0 = Monday;
    several rows per weekday are allowed (a lunch break), ``closes == time(0)`` means 24:00.
    `closed_dates` are whole local days of exceptional closure. `holiday_country` selects the
    public holidays (None: none); `holiday_extra` adds optional Dutch closing days.
    """

    timezone: ZoneInfo
    opening_hours: tuple[tuple[int, time, time], ...]
    closed_dates: frozenset[date] = frozenset()
    holiday_country: str | None = "NL"
    holiday_extra: frozenset[HolidayExtra] = frozenset()
    _weekly: tuple[tuple[_LocalInterval, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Accept lists and sets but store hashable values, so the schedule can be a cache key.
        object.__setattr__(self, "opening_hours", tuple(tuple(row) for row in self.opening_hours))
        object.__setattr__(self, "closed_dates", frozenset(self.closed_dates))
        object.__setattr__(
            self, "holiday_extra", frozenset(HolidayExtra(x) for x in self.holiday_extra)
        )
        if not isinstance(self.timezone, ZoneInfo):
            raise TypeError("timezone must be a zoneinfo.ZoneInfo")
        if self.holiday_country is not None and (
            self.holiday_country not in holidays.list_supported_countries()
        ):
            raise ValueError(f"holidays has no calendar for country {self.holiday_country!r}")
        if self.holiday_extra and self.holiday_country != "NL":
            raise ValueError("holiday_extra only applies to holiday_country='NL'")
        object.__setattr__(self, "_weekly", _weekly_table(self.opening_hours))

    def is_business_day(self, day: date) -> bool:
        """True when the local `day` has opening hours and is neither a holiday nor closed."""
        if isinstance(day, datetime):
            # A datetime never equals a date, so holiday lookups would silently miss.
            raise TypeError("is_business_day takes a date; use is_open for an instant")
        return (
            bool(self._weekly[day.weekday()])
            and day not in self.closed_dates
            and day not in _closing_days(self.holiday_country, day.year, self.holiday_extra)
        )

    def is_open(self, at: datetime) -> bool:
        """True when `at` lies inside an opening interval (opening included, closing excluded)."""
        t = _utc(at)
        return any(start <= t for start, _ in _intervals(self, t, until=t + _TICK))

    def _day_intervals(self, day: date) -> Iterator[_Interval]:
        if not self.is_business_day(day):
            return
        for opens, offset, closes in self._weekly[day.weekday()]:
            start = _local_to_utc(day, opens, self.timezone)
            end = _local_to_utc(day + timedelta(days=offset), closes, self.timezone)
            if end > start:
                yield start, end


def add_business_time(schedule: Schedule, start: datetime, duration: timedelta) -> datetime:
    """The UTC instant at which `duration` of business time has elapsed after `start`.

    Counting starts at the next opening when `start` is outside business hours, except that a
    zero duration returns `start` itself. A duration that runs out exactly at a closing time
    returns that closing instant, not the next opening. Raises NoOpeningHours when the result
    would lie more than `SEARCH_HORIZON_DAYS` after `start`.
    """
    t = _utc(start)
    if not isinstance(duration, timedelta):
        raise TypeError("duration must be a timedelta")
    if duration < timedelta(0):
        raise ValueError("duration must not be negative")
    if duration == timedelta(0):
        return t
    remaining = duration
    for open_at, close_at in _intervals(schedule, t):
        begin = max(open_at, t)
        if begin + remaining <= close_at:
            return begin + remaining
        remaining -= close_at - begin
    raise AssertionError("unreachable: _intervals raises rather than run dry")  # pragma: no cover


def business_time_between(schedule: Schedule, start: datetime, end: datetime) -> timedelta:
    """Business time elapsed in ``[start, end)``; zero when `end` is not after `start`.

    Long spans (a ticket two years overdue) cost a few look-ups, not a walk over every day:
    whole local days in the middle come from per-year running totals, cached per schedule.
    """
    lo, hi = _utc(start), _utc(end)
    if hi <= lo:
        return timedelta(0)
    tz = schedule.timezone
    first_day, last_day = lo.astimezone(tz).date(), hi.astimezone(tz).date()
    if (last_day - first_day).days <= _WALK_DAYS:
        return _walk_between(schedule, lo, hi)
    # Two days of margin keep odd zones' day boundaries out of the cached middle part.
    middle_first, middle_last = first_day + 2 * _ONE_DAY, last_day - 2 * _ONE_DAY
    cut_lo = _local_to_utc(middle_first, _MIDNIGHT, tz)
    cut_hi = _local_to_utc(middle_last + _ONE_DAY, _MIDNIGHT, tz)
    return (
        _walk_between(schedule, lo, cut_lo)
        + _whole_days(schedule, middle_first, middle_last)
        + _walk_between(schedule, cut_hi, hi)
    )


def _walk_between(schedule: Schedule, lo: datetime, hi: datetime) -> timedelta:
    total = timedelta(0)
    if hi <= lo:
        return total
    for open_at, close_at in _intervals(schedule, lo, until=hi):
        total += min(close_at, hi) - max(open_at, lo)
    return total


def _whole_days(schedule: Schedule, first: date, last: date) -> timedelta:
    """Business time of the local days `first` .. `last` inclusive."""
    total = timedelta(0)
    for year in range(first.year, last.year + 1):
        totals = _running_totals(schedule, year)
        begin = (max(first, date(year, 1, 1)) - date(year, 1, 1)).days
        stop = (min(last, date(year, 12, 31)) - date(year, 1, 1)).days + 1
        total += totals[stop] - totals[begin]
    return total


@functools.lru_cache(maxsize=256)
def _running_totals(schedule: Schedule, year: int) -> tuple[timedelta, ...]:
    """Business time before each local day of `year` (index 0 = 1 January), and the year's."""
    totals = [timedelta(0)]
    day = date(year, 1, 1)
    while day.year == year:
        totals.append(
            totals[-1] + sum((e - s for s, e in schedule._day_intervals(day)), timedelta())
        )
        day += _ONE_DAY
    return tuple(totals)


def next_business_instant(schedule: Schedule, at: datetime) -> datetime:
    """`at` (in UTC) when the desk is open then, else the next opening instant."""
    t = _utc(at)
    open_at, _ = next(_intervals(schedule, t))
    return max(open_at, t)


def _intervals(
    schedule: Schedule, after: datetime, until: datetime | None = None
) -> Iterator[_Interval]:
    """UTC business intervals ending after `after`, in order, clipped to start no earlier.

    With `until`, the walk stops before the first interval starting at or after it. Without,
    it goes on until the caller stops, or raises NoOpeningHours past the search horizon.
    """
    if not any(schedule._weekly):
        if until is not None:
            return
        raise NoOpeningHours("the schedule has no opening hours")
    tz = schedule.timezone
    first_day = after.astimezone(tz).date()
    if until is None:
        last_day = first_day + timedelta(days=SEARCH_HORIZON_DAYS)
    else:
        last_day = until.astimezone(tz).date() + _ONE_DAY
    # Start a day early: an interval of the previous local day may still be running.
    day = first_day - _ONE_DAY
    last_end = after
    while day <= last_day:
        for start, end in schedule._day_intervals(day):
            # Clipping keeps the stream disjoint should a zone's rules make days overlap in UTC.
            start = max(start, last_end)
            if until is not None and start >= until:
                return
            if end > start:
                last_end = end
                yield start, end
        day += _ONE_DAY
    if until is None:
        raise NoOpeningHours(
            f"not enough business time within {SEARCH_HORIZON_DAYS} days after {after.isoformat()}"
        )


def _utc(at: datetime) -> datetime:
    if not isinstance(at, datetime):
        raise TypeError("expected a datetime")
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("naive datetime: business time needs an aware datetime")
    return at.astimezone(UTC)


def _local_to_utc(day: date, at: time, tz: ZoneInfo) -> datetime:
    # fold=0 is the documented rule for nonexistent and repeated wall-clock times.
    return datetime.combine(day, at.replace(fold=0), tzinfo=tz).astimezone(UTC)


def _weekly_table(
    opening_hours: Iterable[tuple[int, time, time]],
) -> tuple[tuple[_LocalInterval, ...], ...]:
    per_day: list[list[tuple[timedelta, timedelta]]] = [[] for _ in range(7)]
    for row in opening_hours:
        weekday, opens, closes = row
        if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) .. 6 (Sunday), got {weekday!r}")
        for t in (opens, closes):
            if not isinstance(t, time) or t.tzinfo is not None:
                raise ValueError(f"opening hours must be naive local times, got {t!r}")
        begin = _since_midnight(opens)
        end = _ONE_DAY if closes == _MIDNIGHT else _since_midnight(closes)
        if end <= begin:
            raise ValueError(f"closing time must be after opening time: {row!r}")
        per_day[weekday].append((begin, end))
    table = []
    for spans in per_day:
        merged: list[tuple[timedelta, timedelta]] = []
        for begin, end in sorted(spans):
            if merged and begin <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((begin, end))
        table.append(tuple((_as_time(b), *_as_day_time(e)) for b, e in merged))
    return tuple(table)


def _since_midnight(t: time) -> timedelta:
    return timedelta(hours=t.hour, minutes=t.minute, seconds=t.second, microseconds=t.microsecond)


def _as_time(offset: timedelta) -> time:
    return (datetime.min + offset).time()


def _as_day_time(offset: timedelta) -> tuple[int, time]:
    return (1, _MIDNIGHT) if offset == _ONE_DAY else (0, _as_time(offset))


@functools.lru_cache(maxsize=512)
def _closing_days(
    country: str | None, year: int, extra: frozenset[HolidayExtra]
) -> frozenset[date]:
    if country is None:
        return frozenset()
    # Only dates are kept: a holidays object grows when queried for other years, and its names
    # depend on the process locale.
    days = set(holidays.country_holidays(country, years=year))
    # Outside the package's year range (1966-2100 for NL) it knows no holidays; add none either.
    if country != "NL" or not days:
        return frozenset(days)
    easter = _easter(year)
    good_friday = easter - timedelta(days=2)
    liberation = date(year, 5, 5)
    days.discard(good_friday)
    # May 5 can also be Ascension Day (2016), which must stay closed.
    if liberation != easter + timedelta(days=39):
        days.discard(liberation)
    if year % 5 == 0 or HolidayExtra.LIBERATION_DAY_YEARLY in extra:
        days.add(liberation)
    if HolidayExtra.GOOD_FRIDAY in extra:
        days.add(good_friday)
    return frozenset(days)


def _easter(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, (b, c) = year % 19, divmod(year, 100)
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month, day = divmod(h + weekday_shift - 7 * m + 114, 31)
    return date(year, month, day + 1)
