"""Mailbox secrets at rest: Fernet-encrypted, or read from an environment variable.

The key is EENLOKET_MAIL_KEY (a Fernet key) when set, else derived from SECRET_KEY, so a
database dump alone never gives away a mailbox password. Keys derived from SECRET_KEY_FALLBACKS
(and from SECRET_KEY when EENLOKET_MAIL_KEY is set) still decrypt.
"""

from __future__ import annotations

import base64
import hashlib
import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from eenloket.channels.email.exceptions import MailboxSecretMissing


def _derived(secret_key: str) -> bytes:
    digest = hashlib.sha256(b"eenloket-mail:" + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def _fernet() -> MultiFernet:
    # The first key encrypts; all decrypt, so rotating SECRET_KEY with the old one in
    # SECRET_KEY_FALLBACKS (or moving to an explicit key) keeps stored secrets readable.
    keys = [settings.EENLOKET_MAIL_KEY] if settings.EENLOKET_MAIL_KEY else []
    keys += [_derived(key) for key in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)]
    return MultiFernet([Fernet(key) for key in keys])


def secret_encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def secret_decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise MailboxSecretMissing(
            "The stored secret cannot be decrypted: was EENLOKET_MAIL_KEY or SECRET_KEY changed "
            "without the old SECRET_KEY in SECRET_KEY_FALLBACKS? "
            "Enter the password or token again."
        ) from None


def secret_of(mailbox) -> str:
    """The mailbox's password or OAuth2 token: from its environment variable, else stored."""
    if mailbox.secret_env:
        value = os.environ.get(mailbox.secret_env)
        if not value:
            raise MailboxSecretMissing(
                f"The environment variable {mailbox.secret_env} is not set or empty."
            )
        return value
    if not mailbox.secret_encrypted:
        raise MailboxSecretMissing("No password or token is configured for this mailbox.")
    return secret_decrypt(mailbox.secret_encrypted)
