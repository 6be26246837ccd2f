"""API keys: scope rules, hashing, revocation."""

import pytest

from eenloket.core.exceptions import ValidationFailed
from eenloket.directory.roles import Role
from eenloket.integrations import services
from eenloket.integrations.exceptions import ApiKeyInvalid, ApiKeyRevoked
from eenloket.integrations.models import ApiKey

pytestmark = pytest.mark.django_db


def test_only_a_hash_and_the_prefix_are_stored(desk):
    key, raw_key = services.apikey_create(actor=None, name="CRM", role=Role.FIRST_LINE)
    stored = ApiKey.objects.values_list("prefix", "key_hash").get()
    assert (raw_key.startswith(f"elk_{key.prefix}_"), raw_key in "".join(stored)) == (True, False)


def test_a_specialist_key_acts_as_a_specialist_of_its_department(desk):
    key, _ = services.apikey_create(
        actor=None, name="HR-systeem", role=Role.SPECIALIST, department=desk.hr
    )
    assert (key.user.role, list(key.user.departments.all()), key.user.has_usable_password()) == (
        Role.SPECIALIST,
        [desk.hr],
        False,
    )


def test_a_customer_key_follows_its_organization(desk):
    key, _ = services.apikey_create(
        actor=None, name="Portaal", role=Role.CUSTOMER, organization=desk.organization
    )
    person = key.user.person
    assert (person.organization, person.sees_organization_tickets) == (desk.organization, True)


@pytest.mark.parametrize(
    ("role", "scope", "field"),
    [
        (Role.SPECIALIST, {}, "department"),
        (Role.FIRST_LINE, {"department": "hr"}, "department"),
        (Role.CUSTOMER, {}, "organization"),
        (Role.TEAM_LEAD, {"organization": True}, "organization"),
        ("koning", {}, "role"),
    ],
)
def test_a_scope_that_does_not_fit_the_role_is_refused(desk, role, scope, field):
    values = {
        "department": desk.hr if scope.get("department") else None,
        "organization": desk.organization if scope.get("organization") else None,
    }
    with pytest.raises(ValidationFailed) as caught:
        services.apikey_create(actor=None, name="X", role=role, **values)
    assert (list(caught.value.field_errors), ApiKey.objects.count()) == ([field], 0)


def test_a_key_needs_a_name(desk):
    with pytest.raises(ValidationFailed) as caught:
        services.apikey_create(actor=None, name=" ", role=Role.FIRST_LINE)
    assert list(caught.value.field_errors) == ["name"]


def test_a_revoked_key_no_longer_authenticates(desk):
    key, raw_key = services.apikey_create(actor=None, name="CRM", role=Role.FIRST_LINE)
    services.apikey_revoke(actor=None, key=key)
    with pytest.raises(ApiKeyRevoked):
        services.apikey_authenticate(raw_key)


def test_garbage_does_not_authenticate(desk):
    with pytest.raises(ApiKeyInvalid):
        services.apikey_authenticate("Basic dXNlcjpwYXNz")
