"""Reading uploaded files: what they really are, their sheets, and their rows.

xlsx files are read with openpyxl in read-only, data-only mode (rows are streamed, so a
200,000-row file does not sit in memory); csv files are decoded after detecting the
encoding (UTF-8 with or without BOM, UTF-16, Windows-1258, or the Latin-1 form of
legacy TCVN3/VNI bytes) and the delimiter.

An xlsx is a ZIP of XML parts that can inflate to gigabytes: :func:`open_source` checks
it with :mod:`.workbook_checks` before openpyxl sees it, and :func:`iter_rows` reads its
rows within Excel's limits.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from htxso.core.archives import ArchiveRejected, open_archive
from htxso.core.formatting import format_number
from htxso.core.text import detect_legacy_encoding

from .workbook_checks import (
    XLSX_LIMITS,
    FileRejected,
    check_workbook,
    parse_xml,
    read_small_part,
    within_limits,
)

XLSX, CSV = "xlsx", "csv"
#: Refused above this size (bytes); settings.HTXSO_IMPORT_MAX_BYTES overrides.
DEFAULT_MAX_BYTES = 25 * 1024 * 1024
ERROR_VALUES = frozenset(
    ("#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#N/A", "#NUM!", "#NULL!", "#SPILL!", "#CALC!")
)
CSV_SAMPLE_BYTES = 64 * 1024
csv.field_size_limit(1024 * 1024)


def max_bytes() -> int:
    return int(getattr(settings, "HTXSO_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass
class SheetInfo:
    name: str
    hidden: bool = False


@dataclass
class Source:
    """An opened file: its format, sheets and (for csv) encoding and delimiter."""

    path: Path
    format: str
    sheets: list[SheetInfo] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ","


def check_size(size: int) -> None:
    limit = max_bytes()
    if size > limit:
        raise FileRejected(
            "file_too_large",
            _("The file is %(size)s MB; files up to %(limit)s MB can be imported."),
            {
                "size": format_number(size / 1024 / 1024, 1),
                "limit": format_number(limit / 1024 / 1024, 0),
            },
        )
    if size == 0:
        raise FileRejected("file_empty", _("The file is empty."))


def sniff_format(head: bytes, name: str) -> str:
    """``xlsx`` or ``csv`` from the content (never only from the name)."""
    lower = name.lower()
    if head.startswith(b"PK\x03\x04"):
        return XLSX
    if head.startswith((b"MZ", b"\x7fELF", b"%PDF", b"\xd0\xcf\x11\xe0")):
        if head.startswith(b"\xd0\xcf\x11\xe0") and lower.endswith(".xls"):
            raise FileRejected(
                "file_xls",
                _("Old Excel 97-2003 files (.xls) cannot be read: save the file as .xlsx."),
            )
        raise FileRejected(
            "file_not_spreadsheet",
            _("This file is not a spreadsheet (xlsx or csv), whatever its name says."),
        )
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRejected(
            "file_not_spreadsheet",
            _("This file is not a spreadsheet (xlsx or csv), whatever its name says."),
        )
    return CSV


def open_source(path: str | Path, name: str = "") -> Source:
    """Check what the file is and list its sheets; raises :class:`FileRejected`."""
    path = Path(path)
    check_size(path.stat().st_size)
    with path.open("rb") as fh:
        head = fh.read(CSV_SAMPLE_BYTES)
    fmt = sniff_format(head, name or path.name)
    if fmt == XLSX:
        return Source(path, XLSX, sheets=_xlsx_sheets(path))
    encoding = detect_csv_encoding(head)
    text = head.decode(encoding, errors="ignore")
    return Source(path, CSV, [SheetInfo("csv")], encoding, sniff_delimiter(text))


def _as_file_rejected(exc: ArchiveRejected) -> FileRejected:
    return FileRejected(exc.code, exc.message, exc.params)


def _xlsx_sheets(path: Path) -> list[SheetInfo]:
    """Check the workbook against bombs, then list the sheets of its workbook part (read
    without loading the workbook, whose shared strings can be large)."""
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    try:
        with open_archive(path, limits=XLSX_LIMITS) as archive:
            workbook = check_workbook(archive)
            if workbook not in archive.infos:
                raise FileRejected(
                    "file_unreadable", _("The file cannot be read as an Excel workbook (xlsx).")
                )
            root = parse_xml(read_small_part(archive, workbook))
    except ArchiveRejected as exc:
        raise _as_file_rejected(exc) from None
    except FileRejected:
        raise
    except Exception as exc:  # a damaged or foreign ZIP: say so, never a 500
        raise FileRejected(
            "file_unreadable", _("The file cannot be read as an Excel workbook (xlsx).")
        ) from exc
    sheets = [
        SheetInfo(el.get("name", ""), el.get("state", "visible") != "visible")
        for el in root.iter(f"{ns}sheet")
    ]
    if not sheets:
        raise FileRejected("file_no_sheet", _("The workbook has no sheet."))
    return sheets


def detect_csv_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not only a multi-byte char cut by the sample
            return _eight_bit(head)
        return "utf-8"


def _eight_bit(head: bytes) -> str:
    """Legacy TCVN3/VNI text is kept in its Latin-1 form (see core.text); otherwise
    the file is Windows-1258, the Vietnamese Windows code page."""
    if detect_legacy_encoding(head.decode("latin-1")):
        return "latin-1"
    return "cp1258"


def sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ",;\t|"}
        return max(counts, key=counts.get) if any(counts.values()) else ","


def _sheet_has_formulas(path: Path, member: str) -> bool:
    """Whether the sheet's XML (``member`` of the ZIP) has any formula, read as a stream."""
    try:
        with zipfile.ZipFile(path) as zf, zf.open(member.lstrip("/")) as fh:
            tail = b""
            while chunk := fh.read(1 << 20):
                if b"<f>" in tail + chunk or b"<f " in tail + chunk:
                    return True
                tail = chunk[-4:]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return True  # unsure: read the formulas too
    return False


