import datetime as dt

import pytest
import time_machine

from eenloket.tickets import services

# Tuesday 14 April 2026, 10:00 in Amsterdam (CEST): inside office hours.
TUESDAY_10 = dt.datetime(2026, 4, 14, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def at_tuesday_10():
    with time_machine.travel(TUESDAY_10, tick=False) as traveller:
        yield traveller


@pytest.fixture
def open_ticket(desk, at_tuesday_10):
    """Open a ticket the way the phone channel does, at Tuesday 10:00."""

    def make(service=None, requester=None, actor=None, **kwargs):
        return services.ticket_open(
            actor=actor or desk.agent,
            requester=requester or desk.person,
            service=service or desk.laptop,
            channel=kwargs.pop("channel", "phone"),
            title=kwargs.pop("title", "Laptop start niet op"),
            description=kwargs.pop("description", "Zwart scherm na het aanzetten."),
            **kwargs,
        )

    return make
