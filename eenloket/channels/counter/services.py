"""Every write of the counter: numbers, calls, visits, appointments.

A finished visit becomes a ticket through `tickets.services`, like any other contact. Calling
the next visitor locks the chosen row with SELECT ... FOR UPDATE SKIP LOCKED, so two agents
pressing "call next" at the same moment get two different visitors (on SQLite the writers are
serialized anyway).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from eenloket.catalog.selectors import service_get
from eenloket.channels.counter import selectors
from eenloket.channels.counter.exceptions import (
    AppointmentCodeExpired,
    AppointmentCodeInvalid,
    AppointmentTooEarly,
    CounterClosed,
    DeskHasNoTopics,
    InvalidVisitAction,
    QueueEmpty,
    SlotFull,
    TopicNotFound,
)
from eenloket.channels.counter.models import (
    Appointment,
    CounterDesk,
    CounterTopic,
    Visit,
    VisitSequence,
)
from eenloket.core import clock
from eenloket.core.exceptions import NotAllowed, ValidationFailed
from eenloket.core.services import audit_record
from eenloket.directory.selectors import (
    department_list,
    person_by_employee_number,
    person_for_user,
    person_get,
    queue_of_department,
)
from eenloket.tickets import services as ticket_services

if TYPE_CHECKING:
    from eenloket.directory.models import Person, User

Status = Visit.Status
# A checked-in visitor may come this long before the appointment, and this late after its end.
CHECK_IN_EARLY = timedelta(hours=2)
CHECK_IN_LATE = timedelta(minutes=15)
REMIND_BEFORE = timedelta(hours=24)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed on a screen
CODE_LENGTH = 6
MAX_IDENTIFICATION = 100


# --- numbers -----------------------------------------------------------------------------


def _sequence_next(topic: CounterTopic, day) -> int:
    """The next number of the topic's day; the UPDATE's row lock serializes concurrent kiosks."""
    rows = VisitSequence.objects.filter(topic=topic, day=day)
    if not rows.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                VisitSequence.objects.create(topic=topic, day=day, last=1)
        except IntegrityError:
            rows.update(last=F("last") + 1)
    return rows.values_list("last", flat=True).get()


def _visit_create(
    topic: CounterTopic,
    *,
    at: datetime,
    identified_as: str = "",
    person: Person | None = None,
    appointment: Appointment | None = None,
) -> Visit:
    day = selectors.local_day(topic, at)
    sequence = _sequence_next(topic, day)
    return Visit.objects.create(
        topic=topic,
        day=day,
        sequence=sequence,
        number=f"{topic.letter}{sequence:03d}",
        identified_as=identified_as,
        person=person,
        appointment=appointment,
        arrived_at=at,
        queue_at=appointment.starts_at if appointment else at,
    )


def _match_person(identification: str) -> Person | None:
    """An employee number that matches exactly one person links the visit; anything else is
    kept only as text for the agent (the kiosk never says whom it found)."""
    return person_by_employee_number(identification)


@transaction.atomic
def visit_take_number(*, topic_id: int, identification: str = "") -> Visit:
    """A visitor takes a queue number at the kiosk. Refused while the topic is closed."""
    topic = selectors.topic_get(topic_id=topic_id)
    identification = " ".join((identification or "").split())
    if len(identification) > MAX_IDENTIFICATION:
        raise ValidationFailed(field_errors={"identification": [_("At most 100 characters.")]})
    at = clock.now()
    if not selectors.topic_is_open(topic, at):
        raise CounterClosed()
    person = _match_person(identification) if identification else None
    return _visit_create(topic, at=at, identified_as=identification, person=person)


# --- the desk ----------------------------------------------------------------------------


def _require_agent(actor: User) -> None:
    if not selectors.works_counter(actor):
        raise NotAllowed()


def _lock_visit(actor: User, visit_id: int, allowed: tuple[str, ...]) -> Visit:
    _require_agent(actor)
    visit = selectors.visit_get(actor=actor, visit_id=visit_id, for_update=True)
    if visit.status not in allowed:
        raise InvalidVisitAction()
    return visit


def _waiting_order():
    # Appointments whose time has come go first, then everyone by place in line.
    return (
        Case(
            When(appointment__isnull=False, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        "queue_at",
        "id",
    )


@transaction.atomic
def visit_call_next(*, actor: User, desk_id: int) -> Visit:
    """Call the next visitor for one of the desk's topics to this desk."""
    _require_agent(actor)
    desk = selectors.desk_get(desk_id=desk_id)
    # One call at a time per desk; other desks are not held up.
    desk = CounterDesk.objects.select_for_update().get(pk=desk.pk)
    topic_ids = list(desk.topics.filter(is_active=True).values_list("id", flat=True))
    if not topic_ids:
        raise DeskHasNoTopics()
    if Visit.objects.filter(desk=desk, status__in=(Status.CALLED, Status.SERVING)).exists():
        raise InvalidVisitAction(_("Finish the current visitor first (done, no-show or transfer)."))
    at = clock.now()
    candidates = (
        Visit.objects.filter(
            status=Status.WAITING,
            topic_id__in=topic_ids,
            day=selectors.today(at),
            queue_at__lte=at,
        )
        .order_by(*_waiting_order())
        .select_for_update(skip_locked=True, of=("self",))
    )
    visit = candidates.first()
    if visit is None:
        raise QueueEmpty()
    visit.status = Status.CALLED
    visit.desk = desk
    visit.agent = actor
    visit.called_at = at
    visit.first_called_at = visit.first_called_at or at
    visit.call_count += 1
    visit.save()
    audit_record(actor=actor, obj=visit, action="called", changes={"desk": ("", desk.name)})
    return visit


