"""Extract files built in memory for the tests (business registration and tax)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from htxso.core.codes import tax_code_check_digit
from htxso.registry.models import Organisation

HEADERS = [
    "STT",
    "Mã số HTX",
    "Tên hợp tác xã",
    "Loại hình",
    "Tình trạng",
    "Ngày đăng ký",
    "Ngày thay đổi",
    "Địa chỉ trụ sở",
    "Xã/phường",
    "Tỉnh",
    "Người đại diện theo pháp luật",
    "Vốn điều lệ",
    "Ngành nghề kinh doanh",
]
TAX_HEADERS = ["STT", "MST", "Tên người nộp thuế", "Trạng thái MST", "Ngày thay đổi trạng thái"]
TITLE = "DANH SÁCH HỢP TÁC XÃ ĐĂNG KÝ TẠI TỈNH CAO BẰNG"
EXTRACT_DATE = dt.date(2026, 11, 30)


def code(n: int) -> str:
    """The n-th valid 10-digit code of a test series (check digit included)."""
    seed = 410_000_001 + n * 7
    while True:
        body = str(seed).zfill(9)
        digit = tax_code_check_digit(body)
        if digit is not None:
            return body + str(digit)
        seed += 1


def bad_code(n: int) -> str:
    good = code(n)
    return good[:9] + str((int(good[9]) + 1) % 10)


def row(
    code_: str,
    name: str,
    *,
    kind: str = "Hợp tác xã",
    status: str = "Đang hoạt động",
    registered: str = "12/03/2019",
    changed: str = "",
    address: str = "",
    ward: str = "",
    province: str = "Cao Bằng",
    representative: str = "",
    capital: str = "",
    vsic: str = "",
) -> list[str]:
    return [
        code_,
        name,
        kind,
        status,
        registered,
        changed,
        address,
        ward,
        province,
        representative,
        capital,
        vsic,
    ]


def business_csv(rows: list[list[str]], *, encoding: str = "utf-8", title: bool = True) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if title:
        w.writerow([TITLE] + [""] * (len(HEADERS) - 1))
        w.writerow(["Ngày trích xuất: 30/11/2026"] + [""] * (len(HEADERS) - 1))
    w.writerow(HEADERS)
    w.writerow([f"({i})" for i in range(1, len(HEADERS) + 1)])
    for i, r in enumerate(rows, start=1):
        w.writerow([str(i), *r])
    text = buf.getvalue()
    if encoding == "cp1258":
        text = windows_1258_form(text)
    return text.encode(encoding)


TONES = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258_form(text: str) -> str:
    """As Windows-1258 writes Vietnamese: letters with their vowel marks precomposed,
    the tone as a combining mark after them."""
    import unicodedata

    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(m for m in parts if m in TONES)
        base = unicodedata.normalize("NFC", "".join(m for m in parts if m not in TONES))
        out.append(base + tones)
    return "".join(out)


def tax_csv(rows: list[tuple[str, str, str, str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["CỤC THUẾ TỈNH CAO BẰNG — DANH SÁCH NGƯỜI NỘP THUẾ LÀ HTX"])
    w.writerow(TAX_HEADERS)
    for i, r in enumerate(rows, start=1):
        w.writerow([str(i), *r])
    return buf.getvalue().encode("utf-8")


def business_xlsx_merged(rows: list[list[str]]) -> bytes:
    """A workbook with a merged title and a two-row header whose group "Địa chỉ" is
    merged over "Xã/phường" and "Tỉnh" (as provincial offices send them)."""
    wb = Workbook()
    ws = wb.active
    ws.append([TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    top = [h if h not in ("Xã/phường", "Tỉnh") else "" for h in HEADERS]
    top[HEADERS.index("Xã/phường")] = "Địa chỉ"
    sub = [h if h in ("Xã/phường", "Tỉnh") else "" for h in HEADERS]
    ws.append(top)
    ws.append(sub)
    col = HEADERS.index("Xã/phường") + 1
    ws.merge_cells(start_row=2, start_column=col, end_row=2, end_column=col + 1)
    for i, r in enumerate(rows, start=1):
        ws.append([i, *r])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(content: bytes, name: str = "trich-xuat.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def cao_bang_registry(world) -> dict[str, Organisation]:
    """Organisations of Cao Bằng the standard extract talks about (besides a1)."""
    orgs = {
        "dissolving": Organisation.objects.create(
            kind="cooperative",
            name="HTX Dịch vụ Nông nghiệp Trà Lĩnh",
            tax_code=code(1),
            province_id="04",
            charter_capital=200_000_000,
        ),
        "conflict": Organisation.objects.create(
            kind="cooperative",
            name="HTX Vận tải Cao Bằng",
            tax_code=code(2),
            province_id="04",
        ),
        "missing": Organisation.objects.create(
            kind="cooperative",
            name="HTX Mây tre đan Quảng Hòa",
            tax_code=code(3),
            province_id="04",
        ),
    }
    return orgs


def standard_rows(world, ward_name: str = "") -> list[list[str]]:
    """New, changed, dissolved and conflicting rows for Cao Bằng."""
    a1 = world.orgs["a1"]
    return [
        row(
            a1.tax_code,
            a1.name,
            address="Số 5 đường Hợp Giang",
            representative="Nông Văn Dũng",
            capital="500.000.000",
            vsic="0118; 4620",
        ),
        row(
            code(4),
            "HTX Chè Shan tuyết Phìa Đén",
            address="Bản Phìa Đén",
            ward=ward_name,
            capital="300.000.000",
            representative="Hoàng Thị Mai",
            vsic="0127; 1079; 9999",
        ),
        row(
            code(1), "HTX Dịch vụ Nông nghiệp Trà Lĩnh", status="Đã giải thể", changed="01/03/2026"
        ),
        row(code(2), "Công ty Thép Hòa Phát"),
        row(bad_code(5), "HTX Sai Mã Số"),
        row(code(6), "HTX Trùng Mã Một"),
        row(code(6), "HTX Trùng Mã Hai"),
        row(world.orgs["b1"].tax_code, world.orgs["b1"].name, province="Đắk Lắk"),
    ]
