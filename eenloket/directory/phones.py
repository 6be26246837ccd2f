"""Phone numbers in, E.164 out: the form every lookup (caller identification too) compares."""

import phonenumbers
from django.utils.translation import gettext as _

from eenloket.directory.exceptions import InvalidPhoneNumber

DEFAULT_REGION = "NL"


def phone_normalize(raw: str, *, region: str = DEFAULT_REGION) -> str:
    """'078-123 45 67', '+31 78 1234567' and '0031781234567' all become '+31781234567'."""
    text = (raw or "").strip()
    if not text:
        return ""
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber(
            _("“%(number)s” is not a valid phone number.") % {"number": raw},
            field_errors={"phone": [_("Not a valid phone number.")]},
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber(
            _("“%(number)s” is not a valid phone number.") % {"number": raw},
            field_errors={"phone": [_("Not a valid phone number.")]},
        )
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
