"""Official letters (công văn) as .docx in the layout of Decree 30/2020/NĐ-CP, Appendix I.

The layout follows the decree's rules for an administrative letter:

* A4 paper; margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman.
* Header, two columns without borders.  Left: the parent body (upright caps 13), the
  issuing body (bold caps 13) and a short solid line under it (one third of the column),
  then "Số: 108/LMHTX-KTHT" (13) and the subject "V/v …" (12) below it.  Right: the
  national name "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (bold caps 12), the motto
  "Độc lập - Tự do - Hạnh phúc" (bold 14, underlined over its own length), then the place
  and date in italics (14): "Cao Bằng, ngày 05 tháng 3 năm 2024" — days below 10 and
  months below 3 take a leading zero.
* "Kính gửi:" (14) centred; one recipient on the same line, several as a list below,
  each on its own line starting with "-" and ending with ";" (the last with ".").
* Body paragraphs 14, justified, first line indented 1.27 cm, 6 pt between paragraphs.
* Page numbers centred at the top from the second page on.
* An optional annex (Phụ lục) on a new page: a bordered table, header row repeated.
* Bottom, two columns: "Nơi nhận:" (bold italic 12) with one line per receiver (11);
  the signing authority and title (bold caps 14), room for the signature and seal,
  and the signer's name (bold 14).

An empty number leaves "Số:      /LMHTX-KTHT" for the clerk to number by hand, as the
registry of outgoing documents is usually kept on paper.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Cm

from .docx_parts import (
    FOOTER_LEFT,
    FOOTER_RIGHT,
    HEADER_LEFT,
    HEADER_RIGHT,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    PAGE_WIDTH,
    add_paragraph,
    layout_table,
    page_numbers,
    setup_page,
    short_line,
)
from .templating import render_template_text

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

    from htxso.core.models import LetterTemplate

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

# Characters XML 1.0 cannot carry (python-docx would raise on them).
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class OfficialLetter:
    parent_body: str
    issuing_body: str
    number: str
    symbol: str
    place: str
    date: dt.date
    subject: str
    recipients: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    receivers: list[str] = field(default_factory=list)
    signer_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""
    #: Optional annex on its own page ("Phụ lục … (Kèm theo Công văn số …)"): a table
    #: whose first row is the header, e.g. the selected provinces and cooperatives.
    annex_title: str = ""
    annex_rows: list[list[str]] = field(default_factory=list)


# ----------------------------------------------------------------- formatting ---


def _clean(text: str | None) -> str:
    return _XML_BAD.sub("", str(text or "")).strip()


def place_and_date(place: str, date: dt.date) -> str:
    """ "Cao Bằng, ngày 05 tháng 3 năm 2024": day < 10 and month < 3 take a zero."""
    day = f"{date.day:02d}"
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    when = f"ngày {day} tháng {month} năm {date.year}"
    place = _clean(place)
    return f"{place}, {when}" if place else when.capitalize()


def number_line(number: str, symbol: str) -> str:
    """ "Số: 108/LMHTX-KTHT"; numbers below 10 take a zero; blank for hand numbering."""
    number = _clean(number)
    if number.isdigit() and int(number) < 10:
        number = f"{int(number):02d}"
    if not number:
        number = "\u00a0" * 6  # room for the clerk's hand-written number
    symbol = _clean(symbol)
    return f"Số: {number}/{symbol}" if symbol else f"Số: {number}"


def recipient_lines(recipients: list[str]) -> list[str]:
    """Several recipients: "- X;" each, the last ending with "."."""
    names = [_clean(r).lstrip("-–•").strip().rstrip(";.,") for r in recipients]
    names = [n for n in names if n]
    if len(names) <= 1:
        return [n + "." for n in names]
    return [f"- {n};" for n in names[:-1]] + [f"- {names[-1]}."]


# ---------------------------------------------------------------------- render ---


def _header(document: DocxDocument, letter: OfficialLetter) -> None:
    table = layout_table(document, (HEADER_LEFT, HEADER_RIGHT))
    left, right = table.rows[0].cells
    parent = _clean(letter.parent_body).upper()
    issuing = _clean(letter.issuing_body).upper()
    if parent:
        add_paragraph(left, parent, 13, first=True)
        add_paragraph(left, issuing, 13, bold=True)
    else:
        add_paragraph(left, issuing, 13, bold=True, first=True)
    short_line(left, HEADER_LEFT / 3, HEADER_LEFT)
    add_paragraph(left, number_line(letter.number, letter.symbol), 13, before=6)
    subject = _clean(letter.subject)
    if subject:
        add_paragraph(left, f"V/v {subject}", 12, before=6)

    add_paragraph(right, NATIONAL_NAME, 12, bold=True, first=True)
    add_paragraph(right, MOTTO, 14, bold=True, underline=True)
    add_paragraph(right, "", 13)
    add_paragraph(right, place_and_date(letter.place, letter.date), 14, italic=True, before=6)


def _recipients(document: DocxDocument, letter: OfficialLetter) -> None:
    lines = recipient_lines(letter.recipients)
    if not lines:
        return
    if len(lines) == 1:
        add_paragraph(document, f"Kính gửi: {lines[0]}", 14, before=12, after=12)
        return
    add_paragraph(document, "Kính gửi:", 14, before=12, after=0)
    for i, line in enumerate(lines):
        add_paragraph(
            document,
            line,
            14,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            left_indent=4.0,
            after=12 if i == len(lines) - 1 else 0,
        )


def _body(document: DocxDocument, letter: OfficialLetter) -> None:
    last = None
    for paragraph in letter.body:
        text = _clean(paragraph)
        if not text:
            continue
        p = add_paragraph(
            document,
            text,
            14,
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            first_indent=1.27,
            after=6,
        )
        p.paragraph_format.line_spacing = 1.15
        last = p
    if last is not None:
        # the signature never stands alone on the last page: the closing paragraph
        # goes over with it
        last.paragraph_format.keep_with_next = True


def _signature(document: DocxDocument, letter: OfficialLetter) -> None:
    add_paragraph(document, "", 14).paragraph_format.keep_with_next = True
    table = layout_table(document, (FOOTER_LEFT, FOOTER_RIGHT))
    left, right = table.rows[0].cells
    add_paragraph(
        left, "Nơi nhận:", 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=True
    )
    for line in letter.receivers:
        line = _clean(line)
        if line:
            add_paragraph(left, line, 11, align=WD_ALIGN_PARAGRAPH.LEFT)

    authority = _clean(letter.signer_authority).upper()
    title = _clean(letter.signer_title).upper()
    first = True
    for text in (authority, title):
        if text:
            add_paragraph(right, text, 14, bold=True, first=first)
            first = False
    for _i in range(4):  # room for the signature and the seal
        add_paragraph(right, "", 14, first=first)
        first = False
    name = _clean(letter.signer_name)
    if name:
        add_paragraph(right, name, 14, bold=True)


def annex_reference(letter: OfficialLetter) -> str:
    """ "(Kèm theo Công văn số 108/LMHTX-KTHT ngày 02/4/2024 của Liên minh HTX tỉnh …)"."""
    number = number_line(letter.number, letter.symbol)[len("Số: ") :]
    date = f"{letter.date.day:02d}/{letter.date.month}/{letter.date.year}"
    issuer = _clean(letter.issuing_body)  # as written: lower-casing would break names
    return f"(Kèm theo Công văn số {number} ngày {date} của {issuer})"


def _annex(document: DocxDocument, letter: OfficialLetter) -> None:
    rows = [[_clean(c) for c in row] for row in letter.annex_rows if row]
    if not rows:
        return
    p = add_paragraph(document, "PHỤ LỤC", 14, bold=True)
    p.paragraph_format.page_break_before = True
    title = _clean(letter.annex_title).upper()
    if title:
        add_paragraph(document, title, 14, bold=True)
    add_paragraph(document, annex_reference(letter), 14, italic=True, after=12)
    ncols = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=ncols)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # column widths in proportion to their longest text (6 to 40 characters)
    longest = [
        min(40, max(6, *(len(r[j]) if j < len(r) else 0 for r in rows))) for j in range(ncols)
    ]
    text_width = (PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / 10
    widths = [text_width * n / sum(longest) for n in longest]
    table.autofit = False
    for col, width in zip(table.columns, widths, strict=True):
        col.width = Cm(width)
    for i, row in enumerate(rows):
        table.rows[i]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        cells = table.rows[i].cells
        for j in range(ncols):
            cells[j].width = Cm(widths[j])
            text = row[j] if j < len(row) else ""
            align = WD_ALIGN_PARAGRAPH.CENTER if i == 0 else WD_ALIGN_PARAGRAPH.LEFT
            add_paragraph(cells[j], text, 12, bold=i == 0, align=align, first=True)
    # the header row is repeated at the top of every page of the annex
    header_pr = table.rows[0]._tr.get_or_add_trPr()
    header_pr.append(OxmlElement("w:tblHeader"))


def render_letter_docx(letter: OfficialLetter) -> bytes:
    """The letter as a .docx file (bytes) in the Decree 30 layout."""
    document = Document()
    setup_page(document)
    page_numbers(document)
    _header(document, letter)
    _recipients(document, letter)
    _body(document, letter)
    _signature(document, letter)
    _annex(document, letter)
    core = document.core_properties
    core.title = f"V/v {_clean(letter.subject)}"[:255]
    core.author = _clean(letter.issuing_body)[:255]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -------------------------------------------------------------- from templates ---


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of an edited text: blocks separated by a blank line; inside a block,
    a line starting with "-", "+" or "•" (a list item) starts a new paragraph and other
    lines continue the previous one."""
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").replace("\r", "\n")):
        current: list[str] = []
        for line in block.split("\n"):
            line = line.strip()
            if not line:
                continue
            if line[0] in "-+•" and current:
                paragraphs.append(" ".join(current))
                current = []
            current.append(line)
        if current:
            paragraphs.append(" ".join(current))
    return paragraphs