@transaction.atomic
def visit_recall(*, actor: User, visit_id: int) -> Visit:
    """Call the same number again (the board signals it anew)."""
    visit = _lock_visit(actor, visit_id, (Status.CALLED,))
    visit.called_at = clock.now()
    visit.call_count += 1
    visit.save(update_fields=["called_at", "call_count"])
    audit_record(actor=actor, obj=visit, action="recalled")
    return visit


@transaction.atomic
def visit_no_show(*, actor: User, visit_id: int) -> Visit:
    visit = _lock_visit(actor, visit_id, (Status.CALLED,))
    visit.status = Status.NO_SHOW
    visit.finished_at = clock.now()
    visit.save(update_fields=["status", "finished_at"])
    audit_record(actor=actor, obj=visit, action="no_show")
    return visit


@transaction.atomic
def visit_transfer(*, actor: User, visit_id: int, topic_id: int) -> Visit:
    """Send the visitor to another topic's queue; they keep their number and place in line."""
    visit = _lock_visit(actor, visit_id, (Status.WAITING, Status.CALLED, Status.SERVING))
    try:
        topic = selectors.topic_get(topic_id=topic_id)
    except TopicNotFound:
        raise ValidationFailed(field_errors={"topic": [_("Choose a topic.")]}) from None
    if topic.pk == visit.topic_id:
        raise ValidationFailed(
            field_errors={"topic": [_("The visitor is already in this topic's queue.")]}
        )
    before = visit.topic.name_nl
    visit.transferred_from = visit.topic
    visit.topic = topic
    visit.status = Status.WAITING
    visit.desk = None
    visit.agent = None
    visit.called_at = None
    visit.started_at = None
    visit.save()
    audit_record(actor=actor, obj=visit, action="transferred", changes={"topic": (before, topic)})
    return visit


@transaction.atomic
def visit_start_serving(*, actor: User, visit_id: int) -> Visit:
    visit = _lock_visit(actor, visit_id, (Status.CALLED,))
    visit.status = Status.SERVING
    visit.started_at = clock.now()
    visit.save(update_fields=["status", "started_at"])
    audit_record(actor=actor, obj=visit, action="serving")
    return visit


@transaction.atomic
def visit_identify(*, actor: User, visit_id: int, person_id: int) -> Visit:
    """The agent says who the visitor is (found by name, employee number, ...)."""
    visit = _lock_visit(actor, visit_id, (Status.WAITING, Status.CALLED, Status.SERVING))
    visit.person = person_get(actor=actor, person_id=person_id)
    visit.save(update_fields=["person"])
    audit_record(
        actor=actor, obj=visit, action="identified", changes={"person": ("", visit.person)}
    )
    return visit


OUTCOME_RESOLVED = "resolved"
OUTCOME_HAND_OVER = "hand_over"


