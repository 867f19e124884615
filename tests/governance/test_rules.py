"""The thresholds are dated rows: the row in force on a day, a kind's own row, bands."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from htxso.core.errors import ServiceError
from htxso.governance import rules
from htxso.governance.models import Rule, RuleKey

pytestmark = pytest.mark.django_db


def test_the_2023_law_is_in_force_and_a_union_has_its_own_cap():
    day = dt.date(2025, 1, 1)
    assert rules.value(RuleKey.MEMBER_CAPITAL_MAX, on=day) == Decimal(30)
    assert rules.value(RuleKey.MEMBER_CAPITAL_MAX, on=day, org_kind="union") == Decimal(40)
    assert rules.value(RuleKey.SPECIAL_MAJORITY, on=day) == Decimal(65)
    assert "Điều" in rules.rule(RuleKey.QUORUM_1, on=day).article


def test_nothing_in_force_before_the_law():
    with pytest.raises(ServiceError) as e:
        rules.value(RuleKey.QUORUM_1, on=dt.date(2024, 6, 30))
    assert e.value.code == "rule_missing"


def test_a_later_decree_is_a_new_row_not_code():
    Rule.objects.create(
        key=RuleKey.QUORUM_2,
        value=Decimal(40),
        unit="percent",
        valid_from=dt.date(2027, 1, 1),
        article="Nghị định giả định 2027",
    )
    assert rules.value(RuleKey.QUORUM_2, on=dt.date(2026, 12, 31)) == Decimal(33)
    assert rules.value(RuleKey.QUORUM_2, on=dt.date(2027, 1, 1)) == Decimal(40)


@pytest.mark.parametrize(
    ("members", "value", "unit"),
    [
        (51, 50, "percent"),
        (100, 50, "percent"),
        (101, 30, "percent"),
        (300, 30, "percent"),
        (301, 20, "percent"),
        (1000, 20, "percent"),
        (1001, 200, "count"),
        (10_000, 200, "count"),
    ],
)
def test_delegate_bands(members, value, unit):
    row = rules.band(RuleKey.DELEGATES, members, on=dt.date(2026, 1, 1))
    assert row is not None and row.value == Decimal(value) and row.unit == unit


def test_no_band_under_51():
    assert rules.band(RuleKey.DELEGATES, 50, on=dt.date(2026, 1, 1)) is None
