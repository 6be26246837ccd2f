"""The counter of the small desk: two topics, two desks (one of them without topics)."""

from dataclasses import dataclass

import pytest

from tests.counter.factories import CounterDeskFactory, CounterTopicFactory


@dataclass
class Counter:
    general: object  # A: general questions, walk-in only... and appointments
    passes: object  # P: access passes
    desk1: object  # serves both topics
    desk2: object  # serves both topics
    empty_desk: object  # serves none


@pytest.fixture
def counter(desk) -> Counter:
    general = CounterTopicFactory(
        code="algemeen",
        letter="A",
        name_nl="Algemene vragen",
        name_en="General questions",
        calendar=desk.calendar,
        default_service=desk.laptop,
        appointment_capacity=2,
        position=1,
    )
    general.services.set([desk.laptop, desk.payslip])
    passes = CounterTopicFactory(
        code="passen",
        letter="P",
        name_nl="Toegangspassen",
        name_en="Access passes",
        calendar=desk.calendar,
        default_service=desk.laptop,
        appointment_capacity=0,
        position=2,
    )
    return Counter(
        general=general,
        passes=passes,
        desk1=CounterDeskFactory(number=1, name="Balie 1", topics=[general, passes]),
        desk2=CounterDeskFactory(number=2, name="Balie 2", topics=[general, passes]),
        empty_desk=CounterDeskFactory(number=9, name="Balie 9"),
    )
