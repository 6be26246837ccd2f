"""The periodic scheduler: runs each registered job once per time slot, across all workers.

Every worker ticks the scheduler every few seconds. A tick computes the current slot of each
job (the start of its interval, aligned to the Unix epoch, or today's run at a local time) and
claims it by inserting a `ScheduledSlot` row; the unique constraint on (job, slot) lets exactly
one worker win, the others get an IntegrityError and move on. The winner enqueues the job's
task in the same transaction, so a slot is never claimed without its task being queued.

Missed slots are not replayed: after downtime only the current slot runs. The scheduler prunes
its own old rows once an hour, claimed like any other slot.
"""

import datetime as dt
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import IntegrityError, close_old_connections, connections, transaction
from django.utils.module_loading import import_string
from django_tasks.base import Task

from eenloket.core import clock
from eenloket.core.models import ScheduledSlot

logger = logging.getLogger(__name__)

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
AMSTERDAM = "Europe/Amsterdam"
PRUNE_JOB = "scheduler.prune"
PRUNE_EVERY = dt.timedelta(hours=1)
KEEP_SLOTS = dt.timedelta(days=7)


@dataclass(frozen=True)
class PeriodicJob:
    """A task to enqueue once per slot: `every` an interval, or `daily_at` a local time."""

    name: str
    task: str | Task  # a dotted path keeps core free of imports from the bounded contexts
    every: dt.timedelta | None = None
    daily_at: dt.time | None = None
    timezone: str = AMSTERDAM
    kwargs: dict = field(default_factory=dict)

    def __post_init__(self):
        if (self.every is None) == (self.daily_at is None):
            raise ValueError(f"Job {self.name!r} needs exactly one of `every` or `daily_at`.")
        if self.every is not None and self.every < dt.timedelta(seconds=1):
            raise ValueError(f"Job {self.name!r} runs too often: at most once a second.")
        if len(self.name) > ScheduledSlot._meta.get_field("job").max_length:
            raise ValueError(f"Job name {self.name!r} is too long.")

    def slot(self, now: dt.datetime) -> dt.datetime:
        """The start (in UTC) of the slot that `now` falls in."""
        now = now.astimezone(dt.UTC)
        if self.every is not None:
            return EPOCH + (now - EPOCH) // self.every * self.every
        zone = ZoneInfo(self.timezone)
        day = now.astimezone(zone).date()
        # Compare in UTC: aware datetimes sharing one tzinfo compare by wall time only.
        today = _local(day, self.daily_at, zone)
        if today <= now:
            return today
        return _local(day - dt.timedelta(days=1), self.daily_at, zone)

    def resolve_task(self) -> Task:
        task = import_string(self.task) if isinstance(self.task, str) else self.task
        if not isinstance(task, Task):
            raise TypeError(f"Job {self.name!r}: {self.task!r} is not a task (use @task()).")
        return task


def _local(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """`at` on `day` in `zone`, in UTC; a time skipped by DST moves an hour on, as clocks do."""
    return dt.datetime.combine(day, at, tzinfo=zone).astimezone(dt.UTC)


class Scheduler:
    """Claims and enqueues the current slot of each job; one instance per worker process."""

    def __init__(
        self, jobs: Iterable[PeriodicJob], *, worker: str, keep: dt.timedelta = KEEP_SLOTS
    ):
        self.jobs = list(jobs)
        names = [job.name for job in self.jobs]
        if len(set(names)) != len(names) or PRUNE_JOB in names:
            raise ValueError(f"Job names must be unique and not {PRUNE_JOB!r}: {names}")
        self.worker = worker
        self.keep = keep

    def tick(self, now: dt.datetime | None = None) -> list[str]:
        """Run one tick; return the names of the jobs this worker enqueued."""
        now = now or clock.now()
        ran = []
        for job in self.jobs:
            try:
                if self._run(job, now):
                    ran.append(job.name)
            except Exception:
                # One broken job must not stop the others; the next tick tries again.
                logger.exception("Scheduler: could not enqueue job %s", job.name)
        self._prune(now)
        return ran

    def _claim(self, job_name: str, slot: dt.datetime, now: dt.datetime) -> bool:
        """Insert the slot row; False when another worker has it (the caller's transaction)."""
        try:
            # A savepoint, so a lost race leaves the surrounding transaction usable.
            with transaction.atomic():
                ScheduledSlot.objects.create(
                    job=job_name, slot=slot, claimed_at=now, worker=self.worker
                )
        except IntegrityError:
            return False
        return True

    def _run(self, job: PeriodicJob, now: dt.datetime) -> bool:
        task = job.resolve_task()
        slot = job.slot(now)
        if ScheduledSlot.objects.filter(job=job.name, slot=slot).exists():
            return False  # the usual case; skips a failing INSERT on every tick
        # Claim and enqueue together: a crash in between must not lose the slot's run.
        with transaction.atomic():
            if not self._claim(job.name, slot, now):
                return False
            task.enqueue(**job.kwargs)
        logger.info("Scheduler: enqueued %s for slot %s", job.name, slot.isoformat())
        return True

    def _prune(self, now: dt.datetime) -> int:
        slot = EPOCH + (now - EPOCH) // PRUNE_EVERY * PRUNE_EVERY
        if ScheduledSlot.objects.filter(job=PRUNE_JOB, slot=slot).exists():
            return 0
        with transaction.atomic():
            if not self._claim(PRUNE_JOB, slot, now):
                return 0
            deleted, _ = ScheduledSlot.objects.filter(slot__lt=now - self.keep).delete()
        if deleted:
            logger.info("Scheduler: pruned %d old slots", deleted)
        return deleted

    def run_forever(self, stop: threading.Event, *, every: float = 5.0) -> None:
        """Tick every `every` seconds until `stop` is set (the worker's scheduler thread)."""
        logger.info("Scheduler started: worker=%s jobs=%s", self.worker, len(self.jobs))
        try:
            while not stop.is_set():
                close_old_connections()
                try:
                    self.tick()
                except Exception:
                    # A database hiccup (locked SQLite file, failover) is retried next tick.
                    logger.exception("Scheduler tick failed")
                stop.wait(every)
        finally:
            connections.close_all()
            logger.info("Scheduler stopped: worker=%s", self.worker)
