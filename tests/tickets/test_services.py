import datetime as dt

import pytest

from eenloket.catalog.exceptions import UnknownService
from eenloket.core.exceptions import CalendarHasNoOpeningHours, NotAllowed, ValidationFailed
from eenloket.core.models import AuditEvent
from eenloket.directory.exceptions import QueueMissing
from eenloket.tickets import services
from eenloket.tickets.exceptions import (
    InvalidTransition,
    TicketClosed,
    TicketConflict,
    TicketNotFound,
    UploadRejected,
)
from eenloket.tickets.models import Attachment, Ticket, TicketEntry
from tests import factories as f
from tests.factories import PDF, TUESDAY_10


def hand_over_to_it(desk, ticket, **kwargs):
    return services.ticket_hand_over(
        actor=desk.agent,
        ticket=ticket,
        department=desk.it,
        question="Laptop start niet",
        tried="Harde reset, andere lader",
        needed="Vervangende laptop",
        **kwargs,
    )


# --- opening -----------------------------------------------------------------------------


def test_open_numbers_tickets_per_year(open_ticket):
    first, second = open_ticket(), open_ticket()
    assert (first.number, second.number) == ("M2026-00001", "M2026-00002")


def test_open_routes_first_line_services_to_the_central_desk(desk, open_ticket):
    ticket = open_ticket()
    assert (ticket.queue, ticket.line, ticket.status) == (desk.first_line_queue, "first", "new")


def test_open_routes_department_services_straight_to_the_department(desk, open_ticket):
    ticket = open_ticket(service=desk.payslip, title="Loonstrook klopt niet")
    assert (ticket.queue, ticket.line, ticket.status) == (desk.hr_queue, "second", "handed_over")


def test_open_copies_the_requesters_organization(desk, open_ticket):
    assert open_ticket().organization == desk.organization


def test_open_takes_priority_from_the_matrix(open_ticket):
    ticket = open_ticket(impact="high", urgency="medium")
    assert ticket.priority == "P2"


def test_open_uses_the_service_defaults_for_impact_and_urgency(desk, open_ticket):
    desk.laptop.default_impact, desk.laptop.default_urgency = "medium", "high"
    desk.laptop.save()
    assert open_ticket().priority == "P2"


def test_open_computes_due_times_in_business_time(open_ticket):
    # P4: respond within 9 business hours, resolve within 45: opened Tuesday 10:00.
    ticket = open_ticket()
    assert ticket.response_due_at == dt.datetime(2026, 4, 15, 8, 0, tzinfo=dt.UTC)
    assert ticket.resolution_due_at == dt.datetime(2026, 4, 21, 8, 0, tzinfo=dt.UTC)


def test_open_records_the_question_as_the_first_public_entry(open_ticket):
    entry = open_ticket().entries.get()
    assert (entry.kind, entry.is_public, entry.body) == (
        "customer_message",
        True,
        "Zwart scherm na het aanzetten.",
    )


def test_open_with_a_resolution_is_a_first_contact_resolution(open_ticket):
    ticket = open_ticket(resolve_with="Lader zat los.")
    assert (ticket.status, ticket.first_contact_resolution, ticket.resolution) == (
        "resolved",
        True,
        "Lader zat los.",
    )


def test_open_with_an_empty_subject_names_the_field_and_writes_nothing(open_ticket):
    with pytest.raises(ValidationFailed) as error:
        open_ticket(title="  ")
    assert "title" in error.value.field_errors
    assert Ticket.objects.count() == 0


def test_open_with_an_unknown_service_is_a_clear_error(open_ticket):
    with pytest.raises(UnknownService):
        open_ticket(service=987654)


def test_open_with_an_inactive_service_is_refused(desk, open_ticket):
    desk.laptop.is_active = False
    desk.laptop.save()
    with pytest.raises(UnknownService):
        open_ticket()


def test_open_with_an_unknown_channel_is_refused(open_ticket):
    with pytest.raises(ValidationFailed) as error:
        open_ticket(channel="pigeon")
    assert "channel" in error.value.field_errors


