"""The printable A4 sheet of invitation cards for a village meeting: one card per
member with the cooperative, the member's name, the QR code of their one-time link and
short instructions, in Vietnamese and in a font that has every Vietnamese letter (the
DejaVu fonts the stamp labels use)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from htxso.core.pdf_qr import draw_qr

from .services import PrintedCard

# fpdf2 subsets the font through fontTools, which logs every table at INFO level
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor" / "fonts" / "dejavu"
COLS, ROWS = 2, 4
CARD_W, CARD_H = 95.0, 68.0
MARGIN_X, MARGIN_Y = 10.0, 14.0
QR_SIZE = 40.0


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def cards_pdf(cards: Sequence[PrintedCard], *, title: str) -> bytes:
    """The cards as an A4 PDF, eight to a page, with dashed cutting lines."""
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    with translation.override("vi"):
        pdf.set_title(title)
        heading = _("Invitations to HTX Số — cut along the dashed lines, one card per member")
        steps = [
            _("1. Open the camera of your phone and scan the code."),
            _("2. Check your name, choose a password or sign in with a code."),
            _("3. See your membership and capital; open a store on the market."),
        ]
        one_time = _("This code works once. Keep it to yourself.")
        valid = _("Valid until %(date)s")
        per_page = COLS * ROWS
        for i, card in enumerate(cards):
            if i % per_page == 0:
                pdf.add_page()
                pdf.set_font("DejaVu", "B", 9)
                pdf.set_xy(MARGIN_X, 5)
                pdf.cell(0, 5, _fit(pdf, f"{heading} · {title}", 190))
            slot = i % per_page
            x = MARGIN_X + (slot % COLS) * CARD_W
            y = MARGIN_Y + (slot // COLS) * CARD_H
            invitation = card.invitation
            pdf.set_draw_color(150, 150, 150)
            pdf.set_dash_pattern(dash=1.5, gap=1.5)
            pdf.rect(x, y, CARD_W, CARD_H)
            pdf.set_dash_pattern()
            org_name = invitation.organisation.name if invitation.organisation_id else "HTX Số"
            pdf.set_font("DejaVu", "B", 8)
            pdf.set_xy(x + 3, y + 3)
            pdf.cell(CARD_W - 6, 4, _fit(pdf, org_name, CARD_W - 6))
            pdf.set_font("DejaVu", "B", 12)
            pdf.set_xy(x + 3, y + 8)
            pdf.cell(CARD_W - 6, 6, _fit(pdf, invitation.full_name or "—", CARD_W - 6))
            draw_qr(
                pdf, card.link, x + 5, y + 17, QR_SIZE, quiet_zone=False
            )  # a quiet zone after cutting
            text_x, text_w = x + QR_SIZE + 9, CARD_W - QR_SIZE - 12
            pdf.set_font("DejaVu", "", 7.5)
            pdf.set_xy(text_x, y + 17)
            for step in steps:
                pdf.set_x(text_x)
                pdf.multi_cell(text_w, 3.6, step, align="L")
                pdf.set_y(pdf.get_y() + 1)
            pdf.set_font("DejaVu", "B", 7)
            pdf.set_x(text_x)
            pdf.multi_cell(text_w, 3.4, one_time, align="L")
            pdf.set_font("DejaVu", "", 7)
            pdf.set_xy(text_x, y + CARD_H - 8)
            expires = date_format(timezone.localtime(invitation.expires_at), "d/m/Y")
            pdf.cell(text_w, 4, valid % {"date": expires})
    if pdf.page_no() == 0:
        pdf.add_page()
    return bytes(pdf.output())
