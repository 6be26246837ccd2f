"""The demo data: a believable shared services center, loaded through the real services.

The full load is the expensive part, so the module loads it once inside a transaction that
is rolled back at the end; each test runs in its own savepoint within it (the `db` fixture),
so nothing a test changes leaks into the next one or into other modules.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Count
from django.test import RequestFactory, override_settings

from eenloket.catalog.models import RequestField, Service, SlaTarget
from eenloket.core import clock
from eenloket.core.models import AuditEvent
from eenloket.demo.data import DEMO_LOGINS, demo_world, load_demo, load_reference_data
from eenloket.demo.history import replay
from eenloket.directory.models import Department, Organization, Person, Queue, User
from eenloket.tickets.models import Channel, Handover, Status, Ticket, TicketEntry
from eenloket.tickets.selectors import customer_ticket_list
from eenloket.transition.models import Message, Transition
from eenloket.transition.selectors import groups_for, round_results

TICKETS = 60


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for this module and rolled back afterwards."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        counts = load_demo(tickets=TICKETS, seed=7)
        yield counts
        transaction.set_rollback(True)


def _row_counts() -> dict[str, int]:
    return {
        "organizations": Organization.objects.count(),
        "departments": Department.objects.count(),
        "queues": Queue.objects.count(),
        "services": Service.objects.count(),
        "people": Person.objects.count(),
        "users": User.objects.count(),
        "tickets": Ticket.objects.count(),
        "entries": TicketEntry.objects.count(),
    }


def test_there_are_eleven_customer_organizations(demo, db):
    assert Organization.objects.count() == 11


def test_organizations_use_example_domains_only(demo, db):
    domains = set(Organization.objects.values_list("email_domain", flat=True))
    assert all(domain.endswith(".example") for domain in domains)


def test_there_are_the_eight_departments(demo, db):
    assert set(Department.objects.values_list("code", flat=True)) == {
        "it", "hr", "finance", "purchasing", "information", "communication", "facility",
        "legal",
    }  # fmt: skip


def test_every_department_has_a_default_second_line_queue(demo, db):
    with_queue = Department.objects.filter(queues__is_default=True, queues__line="second")
    assert with_queue.distinct().count() == 8


def test_the_first_line_desk_is_the_default_first_line_queue(demo, db):
    queue = Queue.objects.get(line="first", is_default=True)
    assert (queue.code, queue.department) == ("eerstelijn", None)


def test_the_catalogue_has_at_least_forty_services(demo, db):
    assert Service.objects.count() >= 40


def test_every_department_offers_services(demo, db):
    assert Department.objects.filter(services__isnull=False).distinct().count() == 8


def test_every_service_has_an_sla_target_for_p1_to_p4(demo, db):
    priorities_per_service = {
        service.code: set(
            SlaTarget.objects.filter(policy=service.sla_policy).values_list("priority", flat=True)
        )
        for service in Service.objects.select_related("sla_policy")
    }
    assert all(p == {"P1", "P2", "P3", "P4"} for p in priorities_per_service.values())


def test_request_forms_use_every_field_type(demo, db):
    types = set(RequestField.objects.values_list("field_type", flat=True))
    assert types == {"text", "choice", "date", "number", "file"}


def test_a_few_hundred_people_have_e164_phone_numbers(demo, db):
    phones = list(Person.objects.exclude(phone="").values_list("phone", flat=True))
    assert len(phones) > 100
    assert all(phone.startswith("+31") for phone in phones)


def test_the_demo_opens_the_tickets_asked_for(demo, db):
    assert Ticket.objects.count() == TICKETS


def test_tickets_come_in_on_every_channel(demo, db):
    assert set(Ticket.objects.values_list("channel", flat=True)) == set(Channel.values)


def test_tickets_are_in_every_status(demo, db):
    assert set(Ticket.objects.values_list("status", flat=True)) == set(Status.values)


def test_every_department_has_tickets(demo, db):
    assert Department.objects.filter(tickets__isnull=False).distinct().count() == 8


@pytest.mark.parametrize(
    "kind",
    [
        TicketEntry.Kind.HANDOVER,
        TicketEntry.Kind.CALL,
        TicketEntry.Kind.COUNTER_VISIT,
        TicketEntry.Kind.NOTE,
        TicketEntry.Kind.REPLY,
    ],
)
def test_timelines_hold_entries_of_kind(demo, db, kind):
    assert TicketEntry.objects.filter(kind=kind).exists()


def test_some_tickets_are_solved_at_first_contact(demo, db):
    assert Ticket.objects.filter(first_contact_resolution=True).count() >= 3


def test_every_handover_says_what_was_asked_tried_and_needed(demo, db):
    handovers = list(Handover.objects.values_list("question", "tried", "needed"))
    assert handovers
    assert all(all(texts) for texts in handovers)


def test_old_tickets_are_mostly_closed_and_recent_ones_mostly_open(demo, db):
    tickets = list(Ticket.objects.order_by("opened_at").values_list("status", flat=True))
    oldest, newest = tickets[:15], tickets[-15:]
    assert oldest.count(Status.CLOSED) > newest.count(Status.CLOSED)


@pytest.mark.parametrize(
    ("username", "role"),
    [
        ("klant", "customer"),
        ("servicedesk", "first_line"),
        ("specialist-hr", "specialist"),
        ("specialist-it", "specialist"),
        ("teamleider", "team_lead"),
        ("verandermanager", "change_lead"),
        ("beheerder", "administrator"),
    ],
)
def test_the_main_demo_logins_have_their_role(demo, db, username, role):
    assert User.objects.get(username=username).role == role


def _login_request():
    # django-axes counts failures per username and address, so it needs the request.
    return RequestFactory().post("/inloggen/")


@pytest.mark.parametrize("username", [username for username, _ in DEMO_LOGINS])
def test_every_demo_login_authenticates_with_password_demo(demo, db, username):
    assert authenticate(_login_request(), username=username, password="demo") is not None


def test_only_the_administrator_may_use_the_django_admin(demo, db):
    assert list(User.objects.filter(is_staff=True).values_list("username", flat=True)) == [
        "beheerder"
    ]


def test_specialist_logins_belong_to_their_department(demo, db):
    user = User.objects.get(username="specialist-it")
    assert list(user.departments.values_list("code", flat=True)) == ["it"]


def test_every_department_queue_has_specialists(demo, db):
    staffed = Department.objects.annotate(n=Count("members")).filter(n__gte=1)
    assert staffed.count() == 8


def test_klant_sees_their_own_tickets_in_the_portal(demo, db):
    klant = User.objects.get(username="klant")
    tickets = customer_ticket_list(actor=klant)
    assert len(tickets) == 8
    assert {t.requester.user_id for t in tickets} == {klant.pk}


def test_klants_tickets_are_in_every_status(demo, db):
    klant = User.objects.get(username="klant")
    assert {t.status for t in customer_ticket_list(actor=klant)} == set(Status.values)


def test_klant_works_at_gemeente_dordrecht(demo, db):
    person = Person.objects.select_related("organization").get(user__username="klant")
    assert person.organization.name == "Gemeente Dordrecht"


def test_specialist_hr_is_a_customer_of_it(demo, db):
    hr = User.objects.get(username="specialist-hr")
    assert [t.department.code for t in customer_ticket_list(actor=hr)] == ["it"]


def test_some_sla_targets_are_missed(demo, db):
    assert Ticket.objects.filter(resolution_breached=True).exists()


def test_loading_again_adds_nothing(demo, db):
    before = _row_counts()
    load_demo(tickets=TICKETS, seed=7)
    assert _row_counts() == before


def test_loading_again_reports_the_same_counts(demo, db):
    assert load_demo(tickets=TICKETS, seed=7) == demo


def test_loading_the_reference_data_again_adds_nothing(demo, db):
    before = _row_counts()
    load_reference_data()
    assert _row_counts() == before


def test_the_loaded_history_is_marked_once_in_the_audit_trail(demo, db):
    # The marker, not the tickets, decides: seeded benchmark tickets do not block the demo.
    load_demo(tickets=TICKETS, seed=7)
    assert AuditEvent.objects.filter(action="demo_history_loaded").count() == 1


def test_the_same_seed_replays_the_same_history(demo, db):
    world = demo_world(clock.now())

    def replayed() -> list[tuple]:
        known = set(Ticket.objects.values_list("pk", flat=True))
        replay(world, tickets=20, seed=3, progress=lambda message: None)
        return list(
            Ticket.objects.exclude(pk__in=known)
            .order_by("pk")
            .values_list("title", "status", "channel", "service__code", "requester_id")
        )

    assert replayed() == replayed()


def test_progress_is_reported_every_fifty_tickets(demo, db):
    messages = []
    replay(demo_world(clock.now()), tickets=100, seed=3, progress=messages.append)
    assert messages == ["50 of 100 tickets", "100 of 100 tickets"]


def test_loading_again_keeps_a_changed_password(demo, db):
    admin = User.objects.get(username="beheerder")
    admin.set_password("een-ander-wachtwoord")
    admin.save()
    load_demo(tickets=TICKETS, seed=7)
    assert (
        authenticate(_login_request(), username="beheerder", password="een-ander-wachtwoord")
        is not None
    )


def test_the_departments_are_in_different_phases_of_their_transition(demo, db):
    phases = set(Transition.objects.values_list("phase", flat=True))
    assert (Transition.objects.count(), len(phases)) == (8, 5)


def test_every_change_group_improved_from_the_first_round_to_the_second(demo, db):
    change_lead = User.objects.get(username="verandermanager")
    improved = {
        group.name: sum(round_results(group=group)[1].changes.values()) > 0
        for group in groups_for(change_lead)
    }
    assert improved == dict.fromkeys(improved, True)


def test_the_communication_plan_is_half_done(demo, db):
    sent = Message.objects.filter(sent_on__isnull=False).count()
    assert 0.4 < sent / Message.objects.count() < 0.8


def test_the_call_log_holds_eight_weeks_of_calls_of_every_result(demo, db):
    from eenloket.channels.phone.models import Call

    oldest = Call.objects.order_by("started_at").first().started_at
    results = set(Call.objects.values_list("result", flat=True))
    assert (Call.objects.count() > 200, clock.now() - oldest < timedelta(weeks=8, days=2)) == (
        True,
        True,
    )
    assert results == {"answered", "missed", "busy", "forwarded"}


def test_only_todays_missed_calls_are_still_to_do(demo, db):
    from eenloket.channels.phone.demo import AMSTERDAM
    from eenloket.channels.phone.models import Call

    today = clock.now().astimezone(AMSTERDAM).date()
    to_do_days = {
        call.started_at.astimezone(AMSTERDAM).date()
        for call in Call.objects.filter(followup=Call.Followup.TODO)
    }
    followed_up = Call.objects.filter(followup__in=["called_back", "called_again", "done"])
    assert (to_do_days <= {today}, followed_up.count() > 10) == (True, True)


def test_a_recent_phone_ticket_is_on_the_timeline_of_the_call_it_came_from(demo, db):
    from eenloket.channels.phone.models import Call

    linked = list(Call.objects.filter(ticket__isnull=False).select_related("ticket"))
    assert linked, "no call is linked to a phone ticket"
    assert all(
        call.ticket_logged
        and call.ticket.channel == Channel.PHONE
        and call.started_at < call.ticket.opened_at < call.ended_at
        for call in linked
    )


def test_the_newest_answered_calls_have_a_recording(demo, db):
    from eenloket.channels.phone.models import Call, Recording

    newest = Call.objects.filter(result="answered").order_by("-started_at")[:8]
    recorded = set(Recording.objects.values_list("call_id", flat=True))
    assert {call.pk for call in newest} == recorded
