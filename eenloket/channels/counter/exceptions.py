from django.utils.translation import gettext_lazy as _

from eenloket.core.exceptions import Conflict, EenloketError, NotFound, ValidationFailed


class TopicNotFound(NotFound):
    default_message = _("No such counter topic.")


class DeskNotFound(NotFound):
    default_message = _("No such counter desk.")


class VisitNotFound(NotFound):
    default_message = _("No such visit.")


class AppointmentNotFound(NotFound):
    default_message = _("No such appointment.")


class CounterClosed(EenloketError):
    code = "counter_closed"
    default_message = _("The counter is closed now. No queue number was given.")


class DeskHasNoTopics(EenloketError):
    code = "desk_has_no_topics"
    default_message = _(
        "This desk serves no topics, so there is no one to call. "
        "Ask a team lead to assign topics to the desk."
    )


class QueueEmpty(EenloketError):
    code = "queue_empty"
    default_message = _("No one is waiting for the topics of this desk.")


class InvalidVisitAction(Conflict):
    code = "invalid_visit_action"
    default_message = _(
        "This is not possible in the visit's current state; a colleague may have acted on it."
    )


class AppointmentCodeInvalid(ValidationFailed):
    code = "appointment_code_invalid"
    default_message = _("This appointment code is unknown. Check the code in your confirmation.")


class AppointmentCodeExpired(ValidationFailed):
    code = "appointment_code_expired"
    default_message = _(
        "This appointment is over or was cancelled. Take a queue number, or book a new one."
    )


class AppointmentTooEarly(ValidationFailed):
    code = "appointment_too_early"
    default_message = _(
        "It is too early to check in. Check the date and time in your confirmation."
    )


class SlotFull(ValidationFailed):
    code = "slot_full"
    default_message = _("This time is fully booked. Choose another time.")
