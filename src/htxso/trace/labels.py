"""The printable sheet of stamp labels: A4, QR codes of the stamps' Digital Links with
the product name and the serial, in a font that has every Vietnamese letter."""

from __future__ import annotations

import logging
from pathlib import Path

from django.utils.translation import gettext as _
from fpdf import FPDF

from htxso.core.pdf_qr import draw_qr

from .qr import serial_url

# fpdf2 subsets the font through fontTools, which logs every table at INFO level
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor" / "fonts" / "dejavu"
COLS, ROWS = 4, 6
#: Labels per downloaded file (a bigger batch is printed in parts).
PER_FILE = 1000
LABEL_W, LABEL_H = 48.0, 44.0
MARGIN_X, MARGIN_Y = 9.0, 16.0


def label_sheet_pdf(batch, *, base_url: str, start: int = 0, limit: int | None = None) -> bytes:
    """Labels ``start`` … ``start + limit`` of the batch (in serial order) as an A4 PDF."""
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(_("Anti-counterfeit stamps — %(product)s") % {"product": batch.trade_item.name})
    pdf.set_author(batch.organisation.name)
    stamps = batch.stamps.order_by("id").values_list("serial", flat=True)
    stamps = stamps[start : start + limit] if limit else stamps[start:]
    per_page = COLS * ROWS
    header = _("%(org)s — %(product)s — stamp batch #%(batch)s") % {
        "org": batch.organisation.name,
        "product": batch.trade_item.name,
        "batch": batch.pk,
    }
    scan_text = _("Scan to check it is genuine")
    gtin = batch.trade_item.gtin
    name = batch.trade_item.name
    for i, serial in enumerate(stamps.iterator(chunk_size=500)):
        if i % per_page == 0:
            pdf.add_page()
            pdf.set_font("DejaVu", "B", 9)
            pdf.set_xy(MARGIN_X, 6)
            pdf.cell(0, 5, header)
        slot = i % per_page
        x = MARGIN_X + (slot % COLS) * LABEL_W
        y = MARGIN_Y + (slot // COLS) * LABEL_H
        url = base_url + serial_url(gtin, serial)
        draw_qr(pdf, url, x + 10, y + 1, 28, quiet_zone=False, mask=0)
        pdf.set_font("DejaVu", "B", 7)
        pdf.set_xy(x + 1, y + 29.5)
        pdf.cell(LABEL_W - 2, 3.6, name[:34], align="C")
        pdf.set_font("DejaVu", "", 6)
        pdf.set_xy(x + 1, y + 33.1)
        pdf.cell(LABEL_W - 2, 3.2, scan_text, align="C")
        pdf.set_font("DejaVu", "B", 8)
        pdf.set_xy(x + 1, y + 36.4)
        pdf.cell(LABEL_W - 2, 4, serial, align="C")
    if pdf.page_no() == 0:
        pdf.add_page()
    return bytes(pdf.output())
