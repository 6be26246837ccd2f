from django.utils.translation import gettext_lazy as _

from eenloket.core.exceptions import EenloketError, NotFound, ValidationFailed


class ProviderNotFound(NotFound):
    default_message = _("No single sign-on is configured for this organization.")


class ProviderMisconfigured(EenloketError):
    code = "sso_misconfigured"
    default_message = _(
        "Single sign-on for this organization is not set up correctly. Log in with your "
        "username and password or contact the service desk."
    )


class SsoFailed(EenloketError):
    """A login through the identity provider was refused; `reason` goes to the security log
    only (the person sees the general message)."""

    code = "sso_failed"
    default_message = _(
        "Logging in through your organization did not succeed. Please try again; if it "
        "keeps failing, contact the service desk."
    )

    def __init__(self, reason: str, message=None):
        self.reason = reason
        super().__init__(message)


class MfaCodeInvalid(ValidationFailed):
    default_message = _("That code is not correct. Check the time on your phone and try again.")


class MfaThrottled(ValidationFailed):
    default_message = _("Too many wrong codes. Wait a minute before you try again.")


class MfaNotAllowed(EenloketError):
    code = "forbidden"
    default_message = _("This is only possible in the demo.")


class MfaKeyUnreadable(ValidationFailed):
    """The stored authenticator key cannot be decrypted: EENLOKET_IDENTITY_KEY or SECRET_KEY
    changed without the old one in SECRET_KEY_FALLBACKS. The recovery codes, digested under
    the same key, no longer match either."""

    default_message = _(
        "Your authenticator app cannot be checked at the moment. Ask an administrator to "
        "switch off two-step verification so that you can set it up again."
    )
