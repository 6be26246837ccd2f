"""Business calendars as `businesstime.Schedule`s, loaded once per process and cached.

An SLA computation must not query per day or per holiday, so a calendar is read in one go
(two queries) and kept for a short while; a change in the admin is seen within a minute, and
at once in the process that made it.
"""

import time
from zoneinfo import ZoneInfo

from eenloket.core.businesstime import Schedule
from eenloket.core.models import BusinessCalendar

CACHE_SECONDS = 60
_cache: dict[int, tuple[float, Schedule]] = {}


def schedule_for_calendar(calendar_id: int) -> Schedule:
    cached = _cache.get(calendar_id)
    if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    calendar = BusinessCalendar.objects.prefetch_related("opening_hours", "closures").get(
        pk=calendar_id
    )
    schedule = Schedule(
        timezone=ZoneInfo(calendar.timezone),
        opening_hours=tuple(
            (hours.weekday, hours.opens, hours.closes) for hours in calendar.opening_hours.all()
        ),
        closed_dates=frozenset(closure.date for closure in calendar.closures.all()),
        holiday_country=calendar.holiday_country.upper() or None,
    )
    _cache[calendar_id] = (time.monotonic(), schedule)
    return schedule


def forget_calendar(calendar_id: int | None = None) -> None:
    if calendar_id is None:
        _cache.clear()
    else:
        _cache.pop(calendar_id, None)