def test_open_on_a_calendar_without_opening_hours_fails_and_writes_nothing(desk, open_ticket):
    desk.calendar.opening_hours.all().delete()
    with pytest.raises(CalendarHasNoOpeningHours):
        open_ticket()
    assert (Ticket.objects.count(), TicketEntry.objects.count()) == (0, 0)


def test_open_validates_the_request_form(desk, open_ticket):
    f.RequestFieldFactory(service=desk.laptop, key="asset", field_type="number", required=True)
    with pytest.raises(ValidationFailed) as error:
        open_ticket(form_data={"asset": "geen nummer"})
    assert error.value.field_errors == {"asset": ["Voer een getal in."]}


def test_open_stores_the_cleaned_request_form(desk, open_ticket):
    f.RequestFieldFactory(service=desk.laptop, key="sinds", field_type="date", required=True)
    assert open_ticket(form_data={"sinds": "2026-04-13"}).form_data == {"sinds": "2026-04-13"}


def test_a_customer_cannot_open_a_ticket_for_someone_else(desk, open_ticket):
    other = f.PersonFactory(organization=desk.organization)
    with pytest.raises(NotAllowed):
        open_ticket(actor=desk.customer, requester=other)


def test_a_customer_opens_a_ticket_for_themselves(desk, open_ticket):
    ticket = open_ticket(actor=desk.customer, channel="portal")
    assert ticket.entries.get().author_person == desk.person


def test_open_keeps_an_accepted_attachment(open_ticket):
    ticket = open_ticket(files=[services.Upload(name="foto scherm.pdf", content=PDF)])
    attachment = Attachment.objects.get(entry__ticket=ticket)
    assert (attachment.filename, attachment.content_type, attachment.file.read()) == (
        "foto scherm.pdf",
        "application/pdf",
        PDF,
    )


def test_open_rejects_an_executable_disguised_as_pdf_and_writes_nothing(open_ticket):
    with pytest.raises(UploadRejected):
        open_ticket(files=[services.Upload(name="factuur.pdf", content=b"MZ\x90\x00binary")])
    assert Ticket.objects.count() == 0


def test_open_writes_an_audit_event(open_ticket):
    ticket = open_ticket()
    assert AuditEvent.objects.filter(object_id=str(ticket.pk), action="opened").exists()


# --- working a ticket --------------------------------------------------------------------


def test_reply_is_the_first_response(open_ticket, desk, at_tuesday_10):
    ticket = open_ticket()
    at_tuesday_10.shift(dt.timedelta(hours=1))
    services.ticket_reply(actor=desk.agent, ticket=ticket, body="We bellen u terug.")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.response_business_seconds, ticket.response_breached) == (
        "in_progress",
        3600,
        False,
    )


def test_reply_after_the_response_target_marks_it_missed(open_ticket, desk, at_tuesday_10):
    ticket = open_ticket()
    at_tuesday_10.shift(dt.timedelta(days=2))
    services.ticket_reply(actor=desk.agent, ticket=ticket, body="Sorry voor het wachten.")
    ticket.refresh_from_db()
    assert ticket.response_breached is True


def test_reply_needs_text(open_ticket, desk):
    with pytest.raises(ValidationFailed) as error:
        services.ticket_reply(actor=desk.agent, ticket=open_ticket(), body=" ")
    assert "body" in error.value.field_errors


def test_a_note_is_internal(open_ticket, desk):
    entry = services.ticket_note(actor=desk.agent, ticket=open_ticket(), body="Klant was boos.")
    assert (entry.kind, entry.is_public) == ("note", False)


def test_every_change_bumps_the_version(open_ticket, desk):
    ticket = open_ticket()
    services.ticket_note(actor=desk.agent, ticket=ticket, body="Eerste notitie")
    ticket.refresh_from_db()
    assert ticket.version == 2


