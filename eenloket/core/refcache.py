"""Small reference tables (queues, departments, organizations, services, SLA targets) kept
in memory per process, so that a busy page or API call does not read them on every request.

A value is loaded on first use and kept for `CACHE_SECONDS`. A save or delete of one of its
models forgets it at once in the process that made the change (and again when that
transaction commits, so a value read inside the transaction is not kept); other processes
see the change within `CACHE_SECONDS`, as with business calendars (core/calendars.py).
Only what may be that stale belongs here: names and settings, never who may see what.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

CACHE_SECONDS = 60

T = TypeVar("T")

_values: dict[str, tuple[float, Any]] = {}


def forget(name: str | None = None) -> None:
    """Forget one cached value, or all of them (tests do so before each test)."""
    if name is None:
        _values.clear()
    else:
        _values.pop(name, None)


def _forget_on_change(name: str) -> Callable[..., None]:
    def receiver(**kwargs: Any) -> None:
        forget(name)
        transaction.on_commit(lambda: forget(name), robust=True)

    return receiver


def reference(name: str, *, models: Iterable[type]) -> Callable[[Callable[[], T]], Callable[[], T]]:
    """Decorate a loader without arguments: its value is cached per process under `name`
    and forgotten when an instance of one of `models` is saved or deleted."""

    def decorate(load: Callable[[], T]) -> Callable[[], T]:
        receiver = _forget_on_change(name)
        for model in models:
            for signal in (post_save, post_delete):
                signal.connect(receiver, sender=model, weak=False, dispatch_uid=f"refcache:{name}")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    receiver,
                    sender=field.remote_field.through,
                    weak=False,
                    dispatch_uid=f"refcache:{name}",
                )

        @wraps(load)
        def cached() -> T:
            hit = _values.get(name)
            if hit is not None and time.monotonic() - hit[0] < CACHE_SECONDS:
                return hit[1]
            value = load()
            _values[name] = (time.monotonic(), value)
            return value

        cached.forget = lambda: forget(name)  # type: ignore[attr-defined]
        return cached

    return decorate
