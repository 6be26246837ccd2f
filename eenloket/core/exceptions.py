"""Errors that services raise and adapters (pages, API, command line) turn into messages."""

from django.utils.translation import gettext_lazy as _


class EenloketError(Exception):
    """A business error with a message fit to show to the person who caused it."""

    code = "error"
    default_message = _("The request could not be carried out.")

    def __init__(self, message=None, *, field_errors: dict[str, list[str]] | None = None):
        self.message = message if message is not None else self.default_message
        self.field_errors = field_errors or {}
        super().__init__(str(self.message))


class NotFound(EenloketError):
    """Absent, or out of the actor's scope: the two look the same from outside."""

    code = "not_found"
    default_message = _("Not found.")


class ValidationFailed(EenloketError):
    code = "invalid"
    default_message = _("Please correct the errors below.")


class Conflict(EenloketError):
    code = "conflict"
    default_message = _("Someone else changed this in the meantime. Reload and try again.")


class NotAllowed(EenloketError):
    code = "forbidden"
    default_message = _("You may not do this.")


class CalendarHasNoOpeningHours(EenloketError):
    code = "calendar_closed"
    default_message = _(
        "The business calendar of this service has no opening hours, so no SLA can be computed."
    )