def test_a_stale_version_is_a_conflict_and_changes_nothing(open_ticket, desk):
    ticket = open_ticket()
    services.ticket_note(actor=desk.agent, ticket=ticket, body="Collega was eerst")
    with pytest.raises(TicketConflict):
        services.ticket_reply(
            actor=desk.agent, ticket=ticket, body="Mijn antwoord", expected_version=1
        )
    assert not TicketEntry.objects.filter(kind="reply").exists()


def test_assign_to_a_colleague_of_the_desk(open_ticket, desk):
    ticket = services.ticket_assign(actor=desk.agent, ticket=open_ticket(), assignee=desk.agent)
    assert (ticket.assignee, ticket.status) == (desk.agent, "in_progress")


def test_assign_to_a_specialist_of_another_department_is_refused(open_ticket, desk):
    with pytest.raises(ValidationFailed) as error:
        services.ticket_assign(actor=desk.agent, ticket=open_ticket(), assignee=desk.hr_specialist)
    assert "assignee" in error.value.field_errors


def test_hand_over_moves_the_ticket_to_the_department(open_ticket, desk):
    ticket = open_ticket()
    hand_over_to_it(desk, ticket)
    ticket.refresh_from_db()
    assert (ticket.queue, ticket.line, ticket.status, ticket.handover_count) == (
        desk.it_queue,
        "second",
        "handed_over",
        1,
    )


def test_hand_over_keeps_the_structured_note(open_ticket, desk):
    handover = hand_over_to_it(desk, open_ticket())
    assert (handover.question, handover.tried, handover.needed) == (
        "Laptop start niet",
        "Harde reset, andere lader",
        "Vervangende laptop",
    )


def test_hand_over_without_what_was_tried_is_refused(open_ticket, desk):
    with pytest.raises(ValidationFailed) as error:
        services.ticket_hand_over(
            actor=desk.agent,
            ticket=open_ticket(),
            department=desk.it,
            question="Laptop start niet",
            tried="",
            needed="Vervanging",
        )
    assert list(error.value.field_errors) == ["tried"]


def test_return_to_first_line_records_why(open_ticket, desk):
    ticket = open_ticket()
    handover = hand_over_to_it(desk, ticket)
    services.ticket_return_to_first_line(
        actor=desk.it_specialist, ticket=ticket, reason="Dit is een vraag voor HR."
    )
    ticket.refresh_from_db()
    handover.refresh_from_db()
    assert (ticket.queue, ticket.line, handover.return_reason) == (
        desk.first_line_queue,
        "first",
        "Dit is een vraag voor HR.",
    )


def test_return_to_first_line_from_first_line_is_an_invalid_transition(open_ticket, desk):
    with pytest.raises(InvalidTransition):
        services.ticket_return_to_first_line(actor=desk.agent, ticket=open_ticket(), reason="x")


def test_waiting_for_the_customer_pauses_the_resolution_clock(open_ticket, desk, at_tuesday_10):
    ticket = open_ticket()
    due = ticket.resolution_due_at
    services.ticket_wait_for_customer(actor=desk.agent, ticket=ticket, reason="Welk model?")
    at_tuesday_10.shift(dt.timedelta(hours=3))  # 13:00: three business hours waited
    services.ticket_add_customer_message(
        actor=desk.customer, ticket=ticket, person=desk.person, body="Een HP.", channel="portal"
    )
    ticket.refresh_from_db()
    assert (ticket.status, ticket.sla_paused_seconds) == ("in_progress", 3 * 3600)
    assert ticket.resolution_due_at == due + dt.timedelta(hours=3)


def test_waiting_over_a_night_pauses_only_business_time(open_ticket, desk, at_tuesday_10):
    ticket = open_ticket()
    services.ticket_wait_for_customer(actor=desk.agent, ticket=ticket)
    at_tuesday_10.shift(dt.timedelta(days=1))  # Wednesday 10:00: 9 business hours later
    services.ticket_add_customer_message(
        actor=desk.customer, ticket=ticket, person=desk.person, body="Hier ben ik.", channel="email"
    )
    ticket.refresh_from_db()
    assert ticket.sla_paused_seconds == 9 * 3600


