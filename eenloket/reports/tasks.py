"""Background work of the reports, run by `eenloket worker` (scheduled in core/tasks.py)."""

from django_tasks import task

from eenloket.core import clock
from eenloket.reports import services
from eenloket.reports.selectors import AMSTERDAM


@task()
def weekly_summary(weekday: int = 0) -> int:
    """Runs daily; on `weekday` (0 = Monday) it mails last week's summary to subscribers."""
    if clock.now().astimezone(AMSTERDAM).weekday() != weekday:
        return 0
    return services.weekly_summary_send()


@task()
def summary_refresh() -> int:
    """Rebuild the recent days of the dashboards' summary tables (nightly)."""
    from eenloket.reports.summary import summary_refresh as refresh

    return refresh(zone=AMSTERDAM)
