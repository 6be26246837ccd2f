"""Concurrent retries with one Idempotency-Key open one ticket (PostgreSQL: real row locks)."""

import threading

import pytest
from django.db import connection

from eenloket.directory.roles import Role
from eenloket.tickets.models import Ticket
from tests.apiclient import key_for


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_simultaneous_retries_open_one_ticket(desk):
    client = key_for(role=Role.FIRST_LINE, name="CRM")
    body = {
        "service_id": desk.laptop.pk,
        "requester_id": desk.person.pk,
        "title": "Laptop kapot",
        "description": "Zwart scherm.",
    }
    start = threading.Barrier(4)
    answers = []

    def send():
        try:
            start.wait()
            response = client.post_json(
                "/api/v1/tickets", body, headers={"Idempotency-Key": "tegelijk-1"}
            )
            answers.append((response.status_code, response.json()["number"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (len(set(answers)), len(answers), Ticket.objects.count()) == (1, 4, 1)
