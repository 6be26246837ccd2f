"""The directory API: finding customers, organizations, departments, queues."""

import pytest

from eenloket.directory.roles import Role
from tests import factories as f
from tests.apiclient import key_for

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def desk_key(desk):
    return key_for(role=Role.FIRST_LINE, name="Telefooncentrale")


@pytest.fixture
def karin(desk):
    desk.person.email = "karin@dordrecht.nl"
    desk.person.phone = "+31786391111"
    desk.person.employee_number = "D-1234"
    desk.person.save()
    return desk.person


def test_find_a_customer_by_email(desk_key, karin):
    response = desk_key.get(f"{API}/people", {"email": "Karin@Dordrecht.nl"})
    assert [p["id"] for p in response.json()] == [karin.pk]


def test_find_by_email_wants_the_whole_address(desk_key, karin):
    assert desk_key.get(f"{API}/people", {"email": "karin@"}).json() == []


def test_find_a_customer_by_phone_as_dialled(desk_key, karin):
    response = desk_key.get(f"{API}/people", {"phone": "078 639 1111"})
    assert [p["id"] for p in response.json()] == [karin.pk]


def test_a_number_that_is_no_phone_number_finds_nobody(desk_key, karin):
    assert desk_key.get(f"{API}/people", {"phone": "12"}).json() == []


def test_find_a_customer_by_employee_number(desk_key, karin):
    response = desk_key.get(f"{API}/people", {"employee_number": "d-1234"})
    assert [p["organization"]["name"] for p in response.json()] == ["Gemeente Dordrecht"]


def test_a_customer_key_finds_nobody(desk, karin):
    client = key_for(role=Role.CUSTOMER, user=desk.customer)
    assert client.get(f"{API}/people", {"email": "karin@dordrecht.nl"}).json() == []


def test_a_customer_reads_only_their_own_person(desk, karin):
    client = key_for(role=Role.CUSTOMER, user=desk.customer)
    other = f.PersonFactory(organization=desk.organization)
    own = client.get(f"{API}/people/{karin.pk}")
    assert (own.status_code, client.get(f"{API}/people/{other.pk}").status_code) == (200, 404)


def test_the_people_search_has_a_fixed_number_of_queries(
    desk_key, desk, django_assert_max_num_queries
):
    for n in range(8):
        f.PersonFactory(organization=desk.organization, last_name=f"Visser{n}")
    with django_assert_max_num_queries(4):  # with the access log INSERT
        response = desk_key.get(f"{API}/people", {"q": "Visser", "limit": 20})
    assert len(response.json()) == 8


def test_organizations(desk_key, desk):
    response = desk_key.get(f"{API}/organizations")
    one = desk_key.get(f"{API}/organizations/{desk.organization.pk}")
    assert ([o["name"] for o in response.json()], one.json()["id"]) == (
        ["Gemeente Dordrecht"],
        desk.organization.pk,
    )


def test_a_customer_sees_only_their_own_organization(desk):
    other = f.OrganizationFactory(name="Gemeente Zwijndrecht")
    client = key_for(role=Role.CUSTOMER, user=desk.customer)
    listed = [o["name"] for o in client.get(f"{API}/organizations").json()]
    own = client.get(f"{API}/organizations/{desk.organization.pk}").status_code
    theirs = client.get(f"{API}/organizations/{other.pk}").status_code
    assert (listed, own, theirs) == (["Gemeente Dordrecht"], 200, 404)


def test_staff_see_every_organization(desk_key, desk):
    f.OrganizationFactory(name="Gemeente Zwijndrecht")
    listed = [o["name"] for o in desk_key.get(f"{API}/organizations").json()]
    assert listed == ["Gemeente Dordrecht", "Gemeente Zwijndrecht"]


def test_an_unknown_organization_is_404(desk_key):
    assert desk_key.get(f"{API}/organizations/999999").status_code == 404


def test_departments(desk_key):
    assert [d["code"] for d in desk_key.get(f"{API}/departments").json()] == ["hr", "it"]


def test_queues_for_staff(desk_key, desk):
    codes = {q["code"] for q in desk_key.get(f"{API}/queues").json()}
    one = desk_key.get(f"{API}/queues/{desk.it_queue.pk}").json()
    assert (len(codes), one["department"]["code"]) == (3, "it")


def test_a_customer_sees_no_queues(desk):
    client = key_for(role=Role.CUSTOMER, user=desk.customer)
    response = client.get(f"{API}/queues/{desk.it_queue.pk}")
    assert (client.get(f"{API}/queues").json(), response.status_code) == ([], 404)
