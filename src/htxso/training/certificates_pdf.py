"""The printable certificate: A4 landscape, Vietnamese (DejaVu fonts, every Vietnamese
letter), with the QR code of its public verification page."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from htxso.core.pdf_qr import draw_qr

from .models import Certificate

logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor" / "fonts" / "dejavu"
QR_SIZE = 42.0


def verify_url(certificate: Certificate) -> str:
    return f"{settings.SITE_URL}{reverse('training:certificate_public', args=[certificate.code])}"


def _fit(pdf: FPDF, text: str, width: float, size: float, style: str = "") -> None:
    """Shrink the font until ``text`` fits ``width`` (long names and titles)."""
    while size > 8 and pdf.get_string_width(text) > width:
        size -= 0.5
        pdf.set_font("DejaVu", style, size)


def certificate_pdf(certificate: Certificate) -> bytes:
    snap = certificate.snapshot
    pdf = FPDF(orientation="L", format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    url = verify_url(certificate)
    with translation.override("vi"):
        pdf.set_title(_("Certificate %(code)s") % {"code": certificate.code})
        pdf.set_creator("HTX Số")
        pdf.add_page()
        width = 297 - 2 * 20
        pdf.set_draw_color(20, 90, 60)
        pdf.set_line_width(1.2)
        pdf.rect(10, 10, 277, 190)
        pdf.set_line_width(0.3)
        pdf.rect(13, 13, 271, 184)
        pdf.set_font("DejaVu", "B", 11)
        pdf.set_xy(20, 22)
        pdf.cell(width, 6, snap.get("issuer", ""), align="C")
        pdf.set_font("DejaVu", "B", 30)
        pdf.set_text_color(20, 90, 60)
        pdf.set_xy(20, 40)
        pdf.cell(width, 14, _("CERTIFICATE"), align="C")
        pdf.set_text_color(0, 0, 0)
        pdf.set_font("DejaVu", "", 13)
        pdf.set_xy(20, 60)
        pdf.cell(width, 8, _("This certifies that"), align="C")
        pdf.set_font("DejaVu", "B", 24)
        _fit(pdf, snap.get("name", ""), width, 24, "B")
        pdf.set_xy(20, 72)
        pdf.cell(width, 12, snap.get("name", ""), align="C")
        pdf.set_font("DejaVu", "", 13)
        pdf.set_xy(20, 90)
        pdf.cell(width, 8, _("has completed the course"), align="C")
        pdf.set_font("DejaVu", "B", 17)
        pdf.set_xy(20, 100)
        pdf.multi_cell(width, 8, snap.get("course", ""), align="C")
        pdf.set_font("DejaVu", "", 12)
        issued = date.fromisoformat(snap["issued_on"]).strftime("%d/%m/%Y")
        lines = [_("Duration: %(hours)s hours") % {"hours": snap.get("hours", "0")}]
        if snap.get("funded_by"):
            lines.append(_("Funded by: %(funder)s") % {"funder": snap["funded_by"]})
        lines.append(_("Issued on %(date)s") % {"date": issued})
        pdf.set_y(max(pdf.get_y() + 4, 122))
        for line in lines:
            pdf.set_x(20)
            pdf.cell(width, 7, line, align="C", new_x="LMARGIN", new_y="NEXT")
        draw_qr(pdf, url, 30, 150, QR_SIZE)
        pdf.set_font("DejaVu", "", 9)
        pdf.set_xy(75, 160)
        pdf.multi_cell(
            150,
            5,
            _("Check this certificate: scan the code or open %(url)s") % {"url": url},
            align="L",
        )
        pdf.set_font("DejaVu", "B", 11)
        pdf.set_xy(75, 178)
        pdf.cell(150, 6, _("Code: %(code)s") % {"code": certificate.code})
    return bytes(pdf.output())