def test_reclassifying_recomputes_the_due_times_and_keeps_paused_time(
    open_ticket, desk, at_tuesday_10
):
    ticket = open_ticket()
    services.ticket_wait_for_customer(actor=desk.agent, ticket=ticket)
    at_tuesday_10.shift(dt.timedelta(hours=2))
    services.ticket_add_customer_message(
        actor=desk.customer, ticket=ticket, person=desk.person, body="Antwoord", channel="portal"
    )
    ticket = services.ticket_classify(
        actor=desk.agent, ticket=ticket, impact="high", urgency="high"
    )
    # P1: 4 business hours from Tuesday 10:00, plus the 2 hours paused: Tuesday 16:00.
    assert (ticket.priority, ticket.resolution_due_at) == (
        "P1",
        dt.datetime(2026, 4, 14, 14, 0, tzinfo=dt.UTC),
    )


def test_reclassifying_to_another_service_follows_its_department(open_ticket, desk):
    ticket = services.ticket_classify(actor=desk.agent, ticket=open_ticket(), service=desk.payslip)
    assert (ticket.service, ticket.department) == (desk.payslip, desk.hr)


def test_reclassifying_with_an_unknown_impact_is_refused(open_ticket, desk):
    with pytest.raises(ValidationFailed) as error:
        services.ticket_classify(actor=desk.agent, ticket=open_ticket(), impact="enorm")
    assert "impact" in error.value.field_errors


def test_resolve_records_the_resolution_time_in_business_seconds(open_ticket, desk, at_tuesday_10):
    ticket = open_ticket()
    at_tuesday_10.shift(dt.timedelta(hours=2))
    ticket = services.ticket_resolve(actor=desk.agent, ticket=ticket, resolution="Nieuwe lader.")
    assert (ticket.status, ticket.resolution_business_seconds, ticket.resolution_breached) == (
        "resolved",
        7200,
        False,
    )


def test_resolve_later_than_due_marks_the_resolution_target_missed(
    open_ticket, desk, at_tuesday_10
):
    ticket = open_ticket()
    at_tuesday_10.shift(dt.timedelta(days=14))
    ticket = services.ticket_resolve(actor=desk.agent, ticket=ticket, resolution="Eindelijk.")
    assert ticket.resolution_breached is True


def test_resolve_needs_a_resolution(open_ticket, desk):
    with pytest.raises(ValidationFailed) as error:
        services.ticket_resolve(actor=desk.agent, ticket=open_ticket(), resolution="")
    assert "resolution" in error.value.field_errors


def test_a_customer_reply_reopens_a_resolved_ticket(open_ticket, desk):
    ticket = services.ticket_resolve(actor=desk.agent, ticket=open_ticket(), resolution="Klaar.")
    services.ticket_add_customer_message(
        actor=desk.customer,
        ticket=ticket,
        person=desk.person,
        body="Nog steeds stuk!",
        channel="portal",
    )
    ticket.refresh_from_db()
    assert (ticket.status, ticket.reopen_count, ticket.resolved_at) == ("in_progress", 1, None)


def test_a_closed_ticket_takes_no_customer_message(open_ticket, desk):
    ticket = services.ticket_resolve(actor=desk.agent, ticket=open_ticket(), resolution="Klaar.")
    services.ticket_close(actor=desk.agent, ticket=ticket)
    with pytest.raises(TicketClosed):
        services.ticket_add_customer_message(
            actor=desk.customer, ticket=ticket, person=desk.person, body="Hallo?", channel="email"
        )


def test_close_an_open_ticket_is_an_invalid_transition(open_ticket, desk):
    with pytest.raises(InvalidTransition):
        services.ticket_close(actor=desk.agent, ticket=open_ticket())


def test_reopen_a_closed_ticket_is_refused(open_ticket, desk):
    ticket = services.ticket_resolve(actor=desk.agent, ticket=open_ticket(), resolution="Klaar.")
    services.ticket_close(actor=desk.agent, ticket=ticket)
    with pytest.raises(TicketClosed):
        services.ticket_reopen(actor=desk.agent, ticket=ticket, reason="Toch niet")


