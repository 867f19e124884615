# ruff: noqa: E501 — tables of sample data read best one row per line
"""Builders of the messy files real provinces send, made by the tests themselves."""

from __future__ import annotations

import csv
from pathlib import Path

from htxso.core.codes import tax_code_check_digit
from htxso.core.text import unicode_to_tcvn3, unicode_to_vni


def tax_code(n: int) -> str:
    """A valid tax code from a sequence number (skips numbers with no check digit)."""
    while True:
        base = f"{6_000_000_00 + n:09d}"
        check = tax_code_check_digit(base)
        if check is not None:
            return base + str(check)
        n += 1_000_000


def tax_codes(count: int, start: int = 1) -> list[str]:
    out, n = [], start
    while len(out) < count:
        base = f"{600000000 + n:09d}"
        check = tax_code_check_digit(base)
        if check is not None:
            out.append(base + str(check))
        n += 1
    return out


#: Addresses of Đắk Lắk that resolve to exactly one ward (old and new forms).
DAK_LAK_ADDRESSES = [
    ("Xã Ea Tu", "TP. Buôn Ma Thuột", "Đắk Lắk"),
    ("Xã Hòa Xuân", "", "Đắk Lắk"),
    ("Phường Tân Lập", "", "Đắk Lắk"),
    ("Xã Ea Na", "", "Đắk Lắk"),
    ("Xã Cư Suê", "", "Đắk Lắk"),
]

HEADER_TOP = [
    "STT",
    "Tên HTX",
    "Mã số thuế",
    "Địa chỉ",
    None,
    None,
    "Ngày thành lập",
    "Vốn điều lệ (đồng)",
    "Số thành viên",
    "Loại hình",
    "Ngành nghề",
]
HEADER_SUB = [None, None, None, "Xã/phường", "Huyện", "Tỉnh", None, None, None, None, None]


def org_rows_dak_lak() -> list[list]:
    """Ten organisation rows of Đắk Lắk with the usual problems, one per row where
    noted; rows 1-5 are clean."""
    codes = tax_codes(6)
    return [
        # name, tax, ward, district, province, established, capital, members, kind, sector
        ["HTX Nông nghiệp Ea Tu", codes[0], "Xã Ea Tu", "TP. Buôn Ma Thuột", "Đắk Lắk",
         41640, "1.234.567", 12, "HTX", "Nông nghiệp"],
        ["HTX Cà phê Hòa Xuân", codes[1], "Xã Hòa Xuân", "", "Đắk Lắk",
         "15/03/2016", "500.000.000", 25, "Hợp tác xã", "Trồng trọt"],
        ["Tổ hợp tác Dệt Tân Lập", None, "Phường Tân Lập", "", "Đắk Lắk",
         "2019", None, 7, "Tổ hợp tác", "Tiểu thủ công nghiệp"],
        ["HTX Dịch vụ Ea Na", codes[2], "Xã Ea Na", "", "Đắk Lắk",
         43466, 2_000_000_000, 30, "HTX", "Dịch vụ"],
        ["HTX Cà phê Ea Tu", "0100112437", "Xã Cư Suê", "", "Đắk Lắk",
         42005, "800.000.000", 40, "HTX", "Nông nghiệp"],
        # problems
        ["HTX Sai mã", "0100233489", "Xã Ea Na", "", "Đắk Lắk", 43466, "1.000", 9, "HTX", ""],
        ["HTX Trùng mã", codes[0], "Xã Ea Na", "", "Đắk Lắk", 43466, "1.000", 9, "HTX", ""],
        ["HTX Tương lai", codes[3], "Xã Ea Na", "", "Đắk Lắk", "01/01/2099", "-5.000", 9, "HTX", ""],
        ["HTX Không địa chỉ", codes[4], "Xã Không Có Thật", "", "Đắk Lắk", 43466, None, 9, "HTX", ""],
        ["HTX Hai xã", codes[5], "Xã Hòa Thắng", "", "Đắk Lắk", 43466, "#REF!", 9, "HTX", ""],
        ["HTX Tỉnh khác", "0100233488", "Xã Ea Na", "", "Đắk Lắk", 43466, None, 9, "HTX", ""],
    ]  # fmt: skip


def write_messy_xlsx(path: Path, rows: list[list] | None = None, *, legacy: bool = True) -> Path:
    """A workbook as provinces send it: a hidden sheet first, title rows, a two-row
    header with merged cells, a row of column numbers, TCVN3 names and VNI sectors,
    Excel serial dates, "1.234.567" amounts, #REF! and a formula without a value."""
    from openpyxl import Workbook

    rows = rows if rows is not None else org_rows_dak_lak()
    wb = Workbook()
    hidden = wb.active
    hidden.title = "Dữ liệu cũ"
    hidden.append(["Tên HTX", "Mã số thuế"])
    hidden.append(["HTX bị ẩn", "0100233488"])
    hidden.sheet_state = "hidden"
    ws = wb.create_sheet("Danh sách")
    ws.append(["DANH SÁCH HỢP TÁC XÃ TỈNH ĐẮK LẮK"])
    ws.merge_cells("A1:K1")
    ws.append(["(Kèm theo báo cáo số 123/BC-LMHTX)"])
    ws.append(HEADER_TOP)
    ws.append(HEADER_SUB)
    ws.merge_cells("D3:F3")
    for col in "ABCGHIJK":
        ws.merge_cells(f"{col}3:{col}4")
    ws.append([f"({i})" for i in range(1, 12)])
    for i, row in enumerate(rows, start=1):
        name, *rest = row
        sector = rest[-1]
        if legacy:
            name = unicode_to_tcvn3(name)
            sector = unicode_to_vni(sector) if sector else sector
        ws.append([i, name, *rest[:-1], sector])
    ws.append([None, "Tổng cộng", None, None, None, None, None, None, "=SUM(I6:I15)"])
    wb.save(path)
    return path


def write_clean_csv(path: Path, rows: list[list], *, encoding="utf-8", delimiter=";") -> Path:
    headers = ["Tên HTX", "MST", "Địa chỉ", "Ngày thành lập", "Vốn điều lệ", "Loại hình"]
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def generated_rows(count: int, start: int = 1):
    """``count`` valid cooperative rows of Đắk Lắk (address forms cycle)."""
    codes = tax_codes(count, start)
    for i, code in enumerate(codes):
        ward, district, province = DAK_LAK_ADDRESSES[i % len(DAK_LAK_ADDRESSES)]
        address = ", ".join(p for p in (f"Thôn {i % 20 + 1}", ward, district, province) if p)
        yield [
            f"HTX Nông nghiệp số {start + i}",
            code,
            address,
            f"{(i % 28) + 1:02d}/{(i % 12) + 1:02d}/{2000 + i % 24}",
            f"{(i % 900 + 100) * 1_000_000:,}".replace(",", "."),
            "HTX",
        ]


def write_generated_csv(path: Path, count: int, start: int = 1) -> Path:
    return write_clean_csv(path, list(generated_rows(count, start)))


def write_generated_xlsx(path: Path, count: int, start: int = 1) -> Path:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("HTX")
    ws.append(["Tên HTX", "MST", "Địa chỉ", "Ngày thành lập", "Vốn điều lệ", "Loại hình"])
    for row in generated_rows(count, start):
        ws.append(row)
    wb.save(path)
    return path
