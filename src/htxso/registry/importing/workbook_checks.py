"""Checks of an xlsx before and while openpyxl reads it: spreadsheet bombs are refused.

An xlsx is a ZIP of XML parts, and a 1-2 MB one can inflate to gigabytes (40 million
shared strings, one cell of 1 GiB).  :func:`check_workbook` runs on the archive opened
through :mod:`htxso.core.archives` (number of parts, declared sizes, ratio, names, nested
archives; members read through a bounded reader) and streams the parts openpyxl will
parse, found as openpyxl finds them (content types, the workbook's relationships, fixed
paths):

* the shared strings, which openpyxl's read-only mode keeps in one list: at most
  1,000,000 items, none longer than a cell may hold;
* every worksheet: at most Excel's 1,048,576 rows, each row (and the sheet's header and
  tail) within a byte and tag budget, no row nested in another;
* every other part openpyxl parses whole (workbook, styles, theme, properties,
  relationships): small, few elements, no DTD.

Without ``<!`` constructs (DTD, comments, CDATA — refused: spreadsheet programs do not
write them) every ``<`` starts a tag, so these checks are byte scans, not a parse: about
0.6 s for the 91 MB sheet of a 200,000-row workbook, whose rows openpyxl reads in ~60 s.
While rows are read, :func:`within_limits` enforces Excel's own limits (rows, columns,
32,767 characters per cell) and a budget of cells.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from operator import methodcaller

from django.utils.translation import gettext_lazy as _

from htxso.core.archives import MIB, ArchiveLimits, ArchiveRejected, CheckedArchive
from htxso.core.errors import ServiceError
from htxso.core.formatting import format_number


class FileRejected(ServiceError):
    """The file cannot be imported at all; ``code`` is stable, ``message`` translatable."""


#: Excel's own limits (a workbook beyond them was not made by a spreadsheet program).
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
EXCEL_MAX_CELL_CHARS = 32_767
#: Imports read this many columns at most (the widest import template has ~40).
IMPORT_MAX_COLUMNS = 500
#: Cells openpyxl may hand out for one sheet (rows x width, empty ones included):
#: 1,048,576 rows of 40 columns fit; a sheet of 16,384-wide rows stops after 3,000.
MAX_CELLS = 50_000_000
#: openpyxl's read-only mode keeps every shared string in a list.
MAX_SHARED_STRINGS = 1_000_000
#: The archive: a 25 MB xlsx of real data inflates ~13 times (a 200,000-row, 6-column
#: sheet written by openpyxl is 91 MB in 7 MB); 512 MB per sheet leaves room for a full
#: 25 MB file of text; a ratio above 250 is a bomb (deflate's ceiling is ~1,030).
XLSX_LIMITS = ArchiveLimits(
    max_members=2_000,
    max_member_bytes=512 * MIB,
    max_total_bytes=1024 * MIB,
    max_ratio=250,
    ratio_from_bytes=4 * MIB,
    nested_allowed_under=("xl/embeddings/",),
)
#: Parts openpyxl parses whole (workbook, styles, theme, properties, relationships).
SMALL_PART_BYTES = 16 * MIB
SMALL_PART_TAGS = 500_000
#: The shared strings part: 1,000,000 strings of ~40 characters and their markup.
SHARED_STRINGS_BYTES = 96 * MIB
#: One shared string item: 32,767 characters of up to 3 UTF-8 bytes, escapes, rich-text runs.
SHARED_STRING_ITEM_BYTES = 256 * 1024
#: One row of a worksheet (and the sheet's header or tail): its cells stay in memory
#: until the row is read.
ROW_BYTES = 16 * MIB
ROW_TAGS = 1_000_000
SCAN_CHUNK = 1 * MIB

_NAME = rb"<(?:[A-Za-z_][\w.\-]*:)?"
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_STRINGS_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_WORKBOOK_CTS = (  # in openpyxl's order (reader/excel.py: _find_workbook_part)
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
)
#: parts openpyxl reads at fixed paths (reader/excel.py, styles/stylesheet.py)
_FIXED_SMALL_PARTS = (
    "[Content_Types].xml",
    "_rels/.rels",
    "xl/workbook.xml",
    "xl/styles.xml",
    "xl/theme/theme1.xml",
    "docProps/core.xml",
    "docProps/app.xml",
    "docProps/custom.xml",
)


def _mb(size: int) -> str:
    return format_number(size / MIB, 1 if size < 10 * MIB else 0)


def _unusual_xml(part: str) -> FileRejected:
    return FileRejected(
        "xlsx_unusual_xml",
        _(
            "The part %(part)s of the workbook contains XML that spreadsheet programs do"
            " not write (a DTD, a comment or a CDATA section): open the file in Excel and"
            " save it again."
        ),
        {"part": part[:80]},
    )


def _part_too_complex(part: str) -> FileRejected:
    return FileRejected(
        "xlsx_part_too_large",
        _(
            "The part %(part)s of the workbook is too large to read (more than %(limit)s MB"
            " or %(tags)s elements)."
        ),
        {
            "part": part[:80],
            "limit": _mb(SMALL_PART_BYTES),
            "tags": format_number(SMALL_PART_TAGS),
        },
    )


def read_small_part(archive: CheckedArchive, name: str) -> bytes:
    """A part openpyxl parses whole: small, few elements, no DTD."""
    info = archive.infos[name]
    if info.file_size > SMALL_PART_BYTES:
        raise _part_too_complex(name)
    try:
        data = archive.read(name, max_bytes=SMALL_PART_BYTES)
    except ArchiveRejected as exc:
        if exc.code == "archive_part_too_large":
            raise _part_too_complex(name) from None
        raise
    if _DTD.search(data):
        raise _unusual_xml(name)
    if data.count(b"<") > SMALL_PART_TAGS:
        raise _part_too_complex(name)
    return data


class _Record:
    """Where a record element (``row``, ``si``) starts and ends in a part's bytes."""

    def __init__(self, local: bytes) -> None:
        self.plain_start = re.compile(b"<" + local + rb"[\s/>]")
        self.any_start = re.compile(_NAME + local + rb"[\s/>]")
        self.prefixed = b":" + local
        self.plain_end = b"</" + local + b">"
        self.any_end = re.compile(b"</" + _NAME[1:] + local + rb"\s*>")

    def split(self, buf: bytes) -> list[bytes]:
        start = self.any_start if self.prefixed in buf else self.plain_start
        return start.split(buf)

    def well_formed(self, part: bytes, *, last: bool = False) -> bool:
        """Whether ``part`` (the bytes after a record's start tag up to the next one) is
        one whole record: it holds exactly one end tag, or its start tag closes itself
        and nothing follows.  A record nested in another (whose cleared children
        openpyxl would keep) fails here: the outer record's first part has no end."""
        ends = len(self.any_end.findall(part))
        if ends == 1:
            return True
        if ends:
            return False
        close = part.find(b">")
        if close < 1 or part[close - 1 : close] != b"/":
            return False
        rest = part[close + 1 :].lstrip()
        return not rest or (last and rest.startswith(b"</"))


