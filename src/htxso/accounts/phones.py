"""Vietnamese phone numbers, read as people type them and kept in E.164 (``+84…``).

``0912 345 678``, ``+84 912 345 678``, ``84912345678`` and ``(091) 234-5678`` are one
number.  Numbers of other countries are refused: codes go by SMS or Zalo to a
Vietnamese mobile, and a foreign number is more often a typo than a person.
"""

from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext_lazy as _
from phonenumbers import PhoneNumberType

from htxso.core.errors import ServiceError

#: Longest input read (spaces and dots included); a longer string is not a phone number.
MAX_INPUT = 32
#: Types accepted for a number that receives codes (SMS/Zalo go to mobiles).
MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


def _bad(code: str, message: object, field: str) -> ServiceError:
    return ServiceError(code, message, fields={field: [message]})


def parse_vn_phone(raw: str, *, field: str = "phone", mobile: bool = True) -> str:
    """The E.164 form of a Vietnamese number, or a ServiceError with code
    ``phone_invalid`` (not a number), ``phone_foreign`` (another country's) or
    ``phone_not_mobile`` (a landline where a code must be sent)."""
    text = (raw or "").strip()
    if not text or len(text) > MAX_INPUT:
        raise _bad("phone_invalid", _("Enter a Vietnamese phone number, e.g. 0912 345 678."), field)
    try:
        number = phonenumbers.parse(text, "VN")
    except phonenumbers.NumberParseException:
        raise _bad(
            "phone_invalid", _("Enter a Vietnamese phone number, e.g. 0912 345 678."), field
        ) from None
    if number.country_code != 84:
        raise _bad(
            "phone_foreign", _("Only Vietnamese phone numbers (+84) can receive codes."), field
        )
    if not phonenumbers.is_valid_number(number):
        raise _bad(
            "phone_invalid",
            _("This is not a valid Vietnamese phone number: check the digits."),
            field,
        )
    if mobile and phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise _bad(
            "phone_not_mobile", _("Enter a mobile number: the code is sent by SMS or Zalo."), field
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """``+84912345678`` → ``0912 345 678`` (how people write it)."""
    try:
        number = phonenumbers.parse(e164, "VN")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def masked_phone(e164: str) -> str:
    """``+84912345678`` → ``091•••••78``, to show where a code went without giving the
    number away."""
    national = display_phone(e164).replace(" ", "")
    if len(national) < 6:
        return "•" * len(national)
    return national[:3] + "•" * (len(national) - 5) + national[-2:]
