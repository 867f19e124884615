import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from htxso.core.codes import (
    CCCD_PROVINCE_CODES,
    CitizenId,
    CodeError,
    gtin_check_digit,
    is_vietnam_gtin,
    tax_code_check_digit,
    to_gtin14,
    validate_cccd,
    validate_gtin,
    validate_tax_code,
    validate_vn_phone,
    vn_phone_kind,
)
from htxso.core.validators import (
    cccd_validator,
    gtin_validator,
    tax_code_validator,
    vn_phone_validator,
)


def error_code(func, *args, **kwargs) -> str:
    with pytest.raises(CodeError) as info:
        func(*args, **kwargs)
    assert isinstance(info.value, ValueError)
    assert str(info.value)  # the message renders, placeholders filled
    return info.value.code


# ------------------------------------------------------------------- tax code


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        ("0100233488", "0100233488"),
        ("0100112437", "0100112437"),
        ("0101245486", "0101245486"),
        ("0314409058-002", "0314409058-002"),
        ("0314409058002", "0314409058-002"),
        (" 0100 233 488 ", "0100233488"),
        ("01.0023.3488", "0100233488"),
        ("0314409058 - 002", "0314409058-002"),
        ("0314409058\u2013002", "0314409058-002"),
        ("0314409058-999", "0314409058-999"),
    ],
)
def test_valid_tax_codes(value, normalised):
    assert validate_tax_code(value) == normalised


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("0100233480", "tax_code_check_digit"),
        ("0100000008", "tax_code_zero_sequence"),
        ("0314409058-000", "tax_code_branch"),
        ("0314409058000", "tax_code_branch"),
        ("", "tax_code_empty"),
        ("   ", "tax_code_empty"),
        (None, "tax_code_empty"),
        ("010023348", "tax_code_format"),
        ("01002334888", "tax_code_format"),
        ("0314409058-02", "tax_code_format"),
        ("0314409058-0002", "tax_code_format"),
        ("01002334a8", "tax_code_format"),
        ("０１００２３３４８８", "tax_code_format"),  # full-width digits are not accepted
        ("0314409059-002", "tax_code_check_digit"),
    ],
)
def test_invalid_tax_codes(value, code):
    assert error_code(validate_tax_code, value) == code


def test_tax_code_check_digit_by_hand():
    # 0·31 + 1·29 + 0·23 + 0·19 + 2·17 + 3·13 + 3·7 + 4·5 + 8·3 = 167; 167 mod 11 = 2
    assert tax_code_check_digit("010023348") == 8
    assert tax_code_check_digit("010011243") == 7
    assert tax_code_check_digit("010124548") == 6
    assert tax_code_check_digit("031440905") == 8


def test_tax_code_check_digit_none_when_sum_divisible_by_11():
    # 1·31 + 1·29 + 1·23 + 1·19 + 1·17 + 1·13 + 1·7 + 1·5 + 7·3 = 165 = 15·11
    assert tax_code_check_digit("111111117") is None
    assert error_code(validate_tax_code, "1111111170") == "tax_code_check_digit"


@pytest.mark.parametrize("bad", ["", "12345678", "1234567890", "12345678a", "１２３４５６７８９"])
def test_tax_code_check_digit_input(bad):
    with pytest.raises(ValueError):
        tax_code_check_digit(bad)


nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@given(nine_digits, st.integers(0, 9))
def test_tax_code_check_digit_property(first9, last):
    assume(set(first9[2:]) != {"0"})
    check = tax_code_check_digit(first9)
    code = f"{first9}{last}"
    if check is not None and last == check:
        assert validate_tax_code(code) == code
    else:
        assert error_code(validate_tax_code, code) == "tax_code_check_digit"


@given(nine_digits, st.integers(1, 999))
def test_tax_code_branch_property(first9, branch):
    check = tax_code_check_digit(first9)
    assume(check is not None and set(first9[2:]) != {"0"})
    main = f"{first9}{check}"
    assert validate_tax_code(f"{main}-{branch:03d}") == f"{main}-{branch:03d}"
    assert validate_tax_code(f"{main}{branch:03d}") == f"{main}-{branch:03d}"
    assert error_code(validate_tax_code, f"{main}-000") == "tax_code_branch"


@given(st.text(max_size=20))
def test_tax_code_never_crashes(text):
    try:
        result = validate_tax_code(text)
    except CodeError:
        return
    assert len(result) in (10, 14)


# ----------------------------------------------------------------------- CCCD

TODAY = dt.date(2025, 7, 1)