_ROW = _Record(b"row")
_SI = _Record(b"si")


def _scan_records(
    archive: CheckedArchive,
    name: str,
    *,
    record: _Record,
    max_records: int,
    max_bytes: int,
    max_record_bytes: int,
    max_record_tags: int,
    too_many: FileRejected,
    too_big,
) -> int:
    """Stream a part made of repeated records (rows, string items) and check its shape.

    Without ``<!`` constructs, every ``<`` in XML starts a tag (text and attribute
    values cannot hold one), so splitting the bytes at each record's start tag gives
    each record's exact extent.  ``too_big(number)`` makes the error for a record over
    ``max_record_bytes`` bytes or ``max_record_tags`` tags.  Returns the record count.
    """
    records = 0
    carry = b""
    count_tags = methodcaller("count", b"<")
    count_ends = methodcaller("count", record.plain_end)
    try:
        with archive.open(name, max_bytes=max_bytes) as fh:
            while chunk := fh.read(SCAN_CHUNK):
                buf = carry + chunk
                if b"<!" in buf:
                    raise _unusual_xml(name)
                parts = record.split(buf)
                whole = parts[:-1] if records else parts[1:-1]  # parts[0]: the header
                records += len(parts) - 1
                if records > max_records:
                    raise too_many
                longest = max(map(len, parts))
                if longest > max_record_bytes or (
                    longest > max_record_tags and max(map(count_tags, parts)) > max_record_tags
                ):
                    raise too_big(records)
                ends = list(map(count_ends, whole))
                if ends.count(1) != len(ends):
                    for part, n in zip(whole, ends, strict=True):
                        if n != 1 and not record.well_formed(part):
                            raise _unusual_xml(name)
                carry = parts[-1]
        if records and not record.well_formed(carry, last=True):
            raise _unusual_xml(name)
    except ArchiveRejected as exc:
        if exc.code == "archive_part_too_large":
            raise FileRejected(
                "xlsx_part_too_large",
                _("The part %(part)s of the workbook expands to more than %(limit)s MB."),
                {"part": name[:80], "limit": _mb(max_bytes)},
            ) from None
        raise
    return records


