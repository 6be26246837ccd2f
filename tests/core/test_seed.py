"""`eenloket seed --tickets N`: synthetic volume for benchmarks, on SQLite and PostgreSQL."""

import io
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Max, Min
from django.utils import timezone

from eenloket.catalog.models import Service
from eenloket.demo import seed as seed_module
from eenloket.directory.models import User
from eenloket.tickets.models import Channel, Status, Ticket, TicketEntry, TicketNumberSequence
from eenloket.tickets.services import ticket_number_format, ticket_open
from tests import factories as f

N = 250


@pytest.fixture
def reference(desk, monkeypatch, at_tuesday_10):
    """Stand-in for the demo's reference data: the desk plus more people and a FAQ service.
    Time stands still: tickets are spread back from now, so a moving clock made the mix of
    statuses in a small sample depend on the hour the tests ran."""
    f.ServiceFactory(
        code="wachtwoord",
        name_nl="Wachtwoord vergeten",
        name_en="Forgotten password",
        department=desk.it,
        sla_policy=desk.policy,
        kind=Service.Kind.QUESTION,
        routing=Service.Routing.FIRST_LINE_SOLVES,
    )
    f.PersonFactory.create_batch(20, organization=desk.organization)
    f.PersonFactory.create_batch(
        10, organization=f.OrganizationFactory(name="Gemeente Zwijndrecht")
    )
    calls = []
    monkeypatch.setattr(seed_module, "_load_reference_data", lambda progress: calls.append(1))
    desk.loader_calls = calls
    return desk


def seed(n=N, **options):
    out = io.StringIO()
    call_command("seed", tickets=n, seed=7, batch_size=100, stdout=out, **options)
    return out.getvalue()


def sequence_numbers(year):
    prefix = ticket_number_format(year=year, sequence=0)[: -len("00000")]
    return sorted(
        int(number.removeprefix(prefix))
        for number in Ticket.objects.filter(number__startswith=prefix).values_list(
            "number", flat=True
        )
    )


def test_seed_adds_the_tickets_asked_for(reference):
    seed()
    assert Ticket.objects.count() == N


def test_seed_loads_the_reference_data_first(reference):
    seed()
    assert reference.loader_calls == [1]


def test_every_ticket_has_two_to_four_timeline_entries(reference):
    seed()
    counts = Ticket.objects.annotate(n=Count("entries")).aggregate(low=Min("n"), high=Max("n"))
    assert (counts["low"], counts["high"]) == (2, 4)


def test_every_status_channel_and_priority_is_present(reference, at_tuesday_10):
    # A fixed "now": which tickets are still new depends on the hour of the week (it failed
    # on a Friday afternoon).
    seed()
    present = {
        field: set(Ticket.objects.values_list(field, flat=True).distinct())
        for field in ("status", "channel", "priority")
    }
    assert present == {
        "status": set(Status.values),
        "channel": set(Channel.values),
        "priority": {"P1", "P2", "P3", "P4"},
    }


def test_every_service_department_and_queue_gets_tickets(reference):
    seed()
    used = {
        "service": set(Ticket.objects.values_list("service_id", flat=True).distinct()),
        "queue": set(Ticket.objects.values_list("queue_id", flat=True).distinct()),
    }
    assert used == {
        "service": set(Service.objects.values_list("id", flat=True)),
        "queue": {reference.first_line_queue.pk, reference.it_queue.pk, reference.hr_queue.pk},
    }


def test_tickets_are_spread_over_the_last_two_years(reference, at_tuesday_10):
    # Frozen: with a few hundred random tickets the newest one's age depends on the day.
    seed()
    span = Ticket.objects.aggregate(first=Min("opened_at"), last=Max("opened_at"))
    assert (timezone.now() - span["first"]).days in range(690, 731)
    assert (timezone.now() - span["last"]).days < 7


def test_numbers_continue_each_years_sequence_without_gaps(reference):
    this_year = timezone.localtime().year
    TicketNumberSequence.objects.create(year=this_year, last=41)
    seed()
    years = {seq.year: seq.last for seq in TicketNumberSequence.objects.all()}
    assert {year: sequence_numbers(year) for year in years} == {
        year: list(range(42 if year == this_year else 1, last + 1)) for year, last in years.items()
    }


