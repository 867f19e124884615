"""The compiled province report: a Word document in the layout of Decree 30/2020/NĐ-CP
(an administrative report, "BÁO CÁO") and an Excel annex with the figures per office.

The .docx reuses the page set-up, the header columns, the date line and the signature
block of :mod:`htxso.core.documents.letters`; a report differs from a letter by its title
("BÁO CÁO" and what it is about, centred, under the header) instead of "V/v …".  The
.xlsx is built with :mod:`htxso.core.documents.workbooks` (formula-looking text made
inert).  Both are in Vietnamese: they go to the People's Committee and the ministry.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
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
from htxso.core.documents.letters import (
    MOTTO,
    NATIONAL_NAME,
    number_line,
    place_and_date,
    recipient_lines,
)
from htxso.core.documents.letters import _clean as clean
from htxso.core.documents.workbooks import Column, Sheet, build_workbook

from .models import FigureUnit, ReportKind, SubmissionStatus

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
UNIT_VI = {
    FigureUnit.COUNT: "",
    FigureUnit.PEOPLE: "người",
    FigureUnit.VND: "đồng",
    FigureUnit.PERCENT: "%",
    FigureUnit.HECTARE: "ha",
}
STATUS_VI = {
    "not_started": "Chưa nộp",
    SubmissionStatus.DRAFT: "Đang soạn, chưa nộp",
    SubmissionStatus.SUBMITTED: "Đã nộp, chờ xem xét",
    SubmissionStatus.RETURNED: "Trả lại để bổ sung",
    SubmissionStatus.ACCEPTED: "Đã tiếp nhận",
}
FIGURE_VI = {
    "organisations_operating": "Tổ chức kinh tế tập thể đang hoạt động",
    "cooperatives_operating": "Hợp tác xã đang hoạt động",
    "groups_operating": "Tổ hợp tác đang hoạt động",
    "unions_operating": "Liên hiệp hợp tác xã đang hoạt động",
    "organisations_new": "Tổ chức thành lập mới trong kỳ",
    "reports_counted": "Báo cáo năm đã nhận",
    "members_reported": "Thành viên (theo báo cáo năm)",
    "workers_reported": "Người lao động (theo báo cáo năm)",
    "revenue_reported": "Doanh thu của hợp tác xã (theo báo cáo năm)",
}


@dataclass
class ReportData:
    cycle: Any
    sections: list[Any]
    submissions: list[Any]
    overview: Any
    platform: dict[str, int]
    indicators: list[dict[str, Any]] = field(default_factory=list)
    #: the framework's logframe (``selectors_reports.LogframeRow``), from the cache
    logframe: list[Any] = field(default_factory=list)
    recipients: list[dict[str, str]] = field(default_factory=list)
    day: dt.date | None = None


def vn_number(value: Any) -> str:
    """1.234.567 and 12,5 (Vietnamese grouping), "—" for no data."""
    if value is None or value == "":
        return "—"
    d = Decimal(str(value))
    if d == d.to_integral_value():
        return f"{int(d):,}".replace(",", ".")
    whole, _sep, frac = f"{d:,.2f}".partition(".")
    return f"{whole.replace(',', '.')},{frac.rstrip('0')}"


LEVEL_VI = {"goal": "Mục tiêu chung", "outcome": "Kết quả", "output": "Đầu ra"}
STATUS_LOGFRAME_VI = {
    "met": "Đạt",
    "not_met": "Không đạt",
    "on_track": "Đúng tiến độ",
    "at_risk": "Có nguy cơ chậm",
    "off_track": "Chậm tiến độ",
    "no_data": "Chưa có số liệu",
    "no_target": "Chưa có mục tiêu",
}
LOGFRAME_HEADERS = (
    "Kết quả",
    "Chỉ số",
    "Giá trị cơ sở",
    "Mục tiêu",
    "Thực hiện",
    "Đánh giá",
)


def logframe_cells(row: Any) -> tuple[str, ...]:
    """The logframe row as the .docx table shows it."""
    node = " ".join(x for x in (LEVEL_VI.get(row.level, row.level), row.node_code) if x)
    node = f"{node}: {clean(row.node_title)}" if row.node_title else node or "Chỉ số khác"
    if not row.code:
        return (node, "", "", "", "", "")
    baseline = _with_unit(row.baseline, row.unit) if row.baseline is not None else "—"
    if row.baseline is not None and row.baseline_period:
        baseline += f" ({row.baseline_period})"
    target = "—"
    if row.target is not None:
        sign = {">=": "≥", "<=": "≤"}.get(row.comparison, row.comparison)
        target = f"{sign} {_with_unit(row.target, row.unit)} ({row.target_period})"
    actual = _with_unit(row.actual, row.unit) if row.actual is not None else "chưa có số liệu"
    return (
        node,
        clean(row.name),
        baseline,
        target,
        actual,
        STATUS_LOGFRAME_VI.get(row.status, row.status),
    )


def period_vi(code: str) -> str:
    if code.endswith("S1"):
        return f"6 tháng đầu năm {code[:4]}"
    if code.endswith("S2"):
        return f"6 tháng cuối năm {code[:4]}"
    return f"năm {code}"


def _with_unit(value: Any, unit: str) -> str:
    u = UNIT_VI.get(unit, "")
    text = vn_number(value)
    if text == "—" or not u:
        return text
    return f"{text}{u}" if u == "%" else f"{text} {u}"


def figure_totals(data: ReportData) -> list[dict[str, Any]]:
    """Each office figure of the template summed over the accepted submissions (a
    percentage is averaged), with how many offices gave it."""
    out = []
    for section in data.sections:
        for f in section.figures.all():
            values = [Decimal(s.figures[f.key]) for s in data.submissions if f.key in s.figures]
            if not values:
                total = None
            elif f.unit == FigureUnit.PERCENT:
                total = (sum(values) / len(values)).quantize(Decimal("0.01"))
            else:
                total = sum(values)
            out.append({"section": section.pk, "figure": f, "total": total, "offices": len(values)})
    return out


# ------------------------------------------------------------------ Word


def _header(document: Any, data: ReportData) -> None:
    cycle = data.cycle
    province = cycle.template.province
    compiler = cycle.template.compiling_office
    table = layout_table(document, (HEADER_LEFT, HEADER_RIGHT))
    left, right = table.rows[0].cells
    add_paragraph(left, f"UBND {clean(province.name)}".upper(), 13, first=True)
    add_paragraph(left, clean(compiler.name).upper(), 13, bold=True)
    short_line(left, HEADER_LEFT / 3, HEADER_LEFT)
    add_paragraph(left, number_line("", "BC-STC"), 13, before=6)
    add_paragraph(right, NATIONAL_NAME, 12, bold=True, first=True)
    add_paragraph(right, MOTTO, 14, bold=True, underline=True)
    add_paragraph(right, "", 13)
    day = data.day or timezone.localdate()
    add_paragraph(right, place_and_date(province.short_name, day), 14, italic=True, before=6)


def title_lines(data: ReportData) -> tuple[str, str]:
    cycle = data.cycle
    kind = "6 tháng" if cycle.template.kind == ReportKind.SEMIANNUAL else "năm"
    return "BÁO CÁO", f"{clean(cycle.template.name)} ({kind}) - {period_vi(cycle.period)}"


def _title(document: Any, data: ReportData) -> None:
    title, about = title_lines(data)
    add_paragraph(document, title, 14, bold=True, before=18)
    add_paragraph(document, about, 14, bold=True)
    p = add_paragraph(document, "", 4)
    p.paragraph_format.space_after = 6
    lines = recipient_lines([r["name"] for r in data.recipients])
    if len(lines) == 1:
        add_paragraph(document, f"Kính gửi: {lines[0]}", 14, before=6, after=6)
    elif lines:
        add_paragraph(document, "Kính gửi:", 14, before=6)
        for line in lines:
            add_paragraph(document, line, 14, align=WD_ALIGN_PARAGRAPH.LEFT, left_indent=4.0)


def _para(document: Any, text: str, *, bold: bool = False, indent: bool = True) -> None:
    p = add_paragraph(
        document,
        clean(text),
        14,
        bold=bold,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        first_indent=1.27 if indent else None,
        after=6,
    )
    p.paragraph_format.line_spacing = 1.15


def _body(document: Any, data: ReportData) -> None:
    counts = data.overview.counts
    compiler = data.cycle.template.compiling_office
    _para(
        document,
        f"{clean(compiler.name)} tổng hợp báo cáo {period_vi(data.cycle.period)} của "
        f"{counts['total']} cơ quan, đơn vị: đã tiếp nhận {counts['accepted']}, chờ xem xét "
        f"{counts['submitted']}, trả lại để bổ sung {counts['returned']}, chưa nộp "
        f"{counts['not_started'] + counts['draft']}; nộp muộn {counts['late']}. Báo cáo này "
        "chỉ tổng hợp các báo cáo đã được tiếp nhận.",
    )
    totals = figure_totals(data)
    for n, section in enumerate(data.sections):
        number = ROMAN[n] if n < len(ROMAN) else str(n + 1)
        _para(document, f"{number}. {clean(section.title).upper()}", bold=True, indent=False)
        keys = [k for k in section.platform_figures if k in data.platform]
        if keys:
            _para(document, "1. Số liệu trên nền tảng HTX Số (toàn tỉnh):", bold=True)
            for k in keys:
                _para(document, f"- {FIGURE_VI.get(k, k)}: {vn_number(data.platform[k])}.")
        mine = [t for t in totals if t["section"] == section.pk]
        if mine:
            _para(document, "2. Số liệu do các cơ quan, đơn vị báo cáo:", bold=True)
            for t in mine:
                f = t["figure"]
                _para(
                    document,
                    f"- {clean(f.label)}: {_with_unit(t['total'], f.unit)} "
                    f"({t['offices']} đơn vị báo cáo).",
                )
        _para(document, f"{3 if mine else 2 if keys else 1}. Tình hình, kết quả:", bold=True)
        for s in data.submissions:
            narrative = clean(s.narratives.get(str(section.pk), ""))
            if narrative:
                _para(document, f"- {clean(s.office.name)}: {narrative}")
    if data.logframe:
        number = ROMAN[len(data.sections)] if len(data.sections) < len(ROMAN) else "*"
        _para(
            document,
            f"{number}. KHUNG KẾT QUẢ: CHỈ SỐ, MỤC TIÊU VÀ THỰC HIỆN",
            bold=True,
            indent=False,
        )
        _logframe_table(document, data)
    elif data.indicators:
        number = ROMAN[len(data.sections)] if len(data.sections) < len(ROMAN) else "*"
        _para(document, f"{number}. CÁC CHỈ TIÊU KẾT QUẢ", bold=True, indent=False)
        for ind in data.indicators:
            _para(
                document,
                f"- {clean(ind['name'])}: "
                f"{vn_number(ind['value']) if ind['value'] is not None else 'chưa có số liệu'}.",
            )
    late = [r.office.name for r in data.overview.rows if r.late]
    missing = [r.office.name for r in data.overview.rows if r.state in ("not_started", "draft")]
    if late or missing:
        _para(document, "Tình hình nộp báo cáo:", bold=True, indent=False)
        if missing:
            _para(document, f"- Chưa nộp: {', '.join(clean(x) for x in missing)}.")
        if late:
            _para(document, f"- Nộp muộn hoặc quá hạn: {', '.join(clean(x) for x in late)}.")
    _para(document, "Kèm theo báo cáo này là Phụ lục số liệu chi tiết theo từng cơ quan, đơn vị.")


def _logframe_table(document: Any, data: ReportData) -> None:
    """Result → indicator → baseline, target for its date, actual (the dashboard's
    cached value), status: one row per indicator, the result repeated."""
    from docx.shared import Pt

    computed = [r.computed_at for r in data.logframe if r.computed_at is not None]
    if computed:
        when = timezone.localtime(min(computed)).strftime("%d/%m/%Y %H:%M")
        _para(document, f"Số liệu thực hiện tính từ dữ liệu của nền tảng lúc {when}.")
    table = document.add_table(rows=1, cols=len(LOGFRAME_HEADERS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, LOGFRAME_HEADERS, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(11)
    for row in data.logframe:
        cells = table.add_row().cells
        for cell, text in zip(cells, logframe_cells(row), strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text).font.size = Pt(11)
    add_paragraph(document, "", 14)


def _signature(document: Any, data: ReportData) -> None:
    add_paragraph(document, "", 14).paragraph_format.keep_with_next = True
    table = layout_table(document, (FOOTER_LEFT, FOOTER_RIGHT))
    left, right = table.rows[0].cells
    add_paragraph(
        left, "Nơi nhận:", 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=True
    )
    for line in ["- Như trên;", "- Lưu: VT."]:
        add_paragraph(left, line, 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    add_paragraph(right, "GIÁM ĐỐC", 14, bold=True, first=True)
    for _i in range(4):
        add_paragraph(right, "", 14)


def report_docx(data: ReportData) -> bytes:
    document = Document()
    setup_page(document)
    page_numbers(document)
    _header(document, data)
    _title(document, data)
    _body(document, data)
    _signature(document, data)
    props = document.core_properties
    props.title = " ".join(title_lines(data))[:255]
    props.author = clean(data.cycle.template.compiling_office.name)[:255]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------ Excel

_KIND = {
    FigureUnit.COUNT: "int",
    FigureUnit.PEOPLE: "int",
    FigureUnit.VND: "vnd",
    FigureUnit.PERCENT: "text",
    FigureUnit.HECTARE: "text",
}


def _cell(value: Any, unit: str) -> Any:
    if value is None:
        return None
    d = Decimal(str(value))
    if _KIND.get(unit) == "text":
        return vn_number(d)
    return int(d)


def report_xlsx(data: ReportData) -> bytes:
    cycle = data.cycle
    heading = [
        f"PHỤ LỤC: {title_lines(data)[1]}",
        f"{clean(cycle.template.compiling_office.name)} - {cycle.template.province.name}",
    ]
    defs = [f for s in data.sections for f in s.figures.all()]
    columns = [Column("office", "Cơ quan, đơn vị"), Column("kind", "Loại")]
    columns += [
        Column(f"f_{f.key}", f"{clean(f.label)} ({UNIT_VI.get(f.unit) or 'số'})", _KIND[f.unit])
        for f in defs
    ]
    rows = []
    for s in data.submissions:
        row = {
            "office": s.office.name,
            "kind": "Xã, phường" if s.office.kind == "ward" else "Sở, ngành",
        }
        for f in defs:
            row[f"f_{f.key}"] = _cell(s.figures.get(f.key), f.unit)
        rows.append(row)
    totals = {t["figure"].key: t["total"] for t in figure_totals(data)}
    total_row = {"office": "Tổng cộng", "kind": ""}
    for f in defs:
        total_row[f"f_{f.key}"] = _cell(totals.get(f.key), f.unit)
    rows.append(total_row)
    figures_sheet = Sheet("Số liệu theo đơn vị", columns, rows, heading=heading)

    platform_keys = sorted({k for s in data.sections for k in s.platform_figures})
    platform_cols = [Column("office", "Cơ quan, đơn vị")] + [
        Column(k, FIGURE_VI.get(k, k), "int") for k in platform_keys
    ]
    platform_rows = [
        {"office": s.office.name, **{k: s.platform.get(k) for k in platform_keys}}
        for s in data.submissions
    ]
    platform_rows.append(
        {"office": "Toàn tỉnh", **{k: data.platform.get(k) for k in platform_keys}}
    )
    platform_sheet = Sheet(
        "Số liệu nền tảng",
        platform_cols,
        platform_rows,
        heading=["Số liệu trên nền tảng HTX Số theo phạm vi của từng đơn vị"],
    )

    status_rows = []
    for r in data.overview.rows:
        sub = r.submission
        status_rows.append(
            {
                "office": r.office.name,
                "status": STATUS_VI.get(r.state, r.state),
                "submitted": sub.submitted_at if sub else None,
                "late": "Muộn" if r.late else "",
                "comment": sub.last_comment if sub else "",
            }
        )
    status_sheet = Sheet(
        "Tình hình nộp",
        [
            Column("office", "Cơ quan, đơn vị"),
            Column("status", "Trạng thái"),
            Column("submitted", "Ngày nộp", "datetime"),
            Column("late", "Đúng hạn"),
            Column("comment", "Ý kiến"),
        ],
        status_rows,
        heading=[f"Hạn nộp: {cycle.due_on.strftime('%d/%m/%Y')}"],
    )
    sheets = [figures_sheet, platform_sheet, status_sheet]
    if data.logframe:
        sheets.append(_logframe_sheet(data))
    elif data.indicators:
        sheets.append(
            Sheet(
                "Chỉ tiêu",
                [
                    Column("code", "Mã"),
                    Column("name", "Chỉ tiêu"),
                    Column("value", "Giá trị"),
                    Column("note", "Ghi chú"),
                ],
                [
                    {
                        "code": i["code"],
                        "name": i["name"],
                        "value": vn_number(i["value"])
                        if i["value"] is not None
                        else "chưa có số liệu",
                        "note": i["note"],
                    }
                    for i in data.indicators
                ],
            )
        )
    return build_workbook(sheets)


def _logframe_sheet(data: ReportData) -> Sheet:
    """The logframe with numbers as numbers (the cached values, unrounded)."""
    rows = []
    for r in data.logframe:
        rows.append(
            {
                "level": LEVEL_VI.get(r.level, r.level),
                "node": r.node_code,
                "result": r.node_title,
                "code": r.code,
                "name": r.name,
                "unit": UNIT_VI.get(r.unit, "").strip() or ("số" if r.code else ""),
                "baseline": r.baseline,
                "baseline_period": r.baseline_period,
                "comparison": r.comparison,
                "target": r.target,
                "target_period": r.target_period,
                "actual": r.actual,
                "status": STATUS_LOGFRAME_VI.get(r.status, r.status) if r.code else "",
                "computed_at": r.computed_at,
            }
        )
    return Sheet(
        "Khung kết quả",
        [
            Column("level", "Cấp"),
            Column("node", "Mã kết quả"),
            Column("result", "Kết quả"),
            Column("code", "Mã chỉ số"),
            Column("name", "Chỉ số"),
            Column("unit", "Đơn vị"),
            Column("baseline", "Giá trị cơ sở", "int"),
            Column("baseline_period", "Kỳ cơ sở"),
            Column("comparison", "So sánh"),
            Column("target", "Mục tiêu", "int"),
            Column("target_period", "Kỳ mục tiêu"),
            Column("actual", "Thực hiện", "int"),
            Column("status", "Đánh giá"),
            Column("computed_at", "Tính lúc", "datetime"),
        ],
        rows,
        heading=[
            f"Khung kết quả: {clean(data.cycle.template.framework.name)} - "
            f"{period_vi(data.cycle.period)}"
        ],
    )


__all__ = ["ReportData", "report_docx", "report_xlsx", "vn_number"]
