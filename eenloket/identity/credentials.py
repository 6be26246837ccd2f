"""Secrets of the identity app at rest: client secrets of identity providers (read from an
environment variable named in the provider, or stored encrypted), the keys of the
authenticator apps (always stored encrypted) and the recovery codes (stored as keyed digests),
so a database dump alone gives away none of them.

Fernet, with EENLOKET_IDENTITY_KEY when set, else a key derived from SECRET_KEY; earlier keys
still read (core/secretbox.py), so rotating SECRET_KEY as Django advises, or moving to an
explicit key, does not lock staff out of their second factor.
"""

import hashlib
import hmac
import os

from cryptography.fernet import InvalidToken, MultiFernet
from django.conf import settings

from eenloket.core import secretbox
from eenloket.identity.exceptions import MfaKeyUnreadable, ProviderMisconfigured

PURPOSE = "eenloket-identity"


def box() -> MultiFernet:
    """The identity app's keys: the current one writes, earlier ones still read."""
    return secretbox.fernet(explicit=settings.EENLOKET_IDENTITY_KEY, purpose=PURPOSE)


def _keys() -> list[bytes]:
    return secretbox.keys(explicit=settings.EENLOKET_IDENTITY_KEY, purpose=PURPOSE)


def _key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:2]


def secret_encrypt(value: str) -> str:
    return box().encrypt(value.encode()).decode()


def client_secret_of(provider) -> str:
    if provider.client_secret_env:
        value = os.environ.get(provider.client_secret_env, "")
        if not value:
            raise ProviderMisconfigured()
        return value
    if not provider.client_secret_encrypted:
        raise ProviderMisconfigured()
    try:
        return box().decrypt(provider.client_secret_encrypted.encode()).decode()
    except InvalidToken:
        raise ProviderMisconfigured() from None


def authenticator_key_encrypt(key: bytes) -> str:
    return box().encrypt(key).decode()


def authenticator_key_decrypt(token: str) -> bytes:
    try:
        return box().decrypt(token.encode())
    except InvalidToken:
        raise MfaKeyUnreadable() from None


def recovery_code_digests(code: str) -> list[str]:
    """What a recovery code is stored as: the key's id (2 hex characters) and the code's HMAC
    under that key (14), the 16 characters django-otp's token column holds. The first digest
    is the one to store; the others, under earlier keys, still match. Without the key, a
    database dump gives neither the codes nor a way to try the 2^40 possible ones."""
    return [
        _key_id(key) + hmac.new(key, code.encode(), hashlib.sha256).hexdigest()[:14]
        for key in _keys()
    ]


def recovery_key_id() -> str:
    """The id that the digests of recovery codes made under the current key start with."""
    return _key_id(_keys()[0])
