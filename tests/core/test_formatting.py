import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from htxso.core.formatting import (
    MAX_VND,
    ParseError,
    format_date,
    format_datetime,
    format_number,
    format_quantity,
    format_vnd,
    parse_date,
    parse_decimal,
    parse_vnd,
)

NBSP = "\u00a0"


def error_code(func, *args, **kwargs) -> str:
    with pytest.raises(ParseError) as info:
        func(*args, **kwargs)
    assert isinstance(info.value, ValueError)
    assert str(info.value)
    return info.value.code


# -------------------------------------------------------------------- format


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "0"),
        (5, "5"),
        (999, "999"),
        (1000, "1.000"),
        (1234567, "1.234.567"),
        (-1234567, "-1.234.567"),
        (100_000_000_000, "100.000.000.000"),
    ],
)
def test_format_vnd(amount, text):
    assert format_vnd(amount) == f"{text}{NBSP}₫"


@pytest.mark.parametrize("bad", [1.5, Decimal("2"), "3", True, None])
def test_format_vnd_needs_int(bad):
    with pytest.raises(TypeError):
        format_vnd(bad)


@pytest.mark.parametrize(
    ("number", "decimals", "text"),
    [
        (1234567, 0, "1.234.567"),
        (1234.5, 1, "1.234,5"),
        (1234.55, 1, "1.234,6"),
        (Decimal("2.5"), 0, "3"),
        (Decimal("-2.5"), 0, "-3"),
        (Decimal("0.125"), 2, "0,13"),
        (-0.04, 1, "0,0"),
        (12, 2, "12,00"),
        (-1234.5, 2, "-1.234,50"),
        (Decimal("1234567.891"), 3, "1.234.567,891"),
    ],
)
def test_format_number(number, decimals, text):
    assert format_number(number, decimals) == text


def test_format_number_rejects_non_numbers():
    with pytest.raises(TypeError):
        format_number(True)
    with pytest.raises(ValueError):
        format_number(float("nan"))


@pytest.mark.parametrize(
    ("value", "decimals", "vi", "en"),
    [
        (Decimal("1000.000"), 1, "1.000", "1,000"),
        (Decimal("1250.50"), 1, "1.250,5", "1,250.5"),
        (Decimal("19.2934"), 2, "19,29", "19.29"),
        (Decimal("1.2"), 2, "1,20", "1.20"),
        (Decimal("0.005"), 2, "0,01", "0.01"),  # half away from zero
        (Decimal("0.004"), 2, "0", "0"),
        (1234567, 1, "1.234.567", "1,234,567"),
        (99.0, 1, "99", "99"),
        (Decimal("-1500.25"), 1, "-1.500,3", "-1,500.3"),
        (None, 1, "", ""),
        ("", 1, "", ""),
    ],
)
def test_format_quantity(value, decimals, vi, en):
    assert format_quantity(value, decimals, language="vi") == vi
    assert format_quantity(value, decimals, language="en") == en


def test_format_date():
    assert format_date(dt.date(2024, 1, 5)) == "05/01/2024"
    assert format_date(dt.date(5, 3, 9)) == "09/03/0005"
    assert format_date(None) == ""
    # An aware datetime is shown in Vietnam time: 20:00 UTC is 03:00 the next day.
    late = dt.datetime(2024, 12, 31, 20, 0, tzinfo=dt.UTC)
    assert format_date(late) == "01/01/2025"


