"""Two agents pressing "call next" at the same moment never get the same visitor.

Real concurrency on PostgreSQL: each thread has its own connection and transaction, all
released together by a barrier; SELECT ... FOR UPDATE SKIP LOCKED hands each a different row.
"""

import threading

import pytest
import time_machine
from django.db import connections

from eenloket.channels.counter import services
from eenloket.channels.counter.models import Visit
from tests.counter.factories import CounterDeskFactory
from tests.factories import TUESDAY_10

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql]
DESKS = 6
ROUNDS = 3


def test_agents_calling_next_at_once_get_different_visitors(desk, counter):
    desks = [
        CounterDeskFactory(number=10 + n, name=f"Balie {10 + n}", topics=[counter.general])
        for n in range(DESKS)
    ]
    called: list[tuple[int, int]] = []
    errors: list[Exception] = []
    with time_machine.travel(TUESDAY_10, tick=False):
        for _ in range(DESKS * ROUNDS):
            services.visit_take_number(topic_id=counter.general.pk)

        def call(desk_id, barrier):
            try:
                barrier.wait()
                visit = services.visit_call_next(actor=desk.agent, desk_id=desk_id)
                called.append((visit.pk, desk_id))
                services.visit_no_show(actor=desk.agent, visit_id=visit.pk)
            except Exception as exc:
                errors.append(exc)
            finally:
                connections.close_all()

        for _ in range(ROUNDS):
            barrier = threading.Barrier(DESKS)
            threads = [threading.Thread(target=call, args=(d.pk, barrier)) for d in desks]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
    visitors = [pk for pk, _ in called]
    assert errors == []
    assert len(visitors) == DESKS * ROUNDS
    assert len(set(visitors)) == len(visitors)
    assert Visit.objects.filter(status="waiting").count() == 0