def _check_shared_strings(archive: CheckedArchive, name: str) -> None:
    too_many = FileRejected(
        "xlsx_too_many_strings",
        _(
            "The workbook holds more than %(limit)s different texts; at most %(limit)s can"
            " be imported: split the file."
        ),
        {"limit": format_number(MAX_SHARED_STRINGS)},
    )
    if archive.infos[name].file_size > SHARED_STRINGS_BYTES:
        raise FileRejected(
            "xlsx_part_too_large",
            _("The part %(part)s of the workbook expands to more than %(limit)s MB."),
            {"part": name[:80], "limit": _mb(SHARED_STRINGS_BYTES)},
        )

    def too_long(_number: int) -> FileRejected:
        return FileRejected(
            "xlsx_cell_too_long",
            _(
                "A text in the workbook is longer than a cell may hold (%(limit)s"
                " characters, Excel's limit)."
            ),
            {"limit": format_number(EXCEL_MAX_CELL_CHARS)},
        )

    _scan_records(
        archive,
        name,
        record=_SI,
        max_records=MAX_SHARED_STRINGS,
        max_bytes=SHARED_STRINGS_BYTES,
        max_record_bytes=SHARED_STRING_ITEM_BYTES,
        max_record_tags=SHARED_STRING_ITEM_BYTES,
        too_many=too_many,
        too_big=too_long,
    )


def _check_worksheet(archive: CheckedArchive, name: str) -> None:
    too_many = FileRejected(
        "xlsx_too_many_rows",
        _("The sheet %(part)s has more than %(limit)s rows (Excel's limit)."),
        {"part": name[:80], "limit": format_number(EXCEL_MAX_ROWS)},
    )

    def row_too_big(number: int) -> FileRejected:
        return FileRejected(
            "xlsx_row_too_large",
            _(
                "Row %(row)s of the sheet %(part)s is too large to read (more than"
                " %(limit)s MB or %(tags)s elements)."
            ),
            {
                "row": format_number(number),
                "part": name[:80],
                "limit": _mb(ROW_BYTES),
                "tags": format_number(ROW_TAGS),
            },
        )

    _scan_records(
        archive,
        name,
        record=_ROW,
        max_records=EXCEL_MAX_ROWS,
        max_bytes=XLSX_LIMITS.max_member_bytes,
        max_record_bytes=ROW_BYTES,
        max_record_tags=ROW_TAGS,
        too_many=too_many,
        too_big=row_too_big,
    )


