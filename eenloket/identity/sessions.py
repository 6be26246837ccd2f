"""What the identity app keeps in a session: when the login happened and was last used
(for expiry), and whether the second factor was given in this session."""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

LOGIN_AT = "eenloket_login_at"
SEEN_AT = "eenloket_seen_at"
MFA_METHOD = "eenloket_mfa"
MFA_NOT_NEEDED = "eenloket_mfa_not_needed"
# Last-seen is written at most this often, so that browsing does not write every request.
SEEN_GRANULARITY_SECONDS = 60


@receiver(user_logged_in, dispatch_uid="eenloket.identity.stamp_login")
def stamp_login(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    now = time.time()
    session[LOGIN_AT] = now
    session[SEEN_AT] = now


def mfa_done(request) -> bool:
    return bool(request.session.get(MFA_METHOD))


def mfa_mark_done(request, method: str) -> None:
    """The second factor was given (totp, recovery, or idp: by the identity provider)."""
    request.session.cycle_key()
    request.session[MFA_METHOD] = method
