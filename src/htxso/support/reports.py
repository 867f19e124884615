"""The support centre's report: volume by type and month, response and resolution
times in working days (medians), share within the SLA, average rating, and the needs
most asked for — the "difficulties and needs to reflect to the authorities" — as a page
and an Excel workbook the province attaches to its reports.

Times are measured when they happen (``first_response_days``, ``resolution_days``,
``within_sla`` on the request, pauses left out), so the report reads columns and never
recomputes a calendar."""

from __future__ import annotations

import datetime as dt
import io
import statistics
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from .models import Outcome, RequestType, ServiceRequest, Status

EXAMPLES = 3


@dataclass
class TypeRow:
    request_type: str
    label: str
    count: int = 0
    open: int = 0
    resolved: int = 0
    examples: list[str] = field(default_factory=list)


@dataclass
class Report:
    year: int
    province: str
    total: int
    months: list[str]
    volume: list[tuple[str, list[int], int]]  # (type label, counts per month, total)
    median_first_response: float | None
    median_resolution: float | None
    within_sla_pct: float | None
    average_rating: float | None
    ratings: int
    needs: list[TypeRow]


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def build(*, user: Any, year: int, province: str = "") -> Report:
    qs = ServiceRequest.objects.allowed(user, "queue").filter(created_at__year=year)
    if province:
        qs = qs.filter(province_id=province)
    labels = dict(RequestType.choices)
    months = [f"{m:02d}/{year}" for m in range(1, 13)]
    counts: dict[str, list[int]] = {t: [0] * 12 for t in RequestType.values}
    for row in (
        qs.annotate(month=TruncMonth("created_at"))
        .values("request_type", "month")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        month: dt.date = row["month"]
        counts[row["request_type"]][month.month - 1] += row["n"]
    volume = [(str(labels[t]), counts[t], sum(counts[t])) for t in RequestType.values]
    first = list(
        qs.filter(first_response_days__isnull=False).values_list("first_response_days", flat=True)
    )
    resolution = list(
        qs.filter(
            resolution_days__isnull=False, outcome__in=[Outcome.RESOLVED, Outcome.NOT_POSSIBLE]
        ).values_list("resolution_days", flat=True)
    )
    figures = qs.aggregate(
        total=Count("pk"),
        measured=Count("pk", filter=Q(within_sla__isnull=False)),
        on_time=Count("pk", filter=Q(within_sla=True)),
        average_rating=Avg("rating"),
        rated=Count("rating"),
    )
    per_type = {
        row["request_type"]: row
        for row in qs.values("request_type")
        .annotate(
            n=Count("pk"),
            open=Count("pk", filter=~Q(status=Status.CLOSED)),
            resolved=Count("pk", filter=Q(outcome=Outcome.RESOLVED)),
        )
        .order_by()
    }
    needs: list[TypeRow] = []
    for t, row in per_type.items():
        item = TypeRow(t, str(labels[t]), row["n"], row["open"], row["resolved"])
        item.examples = list(
            qs.filter(request_type=t)
            .order_by("-created_at")
            .values_list("title", flat=True)[:EXAMPLES]
        )
        needs.append(item)
    needs.sort(key=lambda r: (-r.count, r.label))
    measured = figures["measured"]
    return Report(
        year=year,
        province=province,
        total=figures["total"],
        months=months,
        volume=volume,
        median_first_response=_median(first),
        median_resolution=_median(resolution),
        within_sla_pct=(100.0 * figures["on_time"] / measured) if measured else None,
        average_rating=figures["average_rating"],
        ratings=figures["rated"],
        needs=needs,
    )


def workbook(report: Report, *, place: str) -> bytes:
    """The report as an .xlsx file: the needs table first (what the province attaches),
    then the volume by month and the figures."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("Needs")[:31]
    bold = Font(bold=True)
    ws.append(
        [
            _("Difficulties and needs of cooperatives — %(place)s, %(year)s")
            % {"place": place, "year": report.year}
        ]
    )
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append([_("Type of service"), _("Requests"), _("Open"), _("Resolved"), _("Examples")])
    for cell in ws[3]:
        cell.font = bold
    for row in report.needs:
        ws.append([row.label, row.count, row.open, row.resolved, "; ".join(row.examples)])
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["E"].width = 80
    for line in ws.iter_rows(min_row=4, min_col=5, max_col=5):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    vol = wb.create_sheet(_("Volume")[:31])
    vol.append([_("Type of service"), *report.months, _("Total")])
    for cell in vol[1]:
        cell.font = bold
    for label, counts, total in report.volume:
        vol.append([label, *counts, total])
    vol.column_dimensions["A"].width = 40

    fig = wb.create_sheet(_("Figures")[:31])
    fig.append([_("Requests"), report.total])
    fig.append([_("Median first response (working days)"), report.median_first_response])
    fig.append([_("Median resolution (working days)"), report.median_resolution])
    fig.append(
        [
            _("Closed within the SLA (%)"),
            round(report.within_sla_pct, 1) if report.within_sla_pct is not None else None,
        ]
    )
    fig.append(
        [
            _("Average rating (1–5)"),
            round(report.average_rating, 2) if report.average_rating is not None else None,
        ]
    )
    fig.column_dimensions["A"].width = 45
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
