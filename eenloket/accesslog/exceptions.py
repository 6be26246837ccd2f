from django.utils.translation import gettext_lazy as _

from eenloket.core.exceptions import NotFound


class AccessLogNotFound(NotFound):
    """The access log is for administrators: to anyone else it does not exist."""

    default_message = _("Not found.")
