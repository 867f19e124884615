"""Computing and caching values: refresh stores rows with the time, replaces old ones,
is audited; no data stays no data."""

import datetime as dt

import pytest

from htxso.core.models import AuditEvent
from htxso.indicators import compute
from htxso.indicators.models import IndicatorValue

from .helpers import ACTOR, framework, indicator, org

pytestmark = pytest.mark.django_db


def test_refresh_writes_values_with_cells_and_time():
    org(established_on=dt.date(2020, 1, 1), sector="agriculture")
    org(province="66", established_on=dt.date(2020, 1, 1))
    fw = framework()
    ind = indicator(fw, disaggregations=["province", "sex"])  # sex: not offered, ignored
    n = compute.refresh(fw, periods=["2025", "2025S2"], actor=ACTOR)
    assert n == 6  # (total + 2 provinces) × 2 periods
    cache = compute.values(fw, period="2025")
    assert cache[(ind.pk, "")].value == 2
    assert cache[(ind.pk, "province=04")].value == 1
    assert all(v.computed_at for v in cache.values())
    assert AuditEvent.objects.filter(action="indicators.refresh").count() == 1
    # recomputing replaces, never duplicates
    compute.refresh(fw, periods=["2025"], actor=ACTOR)
    assert IndicatorValue.objects.filter(indicator=ind, period="2025").count() == 3


def test_province_values_and_scope_values_are_separate():
    org(established_on=dt.date(2020, 1, 1))
    fw = framework()
    ind = indicator(fw)
    compute.refresh(fw, periods=["2025"], actor=ACTOR)
    from htxso.geo.models import Province

    cb = Province.objects.get(pk="04")
    compute.refresh(fw, periods=["2025"], provinces=[cb], actor=ACTOR)
    assert compute.values(fw, period="2025")[(ind.pk, "")].value == 1
    assert compute.values(fw, period="2025", province=cb)[(ind.pk, "")].value == 1
    assert IndicatorValue.objects.filter(indicator=ind).count() == 2


def test_a_province_framework_computes_its_province():
    org(established_on=dt.date(2020, 1, 1))
    org(province="66", established_on=dt.date(2020, 1, 1))
    fw = framework(province="66")
    ind = indicator(fw)
    assert compute.compute(ind, period="2025").value == 1


def test_not_started_unknown_formula_and_no_data_are_stored_as_no_data():
    fw = framework()
    future = indicator(fw, "future")
    broken = indicator(fw, "broken", formula="khong.co")
    assert compute.compute(future, period="2099").note == "not_started"
    assert compute.compute(broken, period="2025").note == "unknown_formula"
    compute.refresh(fw, periods=["2025"], actor=ACTOR)
    row = IndicatorValue.objects.get(indicator=future, period="2025", cell="")
    assert row.value is None and row.note == "no_data"  # no organisation at all: not 0


def test_refresh_refuses_a_user_who_may_not_see_the_framework(world):
    from htxso.core.errors import ServiceError

    fw = framework(province="66")
    indicator(fw)
    with pytest.raises(ServiceError):
        compute.refresh(fw, periods=["2025"], actor=world.users["officer_a"])
    with pytest.raises(ServiceError):
        compute.refresh(framework("nat"), periods=["2025"], actor=world.users["manager_a1"])
    assert not IndicatorValue.objects.exists()
