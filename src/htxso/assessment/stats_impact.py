"""The statistics of the impact part, as pure functions (no database, no Django).

* :func:`median` — the median of a list (``None`` for an empty one).
* :func:`match_nearest` — each participant's comparison cooperative: same sector and
  same region (the matching *group*), nearest T0 overall score, within a caliper,
  **without replacement** (a comparison cooperative is used once).
* :func:`difference_in_differences` — for the matched pairs, the mean of the paired
  differences ``(T1 − T0 of the participant) − (T1 − T0 of its match)`` and its 95 %
  confidence interval by the **normal approximation of the paired differences**:
  ``mean ± 1.96 × sd / √n`` (``sd`` the sample standard deviation).  Below
  :data:`MIN_PAIRS` matched pairs the result says "not enough data" and gives no
  estimate.

Why this design: a difference-in-differences removes what every cooperative of the
group gained anyway (the general trend, a new national policy); matching on the T0
score and the group compares like with like.  It is an honest figure, not a proof:
participants chose to take part.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist, fmean, stdev

#: Below this number of matched pairs no estimate is given ("not enough data").
MIN_PAIRS = 10
#: The largest T0 score gap (points of 0–100) between a participant and its match.
CALIPER = 10.0
#: The confidence level of the interval.
CONFIDENCE = 0.95
#: The normal quantile of the interval (1.959964 for 95 %).
Z = NormalDist().inv_cdf(0.5 + CONFIDENCE / 2)


def median(values: Iterable[float]) -> float | None:
    """The median (mean of the two middle values for an even count); ``None`` if empty."""
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return None
    mid = n // 2
    if n % 2:
        return float(ordered[mid])
    return (float(ordered[mid - 1]) + float(ordered[mid])) / 2


def median_low(values: Iterable[int]) -> int | None:
    """The lower median of whole numbers (a level 0–5 stays a level); ``None`` if empty."""
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[(len(ordered) - 1) // 2]


@dataclass(frozen=True)
class Unit:
    """One cooperative with both rounds: its matching group, T0 and T1 overall scores."""

    id: int
    group: Hashable
    before: float
    after: float

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class Pair:
    participant: Unit
    match: Unit

    @property
    def difference(self) -> float:
        return self.participant.change - self.match.change


def match_nearest(
    participants: Sequence[Unit], controls: Sequence[Unit], *, caliper: float = CALIPER
) -> tuple[list[Pair], list[Unit]]:
    """Greedy nearest-neighbour matching on the T0 score within each group, without
    replacement.  Participants are taken in order of (group, T0 score, id) — a fixed
    order, so the same data always gives the same pairs; ties go to the comparison
    cooperative with the smaller T0 score, then the smaller id.  Returns the pairs and
    the participants left without a match (none in their group within ``caliper``)."""
    pools: dict[Hashable, list[tuple[float, int, Unit]]] = {}
    for c in controls:
        pools.setdefault(c.group, []).append((c.before, c.id, c))
    for pool in pools.values():
        pool.sort(key=lambda t: (t[0], t[1]))
    pairs: list[Pair] = []
    unmatched: list[Unit] = []
    order = sorted(participants, key=lambda u: (str(u.group), u.before, u.id))
    for p in order:
        pool = pools.get(p.group)
        if not pool:
            unmatched.append(p)
            continue
        i = bisect.bisect_left(pool, (p.before, -1))
        best = None
        for j in (i - 1, i):
            if 0 <= j < len(pool):
                gap = abs(pool[j][0] - p.before)
                if best is None or gap < best[0] or (gap == best[0] and j < best[1]):
                    best = (gap, j)
        if best is None or best[0] > caliper:
            unmatched.append(p)
            continue
        pairs.append(Pair(p, pool.pop(best[1])[2]))
    return pairs, unmatched


@dataclass
class DidResult:
    """The difference-in-differences of a cohort and its matched comparison group."""

    participants: int  #: members of the cohort
    with_both_rounds: int  #: members with T0 and T1 submitted
    pairs: int  #: matched pairs (the N behind the estimate)
    unmatched: int  #: members with both rounds but no match
    min_pairs: int = MIN_PAIRS
    estimate: float | None = None  #: mean paired difference (points of 0–100)
    low: float | None = None
    high: float | None = None
    sd: float | None = None
    participants_change: float | None = None  #: mean T1 − T0 of the matched members
    comparison_change: float | None = None  #: mean T1 − T0 of their matches
    method: str = "normal approximation of the paired differences"
    confidence: float = CONFIDENCE
    pair_list: list[Pair] = field(default_factory=list, repr=False)

    @property
    def enough(self) -> bool:
        return self.estimate is not None

    @property
    def status(self) -> str:
        """``ok``, ``not_enough_data`` (stable codes for the API)."""
        return "ok" if self.enough else "not_enough_data"


def difference_in_differences(
    participants: Sequence[Unit],
    controls: Sequence[Unit],
    *,
    members: int | None = None,
    caliper: float = CALIPER,
    min_pairs: int = MIN_PAIRS,
) -> DidResult:
    """Match, then estimate; ``members`` is the cohort's size (for the counts shown)."""
    pairs, unmatched = match_nearest(participants, controls, caliper=caliper)
    result = DidResult(
        participants=members if members is not None else len(participants),
        with_both_rounds=len(participants),
        pairs=len(pairs),
        unmatched=len(unmatched),
        min_pairs=min_pairs,
        pair_list=pairs,
    )
    if len(pairs) < max(min_pairs, 2):
        return result
    diffs = [p.difference for p in pairs]
    mean = fmean(diffs)
    sd = stdev(diffs)
    half = Z * sd / math.sqrt(len(diffs))
    result.estimate = round(mean, 2)
    result.low = round(mean - half, 2)
    result.high = round(mean + half, 2)
    result.sd = round(sd, 2)
    result.participants_change = round(fmean(p.participant.change for p in pairs), 2)
    result.comparison_change = round(fmean(p.match.change for p in pairs), 2)
    return result
