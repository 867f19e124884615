"""Dashboards: figures hand-computed on a small world, targets, scoping, empty states."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.http import Http404

from htxso.registry import stats
from htxso.registry.stats_indicators import Target, pick_target

from .test_stats_world import build_stats_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sw(world):
    return build_stats_world(world)


def _values(board):
    return {r.code: r.actual for r in board.indicators}


def test_province_figures_are_the_hand_computed_ones(world, sw):
    board = stats.dashboard(user=world.users["officer_a"], province="04", use_cache=False)
    assert board.year == 2024  # the latest year with reports
    assert board.years == [2024, 2023]
    assert board.as_of == dt.date(2024, 12, 31)
    assert board.figures.reports == 4
    v = _values(board)
    assert v["cooperatives"] == 2
    assert v["groups"] == 1
    assert v["unions"] == 1
    assert v["share_effective"] == pytest.approx(200 / 3)
    assert v["revenue_per_cooperative"] == 2_000_000_000
    assert v["income_per_worker"] == 4_500_000
    assert v["workers"] == 45
    assert v["youth_share"] == pytest.approx(25.0)
    assert v["members"] == 43
    assert v["cooperative_members"] == 35
    assert v["group_members"] == 8
    assert v["share_value_chain"] == pytest.approx(50.0)
    assert v["high_tech"] == 1
    assert v["ocop_products"] == 2
    assert v["share_good_or_fair"] == pytest.approx(200 / 3)
    assert board.ocop_by_stars == [(3, 0), (4, 1), (5, 1)]
    assert {code: n for code, _l, n in board.grades} == {
        "good": 1,
        "fair": 1,
        "average": 0,
        "weak": 1,
        "not_graded": 0,
    }
    kinds = {r["kind"]: r for r in board.by_kind_and_status}
    assert kinds["cooperative"]["total"] == 3
    assert kinds["cooperative"]["counts"] == [2, 0, 0, 1]


def test_targets_are_compared_with_text_not_colour_alone(world, sw):
    board = stats.dashboard(user=world.users["vca"], province="04", use_cache=False)
    rows = {r.code: r for r in board.indicators}
    good = rows["share_good_or_fair"]
    assert good.target.value == 60 and good.met is True and good.status == "met"
    assert good.gap == pytest.approx(200 / 3 - 60)
    assert good.status_display.startswith("✔")
    coops = rows["cooperatives"]
    assert coops.met is False and coops.gap == -8 and coops.status_display.startswith("✘")
    revenue = rows["revenue_per_cooperative"]
    # the 2025 target is nearer to 2024 than the 2030 one
    assert revenue.target.year == 2025
    assert revenue.gap == -600_000_000
    assert revenue.gap_display.startswith("−") and "600.000.000" in revenue.gap_display
    assert rows["workers"].status == "no_target"


def test_pick_target_prefers_the_nearest_later_year():
    t = [Target(Decimal(1), ">=", y, "") for y in (2020, 2025, 2030)]
    assert pick_target(t, 2024).year == 2025
    assert pick_target(t, 2026).year == 2030
    assert pick_target(t, 2031).year == 2030
    assert pick_target([], 2024) is None


def test_national_view_adds_provinces_and_compares_them(world, sw):
    board = stats.dashboard(user=world.users["vca"], use_cache=False)
    assert board.is_national
    assert [p.code for p in board.provinces] == ["04", "66"]
    assert board.figures.reports == 5
    v = _values(board)
    # a1 3 bn, a3 1 bn, a5 2 bn, b1 50 bn → 56 bn / 4
    assert v["revenue_per_cooperative"] == 14_000_000_000
    assert v["share_effective"] == pytest.approx(75.0)  # a1, a5, b1 of 4
    assert v["ocop_products"] == 3
    dl = next(p for p in board.provinces if p.code == "66")
    assert dl.values["revenue_per_cooperative"] == 50_000_000_000
    assert dl.values["cooperatives"] == 1


def test_other_year_selects_other_reports(world, sw):
    board = stats.dashboard(user=world.users["vca"], province="04", year=2023, use_cache=False)
    assert board.year == 2023
    assert board.figures.reports == 1
    assert _values(board)["revenue_per_cooperative"] == 1
    assert _values(board)["share_good_or_fair"] is None


@pytest.mark.parametrize("key", ["officer_b", "viewer_b"])
def test_other_provinces_officers_get_404(world, sw, key):
    with pytest.raises(Http404):
        stats.dashboard(user=world.users[key], province="04")


@pytest.mark.parametrize("code", ["99", "zz", "4", "004", ""])
def test_unknown_provinces_are_404_even_for_vca(world, code):
    with pytest.raises(Http404):
        stats.dashboard(user=world.users["vca"], province=code or "x")


def test_officer_without_province_sees_own_scope_only(world, sw):
    board = stats.dashboard(user=world.users["officer_a"], use_cache=False)
    assert [p.code for p in board.provinces] == ["04"]
    assert board.figures.reports == 4


def test_empty_province_has_no_division_errors(world):
    board = stats.dashboard(user=world.users["vca"], province="19", use_cache=False)
    assert board.is_empty
    assert board.year == dt.date.today().year - 1
    rows = board.indicators
    assert all(r.actual in (None, 0) for r in rows)
    assert all(r.gap is None for r in rows)
    assert next(r.actual_display for r in rows if r.actual is None) == "—"


def test_organisations_without_reports_show_no_data(world):
    board = stats.dashboard(user=world.users["vca"], province="04", use_cache=False)
    assert not board.is_empty and not board.has_reports
    v = _values(board)
    assert v["share_effective"] is None and v["revenue_per_cooperative"] is None
    assert v["cooperatives"] == 1 and v["share_value_chain"] == 0


def test_cache_serves_the_second_call_and_invalidate_forgets(world, sw, django_assert_num_queries):
    user = world.users["vca"]
    first = stats.dashboard(user=user)
    world.orgs["a1"].annual_reports.filter(year=2024).update(revenue=6_000_000_000)
    with django_assert_num_queries(0):
        again = stats.dashboard(user=user)
    assert _values(again) == _values(first)
    stats.invalidate()
    fresh = stats.dashboard(user=user)
    assert _values(fresh)["revenue_per_cooperative"] == 14_750_000_000


def test_cache_is_keyed_by_scope(world, sw):
    national = stats.dashboard(user=world.users["vca"])
    officer = stats.dashboard(user=world.users["officer_a"])
    assert national.figures.reports == 5 and officer.figures.reports == 4


def test_dashboard_is_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    from htxso.registry.models import AnnualReport, ClassificationScheme, Organisation

    def grow(n, start):
        orgs = Organisation.objects.bulk_create(
            Organisation(kind="group", name=f"Tổ hợp tác {start + i}", province_id="04")
            for i in range(n)
        )
        AnnualReport.objects.bulk_create(
            AnnualReport(organisation=o, year=2024, status="accepted", workers_total=3)
            for o in orgs
        )

    ClassificationScheme.objects.create(code="s", name="s", criteria=[], thresholds={})
    grow(5, 0)
    user = world.users["vca"]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        stats.dashboard(user=user, province="04", use_cache=False)
    grow(200, 100)
    with django_assert_max_num_queries(len(small.captured_queries)):
        board = stats.dashboard(user=user, province="04", use_cache=False)
    assert board.figures.reports == 205
    with django_assert_max_num_queries(10):
        stats.dashboard(user=user, use_cache=False)
