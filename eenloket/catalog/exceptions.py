from django.utils.translation import gettext_lazy as _

from eenloket.core.exceptions import EenloketError, NotFound


class UnknownService(NotFound):
    code = "unknown_service"
    default_message = _("Unknown service: pick a service from the catalogue.")


class SlaTargetMissing(EenloketError):
    code = "sla_target_missing"
    default_message = _("The SLA policy of this service has no target for this priority.")
