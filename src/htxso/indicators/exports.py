"""Exports of a framework's values: DHIS2 ``dataValueSets`` JSON, CSV, Excel, and the
rows the values API serves.

Every export reads the same cache rows as the dashboard (:func:`compute.values`): it
never computes, so a figure in a file is the figure on the page.  An export is asked
for by a user (the framework must be one they may see), for a period (``2025S1``,
``2025``) and optionally a province of a national framework; anything wrong raises
:class:`~htxso.core.errors.ServiceError` with a stable code before any byte is produced:

=============================  ==========================================================
``not_found``                  no such framework, or not the user's to see
``period_invalid``             the period is not ``2025``/``2025S1``/``2025S2``
``province_unknown``           no province has that code
``province_outside_framework`` a province's framework asked for another province
``indicator_unknown``          an indicator code of the filter is not in the framework
``no_values``                  nothing has been computed for that period and place yet
``dhis2_*``                    the DHIS2 document cannot be made (see ``dhis2.py``)
=============================  ==========================================================
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from htxso.core.documents.workbooks import Column, Sheet, build_workbook, safe_text
from htxso.core.errors import Kind, ServiceError
from htxso.core.policy import allowed
from htxso.geo.models import Province

from . import compute, dhis2
from .formulas.base import NOTES
from .models import Disaggregation, Framework, Indicator, IndicatorValue, Unit
from .periods import Period, parse

__all__ = [
    "ExportScope",
    "TableRow",
    "csv_bytes",
    "dhis2_document",
    "resolve",
    "table_rows",
    "xlsx_bytes",
]

MAX_INDICATOR_FILTER = 200


def national_org_unit() -> str:
    """The DHIS2 org unit code of the country (setting ``DHIS2_NATIONAL_ORG_UNIT``)."""
    return str(getattr(settings, "DHIS2_NATIONAL_ORG_UNIT", "") or dhis2.NATIONAL_ORG_UNIT)


@dataclass
class ExportScope:
    """What one export covers: a framework the user may see, a period, the province
    whose cached rows are read (``None`` = the framework's own scope), the DHIS2 org
    unit of those rows, and the indicators (all of the framework's, or a filter)."""

    framework: Framework
    period: Period
    province: Province | None
    org_unit: str
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def place(self) -> str:
        """The place's name: the province, or the framework's scope."""
        if self.province is not None:
            return self.province.name
        if self.framework.province_id:
            return self.framework.province.name  # type: ignore[union-attr]
        return _("Whole country")

    def filename(self, ext: str) -> str:
        where = self.province.code if self.province else (self.framework.province_id or "vn")
        return f"{self.framework.code}-{self.period.code}-{where}.{ext}"


def _error(code: str, message: Any, params: dict | None = None, **kw: Any) -> ServiceError:
    return ServiceError(code, message, params, **kw)


def resolve(
    *,
    user: Any,
    framework: str | Framework,
    period: str,
    province: str | None = "",
    indicators: Iterable[str] = (),
) -> ExportScope:
    """Check an export request and say what it covers (see the module's codes)."""
    if isinstance(framework, Framework):
        found = allowed(Framework, user, "view").filter(pk=framework.pk).first()
    else:
        found = (
            allowed(Framework, user, "view")
            .select_related("province")
            .filter(code=str(framework or "")[:60])
            .first()
        )
    if found is None:
        raise _error("not_found", gettext_lazy("Not found."), kind=Kind.NOT_FOUND)
    try:
        parsed = parse(period)
    except ValueError as exc:
        raise _error("period_invalid", str(exc), fields={"period": [str(exc)]}) from None
    chosen: Province | None = None
    code = (province or "").strip()
    if code:
        chosen = Province.objects.filter(code=code[:2]).first() if len(code) <= 2 else None
        if chosen is None:
            msg = gettext_lazy("There is no province with the code “%(code)s”.")
            raise _error(
                "province_unknown",
                msg,
                {"code": code[:10]},
                fields={"province": [msg % {"code": code[:10]}]},
            )
    if found.province_id:
        if chosen is not None and chosen.pk != found.province_id:
            msg = gettext_lazy(
                "The framework “%(framework)s” is %(province)s's: it has no values for "
                "another province."
            )
            params = {"framework": found.name, "province": found.province.name}  # type: ignore[union-attr]
            raise _error(
                "province_outside_framework",
                msg,
                params,
                fields={"province": [msg % params]},
            )
        chosen = None  # the framework's own scope: its rows have no province
        org_unit = str(found.province_id)
    else:
        org_unit = chosen.code if chosen is not None else national_org_unit()
    all_indicators = list(found.indicators.order_by("order", "code"))
    wanted = [c.strip() for c in indicators if c and c.strip()]
    if wanted:
        wanted = wanted[:MAX_INDICATOR_FILTER]
        by_code = {i.code: i for i in all_indicators}
        unknown = [c for c in wanted if c not in by_code]
        if unknown:
            raise _error(
                "indicator_unknown",
                gettext_lazy("The framework has no indicator “%(codes)s”."),
                {"codes": ", ".join(c[:60] for c in unknown[:10])},
                details={"indicators": unknown[:50]},
            )
        keep = set(wanted)
        all_indicators = [i for i in all_indicators if i.code in keep]
    return ExportScope(
        framework=found,
        period=parsed,
        province=chosen,
        org_unit=org_unit,
        indicators=all_indicators,
    )


# --- the rows -------------------------------------------------------------------------


@dataclass(frozen=True)
class TableRow:
    """One indicator × cell of an export, read from the cache."""

    indicator: Indicator
    cell: str
    value: IndicatorValue

    @property
    def parts(self) -> dict[str, str]:
        return dhis2.parse_cell(self.cell)


def cached_values(scope: ExportScope) -> dict[tuple[int, str], IndicatorValue]:
    """The dashboard's cache rows of the scope (``compute.values``)."""
    return compute.values(scope.framework, period=scope.period, province=scope.province)


def table_rows(scope: ExportScope) -> list[TableRow]:
    """The cached rows of the scope's indicators, in the framework's order (total first,
    then the cells).  ``no_values`` when nothing has been computed for them."""
    cache = cached_values(scope)
    wanted = {i.pk: i for i in scope.indicators}
    rows = [
        TableRow(wanted[indicator_id], cell, value)
        for (indicator_id, cell), value in cache.items()
        if indicator_id in wanted
    ]
    if not rows:
        raise _error(
            "no_values",
            gettext_lazy(
                "No values of “%(framework)s” have been computed for %(period)s (%(place)s) "
                "yet: refresh the framework's values first, then export."
            ),
            {"framework": scope.framework.name, "period": scope.period.code, "place": scope.place},
        )
    order = {i.pk: n for n, i in enumerate(scope.indicators)}
    rows.sort(key=lambda r: (order[r.indicator.pk], r.cell != "", r.cell))
    return rows


def dhis2_document(
    scope: ExportScope, *, data_set: str = "", complete_date: dt.date | None = None
) -> dict[str, Any]:
    """The scope's values as a validated DHIS2 ``dataValueSets`` document."""
    missing = [i.code for i in scope.indicators if not i.dhis2_code.strip()]
    if missing:
        raise _error(
            "dhis2_no_code",
            gettext_lazy(
                "These indicators have no DHIS2 code, so nothing was exported: %(codes)s. "
                "Give each a DHIS2 data element code, or export CSV or Excel instead."
            ),
            {"codes": ", ".join(missing[:20]) + (" …" if len(missing) > 20 else "")},
            details={"indicators": missing},
        )
    rows = [
        dhis2.ExportRow(
            indicator=r.indicator.code,
            data_element=r.indicator.dhis2_code.strip(),
            period=r.value.period,
            org_unit=scope.org_unit,
            cell=r.cell,
            value=r.value.value,
        )
        for r in table_rows(scope)
    ]
    day = complete_date or timezone.localdate()
    return dhis2.build_data_value_set(
        rows,
        period=scope.period.dhis2,
        org_unit=scope.org_unit,
        complete_date=day.isoformat(),
        data_set=data_set.strip(),
    )


# --- CSV and Excel --------------------------------------------------------------------


def _labels() -> tuple[dict[str, str], dict[str, str]]:
    return (
        {d.value: str(d.label) for d in Disaggregation},
        {u.value: str(u.label) for u in Unit},
    )


def cell_label(cell: str, keys: dict[str, str]) -> str:
    """``sex=female|age_band=15_24`` → ``Sex: female; Age band: 15_24`` ("Total" for "")."""
    if not cell:
        return _("Total")
    return "; ".join(f"{keys.get(k, k)}: {v}" for k, v in dhis2.parse_cell(cell).items())


def _number(value: Decimal | None) -> Any:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _plain_rows(scope: ExportScope) -> list[dict[str, Any]]:
    keys, units = _labels()
    out = []
    for r in table_rows(scope):
        v = r.value
        place, combo = dhis2.split_cell(r.cell, scope.org_unit)
        out.append(
            {
                "indicator": r.indicator.code,
                "name": r.indicator.name,
                "unit": units.get(r.indicator.unit, r.indicator.unit),
                "dhis2_code": r.indicator.dhis2_code,
                "period": v.period,
                "org_unit": place,
                "cell": r.cell,
                "disaggregation": cell_label(r.cell, keys),
                "category_option_combo": combo,
                "value": _number(v.value),
                "note": str(NOTES.get(v.note, v.note)) if v.note else "",
                "numerator": _number(v.numerator),
                "denominator": _number(v.denominator),
                "computed_at": v.computed_at,
            }
        )
    return out


def _columns() -> list[Column]:
    return [
        Column("indicator", _("Indicator code")),
        Column("name", _("Indicator"), width=50),
        Column("unit", _("Unit")),
        Column("dhis2_code", _("DHIS2 code")),
        Column("period", _("Period")),
        Column("org_unit", _("Org unit")),
        Column("disaggregation", _("Disaggregation"), width=36),
        Column("category_option_combo", _("Category option combo")),
        Column("value", _("Value"), "int"),
        Column("note", _("Note"), width=36),
        Column("numerator", _("Numerator"), "int"),
        Column("denominator", _("Denominator"), "int"),
        Column("computed_at", _("Computed at"), "datetime"),
    ]


def _heading(scope: ExportScope) -> list[str]:
    return [
        scope.framework.name,
        _("Period: %(period)s — %(place)s") % {"period": scope.period.label, "place": scope.place},
        _("Exported on %(day)s. An empty value means no data (never 0).")
        % {"day": timezone.localdate().strftime("%d/%m/%Y")},
    ]


def xlsx_bytes(scope: ExportScope) -> bytes:
    """The values as an Excel workbook (one sheet, a heading above the table)."""
    rows = _plain_rows(scope)
    sheet = Sheet(
        title=_("Values %(period)s") % {"period": scope.period.code},
        columns=_columns(),
        rows=rows,
        heading=_heading(scope),
    )
    data = build_workbook([sheet])
    # Counts are whole numbers ("#,##0"); a share or an average keeps two decimals.
    book = load_workbook(io.BytesIO(data))
    for ws_row in book.active.iter_rows():
        for cell in ws_row:
            if isinstance(cell.value, float):
                cell.number_format = "#,##0.00"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, int | float):
        return dhis2.format_value(value)
    return safe_text(str(value))


def csv_bytes(scope: ExportScope) -> bytes:
    """The values as CSV: UTF-8 with a byte-order mark (Excel reads Vietnamese), text a
    spreadsheet would run as a formula made inert, an empty value for "no data"."""
    rows = _plain_rows(scope)
    columns = _columns()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_text(str(c.header)) for c in columns])
    for row in rows:
        writer.writerow([_csv_text(row[c.key]) for c in columns])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def values_payload(scope: ExportScope) -> dict[str, Any]:
    """The values API's body: the scope and one item per cached row (numbers as text,
    ``null`` = no data)."""
    items = []
    for r in table_rows(scope):
        v = r.value
        items.append(
            {
                "indicator": r.indicator.code,
                "dhis2_code": r.indicator.dhis2_code,
                "unit": r.indicator.unit,
                "cell": r.cell,
                "disaggregation": r.parts,
                "value": None if v.value is None else dhis2.format_value(v.value),
                "numerator": None if v.numerator is None else dhis2.format_value(v.numerator),
                "denominator": (
                    None if v.denominator is None else dhis2.format_value(v.denominator)
                ),
                "note": v.note,
                "computed_at": v.computed_at.isoformat(),
            }
        )
    return {
        "framework": scope.framework.code,
        "period": scope.period.code,
        "province": scope.province.code if scope.province else scope.framework.province_id,
        "org_unit": scope.org_unit,
        "values": items,
    }
