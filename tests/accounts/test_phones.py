import pytest

from htxso.accounts.phones import display_phone, masked_phone, parse_vn_phone
from htxso.core.errors import ServiceError


@pytest.mark.parametrize(
    "raw",
    [
        "0912345678",
        "0912 345 678",
        "+84 912 345 678",
        "84912345678",
        "(091) 234-5678",
        " 0912.345.678 ",
    ],
)
def test_one_number_many_spellings(raw):
    assert parse_vn_phone(raw) == "+84912345678"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "phone_invalid"),
        ("abc", "phone_invalid"),
        ("09123", "phone_invalid"),
        ("0" * 40, "phone_invalid"),
        ("+1 202 555 0143", "phone_foreign"),
        ("+86 138 0013 8000", "phone_foreign"),
        ("<script>alert(1)</script>", "phone_invalid"),
        ("024 3825 1234", "phone_not_mobile"),
    ],
)
def test_bad_numbers_have_a_precise_code(raw, code):
    with pytest.raises(ServiceError) as caught:
        parse_vn_phone(raw)
    assert caught.value.code == code


def test_a_landline_is_fine_where_no_code_is_sent():
    assert parse_vn_phone("024 3825 1234", mobile=False) == "+842438251234"


def test_display_and_mask():
    assert display_phone("+84912345678") == "0912 345 678"
    assert masked_phone("+84912345678") == "091•••••78"
