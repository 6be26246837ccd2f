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


def _fernet() -> MultiFernet:
    return secretbox.fernet(explicit=settings.EENLOKET_IDENTITY_KEY, purpose=PURPOSE)


def secret_encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def client_secret_of(provider) -> str:
    if provider.client_secret_env:
        value = os.environ.get(provider.client_secret_env, "")
        if not value:
            raise ProviderMisconfigured()
        return value
    if not provider.client_secret_encrypted:
        raise ProviderMisconfigured()
    try:
        return _fernet().decrypt(provider.client_secret_encrypted.encode()).decode()
    except InvalidToken:
        raise ProviderMisconfigured() from None


def authenticator_key_encrypt(key: bytes) -> str:
    return _fernet().encrypt(key).decode()


def authenticator_key_decrypt(token: str) -> bytes:
    try:
        return _fernet().decrypt(token.encode())
    except InvalidToken:
        raise MfaKeyUnreadable() from None


def recovery_code_digests(code: str) -> list[str]:
    """What a recovery code is stored as: its HMAC under the identity key, 16 hex characters
    (what django-otp's token column holds). The first digest is the one to store; the others,
    under earlier keys, still match. Without the key, a database dump gives neither the codes
    nor a way to try the 2^40 possible ones."""
    return [
        hmac.new(key, code.encode(), hashlib.sha256).hexdigest()[:16]
        for key in secretbox.keys(explicit=settings.EENLOKET_IDENTITY_KEY, purpose=PURPOSE)
    ]
