"""QR codes (segno) for GS1 Digital Link URLs of lots and stamps."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.urls import reverse


def public_base_url(request) -> str:
    """The scheme and host a printed code carries.  A QR code on a bag outlives the
    request that printed it: with ``SITE_URL`` set (required in production) it is the
    platform's public address, whatever host the manager's page was opened on; without
    it (development) the request's own."""
    if settings.SITE_URL_SET:
        return settings.SITE_URL
    return request.build_absolute_uri("/").rstrip("/")


def lot_url(lot) -> str:
    return reverse("trace:resolve_lot", kwargs={"gtin": lot.gtin, "lot": lot.code})


def serial_url(gtin: str, serial: str) -> str:
    return reverse("trace:resolve_serial", kwargs={"gtin": gtin, "serial": serial})


def qr(data: str) -> segno.QRCode:
    return segno.make_qr(data, error="m")


def qr_svg(data: str, *, scale: int = 4) -> bytes:
    out = io.BytesIO()
    qr(data).save(out, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True)
    return out.getvalue()


def qr_png(data: str, *, scale: int = 6) -> bytes:
    out = io.BytesIO()
    qr(data).save(out, kind="png", scale=scale, border=2)
    return out.getvalue()
