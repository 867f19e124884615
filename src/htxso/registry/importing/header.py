"""Finding the header of a sheet and suggesting which column is which field.

Real files start with titles ("DANH SÁCH HTX TỈNH …"), have two header rows where a
merged group title ("Địa chỉ") sits over sub-headers ("Xã", "Huyện"), and often a row
of column numbers "(1) (2) (3)" under the header.  read-only openpyxl cannot see merged
cells (only the top-left cell has the value), so the header block is found by
heuristics: the first row whose cells are mostly text and wide enough, or that names
known fields; a second header row is combined with it when it also names fields or
fills the gaps of a merged first row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from htxso.core.text import fold, to_unicode

from .fields import fields_for

SCAN_ROWS = 30
_NUMBERING = re.compile(r"^\(?\s*\d{1,3}\s*\)?$")


@dataclass
class Header:
    row: int  # 1-based number of the last header row
    first_row: int  # 1-based number of the first header row
    headers: list[str]
    data_start: int  # 1-based number of the first data row

    @property
    def signature(self) -> str:
        return header_signature(self.headers)


def header_signature(headers: list[str]) -> str:
    joined = "\x1f".join(fold(h) for h in headers)
    return hashlib.sha256(joined.encode()).hexdigest()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return to_unicode(" ".join(value.split()))
    return str(value)


def _is_text(value) -> bool:
    if not isinstance(value, str):
        return False
    s = value.strip()
    return bool(s) and not re.fullmatch(r"[\d\s.,/()-]+", s)


def _alias_hits(values, aliases: set[str]) -> int:
    return sum(1 for v in values if v is not None and fold(_text(v)) in aliases)


def _all_aliases(kind: str) -> set[str]:
    return {a for f in fields_for(kind) for a in f.aliases}


def detect_header(rows: list[tuple], kind: str) -> Header | None:
    """Find the header block in the first rows; ``None`` when nothing looks like one."""
    rows = rows[:SCAN_ROWS]
    if not rows:
        return None
    aliases = _all_aliases(kind)
    widths = [sum(1 for v in r if v not in (None, "")) for r in rows]
    widest = max(widths) if widths else 0
    if widest == 0:
        return None
    start = None
    for i, row in enumerate(rows):
        if widths[i] >= 2 and _alias_hits(row, aliases) >= 2:
            start = i
            break
    if start is None:
        for i, row in enumerate(rows):
            texts = sum(1 for v in row if _is_text(v))
            if widths[i] >= max(2, widest // 2) and texts >= 0.8 * widths[i]:
                start = i
                break
    if start is None:
        return None
    top = list(rows[start])
    last = start
    if start + 1 < len(rows) and _is_second_header(top, rows[start + 1], aliases):
        last = start + 1
    width = max(len(r) for r in rows[start : last + 1])
    top += [None] * (width - len(top))
    if last == start:
        headers = [_text(v) for v in top]
    else:
        sub = list(rows[last]) + [None] * (width - len(rows[last]))
        headers, group = [], ""
        for t, s in zip(top, sub, strict=False):
            if t not in (None, ""):
                group = _text(t)
            elif s in (None, ""):
                group = ""
            sub_text = _text(s)
            own_top = _text(t)
            if sub_text and (own_top or group):
                headers.append(f"{own_top or group} / {sub_text}")
            else:
                headers.append(sub_text or own_top)
    data_start = last + 1
    if data_start < len(rows) and _is_numbering(rows[data_start]):
        data_start += 1
    # strip trailing empty columns
    while headers and not headers[-1]:
        headers.pop()
    return Header(last + 1, start + 1, headers, data_start + 1)


def _is_second_header(top: list, nxt: tuple, aliases: set[str]) -> bool:
    filled = [v for v in nxt if v not in (None, "")]
    if not filled or not all(_is_text(v) for v in filled):
        return False
    if _is_numbering(nxt):
        return False
    if _alias_hits(nxt, aliases) >= 1 and _alias_hits(nxt, aliases) >= _alias_hits(top, aliases):
        return True
    # a merged group title leaves gaps in the first row that the second row fills
    gaps = [
        i
        for i, v in enumerate(nxt)
        if v not in (None, "") and (i >= len(top) or top[i] in (None, ""))
    ]
    return bool(gaps) and _alias_hits(nxt, aliases) >= 1


def _is_numbering(row: tuple) -> bool:
    filled = [v for v in row if v not in (None, "")]
    if len(filled) < 2:
        return False
    return all(
        (isinstance(v, int | float) and not isinstance(v, bool) and 0 < v < 1000)
        or (isinstance(v, str) and _NUMBERING.match(v.strip()))
        for v in filled
    )


def _match_score(header: str, aliases: tuple[str, ...]) -> float:
    """How well a header names a field: 3 exact, 2 starts with, 1 contains, 0 none.
    A combined header "Địa chỉ / Xã/phường" is judged by its sub-header first."""
    full = fold(header)
    if not full:
        return 0
    last = fold(header.split(" / ")[-1])
    best = 0.0
    for alias in aliases:
        bonus = len(alias) / 100
        if last == alias or full == alias:
            best = max(best, 3 + bonus)
        elif last.startswith(alias + " ") or full.startswith(alias + " "):
            best = max(best, 2 + bonus)
        elif len(alias) > 3 and f" {alias} " in f" {full} ":
            best = max(best, 1 + bonus)
    return best


def suggest_mapping(headers: list[str], kind: str) -> dict[str, int]:
    """``{field key: column index}`` from the header names, best matches first."""
    scored = []
    for field in fields_for(kind, headers):
        if field.column is not None:  # a year's figure, read from its own column
            scored.append((5.0, field.key, field.column))
            continue
        for col, header in enumerate(headers):
            score = _match_score(header, field.aliases)
            if score:
                scored.append((score, field.key, col))
    scored.sort(key=lambda t: -t[0])
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for _score, key, col in scored:
        if key in mapping or col in used:
            continue
        mapping[key] = col
        used.add(col)
    return mapping


def preview_rows(rows: list[tuple], header: Header, limit: int = 5) -> list[list[str]]:
    """A few data rows as text, for showing next to the mapping form."""
    out = []
    for row in rows[header.data_start - 1 :]:
        if not any(v not in (None, "") for v in row):
            continue
        out.append([_display(v) for v in row[: len(header.headers)]])
        if len(out) >= limit:
            break
    return out


def _display(value) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return _text(value)[:80]
