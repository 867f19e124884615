"""GS1 Digital Link identifiers: building them and reading them back, every refusal code."""

from __future__ import annotations

from datetime import datetime

import pytest

from htxso.trace.epcis.documents import (
    DigitalLink,
    DigitalLinkError,
    epcis_document,
    format_time,
    location_epc,
    lot_epc,
    parse_digital_link,
    serial_epc,
)
from htxso.trace.epcis.uris import canonical_id

GTIN14 = "08930000000019"


def test_builders():
    assert lot_epc(GTIN14, "DL-2025-01") == f"https://id.gs1.org/01/{GTIN14}/10/DL-2025-01"
    assert lot_epc("8930000000019", "A/B") == f"https://id.gs1.org/01/{GTIN14}/10/A%2FB"
    assert serial_epc(GTIN14, "7KQ2MX9P") == f"https://id.gs1.org/01/{GTIN14}/21/7KQ2MX9P"
    assert location_epc("8930000000019") == "https://id.gs1.org/414/8930000000019"
    # what we build is already in the canonical form the event hash uses
    assert canonical_id(lot_epc(GTIN14, "DL-2025-01")) == lot_epc(GTIN14, "DL-2025-01")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (f"/01/{GTIN14}/10/DL-2025-01", DigitalLink(GTIN14, "DL-2025-01", None)),
        (f"/01/{GTIN14}/21/7KQ2MX9P", DigitalLink(GTIN14, None, "7KQ2MX9P")),
        (f"/01/{GTIN14}", DigitalLink(GTIN14)),
        (f"/01/{GTIN14}/10/L1/21/S1/", DigitalLink(GTIN14, "L1", "S1")),
        ("/01/8930000000019/10/A%2FB", DigitalLink(GTIN14, "A/B", None)),
        (f"https://htxso.vn/01/{GTIN14}/10/L1?linkType=gs1:pip", DigitalLink(GTIN14, "L1")),
        (f"/01/{GTIN14}/10/{'x' * 20}", DigitalLink(GTIN14, "x" * 20)),
    ],
)
def test_parse(path, expected):
    assert parse_digital_link(path) == expected


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/01/8930000000018/10/L1", "gtin_check_digit"),
        ("/01/89300/10/L1", "gtin_format"),
        ("/01/abc/10/L1", "gtin_format"),
        (f"/01/{GTIN14}/10/{'x' * 21}", "dl_too_long"),
        (f"/01/{GTIN14}/10/c%C3%A0", "dl_bad_character"),  # "cà": not in set 82
        (f"/01/{GTIN14}/10/a%20b", "dl_bad_character"),  # space
        (f"/01/{GTIN14}/10/a%2", "dl_bad_encoding"),
        (f"/01/{GTIN14}/10/a%ZZ", "dl_bad_encoding"),
        (f"/01/{GTIN14}/10/a b", "dl_bad_encoding"),
        (f"/01/{GTIN14}/10/", "dl_format"),
        (f"/01/{GTIN14}/22/V1", "dl_unsupported_ai"),
        (f"/01/{GTIN14}/21/S/10/L", "dl_unsupported_ai"),
        (f"/01/{GTIN14}/10/A/10/B", "dl_unsupported_ai"),
        ("/414/8930000000019", "dl_format"),
        ("", "dl_format"),
    ],
)
def test_parse_refusals(path, code):
    with pytest.raises(DigitalLinkError) as exc:
        parse_digital_link(path)
    assert exc.value.code == code
    assert str(exc.value)


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: lot_epc("8930000000018", "L"), "gtin_check_digit"),
        (lambda: lot_epc(GTIN14, ""), "dl_empty_value"),
        (lambda: lot_epc(GTIN14, "Lô 1"), "dl_bad_character"),
        (lambda: serial_epc(GTIN14, "S" * 21), "dl_too_long"),
        (lambda: location_epc("893000000001"), "gln_format"),
        (lambda: location_epc("8930000000018"), "gln_check_digit"),
    ],
)
def test_builder_refusals(call, code):
    with pytest.raises(DigitalLinkError) as exc:
        call()
    assert exc.value.code == code


def test_times_must_be_aware():
    with pytest.raises(ValueError):
        epcis_document([], creation_date=datetime(2025, 1, 1))
    from zoneinfo import ZoneInfo

    moment = datetime(2025, 11, 2, 7, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert format_time(moment) == "2025-11-02T07:30:00.000+07:00"
