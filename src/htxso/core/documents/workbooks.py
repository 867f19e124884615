"""Excel workbooks for compiled lists and results (openpyxl).

A :class:`Sheet` is a title, typed columns and rows of dicts keyed by column key; an
optional heading (a few lines such as the organisation and the date) sits above the
table.  :func:`build_workbook` gives the bytes of an .xlsx file with the same look as
the registry's exports: bold wrapped header, frozen header row, autofilter, Vietnamese
number and date formats, and text that a spreadsheet would run as a formula made inert.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

KINDS = ("text", "int", "vnd", "percent", "date", "datetime")
NUMBER_FORMATS = {
    "int": "#,##0",
    "vnd": "#,##0",
    "percent": "0.0%",
    "date": "dd/mm/yyyy",
    "datetime": "dd/mm/yyyy hh:mm",
}
#: Default column widths (characters) by kind.
DEFAULT_WIDTHS = {"int": 12, "vnd": 18, "percent": 10, "date": 12, "datetime": 17}
MAX_TITLE = 31
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters Excel refuses in a sheet title.
_TITLE_BAD = re.compile(r"[\[\]\:\*\?\/\\]")
# Control characters openpyxl refuses in a cell.
_CELL_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass
class Column:
    key: str
    header: str
    kind: str = "text"
    width: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Column {self.key!r}: unknown kind {self.kind!r}")


@dataclass
class Sheet:
    title: str
    columns: list[Column]
    rows: list[dict]
    heading: list[str] = field(default_factory=list)


def safe_text(value: str) -> str:
    """Text a spreadsheet shows as it is: no formula, no control characters."""
    value = _CELL_BAD.sub("", value)
    if value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _value(value: Any, kind: str) -> Any:
    """The cell value for ``value`` in a column of ``kind``; None stays empty."""
    if value is None or value == "":
        return None
    if kind == "text":
        return safe_text(str(value))
    if kind in ("int", "vnd"):
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int | float | Decimal):
            if kind == "vnd" or float(value).is_integer():
                return round(value)
            return float(value)
        return safe_text(str(value))
    if kind == "percent":
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return float(value)
        return safe_text(str(value))
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return safe_text(str(value))
    if kind == "datetime":
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                from django.utils import timezone

                value = timezone.localtime(value)
            return value.replace(tzinfo=None)
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day)
        return safe_text(str(value))
    return value


def unique_titles(titles: list[str]) -> list[str]:
    """Sheet titles cut to Excel's 31 characters, without forbidden characters, unique
    (case-insensitively, as Excel compares them): "Danh sách (2)" for a repeat."""
    result: list[str] = []
    seen: set[str] = set()
    for raw in titles:
        base = _TITLE_BAD.sub(" ", str(raw or "")).strip().strip("'") or "Sheet"
        title = base[:MAX_TITLE].rstrip()
        n = 2
        while title.casefold() in seen:
            suffix = f" ({n})"
            title = base[: MAX_TITLE - len(suffix)].rstrip() + suffix
            n += 1
        seen.add(title.casefold())
        result.append(title)
    return result


def _width(column: Column, rows: list[dict]) -> float:
    if column.width:
        return column.width
    if column.kind != "text":
        return max(DEFAULT_WIDTHS[column.kind], min(len(column.header), 24) + 2)
    longest = max(
        [len(column.header) + 2, *(len(str(r.get(column.key) or "")) for r in rows[:500])]
    )
    return float(min(max(longest + 2, 10), 60))


def _write_sheet(ws: Any, sheet: Sheet) -> None:  # an openpyxl Worksheet (no stubs)
    ncols = max(1, len(sheet.columns))
    row_no = 1
    for line in sheet.heading:
        cell = ws.cell(row=row_no, column=1, value=safe_text(str(line)))
        cell.font = Font(bold=True, size=12 if row_no == 1 else 11)
        cell.alignment = Alignment(horizontal="left", vertical="center")
        if ncols > 1:
            ws.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=ncols)
        row_no += 1
    if sheet.heading:
        row_no += 1  # a blank line between the heading and the table
    header_row = row_no
    for col_no, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=header_row, column=col_no, value=safe_text(str(column.header)))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for data in sheet.rows:
        row_no += 1
        for col_no, column in enumerate(sheet.columns, start=1):
            value = _value(data.get(column.key), column.kind)
            cell = ws.cell(row=row_no, column=col_no, value=value)
            if value is not None and column.kind in NUMBER_FORMATS and not isinstance(value, str):
                cell.number_format = NUMBER_FORMATS[column.kind]
            elif isinstance(value, str) and "\n" in value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col_no, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(col_no)].width = _width(column, sheet.rows)
    if sheet.columns:
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1).coordinate
        last = get_column_letter(len(sheet.columns))
        ws.auto_filter.ref = f"A{header_row}:{last}{max(row_no, header_row)}"


def build_workbook(sheets: list[Sheet]) -> bytes:
    """The sheets as an .xlsx file (bytes).  An empty list gives one empty sheet."""
    wb = Workbook()
    titles = unique_titles([s.title for s in sheets])
    for i, (sheet, title) in enumerate(zip(sheets, titles, strict=True)):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = title
        _write_sheet(ws, sheet)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