def letter_from_template(
    template: LetterTemplate, context: dict[str, str], **fields: Any
) -> OfficialLetter:
    """An :class:`OfficialLetter` from a ``LetterTemplate`` filled with ``context``.

    ``fields`` gives the letter's own parts (issuing_body, number, symbol, place, date,
    recipients, parent_body…) and may override the template's subject, receivers and
    signer.  Text given in ``fields`` is used as it is (not filled).  Raises
    ``TemplateTextError`` when the template uses a placeholder missing from ``context``.
    """
    allowed = {
        "parent_body",
        "issuing_body",
        "number",
        "symbol",
        "place",
        "date",
        "subject",
        "recipients",
        "body",
        "receivers",
        "signer_authority",
        "signer_title",
        "signer_name",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"letter_from_template: unknown fields {sorted(unknown)}")
    subject = render_template_text(template.subject, context)
    body = split_paragraphs(render_template_text(template.body, context))
    receivers_text = render_template_text(template.receivers, context)
    receivers = [line.strip() for line in receivers_text.splitlines() if line.strip()]
    values: dict[str, Any] = {
        "parent_body": "",
        "issuing_body": "",
        "number": "",
        "symbol": "",
        "place": "",
        "date": timezone.localdate(),
        "subject": subject,
        "recipients": [],
        "body": body,
        "receivers": receivers,
        "signer_authority": template.signer_authority,
        "signer_title": template.signer_title,
        "signer_name": template.signer_name,
    }
    values.update(fields)
    return OfficialLetter(**values)
