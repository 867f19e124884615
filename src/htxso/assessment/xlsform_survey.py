"""The questionnaire as an XLSForm workbook, both ways, checked by ``pyxform``.

One shape (the "spec", a dict) sits between the workbook and the tables:
``write_xlsform(spec) -> bytes`` and ``read_xlsform(bytes) -> spec``.  The workbook is a
normal XLSForm (a province can open it in KoboToolbox or print it): one group per
scored dimension, ``select_one``/``select_multiple`` with one choice list per question
(named after the question), ``decimal`` for numbers, and an ``image`` row after each
question that needs evidence.  What XLSForm has no column for (scoring rules, the DBI
pillar a question also counts in, the dimensions' families) rides in ``htx_*`` columns
and in two extra sheets, ``htx_dimensions`` and ``htx_levels``, which pyxform ignores.

Every problem is a :class:`ServiceError` naming the sheet, the row and what to fix.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from htxso.core.errors import Kind, ServiceError

VI = "Tiếng Việt (vi)"
EN = "English (en)"
#: bounds of an uploaded workbook (the packaged one is ~30 kB)
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 3000
EVIDENCE_SUFFIX = "__evidence"
FAMILIES = ("eu_dma", "coop", "dbi")
KINDS = ("single", "multi", "yes_no", "number")
_SLUG = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
_VALUE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")

SURVEY_COLUMNS = [
    "type",
    "name",
    f"label::{VI}",
    f"label::{EN}",
    f"hint::{VI}",
    f"hint::{EN}",
    "required",
    "relevant",
    "constraint",
    f"constraint_message::{VI}",
    f"constraint_message::{EN}",
    "parameters",
    "htx_weight",
    "htx_also",
    "htx_evidence",
    "htx_min",
    "htx_max",
    "htx_full",
    "htx_mapped_from",
    "htx_comparable",
]
CHOICE_COLUMNS = ["list_name", "name", f"label::{VI}", f"label::{EN}", "score"]
DIMENSION_COLUMNS = [
    "key",
    "family",
    "name",
    "name_en",
    "description",
    "description_en",
    "weight",
    "order",
]
LEVEL_COLUMNS = ["level", "min_score", "name", "name_en"]
SETTINGS_COLUMNS = [
    "form_title",
    "form_id",
    "version",
    "default_language",
    "htx_title_en",
    "htx_description",
    "htx_description_en",
]


def _bad(message: Any, params: dict[str, Any] | None = None, code: str = "xlsform_invalid"):
    return ServiceError(code, message, params, kind=Kind.INVALID)


def _num_text(value: Any) -> str:
    if value is None or value == "":
        return ""
    d = Decimal(str(value))
    return format(d.normalize(), "f") if d == d.to_integral_value() else str(d)


# ================================================================ writing


def write_xlsform(spec: dict[str, Any]) -> bytes:
    """The XLSForm workbook of ``spec`` (bytes of an .xlsx)."""
    from openpyxl import Workbook

    wb = Workbook()
    survey = wb.active
    survey.title = "survey"
    survey.append(SURVEY_COLUMNS)
    dims = {d["key"]: d for d in spec["dimensions"]}
    by_dim: dict[str, list[dict[str, Any]]] = {}
    for q in sorted(spec["questions"], key=lambda q: q["order"]):
        by_dim.setdefault(q["dimension"], []).append(q)
    choices = wb.create_sheet("choices")
    choices.append(CHOICE_COLUMNS)
    for dim in sorted(spec["dimensions"], key=lambda d: d["order"]):
        questions = by_dim.get(dim["key"])
        if not questions:
            continue
        survey.append(
            _row({"type": "begin_group", "name": dim["key"]}, dim["name"], dim["name_en"])
        )
        for q in questions:
            survey.append(_question_row(q))
            for opt in q["options"]:
                choices.append(
                    [q["qid"], opt["value"], opt["label"], opt["label_en"], _num_text(opt["score"])]
                )
            if q["needs_evidence"]:
                survey.append(
                    _row(
                        {
                            "type": "image",
                            "name": q["qid"] + EVIDENCE_SUFFIX,
                            "relevant": _evidence_relevant(q),
                            "parameters": "max-pixels=1600",
                        },
                        "Ảnh hoặc tệp minh chứng",
                        "Photo or file as evidence",
                    )
                )
        survey.append(_row({"type": "end_group", "name": dim["key"]}, "", ""))
    del dims
    settings = wb.create_sheet("settings")
    settings.append(SETTINGS_COLUMNS)
    settings.append(
        [
            spec["title"],
            spec["code"],
            str(spec["version"]),
            VI,
            spec.get("title_en", ""),
            spec.get("description", ""),
            spec.get("description_en", ""),
        ]
    )
    dsheet = wb.create_sheet("htx_dimensions")
    dsheet.append(DIMENSION_COLUMNS)
    for d in sorted(spec["dimensions"], key=lambda d: d["order"]):
        dsheet.append(
            [
                d["key"],
                d["family"],
                d["name"],
                d.get("name_en", ""),
                d.get("description", ""),
                d.get("description_en", ""),
                _num_text(d.get("weight", 1)),
                d["order"],
            ]
        )
    lsheet = wb.create_sheet("htx_levels")
    lsheet.append(LEVEL_COLUMNS)
    for lv in sorted(spec["levels"], key=lambda x: x["level"]):
        lsheet.append([lv["level"], _num_text(lv["min_score"]), lv["name"], lv.get("name_en", "")])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _row(values: dict[str, Any], label_vi: str, label_en: str) -> list[Any]:
    values = {f"label::{VI}": label_vi, f"label::{EN}": label_en, **values}
    return [values.get(col, "") for col in SURVEY_COLUMNS]


def _evidence_relevant(q: dict[str, Any]) -> str:
    """Ask for evidence when the answer is above the lowest score."""
    name = q["qid"]
    if q["kind"] == "number":
        low = _num_text(q.get("number_min") or 0)
        return f"${{{name}}} > {low}"
    lowest = min(q["options"], key=lambda o: Decimal(str(o["score"])))["value"]
    if q["kind"] == "multi":
        return f"${{{name}}} != '' and not(selected(${{{name}}}, '{lowest}'))"
    return f"${{{name}}} != '' and ${{{name}}} != '{lowest}'"


def _question_row(q: dict[str, Any]) -> list[Any]:
    kind = q["kind"]
    values: dict[str, Any] = {
        "name": q["qid"],
        f"hint::{VI}": q.get("help", ""),
        f"hint::{EN}": q.get("help_en", ""),
        "required": "yes",
        "htx_weight": _num_text(q.get("weight", 1)),
        "htx_also": " ".join(q.get("also", [])),
        "htx_evidence": "yes" if q["needs_evidence"] else "",
        "htx_mapped_from": q.get("mapped_from", ""),
        "htx_comparable": "" if q.get("comparable", True) else "no",
    }
    if kind == "multi":
        values["type"] = f"select_multiple {q['qid']}"
    elif kind in ("single", "yes_no"):
        values["type"] = f"select_one {q['qid']}"
    else:
        values["type"] = "decimal"
        lo, hi = _num_text(q.get("number_min")), _num_text(q.get("number_max"))
        values["htx_min"], values["htx_max"] = lo, hi
        values["htx_full"] = _num_text(q.get("number_full"))
        parts = ([f". >= {lo}"] if lo else []) + ([f". <= {hi}"] if hi else [])
        values["constraint"] = " and ".join(parts)
        values[f"constraint_message::{VI}"] = f"Từ {lo} đến {hi}" if parts else ""
        values[f"constraint_message::{EN}"] = f"From {lo} to {hi}" if parts else ""
    return _row(values, q["text"], q.get("text_en", ""))


# ================================================================ checking


def check_with_pyxform(data: bytes) -> str:
    """Convert the workbook with pyxform (the XForm it makes, as text); refuse a
    workbook pyxform refuses, with pyxform's own explanation."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    try:
        return str(convert(xlsform=data, file_type=".xlsx", warnings=[]).xform)
    except PyXFormError as exc:
        raise _bad(
            _("The XLSForm is not valid: %(problem)s"),
            {"problem": str(exc)[:500]},
            "xlsform_pyxform",
        ) from None
    except Exception as exc:
        raise _bad(
            _("The file could not be read as an XLSForm workbook (.xlsx): %(problem)s"),
            {"problem": str(exc)[:200] or type(exc).__name__},
            "xlsform_unreadable",
        ) from None