def test_reopen_resumes_the_clock_without_counting_the_resolved_time(
    open_ticket, desk, at_tuesday_10
):
    ticket = open_ticket()
    due = ticket.resolution_due_at
    services.ticket_resolve(actor=desk.agent, ticket=ticket, resolution="Klaar.")
    at_tuesday_10.shift(dt.timedelta(hours=4))
    ticket = services.ticket_reopen(actor=desk.agent, ticket=ticket, reason="Toch niet opgelost")
    assert (ticket.status, ticket.resolution_due_at) == ("in_progress", due + dt.timedelta(hours=4))


def test_log_a_call_on_the_timeline(open_ticket, desk):
    entry = services.ticket_log_contact(
        actor=desk.agent, ticket=open_ticket(), kind="call", body="Klant belde terug."
    )
    assert (entry.kind, entry.channel, entry.is_public) == ("call", "phone", False)


def test_the_audit_trail_keeps_old_and_new_status(open_ticket, desk):
    ticket = open_ticket()
    services.ticket_wait_for_customer(actor=desk.agent, ticket=ticket)
    event = AuditEvent.objects.get(object_id=str(ticket.pk), action="waiting", field="status")
    assert (event.actor, event.old_value, event.new_value) == (desk.agent, "new", "waiting")


# --- who may act -------------------------------------------------------------------------


def test_a_specialist_cannot_touch_a_ticket_of_another_department(open_ticket, desk):
    ticket = open_ticket()
    hand_over_to_it(desk, ticket)
    with pytest.raises(TicketNotFound):
        services.ticket_note(actor=desk.hr_specialist, ticket=ticket, body="Even kijken")


def test_a_specialist_works_a_ticket_in_their_department(open_ticket, desk):
    ticket = open_ticket()
    hand_over_to_it(desk, ticket)
    entry = services.ticket_note(actor=desk.it_specialist, ticket=ticket, body="Ik pak hem op")
    assert entry.author == desk.it_specialist


def test_a_specialist_cannot_work_a_first_line_ticket(open_ticket, desk):
    with pytest.raises(TicketNotFound):
        services.ticket_reply(actor=desk.it_specialist, ticket=open_ticket(), body="Hallo")


def test_a_customer_cannot_reply_as_an_agent(open_ticket, desk):
    with pytest.raises(TicketNotFound):
        services.ticket_reply(actor=desk.customer, ticket=open_ticket(), body="Ik ben agent")


def test_a_change_lead_does_not_work_tickets(open_ticket, desk):
    with pytest.raises(TicketNotFound):
        services.ticket_note(actor=desk.change_lead, ticket=open_ticket(), body="Notitie")


@pytest.mark.parametrize("role", ["agent", "team_lead", "admin"])
def test_desk_wide_roles_work_every_ticket(open_ticket, desk, role):
    ticket = open_ticket(service=desk.payslip)
    entry = services.ticket_note(actor=getattr(desk, role), ticket=ticket, body="Gezien")
    assert entry.kind == "note"


def test_another_customer_cannot_write_on_the_ticket(open_ticket, desk):
    stranger = f.UserFactory(username="buurman")
    f.PersonFactory(organization=desk.organization, user=stranger)
    with pytest.raises(TicketNotFound):
        services.ticket_add_customer_message(
            actor=stranger, ticket=open_ticket(), person=desk.person, body="Hoi", channel="portal"
        )


# --- the SLA job -------------------------------------------------------------------------


def test_sla_job_marks_a_missed_response_once(open_ticket, at_tuesday_10):
    ticket = open_ticket()
    at_tuesday_10.shift(dt.timedelta(days=2))
    first, second = services.sla_mark_breaches(), services.sla_mark_breaches()
    ticket.refresh_from_db()
    assert (first, second, ticket.response_breached) == (1, 0, True)