def test_cccd_province_codes():
    assert len(CCCD_PROVINCE_CODES) == 63
    assert {"001", "079", "096", "066"} <= CCCD_PROVINCE_CODES
    assert not {"000", "003", "097", "099", "100"} & CCCD_PROVINCE_CODES


@pytest.mark.parametrize(
    ("value", "province", "sex", "year"),
    [
        ("001090012345", "001", "male", 1990),
        ("079185000001", "079", "female", 1985),
        ("066200123456", "066", "male", 2000),
        ("096325999999", "096", "female", 2025),
        ("001 090 012 345", "001", "male", 1990),
        ("038.1.99.123456", "038", "female", 1999),
    ],
)
def test_valid_cccd(value, province, sex, year):
    result = validate_cccd(value, today=TODAY)
    assert result == CitizenId(
        number=value.replace(" ", "").replace(".", ""),
        province_code=province,
        sex=sex,
        birth_year=year,
    )


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "cccd_empty"),
        (None, "cccd_empty"),
        ("00109001234", "cccd_format"),
        ("0010900123456", "cccd_format"),
        ("00109001234x", "cccd_format"),
        ("003090012345", "cccd_province"),
        ("097090012345", "cccd_province"),
        ("100090012345", "cccd_province"),
        ("001226012345", "cccd_birth_year"),
        ("001400012345", "cccd_birth_year"),
    ],
)
def test_invalid_cccd(value, code):
    assert error_code(validate_cccd, value, today=TODAY) == code


def test_cccd_birth_date_cross_check():
    assert validate_cccd("001090012345", birth_date=dt.date(1990, 5, 17)).birth_year == 1990
    code = error_code(validate_cccd, "001090012345", birth_date=dt.date(1991, 1, 1))
    assert code == "cccd_birth_date_mismatch"


@given(
    st.sampled_from(sorted(CCCD_PROVINCE_CODES)),
    st.integers(0, 9),
    st.integers(0, 99),
    st.integers(0, 999_999),
)
def test_cccd_property(province, century_sex, yy, serial):
    number = f"{province}{century_sex}{yy:02d}{serial:06d}"
    year = 1900 + 100 * (century_sex // 2) + yy
    if year > TODAY.year:
        assert error_code(validate_cccd, number, today=TODAY) == "cccd_birth_year"
        return
    result = validate_cccd(number, today=TODAY)
    assert result.birth_year == year
    assert result.sex == ("female" if century_sex % 2 else "male")
    assert result.province_code == province


# ----------------------------------------------------------------------- GTIN


@pytest.mark.parametrize(
    "value",
    [
        "4006381333931",  # GTIN-13
        "036000291452",  # GTIN-12 (UPC-A)
        "96385074",  # GTIN-8
        "00012345600012",  # GTIN-14
        "8935049500179",  # Vietnamese GTIN-13
        "8936036020663",
    ],
)
def test_valid_gtins(value):
    assert validate_gtin(value) == value
    assert to_gtin14(value) == value.zfill(14)


def test_gtin_check_digit_by_hand():
    # 8935049500179: body digits from the right 7,1,0,0,5,9,4,0,5,3,9,8 weighted 3,1,…
    # 21+1+0+0+15+9+12+0+15+3+27+8 = 111 → (10 - 1) mod 10 = 9
    assert gtin_check_digit("893504950017") == 9
    assert gtin_check_digit("400638133393") == 1
    assert gtin_check_digit("9638507") == 4
    assert gtin_check_digit("0") == 0


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "gtin_empty"),
        (None, "gtin_empty"),
        ("4006381333932", "gtin_check_digit"),
        ("893504950017", "gtin_check_digit"),
        ("12345", "gtin_format"),
        ("123456789", "gtin_format"),
        ("400638133393X", "gtin_format"),
        ("400638133393100", "gtin_format"),
    ],
)
def test_invalid_gtins(value, code):
    assert error_code(validate_gtin, value) == code


def test_gtin_ignores_spaces_and_dashes():
    assert validate_gtin(" 400 6381-333931 ") == "4006381333931"


@given(
    st.sampled_from([7, 11, 12, 13]).flatmap(
        lambda n: st.text("0123456789", min_size=n, max_size=n)
    )
)
def test_gtin_check_digit_property(body):
    check = gtin_check_digit(body)
    assert 0 <= check <= 9
    assert validate_gtin(f"{body}{check}") == f"{body}{check}"
    for wrong in set(range(10)) - {check}:
        assert error_code(validate_gtin, f"{body}{wrong}") == "gtin_check_digit"
    # Leading zeros do not change the check digit: GTIN-14 padding keeps it valid.
    assert to_gtin14(f"{body}{check}") == f"{body}{check}".zfill(14)


