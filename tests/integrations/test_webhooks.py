"""Outbound webhooks, delivered to a real HTTP server started by the test."""

import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.db import connection

from eenloket.core.exceptions import ValidationFailed
from eenloket.integrations import services
from eenloket.integrations.models import SlaRiskNotice, WebhookDelivery
from eenloket.tickets import services as ticket_services

pytestmark = pytest.mark.django_db


class Receiver:
    """A local HTTP server that records what it receives and answers with `status`."""

    def __init__(self, status: int = 200):
        self.status = status
        self.received: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def subscribe(url, events=("ticket.opened",)):
    return services.webhook_subscription_create(
        actor=None, name="CRM", url=url, events=list(events), secret="geheim"
    )


def test_opening_a_ticket_queues_a_delivery_after_the_commit(
    receiver, open_ticket, django_capture_on_commit_callbacks
):
    subscribe(receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.event, delivery.payload["ticket"]["number"]) == (
        "ticket.opened",
        ticket.number,
    )


def test_a_rolled_back_change_sends_nothing(
    receiver, desk, open_ticket, django_capture_on_commit_callbacks
):
    subscribe(receiver.url)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationFailed):
        open_ticket(title="")
    assert WebhookDelivery.objects.count() == 0


def test_only_subscribed_events_are_queued(
    receiver, it_ticket, desk, django_capture_on_commit_callbacks
):
    subscribe(receiver.url, events=["ticket.resolved"])
    with django_capture_on_commit_callbacks(execute=True):
        ticket_services.ticket_note(actor=desk.agent, ticket=it_ticket, body="Notitie")
        ticket_services.ticket_resolve(actor=desk.agent, ticket=it_ticket, resolution="Klaar")
    assert list(WebhookDelivery.objects.values_list("event", flat=True)) == ["ticket.resolved"]


def test_a_handover_is_its_own_event(
    receiver, desk, open_ticket, django_capture_on_commit_callbacks
):
    subscribe(receiver.url, events=["ticket.handed_over", "ticket.changed"])
    ticket = open_ticket()
    with django_capture_on_commit_callbacks(execute=True):
        ticket_services.ticket_hand_over(
            actor=desk.agent, ticket=ticket, department=desk.it, question="V", tried="T", needed="N"
        )
    assert list(WebhookDelivery.objects.values_list("event", flat=True)) == ["ticket.handed_over"]


def test_a_delivery_is_posted_and_signed(receiver, at_tuesday_10):
    subscription = subscribe(receiver.url)
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event="ticket.opened",
        payload={"ticket": {"number": "M2026-00001"}},
        created_at=dt.datetime(2026, 3, 3, 9, tzinfo=dt.UTC),
    )
    status = services.webhook_deliver(delivery_id=delivery.pk)
    headers, body = receiver.received[0]
    timestamp, signature = (
        part.split("=", 1)[1] for part in headers["X-Eenloket-Signature"].split(",")
    )
    expected = hmac.new(b"geheim", f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    assert (status, signature, json.loads(body)["data"]["ticket"]["number"]) == (
        "delivered",
        expected,
        "M2026-00001",
    )


def test_a_failed_delivery_is_retried_with_exponential_back_off(settings):
    settings.EENLOKET_WEBHOOK_RETRY_BASE_SECONDS = 30
    failing = Receiver(status=503)
    try:
        subscription = subscribe(failing.url)
        delivery = WebhookDelivery.objects.create(
            subscription=subscription,
            event="ticket.opened",
            payload={},
            created_at=dt.datetime(2026, 3, 3, tzinfo=dt.UTC),
        )
        delays = []
        for _ in range(3):
            at = dt.datetime(2026, 3, 3, 9, tzinfo=dt.UTC)
            with time_machine.travel(at, tick=False):
                services.webhook_deliver(delivery_id=delivery.pk)
            delivery.refresh_from_db()
            delays.append((delivery.next_attempt_at - at).total_seconds())
    finally:
        failing.close()
    assert (delays, delivery.last_status_code, delivery.status) == ([30, 60, 120], 503, "pending")


def test_a_delivery_gives_up_after_the_last_attempt(settings):
    settings.EENLOKET_WEBHOOK_MAX_ATTEMPTS = 2
    subscription = subscribe("http://127.0.0.1:9/nobody-listens")
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event="ticket.opened",
        payload={},
        created_at=dt.datetime(2026, 3, 3, tzinfo=dt.UTC),
    )
    services.webhook_deliver(delivery_id=delivery.pk)
    services.webhook_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 2, None)


def test_a_delivered_event_is_never_posted_twice(receiver):
    subscription = subscribe(receiver.url)
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event="ticket.opened",
        payload={},
        created_at=dt.datetime(2026, 3, 3, tzinfo=dt.UTC),
    )
    services.webhook_deliver(delivery_id=delivery.pk)
    services.webhook_deliver(delivery_id=delivery.pk)
    assert len(receiver.received) == 1


def test_a_subscription_needs_known_events(desk):
    with pytest.raises(ValidationFailed) as caught:
        services.webhook_subscription_create(actor=None, name="X", url="http://x", events=["nope"])
    assert list(caught.value.field_errors) == ["events"]


def test_emitting_an_unknown_event_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown webhook event"):
        services.webhook_emit(event="ticket.exploded", payload={})


def test_sla_at_risk_goes_out_once_per_due_time(
    receiver, it_ticket, django_capture_on_commit_callbacks
):
    subscribe(receiver.url, events=["sla.at_risk"])
    payload = {"id": it_ticket.pk, "resolution_due_at": it_ticket.resolution_due_at.isoformat()}
    with django_capture_on_commit_callbacks(execute=True):
        first = services.sla_risk_notify(tickets=[payload])
        second = services.sla_risk_notify(tickets=[payload])
    assert (first, second, SlaRiskNotice.objects.count(), WebhookDelivery.objects.count()) == (
        1,
        0,
        1,
        1,
    )


def test_the_scan_warns_about_a_ticket_nearing_its_target(
    receiver, it_ticket, django_capture_on_commit_callbacks
):
    from eenloket.integrations.tasks import sla_at_risk_scan

    subscribe(receiver.url, events=["sla.at_risk"])
    almost_due = it_ticket.resolution_due_at - dt.timedelta(hours=1)
    with (
        time_machine.travel(almost_due, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        sent = sla_at_risk_scan.call()
    delivery = WebhookDelivery.objects.get()
    assert (sent, delivery.event, delivery.payload["ticket"]["number"]) == (
        1,
        "sla.at_risk",
        it_ticket.number,
    )


def test_the_scan_leaves_tickets_with_time_to_spare(receiver, it_ticket):
    from eenloket.integrations.tasks import sla_at_risk_scan

    subscribe(receiver.url, events=["sla.at_risk"])
    assert sla_at_risk_scan.call() == 0


@pytest.mark.django_db(transaction=True)
def test_a_subscription_deleted_by_another_process_costs_the_others_nothing(receiver):
    kept = subscribe(receiver.url)
    gone = subscribe(receiver.url)
    # This process reads the subscriptions (and keeps them for a minute) ...
    services.webhook_emit(event="ticket.resolved", payload={"ticket": {"number": "M2026-00001"}})
    # ... then another process deletes one: no signal reaches this one.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM integrations_webhooksubscription WHERE id = %s", [gone.pk])
    services.webhook_emit(event="ticket.opened", payload={"ticket": {"number": "M2026-00002"}})
    assert list(WebhookDelivery.objects.values_list("subscription_id", flat=True)) == [kept.pk]