# ================================================================ reading


def _sheet_rows(wb: Any, name: str, *, required: bool = True) -> list[dict[str, Any]]:
    if name not in wb.sheetnames:
        if not required:
            return []
        raise _bad(
            _("The workbook has no sheet named “%(sheet)s”."), {"sheet": name}, "xlsform_sheet"
        )
    rows = []
    header: list[str] = []
    for i, raw in enumerate(wb[name].iter_rows(values_only=True), start=1):
        if i > MAX_ROWS:
            raise _bad(
                _("The sheet “%(sheet)s” has more than %(max)s rows."),
                {"sheet": name, "max": MAX_ROWS},
                "xlsform_too_many_rows",
            )
        cells = ["" if c is None else str(c).strip() for c in raw]
        if not header:
            header = [c.lower() if "::" not in c else c for c in cells]
            continue
        if not any(cells):
            continue
        rows.append(
            {"_row": i, **{h: cells[j] for j, h in enumerate(header) if h and j < len(cells)}}
        )
    return rows


def _lang(row: dict[str, Any], column: str, lang: str) -> str:
    """A translated column (``label::Tiếng Việt (vi)``, ``label::vi`` …)."""
    for key, value in row.items():
        if not isinstance(key, str) or not key.lower().startswith(column + "::"):
            continue
        tag = key.split("::", 1)[1].strip().lower()
        if tag == lang or tag.endswith(f"({lang})"):
            return value
    if lang == "vi":
        return row.get(column, "")
    return ""