def test_sla_job_leaves_a_paused_ticket_alone(open_ticket, desk, at_tuesday_10):
    ticket = open_ticket()
    services.ticket_reply(
        actor=desk.agent, ticket=ticket, body="Wat is het model?", wait_for_customer=True
    )
    at_tuesday_10.shift(dt.timedelta(days=30))
    assert services.sla_mark_breaches() == 0


def test_sla_job_writes_an_sla_event_on_the_timeline(open_ticket, at_tuesday_10):
    ticket = open_ticket()
    at_tuesday_10.shift(dt.timedelta(days=30))
    services.sla_mark_breaches()
    assert set(
        ticket.entries.filter(kind="sla_event").values_list("data__breached", flat=True)
    ) == {
        "response",
        "resolution",
    }


def test_numbers_start_again_each_year(desk, open_ticket, at_tuesday_10):
    open_ticket()
    at_tuesday_10.move_to(dt.datetime(2027, 1, 5, 9, 0, tzinfo=dt.UTC))
    assert open_ticket().number == "M2027-00001"


def test_tuesday_fixture_is_in_office_hours():
    assert TUESDAY_10.hour == 8  # 10:00 CEST


def test_a_required_file_field_is_answered_by_an_upload(desk, open_ticket):
    f.RequestFieldFactory(service=desk.laptop, key="bon", field_type="file", required=True)
    ticket = open_ticket(form_files={"bon": services.Upload(name="kassabon.pdf", content=PDF)})
    assert (ticket.form_data, ticket.entries.get().attachments.get().filename) == (
        {"bon": "kassabon.pdf"},
        "kassabon.pdf",
    )


def test_a_missing_required_file_field_is_named(desk, open_ticket):
    f.RequestFieldFactory(service=desk.laptop, key="bon", field_type="file", required=True)
    with pytest.raises(ValidationFailed) as error:
        open_ticket(files=[services.Upload(name="bon", content=PDF)])
    assert list(error.value.field_errors) == ["bon"]


def test_staff_opening_their_own_ticket_speak_as_the_customer(desk, open_ticket):
    ticket = open_ticket(actor=desk.hr_specialist, requester=desk.hr_specialist.person)
    assert ticket.entries.get().author_person == desk.hr_specialist.person


# --- a contact taken and handed over at once ------------------------------------------------


def open_and_hand_over(desk, **overrides):
    arguments = {
        "actor": desk.agent,
        "requester": desk.person,
        "service": desk.laptop,
        "channel": "phone",
        "title": "Laptop start niet",
        "description": "Zwart scherm",
        "department": desk.it,
        "tried": "Harde reset",
        "needed": "Vervangende laptop",
    }
    return services.ticket_open_and_hand_over(**{**arguments, **overrides})


def test_open_and_hand_over_puts_the_ticket_in_the_departments_queue(desk, at_tuesday_10):
    ticket = open_and_hand_over(desk)
    handover = ticket.handovers.get()
    assert (ticket.queue, ticket.status, ticket.line) == (desk.it_queue, "handed_over", "second")
    assert (handover.question, handover.tried) == ("Zwart scherm", "Harde reset")


def test_open_and_hand_over_reports_every_error_and_writes_nothing(desk, at_tuesday_10):
    with pytest.raises(ValidationFailed) as caught:
        open_and_hand_over(desk, title="", tried=" ", needed="")
    assert set(caught.value.field_errors) == {"title", "tried", "needed"}
    assert not Ticket.objects.exists()


def test_open_and_hand_over_writes_nothing_when_the_handover_fails(desk, at_tuesday_10):
    with pytest.raises(QueueMissing):
        open_and_hand_over(desk, department=f.DepartmentFactory(code="geen-wachtrij"))
    assert not Ticket.objects.exists()


def test_open_and_hand_over_to_the_services_own_department_keeps_the_note(desk, at_tuesday_10):
    ticket = open_and_hand_over(desk, service=desk.payslip, department=desk.hr)
    note = TicketEntry.objects.get(ticket=ticket, kind="note")
    assert (ticket.queue, ticket.handovers.count()) == (desk.hr_queue, 0)
    assert "Harde reset" in note.body and "Vervangende laptop" in note.body
