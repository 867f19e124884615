"""The EU project's progress report through the periodic reports: a template with the
project's framework compiles a logframe table (result → indicator → baseline, target
for its date, actual, status) into the .docx and the .xlsx; reopened, the actuals equal
the dashboard's cached values."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from htxso.core.actors import OPERATOR
from htxso.indicators import compute
from htxso.indicators import selectors_frameworks as fsel
from htxso.indicators import services_reports as svc
from htxso.indicators.documents_reports import STATUS_LOGFRAME_VI, vn_number
from htxso.indicators.models import Framework, Indicator, IndicatorValue, ResultNode, Target
from htxso.indicators.periods import parse

from .conftest import answers

pytestmark = pytest.mark.django_db

PERIOD = "2026S1"


@pytest.fixture
def eu(rep):
    fw = Framework.objects.create(
        code="eu-test",
        name="Dự án EU: chuyển đổi số HTX",
        programme_label="EU",
        start_date=dt.date(2024, 7, 1),
        end_date=dt.date(2027, 12, 31),
    )
    goal = ResultNode.objects.create(
        framework=fw, level="goal", code="G", title="HTX chuyển đổi số"
    )
    out1 = ResultNode.objects.create(
        framework=fw, parent=goal, level="output", code="1.1", title="HTX được hỗ trợ"
    )
    ResultNode.objects.create(framework=fw, parent=goal, level="output", code="1.2", title="Trống")
    coops = Indicator.objects.create(
        framework=fw,
        node=out1,
        code="coops",
        name="Số hợp tác xã đang hoạt động",
        formula="registry.cooperatives",
        baseline_value=Decimal(1),
        baseline_period="2024",
        order=1,
    )
    members = Indicator.objects.create(
        framework=fw,
        node=out1,
        code="members",
        name="Thành viên HTX",
        unit="people",
        formula="registry.cooperative_members",
        order=2,
    )
    Target.objects.create(indicator=coops, period="2027", value=Decimal(10), comparison=">=")
    Target.objects.create(indicator=members, period="2026", value=Decimal(500), comparison=">=")
    rep.template.framework = fw
    rep.template.name = "Báo cáo tiến độ dự án EU"
    rep.template.save(update_fields=["framework", "name"])
    return fw


def _accept_one(rep):
    ward_user, compiler = rep.w.users["viewer_a"], rep.w.users["officer_a"]
    narratives, values = answers(rep)
    sub = svc.submission_save(
        actor=ward_user,
        cycle=rep.cycle,
        office=rep.ward_office,
        narratives=narratives,
        figures=values,
        submit=True,
    )
    svc.submission_accept(actor=compiler, submission=sub)
    return compiler


def test_logframe_in_docx_and_xlsx_equals_the_dashboards_cache(rep, eu):
    compute.refresh(eu, periods=[PERIOD], actor=OPERATOR)
    compiler = _accept_one(rep)
    compiled = svc.cycle_compile(actor=compiler, cycle=rep.cycle)
    board = fsel.dashboard(eu, period=parse(PERIOD))
    cached = {r.indicator.code: r for r in board.rows}
    assert cached["coops"].value.value == 2  # a1 and b1 operating in the country

    doc = Document(io.BytesIO(compiled.docx.read()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "KHUNG KẾT QUẢ" in text
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Kết quả")
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    by_name = {r[1]: r for r in rows if r[1]}
    coops = by_name["Số hợp tác xã đang hoạt động"]
    assert coops[0] == "Đầu ra 1.1: HTX được hỗ trợ"
    assert coops[2] == "1 (2024)"  # baseline
    assert coops[3] == "≥ 10 (2027)"  # target for its own date
    assert coops[4] == vn_number(cached["coops"].value.value)  # actual = the cache
    assert coops[5] == STATUS_LOGFRAME_VI[cached["coops"].status]
    members = by_name["Thành viên HTX"]
    assert members[4] == "chưa có số liệu"  # no counted report: no data, never 0
    assert members[5] == STATUS_LOGFRAME_VI["no_data"]
    assert any(r[0] == "Đầu ra 1.2: Trống" and r[1] == "" for r in rows)  # node alone
    assert rows[0][0] == "Mục tiêu chung G: HTX chuyển đổi số"

    wb = load_workbook(io.BytesIO(compiled.xlsx.read()))
    ws = wb["Khung kết quả"]
    values = list(ws.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(values) if r and r[0] == "Cấp")
    header = values[header_at]
    col = {h: i for i, h in enumerate(header)}
    data = {r[col["Mã chỉ số"]]: r for r in values[header_at + 1 :] if r[col["Mã chỉ số"]]}
    for code, row in cached.items():
        actual = data[code][col["Thực hiện"]]
        expected = row.value.value if row.value else None
        assert (actual is None and expected is None) or Decimal(str(actual)) == expected
        assert data[code][col["Đánh giá"]] == STATUS_LOGFRAME_VI[row.status]
    assert data["coops"][col["Mục tiêu"]] == 10 and data["coops"][col["Kỳ mục tiêu"]] == "2027"
    assert data["coops"][col["Giá trị cơ sở"]] == 1


def test_compiling_computes_a_period_the_dashboard_never_computed(rep, eu):
    assert not IndicatorValue.objects.filter(indicator__framework=eu).exists()
    compiler = _accept_one(rep)
    compiled = svc.cycle_compile(actor=compiler, cycle=rep.cycle)
    assert IndicatorValue.objects.filter(indicator__framework=eu, period=PERIOD).exists()
    board = fsel.dashboard(eu, period=parse(PERIOD))
    wb = load_workbook(io.BytesIO(compiled.xlsx.read()))
    cells = [c for r in wb["Khung kết quả"].iter_rows(values_only=True) for c in r]
    assert board.rows[0].value.value == 2 and "coops" in cells


def test_a_stale_cache_is_what_the_report_says_like_the_dashboard(rep, eu):
    """The report reads the cache (as the dashboard does), not a fresh count."""
    compute.refresh(eu, periods=[PERIOD], actor=OPERATOR)
    IndicatorValue.objects.filter(
        indicator__code="coops", period=PERIOD, province__isnull=True, cell=""
    ).update(value=Decimal(7))
    compiler = _accept_one(rep)
    compiled = svc.cycle_compile(actor=compiler, cycle=rep.cycle)
    doc = Document(io.BytesIO(compiled.docx.read()))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Kết quả")
    coops = next(r for r in table.rows if r.cells[1].text == "Số hợp tác xã đang hoạt động")
    assert coops.cells[4].text == "7"
    assert fsel.dashboard(eu, period=parse(PERIOD)).rows[0].value_display == "7"
