"""demo_impact.seed: the EU cohort, T0 and T1 rounds for the maps; idempotent."""

from __future__ import annotations

import pytest

from htxso.assessment import demo_impact, selectors_impact
from htxso.assessment.models import Assessment, Cohort
from htxso.geo.models import Province

from .helpers import coop

pytestmark = pytest.mark.django_db


def test_demo_seed(world):
    for i in range(6):
        coop(f"HTX Mẫu Cao Bằng {i}", province="04")
        coop(f"HTX Mẫu Đắk Lắk {i}", province="66", sector="trade")
    vca = world.users["vca"]
    result = demo_impact.seed(actor=vca)
    assert result["created"] is True
    cohort = Cohort.objects.get(code=demo_impact.COHORT_CODE)
    assert cohort.province is None and cohort.members.count() == result["members"] > 0
    rounds = Assessment.objects.filter(status="submitted")
    assert rounds.filter(round=0).count() > rounds.filter(round=1).count() > 0
    assert not rounds.filter(overall_score__isnull=True).exists()
    board = selectors_impact.province_map(Province.objects.get(pk="04"))
    assert board.assessed >= 6 and board.by_ward and board.by_sector
    rows = selectors_impact.member_rows(vca, cohort)
    assert {r.state for r in rows} >= {"both"}
    n = Assessment.objects.count()
    assert demo_impact.seed(actor=vca) == {"created": False}
    assert Assessment.objects.count() == n


def test_demo_seed_as_the_operator(world):
    from htxso.core.actors import OPERATOR

    coop("HTX Mẫu Hệ Thống", province="04")
    assert demo_impact.seed(actor=OPERATOR)["created"] is True
    assert Cohort.objects.get(code=demo_impact.COHORT_CODE).created_by is not None