FORMULA = object()  # marker: a formula without a computed value


def iter_rows(source: Source, sheet: str = "") -> Iterator[tuple]:
    """Every row of the chosen sheet (or the first visible one) as a tuple of values.

    Cells of formulas that have no computed value come out as :data:`FORMULA`.
    """
    if source.format == CSV:
        yield from _csv_rows(source)
        return
    from openpyxl import load_workbook

    wb = load_workbook(source.path, read_only=True, data_only=True, keep_links=False)
    try:
        names = [s.name for s in source.sheets]
        chosen = (
            sheet
            if sheet in names
            else next((s.name for s in source.sheets if not s.hidden), names[0])
        )
        ws = wb[chosen]
        ws.reset_dimensions()  # some writers store a wrong <dimension>: read every row
        member = getattr(ws, "_worksheet_path", "") or ""
        if member and not _sheet_has_formulas(source.path, member):
            yield from within_limits(ws.iter_rows(values_only=True))
            return
        wf = load_workbook(source.path, read_only=True, data_only=False, keep_links=False)
        try:
            wsf = wf[chosen]
            wsf.reset_dimensions()
            for values, formulas in zip_longest(
                within_limits(ws.iter_rows(values_only=True)),
                within_limits(wsf.iter_rows(values_only=True)),
                fillvalue=(),
            ):
                row = list(values)
                for i, f in enumerate(formulas):
                    if (
                        isinstance(f, str)
                        and f.startswith("=")
                        and (i >= len(row) or row[i] is None)
                    ):
                        row.extend([None] * (i + 1 - len(row)))
                        row[i] = FORMULA
                yield tuple(row)
        finally:
            wf.close()
    finally:
        wb.close()


def _csv_rows(source: Source) -> Iterator[tuple]:
    with source.path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=source.encoding, errors="replace", newline="")
        rows = csv.reader(text, delimiter=source.delimiter)
        if source.encoding == "cp1258":  # tone marks are combining characters there
            yield from (tuple(unicodedata.normalize("NFC", c) for c in r) for r in rows)
        else:
            yield from (tuple(r) for r in rows)


def estimate_rows(source: Source, sheet: str = "") -> int:
    """About how many rows the sheet has (for the progress bar before it is read)."""
    if source.format == CSV:
        with source.path.open("rb") as fh:
            head = fh.read(CSV_SAMPLE_BYTES)
        lines = max(1, head.count(b"\n"))
        return int(source.path.stat().st_size / max(1, len(head) / lines))
    from openpyxl import load_workbook

    wb = load_workbook(source.path, read_only=True, keep_links=False)
    try:
        names = [s.name for s in source.sheets]
        ws = wb[sheet if sheet in names else names[0]]
        return int(ws.max_row or 0)
    except Exception:  # a sheet without dimension: unknown
        return 0
    finally:
        wb.close()


def read_head(source: Source, sheet: str = "", limit: int = 40) -> list[tuple]:
    rows = []
    for row in iter_rows(source, sheet):
        rows.append(row)
        if len(rows) >= limit:
            break
    return rows
