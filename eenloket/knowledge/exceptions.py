from django.utils.translation import gettext_lazy as _

from eenloket.core.exceptions import NotAllowed, NotFound


class ArticleNotFound(NotFound):
    default_message = _("No such article.")


class VersionNotFound(NotFound):
    default_message = _("No such version of this article.")


class NotOwningDepartment(NotAllowed):
    code = "not_owning_department"
    default_message = _(
        "Only a specialist of the department that owns this article may approve or reject it."
    )


class VersionAlreadyDecided(NotAllowed):
    code = "version_decided"
    default_message = _("This version was already approved or rejected.")


class NotReceivingDepartment(NotAllowed):
    code = "not_receiving_department"
    default_message = _(
        "Only a specialist of the department the article is offered to may accept or decline."
    )


class TransferAlreadyDecided(NotAllowed):
    code = "transfer_decided"
    default_message = _("This move was already accepted, declined or cancelled.")


class TransferNotFound(NotFound):
    default_message = _("No such move of an article.")
