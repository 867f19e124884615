"""Services used by members, imported from a file (csv or xlsx): read, check, then write.

:func:`read_service_use` reads an upload within bounds — :data:`MAX_BYTES`, :data:`MAX_ROWS`,
the registry import's checks of what the file really is and of xlsx ZIP/XML bombs
(``registry.importing.reading``), text in UTF-8 (with or without BOM) or UTF-16: a csv
saved in Windows-1258/1252, or UTF-8 text that was once read as Windows-1252 ("Nguyá»…n"),
is refused with a clear message rather than imported garbled.  It returns every row with
the member found (by the registry's membership id or by the citizen ID number — the two
ways the registry identifies a member; the registry import also uses the ID number) or
the row's problem.  Nothing is written.

:func:`service_use_import` writes the checked rows all or nothing, with the same checks as
the page where the manager types the amounts (``services_portal.service_use_record``).
A member of another cooperative is "not found" in this one, like an id that does not
exist: the file does not tell its author what another cooperative has.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from htxso.core import audit
from htxso.core.actors import Actor
from htxso.core.audit import ACTION_LABELS
from htxso.core.errors import Kind, ServiceError
from htxso.core.formatting import ParseError, format_number, parse_vnd
from htxso.core.text import fold
from htxso.registry.importing.reading import (
    CSV,
    CSV_SAMPLE_BYTES,
    FORMULA,
    detect_csv_encoding,
    iter_rows,
    open_source,
)
from htxso.registry.importing.workbook_checks import FileRejected
from htxso.registry.models import Membership, Organisation

from . import services_portal
from .services_portal import FIRST_YEAR, MAX_AMOUNT

ACTION_LABELS.update({"service_use.import": _("Services used by members imported from a file")})

#: A cooperative's file: a few hundred members, a line each.
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
#: Characters of a cell kept for the preview (a name, an id).
MAX_CELL = 200

MEMBER, NAME, YEAR, AMOUNT = "member", "name", "year", "amount"
HEADERS = {
    MEMBER: (
        "member",
        "member id",
        "thanh vien",
        "ma thanh vien",
        "so cccd",
        "cccd",
        "can cuoc",
        "so can cuoc",
        "so dinh danh",
        "id",
    ),
    NAME: ("name", "full name", "ho ten", "ho va ten", "ten", "ten thanh vien"),
    YEAR: ("year", "nam"),
    AMOUNT: (
        "amount",
        "amount vnd",
        "so tien",
        "so tien dong",
        "so tien vnd",
        "gia tri",
        "gia tri dich vu",
        "gia tri dich vu dong",
        "dich vu su dung",
        "dich vu su dung dong",
    ),
}
#: The columns of the template file, in Vietnamese (its header row).
TEMPLATE_HEADER = ("Thành viên (mã hoặc số CCCD)", "Họ tên", "Năm", "Số tiền (đồng)")

#: UTF-8 text once decoded as Windows-1252: "Ã©", "á»…", "Ä'"…
_MOJIBAKE = re.compile(
    "[\u00c2-\u00c6\u00e1][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178"
    "\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]"
)

# row problems (English msgids; the codes are stable)
PROBLEMS = {
    "member_missing": _("No member given."),
    "member_unreadable": _("Write the member's id or citizen ID number (digits only)."),
    "member_unknown": _("No member of this cooperative has this id or ID number."),
    "duplicate": _("The same member is already on row %(row)s."),
    "year_wrong": _("The year must be %(year)s, the year being imported."),
    "amount_missing": _("No amount given."),
    "amount_not_integer": _("The amount must be a whole number of đồng."),
    "amount_negative": _("An amount cannot be negative."),
    "amount_too_large": _("This amount is too large."),
}


@dataclass
class ImportRow:
    row: int  # the line of the file (1 = the first line)
    member_text: str
    name_text: str
    year_text: str
    amount_text: str
    membership_id: int | None = None
    member_name: str = ""  # the registry's name of the member found
    amount: int | None = None
    problem: str = ""  # a code of PROBLEMS, "" when the row is ready
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problem

    @property
    def message(self) -> str:
        if not self.problem:
            return ""
        return (
            str(PROBLEMS[self.problem]) % self.params
            if self.params
            else str(PROBLEMS[self.problem])
        )


@dataclass
class Reading:
    rows: list[ImportRow]
    year: int

    @property
    def ready(self) -> list[ImportRow]:
        return [r for r in self.rows if r.ok]

    @property
    def refused(self) -> list[ImportRow]:
        return [r for r in self.rows if not r.ok]

    @property
    def counts(self) -> dict[str, int]:
        out = {
            "rows": len(self.rows),
            "ready": 0,
            "unknown": 0,
            "duplicate": 0,
            "amount": 0,
            "year": 0,
            "other": 0,
        }
        for r in self.rows:
            if r.ok:
                out["ready"] += 1
            elif r.problem == "member_unknown":
                out["unknown"] += 1
            elif r.problem == "duplicate":
                out["duplicate"] += 1
            elif r.problem.startswith("amount"):
                out["amount"] += 1
            elif r.problem == "year_wrong":
                out["year"] += 1
            else:
                out["other"] += 1
        return out

    @property
    def total(self) -> int:
        return sum(r.amount or 0 for r in self.ready)

    def pairs(self) -> list[tuple[int, int]]:
        """(membership id, amount) of the ready rows, for :func:`service_use_import`."""
        return [(r.membership_id, r.amount) for r in self.ready]  # type: ignore[misc]


def _file_error(code: str, message: Any, params: dict | None = None, **kw: Any) -> ServiceError:
    error = ServiceError(code, message, params, **kw)
    return ServiceError(code, message, params, fields={"file": [error]}, **kw)


def _on_field(exc: ServiceError) -> ServiceError:
    return _file_error(exc.code, exc.message, exc.params, kind=exc.kind)


def _save_upload(upload: Any, path: str) -> None:
    """Copy at most :data:`MAX_BYTES` + 1 bytes of the upload; refuse a larger one."""
    size = getattr(upload, "size", None)
    too_big = _file_error(
        "file_too_large",
        _("The file is larger than %(limit)s MB."),
        {"limit": MAX_BYTES // (1024 * 1024)},
        kind=Kind.TOO_LARGE,
    )
    if isinstance(size, int) and size > MAX_BYTES:
        raise too_big
    written = 0
    with open(path, "wb") as out:
        chunks = (
            upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b"")
        )
        for chunk in chunks:
            written += len(chunk)
            if written > MAX_BYTES:
                raise too_big
            out.write(chunk)
    if written == 0:
        raise _file_error("file_empty", _("The file is empty."))


def _check_encoding(path: str) -> None:
    with open(path, "rb") as fh:
        head = fh.read(CSV_SAMPLE_BYTES)
    if detect_csv_encoding(head) not in ("utf-8", "utf-8-sig", "utf-16"):
        raise _file_error(
            "file_encoding",
            _(
                "The file is not in Unicode (UTF-8): its Vietnamese letters would be garbled."
                " In Excel, save it as “CSV UTF-8”, or upload the .xlsx file."
            ),
        )


def _garbled(text: str) -> bool:
    return bool(_MOJIBAKE.search(text))


def _cell(value: Any) -> str:
    if value is None or value is FORMULA:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e18:
        value = int(value)
    return str(value).strip()[:MAX_CELL]


def _header_key(value: Any) -> str:
    text = fold(_cell(value))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def _columns(header: tuple) -> dict[str, int]:
    found: dict[str, int] = {}
    keys = [_header_key(cell) for cell in header]
    for i, key in enumerate(keys):
        for name, aliases in HEADERS.items():
            if key in aliases and name not in found:
                found[name] = i
    # "Thành viên (mã hoặc số CCCD)", "Số tiền (đồng)": the first words are enough
    for i, key in enumerate(keys):
        for name in (MEMBER, AMOUNT):
            prefixes = [f"{alias} " for alias in HEADERS[name] if " " in alias]
            if name not in found and i not in found.values() and key.startswith(tuple(prefixes)):
                found[name] = i
    missing = [n for n in (MEMBER, YEAR, AMOUNT) if n not in found]
    if missing:
        raise _file_error(
            "file_columns",
            _(
                "The first row must name the columns: member (id or citizen ID number),"
                " year and amount — download the template."
            ),
        )
    return found


def _rows(path: str, name: str) -> Iterator[tuple[int, tuple]]:
    try:
        source = open_source(path, name)
    except FileRejected as exc:
        raise _on_field(exc) from None
    if source.format == CSV:
        _check_encoding(path)
    try:
        for number, row in enumerate(iter_rows(source), start=1):
            if number > MAX_ROWS + 1:
                raise _file_error(
                    "file_too_many_rows",
                    _("The file has more than %(limit)s rows."),
                    {"limit": format_number(MAX_ROWS)},
                    kind=Kind.TOO_LARGE,
                )
            yield number, row
    except FileRejected as exc:
        raise _on_field(exc) from None
    except ServiceError:
        raise
    except Exception as exc:  # a damaged file: say so, never a 500
        raise _file_error(
            "file_unreadable", _("The file cannot be read as a spreadsheet (xlsx or csv).")
        ) from exc


def _member_key(value: Any) -> tuple[str, Any] | None:
    """("id", int) or ("cccd", "012345678901"), None when unreadable."""
    text = _cell(value).replace(" ", "").replace(".", "")
    if not text.isdigit() or not text.isascii():
        return None
    if len(text) in (10, 11) and not isinstance(value, str):
        text = text.zfill(12)  # an ID number typed as a number lost its leading zeros
    if len(text) == 12:
        return ("cccd", text)
    if len(text) > 19:
        return ("id", None)  # past any id: not found
    return ("id", int(text))


def _amount(row: ImportRow, value: Any) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        row.problem = "amount_missing"
        return
    if value is FORMULA:
        row.problem = "amount_not_integer"
        return
    try:
        row.amount = parse_vnd(value, max_value=MAX_AMOUNT)
    except ParseError as exc:
        row.problem = {
            "vnd_negative": "amount_negative",
            "vnd_too_large": "amount_too_large",
            "vnd_empty": "amount_missing",
        }.get(exc.code, "amount_not_integer")


def _year_ok(value: Any, year: int) -> bool:
    text = _cell(value)
    return text.isdigit() and text.isascii() and len(text) <= 4 and int(text) == year


def read_service_use(upload: Any, *, organisation: Organisation, year: int) -> Reading:
    """Every row of the upload checked against ``organisation``'s members (nothing saved).

    Raises a :class:`ServiceError` on the ``file`` field when the file as a whole cannot
    be read; a row's problem is on its :class:`ImportRow`."""
    name = str(getattr(upload, "name", "") or "")
    # openpyxl reads only names ending in .xlsx; what the file is comes from its bytes
    with tempfile.NamedTemporaryFile(prefix="htxso-su-", suffix=".xlsx") as tmp:
        _save_upload(upload, tmp.name)
        rows = _read_rows(tmp.name, name, year)
    if not rows:
        raise _file_error("file_no_rows", _("The file has no row under its header."))
    _match(rows, organisation)
    return Reading(rows, year)


