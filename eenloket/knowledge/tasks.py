"""Background tasks of the knowledge base, run by `eenloket worker`."""

from django_tasks import task

from eenloket.knowledge import services


@task()
def settle_portal_searches() -> dict[str, int]:
    """Count portal searches that ended without a request as deflections."""
    return services.portal_searches_settle()
