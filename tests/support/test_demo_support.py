"""The support demo: every state and SLA situation in Cao Bằng and Đắk Lắk, seeded once."""

from __future__ import annotations

import pytest

from htxso.core.demodata import DemoContext
from htxso.support import demo, selectors
from htxso.support.models import ServiceRequest

pytestmark = pytest.mark.django_db


def test_demo_seeds_every_situation_once(world):
    # the world has a manager for a1 (04) and b1 (66), and an officer in each province
    demo.seed(DemoContext())
    count = ServiceRequest.objects.count()
    demo.seed(DemoContext())
    assert count == ServiceRequest.objects.count() == 2 * len(demo.SCENARIOS)
    day = selectors.today()
    cal = selectors.working_calendar()
    for code in ("04", "66"):
        rows = list(ServiceRequest.objects.filter(province_id=code))
        states = {r.status for r in rows}
        assert states == {"new", "in_progress", "waiting", "escalated", "closed"}
        sla = [selectors.sla_state(r, day, cal) for r in rows]
        assert any(s.overdue for s in sla) and any(s.due_soon for s in sla)
        assert any(s.paused for s in sla)
        assert {r.outcome for r in rows} >= {"resolved", "not_possible", "withdrawn"}
        assert any(r.rating == 5 for r in rows)
