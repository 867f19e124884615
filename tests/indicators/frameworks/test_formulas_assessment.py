"""Formulas over the DX plans (issue 15): cooperatives with an approved DX plan and the
young DX leads behind them, read through ``assessment.selectors_plans``; no plan at all
is "no data", not 0; a ward counts its own cooperatives."""

import datetime as dt

import pytest
from django.utils import timezone

from htxso.indicators import formulas, periods
from htxso.indicators.formulas.base import WARD_PARAM

from .helpers import org

pytestmark = pytest.mark.django_db


def run(key, period, province=None, params=None, by=()):
    return formulas.get(key).compute(
        period=periods.parse(period), province=province, params=params or {}, by=by
    )


def _plan(o, status="approved", approved_on=None, **over):
    from htxso.assessment.models.plans import Plan

    return Plan.objects.create(
        organisation=o,
        province_id=o.province_id,
        status=status,
        title=over.pop("title", f"Kế hoạch CĐS {o.name}"),
        approved_on=approved_on,
        **over,
    )


@pytest.fixture
def plans(world):
    from htxso.geo.models import Ward

    ward = Ward.objects.filter(province_id="04").order_by("code").first()
    a = org(ward=ward)
    b = org()
    c = org(province="66")
    g = org(kind="group")
    _plan(a, approved_on=dt.date(2025, 3, 1))
    _plan(a, approved_on=dt.date(2025, 9, 1), title="Kế hoạch lần 2")  # counted once
    _plan(b, approved_on=dt.date(2025, 8, 1))
    _plan(c, approved_on=dt.date(2026, 2, 1))
    _plan(g, approved_on=dt.date(2025, 4, 1))  # a group, not a cooperative
    _plan(world.orgs["a1"], status="submitted")  # not approved: not counted
    return {"a": a, "b": b, "c": c, "g": g, "ward": ward}


def test_cooperatives_with_an_approved_plan(plans):
    key = "assessment.cooperatives_with_plan"
    assert run(key, "2025S1", "04").value == 1  # a (b approved in August)
    assert run(key, "2025", "04").value == 2  # a, b
    assert run(key, "2025").value == 2  # c approved in 2026
    assert run(key, "2026S1").value == 3
    cells = run(key, "2026S1", by=("province",)).cells
    assert {k: v.value for k, v in cells.items()} == {"province=04": 2, "province=66": 1}
    ward = run(key, "2025", "04", params={WARD_PARAM: plans["ward"].pk})
    assert ward.value == 1  # a only, not the province's 2


def test_no_plan_at_all_is_no_data_not_zero(world):
    result = run("assessment.cooperatives_with_plan", "2025", "04")
    assert result.value is None and result.note == "no_data"
    assert run("assessment.plan_youths", "2025", "04").value is None


def test_youths_behind_approved_plans(plans, world):
    from htxso.assessment.models import DxLead
    from htxso.registry.models import Person

    today = timezone.localdate()
    lead = DxLead.objects.create(
        organisation=plans["a"], user=world.users["member_a1"], named_by=world.users["vca"]
    )
    assert run("assessment.plan_youths", "2026S1", "04").value == 0  # age unknown: floor
    Person.objects.create(
        full_name="Lò Văn Trẻ",
        user=lead.user,
        birth_date=today.replace(year=today.year - 24),
    )
    current = periods.current(today, half=False).code
    assert run("assessment.plan_youths", current, "04").value == 1
    assert run("assessment.plan_youths", current, "66").value == 0
    assert not formulas.get("assessment.plan_youths").wards  # "not available for a ward"
