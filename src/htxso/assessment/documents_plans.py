"""A cooperative's DX plan as a Word document, built on the shared documents service
(:mod:`htxso.core.documents`: page set-up, fonts, header columns, the date line).

The document is in Vietnamese (it goes to the members' assembly and the alliance): the
header (the cooperative | the national name and motto), "KẾ HOẠCH CHUYỂN ĐỔI SỐ", the
plan's title, then I. objectives, II. strategy, III. actions (a table: who, from, to,
cost, progress), IV. budget, V. risks, and the alliance's opinion when there is one.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from htxso.core.documents.docx_parts import (
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

from .models.plans import Plan, PlanStatus

STATUS_VI = {
    PlanStatus.DRAFT: "Dự thảo",
    PlanStatus.SUBMITTED: "Đã gửi Liên minh HTX tỉnh, chờ góp ý",
    PlanStatus.RETURNED: "Liên minh HTX tỉnh đề nghị chỉnh sửa",
    PlanStatus.APPROVED: "Liên minh HTX tỉnh đã thống nhất",
}
ACTION_HEADER = [
    "STT",
    "Hành động",
    "Người phụ trách",
    "Từ ngày",
    "Đến ngày",
    "Chi phí (đồng)",
    "Tiến độ",
]


def vnd(amount: int) -> str:
    return f"{int(amount):,}".replace(",", ".")


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


def _heading(document: Any, text: str) -> None:
    _para(document, text, bold=True, indent=False)


def render_plan_docx(plan: Plan, actions: list[Any], *, day: Any = None) -> bytes:
    """The .docx bytes of ``plan`` with ``actions`` (``selectors_plans.plan_actions``)."""
    document = Document()
    setup_page(document)
    page_numbers(document)
    organisation = plan.organisation
    table = layout_table(document, (HEADER_LEFT, HEADER_RIGHT))
    left, right = table.rows[0].cells
    add_paragraph(left, clean(organisation.name).upper(), 12, bold=True, first=True)
    short_line(left, HEADER_LEFT / 3, HEADER_LEFT)
    add_paragraph(right, NATIONAL_NAME, 12, bold=True, first=True)
    add_paragraph(right, MOTTO, 13, bold=True, underline=True)
    day = day or timezone.localdate()
    add_paragraph(right, place_and_date(plan.province.short_name, day), 13, italic=True, before=6)
    add_paragraph(document, "KẾ HOẠCH CHUYỂN ĐỔI SỐ", 14, bold=True, before=18)
    add_paragraph(document, clean(plan.title), 14, bold=True, after=4)
    add_paragraph(
        document,
        f"Tình trạng: {STATUS_VI.get(plan.status, plan.status)}",
        12,
        italic=True,
        after=10,
    )

    _heading(document, "I. MỤC TIÊU")
    _para(document, plan.objectives or "(chưa ghi)")
    _heading(document, "II. CHIẾN LƯỢC")
    _para(document, plan.strategy or "(chưa ghi)")
    _heading(document, "III. CÁC HÀNH ĐỘNG")
    grid = document.add_table(rows=1 + len(actions), cols=len(ACTION_HEADER))
    grid.style = document.styles["Table Grid"]
    for cell, text in zip(grid.rows[0].cells, ACTION_HEADER, strict=True):
        add_paragraph(cell, text, 11, bold=True, first=True)
    for n, action in enumerate(actions, start=1):
        values = [
            str(n),
            clean(action.title),
            clean(action.owner) or "—",
            action.start.strftime("%d/%m/%Y"),
            action.end.strftime("%d/%m/%Y"),
            vnd(action.cost),
            f"{action.progress}%",
        ]
        for cell, text in zip(grid.rows[n].cells, values, strict=True):
            add_paragraph(cell, text, 11, first=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    total = sum(a.cost for a in actions)
    _para(document, f"Tổng chi phí các hành động: {vnd(total)} đồng.", indent=False)
    _heading(document, "IV. NGÂN SÁCH")
    _para(document, f"Ngân sách dự kiến: {vnd(plan.budget)} đồng.")
    if plan.budget_note:
        _para(document, plan.budget_note)
    _heading(document, "V. RỦI RO VÀ CÁCH XỬ LÝ")
    _para(document, plan.risks or "(chưa ghi)")
    if plan.decision_note:
        _heading(document, "VI. Ý KIẾN CỦA LIÊN MINH HTX TỈNH")
        _para(document, plan.decision_note)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def plan_filename(plan: Plan) -> str:
    return f"Kế hoạch chuyển đổi số - {clean(plan.organisation.name)}.docx"
