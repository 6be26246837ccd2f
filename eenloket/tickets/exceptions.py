from django.utils.translation import gettext_lazy as _

from eenloket.core.exceptions import Conflict, EenloketError, NotFound, ValidationFailed


class TicketNotFound(NotFound):
    default_message = _("No such ticket.")


class TicketConflict(Conflict):
    default_message = _(
        "A colleague changed this ticket while you were working on it. "
        "Your change was not saved: look at the new state and try again."
    )


class InvalidTransition(EenloketError):
    code = "invalid_transition"
    default_message = _("This action is not possible in the ticket's current status.")


class TicketClosed(InvalidTransition):
    code = "ticket_closed"
    default_message = _("This ticket is closed and cannot be changed. Open a new ticket instead.")


class UploadRejected(ValidationFailed):
    code = "upload_rejected"
    default_message = _("This file cannot be attached.")


class ReopenPeriodPassed(InvalidTransition):
    code = "reopen_period_passed"
    default_message = _(
        "The period to reopen this ticket has passed. Submit a new request and mention this "
        "ticket's number."
    )
