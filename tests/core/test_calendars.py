import datetime as dt

from eenloket.core import businesstime
from eenloket.core.calendars import schedule_for_calendar
from eenloket.core.models import Closure
from tests import factories as f


def test_a_calendar_is_read_once_and_then_served_from_memory(db, django_assert_num_queries):
    calendar = f.BusinessCalendarFactory()
    schedule_for_calendar(calendar.pk)
    with django_assert_num_queries(0):
        schedule = schedule_for_calendar(calendar.pk)
        businesstime.add_business_time(
            schedule, dt.datetime(2026, 1, 2, 9, tzinfo=dt.UTC), dt.timedelta(hours=400)
        )


def test_loading_a_calendar_costs_a_fixed_number_of_queries(db, django_assert_num_queries):
    calendar = f.BusinessCalendarFactory()
    Closure.objects.bulk_create(
        Closure(calendar=calendar, date=dt.date(2026, 3, day)) for day in range(1, 20)
    )
    with django_assert_num_queries(3):
        schedule_for_calendar(calendar.pk)


def test_an_exceptional_closure_is_not_business_time(db):
    calendar = f.BusinessCalendarFactory()
    Closure.objects.create(calendar=calendar, date=dt.date(2026, 6, 3), reason="Teamdag")
    schedule = schedule_for_calendar(calendar.pk)
    assert not schedule.is_business_day(dt.date(2026, 6, 3))
