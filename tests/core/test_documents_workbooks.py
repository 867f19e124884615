"""Workbooks: reopened with openpyxl and checked cell by cell."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from htxso.core.documents.workbooks import Column, Sheet, build_workbook, unique_titles

COLUMNS = [
    Column("name", "Tên hợp tác xã"),
    Column("workers", "Lao động", "int"),
    Column("revenue", "Doanh thu (đồng)", "vnd"),
    Column("youth", "Tỷ lệ thanh niên", "percent"),
    Column("applied_on", "Ngày nộp", "date"),
    Column("reviewed_at", "Ngày xét", "datetime", width=20),
]
ROWS = [
    {
        "name": "HTX Nông nghiệp Mẫu",
        "workers": 25,
        "revenue": 2_600_000_000,
        "youth": 0.48,
        "applied_on": dt.date(2024, 4, 3),
        "reviewed_at": dt.datetime(2024, 4, 4, 2, 30, tzinfo=dt.UTC),
    },
    {
        "name": '=HYPERLINK("http://x","bấm")',
        "workers": None,
        "revenue": Decimal("1500000.4"),
        "youth": None,
        "applied_on": None,
        "reviewed_at": None,
    },
    {"name": "+84 912", "workers": "không rõ", "revenue": 12.6},
    {"name": "-1", "youth": Decimal("0.125")},
    {"name": "@SUM(A1)\x00", "applied_on": dt.datetime(2024, 5, 6, 7, 8)},
]


def _open(sheets):
    data = build_workbook(sheets)
    assert data[:2] == b"PK"
    return load_workbook(io.BytesIO(data))


def test_values_formats_freeze_and_filter():
    wb = _open(
        [
            Sheet(
                "Danh sách",
                COLUMNS,
                ROWS,
                heading=["LIÊN MINH HTX TỈNH CAO BẰNG", "Ngày 04/4/2024"],
            )
        ]
    )
    ws = wb["Danh sách"]
    # heading lines on top, merged over the table's width, then a blank row
    assert ws["A1"].value == "LIÊN MINH HTX TỈNH CAO BẰNG" and ws["A1"].font.bold
    assert ws["A2"].value == "Ngày 04/4/2024"
    assert "A1:F1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A3"].value is None
    header = [c.value for c in ws[4]]
    assert header == [c.header for c in COLUMNS]
    assert all(c.font.bold for c in ws[4])
    assert ws.freeze_panes == "A5"
    assert ws.auto_filter.ref == "A4:F9"

    row = list(ws[5])
    assert [c.value for c in row[:4]] == ["HTX Nông nghiệp Mẫu", 25, 2_600_000_000, 0.48]
    assert row[1].number_format == "#,##0"
    assert row[2].number_format == "#,##0"
    assert row[3].number_format == "0.0%"
    assert row[4].value == dt.datetime(2024, 4, 3) and row[4].number_format == "dd/mm/yyyy"
    # aware datetimes are written in Vietnam's time (UTC+7), without the zone
    assert row[5].value == dt.datetime(2024, 4, 4, 9, 30)
    assert row[5].number_format == "dd/mm/yyyy hh:mm"

    second = [c.value for c in ws[6]]
    assert second[0] == '\'=HYPERLINK("http://x","bấm")'  # formula made inert
    assert ws["A6"].data_type == "s"
    assert second[1] is None and second[3] is None and second[4] is None
    assert second[2] == 1_500_000  # VND are whole đồng
    third = [c.value for c in ws[7]]
    assert third[0] == "'+84 912" and third[1] == "không rõ" and third[2] == 13
    assert ws["D8"].value == 0.125 and ws["A8"].value == "'-1"
    assert ws["A9"].value == "'@SUM(A1)"
    assert ws["E9"].value == dt.datetime(2024, 5, 6)
    # widths: explicit, or from the content
    assert ws.column_dimensions["F"].width == 20
    assert ws.column_dimensions["A"].width >= len('=HYPERLINK("http://x","bấm")')


def test_no_heading_freezes_row_2():
    wb = _open([Sheet("A", COLUMNS[:2], [{"name": "x", "workers": 1}])])
    ws = wb.active
    assert ws["A1"].value == "Tên hợp tác xã" and ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:B2"


def test_empty_rows_and_no_sheets():
    ws = _open([Sheet("Trống", COLUMNS, [])]).active
    assert [c.value for c in ws[1]] == [c.header for c in COLUMNS]
    assert ws.max_row == 1
    assert len(_open([]).sheetnames) == 1


def test_long_duplicate_and_forbidden_sheet_titles():
    long = "Danh sách hợp tác xã đủ điều kiện tham gia dự án thanh niên"
    wb = _open(
        [
            Sheet(long, COLUMNS[:1], []),
            Sheet(long, COLUMNS[:1], []),
            Sheet("danh sách hợp tác xã đủ điều kiện tham gia", COLUMNS[:1], []),
            Sheet("Cao Bằng/Đắk Lắk [2024]?", COLUMNS[:1], []),
            Sheet("", COLUMNS[:1], []),
        ]
    )
    names = wb.sheetnames
    assert all(len(n) <= 31 for n in names)
    assert len({n.casefold() for n in names}) == len(names)
    assert names[0] == long[:31].rstrip()
    assert names[1].endswith(" (2)") and names[2].endswith(" (3)")
    assert names[3] == "Cao Bằng Đắk Lắk  2024"
    assert names[4] == "Sheet"


def test_unique_titles_hand_cases():
    assert unique_titles(["A", "a", "A"]) == ["A", "a (2)", "A (3)"]


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        Column("x", "X", "money")


def test_vn_timezone_constant():
    # the project's zone is Asia/Ho_Chi_Minh (UTC+7) — the datetime case above relies on it
    assert (
        dt.datetime(2024, 4, 4, 2, 30, tzinfo=dt.UTC).astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).hour
        == 9
    )
