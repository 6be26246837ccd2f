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
        name="accesslog.purge",
        task="eenloket.accesslog.tasks.purge",
        daily_at=dt.time(3, 15),
    ),
    PeriodicJob(
        name="tickets.sla_check_breaches",
        task="eenloket.tickets.tasks.sla_check_breaches",
        every=dt.timedelta(minutes=1),
    ),
    PeriodicJob(
        name="integrations.sla_at_risk_scan",
        task="eenloket.integrations.tasks.sla_at_risk_scan",
        every=dt.timedelta(minutes=5),
    ),
    PeriodicJob(
        name="integrations.idempotency_prune",
        task="eenloket.integrations.tasks.idempotency_prune_task",
        daily_at=dt.time(3, 45),
    ),
    PeriodicJob(
        name="knowledge.settle_portal_searches",
        task="eenloket.knowledge.tasks.settle_portal_searches",
        every=dt.timedelta(minutes=10),
    ),
    PeriodicJob(
        name="phone.link_calls_to_tickets",
        task="eenloket.channels.phone.tasks.link_calls_to_tickets",
        every=dt.timedelta(minutes=1),
    ),
    PeriodicJob(
        # Every kind of personal data, recordings too (was phone.purge_recordings).
        name="privacy.retention_run",
        task="eenloket.privacy.tasks.retention_run",
        daily_at=dt.time(2, 30),
    ),
    PeriodicJob(
        name="mail.fetch",
        task="eenloket.channels.email.tasks.mail_fetch",
        every=dt.timedelta(minutes=1),
    ),
    PeriodicJob(
        name="mail.notify",
        task="eenloket.channels.email.tasks.mail_notify",
        every=dt.timedelta(seconds=20),
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
        name="identity.prune_login_records",
        task="eenloket.identity.tasks.prune_login_records",
        daily_at=dt.time(3, 50),
    ),
    PeriodicJob(
        name="reports.weekly_summary",
        task="eenloket.reports.tasks.weekly_summary",
        daily_at=dt.time(7, 0),  # the task mails only on Mondays
    ),
]
