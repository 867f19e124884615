"""VietQR payloads: our own EMVCo TLV encoder/decoder with the CRC-16/CCITT-FALSE check.

A VietQR code (NAPAS, built on the EMVCo Merchant-Presented QR specification) is a
string of TLV fields — two-digit id, two-digit length, value::

    00 "01"                       payload format indicator
    01 "11" | "12"                point of initiation: static / dynamic (amount given)
    38 {                          merchant account information (NAPAS)
        00 "A000000727"           NAPAS GUID
        01 { 00 BIN (6 digits), 01 account or card number }
        02 "QRIBFTTA" | "QRIBFTTC"   transfer to an account / to a card
    }
    53 "704"                      currency (VND)
    54 amount                     whole VND
    58 "VN"                       country
    62 { 01 bill number, 08 note (ASCII, at most 25 characters) }
    63 CRC                        CRC-16/CCITT-FALSE over everything up to and including
                                  "6304", four upper-case hex digits

Every error is a :class:`VietQRError` with a stable ``code`` and a translatable
``message``. Building validates strictly (the bank must be in the shipped BIN list);
parsing accepts any well-formed code a Vietnamese banking app would accept and keeps
fields it does not interpret, so that a parsed payload re-encodes byte for byte.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from htxso.core.errors import ServiceError
from htxso.market.banks import Bank, bank_by_bin

__all__ = [
    "NAPAS_GUID",
    "NOTE_MAX_LENGTH",
    "VietQRData",
    "VietQRError",
    "build_payload",
    "crc16_ccitt_false",
    "encode",
    "fold_note",
    "parse_payload",
]

NAPAS_GUID = "A000000727"
SERVICE_ACCOUNT = "QRIBFTTA"
SERVICE_CARD = "QRIBFTTC"
KINDS = {"account": SERVICE_ACCOUNT, "card": SERVICE_CARD}
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
NOTE_MAX_LENGTH = 25
ACCOUNT_MAX_LENGTH = 19
AMOUNT_MAX = 9_999_999_999_999  # field 54 holds at most 13 characters

_ACCOUNT_RE = re.compile(rf"[A-Za-z0-9]{{1,{ACCOUNT_MAX_LENGTH}}}")
_BIN_RE = re.compile(r"[0-9]{6}")
_CRC_RE = re.compile(r"[0-9A-Fa-f]{4}")


class VietQRError(ServiceError):
    """A payload that cannot be built or read; ``code`` is stable."""


# ------------------------------------------------------------------------ CRC


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
        table.append(crc)
    return tuple(table)


_CRC_TABLE = _crc_table()


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc = ((crc << 8) & 0xFFFF) ^ _CRC_TABLE[((crc >> 8) ^ byte) & 0xFF]
    return crc


def _crc_hex(text: str) -> str:
    return f"{crc16_ccitt_false(text.encode('utf-8')):04X}"


# ----------------------------------------------------------------------- note


def fold_note(text: str | None, *, max_length: int = NOTE_MAX_LENGTH) -> str:
    """Fold a transfer note to what every banking app accepts.

    Vietnamese diacritics are removed (``đ``/``Đ`` become ``d``/``D``), case is kept,
    anything that is not an ASCII letter, digit or space becomes a space, spaces are
    collapsed, and the result is cut to ``max_length`` characters (at a word boundary
    when there is one in the last third). ``"Thanh toán đơn hàng #DH-0042"`` →
    ``"Thanh toan don hang DH 00"``… cut to 25.
    """
    if not text:
        return ""
    s = unicodedata.normalize("NFKD", unicodedata.normalize("NFC", text))
    s = "".join(ch for ch in s if not unicodedata.category(ch).startswith("M"))
    s = s.replace("đ", "d").replace("Đ", "D")
    s = "".join(ch if (ch.isascii() and ch.isalnum()) else " " for ch in s)
    s = " ".join(s.split())
    if len(s) > max_length:
        cut = s[: max_length + 1]
        space = cut.rfind(" ")
        s = cut[:space] if space >= max_length * 2 // 3 else s[:max_length]
        s = s.rstrip()
    return s


# -------------------------------------------------------------------- TLV


def _tlv(tag: str, value: str) -> str:
    if not value:
        raise VietQRError("vietqr_empty_field", _("A QR field may not be empty."))
    if len(value) > 99:
        raise VietQRError(
            "vietqr_field_too_long",
            _("The QR field %(tag)s is longer than 99 characters."),
            {"tag": tag},
        )
    return f"{tag}{len(value):02d}{value}"


def _read_tlv(text: str, *, where: str = "") -> list[tuple[str, str]]:
    """Split ``text`` into (tag, value) pairs; raise on a broken structure."""
    fields: list[tuple[str, str]] = []
    pos, n = 0, len(text)
    while pos < n:
        if pos + 4 > n:
            raise VietQRError(
                "vietqr_truncated",
                _("The QR code is cut short: a field header ends at character %(pos)s."),
                {"pos": pos + 1},
            )
        tag, length = text[pos : pos + 2], text[pos + 2 : pos + 4]
        if not tag.isdigit() or not tag.isascii():
            raise VietQRError(
                "vietqr_bad_tag",
                _("The QR code has an invalid field id %(tag)s at character %(pos)s."),
                {"tag": repr(tag), "pos": pos + 1},
            )
        if not (length.isdigit() and length.isascii()) or length == "00":
            raise VietQRError(
                "vietqr_bad_length",
                _("The QR field %(tag)s has an invalid length %(length)s."),
                {"tag": where + tag, "length": repr(length)},
            )
        end = pos + 4 + int(length)
        if end > n:
            raise VietQRError(
                "vietqr_truncated",
                _("The QR code is cut short: field %(tag)s needs %(length)s characters."),
                {"tag": where + tag, "length": int(length)},
            )
        fields.append((tag, text[pos + 4 : end]))
        pos = end
    return fields


def _unique(fields: list[tuple[str, str]], *, where: str = "") -> dict[str, str]:
    result: dict[str, str] = {}
    for tag, value in fields:
        if tag in result:
            raise VietQRError(
                "vietqr_duplicate_field",
                _("The QR field %(tag)s appears twice."),
                {"tag": where + tag},
            )
        result[tag] = value
    return result


# ------------------------------------------------------------------- data


@dataclass(frozen=True)
class VietQRData:
    """The content of a VietQR payload."""

    bin: str
    account: str
    amount: int | None
    note: str
    dynamic: bool
    kind: str = "account"  # "account" | "card"
    currency: str = CURRENCY_VND
    country: str = COUNTRY_VN
    bill_number: str = ""
    # Fields kept as they are so that a parsed payload re-encodes identically.
    additional_fields: tuple[tuple[str, str], ...] = field(default=())  # other 62 sub-fields
    extra_fields: tuple[tuple[str, str], ...] = field(default=())  # other top-level fields

    @property
    def bank(self) -> Bank | None:
        return bank_by_bin(self.bin)

    def to_payload(self) -> str:
        return encode(self)


def encode(data: VietQRData) -> str:
    """Encode ``data`` (no validation against the bank list: see :func:`build_payload`)."""
    account_info = _tlv("00", data.bin) + _tlv("01", data.account)
    merchant = _tlv("00", NAPAS_GUID) + _tlv("01", account_info)
    merchant += _tlv("02", KINDS[data.kind])
    top: list[tuple[str, str]] = [
        ("00", "01"),
        ("01", "12" if data.dynamic else "11"),
        ("38", merchant),
        ("53", data.currency),
        ("58", data.country),
    ]
    if data.amount is not None:
        top.append(("54", str(data.amount)))
    sub: list[tuple[str, str]] = []
    if data.bill_number:
        sub.append(("01", data.bill_number))
    if data.note:
        sub.append(("08", data.note))
    sub.extend(data.additional_fields)
    if sub:
        sub.sort(key=lambda item: item[0])
        top.append(("62", "".join(_tlv(tag, value) for tag, value in sub)))
    top.extend(data.extra_fields)
    top.sort(key=lambda item: item[0])
    body = "".join(_tlv(tag, value) for tag, value in top) + "6304"
    return body + _crc_hex(body)


# ------------------------------------------------------------------ build


def build_payload(
    *,
    bin: str,
    account: str,
    amount: int | None,
    note: str,
    kind: str = "account",
    bill_number: str = "",
) -> str:
    """Build a VietQR payload for a transfer to ``account`` at the bank ``bin``.

    With ``amount`` (whole VND, > 0) the code is dynamic (``01=12``), without it static
    (``01=11``) and the payer types the amount. ``note`` is folded with
    :func:`fold_note` (ASCII, ≤ 25 characters). Raises :class:`VietQRError`.
    """
    bin_ = (bin or "").strip()
    if not _BIN_RE.fullmatch(bin_):
        raise VietQRError("vietqr_bad_bin", _("The bank code (BIN) must be 6 digits."))
    if bank_by_bin(bin_) is None:
        raise VietQRError(
            "vietqr_unknown_bank",
            _("The bank code %(bin)s is not in the list of Vietnamese banks."),
            {"bin": bin_},
        )
    account_ = (account or "").strip()
    if not _ACCOUNT_RE.fullmatch(account_):
        raise VietQRError(
            "vietqr_bad_account",
            _("The account number must be 1 to 19 letters or digits, without spaces."),
        )
    if kind not in KINDS:
        raise VietQRError("vietqr_bad_kind", _("Unknown kind of transfer."))
    if amount is not None:
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise VietQRError("vietqr_bad_amount", _("The amount must be a whole number of VND."))
        if amount <= 0 or amount > AMOUNT_MAX:
            raise VietQRError(
                "vietqr_bad_amount", _("The amount must be more than 0 VND and at most 13 digits.")
            )
    bill = fold_note(bill_number).replace(" ", "")
    data = VietQRData(
        bin=bin_,
        account=account_,
        amount=amount,
        note=fold_note(note),
        dynamic=amount is not None,
        kind=kind,
        bill_number=bill[:NOTE_MAX_LENGTH],
    )
    return encode(data)


# ------------------------------------------------------------------ parse


def parse_payload(text: str) -> VietQRData:
    """Read a VietQR payload; raise :class:`VietQRError` when it is not a valid one.

    Codes: ``vietqr_empty``, ``vietqr_bad_character``, ``vietqr_truncated``,
    ``vietqr_bad_tag``, ``vietqr_bad_length``, ``vietqr_duplicate_field``,
    ``vietqr_missing_crc``, ``vietqr_bad_crc``, ``vietqr_bad_format``,
    ``vietqr_bad_initiation``, ``vietqr_missing_merchant``, ``vietqr_wrong_guid``,
    ``vietqr_bad_bin``, ``vietqr_bad_account``, ``vietqr_bad_service``,
    ``vietqr_unknown_currency``, ``vietqr_bad_country``, ``vietqr_bad_amount``.
    """
    if text is None or not text.strip():
        raise VietQRError("vietqr_empty", _("The QR code is empty."))
    text = text.strip()
    for position, ch in enumerate(text, start=1):
        if not ch.isprintable():
            raise VietQRError(
                "vietqr_bad_character",
                _("The QR code contains an invalid character at position %(pos)s."),
                {"pos": position},
            )
    fields = _read_tlv(text)
    if not fields or fields[-1][0] != "63" or len(fields[-1][1]) != 4:
        raise VietQRError(
            "vietqr_missing_crc", _("The QR code does not end with its check value (field 63).")
        )
    crc = fields[-1][1]
    if not _CRC_RE.fullmatch(crc) or int(crc, 16) != crc16_ccitt_false(text[:-4].encode("utf-8")):
        raise VietQRError(
            "vietqr_bad_crc",
            _("The QR code's check value is wrong: the code is damaged or was altered."),
        )
    top = _unique(fields[:-1])

    if top.get("00") != "01":
        raise VietQRError("vietqr_bad_format", _("This is not an EMVCo payment QR code."))
    initiation = top.get("01")
    if initiation not in ("11", "12"):
        raise VietQRError(
            "vietqr_bad_initiation", _("The QR code is neither static (11) nor dynamic (12).")
        )
    if "38" not in top:
        raise VietQRError(
            "vietqr_missing_merchant", _("The QR code has no bank account (field 38).")
        )
    merchant = _unique(_read_tlv(top["38"], where="38."), where="38.")
    if merchant.get("00") != NAPAS_GUID:
        raise VietQRError("vietqr_wrong_guid", _("This QR code is not a NAPAS VietQR code."))
    account_info = _unique(_read_tlv(merchant.get("01", ""), where="38.01."), where="38.01.")
    bin_ = account_info.get("00", "")
    if not _BIN_RE.fullmatch(bin_):
        raise VietQRError("vietqr_bad_bin", _("The bank code (BIN) must be 6 digits."))
    account = account_info.get("01", "")
    if not _ACCOUNT_RE.fullmatch(account):
        raise VietQRError(
            "vietqr_bad_account",
            _("The account number must be 1 to 19 letters or digits, without spaces."),
        )
    if set(account_info) - {"00", "01"} or set(merchant) - {"00", "01", "02"}:
        raise VietQRError("vietqr_bad_format", _("The QR code's bank account field is malformed."))
    service = merchant.get("02")
    kinds = {value: key for key, value in KINDS.items()}
    if service not in kinds:
        raise VietQRError(
            "vietqr_bad_service", _("The QR code is not a transfer to an account or a card.")
        )
    if top.get("53") != CURRENCY_VND:
        raise VietQRError(
            "vietqr_unknown_currency",
            _("The QR code's currency %(currency)s is not Vietnamese dong (VND, 704)."),
            {"currency": top.get("53", "-")},
        )
    if top.get("58") != COUNTRY_VN:
        raise VietQRError("vietqr_bad_country", _("The QR code's country is not Vietnam (VN)."))
    amount: int | None = None
    if "54" in top:
        raw = top["54"]
        if not (raw.isascii() and raw.isdigit()) or raw.startswith("0"):
            raise VietQRError("vietqr_bad_amount", _("The amount must be a whole number of VND."))
        amount = int(raw)
    note = bill_number = ""
    additional: list[tuple[str, str]] = []
    if "62" in top:
        for tag, value in _unique(_read_tlv(top["62"], where="62."), where="62.").items():
            if tag == "08":
                note = value
            elif tag == "01":
                bill_number = value
            else:
                additional.append((tag, value))
    known = {"00", "01", "38", "53", "54", "58", "62"}
    return VietQRData(
        bin=bin_,
        account=account,
        amount=amount,
        note=note,
        dynamic=initiation == "12",
        kind=kinds[service],
        currency=CURRENCY_VND,
        country=COUNTRY_VN,
        bill_number=bill_number,
        additional_fields=tuple(additional),
        extra_fields=tuple((tag, value) for tag, value in top.items() if tag not in known),
    )
