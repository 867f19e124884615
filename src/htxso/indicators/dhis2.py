"""DHIS2 ``dataValueSets`` documents from plain rows, and their validation.

Nothing here reads the database: :func:`build_data_value_set` takes rows of
(indicator, DHIS2 data element code, period, org unit, disaggregation cell, value) and
gives the JSON document DHIS2's ``POST /api/dataValueSets`` accepts with the CODE
identifier scheme; :func:`validate` checks a document against
``schemas/dhis2_datavalueset.schema.json`` (JSON Schema 2020-12, written from the DHIS2
Web API documentation).  ``exports.py`` feeds it the cached values of a framework.

How a cell becomes DHIS2 identifiers (the mapping is data, below, and documented in
``docs/api/dhis2.md``):

- the ``province`` part of a cell becomes the **org unit** (the province's code); a cell
  without one stays on the document's org unit (the province exported, or
  :data:`NATIONAL_ORG_UNIT`);
- the other parts become one **category option combo** code: for each disaggregation in
  the fixed order of :data:`CATEGORIES`, ``<category code>_<option code>``, joined by
  ``__`` (``sex=female|age_band=15_24`` → ``SEX_F__AGE_15_24``); the total (no part
  left) is DHIS2's ``default`` combo.  Option codes come from :data:`OPTIONS`; a value
  not listed there is written in capitals with ``_`` for anything but letters and digits.

Values are written as text without exponent or trailing zeros; a value of ``None``
("no data") is left out, never sent as 0.  Anything that would make the document wrong
or partial (an indicator without a DHIS2 code, an unknown disaggregation, two cells on
the same identifiers with different values, no value at all) raises
:class:`~htxso.core.errors.ServiceError` naming what is wrong; nothing is returned.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from htxso.core.errors import ServiceError

__all__ = [
    "CATEGORIES",
    "DEFAULT_COMBO",
    "NATIONAL_ORG_UNIT",
    "OPTIONS",
    "SCHEMA_PATH",
    "ExportRow",
    "build_data_value_set",
    "category_option_combo",
    "format_value",
    "parse_cell",
    "split_cell",
    "validate",
]

SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "dhis2_datavalueset.schema.json"

#: The org unit code of the whole country (a national framework's own values).
NATIONAL_ORG_UNIT = "VN"
#: DHIS2's category option combo of values without disaggregation.
DEFAULT_COMBO = "default"
#: The disaggregation that becomes the org unit instead of a category.
ORG_UNIT_KEY = "province"
#: Disaggregation key → DHIS2 category code, in the order they appear in a combo code.
CATEGORIES: dict[str, str] = {
    "sex": "SEX",
    "age_band": "AGE",
    "ethnicity": "ETH",
    "sector": "SEC",
}
#: Disaggregation key → {value in a cell → DHIS2 category option code}.  Ethnicities
#: keep their two-digit code of the General Statistics Office ("01" Kinh).
OPTIONS: dict[str, dict[str, str]] = {
    "sex": {"female": "F", "male": "M", "other": "O", "unknown": "U"},
    "age_band": {
        "under15": "LT15",
        "15_24": "15_24",
        "25_34": "25_34",
        "35_54": "35_54",
        "55_up": "GE55",
        "unknown": "U",
    },
    "ethnicity": {"other": "OTH", "unknown": "U", "suppressed": "SUP"},
    "sector": {
        "agriculture": "AGR",
        "forestry": "FOR",
        "fishery": "FSH",
        "industry": "IND",
        "construction": "CON",
        "trade": "TRD",
        "transport": "TRN",
        "credit": "CRD",
        "tourism": "TOU",
        "environment": "ENV",
        "other": "OTH",
        "unknown": "U",
    },
}
#: Longest option code made from an unlisted value.
MAX_OPTION = 16
MAX_CODE = 50
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,49}$")
_NOT_CODE = re.compile(r"[^A-Z0-9]+")
_VALUE_TEXT = re.compile(r"^[A-Za-z0-9_.+\-]{1,40}$")
KNOWN_KEYS = (*CATEGORIES, ORG_UNIT_KEY)


@dataclass(frozen=True)
class ExportRow:
    """One cached value: ``indicator`` is our code (named in errors), ``data_element``
    its DHIS2 code ("" = none), ``org_unit`` the DHIS2 code of the row's place."""

    indicator: str
    data_element: str
    period: str
    org_unit: str
    cell: str
    value: Decimal | int | None


