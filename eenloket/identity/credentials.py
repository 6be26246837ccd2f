"""Client secrets of identity providers at rest: read from an environment variable named in
the provider, or Fernet-encrypted in the database (key EENLOKET_IDENTITY_KEY, else derived
from SECRET_KEY), so a database dump alone never gives away a secret."""

import base64
import hashlib
import os

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from eenloket.identity.exceptions import ProviderMisconfigured


def _fernet() -> Fernet:
    key = settings.EENLOKET_IDENTITY_KEY
    if not key:
        digest = hashlib.sha256(b"eenloket-identity:" + settings.SECRET_KEY.encode()).digest()
        key = base64.urlsafe_b64encode(digest).decode()
    return Fernet(key)


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