def _read_rows(path: str, name: str, year: int) -> list[ImportRow]:
    columns: dict[str, int] | None = None
    out: list[ImportRow] = []
    for number, raw in _rows(path, name):
        if not any(_cell(c) for c in raw):
            continue
        if columns is None:
            columns = _columns(raw)
            continue

        def at(key: str, raw: tuple = raw, columns: dict[str, int] = columns) -> Any:
            i = columns.get(key)
            return raw[i] if i is not None and i < len(raw) else None

        row = ImportRow(
            number,
            _cell(at(MEMBER)),
            _cell(at(NAME)),
            _cell(at(YEAR)),
            _cell(at(AMOUNT)),
        )
        if _garbled(" ".join((row.name_text, row.member_text))):
            raise _file_error(
                "file_garbled",
                _(
                    "Row %(row)s has garbled letters (like “Nguyá»…n”): the file was"
                    " saved in another encoding. Save it again as “CSV UTF-8” or .xlsx."
                ),
                {"row": number},
            )
        key = _member_key(at(MEMBER))
        if not row.member_text:
            row.problem = "member_missing"
        elif key is None:
            row.problem = "member_unreadable"
        elif not _year_ok(at(YEAR), year):
            row.problem, row.params = "year_wrong", {"year": year}
        else:
            _amount(row, at(AMOUNT))
        row.params.setdefault("_key", key)
        out.append(row)
    return out


