from django.utils.translation import gettext_lazy as _

from eenloket.core.exceptions import NotFound, ValidationFailed


class InvalidPhoneNumber(ValidationFailed):
    default_message = _("This is not a valid phone number.")


class PersonNotFound(NotFound):
    default_message = _("No such person.")


class QueueMissing(NotFound):
    default_message = _("This department has no queue to hand over to.")
