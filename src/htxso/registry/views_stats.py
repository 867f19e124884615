"""Statistics pages and exports.  Thin: parse → access → ``stats`` → render."""

from __future__ import annotations

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from htxso.core import roles
from htxso.core.access import access
from htxso.core.formatting import format_number
from htxso.core.policy import holds
from htxso.core.scoping import get_scope
from htxso.geo.models import Province

from . import exports, exports_bulk, stats
from .stats_charts import dashboard_charts
from .stats_indicators import SHORT_LABELS, format_value, label

SORT_KEYS = ["name", *[code for code, _u in exports.COMPARISON_COLUMNS]]


def _year(request) -> int | None:
    raw = request.GET.get("year", "").strip()
    if raw.isdigit() and len(raw) == 4:
        return int(raw)
    return None


def _context(board: stats.Dashboard, request) -> dict:
    return {
        "board": board,
        "indicators": board.indicators,
        "charts": dashboard_charts(board) if not board.is_empty else [],
        "year_choices": sorted({*board.years, board.year}, reverse=True),
        "statuses": [s.label for s in stats.STATUS_ORDER],
        "kind_rows": [
            {
                "label": r["label"],
                "counts": [format_number(n) for n in r["counts"]],
                "total": format_number(r["total"]),
            }
            for r in board.by_kind_and_status
        ],
        "reports_display": format_number(board.figures.reports),
        "organisations_display": format_number(board.figures.organisation_total),
    }


def _comparison(board: stats.Dashboard, sort: str) -> tuple[list[dict], str, list[dict]]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        key, descending = "name", False
    rows = []
    for p in board.provinces:
        values = p.values
        rows.append(
            {
                "code": p.code,
                "name": p.name,
                "values": values,
                "cells": [
                    format_value(values[code], unit) for code, unit in exports.COMPARISON_COLUMNS
                ],
            }
        )
    if key == "name":
        rows.sort(key=lambda r: r["name"], reverse=descending)
    else:
        present = [r for r in rows if r["values"][key] is not None]
        missing = [r for r in rows if r["values"][key] is None]
        present.sort(key=lambda r: r["values"][key], reverse=descending)
        rows = present + sorted(missing, key=lambda r: r["name"])
    current = ("-" if descending else "") + key
    columns = []
    for code in SORT_KEYS:
        is_current = code == key
        columns.append(
            {
                "code": code,
                "label": _("Province") if code == "name" else SHORT_LABELS[code],
                "title": "" if code == "name" else label(code),
                "sort": ("" if is_current and descending else "-") + code
                if code != "name"
                else ("-name" if is_current and not descending else "name"),
                "aria_sort": ("descending" if descending else "ascending") if is_current else "",
            }
        )
    return rows, current, columns


@access(roles=roles.STAFF)
@require_GET
def stats_home(request):
    """Send each reader to the dashboard of their scope."""
    if holds(request.user, roles.VCA):
        return redirect("registry:stats_national")
    codes = sorted(get_scope(request.user).view_provinces)
    if len(codes) == 1:
        return redirect("registry:stats_province", code=codes[0])
    provinces = Province.objects.filter(pk__in=codes).order_by("code")
    return render(request, "registry/stats/choose.html", {"provinces": provinces})


@access(roles=roles.VCA)
@require_GET
def stats_national(request):
    board = stats.dashboard(user=request.user, year=_year(request))
    rows, sort, columns = _comparison(board, request.GET.get("sort", "name")[:40])
    context = _context(board, request) | {"rows": rows, "sort": sort, "columns": columns}
    return render(request, "registry/stats/national.html", context)


@access(roles=roles.STAFF)
@require_GET
def stats_province(request, code: str):
    board = stats.dashboard(user=request.user, province=code, year=_year(request))
    return render(request, "registry/stats/province.html", _context(board, request))


def _xlsx(board: stats.Dashboard, name: str) -> HttpResponse:
    response = HttpResponse(exports.dashboard_xlsx(board), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}-{board.year}.xlsx"'
    return response


@access(roles=roles.VCA)
@require_GET
def stats_national_xlsx(request):
    board = stats.dashboard(user=request.user, year=_year(request))
    return _xlsx(board, "thong-ke-toan-quoc")


@access(roles=roles.STAFF)
@require_GET
def stats_province_xlsx(request, code: str):
    board = stats.dashboard(user=request.user, province=code, year=_year(request))
    return _xlsx(board, f"thong-ke-tinh-{board.province_code}")


# ------------------------------------------------------------------ open data ---


def _open_data_province(request) -> str:
    code = request.GET.get("province", "").strip()
    if not code:
        return ""
    if not (len(code) == 2 and code.isdigit()) or not Province.objects.filter(pk=code).exists():
        raise Http404
    return code


@access(public=True)
@require_GET
def open_data(request):
    provinces = Province.objects.order_by("code")
    return render(
        request,
        "registry/stats/open_data.html",
        {
            "provinces": provinces,
            "fields": exports.OPEN_DATA_FIELDS,
            "sync_export_ready": exports_bulk.latest_export() is not None,
        },
    )


@access(public=True)
@require_GET
def open_data_csv(request):
    province = _open_data_province(request)
    response = StreamingHttpResponse(
        exports.open_data_csv(province=province), content_type="text/csv; charset=utf-8"
    )
    suffix = f"-{province}" if province else ""
    response["Content-Disposition"] = f'attachment; filename="to-chuc{suffix}.csv"'
    return response


@access(public=True)
@require_GET
def open_data_json(request):
    province = _open_data_province(request)
    return StreamingHttpResponse(
        exports.open_data_json(province=province), content_type="application/json"
    )
