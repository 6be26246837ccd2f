"""Every model change comes with its migration: a change without one would reach production
as a schema that does not match the code."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration(capsys):
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=1)
    except SystemExit:
        pytest.fail(f"Models changed without a migration:\n{capsys.readouterr().out}")
