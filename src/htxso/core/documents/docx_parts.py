"""Low-level python-docx pieces of the Decree 30 layout (fonts, paragraphs, tables,
page setup, page numbers) used by :mod:`.letters`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

if TYPE_CHECKING:
    from docx.blkcntnr import BlockItemContainer
    from docx.document import Document
    from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

FONT = "Times New Roman"

#: Page geometry (mm).
PAGE_WIDTH, PAGE_HEIGHT = 210, 297
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20, 20, 30, 15
#: Width of the header's and the signature's left column (cm); the text is 16.5 cm wide.
HEADER_LEFT, HEADER_RIGHT = 7.0, 9.5
FOOTER_LEFT, FOOTER_RIGHT = 7.0, 9.5
#: Inner left/right padding of the layout tables' cells (twentieths of a point).
CELL_PADDING = 57  # 1 mm


def set_run_font(
    run: Run, size: float, *, bold: bool = False, italic: bool = False, underline: bool = False
) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.underline = underline
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def add_paragraph(
    container: Document | BlockItemContainer,
    text: str = "",
    size: float = 14,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: WD_PARAGRAPH_ALIGNMENT | None = WD_ALIGN_PARAGRAPH.CENTER,
    before: float = 0,
    after: float = 0,
    first_indent: float | None = None,
    left_indent: float | None = None,
    first: bool = False,
) -> Paragraph:
    """Add a paragraph (reusing a table cell's empty first paragraph when ``first``)."""
    p = container.paragraphs[0] if first else container.add_paragraph()
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.0
    if first_indent is not None:
        fmt.first_line_indent = Cm(first_indent)
    if left_indent is not None:
        fmt.left_indent = Cm(left_indent)
    if text:
        lines = text.split("\n")
        for i, line in enumerate(lines):
            run = p.add_run(line)
            set_run_font(run, size, bold=bold, italic=italic, underline=underline)
            if i < len(lines) - 1:
                run.add_break()
    else:
        # an empty paragraph still carries the size (its height)
        mark = p._p.get_or_add_pPr()
        rpr = OxmlElement("w:rPr")
        sz = OxmlElement("w:sz")
        sz.set(qn("w:val"), str(int(size * 2)))
        rpr.append(sz)
        mark.append(rpr)
    return p


def short_line(cell: _Cell, width_cm: float, cell_width_cm: float) -> None:
    """A solid line ``width_cm`` long, centred in the cell (a bordered empty paragraph)."""
    side = max(0.0, (cell_width_cm - width_cm) / 2 - 0.2)
    p = add_paragraph(cell, "", 4, left_indent=side)
    p.paragraph_format.right_indent = Cm(side)
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    # w:pBdr must come before w:spacing/w:ind/w:jc in CT_PPr's sequence
    ppr.insert(0, borders)
    for child in list(ppr):
        if child.tag == qn("w:pStyle"):
            ppr.remove(child)
            ppr.insert(0, child)


def layout_table(document: Document, widths_cm: tuple[float, float]) -> Table:
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
    for col, width in zip(table.columns, widths_cm, strict=True):
        col.width = Cm(width)
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(CELL_PADDING))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)
    # a layout row is never split over two pages (the signature stays in one piece)
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        cant = OxmlElement("w:cantSplit")
        tr_pr.append(cant)
    return table


def setup_page(document: Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(PAGE_WIDTH)
    section.page_height = Mm(PAGE_HEIGHT)
    section.top_margin = Mm(MARGIN_TOP)
    section.bottom_margin = Mm(MARGIN_BOTTOM)
    section.left_margin = Mm(MARGIN_LEFT)
    section.right_margin = Mm(MARGIN_RIGHT)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)


def page_numbers(document: Document) -> None:
    """Page numbers centred at the top from page 2 on (13 pt), none on page 1."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.header_distance = Mm(10)
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
        run = p.add_run()
        set_run_font(run, 13)
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
