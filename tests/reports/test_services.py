"""The weekly summary mail."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from eenloket.core.exceptions import NotAllowed
from eenloket.reports import services, tasks
from tests.reports.factories import AMS, make_history

MONDAY_7 = dt.datetime(2026, 4, 20, 7, 0, tzinfo=AMS)


@pytest.fixture
def subscribed(desk):
    desk.team_lead.email = "lead@ssc.example"
    desk.team_lead.save()
    services.summary_subscribe(actor=desk.team_lead, subscribed=True)
    with time_machine.travel(MONDAY_7, tick=False):
        make_history(desk)


def test_the_summary_mails_last_weeks_figures(subscribed):
    with time_machine.travel(MONDAY_7, tick=False):
        sent = services.weekly_summary_send()
    assert (sent, "Nieuwe meldingen: 5" in mail.outbox[0].body) == (1, True)


def test_the_summary_is_sent_once_per_week(subscribed):
    with time_machine.travel(MONDAY_7, tick=False):
        services.weekly_summary_send()
        services.weekly_summary_send()
    assert len(mail.outbox) == 1


def test_the_scheduled_task_mails_only_on_monday(subscribed):
    with time_machine.travel(MONDAY_7 + dt.timedelta(days=1), tick=False):
        tasks.weekly_summary.call()
    assert mail.outbox == []


def test_customers_cannot_subscribe(desk):
    with pytest.raises(NotAllowed):
        services.summary_subscribe(actor=desk.customer, subscribed=True)


def test_the_refresh_command_says_what_it_wrote(desk, capsys):
    from django.core.management import call_command

    with time_machine.travel(MONDAY_7, tick=False):
        make_history(desk)
        call_command("reports_refresh", "--all")
    # The history's 5 tickets of three days, at every grain of the cube.
    assert "Summary rebuilt: 49 rows" in capsys.readouterr().out


def test_the_refresh_command_refuses_zero_days(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="at least 1"):
        call_command("reports_refresh", "--days", "0")
