"""Errors of the surveys: what the customer or the staff member is told."""

from django.utils.translation import gettext_lazy as _

from eenloket.core.exceptions import EenloketError, NotFound


class SurveyLinkInvalid(NotFound):
    code = "survey_link_invalid"
    default_message = _(
        "This survey link is not valid. Use the link from the mail about your ticket."
    )


class SurveyLinkExpired(EenloketError):
    code = "survey_link_expired"
    default_message = _(
        "This survey has closed: answers can be given or changed for %(days)s days."
    )


class PulseClosed(EenloketError):
    code = "pulse_closed"
    default_message = _("There is no open employee survey right now.")


class PulseAlreadyAnswered(EenloketError):
    code = "pulse_answered"
    default_message = _("You have already answered this survey round. Thank you!")
