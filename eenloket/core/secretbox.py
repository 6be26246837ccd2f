"""The keys that encrypt secrets stored in the database (mailbox passwords, client secrets of
identity providers, authenticator keys): an explicit Fernet key from the environment when set,
else one derived from SECRET_KEY, each app with a purpose of its own.

The first key writes; every key reads. Keys derived from SECRET_KEY_FALLBACKS (and from
SECRET_KEY when the explicit key is set) stay readable, so rotating SECRET_KEY as Django
advises, or moving to an explicit key, keeps what was stored; `eenloket secrets rekey` then
rewrites it under the current key, after which the old one can leave the fallbacks.
"""

import base64
import hashlib
from collections.abc import Callable
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db.models import QuerySet


def keys(*, explicit: str, purpose: str) -> list[bytes]:
    """Fernet keys, the one to write with first."""
    derived = [
        base64.urlsafe_b64encode(hashlib.sha256(f"{purpose}:{secret}".encode()).digest())
        for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)
    ]
    return [explicit.encode(), *derived] if explicit else derived


def fernet(*, explicit: str, purpose: str) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys(explicit=explicit, purpose=purpose)])


# --- re-encrypting under the current key (`eenloket secrets rekey`) -------------------------

# Each app that stores secrets registers a function that rewrites them under the first key
# and returns one line of summary per kind; the shared kernel knows none of them.
_rekeyers: dict[str, Callable[[], list[str]]] = {}


def register_rekey(app: str, rekey: Callable[[], list[str]]) -> None:
    _rekeyers[app] = rekey


def rekey_all() -> dict[str, list[str]]:
    return {app: rekey() for app, rekey in sorted(_rekeyers.items())}


def rekey_field(box: MultiFernet, rows: QuerySet, field: str) -> tuple[int, list[Any]]:
    """Rewrite the Fernet tokens in `field` of `rows` (empty ones skipped) under `box`'s first
    key. Returns how many were rewritten and the rows whose token no key of `box` reads
    (made under a key that is neither current nor a fallback), left as they are."""
    rewritten, unreadable = [], []
    for row in rows.exclude(**{field: ""}):
        try:
            setattr(row, field, box.rotate(getattr(row, field).encode()).decode())
        except InvalidToken:
            unreadable.append(row)
        else:
            rewritten.append(row)
    rows.model.objects.bulk_update(rewritten, [field])
    return len(rewritten), unreadable
