"""The assembly's minutes and an adopted resolution as Word documents (Decree 30 layout,
through :mod:`htxso.core.documents`).

In Vietnamese (they go to the members and the alliance): the header (the cooperative |
the national name and motto, place and date), the title, then for the minutes: the
assembly (time, place, how members took part, the call), attendance (each member present,
how, with a vote or not), the quorum with its article, each vote (kind of matter, open or
secret, the threshold and its article, online votes and paper totals apart, the result)
and the signatures of the chair and the secretary.  A secret ballot's document has counts
only.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from htxso.core.documents.docx_parts import (
    FOOTER_LEFT,
    FOOTER_RIGHT,
    HEADER_LEFT,
    HEADER_RIGHT,
    add_paragraph,
    layout_table,
    page_numbers,
    setup_page,
    short_line,
)
from htxso.core.documents.letters import MOTTO, NATIONAL_NAME, place_and_date
from htxso.core.documents.letters import _clean as clean

from . import selectors_votes as sel
from .models import Assembly, Attendance, Resolution, ResolutionStatus

MATTER_VI = {
    "charter": "Sửa đổi, bổ sung Điều lệ",
    "major_asset_deal": "Đầu tư, mua, bán tài sản từ 20% tổng tài sản trở lên",
    "governance_model": "Thay đổi mô hình tổ chức quản trị",
    "reorganisation": "Hợp nhất, sáp nhập, chia, tách, chuyển đổi",
    "dissolution": "Giải thể",
    "election": "Bầu, bãi nhiệm, miễn nhiệm",
    "financial": "Báo cáo tài chính và kế hoạch sản xuất, kinh doanh",
    "profit": "Phân phối thu nhập và sử dụng các quỹ",
    "membership": "Kết nạp, chấm dứt tư cách thành viên",
    "other": "Vấn đề khác",
}
MODE_VI = {
    "in_person": "trực tiếp",
    "online": "trực tuyến",
    "hybrid": "trực tiếp kết hợp trực tuyến",
}
CHANNEL_VI = {"hall": "tại hội trường", "online": "trực tuyến", "desk": "đăng ký tại bàn thư ký"}
KIND_VI = {"annual": "thường niên", "extraordinary": "bất thường"}


def _para(document: Any, text: str, *, bold: bool = False, indent: bool = True) -> None:
    for line in clean(text).split("\n") or [""]:
        p = add_paragraph(
            document,
            line,
            13,
            bold=bold,
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            first_indent=1.0 if indent else None,
            after=4,
        )
        p.paragraph_format.line_spacing = 1.15


def _header(document: Any, assembly: Assembly, day: Any) -> None:
    organisation = assembly.organisation
    table = layout_table(document, (HEADER_LEFT, HEADER_RIGHT))
    left, right = table.rows[0].cells
    add_paragraph(left, clean(organisation.name).upper(), 12, bold=True, first=True)
    short_line(left, HEADER_LEFT / 3, HEADER_LEFT)
    add_paragraph(right, NATIONAL_NAME, 12, bold=True, first=True)
    add_paragraph(right, MOTTO, 13, bold=True, underline=True)
    add_paragraph(
        right, place_and_date(organisation.province.short_name, day), 13, italic=True, before=6
    )


def _signatures(document: Any, left_title: str, right_title: str) -> None:
    table = layout_table(document, (FOOTER_LEFT, FOOTER_RIGHT))
    left, right = table.rows[0].cells
    add_paragraph(left, left_title, 13, bold=True, first=True, before=12)
    add_paragraph(left, "(Ký, ghi rõ họ tên)", 13, italic=True)
    add_paragraph(right, right_title, 13, bold=True, first=True, before=12)
    add_paragraph(right, "(Ký, ghi rõ họ tên)", 13, italic=True)


def threshold_vi(resolution: Resolution) -> str:
    if resolution.majority is None:
        return "chưa xác định (chưa mở biểu quyết)"
    word = "ít nhất" if resolution.majority_inclusive else "trên"
    pct = f"{resolution.majority.normalize():f}".replace(".", ",")
    return (
        f"{word} {pct}% tổng số phiếu biểu quyết của thành viên có quyền biểu quyết "
        f"có mặt ({clean(resolution.majority_article)})"
    )


def _vote_lines(resolution: Resolution) -> list[str]:
    lines = [
        f"Loại vấn đề: {MATTER_VI.get(resolution.matter, resolution.matter)}.",
        "Hình thức: " + ("bỏ phiếu kín." if resolution.secret else "biểu quyết công khai."),
        f"Tỷ lệ thông qua: {threshold_vi(resolution)}.",
    ]
    found = sel.results(resolution)
    if found is None:
        status = "chưa mở" if resolution.status == ResolutionStatus.DRAFT else "đang biểu quyết"
        lines.append(f"Kết quả: {status}.")
        return lines
    lines.append(
        f"Biểu quyết trực tuyến: tán thành {found.online.yes}, không tán thành "
        f"{found.online.no}, không có ý kiến {found.online.abstain}."
    )
    if found.paper is not None:
        p = found.paper
        lines.append(
            f"Phiếu giấy (kiểm phiếu: {clean(p.teller_1)}, {clean(p.teller_2)}): phát ra "
            f"{p.ballots_issued}, tán thành {p.yes}, không tán thành {p.no}, không có ý kiến "
            f"{p.abstain}, không hợp lệ {p.invalid}."
        )
    lines.append(
        f"Tổng cộng: tán thành {found.yes}/{found.voters_present} thành viên có quyền biểu "
        f"quyết có mặt ({str(found.yes_pct).replace('.', ',')}%), không tán thành {found.no}, "
        f"không có ý kiến {found.abstain}."
    )
    lines.append(
        "Kết quả: "
        + ("THÔNG QUA." if found.passed else "KHÔNG THÔNG QUA.")
        + (f" Số nghị quyết: {clean(resolution.number)}." if resolution.number else "")
    )
    return lines


def render_minutes_docx(assembly: Assembly, *, day: Any = None) -> bytes:
    """The .docx bytes of the minutes of ``assembly``."""
    day = day or timezone.localdate()
    document = Document()
    setup_page(document)
    page_numbers(document)
    _header(document, assembly, day)
    add_paragraph(document, "BIÊN BẢN", 14, bold=True, before=18)
    add_paragraph(
        document,
        f"ĐẠI HỘI {'ĐẠI BIỂU' if assembly.is_delegate else 'THÀNH VIÊN'} "
        f"{KIND_VI.get(assembly.kind, '').upper()} NĂM {assembly.year}",
        14,
        bold=True,
        after=10,
    )
    when = timezone.localtime(assembly.scheduled_at)
    _para(document, "I. THỜI GIAN, ĐỊA ĐIỂM, HÌNH THỨC", bold=True, indent=False)
    _para(document, f"Thời gian: {when:%H} giờ {when:%M}, ngày {when:%d/%m/%Y}.")
    _para(document, f"Địa điểm: {clean(assembly.place) or '—'}.")
    _para(
        document,
        f"Hình thức: {MODE_VI.get(assembly.mode, assembly.mode)}; "
        f"triệu tập lần {assembly.call_no}.",
    )
    _para(document, f"Nội dung: {clean(assembly.title)}.")

    _para(document, "II. THÀNH VIÊN THAM DỰ", bold=True, indent=False)
    present = list(
        Attendance.objects.filter(assembly=assembly)
        .select_related("membership__person")
        .order_by("membership__person__full_name", "id")
    )
    voters = sum(1 for a in present if a.may_vote)
    grid = document.add_table(rows=1 + len(present), cols=4)
    grid.style = document.styles["Table Grid"]
    for cell, label in zip(
        grid.rows[0].cells, ["STT", "Họ và tên", "Hình thức", "Quyền biểu quyết"], strict=True
    ):
        add_paragraph(cell, label, 11, bold=True, first=True)
    for n, a in enumerate(present, start=1):
        name = a.membership.person.full_name if a.membership.person_id else str(a.membership)
        values = [
            str(n),
            clean(name),
            CHANNEL_VI.get(a.channel, a.channel),
            "Có" if a.may_vote else "Không",
        ]
        for cell, value in zip(grid.rows[n].cells, values, strict=True):
            add_paragraph(cell, value, 11, first=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(
        document,
        f"Có mặt {len(present)} người, trong đó {voters} thành viên có quyền biểu quyết.",
    )
    q = sel.quorum(assembly)
    pct = f"{q.required_pct.normalize():f}".replace(".", ",")
    _para(
        document,
        f"Điều kiện tiến hành: có mặt {q.present}/{q.total} thành viên có quyền biểu quyết, "
        f"cần ít nhất {q.required} ({pct}%, {clean(q.article)}): "
        + ("ĐỦ điều kiện tiến hành." if q.met else "KHÔNG đủ điều kiện tiến hành."),
    )

    _para(document, "III. BIỂU QUYẾT", bold=True, indent=False)
    resolutions = list(Resolution.objects.filter(assembly=assembly).order_by("id"))
    if not resolutions:
        _para(document, "(Không có vấn đề biểu quyết.)")
    for n, resolution in enumerate(resolutions, start=1):
        _para(document, f"{n}. {clean(resolution.title)}", bold=True, indent=False)
        for line in _vote_lines(resolution):
            _para(document, line)
    _para(
        document,
        "Biên bản được lập và thông qua tại Đại hội; lưu cùng tổng hợp kết quả kiểm phiếu.",
    )
    _signatures(document, "THƯ KÝ", "CHỦ TỌA")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_resolution_docx(resolution: Resolution, *, day: Any = None) -> bytes:
    """The .docx bytes of an adopted (or proposed) resolution."""
    assembly = resolution.assembly
    day = day or (timezone.localdate(resolution.closed_at) if resolution.closed_at else None)
    day = day or timezone.localdate()
    document = Document()
    setup_page(document)
    page_numbers(document)
    _header(document, assembly, day)
    number = clean(resolution.number) or "\u00a0" * 6
    add_paragraph(document, f"Số: {number}", 13, before=6, align=WD_ALIGN_PARAGRAPH.LEFT)
    add_paragraph(document, "NGHỊ QUYẾT", 14, bold=True, before=12)
    add_paragraph(document, clean(resolution.title), 14, bold=True, after=4)
    add_paragraph(
        document,
        f"ĐẠI HỘI {'ĐẠI BIỂU' if assembly.is_delegate else 'THÀNH VIÊN'} "
        f"{clean(assembly.organisation.name).upper()}",
        14,
        bold=True,
        after=10,
    )
    _para(document, "Căn cứ Luật Hợp tác xã số 17/2023/QH15;")
    _para(document, f"Căn cứ kết quả biểu quyết tại {clean(assembly.title)},")
    add_paragraph(document, "QUYẾT NGHỊ:", 14, bold=True, before=6, after=6)
    _para(document, resolution.text)
    for line in _vote_lines(resolution):
        _para(document, line)
    _signatures(document, "Nơi nhận:\n- Thành viên HTX;\n- Lưu: VT.", "TM. ĐẠI HỘI\nCHỦ TỌA")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def minutes_filename(assembly: Assembly) -> str:
    return f"Biên bản đại hội {assembly.year} - {clean(assembly.organisation.name)}.docx"


def resolution_filename(resolution: Resolution) -> str:
    label = resolution.number.replace("/", "-") if resolution.number else f"du-thao-{resolution.pk}"
    return f"Nghị quyết {label}.docx"
