"""Vietnamese number, money and date formats: formatting and lenient parsing.

Vietnamese writes ``1.234.567,5`` (dot for thousands, comma for decimals), amounts as
``1.234.567 ₫`` and dates as ``dd/mm/yyyy``.  Imported spreadsheets mix those with the
English conventions and with Excel serial dates; the parsers accept what is
unambiguous and raise :class:`ParseError` (a ``ValueError`` with a stable ``code`` and
a translatable ``message``) for the rest, never guessing silently.

Amounts are whole đồng (``int``), following the project's data conventions.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from htxso.core.text import fold

from .errors import ServiceError

__all__ = [
    "MAX_VND",
    "VIETNAM_TZ",
    "ParseError",
    "format_date",
    "format_datetime",
    "format_number",
    "format_vnd",
    "parse_date",
    "parse_decimal",
    "parse_vnd",
]

VIETNAM_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# The currency sign follows the amount after a NO-BREAK SPACE, so "₫" never wraps onto
# a line of its own; parse_vnd accepts any space.
VND_SIGN = "₫"
VND_SEPARATOR = "\u00a0"
# Largest amount parse_vnd accepts by default: a thousand trillion đồng, well inside a
# 64-bit integer column.
MAX_VND = 10**15


class ParseError(ServiceError):
    """A value that cannot be read; ``code`` is stable, ``message`` is translatable."""


# ------------------------------------------------------------------- formatting


def _group(digits: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return ".".join(parts)


def format_vnd(amount: int, *, language: str = "vi") -> str:
    """``1234567`` → ``"1.234.567 ₫"`` (NO-BREAK SPACE before ``₫``); ``-5`` → ``"-5 ₫"``.

    ``language="en"`` groups thousands with commas: ``"1,234,567 ₫"``."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError("format_vnd takes a whole number of đồng (int)")
    sign = "-" if amount < 0 else ""
    digits = _group(str(abs(amount)))
    if language.startswith("en"):
        digits = digits.replace(".", ",")
    return f"{sign}{digits}{VND_SEPARATOR}{VND_SIGN}"


def format_number(n: int | float | Decimal, decimals: int = 0) -> str:
    """Vietnamese number: ``1234.5`` → ``"1.234,5"`` with ``decimals=1``.

    Rounds half away from zero to ``decimals`` places; no minus sign on a result of 0.
    """
    if isinstance(n, bool):
        raise TypeError("format_number takes a number")
    value = Decimal(repr(n)) if isinstance(n, float) else Decimal(n)
    if not value.is_finite():
        raise ValueError("format_number takes a finite number")
    quantum = Decimal(1).scaleb(-decimals)
    value = value.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, _dot, fraction = f"{abs(value):f}".partition(".")
    text = _group(whole) + ("," + fraction if decimals > 0 else "")
    return sign + text


_VI_TO_EN_SEPARATORS = str.maketrans(".,", ",.")


def format_quantity(value: Any, decimals: int = 1, *, language: str = "vi") -> str:
    """A measured quantity for people, as Django's ``floatformat:"-N"`` rounds it but
    grouped by thousands: ``decimals`` places unless the rounded value is whole —
    ``1250.5`` → ``"1.250,5"`` in Vietnamese and ``"1,250.5"`` in English, ``1.2`` with 2
    places → ``"1,20"``, ``1000.0`` → ``"1.000"``; ``None`` or ``""`` → ``""``."""
    if value is None or value == "" or isinstance(value, bool):
        return ""
    text = format_number(value if isinstance(value, int | Decimal) else float(value), decimals)
    whole, _comma, fraction = text.partition(",")
    if not fraction.strip("0"):
        text = "0" if whole == "-0" else whole
    if language.startswith("en"):
        text = text.translate(_VI_TO_EN_SEPARATORS)
    return text


def format_date(d: dt.date | None) -> str:
    """``dd/mm/yyyy``; an aware datetime is first converted to Vietnam time; None → ""."""
    if d is None:
        return ""
    if isinstance(d, dt.datetime) and d.tzinfo is not None:
        d = d.astimezone(VIETNAM_TZ)
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def format_datetime(value: dt.datetime | None) -> str:
    """``dd/mm/yyyy HH:MM`` in Vietnam time.  Naive datetimes are refused (ValueError)."""
    if value is None:
        return ""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("format_datetime needs an aware datetime")
    local = value.astimezone(VIETNAM_TZ)
    return f"{format_date(local)} {local.hour:02d}:{local.minute:02d}"


