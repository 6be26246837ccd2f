from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "eenloket.identity"
    label = "identity"
    verbose_name = _("Identity and login")

    def ready(self) -> None:
        # `sessions` stamps the login time into every new session (password, SSO, admin,
        # force_login), so that the session expiry needs no extra write on later requests.
        from eenloket.core import secretbox
        from eenloket.identity import sessions  # noqa: F401
        from eenloket.identity.services import identity_secrets_rekey

        secretbox.register_rekey("identity", identity_secrets_rekey)