def parse_xml(data: bytes):
    from defusedxml.ElementTree import fromstring

    return fromstring(data, forbid_dtd=True)


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def check_workbook(archive: CheckedArchive) -> str:
    """Check the parts openpyxl will read, as openpyxl finds them; returns the workbook
    part's name.  Raises :class:`FileRejected`."""
    names = set(archive.names)
    if "[Content_Types].xml" not in names:
        raise FileRejected(
            "file_not_spreadsheet",
            _("This file is not a spreadsheet (xlsx or csv), whatever its name says."),
        )
    overrides = {
        el.get("PartName", "").lstrip("/"): el.get("ContentType", "")
        for el in parse_xml(read_small_part(archive, "[Content_Types].xml")).iter(
            f"{_CT_NS}Override"
        )
    }
    # openpyxl takes the first part declared with a workbook type (xltm, xltx, xlsm,
    # xlsx in that order), else xl/workbook.xml; every candidate is checked.
    workbooks = [
        part
        for kind in _WORKBOOK_CTS
        for part, ct in overrides.items()
        if ct == kind and part in names
    ] or ["xl/workbook.xml"]
    small = {n for n in names if n in _FIXED_SMALL_PARTS or n.endswith(".rels")}
    small |= set(workbooks)
    sheets = {part for part, ct in overrides.items() if ct == _SHEET_CT}
    sheets |= {n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")}
    strings = {part for part, ct in overrides.items() if ct == _STRINGS_CT}
    strings |= {n for n in names if n == "xl/sharedStrings.xml"}
    for workbook in workbooks:
        rels = posixpath.join(
            posixpath.dirname(workbook), "_rels", posixpath.basename(workbook) + ".rels"
        )
        if rels not in names:
            continue
        for rel in parse_xml(read_small_part(archive, rels)).iter(f"{_REL_NS}Relationship"):
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            target = _resolve(workbook, rel.get("Target", ""))
            if kind == "worksheet":
                sheets.add(target)
            elif kind == "sharedStrings":
                strings.add(target)
    for part in sorted(small & names):
        read_small_part(archive, part)
    for part in sorted(strings & names):
        _check_shared_strings(archive, part)
    for part in sorted(sheets & names):
        _check_worksheet(archive, part)
    return workbooks[0]


def within_limits(rows: Iterator[tuple]) -> Iterator[tuple]:
    """The rows openpyxl reads, refused beyond Excel's limits (rows, columns, characters
    per cell) or :data:`MAX_CELLS`; empty columns past :data:`IMPORT_MAX_COLUMNS` are
    dropped, a value there is refused."""
    cells = 0
    for number, row in enumerate(rows, start=1):
        width = len(row)
        cells += width
        if number > EXCEL_MAX_ROWS:
            raise FileRejected(
                "xlsx_too_many_rows",
                _("The sheet has more than %(limit)s rows (Excel's limit)."),
                {"limit": format_number(EXCEL_MAX_ROWS)},
            )
        if width > EXCEL_MAX_COLUMNS:
            raise FileRejected(
                "xlsx_too_many_columns",
                _("Row %(row)s has %(count)s columns; Excel allows %(limit)s."),
                {
                    "row": format_number(number),
                    "count": format_number(width),
                    "limit": format_number(EXCEL_MAX_COLUMNS),
                },
            )
        if cells > MAX_CELLS:
            raise FileRejected(
                "xlsx_too_many_cells",
                _("The sheet has more than %(limit)s cells: split the file."),
                {"limit": format_number(MAX_CELLS)},
            )
        if width > IMPORT_MAX_COLUMNS:
            beyond = next(
                (i for i, v in enumerate(row[IMPORT_MAX_COLUMNS:]) if v not in (None, "")),
                None,
            )
            if beyond is not None:
                raise FileRejected(
                    "import_too_many_columns",
                    _(
                        "Row %(row)s has a value in column %(column)s; imports read at most"
                        " %(limit)s columns."
                    ),
                    {
                        "row": format_number(number),
                        "column": format_number(IMPORT_MAX_COLUMNS + beyond + 1),
                        "limit": format_number(IMPORT_MAX_COLUMNS),
                    },
                )
            row = row[:IMPORT_MAX_COLUMNS]
        for column, value in enumerate(row, start=1):
            if isinstance(value, str) and len(value) > EXCEL_MAX_CELL_CHARS:
                raise FileRejected(
                    "xlsx_cell_too_long",
                    _(
                        "The cell in row %(row)s, column %(column)s holds %(length)s"
                        " characters; a cell may hold %(limit)s (Excel's limit)."
                    ),
                    {
                        "row": format_number(number),
                        "column": format_number(column),
                        "length": format_number(len(value)),
                        "limit": format_number(EXCEL_MAX_CELL_CHARS),
                    },
                )
        yield row
