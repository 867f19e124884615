"""VietQR encoder/decoder: the DOMAIN.md vector, the CRC check value, malformed payloads."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from htxso.market import vietqr
from htxso.market.banks import BANK_CHOICES, BANKS, bank_by_bin
from htxso.market.vietqr import (
    VietQRData,
    VietQRError,
    build_payload,
    crc16_ccitt_false,
    fold_note,
    parse_payload,
)

VECTOR = (
    "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA"
    "530370454061800005802VN62340107NPS68690819thanh toan don hang63042E2E"
)


def with_crc(body: str) -> str:
    """``body`` (ending in "6304") completed with its correct CRC."""
    assert body.endswith("6304")
    return body + f"{crc16_ccitt_false(body.encode()):04X}"


def tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def payload(**overrides) -> str:
    """A well-formed payload whose top-level fields can be replaced or removed (None)."""
    merchant = tlv("00", "A000000727") + tlv("01", tlv("00", "970436") + tlv("01", "0123456789"))
    merchant += tlv("02", "QRIBFTTA")
    fields = {
        "00": "01",
        "01": "12",
        "38": merchant,
        "53": "704",
        "54": "50000",
        "58": "VN",
        "62": tlv("08", "DH000123"),
    }
    fields.update(overrides)
    body = "".join(tlv(tag, value) for tag, value in sorted(fields.items()) if value is not None)
    return with_crc(body + "6304")


# ---------------------------------------------------------------- vector and CRC


def test_crc_check_value():
    assert crc16_ccitt_false(b"123456789") == 0x29B1
    assert crc16_ccitt_false(b"") == 0xFFFF


def test_vector_decodes():
    data = parse_payload(VECTOR)
    assert data.bin == "970403"
    assert data.bank.short_name == "Sacombank"
    assert data.account == "0011012345678"
    assert data.amount == 180000
    assert data.note == "thanh toan don hang"
    assert data.bill_number == "NPS6869"
    assert data.dynamic is True
    assert data.kind == "account"
    assert (data.currency, data.country) == ("704", "VN")


def test_vector_reencodes_byte_identically():
    assert parse_payload(VECTOR).to_payload() == VECTOR
    built = build_payload(
        bin="970403",
        account="0011012345678",
        amount=180000,
        note="thanh toán đơn hàng",
        bill_number="NPS6869",
    )
    assert built == VECTOR


def test_lower_case_crc_is_read():
    assert parse_payload(VECTOR[:-4] + "2e2e").amount == 180000


def test_static_code_without_amount():
    text = build_payload(bin="970436", account="1234567", amount=None, note="")
    assert "010211" in text and "54" not in text.split("5802VN")[0].split("5303704")[1]
    data = parse_payload(text)
    assert data.dynamic is False and data.amount is None and data.note == ""
    assert "62" not in [text[i : i + 2] for i in range(0, 8, 2)]


def test_card_kind():
    text = build_payload(bin="970418", account="9704180012345678", amount=1, note="x", kind="card")
    assert "QRIBFTTC" in text
    assert parse_payload(text).kind == "card"


def test_unknown_fields_are_kept():
    text = payload(**{"59": "HTX HOP GIANG", "60": "CAO BANG"})
    data = parse_payload(text)
    assert data.extra_fields == (("59", "HTX HOP GIANG"), ("60", "CAO BANG"))
    assert data.to_payload() == text


# -------------------------------------------------------------------- note


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Thanh toán đơn hàng", "Thanh toan don hang"),
        ("ĐƠN HÀNG #DH-0042", "DON HANG DH 0042"),
        ("  cà   phê\tĐắk\nLắk ", "ca phe Dak Lak"),
        ("Mật ong bạc hà — Hà Giang 🐝", "Mat ong bac ha Ha Giang"),
        ("", ""),
        (None, ""),
        ("Thanh toan don hang DH0042 HTX", "Thanh toan don hang"),
        ("X" * 40, "X" * 25),
    ],
)
def test_fold_note(raw, folded):
    assert fold_note(raw) == folded


def test_note_is_folded_in_payload():
    text = build_payload(bin="970405", account="1", amount=1000, note="Đơn hàng của bà Hoà")
    assert parse_payload(text).note == "Don hang cua ba Hoa"
    assert text.isascii()


# ---------------------------------------------------------------- build errors


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"bin": "97043"}, "vietqr_bad_bin"),
        ({"bin": "97043a"}, "vietqr_bad_bin"),
        ({"bin": "999999"}, "vietqr_unknown_bank"),
        ({"account": ""}, "vietqr_bad_account"),
        ({"account": "0123 456"}, "vietqr_bad_account"),
        ({"account": "1" * 20}, "vietqr_bad_account"),
        ({"account": "số1"}, "vietqr_bad_account"),
        ({"amount": 0}, "vietqr_bad_amount"),
        ({"amount": -5000}, "vietqr_bad_amount"),
        ({"amount": 10.5}, "vietqr_bad_amount"),
        ({"amount": True}, "vietqr_bad_amount"),
        ({"amount": 10**13}, "vietqr_bad_amount"),
        ({"kind": "wallet"}, "vietqr_bad_kind"),
    ],
)
def test_build_refuses(kwargs, code):
    args = {"bin": "970436", "account": "0123456789", "amount": 1000, "note": "x"} | kwargs
    with pytest.raises(VietQRError) as err:
        build_payload(**args)
    assert err.value.code == code
    assert str(err.value)  # a readable message


# ---------------------------------------------------------------- parse errors


def _merchant(guid="A000000727", bin_="970436", account="0123456789", service="QRIBFTTA"):
    return tlv("00", guid) + tlv("01", tlv("00", bin_) + tlv("01", account)) + tlv("02", service)


MALFORMED = {
    "vietqr_empty": "   ",
    "vietqr_bad_character": VECTOR[:20] + "\x00" + VECTOR[21:],
    "vietqr_truncated": VECTOR[:60],
    "vietqr_bad_tag": "AB02" + VECTOR[4:],
    "vietqr_bad_length": "00X201" + VECTOR[6:],
    "vietqr_missing_crc": VECTOR[:-8],
    "vietqr_bad_crc": VECTOR[:-4] + "2E2F",
    "vietqr_bad_format": payload(**{"00": "02"}),
    "vietqr_bad_initiation": payload(**{"01": "13"}),
    "vietqr_missing_merchant": payload(**{"38": None}),
    "vietqr_wrong_guid": payload(**{"38": _merchant(guid="A000000775")}),
    "vietqr_bad_bin": payload(**{"38": _merchant(bin_="97043")}),
    "vietqr_bad_account": payload(**{"38": _merchant(account="012-345")}),
    "vietqr_bad_service": payload(**{"38": _merchant(service="QRPUSH")}),
    "vietqr_unknown_currency": payload(**{"53": "840"}),
    "vietqr_bad_country": payload(**{"58": "TH"}),
    "vietqr_duplicate_field": with_crc(VECTOR[:-8] + "5802VN6304"),
}


@pytest.mark.parametrize("code", sorted(MALFORMED))
def test_parse_refuses(code):
    with pytest.raises(VietQRError) as err:
        parse_payload(MALFORMED[code])
    assert err.value.code == code
    assert str(err.value)


@pytest.mark.parametrize("amount", ["0", "-100", "1.5", "18000.00", "1e5", "012"])
def test_parse_refuses_bad_amount(amount):
    with pytest.raises(VietQRError) as err:
        parse_payload(payload(**{"54": amount}))
    assert err.value.code == "vietqr_bad_amount"


def test_crc_detects_single_character_change():
    altered = VECTOR.replace("180000", "980000")
    with pytest.raises(VietQRError) as err:
        parse_payload(altered)
    assert err.value.code == "vietqr_bad_crc"


def test_truncated_inner_field():
    inner = "0006970436011" + "5012"  # account claims 15 characters, has 3
    body = (
        tlv("00", "01")
        + tlv("01", "11")
        + tlv("38", tlv("00", "A000000727") + "01" + f"{len(inner):02d}" + inner)
    )
    with pytest.raises(VietQRError) as err:
        parse_payload(with_crc(body + "5303704" + "5802VN" + "6304"))
    assert err.value.code == "vietqr_truncated"


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_parse_never_crashes(text):
    try:
        parse_payload(text)
    except VietQRError as err:
        assert err.code.startswith("vietqr_")


# ------------------------------------------------------------------ round trip

banks = st.sampled_from([bank.bin for bank in BANKS])
accounts = st.text(alphabet="0123456789ABCDEFGHJKLMNPQRSTUVWXYZabc", min_size=1, max_size=19)
amounts = st.one_of(st.none(), st.integers(min_value=1, max_value=vietqr.AMOUNT_MAX))


@given(bin_=banks, account=accounts, amount=amounts, note=st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_round_trip(bin_, account, amount, note):
    text = build_payload(bin=bin_, account=account, amount=amount, note=note)
    assert text.isascii()
    data = parse_payload(text)
    assert (data.bin, data.account, data.amount) == (bin_, account, amount)
    assert data.note == fold_note(note)
    assert len(data.note) <= 25
    assert data.dynamic is (amount is not None)
    assert data.to_payload() == text
    assert isinstance(data, VietQRData)


# ---------------------------------------------------------------------- banks


def test_bank_list():
    assert len(BANKS) >= 40
    expected = {
        "970436": "Vietcombank",
        "970415": "VietinBank",
        "970418": "BIDV",
        "970405": "Agribank",
        "970422": "MB",
        "970407": "Techcombank",
        "970416": "ACB",
        "970432": "VPBank",
        "970423": "TPBank",
        "970403": "Sacombank",
        "970446": "Co-opBank",
    }
    for bin_, short in expected.items():
        assert bank_by_bin(bin_).short_name == short
    assert len({b.bin for b in BANKS}) == len(BANKS)
    assert all(len(b.bin) == 6 and b.bin.isdigit() and b.name for b in BANKS)
    assert ("970436", bank_by_bin("970436").label) in BANK_CHOICES
    assert bank_by_bin("000000") is None and bank_by_bin("") is None
