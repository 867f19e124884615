"""Validators for Vietnamese identification codes: tax code, citizen ID, GTIN, phone.

Each ``validate_*`` function returns the normalised value or raises :class:`CodeError`
(a ``ValueError``) whose ``code`` is a stable machine string and whose ``message`` is a
translatable text with ``%(name)s`` placeholders filled from ``params``.  Django
validators wrapping them are in :mod:`htxso.core.validators`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from .errors import ServiceError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

__all__ = [
    "CCCD_PROVINCE_CODES",
    "CitizenId",
    "CodeError",
    "gtin_check_digit",
    "is_vietnam_gtin",
    "tax_code_check_digit",
    "to_gtin14",
    "validate_cccd",
    "validate_gtin",
    "validate_tax_code",
    "validate_vn_phone",
    "vn_phone_kind",
]

VIETNAM_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class CodeError(ServiceError):
    """An invalid code; ``code`` is stable, ``message`` is translatable."""


def _as_text(value: object, empty_code: str, empty_message: StrOrPromise) -> str:
    if value is None:
        raise CodeError(empty_code, empty_message)
    text = str(value).strip()
    if not text:
        raise CodeError(empty_code, empty_message)
    return text


# Characters people type between digit groups, removed before validation.
_GROUPING = re.compile(r"[\s.\u00a0\u202f]+")
_DASHES = re.compile(r"[\u2010-\u2015\u2212-]")

# ---------------------------------------------------------------- tax code (MST)

_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def tax_code_check_digit(first9: str) -> int | None:
    """The check digit (10th digit) for the first nine digits of a tax code.

    ``None`` when the weighted sum is a multiple of 11: no tax code starts with these
    nine digits.  Raises ``ValueError`` unless ``first9`` is exactly nine ASCII digits.
    """
    if len(first9) != 9 or not first9.isascii() or not first9.isdigit():
        raise ValueError("tax_code_check_digit needs exactly nine digits")
    remainder = sum(int(d) * w for d, w in zip(first9, _TAX_WEIGHTS, strict=True)) % 11
    check = 10 - remainder
    return None if check == 10 else check


def validate_tax_code(value: str | None) -> str:
    """Validate a tax code (mã số thuế, also the cooperative code).

    Accepts ``0100233488``, a branch code ``0314409058-002`` or ``0314409058002``, with
    the spaces and dots people type.  Returns ``NNNNNNNNNN`` or ``NNNNNNNNNN-BBB``.

    Error codes: ``tax_code_empty``, ``tax_code_format``, ``tax_code_zero_sequence``
    (digits 3-9 all zero), ``tax_code_check_digit`` (wrong 10th digit, or nine digits
    for which no check digit exists), ``tax_code_branch`` (branch ``000``).
    """
    text = _as_text(value, "tax_code_empty", _("Enter a tax code."))
    text = _DASHES.sub("-", _GROUPING.sub("", text))
    match = re.fullmatch(r"(\d{10})(?:-?(\d{3}))?", text, flags=re.ASCII)
    if match is None:
        raise CodeError(
            "tax_code_format",
            _("A tax code has 10 digits, or 10 digits, a dash and a 3-digit branch number."),
        )
    main, branch = match.group(1), match.group(2)
    if set(main[2:9]) == {"0"}:
        raise CodeError(
            "tax_code_zero_sequence", _("Digits 3 to 9 of a tax code cannot all be zero.")
        )
    if tax_code_check_digit(main[:9]) != int(main[9]):
        raise CodeError(
            "tax_code_check_digit",
            _(
                "This tax code is not valid: its check digit does not match."
                " Check for typing errors."
            ),
        )
    if branch is None:
        return main
    if branch == "000":
        raise CodeError("tax_code_branch", _("A branch number runs from 001 to 999."))
    return f"{main}-{branch}"


# ------------------------------------------------------------ citizen ID (CCCD)

# Province codes of the place of birth (or registration) used in citizen ID numbers:
# the 63 provinces before the 2025 reform, as three digits.
# fmt: off
CCCD_PROVINCE_CODES: frozenset[str] = frozenset(
    f"0{code:02d}"
    for code in (
        1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34,
        35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67,
        68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
    )
)
# fmt: on

Sex = Literal["male", "female"]


@dataclass(frozen=True)
class CitizenId:
    """What a 12-digit citizen ID number says about its holder."""

    number: str
    province_code: str
    sex: Sex
    birth_year: int


def validate_cccd(
    value: str | None, *, birth_date: dt.date | None = None, today: dt.date | None = None
) -> CitizenId:
    """Validate a 12-digit citizen ID (căn cước công dân) number.

    Digits 1-3: province code, digit 4: century and sex (0/1 = 1900s male/female,
    2/3 = 2000s, 4/5 = 2100s, 6/7 = 2200s, 8/9 = 2300s), digits 5-6: birth year,
    digits 7-12: serial.  Spaces and dots are ignored.

    With ``birth_date`` the birth year must match it.  A birth year after ``today``
    (default: today in Vietnam) is refused.

    Error codes: ``cccd_empty``, ``cccd_format``, ``cccd_province``,
    ``cccd_birth_year`` (in the future), ``cccd_birth_date_mismatch``.
    """
    text = _GROUPING.sub("", _as_text(value, "cccd_empty", _("Enter a citizen ID number.")))
    if re.fullmatch(r"\d{12}", text, flags=re.ASCII) is None:
        raise CodeError("cccd_format", _("A citizen ID number has 12 digits."))
    province = text[:3]
    if province not in CCCD_PROVINCE_CODES:
        raise CodeError(
            "cccd_province",
            _(
                "%(code)s is not a province code; the first three digits of a citizen ID"
                " number are the province code."
            ),
            {"code": province},
        )
    century_sex = int(text[3])
    sex: Sex = "female" if century_sex % 2 else "male"
    birth_year = 1900 + 100 * (century_sex // 2) + int(text[4:6])
    today = today or dt.datetime.now(VIETNAM_TZ).date()
    if birth_year > today.year:
        raise CodeError(
            "cccd_birth_year",
            _("This citizen ID number gives a birth year in the future (%(year)s)."),
            {"year": birth_year},
        )
    if birth_date is not None and birth_date.year != birth_year:
        raise CodeError(
            "cccd_birth_date_mismatch",
            _("This citizen ID number is for someone born in %(id_year)s, not %(year)s."),
            {"id_year": birth_year, "year": birth_date.year},
        )
    return CitizenId(number=text, province_code=province, sex=sex, birth_year=birth_year)


# ------------------------------------------------------------------------ GTIN

GTIN_LENGTHS = (8, 12, 13, 14)
GS1_VIETNAM_PREFIX = "893"


def gtin_check_digit(body: str) -> int:
    """The GS1 mod-10 check digit for ``body`` (the GTIN without its check digit).

    Weights 3, 1, 3, 1... from the right-most digit of ``body``.
    """
    if not body or not body.isascii() or not body.isdigit():
        raise ValueError("gtin_check_digit needs a string of digits")
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def validate_gtin(value: str | None) -> str:
    """Validate a GTIN-8, -12, -13 or -14 and return its digits (length kept).

    Spaces and dashes are ignored.  Error codes: ``gtin_empty``, ``gtin_format``,
    ``gtin_check_digit``.
    """
    text = _as_text(value, "gtin_empty", _("Enter a barcode number (GTIN)."))
    text = _DASHES.sub("", _GROUPING.sub("", text))
    if not (text.isascii() and text.isdigit() and len(text) in GTIN_LENGTHS):
        raise CodeError("gtin_format", _("A barcode number (GTIN) has 8, 12, 13 or 14 digits."))
    if gtin_check_digit(text[:-1]) != int(text[-1]):
        raise CodeError(
            "gtin_check_digit",
            _("This barcode number is not valid: its check digit does not match."),
        )
    return text


def to_gtin14(value: str | None) -> str:
    """Validate a GTIN and return it as 14 digits (left-padded with zeros)."""
    return validate_gtin(value).zfill(14)


def is_vietnam_gtin(value: str | None) -> bool:
    """Whether a valid GTIN carries the GS1 Vietnam prefix 893 (invalid → ``False``).

    The prefix is read from the GTIN-13 part of a GTIN-14 (after the indicator digit),
    and from the start of a GTIN-8.  GTIN-12 (UPC) numbers are never Vietnamese.
    """
    try:
        gtin = validate_gtin(value)
    except CodeError:
        return False
    gtin14 = gtin.zfill(14)
    if gtin14.startswith("000000"):  # a GTIN-8
        return gtin14[6:9] == GS1_VIETNAM_PREFIX
    return gtin14[1:4] == GS1_VIETNAM_PREFIX


# ----------------------------------------------------------------------- phone

MOBILE_PREFIXES = ("03", "05", "07", "08", "09")
PhoneKind = Literal["mobile", "landline"]


def _national_phone(value: str | None) -> str:
    text = _as_text(value, "phone_empty", _("Enter a phone number."))
    text = re.sub(r"[\s.()\u00a0\u202f]+", "", _DASHES.sub("", text))
    foreign = CodeError("phone_foreign", _("Only Vietnamese phone numbers (+84) are accepted."))
    international = True
    if text.startswith("+84"):
        text = "0" + text[3:]
    elif text.startswith("0084"):
        text = "0" + text[4:]
    elif text.startswith(("+", "00")):
        raise foreign
    elif text.startswith("84") and len(text) in (11, 12):
        text = "0" + text[2:]
    else:
        international = False
    if international and text.startswith("00"):  # "+84 (0)912...": trunk zero kept
        text = text[1:]
    if not (text.isascii() and text.isdigit()):
        raise CodeError(
            "phone_format", _("A phone number may only contain digits, spaces and +84.")
        )
    if not text.startswith("0"):
        raise CodeError("phone_format", _("A phone number starts with 0 or +84."))
    return text


def vn_phone_kind(national: str) -> PhoneKind | None:
    """``"mobile"``, ``"landline"`` or ``None`` for a national number ``0...``."""
    if len(national) == 10 and national[:2] in MOBILE_PREFIXES:
        return "mobile"
    if len(national) == 11 and national.startswith("02"):
        return "landline"
    return None


def validate_vn_phone(value: str | None, *, allow_landline: bool = True) -> str:
    """Validate a Vietnamese phone number and return its national form ``0912345678``.

    Accepts ``0912 345 678``, ``+84 912 345 678``, ``84912345678``, ``0084...``,
    ``(024) 3825 1234``.  Mobile numbers: 03, 05, 07, 08, 09 and 10 digits; landlines:
    02x and 11 digits.

    Error codes: ``phone_empty``, ``phone_format``, ``phone_foreign`` (another country
    code), ``phone_obsolete_prefix`` (11-digit 01x mobile numbers, renumbered in
    2018), ``phone_length``, ``phone_prefix``, ``phone_landline_not_allowed``.
    """
    national = _national_phone(value)
    kind = vn_phone_kind(national)
    if kind == "landline" and not allow_landline:
        raise CodeError("phone_landline_not_allowed", _("Enter a mobile phone number."))
    if kind is not None:
        return national
    if national.startswith("01") and len(national) == 11:
        raise CodeError(
            "phone_obsolete_prefix",
            _(
                "11-digit mobile numbers starting with 01 were changed to 10 digits in 2018;"
                " enter the new number."
            ),
        )
    if national[:2] in MOBILE_PREFIXES:
        raise CodeError(
            "phone_length",
            _("A mobile number has 10 digits; this one has %(count)s."),
            {"count": len(national)},
        )
    if national.startswith("02"):
        raise CodeError(
            "phone_length",
            _("A landline number has 11 digits including the area code; this one has %(count)s."),
            {"count": len(national)},
        )
    raise CodeError(
        "phone_prefix",
        _(
            "This is not a Vietnamese phone number: mobile numbers start with 03, 05, 07,"
            " 08 or 09, landlines with 02."
        ),
    )
