"""Indicators: compiling a province report (.docx + .xlsx) vs python-docx/openpyxl directly.

Inside a transaction rolled back at the end, one province gets a compiling office and
``OFFICES`` submitting offices (``QUICK_OFFICES`` with ``--quick``: wards of the
province and departments), a 6-month report template of ``SECTIONS`` sections with
``FIGURES`` figures each and the province's results framework (every registry formula,
computed into the cache beforehand, as the dashboard does), a cycle, and every office's
report saved, submitted and accepted through the services (a narrative of about
``NARRATIVE`` characters per section).

Measured, interleaved (ABBA), ``ROUNDS`` times each: ``services_reports.cycle_compile``
(reads, the Decree 30 .docx with the logframe table, the .xlsx annex, both files saved
to private storage, the audit row) against a baseline that writes documents of the same
size with python-docx and openpyxl directly from data already in memory (the same
paragraphs, the same table rows, the same sheets and cells), saved to memory.

Limits: median compile ≤ ``MAX_SECONDS`` seconds; its queries do not grow with the
offices (compiling half the offices issues as many as compiling all of them); the
compile/baseline ratio is reported (no limit: it is the price of reading the data,
storing the files and the Decree 30 layout).
"""

from __future__ import annotations

import gc
import io
import statistics
import time
from typing import Any

from .harness import Context, Result, format_table

NAME = "indicators_compile"
OFFICES, QUICK_OFFICES = 120, 24
SECTIONS, FIGURES = 5, 4
NARRATIVE = 1_200
ROUNDS, QUICK_ROUNDS = 5, 3
MAX_SECONDS = 10.0
PERIOD = "2026S1"
TEXT = (
    "Trong kỳ, địa phương đã tổ chức tuyên truyền, hướng dẫn thành lập mới hợp tác xã, "
    "củng cố tổ hợp tác, hỗ trợ chuyển đổi số và tham gia chuỗi giá trị nông sản; "
)


class _Rollback(Exception):
    pass


def _province() -> Any:
    """The province with the most wards and no reporting office yet (demo-free)."""
    from django.db.models import Count

    from htxso.geo.models import Province
    from htxso.indicators.models import ReportingOffice

    used = ReportingOffice.objects.values("province_id")
    return (
        Province.objects.exclude(pk__in=used)
        .annotate(n=Count("wards"))
        .order_by("-n", "code")
        .first()
    )


