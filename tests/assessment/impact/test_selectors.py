"""T0 → T1 on stable qids, the province map, models to replicate, a cohort's DiD."""

from __future__ import annotations

from decimal import Decimal

import pytest

from htxso.assessment import selectors_impact as sel
from htxso.assessment import stats_impact as st
from htxso.assessment.models import Cohort, CohortMember
from htxso.geo.models import Province

from .helpers import coop, questionnaire, scored, submitted

pytestmark = pytest.mark.django_db


def test_compare_on_stable_qids_mapped_and_not_comparable(world):
    vca = world.users["vca"]
    org = world.orgs["a1"]
    v1 = questionnaire("cmp", 1)
    # v2: strategy_q1 renamed (mapped_from), data_q2 changed so much it is not comparable
    v2 = questionnaire(
        "cmp",
        2,
        renamed={"strategy_q1": "strategy_plan"},
        not_comparable=("data_q2",),
    )
    t0 = submitted(org, v1, 0, {"strategy_q0": 0, "strategy_q1": 50, "data_q0": 50,
                                "data_q2": 0}, user=vca)  # fmt: skip
    t1 = submitted(org, v2, 1, {"strategy_q0": 100, "strategy_plan": 100, "data_q0": 50,
                                "data_q2": 100}, user=vca)  # fmt: skip
    c = sel.compare(t0, t1)
    by_qid = {q.qid: q for q in c.questions}
    assert by_qid["strategy_q0"].status == "compared" and by_qid["strategy_q0"].change == 100
    # the renamed question is compared with the one it replaces
    assert by_qid["strategy_plan"].before_qid == "strategy_q1"
    assert by_qid["strategy_plan"].change == 50
    assert by_qid["data_q2"].status == "not_comparable" and by_qid["data_q2"].change is None
    dims = {d.key: d for d in c.dimensions}
    # strategy: 3 comparable questions (0,50,0) -> (100,100,0): +50
    assert dims["strategy"].compared == 3 and dims["strategy"].change == Decimal("50.00")
    # data: only q0 and q1 compared (q2 left out): (50,0) -> (50,0): 0, although the
    # official score moved (data_q2 went 0 -> 100)
    assert dims["data"].compared == 2 and dims["data"].not_comparable == 1
    assert dims["data"].change == Decimal("0.00")
    assert dims["data"].score_after > dims["data"].score_before
    assert c.not_comparable == 1
    assert c.overall_change == t1.overall_score - t0.overall_score


def test_province_map_by_ward_and_sector_latest_round_counts(world):
    vca = world.users["vca"]
    qn = questionnaire("map")
    wards = list(Province.objects.get(pk="04").wards.values_list("code", flat=True)[:2])
    a = coop("HTX Bản Đồ A", ward=wards[0])
    b = coop("HTX Bản Đồ B", ward=wards[0], sector="trade")
    c = coop("HTX Bản Đồ C", ward=wards[1])
    scored(a, qn, 0, 20, user=vca)
    scored(a, qn, 1, 60, user=vca)  # latest counts: 60
    scored(b, qn, 0, 40, user=vca)
    scored(c, qn, 0, 80, user=vca)
    other = coop("HTX Tỉnh Khác", province="66")
    scored(other, qn, 0, 99, user=vca)
    board = sel.province_map(Province.objects.get(pk="04"))
    assert board.assessed == 3 and board.median_score == 60
    wards_cells = {cell.key: cell for cell in board.by_ward}
    assert wards_cells[wards[0]].assessed == 2 and wards_cells[wards[0]].median_score == 50
    assert wards_cells[wards[1]].median_level == 4
    sectors = {cell.key: cell for cell in board.by_sector}
    assert sectors["agriculture"].assessed == 2 and sectors["trade"].median_score == 40
    nation = sel.province_map(None)
    assert {cell.key for cell in nation.by_province} == {"04", "66"}


def test_models_to_replicate_high_and_improving(world):
    vca = world.users["vca"]
    qn = questionnaire("models")
    up = coop("HTX Đi Lên")
    flat = coop("HTX Đứng Yên")
    low = coop("HTX Còn Thấp")
    only_t0 = coop("HTX Một Vòng")
    for org, t0, t1 in [(up, 55, 75), (flat, 72, 74), (low, 20, 45)]:
        scored(org, qn, 0, t0, user=vca)
        scored(org, qn, 1, t1, user=vca)
    scored(only_t0, qn, 0, 95, user=vca)
    found = sel.models_to_replicate(Province.objects.get(pk="04"))
    assert [m.name for m in found] == ["HTX Đi Lên"]
    assert found[0].gain == Decimal(20) and found[0].round == 1


def _cohort_world(world, *, members=12, effect=8):
    vca = world.users["vca"]
    qn = questionnaire("did")
    cohort = Cohort.objects.create(code="eu-test", name="Dự án EU", created_by=vca)
    for i in range(members):
        m = coop(f"HTX Tham Gia {i}", province="04" if i % 2 else "66")
        CohortMember.objects.create(cohort=cohort, organisation=m, added_by=vca)
        scored(m, qn, 0, 30 + i, user=vca)
        scored(m, qn, 1, 30 + i + 3 + effect + (i % 3), user=vca)
        c = coop(f"HTX So Sánh {i}", province="04" if i % 2 else "66")
        scored(c, qn, 0, 30 + i, user=vca)
        scored(c, qn, 1, 30 + i + 3 + (i % 2), user=vca)
    return cohort


def test_cohort_impact_national_and_officer(world):
    cohort = _cohort_world(world)
    r = sel.cohort_impact(world.users["vca"], cohort)
    assert r.status == "ok" and r.pairs == 12 and r.participants == 12
    assert 7 < r.estimate < 10 and r.low < r.estimate < r.high
    # Cao Bằng's officer: his 6 members only -> not enough data (< 10 pairs)
    r = sel.cohort_impact(world.users["officer_a"], cohort)
    assert r.participants == 6 and r.pairs == 6 and r.status == "not_enough_data"
    assert r.estimate is None


def test_member_rows_no_t1_yet(world):
    vca = world.users["vca"]
    qn = questionnaire("rows")
    cohort = Cohort.objects.create(code="rows", name="Nhóm", created_by=vca)
    org = coop("HTX Chỉ Có T0")
    CohortMember.objects.create(cohort=cohort, organisation=org, added_by=vca)
    scored(org, qn, 0, 40, user=vca)
    rows = sel.member_rows(vca, cohort)
    assert [(r.state, r.change) for r in rows] == [("no_t1", None)]
    r = sel.cohort_impact(vca, cohort)
    assert r.with_both_rounds == 0 and r.status == "not_enough_data"


def test_empty_cohort(world):
    cohort = Cohort.objects.create(code="empty", name="Trống", created_by=world.users["vca"])
    r = sel.cohort_impact(world.users["vca"], cohort)
    assert (r.participants, r.pairs, r.status) == (0, 0, "not_enough_data")
    assert st.MIN_PAIRS == 10


def test_regions_cover_every_province(world):
    codes = set(Province.objects.values_list("code", flat=True))
    assert codes <= set(sel.PROVINCE_REGION)
    assert set(sel.PROVINCE_REGION.values()) == set(sel.REGIONS)
