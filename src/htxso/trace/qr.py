"""QR codes (segno) for GS1 Digital Link URLs of lots and stamps."""

from __future__ import annotations

import io

import segno
from django.urls import reverse


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