#: Words that open the name of an administrative area, folded ("Tỉnh", "TP.", "Xã"…).
_AREA_PREFIXES = ("thanh pho", "tp", "tinh", "xa", "phuong", "thi tran", "dac khu")


def _bare_area(folded: str) -> str:
    for prefix in _AREA_PREFIXES:
        if folded.startswith(prefix + " "):
            return folded[len(prefix) + 1 :]
    return folded


def format_address(street: str | None, *areas: str | None) -> str:
    """``street, ward, province``: the street address followed by the administrative
    areas (smallest first), leaving out those the street already ends with.

    Addresses typed or imported in full ("Thôn 5, Xã Bảo Lâm, Tỉnh Cao Bằng") used to
    come out with the ward and province twice.  The comparison is on folded text
    (accents, case and punctuation ignored), at the end of the street only: its last
    comma-separated part with or without the "Tỉnh"/"Xã"… prefix, or the full name
    closing that part — so "Thôn Bảo Lâm" is not mistaken for "Xã Bảo Lâm"."""
    street = (street or "").strip().strip(",").strip()
    parts = [fold(p) for p in street.split(",") if fold(p)]
    kept: list[str] = []
    for area in reversed([a.strip() for a in areas if a and a.strip()]):
        name = fold(area)
        last = parts[-1] if parts else ""
        if last and (last == name or _bare_area(last) == _bare_area(name)):
            parts.pop()
        elif last.endswith(" " + name):
            parts[-1] = last[: -len(name) - 1]
        else:
            kept.append(area)
    return ", ".join([p for p in (street, *reversed(kept)) if p])


# ---------------------------------------------------------------------- numbers

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_CURRENCY_WORD = r"(?:vn₫|vnđ|vnd|đồng|dong|₫|đ)\.?"
_CURRENCY = re.compile(rf"^{_CURRENCY_WORD}\s*|\s*{_CURRENCY_WORD}$")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).strip().replace("\u2212", "-")
    return _SPACES.sub(" ", text)


def _split_sign(text: str) -> tuple[bool, str]:
    text = text.strip()
    if text.startswith("(") and text.endswith(")"):  # accounting style
        return True, text[1:-1].strip()
    if text.startswith("-"):
        return True, text[1:].strip()
    if text.startswith("+"):
        return False, text[1:].strip()
    return False, text


def _valid_groups(int_part: str, group: str | None) -> bool:
    if group is None:
        return int_part.isdigit()
    parts = int_part.split(group)
    return (
        all(p.isascii() and p.isdigit() for p in parts)
        and 1 <= len(parts[0]) <= 3
        and all(len(p) == 3 for p in parts[1:])
    )


def _split_number(body: str, *, single_comma_is_decimal: bool) -> tuple[str, str, bool] | None:
    """Split ``body`` into (integer digits, fraction digits, ambiguous) or ``None``.

    A single separator followed by exactly three digits is a thousands separator
    (``1.234``, and ``1,234`` unless ``single_comma_is_decimal``); when two kinds occur,
    the last one is the decimal separator.  ``ambiguous`` is true when the decimal
    separator was chosen only because the digits after it were not three.
    """
    if not body or not body.isascii():
        return None
    if body[0] in "., " or body[-1] in "., ":
        return None
    if any(not (ch.isdigit() or ch in "., ") for ch in body):
        return None
    dots, commas = body.count("."), body.count(",")
    group: str | None = None
    decimal: str | None = None
    ambiguous = False
    if " " in body:
        group = " "
        if dots + commas > 1 or (dots and commas):
            return None
        decimal = "." if dots else ("," if commas else None)
    elif dots and commas:
        decimal = "." if body.rfind(".") > body.rfind(",") else ","
        group = "," if decimal == "." else "."
        if body.count(decimal) != 1:
            return None
    elif dots or commas:
        sep = "." if dots else ","
        if body.count(sep) > 1:
            group = sep
        elif sep == "," and single_comma_is_decimal:
            decimal = sep
        elif len(body.rsplit(sep, 1)[1]) == 3:
            group = sep
        else:
            decimal = sep
            ambiguous = True
    int_part, _sep, fraction = body.partition(decimal) if decimal else (body, "", "")
    if not _valid_groups(int_part, group) or (decimal and not fraction.isdigit()):
        return None
    return int_part.replace(group or " ", ""), fraction, ambiguous


