"""QR code images (SVG inline in pages, PNG for downloads) drawn with segno.

Error correction level M, quiet zone of 4 modules, black on white (banking apps read
dark-on-light only, whatever the page's theme).
"""

from __future__ import annotations

import io
from pathlib import Path

import segno
from django.utils.translation import gettext as _

__all__ = ["make_qr", "qr_png", "qr_png_captioned", "qr_svg"]

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


FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor" / "fonts" / "dejavu"


def _wrap(draw, text: str, font, width: int) -> list[str]:
    """``text`` cut at spaces into lines at most ``width`` pixels wide."""
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def qr_png_captioned(payload: str, captions: list[str], *, scale: int = 10) -> bytes:
    """A PNG of the QR code for ``payload`` with ``captions`` printed under it, the first
    one in bold (DejaVu Sans, vendored: every Vietnamese letter with its tone marks)."""
    from PIL import Image, ImageDraw, ImageFont

    code = Image.open(io.BytesIO(qr_png(payload, scale=scale))).convert("L")
    width = max(code.width, 480)
    margin = scale * BORDER
    bold = ImageFont.truetype(str(FONT_DIR / "DejaVuSans-Bold.ttf"), 28)
    regular = ImageFont.truetype(str(FONT_DIR / "DejaVuSans.ttf"), 24)
    measure = ImageDraw.Draw(code)
    rows = []
    for i, caption in enumerate(c for c in captions if c):
        font = bold if i == 0 else regular
        rows += [(line, font) for line in _wrap(measure, caption, font, width - margin)]
    line_height = 38
    image = Image.new("L", (width, code.height + line_height * len(rows) + margin // 2), 255)
    image.paste(code, ((width - code.width) // 2, 0))
    draw = ImageDraw.Draw(image)
    y = code.height - scale  # three modules of quiet zone stay clear
    for line, font in rows:
        draw.text((width // 2, y), line, font=font, fill=0, anchor="ma")
        y += line_height
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
