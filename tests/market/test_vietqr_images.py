"""QR images of VietQR payloads: the PNG opens with Pillow and its modules are exactly the
QR matrix of the payload; the SVG is a clean inline element."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import segno
from PIL import Image

from htxso.market.qr import BORDER, make_qr, qr_png, qr_svg
from htxso.market.vietqr import build_payload

PAYLOAD = build_payload(bin="970446", account="0123456789", amount=245000, note="DH-000042")


def _modules_from_png(png: bytes, scale: int) -> list[list[int]]:
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG"
    gray = image.convert("L")
    size = gray.width // scale
    assert gray.width == gray.height == size * scale
    rows = []
    for y in range(BORDER, size - BORDER):
        row = []
        for x in range(BORDER, size - BORDER):
            pixel = gray.getpixel((x * scale + scale // 2, y * scale + scale // 2))
            row.append(1 if pixel < 128 else 0)
        rows.append(row)
    # The quiet zone is white.
    assert all(gray.getpixel((x, 0)) > 128 for x in range(gray.width))
    return rows


def test_png_modules_equal_the_payload_matrix():
    png = qr_png(PAYLOAD, scale=6)
    expected = [list(row) for row in segno.make(PAYLOAD, error="m", micro=False).matrix]
    assert _modules_from_png(png, 6) == expected
    # Another payload gives another matrix: the comparison can fail.
    other = [list(row) for row in make_qr(PAYLOAD.replace("245000", "245001")).matrix]
    assert other != expected


def test_svg_is_inline_and_titled():
    svg = qr_svg(PAYLOAD, scale=4)
    assert svg.startswith("<svg ") and "<?xml" not in svg
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") and root.get("width") == root.get("height")
    assert root.find(f"{ns}title").text
    assert PAYLOAD not in svg  # nothing of the payload is echoed as text


def test_svg_title_is_escaped():
    svg = qr_svg("x", title='<script>alert("x")</script>')
    assert "<script>" not in svg
    ET.fromstring(svg)
