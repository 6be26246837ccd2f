import pytest

from eenloket.directory import selectors, services
from eenloket.directory.exceptions import PersonNotFound
from tests import factories as f


@pytest.fixture
def caller(desk):
    return services.person_create(
        actor=None,
        organization=desk.organization,
        first_name="Pieter",
        last_name="van Dijk",
        email="p.vandijk@dordrecht.example",
        phone="078 770 4000",
        employee_number="D-2041",
    )


@pytest.mark.parametrize(
    "query", ["van Dijk", "Pieter", "piet van", "p.vandijk@dordrecht", "078-7704000", "D-2041"]
)
def test_first_line_finds_a_caller_by_name_email_phone_or_employee_number(desk, caller, query):
    assert list(selectors.person_search(actor=desk.agent, query=query)) == [caller]


def test_a_customer_cannot_search_people(desk, caller):
    assert list(selectors.person_search(actor=desk.customer, query="van Dijk")) == []


def test_an_empty_query_finds_nobody(desk, caller):
    assert list(selectors.person_search(actor=desk.agent, query="  ")) == []


def test_a_customer_gets_only_their_own_person(desk, caller):
    with pytest.raises(PersonNotFound):
        selectors.person_get(actor=desk.customer, person_id=caller.pk)


def test_find_by_email_ignores_case(desk, caller):
    assert selectors.person_find_by_email("P.VanDijk@Dordrecht.Example") == caller


def test_the_first_line_queue_is_the_default_one(desk):
    f.QueueFactory(code="extra", name="Extra", is_default=False)
    assert selectors.queue_first_line() == desk.first_line_queue
