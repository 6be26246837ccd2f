"""Background tasks of the phone channel, run by `eenloket worker`."""

from django_tasks import task

from eenloket.channels.phone import services


@task()
def link_calls_to_tickets() -> int:
    """Link calls that ended in the last half hour to the ticket opened about them."""
    return services.calls_link_recent()
