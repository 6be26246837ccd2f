"""Factories of the counter: topics, desks, visits and appointments."""

import datetime

import factory
from factory.django import DjangoModelFactory

from eenloket.channels.counter.models import Appointment, CounterDesk, CounterTopic, Visit
from tests import factories as f


class CounterTopicFactory(DjangoModelFactory):
    class Meta:
        model = CounterTopic
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"onderwerp-{n}")
    letter = factory.Sequence(lambda n: "ABCDEFGHJKLMNPRSTUVWXYZ"[n % 23])
    name_nl = factory.Sequence(lambda n: f"Onderwerp {n}")
    name_en = factory.Sequence(lambda n: f"Topic {n}")
    calendar = factory.SubFactory(f.BusinessCalendarFactory)
    default_service = factory.SubFactory(f.ServiceFactory)
    appointment_minutes = 15
    appointment_capacity = 1


class CounterDeskFactory(DjangoModelFactory):
    class Meta:
        model = CounterDesk
        django_get_or_create = ("number",)
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda d: f"Balie {d.number}")

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class VisitFactory(DjangoModelFactory):
    class Meta:
        model = Visit

    topic = factory.SubFactory(CounterTopicFactory)
    day = factory.LazyAttribute(lambda v: v.arrived_at.date())
    sequence = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda v: f"{v.topic.letter}{v.sequence:03d}")
    arrived_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))
    queue_at = factory.LazyAttribute(lambda v: v.arrived_at)


class AppointmentFactory(DjangoModelFactory):
    class Meta:
        model = Appointment

    code = factory.Sequence(lambda n: f"CODE{n:02d}")
    topic = factory.SubFactory(CounterTopicFactory)
    person = factory.SubFactory(f.PersonFactory)
    starts_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))
    ends_at = factory.LazyAttribute(lambda a: a.starts_at + datetime.timedelta(minutes=15))
    booked_at = factory.LazyAttribute(lambda a: a.starts_at - datetime.timedelta(days=2))
