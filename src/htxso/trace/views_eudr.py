"""The EUDR geolocation file of a lot and its validation report."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from htxso.core import roles
from htxso.core.access import access
from htxso.core.policy import get_allowed_or_404

from .eudr_export import lot_eudr
from .models import Lot


def _lot(request: HttpRequest, lot_id: int) -> Lot:
    return get_allowed_or_404(
        Lot.objects.select_related("trade_item", "organisation__province"),
        request.user,
        "view",
        pk=lot_id,
    )


@access(roles=roles.READERS)
def eudr_report(request: HttpRequest, lot_id: int) -> HttpResponse:
    lot = _lot(request, lot_id)
    export = lot_eudr(lot=lot)
    return render(
        request, "trace/eudr.html", {"lot": lot, "export": export, "organisation": lot.organisation}
    )


@access(roles=roles.READERS)
def eudr_geojson(request: HttpRequest, lot_id: int) -> HttpResponse:
    lot = _lot(request, lot_id)
    export = lot_eudr(lot=lot)
    response = HttpResponse(export.body, content_type="application/geo+json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="eudr-{lot.gtin}-{lot.code}.geojson"'
    return response
