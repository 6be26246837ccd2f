"""`eenloket apikey create|list|revoke`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from eenloket.integrations.models import ApiKey

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("apikey", *args, stdout=out)
    return out.getvalue()


def test_create_prints_the_key_once(desk):
    output = run("create", "--name", "HR-systeem", "--role", "specialist", "--department", "hr")
    key = ApiKey.objects.get()
    assert (output.splitlines()[-1].startswith(f"elk_{key.prefix}_"), key.department) == (
        True,
        desk.hr,
    )


def test_create_with_an_unknown_department_names_the_known_ones(desk):
    with pytest.raises(CommandError, match="Unknown department 'fin'; known: hr, it"):
        run("create", "--name", "X", "--role", "specialist", "--department", "fin")


def test_create_with_a_scope_that_does_not_fit_says_why(desk):
    with pytest.raises(CommandError, match="department: Een sleutel voor een specialist"):
        run("create", "--name", "X", "--role", "specialist")


def test_create_for_a_customer_organization(desk):
    run("create", "--name", "Portaal", "--role", "customer", "--organization", "Gemeente Dordrecht")
    assert ApiKey.objects.get().organization == desk.organization


def test_list_shows_prefix_and_state(desk):
    run("create", "--name", "CRM", "--role", "first_line")
    key = ApiKey.objects.get()
    assert f"{key.prefix}  active" in run("list")


def test_revoke_by_prefix(desk):
    run("create", "--name", "CRM", "--role", "first_line")
    key = ApiKey.objects.get()
    run("revoke", key.prefix)
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_revoke_of_an_unknown_prefix_fails_clearly(desk):
    with pytest.raises(CommandError, match="No API key with prefix 'nothere'"):
        run("revoke", "nothere")


def test_an_unknown_role_is_refused_by_the_parser(desk):
    with pytest.raises(CommandError, match="invalid choice"):
        run("create", "--name", "X", "--role", "koning")
