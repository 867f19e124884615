"""The capital certificate as a PDF: A4 portrait, Vietnamese (DejaVu fonts), with the QR
code of its public verification page (which shows no amount and no ID number)."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from htxso.core.formatting import format_vnd
from htxso.core.pdf_qr import draw_qr

from .models.register import CapitalCertificate

logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor" / "fonts" / "dejavu"
QR_SIZE = 40.0


def verify_url(certificate: CapitalCertificate) -> str:
    path = reverse("governance:certificate_verify", args=[certificate.token])
    return f"{settings.SITE_URL}{path}"


def certificate_pdf(certificate: CapitalCertificate) -> bytes:
    org = certificate.organisation
    member = certificate.membership
    pdf = FPDF(orientation="P", format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    url = verify_url(certificate)
    width = 210 - 2 * 20
    with translation.override("vi"):
        pdf.set_title(_("Capital certificate %(number)s") % {"number": certificate.number})
        pdf.set_creator("HTX Số")
        pdf.add_page()
        pdf.set_draw_color(20, 90, 60)
        pdf.set_line_width(1.0)
        pdf.rect(10, 10, 190, 277)
        pdf.set_font("DejaVu", "B", 11)
        pdf.set_xy(20, 20)
        pdf.multi_cell(width, 6, org.name.upper(), align="C")
        pdf.set_font("DejaVu", "B", 11)
        pdf.set_x(20)
        pdf.cell(
            width, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_font("DejaVu", "", 10)
        pdf.set_x(20)
        pdf.cell(width, 6, "Độc lập - Tự do - Hạnh phúc", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "B", 20)
        pdf.set_text_color(20, 90, 60)
        pdf.set_xy(20, 55)
        pdf.cell(width, 12, _("CERTIFICATE OF CAPITAL CONTRIBUTION"), align="C")
        pdf.set_text_color(0, 0, 0)
        pdf.set_font("DejaVu", "", 12)
        pdf.set_xy(20, 70)
        pdf.cell(width, 7, _("Number: %(number)s") % {"number": certificate.number}, align="C")
        lines = [
            (_("Cooperative"), org.name),
            (_("Member"), member.person.full_name),
            (_("Kind of member"), str(member.get_kind_display())),
            (_("Member since"), member.joined_on.strftime("%d/%m/%Y")),
            (_("Capital paid"), format_vnd(certificate.amount)),
            (_("Issued on"), certificate.issued_on.strftime("%d/%m/%Y")),
        ]
        y = 90
        for label, value in lines:
            pdf.set_font("DejaVu", "", 12)
            pdf.set_xy(25, y)
            pdf.cell(55, 8, f"{label}:")
            pdf.set_font("DejaVu", "B", 12)
            pdf.set_xy(80, y)
            pdf.multi_cell(105, 8, value)
            y = max(y + 10, pdf.get_y() + 2)
        pdf.set_font("DejaVu", "", 10)
        pdf.set_xy(25, y + 4)
        pdf.multi_cell(
            160,
            5,
            _(
                "This certificate replaces any earlier certificate of the member. It is valid"
                " while the verification page says it is current."
            ),
        )
        draw_qr(pdf, url, 25, 215, QR_SIZE)
        pdf.set_font("DejaVu", "", 9)
        pdf.set_xy(70, 225)
        pdf.multi_cell(
            120, 5, _("Check this certificate: scan the code or open %(url)s") % {"url": url}
        )
        pdf.set_font("DejaVu", "B", 11)
        pdf.set_xy(120, 190)
        pdf.cell(70, 6, _("FOR THE COOPERATIVE"), align="C")
    return bytes(pdf.output())
