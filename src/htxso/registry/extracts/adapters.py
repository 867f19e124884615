"""Sources of extracts: each yields normalised :class:`Record` rows for one reconcile step.

A file extract (Excel/CSV from the business-registration office or the tax office) is
what officers receive today.  A live connector to the national systems implements the
same :class:`ExtractSource` protocol later: it yields the same records, and everything
behind it (reconciling, review, applying, history) stays as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from django.utils.translation import gettext_noop

from htxso.core.codes import CodeError, validate_tax_code
from htxso.core.formatting import ParseError, parse_date, parse_vnd
from htxso.core.text import clean_text, fold

from ..models.extracts import ExtractSourceKind, TaxStatus
from ..models.organisations import OrganisationKind, OrganisationStatus
from . import reading

#: The extract's own registration status "revoked" (certificate withdrawn): the registry
#: records it as dissolved, the record keeps the word.
REVOKED = "revoked"
MAX_CAPITAL = 10**13


@dataclass
class Record:
    """One organisation as an extract says it is (already cleaned)."""

    row: int
    code: str = ""
    code_error: str = ""  # the code's problem (check digit, format), "" when valid
    name: str = ""
    kind: str = ""
    status: str = ""  # OrganisationStatus value or ``REVOKED``; "" unknown
    registered_on: dt.date | None = None
    changed_on: dt.date | None = None
    address: str = ""
    ward_name: str = ""
    province_name: str = ""
    representative: str = ""
    charter_capital: int | None = None
    vsic: list[str] = field(default_factory=list)
    tax_status: str = ""
    problems: list[str] = field(default_factory=list)  # English msgids

    def as_dict(self) -> dict:
        out = dict(self.__dict__)
        for key in ("registered_on", "changed_on"):
            value = out[key]
            out[key] = value.isoformat() if value else None
        return out


class ExtractSource(Protocol):
    """What reconciling needs from a source of extracts.

    ``kind`` is an :class:`ExtractSourceKind` value; :meth:`records` yields every
    organisation of the extract as a :class:`Record` (row numbers as the source counts
    them), raising :class:`reading.ExtractRejected` when the whole source is unusable.
    A live API adapter pages through the remote system inside :meth:`records`.
    """

    kind: str

    def records(self) -> Iterator[Record]: ...


# ----------------------------------------------------------------- cell readers
_STATUS_WORDS = (
    # most specific first (folded text)
    ("thu hoi", REVOKED),
    ("revoked", REVOKED),
    ("dang giai the", OrganisationStatus.DISSOLVING),
    ("dang lam thu tuc giai the", OrganisationStatus.DISSOLVING),
    ("dissolving", OrganisationStatus.DISSOLVING),
    ("giai the", OrganisationStatus.DISSOLVED),
    ("dissolved", OrganisationStatus.DISSOLVED),
    ("cham dut", OrganisationStatus.DISSOLVED),
    ("tam ngung", OrganisationStatus.SUSPENDED),
    ("ngung hoat dong", OrganisationStatus.SUSPENDED),
    ("suspended", OrganisationStatus.SUSPENDED),
    ("hoat dong", OrganisationStatus.ACTIVE),
    ("active", OrganisationStatus.ACTIVE),
)
_TAX_WORDS = (
    ("khong hoat dong tai dia chi", TaxStatus.LEFT_ADDRESS),
    ("bo dia chi", TaxStatus.LEFT_ADDRESS),
    ("left", TaxStatus.LEFT_ADDRESS),
    ("chua hoan thanh thu tuc", TaxStatus.CLOSING),
    ("cho cham dut", TaxStatus.CLOSING),
    ("closing", TaxStatus.CLOSING),
    ("tam ngung", TaxStatus.SUSPENDED),
    ("suspended", TaxStatus.SUSPENDED),
    ("ngung hoat dong", TaxStatus.STOPPED),
    ("cham dut", TaxStatus.STOPPED),
    ("stopped", TaxStatus.STOPPED),
    ("ceased", TaxStatus.STOPPED),
    ("dang hoat dong", TaxStatus.ACTIVE),
    ("hoat dong", TaxStatus.ACTIVE),
    ("active", TaxStatus.ACTIVE),
)
_KIND_WORDS = (
    ("lien hiep", OrganisationKind.UNION),
    ("union", OrganisationKind.UNION),
    ("to hop tac", OrganisationKind.GROUP),
    ("tht", OrganisationKind.GROUP),
    ("group", OrganisationKind.GROUP),
    ("hop tac xa", OrganisationKind.COOPERATIVE),
    ("htx", OrganisationKind.COOPERATIVE),
    ("cooperative", OrganisationKind.COOPERATIVE),
)
_VSIC = re.compile(r"(?<![\d])(\d{2,5})(?![\d])")


def _word(value: object, words: tuple[tuple[str, str], ...]) -> str:
    text = f" {fold(str(value or ''))} "
    for needle, result in words:
        if f" {needle} " in text:
            return result
    return ""


def _text(value: object, limit: int) -> str:
    if value is None:
        return ""
    return clean_text(str(value))[:limit]


def read_code(value: object) -> tuple[str, str]:
    """(code, problem code) — a number that lost its leading zero in Excel gets it back."""
    if value is None or value == "":
        return "", "tax_code_empty"
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(int(value)).zfill(10) if value < 10**10 else str(int(value))
    text = clean_text(str(value))[:32]
    try:
        return validate_tax_code(text), ""
    except CodeError as exc:
        digits = "".join(ch for ch in text if ch.isdigit() or ch == "-")[:32]
        return digits or text, exc.code


def read_vsic(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [str(int(value)).zfill(4)]
    seen: list[str] = []
    for code in _VSIC.findall(str(value)):
        if code not in seen:
            seen.append(code)
    return seen[:50]


def _date(value: object, problems: list[str], label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return parse_date(value, allow_future=False)
    except ParseError:
        problems.append(label)
        return None


def _capital(value: object, problems: list[str]) -> int | None:
    if value in (None, ""):
        return None
    try:
        return parse_vnd(value, max_value=MAX_CAPITAL)  # type: ignore[arg-type]
    except ParseError:
        problems.append(gettext_noop("The charter capital is not an amount in dong."))
        return None


# ----------------------------------------------------------------- file adapters
class FileExtract:
    """An extract read from an uploaded xlsx/csv file (the registry import's reader)."""

    kind = ""

    def __init__(self, path: str | Path, name: str = "") -> None:
        self.path, self.name = Path(path), name or Path(path).name

    def records(self) -> Iterator[Record]:
        table = reading.open_table(self.path, self.name, self.kind)
        for number, cells in table.rows():
            yield self.record(number, cells)

    def record(self, number: int, cells: dict[str, object]) -> Record:  # pragma: no cover
        raise NotImplementedError


class BusinessRegistrationFile(FileExtract):
    """The business-registration office's extract of cooperatives, groups and unions."""

    kind = ExtractSourceKind.BUSINESS

    def record(self, number: int, cells: dict[str, object]) -> Record:
        problems: list[str] = []
        code, code_error = read_code(cells.get("code"))
        return Record(
            row=number,
            code=code,
            code_error=code_error,
            name=_text(cells.get("name"), 255),
            kind=_word(cells.get("kind"), _KIND_WORDS) or _word(cells.get("name"), _KIND_WORDS),
            status=_word(cells.get("status"), _STATUS_WORDS),
            registered_on=_date(
                cells.get("registered_on"),
                problems,
                gettext_noop("The registration date is not a date."),
            ),
            changed_on=_date(
                cells.get("changed_on"), problems, gettext_noop("The change date is not a date.")
            ),
            address=_text(cells.get("address"), 255),
            ward_name=_text(cells.get("ward"), 100),
            province_name=_text(cells.get("province"), 100),
            representative=_text(cells.get("representative"), 150),
            charter_capital=_capital(cells.get("capital"), problems),
            vsic=read_vsic(cells.get("vsic")),
            problems=problems,
        )


class TaxFile(FileExtract):
    """The tax office's extract: code, name, tax status (and the date of that status)."""

    kind = ExtractSourceKind.TAX

    def record(self, number: int, cells: dict[str, object]) -> Record:
        problems: list[str] = []
        code, code_error = read_code(cells.get("code"))
        return Record(
            row=number,
            code=code,
            code_error=code_error,
            name=_text(cells.get("name"), 255),
            tax_status=_word(cells.get("status"), _TAX_WORDS),
            changed_on=_date(
                cells.get("changed_on"), problems, gettext_noop("The change date is not a date.")
            ),
            address=_text(cells.get("address"), 255),
            province_name=_text(cells.get("province"), 100),
            problems=problems,
        )


ADAPTERS: dict[str, type[FileExtract]] = {
    ExtractSourceKind.BUSINESS: BusinessRegistrationFile,
    ExtractSourceKind.TAX: TaxFile,
}


def file_source(kind: str, path: str | Path, name: str = "") -> FileExtract:
    return ADAPTERS[kind](path, name)
