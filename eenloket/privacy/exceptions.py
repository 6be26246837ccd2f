"""Errors of the privacy app, each with a message fit to show."""

from django.utils.translation import gettext_lazy as _

from eenloket.core.exceptions import EenloketError


class ExportLinkInvalid(EenloketError):
    default_message = _("This download link is not valid. Ask for a new export.")


class ExportLinkExpired(EenloketError):
    default_message = _("This download link has expired. Make a new export.")


class ExportGone(EenloketError):
    default_message = _("This export has been removed. Make a new export.")
