"""Reading one cell into a typed value, or a precisely worded problem."""

from __future__ import annotations

import contextlib
import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from htxso.core.codes import CodeError, validate_tax_code
from htxso.core.formatting import ParseError, parse_date, parse_decimal, parse_vnd
from htxso.core.text import TextError, clean_text, fold, read_legacy_cell

from . import fields as F
from .reading import ERROR_VALUES, FORMULA

ERROR, WARNING = "error", "warning"
#: Not a problem: what the import did to a cell (text converted from TCVN3/VNI).
NOTE = "note"
#: How the legacy encodings are named to officers (proper names, not translated).
ENCODING_NAMES = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI"}
EARLIEST_DATE = dt.date(1945, 1, 1)


def msgid_of(message) -> str:
    """The English msgid behind a lazy translation, so problems can be stored as data
    and shown later in the reader's language."""
    args = getattr(message, "_args", None)
    return args[0] if args else str(message)


@dataclass
class Problem:
    code: str
    message: str  # English msgid
    params: dict = field(default_factory=dict)
    column: str = ""
    severity: str = ERROR

    @classmethod
    def of(cls, exc, column: str = "", severity: str = ERROR) -> Problem:
        params = {k: str(v) for k, v in (getattr(exc, "params", None) or {}).items()}
        return cls(exc.code, msgid_of(exc.message), params, column, severity)

    @classmethod
    def new(cls, code: str, message, /, column: str = "", severity: str = ERROR, **params):
        return cls(
            code, msgid_of(message), {k: str(v) for k, v in params.items()}, column, severity
        )

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "message": self.message,
            "params": self.params,
            "column": self.column,
            "severity": self.severity,
        }


def render(problem: dict) -> str:
    """A stored problem in the active language, with the column it concerns."""
    text = gettext(problem["message"])
    with contextlib.suppress(KeyError, ValueError, TypeError):
        text = text % problem["params"] if problem.get("params") else text
    column = problem.get("column")
    return f"{column}: {text}" if column else text


class CellError(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.code)


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_value(
    spec: F.FieldSpec,
    value,
    column: str,
    encoding: str | None,
    today: dt.date,
    notes: list | None = None,
):
    """The typed value of one cell (``None`` when blank); raises :class:`CellError`.

    ``encoding``: the legacy encoding the column's first rows were mostly typed in
    (``None`` for a Unicode column); text cells are still read one by one.  What was
    done to the cell (converted from TCVN3/VNI) or should be checked is appended to
    ``notes`` as a :data:`NOTE` or :data:`WARNING` problem."""
    if value is FORMULA:
        raise CellError(
            Problem.new(
                "cell_formula",
                _(
                    "The cell holds a formula without a computed value: open the file in"
                    " Excel, save it, and import it again."
                ),
                column,
            )
        )
    if isinstance(value, str) and value.strip() in ERROR_VALUES:
        raise CellError(
            Problem.new(
                "cell_error",
                _("The cell holds the spreadsheet error %(error)s; correct the formula."),
                column,
                error=value.strip(),
            )
        )
    if is_blank(value):
        return None
    try:
        if spec.type in (F.TEXT, F.CHOICE):
            text = value if isinstance(value, str) else _number_text(value)
            text = legacy_to_unicode(text, encoding, column, notes)
            if text.isprintable():  # no control, invisible or unusual space: the fast path
                text = " ".join(unicodedata.normalize("NFC", text).split())
            else:
                text = clean_text(text, multiline=spec.max_length > 255)
            if len(text) > spec.max_length:
                raise CellError(
                    Problem.new(
                        "text_too_long",
                        _("The text is too long (at most %(max)s characters)."),
                        column,
                        max=spec.max_length,
                    )
                )
            return text
        if spec.type == F.TAX_CODE:
            return validate_tax_code(_number_text(value) if not isinstance(value, str) else value)
        if spec.type == F.DATE:
            return _date(value, column, today)
        if spec.type == F.YEAR:
            year = int(parse_decimal(value))
            if not 1990 <= year <= today.year:
                raise CellError(
                    Problem.new(
                        "year_range",
                        _("The year %(year)s is outside 1990–%(last)s."),
                        column,
                        year=year,
                        last=today.year,
                    )
                )
            return year
        if spec.type == F.MONEY:
            if spec.scale != 1:
                amount = _scaled_amount(spec, value, column)
            else:
                amount = parse_vnd(value, allow_negative=spec.allow_negative, max_value=10**15)
            _check_max(spec, amount, column)
            return amount
        if spec.type == F.INTEGER:
            number = parse_decimal(value)
            if number != number.to_integral_value():
                raise CellError(Problem.new("integer_fraction", _("Enter a whole number."), column))
            if number < 0:
                raise CellError(
                    Problem.new("integer_negative", _("The number cannot be negative."), column)
                )
            _check_max(spec, int(number), column)
            return int(number)
        if spec.type == F.BOOLEAN:
            return _boolean(value, column)
    except (CodeError, ParseError, TextError) as exc:
        raise CellError(Problem.of(exc, column)) from None
    raise AssertionError(spec.type)  # pragma: no cover


