import pytest

from eenloket.core.exceptions import ValidationFailed
from eenloket.directory import services
from eenloket.directory.exceptions import InvalidPhoneNumber
from eenloket.directory.models import Person
from eenloket.directory.roles import Role
from tests import factories as f


@pytest.mark.parametrize(
    "raw",
    ["078-123 45 67", "+31 78 1234567", "0031781234567", "(078) 1234567", "078 - 1234567"],
)
def test_dutch_numbers_in_every_format_become_e164(raw):
    assert services.phone_normalize(raw) == "+31781234567"


def test_a_mobile_number_becomes_e164():
    assert services.phone_normalize("06-12345678") == "+31612345678"


def test_a_foreign_number_keeps_its_country():
    assert services.phone_normalize("+32 2 555 12 12") == "+3225551212"


@pytest.mark.parametrize("raw", ["12", "abc", "078-12", "+31 78 123456789012"])
def test_a_malformed_number_is_a_clear_error(raw):
    with pytest.raises(InvalidPhoneNumber) as error:
        services.phone_normalize(raw)
    assert raw in str(error.value.message)


def test_display_of_a_dutch_number_is_national():
    assert services.phone_display("+31781234567") == "078 123 4567"


def test_person_create_normalizes_phone_and_email(db):
    person = services.person_create(
        actor=None,
        organization=f.OrganizationFactory(),
        first_name="Fatima",
        last_name="El Amrani",
        email="F.ElAmrani@Dordrecht.Example",
        phone="078-123 45 67",
        mobile="06 1234 5678",
    )
    assert (person.email, person.phone, person.mobile) == (
        "f.elamrani@dordrecht.example",
        "+31781234567",
        "+31612345678",
    )


def test_person_create_names_every_bad_field_and_writes_nothing(db):
    with pytest.raises(ValidationFailed) as error:
        services.person_create(
            actor=None,
            organization=f.OrganizationFactory(),
            last_name="",
            email="geen-adres",
            phone="12",
        )
    assert (set(error.value.field_errors), Person.objects.count()) == (
        {"last_name", "email", "phone"},
        0,
    )


def test_employee_numbers_are_unique_within_an_organization(db):
    organization = f.OrganizationFactory()
    services.person_create(
        actor=None, organization=organization, last_name="Bakker", employee_number="10042"
    )
    with pytest.raises(ValidationFailed) as error:
        services.person_create(
            actor=None, organization=organization, last_name="Visser", employee_number="10042"
        )
    assert "employee_number" in error.value.field_errors


def test_the_same_employee_number_may_exist_at_another_organization(db):
    services.person_create(
        actor=None, organization=f.OrganizationFactory(), last_name="Bakker", employee_number="7"
    )
    other = services.person_create(
        actor=None, organization=f.OrganizationFactory(), last_name="Visser", employee_number="7"
    )
    assert other.pk


def test_person_update_keeps_untouched_fields(db):
    person = services.person_create(
        actor=None, organization=f.OrganizationFactory(), last_name="Smit", phone="0781234567"
    )
    services.person_update(actor=None, person=person, email="smit@zwijndrecht.example")
    person.refresh_from_db()
    assert (person.phone, person.email) == ("+31781234567", "smit@zwijndrecht.example")


def test_staff_with_an_organization_are_customers_too(db):
    hr = f.DepartmentFactory(code="hr")
    user = services.staff_create(
        actor=None,
        username="hr1",
        password="demo",
        role=Role.SPECIALIST,
        first_name="Hanna",
        last_name="de Boer",
        email="hanna@scd.example",
        departments=[hr],
        organization=f.OrganizationFactory(),
    )
    assert (user.person.last_name, list(user.departments.all())) == ("de Boer", [hr])


def test_staff_create_refuses_a_taken_username(db):
    f.UserFactory(username="servicedesk")
    with pytest.raises(ValidationFailed) as error:
        services.staff_create(
            actor=None,
            username="servicedesk",
            password="demo",
            role=Role.FIRST_LINE,
            first_name="A",
            last_name="B",
            email="a@b.example",
        )
    assert "username" in error.value.field_errors
