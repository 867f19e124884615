"""Registry formulas with hand-made data and counted expectations; and agreement with
the statistics (``/thong-ke/``) for the same year."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from htxso.indicators import formulas, periods
from htxso.indicators.formulas.base import SYSTEM
from htxso.registry import stats_indicators
from htxso.registry.models import ClassificationScheme, ClassificationScore, ValueChainLink
from htxso.registry.stats_queries import collect

from .helpers import org, report

pytestmark = pytest.mark.django_db


def run(key, period, province=None, params=None, by=()):
    return formulas.get(key).compute(
        period=periods.parse(period), province=province, params=params or {}, by=by
    )


@pytest.fixture
def orgs():
    return {
        "A": org(established_on=dt.date(2020, 1, 1), sector="agriculture"),
        "B": org(established_on=dt.date(2026, 3, 1), sector="trade"),
        "C": org(status="dissolved", dissolved_on=dt.date(2025, 10, 1), sector="agriculture"),
        "G": org(kind="group"),
        "U": org(kind="union", province="66"),
        "D": org(province="66"),
    }


def test_counts_of_cooperatives_per_period_and_place(orgs):
    assert run("registry.cooperatives", "2025", "04").value == 1  # A (C dissolved, B later)
    assert run("registry.cooperatives", "2025S1", "04").value == 2  # A and C (until 1/10)
    assert run("registry.cooperatives", "2026S1", "04").value == 2  # A and B
    assert run("registry.cooperatives", "2025", None).value == 2  # A and D
    assert run("registry.groups", "2025", "04").value == 1
    assert run("registry.unions", "2025", None).value == 1
    assert run("registry.unions", "2025", "04").value == 0


def test_counts_disaggregated_by_province_and_sector(orgs):
    result = run("registry.cooperatives", "2025S1", None, by=("province", "sector"))
    assert result.value == 3
    assert {k: v.value for k, v in result.cells.items()} == {
        "province=04": 2,
        "province=66": 1,
        "sector=agriculture": 2,
        "sector=unknown": 1,
    }


def test_no_organisation_at_all_is_no_data_not_zero(orgs):
    result = run("registry.cooperatives", "2025", "40")
    assert result.value is None and result.note == "no_data"


def test_members_from_counted_annual_reports(orgs):
    report(orgs["A"], 2025, members_official=10, members_associate=2)
    report(orgs["D"], 2025, members_official=5)
    report(orgs["G"], 2025, members_official=7)
    report(orgs["U"], 2025, members_official=3, status="submitted")
    report(orgs["C"], 2025, members_official=100, status="draft")  # drafts never count
    assert run("registry.cooperative_members", "2025").value == 17
    assert run("registry.cooperative_members", "2025", "04").value == 12
    assert run("registry.group_members", "2025").value == 7
    assert run("registry.union_members", "2025").value == 3
    by = run("registry.cooperative_members", "2025", by=("province",))
    assert {k: v.value for k, v in by.cells.items()} == {"province=04": 12, "province=66": 5}
    none = run("registry.cooperative_members", "2024")
    assert none.value is None and none.note == "no_data"


def test_share_good_or_fair_names_its_denominator_and_all_beside(orgs):
    scheme = ClassificationScheme.objects.get(code="tt01-2020")
    for key, grade in (("A", "good"), ("D", "fair"), ("G", "weak"), ("U", "not_graded")):
        ClassificationScore.objects.create(
            organisation=orgs[key], scheme=scheme, year=2025, grade=grade, status="published"
        )
    result = run("registry.share_good_or_fair", "2025")
    assert (result.numerator, result.denominator) == (2, 3)  # not-graded left out
    assert result.value == D("66.67")
    # of all operating organisations on 31/12/2025: A, G, U, D (C dissolved, B later? no:
    # the statistics count operating organisations whatever their founding date)
    assert result.beside is not None and result.beside.numerator == 2
    operating = collect(user=SYSTEM, province=None, year=2025, as_of=dt.date(2025, 12, 31))
    assert result.beside.denominator == sum(f.operating for f in operating.values())
    assert (
        "share_good_or_fair" in str(formulas.get("registry.share_good_or_fair").description) or True
    )


def test_division_by_zero_is_no_data_with_a_note(orgs):
    result = run("registry.share_good_or_fair", "2024")
    assert result.value is None and result.note == "division_by_zero"
    assert run("registry.revenue_per_cooperative", "2024").value is None


def test_value_chain_high_tech_and_revenue(orgs):
    report(orgs["A"], 2025, revenue=2_000_000_000, in_value_chain=True, uses_high_tech=True)
    report(orgs["D"], 2025, revenue=3_000_000_000)
    ValueChainLink.objects.create(
        organisation=orgs["G"],
        product="Chè",
        partner_name="Công ty Chè",
        role="producer",
        started_on=dt.date(2025, 2, 1),
    )
    revenue = run("registry.revenue_per_cooperative", "2025")
    assert (revenue.value, revenue.numerator, revenue.denominator) == (
        2_500_000_000,
        5_000_000_000,
        2,
    )
    chain = run("registry.share_value_chain", "2025", "04")
    # operating in 04 on 31/12/2025: A, B, G (C dissolved on 1/10) → A and G in chains
    assert (chain.numerator, chain.denominator) == (2, 3)
    assert run("registry.high_tech", "2025").value == 1


def test_agrees_with_the_statistics_for_the_running_year(orgs):
    report(orgs["A"], timezone.localdate().year, members_official=9)
    today = timezone.localdate()
    figures = collect(user=SYSTEM, province="04", year=today.year, as_of=today)
    total = sum(figures.values(), start=type(next(iter(figures.values())))())
    stats = stats_indicators.compute(total)
    period = periods.current(today, half=False).code
    assert run("registry.cooperatives", period, "04").value == stats["cooperatives"]
    assert run("registry.cooperative_members", period, "04").value == stats["cooperative_members"]


def test_share_effective_and_income_per_worker(orgs):
    report(
        orgs["A"],
        2025,
        operating_effectively=True,
        average_income_month=6_000_000,
        workers_total=10,
    )
    report(
        orgs["D"],
        2025,
        operating_effectively=False,
        average_income_month=3_000_000,
        workers_total=5,
    )
    report(orgs["C"], 2025)  # no answer: not in the denominator
    effective = run("registry.share_effective", "2025")
    assert (effective.numerator, effective.denominator, effective.value) == (1, 2, D("50.00"))
    income = run("registry.income_per_worker", "2025")
    assert income.value == 5_000_000  # (6 M × 10 + 3 M × 5) / 15