def _decimal(
    value: str, where: dict[str, Any], field: str, *, required: bool = False
) -> Decimal | None:
    if value == "":
        if required:
            raise _bad(
                _("Sheet “%(sheet)s”, row %(row)s: “%(field)s” is missing."),
                {**where, "field": field},
                "xlsform_missing",
            )
        return None
    try:
        d = Decimal(value)
    except InvalidOperation:
        raise _bad(
            _("Sheet “%(sheet)s”, row %(row)s: “%(field)s” must be a number, not “%(value)s”."),
            {**where, "field": field, "value": value[:40]},
            "xlsform_number",
        ) from None
    if not d.is_finite() or abs(d) >= Decimal("1e12"):
        raise _bad(
            _("Sheet “%(sheet)s”, row %(row)s: “%(field)s” is out of range."),
            {**where, "field": field},
            "xlsform_number",
        )
    return d


def _text(value: str, where: dict[str, Any], field: str, max_length: int, *, required=True) -> str:
    if required and not value:
        raise _bad(
            _("Sheet “%(sheet)s”, row %(row)s: “%(field)s” is missing."),
            {**where, "field": field},
            "xlsform_missing",
        )
    if len(value) > max_length:
        raise _bad(
            _("Sheet “%(sheet)s”, row %(row)s: “%(field)s” is longer than %(max)s characters."),
            {**where, "field": field, "max": max_length},
            "xlsform_too_long",
        )
    if "<" in value or ">" in value:
        raise _bad(
            _("Sheet “%(sheet)s”, row %(row)s: “%(field)s” may not contain < or >."),
            {**where, "field": field},
            "xlsform_markup",
        )
    return value


