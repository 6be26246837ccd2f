"""Errors of the transition, with messages fit to show to the change lead or employee."""

from django.utils.translation import gettext_lazy as _

from eenloket.core.exceptions import Conflict, NotAllowed, NotFound, ValidationFailed


class TransitionNotFound(NotFound):
    default_message = _("There is no transition for this department.")


class RoundClosed(Conflict):
    code = "round_closed"
    default_message = _("This assessment round is closed: its scores can no longer change.")


class RoundAlreadyOpen(Conflict):
    code = "round_open"
    default_message = _("This group already has an open assessment round. Close it first.")


class NotInGroup(ValidationFailed):
    code = "not_in_group"
    default_message = _("This employee is not in the group of this assessment round.")


class MayNotAssess(NotAllowed):
    default_message = _(
        "Only the employee, their direct supervisor or the change lead may enter these scores."
    )


class InvalidScores(ValidationFailed):
    code = "invalid_scores"
    default_message = _("Each ADKAR element needs a whole score from 1 to 5.")