def _invalid(code: str, message: Any, params: dict | None = None, details: Any = None):
    return ServiceError(code, message, params, details=details)


def parse_cell(cell: str) -> dict[str, str]:
    """``"sex=female|age_band=15_24"`` → ``{"sex": "female", "age_band": "15_24"}``;
    ``""`` → ``{}``.  Unknown keys, repeated keys and empty values are refused."""
    parts: dict[str, str] = {}
    if not cell:
        return parts
    for item in cell.split("|"):
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value or not _VALUE_TEXT.match(value):
            raise _invalid(
                "dhis2_bad_cell",
                _("The disaggregation cell “%(cell)s” cannot be read (expected key=value|…)."),
                {"cell": cell[:100]},
            )
        if key not in KNOWN_KEYS:
            raise _invalid(
                "dhis2_unknown_disaggregation",
                _("The disaggregation “%(key)s” has no DHIS2 category (known: %(known)s)."),
                {"key": key[:40], "known": ", ".join(KNOWN_KEYS)},
            )
        if key in parts:
            raise _invalid(
                "dhis2_bad_cell",
                _("The disaggregation cell “%(cell)s” names “%(key)s” twice."),
                {"cell": cell[:100], "key": key},
            )
        parts[key] = value
    return parts


def option_code(key: str, value: str) -> str:
    """The DHIS2 category option code of ``value`` in the disaggregation ``key``."""
    listed = OPTIONS.get(key, {}).get(value)
    if listed:
        return listed
    code = _NOT_CODE.sub("_", value.upper()).strip("_")
    if not code or len(code) > MAX_OPTION:
        raise _invalid(
            "dhis2_unknown_option",
            _("The value “%(value)s” of “%(key)s” has no DHIS2 category option code."),
            {"value": value[:40], "key": key},
        )
    return code


def category_option_combo(parts: dict[str, str]) -> str:
    """The combo code of a cell's parts other than the province (``default`` if none)."""
    pieces = [
        f"{category}_{option_code(key, parts[key])}"
        for key, category in CATEGORIES.items()
        if key in parts
    ]
    return "__".join(pieces) if pieces else DEFAULT_COMBO


def split_cell(cell: str, org_unit: str) -> tuple[str, str]:
    """(org unit, category option combo) of a row's cell: the province part, if any,
    names the org unit, the rest the combo."""
    parts = parse_cell(cell)
    place = parts.pop(ORG_UNIT_KEY, None)
    return (place or org_unit), category_option_combo(parts)


