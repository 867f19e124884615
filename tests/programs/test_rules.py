"""The rule engine, on hand-computed cases (no database)."""

import datetime as dt

from django.utils import translation

from htxso.registry.rules import engine as rules
from htxso.registry.rules.engine import OrgFacts, ReportFacts

ON = dt.date(2024, 3, 27)


def born(age_years: int, days_after: int = 0) -> dt.date:
    """A birth date giving ``age_years`` on ON (plus some days younger)."""
    return dt.date(ON.year - age_years, ON.month, ON.day) + dt.timedelta(days=days_after)


def workforce(youth: int, older: int) -> list:
    start = dt.date(2020, 1, 1)
    return [(born(25), start, None)] * youth + [(born(50), start, None)] * older


def test_youth_share_from_workers_12_of_25_is_48_percent():
    facts = OrgFacts(1, workers=workforce(12, 13))
    out = rules.youth_share(facts, {"threshold": 40}, ON)
    assert out.verdict == rules.PASS
    assert out.data["youth"] == 12 and out.data["total"] == 25 and out.data["share"] == 48.0
    with translation.override("vi"):
        assert out.reason == "Thanh niên dưới 35 tuổi: 12/25 = 48\u00a0% > 40\u00a0% ✔"


def test_youth_share_exactly_40_percent_is_not_above():
    facts = OrgFacts(1, workers=workforce(10, 15))
    out = rules.youth_share(facts, {"threshold": 40}, ON)
    assert out.verdict == rules.FAIL
    with translation.override("vi"):
        assert out.reason == "Thanh niên dưới 35 tuổi: 10/25 = 40\u00a0% ≤ 40\u00a0% ✘"


def test_youth_age_boundary_on_the_birthday():
    start = dt.date(2020, 1, 1)
    # 35 today → not youth; 35 tomorrow (34 today) → youth
    facts = OrgFacts(1, workers=[(born(35), start, None), (born(35, days_after=1), start, None)])
    out = rules.youth_share(facts, {"threshold": 40}, ON)
    assert (out.data["youth"], out.data["total"]) == (1, 2)
    assert out.verdict == rules.PASS  # 50 % > 40 %


def test_youth_share_ignores_ended_and_future_jobs():
    facts = OrgFacts(
        1,
        workers=[
            (born(20), dt.date(2020, 1, 1), dt.date(2023, 1, 1)),  # left
            (born(20), dt.date(2025, 1, 1), None),  # not yet started
            (born(50), dt.date(2020, 1, 1), None),
        ],
    )
    out = rules.youth_share(facts, {"threshold": 40}, ON)
    assert (out.data["youth"], out.data["total"]) == (0, 1)
    assert out.verdict == rules.FAIL


def test_youth_share_falls_back_to_the_annual_report_when_birth_dates_are_missing():
    facts = OrgFacts(
        1,
        workers=[(None, dt.date(2020, 1, 1), None)],
        reports={2023: ReportFacts(workers_total=12, workers_youth=5)},
    )
    out = rules.youth_share(facts, {"threshold": 40}, ON)
    assert out.data["source"] == "report" and out.data["year"] == 2023
    assert out.verdict == rules.PASS  # 5/12 = 41.7 %
    with translation.override("vi"):
        assert out.reason.startswith("Thanh niên dưới 35 tuổi: 5/12 = 41,7\u00a0% > 40\u00a0% ✔")


def test_youth_share_without_any_data_is_no_data_never_pass():
    out = rules.youth_share(OrgFacts(1), {"threshold": 40}, ON)
    assert out.verdict == rules.NO_DATA
    with translation.override("vi"):
        assert "Không đủ dữ liệu" in out.reason and "2023" in out.reason


def test_finance_positive_profit_two_years():
    facts = OrgFacts(
        1, reports={2022: ReportFacts(profit=120_000_000), 2023: ReportFacts(profit=150_000_000)}
    )
    out = rules.finance(facts, {"field": "profit", "years": 2, "mode": "positive"}, ON)
    assert out.verdict == rules.PASS
    assert out.data["values"] == {"2022": 120_000_000, "2023": 150_000_000}


def test_finance_loss_in_one_year_fails():
    facts = OrgFacts(1, reports={2022: ReportFacts(profit=-5), 2023: ReportFacts(profit=10)})
    assert rules.finance(facts, {"field": "profit", "years": 2}, ON).verdict == rules.FAIL


def test_finance_missing_year_says_which_report_is_missing():
    facts = OrgFacts(1, reports={2022: ReportFacts(revenue=100)})
    out = rules.finance(facts, {"field": "revenue", "years": 2}, ON)
    assert out.verdict == rules.NO_DATA and out.data["years"] == [2023]
    with translation.override("vi"):
        assert out.reason == (
            "Không đủ dữ liệu: chưa có báo cáo năm 2023 đã gửi hoặc đã được chấp nhận"
        )


