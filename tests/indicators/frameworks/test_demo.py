"""The demo: the EU and Thái Nguyên frameworks, references with their sources; twice
changes nothing."""

import pytest

from htxso.core.demodata import DemoContext
from htxso.indicators import demo
from htxso.indicators.models import Framework, Indicator, IndicatorValue, ReferenceValue, Target

pytestmark = pytest.mark.django_db


def counts():
    return [
        m.objects.count() for m in (Framework, Indicator, Target, ReferenceValue, IndicatorValue)
    ]


def test_demo_seeds_and_is_idempotent(world):
    demo.seed(DemoContext())
    first = counts()
    demo.seed(DemoContext())
    assert counts() == first
    eu = Framework.objects.get(code=demo.EU_CODE)
    targets = {
        t.indicator.code: int(t.value) for t in Target.objects.filter(indicator__framework=eu)
    }
    assert targets == {
        "youth-trained": 600,
        "youth-dx-plans": 400,
        "coffee-people": 450,
        "trainers": 120,
        "policymakers": 60,
        "provinces": 12,
    }
    tn = Framework.objects.get(code=demo.TN_CODE)
    assert tn.province_id == "19"
    tn_targets = {
        t.indicator.code: (t.comparison, int(t.value))
        for t in Target.objects.filter(indicator__framework=tn)
    }
    assert tn_targets["good-or-fair"] == (">", 60) and tn_targets["high-tech"] == (">", 100)
    assert tn_targets["cooperative-members"] == (">=", 35000)
    labels = set(ReferenceValue.objects.values_list("label", flat=True))
    assert any("GRDP" in label for label in labels)
    assert any("2045" in label for label in labels)
    assert ReferenceValue.objects.filter(province_id="01", period="2021", value=1898).exists()
    assert all(r.source for r in ReferenceValue.objects.all())
    assert (
        IndicatorValue.objects.filter(
            indicator__framework=eu, period="2025S2", cell="", province=None
        ).count()
        == 8
    )
