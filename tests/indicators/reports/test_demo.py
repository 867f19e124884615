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
    cycle = ReportCycle.objects.get(template__province_id="04")
    view = sel.overview(cycle)
    assert view.counts["total"] == 6
    for state in ("accepted", "submitted", "returned", "draft", "not_started"):
        assert view.counts[state] >= 1, state
    assert view.counts["late"] >= 2
    counts = (Submission.objects.count(), SubmissionEvent.objects.count())
    demo_reports.seed(DemoContext())
    assert (Submission.objects.count(), SubmissionEvent.objects.count()) == counts
    assert ReportCycle.objects.count() == 1
