"""Background tasks of the privacy app, run by `eenloket worker`."""

from django_tasks import task

from eenloket.privacy import services


@task()
def retention_run() -> int:
    """Anonymize or delete what has expired under the retention rules; logged as a run."""
    return services.retention_run().total
