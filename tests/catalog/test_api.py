"""The catalogue API: services and the JSON Schema of their request forms."""

import jsonschema_rs
import pytest

from eenloket.directory.roles import Role
from tests import factories as f
from tests.apiclient import key_for

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def client(desk):
    return key_for(role=Role.CUSTOMER, user=desk.customer)


def test_the_catalogue_lists_active_services(client, desk):
    f.ServiceFactory(department=desk.it, sla_policy=desk.policy, is_active=False)
    codes = [s["code"] for s in client.get(f"{API}/services").json()]
    assert sorted(codes) == ["laptop-defect", "loonstrook"]


def test_the_catalogue_searches_in_english_too(client):
    response = client.get(f"{API}/services", {"q": "payslip"})
    assert [s["code"] for s in response.json()] == ["loonstrook"]


def test_a_service_has_the_schema_of_its_request_form(client, desk):
    f.RequestFieldFactory(
        service=desk.laptop, key="merk", field_type="choice", choices=["HP", "Dell"], required=True
    )
    schema = client.get(f"{API}/services/{desk.laptop.pk}").json()["form_schema"]
    validator = jsonschema_rs.validator_for(schema)
    assert (validator.is_valid({"merk": "HP"}), validator.is_valid({"merk": "Apple"})) == (
        True,
        False,
    )


def test_an_unknown_service_is_404(client):
    response = client.get(f"{API}/services/999999")
    assert (response.status_code, response.json()["code"]) == (404, "unknown_service")
