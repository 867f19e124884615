"""Indicators for one ward or commune (a ward office's report): a ward gets its own
organisations' figures, never the province's; a formula that cannot count a ward says
so; the wards of a province add up to the statistics' figures of the province."""

import datetime as dt
from dataclasses import fields
from decimal import Decimal as D

import pytest

from htxso.geo.models import Ward
from htxso.indicators import formulas, periods
from htxso.indicators.compute import compute
from htxso.indicators.formulas.base import SYSTEM, WARD_PARAM
from htxso.indicators.formulas.registry import ward_figures
from htxso.registry.models import ClassificationScheme, ClassificationScore, ValueChainLink
from htxso.registry.stats_queries import Figures, collect

from .helpers import framework, indicator, org, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def wards():
    w1, w2 = Ward.objects.filter(province_id="04").order_by("code")[:2]
    return w1, w2


@pytest.fixture
def orgs(wards):
    w1, w2 = wards
    out = {
        "A": org(ward=w1, sector="agriculture"),
        "B": org(ward=w1, status="dissolved", dissolved_on=dt.date(2025, 3, 1)),
        "C": org(ward=w2),
        "D": org(ward=w2),
        "E": org(),  # no ward recorded: the province's only
        "G": org(kind="group", ward=w1),
        "X": org(province="66"),
    }
    report(out["A"], 2025, members_official=10, members_associate=2, revenue=1_000_000_000)
    report(out["C"], 2025, members_official=30, revenue=3_000_000_000, in_value_chain=True)
    report(out["D"], 2025, members_official=5, status="draft")  # never counts
    report(out["E"], 2025, members_official=50)
    report(out["G"], 2025, members_official=7, uses_high_tech=True)
    scheme = ClassificationScheme.objects.get(code="tt01-2020")
    for key, grade in (("A", "good"), ("C", "weak"), ("D", "fair"), ("E", "good")):
        ClassificationScore.objects.create(
            organisation=out[key], scheme=scheme, year=2025, grade=grade, status="published"
        )
    ValueChainLink.objects.create(
        organisation=out["A"],
        product="Chè",
        partner_name="Công ty Chè",
        role="producer",
        started_on=dt.date(2025, 2, 1),
    )
    return out


def run(key, period, province="04", ward=None):
    params = {WARD_PARAM: ward.pk} if ward is not None else {}
    return formulas.get(key).compute(
        period=periods.parse(period), province=province, params=params, by=()
    )


def test_a_ward_gets_its_own_numbers_not_the_provinces(orgs, wards):
    w1, w2 = wards
    # province 04 on 31/12/2025: A, C, D, E operating cooperatives (B dissolved)
    assert run("registry.cooperatives", "2025").value == 4
    assert run("registry.cooperatives", "2025", ward=w1).value == 1  # A
    assert run("registry.cooperatives", "2025", ward=w2).value == 2  # C, D
    assert run("registry.groups", "2025", ward=w1).value == 1
    assert run("registry.groups", "2025", ward=w2).value == 0
    # members: counted annual reports of the ward's organisations only
    assert run("registry.cooperative_members", "2025").value == 92
    assert run("registry.cooperative_members", "2025", ward=w1).value == 12
    assert run("registry.cooperative_members", "2025", ward=w2).value == 30  # D's draft out
    assert run("registry.group_members", "2025", ward=w1).value == 7
    # grades: ward 1 → A good (1 of 1); ward 2 → C weak, D fair (1 of 2)
    assert run("registry.share_good_or_fair", "2025").value == D("75.00")
    good1 = run("registry.share_good_or_fair", "2025", ward=w1)
    assert (good1.numerator, good1.denominator, good1.value) == (1, 1, D("100.00"))
    good2 = run("registry.share_good_or_fair", "2025", ward=w2)
    assert (good2.numerator, good2.denominator, good2.value) == (1, 2, D("50.00"))
    assert good2.beside is not None and good2.beside.denominator == 2  # C, D operating
    chain = run("registry.share_value_chain", "2025", ward=w1)
    assert (chain.numerator, chain.denominator) == (1, 2)  # A (link) of A, G
    assert run("registry.high_tech", "2025", ward=w1).value == 0  # G is a group
    revenue = run("registry.revenue_per_cooperative", "2025", ward=w2)
    assert revenue.value == 3_000_000_000


def test_a_ward_without_organisations_is_no_data(orgs):
    empty = Ward.objects.filter(province_id="04").order_by("code")[5]
    result = run("registry.cooperatives", "2025", ward=empty)
    assert result.value is None and result.note == "no_data"
    members = run("registry.cooperative_members", "2025", ward=empty)
    assert members.value is None and members.note == "no_data"


def test_the_wards_add_up_to_the_statistics_of_the_province(orgs, wards):
    """The ward figures use the statistics' definitions: summed over every ward of the
    province plus the organisations without a ward, they equal ``collect``'s."""
    day = dt.date(2025, 12, 31)
    province = collect(user=SYSTEM, province="04", year=2025, as_of=day)["04"]
    total = Figures()
    for ward in wards:
        total = total + ward_figures(ward.pk, year=2025, as_of=day).get("04", Figures())
    no_ward = collect(user=SYSTEM, province="04", year=2025, as_of=day)  # minus E below
    assert no_ward  # (E has no ward: add its figures by hand)
    e = Figures(
        reports=1,
        coop_reports=1,
        members_cooperative=50,
        members_reports=1,
        operating=1,
        operating_by_kind={"cooperative": 1},
        grades={"good": 1},
    )
    total = total + e
    skip = {"organisations", "tax_problem", "ocop"}  # not read by any ward formula
    for f in fields(Figures):
        if f.name in skip:
            continue
        assert getattr(total, f.name) == getattr(province, f.name), f.name


def test_compute_for_a_ward_and_not_available_for_a_ward(orgs, wards):
    w1, _w2 = wards
    fw = framework(province="04")
    coops = indicator(fw, "coops", "registry.cooperatives", disaggregations=["sector"])
    trained = indicator(fw, "trained", "training.people")
    result = compute(coops, period="2025", ward=w1)
    assert result.value == 1 and result.cells == {}  # no cells for a ward
    assert compute(coops, period="2025").value == 4
    nope = compute(trained, period="2025", ward=w1)
    assert nope.value is None and nope.note == "not_for_ward"
    assert "ward" in nope.note_text or "phường" in nope.note_text
    # nobody can smuggle a ward in through an indicator's parameters
    coops.params = {WARD_PARAM: w1.pk}
    assert compute(coops, period="2025").value == 4


def test_which_formulas_count_a_ward():
    wards = {k for k, f in formulas.FORMULAS.items() if f.wards}
    assert {"registry.cooperatives", "registry.cooperative_members"} <= wards
    assert "registry.share_good_or_fair" in wards
    assert not any(k.startswith("training.") for k in wards)
    assert "programs.selected_provinces" not in wards
