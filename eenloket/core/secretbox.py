"""The keys that encrypt secrets stored in the database (mailbox passwords, client secrets of
identity providers, authenticator keys): an explicit Fernet key from the environment when set,
else one derived from SECRET_KEY, each app with a purpose of its own.

The first key writes; every key reads. Keys derived from SECRET_KEY_FALLBACKS (and from
SECRET_KEY when the explicit key is set) stay readable, so rotating SECRET_KEY as Django
advises, or moving to an explicit key, keeps what was stored.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def keys(*, explicit: str, purpose: str) -> list[bytes]:
    """Fernet keys, the one to write with first."""
    derived = [
        base64.urlsafe_b64encode(hashlib.sha256(f"{purpose}:{secret}".encode()).digest())
        for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)
    ]
    return [explicit.encode(), *derived] if explicit else derived


def fernet(*, explicit: str, purpose: str) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys(explicit=explicit, purpose=purpose)])