def parse_vnd(
    value: str | int | float | Decimal | None,
    *,
    allow_negative: bool = False,
    max_value: int = MAX_VND,
) -> int:
    """Read an amount of đồng: ``"1.234.567"``, ``"1,234,567"``, ``"1234567 đ"``,
    ``"1.234.567 ₫"``, ``"1 234 567"``, ``"1.234.567,00"``, ``"(1.000)"``; numbers from
    spreadsheets (``1234567.0``) too.

    Error codes: ``vnd_empty``, ``vnd_invalid`` (not a number), ``vnd_ambiguous``
    (``"1.5"``, ``"12,34"``: a decimal point or a mistyped thousands group),
    ``vnd_fraction`` (a non-zero fraction of a đồng), ``vnd_negative`` (unless
    ``allow_negative``), ``vnd_too_large`` (beyond ``max_value``).
    """
    invalid = ParseError("vnd_invalid", _("Enter an amount in dong (VND), for example 1.250.000."))
    fraction_error = ParseError("vnd_fraction", _("Amounts are whole dong; remove the decimals."))
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ParseError("vnd_empty", _("Enter an amount."))
    if isinstance(value, bool):
        raise invalid
    if isinstance(value, int):
        amount = value
    elif isinstance(value, (float, Decimal)):
        if not math.isfinite(value):
            raise invalid
        if value != int(value):
            raise fraction_error
        amount = int(value)
    elif isinstance(value, str):
        negative, text = _split_sign(_normalise(value).lower())
        text = _CURRENCY.sub("", text).strip()
        if not negative:
            negative, text = _split_sign(text)
        parts = _split_number(text, single_comma_is_decimal=False)
        if parts is None:
            raise invalid
        digits, fraction, ambiguous = parts
        if fraction.strip("0"):
            if ambiguous:
                raise ParseError(
                    "vnd_ambiguous",
                    _("%(value)s is ambiguous: write thousands with dots, as in 1.250.000."),
                    {"value": value.strip()},
                )
            raise fraction_error
        amount = -int(digits) if negative else int(digits)
    else:
        raise invalid
    if amount < 0 and not allow_negative:
        raise ParseError("vnd_negative", _("The amount cannot be negative."))
    if abs(amount) > max_value:
        raise ParseError(
            "vnd_too_large",
            _("The amount is too large (at most %(max)s)."),
            {"max": format_vnd(max_value)},
        )
    return amount


def parse_decimal(
    value: str | int | float | Decimal | None, *, max_places: int | None = None
) -> Decimal:
    """Read a Vietnamese decimal: ``"1.234,5"`` → ``Decimal("1234.5")``.

    The comma is the decimal separator and the dot groups thousands; ``"1.234"`` is
    1234.  English-style input is read when it cannot be anything else: ``"12.5"``,
    ``"1,234.5"``.  Spaces may group thousands.  Numbers (int, float, Decimal) are
    taken as they are.

    Error codes: ``decimal_empty``, ``decimal_invalid``, ``decimal_too_many_places``
    (more than ``max_places`` decimals).
    """
    invalid = ParseError("decimal_invalid", _("Enter a number, for example 1.234,5."))
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ParseError("decimal_empty", _("Enter a number."))
    if isinstance(value, bool):
        raise invalid
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        negative, text = _split_sign(_normalise(value))
        parts = _split_number(text, single_comma_is_decimal=True)
        if parts is None:
            raise invalid
        digits, fraction, _ambiguous = parts
        try:
            number = Decimal(f"{'-' if negative else ''}{digits}.{fraction or '0'}")
        except InvalidOperation:  # pragma: no cover - digits were checked
            raise invalid from None
        if not fraction:
            number = number.quantize(Decimal(1))
    else:
        raise invalid
    if not number.is_finite():
        raise invalid
    if max_places is not None:
        try:
            fits = number == number.quantize(Decimal(1).scaleb(-max_places))
        except InvalidOperation:
            fits = False
        if not fits:
            raise ParseError(
                "decimal_too_many_places",
                _("Use at most %(places)s decimal places."),
                {"places": max_places},
            )
    return number


