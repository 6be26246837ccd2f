"""The periodic jobs the worker's scheduler runs, and the kernel's own housekeeping tasks.

Add a periodic job here: a `@task()` function in the app that owns the work, referenced by
its dotted path so that the shared kernel imports no bounded context.
"""

import datetime as dt

from django.core.management import call_command
from django_tasks import task

from eenloket.core.scheduler import PeriodicJob

KEEP_TASK_RESULTS_DAYS = 14


@task()
def prune_task_results() -> None:
    """Delete finished background-task results older than two weeks (one row per run)."""
    call_command(
        "prune_db_task_results",
        queue_name="*",
        min_age_days=KEEP_TASK_RESULTS_DAYS,
        verbosity=0,
    )


PERIODIC_JOBS: list[PeriodicJob] = [
    PeriodicJob(
        name="tickets.sla_check_breaches",
        task="eenloket.tickets.tasks.sla_check_breaches",
        every=dt.timedelta(minutes=1),
    ),
    PeriodicJob(
        name="core.prune_task_results",
        task="eenloket.core.tasks.prune_task_results",
        daily_at=dt.time(3, 30),
    ),
    PeriodicJob(
        name="reports.summary_refresh",
        task="eenloket.reports.tasks.summary_refresh",
        daily_at=dt.time(2, 0),
    ),
    PeriodicJob(
        name="reports.weekly_summary",
        task="eenloket.reports.tasks.weekly_summary",
        daily_at=dt.time(7, 0),  # the task mails only on Mondays
    ),
]
