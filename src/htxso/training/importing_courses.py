"""Reading a list of participants from Excel or CSV (the staff's "import a list").

The file goes through the registry import's reading machinery
(``registry.importing.reading``: what the file really is, size and zip-bomb limits,
csv encodings of Vietnamese text, streamed xlsx rows).  This module finds the header
row, reads each row into an :class:`ImportRow` and says, per row and in the person's
language, what is wrong.  Nothing is saved here: the page shows the preview, and the
confirmed rows go to ``services_courses.enrol_imported`` (all or nothing).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from htxso.accounts.phones import parse_vn_phone
from htxso.core.codes import CodeError, validate_cccd
from htxso.core.errors import ServiceError
from htxso.core.text import TextError, clean_text, fold, to_unicode
from htxso.registry.importing.reading import FORMULA, FileRejected, iter_rows, open_source

#: A list imported at once has at most this many participants (a course's hall).
MAX_ROWS = 500
#: The header is looked for in the first rows.
HEADER_ROWS = 10
#: Header words (folded) → field.
HEADERS: dict[str, str] = {
    "ho va ten": "full_name",
    "ho ten": "full_name",
    "full name": "full_name",
    "name": "full_name",
    "ten": "full_name",
    "nam sinh": "birth_year",
    "ngay sinh": "birth_year",
    "birth year": "birth_year",
    "year of birth": "birth_year",
    "gioi tinh": "sex",
    "sex": "sex",
    "so dien thoai": "phone",
    "dien thoai": "phone",
    "sdt": "phone",
    "phone": "phone",
    "cccd": "citizen_id",
    "so cccd": "citizen_id",
    "can cuoc": "citizen_id",
    "can cuoc cong dan": "citizen_id",
    "citizen id": "citizen_id",
    "ma so thue htx": "tax_code",
    "ma so thue": "tax_code",
    "mst": "tax_code",
    "tax code": "tax_code",
}
_SEX = {"nu": "female", "female": "female", "f": "female", "nam": "male", "male": "male"}


@dataclass
class ImportRow:
    number: int
    full_name: str = ""
    birth_year: int | None = None
    sex: str = ""
    phone: str = ""
    citizen_id: str = ""
    tax_code: str = ""
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Preview:
    rows: list[ImportRow]

    @property
    def problems(self) -> int:
        return sum(1 for r in self.rows if r.problems)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problems


def _cell(value: Any) -> str:
    if value is None or value is FORMULA:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return to_unicode(str(value))


def _header(rows: list[tuple]) -> tuple[int, dict[int, str]] | None:
    for index, row in enumerate(rows[:HEADER_ROWS]):
        mapping = {}
        for col, value in enumerate(row):
            key = HEADERS.get(fold(_cell(value)))
            if key and key not in mapping.values():
                mapping[col] = key
        if "full_name" in mapping.values():
            return index, mapping
    return None


def _birth_year(raw: str, row: ImportRow) -> None:
    if not raw:
        return
    text = raw.strip()
    year = None
    if text.isdigit() and len(text) == 4:
        year = int(text)
    else:
        for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%d-%m-%Y"):
            try:
                year = dt.datetime.strptime(text, fmt).year
                break
            except ValueError:
                continue
    this_year = timezone.localdate().year
    if year is None or not this_year - 100 <= year <= this_year - 10:
        row.problems.append(
            _("year of birth “%(value)s” is not a year like 1998") % {"value": text[:20]}
        )
        return
    row.birth_year = year


def read_row(number: int, values: dict[str, str]) -> ImportRow:
    row = ImportRow(number=number)
    try:
        row.full_name = clean_text(values.get("full_name", ""), max_length=150)
    except TextError:
        row.problems.append(_("the name is too long or has unreadable characters"))
    if not row.full_name:
        row.problems.append(_("the name is missing"))
    elif set("<>{}\\") & set(row.full_name):
        row.problems.append(_("the name has symbols like < > { }"))
    _birth_year(values.get("birth_year", ""), row)
    sex = fold(values.get("sex", ""))
    if sex:
        if sex not in _SEX:
            row.problems.append(_("sex should be “Nam” or “Nữ”"))
        else:
            row.sex = _SEX[sex]
    phone = values.get("phone", "").strip()
    if phone:
        try:
            row.phone = parse_vn_phone(phone, mobile=False)
        except ServiceError:
            row.problems.append(
                _("the phone number “%(value)s” is not valid") % {"value": phone[:20]}
            )
    cccd = values.get("citizen_id", "").strip()
    if cccd:
        try:
            row.citizen_id = validate_cccd(cccd).number
        except CodeError as exc:
            row.problems.append(_("citizen ID: %(problem)s") % {"problem": exc.text})
    tax = values.get("tax_code", "").strip()
    if tax:
        row.tax_code = tax.replace(" ", "")[:14]
    return row


def read_upload(upload: Any) -> Preview:
    """Read an uploaded file into rows with their problems; raises
    :class:`ServiceError` when the file cannot be read at all."""
    suffix = os.path.splitext(getattr(upload, "name", "") or "")[1][:8]
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        try:
            source = open_source(tmp.name, getattr(upload, "name", "") or "")
            return _read(source)
        except FileRejected:
            raise
        except (OSError, ValueError, KeyError) as exc:
            if isinstance(exc, ServiceError):
                raise
            raise ServiceError(
                "file_unreadable", gettext_lazy("The file cannot be read: save it again as xlsx.")
            ) from exc


def _read(source: Any) -> Preview:
    rows: list[tuple] = []
    header = None
    out: list[ImportRow] = []
    for number, values in enumerate(iter_rows(source), start=1):
        if header is None:
            rows.append(values)
            if len(rows) > HEADER_ROWS:
                break
            found = _header(rows)
            if found is not None:
                header = found
            continue
        cells = {key: _cell(values[col]) for col, key in header[1].items() if col < len(values)}
        if not any(v.strip() for v in cells.values()):
            continue
        if len(out) >= MAX_ROWS:
            raise ServiceError(
                "import_too_many_rows",
                gettext_lazy("A list has at most %(max)s participants; split the file."),
                {"max": MAX_ROWS},
            )
        out.append(read_row(number, cells))
    if header is None:
        raise ServiceError(
            "import_no_header",
            gettext_lazy(
                "No header row found: the first rows must name the columns, at least "
                "“Họ và tên”. If the letters look wrong, save the file as UTF-8 or xlsx."
            ),
        )
    if not out:
        raise ServiceError("import_empty", gettext_lazy("The list has no participant."))
    return Preview(out)


def rows_from_session(data: list[dict[str, Any]]) -> list[ImportRow]:
    """The confirmed rows kept between preview and confirmation."""
    rows = []
    for item in data[:MAX_ROWS]:
        rows.append(
            ImportRow(
                number=int(item.get("number", 0)),
                full_name=str(item.get("full_name", ""))[:150],
                birth_year=item.get("birth_year"),
                sex=str(item.get("sex", ""))[:10],
                phone=str(item.get("phone", ""))[:15],
                citizen_id=str(item.get("citizen_id", ""))[:12],
                tax_code=str(item.get("tax_code", ""))[:14],
            )
        )
    return rows
