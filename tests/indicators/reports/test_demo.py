"""The reports demo: a 6-month cycle in Cao Bằng with submissions in every state; a
second run changes nothing."""

from __future__ import annotations

import pytest

from htxso.core.demodata import DemoContext
from htxso.indicators import demo_reports
from htxso.indicators import selectors_reports as sel
from htxso.indicators.models import ReportCycle, Submission, SubmissionEvent

pytestmark = pytest.mark.django_db


def test_demo_cycle_has_every_state_and_is_idempotent():
    from htxso.registry.models import Organisation

    Organisation.objects.create(kind="group", name="Tổ hợp tác Demo Cao Bằng", province_id="04")
    demo_reports.seed(DemoContext())
    cycle = ReportCycle.objects.get(template__name=demo_reports.TEMPLATE_NAME)
    view = sel.overview(cycle)
    assert view.counts["total"] == 6
    for state in ("accepted", "submitted", "returned", "draft", "not_started"):
        assert view.counts[state] >= 1, state
    assert view.counts["late"] >= 2
    counts = (Submission.objects.count(), SubmissionEvent.objects.count())
    demo_reports.seed(DemoContext())
    assert (Submission.objects.count(), SubmissionEvent.objects.count()) == counts
    assert ReportCycle.objects.count() == 1  # no EU framework here: no progress report


def test_demo_eu_progress_report_has_the_logframe_of_the_dashboard():
    import io

    from docx import Document

    from htxso.indicators import demo
    from htxso.indicators import selectors_frameworks as fsel
    from htxso.indicators.documents_reports import logframe_cells
    from htxso.indicators.periods import parse

    eu = demo.eu_framework()
    demo_reports.seed(DemoContext())
    cycle = ReportCycle.objects.get(template__name=demo_reports.EU_TEMPLATE_NAME)
    assert set(cycle.submissions.values_list("status", flat=True)) == {"accepted"}
    compiled = cycle.compiled.get()
    doc = Document(io.BytesIO(compiled.docx.read()))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Kết quả")
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in table.rows[1:] if r.cells[1].text}
    board = fsel.dashboard(eu, period=parse(cycle.period))
    for r in board.rows:
        assert r.indicator.name in rows
    expected = {
        row[1]: list(row)
        for row in map(logframe_cells, sel.logframe(cycle.template, cycle.period))
        if row[1]
    }
    assert rows == expected
    demo_reports.seed(DemoContext())
    assert cycle.compiled.count() == 1