def test_finance_report_without_the_figure_is_missing_too():
    facts = OrgFacts(1, reports={2022: ReportFacts(revenue=1), 2023: ReportFacts(revenue=None)})
    assert rules.finance(facts, {"field": "revenue", "years": 2}, ON).verdict == rules.NO_DATA


def test_finance_growing_needs_strict_growth():
    flat = OrgFacts(1, reports={2022: ReportFacts(revenue=100), 2023: ReportFacts(revenue=100)})
    up = OrgFacts(1, reports={2022: ReportFacts(revenue=100), 2023: ReportFacts(revenue=101)})
    params = {"field": "revenue", "years": 2, "mode": "growing"}
    assert rules.finance(flat, params, ON).verdict == rules.FAIL
    assert rules.finance(up, params, ON).verdict == rules.PASS


def test_grade_at_least_fair():
    assert (
        rules.grade(OrgFacts(1, grades=[(2023, "good")]), {"at_least": "fair"}, ON).verdict
        == rules.PASS
    )
    assert (
        rules.grade(OrgFacts(1, grades=[(2023, "average")]), {"at_least": "fair"}, ON).verdict
        == rules.FAIL
    )
    # the latest counts, not the best
    facts = OrgFacts(1, grades=[(2022, "good"), (2023, "weak")])
    assert rules.grade(facts, {"at_least": "fair"}, ON).verdict == rules.FAIL
    # too old
    assert rules.grade(OrgFacts(1, grades=[(2020, "good")]), {}, ON).verdict == rules.NO_DATA


def test_value_chain_links_and_missing_data():
    active = OrgFacts(1, links=[(dt.date(2023, 1, 1), None)])
    ended = OrgFacts(1, links=[(dt.date(2020, 1, 1), dt.date(2022, 1, 1))])
    assert rules.value_chain(active, {"min_links": 1}, ON).verdict == rules.PASS
    assert rules.value_chain(ended, {"min_links": 1}, ON).verdict == rules.FAIL
    assert rules.value_chain(OrgFacts(1), {}, ON).verdict == rules.NO_DATA
    said_yes = OrgFacts(1, reports={2023: ReportFacts(in_value_chain=True)})
    said_no = OrgFacts(1, reports={2023: ReportFacts(in_value_chain=False)})
    assert rules.value_chain(said_yes, {}, ON).code == "chain_declared_only"
    assert rules.value_chain(said_no, {}, ON).verdict == rules.FAIL


def test_ocop_valid_and_stars():
    valid4 = OrgFacts(1, ocop=[(4, dt.date(2023, 1, 1), dt.date(2026, 1, 1))])
    expired = OrgFacts(1, ocop=[(5, dt.date(2020, 1, 1), dt.date(2023, 1, 1))])
    assert rules.ocop(valid4, {"min_stars": 4}, ON).verdict == rules.PASS
    assert rules.ocop(valid4, {"min_stars": 5}, ON).verdict == rules.FAIL
    assert rules.ocop(expired, {"min_stars": 3}, ON).verdict == rules.FAIL


def test_sector_province_kind():
    facts = OrgFacts(1, kind="group", sector="agriculture", province_id="04")
    assert rules.sector(facts, {"sectors": ["agriculture"]}, ON).verdict == rules.PASS
    assert rules.sector(OrgFacts(1), {"sectors": ["agriculture"]}, ON).verdict == rules.NO_DATA
    assert rules.province(facts, {"provinces": ["66"]}, ON).verdict == rules.FAIL
    assert rules.org_kind(facts, {"kinds": ["cooperative"]}, ON).verdict == rules.FAIL


def test_operating_months():
    facts = OrgFacts(1, established_on=dt.date(2023, 3, 28))
    # 27 March 2024 is one day short of 12 months
    assert rules.operating_months(facts, {"min_months": 12}, ON).data["months"] == 11
    assert rules.operating_months(facts, {"min_months": 11}, ON).verdict == rules.PASS
    assert rules.operating_months(OrgFacts(1), {}, ON).verdict == rules.NO_DATA
    stopped = OrgFacts(1, status="suspended", established_on=dt.date(2000, 1, 1))
    assert rules.operating_months(stopped, {}, ON).verdict == rules.FAIL


def test_declared_and_combine():
    assert rules.declared("", None).verdict == rules.NO_DATA
    assert rules.declared("Ban lãnh đạo trẻ", None).verdict == rules.PENDING
    assert rules.declared("x", rules.FAIL).verdict == rules.FAIL
    assert rules.combine([rules.PASS, rules.PASS]) is True
    assert rules.combine([rules.PASS, rules.NO_DATA]) is None
    assert rules.combine([rules.PENDING, rules.FAIL]) is False
    assert rules.combine([]) is None


def test_english_reason():
    facts = OrgFacts(1, workers=workforce(12, 13))
    with translation.override("en"):
        assert rules.youth_share(facts, {"threshold": 40}, ON).reason == (
            "Workers under 35: 12/25 = 48\u00a0% > 40\u00a0% ✔"
        )
