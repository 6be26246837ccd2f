"""Background tasks of the counter, run by `eenloket worker`."""

from django_tasks import task

from eenloket.channels.counter import services


@task()
def send_appointment_mail(*, appointment_id: int, kind: str) -> bool:
    """Mail the customer about their appointment: confirmation, reminder or cancellation."""
    return services.appointment_mail_send(appointment_id=appointment_id, kind=kind)
