"""The export page (``/ket-qua/xuat/``): staff choose a framework, a period, a province
and a format, and download the values (DHIS2 JSON, Excel or CSV) — the same cached
values as the dashboard.  A refused export shows why on the page; nothing is sent."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from htxso.core import roles
from htxso.core.access import access
from htxso.core.documents.responses import download_response
from htxso.core.errors import ServiceError
from htxso.core.forms import show_service_error

from . import exports
from .forms_exports import ExportForm

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def file_response(scope: exports.ExportScope, fmt: str, *, data_set: str = "") -> HttpResponse:
    """The export of ``scope`` in ``fmt`` as a download (raises ``ServiceError``)."""
    if fmt == "dhis2":
        document = exports.dhis2_document(scope, data_set=data_set)
        body = json.dumps(document, ensure_ascii=False, indent=1).encode()
        return download_response(body, scope.filename("json"), JSON_CONTENT_TYPE)
    if fmt == "csv":
        return download_response(exports.csv_bytes(scope), scope.filename("csv"), CSV_CONTENT_TYPE)
    return download_response(exports.xlsx_bytes(scope), scope.filename("xlsx"))


@require_safe
@access(roles=roles.STAFF)
def export(request: HttpRequest) -> HttpResponse:
    bound = "framework" in request.GET
    form = ExportForm(request.GET if bound else None, user=request.user)
    status = 200
    if bound:
        if form.is_valid():
            data = form.cleaned_data
            try:
                scope = exports.resolve(
                    user=request.user,
                    framework=data["framework"],
                    period=data["period"],
                    province=data["province"].code if data["province"] else "",
                )
                return file_response(scope, data["format"], data_set=data["data_set"])
            except ServiceError as exc:
                show_service_error(request, exc, form)
        status = 400
    return render(request, "indicators/exports/export.html", {"form": form}, status=status)
