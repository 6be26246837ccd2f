"""Mailbox secrets at rest: Fernet-encrypted, or read from an environment variable.

The key is EENLOKET_MAIL_KEY (a Fernet key) when set, else derived from SECRET_KEY, so a
database dump alone never gives away a mailbox password; earlier keys still decrypt
(core/secretbox.py).
"""

from __future__ import annotations

import os

from cryptography.fernet import InvalidToken, MultiFernet
from django.conf import settings

from eenloket.channels.email.exceptions import MailboxSecretMissing
from eenloket.core import secretbox


def box() -> MultiFernet:
    """The mail channel's keys: the current one writes, earlier ones still read."""
    return secretbox.fernet(explicit=settings.EENLOKET_MAIL_KEY, purpose="eenloket-mail")


def secret_encrypt(value: str) -> str:
    return box().encrypt(value.encode()).decode()


def secret_decrypt(token: str) -> str:
    try:
        return box().decrypt(token.encode()).decode()
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
