"""The keys of secrets stored in the database: which one writes, which ones still read."""

import base64
import hashlib

import pytest
from cryptography.fernet import Fernet, InvalidToken

from eenloket.core import secretbox


def _as_before(secret_key: str, purpose: str) -> Fernet:
    """How the mail and identity apps derived their key from SECRET_KEY until now."""
    digest = hashlib.sha256(f"{purpose}:".encode() + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def test_secrets_stored_before_still_decrypt(settings):
    token = _as_before(settings.SECRET_KEY, "eenloket-mail").encrypt(b"imap-password")
    box = secretbox.fernet(explicit="", purpose="eenloket-mail")
    assert box.decrypt(token) == b"imap-password"
    with pytest.raises(InvalidToken):
        secretbox.fernet(explicit="", purpose="eenloket-identity").decrypt(token)


def test_the_explicit_key_writes_and_the_derived_ones_still_read(settings):
    before = secretbox.fernet(explicit="", purpose="p").encrypt(b"old")
    explicit = Fernet.generate_key().decode()
    box = secretbox.fernet(explicit=explicit, purpose="p")
    assert box.decrypt(before) == b"old"
    assert Fernet(explicit).decrypt(box.encrypt(b"new")) == b"new"


def test_a_rotated_secret_key_reads_only_with_the_old_one_among_the_fallbacks(settings):
    token = secretbox.fernet(explicit="", purpose="p").encrypt(b"kept")
    old, settings.SECRET_KEY = settings.SECRET_KEY, "a-new-secret-key-" + "x" * 40
    with pytest.raises(InvalidToken):
        secretbox.fernet(explicit="", purpose="p").decrypt(token)
    settings.SECRET_KEY_FALLBACKS = ["something-else", old]
    box = secretbox.fernet(explicit="", purpose="p")
    assert box.decrypt(token) == b"kept"
    # what is written now is written with the new SECRET_KEY
    settings.SECRET_KEY_FALLBACKS = []
    assert secretbox.fernet(explicit="", purpose="p").decrypt(box.encrypt(b"new")) == b"new"
