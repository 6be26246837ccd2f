"""The periodic scheduler: each slot runs once across workers, at the right (local) time."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django_tasks import task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from eenloket.core.models import ScheduledSlot
from eenloket.core.scheduler import PeriodicJob, Scheduler
from eenloket.core.tasks import PERIODIC_JOBS

AMS = ZoneInfo("Europe/Amsterdam")
# Tuesday 14 April 2026, 10:00:30 in Amsterdam: half a minute into a one-minute slot.
TUESDAY = dt.datetime(2026, 4, 14, 8, 0, 30, tzinfo=dt.UTC)


@task()
def ping() -> str:
    return "pong"


EVERY_MINUTE = PeriodicJob(name="ping", task=ping, every=dt.timedelta(minutes=1))
DAILY_SIX = PeriodicJob(name="morning", task=ping, daily_at=dt.time(6, 0))


@pytest.fixture
def clock():
    with time_machine.travel(TUESDAY, tick=False) as traveller:
        yield traveller


def enqueued() -> int:
    return DBTaskResult.objects.filter(task_path="tests.core.test_scheduler.ping").count()


def local_slots(job: str) -> list[str]:
    slots = ScheduledSlot.objects.filter(job=job).order_by("slot").values_list("slot", flat=True)
    return [slot.astimezone(AMS).isoformat() for slot in slots]


# --- slots, without a database ----------------------------------------------------------------


def test_an_interval_slot_starts_at_the_interval_boundary():
    assert EVERY_MINUTE.slot(TUESDAY) == dt.datetime(2026, 4, 14, 8, 0, tzinfo=dt.UTC)


def test_a_daily_slot_before_its_time_is_yesterdays_run():
    early = dt.datetime(2026, 4, 14, 5, 59, tzinfo=AMS)
    assert DAILY_SIX.slot(early) == dt.datetime(2026, 4, 13, 6, 0, tzinfo=AMS)


def test_a_daily_time_that_daylight_saving_skips_runs_an_hour_later():
    job = PeriodicJob(name="night", task=ping, daily_at=dt.time(2, 30))
    spring_forward_morning = dt.datetime(2026, 3, 29, 10, 0, tzinfo=AMS)
    assert job.slot(spring_forward_morning).astimezone(AMS).isoformat() == (
        "2026-03-29T03:30:00+02:00"
    )


def test_a_job_needs_exactly_one_kind_of_schedule():
    with pytest.raises(ValueError, match="exactly one"):
        PeriodicJob(name="both", task=ping, every=dt.timedelta(minutes=1), daily_at=dt.time(6))


def test_two_jobs_cannot_share_a_name():
    with pytest.raises(ValueError, match="unique"):
        Scheduler([EVERY_MINUTE, EVERY_MINUTE], worker="a")


def test_every_registered_job_points_to_a_task():
    assert all(job.resolve_task() for job in PERIODIC_JOBS)


# --- claiming slots ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_slot_runs_once_when_two_workers_tick_in_it(clock):
    first, second = Scheduler([EVERY_MINUTE], worker="a"), Scheduler([EVERY_MINUTE], worker="b")
    ran = (first.tick(), second.tick())
    assert (ran, enqueued()) == ((["ping"], []), 1)


@pytest.mark.django_db
def test_the_slot_records_which_worker_claimed_it(clock):
    Scheduler([EVERY_MINUTE], worker="a").tick()
    Scheduler([EVERY_MINUTE], worker="b").tick()
    assert list(ScheduledSlot.objects.filter(job="ping").values_list("worker", flat=True)) == ["a"]


@pytest.mark.django_db
def test_a_worker_ticking_again_in_the_same_slot_runs_nothing(clock):
    scheduler = Scheduler([EVERY_MINUTE], worker="a")
    scheduler.tick()
    clock.shift(dt.timedelta(seconds=20))
    assert (scheduler.tick(), enqueued()) == ([], 1)


@pytest.mark.django_db
def test_the_next_slot_runs_again(clock):
    first, second = Scheduler([EVERY_MINUTE], worker="a"), Scheduler([EVERY_MINUTE], worker="b")
    first.tick()
    clock.shift(dt.timedelta(minutes=1))
    assert (second.tick(), enqueued()) == (["ping"], 2)


@pytest.mark.django_db
def test_after_downtime_only_the_current_slot_runs(clock):
    scheduler = Scheduler([EVERY_MINUTE], worker="a")
    scheduler.tick()
    clock.shift(dt.timedelta(hours=3))
    scheduler.tick()
    assert local_slots("ping") == ["2026-04-14T10:00:00+02:00", "2026-04-14T13:00:00+02:00"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # Clocks go forward on Sunday 29 March 2026 ...
        (
            dt.datetime(2026, 3, 28, 12, 0, tzinfo=AMS),
            ["2026-03-28T06:00:00+01:00", "2026-03-29T06:00:00+02:00", "2026-03-30T06:00:00+02:00"],
        ),
        # ... and back on Sunday 25 October 2026.
        (
            dt.datetime(2026, 10, 24, 12, 0, tzinfo=AMS),
            ["2026-10-24T06:00:00+02:00", "2026-10-25T06:00:00+01:00", "2026-10-26T06:00:00+01:00"],
        ),
    ],
    ids=["spring", "autumn"],
)
def test_a_daily_job_runs_at_its_local_time_across_a_dst_change(start, expected):
    scheduler = Scheduler([DAILY_SIX], worker="a")
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(2 * 24 * 4):  # two days, ticking every quarter of an hour
            scheduler.tick()
            traveller.shift(dt.timedelta(minutes=15))
    assert local_slots("morning") == expected


@pytest.mark.django_db
def test_a_broken_job_does_not_stop_the_others(clock):
    broken = PeriodicJob(
        name="broken", task="eenloket.core.clock.now", every=dt.timedelta(minutes=1)
    )
    ran = Scheduler([broken, EVERY_MINUTE], worker="a").tick()
    assert (ran, local_slots("broken")) == (["ping"], [])


@pytest.mark.django_db
def test_a_slot_whose_task_cannot_be_queued_stays_free_for_the_next_tick(clock, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("queue unavailable")

    monkeypatch.setattr(DatabaseBackend, "enqueue", refuse)
    Scheduler([EVERY_MINUTE], worker="a").tick()
    assert local_slots("ping") == []


# --- pruning ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_scheduler_prunes_slots_older_than_a_week(clock):
    for days in (8, 6):
        ScheduledSlot.objects.create(
            job="old", slot=TUESDAY - dt.timedelta(days=days), claimed_at=TUESDAY, worker="x"
        )
    Scheduler([EVERY_MINUTE], worker="a").tick()
    assert local_slots("old") == ["2026-04-08T10:00:30+02:00"]


@pytest.mark.django_db
def test_pruning_runs_once_an_hour(clock):
    scheduler = Scheduler([EVERY_MINUTE], worker="a")
    scheduler.tick()
    ScheduledSlot.objects.create(
        job="old", slot=TUESDAY - dt.timedelta(days=8), claimed_at=TUESDAY, worker="x"
    )
    clock.shift(dt.timedelta(minutes=5))
    scheduler.tick()
    assert ScheduledSlot.objects.filter(job="old").count() == 1


# --- real concurrency (PostgreSQL: SQLite's shared in-memory test database has no busy wait) --


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_workers_racing_for_one_slot_run_it_once():
    barrier = threading.Barrier(4)
    results: list[list[str]] = []

    def work(name: str) -> None:
        scheduler = Scheduler([EVERY_MINUTE], worker=name)
        barrier.wait()
        results.append(scheduler.tick(TUESDAY))
        connection.close()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert (sorted(results), enqueued()) == ([[], [], [], ["ping"]], 1)
