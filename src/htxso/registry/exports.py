"""Exports: the dashboards as Excel workbooks, and the open data of organisations.

Open data carries PUBLIC fields of organisations only (``OPEN_DATA_FIELDS``) — never a
person, a person's phone, a citizen id or an ethnicity — and is produced row by row
(``iterator``), so 100,000 organisations never sit in memory at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator

from django.db.models import Count, F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .models import Organisation, OrganisationKind, OrganisationStatus, Sector
from .stats import Dashboard
from .stats_indicators import PERCENT, VND, label

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# ------------------------------------------------------------------ dashboards ---


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list], *, first=False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title[:31]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append(row)
    for i, _h in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(i)].width = 44 if i == 1 else 18
    ws.freeze_panes = "B2"
    return ws


def _number(value, unit: str):
    if value is None:
        return None
    if unit == PERCENT:
        return round(float(value), 2)
    if unit == VND:
        return int(value)
    return value


def dashboard_xlsx(board: Dashboard) -> bytes:
    """The dashboard as a workbook: indicators with targets, organisations by kind and
    status, OCOP products by stars, grades, and for the national view the provinces."""
    wb = Workbook()
    where = board.province_name or _("All provinces")
    rows = []
    for r in board.indicators:
        rows.append(
            [
                str(r.label),
                _number(r.actual, r.unit),
                str(r.target.comparison) if r.target else None,
                _number(r.target.value, r.unit) if r.target else None,
                r.target.year if r.target else None,
                _number(r.gap, r.unit),
                r.status_display or None,
                r.target.source if r.target else None,
            ]
        )
    ws = _sheet(
        wb,
        _("Indicators"),
        [
            _("Indicator — %(where)s, %(year)s") % {"where": where, "year": board.year},
            _("Actual"),
            _("Comparison"),
            _("Target"),
            _("Target year"),
            _("Gap"),
            _("Status"),
            _("Source of the target"),
        ],
        rows,
        first=True,
    )
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=6):
        for cell in row:
            if isinstance(cell.value, float):
                cell.number_format = "#,##0.00"
            elif isinstance(cell.value, int):
                cell.number_format = "#,##0"
    statuses = list(OrganisationStatus)
    _sheet(
        wb,
        _("Organisations"),
        [_("Kind"), *[str(s.label) for s in statuses], _("Total")],
        [[str(r["label"]), *r["counts"], r["total"]] for r in board.by_kind_and_status],
    )
    _sheet(
        wb,
        _("OCOP"),
        [_("Stars"), _("Valid OCOP products")],
        [[stars, n] for stars, n in board.ocop_by_stars],
    )
    _sheet(
        wb,
        _("Grades"),
        [_("Grade"), _("Organisations")],
        [[str(name), n] for _code, name, n in board.grades],
    )
    if board.is_national and board.provinces:
        codes = [code for code, _t in COMPARISON_COLUMNS]
        _sheet(
            wb,
            _("Provinces"),
            [_("Province"), _("Code"), *[str(label(c)) for c in codes]],
            [
                [p.name, p.code, *[_number(p.values[c], UNIT_OF[c]) for c in codes]]
                for p in board.provinces
            ],
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


#: Columns of the province comparison (indicator code, unit).
COMPARISON_COLUMNS = [
    ("cooperatives", "count"),
    ("groups", "count"),
    ("unions", "count"),
    ("members", "count"),
    ("workers", "count"),
    ("share_effective", PERCENT),
    ("revenue_per_cooperative", VND),
    ("income_per_worker", VND),
    ("youth_share", PERCENT),
    ("share_value_chain", PERCENT),
    ("high_tech", "count"),
    ("ocop_products", "count"),
    ("share_good_or_fair", PERCENT),
]
UNIT_OF = dict(COMPARISON_COLUMNS)

# ------------------------------------------------------------------- open data ---

#: The public columns of the open data, in order (CSV header and JSON keys).
OPEN_DATA_FIELDS = [
    "name",
    "kind",
    "kind_name",
    "tax_code",
    "province_code",
    "province",
    "ward_code",
    "ward",
    "status",
    "status_name",
    "established_on",
    "sector",
    "sector_name",
    "main_products",
    "ocop_3_stars",
    "ocop_4_stars",
    "ocop_5_stars",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def open_data_rows(*, province: str = "", today: dt.date | None = None) -> Iterator[dict]:
    """Public fields of every organisation, one dict at a time (labels in Vietnamese)."""
    today = today or timezone.localdate()
    valid = Q(ocop_products__certified_on__lte=today, ocop_products__expires_on__gt=today)
    qs = Organisation.objects.all()
    if province:
        qs = qs.filter(province_id=province)
    qs = (
        qs.order_by("province_id", "name", "id")
        .values(
            "id",
            "name",
            "kind",
            "tax_code",
            "province_id",
            "ward_id",
            "status",
            "established_on",
            "sector",
            "main_products",
            province_name=F("province__name"),
            ward_name=F("ward__name"),
        )
        .annotate(
            **{
                f"ocop_{stars}_stars": Count(
                    "ocop_products", filter=valid & Q(ocop_products__stars=stars)
                )
                for stars in (3, 4, 5)
            }
        )
    )
    with translation.override("vi"):
        kinds = {k.value: str(k.label) for k in OrganisationKind}
        statuses = {s.value: str(s.label) for s in OrganisationStatus}
        sectors = {s.value: str(s.label) for s in Sector}
    for o in qs.iterator(chunk_size=2000):
        yield {
            "name": o["name"],
            "kind": o["kind"],
            "kind_name": kinds.get(o["kind"], ""),
            "tax_code": o["tax_code"] or "",
            "province_code": o["province_id"],
            "province": o["province_name"],
            "ward_code": o["ward_id"] or "",
            "ward": o["ward_name"] or "",
            "status": o["status"],
            "status_name": statuses.get(o["status"], ""),
            "established_on": o["established_on"].isoformat() if o["established_on"] else "",
            "sector": o["sector"],
            "sector_name": sectors.get(o["sector"], ""),
            "main_products": o["main_products"],
            "ocop_3_stars": o["ocop_3_stars"],
            "ocop_4_stars": o["ocop_4_stars"],
            "ocop_5_stars": o["ocop_5_stars"],
        }


def _cell(value):
    """Neutralise text that a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class _Line:
    def write(self, value: str) -> str:
        return value


def open_data_csv(*, province: str = "") -> Iterator[bytes]:
    """CSV in UTF-8 with a byte-order mark (so Excel reads Vietnamese), line by line."""
    writer = csv.writer(_Line())
    yield "\ufeff".encode() + writer.writerow(OPEN_DATA_FIELDS).encode()
    batch: list[str] = []
    for row in open_data_rows(province=province):
        batch.append(writer.writerow([_cell(row[f]) for f in OPEN_DATA_FIELDS]))
        if len(batch) >= 500:
            yield "".join(batch).encode()
            batch = []
    if batch:
        yield "".join(batch).encode()


def open_data_json(*, province: str = "") -> Iterator[bytes]:
    """``{"fields": […], "generated_at": …, "organisations": […]}``, streamed."""
    head = {
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "province": province or None,
        "fields": OPEN_DATA_FIELDS,
    }
    yield (json.dumps(head, ensure_ascii=False)[:-1] + ', "organisations": [').encode()
    first = True
    batch: list[str] = []
    for row in open_data_rows(province=province):
        batch.append(("" if first else ",") + json.dumps(row, ensure_ascii=False))
        first = False
        if len(batch) >= 500:
            yield "".join(batch).encode()
            batch = []
    yield ("".join(batch) + "]}").encode()