def format_value(value: Decimal | int | float) -> str:
    """A number as DHIS2 text: ``12``, ``62.5``, ``-3``; no exponent, no trailing zeros."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        raise _invalid("dhis2_bad_value", _("A value is not a finite number."))
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text


def _check_code(kind: Any, code: str) -> None:
    if not _CODE.match(code or ""):
        raise _invalid(
            "dhis2_bad_code",
            _("The %(kind)s code “%(code)s” is not a DHIS2 code (1–50 letters, digits, _ . -)."),
            {"kind": kind, "code": (code or "")[:60]},
        )


def build_data_value_set(
    rows: Iterable[ExportRow],
    *,
    period: str,
    org_unit: str,
    complete_date: str,
    data_set: str = "",
    attribute_option_combo: str = "",
) -> dict[str, Any]:
    """The ``dataValueSets`` document of ``rows`` for one period and org unit.

    Raises ``ServiceError``: ``dhis2_no_code`` (indicators without a DHIS2 code, all
    named), ``dhis2_bad_code``, ``dhis2_bad_cell`` / ``dhis2_unknown_disaggregation`` /
    ``dhis2_unknown_option``, ``dhis2_period_mismatch``, ``dhis2_conflict`` (two rows on
    the same identifiers with different values), ``dhis2_no_data`` (no value at all) and
    ``dhis2_invalid`` (the document fails the schema).  The document is validated
    before it is returned.
    """
    rows = list(rows)
    _check_code(_("org unit"), org_unit)
    if data_set:
        _check_code(_("data set"), data_set)
    if attribute_option_combo:
        _check_code(_("attribute option combo"), attribute_option_combo)
    missing = sorted({r.indicator for r in rows if not r.data_element})
    if missing:
        raise _invalid(
            "dhis2_no_code",
            _(
                "These indicators have no DHIS2 code, so nothing was exported: %(codes)s. "
                "Give each a DHIS2 data element code, or export CSV or Excel instead."
            ),
            {"codes": ", ".join(missing[:20]) + (" …" if len(missing) > 20 else "")},
            details={"indicators": missing},
        )
    values: dict[tuple[str, str, str], tuple[str, str]] = {}
    for row in rows:
        _check_code(_("data element"), row.data_element)
        if row.period != period:
            raise _invalid(
                "dhis2_period_mismatch",
                _("A value of “%(indicator)s” is for %(got)s, not %(period)s."),
                {"indicator": row.indicator, "got": row.period[:10], "period": period},
            )
        if row.value is None:
            continue  # no data: left out, never 0
        place, combo = split_cell(row.cell, row.org_unit or org_unit)
        _check_code(_("org unit"), place)
        if len(combo) > MAX_CODE:
            raise _invalid(
                "dhis2_bad_code",
                _("The category option combo of the cell “%(cell)s” is longer than 50."),
                {"cell": row.cell[:100]},
            )
        key = (row.data_element, place, combo)
        text = format_value(row.value)
        seen = values.get(key)
        if seen is not None and seen[0] != text:
            raise _invalid(
                "dhis2_conflict",
                _(
                    "Two values would go to the same DHIS2 cell (%(element)s, %(org_unit)s, "
                    "%(combo)s): %(first)s for “%(a)s” and %(second)s for “%(b)s”."
                ),
                {
                    "element": row.data_element,
                    "org_unit": place,
                    "combo": combo,
                    "first": seen[0],
                    "second": text,
                    "a": seen[1],
                    "b": f"{row.indicator} {row.cell}".strip(),
                },
            )
        values[key] = (text, f"{row.indicator} {row.cell}".strip())
    if not values:
        raise _invalid(
            "dhis2_no_data",
            _("There is no value for %(period)s: nothing to send (“no data” is never sent as 0)."),
            {"period": period},
        )
    document: dict[str, Any] = {}
    if data_set:
        document["dataSet"] = data_set
    document.update(
        {
            "period": period,
            "orgUnit": org_unit,
            "completeDate": complete_date,
            "idScheme": "CODE",
        }
    )
    if attribute_option_combo:
        document["attributeOptionCombo"] = attribute_option_combo
    data_values = []
    for (element, place, combo), (text, _source) in sorted(values.items()):
        item = {
            "dataElement": element,
            "period": period,
            "orgUnit": place,
            "categoryOptionCombo": combo,
        }
        if attribute_option_combo:
            item["attributeOptionCombo"] = attribute_option_combo
        item["value"] = text
        data_values.append(item)
    document["dataValues"] = data_values
    problems = validate(document)
    if problems:
        raise _invalid(
            "dhis2_invalid",
            _("The DHIS2 document does not follow the format: %(problem)s"),
            {"problem": problems[0]},
            details={"errors": problems[:50]},
        )
    return document


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema  # a dependency of the project (pyproject), imported when needed

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def validate(document: Any) -> list[str]:
    """The schema's complaints about ``document`` ("path: message"), empty when valid."""
    problems = []
    for error in sorted(_validator().iter_errors(document), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(document)"
        problems.append(f"{where}: {error.message}")
    return problems
