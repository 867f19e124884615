"""The impact statistics as pure functions: medians, matching, the DiD and its interval."""

from __future__ import annotations

import math
import random

import pytest

from htxso.assessment import stats_impact as st


def test_median_and_median_low():
    assert st.median([]) is None
    assert st.median([3]) == 3
    assert st.median([1, 9, 3]) == 3
    assert st.median([1, 2, 3, 10]) == 2.5
    assert st.median_low([]) is None
    assert st.median_low([1, 2, 3, 4]) == 2
    assert st.median_low([5]) == 5


def U(i, before, after, group="g"):
    return st.Unit(id=i, group=group, before=before, after=after)


def test_matching_nearest_without_replacement_and_groups():
    participants = [U(1, 50, 60), U(2, 51, 61), U(3, 40, 45, group="other")]
    controls = [U(10, 50.5, 52), U(11, 70, 71), U(12, 49, 50)]
    pairs, unmatched = st.match_nearest(participants, controls)
    got = {p.participant.id: p.match.id for p in pairs}
    # 1 (50) takes 12 (49)? no: 50.5 is nearer (0.5 vs 1); then 2 (51) takes 12 (49, gap 2)
    assert got == {1: 10, 2: 12}
    # 3's group has no comparison cooperative
    assert [u.id for u in unmatched] == [3]
    # nobody is used twice
    assert len({p.match.id for p in pairs}) == len(pairs)


def test_matching_caliper_and_ties():
    pairs, unmatched = st.match_nearest([U(1, 50, 50)], [U(9, 75, 80)], caliper=10)
    assert pairs == [] and [u.id for u in unmatched] == [1]
    # a tie between 48 and 52 goes to the smaller T0 score
    pairs, _ = st.match_nearest([U(1, 50, 50)], [U(8, 52, 52), U(9, 48, 48)])
    assert pairs[0].match.id == 9


def test_matching_is_deterministic_whatever_the_input_order():
    rng = random.Random(3)
    parts = [U(i, rng.uniform(0, 100), rng.uniform(0, 100), group=i % 3) for i in range(50)]
    ctrls = [U(100 + i, rng.uniform(0, 100), 0, group=i % 3) for i in range(80)]
    a, _ = st.match_nearest(parts, ctrls)
    b, _ = st.match_nearest(list(reversed(parts)), list(reversed(ctrls)))
    assert [(p.participant.id, p.match.id) for p in a] == [
        (p.participant.id, p.match.id) for p in b
    ]


def test_did_not_enough_data_below_the_minimum():
    parts = [U(i, 50, 60) for i in range(st.MIN_PAIRS - 1)]
    ctrls = [U(100 + i, 50, 52) for i in range(20)]
    r = st.difference_in_differences(parts, ctrls, members=30)
    assert r.status == "not_enough_data" and not r.enough
    assert r.pairs == st.MIN_PAIRS - 1 and r.participants == 30
    assert r.estimate is None and r.low is None and r.high is None


def test_did_estimate_and_normal_interval_by_hand():
    # participants gain 10 + e, matches gain 2: the DiD is 8 + mean(e)
    gains = [8, 9, 10, 11, 12, 7, 13, 10, 10, 10, 9, 11]
    parts = [U(i, 40 + i, 40 + i + g) for i, g in enumerate(gains)]
    ctrls = [U(100 + i, 40 + i, 42 + i) for i in range(len(gains))]
    r = st.difference_in_differences(parts, ctrls)
    diffs = [g - 2 for g in gains]
    mean = sum(diffs) / len(diffs)
    sd = math.sqrt(sum((d - mean) ** 2 for d in diffs) / (len(diffs) - 1))
    half = 1.959964 * sd / math.sqrt(len(diffs))
    assert r.status == "ok" and r.pairs == 12
    assert r.estimate == pytest.approx(mean, abs=0.01)
    assert r.low == pytest.approx(mean - half, abs=0.01)
    assert r.high == pytest.approx(mean + half, abs=0.01)
    assert r.participants_change == pytest.approx(mean + 2, abs=0.01)
    assert r.comparison_change == pytest.approx(2, abs=0.01)
    assert "normal approximation" in r.method


def test_did_interval_covers_the_true_effect_most_of_the_time():
    """A simulation: with a true effect of 5 points, the 95 % interval covers 5 in
    roughly 95 % of 200 samples of 60 pairs (normal approximation: a little less)."""
    rng = random.Random(7)
    covered = 0
    for _ in range(200):
        parts, ctrls = [], []
        for i in range(60):
            t0 = rng.uniform(20, 80)
            parts.append(U(i, t0, t0 + 3 + 5 + rng.gauss(0, 6)))
            ctrls.append(U(1000 + i, t0, t0 + 3 + rng.gauss(0, 6)))
        r = st.difference_in_differences(parts, ctrls, caliper=100)
        covered += r.low <= 5 <= r.high
    assert 175 <= covered <= 200
