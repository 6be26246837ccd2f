"""Caller identification over the ways Dutch numbers are written."""

import pytest

from eenloket.channels.phone.identify import caller_identify, is_well_formed, number_e164
from eenloket.directory.selectors import organizations_by_phone
from tests import factories as f


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("078-123 45 67", "+31781234567"),
        ("078 1234567", "+31781234567"),
        ("0781234567", "+31781234567"),
        ("(078) 123 45 67", "+31781234567"),
        ("+31 78 1234567", "+31781234567"),
        ("+31781234567", "+31781234567"),
        ("0031781234567", "+31781234567"),
        ("0031 78 123 45 67", "+31781234567"),
        ("06-12345678", "+31612345678"),
        ("06 1234 5678", "+31612345678"),
        ("+316 12345678", "+31612345678"),
        ("020-1234567", "+31201234567"),
        ("010 123 4567", "+31101234567"),
        ("+32 2 555 12 12", "+3225551212"),
        ("+31 (0)78 1234567", "+31781234567"),
        ("0032 2 555 12 12", "+3225551212"),
        ("+49 30 1234567", "+49301234567"),
        ("112", ""),
        ("201", ""),
        ("078-123", ""),
        ("anonymous", ""),
        ("", ""),
    ],
)
def test_dutch_and_foreign_ways_of_writing_a_number(written, e164):
    assert number_e164(written) == e164


@pytest.mark.parametrize(
    ("written", "well_formed"),
    [
        ("078-123 45 67", True),
        ("+31 (0)78 1234567", True),
        ("201", True),
        ("anonymous", True),
        ("Anonymous", True),
        ("", True),
        ("abc", False),
        ("078-CALL-ME", False),
        ("+31<script>", False),
        ("--", False),
    ],
)
def test_malformed_numbers_are_told_apart_from_extensions(written, well_formed):
    assert is_well_formed(written) is well_formed


def test_one_person_with_the_number_is_a_known_caller(db):
    person = f.PersonFactory(phone="+31781234567")
    identity = caller_identify("078-123 45 67")
    assert (identity.match, identity.person, identity.organization) == (
        "known",
        person,
        person.organization,
    )


def test_a_mobile_number_identifies_too(db):
    person = f.PersonFactory(mobile="+31612345678")
    assert caller_identify("06-12345678").person == person


def test_two_people_with_one_number_are_several_matches(db):
    organization = f.OrganizationFactory(name="Gemeente Zwijndrecht")
    first = f.PersonFactory(phone="+31781234567", organization=organization)
    second = f.PersonFactory(mobile="+31781234567", organization=organization)
    identity = caller_identify("+31 78 1234567")
    assert (identity.match, set(identity.people), identity.person) == (
        "several",
        {first, second},
        None,
    )
    assert identity.organization == organization


def test_an_inactive_person_is_not_matched(db):
    f.PersonFactory(phone="+31781234567", is_active=False)
    assert caller_identify("0781234567").match == "unknown"


def test_the_switchboard_of_an_organization_identifies_the_organization(db):
    organization = f.OrganizationFactory(name="Gemeente Papendrecht", phone="078-770 83 42")
    identity = caller_identify("+31787708342")
    assert (identity.match, identity.person, identity.organization) == (
        "organization",
        None,
        organization,
    )


def test_the_switchboard_is_found_through_its_e164_form_with_one_query(
    db, django_assert_num_queries
):
    organization = f.OrganizationFactory(name="Gemeente Sliedrecht", phone="0184 49 59 00")
    f.OrganizationFactory(name="Gemeente Hardinxveld", phone="not a number")
    for index in range(20):
        f.OrganizationFactory(name=f"Gemeente {index}", phone=f"0184 49 59 {10 + index}")
    # Found by the database through the index, not by reading every organization.
    with django_assert_num_queries(1) as captured:
        assert organizations_by_phone(number="+31184495900") == [organization]
    assert "phone_e164" in captured.captured_queries[0]["sql"]
    # A changed number is found under its new form, the old one no longer.
    organization.phone = "+31 184 495 999"
    organization.save(update_fields=["phone"])
    assert caller_identify("0184-495999").organization == organization
    assert caller_identify("0184-495900").match == "unknown"


def test_an_unknown_and_an_anonymous_caller(db):
    assert caller_identify("020-7654321").match == "unknown"
    assert caller_identify("anonymous").match == "anonymous"
    assert caller_identify("").match == "anonymous"