def _match(rows: list[ImportRow], organisation: Organisation) -> None:
    keys = [r.params.get("_key") for r in rows]
    ids = [k[1] for k in keys if k and k[0] == "id" and k[1] is not None and k[1] < 2**63]
    cccds = [k[1] for k in keys if k and k[0] == "cccd"]
    members = Membership.objects.filter(organisation=organisation).select_related("person")
    by_id = {m.pk: m for m in members.filter(pk__in=ids)}
    by_cccd: dict[str, Membership] = {}
    # the active membership first, else the latest one
    for m in members.filter(person__citizen_id__in=cccds).order_by("-joined_on", "-pk"):
        current = by_cccd.get(m.person.citizen_id)
        if current is None or (current.left_on is not None and m.left_on is None):
            by_cccd[m.person.citizen_id] = m
    first_row: dict[int, int] = {}
    for row, key in zip(rows, keys, strict=True):
        row.params.pop("_key", None)
        if row.problem in ("member_missing", "member_unreadable") or key is None:
            continue
        member = by_id.get(key[1]) if key[0] == "id" else by_cccd.get(key[1])
        if member is None:
            row.problem, row.params = "member_unknown", {}
            continue
        row.membership_id, row.member_name = member.pk, member.person.full_name
        first = first_row.setdefault(member.pk, row.row)
        if first != row.row:
            row.problem, row.params = "duplicate", {"row": first}


