"""The access log's daily purge, scheduled in core/tasks.py."""

from django_tasks import task

from eenloket.accesslog.services import access_log_purge


@task()
def purge() -> int:
    """Delete access log entries older than EENLOKET_ACCESSLOG_RETENTION_DAYS."""
    return access_log_purge()
