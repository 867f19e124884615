"""An extract's rows, read with the registry import's reader.

The file is checked and opened by :mod:`registry.importing.reading` (what it really is,
its encoding and delimiter, xlsx bombs and Excel's limits), its header block is found by
:func:`registry.importing.header.detect_header` (titles above it, merged group titles,
a row of column numbers under it), and its columns are named with the same scoring the
import uses, against the extract's own header words below.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from htxso.core.formatting import format_number
from htxso.core.text import fold

from ..importing.header import _match_score, detect_header
from ..importing.reading import FORMULA, iter_rows, open_source, read_head
from ..importing.workbook_checks import FileRejected
from ..models.extracts import ExtractSourceKind
from ..models.imports import ImportKind

#: More rows than any national extract (34,000 cooperatives + 70,000 groups, twice).
MAX_ROWS = 250_000

ExtractRejected = FileRejected


def _aliases(*words: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in words)


COMMON = {
    "code": _aliases(
        "mã số thuế",
        "mst",
        "mã số htx",
        "mã số doanh nghiệp",
        "mã số hợp tác xã",
        "mã số",
        "mã số đăng ký",
        "tax code",
        "code",
    ),
    "name": _aliases(
        "tên",
        "tên htx",
        "tên hợp tác xã",
        "tên doanh nghiệp",
        "tên tổ chức",
        "tên người nộp thuế",
        "tên nnt",
        "name",
    ),
    "address": _aliases("địa chỉ", "địa chỉ trụ sở", "địa chỉ trụ sở chính", "address"),
    "province": _aliases("tỉnh", "tỉnh thành phố", "tỉnh tp", "province"),
    "changed_on": _aliases(
        "ngày thay đổi",
        "ngày đăng ký thay đổi",
        "ngày thay đổi gần nhất",
        "ngày cập nhật",
        "ngày chuyển trạng thái",
        "ngày thay đổi trạng thái",
        "changed on",
    ),
}
FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    ExtractSourceKind.BUSINESS: {
        **COMMON,
        "kind": _aliases("loại hình", "loại hình tổ chức", "loại hình kinh tế", "kind"),
        "status": _aliases(
            "tình trạng", "trạng thái", "tình trạng hoạt động", "tình trạng pháp lý", "status"
        ),
        "registered_on": _aliases(
            "ngày đăng ký",
            "ngày đăng ký lần đầu",
            "ngày cấp",
            "ngày thành lập",
            "registered on",
        ),
        "ward": _aliases("xã phường", "xã", "phường", "phường xã", "ward"),
        "representative": _aliases(
            "người đại diện",
            "người đại diện theo pháp luật",
            "đại diện pháp luật",
            "giám đốc",
            "representative",
        ),
        "capital": _aliases("vốn điều lệ", "vốn điều lệ đồng", "charter capital", "capital"),
        "vsic": _aliases(
            "ngành nghề",
            "ngành nghề kinh doanh",
            "mã ngành",
            "mã ngành vsic",
            "vsic",
            "ngành nghề kinh doanh chính",
            "business lines",
        ),
    },
    ExtractSourceKind.TAX: {
        **COMMON,
        "status": _aliases(
            "trạng thái",
            "tình trạng",
            "trạng thái mst",
            "trạng thái nnt",
            "tình trạng nnt",
            "tình trạng hoạt động",
            "tax status",
            "status",
        ),
    },
}


def map_columns(headers: list[str], kind: str) -> dict[str, int]:
    """``{field: column}`` from the header names, best matches first (as the import)."""
    scored = []
    for key, aliases in FIELDS[kind].items():
        for col, header in enumerate(headers):
            score = _match_score(header, aliases)
            if score:
                scored.append((score, key, col))
    scored.sort(key=lambda t: (-t[0], t[2]))
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for _score, key, col in scored:
        if key not in mapping and col not in used:
            mapping[key] = col
            used.add(col)
    return mapping


@dataclass
class Table:
    path: Path
    source: object
    data_start: int
    mapping: dict[str, int]
    headers: list[str]

    def rows(self) -> Iterator[tuple[int, dict[str, object]]]:
        """(row number in the file, {field: value}) of every non-empty data row."""
        count = 0
        for number, row in enumerate(iter_rows(self.source), start=1):  # type: ignore[arg-type]
            if number < self.data_start:
                continue
            if not any(v not in (None, "") for v in row):
                continue
            count += 1
            if count > MAX_ROWS:
                raise FileRejected(
                    "extract_too_many_rows",
                    _("The extract has more than %(limit)s rows."),
                    {"limit": format_number(MAX_ROWS)},
                )
            cells = {
                key: (row[col] if col < len(row) and row[col] is not FORMULA else None)
                for key, col in self.mapping.items()
            }
            yield number, cells


def open_table(path: Path, name: str, kind: str) -> Table:
    """Open the extract and find its header; raises :class:`FileRejected`."""
    source = open_source(path, name)
    head = read_head(source, limit=40)
    header = detect_header(head, ImportKind.ORGANISATIONS)
    if header is None:
        raise FileRejected(
            "extract_no_header", _("No header row was found in the first rows of the file.")
        )
    mapping = map_columns(header.headers, kind)
    if "code" not in mapping:
        raise FileRejected(
            "extract_no_code_column",
            _("The extract has no column of tax or cooperative codes (Mã số thuế)."),
        )
    if "name" not in mapping or (kind == ExtractSourceKind.TAX and "status" not in mapping):
        raise FileRejected(
            "extract_columns_missing",
            _("The extract needs at least the code, name and status columns."),
        )
    return Table(path, source, header.data_start, mapping, header.headers)
