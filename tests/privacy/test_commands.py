"""`eenloket retention run` and `eenloket person export|erase`."""

import datetime as dt
import zipfile
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from eenloket.privacy.models import RetentionRun
from eenloket.tickets.models import Ticket
from tests.factories import TUESDAY_10
from tests.privacy.conftest import EMAIL, NAME


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_a_dry_run_prints_the_summary_and_changes_nothing(world):
    with time_machine.travel(TUESDAY_10 + dt.timedelta(days=365 * 6), tick=False):
        output = run("retention", "run", "--dry-run")
    assert "dry run: nothing changed" in output
    assert "tickets" in output
    assert "Gemeente Dordrecht" in output
    assert Ticket.objects.filter(title__startswith="Laptop van").exists()
    assert RetentionRun.objects.get().trigger == "command"


def test_a_run_for_one_organization_shows_progress_and_a_total(world):
    with time_machine.travel(TUESDAY_10 + dt.timedelta(days=365 * 6), tick=False):
        output = run("retention", "run", "--organization", "Gemeente Dordrecht", "--batch", "1")
    assert "tickets Gemeente Dordrecht: 1/2" in output
    assert "Total:" in output


def test_an_unknown_organization_is_a_clear_error(db):
    with pytest.raises(CommandError, match="There is no organization 'Atlantis'"):
        run("retention", "run", "--organization", "Atlantis")


def test_person_export_writes_the_zip(world, tmp_path):
    target = tmp_path / "export.zip"
    output = run("person", "export", EMAIL, "--requested-by", "Zelf", "--output", str(target))
    assert "tickets" in output
    assert "README.json" in zipfile.ZipFile(target).namelist()


def test_person_erase_dry_run_changes_nothing(world):
    output = run("person", "erase", str(world.person.pk), "--requested-by", "Zelf", "--dry-run")
    assert "Dry run: nothing was changed." in output
    world.person.refresh_from_db()
    assert world.person.last_name == NAME[1]


def test_person_erase_with_yes_erases(world):
    output = run("person", "erase", str(world.person.pk), "--requested-by", "Zelf", "--yes")
    assert "is erased" in output
    world.person.refresh_from_db()
    assert world.person.email == ""


def test_an_unknown_person_is_a_clear_error(db):
    with pytest.raises(CommandError, match=r"No person .niemand@example\.org."):
        run("person", "erase", "niemand@example.org", "--requested-by", "Zelf", "--yes")


@pytest.mark.parametrize("command", ["retention", "person"])
def test_help_says_what_the_command_does(command, capsys):
    with pytest.raises(SystemExit):
        call_command(command, "--help")
    assert "AVG" in capsys.readouterr().out