@transaction.atomic
def visit_finish(
    *,
    actor: User,
    visit_id: int,
    question: str,
    outcome: str,
    resolution: str = "",
    service_id: int | None = None,
    department_id: int | None = None,
    needed: str = "",
) -> Visit:
    """Done: record the question as a ticket of the visitor (channel counter) with the visit
    on its timeline, resolved at once or handed over to a department."""
    visit = _lock_visit(actor, visit_id, (Status.SERVING,))
    question = (question or "").strip()
    resolution = (resolution or "").strip()
    needed = (needed or "").strip()
    errors: dict[str, list[str]] = {}
    if visit.person_id is None:
        errors["person"] = [_("Identify the visitor first: a visit is recorded on a customer.")]
    if not question:
        errors["question"] = [_("Write down the visitor's question.")]
    if outcome == OUTCOME_RESOLVED and not resolution:
        errors["resolution"] = [_("Describe how the question was solved.")]
    department = None
    if outcome == OUTCOME_HAND_OVER:
        department = department_list().filter(pk=department_id or 0).first()
        if department is None:
            errors["department"] = [_("Choose the department to hand over to.")]
        if not needed:
            errors["needed"] = [_("Say what the department needs to do.")]
    if outcome not in (OUTCOME_RESOLVED, OUTCOME_HAND_OVER):
        errors["outcome"] = [_("Say whether the question was solved or handed over.")]
    allowed = selectors.topic_services(visit.topic)
    service = next((s for s in allowed if s.pk == service_id), None) if service_id else None
    if service_id and service is None:
        errors["service"] = [_("Choose one of the topic's services.")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    service = service or service_get(service_id=visit.topic.default_service_id)
    at = clock.now()
    title = question.splitlines()[0][:120]
    ticket = ticket_services.ticket_open(
        actor=actor,
        requester=visit.person,
        service=service.pk,
        channel="counter",
        title=title,
        description=question,
        resolve_with=resolution if outcome == OUTCOME_RESOLVED else None,
    )
    waited = int(((visit.first_called_at or at) - visit.arrived_at).total_seconds())
    served = int((at - (visit.started_at or at)).total_seconds())
    desk_name = visit.desk.name if visit.desk else ""
    ticket_services.ticket_log_contact(
        actor=actor,
        ticket=ticket,
        kind="counter_visit",
        body=_("Queue number %(number)s at %(desk)s") % {"number": visit.number, "desk": desk_name},
        data={
            "queue_number": visit.number,
            "desk": desk_name,
            "topic": visit.topic.name_nl,
            "waited_seconds": max(0, waited),
            "served_seconds": max(0, served),
            "appointment": visit.appointment.code if visit.appointment_id else "",
        },
    )
    # A service that routes straight to its department is there already.
    if department is not None and queue_of_department(department).pk != ticket.queue_id:
        ticket_services.ticket_hand_over(
            actor=actor,
            ticket=ticket,
            department=department,
            question=question,
            tried=resolution or _("Discussed at the counter."),
            needed=needed,
        )
    visit.status = Status.DONE
    visit.finished_at = at
    visit.ticket_id = ticket.pk
    visit.ticket_number = ticket.number
    visit.save(update_fields=["status", "finished_at", "ticket", "ticket_number"])
    audit_record(actor=actor, obj=visit, action="done", changes={"ticket": ("", ticket.number)})
    return visit


# --- appointments ------------------------------------------------------------------------


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Appointment.objects.filter(code=code).exists():
            return code


def _mail_later(appointment: Appointment, kind: str, run_after: datetime | None = None) -> None:
    from eenloket.channels.counter.tasks import send_appointment_mail

    def enqueue() -> None:
        task = (
            send_appointment_mail.using(run_after=run_after) if run_after else send_appointment_mail
        )
        task.enqueue(appointment_id=appointment.pk, kind=kind)

    transaction.on_commit(enqueue)


@transaction.atomic
def appointment_book(
    *,
    actor: User,
    topic_id: int,
    starts_at: datetime,
    person_id: int | None = None,
    question: str = "",
) -> Appointment:
    """Book a slot: a customer for themselves (portal), an agent for anyone. The topic row
    lock makes the capacity check and the insert one step under concurrent booking."""
    if person_id is None:
        person = person_for_user(actor)
        if person is None:
            raise NotAllowed(_("Your login has no customer record. Ask the service desk."))
    else:
        _require_agent(actor)
        person = person_get(actor=actor, person_id=person_id)
    topic = selectors.topic_get(topic_id=topic_id)
    if not topic.takes_appointments:
        raise ValidationFailed(field_errors={"topic": [_("This topic takes no appointments.")]})
    question = (question or "").strip()
    if len(question) > 1000:
        raise ValidationFailed(field_errors={"question": [_("At most 1000 characters.")]})
    at = clock.now()
    slots = {
        slot.starts_at: slot
        for slot in selectors.appointment_slots(
            topic=topic, day=selectors.local_day(topic, starts_at)
        )
    }
    slot = slots.get(starts_at)
    if slot is None or starts_at <= at:
        raise ValidationFailed(field_errors={"starts_at": [_("Choose one of the times offered.")]})
    CounterTopic.objects.select_for_update().filter(pk=topic.pk).get()
    taken = Appointment.objects.filter(
        topic=topic,
        starts_at=starts_at,
        status__in=(Appointment.Status.BOOKED, Appointment.Status.CHECKED_IN),
    ).count()
    if taken >= topic.appointment_capacity:
        raise SlotFull(field_errors={"starts_at": [str(SlotFull.default_message)]})
    appointment = Appointment.objects.create(
        code=_new_code(),
        topic=topic,
        person=person,
        starts_at=starts_at,
        ends_at=slot.ends_at,
        question=question,
        booked_at=at,
        booked_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(actor=actor, obj=appointment, action="booked")
    _mail_later(appointment, "confirmation")
    if starts_at - REMIND_BEFORE > at:
        _mail_later(appointment, "reminder", run_after=starts_at - REMIND_BEFORE)
    return appointment


@transaction.atomic
def appointment_cancel(*, actor: User, appointment_id: int) -> Appointment:
    appointment = selectors.appointment_get(actor=actor, appointment_id=appointment_id)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status != Appointment.Status.BOOKED or appointment.ends_at <= clock.now():
        raise InvalidVisitAction(_("Only an appointment that is still to come can be cancelled."))
    appointment.status = Appointment.Status.CANCELLED
    appointment.cancelled_at = clock.now()
    appointment.save(update_fields=["status", "cancelled_at"])
    audit_record(actor=actor, obj=appointment, action="cancelled")
    _mail_later(appointment, "cancellation")
    return appointment


def appointment_code_normalize(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


@transaction.atomic
def appointment_check_in(*, code: str) -> Visit:
    """At the kiosk: an appointment code gives a queue number that goes first at its time.
    Checking in twice shows the same number again."""
    code = appointment_code_normalize(code)
    appointment = (
        Appointment.objects.select_for_update().select_related("topic").filter(code=code).first()
        if code
        else None
    )
    if appointment is None:
        raise AppointmentCodeInvalid(
            field_errors={"code": [str(AppointmentCodeInvalid.default_message)]}
        )
    if appointment.status == Appointment.Status.CHECKED_IN:
        existing = Visit.objects.filter(appointment=appointment).first()
        if existing is not None and existing.status == Status.WAITING:
            return existing
    at = clock.now()
    if appointment.status != Appointment.Status.BOOKED or at > appointment.ends_at + CHECK_IN_LATE:
        raise AppointmentCodeExpired(
            field_errors={"code": [str(AppointmentCodeExpired.default_message)]}
        )
    if at < appointment.starts_at - CHECK_IN_EARLY:
        opens = localtime(appointment.starts_at - CHECK_IN_EARLY)
        message = _("It is too early to check in: you can check in from %(when)s.") % {
            "when": date_format(opens, "j F Y, H:i")
        }
        raise AppointmentTooEarly(message, field_errors={"code": [message]})
    if not selectors.topic_is_open(appointment.topic, at):
        raise CounterClosed()
    appointment.status = Appointment.Status.CHECKED_IN
    appointment.save(update_fields=["status"])
    return _visit_create(
        appointment.topic, at=at, person=appointment.person, appointment=appointment
    )


def appointment_mail_send(*, appointment_id: int, kind: str) -> bool:
    """Send the confirmation, reminder or cancellation mail. A reminder for an appointment
    that was cancelled (or already reminded) is not sent. Returns whether a mail went out."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    appointment = (
        Appointment.objects.select_related("topic", "person").filter(pk=appointment_id).first()
    )
    if appointment is None or not appointment.person.email:
        return False
    if kind == "reminder":
        if appointment.status != Appointment.Status.BOOKED or appointment.reminder_sent_at:
            return False
        # Claim the reminder first, so two workers never both send it.
        claimed = Appointment.objects.filter(
            pk=appointment.pk, reminder_sent_at__isnull=True
        ).update(reminder_sent_at=clock.now())
        if not claimed:
            return False
    with translation.override("nl"):
        subjects = {
            "confirmation": _("Your appointment at the counter: %(code)s"),
            "reminder": _("Reminder: your appointment at the counter tomorrow (%(code)s)"),
            "cancellation": _("Your appointment %(code)s is cancelled"),
        }
        subject = subjects[kind] % {"code": appointment.code}
        body = render_to_string(
            "counter/mail/appointment.txt", {"appointment": appointment, "kind": kind}
        )
    send_mail(subject, body, None, [appointment.person.email])
    return True
