import pytest

from eenloket.catalog import services
from eenloket.catalog.priority import priority_for
from eenloket.core.exceptions import ValidationFailed
from tests import factories as f


@pytest.fixture
def service(db):
    return f.ServiceFactory()


def field(service, key, field_type, **kwargs):
    return f.RequestFieldFactory(service=service, key=key, field_type=field_type, **kwargs)


def errors_of(service, data, files=None):
    with pytest.raises(ValidationFailed) as error:
        services.request_form_validate(service=service, data=data, files=files)
    return error.value.field_errors


@pytest.mark.parametrize(
    ("impact", "urgency", "priority"),
    [
        ("high", "high", "P1"),
        ("high", "medium", "P2"),
        ("medium", "high", "P2"),
        ("medium", "medium", "P3"),
        ("low", "high", "P3"),
        ("low", "low", "P4"),
    ],
)
def test_the_priority_matrix(impact, urgency, priority):
    assert priority_for(impact, urgency) == priority


def test_the_priority_matrix_refuses_unknown_values():
    with pytest.raises(ValueError):
        priority_for("huge", "high")


def test_a_missing_required_field_is_named(service):
    field(service, "startdatum", "date", required=True)
    assert errors_of(service, {}) == {"startdatum": ["Dit veld is verplicht."]}


def test_a_date_must_be_a_date(service):
    field(service, "startdatum", "date")
    assert "startdatum" in errors_of(service, {"startdatum": "31-02-2026"})


def test_a_choice_must_be_one_of_the_options(service):
    field(service, "rol", "choice", choices=["medewerker", "manager"])
    assert "rol" in errors_of(service, {"rol": "directeur"})


def test_a_number_respects_its_bounds(service):
    field(service, "bedrag", "number", min_value=0, max_value=500)
    assert "bedrag" in errors_of(service, {"bedrag": "750"})


def test_a_number_accepts_a_dutch_decimal_comma(service):
    field(service, "bedrag", "number")
    cleaned = services.request_form_validate(service=service, data={"bedrag": "12,50"})
    assert cleaned == {"bedrag": "12.50"}


def test_infinity_is_not_a_number(service):
    field(service, "bedrag", "number")
    assert "bedrag" in errors_of(service, {"bedrag": "Infinity"})


def test_a_required_file_must_be_uploaded(service):
    field(service, "bon", "file", required=True)
    assert "bon" in errors_of(service, {"bon": "bon.pdf"})


def test_all_errors_are_reported_at_once(service):
    field(service, "a", "text", required=True)
    field(service, "b", "number", required=True)
    assert set(errors_of(service, {"b": "x"})) == {"a", "b"}


def test_fields_that_are_not_on_the_form_are_dropped(service):
    field(service, "a", "text")
    cleaned = services.request_form_validate(service=service, data={"a": "ja", "hack": "<script>"})
    assert cleaned == {"a": "ja"}
