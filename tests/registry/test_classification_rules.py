"""Pure rules of classification, with hand-computed cases."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest

from htxso.registry import classification_rules as rules

SCHEMES = importlib.import_module("htxso.registry.migrations.0004_classification_schemes")
TT01 = next(s for s in SCHEMES.SCHEMES if s["code"] == "tt01-2020")
TT09 = next(s for s in SCHEMES.SCHEMES if s["code"] == "tt09-2017")
T = TT01["thresholds"]


def test_shipped_schemes_have_the_right_shape():
    assert len(TT01["criteria"]) == 15 and rules.max_total(TT01["criteria"]) == 100
    assert len(TT09["criteria"]) == 6 and rules.max_total(TT09["criteria"]) == 100
    groups = {}
    for c in TT01["criteria"]:
        groups[c["group"]] = groups.get(c["group"], 0) + c["max_points"]
    assert groups == {"finance": 30, "governance": 30, "members": 40}
    finance = [c["max_points"] for c in TT01["criteria"] if c["group"] == "finance"]
    governance = [c["max_points"] for c in TT01["criteria"] if c["group"] == "governance"]
    assert finance == [7, 6, 11, 6] and governance == [8, 6, 6, 6, 4]
    # the unconfirmed split of the 40 points is marked "check"
    assert all(c.get("check") for c in TT01["criteria"] if c["group"] == "members")
    assert not any(c.get("check") for c in TT01["criteria"] if c["group"] != "members")
    assert TT09["thresholds"]["sanction_grade"] == "weak"
    assert "sanction_grade" not in TT01["thresholds"]
    assert len({c["code"] for c in TT01["criteria"]}) == 15


@pytest.mark.parametrize(
    "total,grade",
    [
        (0, "weak"),
        (49, "weak"),
        (50, "average"),
        (64, "average"),
        (65, "fair"),
        (79, "fair"),
        (80, "good"),
        (100, "good"),
    ],
)
def test_grade_boundaries(total, grade):
    assert rules.grade_for(total, T) == grade


def test_thresholds_come_from_the_scheme():
    assert rules.grade_for(70, {"good": 70, "fair": 60, "average": 40}) == "good"
    assert rules.grade_for(39, {"good": 70, "fair": 60, "average": 40}) == "weak"


def _full(criteria):
    return {c["code"]: c["max_points"] for c in criteria}


def test_totals_hand_computed():
    assert rules.total_points(TT01["criteria"], _full(TT01["criteria"])) == 100
    points = {"F1": 7, "F2": 6, "F3": 11, "F4": 6, "G1": 8, "G2": 6, "G3": 6, "M1": 5}
    assert rules.total_points(TT01["criteria"], points) == 55  # 30 + 20 + 5
    assert rules.total_points(TT01["criteria"], {}) == 0
    assert rules.total_points(TT01["criteria"], {"F1": "3", "F2": 2.0, "F3": None}) == 5


def test_points_above_a_maximum_are_refused():
    with pytest.raises(rules.RuleError) as err:
        rules.clean_points(TT01["criteria"], {"F1": 8})
    assert err.value.code == "points_above_max" and err.value.field == "F1"
    assert rules.clean_points(TT01["criteria"], {"F1": 7})["F1"] == 7


@pytest.mark.parametrize(
    "value,code",
    [
        (-1, "points_negative"),
        (2.5, "points_not_whole"),
        ("abc", "points_not_whole"),
        (True, "points_not_whole"),
    ],
)
def test_bad_points(value, code):
    with pytest.raises(rules.RuleError) as err:
        rules.clean_points(TT01["criteria"], {"F2": value})
    assert err.value.code == code


def test_unknown_criterion_refused():
    with pytest.raises(rules.RuleError) as err:
        rules.clean_points(TT01["criteria"], {"Z9": 1})
    assert err.value.code == "unknown_criterion"


@pytest.mark.parametrize(
    "established,reason",
    [
        (dt.date(2024, 1, 1), ""),
        (dt.date(2023, 12, 31), ""),
        (dt.date(2024, 1, 2), rules.REASON_TOO_YOUNG),
        (dt.date(2024, 6, 1), rules.REASON_TOO_YOUNG),
        (dt.date(2025, 3, 1), rules.REASON_TOO_YOUNG),  # after the year: not graded
        (None, ""),
    ],
)
def test_not_graded_when_operating_less_than_12_months(established, reason):
    assert rules.not_graded_reason(year=2024, established_on=established) == reason


@pytest.mark.parametrize(
    "months,reason", [(0, ""), (3, ""), (4, rules.REASON_SUSPENDED), (12, rules.REASON_SUSPENDED)]
)
def test_not_graded_when_suspended_more_than_3_months(months, reason):
    assert (
        rules.not_graded_reason(year=2024, established_on=None, months_suspended=months) == reason
    )


@pytest.mark.parametrize("months", [-1, 13])
def test_months_suspended_out_of_range(months):
    with pytest.raises(rules.RuleError):
        rules.not_graded_reason(year=2024, established_on=None, months_suspended=months)


def test_classify_full_marks_and_not_graded_wins():
    result = rules.classify(
        criteria=TT01["criteria"], thresholds=T, points=_full(TT01["criteria"]), year=2024
    )
    assert result == rules.Result(total=100, grade="good", reason="")
    young = rules.classify(
        criteria=TT01["criteria"],
        thresholds=T,
        points=_full(TT01["criteria"]),
        year=2024,
        established_on=dt.date(2024, 5, 1),
    )
    assert young.grade == "not_graded" and young.total == 100
    assert young.reason == rules.REASON_TOO_YOUNG


def test_sanction_means_weak_in_09_2017_only():
    full09 = _full(TT09["criteria"])
    sanctioned = rules.classify(
        criteria=TT09["criteria"],
        thresholds=TT09["thresholds"],
        points=full09,
        year=2024,
        had_sanction=True,
    )
    assert sanctioned.grade == "weak" and sanctioned.total == 100
    clean = rules.classify(
        criteria=TT09["criteria"], thresholds=TT09["thresholds"], points=full09, year=2024
    )
    assert clean.grade == "good"
    # 01/2020 has no such rule
    other = rules.classify(
        criteria=TT01["criteria"],
        thresholds=T,
        points=_full(TT01["criteria"]),
        year=2024,
        had_sanction=True,
    )
    assert other.grade == "good"


def test_group_totals():
    groups = rules.group_totals(TT01["criteria"], {"F1": 5, "G5": 4, "M6": 1})
    assert [(g["code"], g["points"], g["max_points"]) for g in groups] == [
        ("finance", 5, 30),
        ("governance", 4, 30),
        ("members", 1, 40),
    ]