def test_format_datetime():
    utc = dt.datetime(2024, 12, 31, 20, 5, tzinfo=dt.UTC)
    assert format_datetime(utc) == "01/01/2025 03:05"
    local = dt.datetime(2024, 3, 9, 7, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert format_datetime(local) == "09/03/2024 07:30"
    assert format_datetime(None) == ""
    with pytest.raises(ValueError):
        format_datetime(dt.datetime(2024, 1, 1, 12, 0))


# --------------------------------------------------------------------- VND


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1.234.567", 1234567),
        ("1,234,567", 1234567),
        ("1234567 đ", 1234567),
        ("1234567đ", 1234567),
        ("1.234.567 ₫", 1234567),
        (f"1.234.567{NBSP}₫", 1234567),
        ("1 234 567", 1234567),
        ("1\u202f234\u202f567", 1234567),
        ("1.234.567 VNĐ", 1234567),
        ("1.234.567 VND", 1234567),
        ("VND 1.234.567", 1234567),
        ("1.234.567 đồng", 1234567),
        ("1.234.567,00", 1234567),
        ("1,234,567.00", 1234567),
        ("100,00", 100),
        ("100.0", 100),
        ("1.234", 1234),
        ("1,234", 1234),
        ("0", 0),
        ("  42 ", 42),
        ("+42", 42),
        (1234567, 1234567),
        (1234567.0, 1234567),
        (Decimal("1234567.00"), 1234567),
    ],
)
def test_parse_vnd(text, amount):
    assert parse_vnd(text) == amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [("-1.234.567 ₫", -1234567), ("(1.000)", -1000), ("\u22121.000", -1000), (-5, -5)],
)
def test_parse_vnd_negative(text, amount):
    assert parse_vnd(text, allow_negative=True) == amount
    assert error_code(parse_vnd, text) == "vnd_negative"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "vnd_empty"),
        ("   ", "vnd_empty"),
        (None, "vnd_empty"),
        ("abc", "vnd_invalid"),
        ("1.234.56", "vnd_invalid"),
        ("12.34.567", "vnd_invalid"),
        ("1.234,567.89", "vnd_invalid"),
        ("1,234.567,89", "vnd_invalid"),
        ("1..234", "vnd_invalid"),
        ("1.234.", "vnd_invalid"),
        (".5", "vnd_invalid"),
        ("12 34", "vnd_invalid"),
        ("1đ2", "vnd_invalid"),
        ("1 triệu", "vnd_invalid"),
        ("١٢٣", "vnd_invalid"),
        (True, "vnd_invalid"),
        (float("nan"), "vnd_invalid"),
        ("1.5", "vnd_ambiguous"),
        ("12,34", "vnd_ambiguous"),
        ("1.2345", "vnd_ambiguous"),
        ("1.234.567,5", "vnd_fraction"),
        ("1,234,567.50", "vnd_fraction"),
        (12.5, "vnd_fraction"),
        (Decimal("0.5"), "vnd_fraction"),
        (MAX_VND + 1, "vnd_too_large"),
        ("9.999.999.999.999.999", "vnd_too_large"),
    ],
)
def test_parse_vnd_errors(text, code):
    assert error_code(parse_vnd, text) == code


def test_parse_vnd_max_value():
    assert parse_vnd("1.000", max_value=1000) == 1000
    assert error_code(parse_vnd, "1.001", max_value=1000) == "vnd_too_large"


@given(st.integers(-MAX_VND, MAX_VND))
def test_parse_vnd_round_trip(amount):
    assert parse_vnd(format_vnd(amount), allow_negative=True) == amount
    assert parse_vnd(f"{amount:,}", allow_negative=True) == amount  # English grouping
    assert parse_vnd(str(amount), allow_negative=True) == amount


# ------------------------------------------------------------------ decimal


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1.234,5", Decimal("1234.5")),
        ("1234,5", Decimal("1234.5")),
        ("0,25", Decimal("0.25")),
        ("-0,25", Decimal("-0.25")),
        ("1.234", Decimal("1234")),
        ("1.234.567", Decimal("1234567")),
        ("1,234", Decimal("1.234")),
        ("12.5", Decimal("12.5")),
        ("1,234.5", Decimal("1234.5")),
        ("1,234,567", Decimal("1234567")),
        ("1 234,5", Decimal("1234.5")),
        ("42", Decimal("42")),
        (3, Decimal("3")),
        (0.1, Decimal("0.1")),
        (Decimal("7.25"), Decimal("7.25")),
    ],
)
def test_parse_decimal(text, number):
    assert parse_decimal(text) == number


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "decimal_empty"),
        (None, "decimal_empty"),
        ("abc", "decimal_invalid"),
        ("1,2,3,4", "decimal_invalid"),
        ("1.234,5,6", "decimal_invalid"),
        ("1,5 ha", "decimal_invalid"),
        (float("inf"), "decimal_invalid"),
        (False, "decimal_invalid"),
    ],
)
def test_parse_decimal_errors(text, code):
    assert error_code(parse_decimal, text) == code


