from django.utils.translation import gettext_lazy as _

from eenloket.core.exceptions import EenloketError, ValidationFailed


class NotAuthenticated(EenloketError):
    code = "not_authenticated"
    default_message = _("Log in, or send an API key as “Authorization: Bearer <key>”.")


class ApiKeyInvalid(NotAuthenticated):
    code = "key_invalid"
    default_message = _("This API key is not valid.")


class ApiKeyRevoked(NotAuthenticated):
    code = "key_revoked"
    default_message = _("This API key has been revoked.")


class ApiKeyExpired(NotAuthenticated):
    code = "key_expired"
    default_message = _("This API key has expired.")


class RateLimited(EenloketError):
    code = "rate_limited"
    default_message = _("Too many requests with this key. Try again later.")

    def __init__(self, *, retry_after: int):
        super().__init__()
        self.retry_after = retry_after


class IdempotencyKeyReused(EenloketError):
    code = "idempotency_key_reused"
    default_message = _(
        "This Idempotency-Key was already used for a different request. Use a new key."
    )


class IdempotencyKeyInvalid(ValidationFailed):
    code = "idempotency_key_invalid"
    default_message = _("An Idempotency-Key has 1 to 200 visible characters.")
