from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmailChannelConfig(AppConfig):
    name = "eenloket.channels.email"
    # Not "email": the label must not clash with other apps or the standard library's name.
    label = "email_channel"
    verbose_name = _("Mail channel")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from eenloket.channels.email.services import mailbox_secrets_rekey
        from eenloket.core import secretbox

        secretbox.register_rekey("mail", mailbox_secrets_rekey)
