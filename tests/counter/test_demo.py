"""The counter's demo data: topics with desks, visits for the figures, some appointments."""

import datetime

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings

from eenloket.channels.counter.models import Appointment, CounterDesk, CounterTopic, Visit
from eenloket.demo.data import load_demo

# Tuesday 14 April 2026, 11:00 in Amsterdam: the counter is open.
TUESDAY_11 = datetime.datetime(2026, 4, 14, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        time_machine.travel(TUESDAY_11, tick=False),
        transaction.atomic(),
    ):
        counts = load_demo(tickets=10, seed=7)
        yield counts
        transaction.set_rollback(True)


def test_every_desk_serves_topics(demo, db):
    assert not CounterDesk.objects.filter(topics__isnull=True).exists()
    assert CounterTopic.objects.count() == 3


def test_there_is_a_queue_today_and_history_for_the_figures(demo, db):
    waiting = Visit.objects.filter(status="waiting", day=TUESDAY_11.date()).count()
    past = Visit.objects.filter(day__lt=TUESDAY_11.date(), status="done").count()
    assert waiting >= 9 and past >= 50


def test_the_demo_customer_has_an_appointment(demo, db):
    assert Appointment.objects.filter(person__user__username="klant").exists()


def test_loading_again_adds_nothing(demo, db):
    before = Visit.objects.count()
    load_demo(tickets=10, seed=7)
    assert Visit.objects.count() == before