# ------------------------------------------------------------------------ dates

# Excel's 1900 date system counts 1900-02-29, which did not exist: serial 60 is that
# day, serials 1-59 are 1900-01-01..1900-02-28 and from 61 on one day is added back.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_MAX_SERIAL = (dt.date(9999, 12, 31) - _EXCEL_EPOCH).days
_TIME_SUFFIX = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DMY = re.compile(rf"(\d{{1,2}})([/.-])(\d{{1,2}})\2(\d{{4}}){_TIME_SUFFIX}", re.ASCII)
_YMD = re.compile(rf"(\d{{4}})([/.-])(\d{{1,2}})\2(\d{{1,2}}){_TIME_SUFFIX}", re.ASCII)
_LONG = re.compile(r"(?:ngay )?(\d{1,2}) thang (\d{1,2}) nam (\d{4})", re.ASCII)
_SERIAL = re.compile(r"\d{5}(?:[.,]\d+)?", re.ASCII)


def _today() -> dt.date:
    return dt.datetime.now(VIETNAM_TZ).date()


def _from_excel_serial(serial: float | int | Decimal, original: object) -> dt.date:
    invalid = ParseError(
        "date_invalid", _("%(value)s is not a valid date."), {"value": str(original)}
    )
    if not math.isfinite(serial):
        raise invalid
    days = math.floor(serial)
    if days < 1 or days == 60 or days > _EXCEL_MAX_SERIAL:
        raise invalid
    if days < 60:
        return _EXCEL_EPOCH + dt.timedelta(days=days + 1)
    return _EXCEL_EPOCH + dt.timedelta(days=days)


def parse_date(
    value: str | dt.date | int | float | Decimal | None,
    *,
    allow_future: bool = True,
    today: dt.date | None = None,
) -> dt.date:
    """Read a date: ``"dd/mm/yyyy"``, ``"d/m/yyyy"`` (also with ``-`` or ``.``),
    ``"yyyy-mm-dd"`` (a time part after it is ignored), ``"ngày 5 tháng 3 năm 2024"``,
    Excel serial numbers (``45292`` → 2024-01-01, also as a five-digit string, as CSV
    exports write them) and ``date``/``datetime`` objects (aware ones in Vietnam time).

    Day-first is always assumed: ``"03/04/2024"`` is 3 April; ``"04/13/2024"`` is an
    error, not 13 April.  Two-digit years are refused.

    Error codes: ``date_empty``, ``date_format``, ``date_invalid`` (no such day),
    ``date_future`` (after ``today``, default today in Vietnam, when not
    ``allow_future``).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ParseError("date_empty", _("Enter a date."))
    format_error = ParseError(
        "date_format", _("Enter the date as day/month/year, for example 25/12/2024.")
    )
    if isinstance(value, dt.datetime):
        result = (value.astimezone(VIETNAM_TZ) if value.tzinfo else value).date()
    elif isinstance(value, dt.date):
        result = value
    elif isinstance(value, bool):
        raise format_error
    elif isinstance(value, (int, float, Decimal)):
        result = _from_excel_serial(value, value)
    elif isinstance(value, str):
        result = _parse_date_text(value, format_error)
    else:
        raise format_error
    if not allow_future and result > (today or _today()):
        raise ParseError(
            "date_future",
            _("The date %(date)s is in the future."),
            {"date": format_date(result)},
        )
    return result


def _parse_date_text(value: str, format_error: ParseError) -> dt.date:
    text = unicodedata.normalize("NFC", value).strip()
    if _SERIAL.fullmatch(text):
        return _from_excel_serial(float(text.replace(",", ".")), text)
    if m := _DMY.fullmatch(text):
        day, month, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
    elif m := _YMD.fullmatch(text):
        year, month, day = int(m.group(1)), int(m.group(3)), int(m.group(4))
    elif m := _LONG.fullmatch(fold(text)):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        raise format_error
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ParseError(
            "date_invalid",
            _("%(value)s is not a valid date (day/month/year)."),
            {"value": text},
        ) from None
