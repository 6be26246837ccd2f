"""Factories and helpers of the phone tests."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from eenloket.channels.phone.models import Call, CtiToken, PhoneExtension


class CallFactory(DjangoModelFactory):
    class Meta:
        model = Call

    call_id = factory.Sequence(lambda n: f"call-{n}")
    direction = Call.Direction.IN
    from_number = "+31781234567"
    to_number = "+31788001000"
    number = "+31781234567"
    match = Call.Match.UNKNOWN
    state = Call.State.ENDED
    result = Call.Result.ANSWERED
    started_at = dt.datetime(2026, 4, 14, 8, 0, tzinfo=dt.UTC)


class PhoneExtensionFactory(DjangoModelFactory):
    class Meta:
        model = PhoneExtension

    extension = factory.Sequence(lambda n: f"2{n:02d}")


__all__ = ["CallFactory", "CtiToken", "PhoneExtensionFactory"]
