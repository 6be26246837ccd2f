"""Background tasks of the tickets app, run by `eenloket worker`."""

from django_tasks import task

from eenloket.tickets import services


@task()
def sla_check_breaches() -> int:
    """Mark the response and resolution targets that have passed; return how many."""
    return services.sla_mark_breaches()
