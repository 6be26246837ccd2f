"""Background tasks of the integrations app, run by `eenloket worker`."""

from django_tasks import task

from eenloket.integrations import services


@task()
def webhook_deliver_task(delivery_id: int) -> str:
    """Deliver one webhook; a failure schedules its own retry with back-off."""
    return services.webhook_deliver(delivery_id=delivery_id)


@task()
def idempotency_prune_task() -> int:
    """Forget Idempotency-Key answers older than a week."""
    return services.idempotency_prune()


# Tell subscribers a ticket nears its resolution target this long before it is due.
SLA_AT_RISK_SECONDS = 4 * 3600


@task()
def sla_at_risk_scan() -> int:
    """Emit `sla.at_risk` for running tickets due within four hours (once per due time)."""
    from eenloket.tickets.selectors import tickets_nearing_breach
    from eenloket.tickets.services import webhook_payload

    tickets = tickets_nearing_breach(within_seconds=SLA_AT_RISK_SECONDS)
    return services.sla_risk_notify(
        tickets=[webhook_payload(ticket, action="sla_at_risk") for ticket in tickets]
    )