def test_a_ticket_opened_after_seeding_gets_the_next_number(reference):
    seed()
    year = timezone.localtime().year
    last = TicketNumberSequence.objects.get(year=year).last
    ticket = ticket_open(
        actor=reference.agent,
        requester=reference.person,
        service=reference.laptop,
        channel=Channel.PHONE,
        title="Laptop start niet",
        description="Scherm blijft zwart.",
    )
    assert ticket.number == ticket_number_format(year=year, sequence=last + 1)
    assert Ticket.objects.filter(number=ticket.number).count() == 1


def test_seeding_twice_adds_up_and_keeps_numbers_unique(reference):
    seed(100)
    seed(100)
    numbers = list(Ticket.objects.values_list("number", flat=True))
    assert (len(numbers), len(set(numbers))) == (200, 200)


def test_times_agree_with_the_status(reference):
    seed()
    open_statuses = [Status.NEW, Status.IN_PROGRESS, Status.WAITING, Status.HANDED_OVER]
    inconsistent = Counter()
    for t in Ticket.objects.all():
        if t.status in open_statuses and (t.resolved_at or t.closed_at):
            inconsistent["open but resolved"] += 1
        if t.status in (Status.RESOLVED, Status.CLOSED) and not (
            t.resolved_at and t.first_response_at and t.resolution_business_seconds is not None
        ):
            inconsistent["resolved without times"] += 1
        if t.status == Status.CLOSED and not (t.closed_at and t.closed_at > t.resolved_at):
            inconsistent["closed without close time"] += 1
        if t.status == Status.WAITING and t.sla_paused_since is None:
            inconsistent["waiting but clock running"] += 1
        if t.first_response_at and t.first_response_at < t.opened_at:
            inconsistent["answered before opened"] += 1
        if not (t.opened_at < t.response_due_at <= t.resolution_due_at):
            inconsistent["due times out of order"] += 1
    assert inconsistent == Counter()


def test_handed_over_tickets_sit_in_a_department_queue(reference):
    seed()
    handed_over = Ticket.objects.filter(status=Status.HANDED_OVER)
    assert set(handed_over.values_list("line", "queue__line").distinct()) == {("second", "second")}


def test_timeline_starts_with_the_customers_message(reference):
    seed()
    first_kinds = {
        ticket.entries.order_by("at", "id").first().kind
        for ticket in Ticket.objects.prefetch_related(None)[:50]
    }
    assert first_kinds == {TicketEntry.Kind.CUSTOMER_MESSAGE}


def test_progress_is_printed_every_batch_with_a_summary(reference):
    output = seed()
    lines = output.strip().splitlines()
    assert [line for line in lines if "ETA" in line][-1].split()[:3] == ["250", "/", "250"]
    assert len([line for line in lines if "ETA" in line]) == 3
    assert lines[-1].startswith("Added 250 tickets and ")


def test_seeding_an_empty_database_loads_the_demo_reference_data_first(db):
    seed(50)
    first_line_login = User.objects.filter(username="servicedesk").exists()
    assert (Ticket.objects.count(), first_line_login) == (50, True)


def test_without_reference_data_seeding_stops_with_a_clear_message(db, monkeypatch):
    monkeypatch.setattr(seed_module, "_load_reference_data", lambda progress: None)
    with pytest.raises(CommandError, match="No reference data"):
        seed(10)
    assert Ticket.objects.count() == 0


@pytest.mark.parametrize(
    ("value", "message"),
    [(-5, "must be at least 1, got -5"), (0, "must be at least 1"), ("abc", "whole number")],
)
def test_a_bad_ticket_count_is_refused(db, value, message):
    with pytest.raises(CommandError, match=message):
        call_command("seed", tickets=value, stdout=io.StringIO())
    assert Ticket.objects.count() == 0


def test_a_missing_ticket_count_is_refused(db):
    with pytest.raises(CommandError, match="--tickets"):
        call_command("seed", stdout=io.StringIO())


def test_a_bad_batch_size_is_refused(db):
    with pytest.raises(CommandError, match="--batch-size"):
        call_command("seed", tickets=10, batch_size=0, stdout=io.StringIO())


def test_the_command_line_refuses_a_negative_count_on_stderr():
    cli = Path(sys.executable).parent / "eenloket"
    result = subprocess.run(
        [str(cli), "seed", "--tickets", "-5"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "--tickets: must be at least 1, got -5" in result.stderr
