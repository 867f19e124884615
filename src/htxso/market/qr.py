"""QR code images (SVG inline in pages, PNG for downloads) drawn with segno.

Error correction level M, quiet zone of 4 modules, black on white (banking apps read
dark-on-light only, whatever the page's theme).
"""

from __future__ import annotations

import io

import segno
from django.utils.translation import gettext as _

__all__ = ["make_qr", "qr_png", "qr_svg"]

BORDER = 4


def make_qr(payload: str) -> segno.QRCode:
    """The segno QR code for ``payload`` (never a Micro QR)."""
    if not payload:
        raise ValueError("empty QR payload")
    return segno.make(payload, error="m", micro=False, boost_error=False)


def qr_svg(payload: str, *, scale: int = 4, title: str | None = None) -> str:
    """An inline ``<svg>`` element (no XML declaration) for ``payload``.

    The SVG has a ``<title>`` (escaped by segno), ``role="img"``, a ``viewBox`` so CSS
    can scale it, and ``width``/``height`` of the natural size. It contains no text from
    the payload other than the escaped title, so it is safe to ``mark_safe``.
    """
    qr = make_qr(payload)
    out = io.BytesIO()
    qr.save(
        out,
        kind="svg",
        scale=scale,
        border=BORDER,
        xmldecl=False,
        svgns=True,
        title=title or _("VietQR payment code"),
        dark="#000",
        light="#fff",
        omitsize=True,
        svgclass="qr",
        lineclass=None,
    )
    svg = out.getvalue().decode("utf-8")
    size = qr.symbol_size(scale=scale, border=BORDER)[0]
    return svg.replace("<svg ", f'<svg width="{size}" height="{size}" role="img" ', 1)


def qr_png(payload: str, *, scale: int = 6) -> bytes:
    """A PNG image of the QR code for ``payload``."""
    out = io.BytesIO()
    make_qr(payload).save(out, kind="png", scale=scale, border=BORDER, dark="#000", light="#fff")
    return out.getvalue()
