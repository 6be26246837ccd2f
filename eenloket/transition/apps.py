from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransitionConfig(AppConfig):
    name = "eenloket.transition"
    verbose_name = _("Transition")