def _world(n_offices: int) -> dict[str, Any]:
    from htxso.core.actors import OPERATOR
    from htxso.indicators import compute
    from htxso.indicators import services_reports as svc
    from htxso.indicators.formulas import FORMULAS
    from htxso.indicators.models import Framework, Indicator

    province = _province()
    wards = list(province.wards.order_by("code")[: max(0, n_offices - n_offices // 6)])
    compiler = svc.office_create(
        actor=OPERATOR,
        province_id=province.pk,
        name="Sở Tài chính (bench)",
        kind="department",
        compiles=True,
    )
    offices = [
        svc.office_create(
            actor=OPERATOR,
            province_id=province.pk,
            name=f"UBND {w.name} (bench)",
            kind="ward",
            ward_id=w.pk,
        )
        for w in wards
    ]
    for i in range(n_offices - len(offices)):
        offices.append(
            svc.office_create(
                actor=OPERATOR,
                province_id=province.pk,
                name=f"Sở ngành {i + 1} (bench)",
                kind="department",
            )
        )
    fw = Framework.objects.create(
        code="bench-compile",
        name=f"Khung kết quả {province.name} (bench)",
        province=province,
    )
    for order, key in enumerate(k for k in sorted(FORMULAS) if k.startswith("registry.")):
        spec = FORMULAS[key]
        Indicator.objects.create(
            framework=fw,
            code=key.split(".", 1)[1].replace("_", "-"),
            name=str(spec.label),
            unit=spec.unit,
            formula=key,
            order=order,
        )
    compute.refresh(fw, periods=[PERIOD], actor=OPERATOR)
    template = svc.template_create(
        actor=OPERATOR,
        province_id=province.pk,
        name="Báo cáo kinh tế tập thể 6 tháng (bench)",
        kind="semiannual",
        due_day=15,
        due_month=6,
        compiling_office=compiler,
        offices=offices,
        recipients="UBND tỉnh <vanthu@tinh.gov.vn>",
        framework=fw,
    )
    keys = []
    for s in range(SECTIONS):
        section = svc.section_add(
            actor=OPERATOR,
            template=template,
            title=f"Mục {s + 1}: tình hình và kết quả",
            platform_figures=["organisations_operating", "members_reported"],
        )
        for f in range(FIGURES):
            key = f"f{s}_{f}"
            keys.append(key)
            svc.figure_add(
                actor=OPERATOR,
                section=section,
                key=key,
                label=f"Chỉ tiêu {s + 1}.{f + 1}",
                unit="people" if f % 2 else "count",
                max_value=10_000_000,
            )
    cycle = svc.cycle_open(actor=OPERATOR, template=template, period=PERIOD)
    narrative = (TEXT * (NARRATIVE // len(TEXT) + 1))[:NARRATIVE]
    sections = list(template.sections.all())
    subs = []
    for n, office in enumerate(offices):
        sub = svc.submission_save(
            actor=OPERATOR,
            cycle=cycle,
            office=office,
            narratives={str(s.pk): narrative for s in sections},
            figures={k: str(10 + n + i) for i, k in enumerate(keys)},
            submit=True,
        )
        subs.append(sub)
    return {
        "province": province,
        "cycle": cycle,
        "subs": subs,
        "offices": offices,
        "framework": fw,
    }


def _baseline_data(cycle: Any) -> dict[str, Any]:
    """What the baseline writes, read once before timing (in memory)."""
    from htxso.indicators import selectors_reports
    from htxso.indicators import services_reports as svc
    from htxso.indicators.models import SubmissionStatus

    sections, defs = svc.template_parts(cycle.template)
    subs = list(
        cycle.submissions.filter(status=SubmissionStatus.ACCEPTED)
        .select_related("office")
        .order_by("office__kind", "office__name")
    )
    return {
        "sections": [(s.pk, s.title) for s in sections],
        "figures": [(f.key, f.label) for f in defs],
        "subs": [(s.office.name, dict(s.narratives), dict(s.figures)) for s in subs],
        "logframe": [
            (r.node_title, r.name, str(r.baseline), str(r.target), str(r.actual), r.status)
            for r in selectors_reports.logframe(cycle.template, cycle.period)
        ],
    }


def _baseline(data: dict[str, Any]) -> tuple[int, int]:
    """The same content written directly: a .docx (title, a heading and one paragraph
    per office for each section, the logframe table) and an .xlsx (figures per office,
    submission states, logframe), both saved to memory."""
    from docx import Document
    from openpyxl import Workbook

    doc = Document()
    doc.add_paragraph("BÁO CÁO KINH TẾ TẬP THỂ 6 THÁNG")
    for pk, title in data["sections"]:
        doc.add_paragraph(title)
        for name, narratives, _figures in data["subs"]:
            doc.add_paragraph(f"- {name}: {narratives.get(str(pk), '')}")
    table = doc.add_table(rows=1, cols=6)
    for row in data["logframe"]:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    out_docx = io.BytesIO()
    doc.save(out_docx)
    wb = Workbook()
    ws = wb.active
    ws.append(["Cơ quan"] + [label for _k, label in data["figures"]])
    for name, _narratives, figures in data["subs"]:
        ws.append([name] + [int(figures.get(k, 0)) for k, _l in data["figures"]])
    states = wb.create_sheet("Tình hình nộp")
    for name, _n, _f in data["subs"]:
        states.append([name, "Đã tiếp nhận", "", ""])
    lf = wb.create_sheet("Khung kết quả")
    for row in data["logframe"]:
        lf.append(list(row))
    out_xlsx = io.BytesIO()
    wb.save(out_xlsx)
    return len(out_docx.getvalue()), len(out_xlsx.getvalue())


def _compile_queries(cycle: Any) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from htxso.core.actors import OPERATOR
    from htxso.indicators import services_reports as svc

    with CaptureQueriesContext(connection) as captured:
        svc.cycle_compile(actor=OPERATOR, cycle=cycle)
    return len(captured.captured_queries)


def _measure(ctx: Context) -> dict[str, Any]:
    from htxso.core.actors import OPERATOR
    from htxso.indicators import services_reports as svc

    n_offices = QUICK_OFFICES if ctx.quick else OFFICES
    started = time.perf_counter()
    world = _world(n_offices)
    setup_s = time.perf_counter() - started
    cycle, subs = world["cycle"], world["subs"]
    half = len(subs) // 2
    for sub in subs[:half]:
        svc.submission_accept(actor=OPERATOR, submission=sub)
    queries_half = _compile_queries(cycle)
    for sub in subs[half:]:
        svc.submission_accept(actor=OPERATOR, submission=sub)
    queries = _compile_queries(cycle)
    data = _baseline_data(cycle)

    sizes: dict[str, int] = {}

    def compile_() -> None:
        compiled = svc.cycle_compile(actor=OPERATOR, cycle=cycle)
        sizes["docx"], sizes["xlsx"] = compiled.docx.size, compiled.xlsx.size

    def baseline() -> None:
        sizes["base_docx"], sizes["base_xlsx"] = _baseline(data)

    rounds = QUICK_ROUNDS if ctx.quick else ROUNDS
    times: dict[str, list[float]] = {"compile": [], "baseline": []}
    gc.collect()
    for i in range(rounds):
        pair = [("compile", compile_), ("baseline", baseline)]
        for name, fn in pair if i % 2 == 0 else reversed(pair):
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    median = statistics.median(times["compile"])
    base = statistics.median(times["baseline"])
    ratio = round(median / base, 3) if base else 0.0
    failures = []
    if median > MAX_SECONDS:
        failures.append(f"compile {median:.2f} s > {MAX_SECONDS} s")
    if queries > queries_half:
        failures.append(f"queries grow with the offices: {queries_half} → {queries}")
    ctx.print(
        f"{world['province'].name}: {len(subs)} offices × {SECTIONS} sections "
        f"(≈ {NARRATIVE} characters each) × {SECTIONS * FIGURES} figures, "
        f"{len(data['logframe'])} logframe rows; setup {setup_s:.1f} s; "
        f"limits: compile ≤ {MAX_SECONDS} s, queries not growing with the offices"
    )
    ctx.print(
        format_table(
            ["offices", "compile s", "baseline s", "ratio", "queries", f"queries ({half})",
             "docx KB", "xlsx KB", "baseline docx KB", "baseline xlsx KB", "result"],
            [[
                len(subs), round(median, 3), round(base, 3), f"{ratio:.2f}", queries,
                queries_half, round(sizes["docx"] / 1024), round(sizes["xlsx"] / 1024),
                round(sizes["base_docx"] / 1024), round(sizes["base_xlsx"] / 1024),
                "pass" if not failures else "FAIL: " + "; ".join(failures),
            ]],
        )
    )  # fmt: skip
    return {
        "scale": "quick" if ctx.quick else "full",
        "province": world["province"].pk,
        "offices": len(subs),
        "sections": SECTIONS,
        "figures": SECTIONS * FIGURES,
        "logframe_rows": len(data["logframe"]),
        "setup_s": round(setup_s, 3),
        "compile_median_s": round(median, 4),
        "baseline_median_s": round(base, 4),
        "ratio": ratio,
        "limit_seconds": MAX_SECONDS,
        "queries": queries,
        "queries_half": queries_half,
        "docx_bytes": sizes["docx"],
        "xlsx_bytes": sizes["xlsx"],
        "baseline_docx_bytes": sizes["base_docx"],
        "baseline_xlsx_bytes": sizes["base_xlsx"],
        "failures": failures,
    }


def run(ctx: Context) -> Result:
    from django.db import transaction

    data: dict[str, Any] = {}
    try:
        with transaction.atomic():
            data = _measure(ctx)
            raise _Rollback
    except _Rollback:
        pass
    return Result(NAME, not data.get("failures"), data)
