"""Background tasks of the mail channel, run by `eenloket worker`."""

from django_tasks import task

from eenloket.channels.email import imap, services


@task()
def mail_fetch() -> int:
    """Take in new mail from every active mailbox; returns how many mails."""
    return sum(result.total for result in imap.fetch_all())


@task()
def mail_notify() -> int:
    """Create the notifications the timeline calls for and send what is due (retries)."""
    services.notifications_prepare()
    return services.outbound_send_due()


@task()
def outbound_send_task(*, outbound_id: int) -> str:
    return services.outbound_send(outbound_id=outbound_id)
