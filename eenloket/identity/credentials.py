"""Secrets of the identity app at rest: client secrets of identity providers (read from an
environment variable named in the provider, or stored encrypted) and the keys of the
authenticator apps (always stored encrypted), so a database dump alone gives away neither.

Fernet, with EENLOKET_IDENTITY_KEY when set, else a key derived from SECRET_KEY. Keys derived
from SECRET_KEY_FALLBACKS (and from SECRET_KEY when EENLOKET_IDENTITY_KEY is set) still
decrypt: rotating SECRET_KEY as Django advises, or moving to an explicit key, does not lock
staff out of their second factor.
"""

import base64
import hashlib
import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from eenloket.identity.exceptions import MfaKeyUnreadable, ProviderMisconfigured


def _derived(secret_key: str) -> bytes:
    digest = hashlib.sha256(b"eenloket-identity:" + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def _fernet() -> MultiFernet:
    keys = [settings.EENLOKET_IDENTITY_KEY] if settings.EENLOKET_IDENTITY_KEY else []
    keys += [_derived(key) for key in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)]
    return MultiFernet([Fernet(key) for key in keys])


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
