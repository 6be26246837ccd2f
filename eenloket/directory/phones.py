"""Phone numbers in, E.164 out: the form every lookup (caller identification too) compares."""

import functools

import phonenumbers
from django.utils.translation import gettext as _

from eenloket.directory.exceptions import InvalidPhoneNumber

DEFAULT_REGION = "NL"


def phone_normalize(raw: str, *, region: str = DEFAULT_REGION) -> str:
    """'078-123 45 67', '+31 78 1234567' and '0031781234567' all become '+31781234567'."""
    text = (raw or "").strip()
    if not text:
        return ""
    e164 = _e164(text, region)
    if e164 is None:
        raise InvalidPhoneNumber(
            _("“%(number)s” is not a valid phone number.") % {"number": raw},
            field_errors={"phone": [_("Not a valid phone number.")]},
        )
    return e164


# Parsing is the costly part of every caller identification, and the same numbers call
# again and again; the answer depends only on the text and the region.
@functools.lru_cache(maxsize=4096)
def _e164(text: str, region: str) -> str | None:
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str) -> str:
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 31:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
