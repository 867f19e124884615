"""Official letters: the .docx is reopened and checked for the Decree 30 elements."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Mm, Pt

from htxso.core.documents.letters import (
    MOTTO,
    NATIONAL_NAME,
    OfficialLetter,
    letter_from_template,
    number_line,
    place_and_date,
    recipient_lines,
    render_letter_docx,
    split_paragraphs,
)
from htxso.core.documents.templating import TemplateTextError


def _letter(**over) -> OfficialLetter:
    values = {
        "parent_body": "Liên minh HTX Việt Nam",
        "issuing_body": "Liên minh HTX tỉnh Cao Bằng",
        "number": "108",
        "symbol": "LMHTX-KTHT",
        "place": "Cao Bằng",
        "date": dt.date(2024, 4, 2),
        "subject": "tham gia dự án thanh niên chuyển đổi số",
        "recipients": ["Các hợp tác xã trên địa bàn tỉnh"],
        "body": [
            "Thực hiện đề nghị của Liên minh Hợp tác xã Việt Nam, Liên minh HTX tỉnh thông tin.",
            "- Có trên 40% thanh niên (dưới 35 tuổi) đang làm việc tại HTX.",
            "Rất mong nhận được sự quan tâm của các HTX./.",
        ],
        "receivers": ["- Như trên;", "- Lưu: VT."],
        "signer_authority": "TM. Ban Thường vụ",
        "signer_title": "Chủ tịch",
        "signer_name": "Nguyễn Văn Mẫu",
    }
    values.update(over)
    return OfficialLetter(**values)


def _open(letter: OfficialLetter):
    data = render_letter_docx(letter)
    assert data[:2] == b"PK"
    return Document(io.BytesIO(data))


def _runs(paragraph):
    return [r for r in paragraph.runs if r.text.strip()]


def _find(paragraphs, text):
    found = [p for p in paragraphs if text in p.text]
    assert found, f"{text!r} not found in {[p.text for p in paragraphs]}"
    return found[0]


# ------------------------------------------------------------------ formatting ---


@pytest.mark.parametrize(
    "date,expected",
    [
        (dt.date(2024, 2, 5), "Cao Bằng, ngày 05 tháng 02 năm 2024"),
        (dt.date(2024, 11, 15), "Cao Bằng, ngày 15 tháng 11 năm 2024"),
        (dt.date(2024, 3, 5), "Cao Bằng, ngày 05 tháng 3 năm 2024"),
        (dt.date(2024, 1, 10), "Cao Bằng, ngày 10 tháng 01 năm 2024"),
        (dt.date(2024, 4, 2), "Cao Bằng, ngày 02 tháng 4 năm 2024"),
        (dt.date(2025, 12, 31), "Cao Bằng, ngày 31 tháng 12 năm 2025"),
    ],
)
def test_place_and_date_pads_day_below_10_and_month_below_3(date, expected):
    assert place_and_date("Cao Bằng", date) == expected


def test_number_line():
    assert number_line("108", "LMHTX-KTHT") == "Số: 108/LMHTX-KTHT"
    assert number_line("7", "CV-LMHTX") == "Số: 07/CV-LMHTX"
    blank = number_line("", "LMHTX-KTHT")
    assert blank.startswith("Số: ") and blank.endswith("/LMHTX-KTHT")
    assert blank[4 : -len("/LMHTX-KTHT")].strip() == ""  # room for hand numbering
    assert len(blank[4 : -len("/LMHTX-KTHT")]) >= 5


def test_recipient_lines():
    assert recipient_lines(["Các HTX trên địa bàn tỉnh"]) == ["Các HTX trên địa bàn tỉnh."]
    assert recipient_lines(["Sở Tài chính;", "- Liên minh HTX tỉnh.", " "]) == [
        "- Sở Tài chính;",
        "- Liên minh HTX tỉnh.",
    ]


# ----------------------------------------------------------------------- docx ---


def test_page_is_a4_with_decree_margins_and_times_new_roman():
    doc = _open(_letter())
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    eps = Mm(0.1)  # Word stores margins in twentieths of a point
    assert Mm(20) - eps <= section.top_margin <= Mm(25) + eps
    assert Mm(20) - eps <= section.bottom_margin <= Mm(25) + eps
    assert Mm(30) - eps <= section.left_margin <= Mm(35) + eps
    assert Mm(15) - eps <= section.right_margin <= Mm(20) + eps
    assert doc.styles["Normal"].font.name == "Times New Roman"
    runs = [r for p in doc.paragraphs for r in p.runs]
    runs += [r for t in doc.tables for c in t._cells for p in c.paragraphs for r in p.runs]
    assert runs and all(r.font.name == "Times New Roman" for r in runs)


def test_page_numbers_from_page_two():
    section = _open(_letter()).sections[0]
    assert section.different_first_page_header_footer
    xml = section.header._element.xml
    assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
    assert section.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert section.first_page_header.paragraphs[0].text == ""
    assert "PAGE" not in section.first_page_header._element.xml


def test_header_has_bodies_number_motto_place_date_and_subject():
    doc = _open(_letter())
    header = doc.tables[0]
    left, right = header.rows[0].cells
    texts = [p.text for p in left.paragraphs if p.text.strip()]
    assert texts[0] == "LIÊN MINH HTX VIỆT NAM"  # parent body, upright caps
    assert texts[1] == "LIÊN MINH HTX TỈNH CAO BẰNG"  # issuing body, bold caps
    parent, issuing = (_find(left.paragraphs, t) for t in texts[:2])
    assert not _runs(parent)[0].font.bold and _runs(parent)[0].font.size in (Pt(12), Pt(13))
    assert _runs(issuing)[0].font.bold
    # the short solid line under the issuing body: a bordered empty paragraph
    line = left.paragraphs[2]
    assert line.text == "" and "w:bottom" in line._p.xml
    assert "Số: 108/LMHTX-KTHT" in texts
    vv = _find(left.paragraphs, "V/v ")
    assert vv.text == "V/v tham gia dự án thanh niên chuyển đổi số"
    assert _runs(vv)[0].font.size in (Pt(12), Pt(13))

    national = _find(right.paragraphs, NATIONAL_NAME)
    assert national.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert _runs(national)[0].font.bold and _runs(national)[0].font.size in (Pt(12), Pt(13))
    motto = _find(right.paragraphs, MOTTO)
    assert motto.text == "Độc lập - Tự do - Hạnh phúc"
    run = _runs(motto)[0]
    assert run.font.bold and run.font.underline and run.font.size in (Pt(13), Pt(14))
    date = _find(right.paragraphs, "ngày")
    assert date.text == "Cao Bằng, ngày 02 tháng 4 năm 2024"
    assert _runs(date)[0].font.italic
    # the left column is narrower than the right one, together the text width
    widths = [c.width for c in header.rows[0].cells]
    assert widths[0] < widths[1]
    assert abs(sum(widths) - Cm(16.5)) < Cm(0.1)


def test_parent_body_may_be_empty_and_number_blank():
    doc = _open(_letter(parent_body="", number=""))
    left = doc.tables[0].rows[0].cells[0]
    texts = [p.text for p in left.paragraphs if p.text.strip()]
    assert texts[0] == "LIÊN MINH HTX TỈNH CAO BẰNG"
    assert _runs(_find(left.paragraphs, "LIÊN MINH HTX TỈNH"))[0].font.bold
    number = _find(left.paragraphs, "Số:")
    assert number.text.replace("\u00a0", " ").split() == ["Số:", "/LMHTX-KTHT"]


def test_one_recipient_on_the_kinh_gui_line_centred():
    doc = _open(_letter())
    p = _find(doc.paragraphs, "Kính gửi:")
    assert p.text == "Kính gửi: Các hợp tác xã trên địa bàn tỉnh."
    assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert _runs(p)[0].font.size == Pt(14)


def test_several_recipients_listed_below():
    doc = _open(_letter(recipients=["Liên minh HTX các tỉnh", "Sở Tài chính"]))
    texts = [p.text for p in doc.paragraphs]
    i = texts.index("Kính gửi:")
    assert texts[i + 1 : i + 3] == ["- Liên minh HTX các tỉnh;", "- Sở Tài chính."]


def test_body_justified_with_first_line_indent():
    letter = _letter()
    doc = _open(letter)
    for text in letter.body:
        p = _find(doc.paragraphs, text)
        assert p.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert Cm(1) <= p.paragraph_format.first_line_indent <= Cm(1.27) + 10
        assert _runs(p)[0].font.size in (Pt(13), Pt(14))
        assert p.paragraph_format.space_after >= Pt(6)


def test_receivers_and_signature_block():
    doc = _open(_letter())
    footer = doc.tables[-1]
    left, right = footer.rows[0].cells
    head = _find(left.paragraphs, "Nơi nhận:")
    assert head.text == "Nơi nhận:"
    run = _runs(head)[0]
    assert run.font.bold and run.font.italic and run.font.size == Pt(12)
    lines = [p for p in left.paragraphs if p.text.startswith("- ")]
    assert [p.text for p in lines] == ["- Như trên;", "- Lưu: VT."]
    assert all(_runs(p)[0].font.size == Pt(11) and not _runs(p)[0].font.bold for p in lines)
    texts = [p.text for p in right.paragraphs if p.text.strip()]
    assert texts == ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "Nguyễn Văn Mẫu"]
    for p in right.paragraphs:
        for r in _runs(p):
            assert r.font.bold and r.font.size in (Pt(13), Pt(14))
    # room for the signature between the title and the name
    paras = right.paragraphs
    gap = [p.text for p in paras][paras.index(_find(paras, "CHỦ TỊCH")) + 1 : -1]
    assert len(gap) >= 3 and not any(t.strip() for t in gap)


def test_nasty_text_does_not_break_the_file():
    doc = _open(
        _letter(
            subject="a\x00b <w:t> & “quote”",
            body=["x\x0by {{ today }}", "", "   "],
            signer_authority="",
            receivers=[],
        )
    )
    assert _find(doc.tables[0].rows[0].cells[0].paragraphs, "V/v").text == (
        "V/v ab <w:t> & “quote”"
    )
    assert _find(doc.paragraphs, "xy").text == "xy {{ today }}"


# -------------------------------------------------------------- from template ---


class _Template:
    subject = "tham gia {{ programme }}"
    body = (
        "Liên minh HTX {{province}} thông tin.\n\nTiêu chí:\n{{ criteria }}\n\n"
        "Hạn chót: {{ deadline }}./."
    )
    receivers = "- Như trên;\n\n- Lưu: VT."
    signer_authority = "TM. Thường trực"
    signer_title = "Chủ tịch"
    signer_name = ""


def test_letter_from_template_fills_and_splits():
    context = {
        "programme": "Dự án A",
        "province": "tỉnh Cao Bằng",
        "criteria": "- Tiêu chí 1;\n- Tiêu chí 2.",
        "deadline": "04/4/2024",
    }
    letter = letter_from_template(
        _Template(), context, issuing_body="LMHTX", date=dt.date(2024, 4, 2), number="5"
    )
    assert letter.subject == "tham gia Dự án A"
    assert letter.body == [
        "Liên minh HTX tỉnh Cao Bằng thông tin.",
        "Tiêu chí:",
        "- Tiêu chí 1;",
        "- Tiêu chí 2.",
        "Hạn chót: 04/4/2024./.",
    ]
    assert letter.receivers == ["- Như trên;", "- Lưu: VT."]
    assert letter.signer_authority == "TM. Thường trực" and letter.number == "5"
    doc = _open(letter)
    assert "Số: 05" in [p.text for p in doc.tables[0].rows[0].cells[0].paragraphs]


def test_letter_from_template_refuses_missing_values():
    with pytest.raises(TemplateTextError) as err:
        letter_from_template(_Template(), {"programme": "A"})
    assert err.value.code == "unknown_placeholder"
    with pytest.raises(TypeError):
        letter_from_template(_Template(), {}, colour="red")


def test_split_paragraphs_joins_wrapped_lines():
    assert split_paragraphs("một\nhai\n\n- a\n- b\nc\n\n\n") == ["một hai", "- a", "- b c"]


def test_annex_on_its_own_page():
    rows = [
        ["STT", "Tỉnh, thành phố", "Hợp tác xã được chọn"],
        ["1", "Tỉnh Cao Bằng", "HTX Nông nghiệp Mẫu"],
        ["2", "Tỉnh Đắk Lắk"],
    ]
    doc = _open(_letter(annex_title="Danh sách tỉnh được lựa chọn", annex_rows=rows))
    head = _find(doc.paragraphs, "PHỤ LỤC")
    assert head.paragraph_format.page_break_before and _runs(head)[0].font.bold
    assert any(p.text == "DANH SÁCH TỈNH ĐƯỢC LỰA CHỌN" for p in doc.paragraphs)
    ref = _find(doc.paragraphs, "Kèm theo")
    assert ref.text == (
        "(Kèm theo Công văn số 108/LMHTX-KTHT ngày 02/4/2024 của Liên minh HTX tỉnh Cao Bằng)"
    )
    assert _runs(ref)[0].font.italic
    annex = doc.tables[-1]
    assert [[c.text for c in r.cells] for r in annex.rows] == [
        rows[0],
        rows[1],
        ["2", "Tỉnh Đắk Lắk", ""],
    ]
    assert "w:tblHeader" in annex.rows[0]._tr.xml
    assert all("w:cantSplit" in r._tr.xml for r in annex.rows)  # a row never breaks
    widths = [c.width for c in annex.rows[0].cells]
    assert widths[0] < widths[2] and abs(sum(widths) - Cm(16.5)) < Cm(0.1)
    assert all(_runs(p)[0].font.bold for c in annex.rows[0].cells for p in c.paragraphs)
    # the signature table comes before the annex
    assert any(p.text == "Nơi nhận:" for p in doc.tables[-2].rows[0].cells[0].paragraphs)


def test_no_annex_by_default():
    doc = _open(_letter())
    assert not any(p.text == "PHỤ LỤC" for p in doc.paragraphs)
    assert len(doc.tables) == 2