def service_use_import(
    *,
    actor: Actor,
    organisation: Organisation,
    year: int,
    rows: Sequence[tuple[int, int]],
) -> int:
    """Record the services used in ``year`` of every (membership id, đồng) row, all or
    nothing: a member twice, of another cooperative, an amount out of bounds or a year
    whose distribution is approved refuses the whole file.  Returns the rows written."""
    seen: set[int] = set()
    amounts: dict[int, int] = {}
    for pair in rows:
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ServiceError("rows_invalid", _("The rows of the file are wrong."))
        mid, amount = pair
        if isinstance(mid, bool) or not isinstance(mid, int) or not 0 < mid < 2**63:
            raise ServiceError("rows_invalid", _("The rows of the file are wrong."))
        if mid in seen:
            raise ServiceError("duplicate", _("The same member is twice in the file."))
        seen.add(mid)
        amounts[mid] = amount
    if not amounts:
        raise ServiceError("rows_empty", _("The file has no row to import."))
    if isinstance(year, bool) or not isinstance(year, int) or year < FIRST_YEAR:
        raise ServiceError("year", _("Enter a past or the current year."))
    with transaction.atomic():
        written = services_portal.service_use_record(
            actor=actor, organisation=organisation, year=year, amounts=amounts
        )
        audit.record(
            actor=actor,
            action="service_use.import",
            organisation_id=organisation.pk,
            province=organisation.province_id,
            after={"year": year, "rows": len(amounts), "written": written},
        )
    return written
