"""The one source of "now" for services.

Tests freeze time with time-machine; the demo loader replays months of history by setting the
clock for a block of service calls, so that timelines are built by the real services.
"""

import contextlib
import contextvars
from collections.abc import Iterator
from datetime import datetime

from django.utils import timezone

_override: contextvars.ContextVar[datetime | None] = contextvars.ContextVar(
    "eenloket_clock", default=None
)


def now() -> datetime:
    return _override.get() or timezone.now()


@contextlib.contextmanager
def frozen_at(at: datetime) -> Iterator[None]:
    if timezone.is_naive(at):
        raise ValueError("frozen_at needs an aware datetime")
    token = _override.set(at)
    try:
        yield
    finally:
        _override.reset(token)