def read_xlsform(data: bytes) -> dict[str, Any]:
    """The spec of an XLSForm workbook (after pyxform accepted it)."""
    if len(data) > MAX_BYTES:
        raise ServiceError(
            "too_large",
            _("The workbook is larger than %(mb)s MB."),
            {"mb": MAX_BYTES // (1024 * 1024)},
            kind=Kind.TOO_LARGE,
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _bad(_("The file is not an Excel workbook (.xlsx)."), code="xlsform_unreadable")
    check_with_pyxform(data)
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return _read(wb)
    finally:
        wb.close()


def _read(wb: Any) -> dict[str, Any]:
    settings_rows = _sheet_rows(wb, "settings")
    if not settings_rows:
        raise _bad(_("The “settings” sheet is empty."), code="xlsform_settings")
    st = settings_rows[0]
    where = {"sheet": "settings", "row": st["_row"]}
    code = st.get("form_id", "")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", code):
        raise _bad(
            _("The form_id “%(code)s” must be lower-case letters, digits and dashes."),
            {"code": code[:60]},
            "xlsform_settings",
        )
    try:
        version = int(Decimal(st.get("version") or "x"))
    except (InvalidOperation, ValueError):
        version = 0
    if not 1 <= version <= 100000:
        raise _bad(
            _("The version must be a whole number from 1, not “%(value)s”."),
            {"value": st.get("version", "")[:40]},
            "xlsform_settings",
        )
    spec: dict[str, Any] = {
        "code": code,
        "version": version,
        "title": _text(st.get("form_title", ""), where, "form_title", 200),
        "title_en": _text(st.get("htx_title_en", ""), where, "htx_title_en", 200, required=False),
        "description": _text(
            st.get("htx_description", ""), where, "htx_description", 4000, required=False
        ),
        "description_en": _text(
            st.get("htx_description_en", ""), where, "htx_description_en", 4000, required=False
        ),
    }
    spec["dimensions"] = _read_dimensions(wb)
    spec["levels"] = _read_levels(wb)
    spec["questions"] = _read_questions(wb, {d["key"]: d for d in spec["dimensions"]})
    return spec


def _read_dimensions(wb: Any) -> list[dict[str, Any]]:
    dims: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in _sheet_rows(wb, "htx_dimensions"):
        where = {"sheet": "htx_dimensions", "row": row["_row"]}
        key = row.get("key", "")
        if not _SLUG.match(key) or len(key) > 40:
            raise _bad(
                _(
                    "Sheet “%(sheet)s”, row %(row)s: the key “%(value)s” must be lower-case "
                    "letters, digits and _ ."
                ),
                {**where, "value": key[:60]},
                "xlsform_key",
            )
        if key in seen:
            raise _bad(
                _("Sheet “%(sheet)s”, row %(row)s: the key “%(value)s” appears twice."),
                {**where, "value": key},
                "xlsform_duplicate",
            )
        seen.add(key)
        family = row.get("family", "")
        if family not in FAMILIES:
            raise _bad(
                _("Sheet “%(sheet)s”, row %(row)s: the family must be one of %(allowed)s."),
                {**where, "allowed": ", ".join(FAMILIES)},
                "xlsform_family",
            )
        weight = _decimal(row.get("weight", ""), where, "weight") or Decimal(1)
        if not Decimal(0) < weight <= Decimal(100):
            raise _bad(
                _("Sheet “%(sheet)s”, row %(row)s: the weight must be above 0 and at most 100."),
                where,
                "xlsform_weight",
            )
        order = _decimal(row.get("order", ""), where, "order")
        dims.append(
            {
                "key": key,
                "family": family,
                "name": _text(row.get("name", ""), where, "name", 200),
                "name_en": _text(row.get("name_en", ""), where, "name_en", 200, required=False),
                "description": _text(
                    row.get("description", ""), where, "description", 2000, required=False
                ),
                "description_en": _text(
                    row.get("description_en", ""), where, "description_en", 2000, required=False
                ),
                "weight": weight,
                "order": int(order) if order is not None else len(dims) + 1,
            }
        )
    if not dims:
        raise _bad(_("The “htx_dimensions” sheet lists no dimension."), code="xlsform_missing")
    return dims


def _read_levels(wb: Any) -> list[dict[str, Any]]:
    levels = []
    for row in _sheet_rows(wb, "htx_levels"):
        where = {"sheet": "htx_levels", "row": row["_row"]}
        level = _decimal(row.get("level", ""), where, "level", required=True)
        score = _decimal(row.get("min_score", ""), where, "min_score", required=True)
        assert level is not None and score is not None
        if level not in range(6) or not 0 <= score <= 100:
            raise _bad(
                _("Sheet “%(sheet)s”, row %(row)s: levels are 0 to 5 and scores 0 to 100."),
                where,
                "xlsform_level",
            )
        levels.append(
            {
                "level": int(level),
                "min_score": score,
                "name": _text(row.get("name", ""), where, "name", 100),
                "name_en": _text(row.get("name_en", ""), where, "name_en", 100, required=False),
            }
        )
    levels.sort(key=lambda x: x["level"])
    if not levels or levels[0]["min_score"] != 0:
        raise _bad(
            _("The “htx_levels” sheet must start with a level whose min_score is 0."),
            code="xlsform_level",
        )
    for a, b in itertools.pairwise(levels):
        if b["level"] == a["level"] or b["min_score"] <= a["min_score"]:
            raise _bad(
                _(
                    "The “htx_levels” sheet: each level must start at a higher score than the one "
                    "before (level %(level)s)."
                ),
                {"level": b["level"]},
                "xlsform_level",
            )
    return levels


def _read_questions(wb: Any, dims: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    options_by_list: dict[str, list[dict[str, Any]]] = {}
    for row in _sheet_rows(wb, "choices"):
        where = {"sheet": "choices", "row": row["_row"]}
        value = row.get("name", "")
        if not _VALUE.match(value):
            raise _bad(
                _(
                    "Sheet “%(sheet)s”, row %(row)s: the choice name “%(value)s” must be letters, "
                    "digits, _ or -."
                ),
                {**where, "value": value[:60]},
                "xlsform_choice",
            )
        score = _decimal(row.get("score", ""), where, "score", required=True)
        assert score is not None
        if not 0 <= score <= 100:
            raise _bad(
                _("Sheet “%(sheet)s”, row %(row)s: the score must be from 0 to 100."),
                where,
                "xlsform_score",
            )
        options = options_by_list.setdefault(row.get("list_name", ""), [])
        if any(o["value"] == value for o in options):
            raise _bad(
                _(
                    "Sheet “%(sheet)s”, row %(row)s: the choice “%(value)s” appears twice in its "
                    "list."
                ),
                {**where, "value": value},
                "xlsform_duplicate",
            )
        options.append(
            {
                "value": value,
                "label": _text(_lang(row, "label", "vi"), where, "label", 300),
                "label_en": _text(
                    _lang(row, "label", "en"), where, "label (en)", 300, required=False
                ),
                "score": score,
            }
        )
    questions: list[dict[str, Any]] = []
    seen: set[str] = set()
    group: str | None = None
    for row in _sheet_rows(wb, "survey"):
        where = {"sheet": "survey", "row": row["_row"]}
        kind_text = " ".join(row.get("type", "").split())
        name = row.get("name", "")
        if kind_text in ("begin_group", "begin group"):
            if name not in dims or dims[name]["family"] == "dbi":
                raise _bad(
                    _(
                        "Sheet “%(sheet)s”, row %(row)s: the group “%(value)s” is not a scored "
                        "dimension of the “htx_dimensions” sheet."
                    ),
                    {**where, "value": name[:60]},
                    "xlsform_group",
                )
            group = name
            continue
        if kind_text in ("end_group", "end group"):
            group = None
            continue
        if kind_text in ("image", "file") and name.endswith(EVIDENCE_SUFFIX):
            continue
        if kind_text in ("note", "calculate", "start", "end", "today", "deviceid"):
            continue
        if group is None:
            raise _bad(
                _(
                    "Sheet “%(sheet)s”, row %(row)s: the question “%(value)s” is outside a "
                    "dimension's group."
                ),
                {**where, "value": name[:60]},
                "xlsform_group",
            )
        if not _SLUG.match(name):
            raise _bad(
                _(
                    "Sheet “%(sheet)s”, row %(row)s: the question name “%(value)s” must be "
                    "lower-case letters, digits and _ (at most 60)."
                ),
                {**where, "value": name[:60]},
                "xlsform_qid",
            )
        if name in seen:
            raise _bad(
                _("Sheet “%(sheet)s”, row %(row)s: the question “%(value)s” appears twice."),
                {**where, "value": name},
                "xlsform_duplicate",
            )
        seen.add(name)
        q = _read_question(row, where, name, kind_text, group, dims, options_by_list)
        q["order"] = len(questions) + 1
        questions.append(q)
    if not questions:
        raise _bad(_("The “survey” sheet has no question."), code="xlsform_missing")
    return questions


def _read_question(row, where, name, kind_text, group, dims, options_by_list) -> dict[str, Any]:
    parts = kind_text.split(" ")
    q: dict[str, Any] = {
        "qid": name,
        "dimension": group,
        "text": _text(_lang(row, "label", "vi"), where, "label", 500),
        "text_en": _text(_lang(row, "label", "en"), where, "label (en)", 500, required=False),
        "help": _text(_lang(row, "hint", "vi"), where, "hint", 2000, required=False),
        "help_en": _text(_lang(row, "hint", "en"), where, "hint (en)", 2000, required=False),
        "needs_evidence": row.get("htx_evidence", "").lower() in ("yes", "true", "1", "có"),
        "mapped_from": row.get("htx_mapped_from", ""),
        "comparable": row.get("htx_comparable", "").lower() not in ("no", "false", "0", "không"),
        "number_min": None,
        "number_max": None,
        "number_full": None,
        "options": [],
    }
    if q["mapped_from"] and not _SLUG.match(q["mapped_from"]):
        raise _bad(
            _("Sheet “%(sheet)s”, row %(row)s: htx_mapped_from must be a question name."),
            where,
            "xlsform_qid",
        )
    weight = _decimal(row.get("htx_weight", ""), where, "htx_weight") or Decimal(1)
    if not Decimal(0) < weight <= Decimal(100):
        raise _bad(
            _("Sheet “%(sheet)s”, row %(row)s: the weight must be above 0 and at most 100."),
            where,
            "xlsform_weight",
        )
    q["weight"] = weight
    also = row.get("htx_also", "").split()
    for key in also:
        if key not in dims or key == group:
            raise _bad(
                _(
                    "Sheet “%(sheet)s”, row %(row)s: htx_also names “%(value)s”, which is not "
                    "another dimension of the “htx_dimensions” sheet."
                ),
                {**where, "value": key[:60]},
                "xlsform_also",
            )
    q["also"] = also
    if parts[0] in ("select_one", "select_multiple") and len(parts) == 2:
        options = options_by_list.get(parts[1])
        if not options:
            raise _bad(
                _(
                    "Sheet “%(sheet)s”, row %(row)s: the choice list “%(value)s” is missing or "
                    "empty."
                ),
                {**where, "value": parts[1][:60]},
                "xlsform_choice",
            )
        q["options"] = [dict(o) for o in options]
        values = sorted(o["value"] for o in options)
        if parts[0] == "select_multiple":
            q["kind"] = "multi"
        elif values == ["no", "yes"]:
            q["kind"] = "yes_no"
        else:
            q["kind"] = "single"
    elif parts == ["decimal"] or parts == ["integer"]:
        q["kind"] = "number"
        lo = _decimal(row.get("htx_min", ""), where, "htx_min")
        hi = _decimal(row.get("htx_max", ""), where, "htx_max")
        full = _decimal(row.get("htx_full", ""), where, "htx_full", required=True)
        lo = lo if lo is not None else Decimal(0)
        if full is None or full <= lo or (hi is not None and (hi < full or hi <= lo)):
            raise _bad(
                _("Sheet “%(sheet)s”, row %(row)s: need htx_min < htx_full ≤ htx_max."),
                where,
                "xlsform_number",
            )
        q["number_min"], q["number_max"], q["number_full"] = lo, hi, full
    else:
        raise _bad(
            _(
                "Sheet “%(sheet)s”, row %(row)s: the type “%(value)s” is not used here (use "
                "select_one, select_multiple, decimal or integer)."
            ),
            {**where, "value": kind_text[:60]},
            "xlsform_type",
        )
    return q
