"""Ticket numbers stay unique and gap-free when many desks open tickets at once."""

import threading

import pytest
from django.db import connections

from eenloket.tickets import services
from eenloket.tickets.models import Ticket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql]


def test_concurrent_openings_get_unique_sequential_numbers(desk):
    barrier = threading.Barrier(8)
    errors = []

    def open_one(i):
        try:
            barrier.wait()
            services.ticket_open(
                actor=desk.agent,
                requester=desk.person,
                service=desk.laptop.pk,
                channel="phone",
                title=f"Gelijktijdig {i}",
                description="Tegelijk gebeld",
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=open_one, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    numbers = sorted(Ticket.objects.values_list("number", flat=True))
    assert (errors, numbers) == ([], [f"M2026-{n:05d}" for n in range(1, 9)])