def test_parse_decimal_max_places():
    assert parse_decimal("1,50", max_places=1) == Decimal("1.5")
    assert parse_decimal("2", max_places=0) == Decimal("2")
    assert error_code(parse_decimal, "1,25", max_places=1) == "decimal_too_many_places"


@given(
    st.decimals(min_value=-(10**12), max_value=10**12, places=3, allow_nan=False),
    st.integers(0, 3),
)
def test_parse_decimal_round_trip(number, decimals):
    text = format_number(number, decimals)
    assert parse_decimal(text) == Decimal(text.replace(".", "").replace(",", "."))
    if decimals == 3:
        assert parse_decimal(text) == number


# --------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "date"),
    [
        ("05/01/2024", dt.date(2024, 1, 5)),
        ("5/1/2024", dt.date(2024, 1, 5)),
        ("31/12/1999", dt.date(1999, 12, 31)),
        ("05-01-2024", dt.date(2024, 1, 5)),
        ("05.01.2024", dt.date(2024, 1, 5)),
        ("2024-01-05", dt.date(2024, 1, 5)),
        ("2024/1/5", dt.date(2024, 1, 5)),
        ("2024-01-05T10:20:30", dt.date(2024, 1, 5)),
        ("2024-01-05 00:00:00", dt.date(2024, 1, 5)),
        ("05/01/2024 08:30", dt.date(2024, 1, 5)),
        ("29/02/2024", dt.date(2024, 2, 29)),
        ("Ngày 05 tháng 01 năm 2024", dt.date(2024, 1, 5)),
        ("ngày 5 tháng 1 năm 2024", dt.date(2024, 1, 5)),
        ("45292", dt.date(2024, 1, 1)),
        (" 45292 ", dt.date(2024, 1, 1)),
        (45292, dt.date(2024, 1, 1)),
        (45292.75, dt.date(2024, 1, 1)),
        (Decimal("45292"), dt.date(2024, 1, 1)),
        (1, dt.date(1900, 1, 1)),
        (59, dt.date(1900, 2, 28)),
        (61, dt.date(1900, 3, 1)),
        (36526, dt.date(2000, 1, 1)),
        (dt.date(2024, 1, 5), dt.date(2024, 1, 5)),
        (dt.datetime(2024, 1, 5, 23, 0), dt.date(2024, 1, 5)),
        (dt.datetime(2024, 1, 5, 20, 0, tzinfo=dt.UTC), dt.date(2024, 1, 6)),
    ],
)
def test_parse_date(value, date):
    assert parse_date(value) == date


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "date_empty"),
        (None, "date_empty"),
        ("hôm qua", "date_format"),
        ("05/01/24", "date_format"),
        ("2024", "date_format"),
        ("05/01-2024", "date_format"),
        ("20240105", "date_format"),
        (True, "date_format"),
        ("31/02/2024", "date_invalid"),
        ("29/02/2023", "date_invalid"),
        ("01/13/2024", "date_invalid"),
        ("12/25/2024", "date_invalid"),  # US order is not guessed
        ("00/01/2024", "date_invalid"),
        (60, "date_invalid"),  # 1900-02-29, which Excel counts but never existed
        (0, "date_invalid"),
        (-1, "date_invalid"),
        (float("nan"), "date_invalid"),
        (10**8, "date_invalid"),
    ],
)
def test_parse_date_errors(value, code):
    assert error_code(parse_date, value) == code


def test_parse_date_future():
    today = dt.date(2025, 7, 1)
    assert parse_date("01/07/2025", allow_future=False, today=today) == today
    assert parse_date("02/07/2025", today=today) == dt.date(2025, 7, 2)
    code = error_code(parse_date, "02/07/2025", allow_future=False, today=today)
    assert code == "date_future"
    assert error_code(parse_date, dt.date(2999, 1, 1), allow_future=False) == "date_future"


@given(st.dates())
def test_parse_date_round_trip(date):
    assert parse_date(format_date(date)) == date
    assert parse_date(date.isoformat()) == date


@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)))
def test_excel_serial_round_trip(date):
    serial = (date - dt.date(1899, 12, 30)).days
    assert parse_date(serial) == date
    assert parse_date(serial + 0.5) == date
