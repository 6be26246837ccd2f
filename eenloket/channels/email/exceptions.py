from django.utils.translation import gettext_lazy as _

from eenloket.core.exceptions import EenloketError, NotFound


class MailError(EenloketError):
    code = "mail_error"
    default_message = _("The mail could not be handled.")


class MailboxSecretMissing(MailError):
    code = "mailbox_secret"
    default_message = _("The mailbox has no usable password or token.")


class MailboxUnreachable(MailError):
    code = "mailbox_unreachable"
    default_message = _("The mailbox cannot be reached.")


class QuarantineNotFound(NotFound):
    default_message = _("No such quarantined mail.")


class MailNotFound(NotFound):
    default_message = _("No such mail.")