@given(st.text("0123456789", min_size=12, max_size=12), st.integers(0, 8), st.integers(1, 9))
def test_gtin_single_digit_error_is_detected(body, position, delta):
    code = body + str(gtin_check_digit(body))
    changed = code[:position] + str((int(code[position]) + delta) % 10) + code[position + 1 :]
    assert error_code(validate_gtin, changed) == "gtin_check_digit"


def test_is_vietnam_gtin():
    assert is_vietnam_gtin("8935049500179")
    assert is_vietnam_gtin("18935049500176")  # GTIN-14, indicator digit 1
    assert is_vietnam_gtin("89312346")  # GTIN-8 with the 893 prefix
    assert is_vietnam_gtin("00000089312346")  # the same in a 14-digit field
    assert not is_vietnam_gtin("4006381333931")
    assert not is_vietnam_gtin("036000291452")
    assert not is_vietnam_gtin("8935049500170")  # wrong check digit
    assert not is_vietnam_gtin("")
    assert not is_vietnam_gtin(None)


# ---------------------------------------------------------------------- phone


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        ("0912 345 678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0084 912 345 678", "0912345678"),
        ("+84 (0) 912 345 678", "0912345678"),
        ("091.234.5678", "0912345678"),
        ("091-234-5678", "0912345678"),
        ("0362 123 456", "0362123456"),
        ("0587123456", "0587123456"),
        ("0701234567", "0701234567"),
        ("0812345678", "0812345678"),
        ("(024) 3825 1234", "02438251234"),
        ("+84 24 3825 1234", "02438251234"),
        ("842838251234", "02838251234"),
        ("0262 3855 555", "02623855555"),
    ],
)
def test_valid_phones(value, normalised):
    assert validate_vn_phone(value) == normalised


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "phone_empty"),
        (None, "phone_empty"),
        ("+1 212 555 0100", "phone_foreign"),
        ("0044 20 7946 0958", "phone_foreign"),
        ("0912 345 67", "phone_length"),
        ("09123456789", "phone_length"),
        ("024 3825 123", "phone_length"),
        ("01689123456", "phone_obsolete_prefix"),
        ("0412345678", "phone_prefix"),
        ("0612345678", "phone_prefix"),
        ("912345678", "phone_format"),
        ("0912abc678", "phone_format"),
        ("0912 345 678 ext 1", "phone_format"),
    ],
)
def test_invalid_phones(value, code):
    assert error_code(validate_vn_phone, value) == code


def test_landline_can_be_refused():
    assert validate_vn_phone("0912345678", allow_landline=False) == "0912345678"
    code = error_code(validate_vn_phone, "02438251234", allow_landline=False)
    assert code == "phone_landline_not_allowed"


def test_vn_phone_kind():
    assert vn_phone_kind("0912345678") == "mobile"
    assert vn_phone_kind("02438251234") == "landline"
    assert vn_phone_kind("0412345678") is None


@given(
    st.sampled_from(["03", "05", "07", "08", "09"]), st.text("0123456789", min_size=8, max_size=8)
)
def test_mobile_number_forms_agree(prefix, rest):
    national = prefix + rest
    for form in (
        national,
        "+84" + national[1:],
        "84" + national[1:],
        f"{national[:4]} {rest[2:5]} {rest[5:]}",
    ):
        assert validate_vn_phone(form) == national


# ------------------------------------------------------------ Django validators


@pytest.mark.parametrize(
    ("validator", "good", "bad", "code"),
    [
        (tax_code_validator, "0100233488", "0100233480", "tax_code_check_digit"),
        (cccd_validator, "001090012345", "003090012345", "cccd_province"),
        (gtin_validator, "4006381333931", "4006381333932", "gtin_check_digit"),
        (vn_phone_validator, "0912 345 678", "0412345678", "phone_prefix"),
    ],
)
def test_django_validators(validator, good, bad, code):
    assert validator(good) is None
    assert validator("") is None
    assert validator(None) is None
    with pytest.raises(ValidationError) as info:
        validator(bad)
    assert info.value.code == code
    assert info.value.messages  # rendered with its params


def test_django_validator_params_render():
    with pytest.raises(ValidationError) as info:
        cccd_validator("003090012345")
    assert "003" in info.value.messages[0]