_converted_notes: dict[tuple[str, str], Problem] = {}


def legacy_to_unicode(
    text: str, encoding: str | None = None, column: str = "", notes: list | None = None
) -> str:
    """One text cell as Unicode, decided for the cell alone (:func:`read_legacy_cell`):
    provincial files mix Unicode, TCVN3 and VNI rows in one column.

    A conversion is reported in ``notes``; a cell that reads as plausible Vietnamese in
    both legacy encodings (or in neither, though better than as typed) raises
    :class:`CellError` with the readings — a wrong guess would store a garbled name
    without anyone noticing.  A cell kept as typed that would also read as Vietnamese
    in a legacy encoding gets a warning when the column holds legacy text
    (``encoding``)."""
    if text.isascii() or max(text) > "\u00ff":
        return text
    reading = read_legacy_cell(text)
    if reading.unsure:
        raise CellError(
            Problem.new(
                "legacy_unsure",
                _(
                    "It is not clear how “%(value)s” was typed: %(readings)s. Retype the"
                    " cell in Unicode."
                ),
                column,
                value=text,
                readings=_readings(reading.candidates),
            )
        )
    if reading.encoding:
        if notes is not None:
            key = (column, reading.encoding)
            note = _converted_notes.get(key)
            if note is None:  # one shared object per column and encoding
                note = Problem.new(
                    "legacy_converted",
                    _("Converted from %(encoding)s."),
                    column,
                    NOTE,
                    encoding=ENCODING_NAMES[reading.encoding],
                )
                if len(_converted_notes) < 1000:
                    _converted_notes[key] = note
            notes.append(note)
        return reading.text
    if encoding and reading.candidates and notes is not None:
        notes.append(
            Problem.new(
                "legacy_maybe",
                _(
                    "Kept as typed, “%(value)s”; this column also holds text typed in old"
                    " fonts, and the cell would read %(readings)s. Check it."
                ),
                column,
                WARNING,
                value=text,
                readings=_readings(reading.candidates),
            )
        )
    return text


def _readings(candidates) -> str:
    return "; ".join(f"{ENCODING_NAMES.get(enc, enc)}: “{text}”" for enc, text in candidates)


def _scaled_amount(spec: F.FieldSpec, value, column: str) -> int:
    """An amount in thousands, millions… of đồng ("1.234,5" triệu đồng = 1,234,500,000
    đồng), with the checks of :func:`parse_vnd`."""
    number = parse_decimal(value) * spec.scale
    if number != number.to_integral_value():
        raise CellError(
            Problem.new("vnd_fraction", _("Amounts are whole dong; remove the decimals."), column)
        )
    if number < 0 and not spec.allow_negative:
        raise CellError(Problem.new("vnd_negative", _("The amount cannot be negative."), column))
    return int(number)  # the caller checks the field's maximum


def _check_max(spec: F.FieldSpec, amount: int, column: str) -> None:
    if spec.maximum is not None and abs(amount) > spec.maximum:
        from htxso.core.formatting import format_number

        raise CellError(
            Problem.new(
                "amount_absurd",
                _("%(value)s is not plausible here (more than %(max)s)."),
                column,
                value=format_number(amount),
                max=format_number(spec.maximum),
            )
        )


def _number_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _date(value, column: str, today: dt.date) -> dt.date:
    if isinstance(value, int | float) and not isinstance(value, bool) and 1900 <= value <= 2100:
        year = int(value)  # a year alone ("Năm thành lập": 2015)
        result = dt.date(year, 1, 1)
    elif isinstance(value, str) and value.strip().isdigit() and len(value.strip()) == 4:
        result = dt.date(int(value.strip()), 1, 1)
    else:
        result = parse_date(value)
    if result > today:
        raise CellError(
            Problem.new(
                "date_future",
                _("The date %(date)s is in the future."),
                column,
                date=result.strftime("%d/%m/%Y"),
            )
        )
    if result < EARLIEST_DATE:
        raise CellError(
            Problem.new(
                "date_too_early",
                _("The date %(date)s is implausibly early."),
                column,
                date=result.strftime("%d/%m/%Y"),
            )
        )
    return result


_TRUE = {"co", "x", "yes", "true", "1", "dung", "v", "✓", "y"}
_FALSE = {"khong", "no", "false", "0", "sai", "n", "-"}


def _boolean(value, column: str) -> bool:
    if isinstance(value, bool):
        return value
    key = fold(str(value)).strip()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError(
        Problem.new(
            "boolean_invalid",
            _("Write “có” or “không” (yes or no), not %(value)s."),
            column,
            value=str(value)[:40],
        )
    )
